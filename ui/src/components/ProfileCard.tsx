/**
 * One integration profile on the start screen: what it sets up, what the admin will need,
 * how long it takes and how many checks it runs. The card is a radio button in the profile
 * list's radio group: focusable, and selected by click, Space or Enter.
 */
import { useId } from "react";
import type { KeyboardEvent, Ref } from "react";
import {
  Badge,
  Body1,
  Caption1,
  Card,
  CardFooter,
  CardHeader,
  Subtitle2,
  Text,
  makeStyles,
  mergeClasses,
  shorthands,
  tokens,
  typographyStyles,
} from "@fluentui/react-components";
import {
  CheckmarkCircleFilled,
  ClockRegular,
  PlugConnectedRegular,
  TaskListLtrRegular,
} from "@fluentui/react-icons";
import type { ProfileKind, ProfileSummary } from "../ipc";

/** How each kind of profile is described to the admin. */
const KIND_LABELS: Record<ProfileKind, string> = {
  delegated_web: "Users sign in (delegated)",
  app_only: "Runs as the app (application permissions)",
  vendor_consent: "Approves a vendor's app",
  custom: "Custom",
};

const useStyles = makeStyles({
  card: {
    height: "100%",
    cursor: "pointer",
  },
  selected: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    "::after": {
      ...shorthands.borderColor(tokens.colorBrandStroke1),
      ...shorthands.borderWidth(tokens.strokeWidthThick),
    },
    ":hover": {
      backgroundColor: tokens.colorNeutralBackground1Selected,
    },
  },
  icon: {
    fontSize: "32px",
    color: tokens.colorBrandForeground1,
  },
  selectedMark: {
    fontSize: "24px",
    color: tokens.colorBrandForeground1,
  },
  details: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    flexGrow: 1,
  },
  title: {
    margin: 0,
  },
  summary: {
    margin: 0,
  },
  needs: {
    display: "grid",
    gridTemplateColumns: "max-content 1fr",
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalS,
    alignItems: "baseline",
    margin: 0,
  },
  needLabel: {
    ...typographyStyles.body1Strong,
    color: tokens.colorNeutralForeground2,
  },
  needList: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalL,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
  },
  description: {
    display: "inline-flex",
    flexWrap: "wrap",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
  },
  needValue: {
    margin: 0,
  },
  footer: {
    flexWrap: "wrap",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    color: tokens.colorNeutralForeground2,
  },
  fact: {
    display: "inline-flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalXS,
  },
});

export interface ProfileCardProps {
  profile: ProfileSummary;
  selected: boolean;
  /** 0 for the one card of the group that Tab reaches, -1 for the others (roving tab stop). */
  tabIndex: 0 | -1;
  onSelect: (profile: ProfileSummary) => void;
  /** Arrow-key navigation between cards is handled by the list. */
  onKeyDown?: (event: KeyboardEvent<HTMLDivElement>) => void;
  ref?: Ref<HTMLDivElement>;
}

export function ProfileCard({ profile, selected, tabIndex, onSelect, onKeyDown, ref }: ProfileCardProps) {
  const styles = useStyles();
  const titleId = useId();
  const detailsId = useId();

  const handleKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      onSelect(profile);
      return;
    }
    onKeyDown?.(event);
  };

  return (
    <Card
      ref={ref}
      role="radio"
      aria-checked={selected}
      aria-labelledby={titleId}
      aria-describedby={detailsId}
      tabIndex={tabIndex}
      focusMode="off"
      data-testid={`profile-card-${profile.id}`}
      data-selected={selected}
      className={mergeClasses(styles.card, selected && styles.selected)}
      onClick={() => onSelect(profile)}
      onKeyDown={handleKeyDown}
    >
      <CardHeader
        image={<PlugConnectedRegular className={styles.icon} aria-hidden />}
        header={
          <Subtitle2 as="h3" id={titleId} className={styles.title}>
            {profile.title}
          </Subtitle2>
        }
        description={
          <span className={styles.description}>
            <Caption1>{profile.product}</Caption1>
            {profile.source.type === "user" && (
              <Badge appearance="outline" color="informative" shape="rounded" size="small">
                Your own profile
              </Badge>
            )}
          </span>
        }
        action={selected ? <CheckmarkCircleFilled className={styles.selectedMark} aria-hidden /> : undefined}
      />

      <div id={detailsId} className={styles.details}>
        <Body1 as="p" className={styles.summary}>
          {profile.summary}
        </Body1>

        <dl className={styles.needs}>
          <dt className={styles.needLabel}>Admin roles</dt>
          <dd className={styles.needValue}>
            <NeedList items={profile.admin_roles} className={styles.needList} />
          </dd>
          <dt className={styles.needLabel}>Licences</dt>
          <dd className={styles.needValue}>
            <NeedList items={profile.licences} className={styles.needList} />
          </dd>
          <dt className={styles.needLabel}>Access</dt>
          <dd className={styles.needValue}>
            <Text>{KIND_LABELS[profile.kind]}</Text>
          </dd>
        </dl>

        <CardFooter className={styles.footer}>
          <span className={styles.fact}>
            <ClockRegular aria-hidden />
            <Text>About {profile.estimated_minutes} minutes</Text>
          </span>
          <span className={styles.fact}>
            <TaskListLtrRegular aria-hidden />
            <Text>
              {profile.checks.length} {profile.checks.length === 1 ? "check" : "checks"}
            </Text>
          </span>
        </CardFooter>
      </div>
    </Card>
  );
}

/** Roles or licences as a plain list: their names are often whole phrases. */
function NeedList({ items, className }: { items: string[]; className: string }) {
  if (items.length === 0) {
    return <Text>None in particular</Text>;
  }
  if (items.length === 1) {
    return <Text>{items[0]}</Text>;
  }
  return (
    <ul className={className}>
      {items.map((item) => (
        <li key={item}>
          <Text>{item}</Text>
        </li>
      ))}
    </ul>
  );
}

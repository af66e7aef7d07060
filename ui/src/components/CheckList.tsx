/**
 * The live checks of a step: each with a visible state (not checked yet, checking, passed,
 * failed, warning, couldn't check, not checked), the plain-language result, the cause, the fix
 * and the portal page. "Couldn't check" (network, throttling, an outage) looks different from a
 * failure and offers to try again.
 */
import {
  Badge,
  Body1,
  Button,
  Caption1,
  Spinner,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwiseRegular } from "@fluentui/react-icons";
import type { CheckId, CheckResult } from "../ipc";
import { CHECK_LABELS, NEEDED_LABELS, STATUS_LABELS } from "../labels";
import { cardSurface, column } from "../layout";
import { ExternalLink } from "./ExternalLink";
import { StatusIcon } from "./StatusIcon";

const useStyles = makeStyles({
  list: { ...column(tokens.spacingVerticalS), listStyleType: "none", margin: 0, padding: 0 },
  item: {
    ...cardSurface,
    display: "grid",
    gridTemplateColumns: "24px 1fr",
    columnGap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
  },
  failed: { borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorPaletteRedBorder2}` },
  unverified: { borderLeft: `${tokens.strokeWidthThickest} dashed ${tokens.colorNeutralStroke1}` },
  icon: { fontSize: "22px", paddingTop: "2px" },
  muted: { color: tokens.colorNeutralForeground3 },
  body: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, minWidth: 0 },
  head: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
  name: { fontWeight: tokens.fontWeightSemibold },
  fix: { color: tokens.colorNeutralForeground2 },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, marginTop: tokens.spacingVerticalXS },
});

export interface CheckListProps {
  /** The checks of the step, in order. */
  checks: CheckId[];
  /** Their latest results. */
  results: CheckResult[];
  /** The checks running now. */
  running: CheckId[];
  /** Try again (for checks Microsoft could not answer). */
  onRetry?: () => void;
  /** Labelled by this heading id. */
  labelledBy?: string;
}

export function CheckList({ checks, results, running, onRetry, labelledBy }: CheckListProps) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-labelledby={labelledBy} data-testid="check-list">
      {checks.map((id) => {
        const result = results.find((r) => r.id === id);
        const isRunning = running.includes(id);
        const status = isRunning ? "running" : (result?.status ?? "pending");
        return (
          <li
            key={id}
            data-testid={`check-${id}`}
            data-status={status}
            className={mergeClasses(
              styles.item,
              status === "fail" && styles.failed,
              status === "unverified" && styles.unverified,
            )}
            aria-busy={isRunning}
          >
            <StatusIcon status={status} className={styles.icon} />
            <div className={styles.body}>
              <div className={styles.head}>
                <Text className={styles.name}>{CHECK_LABELS[id]}</Text>
                <Badge
                  appearance="tint"
                  color={badgeColor(status)}
                  data-testid={`check-${id}-status`}
                >
                  {STATUS_LABELS[status]}
                </Badge>
                {result?.cause && !isRunning && status !== "pass" && (
                  <Caption1 className={styles.muted} data-testid={`check-${id}-cause`}>
                    {result.cause}
                  </Caption1>
                )}
              </div>
              {isRunning && <Spinner size="extra-tiny" label="Asking Microsoft…" labelPosition="after" />}
              {!isRunning && result && <Body1 data-testid={`check-${id}-message`}>{result.message}</Body1>}
              {!isRunning && result && result.needs && result.needs.length > 0 && (
                <Body1 className={styles.fix} data-testid={`check-${id}-needs`}>
                  <strong>It needs:</strong> {result.needs.map((n) => NEEDED_LABELS[n]).join("; ")}.
                </Body1>
              )}
              {!isRunning && result?.fix && status !== "pass" && (
                <Body1 className={styles.fix}>
                  <strong>What to do:</strong> {result.fix}
                </Body1>
              )}
              {!isRunning && result && (status === "unverified" || result.portal_link) && status !== "pass" && (
                <div className={styles.actions}>
                  {status === "unverified" && onRetry && (
                    <Button icon={<ArrowClockwiseRegular />} onClick={onRetry} data-testid={`check-${id}-retry`}>
                      Try again
                    </Button>
                  )}
                  {result.portal_link && <ExternalLink href={result.portal_link}>Open in the admin center</ExternalLink>}
                </div>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function badgeColor(status: string): "success" | "danger" | "warning" | "informative" | "subtle" {
  switch (status) {
    case "pass":
      return "success";
    case "fail":
      return "danger";
    case "warn":
      return "warning";
    case "running":
      return "informative";
    default:
      return "subtle";
  }
}

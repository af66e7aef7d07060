/**
 * The first screen: the integrations the app can set up, loaded from the shell's profiles,
 * one card each. Selecting a card offers to start its wizard against the admin's tenant, or to
 * rehearse it on the demo tenant.
 */
import { useEffect, useId, useRef, useState } from "react";
import {
  Body1,
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Title3,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwiseRegular, ArrowRightRegular, BeakerRegular } from "@fluentui/react-icons";
import { listProfiles } from "../ipc";
import type { ProfileSummary } from "../ipc";
import { FailureBar } from "../components/FailureBar";
import { ProfileList, ProfileListSkeleton } from "../components/ProfileList";
import { useFailure } from "../hooks/useFailure";
import { preloadWizard } from "../lazy";

type Profiles = { status: "loading" } | { status: "failed" } | { status: "loaded"; profiles: ProfileSummary[] };

const useStyles = makeStyles({
  screen: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalL,
  },
  intro: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
  },
  heading: {
    margin: 0,
  },
  hint: {
    margin: 0,
    color: tokens.colorNeutralForeground2,
  },
  start: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
});

export interface StartScreenProps {
  /** Start the wizard for a profile; `demo` rehearses it on the demo tenant. */
  onStart?: (profileId: string, demo: boolean) => void;
  /** Whether a start is under way (the buttons wait). */
  starting?: boolean;
  /** The profiles already asked for (at launch, beside the other reads); asked for here if not. */
  profiles?: Promise<ProfileSummary[]>;
  /** The profiles, already in: the cards show from the first paint. */
  ready?: ProfileSummary[];
}

/** Where the number of profiles last shown is kept, for as many skeletons at the next launch. */
export const PROFILE_COUNT_KEY = "entra-setup.profile-count";
/** The skeletons shown when no count was kept: the shipped catalogue's size (14 profiles). */
const DEFAULT_PROFILE_COUNT = 14;

/** How many cards the list showed last time (so the skeletons take the same room). */
export function keptProfileCount(): number {
  try {
    const kept = Number(window.localStorage.getItem(PROFILE_COUNT_KEY));
    return Number.isInteger(kept) && kept > 0 && kept <= 100 ? kept : DEFAULT_PROFILE_COUNT;
  } catch {
    return DEFAULT_PROFILE_COUNT;
  }
}

function keepProfileCount(count: number): void {
  try {
    window.localStorage.setItem(PROFILE_COUNT_KEY, String(count));
  } catch {
    // Storage refused: the next launch shows the default number of skeletons.
  }
}

export function StartScreen({ onStart, starting = false, profiles: prefetched, ready }: StartScreenProps) {
  const styles = useStyles();
  const headingId = useId();
  const nextStepId = useId();
  const [profiles, setProfiles] = useState<Profiles>(
    ready ? { status: "loaded", profiles: ready } : { status: "loading" },
  );
  const [attempt, setAttempt] = useState(0);
  const failure = useFailure();
  const [selectedId, setSelectedId] = useState<string>();
  const startPanel = useRef<HTMLDivElement>(null);
  // The Start buttons sit under the cards: bring them into view once a card is chosen — at
  // once for an admin who asked their system for less motion, smoothly otherwise. Focus stays on
  // the card, so arrow keys keep moving through the integrations.
  useEffect(() => {
    if (selectedId) {
      startPanel.current?.scrollIntoView?.({
        block: "nearest",
        behavior: prefersReducedMotion() ? "auto" : "smooth",
      });
    }
  }, [selectedId]);

  useEffect(() => {
    if (attempt === 0 && ready) {
      if (ready.length > 0) keepProfileCount(ready.length);
      return;
    }
    let current = true;
    (attempt === 0 && prefetched ? prefetched : listProfiles()).then(
      (loaded) => {
        if (!current) return;
        setProfiles({ status: "loaded", profiles: loaded });
        if (loaded.length > 0) keepProfileCount(loaded.length);
      },
      (cause: unknown) => {
        if (current) {
          setProfiles({ status: "failed" });
          failure.show(cause, retry);
        }
      },
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  const retry = () => {
    setProfiles({ status: "loading" });
    setAttempt((n) => n + 1);
  };

  const select = (profile: ProfileSummary) => {
    if (profile.id !== selectedId) {
      setSelectedId(profile.id);
    }
  };

  const selected =
    profiles.status === "loaded" ? profiles.profiles.find((profile) => profile.id === selectedId) : undefined;

  return (
    <section data-testid="start-screen" aria-labelledby={headingId} className={styles.screen}>
      <div className={styles.intro}>
        <Title3 as="h2" id={headingId} className={styles.heading}>
          Choose the integration to set up
        </Title3>
        <Body1 as="p" className={styles.hint}>
          Each card shows what the integration needs from you: the admin roles to sign in with, the
          licences, about how long it takes and how many checks the wizard runs against your tenant.
        </Body1>
      </div>

      {profiles.status === "loading" && (
        <ProfileListSkeleton count={keptProfileCount()} label="Loading integrations…" />
      )}

      {profiles.status === "failed" && <FailureBar notice={failure.notice} testId="profiles-error" />}

      {profiles.status === "loaded" && profiles.profiles.length === 0 && (
        <MessageBar intent="info" layout="multiline" data-testid="profiles-empty">
          <MessageBarBody>
            <MessageBarTitle>No integrations are available.</MessageBarTitle> The app found no
            integration profiles to offer.
          </MessageBarBody>
          <MessageBarActions>
            <Button icon={<ArrowClockwiseRegular />} onClick={retry}>
              Retry
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}

      {profiles.status === "loaded" && profiles.profiles.length > 0 && (
        <ProfileList
          profiles={profiles.profiles}
          selectedId={selectedId}
          onSelect={select}
          labelledBy={headingId}
          onIntent={preloadWizard}
        />
      )}

      {selected && (
        <div className={styles.start} data-testid="start-panel" ref={startPanel}>
          <Button
            appearance="primary"
            icon={<ArrowRightRegular />}
            iconPosition="after"
            aria-describedby={nextStepId}
            data-testid="start-button"
            disabled={starting}
            onClick={() => onStart?.(selected.id, false)}
          >
            Start
          </Button>
          <Button
            icon={<BeakerRegular />}
            data-testid="demo-button"
            disabled={starting}
            onClick={() => onStart?.(selected.id, true)}
          >
            Rehearse on a demo tenant
          </Button>
          <Body1 id={nextStepId}>
            The wizard takes you through {selected.title} step by step and checks each step live.
          </Body1>
        </div>
      )}
    </section>
  );
}

/** Whether the system asks for less motion (`prefers-reduced-motion: reduce`). */
export function prefersReducedMotion(): boolean {
  return window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
}


/** @jsxImportSource preact */
/**
 * The first screen: the reminders due, opening a saved bundle, and the integrations the app can
 * set up — the shell's profiles, one card each. Selecting a card offers to start its wizard
 * against the admin's tenant, or to rehearse it on the demo tenant.
 */
import { useEffect, useId, useRef, useState } from "preact/hooks";
import { listProfiles } from "../ipc";
import type { ProfileSummary, WizardView } from "../ipc";
import { DEMO_SCENARIO } from "../navigation";
import type { ShownFailure, StartView } from "../navigation";
import { DueBanner } from "./DueBanner";
import { FailureNotice } from "./FailureNotice";
import { Icon } from "./Icon";
import { MessageBar } from "./MessageBar";
import { OpenBundle } from "./OpenBundle";
import { ProfileList, ProfileListSkeleton } from "./ProfileList";

type Profiles = { status: "loading" } | { status: "failed" } | { status: "loaded"; profiles: ProfileSummary[] };

export interface StartScreenProps {
  view: StartView;
  /** Start the wizard for a profile; `demo` rehearses it on the demo tenant. */
  onStart: (profileId: string, demo: boolean) => void;
  /** Whether a start is under way (the buttons wait). */
  starting: boolean;
  /** The failure the screen shows above everything (a start that failed, or one it came back with). */
  failure: ShownFailure | null;
  onDismissFailure: () => void;
  /** A notice about progress set aside when the app opened. */
  notice: string | null;
  onOpenReminders: () => void;
  onOpened: (view: WizardView) => void | Promise<void>;
  /** The admin is about to open the wizard or the reminders: their code can load. */
  onWizardIntent: () => void;
  onRemindersIntent: () => void;
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

/** Whether the system asks for less motion (`prefers-reduced-motion: reduce`). */
export function prefersReducedMotion(): boolean {
  return window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
}

export function StartScreen(props: StartScreenProps) {
  const { view, onStart, starting, failure, onDismissFailure, notice } = props;
  const headingId = useId();
  const nextStepId = useId();
  const [profiles, setProfiles] = useState<Profiles>(
    view.ready ? { status: "loaded", profiles: view.ready } : { status: "loading" },
  );
  const [attempt, setAttempt] = useState(0);
  const [listFailure, setListFailure] = useState<ShownFailure | null>(null);
  const [selectedId, setSelectedId] = useState<string>();
  const startPanel = useRef<HTMLDivElement>(null);
  // The Start buttons sit under the cards: bring them into view once a card is chosen — at once
  // for an admin who asked their system for less motion, smoothly otherwise. Focus stays on the
  // card, so arrow keys keep moving through the integrations.
  useEffect(() => {
    if (selectedId) {
      startPanel.current?.scrollIntoView?.({ block: "nearest", behavior: prefersReducedMotion() ? "auto" : "smooth" });
    }
  }, [selectedId]);

  const retry = () => {
    setListFailure(null);
    setProfiles({ status: "loading" });
    setAttempt((n) => n + 1);
  };

  useEffect(() => {
    if (attempt === 0 && view.ready) {
      if (view.ready.length > 0) keepProfileCount(view.ready.length);
      return;
    }
    let current = true;
    (attempt === 0 && view.profiles ? view.profiles : listProfiles()).then(
      (loaded) => {
        if (!current) return;
        setProfiles({ status: "loaded", profiles: loaded });
        if (loaded.length > 0) keepProfileCount(loaded.length);
      },
      (cause: unknown) => {
        if (!current) return;
        setProfiles({ status: "failed" });
        setListFailure({ cause, retry });
      },
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  const selected = profiles.status === "loaded" ? profiles.profiles.find((profile) => profile.id === selectedId) : undefined;

  return (
    <>
      <FailureNotice failure={failure} testId="start-error" onDismiss={onDismissFailure} />
      {notice && (
        <MessageBar intent="warning" testId="progress-set-aside">
          {notice}
        </MessageBar>
      )}
      <DueBanner initial={view.due} onOpenReminders={props.onOpenReminders} onIntent={props.onRemindersIntent} />
      <OpenBundle demoScenario={DEMO_SCENARIO} onOpened={props.onOpened} onIntent={props.onWizardIntent} />
      <section data-testid="start-screen" aria-labelledby={headingId} class="column">
        <div class="intro">
          <h2 id={headingId} class="title3">
            Choose the integration to set up
          </h2>
          <p class="body1 secondary">
            Each card shows what the integration needs from you: the admin roles to sign in with, the licences,
            about how long it takes and how many checks the wizard runs against your tenant.
          </p>
        </div>

        {profiles.status === "loading" && <ProfileListSkeleton count={keptProfileCount()} label="Loading integrations…" />}

        {profiles.status === "failed" && (
          <FailureNotice failure={listFailure} testId="profiles-error" onDismiss={() => setListFailure(null)} />
        )}

        {profiles.status === "loaded" && profiles.profiles.length === 0 && (
          <MessageBar
            intent="info"
            testId="profiles-empty"
            title="No integrations are available."
            actions={
              <button type="button" class="button" onClick={retry}>
                <Icon name="ArrowClockwiseRegular" class="button-icon" />
                Retry
              </button>
            }
          >
            The app found no integration profiles to offer.
          </MessageBar>
        )}

        {profiles.status === "loaded" && profiles.profiles.length > 0 && (
          <ProfileList
            profiles={profiles.profiles}
            selectedId={selectedId}
            onSelect={(profile) => setSelectedId(profile.id)}
            labelledBy={headingId}
            onIntent={props.onWizardIntent}
          />
        )}

        {selected && (
          <div class="panel start-panel" data-testid="start-panel" ref={startPanel}>
            <button
              type="button"
              class="button button-primary"
              aria-describedby={nextStepId}
              data-testid="start-button"
              disabled={starting}
              onClick={() => onStart(selected.id, false)}
            >
              Start
              <Icon name="ArrowRightRegular" class="button-icon" />
            </button>
            <button
              type="button"
              class="button"
              data-testid="demo-button"
              disabled={starting}
              onClick={() => onStart(selected.id, true)}
            >
              <Icon name="BeakerRegular" class="button-icon" />
              Rehearse on a demo tenant
            </button>
            <span id={nextStepId} class="body1">
              The wizard takes you through {selected.title} step by step and checks each step live.
            </span>
          </div>
        )}
      </section>
    </>
  );
}

/**
 * The app shell: Fluent theme (following the system's light/dark preference unless the admin
 * chose one), the page landmarks (header and main) and the choice of which screen is shown. A
 * setup under way opens on the step it was left on.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { FluentProvider, MessageBar, MessageBarBody, makeStyles, tokens, webDarkTheme } from "@fluentui/react-components";
import { AppHeader } from "./components/AppHeader";
import { FailureBar } from "./components/FailureBar";
import { FailureOffersContext, useFailure } from "./hooks/useFailure";
import type { ScreenOffers } from "./hooks/useFailure";
import { goToStep, listProfiles, resumeWizard, startWizard } from "./ipc";
import type { ProfileSummary, WizardView } from "./ipc";
import { StartScreen } from "./screens/StartScreen";
import { DueBanner, readDueAlerts } from "./components/DueBanner";
import type { DueAlerts } from "./components/DueBanner";
import { PanelSkeleton, ScreenSkeleton } from "./components/Placeholder";
import { Deferred, openBundlePanel, preloadWizard, remindersScreen, troubleshootScreen, whenIdle, wizardScreen } from "./lazy";
import { useChosenTheme } from "./theme";

/** The screens the app can show. */
type Screen =
  | { name: "loading" }
  | {
      name: "start";
      /** The reminders due, read before the screen showed (its banner is there from the first paint). */
      due?: DueAlerts;
      /** The profiles, asked for beside the other reads. */
      profiles?: Promise<ProfileSummary[]>;
      /** The profiles, when they came in time for the screen's first paint (no skeletons then). */
      ready?: ProfileSummary[];
    }
  | { name: "wizard"; view: WizardView }
  | { name: "troubleshoot"; back: Screen }
  | { name: "reminders" };

/** How long the start screen waits for the due reminders before showing without them (they then load in it). */
const DUE_WAIT_MS = 1000;
/** How long it waits for the profiles before showing their skeletons instead. */
const PROFILES_WAIT_MS = 200;

/** `promise`'s value, or undefined if it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = window.setTimeout(() => resolve(undefined), ms);
    void promise.then((value) => {
      window.clearTimeout(timer);
      resolve(value);
    });
  });
}

/**
 * What the start screen shows from its first paint, read at once and side by side: the due
 * reminders (the banner above the cards), the open-bundle panel's chunk, and the profiles (the
 * cards' skeletons hold their place if these come later than a moment).
 */
async function prepareStart(): Promise<Screen> {
  const profiles = listProfiles();
  // The start screen handles a failure; this only keeps it from being reported as unhandled.
  profiles.catch(() => {});
  const [due, ready] = await Promise.all([
    within(readDueAlerts(), DUE_WAIT_MS),
    within(
      profiles.catch(() => undefined),
      PROFILES_WAIT_MS,
    ),
    openBundlePanel.preload().catch(() => {}),
  ]);
  return { name: "start", due, profiles, ready };
}

/** Load the chunk of the screen about to show, so it shows whole rather than as a skeleton. */
function preloadFor(screen: Screen): Promise<void> {
  const part =
    screen.name === "wizard"
      ? wizardScreen
      : screen.name === "reminders"
        ? remindersScreen
        : screen.name === "troubleshoot"
          ? troubleshootScreen
          : undefined;
  // A chunk that fails to load is tried again when the screen renders.
  return part ? part.preload().catch(() => {}) : Promise.resolve();
}

/**
 * The screen the app opens on — the setup under way, or the start screen with its reads done —
 * and the notice about progress set aside, asked for before React first renders (main.tsx) so
 * that the first render is already the screen's final layout. Undefined when the reads failed:
 * the app then starts as usual and shows the failure.
 */
export interface FirstScreen {
  screen: Screen;
  notice: string | null;
}

/** Decide the first screen (see {@link FirstScreen}); never rejects. */
export async function firstScreen(): Promise<FirstScreen | undefined> {
  try {
    const start = prepareStart();
    const resumed = await resumeWizard();
    const screen: Screen = resumed.view ? { name: "wizard", view: resumed.view } : await start;
    await preloadFor(screen);
    return { screen, notice: resumed.set_aside ?? null };
  } catch {
    return undefined;
  }
}

/** The demo tenant's healthy scenario, where every integration can be created. */
const DEMO_SCENARIO = "contoso";

const useStyles = makeStyles({
  root: {
    minHeight: "100%",
    display: "flex",
    flexDirection: "column",
    backgroundColor: tokens.colorNeutralBackground2,
  },
  main: {
    flexGrow: 1,
    boxSizing: "border-box",
    width: "100%",
    maxWidth: "1280px",
    marginInline: "auto",
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalL,
  },
});

export interface AppProps {
  /** The first screen, when it was decided before the first render ({@link firstScreen}). */
  first?: FirstScreen;
}

export function App({ first }: AppProps = {}) {
  const { theme, choice, choose } = useChosenTheme();
  const styles = useStyles();
  const [screen, setScreen] = useState<Screen>(first?.screen ?? { name: "loading" });
  const [starting, setStarting] = useState(false);
  const [notice, setNotice] = useState<string | null>(first?.notice ?? null);
  // Screens are switched to once what they show first is in; the latest switch asked for wins.
  const switches = useRef(0);
  const go = useCallback(async (next: Screen | (() => Promise<Screen>)) => {
    const switched = ++switches.current;
    const target = typeof next === "function" ? await next() : next;
    await preloadFor(target);
    if (switched === switches.current) setScreen(target);
  }, []);
  const toStart = useCallback(() => void go(prepareStart), [go]);
  // The administrator's sign-in, from any screen: the setup under way on its sign-in step.
  const signIn = useCallback(async () => {
    failure.clear();
    try {
      const view = await goToStep("sign_in");
      await go({ name: "wizard", view });
    } catch (cause) {
      failure.show(cause);
    }
  }, []);
  const offers = useMemo<ScreenOffers>(() => ({ startOver: toStart, signIn: () => void signIn() }), [toStart, signIn]);
  const failure = useFailure(offers);

  // Back to the setup under way (or the start screen, prepared beside the resume); a failure
  // is shown, never swallowed.
  const resume = () =>
    go(async () => {
      const start = prepareStart();
      try {
        const resumed = await resumeWizard();
        if (resumed.set_aside) setNotice(resumed.set_aside);
        return resumed.view ? { name: "wizard", view: resumed.view } : await start;
      } catch (cause) {
        failure.show(cause, () => void resume());
        return await start;
      }
    });

  useEffect(() => {
    if (!first) void resume();
  }, []);

  // Once the first screen is up and the page idle, the wizard's chunk loads: opening it is instant.
  const shown = screen.name !== "loading";
  useEffect(() => (shown ? whenIdle(preloadWizard) : undefined), [shown]);

  const start = async (profileId: string, demo: boolean) => {
    setStarting(true);
    failure.clear();
    try {
      const view = await startWizard(profileId, demo ? DEMO_SCENARIO : null);
      await go({ name: "wizard", view });
    } catch (cause) {
      failure.show(cause, () => void start(profileId, demo));
    } finally {
      setStarting(false);
    }
  };

  // Leaving the setup: a failure to forget its progress is shown on the start screen.
  const closed = (cause?: unknown) => {
    toStart();
    if (cause !== undefined) failure.show(cause);
  };

  const Wizard = wizardScreen.Component;
  const Reminders = remindersScreen.Component;
  const Troubleshoot = troubleshootScreen.Component;
  const OpenBundle = openBundlePanel.Component;

  return (
    <FluentProvider theme={theme} className={styles.root} data-theme={theme === webDarkTheme ? "dark" : "light"}>
      <AppHeader
        themeChoice={choice}
        onThemeChoice={choose}
        onTroubleshoot={
          screen.name === "troubleshoot" ? undefined : () => void go({ name: "troubleshoot", back: screen })
        }
        onReminders={screen.name === "reminders" ? undefined : () => void go({ name: "reminders" })}
      />
      <FailureOffersContext.Provider value={offers}>
        <main className={styles.main} aria-busy={screen.name === "loading" || undefined}>
          <FailureBar notice={failure.notice} testId="start-error" />
          {notice && screen.name === "start" && (
            <MessageBar intent="warning" layout="multiline" data-testid="progress-set-aside">
              <MessageBarBody>{notice}</MessageBarBody>
            </MessageBar>
          )}
          {screen.name === "start" && (
            <DueBanner initial={screen.due} onOpenReminders={() => void go({ name: "reminders" })} />
          )}
          {screen.name === "start" && (
            <Deferred placeholder={<PanelSkeleton minHeight="150px" />}>
              <OpenBundle demoScenario={DEMO_SCENARIO} onOpened={(view) => void go({ name: "wizard", view })} />
            </Deferred>
          )}
          {screen.name === "reminders" && (
            <Deferred placeholder={<ScreenSkeleton />}>
              <Reminders
                demoScenario={DEMO_SCENARIO}
                onBack={() => void resume()}
                onRotate={(view) => void go({ name: "wizard", view })}
              />
            </Deferred>
          )}
          {screen.name === "start" && (
            <StartScreen
              onStart={(id, demo) => void start(id, demo)}
              starting={starting}
              profiles={screen.profiles}
              ready={screen.ready}
            />
          )}
          {screen.name === "wizard" && (
            <Deferred placeholder={<ScreenSkeleton />}>
              <Wizard key={screen.view.session} initial={screen.view} onClose={closed} />
            </Deferred>
          )}
          {screen.name === "troubleshoot" && (
            <Deferred placeholder={<ScreenSkeleton />}>
              <Troubleshoot
                integration={
                  screen.back.name === "wizard" ? { profile: screen.back.view.profile, title: screen.back.view.title } : null
                }
                onBack={() => (screen.back.name === "wizard" ? void resume() : toStart())}
              />
            </Deferred>
          )}
        </main>
      </FailureOffersContext.Provider>
    </FluentProvider>
  );
}

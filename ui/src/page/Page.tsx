/** @jsxImportSource preact */
/**
 * The page: the header, and in the main area the start screen (drawn here, without React, so
 * the app is on screen as quickly as a bare window) or a Fluent screen (the wizard, reminders,
 * troubleshoot — loaded when first needed). It owns the way between screens and the theme. A
 * setup under way opens on the step it was left on.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { listProfiles, resumeWizard, startWizard } from "../ipc";
import type { ProfileSummary } from "../ipc";
import { DEMO_SCENARIO } from "../navigation";
import type { HostedView, Navigation, Screen, ShownFailure, StartView } from "../navigation";
import { keepChoice, modeOf, onPrefersDarkChange, prefersDark, storedChoice } from "../theme";
import type { ThemeChoice } from "../theme";
import { readDueAlerts } from "./DueBanner";
import { Header } from "./Header";
import { HostedScreens } from "./HostedScreens";
import { preloadHosted, preloadQuietly } from "./hosted";
import { StartScreen } from "./StartScreen";

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
 * reminders (the banner above the cards) and the profiles (the cards' skeletons hold their
 * place if these come later than a moment).
 */
export async function prepareStart(): Promise<StartView> {
  const profiles = listProfiles();
  // The start screen handles a failure; this only keeps it from being reported as unhandled.
  profiles.catch(() => {});
  const [due, ready] = await Promise.all([
    within(readDueAlerts(), DUE_WAIT_MS),
    within(
      profiles.catch((): ProfileSummary[] | undefined => undefined),
      PROFILES_WAIT_MS,
    ),
  ]);
  return { name: "start", due, profiles, ready };
}

/** Load the code of the screen about to show, so it shows whole rather than as a placeholder. */
function preloadFor(screen: Screen): Promise<void> {
  // A chunk that fails to load is tried again where the screen shows.
  return screen.name === "start" ? Promise.resolve() : preloadHosted(screen.name).catch(() => {});
}

/** The screen the app opens on and the notice about progress set aside, decided before the page first renders. */
export interface FirstScreen {
  screen: Screen;
  notice: string | null;
}

/**
 * The setup under way, or the start screen with its reads done; never rejects (a failure to
 * read the progress is shown on the start screen, with Try again).
 */
export async function firstScreen(): Promise<FirstScreen> {
  const start = prepareStart();
  try {
    const resumed = await resumeWizard();
    const screen: Screen = resumed.view ? { name: "wizard", view: resumed.view } : await start;
    await preloadFor(screen);
    return { screen, notice: resumed.set_aside ?? null };
  } catch (cause) {
    return { screen: { ...(await start), failure: { cause } }, notice: null };
  }
}

export interface PageProps {
  /** The screen to show first. */
  first: FirstScreen;
  /** The first screen decided after the page first showed (the reads took longer than a moment). */
  later?: Promise<FirstScreen>;
}

export function Page({ first, later }: PageProps) {
  const [screen, setScreen] = useState<Screen>(first.screen);
  const [notice, setNotice] = useState<string | null>(first.notice);
  const [starting, setStarting] = useState(false);
  const [choice, setChoice] = useState<ThemeChoice>(storedChoice);
  const [systemDark, setSystemDark] = useState(prefersDark);
  useEffect(() => onPrefersDarkChange(() => setSystemDark(prefersDark())), []);
  const mode = modeOf(choice, systemDark);
  const chooseTheme = (next: ThemeChoice) => {
    setChoice(next);
    keepChoice(next);
  };

  // Screens are switched to once what they show first is in; the latest switch asked for wins.
  const switches = useRef(0);
  const go = useCallback(async (next: Screen | (() => Promise<Screen>)) => {
    const switched = ++switches.current;
    const target = typeof next === "function" ? await next() : next;
    await preloadFor(target);
    if (switched !== switches.current) return;
    if (target.name === "start") setStartFailure(target.failure ?? null);
    setScreen(target);
  }, []);
  const nav = useMemo<Navigation>(() => {
    const toStart = (cause?: unknown) =>
      void go(async () => {
        const start = await prepareStart();
        return cause === undefined ? start : { ...start, failure: { cause } };
      });
    // Back to the setup under way (or the start screen, prepared beside the resume); a failure
    // is shown, never swallowed.
    const resume = () =>
      void go(async () => {
        const start = prepareStart();
        try {
          const resumed = await resumeWizard();
          if (resumed.set_aside) setNotice(resumed.set_aside);
          return resumed.view ? { name: "wizard", view: resumed.view } : await start;
        } catch (cause) {
          return { ...(await start), failure: { cause, retry: resume } };
        }
      });
    return { go, toStart, resume };
  }, [go]);
  // A resume that failed before the page showed is tried again with Try again.
  const resumable = (decided: Screen): ShownFailure | null =>
    decided.name === "start" && decided.failure ? { retry: nav.resume, ...decided.failure } : null;
  const [startFailure, setStartFailure] = useState<ShownFailure | null>(() => resumable(first.screen));

  useEffect(() => {
    if (later) {
      void go(async () => {
        const decided = await later;
        if (decided.notice) setNotice(decided.notice);
        const failure = resumable(decided.screen);
        return decided.screen.name === "start" && failure ? { ...decided.screen, failure } : decided.screen;
      });
    }
  }, []);

  const start = async (profileId: string, demo: boolean) => {
    setStarting(true);
    setStartFailure(null);
    try {
      const view = await startWizard(profileId, demo ? DEMO_SCENARIO : null);
      await go({ name: "wizard", view });
    } catch (cause) {
      setStartFailure({ cause, retry: () => void start(profileId, demo) });
    } finally {
      setStarting(false);
    }
  };

  const hosted: HostedView | null = screen.name === "start" ? null : screen;
  return (
    <div class="page" data-theme={mode}>
      <Header
        themeChoice={choice}
        onThemeChoice={chooseTheme}
        onTroubleshoot={screen.name === "troubleshoot" ? undefined : () => void go({ name: "troubleshoot", back: screen })}
        onReminders={screen.name === "reminders" ? undefined : () => void go({ name: "reminders" })}
        onIntent={preloadQuietly}
      />
      <main class="page-main">
        {screen.name === "start" && (
          <StartScreen
            view={screen}
            onStart={(id, demo) => void start(id, demo)}
            starting={starting}
            failure={startFailure}
            onDismissFailure={() => setStartFailure(null)}
            notice={notice}
            onOpenReminders={() => void go({ name: "reminders" })}
            onOpened={(view) => go({ name: "wizard", view })}
            onWizardIntent={() => preloadQuietly("wizard")}
            onRemindersIntent={() => preloadQuietly("reminders")}
          />
        )}
        {hosted && <HostedScreens view={hosted} mode={mode} nav={nav} />}
      </main>
    </div>
  );
}

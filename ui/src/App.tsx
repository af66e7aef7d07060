/**
 * The app shell: Fluent theme (following the system's light/dark preference unless the admin
 * chose one), the page landmarks (header and main) and the choice of which screen is shown. A
 * setup under way opens on the step it was left on.
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { FluentProvider, MessageBar, MessageBarBody, Spinner, makeStyles, tokens, webDarkTheme } from "@fluentui/react-components";
import { AppHeader } from "./components/AppHeader";
import { FailureBar } from "./components/FailureBar";
import { FailureOffersContext, useFailure } from "./hooks/useFailure";
import type { ScreenOffers } from "./hooks/useFailure";
import { goToStep, resumeWizard, startWizard } from "./ipc";
import type { WizardView } from "./ipc";
import { StartScreen } from "./screens/StartScreen";
import { TroubleshootScreen } from "./screens/TroubleshootScreen";
import { WizardScreen } from "./screens/WizardScreen";
import { RemindersScreen } from "./screens/RemindersScreen";
import { DueBanner } from "./components/DueBanner";
import { OpenBundlePanel } from "./components/OpenBundlePanel";
import { useChosenTheme } from "./theme";

/** The screens the app can show. */
type Screen =
  | { name: "loading" }
  | { name: "start" }
  | { name: "wizard"; view: WizardView }
  | { name: "troubleshoot"; back: Screen }
  | { name: "reminders" };

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

export function App() {
  const { theme, choice, choose } = useChosenTheme();
  const styles = useStyles();
  const [screen, setScreen] = useState<Screen>({ name: "loading" });
  const [starting, setStarting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const toStart = useCallback(() => setScreen({ name: "start" }), []);
  // The administrator's sign-in, from any screen: the setup under way on its sign-in step.
  const signIn = useCallback(async () => {
    failure.clear();
    try {
      setScreen({ name: "wizard", view: await goToStep("sign_in") });
    } catch (cause) {
      failure.show(cause);
    }
  }, []);
  const offers = useMemo<ScreenOffers>(() => ({ startOver: toStart, signIn: () => void signIn() }), [toStart, signIn]);
  const failure = useFailure(offers);

  // Back to the setup under way (or the start screen); a failure is shown, never swallowed.
  const resume = () =>
    resumeWizard().then(
      (resumed) => {
        if (resumed.set_aside) setNotice(resumed.set_aside);
        setScreen(resumed.view ? { name: "wizard", view: resumed.view } : { name: "start" });
      },
      (cause: unknown) => {
        failure.show(cause, () => void resume());
        setScreen({ name: "start" });
      },
    );

  useEffect(() => {
    void resume();
  }, []);

  const start = async (profileId: string, demo: boolean) => {
    setStarting(true);
    failure.clear();
    try {
      const view = await startWizard(profileId, demo ? DEMO_SCENARIO : null);
      setScreen({ name: "wizard", view });
    } catch (cause) {
      failure.show(cause, () => void start(profileId, demo));
    } finally {
      setStarting(false);
    }
  };

  // Leaving the setup: a failure to forget its progress is shown on the start screen.
  const closed = (cause?: unknown) => {
    setScreen({ name: "start" });
    if (cause !== undefined) failure.show(cause);
  };

  return (
    <FluentProvider theme={theme} className={styles.root} data-theme={theme === webDarkTheme ? "dark" : "light"}>
      <AppHeader
        themeChoice={choice}
        onThemeChoice={choose}
        onTroubleshoot={
          screen.name === "troubleshoot" ? undefined : () => setScreen({ name: "troubleshoot", back: screen })
        }
        onReminders={screen.name === "reminders" ? undefined : () => setScreen({ name: "reminders" })}
      />
      <FailureOffersContext.Provider value={offers}>
        <main className={styles.main}>
          <FailureBar notice={failure.notice} testId="start-error" />
          {notice && screen.name === "start" && (
            <MessageBar intent="warning" layout="multiline" data-testid="progress-set-aside">
              <MessageBarBody>{notice}</MessageBarBody>
            </MessageBar>
          )}
          {screen.name === "loading" && <Spinner label="Opening…" />}
          {screen.name === "start" && <DueBanner onOpenReminders={() => setScreen({ name: "reminders" })} />}
          {screen.name === "start" && (
            <OpenBundlePanel demoScenario={DEMO_SCENARIO} onOpened={(view) => setScreen({ name: "wizard", view })} />
          )}
          {screen.name === "reminders" && (
            <RemindersScreen
              demoScenario={DEMO_SCENARIO}
              onBack={() => void resume()}
              onRotate={(view) => setScreen({ name: "wizard", view })}
            />
          )}
          {screen.name === "start" && <StartScreen onStart={(id, demo) => void start(id, demo)} starting={starting} />}
          {screen.name === "wizard" && (
            <WizardScreen key={screen.view.session} initial={screen.view} onClose={closed} />
          )}
          {screen.name === "troubleshoot" && (
            <TroubleshootScreen
              integration={screen.back.name === "wizard" ? { profile: screen.back.view.profile, title: screen.back.view.title } : null}
              onBack={() =>
                screen.back.name === "wizard"
                  ? void resume()
                  : setScreen({ name: "start" })
              }
            />
          )}
        </main>
      </FailureOffersContext.Provider>
    </FluentProvider>
  );
}

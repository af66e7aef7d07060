/**
 * The Fluent screens — the wizard, reminders and troubleshoot — as a React root the page mounts
 * in its main area when one is opened (React and Fluent UI load then, not at launch). The page
 * owns the way between screens and the theme; this draws the screen it is given, in Fluent's
 * theme, and offers every failure inside it the administrator's sign-in and the way back to the
 * start screen.
 */
import { StrictMode, useCallback, useMemo } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { FluentProvider, makeStyles, tokens, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { FailureBar } from "../components/FailureBar";
import { ScreenSkeleton } from "../components/Placeholder";
import { FailureOffersContext, useFailure } from "../hooks/useFailure";
import type { ScreenOffers } from "../hooks/useFailure";
import { goToStep } from "../ipc";
import { Deferred, remindersScreen, troubleshootScreen, wizardScreen } from "../lazy";
import { DEMO_SCENARIO } from "../navigation";
import type { HostedView, Navigation } from "../navigation";
import type { ThemeMode } from "../theme";

export interface ScreensProps {
  view: HostedView;
  mode: ThemeMode;
  nav: Navigation;
}

/** A mounted root: render it again with new props, or take it away. */
export interface ScreensRoot {
  render: (props: ScreensProps) => void;
  unmount: () => void;
}

/** Mount the screens into `element`; each render is in the page before the browser paints. */
export function mountScreens(element: HTMLElement): ScreensRoot {
  const root = createRoot(element);
  return {
    render: (props) =>
      flushSync(() =>
        root.render(
          <StrictMode>
            <Screens {...props} />
          </StrictMode>,
        ),
      ),
    unmount: () => root.unmount(),
  };
}

/** Load a screen's chunk; resolves when it can render without a placeholder. */
export function preloadScreen(screen: HostedView["name"]): Promise<void> {
  const part = screen === "wizard" ? wizardScreen : screen === "reminders" ? remindersScreen : troubleshootScreen;
  return part.preload();
}

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalL,
    backgroundColor: "transparent",
  },
});

function Screens({ view, mode, nav }: ScreensProps) {
  const styles = useStyles();
  // The administrator's sign-in, from any screen: the setup under way on its sign-in step.
  const signIn = useCallback(async () => {
    failure.clear();
    try {
      await nav.go({ name: "wizard", view: await goToStep("sign_in") });
    } catch (cause) {
      failure.show(cause);
    }
  }, [nav]);
  const offers = useMemo<ScreenOffers>(() => ({ startOver: () => nav.toStart(), signIn: () => void signIn() }), [nav, signIn]);
  const failure = useFailure(offers);

  const Wizard = wizardScreen.Component;
  const Reminders = remindersScreen.Component;
  const Troubleshoot = troubleshootScreen.Component;
  return (
    <FluentProvider theme={mode === "dark" ? webDarkTheme : webLightTheme} className={styles.root}>
      <FailureOffersContext.Provider value={offers}>
        <FailureBar notice={failure.notice} testId="screen-error" />
        {view.name === "wizard" && (
          <Deferred placeholder={<ScreenSkeleton />}>
            <Wizard key={view.view.session} initial={view.view} onClose={(cause?: unknown) => nav.toStart(cause)} />
          </Deferred>
        )}
        {view.name === "reminders" && (
          <Deferred placeholder={<ScreenSkeleton />}>
            <Reminders
              demoScenario={DEMO_SCENARIO}
              onBack={nav.resume}
              onRotate={(rotated) => void nav.go({ name: "wizard", view: rotated })}
            />
          </Deferred>
        )}
        {view.name === "troubleshoot" && (
          <Deferred placeholder={<ScreenSkeleton />}>
            <Troubleshoot
              integration={view.back.name === "wizard" ? { profile: view.back.view.profile, title: view.back.view.title } : null}
              onBack={() => (view.back.name === "wizard" ? nav.resume() : nav.toStart())}
            />
          </Deferred>
        )}
      </FailureOffersContext.Provider>
    </FluentProvider>
  );
}

/**
 * The wizard: the steps on the left, the current step on the right with its instructions,
 * warnings, inputs and live checks. Entering a step verifies it (when its inputs are there);
 * "Check again" verifies it anew, each check's progress shown as it happens. Every change is
 * saved by the shell at once, so the admin never loses their place.
 */
import { useCallback, useContext, useEffect, useId, useMemo, useRef, useState } from "react";
import {
  Body1,
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowClockwiseRegular, ArrowLeftRegular, ArrowRightRegular, DismissRegular } from "@fluentui/react-icons";
import { IpcFailure, checkStep, closeWizard, goToStep, setInput, setSecret, switchDemo } from "../ipc";
import { FailureBar } from "../components/FailureBar";
import { FailureOffersContext, useFailure } from "../hooks/useFailure";
import type { ScreenOffers } from "../hooks/useFailure";
import type { CheckId, InputField, StepView, WizardStep, WizardView } from "../ipc";
import { CheckList } from "../components/CheckList";
import { DemoBanner } from "../components/DemoBanner";
import { ExternalLink } from "../components/ExternalLink";
import { StepNav } from "../components/StepNav";
import { StepBody } from "../steps/StepBody";
import { exportPanel, whenIdle } from "../lazy";

const useStyles = makeStyles({
  screen: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  layout: {
    display: "grid",
    gridTemplateColumns: "minmax(200px, 250px) minmax(0, 1fr)",
    gap: tokens.spacingHorizontalXXL,
    alignItems: "start",
  },
  aside: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, position: "sticky", top: tokens.spacingVerticalL },
  profile: { color: tokens.colorNeutralForeground2 },
  main: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, minWidth: 0, maxWidth: "820px" },
  header: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  heading: {
    margin: 0,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase600,
    lineHeight: tokens.lineHeightBase600,
    fontWeight: tokens.fontWeightSemibold,
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  purpose: { margin: 0, color: tokens.colorNeutralForeground2 },
  card: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  steps: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  sectionTitle: { margin: 0 },
  warnings: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  footer: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "center" },
  spacer: { flexGrow: 1 },
});

export interface WizardScreenProps {
  initial: WizardView;
  /** The setup was left ("Start over", or none is under way any more); `failure` when its progress could not be forgotten. */
  onClose: (failure?: unknown) => void;
}

export function WizardScreen({ initial, onClose }: WizardScreenProps) {
  const styles = useStyles();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const checksHeading = useId();
  const [view, setView] = useState(initial);
  const [running, setRunning] = useState<CheckId[]>([]);
  const failure = useFailure();
  const inputSeq = useRef(0);
  const flushRef = useRef<() => Promise<unknown>>(() => Promise.resolve());
  const pendingInput = useRef<Promise<unknown>>(Promise.resolve());

  const index = view.steps.findIndex((s) => s.step === view.step);
  const step: StepView = view.steps[Math.max(index, 0)] ?? view.steps[0]!;

  const run = useCallback(async (target: StepView) => {
    if (target.checks.length === 0) return;
    await flushRef.current();
    failure.clear();
    setRunning(target.checks);
    try {
      const next = await checkStep(target.step, (event) => {
        if (event.event === "finished") {
          const result = event.result;
          setRunning((now) => now.filter((id) => id !== result.id));
          setView((now) => ({ ...now, results: [...now.results.filter((r) => r.id !== result.id), result] }));
        }
      });
      setView(next);
    } catch (cause) {
      failure.show(cause, () => void run(target));
    } finally {
      setRunning([]);
    }
  }, []);

  // Entering a step verifies it when its inputs are there.
  const entered = useRef<WizardStep | null>(null);
  useEffect(() => {
    if (entered.current === view.step) return;
    entered.current = view.step;
    headingRef.current?.focus();
    if (step.readiness.ready) void run(step);
  }, [view, step, run]);

  // Inputs are saved a moment after typing pauses, one request at a time, the latest value of
  // each field winning; anything that verifies or moves on waits for the save first.
  const unsaved = useRef(new Map<InputField | "secret", string>());
  const saveTimer = useRef<number | undefined>(undefined);
  const flush = useCallback(() => {
    window.clearTimeout(saveTimer.current);
    saveTimer.current = undefined;
    const saving = pendingInput.current.then(async () => {
      const entries = [...unsaved.current.entries()];
      unsaved.current.clear();
      for (const [field, value] of entries) {
        const seq = ++inputSeq.current;
        try {
          const next = field === "secret" ? await setSecret(value) : await setInput(field, value);
          if (seq === inputSeq.current && unsaved.current.size === 0) setView(next);
        } catch (cause) {
          // The value stays queued (unless typed over meanwhile), so trying again saves it.
          if (!unsaved.current.has(field)) unsaved.current.set(field, value);
          failure.show(cause, () => void flushRef.current());
        }
      }
    });
    pendingInput.current = saving;
    return saving;
  }, []);
  const onInput = useCallback(
    (field: InputField | "secret", value: string) => {
      unsaved.current.set(field, value);
      window.clearTimeout(saveTimer.current);
      saveTimer.current = window.setTimeout(() => void flush(), 250);
    },
    [flush],
  );
  useEffect(() => () => window.clearTimeout(saveTimer.current), []);
  // The summary's export panel loads when the page is next idle, so the summary shows it whole.
  useEffect(() => whenIdle(() => void exportPanel.preload().catch(() => {})), []);
  flushRef.current = flush;

  const goTo = useCallback(async (target: WizardStep) => {
    await flush();
    try {
      setView(await goToStep(target));
    } catch (cause) {
      failure.show(cause, () => void goTo(target));
    }
  }, [flush]);

  const onSwitch = async (scenario: string) => {
    try {
      const next = await switchDemo(scenario);
      entered.current = null;
      setView(next);
    } catch (cause) {
      failure.show(cause, () => void onSwitch(scenario));
    }
  };

  const close = async () => {
    try {
      await closeWizard();
      onClose();
    } catch (cause) {
      // No setup under way is what "Start over" wanted: nothing to say about it.
      onClose(cause instanceof IpcFailure && cause.code === "no_wizard" ? undefined : cause);
    }
  };

  // Inside the wizard, signing in is its own sign-in step; "Start over" and no setup under way
  // go back to the start screen as the app around it says.
  const screen = useContext(FailureOffersContext);
  const offers = useMemo<ScreenOffers>(
    () => ({ ...screen, startOver: screen.startOver ?? (() => onClose()), signIn: () => void goTo("sign_in") }),
    [screen, onClose, goTo],
  );

  const previous = index > 0 ? view.steps[index - 1] : undefined;
  const next = index < view.steps.length - 1 ? view.steps[index + 1] : undefined;

  return (
    <FailureOffersContext.Provider value={offers}>
      <section className={styles.screen} data-testid="wizard-screen" data-step={view.step} aria-label={`Set up ${view.title}`}>
        {view.demo && <DemoBanner scenario={view.demo} onSwitch={(name) => void onSwitch(name)} />}
        <div className={styles.layout}>
          <aside className={styles.aside}>
            <Subtitle2 as="h2" className={styles.sectionTitle}>
              {view.title}
            </Subtitle2>
            <StepNav view={view} onGo={(target) => void goTo(target)} />
            <Button appearance="subtle" icon={<DismissRegular />} onClick={() => void close()} data-testid="close-wizard">
              Start over
            </Button>
          </aside>
          <div className={styles.main}>
            <header className={styles.header}>
              <Text size={200} className={styles.profile}>
                Step {index + 1} of {view.steps.length}
              </Text>
              <h2 ref={headingRef} tabIndex={-1} className={styles.heading} data-testid="step-title">
                {step.title}
              </h2>
              <Body1 as="p" className={styles.purpose}>
                {step.purpose}
              </Body1>
            </header>

            <FailureBar notice={failure.notice} testId="wizard-error" />

            {step.warnings.length > 0 && (
              <MessageBar intent="warning" layout="multiline" data-testid="step-warnings">
                <MessageBarBody>
                  <MessageBarTitle>Watch out</MessageBarTitle>
                  <ul className={styles.warnings}>
                    {step.warnings.map((warning) => (
                      <li key={warning}>{warning}</li>
                    ))}
                  </ul>
                </MessageBarBody>
              </MessageBar>
            )}

            <div className={styles.card}>
              <StepBody
                key={step.step}
                view={view}
                step={step}
                onView={setView}
                onInput={onInput}
                recheck={() => void run(step)}
                running={running}
                goTo={(target) => void goTo(target)}
              />
            </div>

            {step.checks.length > 0 && step.step !== "summary" && (
              <section className={styles.card} aria-labelledby={checksHeading}>
                <Subtitle2 as="h3" id={checksHeading} className={styles.sectionTitle}>
                  Checked live
                </Subtitle2>
                <CheckList
                  checks={step.checks}
                  results={view.results}
                  running={running}
                  onRetry={() => void run(step)}
                  labelledBy={checksHeading}
                />
              </section>
            )}

            {step.instructions.length > 0 && (
              <details className={styles.card} data-testid="instructions">
                <summary>
                  <Subtitle2>{step.step === "summary" ? "In the product" : "Doing it yourself in the admin center"}</Subtitle2>
                </summary>
                <ol className={styles.steps}>
                  {step.instructions.map((line) => (
                    <li key={line}>
                      <Body1>{line}</Body1>
                    </li>
                  ))}
                </ol>
                {step.portal_link && (
                  <div>
                    <ExternalLink href={step.portal_link}>Open the Entra admin center</ExternalLink>
                  </div>
                )}
              </details>
            )}

            <div className={styles.footer}>
              {previous && (
                <Button icon={<ArrowLeftRegular />} onClick={() => void goTo(previous.step)} data-testid="back-button">
                  Back
                </Button>
              )}
              <span className={styles.spacer} />
              {step.checks.length > 0 && (
                <Button
                  icon={<ArrowClockwiseRegular />}
                  disabled={running.length > 0}
                  onClick={() => void run(step)}
                  data-testid="check-again"
                >
                  {running.length > 0 ? "Checking…" : "Check again"}
                </Button>
              )}
              {next && (
                <Button
                  appearance="primary"
                  icon={<ArrowRightRegular />}
                  iconPosition="after"
                  onClick={() => void goTo(next.step)}
                  data-testid="continue-button"
                >
                  Continue to {next.title.toLowerCase()}
                </Button>
              )}
            </div>
          </div>
        </div>
      </section>
    </FailureOffersContext.Provider>
  );
}

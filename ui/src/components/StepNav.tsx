/** The wizard's steps in order, the current one marked, each reachable by keyboard. */
import { Button, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import {
  CheckmarkCircleFilled,
  CircleRegular,
  DismissCircleFilled,
  QuestionCircleRegular,
} from "@fluentui/react-icons";
import type { StepView, WizardStep, WizardView } from "../ipc";

const useStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  button: { justifyContent: "flex-start", width: "100%", textAlign: "left", minHeight: "36px" },
  current: { backgroundColor: tokens.colorSubtleBackgroundSelected, fontWeight: tokens.fontWeightSemibold },
  pass: { color: tokens.colorPaletteGreenForeground1 },
  fail: { color: tokens.colorPaletteRedForeground1 },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** A step's overall state from its checks' latest results. */
export function stepState(view: WizardView, step: StepView): "pass" | "fail" | "unverified" | "open" {
  if (step.step === "sign_in") return view.admin ? "pass" : "open";
  const results = step.checks.map((id) => view.results.find((r) => r.id === id));
  if (results.length === 0 || results.some((r) => !r)) return "open";
  if (results.some((r) => r?.status === "fail")) return "fail";
  if (results.some((r) => r?.status === "unverified")) return "unverified";
  if (results.every((r) => r?.status === "pass" || r?.status === "warn")) return "pass";
  return "open";
}

export function StepNav({ view, onGo }: { view: WizardView; onGo: (step: WizardStep) => void }) {
  const styles = useStyles();
  return (
    <nav aria-label="Wizard steps">
      <ol className={styles.list}>
        {view.steps.map((step, index) => {
          const current = step.step === view.step;
          const state = stepState(view, step);
          const icon =
            state === "pass" ? (
              <CheckmarkCircleFilled className={styles.pass} aria-hidden />
            ) : state === "fail" ? (
              <DismissCircleFilled className={styles.fail} aria-hidden />
            ) : state === "unverified" ? (
              <QuestionCircleRegular className={styles.muted} aria-hidden />
            ) : (
              <CircleRegular className={styles.muted} aria-hidden />
            );
          const stateWord = { pass: "passed", fail: "has a failure", unverified: "could not be checked", open: "" }[state];
          return (
            <li key={step.step}>
              <Button
                appearance="subtle"
                className={mergeClasses(styles.button, current && styles.current)}
                icon={icon}
                aria-current={current ? "step" : undefined}
                aria-label={`Step ${index + 1}: ${step.title}${stateWord ? `, ${stateWord}` : ""}`}
                data-testid={`step-nav-${step.step}`}
                data-state={state}
                onClick={() => onGo(step.step)}
              >
                {index + 1}. {step.title}
              </Button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

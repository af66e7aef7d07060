/** The wizard's steps in order, the current one marked, each reachable by keyboard. */
import { Button, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import type { StepView, WizardStep, WizardView } from "../ipc";
import { column } from "../layout";
import { StatusIcon } from "./StatusIcon";

const useStyles = makeStyles({
  list: { ...column(tokens.spacingVerticalXXS), listStyleType: "none", margin: 0, padding: 0 },
  button: { justifyContent: "flex-start", width: "100%", textAlign: "left", minHeight: "36px" },
  current: { backgroundColor: tokens.colorSubtleBackgroundSelected, fontWeight: tokens.fontWeightSemibold },
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
          const stateWord = { pass: "passed", fail: "has a failure", unverified: "could not be checked", open: "" }[state];
          return (
            <li key={step.step}>
              <Button
                appearance="subtle"
                className={mergeClasses(styles.button, current && styles.current)}
                icon={<StatusIcon status={state} />}
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

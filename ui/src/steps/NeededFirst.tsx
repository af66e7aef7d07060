/** What an action on a step needs first, said plainly, with the button to the step that gives it. */
import { Body1, Button } from "@fluentui/react-components";
import type { WizardStep } from "../ipc";

const GO_TO: Partial<Record<WizardStep, string>> = {
  sign_in: "Go to the sign-in step",
  registration: "Go to the registration step",
};

export interface NeededFirstProps {
  /** The sentence saying what is needed. */
  needs: string;
  /** The step that gives it. */
  step: "sign_in" | "registration";
  goTo: (step: WizardStep) => void;
  testId?: string;
}

export function NeededFirst({ needs, step, goTo, testId }: NeededFirstProps) {
  return (
    <>
      <Body1>{needs}</Body1>
      <div>
        <Button onClick={() => goTo(step)} data-testid={testId}>
          {GO_TO[step]}
        </Button>
      </div>
    </>
  );
}

/** What every step component is given by the wizard screen. */
import type { CheckId, InputField, StepView, WizardView } from "../ipc";

export interface StepProps {
  /** The whole wizard as the shell sees it. */
  view: WizardView;
  /** This step's plan. */
  step: StepView;
  /** Replace the view after a command answered. */
  onView: (view: WizardView) => void;
  /** Save an input as typed. */
  onInput: (field: InputField | "secret", value: string) => void;
  /** Run this step's checks again. */
  recheck: () => void;
  /** The checks running now. */
  running: CheckId[];
  /** Go to another step. */
  goTo: (step: StepView["step"]) => void;
}

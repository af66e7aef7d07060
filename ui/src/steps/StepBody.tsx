/** The component of the step on screen. */
import type { ComponentType } from "react";
import type { WizardStep } from "../ipc";
import type { StepProps } from "./types";
import { SiteStep } from "./SiteStep";
import { TenantStep } from "./TenantStep";
import { SignInStep } from "./SignInStep";
import { RegistrationStep } from "./RegistrationStep";
import { SecretStep } from "./SecretStep";
import { PermissionsStep } from "./PermissionsStep";
import { MailboxStep } from "./MailboxStep";
import { CalendarStep } from "./CalendarStep";
import { SummaryStep } from "./SummaryStep";

/** Each step's component. */
const STEP_COMPONENTS: Record<WizardStep, ComponentType<StepProps>> = {
  site: SiteStep,
  tenant: TenantStep,
  sign_in: SignInStep,
  registration: RegistrationStep,
  secret: SecretStep,
  permissions: PermissionsStep,
  mailbox: MailboxStep,
  calendar: CalendarStep,
  summary: SummaryStep,
};

export function StepBody(props: StepProps) {
  const Step = STEP_COMPONENTS[props.step.step];
  return <Step {...props} />;
}

/** The component of the step on screen. */
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

export function StepBody(props: StepProps) {
  switch (props.step.step) {
    case "site":
      return <SiteStep {...props} />;
    case "tenant":
      return <TenantStep {...props} />;
    case "sign_in":
      return <SignInStep {...props} />;
    case "registration":
      return <RegistrationStep {...props} />;
    case "secret":
      return <SecretStep {...props} />;
    case "permissions":
      return <PermissionsStep {...props} />;
    case "mailbox":
      return <MailboxStep {...props} />;
    case "calendar":
      return <CalendarStep {...props} />;
    case "summary":
      return <SummaryStep {...props} />;
  }
}

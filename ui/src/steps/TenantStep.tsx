/** The tenant, by domain or Directory (tenant) ID; resolved live on "Check again". */
import { WizardInput } from "../components/WizardInput";
import type { StepProps } from "./types";

export function TenantStep({ view, onInput }: StepProps) {
  return (
    <WizardInput
      field="tenant"
      label="Tenant"
      hint="Your Microsoft 365 domain (contoso.com) or the Directory (tenant) ID from the Entra admin center's overview"
      placeholder="contoso.com"
      initial={view.inputs.tenant}
      issues={view.issues}
      onChange={onInput}
      required
    />
  );
}

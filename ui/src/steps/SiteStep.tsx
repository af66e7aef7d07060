/** The product's address, and the redirect URI computed from it with a copy button. */
import { Body1 } from "@fluentui/react-components";
import { CopyField } from "../components/CopyField";
import { WizardInput } from "../components/WizardInput";
import type { StepProps } from "./types";

export function SiteStep({ view, onInput }: StepProps) {
  return (
    <>
      <WizardInput
        field="site_url"
        label={`${view.product}'s address`}
        hint="As users open it, starting with https://"
        placeholder="https://intranet.contoso.com"
        initial={view.inputs.site_url}
        issues={view.issues}
        onChange={onInput}
        required
      />
      {view.redirect_uri ? (
        <CopyField label="Redirect URI (paste it into the registration, exactly)" value={view.redirect_uri} testId="redirect-uri" />
      ) : (
        <Body1>The redirect URI appears here as you type the address.</Body1>
      )}
    </>
  );
}

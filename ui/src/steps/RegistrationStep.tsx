/**
 * The app registration: "create it for me" (with the administrator's sign-in) or "I'll do it in
 * the portal" and paste the Application (client) ID. A vendor's app is only pasted.
 */
import { useState } from "react";
import { Radio, makeStyles, tokens } from "@fluentui/react-components";
import { registerApp } from "../ipc";
import { CopyField } from "../components/CopyField";
import { WizardInput } from "../components/WizardInput";
import { ChoiceGroup } from "./ChoiceGroup";
import { NeededFirst } from "./NeededFirst";
import { RepairButton } from "./RepairButton";
import type { StepProps } from "./types";

const useStyles = makeStyles({
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export function RegistrationStep({ view, onView, onInput, recheck, goTo }: StepProps) {
  const styles = useStyles();
  const vendor = view.kind === "vendor_consent";
  const [mode, setMode] = useState<"create" | "portal">(view.inputs.client_id || vendor ? "portal" : "create");
  const clientInput = (
    <WizardInput
      field="client_id"
      label={vendor ? `${view.product}'s Application (client) ID` : "Application (client) ID"}
      hint="A GUID, from the registration's Overview page"
      placeholder="00000000-0000-0000-0000-000000000000"
      initial={view.inputs.client_id}
      issues={view.issues}
      onChange={onInput}
      required
    />
  );
  if (vendor) return clientInput;
  return (
    <div className={styles.group}>
      <div>
        <ChoiceGroup legend="How do you want to register the app?" value={mode} onChange={setMode}>
          <Radio value="create" label="Create it for me" data-testid="mode-create" />
          <Radio value="portal" label="I'll do it in the portal and paste the client ID" data-testid="mode-portal" />
        </ChoiceGroup>
      </div>
      {mode === "create" && (
        <>
          {view.admin ? (
            <RepairButton
              label={view.inputs.client_id ? "Repair the registration" : "Create the registration"}
              testId="create-registration"
              action={() => registerApp(null)}
              onView={onView}
              after={recheck}
            />
          ) : (
            <NeededFirst needs="Creating the registration needs your administrator sign-in." step="sign_in" goTo={goTo} testId="go-sign-in" />
          )}
          {view.inputs.client_id && <CopyField label="Application (client) ID" value={view.inputs.client_id} testId="client-id-value" />}
        </>
      )}
      {mode === "portal" && (
        <>
          {view.redirect_uri && <CopyField label="Redirect URI (Web platform)" value={view.redirect_uri} />}
          {clientInput}
          {view.admin && view.inputs.client_id && (
            <RepairButton
              appearance="secondary"
              label="Fix the registration for me"
              testId="repair-registration"
              action={() => registerApp(null)}
              onView={onView}
              after={recheck}
            />
          )}
        </>
      )}
    </div>
  );
}

/**
 * The app registration: "create it for me" (with the administrator's sign-in) or "I'll do it in
 * the portal" and paste the Application (client) ID. A vendor's app is only pasted.
 */
import { useId, useState } from "react";
import { Body1, Button, Radio, RadioGroup, makeStyles, tokens } from "@fluentui/react-components";
import { registerApp } from "../ipc";
import { CopyField } from "../components/CopyField";
import { WizardInput } from "../components/WizardInput";
import { RepairButton } from "./RepairButton";
import type { StepProps } from "./types";

const useStyles = makeStyles({
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  legend: { fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS },
});

export function RegistrationStep({ view, onView, onInput, recheck, goTo }: StepProps) {
  const styles = useStyles();
  const legendId = useId();
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
        <Body1 id={legendId} className={styles.legend} as="p">
          How do you want to register the app?
        </Body1>
        <RadioGroup aria-labelledby={legendId} value={mode} onChange={(_, data) => setMode(data.value as "create" | "portal")}>
          <Radio value="create" label="Create it for me" data-testid="mode-create" />
          <Radio value="portal" label="I'll do it in the portal and paste the client ID" data-testid="mode-portal" />
        </RadioGroup>
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
            <>
              <Body1>Creating the registration needs your administrator sign-in.</Body1>
              <div>
                <Button onClick={() => goTo("sign_in")} data-testid="go-sign-in">
                  Go to the sign-in step
                </Button>
              </div>
            </>
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

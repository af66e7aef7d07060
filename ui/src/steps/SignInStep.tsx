/**
 * The administrator's sign-in: optional but recommended. It says what it unlocks, then signs in
 * with a device code shown here (code, copy button, sign-in page), with the public client named
 * and changeable (SignInClientPanel).
 */
import { useState } from "react";
import { Body1, Button, MessageBar, MessageBarBody, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { PersonKeyRegular } from "@fluentui/react-icons";
import { signInAdministrator } from "../ipc";
import type { SignInPrompt } from "../ipc";
import { DeviceCodePrompt } from "../components/DeviceCodePrompt";
import { FailureBar } from "../components/FailureBar";
import { useAction } from "../hooks/useAction";
import { SignInClientPanel } from "../components/SignInClientPanel";
import type { StepProps } from "./types";

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "center" },
});

export function SignInStep({ view, onView }: StepProps) {
  const styles = useStyles();
  const [prompt, setPrompt] = useState<SignInPrompt | null>(null);
  const signIn = useAction(
    async () => {
      setPrompt(null);
      try {
        onView(await signInAdministrator(setPrompt));
      } finally {
        setPrompt(null);
      }
    },
    // On this step, signing in is this step's button.
    { offers: { signIn: () => void signIn.run() } },
  );
  if (view.admin) {
    return (
      <MessageBar intent="success" data-testid="signed-in">
        <MessageBarBody>Signed in as {view.admin}. The wizard can now read and fix the registration for you.</MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <>
      <Body1>Signing in lets the wizard:</Body1>
      <ul className={styles.list}>
        <li>create the app registration and its secret for you;</li>
        <li>check the redirect URI, account type, permissions, admin consent and secret expiry;</li>
        <li>read the mailbox's licence, and fix missing permissions or consent with one click.</li>
      </ul>
      <Body1>Without it, you register the app yourself and the wizard checks only what the app's own credentials show.</Body1>
      <SignInClientPanel client={view.sign_in_client} onView={onView} />
      <div className={styles.row}>
        <Button appearance="primary" icon={<PersonKeyRegular />} disabled={signIn.busy || !view.inputs.tenant || !view.sign_in_client.client_id} onClick={() => void signIn.run()} data-testid="sign-in-button">
          Sign in as administrator
        </Button>
        {signIn.busy && <Spinner size="tiny" label="Waiting for the sign-in…" labelPosition="after" />}
        {!view.inputs.tenant && <Body1>Enter the tenant first.</Body1>}
      </div>
      {prompt && <DeviceCodePrompt prompt={prompt} who="an administrator of the tenant" />}
      <FailureBar notice={signIn.failure.notice} testId="sign-in-error" />
    </>
  );
}

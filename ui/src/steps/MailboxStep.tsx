/**
 * The mailbox: its address and the test email's recipient, the mailbox owner's sign-in when the
 * core says a check acts as them (SMTP AUTH, IMAP, a test email the product does not send as the
 * application), and the Exchange Online PowerShell that turns SMTP AUTH on, to copy.
 */
import { useState } from "react";
import { Body1, Button, MessageBar, MessageBarBody, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { PersonMailRegular } from "@fluentui/react-icons";
import { signInMailboxOwner } from "../ipc";
import type { SignInPrompt } from "../ipc";
import { CopyField } from "../components/CopyField";
import { DeviceCodePrompt } from "../components/DeviceCodePrompt";
import { FailureBar } from "../components/FailureBar";
import { useAction } from "../hooks/useAction";
import { WizardInput } from "../components/WizardInput";
import type { StepProps } from "./types";

const useStyles = makeStyles({
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "center" },
});

export function MailboxStep({ view, step, onView, onInput, recheck }: StepProps) {
  const styles = useStyles();
  const [prompt, setPrompt] = useState<SignInPrompt | null>(null);
  // The core says whether a check of this step acts as the mailbox owner.
  const needsOwner = step.mailbox_owner_signs_in;
  // A sign-in that did not finish is tried again here; one that needs the administrator's
  // sign-in first goes to the wizard's sign-in step.
  const signIn = useAction(async () => {
    try {
      onView(await signInMailboxOwner(setPrompt));
      recheck();
    } finally {
      setPrompt(null);
    }
  });
  return (
    <div className={styles.group}>
      <WizardInput
        field="mailbox"
        label="Mailbox"
        hint={`The licensed user mailbox ${view.product} sends from (not a shared mailbox)`}
        placeholder="intranet@contoso.com"
        initial={view.inputs.mailbox}
        issues={[]}
        onChange={onInput}
        required
      />
      {step.checks.includes("test_email") && (
        <WizardInput
          field="test_recipient"
          label="Send the test email to"
          hint="Preferably yourself"
          placeholder="you@contoso.com"
          initial={view.inputs.test_recipient}
          issues={[]}
          onChange={onInput}
        />
      )}
      {needsOwner &&
        (view.mailbox_owner ? (
          <MessageBar intent="success" data-testid="mailbox-signed-in">
            <MessageBarBody>Signed in as the mailbox owner, {view.mailbox_owner}.</MessageBarBody>
          </MessageBar>
        ) : (
          <>
            <Body1>SMTP AUTH and the test email are checked as the mailbox owner: they sign in once.</Body1>
            <div className={styles.row}>
              <Button
                icon={<PersonMailRegular />}
                disabled={signIn.busy || !view.inputs.mailbox}
                onClick={() => void signIn.run()}
                data-testid="mailbox-sign-in-button"
              >
                Sign in as the mailbox owner
              </Button>
              {signIn.busy && <Spinner size="tiny" label="Waiting for the sign-in…" labelPosition="after" />}
            </div>
          </>
        ))}
      {prompt && <DeviceCodePrompt prompt={prompt} who={`the mailbox owner, ${view.inputs.mailbox}`} />}
      <FailureBar notice={signIn.failure.notice} testId="mailbox-sign-in-error" />
      {view.powershell && (
        <CopyField label="Exchange Online PowerShell to turn SMTP AUTH on" value={view.powershell} testId="powershell" />
      )}
    </div>
  );
}

/**
 * The client secret: "create it for me" with a lifetime within the profile's limit, or paste
 * the value — the secret ID pasted by mistake is caught as it is pasted. The value stays in the
 * app's memory only; a created one can be shown once, on request.
 *
 * Where the product takes a certificate too (the shell offers the choice), the admin chooses a
 * client secret or a certificate first; with a certificate the step is the {@link CertificatePanel}.
 */
import { useState } from "react";
import { Body1, Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Radio, makeStyles, tokens } from "@fluentui/react-components";
import { EyeRegular } from "@fluentui/react-icons";
import { createSecret, revealSecret, setCredential } from "../ipc";
import type { CredentialType } from "../ipc";
import { CopyField } from "../components/CopyField";
import { FailureBar } from "../components/FailureBar";
import { useAction } from "../hooks/useAction";
import { KeptSecretButton } from "../components/KeptSecretButton";
import { IssueList } from "../components/IssueList";
import { CertificatePanel } from "./CertificatePanel";
import { ChoiceGroup } from "./ChoiceGroup";
import { CreateCredential } from "./CreateCredential";
import { longDate } from "./longDate";
import type { StepProps } from "./types";

const useStyles = makeStyles({
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export function SecretStep({ view, onView, onInput, recheck, goTo }: StepProps) {
  const styles = useStyles();
  const secret = view.secret;
  const [mode, setMode] = useState<"create" | "paste">(view.admin ? "create" : "paste");
  const [pasted, setPasted] = useState("");
  const [revealed, setRevealed] = useState<string | null>(null);
  const reveal = useAction(async () => setRevealed(await revealSecret()));

  const paste = (value: string) => {
    setPasted(value);
    onInput("secret", value);
  };
  const pastedError = secret.issues.some((i) => i.severity === "error");

  if (secret.credential === "certificate") {
    return (
      <div className={styles.group}>
        <CredentialChoice view={view} onView={onView} recheck={recheck} />
        <CertificatePanel view={view} onView={onView} recheck={recheck} goTo={goTo} />
      </div>
    );
  }

  return (
    <div className={styles.group}>
      <CredentialChoice view={view} onView={onView} recheck={recheck} />
      <Body1>{secret.advice}</Body1>
      <KeptSecretButton onView={onView} held={secret.held} />
      {secret.created_hint && (
        <MessageBar intent="success" layout="multiline" data-testid="secret-created">
          <MessageBarBody>
            <MessageBarTitle>A new secret was created for you.</MessageBarTitle>
            It starts with {secret.created_hint}… and expires on{" "}
            {secret.created_expires ? longDate(secret.created_expires) : "its end date"}. The app keeps it in
            memory only: copy it into {view.product} now.
          </MessageBarBody>
        </MessageBar>
      )}
      {secret.created_hint && secret.can_reveal && !revealed && (
        <div>
          <Button icon={<EyeRegular />} onClick={() => void reveal.run()} data-testid="reveal-secret">
            Show the value once
          </Button>
        </div>
      )}
      {revealed && <CopyField label="Client secret value (shown once)" value={revealed} testId="secret-value" />}

      <div>
        <ChoiceGroup legend={secret.held ? "Replace the secret" : "Where does the secret come from?"} value={mode} onChange={setMode}>
          <Radio value="create" label="Create a new secret for me" data-testid="secret-mode-create" />
          <Radio value="paste" label="I'll paste the secret's value" data-testid="secret-mode-paste" />
        </ChoiceGroup>
      </div>
      {mode === "create" && (
        <CreateCredential
          view={view}
          recheck={recheck}
          goTo={goTo}
          credential="secret"
          label="Create the secret"
          create={createSecret}
          onView={(next) => {
            setRevealed(null);
            onView(next);
          }}
        />
      )}
      {mode === "paste" && (
        <Field
          label="Client secret value"
          hint="The Value column under Certificates & secrets — not the Secret ID"
          validationState={pastedError ? "error" : "none"}
        >
          <Input
            type="password"
            value={pasted}
            autoComplete="off"
            spellCheck={false}
            data-testid="secret-input"
            onChange={(_, data) => paste(data.value)}
            onBlur={() => {
              if (pasted && !pastedError) recheck();
            }}
          />
          <IssueList issues={secret.issues} testId="issues-secret" />
        </Field>
      )}
      <FailureBar notice={reveal.failure.notice} testId="reveal-secret-error" />
    </div>
  );
}

const CREDENTIAL_LABELS: Record<CredentialType, string> = {
  secret: "A client secret (a password the product keeps)",
  certificate: "A certificate (its private key stays in your OS keychain)",
};

/** What the app proves itself with, when the product takes more than a client secret; nothing otherwise. */
function CredentialChoice({ view, onView, recheck }: Pick<StepProps, "view" | "onView" | "recheck">) {
  const choose = useAction(async (credential: CredentialType) => {
    onView(await setCredential(credential));
    recheck();
  });
  const offered = view.secret.credentials;
  if (offered.length < 2) return null;
  return (
    <div data-testid="credential-choice">
      <ChoiceGroup
        legend={<>What does {view.product} prove the app's identity with?</>}
        value={view.secret.credential}
        onChange={(credential) => void choose.run(credential)}
      >
        {offered.map((credential) => (
          <Radio key={credential} value={credential} label={CREDENTIAL_LABELS[credential]} data-testid={`credential-${credential}`} />
        ))}
      </ChoiceGroup>
      <FailureBar notice={choose.failure.notice} testId="credential-choice-error" />
    </div>
  );
}

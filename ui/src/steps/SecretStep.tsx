/**
 * The client secret: "create it for me" with a lifetime within the profile's limit, or paste
 * the value — the secret ID pasted by mistake is caught as it is pasted. The value stays in the
 * app's memory only; a created one can be shown once, on request.
 *
 * Where the product takes a certificate too (the shell offers the choice), the admin chooses a
 * client secret or a certificate first; with a certificate the step is the {@link CertificatePanel}.
 */
import { useId, useState } from "react";
import {
  Body1,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { EyeRegular } from "@fluentui/react-icons";
import { createSecret, revealSecret, setCredential } from "../ipc";
import type { CredentialType } from "../ipc";
import { CopyField } from "../components/CopyField";
import { FailureBar } from "../components/FailureBar";
import { useFailure } from "../hooks/useFailure";
import { KeptSecretButton } from "../components/KeptSecretButton";
import { IssueList } from "../components/IssueList";
import { CertificatePanel } from "./CertificatePanel";
import { RepairButton } from "./RepairButton";
import type { StepProps } from "./types";

const useStyles = makeStyles({
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  legend: { fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end" },
});

/** The Select's value for the custom end date. */
const CUSTOM = "custom";

export function SecretStep({ view, onView, onInput, recheck, goTo }: StepProps) {
  const styles = useStyles();
  const legendId = useId();
  const secret = view.secret;
  const [mode, setMode] = useState<"create" | "paste">(view.admin ? "create" : "paste");
  const [lifetime, setLifetime] = useState(String(secret.default_days));
  const [until, setUntil] = useState("");
  const [pasted, setPasted] = useState("");
  const [revealed, setRevealed] = useState<string | null>(null);
  const failure = useFailure();

  const paste = (value: string) => {
    setPasted(value);
    onInput("secret", value);
  };
  const reveal = async () => {
    failure.clear();
    try {
      setRevealed(await revealSecret());
    } catch (cause) {
      failure.show(cause, () => void reveal());
    }
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
            {secret.created_expires ? new Date(secret.created_expires).toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" }) : "its end date"}. The app keeps it in
            memory only: copy it into {view.product} now.
          </MessageBarBody>
        </MessageBar>
      )}
      {secret.created_hint && secret.can_reveal && !revealed && (
        <div>
          <Button icon={<EyeRegular />} onClick={() => void reveal()} data-testid="reveal-secret">
            Show the value once
          </Button>
        </div>
      )}
      {revealed && <CopyField label="Client secret value (shown once)" value={revealed} testId="secret-value" />}

      <div>
        <Body1 id={legendId} className={styles.legend} as="p">
          {secret.held ? "Replace the secret" : "Where does the secret come from?"}
        </Body1>
        <RadioGroup aria-labelledby={legendId} value={mode} onChange={(_, data) => setMode(data.value as "create" | "paste")}>
          <Radio value="create" label="Create a new secret for me" data-testid="secret-mode-create" />
          <Radio value="paste" label="I'll paste the secret's value" data-testid="secret-mode-paste" />
        </RadioGroup>
      </div>
      {mode === "create" &&
        (view.admin && view.inputs.client_id ? (
          <div className={styles.row}>
            <Field label="Expires" hint={`At most ${secret.max_days} days for this integration`}>
              <Select value={lifetime} onChange={(_, data) => setLifetime(data.value)} data-testid="secret-days">
                {secret.choices.map((choice) => (
                  <option key={choice.days} value={String(choice.days)}>
                    {choice.default ? `${choice.label} — recommended here` : choice.label}
                  </option>
                ))}
                <option value={CUSTOM}>Custom end date</option>
              </Select>
            </Field>
            {lifetime === CUSTOM && (
              <Field label="End date">
                <Input type="date" value={until} onChange={(_, data) => setUntil(data.value)} data-testid="secret-until" />
              </Field>
            )}
            <RepairButton
              label="Create the secret"
              testId="create-secret"
              action={() => (lifetime === CUSTOM ? createSecret(null, until) : createSecret(Number(lifetime)))}
              onView={(next) => {
                setRevealed(null);
                onView(next);
              }}
              after={recheck}
            />
          </div>
        ) : (
          <>
            <Body1>Creating a secret needs your administrator sign-in and the app's client ID.</Body1>
            <div>
              <Button onClick={() => goTo(view.admin ? "registration" : "sign_in")}>
                {view.admin ? "Go to the registration step" : "Go to the sign-in step"}
              </Button>
            </div>
          </>
        ))}
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
      <FailureBar notice={failure.notice} testId="reveal-secret-error" />
    </div>
  );
}

const CREDENTIAL_LABELS: Record<CredentialType, string> = {
  secret: "A client secret (a password the product keeps)",
  certificate: "A certificate (its private key stays in your OS keychain)",
};

/** What the app proves itself with, when the product takes more than a client secret; nothing otherwise. */
function CredentialChoice({ view, onView, recheck }: Pick<StepProps, "view" | "onView" | "recheck">) {
  const styles = useStyles();
  const legendId = useId();
  const failure = useFailure();
  const offered = view.secret.credentials;
  if (offered.length < 2) return null;
  const choose = async (credential: CredentialType) => {
    failure.clear();
    try {
      onView(await setCredential(credential));
      recheck();
    } catch (cause) {
      failure.show(cause, () => void choose(credential));
    }
  };
  return (
    <div data-testid="credential-choice">
      <Body1 id={legendId} className={styles.legend} as="p">
        What does {view.product} prove the app's identity with?
      </Body1>
      <RadioGroup
        aria-labelledby={legendId}
        value={view.secret.credential}
        onChange={(_, data) => void choose(data.value as CredentialType)}
      >
        {offered.map((credential) => (
          <Radio key={credential} value={credential} label={CREDENTIAL_LABELS[credential]} data-testid={`credential-${credential}`} />
        ))}
      </RadioGroup>
      <FailureBar notice={failure.notice} testId="credential-choice-error" />
    </div>
  );
}

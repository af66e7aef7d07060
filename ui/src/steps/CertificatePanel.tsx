/**
 * The credential step with a certificate chosen: "create it for me" with a lifetime within the
 * profile's limit (the shell makes a self-signed certificate, keeps its private key in the OS
 * keychain and uploads only its public part), or the certificate the keychain keeps; the one in
 * use is shown by its thumbprint and end date — its key never reaches the UI.
 */
import { useEffect, useState } from "react";
import {
  Body1,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { KeyRegular } from "@fluentui/react-icons";
import { createCertificate, keychainStatus, useKeptCertificate } from "../ipc";
import type { KeychainStatus, WizardView } from "../ipc";
import { CopyField } from "../components/CopyField";
import { FailureBar } from "../components/FailureBar";
import { useFailure } from "../hooks/useFailure";
import { RepairButton } from "./RepairButton";
import type { StepProps } from "./types";

const useStyles = makeStyles({
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end" },
});

/** The Select's value for the custom end date. */
const CUSTOM = "custom";

function longDate(rfc3339: string): string {
  return new Date(rfc3339).toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
}

export function CertificatePanel({ view, onView, recheck, goTo }: Pick<StepProps, "view" | "onView" | "recheck" | "goTo">) {
  const styles = useStyles();
  const secret = view.secret;
  const certificate = secret.certificate;
  const [lifetime, setLifetime] = useState(String(secret.default_days));
  const [until, setUntil] = useState("");

  return (
    <div className={styles.group} data-testid="certificate-panel">
      <Body1>
        The wizard makes a self-signed certificate for you: its private key is kept in this computer's OS keychain (never in a
        plain file) and only its public part is uploaded to the app registration.
      </Body1>
      {certificate && (
        <MessageBar intent="success" layout="multiline" data-testid="certificate-in-use">
          <MessageBarBody>
            <MessageBarTitle>
              {certificate.made_here ? "A new certificate was created for you." : "Using the certificate kept in the keychain."}
            </MessageBarTitle>
            It expires on <span data-testid="certificate-expires">{longDate(certificate.expires)}</span>
            {certificate.days_left >= 0 ? ` (in ${certificate.days_left} days)` : " (it has ended)"}. Give {view.product} this
            certificate; a reminder follows its end date.
          </MessageBarBody>
        </MessageBar>
      )}
      {certificate && <CopyField label="Certificate thumbprint" value={certificate.thumbprint} testId="certificate-thumbprint" />}
      <KeptCertificateButton onView={onView} held={certificate !== null} />
      {view.admin && view.inputs.client_id ? (
        <div className={styles.row}>
          <Field label="Expires" hint={`At most ${secret.max_days} days for this integration`}>
            <Select value={lifetime} onChange={(_, data) => setLifetime(data.value)} data-testid="certificate-days">
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
              <Input type="date" value={until} onChange={(_, data) => setUntil(data.value)} data-testid="certificate-until" />
            </Field>
          )}
          <RepairButton
            label={certificate ? "Create a new certificate" : "Create the certificate"}
            testId="create-certificate"
            action={() => (lifetime === CUSTOM ? createCertificate(null, until) : createCertificate(Number(lifetime)))}
            onView={onView}
            after={recheck}
          />
        </div>
      ) : (
        <>
          <Body1>Creating a certificate needs your administrator sign-in and the app's client ID.</Body1>
          <div>
            <Button onClick={() => goTo(view.admin ? "registration" : "sign_in")}>
              {view.admin ? "Go to the registration step" : "Go to the sign-in step"}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

/** Use the certificate the OS keychain keeps for this client (after a restart), or say no keychain is available. */
function KeptCertificateButton({ onView, held }: { onView: (view: WizardView) => void; held: boolean }) {
  const [status, setStatus] = useState<KeychainStatus | null>(null);
  const [asked, setAsked] = useState(0);
  const statusFailure = useFailure();
  const failure = useFailure();
  useEffect(() => {
    statusFailure.clear();
    keychainStatus().then(setStatus, (cause: unknown) => {
      setStatus(null);
      statusFailure.show(cause, () => setAsked((n) => n + 1));
    });
  }, [held, asked]);
  if (!status) return <FailureBar notice={statusFailure.notice} testId="keychain-status-error" />;
  if (!status.available) {
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="keychain-unavailable">
        <MessageBarBody>
          No OS keychain is available, so no certificate can be made here: its private key is kept only there. {status.message}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (!status.has_certificate || held) return null;
  const use = async () => {
    failure.clear();
    try {
      onView(await useKeptCertificate());
    } catch (cause) {
      failure.show(cause, () => void use());
    }
  };
  return (
    <>
      <div>
        <Button icon={<KeyRegular />} onClick={() => void use()} data-testid="use-kept-certificate">
          Use the certificate kept in the keychain
        </Button>
      </div>
      <FailureBar notice={failure.notice} testId="use-kept-certificate-error" />
    </>
  );
}

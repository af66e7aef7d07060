/**
 * The summary's hand-over: export the configuration bundle (settings, report, rotation
 * calendar and, when asked, the secret encrypted with age) to a path typed or chosen in the
 * system's save dialog. A passphrase is sent once and never kept; the result lists what was
 * written and where the secret's value is. When the app proves itself with a certificate, the
 * bundle names its thumbprint and, when asked, carries it with its private key in
 * certificate.pfx.age.
 */
import { useEffect, useId, useState } from "react";
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
  Subtitle2,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowDownloadRegular, FolderOpenRegular } from "@fluentui/react-icons";
import { checkExportForm, chooseSavePath, exportBundle } from "../ipc";
import type { CredentialType, ExportInputError, ExportOutcome } from "../ipc";
import { useAction } from "../hooks/useAction";
import { useFailure } from "../hooks/useFailure";
import { cardSurface, column, controlRow } from "../layout";
import { FailureBar } from "./FailureBar";

const useStyles = makeStyles({
  panel: { ...column(tokens.spacingVerticalM), ...cardSurface, padding: tokens.spacingHorizontalL },
  title: { margin: 0 },
  row: controlRow(tokens.spacingHorizontalM),
  grow: { flexGrow: 1, minWidth: "280px" },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

type Protection = "none" | "recipients" | "passphrase";

const STORAGE_TEXT: Record<string, string> = {
  age: "encrypted in secret.age (open it with the age tool and your key or passphrase)",
  keyring: "kept in this computer's OS keychain (not in the bundle)",
  none: "not in the bundle (paste it into the product yourself)",
};

const CERTIFICATE_STORAGE_TEXT: Record<string, string> = {
  age: "encrypted in certificate.pfx.age (decrypt it with the age tool and your key or passphrase, then import the .pfx)",
  keyring: "kept in this computer's OS keychain (not in the bundle)",
  none: "not in the bundle",
};

/** What the panel calls the credential, by kind. */
const WORDS: Record<CredentialType, { field: string; passphraseHint: string; intro: string }> = {
  secret: {
    field: "The secret's value in the bundle",
    passphraseHint: "Used once to encrypt secret.age; never saved",
    intro: "a calendar file to rotate the secret in time and, if you choose, the secret encrypted for you.",
  },
  certificate: {
    field: "The certificate and its private key in the bundle",
    passphraseHint: "Used once to encrypt certificate.pfx.age, and as the .pfx's own password; never saved",
    intro: "the certificate's thumbprint, a calendar file to renew it in time and, if you choose, the certificate with its private key encrypted for you.",
  },
};

export interface ExportPanelProps {
  /** Whether the secret's expiry is known; when not, the panel asks for it. */
  expiryKnown: boolean;
  /** What the app proves itself with. */
  credential?: CredentialType;
}

export function ExportPanel({ expiryKnown, credential = "secret" }: ExportPanelProps) {
  const words = WORDS[credential];
  const styles = useStyles();
  const headingId = useId();
  const [path, setPath] = useState("");
  const [protection, setProtection] = useState<Protection>("none");
  const [recipients, setRecipients] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [expires, setExpires] = useState("");
  const typedExpiry = expiryKnown ? "" : expires;
  const [outcome, setOutcome] = useState<ExportOutcome | null>(null);

  // The shell checks the form as it is typed, with the same rules the export applies; when it
  // cannot, that is said (the export itself still applies the rules).
  const [issues, setIssues] = useState<ExportInputError[]>([]);
  const checkFailure = useFailure();
  const [checkAttempt, setCheckAttempt] = useState(0);
  const typedRecipients = protection === "recipients" ? recipients : "";
  const passphraseGiven = protection === "passphrase" && passphrase !== "";
  useEffect(() => {
    let current = true;
    checkExportForm({ path, recipients: typedRecipients, passphrase_given: passphraseGiven, secret_expires: typedExpiry }).then(
      (found) => {
        if (!current) return;
        checkFailure.clear();
        setIssues(found);
      },
      (cause: unknown) => {
        if (!current) return;
        setIssues([]);
        checkFailure.show(cause, () => setCheckAttempt((n) => n + 1));
      },
    );
    return () => {
      current = false;
    };
  }, [path, typedRecipients, passphraseGiven, typedExpiry, checkAttempt]);
  const problem = (field: string) => issues.find((issue) => issue.field === field)?.problem;
  const pathMessage = problem("path");
  const recipientsMessage = problem("recipients");
  const expiryMessage = problem("secret_expires");

  const choose = useAction(async () => {
    const chosen = await chooseSavePath();
    if (chosen) setPath(chosen);
  });
  // Trying again exports the form as it is then.
  const exporting = useAction(
    async () => {
      setOutcome(null);
      const result = await exportBundle({
        path,
        recipients: protection === "recipients" ? recipients : "",
        passphrase: protection === "passphrase" && passphrase !== "" ? passphrase : null,
        secret_expires: typedExpiry,
      });
      setOutcome(result);
      setPassphrase("");
    },
    { failure: choose.failure },
  );

  return (
    <section className={styles.panel} aria-labelledby={headingId} data-testid="export-panel">
      <Subtitle2 as="h3" id={headingId} className={styles.title}>
        Export the configuration bundle
      </Subtitle2>
      <Body1>
        One .zip with the product's settings, a printable report of every check, {words.intro}
      </Body1>
      <div className={styles.row}>
        <Field
          className={styles.grow}
          label="Save the bundle as (a full path ending in .zip)"
          validationMessage={pathMessage}
          validationState={pathMessage ? "error" : "none"}
        >
          <Input value={path} onChange={(_, d) => setPath(d.value)} data-testid="export-path" placeholder="/home/you/contoso-bundle.zip" />
        </Field>
        <Button icon={<FolderOpenRegular />} onClick={() => void choose.run()} data-testid="export-choose">
          Choose…
        </Button>
      </div>
      <Field label={words.field}>
        <RadioGroup value={protection} onChange={(_, d) => setProtection(d.value as Protection)} data-testid="export-protection">
          <Radio value="none" label="Leave it out" />
          <Radio value="recipients" label="Encrypt it to age recipients" />
          <Radio value="passphrase" label="Encrypt it with a passphrase" />
        </RadioGroup>
      </Field>
      {protection === "recipients" && (
        <Field
          label="age recipients"
          hint="One per line or comma-separated, each starting with age1"
          validationMessage={recipientsMessage}
          validationState={recipientsMessage ? "error" : "none"}
        >
          <Textarea value={recipients} onChange={(_, d) => setRecipients(d.value)} data-testid="export-recipients" />
        </Field>
      )}
      {protection === "passphrase" && (
        <Field label="Passphrase" hint={words.passphraseHint}>
          <Input type="password" value={passphrase} onChange={(_, d) => setPassphrase(d.value)} data-testid="export-passphrase" />
        </Field>
      )}
      {!expiryKnown && (
        <Field
          label="When the secret expires"
          hint="Nobody signed in could read it: copy the Expires date shown under Certificates & secrets (for example 2027-03-01), so the bundle gets its calendar file and a reminder is kept"
          validationMessage={expiryMessage}
          validationState={expiryMessage ? "error" : "none"}
        >
          <Input value={expires} onChange={(_, d) => setExpires(d.value)} data-testid="export-secret-expires" placeholder="2027-03-01" />
        </Field>
      )}
      <div className={styles.row}>
        <Button
          appearance="primary"
          icon={<ArrowDownloadRegular />}
          disabled={exporting.busy || path.trim() === "" || !!recipientsMessage || !!pathMessage || !!expiryMessage}
          onClick={() => void exporting.run()}
          data-testid="export-button"
        >
          {exporting.busy ? "Exporting…" : "Export bundle"}
        </Button>
      </div>
      <FailureBar notice={checkFailure.notice} testId="export-check-error" />
      <FailureBar notice={exporting.failure.notice} testId="export-error" besideForm />
      {outcome && (
        <MessageBar intent="success" layout="multiline" data-testid="export-done">
          <MessageBarBody>
            <MessageBarTitle>Bundle written.</MessageBarTitle>
            <span data-testid="export-written-path">{outcome.path}</span>
            <ul className={styles.list} aria-label="Entries in the bundle">
              {outcome.entries.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
            {outcome.certificate ? (
              <>
                <div data-testid="export-certificate">Certificate thumbprint: {outcome.certificate.thumbprint}</div>
                <div data-testid="export-storage">
                  Its private key: {CERTIFICATE_STORAGE_TEXT[outcome.certificate.storage] ?? outcome.certificate.storage}.
                </div>
              </>
            ) : (
              <div data-testid="export-storage">The secret's value: {STORAGE_TEXT[outcome.storage] ?? outcome.storage}.</div>
            )}
            {outcome.reminder && (
              <div data-testid="export-reminder">
                A reminder is kept: the {outcome.reminder.kind === "certificate" ? "certificate" : "secret"} expires on{" "}
                {new Date(outcome.reminder.expires).toLocaleDateString()}.
              </div>
            )}
            {outcome.reminder_problem && <div data-testid="export-reminder-problem">{outcome.reminder_problem}</div>}
          </MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}

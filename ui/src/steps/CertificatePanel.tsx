/**
 * The credential step with a certificate chosen: "create it for me" with a lifetime within the
 * profile's limit (the shell makes a self-signed certificate, keeps its private key in the OS
 * keychain and uploads only its public part), or the certificate the keychain keeps; the one in
 * use is shown by its thumbprint and end date — its key never reaches the UI.
 */
import { Body1, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { createCertificate } from "../ipc";
import { CopyField } from "../components/CopyField";
import { KeptCertificateButton } from "../components/KeptCertificateButton";
import { CreateCredential } from "./CreateCredential";
import { longDate } from "./longDate";
import type { StepProps } from "./types";

const useStyles = makeStyles({
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export function CertificatePanel({ view, onView, recheck, goTo }: Pick<StepProps, "view" | "onView" | "recheck" | "goTo">) {
  const styles = useStyles();
  const secret = view.secret;
  const certificate = secret.certificate;

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
      <CreateCredential
        view={view}
        recheck={recheck}
        goTo={goTo}
        credential="certificate"
        label={certificate ? "Create a new certificate" : "Create the certificate"}
        create={createCertificate}
        onView={onView}
      />
    </div>
  );
}

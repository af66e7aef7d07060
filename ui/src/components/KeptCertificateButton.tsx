/**
 * On the credential step with a certificate chosen: use the certificate the OS keychain keeps for
 * this client (after a restart), or say that no keychain is available.
 */
import { Button } from "@fluentui/react-components";
import { KeyRegular } from "@fluentui/react-icons";
import { useKeptCertificate } from "../ipc";
import type { WizardView } from "../ipc";
import { useAction } from "../hooks/useAction";
import { FailureBar } from "./FailureBar";
import { KeychainAnswer } from "./KeychainAnswer";

export function KeptCertificateButton({ onView, held }: { onView: (view: WizardView) => void; held: boolean }) {
  const use = useAction(async () => onView(await useKeptCertificate()));
  return (
    <KeychainAnswer
      held={held}
      unavailable="No OS keychain is available, so no certificate can be made here: its private key is kept only there."
    >
      {(status) =>
        status.has_certificate &&
        !held && (
          <>
            <div>
              <Button icon={<KeyRegular />} onClick={() => void use.run()} data-testid="use-kept-certificate">
                Use the certificate kept in the keychain
              </Button>
            </div>
            <FailureBar notice={use.failure.notice} testId="use-kept-certificate-error" />
          </>
        )
      }
    </KeychainAnswer>
  );
}

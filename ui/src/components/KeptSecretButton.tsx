/**
 * On the secret step: use the client secret kept in the OS keychain (after a restart, instead of
 * pasting it again), or say plainly that no keychain is available.
 */
import { Button } from "@fluentui/react-components";
import { KeyRegular } from "@fluentui/react-icons";
import { useKeptSecret } from "../ipc";
import type { WizardView } from "../ipc";
import { useAction } from "../hooks/useAction";
import { FailureBar } from "./FailureBar";
import { KeychainAnswer } from "./KeychainAnswer";

export function KeptSecretButton({ onView, held }: { onView: (view: WizardView) => void; held: boolean }) {
  const use = useAction(async () => onView(await useKeptSecret()));
  return (
    <KeychainAnswer
      held={held}
      unavailable="No OS keychain is available, so the secret cannot be kept between runs (it is never written to a plain file)."
    >
      {(status) =>
        status.has_secret && (
          <>
            <Button icon={<KeyRegular />} onClick={() => void use.run()} data-testid="use-kept-secret" disabled={held}>
              {held ? "Using the secret kept in the keychain" : "Use the secret kept in the keychain"}
            </Button>
            <FailureBar notice={use.failure.notice} testId="use-kept-secret-error" />
          </>
        )
      }
    </KeychainAnswer>
  );
}

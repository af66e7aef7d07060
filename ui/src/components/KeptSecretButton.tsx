/**
 * On the secret step: use the client secret kept in the OS keychain (after a restart, instead of
 * pasting it again), or say plainly that no keychain is available.
 */
import { useEffect, useState } from "react";
import { Button, MessageBar, MessageBarBody } from "@fluentui/react-components";
import { KeyRegular } from "@fluentui/react-icons";
import { IpcFailure, keychainStatus, useKeptSecret } from "../ipc";
import type { KeychainStatus, WizardView } from "../ipc";

export function KeptSecretButton({ onView, held }: { onView: (view: WizardView) => void; held: boolean }) {
  const [status, setStatus] = useState<KeychainStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    keychainStatus().then(setStatus, () => setStatus(null));
  }, [held]);
  if (!status) return null;
  if (!status.available) {
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="keychain-unavailable">
        <MessageBarBody>
          No OS keychain is available, so the secret cannot be kept between runs (it is never written to a
          plain file). {status.message}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (!status.has_secret) return null;
  const use = async () => {
    setError(null);
    try {
      onView(await useKeptSecret());
    } catch (failure) {
      setError(failure instanceof IpcFailure ? failure.message : String(failure));
    }
  };
  return (
    <>
      <Button icon={<KeyRegular />} onClick={() => void use()} data-testid="use-kept-secret" disabled={held}>
        {held ? "Using the secret kept in the keychain" : "Use the secret kept in the keychain"}
      </Button>
      {error && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}

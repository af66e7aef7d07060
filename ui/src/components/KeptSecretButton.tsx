/**
 * On the secret step: use the client secret kept in the OS keychain (after a restart, instead of
 * pasting it again), or say plainly that no keychain is available.
 */
import { useEffect, useState } from "react";
import { Button, MessageBar, MessageBarBody } from "@fluentui/react-components";
import { KeyRegular } from "@fluentui/react-icons";
import { keychainStatus, useKeptSecret } from "../ipc";
import type { KeychainStatus, WizardView } from "../ipc";
import { useFailure } from "../hooks/useFailure";
import { FailureBar } from "./FailureBar";

export function KeptSecretButton({ onView, held }: { onView: (view: WizardView) => void; held: boolean }) {
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
          No OS keychain is available, so the secret cannot be kept between runs (it is never written to a
          plain file). {status.message}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (!status.has_secret) return null;
  const use = async () => {
    failure.clear();
    try {
      onView(await useKeptSecret());
    } catch (cause) {
      failure.show(cause, () => void use());
    }
  };
  return (
    <>
      <Button icon={<KeyRegular />} onClick={() => void use()} data-testid="use-kept-secret" disabled={held}>
        {held ? "Using the secret kept in the keychain" : "Use the secret kept in the keychain"}
      </Button>
      <FailureBar notice={failure.notice} testId="use-kept-secret-error" />
    </>
  );
}

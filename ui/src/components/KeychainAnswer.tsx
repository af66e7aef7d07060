/**
 * What the OS keychain answers for the setup under way, asked again when `held` changes: the
 * failure to ask, or that no keychain is available (`unavailable`, then the keychain's reason),
 * or else what `children` make of its status. Its place keeps a button's height from the first
 * paint, while the keychain is asked and when it keeps nothing, so that what follows (the button
 * that creates a credential) does not move when the answer comes.
 */
import type { ReactNode } from "react";
import { MessageBar, MessageBarBody, Spinner, makeStyles } from "@fluentui/react-components";
import { keychainStatus } from "../ipc";
import type { KeychainStatus } from "../ipc";
import { useLoaded } from "../hooks/useLoaded";
import { FailureBar } from "./FailureBar";

export interface KeychainAnswerProps {
  /** Whether the credential is held already (the keychain is asked again when it changes). */
  held: boolean;
  /** Why no keychain matters here, said before the keychain's own reason. */
  unavailable: string;
  /** What to show when the keychain answers. */
  children: (status: KeychainStatus) => ReactNode;
}

const useStyles = makeStyles({
  // A medium button's height.
  slot: { minHeight: "32px", display: "flex", flexDirection: "column", justifyContent: "center" },
});

export function KeychainAnswer({ held, unavailable, children }: KeychainAnswerProps) {
  const styles = useStyles();
  const { value: status, failure } = useLoaded(keychainStatus, [held]);
  if (!status) {
    return (
      <div className={styles.slot}>
        {failure.notice ? (
          <FailureBar notice={failure.notice} testId="keychain-status-error" />
        ) : (
          <Spinner size="tiny" label="Checking the OS keychain…" labelPosition="after" />
        )}
      </div>
    );
  }
  if (!status.available) {
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="keychain-unavailable">
        <MessageBarBody>
          {unavailable} {status.message}
        </MessageBarBody>
      </MessageBar>
    );
  }
  return <div className={styles.slot}>{children(status)}</div>;
}

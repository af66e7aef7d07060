/**
 * What the OS keychain answers for the setup under way, asked again when `held` changes: the
 * failure to ask, or that no keychain is available (`unavailable`, then the keychain's reason),
 * or else what `children` make of its status.
 */
import type { ReactNode } from "react";
import { MessageBar, MessageBarBody } from "@fluentui/react-components";
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

export function KeychainAnswer({ held, unavailable, children }: KeychainAnswerProps) {
  const { value: status, failure } = useLoaded(keychainStatus, [held]);
  if (!status) return <FailureBar notice={failure.notice} testId="keychain-status-error" />;
  if (!status.available) {
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="keychain-unavailable">
        <MessageBarBody>
          {unavailable} {status.message}
        </MessageBarBody>
      </MessageBar>
    );
  }
  return <>{children(status)}</>;
}

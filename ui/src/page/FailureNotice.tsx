/** @jsxImportSource preact */
/**
 * A failure on the page: the code's title, the shell's message as it is, and a button for each
 * thing the admin can do about it (the same notice and actions as the Fluent screens'
 * FailureBar, from failures.ts). An action that itself fails says so; "Copy the details" says when it copied.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { dismissingNotice, runAction } from "../failures";
import type { FailureAction, FailureOffers } from "../failures";
import type { ShownFailure } from "../navigation";
import { MessageBar } from "./MessageBar";

export interface FailureNoticeProps {
  /** The failure to show; nothing is drawn without one. */
  failure: ShownFailure | null | undefined;
  testId: string;
  /** Offers beside the retry: back to the start screen, sign in. */
  offers?: Omit<FailureOffers, "retry">;
  /** The failure is gone (an action that moves on, or tries again, takes it away first). */
  onDismiss?: () => void;
}

export function FailureNotice({ failure, testId, offers = {}, onDismiss }: FailureNoticeProps) {
  const [copied, setCopied] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const notice = useMemo(
    () => failure && dismissingNotice(failure.cause, { ...offers, retry: failure.retry }, () => onDismiss?.()),
    [failure, offers.signIn, offers.startOver, onDismiss],
  );
  // Another failure starts with nothing said about the previous one's actions.
  useEffect(() => {
    setCopied(false);
    setProblem(null);
  }, [failure]);
  if (!notice) return null;
  const act = async (action: FailureAction) => {
    setProblem(null);
    const failed = await runAction(action);
    setProblem(failed);
    if (!failed && action.kind === "copy_details") setCopied(true);
  };
  return (
    <MessageBar
      intent="error"
      title={notice.title}
      testId={testId}
      code={notice.code}
      actions={
        notice.actions.length > 0 &&
        notice.actions.map((action) => (
          <button key={action.kind} type="button" class="button" data-action={action.kind} onClick={() => void act(action)}>
            {action.kind === "copy_details" && copied ? "Copied" : action.label}
          </button>
        ))
      }
    >
      {notice.message}
      {problem && (
        <span class="bar-problem" role="status">
          {problem}
        </span>
      )}
    </MessageBar>
  );
}

/**
 * A failure on screen: a Fluent error MessageBar with the code's title, the shell's message as
 * it is, and a button for each thing the admin can do about it (from `useFailure`). An action
 * that itself fails says so on the bar; "Copy the details" says when it copied.
 */
import { useEffect, useState } from "react";
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { runAction } from "../failures";
import type { FailureAction, FailureNotice } from "../failures";

const useStyles = makeStyles({
  problem: { display: "block", marginTop: tokens.spacingVerticalXS },
});

export interface FailureBarProps {
  /** The failure to show; nothing is rendered without one. */
  notice: FailureNotice | null;
  /** The bar's data-testid (the E2E tests find failures by it). */
  testId?: string;
  /**
   * Shown right under the form whose input was refused: an `invalid_input` message, which
   * names the field and why, stands alone without the title.
   */
  besideForm?: boolean;
}

export function FailureBar({ notice, testId, besideForm = false }: FailureBarProps) {
  const styles = useStyles();
  const [copied, setCopied] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Another failure starts with nothing said about the previous one's actions.
  const shown = notice ? `${notice.code}\n${notice.message}` : null;
  useEffect(() => {
    setCopied(false);
    setProblem(null);
  }, [shown]);
  if (!notice) return null;
  const act = async (action: FailureAction) => {
    setProblem(null);
    const failed = await runAction(action);
    setProblem(failed);
    if (!failed && action.kind === "copy_details") setCopied(true);
  };
  const titled = !(besideForm && notice.code === "invalid_input");
  return (
    <MessageBar intent="error" layout="multiline" data-testid={testId} data-code={notice.code}>
      <MessageBarBody>
        {titled && <MessageBarTitle>{notice.title}</MessageBarTitle>}
        {titled && " "}
        {notice.message}
        {problem && (
          <span className={styles.problem} role="status">
            {problem}
          </span>
        )}
      </MessageBarBody>
      {notice.actions.length > 0 && (
        <MessageBarActions>
          {notice.actions.map((action) => (
            <Button key={action.kind} onClick={() => void act(action)} data-action={action.kind}>
              {action.kind === "copy_details" && copied ? "Copied" : action.label}
            </Button>
          ))}
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

/** The offline issues of one input, as typed: errors first, each naming what is wrong. */
import { MessageBar, MessageBarBody, makeStyles, tokens } from "@fluentui/react-components";
import type { InputIssue } from "../ipc";

const useStyles = makeStyles({
  list: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
});

export function IssueList({ issues, testId }: { issues: InputIssue[]; testId?: string }) {
  const styles = useStyles();
  if (issues.length === 0) return null;
  return (
    <div className={styles.list} data-testid={testId} role="status">
      {issues.map((issue) => (
        <MessageBar
          key={`${issue.cause}-${issue.message}`}
          intent={issue.severity === "error" ? "error" : "warning"}
          layout="multiline"
          data-cause={issue.cause}
        >
          <MessageBarBody>{issue.message}</MessageBarBody>
        </MessageBar>
      ))}
    </div>
  );
}

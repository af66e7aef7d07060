/**
 * The app's log for support, on the troubleshoot screen: copy its newest part (no secret, token
 * or code is ever logged), or open the folder that holds it.
 */
import { useId, useState } from "react";
import { Body1, Button, MessageBar, MessageBarBody, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { CopyRegular, FolderOpenRegular } from "@fluentui/react-icons";
import { copyText, openLogFolder, supportLog } from "../ipc";
import { useAction } from "../hooks/useAction";
import { column } from "../layout";
import { FailureBar } from "./FailureBar";

const useStyles = makeStyles({
  support: {
    ...column(tokens.spacingVerticalS),
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalL,
  },
  heading: { margin: 0 },
  row: { display: "flex", gap: tokens.spacingHorizontalM },
});

/** The app's log for support: copy its newest part, or open the folder that holds it. */
export function SupportLog() {
  const styles = useStyles();
  const headingId = useId();
  const [said, setSaid] = useState<{ intent: "success" | "error"; text: string } | null>(null);
  const copy = useAction(async () => {
    setSaid(null);
    const log = await supportLog();
    if (!log) {
      setSaid({ intent: "error", text: "Nothing has been logged yet." });
      return;
    }
    await copyText(log);
    setSaid({ intent: "success", text: "The support log was copied. It holds no secret, token or code." });
  });
  const open = useAction(
    async () => {
      setSaid(null);
      await openLogFolder();
    },
    { failure: copy.failure },
  );
  return (
    <div className={styles.support} role="group" aria-labelledby={headingId}>
      <Subtitle2 as="h3" id={headingId} className={styles.heading}>
        Support log
      </Subtitle2>
      <Body1>
        Asked for a log by support? The app logs each request to Microsoft with its request ID, each check, sign-in and
        change, and never a secret, token or code.
      </Body1>
      <div className={styles.row}>
        <Button icon={<CopyRegular />} onClick={() => void copy.run()} data-testid="support-log-copy">
          Copy support log
        </Button>
        <Button icon={<FolderOpenRegular />} onClick={() => void open.run()} data-testid="support-log-folder">
          Open log folder
        </Button>
      </div>
      {said && (
        <MessageBar intent={said.intent} data-testid="support-log-said">
          <MessageBarBody>{said.text}</MessageBarBody>
        </MessageBar>
      )}
      {/* What was said about the log, or why it could not be done: one or the other, under one test id. */}
      <FailureBar notice={copy.failure.notice} testId="support-log-said" />
    </div>
  );
}

/** Troubleshoot: paste any error text (from the product, a sign-in page, SMTP) → what it means and what to do. */
import { useId, useState } from "react";
import {
  Body1,
  Button,
  Caption1,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Subtitle2,
  Textarea,
  Title3,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowLeftRegular, CopyRegular, FolderOpenRegular, SearchRegular } from "@fluentui/react-icons";
import { copyText, diagnose, openLogFolder, supportLog } from "../ipc";
import type { Finding } from "../ipc";
import { FailureBar } from "../components/FailureBar";
import { useFailure } from "../hooks/useFailure";

const useStyles = makeStyles({
  screen: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL, maxWidth: "820px" },
  heading: { margin: 0 },
  row: { display: "flex", gap: tokens.spacingHorizontalM },
  finding: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  paragraph: { margin: 0 },
  support: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    paddingTop: tokens.spacingVerticalL,
  },
  findings: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

/** The setup under way, whose integration's findings come first. */
export interface TroubleshootIntegration {
  /** The profile id. */
  profile: string;
  /** The profile's title, for the screen. */
  title: string;
}

export function TroubleshootScreen({ onBack, integration = null }: { onBack: () => void; integration?: TroubleshootIntegration | null }) {
  const styles = useStyles();
  const headingId = useId();
  const [text, setText] = useState("");
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const failure = useFailure();
  const run = async () => {
    failure.clear();
    try {
      setFindings(await diagnose(text, integration?.profile ?? null));
    } catch (cause) {
      failure.show(cause, () => void run());
    }
  };
  return (
    <section className={styles.screen} aria-labelledby={headingId} data-testid="troubleshoot-screen">
      <Title3 as="h2" id={headingId} className={styles.heading}>
        Troubleshoot an error
      </Title3>
      <Body1>Paste the error text exactly as shown — from the product, a Microsoft sign-in page or a mail server.</Body1>
      {integration && (
        <Caption1 data-testid="diagnose-integration">Read for {integration.title}: what its guide says about the error comes first.</Caption1>
      )}
      <Field label="Error text">
        <Textarea value={text} onChange={(_, data) => setText(data.value)} rows={6} resize="vertical" data-testid="diagnose-input" />
      </Field>
      <div className={styles.row}>
        <Button appearance="primary" icon={<SearchRegular />} disabled={!text.trim()} onClick={() => void run()} data-testid="diagnose-button">
          Explain
        </Button>
        <Button icon={<ArrowLeftRegular />} onClick={onBack} data-testid="troubleshoot-back">
          Back
        </Button>
      </div>
      <FailureBar notice={failure.notice} testId="diagnose-error" />
      {findings && findings.length === 0 && (
        <MessageBar intent="info" data-testid="diagnose-nothing">
          <MessageBarBody>Nothing in this text is known to the wizard. Check that it is the whole message.</MessageBarBody>
        </MessageBar>
      )}
      {findings && findings.length > 0 && (
        <ul className={styles.findings} data-testid="diagnose-findings">
          {findings.map((finding) => (
            <li key={finding.cause}>
              <MessageBar intent="warning" layout="multiline" data-cause={finding.cause}>
                <MessageBarBody className={styles.finding}>
                  <MessageBarTitle>{finding.title}</MessageBarTitle>
                  <Body1 as="p" className={styles.paragraph}>
                    {finding.explanation}
                  </Body1>
                  <Body1 as="p" className={styles.paragraph}>
                    <strong>What to do:</strong> {finding.fix}
                  </Body1>
                  <Caption1>
                    {finding.code ? `${finding.code} · ` : ""}
                    {finding.cause}
                  </Caption1>
                </MessageBarBody>
              </MessageBar>
            </li>
          ))}
        </ul>
      )}
      <SupportLog />
    </section>
  );
}

/** The app's log for support: copy its newest part, or open the folder that holds it. */
function SupportLog() {
  const styles = useStyles();
  const headingId = useId();
  const [said, setSaid] = useState<{ intent: "success" | "error"; text: string } | null>(null);
  const failure = useFailure();
  const copy = async () => {
    setSaid(null);
    failure.clear();
    try {
      const log = await supportLog();
      if (!log) {
        setSaid({ intent: "error", text: "Nothing has been logged yet." });
        return;
      }
      await copyText(log);
      setSaid({ intent: "success", text: "The support log was copied. It holds no secret, token or code." });
    } catch (cause) {
      failure.show(cause, () => void copy());
    }
  };
  const open = async () => {
    setSaid(null);
    failure.clear();
    try {
      await openLogFolder();
    } catch (cause) {
      failure.show(cause, () => void open());
    }
  };
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
        <Button icon={<CopyRegular />} onClick={() => void copy()} data-testid="support-log-copy">
          Copy support log
        </Button>
        <Button icon={<FolderOpenRegular />} onClick={() => void open()} data-testid="support-log-folder">
          Open log folder
        </Button>
      </div>
      {said && (
        <MessageBar intent={said.intent} data-testid="support-log-said">
          <MessageBarBody>{said.text}</MessageBarBody>
        </MessageBar>
      )}
      {/* What was said about the log, or why it could not be done: one or the other, under one test id. */}
      <FailureBar notice={failure.notice} testId="support-log-said" />
    </div>
  );
}

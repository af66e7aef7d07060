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
  Textarea,
  Title3,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { ArrowLeftRegular, SearchRegular } from "@fluentui/react-icons";
import { diagnose } from "../ipc";
import type { Finding } from "../ipc";
import { FailureBar } from "../components/FailureBar";
import { SupportLog } from "../components/SupportLog";
import { useAction } from "../hooks/useAction";
import { column } from "../layout";

const useStyles = makeStyles({
  screen: { ...column(tokens.spacingVerticalL), maxWidth: "820px" },
  heading: { margin: 0 },
  row: { display: "flex", gap: tokens.spacingHorizontalM },
  finding: column(tokens.spacingVerticalXS),
  paragraph: { margin: 0 },
  findings: { ...column(tokens.spacingVerticalM), listStyleType: "none", margin: 0, padding: 0 },
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
  const run = useAction(async () => setFindings(await diagnose(text, integration?.profile ?? null)));
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
        <Button appearance="primary" icon={<SearchRegular />} disabled={!text.trim()} onClick={() => void run.run()} data-testid="diagnose-button">
          Explain
        </Button>
        <Button icon={<ArrowLeftRegular />} onClick={onBack} data-testid="troubleshoot-back">
          Back
        </Button>
      </div>
      <FailureBar notice={run.failure.notice} testId="diagnose-error" />
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

/** The device code to sign in with, shown in the app: the code with a copy button and the page. */
import { Body1, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import type { SignInPrompt } from "../ipc";
import { CopyField } from "./CopyField";
import { ExternalLink } from "./ExternalLink";

const useStyles = makeStyles({
  body: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
});

export function DeviceCodePrompt({ prompt, who }: { prompt: SignInPrompt; who: string }) {
  const styles = useStyles();
  return (
    <MessageBar intent="info" layout="multiline" data-testid="device-code">
      <MessageBarBody className={styles.body}>
        <MessageBarTitle>Sign in as {who}</MessageBarTitle>
        <Body1>
          Open the sign-in page, enter this code and sign in. The code is valid for{" "}
          {prompt.expires_in_minutes} minutes; the wizard continues by itself once you are signed in.
        </Body1>
        <CopyField label="Sign-in code" value={prompt.user_code} testId="device-code-value" />
        <div>
          <ExternalLink href={prompt.verification_uri}>Open the sign-in page</ExternalLink>
        </div>
      </MessageBarBody>
    </MessageBar>
  );
}

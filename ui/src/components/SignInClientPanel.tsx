/**
 * Which public client people sign in with, where that choice came from (the same order as the
 * CLI: the environment, config.toml, the distributor's default, Microsoft Graph Command Line
 * Tools), and a way to choose another one, kept in config.toml for the app and the CLI alike.
 */
import { useState } from "react";
import { Body1, Button, Caption1, Input, MessageBar, MessageBarBody, makeStyles, tokens } from "@fluentui/react-components";
import { setSignInClient } from "../ipc";
import type { SignInClientView, WizardView } from "../bindings";
import { useAction } from "../hooks/useAction";
import { FailureBar } from "./FailureBar";

const useStyles = makeStyles({
  box: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  input: { minWidth: "22rem" },
});

export function SignInClientPanel({ client, onView }: { client: SignInClientView; onView: (view: WizardView) => void }) {
  const styles = useStyles();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(client.client_id ?? "");
  const save = useAction(async (clientId: string | null) => {
    onView(await setSignInClient(clientId));
    setEditing(false);
  });
  return (
    <div className={styles.box} data-testid="sign-in-client">
      {client.client_id ? (
        <Body1>
          Signs in with the client <code data-testid="sign-in-client-id" data-client-id={client.client_id}>{client.client_id}</code> —{" "}
          <span data-testid="sign-in-client-origin">{client.origin}</span>.
        </Body1>
      ) : (
        <MessageBar intent="error" layout="multiline" data-testid="sign-in-client-problem">
          <MessageBarBody>The sign-in client cannot be used: {client.origin}</MessageBarBody>
        </MessageBar>
      )}
      {client.from_environment && (
        <Caption1>The environment variable ENTRA_SETUP_SIGN_IN_CLIENT decides it; a client chosen here is used once it is unset.</Caption1>
      )}
      {editing ? (
        <div className={styles.row}>
          <Input
            className={styles.input}
            value={value}
            onChange={(_, data) => setValue(data.value)}
            placeholder="Application (client) ID of your own public client"
            aria-label="Sign-in client ID"
            data-testid="sign-in-client-input"
          />
          <Button appearance="primary" disabled={save.busy || !value.trim()} onClick={() => void save.run(value.trim())} data-testid="sign-in-client-save">
            Keep
          </Button>
          <Button disabled={save.busy} onClick={() => setEditing(false)}>
            Cancel
          </Button>
        </div>
      ) : (
        <div className={styles.row}>
          <Button size="small" onClick={() => setEditing(true)} data-testid="sign-in-client-change">
            Use another client…
          </Button>
          {!client.is_default && client.origin.includes("config.toml") && (
            <Button size="small" disabled={save.busy} onClick={() => void save.run(null)} data-testid="sign-in-client-reset">
              Back to Microsoft Graph Command Line Tools
            </Button>
          )}
        </div>
      )}
      {editing && <Caption1>Kept as sign_in_client in {client.config_file}, which the command line reads too.</Caption1>}
      <FailureBar notice={save.failure.notice} testId="sign-in-client-error" besideForm />
    </div>
  );
}

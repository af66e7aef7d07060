/**
 * Calendar access for an app-only connector: a mailbox to read with the app's own token, and
 * the Exchange Online PowerShell that limits the app to the mailboxes it needs.
 */
import { makeStyles, tokens } from "@fluentui/react-components";
import { CopyField } from "../components/CopyField";
import { WizardInput } from "../components/WizardInput";
import type { StepProps } from "./types";

const useStyles = makeStyles({
  group: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export function CalendarStep({ view, onInput }: StepProps) {
  const styles = useStyles();
  return (
    <div className={styles.group}>
      <WizardInput
        field="mailbox"
        label="A mailbox whose calendar the connector reads"
        hint="The wizard reads its calendar with the app's own token"
        placeholder="room-1@contoso.com"
        initial={view.inputs.mailbox}
        issues={[]}
        onChange={onInput}
        required
      />
      {view.powershell && (
        <CopyField
          label="Exchange Online PowerShell to limit the app to the mailboxes it needs (optional)"
          value={view.powershell}
          testId="powershell"
        />
      )}
    </div>
  );
}

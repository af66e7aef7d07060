/** A button that runs the shell's create-or-repair, then lists what changed and verifies again. */
import { useState } from "react";
import { Body1, Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { WrenchRegular } from "@fluentui/react-icons";
import type { RepairOutcome, WizardView } from "../ipc";
import { FailureBar } from "../components/FailureBar";
import { useAction } from "../hooks/useAction";

const useStyles = makeStyles({
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "center" },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

export interface RepairButtonProps {
  label: string;
  action: () => Promise<RepairOutcome>;
  onView: (view: WizardView) => void;
  after: () => void;
  disabled?: boolean;
  testId: string;
  appearance?: "primary" | "secondary";
  /** What the button does, for screen readers, when its label alone is ambiguous. */
  ariaLabel?: string;
}

export function RepairButton({ label, action, onView, after, disabled, testId, appearance = "primary", ariaLabel }: RepairButtonProps) {
  const styles = useStyles();
  const [changes, setChanges] = useState<string[] | null>(null);
  const go = useAction(async () => {
    const outcome = await action();
    setChanges(outcome.changes);
    onView(outcome.view);
    after();
  });
  return (
    <>
      <div className={styles.row}>
        <Button appearance={appearance} icon={<WrenchRegular />} disabled={disabled || go.busy} onClick={() => void go.run()} data-testid={testId} aria-label={ariaLabel}>
          {label}
        </Button>
        {go.busy && <Spinner size="tiny" label="Working in your tenant…" labelPosition="after" />}
      </div>
      {changes && (
        <MessageBar intent="success" layout="multiline" data-testid={`${testId}-done`}>
          <MessageBarBody>
            <MessageBarTitle>{changes.length === 0 ? "Nothing needed changing." : "Done:"}</MessageBarTitle>
            {changes.length > 0 && (
              <ul className={styles.list}>
                {changes.map((change) => (
                  <li key={change}>
                    <Body1>{change}</Body1>
                  </li>
                ))}
              </ul>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
      <FailureBar notice={go.failure.notice} testId={`${testId}-error`} />
    </>
  );
}

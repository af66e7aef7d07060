/**
 * The start screen's alert: the client secrets that expire within 30 days or have expired,
 * the same the desktop notifications announce, with a way to the reminders page. When the
 * reminders cannot be read, that is said instead (the admin would otherwise miss an expiry).
 */
import { useEffect, useState } from "react";
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { reminderAlerts } from "../ipc";
import type { Standing } from "../ipc";
import { useFailure } from "../hooks/useFailure";
import { daysText } from "./ExpiryBadge";
import { FailureBar } from "./FailureBar";

const useStyles = makeStyles({
  list: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
});

export function DueBanner({ onOpenReminders }: { onOpenReminders: () => void }) {
  const styles = useStyles();
  const [due, setDue] = useState<Standing[]>([]);
  const failure = useFailure();
  const load = () => {
    failure.clear();
    reminderAlerts().then(setDue, (cause: unknown) => {
      setDue([]);
      failure.show(cause, load);
    });
  };
  useEffect(load, []);
  if (due.length === 0) return <FailureBar notice={failure.notice} testId="due-banner-error" />;
  const pressing = due.some((s) => s.urgency === "expired" || s.urgency === "urgent");
  return (
    <MessageBar intent={pressing ? "error" : "warning"} layout="multiline" data-testid="due-banner">
      <MessageBarBody>
        <MessageBarTitle>
          {due.length === 1 ? "A client secret needs rotating soon." : `${due.length} client secrets need rotating soon.`}
        </MessageBarTitle>
        <ul className={styles.list}>
          {due.map((s) => (
            <li key={s.key_id}>
              {s.name ?? s.client_id}:{" "}
              {s.stage.state === "expired" ? `expired ${daysText(s.days_left)}` : `expires ${daysText(s.days_left)}`} (
              {new Date(s.expires).toLocaleDateString()})
            </li>
          ))}
        </ul>
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={onOpenReminders} data-testid="due-banner-open">
          Open reminders
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

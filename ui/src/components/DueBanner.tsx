/**
 * The start screen's alert: the client secrets that expire within 30 days or have expired,
 * the same the desktop notifications announce, with a way to the reminders page. When the
 * reminders cannot be read, that is said instead (the admin would otherwise miss an expiry).
 */
import { useEffect, useLayoutEffect, useState } from "react";
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from "@fluentui/react-components";
import { reminderAlerts } from "../ipc";
import type { Standing } from "../ipc";
import { useFailure } from "../hooks/useFailure";
import { daysText } from "./ExpiryBadge";
import { FailureBar } from "./FailureBar";

const useStyles = makeStyles({
  list: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
});

/** The alerts read before the start screen showed: the secrets due, or why they could not be read. */
export type DueAlerts = { ok: true; due: Standing[] } | { ok: false; cause: unknown };

/** Read the alerts, a failure kept as such (shown by the banner). */
export function readDueAlerts(): Promise<DueAlerts> {
  return reminderAlerts().then(
    (due): DueAlerts => ({ ok: true, due }),
    (cause: unknown): DueAlerts => ({ ok: false, cause }),
  );
}

export interface DueBannerProps {
  onOpenReminders: () => void;
  /**
   * The alerts read before the screen showed: the banner is then there from the first paint,
   * pushing nothing down later. Without them it reads them itself.
   */
  initial?: DueAlerts;
}

export function DueBanner({ onOpenReminders, initial }: DueBannerProps) {
  const styles = useStyles();
  const [due, setDue] = useState<Standing[]>(initial?.ok ? initial.due : []);
  const failure = useFailure();
  const load = () => {
    failure.clear();
    reminderAlerts().then(setDue, (cause: unknown) => {
      setDue([]);
      failure.show(cause, load);
    });
  };
  useEffect(() => {
    if (!initial) load();
  }, []);
  // Before the first paint, so the failure takes its place at once.
  useLayoutEffect(() => {
    if (initial && !initial.ok) failure.show(initial.cause, load);
  }, []);
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

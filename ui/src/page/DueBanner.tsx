/** @jsxImportSource preact */
/**
 * The start screen's alert: the client secrets that expire within 30 days or have expired, the
 * same the desktop notifications announce, with a way to the reminders screen. When the
 * reminders cannot be read, that is said instead (the admin would otherwise miss an expiry).
 */
import { useEffect, useState } from "preact/hooks";
import { reminderAlerts } from "../ipc";
import type { Standing } from "../ipc";
import { daysText } from "../labels";
import type { DueAlerts, ShownFailure } from "../navigation";
import { FailureNotice } from "./FailureNotice";
import { MessageBar } from "./MessageBar";

/** Read the alerts, a failure kept as such (shown by the banner). */
export function readDueAlerts(): Promise<DueAlerts> {
  return reminderAlerts().then(
    (due): DueAlerts => ({ ok: true, due }),
    (cause: unknown): DueAlerts => ({ ok: false, cause }),
  );
}

export interface DueBannerProps {
  onOpenReminders: () => void;
  /** Pointing at or focusing "Open reminders": the screen's code can load. */
  onIntent?: () => void;
  /**
   * The alerts read before the screen showed: the banner is then there from the first paint,
   * pushing nothing down later. Without them it reads them itself.
   */
  initial?: DueAlerts;
}

export function DueBanner({ onOpenReminders, onIntent, initial }: DueBannerProps) {
  const [due, setDue] = useState<Standing[]>(initial?.ok ? initial.due : []);
  const [failure, setFailure] = useState<ShownFailure | null>(() =>
    initial && !initial.ok ? { cause: initial.cause, retry: () => load() } : null,
  );
  const load = () => {
    setFailure(null);
    reminderAlerts().then(setDue, (cause: unknown) => {
      setDue([]);
      setFailure({ cause, retry: load });
    });
  };
  useEffect(() => {
    if (!initial) load();
  }, []);
  if (due.length === 0) return <FailureNotice failure={failure} testId="due-banner-error" onDismiss={() => setFailure(null)} />;
  const pressing = due.some((s) => s.urgency === "expired" || s.urgency === "urgent");
  return (
    <MessageBar
      intent={pressing ? "error" : "warning"}
      testId="due-banner"
      title={due.length === 1 ? "A client secret needs rotating soon." : `${due.length} client secrets need rotating soon.`}
      actions={
        <button type="button" class="button" data-testid="due-banner-open" onClick={onOpenReminders} onPointerEnter={onIntent} onFocus={onIntent}>
          Open reminders
        </button>
      }
    >
      <ul class="bar-list">
        {due.map((s) => (
          <li key={s.key_id}>
            {s.name ?? s.client_id}:{" "}
            {s.stage.state === "expired" ? `expired ${daysText(s.days_left)}` : `expires ${daysText(s.days_left)}`} (
            {new Date(s.expires).toLocaleDateString()})
          </li>
        ))}
      </ul>
    </MessageBar>
  );
}

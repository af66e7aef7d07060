/**
 * The unattended monitor's last scan on this computer (`entra-setup monitor scan`), for the
 * reminders page: "Monitor: last scan at …, N tenants, M due, K unreadable", each credential due
 * and each tenant it could not read; or that the monitor has not run here, with the commands that
 * set it up; or that its file cannot be read.
 */
import { Body1, Subtitle2, TableCell, TableRow } from "@fluentui/react-components";
import { monitorLastScan } from "../ipc";
import type { LastScan } from "../ipc";
import { useLoaded } from "../hooks/useLoaded";
import { ExpiryBadge } from "./ExpiryBadge";
import { daysText } from "../labels";
import { FailureBar } from "./FailureBar";
import { HeadedTable } from "./HeadedTable";

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Monitor: last scan at …, N tenants, M due, K unreadable". */
function lastScanSummary(scan: LastScan): string {
  const due = scan.tenants.reduce((sum, t) => sum + t.due.length, 0);
  const unreadable = scan.tenants.filter((t) => t.status === "unreadable").length;
  return `Monitor: last scan at ${new Date(scan.ran_at).toLocaleString()}, ${count(scan.tenants.length, "tenant", "tenants")}, ${due} due, ${unreadable} unreadable`;
}

/** The unattended monitor's last scan: its summary, each credential due and each tenant it could not read. */
export function MonitorCard({ mono, muted, title }: { mono: string; muted: string; title: string }) {
  const { value: view, failure } = useLoaded(monitorLastScan, []);
  const scan = view?.scan ?? null;
  return (
    <div data-testid="monitor-last-scan">
      <Subtitle2 as="h3" className={title}>
        Unattended monitor
      </Subtitle2>
      <FailureBar notice={failure.notice} testId="monitor-last-scan-error" />
      {view && !scan && view.problem && (
        <Body1 as="p" data-testid="monitor-last-scan-problem">
          The monitor's last scan cannot be read: {view.problem}
        </Body1>
      )}
      {view && !scan && !view.problem && (
        <Body1 as="p" data-testid="monitor-never-ran">
          The monitor has not run on this computer. Set it up with <code>entra-setup monitor setup --tenant …</code>, then
          schedule <code>entra-setup monitor scan</code> (<code>entra-setup monitor schedule --print cron</code> prints a
          ready-made schedule).
        </Body1>
      )}
      {scan && (
        <>
          <Body1 as="p" data-testid="monitor-summary">
            {lastScanSummary(scan)}
          </Body1>
          {scan.tenants.some((t) => t.due.length > 0) && (
            <HeadedTable
              label="Credentials due at the monitor's last scan"
              testId="monitor-due-table"
              headings={["Tenant", "App", "Credential", "Expires", "Urgency"]}
            >
              {scan.tenants.flatMap((t) =>
                t.due.map((d) => (
                  <TableRow key={`${t.tenant}/${d.key_id}`} data-testid={`monitor-due-${d.key_id}`}>
                    <TableCell className={mono}>{t.tenant}</TableCell>
                    <TableCell>
                      {d.display_name ?? "—"} <span className={mono}>{d.client_id}</span>
                    </TableCell>
                    <TableCell>
                      {d.kind === "certificate" ? "Certificate" : "Secret"} <span className={mono}>{d.key_id}</span>
                    </TableCell>
                    <TableCell>
                      {new Date(d.expires).toLocaleDateString()} ({daysText(d.days_left)} at the scan)
                    </TableCell>
                    <TableCell>
                      <ExpiryBadge stage={d.stage} urgency={d.urgency ?? "later"} />
                    </TableCell>
                  </TableRow>
                )),
              )}
            </HeadedTable>
          )}
          {scan.tenants
            .filter((t) => t.status === "unreadable")
            .map((t) => (
              <Body1 as="p" key={t.tenant} data-testid={`monitor-unreadable-${t.tenant}`}>
                Could not read <span className={mono}>{t.tenant}</span>: {t.detail ?? "no detail"}
                {t.cause ? ` (${t.cause})` : ""}
              </Body1>
            ))}
        </>
      )}
      {view && <Body1 className={muted}>Kept in {view.file}</Body1>}
    </div>
  );
}

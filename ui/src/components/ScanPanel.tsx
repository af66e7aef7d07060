/**
 * "Scan this tenant": every client secret and certificate of the signed-in administrator's
 * tenant expiring within the chosen window, read over Graph; the secrets chosen are added to the
 * reminders.
 */
import { useState } from "react";
import { Body1, Button, Checkbox, Field, Select, Subtitle2, TableCell, TableRow, makeStyles, tokens } from "@fluentui/react-components";
import { SearchRegular } from "@fluentui/react-icons";
import { addScanned, scanTenant } from "../ipc";
import type { ExpiringCredential, RemindersView } from "../ipc";
import { useAction } from "../hooks/useAction";
import { column, controlRow } from "../layout";
import { daysText } from "../labels";
import { FailureBar } from "./FailureBar";
import { HeadedTable } from "./HeadedTable";

const useStyles = makeStyles({
  panel: column(tokens.spacingVerticalS),
  title: { margin: 0 },
  row: controlRow(tokens.spacingHorizontalM),
});

export function ScanPanel({ onAdded }: { onAdded: (view: RemindersView) => void }) {
  const styles = useStyles();
  const [days, setDays] = useState(90);
  const [found, setFound] = useState<ExpiringCredential[] | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const scan = useAction(async () => {
    const list = await scanTenant(days);
    setFound(list);
    setPicked(new Set(list.filter((c) => c.kind === "secret").map((c) => c.key_id)));
  });
  const add = useAction(
    async () => {
      if (!found) return;
      const picks = found
        .filter((c) => c.kind === "secret" && picked.has(c.key_id))
        .map((c) => ({ client_id: c.client_id, key_id: c.key_id, expires: c.expires, name: c.app_name }));
      onAdded(await addScanned(picks));
      setFound(null);
    },
    { failure: scan.failure },
  );
  const toggle = (key: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(key);
    else next.delete(key);
    setPicked(next);
  };

  return (
    <section className={styles.panel} aria-label="Scan this tenant" data-testid="scan-panel">
      <Subtitle2 as="h3" className={styles.title}>
        Scan this tenant
      </Subtitle2>
      <Body1>Needs the administrator signed in on the wizard's sign-in step.</Body1>
      <div className={styles.row}>
        <Field label="Expiring within">
          <Select value={String(days)} onChange={(_, d) => setDays(Number(d.value))} data-testid="scan-days">
            {[30, 90, 180, 365].map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </Select>
        </Field>
        <Button icon={<SearchRegular />} disabled={scan.busy} onClick={() => void scan.run()} data-testid="scan-button">
          {scan.busy ? "Scanning…" : "Scan"}
        </Button>
      </div>
      <FailureBar notice={scan.failure.notice} testId="scan-error" />
      {found && found.length === 0 && <Body1 data-testid="scan-empty">Nothing expires within {days} days.</Body1>}
      {found && found.length > 0 && (
        <>
          <HeadedTable label="Credentials found" testId="scan-results" headings={["Add", "App", "Kind", "Expires"]}>
            {found.map((c) => (
              <TableRow key={c.key_id}>
                <TableCell>
                  <Checkbox
                    aria-label={`Add a reminder for ${c.app_name ?? c.client_id}`}
                    disabled={c.kind !== "secret"}
                    checked={picked.has(c.key_id)}
                    onChange={(_, d) => toggle(c.key_id, d.checked === true)}
                  />
                </TableCell>
                <TableCell>{c.app_name ?? c.client_id}</TableCell>
                <TableCell>{c.kind === "secret" ? "Client secret" : "Certificate"}</TableCell>
                <TableCell>
                  {new Date(c.expires).toLocaleDateString()} ({daysText(c.days_left)})
                </TableCell>
              </TableRow>
            ))}
          </HeadedTable>
          <Button appearance="primary" disabled={picked.size === 0} onClick={() => void add.run()} data-testid="scan-add">
            Add the selected secrets
          </Button>
        </>
      )}
    </section>
  );
}

/**
 * "Scan this tenant": every client secret and certificate of the signed-in administrator's
 * tenant expiring within the chosen window, read over Graph; the secrets chosen are added to the
 * reminders.
 */
import { useState } from "react";
import {
  Body1,
  Button,
  Checkbox,
  Field,
  Select,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { SearchRegular } from "@fluentui/react-icons";
import { addScanned, scanTenant } from "../ipc";
import type { ExpiringCredential, RemindersView } from "../ipc";
import { useFailure } from "../hooks/useFailure";
import { daysText } from "./ExpiryBadge";
import { FailureBar } from "./FailureBar";

const useStyles = makeStyles({
  panel: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  title: { margin: 0 },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end" },
});

export function ScanPanel({ onAdded }: { onAdded: (view: RemindersView) => void }) {
  const styles = useStyles();
  const [days, setDays] = useState(90);
  const [found, setFound] = useState<ExpiringCredential[] | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const failure = useFailure();
  const [busy, setBusy] = useState(false);

  const scan = async () => {
    setBusy(true);
    failure.clear();
    try {
      const list = await scanTenant(days);
      setFound(list);
      setPicked(new Set(list.filter((c) => c.kind === "secret").map((c) => c.key_id)));
    } catch (cause) {
      failure.show(cause, () => void scan());
    } finally {
      setBusy(false);
    }
  };
  const add = async () => {
    if (!found) return;
    failure.clear();
    try {
      const picks = found
        .filter((c) => c.kind === "secret" && picked.has(c.key_id))
        .map((c) => ({ client_id: c.client_id, key_id: c.key_id, expires: c.expires, name: c.app_name }));
      onAdded(await addScanned(picks));
      setFound(null);
    } catch (cause) {
      failure.show(cause, () => void add());
    }
  };
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
        <Button icon={<SearchRegular />} disabled={busy} onClick={() => void scan()} data-testid="scan-button">
          {busy ? "Scanning…" : "Scan"}
        </Button>
      </div>
      <FailureBar notice={failure.notice} testId="scan-error" />
      {found && found.length === 0 && <Body1 data-testid="scan-empty">Nothing expires within {days} days.</Body1>}
      {found && found.length > 0 && (
        <>
          <Table aria-label="Credentials found" size="small" data-testid="scan-results">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Add</TableHeaderCell>
                <TableHeaderCell>App</TableHeaderCell>
                <TableHeaderCell>Kind</TableHeaderCell>
                <TableHeaderCell>Expires</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
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
            </TableBody>
          </Table>
          <Button appearance="primary" disabled={picked.size === 0} onClick={() => void add()} data-testid="scan-add">
            Add the selected secrets
          </Button>
        </>
      )}
    </section>
  );
}

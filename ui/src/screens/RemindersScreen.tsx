/**
 * The reminders page: every client secret the app watches and when it expires (name, tenant,
 * client ID, secret ID, expiry, days left, urgency in words and colour), add one by hand, remove
 * one (after confirming), "rotate now" into the wizard's secret step, scan the tenant, the
 * unattended monitor's last scan on this computer (`entra-setup monitor scan`), and the desktop
 * settings.
 */
import { useEffect, useId, useRef, useState } from "react";
import {
  Body1,
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  Select,
  Spinner,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title3,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular, ArrowLeftRegular, ArrowSyncRegular, DeleteRegular } from "@fluentui/react-icons";
import { addReminder, listProfiles, listReminders, monitorLastScan, removeReminder, rotateSecret } from "../ipc";
import type { LastScan, MonitorLastScanView, ProfileSummary, ReminderForm, RemindersView, Standing, WizardView } from "../ipc";
import { ExpiryBadge, daysText } from "../components/ExpiryBadge";
import { FailureBar } from "../components/FailureBar";
import { useFailure } from "../hooks/useFailure";
import { ScanPanel } from "../components/ScanPanel";
import { SettingsPanel } from "../components/SettingsPanel";

const useStyles = makeStyles({
  screen: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  heading: { margin: 0 },
  card: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  title: { margin: 0 },
  form: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(240px, 1fr))", gap: tokens.spacingHorizontalM },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  muted: { color: tokens.colorNeutralForeground2 },
});

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
function MonitorCard({ mono, muted, title }: { mono: string; muted: string; title: string }) {
  const [view, setView] = useState<MonitorLastScanView | null>(null);
  const failure = useFailure();
  const load = () => {
    failure.clear();
    monitorLastScan().then(setView, (cause: unknown) => failure.show(cause, load));
  };
  useEffect(() => {
    load();
  }, []);
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
            <Table aria-label="Credentials due at the monitor's last scan" size="small" data-testid="monitor-due-table">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Tenant</TableHeaderCell>
                  <TableHeaderCell>App</TableHeaderCell>
                  <TableHeaderCell>Credential</TableHeaderCell>
                  <TableHeaderCell>Expires</TableHeaderCell>
                  <TableHeaderCell>Urgency</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
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
              </TableBody>
            </Table>
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

const EMPTY_FORM: ReminderForm = { tenant: "", client_id: "", key_id: "", expires: "", name: "" };

export interface RemindersScreenProps {
  onBack: () => void;
  /** The wizard opened on the secret step of a reminder's client. */
  onRotate: (view: WizardView) => void;
  /** The demo tenant's scenario, for rotating on the demo tenant. */
  demoScenario: string;
}

export function RemindersScreen({ onBack, onRotate, demoScenario }: RemindersScreenProps) {
  const styles = useStyles();
  const headingId = useId();
  const [view, setView] = useState<RemindersView | null>(null);
  const [profiles, setProfiles] = useState<ProfileSummary[]>([]);
  const failure = useFailure();
  const [form, setForm] = useState<ReminderForm>(EMPTY_FORM);
  const formFailure = useFailure();
  const profilesFailure = useFailure();
  const [removing, setRemoving] = useState<Standing | null>(null);
  const [rotating, setRotating] = useState<Standing | null>(null);
  const [rotateProfile, setRotateProfile] = useState("");
  const [rotateDemo, setRotateDemo] = useState("real");

  const load = () => {
    failure.clear();
    listReminders().then(setView, (cause: unknown) => failure.show(cause, load));
  };
  // The integrations to rotate a secret in; without them the rotate dialog says why.
  const loadProfiles = () => {
    profilesFailure.clear();
    listProfiles().then(
      (list) => {
        setProfiles(list);
        setRotateProfile(list.find((p) => p.checks.includes("client_secret"))?.id ?? list[0]?.id ?? "");
      },
      (cause: unknown) => profilesFailure.show(cause, loadProfiles),
    );
  };
  useEffect(() => {
    load();
    loadProfiles();
  }, []);

  const add = async () => {
    formFailure.clear();
    try {
      setView(await addReminder(form));
      setForm(EMPTY_FORM);
    } catch (cause) {
      // Trying again adds the form as it is then.
      formFailure.show(cause, () => void latestAdd.current());
    }
  };
  const latestAdd = useRef(add);
  latestAdd.current = add;
  const remove = async (standing: Standing) => {
    setRemoving(null);
    failure.clear();
    try {
      setView(await removeReminder(standing.key_id));
    } catch (cause) {
      failure.show(cause, () => void remove(standing));
    }
  };
  const rotate = async (standing: Standing) => {
    setRotating(null);
    failure.clear();
    try {
      onRotate(await rotateSecret(standing.key_id, rotateProfile, rotateDemo === "demo" ? demoScenario : null));
    } catch (cause) {
      failure.show(cause, () => void rotate(standing));
    }
  };
  const field = (key: keyof ReminderForm, label: string, hint: string) => (
    <Field label={label} hint={hint} required={key !== "name"}>
      <Input value={form[key]} onChange={(_, d) => setForm({ ...form, [key]: d.value })} data-testid={`reminder-${key}`} />
    </Field>
  );

  return (
    <section className={styles.screen} aria-labelledby={headingId} data-testid="reminders-screen">
      <div className={styles.row}>
        <Button icon={<ArrowLeftRegular />} onClick={onBack} data-testid="reminders-back">
          Back
        </Button>
        <Title3 as="h2" id={headingId} className={styles.heading}>
          Client secret reminders
        </Title3>
      </div>
      <FailureBar notice={failure.notice} testId="reminders-error" />
      <div className={styles.card}>
        <Subtitle2 as="h3" className={styles.title}>
          What expires when
        </Subtitle2>
        {!view && !failure.notice && <Spinner label="Loading reminders…" />}
        {view && view.standings.length === 0 && <Body1 data-testid="reminders-empty">No client secret is watched yet.</Body1>}
        {view && view.standings.length > 0 && (
          <Table aria-label="Watched client secrets" size="small" data-testid="reminders-table">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Tenant</TableHeaderCell>
                <TableHeaderCell>Client ID</TableHeaderCell>
                <TableHeaderCell>Secret ID</TableHeaderCell>
                <TableHeaderCell>Expires</TableHeaderCell>
                <TableHeaderCell>Urgency</TableHeaderCell>
                <TableHeaderCell>Actions</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {view.standings.map((s) => (
                <TableRow key={s.key_id} data-testid={`reminder-row-${s.key_id}`}>
                  <TableCell>{s.name ?? "—"}</TableCell>
                  <TableCell className={styles.mono}>{s.tenant}</TableCell>
                  <TableCell className={styles.mono}>{s.client_id}</TableCell>
                  <TableCell className={styles.mono}>{s.key_id}</TableCell>
                  <TableCell>
                    {new Date(s.expires).toLocaleDateString()} ({daysText(s.days_left)})
                  </TableCell>
                  <TableCell>
                    <ExpiryBadge stage={s.stage} urgency={s.urgency} />
                  </TableCell>
                  <TableCell>
                    <div className={styles.row}>
                      <Button
                        size="small"
                        icon={<ArrowSyncRegular />}
                        onClick={() => setRotating(s)}
                        aria-label={`Rotate the secret of ${s.name ?? s.client_id} now`}
                      >
                        Rotate now
                      </Button>
                      <Button
                        size="small"
                        icon={<DeleteRegular />}
                        onClick={() => setRemoving(s)}
                        aria-label={`Remove the reminder for ${s.name ?? s.client_id}`}
                        data-testid={`reminder-remove-${s.key_id}`}
                      >
                        Remove
                      </Button>
                    </div>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {view && <Body1 className={styles.muted}>Kept in {view.file}</Body1>}
      </div>

      <div className={styles.card}>
        <Subtitle2 as="h3" className={styles.title}>
          Add a reminder by hand
        </Subtitle2>
        <div className={styles.form}>
          {field("name", "Name", "The app or the integration")}
          {field("tenant", "Tenant", "Domain or Directory (tenant) ID")}
          {field("client_id", "Application (client) ID", "A GUID")}
          {field("key_id", "Secret ID", "Under Certificates & secrets (not the value)")}
          {field("expires", "Expires", "A date such as 2027-03-01")}
        </div>
        <FailureBar notice={formFailure.notice} testId="reminder-form-error" besideForm />
        <div className={styles.row}>
          <Button appearance="primary" icon={<AddRegular />} onClick={() => void add()} data-testid="reminder-add">
            Add reminder
          </Button>
        </div>
      </div>

      <div className={styles.card}>
        <MonitorCard mono={styles.mono} muted={styles.muted} title={styles.title} />
      </div>
      <div className={styles.card}>
        <ScanPanel onAdded={setView} />
      </div>
      <div className={styles.card}>
        <SettingsPanel />
      </div>

      <Dialog open={removing !== null} onOpenChange={(_, d) => !d.open && setRemoving(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Remove this reminder?</DialogTitle>
            <DialogContent>
              The app will stop reminding you about the secret of {removing?.name ?? removing?.client_id}. The secret itself
              is not touched.
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setRemoving(null)}>Keep it</Button>
              <Button appearance="primary" onClick={() => removing && void remove(removing)} data-testid="reminder-remove-confirm">
                Remove
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>

      <Dialog open={rotating !== null} onOpenChange={(_, d) => !d.open && setRotating(null)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Rotate the secret of {rotating?.name ?? rotating?.client_id}</DialogTitle>
            <DialogContent>
              <Body1 as="p">
                The wizard opens on its secret step for this app. "Create it for me" adds a new secret beside the old one,
                which keeps working until it expires: put the new one into the product, then let the old one lapse.
              </Body1>
              <Field label="Integration">
                <Select value={rotateProfile} onChange={(_, d) => setRotateProfile(d.value)}>
                  {profiles.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.title}
                    </option>
                  ))}
                </Select>
              </Field>
              <FailureBar notice={profilesFailure.notice} testId="rotate-profiles-error" />
              <Field label="Tenant">
                <Select value={rotateDemo} onChange={(_, d) => setRotateDemo(d.value)}>
                  <option value="real">My tenant</option>
                  <option value="demo">The demo tenant</option>
                </Select>
              </Field>
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setRotating(null)}>Cancel</Button>
              <Button appearance="primary" onClick={() => rotating && void rotate(rotating)}>
                Open the secret step
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}

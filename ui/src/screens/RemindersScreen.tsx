/**
 * The reminders page: every client secret the app watches and when it expires (name, tenant,
 * client ID, secret ID, expiry, days left, urgency in words and colour), add one by hand, remove
 * one (after confirming), "rotate now" into the wizard's secret step, scan the tenant, the
 * unattended monitor's last scan on this computer (`entra-setup monitor scan`), and the desktop
 * settings.
 */
import { useEffect, useId, useState } from "react";
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
  TableCell,
  TableRow,
  Title3,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { AddRegular, ArrowLeftRegular, ArrowSyncRegular, DeleteRegular } from "@fluentui/react-icons";
import { addReminder, listProfiles, listReminders, removeReminder, rotateSecret } from "../ipc";
import type { ProfileSummary, ReminderForm, Standing, WizardView } from "../ipc";
import { ExpiryBadge } from "../components/ExpiryBadge";
import { daysText } from "../labels";
import { FailureBar } from "../components/FailureBar";
import { HeadedTable } from "../components/HeadedTable";
import { MonitorCard } from "../components/MonitorCard";
import { ScanPanel } from "../components/ScanPanel";
import { SettingsPanel } from "../components/SettingsPanel";
import { useAction } from "../hooks/useAction";
import { useFailure } from "../hooks/useFailure";
import { useLoaded } from "../hooks/useLoaded";
import { cardSurface, column, controlRow } from "../layout";

const useStyles = makeStyles({
  screen: column(tokens.spacingVerticalL),
  heading: { margin: 0 },
  card: { ...column(tokens.spacingVerticalS), ...cardSurface, padding: tokens.spacingHorizontalL },
  title: { margin: 0 },
  form: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(240px, 1fr))", gap: tokens.spacingHorizontalM },
  row: controlRow(tokens.spacingHorizontalS, "center"),
  mono: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  muted: { color: tokens.colorNeutralForeground2 },
});

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
  const reminders = useLoaded(listReminders, []);
  const { value: view, set: setView, failure } = reminders;
  const [profiles, setProfiles] = useState<ProfileSummary[]>([]);
  const [form, setForm] = useState<ReminderForm>(EMPTY_FORM);
  const formFailure = useFailure();
  const profilesFailure = useFailure();
  const [removing, setRemoving] = useState<Standing | null>(null);
  const [rotating, setRotating] = useState<Standing | null>(null);
  const [rotateProfile, setRotateProfile] = useState("");
  const [rotateDemo, setRotateDemo] = useState("real");

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
  useEffect(loadProfiles, []);

  // Trying again adds the form as it is then.
  const add = useAction(
    async () => {
      setView(await addReminder(form));
      setForm(EMPTY_FORM);
    },
    { failure: formFailure },
  );
  const remove = useAction(
    async (standing: Standing) => {
      setRemoving(null);
      setView(await removeReminder(standing.key_id));
    },
    { failure },
  );
  const rotate = useAction(
    async (standing: Standing) => {
      setRotating(null);
      onRotate(await rotateSecret(standing.key_id, rotateProfile, rotateDemo === "demo" ? demoScenario : null));
    },
    { failure },
  );
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
          <HeadedTable
            label="Watched client secrets"
            testId="reminders-table"
            headings={["Name", "Tenant", "Client ID", "Secret ID", "Expires", "Urgency", "Actions"]}
          >
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
          </HeadedTable>
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
          <Button appearance="primary" icon={<AddRegular />} onClick={() => void add.run()} data-testid="reminder-add">
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
              <Button appearance="primary" onClick={() => removing && void remove.run(removing)} data-testid="reminder-remove-confirm">
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
              <Button appearance="primary" onClick={() => rotating && void rotate.run(rotating)}>
                Open the secret step
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}

/**
 * The UI's only door to the desktop shell: the one module that imports the generated bindings
 * (`./bindings`) or `@tauri-apps/api`. Components call the functions here, which resolve with
 * the command's data or reject with an {@link IpcFailure} carrying a stable `code`.
 */
import { Channel } from "@tauri-apps/api/core";
import { openUrl } from "@tauri-apps/plugin-opener";
import { commands } from "./bindings";
import type {
  CredentialType,
  DemoScenario,
  DesktopSettings,
  ExpiringCredential,
  ExportDraft,
  ExportForm,
  ExportInputError,
  ExportOutcome,
  KeychainStatus,
  MonitorLastScanView,
  ReminderForm,
  RemindersView,
  ScannedSecret,
  Standing,
  Finding,
  InputField,
  IpcError,
  IpcErrorCode,
  ProfileSummary,
  Progress,
  RepairOutcome,
  Result,
  Resumed,
  SignInPrompt,
  WizardStep,
  WizardView,
} from "./bindings";

export type {
  Resumed,
  CertificateRecord,
  CertificateShown,
  CheckId,
  CredentialType,
  CheckResult,
  DemoScenario,
  Finding,
  InputField,
  InputIssue,
  IpcErrorCode,
  Needed,
  PermissionRow,
  ProfileKind,
  ProfileSource,
  ProfileSummary,
  Progress,
  RepairOutcome,
  SignInPrompt,
  Status,
  StepView,
  WizardInputs,
  WizardStep,
  WizardView,
} from "./bindings";
export type {
  DesktopSettings,
  ExpiringCredential,
  ExportDraft,
  ExportForm,
  ExportInputError,
  ExportOutcome,
  KeychainStatus,
  LastScan,
  LastScanDue,
  LastScanTenant,
  MonitorLastScanView,
  ReminderForm,
  RemindersView,
  ScannedSecret,
  Stage,
  Urgency,
  Standing,
} from "./bindings";

/**
 * Why a call failed: one of the shell's error codes, or `ipc_failed` when the shell could not
 * be reached or answered with something other than its typed `{ code, message }` error.
 */
export type IpcFailureCode = IpcErrorCode | "ipc_failed";

/** A failed call to the desktop shell, with a code the UI can branch on and a readable message. */
export class IpcFailure extends Error {
  readonly code: IpcFailureCode;

  constructor(code: IpcFailureCode, message: string) {
    super(message);
    this.name = "IpcFailure";
    this.code = code;
  }
}

/** The shell's integration profiles: the shipped ones and the admin's own. */
export async function listProfiles(): Promise<ProfileSummary[]> {
  return unwrap(() => commands.listProfiles());
}

/** The demo tenant's scenarios, healthy first. */
export async function demoScenarios(): Promise<DemoScenario[]> {
  return unwrap(() => commands.demoScenarios());
}

/** The setup under way, on the step it was left on, or null. */
export async function resumeWizard(): Promise<Resumed> {
  return unwrap(() => commands.wizardResume());
}

/** Start setting up a profile; `demo` names the demo tenant's scenario to rehearse on. */
export async function startWizard(profile: string, demo: string | null): Promise<WizardView> {
  return unwrap(() => commands.wizardStart(profile, demo));
}

/** Leave the setup and forget its progress. */
export async function closeWizard(): Promise<void> {
  await unwrap(() => commands.wizardClose());
}

/** Save one input; the view carries its offline issues. */
export async function setInput(field: InputField, value: string): Promise<WizardView> {
  return unwrap(() => commands.wizardSetInput(field, value));
}

/** Go to a step. */
export async function goToStep(step: WizardStep): Promise<WizardView> {
  return unwrap(() => commands.wizardGo(step));
}

/** Verify a step's checks live; `onProgress` hears each check start and finish. */
export async function checkStep(step: WizardStep, onProgress: (event: Progress) => void): Promise<WizardView> {
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  return unwrap(() => commands.wizardCheck(step, channel));
}

/** Sign the administrator in; `onPrompt` gets the device code to show. */
export async function signInAdministrator(onPrompt: (prompt: SignInPrompt) => void): Promise<WizardView> {
  const channel = new Channel<SignInPrompt>();
  channel.onmessage = onPrompt;
  return unwrap(() => commands.wizardSignIn(channel));
}

/** Sign the mailbox owner in; `onPrompt` gets the device code to show. */
export async function signInMailboxOwner(onPrompt: (prompt: SignInPrompt) => void): Promise<WizardView> {
  const channel = new Channel<SignInPrompt>();
  channel.onmessage = onPrompt;
  return unwrap(() => commands.wizardSignInMailbox(channel));
}

/** Create the registration, or repair the one entered (permissions, consent, redirect URI). */
export async function registerApp(secretDays: number | null): Promise<RepairOutcome> {
  return unwrap(() => commands.wizardRegister(secretDays));
}

/** Add a new client secret living `days`. */
/** A new secret for `days`, or until the custom end date `until` (YYYY-MM-DD). */
export async function createSecret(days: number | null, until: string | null = null): Promise<RepairOutcome> {
  return unwrap(() => commands.wizardNewSecret(days, until));
}

/** Choose what the app proves itself with: a client secret, or a certificate where the product takes one. */
export async function setCredential(credential: CredentialType): Promise<WizardView> {
  return unwrap(() => commands.wizardSetCredential(credential));
}

/** A new certificate for `days`, or until the custom end date `until` (YYYY-MM-DD); its private key stays in the OS keychain. */
export async function createCertificate(days: number | null, until: string | null = null): Promise<RepairOutcome> {
  return unwrap(() => commands.wizardNewCertificate(days, until));
}

/** Use the certificate the OS keychain keeps for this client. */
export async function useKeptCertificate(): Promise<WizardView> {
  return unwrap(() => commands.wizardUseKeptCertificate());
}

/** Keep the public client people sign in with (null: back to the default). */
export async function setSignInClient(clientId: string | null): Promise<WizardView> {
  return unwrap(() => commands.wizardSetSignInClient(clientId));
}

/** Hold a pasted secret value in the shell's memory (never saved). */
export async function setSecret(value: string): Promise<WizardView> {
  return unwrap(() => commands.wizardSetSecret(value));
}

/** The created secret's value, once. */
export async function revealSecret(): Promise<string> {
  return unwrap(() => commands.wizardRevealSecret());
}

/** Explain pasted error text; with the profile of the setup under way, its own findings come first. */
export async function diagnose(text: string, profile: string | null = null): Promise<Finding[]> {
  return unwrap(() => commands.diagnoseText(text, profile));
}

/** Play another demo scenario. */
export async function switchDemo(scenario: string): Promise<WizardView> {
  return unwrap(() => commands.demoSwitch(scenario));
}

/** Open a Microsoft page in the system browser (the capability allows only Microsoft's pages). */
export async function openExternal(url: string): Promise<void> {
  try {
    await openUrl(url);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new IpcFailure("ipc_failed", `The browser could not be opened on ${url}: ${detail}`);
  }
}

/** Copy text to the clipboard. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new IpcFailure("ipc_failed", `The clipboard could not be written: ${detail}`);
  }
}

// The bundle, the keychain, the reminders and the desktop settings.

/** Whether the OS keychain answers and holds a secret for the setup under way. */
export async function keychainStatus(): Promise<KeychainStatus> {
  return unwrap(() => commands.keychainStatus());
}

/** Use the secret kept in the keychain for this client. */
export async function useKeptSecret(): Promise<WizardView> {
  return unwrap(() => commands.wizardUseKeptSecret());
}

/** Export the configuration bundle of the setup under way. */
export async function exportBundle(form: ExportForm): Promise<ExportOutcome> {
  return unwrap(() => commands.bundleExport(form));
}

/** What is wrong with the export panel as typed, field by field (nothing is written). */
export async function checkExportForm(draft: ExportDraft): Promise<ExportInputError[]> {
  try {
    return await commands.bundleCheckForm(draft);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new IpcFailure("ipc_failed", `The app's back end could not check the export form: ${detail}`);
  }
}

/** Open a saved bundle and resume the wizard where it left off. */
export async function openBundle(path: string, demo: string | null): Promise<WizardView> {
  return unwrap(() => commands.bundleOpen(path, demo));
}

/** Where to save a bundle, from the system's save dialog (null when cancelled). */
export async function chooseSavePath(): Promise<string | null> {
  return unwrap(() => commands.bundleChooseSavePath());
}

/** Which bundle to open, from the system's open dialog (null when cancelled). */
export async function chooseOpenPath(): Promise<string | null> {
  return unwrap(() => commands.bundleChooseOpenPath());
}

/** Every kept secret and when it expires. */
export async function listReminders(): Promise<RemindersView> {
  return unwrap(() => commands.remindersList());
}

/** The secrets that expire within 30 days or have expired. */
export async function reminderAlerts(): Promise<Standing[]> {
  return unwrap(() => commands.remindersAlerts());
}

/** Add a reminder by hand. */
export async function addReminder(form: ReminderForm): Promise<RemindersView> {
  return unwrap(() => commands.remindersAdd(form));
}

/** Forget a reminder. */
export async function removeReminder(keyId: string): Promise<RemindersView> {
  return unwrap(() => commands.remindersRemove(keyId));
}

/** The signed-in administrator's tenant's credentials expiring within `withinDays`. */
export async function scanTenant(withinDays: number): Promise<ExpiringCredential[]> {
  return unwrap(() => commands.remindersScan(withinDays));
}

/** Keep reminders for the scanned secrets chosen. */
export async function addScanned(picks: ScannedSecret[]): Promise<RemindersView> {
  return unwrap(() => commands.remindersAddScanned(picks));
}

/** The wizard's secret step for a reminder's client, to make a new secret beside the old one. */
export async function rotateSecret(keyId: string, profile: string, demo: string | null): Promise<WizardView> {
  return unwrap(() => commands.remindersRotate(keyId, profile, demo));
}

/** The unattended monitor's last scan on this computer (`entra-setup monitor scan`). */
export async function monitorLastScan(): Promise<MonitorLastScanView> {
  try {
    return await commands.remindersMonitorLastScan();
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new IpcFailure("ipc_failed", `The app's back end could not read the monitor's last scan: ${detail}`);
  }
}

/** The desktop settings. */
export async function getSettings(): Promise<DesktopSettings> {
  return unwrap(() => commands.settingsGet());
}

/** Change the desktop settings (saved and applied). */
export async function saveSettings(settings: DesktopSettings): Promise<DesktopSettings> {
  return unwrap(() => commands.settingsSet(settings));
}

// Support.

/** The newest part of the app's log (no secret, token or code is ever logged), to copy for support. */
export async function supportLog(): Promise<string> {
  return unwrap(() => commands.supportLogText());
}

/** Open the app's log folder in the system's file manager. */
export async function openLogFolder(): Promise<void> {
  await unwrap(() => commands.supportOpenLogFolder());
}

/** Runs one generated command and turns its `Result` (or a transport failure) into data or an IpcFailure. */
async function unwrap<T>(call: () => Promise<Result<T, IpcError>>): Promise<T> {
  let result: Result<T, IpcError>;
  try {
    result = await call();
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new IpcFailure("ipc_failed", `The app's back end could not be reached: ${detail}`);
  }
  if (result.status === "ok") {
    return result.data;
  }
  if (isIpcError(result.error)) {
    throw new IpcFailure(result.error.code, result.error.message);
  }
  throw new IpcFailure(
    "ipc_failed",
    `The app's back end returned an unexpected error: ${describe(result.error)}`,
  );
}

/** The generated types promise `{ code, message }`, but an unknown command or a panic yields a bare string. */
function isIpcError(error: unknown): error is IpcError {
  return (
    typeof error === "object" &&
    error !== null &&
    typeof (error as Record<string, unknown>).code === "string" &&
    typeof (error as Record<string, unknown>).message === "string"
  );
}

function describe(value: unknown): string {
  if (typeof value === "string") {
    return value;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

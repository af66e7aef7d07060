/**
 * The UI's only door to the desktop shell: the one module that imports the generated bindings
 * (`./bindings`) or `@tauri-apps/api`. Components call the functions here, which resolve with
 * the command's data or reject with an {@link IpcFailure} carrying a stable `code`.
 */
import { Channel } from "@tauri-apps/api/core";
import { openUrl } from "@tauri-apps/plugin-opener";
import { commands } from "./bindings";
import type {
  DemoScenario,
  Finding,
  InputField,
  IpcError,
  IpcErrorCode,
  ProfileSummary,
  Progress,
  RepairOutcome,
  Result,
  SignInPrompt,
  WizardStep,
  WizardView,
} from "./bindings";

export type {
  CheckId,
  CheckResult,
  DemoScenario,
  Finding,
  InputField,
  InputIssue,
  IpcErrorCode,
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
export async function resumeWizard(): Promise<WizardView | null> {
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
export async function createSecret(days: number | null): Promise<RepairOutcome> {
  return unwrap(() => commands.wizardNewSecret(days));
}

/** Hold a pasted secret value in the shell's memory (never saved). */
export async function setSecret(value: string): Promise<WizardView> {
  return unwrap(() => commands.wizardSetSecret(value));
}

/** The created secret's value, once. */
export async function revealSecret(): Promise<string> {
  return unwrap(() => commands.wizardRevealSecret());
}

/** Explain pasted error text. */
export async function diagnose(text: string): Promise<Finding[]> {
  return unwrap(() => commands.diagnoseText(text));
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
    throw new IpcFailure("ipc_failed", `The browser could not be opened: ${detail}`);
  }
}

/** Copy text to the clipboard. */
export async function copyText(text: string): Promise<void> {
  await navigator.clipboard.writeText(text);
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

/**
 * The UI's only door to the desktop shell: the one module that imports the generated bindings
 * (`./bindings`) or `@tauri-apps/api`. Components call the functions here, which resolve with
 * the command's data or reject with an {@link IpcFailure} carrying a stable `code`.
 */
import { commands } from "./bindings";
import type { IpcError, IpcErrorCode, ProfileSummary, Result } from "./bindings";

export type {
  CheckId,
  IpcErrorCode,
  ProfileKind,
  ProfileSource,
  ProfileSummary,
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

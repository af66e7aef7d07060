/**
 * What the admin sees and can do about a failed call: the one place that turns a failure (an
 * {@link IpcFailure} with the shell's code, or anything else thrown) into a notice with a title
 * per code, the shell's message as it is (it names the field and why), and the actions that
 * code allows among those the caller offers (try again, sign in, back to the start screen) or
 * that need no caller (copy the details, open the log folder). A failure whose setup was closed
 * or replaced meanwhile (`session_ended`) belongs to no screen and gives no notice.
 */
import { IpcFailure, copyText, openLogFolder } from "./ipc";
import type { IpcFailureCode } from "./ipc";

/** What the caller can offer the admin to do about a failure; an action it does not offer is not shown. */
export interface FailureOffers {
  /** Run what failed again. */
  retry?: () => void;
  /** Take the admin to the administrator's sign-in (the wizard's sign-in step). */
  signIn?: () => void;
  /** Back to the start screen. */
  startOver?: () => void;
}

/** An action a notice can offer. */
export type FailureActionKind = "retry" | "sign_in" | "start_over" | "copy_details" | "open_log_folder";

/** A button on a failure's notice. */
export interface FailureAction {
  kind: FailureActionKind;
  /** What the button says. */
  label: string;
  /** What it does; a rejection is shown on the notice. */
  run: () => void | Promise<void>;
}

/** A failure as the admin sees it. */
export interface FailureNotice {
  /** The shell's code, or `ipc_failed` for anything that is not an IpcFailure. */
  code: IpcFailureCode;
  /** What went wrong, in a few words (one per code). */
  title: string;
  /** The shell's message, as it is. */
  message: string;
  /** What the admin can do, in order. */
  actions: FailureAction[];
}

/** One of an action's wordings; the first of a slot's choices that can be offered is shown. */
interface Choice {
  kind: FailureActionKind;
  label: string;
}

interface Plan {
  title: string;
  /** Each slot is one button at most: the first of its choices the caller offers. */
  slots: Choice[][];
}

const TRY_AGAIN: Choice = { kind: "retry", label: "Try again" };
const COPY_DETAILS: Choice = { kind: "copy_details", label: "Copy the details" };
const OPEN_LOG_FOLDER: Choice = { kind: "open_log_folder", label: "Open the log folder" };

/** Each code's title and actions (session_ended has none: it is never shown). */
const PLANS: Record<Exclude<IpcFailureCode, "session_ended">, Plan> = {
  profile_invalid: { title: "An integration profile is not valid", slots: [[TRY_AGAIN], [COPY_DETAILS]] },
  storage_unavailable: {
    title: "A file the app keeps could not be read or written",
    slots: [[TRY_AGAIN], [COPY_DETAILS], [OPEN_LOG_FOLDER]],
  },
  invalid_input: { title: "Check what you entered", slots: [] },
  no_wizard: { title: "No setup is under way", slots: [[{ kind: "start_over", label: "Back to the start screen" }]] },
  not_signed_in: { title: "Sign in as administrator first", slots: [[{ kind: "sign_in", label: "Sign in" }]] },
  sign_in_failed: {
    title: "The sign-in did not finish",
    slots: [[{ kind: "retry", label: "Sign in again" }, { kind: "sign_in", label: "Sign in" }]],
  },
  repair_failed: { title: "Microsoft refused the change", slots: [[TRY_AGAIN]] },
  unavailable: { title: "Microsoft could not be reached", slots: [[TRY_AGAIN]] },
  demo_unavailable: { title: "The demo tenant is not available", slots: [[TRY_AGAIN]] },
  keychain_unavailable: { title: "The OS keychain is not available", slots: [[TRY_AGAIN]] },
  bundle_refused: { title: "This file cannot be opened as a bundle", slots: [] },
  ipc_failed: { title: "The app could not do that", slots: [[TRY_AGAIN], [COPY_DETAILS]] },
};

/** The failure's code and message: the shell's for an IpcFailure, `ipc_failed` and its text otherwise. */
export function failureOf(failure: unknown): { code: IpcFailureCode; message: string } {
  if (failure instanceof IpcFailure) return { code: failure.code, message: failure.message };
  return { code: "ipc_failed", message: failure instanceof Error ? failure.message : String(failure) };
}

/** What to show about `failure`, with the actions its code allows and `offers` provides; null when nothing is shown. */
export function describeFailure(failure: unknown, offers: FailureOffers = {}): FailureNotice | null {
  const { code, message } = failureOf(failure);
  if (code === "session_ended") return null;
  const plan = PLANS[code];
  const title = plan.title;
  const actions: FailureAction[] = [];
  for (const slot of plan.slots) {
    for (const choice of slot) {
      const run = runner(choice.kind, offers, { code, title, message });
      if (run) {
        actions.push({ kind: choice.kind, label: choice.label, run });
        break;
      }
    }
  }
  return { code, title, message, actions };
}

/**
 * The notice for `failure` as a screen shows it: each action that moves on or tries again
 * (`offers`) first takes the failure away (`dismiss`).
 */
export function dismissingNotice(failure: unknown, offers: FailureOffers, dismiss: () => void): FailureNotice | null {
  const then = (action: (() => void) | undefined) =>
    action &&
    (() => {
      dismiss();
      action();
    });
  return describeFailure(failure, { retry: then(offers.retry), signIn: then(offers.signIn), startOver: then(offers.startOver) });
}

/** Run one of a notice's actions: what to say on the notice when it did not work, null when it did. */
export async function runAction(action: FailureAction): Promise<string | null> {
  try {
    await action.run();
    return null;
  } catch (failure) {
    return `${action.label} did not work: ${failureOf(failure).message}`;
  }
}

/** The text "Copy the details" puts on the clipboard, for a support request. */
export function failureDetails(notice: Pick<FailureNotice, "code" | "title" | "message">): string {
  return `${notice.title}\n${notice.message}\n(code: ${notice.code})`;
}

function runner(
  kind: FailureActionKind,
  offers: FailureOffers,
  notice: Pick<FailureNotice, "code" | "title" | "message">,
): (() => void | Promise<void>) | undefined {
  switch (kind) {
    case "retry":
      return offers.retry;
    case "sign_in":
      return offers.signIn;
    case "start_over":
      return offers.startOver;
    case "copy_details":
      return () => copyText(failureDetails(notice));
    case "open_log_folder":
      return () => openLogFolder();
  }
}

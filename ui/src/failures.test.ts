/** The failure mapping: every code's title and actions, the shell's message kept as it is. */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { IpcFailure, copyText, openLogFolder } from "./ipc";
import type { IpcFailureCode } from "./ipc";
import { describeFailure, failureDetails } from "./failures";

vi.mock("./ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./ipc")>();
  return { ...actual, copyText: vi.fn(), openLogFolder: vi.fn() };
});

/** Every offer a caller can make. */
function allOffers() {
  return { retry: vi.fn(), signIn: vi.fn(), startOver: vi.fn() };
}

/** Each code: its title, and the buttons shown when the caller offers everything, in order. */
const EXPECTED: Record<Exclude<IpcFailureCode, "session_ended">, { title: string; buttons: string[] }> = {
  profile_invalid: { title: "An integration profile is not valid", buttons: ["Try again", "Copy the details"] },
  storage_unavailable: {
    title: "A file the app keeps could not be read or written",
    buttons: ["Try again", "Copy the details", "Open the log folder"],
  },
  invalid_input: { title: "Check what you entered", buttons: [] },
  no_wizard: { title: "No setup is under way", buttons: ["Back to the start screen"] },
  not_signed_in: { title: "Sign in as administrator first", buttons: ["Sign in"] },
  sign_in_failed: { title: "The sign-in did not finish", buttons: ["Sign in again"] },
  repair_failed: { title: "Microsoft refused the change", buttons: ["Try again"] },
  unavailable: { title: "Microsoft could not be reached", buttons: ["Try again"] },
  demo_unavailable: { title: "The demo tenant is not available", buttons: ["Try again"] },
  keychain_unavailable: { title: "The OS keychain is not available", buttons: ["Try again"] },
  bundle_refused: { title: "This file cannot be opened as a bundle", buttons: [] },
  ipc_failed: { title: "The app could not do that", buttons: ["Try again", "Copy the details"] },
};

beforeEach(() => {
  vi.mocked(copyText).mockReset().mockResolvedValue();
  vi.mocked(openLogFolder).mockReset().mockResolvedValue();
});

describe("describeFailure", () => {
  for (const [code, expected] of Object.entries(EXPECTED) as [Exclude<IpcFailureCode, "session_ended">, (typeof EXPECTED)[keyof typeof EXPECTED]][]) {
    it(`${code}: "${expected.title}", the shell's message as it is, ${expected.buttons.join(", ") || "no action"}`, () => {
      const message = `client_id: '${code}' is refused because of this (and that).`;
      const notice = describeFailure(new IpcFailure(code, message), allOffers());
      expect(notice).not.toBeNull();
      expect(notice?.code).toBe(code);
      expect(notice?.title).toBe(expected.title);
      expect(notice?.message).toBe(message);
      expect(notice?.actions.map((a) => a.label)).toEqual(expected.buttons);
    });
  }

  it("session_ended: shown as nothing (its setup was closed or replaced)", () => {
    expect(describeFailure(new IpcFailure("session_ended", "The setup this was started in was closed."), allOffers())).toBeNull();
  });

  it("anything else thrown is ipc_failed, with its own text", () => {
    expect(describeFailure(new Error("boom"))).toMatchObject({ code: "ipc_failed", title: "The app could not do that", message: "boom" });
    expect(describeFailure("plain text")).toMatchObject({ code: "ipc_failed", message: "plain text" });
  });

  it("offers only what the caller can do", () => {
    const bare = (code: IpcFailureCode) => describeFailure(new IpcFailure(code, "m"))?.actions.map((a) => a.kind);
    expect(bare("unavailable")).toEqual([]);
    expect(bare("not_signed_in")).toEqual([]);
    expect(bare("no_wizard")).toEqual([]);
    expect(bare("sign_in_failed")).toEqual([]);
    // Copying the details and opening the log folder need nothing from the caller.
    expect(bare("storage_unavailable")).toEqual(["copy_details", "open_log_folder"]);
    expect(bare("ipc_failed")).toEqual(["copy_details"]);
  });

  it("a sign-in that did not finish is tried again where it was, else from the sign-in step", () => {
    const signIn = vi.fn();
    const notice = describeFailure(new IpcFailure("sign_in_failed", "declined"), { signIn });
    expect(notice?.actions.map((a) => a.label)).toEqual(["Sign in"]);
    void notice?.actions[0]?.run();
    expect(signIn).toHaveBeenCalledTimes(1);
  });

  it("each action calls what it should", async () => {
    const offers = allOffers();
    const run = async (code: IpcFailureCode, label: string) => {
      const action = describeFailure(new IpcFailure(code, "The details."), offers)?.actions.find((a) => a.label === label);
      expect(action, `${code} offers ${label}`).toBeDefined();
      await action?.run();
    };

    await run("unavailable", "Try again");
    expect(offers.retry).toHaveBeenCalledTimes(1);
    await run("not_signed_in", "Sign in");
    expect(offers.signIn).toHaveBeenCalledTimes(1);
    await run("no_wizard", "Back to the start screen");
    expect(offers.startOver).toHaveBeenCalledTimes(1);
    await run("storage_unavailable", "Open the log folder");
    expect(openLogFolder).toHaveBeenCalledTimes(1);
    await run("storage_unavailable", "Copy the details");
    expect(copyText).toHaveBeenCalledWith(
      failureDetails({ code: "storage_unavailable", title: EXPECTED.storage_unavailable.title, message: "The details." }),
    );
    expect(vi.mocked(copyText).mock.calls[0]?.[0]).toBe(
      "A file the app keeps could not be read or written\nThe details.\n(code: storage_unavailable)",
    );
    expect(offers.retry).toHaveBeenCalledTimes(1);
  });
});

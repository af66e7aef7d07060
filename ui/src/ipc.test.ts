import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { IpcFailure, listProfiles } from "./ipc";
import { sampleProfiles } from "./test/profiles";

afterEach(() => {
  clearMocks();
});

async function failureOf(promise: Promise<unknown>): Promise<IpcFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(IpcFailure);
    return error as IpcFailure;
  }
  throw new Error("expected the call to fail");
}

describe("listProfiles", () => {
  it("invokes list_profiles and returns the data of an ok result", async () => {
    const invoked: string[] = [];
    mockIPC((cmd) => {
      invoked.push(cmd);
      return sampleProfiles;
    });

    await expect(listProfiles()).resolves.toEqual(sampleProfiles);
    expect(invoked).toEqual(["list_profiles"]);
  });

  it("throws an IpcFailure with the shell's code and message on an error result", async () => {
    mockIPC(() => {
      throw { code: "storage_unavailable", message: "The profile folder cannot be read." };
    });

    const failure = await failureOf(listProfiles());
    expect(failure.code).toBe("storage_unavailable");
    expect(failure.message).toBe("The profile folder cannot be read.");
  });

  it("reports an error that is not the typed { code, message } as ipc_failed", async () => {
    mockIPC(() => {
      throw "command list_profiles not found";
    });

    const failure = await failureOf(listProfiles());
    expect(failure.code).toBe("ipc_failed");
    expect(failure.message).toContain("command list_profiles not found");
  });

  it("reports a transport failure as ipc_failed", async () => {
    mockIPC(() => {
      throw new Error("connection refused");
    });

    const failure = await failureOf(listProfiles());
    expect(failure.code).toBe("ipc_failed");
    expect(failure.message).toContain("connection refused");
  });
});

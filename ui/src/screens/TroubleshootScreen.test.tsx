import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { IpcFailure, copyText, diagnose, openLogFolder, supportLog } from "../ipc";
import { TroubleshootScreen } from "./TroubleshootScreen";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return { ...actual, diagnose: vi.fn(), supportLog: vi.fn(), copyText: vi.fn(), openLogFolder: vi.fn() };
});

describe("TroubleshootScreen", () => {
  it("explains pasted error text with the cause and what to do", async () => {
    vi.mocked(diagnose).mockResolvedValue([
      {
        source: "identity",
        code: "AADSTS7000215",
        cause: "secret_invalid",
        title: "The client secret is wrong",
        explanation: "Microsoft did not accept the secret.",
        fix: "Paste the secret's Value, not its ID.",
      },
    ]);
    render(
      <FluentProvider theme={webLightTheme}>
        <TroubleshootScreen onBack={() => {}} />
      </FluentProvider>,
    );
    expect(screen.getByTestId("diagnose-button")).toBeDisabled();
    await userEvent.type(screen.getByTestId("diagnose-input"), "AADSTS7000215");
    await userEvent.click(screen.getByTestId("diagnose-button"));
    const findings = await screen.findByTestId("diagnose-findings");
    expect(findings).toHaveTextContent("The client secret is wrong");
    expect(findings).toHaveTextContent("Paste the secret's Value, not its ID.");
    expect(findings).toHaveTextContent("AADSTS7000215 · secret_invalid");
  });

  it("asks for the findings of the setup under way first", async () => {
    vi.mocked(diagnose).mockResolvedValue([]);
    render(
      <FluentProvider theme={webLightTheme}>
        <TroubleshootScreen onBack={() => {}} integration={{ profile: "vendor-app-consent", title: "Approve a vendor's app" }} />
      </FluentProvider>,
    );
    expect(screen.getByTestId("diagnose-integration")).toHaveTextContent("Approve a vendor's app");
    await userEvent.type(screen.getByTestId("diagnose-input"), "Need admin approval");
    await userEvent.click(screen.getByTestId("diagnose-button"));
    expect(diagnose).toHaveBeenLastCalledWith("Need admin approval", "vendor-app-consent");
  });

  it("asks without a profile when no setup is under way", async () => {
    vi.mocked(diagnose).mockResolvedValue([]);
    render(
      <FluentProvider theme={webLightTheme}>
        <TroubleshootScreen onBack={() => {}} />
      </FluentProvider>,
    );
    expect(screen.queryByTestId("diagnose-integration")).not.toBeInTheDocument();
    await userEvent.type(screen.getByTestId("diagnose-input"), "AADSTS50011");
    await userEvent.click(screen.getByTestId("diagnose-button"));
    expect(diagnose).toHaveBeenLastCalledWith("AADSTS50011", null);
  });

  it("says so when nothing is known", async () => {
    vi.mocked(diagnose).mockResolvedValue([]);
    render(
      <FluentProvider theme={webLightTheme}>
        <TroubleshootScreen onBack={() => {}} />
      </FluentProvider>,
    );
    await userEvent.type(screen.getByTestId("diagnose-input"), "hello");
    await userEvent.click(screen.getByTestId("diagnose-button"));
    expect(await screen.findByTestId("diagnose-nothing")).toBeInTheDocument();
  });

  it("copies the support log and opens its folder", async () => {
    vi.mocked(supportLog).mockResolvedValue("INFO check started check=tenant\n");
    vi.mocked(copyText).mockResolvedValue();
    vi.mocked(openLogFolder).mockResolvedValue();
    render(
      <FluentProvider theme={webLightTheme}>
        <TroubleshootScreen onBack={() => {}} />
      </FluentProvider>,
    );
    await userEvent.click(screen.getByTestId("support-log-copy"));
    expect(await screen.findByTestId("support-log-said")).toHaveTextContent("The support log was copied");
    expect(copyText).toHaveBeenCalledWith("INFO check started check=tenant\n");
    await userEvent.click(screen.getByTestId("support-log-folder"));
    expect(openLogFolder).toHaveBeenCalled();
  });

  it("says so when nothing was logged yet", async () => {
    vi.mocked(supportLog).mockResolvedValue("");
    vi.mocked(copyText).mockClear();
    render(
      <FluentProvider theme={webLightTheme}>
        <TroubleshootScreen onBack={() => {}} />
      </FluentProvider>,
    );
    await userEvent.click(screen.getByTestId("support-log-copy"));
    expect(await screen.findByTestId("support-log-said")).toHaveTextContent("Nothing has been logged yet.");
    expect(copyText).not.toHaveBeenCalled();
  });

  it("shows a failed explanation with its title and message", async () => {
    vi.mocked(diagnose).mockRejectedValue(new IpcFailure("invalid_input", "profile: no integration 'nope'"));
    render(
      <FluentProvider theme={webLightTheme}>
        <TroubleshootScreen onBack={() => {}} />
      </FluentProvider>,
    );
    await userEvent.type(screen.getByTestId("diagnose-input"), "AADSTS50011");
    await userEvent.click(screen.getByTestId("diagnose-button"));
    const bar = await screen.findByTestId("diagnose-error");
    expect(bar).toHaveTextContent("Check what you entered");
    expect(bar).toHaveTextContent("profile: no integration 'nope'");
  });

  it("a log folder that cannot be opened says why, and offers to copy the details", async () => {
    vi.mocked(openLogFolder).mockRejectedValue(new IpcFailure("storage_unavailable", "log folder: cannot open /home/a/logs"));
    vi.mocked(copyText).mockReset().mockResolvedValue();
    render(
      <FluentProvider theme={webLightTheme}>
        <TroubleshootScreen onBack={() => {}} />
      </FluentProvider>,
    );
    await userEvent.click(screen.getByTestId("support-log-folder"));
    const bar = await screen.findByTestId("support-log-said");
    expect(bar).toHaveTextContent("A file the app keeps could not be read or written");
    expect(bar).toHaveTextContent("log folder: cannot open /home/a/logs");
    await userEvent.click(within(bar).getByRole("button", { name: "Copy the details" }));
    expect(copyText).toHaveBeenCalledWith(expect.stringContaining("log folder: cannot open /home/a/logs"));
  });
});

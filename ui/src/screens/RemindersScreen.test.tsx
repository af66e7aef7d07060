import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { IpcFailure, addReminder, getSettings, listProfiles, listReminders, removeReminder } from "../ipc";
import type { RemindersView, Standing } from "../ipc";
import { sampleProfiles } from "../test/profiles";
import { RemindersScreen } from "./RemindersScreen";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return {
    ...actual,
    listReminders: vi.fn(),
    listProfiles: vi.fn(),
    addReminder: vi.fn(),
    removeReminder: vi.fn(),
    getSettings: vi.fn(),
    saveSettings: vi.fn(),
  };
});

function standing(key: string, days: number, stage: Standing["stage"], urgency: Standing["urgency"]): Standing {
  return {
    tenant: "contoso.com",
    client_id: "11111111-0000-0000-0000-000000000001",
    key_id: key,
    expires: "2027-01-01T00:00:00Z",
    name: `App ${key}`,
    source: "add",
    days_left: days,
    stage,
    urgency,
    due: stage.state !== "later",
  };
}

const view: RemindersView = {
  file: "/home/admin/.config/entra-setup/reminders.json",
  standings: [
    standing("gone", -2, { state: "expired" }, "expired"),
    standing("soon", 5, { state: "due", lead_days: 7 }, "urgent"),
    standing("month", 20, { state: "due", lead_days: 30 }, "soon"),
    standing("later", 200, { state: "later" }, "later"),
  ],
};

function renderScreen() {
  return render(
    <FluentProvider theme={webLightTheme}>
      <RemindersScreen onBack={vi.fn()} onRotate={vi.fn()} demoScenario="contoso" />
    </FluentProvider>,
  );
}

beforeEach(() => {
  vi.mocked(listReminders).mockResolvedValue(view);
  vi.mocked(listProfiles).mockResolvedValue(sampleProfiles);
  vi.mocked(getSettings).mockResolvedValue({ keep_in_tray: false, start_at_login: false });
  vi.mocked(addReminder).mockReset();
  vi.mocked(removeReminder).mockReset();
});

describe("RemindersScreen", () => {
  it("lists each secret with its urgency in words", async () => {
    renderScreen();
    await screen.findByTestId("reminders-table");
    expect(within(screen.getByTestId("reminder-row-gone")).getByText("Expired")).toBeInTheDocument();
    expect(within(screen.getByTestId("reminder-row-soon")).getByText("Within 7 days")).toBeInTheDocument();
    expect(within(screen.getByTestId("reminder-row-soon")).getByText(/in 5 days/)).toBeInTheDocument();
    expect(within(screen.getByTestId("reminder-row-month")).getByText("Within 30 days")).toBeInTheDocument();
    expect(within(screen.getByTestId("reminder-row-later")).getByText("Not yet due")).toBeInTheDocument();
  });

  it("shows the refusal of a bad hand-entered field", async () => {
    vi.mocked(addReminder).mockRejectedValue(new IpcFailure("invalid_input", "key_id: 'x' is not a GUID"));
    renderScreen();
    await screen.findByTestId("reminders-table");
    await userEvent.type(screen.getByTestId("reminder-key_id"), "x");
    await userEvent.click(screen.getByTestId("reminder-add"));
    expect(await screen.findByTestId("reminder-form-error")).toHaveTextContent("key_id:");
  });

  it("removes only after confirming", async () => {
    vi.mocked(removeReminder).mockResolvedValue({ ...view, standings: view.standings.slice(1) });
    renderScreen();
    await screen.findByTestId("reminders-table");
    await userEvent.click(screen.getByTestId("reminder-remove-gone"));
    expect(removeReminder).not.toHaveBeenCalled();
    await userEvent.click(await screen.findByTestId("reminder-remove-confirm"));
    expect(removeReminder).toHaveBeenCalledWith("gone");
  });

  it("a list that cannot be read is shown with its title and message, and read again on Try again", async () => {
    vi.mocked(listReminders)
      .mockRejectedValueOnce(new IpcFailure("storage_unavailable", "reminders.json: permission denied"))
      .mockResolvedValueOnce(view);
    renderScreen();
    const bar = await screen.findByTestId("reminders-error");
    expect(bar).toHaveTextContent("A file the app keeps could not be read or written");
    expect(bar).toHaveTextContent("reminders.json: permission denied");
    await userEvent.click(within(bar).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("reminders-table")).toBeInTheDocument();
    expect(screen.queryByTestId("reminders-error")).not.toBeInTheDocument();
  });

  it("the integrations to rotate in that cannot be listed are said in the rotate dialog", async () => {
    vi.mocked(listProfiles).mockRejectedValue(new IpcFailure("profile_invalid", "odoo.toml: unknown permission 'Mail.Sendd'"));
    renderScreen();
    await screen.findByTestId("reminders-table");
    await userEvent.click(within(screen.getByTestId("reminder-row-soon")).getByRole("button", { name: /Rotate the secret/ }));
    const bar = await screen.findByTestId("rotate-profiles-error");
    expect(bar).toHaveTextContent("An integration profile is not valid");
    expect(bar).toHaveTextContent("odoo.toml: unknown permission 'Mail.Sendd'");
  });
});

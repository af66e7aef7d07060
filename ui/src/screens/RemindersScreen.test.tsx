import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { IpcFailure, addReminder, getSettings, listProfiles, listReminders, monitorLastScan, removeReminder } from "../ipc";
import type { LastScan, MonitorLastScanView, RemindersView, Standing } from "../ipc";
import { sampleProfiles } from "../test/profiles";
import { RemindersScreen } from "./RemindersScreen";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return {
    ...actual,
    listReminders: vi.fn(),
    listProfiles: vi.fn(),
    monitorLastScan: vi.fn(),
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

const lastScanFile = "/home/admin/.local/share/entra-setup/monitor-last-scan.json";
const neverRan: MonitorLastScanView = { scan: null, problem: null, file: lastScanFile };
const lastScan: LastScan = {
  ran_at: "2027-02-19T06:00:00Z",
  within_days: 30,
  tenants: [
    {
      tenant: "contoso.com",
      status: "ok",
      registrations: 20001,
      due: [
        {
          client_id: "11111111-0000-0000-0000-000000000001",
          display_name: "Payroll sync",
          kind: "certificate",
          key_id: "ffffffff-0001-0000-0000-000000000001",
          expires: "2027-02-24T00:00:00Z",
          stage: { state: "due", lead_days: 7 },
          days_left: 4,
          urgency: "urgent",
        },
        {
          client_id: "11111111-0000-0000-0000-000000000002",
          display_name: "Old portal",
          kind: "secret",
          key_id: "dddddddd-0001-0000-0000-000000000003",
          expires: "2027-02-16T00:00:00Z",
          stage: { state: "expired" },
          days_left: -3,
          urgency: "expired",
        },
      ],
    },
    { tenant: "fabrikam.com", status: "ok", registrations: 4, due: [] },
    {
      tenant: "northwind.com",
      status: "unreadable",
      cause: "admin_consent_missing",
      detail: "the monitor app is not approved in this tenant",
      registrations: 0,
      due: [],
    },
  ],
  alerts: [],
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
  vi.mocked(monitorLastScan).mockResolvedValue(neverRan);
  vi.mocked(getSettings).mockResolvedValue({ keep_in_tray: false, start_at_login: false });
  vi.mocked(addReminder).mockReset();
  vi.mocked(removeReminder).mockReset();
});

describe("RemindersScreen", () => {
  it("shows the monitor's last scan: when, how many tenants, due and unreadable, and each item due", async () => {
    vi.mocked(monitorLastScan).mockResolvedValue({ scan: lastScan, problem: null, file: lastScanFile });
    renderScreen();
    const summary = await screen.findByTestId("monitor-summary");
    expect(summary).toHaveTextContent(
      `Monitor: last scan at ${new Date("2027-02-19T06:00:00Z").toLocaleString()}, 3 tenants, 2 due, 1 unreadable`,
    );
    const certificate = screen.getByTestId("monitor-due-ffffffff-0001-0000-0000-000000000001");
    expect(within(certificate).getByText(/Payroll sync/)).toBeInTheDocument();
    expect(within(certificate).getByText(/Certificate/)).toBeInTheDocument();
    expect(within(certificate).getByText("Within 7 days")).toBeInTheDocument();
    expect(within(screen.getByTestId("monitor-due-dddddddd-0001-0000-0000-000000000003")).getByText("Expired")).toBeInTheDocument();
    expect(screen.getByTestId("monitor-unreadable-northwind.com")).toHaveTextContent(
      "the monitor app is not approved in this tenant (admin_consent_missing)",
    );
    expect(screen.queryByTestId("monitor-never-ran")).not.toBeInTheDocument();
  });

  it("says the monitor has not run here and how to set it up", async () => {
    renderScreen();
    const never = await screen.findByTestId("monitor-never-ran");
    expect(never).toHaveTextContent("The monitor has not run on this computer");
    expect(never).toHaveTextContent("entra-setup monitor setup");
    expect(screen.queryByTestId("monitor-summary")).not.toBeInTheDocument();
  });

  it("names a damaged last scan instead of failing the page", async () => {
    vi.mocked(monitorLastScan).mockResolvedValue({
      scan: null,
      problem: `${lastScanFile} is damaged (EOF while parsing); the next monitor scan replaces it`,
      file: lastScanFile,
    });
    renderScreen();
    expect(await screen.findByTestId("monitor-last-scan-problem")).toHaveTextContent("is damaged");
    await screen.findByTestId("reminders-table");
  });

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

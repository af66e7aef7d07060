import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { webDarkTheme, webLightTheme } from "@fluentui/react-components";
import {
  IpcFailure,
  closeWizard,
  demoScenarios,
  getSettings,
  goToStep,
  listProfiles,
  listReminders,
  reminderAlerts,
  resumeWizard,
  scanTenant,
} from "./ipc";
import { sampleProfiles } from "./test/profiles";
import { sampleView } from "./test/wizard";
import type { Standing } from "./ipc";
import { App, firstScreen } from "./App";
import { remindersScreen, troubleshootScreen } from "./lazy";

vi.mock("./ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./ipc")>();
  return {
    ...actual,
    listProfiles: vi.fn(),
    resumeWizard: vi.fn(),
    reminderAlerts: vi.fn(),
    demoScenarios: vi.fn(),
    closeWizard: vi.fn(),
    goToStep: vi.fn(),
    listReminders: vi.fn(),
    getSettings: vi.fn(),
    scanTenant: vi.fn(),
  };
});

/** A controllable `prefers-color-scheme: dark` media query. */
function mockColorScheme(initiallyDark: boolean) {
  const listeners = new Set<(event: MediaQueryListEvent) => void>();
  const query = {
    matches: initiallyDark,
    media: "(prefers-color-scheme: dark)",
    addEventListener: (_type: string, listener: (event: MediaQueryListEvent) => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: (event: MediaQueryListEvent) => void) => listeners.delete(listener),
  };
  vi.stubGlobal(
    "matchMedia",
    vi.fn(() => query),
  );
  return {
    setDark(dark: boolean) {
      query.matches = dark;
      for (const listener of listeners) listener({ matches: dark } as MediaQueryListEvent);
    },
  };
}

/** The background colour the FluentProvider's theme sets on its root. */
function providerBackground(): string {
  const root = document.querySelector(".fui-FluentProvider");
  if (!root) throw new Error("no FluentProvider rendered");
  return getComputedStyle(root).getPropertyValue("--colorNeutralBackground1").trim();
}

beforeEach(() => {
  vi.clearAllMocks();
  vi.mocked(listProfiles).mockResolvedValue(sampleProfiles);
  vi.mocked(resumeWizard).mockResolvedValue({ view: null, set_aside: null });
  vi.mocked(reminderAlerts).mockResolvedValue([]);
  vi.mocked(demoScenarios).mockResolvedValue([]);
  window.localStorage.clear();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("App", () => {
  it("has a banner with the product name and a main region with the start screen", async () => {
    mockColorScheme(false);
    render(<App />);

    expect(screen.getByRole("banner")).toContainElement(
      screen.getByRole("heading", { level: 1, name: "Entra Setup Wizard" }),
    );
    expect(await screen.findByTestId("start-screen")).toBeInTheDocument();
    expect(screen.getByRole("main")).toContainElement(screen.getByTestId("start-screen"));
    expect(await screen.findByTestId("profile-list")).toBeInTheDocument();
  });

  it("opens on the first screen decided before it rendered: the cards and the notice from the first render, nothing asked again", async () => {
    mockColorScheme(false);
    vi.mocked(resumeWizard).mockResolvedValue({ view: null, set_aside: "Your saved progress was set aside." });
    const first = await firstScreen();
    expect(first?.screen.name).toBe("start");
    vi.mocked(resumeWizard).mockClear();
    vi.mocked(listProfiles).mockClear();

    render(<App first={first} />);
    // Synchronously, with no loading state in between.
    expect(screen.getByTestId("profile-list")).toBeInTheDocument();
    expect(screen.getByTestId("progress-set-aside")).toHaveTextContent("set aside");
    expect(resumeWizard).not.toHaveBeenCalled();
    expect(listProfiles).not.toHaveBeenCalled();
  });

  it("starts as usual when the first screen could not be decided", async () => {
    mockColorScheme(false);
    vi.mocked(resumeWizard).mockRejectedValueOnce(new IpcFailure("storage_unavailable", "the data folder cannot be read"));
    expect(await firstScreen()).toBeUndefined();
  });

  it("says when saved progress could not be used and was set aside, and a failed resume too", async () => {
    mockColorScheme(false);
    vi.mocked(resumeWizard).mockResolvedValue({
      view: null,
      set_aside: "Your saved progress could not be used: it is damaged. It is kept as /home/a/wizard.json.set-aside-1.",
    });
    const { unmount } = render(<App />);
    expect(await screen.findByTestId("progress-set-aside")).toHaveTextContent("wizard.json.set-aside-1");
    expect(screen.getByTestId("start-screen")).toBeInTheDocument();
    unmount();

    vi.mocked(resumeWizard).mockRejectedValue(new Error("storage: cannot read the wizard's progress file"));
    render(<App />);
    expect(await screen.findByTestId("start-error")).toHaveTextContent("cannot read the wizard's progress file");
  });

  it("a failed resume shows its title and the shell's message, and Try again resumes", async () => {
    mockColorScheme(false);
    vi.mocked(resumeWizard)
      .mockRejectedValueOnce(new IpcFailure("storage_unavailable", "wizard.json: permission denied"))
      .mockResolvedValueOnce({ view: sampleView({ step: "tenant" }), set_aside: null });
    render(<App />);
    const bar = await screen.findByTestId("start-error");
    expect(bar).toHaveTextContent("A file the app keeps could not be read or written");
    expect(bar).toHaveTextContent("wizard.json: permission denied");
    await userEvent.click(within(bar).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("wizard-screen")).toHaveAttribute("data-step", "tenant");
    expect(screen.queryByTestId("start-error")).not.toBeInTheDocument();
  });

  it("Start over that could not forget the progress says so on the start screen", async () => {
    mockColorScheme(false);
    vi.mocked(resumeWizard).mockResolvedValue({ view: sampleView({ step: "tenant" }), set_aside: null });
    vi.mocked(closeWizard).mockRejectedValue(new IpcFailure("storage_unavailable", "wizard.json: read-only file system"));
    render(<App />);
    await userEvent.click(await screen.findByTestId("close-wizard"));
    expect(await screen.findByTestId("start-screen")).toBeInTheDocument();
    expect(screen.getByTestId("start-error")).toHaveTextContent("wizard.json: read-only file system");
  });

  it("Sign in from the reminders page opens the setup under way on its sign-in step", async () => {
    mockColorScheme(false);
    vi.mocked(listReminders).mockResolvedValue({ file: "/r.json", standings: [] });
    vi.mocked(getSettings).mockResolvedValue({ keep_in_tray: false, start_at_login: false });
    vi.mocked(scanTenant).mockRejectedValue(new IpcFailure("not_signed_in", "The scan needs the administrator's sign-in."));
    vi.mocked(goToStep).mockResolvedValue(sampleView({ step: "sign_in" }));
    render(<App />);
    await userEvent.click(await screen.findByTestId("reminders-button"));
    await userEvent.click(await screen.findByTestId("scan-button"));
    const bar = await screen.findByTestId("scan-error");
    expect(bar).toHaveTextContent("Sign in as administrator first");
    await userEvent.click(within(bar).getByRole("button", { name: "Sign in" }));
    expect(goToStep).toHaveBeenCalledWith("sign_in");
    expect(await screen.findByTestId("wizard-screen")).toHaveAttribute("data-step", "sign_in");
  });

  it("follows the system's light or dark preference, live", async () => {
    const scheme = mockColorScheme(false);
    render(<App />);
    await screen.findByTestId("profile-list");
    expect(providerBackground()).toBe(webLightTheme.colorNeutralBackground1);

    act(() => scheme.setDark(true));
    expect(providerBackground()).toBe(webDarkTheme.colorNeutralBackground1);

    act(() => scheme.setDark(false));
    expect(providerBackground()).toBe(webLightTheme.colorNeutralBackground1);
  });

  it("asks for the progress, the profiles and the due reminders side by side at launch", async () => {
    mockColorScheme(false);
    vi.mocked(resumeWizard).mockReturnValue(new Promise(() => {}));
    render(<App />);
    await vi.waitFor(() => expect(resumeWizard).toHaveBeenCalled());
    expect(listProfiles).toHaveBeenCalled();
    expect(reminderAlerts).toHaveBeenCalled();
    // Nothing is shown in the main region until the first screen can show whole.
    expect(screen.queryByTestId("start-screen")).not.toBeInTheDocument();
    expect(screen.getByRole("main")).toHaveAttribute("aria-busy", "true");
  });

  it("shows the start screen whole from its first paint: the due banner, the open-bundle panel and the cards", async () => {
    mockColorScheme(false);
    const due: Standing = {
      tenant: "contoso.com",
      client_id: "11111111-0000-0000-0000-000000000001",
      key_id: "k1",
      expires: "2027-01-01T00:00:00Z",
      name: "Payroll sync",
      source: "add",
      days_left: 5,
      stage: { state: "due", lead_days: 7 },
      urgency: "urgent",
      due: true,
    };
    vi.mocked(reminderAlerts).mockResolvedValue([due]);
    render(<App />);
    await screen.findByTestId("start-screen");
    // Everything above the cards came with the screen, so nothing pushes them down later.
    expect(screen.getByTestId("due-banner")).toHaveTextContent("Payroll sync");
    expect(screen.getByTestId("open-bundle-panel")).toBeInTheDocument();
    // The profiles came in time: the cards, not their skeletons.
    expect(screen.getByTestId("profile-list")).toBeInTheDocument();
    expect(screen.queryByTestId("profiles-loading")).not.toBeInTheDocument();
    expect(listProfiles).toHaveBeenCalledTimes(1);
  });

  it("shows skeleton cards when the profiles are slower than the rest of the start screen", async () => {
    mockColorScheme(false);
    vi.mocked(listProfiles).mockReturnValue(new Promise(() => {}));
    render(<App />);
    await screen.findByTestId("start-screen", {}, { timeout: 3000 });
    expect(screen.getByTestId("profiles-loading")).toBeInTheDocument();
    expect(screen.getByTestId("open-bundle-panel")).toBeInTheDocument();
  });

  it("preloads the reminders and troubleshoot screens when their buttons are pointed at or focused", async () => {
    mockColorScheme(false);
    const reminders = vi.spyOn(remindersScreen, "preload").mockResolvedValue();
    const troubleshoot = vi.spyOn(troubleshootScreen, "preload").mockResolvedValue();
    render(<App />);
    fireEvent.pointerEnter(await screen.findByTestId("reminders-button"));
    expect(reminders).toHaveBeenCalled();
    fireEvent.focus(screen.getByTestId("troubleshoot-button"));
    expect(troubleshoot).toHaveBeenCalled();
    await screen.findByTestId("start-screen");
  });

  it("opens the troubleshoot screen once its chunk is in, and comes back to the start screen whole", async () => {
    mockColorScheme(false);
    render(<App />);
    await userEvent.click(await screen.findByTestId("troubleshoot-button"));
    expect(await screen.findByTestId("troubleshoot-screen")).toBeInTheDocument();
    expect(screen.queryByTestId("start-screen")).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId("troubleshoot-back"));
    await screen.findByTestId("start-screen");
    expect(screen.getByTestId("open-bundle-panel")).toBeInTheDocument();
    expect(reminderAlerts).toHaveBeenCalledTimes(2);
  });
});

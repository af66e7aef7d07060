/** @jsxImportSource preact */
/**
 * The page: its banner and main area, the first screen decided before it renders, failures to
 * resume or to start shown on the start screen with Try again, the theme (the system's, live,
 * or the admin's kept choice, as Fluent's CSS variables on the page), the launch's
 * `first-screen` mark, the Fluent screens' code loaded when the admin means to open one, and
 * the Fluent screens themselves opened in the main area and left again.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import userEvent from "@testing-library/user-event";
import axe from "axe-core";
import { webDarkTheme, webLightTheme } from "@fluentui/react-theme";
import { themeStylesheet } from "../../build/fluentThemeCss";
import {
  IpcFailure,
  closeWizard,
  demoScenarios,
  diagnose,
  getSettings,
  goToStep,
  keychainStatus,
  listProfiles,
  listReminders,
  monitorLastScan,
  reminderAlerts,
  resumeWizard,
  scanTenant,
  startWizard,
} from "../ipc";
import type { ProfileSummary } from "../ipc";
import { FIRST_SCREEN_MARK } from "../firstScreen";
import { standing } from "../test/reminders";
import { sampleProfiles } from "../test/profiles";
import { sampleView } from "../test/wizard";
import * as hosted from "./hosted";
import { Page, firstScreen } from "./Page";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
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
    startWizard: vi.fn(),
    diagnose: vi.fn(),
    keychainStatus: vi.fn(),
    monitorLastScan: vi.fn(),
    openLogFolder: vi.fn(),
    copyText: vi.fn(),
  };
});

/** Loading React, Fluent UI and a screen's chunk for the first time takes a while in jsdom. */
const HOST_LOAD = { timeout: 20_000 };

/** A media query that does not match and never changes (the system asks for nothing else). */
function unmatched(media: string) {
  return { matches: false, media, addEventListener: () => {}, removeEventListener: () => {} };
}

/** A controllable `prefers-color-scheme: dark` media query (other queries do not match). */
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
    vi.fn((media: string) => (media === query.media ? query : unmatched(media))),
  );
  return {
    setDark(dark: boolean) {
      query.matches = dark;
      for (const listener of listeners) listener({ matches: dark } as MediaQueryListEvent);
    },
  };
}

/** The page's root, which carries the theme. */
function pageRoot(): HTMLElement {
  const root = document.querySelector<HTMLElement>(".page");
  if (!root) throw new Error("no page rendered");
  return root;
}

/** The background colour the page's theme sets on its root. */
function pageBackground(): string {
  return getComputedStyle(pageRoot()).getPropertyValue("--colorNeutralBackground1").trim();
}

/** Render the page on the first screen decided as at launch. */
async function renderPage() {
  const first = await firstScreen();
  return render(<Page first={first} />);
}

const due = standing();

// The themes' stylesheet the build writes (the page's root picks light or dark by data-theme).
beforeAll(() => {
  const sheet = document.createElement("style");
  sheet.textContent = themeStylesheet();
  document.head.append(sheet);
});

beforeEach(() => {
  vi.resetAllMocks();
  vi.mocked(listProfiles).mockResolvedValue(sampleProfiles);
  vi.mocked(resumeWizard).mockResolvedValue({ view: null, set_aside: null });
  vi.mocked(reminderAlerts).mockResolvedValue([]);
  vi.mocked(demoScenarios).mockResolvedValue([]);
  vi.mocked(keychainStatus).mockResolvedValue({ available: true, has_secret: false, has_certificate: false, message: null });
  vi.mocked(monitorLastScan).mockResolvedValue({ scan: null, problem: null, file: "/monitor.json" });
  window.localStorage.clear();
  performance.clearMarks(FIRST_SCREEN_MARK);
  mockColorScheme(false);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("Page", () => {
  it("has a banner with the product name and a main region with the start screen", async () => {
    await renderPage();

    expect(screen.getByRole("banner")).toContainElement(
      screen.getByRole("heading", { level: 1, name: "Entra Setup Wizard" }),
    );
    expect(screen.getByRole("main")).toContainElement(screen.getByTestId("start-screen"));
    expect(screen.getByRole("main")).toContainElement(screen.getByTestId("profile-list"));
    expect(screen.getByRole("banner")).toContainElement(screen.getByTestId("reminders-button"));
    expect(screen.getByRole("banner")).toContainElement(screen.getByTestId("troubleshoot-button"));
  });

  it("asks for the progress, the profiles and the due reminders side by side at launch", async () => {
    vi.mocked(resumeWizard).mockReturnValue(new Promise(() => {}));
    void firstScreen();
    await waitFor(() => expect(resumeWizard).toHaveBeenCalled());
    expect(listProfiles).toHaveBeenCalled();
    expect(reminderAlerts).toHaveBeenCalled();
  });

  it("opens on the first screen decided before it rendered: the cards and the notice from the first render, nothing asked again", async () => {
    vi.mocked(resumeWizard).mockResolvedValue({
      view: null,
      set_aside: "Your saved progress could not be used: it is damaged. It is kept as /home/a/wizard.json.set-aside-1.",
    });
    vi.mocked(reminderAlerts).mockResolvedValue([due]);
    const first = await firstScreen();
    expect(first.screen.name).toBe("start");
    vi.mocked(resumeWizard).mockClear();
    vi.mocked(listProfiles).mockClear();
    vi.mocked(reminderAlerts).mockClear();

    render(<Page first={first} />);
    // Synchronously, with no loading state in between: everything above the cards came with
    // the screen, so nothing pushes them down later.
    expect(screen.getByTestId("profile-list")).toBeInTheDocument();
    expect(screen.queryByTestId("profiles-loading")).not.toBeInTheDocument();
    expect(screen.getByTestId("progress-set-aside")).toHaveTextContent("wizard.json.set-aside-1");
    expect(screen.getByTestId("due-banner")).toHaveTextContent("Payroll sync");
    expect(screen.getByTestId("open-bundle-panel")).toBeInTheDocument();
    expect(resumeWizard).not.toHaveBeenCalled();
    expect(listProfiles).not.toHaveBeenCalled();
    expect(reminderAlerts).not.toHaveBeenCalled();
  });

  it("shows skeleton cards when the profiles are slower than the rest of the start screen, then the cards", async () => {
    let arrive: (profiles: ProfileSummary[]) => void = () => {};
    vi.mocked(listProfiles).mockReturnValue(new Promise((resolve) => (arrive = resolve)));
    await renderPage();
    expect(screen.getByTestId("profiles-loading")).toBeInTheDocument();
    expect(screen.getByTestId("open-bundle-panel")).toBeInTheDocument();

    await act(async () => arrive(sampleProfiles));
    expect(await screen.findByTestId("profile-list")).toBeInTheDocument();
    expect(listProfiles).toHaveBeenCalledTimes(1);
  });

  it("shows a failed resume on the start screen with its title and the shell's message", async () => {
    vi.mocked(resumeWizard).mockRejectedValue(new IpcFailure("storage_unavailable", "wizard.json: permission denied"));
    const first = await firstScreen();
    expect(first.screen.name).toBe("start");
    render(<Page first={first} />);

    const bar = screen.getByTestId("start-error");
    expect(bar).toHaveTextContent("A file the app keeps could not be read or written");
    expect(bar).toHaveTextContent("wizard.json: permission denied");
    expect(bar).toHaveAttribute("role", "alert");
    // The start screen itself is there under it.
    expect(screen.getByTestId("profile-list")).toBeInTheDocument();
  });

  it("Try again on a resume that failed at launch resumes the setup under way", async () => {
    vi.mocked(resumeWizard).mockRejectedValueOnce(new IpcFailure("storage_unavailable", "wizard.json: permission denied"));
    const first = await firstScreen();
    render(<Page first={first} />);
    vi.mocked(resumeWizard).mockResolvedValue({ view: null, set_aside: null });
    await userEvent.click(within(screen.getByTestId("start-error")).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.queryByTestId("start-error")).not.toBeInTheDocument());
    expect(resumeWizard).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId("profile-list")).toBeInTheDocument();
  });

  it("applies the first screen decided after it first showed: the notice about progress set aside", async () => {
    vi.mocked(resumeWizard).mockResolvedValue({ view: null, set_aside: "Your saved progress was set aside." });
    render(<Page first={{ screen: { name: "start" }, notice: null }} later={firstScreen()} />);
    expect(screen.queryByTestId("progress-set-aside")).not.toBeInTheDocument();
    expect(await screen.findByTestId("progress-set-aside")).toHaveTextContent("set aside");
    expect(screen.getByTestId("profile-list")).toBeInTheDocument();
  });

  it("a demo start that fails shows its failure on the start screen, and Try again starts again", async () => {
    vi.mocked(startWizard)
      .mockRejectedValueOnce(new IpcFailure("demo_unavailable", "The demo tenant did not start."))
      .mockReturnValueOnce(new Promise(() => {}));
    await renderPage();
    await userEvent.click(screen.getByTestId("profile-card-axero-outlook-calendar"));
    await userEvent.click(screen.getByTestId("demo-button"));

    const bar = await screen.findByTestId("start-error");
    expect(bar).toHaveTextContent("The demo tenant is not available");
    expect(bar).toHaveTextContent("The demo tenant did not start.");
    expect(startWizard).toHaveBeenCalledWith("axero-outlook-calendar", "contoso");
    expect(screen.getByTestId("demo-button")).toBeEnabled();

    await userEvent.click(within(bar).getByRole("button", { name: "Try again" }));
    expect(startWizard).toHaveBeenCalledTimes(2);
    expect(startWizard).toHaveBeenLastCalledWith("axero-outlook-calendar", "contoso");
    expect(screen.queryByTestId("start-error")).not.toBeInTheDocument();
    // The start is under way again: its buttons wait.
    expect(screen.getByTestId("demo-button")).toBeDisabled();
    expect(screen.getByTestId("start-button")).toBeDisabled();
  });

  it("a start on the admin's tenant asks for no demo scenario", async () => {
    vi.mocked(startWizard).mockReturnValue(new Promise(() => {}));
    await renderPage();
    await userEvent.click(screen.getByTestId("profile-card-vendor-app-consent"));
    await userEvent.click(screen.getByTestId("start-button"));
    expect(startWizard).toHaveBeenCalledWith("vendor-app-consent", null);
  });

  it("has no accessibility violations on the start page with its cards and a card selected", async () => {
    vi.mocked(reminderAlerts).mockResolvedValue([due]);
    vi.mocked(resumeWizard).mockResolvedValue({ view: null, set_aside: "Your saved progress was set aside." });
    await renderPage();
    await userEvent.click(screen.getByTestId("profile-card-exchange-calendar-connector"));
    expect(screen.getByTestId("start-panel")).toBeInTheDocument();
    expect(screen.getByTestId("due-banner")).toBeInTheDocument();

    const results = await axe.run(document.body, { resultTypes: ["violations"] });
    expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
  });

  it("follows the system's light or dark preference, live", async () => {
    const scheme = mockColorScheme(false);
    await renderPage();
    expect(pageRoot()).toHaveAttribute("data-theme", "light");
    expect(pageBackground()).toBe(webLightTheme.colorNeutralBackground1);

    act(() => scheme.setDark(true));
    expect(pageRoot()).toHaveAttribute("data-theme", "dark");
    expect(pageBackground()).toBe(webDarkTheme.colorNeutralBackground1);

    act(() => scheme.setDark(false));
    expect(pageRoot()).toHaveAttribute("data-theme", "light");
    expect(pageBackground()).toBe(webLightTheme.colorNeutralBackground1);
  });

  it("sets Fluent's theme tokens as CSS variables on its root", async () => {
    await renderPage();
    const style = getComputedStyle(pageRoot());
    expect(style.getPropertyValue("--colorNeutralBackground1").trim()).toBe(webLightTheme.colorNeutralBackground1);
    expect(style.getPropertyValue("--colorNeutralForeground1").trim()).toBe(webLightTheme.colorNeutralForeground1);
    expect(style.getPropertyValue("--colorBrandBackground").trim()).toBe(webLightTheme.colorBrandBackground);
    // The font list as CSS reads it back (its quotes and spaces normalised).
    const fonts = (list: string) => list.replaceAll('"', "'").replaceAll(", ", ",").trim();
    expect(fonts(style.getPropertyValue("--fontFamilyBase"))).toBe(fonts(webLightTheme.fontFamilyBase));
    expect(style.getPropertyValue("--borderRadiusMedium").trim()).toBe(webLightTheme.borderRadiusMedium);
  });

  it("the theme choice overrides the system's and is kept for the next launch", async () => {
    const scheme = mockColorScheme(false);
    const { unmount } = await renderPage();
    const choice = screen.getByTestId("theme-choice");
    expect(choice).toHaveValue("system");
    expect(screen.getByRole("combobox", { name: "Theme" })).toBe(choice);

    await userEvent.selectOptions(choice, "dark");
    expect(pageRoot()).toHaveAttribute("data-theme", "dark");
    expect(pageBackground()).toBe(webDarkTheme.colorNeutralBackground1);
    expect(window.localStorage.getItem("entra-setup.theme")).toBe("dark");
    // The system's preference no longer decides.
    act(() => scheme.setDark(false));
    expect(pageRoot()).toHaveAttribute("data-theme", "dark");

    await userEvent.selectOptions(choice, "light");
    expect(pageRoot()).toHaveAttribute("data-theme", "light");
    expect(window.localStorage.getItem("entra-setup.theme")).toBe("light");
    unmount();

    // The next launch opens on the kept choice, whatever the system prefers.
    scheme.setDark(true);
    await renderPage();
    expect(screen.getByTestId("theme-choice")).toHaveValue("light");
    expect(pageRoot()).toHaveAttribute("data-theme", "light");

    await userEvent.selectOptions(screen.getByTestId("theme-choice"), "system");
    expect(pageRoot()).toHaveAttribute("data-theme", "dark");
    expect(window.localStorage.getItem("entra-setup.theme")).toBe("system");
  });

  it("marks the launch's first-screen moment when the cards are in", async () => {
    let arrive: (profiles: ProfileSummary[]) => void = () => {};
    vi.mocked(listProfiles).mockReturnValue(new Promise((resolve) => (arrive = resolve)));
    await renderPage();
    expect(screen.getByTestId("profiles-loading")).toBeInTheDocument();
    expect(performance.getEntriesByName(FIRST_SCREEN_MARK, "mark")).toHaveLength(0);

    await act(async () => arrive(sampleProfiles));
    expect(screen.getByTestId("profile-list")).toBeInTheDocument();
    expect(performance.getEntriesByName(FIRST_SCREEN_MARK, "mark")).toHaveLength(1);
  });

  it("starts loading a Fluent screen's code when the admin points at or focuses what opens it", async () => {
    const preload = vi.spyOn(hosted, "preloadQuietly").mockImplementation(() => {});
    vi.mocked(reminderAlerts).mockResolvedValue([due]);
    await renderPage();
    expect(preload).not.toHaveBeenCalled();

    fireEvent.pointerEnter(screen.getByTestId("profile-list"));
    expect(preload).toHaveBeenLastCalledWith("wizard");
    fireEvent.pointerEnter(screen.getByTestId("reminders-button"));
    expect(preload).toHaveBeenLastCalledWith("reminders");
    act(() => screen.getByTestId("troubleshoot-button").focus());
    expect(preload).toHaveBeenLastCalledWith("troubleshoot");
    act(() => screen.getByTestId("profile-card-exchange-calendar-connector").focus());
    expect(preload).toHaveBeenLastCalledWith("wizard");
    fireEvent.pointerEnter(screen.getByTestId("due-banner-open"));
    expect(preload).toHaveBeenLastCalledWith("reminders");
    fireEvent.pointerEnter(screen.getByTestId("open-bundle-panel"));
    expect(preload).toHaveBeenLastCalledWith("wizard");
    expect(preload).toHaveBeenCalledTimes(6);
  });

  it("starting a demo shows the wizard in the main area; Troubleshoot and back return to it", { timeout: 60_000 }, async () => {
    vi.mocked(startWizard).mockResolvedValue(sampleView());
    vi.mocked(diagnose).mockResolvedValue([]);
    await renderPage();
    await userEvent.click(screen.getByTestId("profile-card-axero-outlook-calendar"));
    await userEvent.click(screen.getByTestId("demo-button"));

    const wizard = await screen.findByTestId("wizard-screen", {}, HOST_LOAD);
    expect(screen.getByRole("main")).toContainElement(wizard);
    expect(wizard).toHaveAttribute("data-step", "site");
    expect(screen.queryByTestId("start-screen")).not.toBeInTheDocument();
    expect(startWizard).toHaveBeenCalledWith("axero-outlook-calendar", "contoso");

    // Troubleshoot reads for the integration under way, and its Back resumes it.
    vi.mocked(resumeWizard).mockResolvedValue({ view: sampleView({ step: "tenant" }), set_aside: null });
    await userEvent.click(screen.getByTestId("troubleshoot-button"));
    const troubleshoot = await screen.findByTestId("troubleshoot-screen", {}, HOST_LOAD);
    expect(screen.getByRole("main")).toContainElement(troubleshoot);
    expect(screen.getByTestId("diagnose-integration")).toHaveTextContent(sampleView().title);
    expect(screen.queryByTestId("wizard-screen")).not.toBeInTheDocument();
    expect(screen.queryByTestId("troubleshoot-button")).not.toBeInTheDocument();

    await userEvent.click(screen.getByTestId("troubleshoot-back"));
    expect(await screen.findByTestId("wizard-screen")).toHaveAttribute("data-step", "tenant");
    expect(screen.queryByTestId("troubleshoot-screen")).not.toBeInTheDocument();
  });

  it("opens the troubleshoot screen from the start screen, and comes back to the start screen whole", { timeout: 60_000 }, async () => {
    await renderPage();
    expect(reminderAlerts).toHaveBeenCalledTimes(1);
    await userEvent.click(screen.getByTestId("troubleshoot-button"));
    expect(await screen.findByTestId("troubleshoot-screen", {}, HOST_LOAD)).toBeInTheDocument();
    expect(screen.queryByTestId("start-screen")).not.toBeInTheDocument();

    await userEvent.click(screen.getByTestId("troubleshoot-back"));
    await screen.findByTestId("start-screen");
    // Whole: read again, and shown with everything at once.
    expect(screen.getByTestId("open-bundle-panel")).toBeInTheDocument();
    expect(screen.getByTestId("profile-list")).toBeInTheDocument();
    expect(screen.queryByTestId("profiles-loading")).not.toBeInTheDocument();
    expect(screen.queryByTestId("troubleshoot-screen")).not.toBeInTheDocument();
    expect(screen.getByRole("main").querySelector(".hosted")).toBeNull();
    expect(reminderAlerts).toHaveBeenCalledTimes(2);
    expect(listProfiles).toHaveBeenCalledTimes(2);
  });

  it("Start over that could not forget the progress says so on the start screen", { timeout: 60_000 }, async () => {
    vi.mocked(resumeWizard).mockResolvedValue({ view: sampleView({ step: "tenant" }), set_aside: null });
    vi.mocked(closeWizard).mockRejectedValue(new IpcFailure("storage_unavailable", "wizard.json: read-only file system"));
    await renderPage();
    await userEvent.click(await screen.findByTestId("close-wizard", {}, HOST_LOAD));
    expect(await screen.findByTestId("start-screen")).toBeInTheDocument();
    expect(screen.getByTestId("start-error")).toHaveTextContent("wizard.json: read-only file system");
  });

  it("a failed resume from the reminders' Back shows on the start screen, and Try again resumes", { timeout: 60_000 }, async () => {
    vi.mocked(listReminders).mockResolvedValue({ file: "/r.json", standings: [] });
    vi.mocked(getSettings).mockResolvedValue({ keep_in_tray: false, start_at_login: false });
    await renderPage();
    await userEvent.click(screen.getByTestId("reminders-button"));
    await screen.findByTestId("reminders-screen", {}, HOST_LOAD);

    vi.mocked(resumeWizard)
      .mockRejectedValueOnce(new IpcFailure("storage_unavailable", "wizard.json: permission denied"))
      .mockResolvedValueOnce({ view: sampleView({ step: "tenant" }), set_aside: null });
    await userEvent.click(screen.getByTestId("reminders-back"));
    const bar = await screen.findByTestId("start-error");
    expect(bar).toHaveTextContent("A file the app keeps could not be read or written");
    expect(bar).toHaveTextContent("wizard.json: permission denied");

    await userEvent.click(within(bar).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("wizard-screen", {}, HOST_LOAD)).toHaveAttribute("data-step", "tenant");
    expect(screen.queryByTestId("start-error")).not.toBeInTheDocument();
  });

  it("Sign in from the reminders page opens the setup under way on its sign-in step", { timeout: 60_000 }, async () => {
    vi.mocked(listReminders).mockResolvedValue({ file: "/r.json", standings: [] });
    vi.mocked(getSettings).mockResolvedValue({ keep_in_tray: false, start_at_login: false });
    vi.mocked(scanTenant).mockRejectedValue(new IpcFailure("not_signed_in", "The scan needs the administrator's sign-in."));
    vi.mocked(goToStep).mockResolvedValue(sampleView({ step: "sign_in" }));
    await renderPage();
    await userEvent.click(screen.getByTestId("reminders-button"));
    await userEvent.click(await screen.findByTestId("scan-button", {}, HOST_LOAD));
    const bar = await screen.findByTestId("scan-error");
    expect(bar).toHaveTextContent("Sign in as administrator first");
    await userEvent.click(within(bar).getByRole("button", { name: "Sign in" }));
    expect(goToStep).toHaveBeenCalledWith("sign_in");
    expect(await screen.findByTestId("wizard-screen", {}, HOST_LOAD)).toHaveAttribute("data-step", "sign_in");
  });
});

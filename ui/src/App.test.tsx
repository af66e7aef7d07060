import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, render, screen } from "@testing-library/react";
import { webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { listProfiles, resumeWizard } from "./ipc";
import { sampleProfiles } from "./test/profiles";
import { App } from "./App";

vi.mock("./ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./ipc")>();
  return { ...actual, listProfiles: vi.fn(), resumeWizard: vi.fn() };
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
  vi.mocked(listProfiles).mockResolvedValue(sampleProfiles);
  vi.mocked(resumeWizard).mockResolvedValue({ view: null, set_aside: null });
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
});

/**
 * Every kind of panel shows its failures: the code's title and the shell's message under the
 * panel's test id, with the action the code allows (the failures these panels used to drop
 * included: keychain status, reminder alerts, demo scenarios, settings, opening the browser,
 * copying).
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import type { ReactNode } from "react";
import {
  IpcFailure,
  copyText,
  demoScenarios,
  getSettings,
  keychainStatus,
  openExternal,
  scanTenant,
  setSignInClient,
  useKeptSecret,
} from "../ipc";
import { FailureOffersContext } from "../hooks/useFailure";
import type { ScreenOffers } from "../hooks/useFailure";
import { sampleView } from "../test/wizard";
import { CopyField } from "./CopyField";
import { DemoBanner } from "./DemoBanner";
import { ExternalLink } from "./ExternalLink";
import { KeptSecretButton } from "./KeptSecretButton";
import { ScanPanel } from "./ScanPanel";
import { SettingsPanel } from "./SettingsPanel";
import { SignInClientPanel } from "./SignInClientPanel";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return {
    ...actual,
    copyText: vi.fn(),
    demoScenarios: vi.fn(),
    getSettings: vi.fn(),
    keychainStatus: vi.fn(),
    openBundle: vi.fn(),
    chooseOpenPath: vi.fn(),
    openExternal: vi.fn(),
    reminderAlerts: vi.fn(),
    scanTenant: vi.fn(),
    setSignInClient: vi.fn(),
    useKeptSecret: vi.fn(),
    openLogFolder: vi.fn(),
  };
});

function renderIn(ui: ReactNode, offers: ScreenOffers = {}) {
  return render(
    <FluentProvider theme={webLightTheme}>
      <FailureOffersContext.Provider value={offers}>{ui}</FailureOffersContext.Provider>
    </FluentProvider>,
  );
}

beforeEach(() => {
  vi.resetAllMocks();
});

describe("failures shown by each panel", () => {
  it("scan: needing the administrator's sign-in offers the sign-in step", async () => {
    vi.mocked(scanTenant).mockRejectedValue(new IpcFailure("not_signed_in", "The scan needs the administrator's sign-in."));
    const offers = { signIn: vi.fn() };
    renderIn(<ScanPanel onAdded={vi.fn()} />, offers);
    await userEvent.click(screen.getByTestId("scan-button"));
    const bar = await screen.findByTestId("scan-error");
    expect(bar).toHaveTextContent("Sign in as administrator first");
    expect(bar).toHaveTextContent("The scan needs the administrator's sign-in.");
    await userEvent.click(within(bar).getByRole("button", { name: "Sign in" }));
    expect(offers.signIn).toHaveBeenCalledTimes(1);
  });

  it("settings: a failed load is shown and loads again on Try again", async () => {
    vi.mocked(getSettings)
      .mockRejectedValueOnce(new IpcFailure("storage_unavailable", "settings.json: permission denied"))
      .mockResolvedValueOnce({ keep_in_tray: false, start_at_login: false });
    renderIn(<SettingsPanel />);
    const bar = await screen.findByTestId("settings-error");
    expect(bar).toHaveTextContent("A file the app keeps could not be read or written");
    expect(bar).toHaveTextContent("settings.json: permission denied");
    await userEvent.click(within(bar).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("setting-tray")).toBeInTheDocument();
    expect(screen.queryByTestId("settings-error")).not.toBeInTheDocument();
  });

  it("kept secret: the keychain's status and using the kept secret", async () => {
    vi.mocked(keychainStatus).mockRejectedValueOnce(new IpcFailure("ipc_failed", "The app's back end could not be reached: gone"));
    const { unmount } = renderIn(<KeptSecretButton onView={vi.fn()} held={false} />);
    const status = await screen.findByTestId("keychain-status-error");
    expect(status).toHaveTextContent("The app could not do that");
    expect(status).toHaveTextContent("could not be reached: gone");
    unmount();

    vi.mocked(keychainStatus).mockResolvedValue({ available: true, has_secret: true, has_certificate: false, message: null });
    vi.mocked(useKeptSecret).mockRejectedValue(new IpcFailure("keychain_unavailable", "The keychain is locked."));
    renderIn(<KeptSecretButton onView={vi.fn()} held={false} />);
    await userEvent.click(await screen.findByTestId("use-kept-secret"));
    const bar = await screen.findByTestId("use-kept-secret-error");
    expect(bar).toHaveTextContent("The OS keychain is not available");
    expect(bar).toHaveTextContent("The keychain is locked.");
  });

  it("demo banner: scenarios that cannot be listed", async () => {
    vi.mocked(demoScenarios).mockRejectedValue(new IpcFailure("demo_unavailable", "The demo tenant did not start."));
    renderIn(<DemoBanner scenario={sampleView().demo!} onSwitch={vi.fn()} />);
    const bar = await screen.findByTestId("demo-scenarios-error");
    expect(bar).toHaveTextContent("The demo tenant is not available");
    expect(bar).toHaveTextContent("The demo tenant did not start.");
    expect(screen.getByTestId("demo-banner")).toBeInTheDocument();
  });

  it("copy field: a clipboard that refuses", async () => {
    vi.mocked(copyText).mockRejectedValue(new IpcFailure("ipc_failed", "The clipboard could not be written: denied"));
    renderIn(<CopyField label="Redirect URI" value="https://x/cb" testId="redirect-uri" />);
    await userEvent.click(screen.getByRole("button", { name: "Copy Redirect URI" }));
    const bar = await screen.findByTestId("redirect-uri-copy-error");
    expect(bar).toHaveTextContent("The app could not do that");
    expect(bar).toHaveTextContent("The clipboard could not be written: denied");
  });

  it("external link: a browser that cannot be opened", async () => {
    vi.mocked(openExternal).mockRejectedValue(
      new IpcFailure("ipc_failed", "The browser could not be opened on https://entra.microsoft.com: no browser"),
    );
    renderIn(
      <ExternalLink href="https://entra.microsoft.com" testId="portal">
        Open the Entra admin center
      </ExternalLink>,
    );
    await userEvent.click(screen.getByTestId("portal"));
    const bar = await screen.findByTestId("portal-error");
    expect(bar).toHaveTextContent("The app could not do that");
    expect(bar).toHaveTextContent("https://entra.microsoft.com: no browser");
  });

  it("sign-in client: a refused client ID names the field, beside the form", async () => {
    vi.mocked(setSignInClient).mockRejectedValue(new IpcFailure("invalid_input", "sign-in client: 'abc' is not a GUID"));
    renderIn(<SignInClientPanel client={sampleView().sign_in_client} onView={vi.fn()} />);
    await userEvent.click(screen.getByTestId("sign-in-client-change"));
    await userEvent.type(screen.getByTestId("sign-in-client-input"), "abc");
    await userEvent.click(screen.getByTestId("sign-in-client-save"));
    expect(await screen.findByTestId("sign-in-client-error")).toHaveTextContent(/^sign-in client: 'abc' is not a GUID$/);
  });
});

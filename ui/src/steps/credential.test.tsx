/**
 * The credential step's choice between a client secret and a certificate: shown only where the
 * shell offers both (the product takes a certificate), and with a certificate chosen the
 * certificate's thumbprint and end date, its creation and the one the keychain keeps; the export
 * panel names the certificate and certificate.pfx.age.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { createCertificate, exportBundle, keychainStatus, setCredential, useKeptCertificate } from "../ipc";
import type { StepView, WizardView } from "../ipc";
import { ExportPanel } from "../components/ExportPanel";
import { sampleView } from "../test/wizard";
import { StepBody } from "./StepBody";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return {
    ...actual,
    setCredential: vi.fn(),
    createCertificate: vi.fn(),
    useKeptCertificate: vi.fn(),
    createSecret: vi.fn(),
    keychainStatus: vi.fn(),
    exportBundle: vi.fn(),
    chooseSavePath: vi.fn(),
    checkExportForm: vi.fn().mockResolvedValue([]),
    copyText: vi.fn().mockResolvedValue(undefined),
  };
});

const THUMBPRINT = "5282110AAAEAF1F2464BD2B1130EE7D51931ADC1";
const CLIENT_ID = "bbbbbbbb-0000-0000-0000-000000000001";

/** The custom profile's credential step, signed in, with `credential` chosen. */
function customView(credential: "secret" | "certificate", overrides: Partial<WizardView["secret"]> = {}): WizardView {
  const base = sampleView();
  return sampleView({
    profile: "custom",
    product: "Your own application",
    step: "secret",
    admin: "admin@contoso.com",
    inputs: { ...base.inputs, tenant: "contoso.com", client_id: CLIENT_ID },
    secret: { ...base.secret, credentials: ["secret", "certificate"], credential, ...overrides },
  });
}

function renderStep(view: WizardView) {
  const step = view.steps.find((s) => s.step === view.step) as StepView;
  const handlers = { onView: vi.fn(), onInput: vi.fn(), recheck: vi.fn(), goTo: vi.fn() };
  render(
    <FluentProvider theme={webLightTheme}>
      <StepBody view={view} step={step} running={[]} {...handlers} />
    </FluentProvider>,
  );
  return handlers;
}

beforeEach(() => {
  vi.mocked(setCredential).mockReset();
  vi.mocked(createCertificate).mockReset();
  vi.mocked(useKeptCertificate).mockReset();
  vi.mocked(exportBundle).mockReset();
  vi.mocked(keychainStatus).mockReset();
  vi.mocked(keychainStatus).mockResolvedValue({ available: true, has_secret: false, has_certificate: false, message: null });
});

describe("credential step", () => {
  it("a product that takes only a client secret shows no choice", async () => {
    renderStep(sampleView({ step: "secret", admin: "admin@contoso.com" }));
    expect(screen.getByTestId("secret-mode-create")).toBeInTheDocument();
    expect(screen.queryByTestId("credential-choice")).not.toBeInTheDocument();
    expect(screen.queryByTestId("credential-certificate")).not.toBeInTheDocument();
    expect(screen.queryByTestId("certificate-panel")).not.toBeInTheDocument();
  });

  it("a product that takes a certificate offers the choice, and choosing sends it to the shell", async () => {
    const chosen = customView("certificate");
    vi.mocked(setCredential).mockResolvedValue(chosen);
    const handlers = renderStep(customView("secret"));
    const choice = screen.getByTestId("credential-choice");
    expect(choice).toHaveTextContent("What does Your own application prove the app's identity with?");
    expect(within(choice).getAllByRole("radio")).toHaveLength(2);
    expect(screen.getByTestId("secret-mode-create")).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText(/A certificate/));
    expect(setCredential).toHaveBeenCalledWith("certificate");
    await vi.waitFor(() => expect(handlers.onView).toHaveBeenCalledWith(chosen));
    expect(handlers.recheck).toHaveBeenCalled();
  });

  it("with a certificate chosen: no secret fields; the certificate is created for the lifetime chosen", async () => {
    const made = customView("certificate", {
      certificate: { thumbprint: THUMBPRINT, expires: "2027-05-21T08:55:00Z", days_left: 89, made_here: true },
    });
    vi.mocked(createCertificate).mockResolvedValue({ changes: ["added certificate (thumbprint …)"], view: made });
    const handlers = renderStep(customView("certificate"));
    expect(screen.getByTestId("certificate-panel")).toBeInTheDocument();
    expect(screen.queryByTestId("secret-mode-create")).not.toBeInTheDocument();
    expect(screen.queryByTestId("secret-input")).not.toBeInTheDocument();
    expect(screen.getByLabelText(/A certificate/)).toBeChecked();
    await userEvent.selectOptions(screen.getByTestId("certificate-days"), "90");
    await userEvent.click(screen.getByTestId("create-certificate"));
    expect(createCertificate).toHaveBeenCalledWith(90);
    await vi.waitFor(() => expect(handlers.onView).toHaveBeenCalledWith(made));
    expect(handlers.recheck).toHaveBeenCalled();
  });

  it("shows the certificate in use by its thumbprint and end date", () => {
    renderStep(
      customView("certificate", {
        certificate: { thumbprint: THUMBPRINT, expires: "2027-05-21T08:55:00Z", days_left: 89, made_here: true },
      }),
    );
    expect(screen.getByTestId("certificate-in-use")).toHaveTextContent("A new certificate was created for you.");
    expect(screen.getByTestId("certificate-in-use")).toHaveTextContent("in 89 days");
    expect(screen.getByTestId("certificate-thumbprint")).toHaveTextContent(THUMBPRINT);
    expect(screen.getByRole("button", { name: "Copy Certificate thumbprint" })).toBeInTheDocument();
    expect(screen.getByTestId("create-certificate")).toHaveTextContent("Create a new certificate");
  });

  it("offers the certificate the keychain keeps, and asks for the sign-in before creating one", async () => {
    vi.mocked(keychainStatus).mockResolvedValue({ available: true, has_secret: false, has_certificate: true, message: null });
    const used = customView("certificate", {
      certificate: { thumbprint: THUMBPRINT, expires: "2027-05-21T08:55:00Z", days_left: 89, made_here: false },
    });
    vi.mocked(useKeptCertificate).mockResolvedValue(used);
    const view = customView("certificate");
    const handlers = renderStep({ ...view, admin: null });
    await userEvent.click(await screen.findByTestId("use-kept-certificate"));
    expect(useKeptCertificate).toHaveBeenCalled();
    await vi.waitFor(() => expect(handlers.onView).toHaveBeenCalledWith(used));
    expect(screen.queryByTestId("create-certificate")).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Go to the sign-in step" }));
    expect(handlers.goTo).toHaveBeenCalledWith("sign_in");
  });
});

describe("export with a certificate", () => {
  it("names the certificate, its thumbprint and certificate.pfx.age", async () => {
    vi.mocked(exportBundle).mockResolvedValue({
      path: "/home/admin/custom.zip",
      entries: ["bundle.json", "settings.txt", "REPORT.html", "secret-rotation.ics", "certificate.pfx.age"],
      storage: "none",
      certificate: { thumbprint: THUMBPRINT, key_id: "k1", expires: "2027-05-21T08:55:00Z", storage: "age" },
      reminder: { tenant: "t", client_id: CLIENT_ID, key_id: "k1", kind: "certificate", expires: "2027-05-21T08:55:00Z", name: "Custom", source: "bundle export" },
      reminder_problem: null,
    });
    render(
      <FluentProvider theme={webLightTheme}>
        <ExportPanel expiryKnown credential="certificate" />
      </FluentProvider>,
    );
    expect(screen.getByText("The certificate and its private key in the bundle")).toBeInTheDocument();
    expect(screen.queryByTestId("export-secret-expires")).not.toBeInTheDocument();
    await userEvent.type(screen.getByTestId("export-path"), "/home/admin/custom.zip");
    await userEvent.click(screen.getByLabelText("Encrypt it with a passphrase"));
    expect(screen.getByText(/certificate\.pfx\.age, and as the \.pfx's own password/)).toBeInTheDocument();
    await userEvent.type(screen.getByTestId("export-passphrase"), "correct horse");
    await userEvent.click(screen.getByTestId("export-button"));
    const done = await screen.findByTestId("export-done");
    expect(done).toHaveTextContent("certificate.pfx.age");
    expect(screen.getByTestId("export-certificate")).toHaveTextContent(THUMBPRINT);
    expect(screen.getByTestId("export-storage")).toHaveTextContent("encrypted in certificate.pfx.age");
    expect(screen.getByTestId("export-reminder")).toHaveTextContent("the certificate expires on");
  });
});

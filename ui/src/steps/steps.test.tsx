import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { IpcFailure, createSecret, openExternal, registerApp, revealSecret, setSignInClient, signInAdministrator, signInMailboxOwner } from "../ipc";
import type { StepView, WizardView } from "../ipc";
import { CheckList } from "../components/CheckList";
import { sampleView } from "../test/wizard";
import { StepBody } from "./StepBody";
import type { StepProps } from "./types";

vi.mock("../ipc", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../ipc")>();
  return {
    ...actual,
    registerApp: vi.fn(),
    signInAdministrator: vi.fn(),
    setSignInClient: vi.fn(),
    createSecret: vi.fn(),
    revealSecret: vi.fn(),
    signInMailboxOwner: vi.fn(),
    keychainStatus: vi.fn().mockResolvedValue({ available: true, has_secret: false, message: null }),
    copyText: vi.fn().mockResolvedValue(undefined),
    openExternal: vi.fn().mockResolvedValue(undefined),
  };
});

function renderStep(view: WizardView, props: Partial<StepProps> = {}) {
  const step = view.steps.find((s) => s.step === view.step) as StepView;
  const handlers = {
    onView: vi.fn(),
    onInput: vi.fn(),
    recheck: vi.fn(),
    goTo: vi.fn(),
  };
  render(
    <FluentProvider theme={webLightTheme}>
      <StepBody view={view} step={step} running={[]} {...handlers} {...props} />
    </FluentProvider>,
  );
  return handlers;
}

beforeEach(() => {
  vi.mocked(registerApp).mockReset();
  vi.mocked(signInAdministrator).mockReset();
});

describe("steps", () => {
  it("site: shows the computed redirect URI with a labelled copy button and saves the address as typed", async () => {
    const handlers = renderStep(sampleView({ redirect_uri: "https://intranet.contoso.com/oauth2/sharepoint/callback" }));
    expect(screen.getByTestId("redirect-uri")).toHaveTextContent("https://intranet.contoso.com/oauth2/sharepoint/callback");
    expect(screen.getByRole("button", { name: /Copy Redirect URI/ })).toBeInTheDocument();
    await userEvent.type(screen.getByTestId("input-site_url"), "h");
    expect(handlers.onInput).toHaveBeenCalledWith("site_url", "h");
  });

  it("tenant: shows the offline issue of the typed value under the field", () => {
    renderStep(
      sampleView({
        step: "tenant",
        inputs: { site_url: "", tenant: "not a tenant", client_id: "", mailbox: "", test_recipient: "" },
        issues: [{ field: "tenant", cause: "tenant_id_malformed", severity: "error", message: "tenant: neither a GUID nor a domain" }],
      }),
    );
    expect(screen.getByTestId("issues-tenant")).toHaveTextContent("neither a GUID nor a domain");
  });

  it("sign in: shows the device code with a copy button while waiting, then who signed in", async () => {
    let resolve: (view: WizardView) => void = () => {};
    vi.mocked(signInAdministrator).mockImplementation((onPrompt) => {
      onPrompt({ user_code: "ABCD-EFGH", verification_uri: "https://microsoft.com/devicelogin", expires_in_minutes: 15 });
      return new Promise((r) => (resolve = r));
    });
    const view = sampleView({ step: "sign_in", inputs: { tenant: "contoso.com" } });
    const handlers = renderStep(view);
    await userEvent.click(screen.getByTestId("sign-in-button"));
    expect(await screen.findByTestId("device-code-value")).toHaveTextContent("ABCD-EFGH");
    expect(screen.getByRole("button", { name: "Copy Sign-in code" })).toBeInTheDocument();
    resolve({ ...view, admin: "admin@contoso.com" });
    await vi.waitFor(() => expect(handlers.onView).toHaveBeenCalled());
  });

  it("sign in: names the sign-in client and where it came from, and keeps another one", async () => {
    const view = sampleView({
      step: "sign_in",
      inputs: { tenant: "contoso.com" },
      sign_in_client: {
        client_id: "0a1b2c3d-0000-4000-8000-00000000000c",
        origin: "sign_in_client in /home/admin/.config/entra-setup/config.toml",
        is_default: false,
        from_environment: false,
        config_file: "/home/admin/.config/entra-setup/config.toml",
      },
    });
    vi.mocked(setSignInClient).mockResolvedValue(view);
    const handlers = renderStep(view);
    expect(screen.getByTestId("sign-in-client-id")).toHaveTextContent("0a1b2c3d-0000-4000-8000-00000000000c");
    expect(screen.getByTestId("sign-in-client-origin")).toHaveTextContent("config.toml");
    await userEvent.click(screen.getByTestId("sign-in-client-change"));
    await userEvent.clear(screen.getByTestId("sign-in-client-input"));
    await userEvent.type(screen.getByTestId("sign-in-client-input"), "0a1b2c3d-0000-4000-8000-00000000000d");
    await userEvent.click(screen.getByTestId("sign-in-client-save"));
    expect(setSignInClient).toHaveBeenCalledWith("0a1b2c3d-0000-4000-8000-00000000000d");
    await vi.waitFor(() => expect(handlers.onView).toHaveBeenCalledWith(view));
  });

  it("sign in: a sign-in client that cannot be used is shown and blocks the sign-in", () => {
    renderStep(
      sampleView({
        step: "sign_in",
        inputs: { tenant: "contoso.com" },
        sign_in_client: {
          client_id: null,
          origin: "the environment variable ENTRA_SETUP_SIGN_IN_CLIENT: 'x' is not an application (client) ID",
          is_default: false,
          from_environment: true,
          config_file: "/home/admin/.config/entra-setup/config.toml",
        },
      }),
    );
    expect(screen.getByTestId("sign-in-client-problem")).toHaveTextContent("not an application (client) ID");
    expect(screen.getByTestId("sign-in-button")).toBeDisabled();
  });

  it("registration: 'create it for me' asks for the sign-in first, then creates and re-checks", async () => {
    const view = sampleView({ step: "registration", inputs: { tenant: "contoso.com" } });
    const first = renderStep(view);
    expect(screen.getByTestId("go-sign-in")).toBeInTheDocument();
    await userEvent.click(screen.getByTestId("go-sign-in"));
    expect(first.goTo).toHaveBeenCalledWith("sign_in");
  });

  it("registration: creates the app and lists what changed", async () => {
    const view = sampleView({ step: "registration", admin: "admin@contoso.com", inputs: { tenant: "contoso.com" } });
    vi.mocked(registerApp).mockResolvedValue({ changes: ["created the app registration"], view });
    const handlers = renderStep(view);
    await userEvent.click(screen.getByTestId("create-registration"));
    expect(await screen.findByTestId("create-registration-done")).toHaveTextContent("created the app registration");
    expect(handlers.recheck).toHaveBeenCalled();
  });

  it("secret: offers the admin center's lifetimes and a custom end date", async () => {
    const view = sampleView({
      step: "secret",
      admin: "admin@contoso.com",
      inputs: { tenant: "contoso.com", client_id: "bbbbbbbb-0000-0000-0000-000000000001" },
    });
    vi.mocked(createSecret).mockResolvedValue({ changes: ["added client secret"], view });
    renderStep(view);
    await userEvent.click(screen.getByTestId("secret-mode-create"));
    const options = within(screen.getByTestId("secret-days")).getAllByRole("option").map((o) => o.textContent);
    expect(options).toEqual([
      "90 days (3 months)",
      "180 days (6 months)",
      "365 days (12 months) — recommended here",
      "545 days (18 months)",
      "730 days (24 months)",
      "Custom end date",
    ]);
    await userEvent.selectOptions(screen.getByTestId("secret-days"), "custom");
    await userEvent.type(screen.getByTestId("secret-until"), "2027-03-07");
    await userEvent.click(screen.getByTestId("create-secret"));
    expect(createSecret).toHaveBeenCalledWith(null, "2027-03-07");
  });

  it("secret: the secret ID pasted is named as the mistake", () => {
    renderStep(
      sampleView({
        step: "secret",
        secret: {
          ...sampleView().secret,
          held: true,
          issues: [{ field: "client_secret", cause: "secret_is_secret_id", severity: "error", message: "This is the Secret ID, not its value." }],
        },
      }),
    );
    expect(screen.getByTestId("issues-secret")).toHaveTextContent("Secret ID, not its value");
  });

  it("permissions: a table row per permission with a fix for each gap", () => {
    renderStep(
      sampleView({ step: "permissions", admin: "admin@contoso.com", inputs: { tenant: "contoso.com", client_id: "bbbbbbbb-0000-0000-0000-000000000001" } }),
    );
    const table = screen.getByTestId("permissions-table");
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    expect(screen.getByTestId("fix-Mail.Send")).toHaveTextContent("Grant consent");
    expect(screen.queryByTestId("fix-offline_access")).not.toBeInTheDocument();
  });

  it("permissions: lists the users' requests for admin consent with a link to review them", async () => {
    const review = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AccessRequests";
    renderStep(
      sampleView({
        step: "permissions",
        kind: "vendor_consent",
        permissions: [],
        admin: "admin@contoso.com",
        consent_requests: {
          count: 2,
          requests: [
            { requested_by: "bob@contoso.com", reason: "I need my calendar in the scheduler", created: "2026-05-20T09:30:00Z", scopes: ["Calendars.ReadWrite"] },
            { requested_by: "intranet@contoso.com", reason: null, created: null, scopes: [] },
          ],
          reviewers: ["user aaaaaaaa-0000-0000-0000-000000000001"],
          unreadable: null,
          review_link: review,
        },
      }),
    );
    const section = screen.getByTestId("consent-requests");
    expect(within(section).getByRole("heading")).toHaveTextContent("2 requests for admin consent wait for a reviewer");
    const items = within(section).getAllByTestId("consent-request");
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent("bob@contoso.com");
    expect(items[0]).toHaveTextContent("I need my calendar in the scheduler");
    expect(items[1]).toHaveTextContent("intranet@contoso.com");
    expect(screen.getByTestId("consent-request-reviewers")).toHaveTextContent("user aaaaaaaa-0000-0000-0000-000000000001");
    await userEvent.click(screen.getByTestId("consent-requests-review"));
    expect(openExternal).toHaveBeenCalledWith(review);
  });

  it("permissions: says when no request waits, or why they could not be read, and shows nothing before the check", () => {
    const none = { count: 0, requests: [], reviewers: [], unreadable: null, review_link: "https://entra.microsoft.com/" };
    const { unmount } = render(
      <FluentProvider theme={webLightTheme}>
        <StepBody
          view={sampleView({ step: "permissions", consent_requests: none })}
          step={sampleView().steps.find((s) => s.step === "permissions") as StepView}
          running={[]}
          onView={vi.fn()}
          onInput={vi.fn()}
          recheck={vi.fn()}
          goTo={vi.fn()}
        />
      </FluentProvider>,
    );
    expect(screen.getByTestId("consent-requests-none")).toBeInTheDocument();
    unmount();
    renderStep(
      sampleView({ step: "permissions", consent_requests: { ...none, count: null, unreadable: "Sign in again with ConsentRequest.Read.All." } }),
    );
    expect(screen.getByTestId("consent-requests-unreadable")).toHaveTextContent("ConsentRequest.Read.All");
    expect(screen.queryByTestId("consent-requests")).not.toBeInTheDocument();
  });

  it("mailbox: offers the owner's sign-in and the PowerShell to copy", () => {
    renderStep(sampleView({ step: "mailbox", inputs: { tenant: "contoso.com", mailbox: "intranet@contoso.com" } }));
    expect(screen.getByTestId("mailbox-sign-in-button")).toBeEnabled();
    expect(screen.getByTestId("powershell")).toHaveTextContent("Set-CASMailbox");
  });

  it("mailbox: no owner's sign-in where the core says no check acts as them (a product that sends as the application)", () => {
    const view = sampleView({ step: "mailbox", inputs: { tenant: "contoso.com", mailbox: "gitlab@contoso.com" } });
    view.steps = view.steps.map((s) =>
      s.step === "mailbox" ? { ...s, checks: ["test_email"], mailbox_owner_signs_in: false } : s,
    );
    renderStep(view);
    expect(screen.queryByTestId("mailbox-sign-in-button")).not.toBeInTheDocument();
    expect(screen.getByTestId("input-test_recipient")).toBeInTheDocument();
  });
});

describe("CheckList", () => {
  it("tells apart passed, failed, couldn't check (with a retry) and running", async () => {
    const onRetry = vi.fn();
    render(
      <FluentProvider theme={webLightTheme}>
        <CheckList
          checks={["tenant", "client_id", "client_secret", "secret_expiry"]}
          running={["secret_expiry"]}
          onRetry={onRetry}
          results={[
            { id: "tenant", status: "unverified", cause: "network_error", message: "Could not check: no answer.", fix: "Check the connection.", evidence: null },
            { id: "client_id", status: "fail", cause: "client_id_not_found", message: "No such app.", fix: "Copy the ID again.", evidence: null },
            { id: "client_secret", status: "pass", message: "The secret works.", evidence: null },
          ]}
        />
      </FluentProvider>,
    );
    expect(screen.getByTestId("check-tenant")).toHaveAttribute("data-status", "unverified");
    expect(screen.getByTestId("check-tenant-status")).toHaveTextContent("Couldn't check");
    expect(screen.getByTestId("check-client_id-status")).toHaveTextContent("Failed");
    expect(screen.getByTestId("check-client_id-cause")).toHaveTextContent("client_id_not_found");
    expect(screen.getByTestId("check-client_secret-status")).toHaveTextContent("Passed");
    expect(screen.getByTestId("check-secret_expiry")).toHaveAttribute("aria-busy", "true");
    expect(screen.queryByTestId("check-client_id-retry")).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId("check-tenant-retry"));
    expect(onRetry).toHaveBeenCalled();
  });

  it("says what a check that was not checked waits for, in the wizard's words", () => {
    render(
      <FluentProvider theme={webLightTheme}>
        <CheckList
          checks={["smtp_auth", "mailbox"]}
          running={[]}
          results={[
            { id: "smtp_auth", status: "skipped", reason: "needs_sign_in", message: "The probe acts as the owner.", evidence: null, needs: ["admin_sign_in", "mailbox_owner_sign_in"] },
            { id: "mailbox", status: "pass", message: "A mailbox.", evidence: null, needs: [] },
          ]}
        />
      </FluentProvider>,
    );
    expect(screen.getByTestId("check-smtp_auth-needs")).toHaveTextContent("an administrator's sign-in (Sign in step); the mailbox owner's sign-in (Mailbox step)");
    expect(screen.queryByTestId("check-mailbox-needs")).not.toBeInTheDocument();
    expect(screen.getByTestId("check-smtp_auth-message")).not.toHaveTextContent("--");
  });

  describe("failures", () => {
    it("sign in: a sign-in that did not finish says why and signs in again", async () => {
      vi.mocked(signInAdministrator)
        .mockRejectedValueOnce(new IpcFailure("sign_in_failed", "The sign-in did not finish: the code expired."))
        .mockReturnValueOnce(new Promise(() => {}));
      renderStep(sampleView({ step: "sign_in", inputs: { ...sampleView().inputs, tenant: "contoso.com" } }));
      await userEvent.click(screen.getByTestId("sign-in-button"));
      const bar = await screen.findByTestId("sign-in-error");
      expect(bar).toHaveTextContent("The sign-in did not finish");
      expect(bar).toHaveTextContent("the code expired.");
      await userEvent.click(within(bar).getByRole("button", { name: "Sign in again" }));
      expect(signInAdministrator).toHaveBeenCalledTimes(2);
      expect(screen.queryByTestId("sign-in-error")).not.toBeInTheDocument();
    });

    it("a repair Microsoft refused shows its title and the shell's reason, and tries again", async () => {
      vi.mocked(registerApp).mockRejectedValue(
        new IpcFailure("repair_failed", "Could not repair: the app registration is not in this tenant. Check the client ID."),
      );
      const view = sampleView({ step: "permissions", admin: "admin@contoso.com", inputs: { ...sampleView().inputs, client_id: "11111111-0000-0000-0000-000000000001" } });
      renderStep(view);
      await userEvent.click(screen.getByTestId("fix-Mail.Send"));
      const bar = await screen.findByTestId("fix-Mail.Send-error");
      expect(bar).toHaveTextContent("Microsoft refused the change");
      expect(bar).toHaveTextContent("the app registration is not in this tenant. Check the client ID.");
      await userEvent.click(within(bar).getByRole("button", { name: "Try again" }));
      expect(registerApp).toHaveBeenCalledTimes(2);
    });

    it("secret: a value that can no longer be shown says why", async () => {
      vi.mocked(revealSecret).mockRejectedValue(new IpcFailure("no_wizard", "No setup is under way."));
      renderStep(
        sampleView({
          step: "secret",
          secret: { ...sampleView().secret, created_hint: "abc", created_expires: "2027-01-01T00:00:00Z", can_reveal: true },
        }),
      );
      await userEvent.click(screen.getByTestId("reveal-secret"));
      const bar = await screen.findByTestId("reveal-secret-error");
      expect(bar).toHaveTextContent("No setup is under way");
    });

    it("mailbox: the owner's sign-in that did not finish", async () => {
      vi.mocked(signInMailboxOwner).mockRejectedValue(new IpcFailure("sign_in_failed", "The sign-in did not finish: declined."));
      renderStep(sampleView({ step: "mailbox", inputs: { ...sampleView().inputs, mailbox: "intranet@contoso.com" } }));
      await userEvent.click(screen.getByTestId("mailbox-sign-in-button"));
      const bar = await screen.findByTestId("mailbox-sign-in-error");
      expect(bar).toHaveTextContent("The sign-in did not finish");
      expect(bar).toHaveTextContent("declined.");
      expect(within(bar).getByRole("button", { name: "Sign in again" })).toBeInTheDocument();
    });
  });
});

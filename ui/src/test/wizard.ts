/** A wizard view as the shell sends it, for component tests. */
import type { StepView, WizardView } from "../ipc";

function step(partial: Partial<StepView> & Pick<StepView, "step" | "title">): StepView {
  return { purpose: "", checks: [], instructions: [], warnings: [], optional: false, mailbox_owner_signs_in: false, portal_link: null, readiness: { ready: false, missing: [] }, ...partial };
}

export function sampleView(overrides: Partial<WizardView> = {}): WizardView {
  return {
    session: "6f1c2a8e-0b7d-4c1e-9a54-2f0d3c9b8e71",
    profile: "axero-m365-email",
    title: "Microsoft 365 email for Axero",
    product: "Axero",
    kind: "delegated_web",
    steps: [
      step({ step: "site", title: "Product address" }),
      step({ step: "tenant", title: "Your tenant", checks: ["tenant"] }),
      step({ step: "sign_in", title: "Sign in as administrator", optional: true }),
      step({ step: "registration", title: "App registration", checks: ["client_id", "redirect_uri", "account_type"] }),
      step({ step: "secret", title: "Client secret", checks: ["client_secret", "secret_expiry"] }),
      step({ step: "permissions", title: "Permissions and consent", checks: ["api_permissions", "admin_consent"] }),
      step({
        step: "mailbox",
        title: "Mailbox and SMTP AUTH",
        checks: ["mailbox", "smtp_auth", "test_email"],
        mailbox_owner_signs_in: true,
      }),
      step({ step: "summary", title: "Summary", checks: ["tenant", "client_id"] }),
    ],
    step: "site",
    inputs: { site_url: "", tenant: "", client_id: "", mailbox: "", test_recipient: "" },
    issues: [],
    redirect_uri: null,
    scopes: "Mail.Send offline_access",
    admin_consent_link: null,
    results: [],
    permissions: [
      { name: "Mail.Send", kind: "delegated", configured: true, consented: false },
      { name: "offline_access", kind: "delegated", configured: true, consented: true },
    ],
    consent_requests: null,
    powershell: "Set-CASMailbox -Identity 'intranet@contoso.com' -SmtpClientAuthenticationDisabled $false",
    secret: {
      held: false,
      issues: [],
      created_hint: null,
      created_expires: null,
      can_reveal: false,
      default_days: 365,
      max_days: 730,
      choices: [
        { days: 90, label: "90 days (3 months)", default: false },
        { days: 180, label: "180 days (6 months)", default: false },
        { days: 365, label: "365 days (12 months)", default: true },
        { days: 545, label: "545 days (18 months)", default: false },
        { days: 730, label: "730 days (24 months)", default: false },
      ],
      advice: "Keep an eye on the expiry date.",
      expiry_known: true,
      credentials: [],
      credential: "secret",
      certificate: null,
    },
    admin: null,
    mailbox_owner: null,
    demo: { name: "contoso", title: "Contoso, healthy", description: "A working tenant.", healthy: true },
    sign_in_client: {
      client_id: "14d82eec-204b-4c2f-b7e8-296a70dab67e",
      origin: "nothing set: Microsoft Graph Command Line Tools, Microsoft's public client",
      is_default: true,
      from_environment: false,
      config_file: "/home/admin/.config/entra-setup/config.toml",
    },
    ...overrides,
  };
}

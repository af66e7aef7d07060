/** Profile summaries shaped like the shell's answer to `list_profiles`, for tests. */
import type { ProfileSummary } from "../ipc";

export const axeroCalendar: ProfileSummary = {
  id: "axero-outlook-calendar",
  title: "Axero — Outlook calendar sync",
  product: "Axero intranet",
  kind: "delegated_web",
  summary: "Lets Axero read and write the Outlook calendars of the people who sign in.",
  admin_roles: ["Cloud Application Administrator", "Privileged Role Administrator"],
  licences: ["Exchange Online mailbox for each user"],
  estimated_minutes: 15,
  checks: [
    "tenant",
    "client_id",
    "client_secret",
    "secret_expiry",
    "redirect_uri",
    "account_type",
    "api_permissions",
    "admin_consent",
    "mailbox",
    "smtp_auth",
  ],
  source: { type: "shipped" },
};

export const exchangeConnector: ProfileSummary = {
  id: "exchange-calendar-connector",
  title: "Exchange calendar connector",
  product: "Calendar connector",
  kind: "app_only",
  summary: "Reads room and people calendars as the app, without anyone signing in.",
  admin_roles: ["Global Administrator"],
  licences: [],
  estimated_minutes: 20,
  checks: ["tenant", "client_id", "client_secret", "secret_expiry", "api_permissions", "admin_consent", "calendar_access"],
  source: { type: "shipped" },
};

export const vendorConsent: ProfileSummary = {
  id: "vendor-app-consent",
  title: "Approve a vendor's app",
  product: "Any multi-tenant SaaS app",
  kind: "vendor_consent",
  summary: "Grants tenant-wide admin consent to a vendor's app.",
  admin_roles: ["Cloud Application Administrator"],
  licences: [],
  estimated_minutes: 5,
  checks: ["tenant"],
  source: { type: "user", path: "/home/admin/.config/entra-setup/profiles/vendor.toml" },
};

export const sampleProfiles: ProfileSummary[] = [axeroCalendar, exchangeConnector, vendorConsent];

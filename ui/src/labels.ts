/** Words for the ids the shell sends: checkpoint names and what each status means to people. */
import type { CheckId, Needed, Status } from "./ipc";

/** Each checkpoint's name. */
export const CHECK_LABELS: Record<CheckId, string> = {
  tenant: "Tenant",
  client_id: "Application (client) ID",
  client_secret: "Client secret",
  secret_expiry: "Secret expiry",
  client_certificate: "Certificate",
  certificate_expiry: "Certificate expiry",
  redirect_uri: "Redirect URI",
  account_type: "Supported account type",
  api_permissions: "API permissions",
  admin_consent: "Admin consent",
  consent_policy: "Consent settings",
  mailbox: "Mailbox",
  smtp_auth: "SMTP AUTH",
  imap_auth: "IMAP",
  test_email: "Test email",
  calendar_access: "Calendar access",
};

/** What each status says, in a word or two. */
export const STATUS_LABELS: Record<Status | "running" | "pending", string> = {
  pass: "Passed",
  fail: "Failed",
  warn: "Passed with a warning",
  unverified: "Couldn't check",
  skipped: "Not checked",
  running: "Checking…",
  pending: "Not checked yet",
};

/** What a check that was not checked waits for, as the wizard offers it (field or button). */
export const NEEDED_LABELS: Record<Needed, string> = {
  client_id: "the Application (client) ID (App registration step)",
  client_secret: "the client secret's value (Client secret step)",
  redirect_uri: "the product's address (first step)",
  mailbox: "the mailbox (Mailbox step)",
  test_recipient: "where the test email goes (Mailbox step)",
  admin_sign_in: "an administrator's sign-in (Sign in step)",
  mailbox_owner_sign_in: "the mailbox owner's sign-in (Mailbox step)",
};

/** "in 5 days", "today", "3 days ago". */
export function daysText(daysLeft: number): string {
  if (daysLeft === 0) return "today";
  if (daysLeft < 0) return `${-daysLeft} day${daysLeft === -1 ? "" : "s"} ago`;
  return `in ${daysLeft} day${daysLeft === 1 ? "" : "s"}`;
}

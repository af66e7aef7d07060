//! Telling people what a scan found, with nobody at a screen: a webhook message (Teams workflows,
//! Slack incoming webhooks: [`webhook`]) and a mail sent through Graph from a chosen mailbox
//! ([`mail`]). Each channel is tried, retried where that is safe, and then reported as `sent` or
//! `failed` with a cause ([`AlertReport`]) — never dropped silently. The words of the message are
//! [`summary`]'s, shared by both channels.
//!
//! Nothing here logs a webhook URL (only its host) or a token.

pub mod mail;
pub mod webhook;

use serde::Serialize;

use super::scan::{TenantReport, TenantStatus};
use crate::cause::Cause;
use crate::reminders::{CredentialKind, Stage};

/// Which way an alert went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertChannel {
    /// A JSON POST to a webhook.
    Webhook,
    /// A mail sent through Graph.
    Mail,
}

/// Whether the alert got through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    /// Accepted by the receiver.
    Sent,
    /// Not accepted after the attempts allowed: see the cause.
    Failed,
}

/// One alert's fate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertReport {
    /// Webhook or mail.
    pub channel: AlertChannel,
    /// Sent or failed.
    pub status: AlertStatus,
    /// Why it failed (a cause id of contracts/causes.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// What happened, for people: the receiver's host, never its URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// How many attempts were made.
    pub attempts: u32,
}

/// Whether the reports call for an alert: something due, or a tenant that could not be read.
pub fn worth_alerting(tenants: &[TenantReport]) -> bool {
    tenants
        .iter()
        .any(|t| !t.due.is_empty() || t.status == TenantStatus::Unreadable)
}

/// The subject line of an alert.
pub fn subject(tenants: &[TenantReport], within_days: u32) -> String {
    let due: usize = tenants.iter().map(|t| t.due.len()).sum();
    let unreadable = tenants
        .iter()
        .filter(|t| t.status == TenantStatus::Unreadable)
        .count();
    let mut parts = Vec::new();
    if due > 0 {
        parts.push(format!(
            "{due} app credential{} expire{} within {within_days} days",
            plural(due),
            if due == 1 { "s" } else { "" }
        ));
    }
    if unreadable > 0 {
        parts.push(format!(
            "{unreadable} tenant{} could not be read",
            plural(unreadable)
        ));
    }
    if parts.is_empty() {
        parts.push(format!("nothing expires within {within_days} days"));
    }
    format!("Entra app credentials: {}", parts.join("; "))
}

/// The alert as plain text: the subject, then one line per credential due and per tenant that
/// could not be read.
pub fn summary(tenants: &[TenantReport], within_days: u32) -> String {
    let mut text = subject(tenants, within_days);
    for tenant in tenants {
        if let (TenantStatus::Unreadable, Some(cause)) = (tenant.status, tenant.cause) {
            text.push_str(&format!(
                "\n- {}: could not be read ({})",
                tenant.tenant,
                cause.as_str()
            ));
        }
        for due in &tenant.due {
            let kind = match due.kind {
                CredentialKind::Secret => "secret",
                CredentialKind::Certificate => "certificate",
            };
            let when = match due.stage {
                Stage::Expired => format!("EXPIRED on {}", due.expires.format("%Y-%m-%d")),
                _ => format!(
                    "expires {} (in {} days)",
                    due.expires.format("%Y-%m-%d"),
                    due.days_left
                ),
            };
            text.push_str(&format!(
                "\n- {}: {} ({}) {kind} {} {when}",
                tenant.tenant,
                crate::printable::printable(due.display_name.as_deref().unwrap_or("(unnamed)")),
                due.client_id,
                due.key_id,
            ));
        }
    }
    text
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

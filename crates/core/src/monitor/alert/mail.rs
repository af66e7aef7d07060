//! The mail alert: `POST /users/{mail-from}/sendMail` with the monitor app's own token in the
//! tenant of the sending mailbox (its UPN's domain), to each `--mail-to` address.
//!
//! What that takes, which `monitor setup` explains ([`mail_requirements`]): the application
//! permission `Mail.Send`, admin-consented — which by itself lets the app send as *any* mailbox —
//! narrowed with Exchange Online's RBAC for Applications to the one sending mailbox.

use serde::Serialize;

use super::{AlertChannel, AlertReport, AlertStatus, subject, summary};
use crate::cause::Cause;
use crate::endpoints::Endpoints;
use crate::graph::GraphError;
use crate::graph::bodies::{BodyType, ItemBody, Message, Recipient, SendMail};
use crate::http::Http;
use crate::monitor::scan::TenantReport;
use crate::monitor::token::TokenSource;

/// What sending the alert by mail needs, in the words `monitor setup` prints: the monitor app
/// `client_id` sending as the mailbox `mail_from`.
pub fn mail_requirements(client_id: &str, mail_from: &str) -> String {
    format!(
        "Mail alerts are sent through Microsoft Graph as {mail_from}, with the monitor app's own token:
  1. The monitor app needs the application permission Mail.Send with admin consent (monitor setup --mail-from asked for it).
  2. On its own, Mail.Send lets the app send as every mailbox of the organisation. Limit it to {mail_from} with RBAC for Applications in Exchange Online (Exchange Online PowerShell, as an Exchange administrator):
       New-ServicePrincipal -AppId {client_id} -ObjectId <the object ID of its enterprise application> -DisplayName \"Entra setup monitor\"
       New-ManagementScope -Name \"Entra setup monitor mailbox\" -RecipientRestrictionFilter \"PrimarySmtpAddress -eq '{mail_from}'\"
       New-ManagementRoleAssignment -App {client_id} -Role \"Application Mail.Send\" -CustomResourceScope \"Entra setup monitor mailbox\"
     then remove the tenant-wide Mail.Send consent from the enterprise application (Permissions), so only the scoped assignment remains.
     Test-ServicePrincipalAuthorization -Identity {client_id} -Resource {mail_from} shows what the app may do.
  3. {mail_from} must be a licensed user mailbox (Exchange Online), not a shared one.
  4. Scans then send with: entra-setup monitor scan --mail-from {mail_from} --mail-to ADDRESS"
    )
}

/// Where the mail alert goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailRoute {
    /// The sending mailbox's UPN (its domain names the tenant the token is asked in).
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
}

impl MailRoute {
    /// The tenant of the sending mailbox: its UPN's domain.
    pub fn tenant(&self) -> &str {
        self.from.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

/// Send the alert by mail: `sent`, or `failed` with a cause (the core's HTTP client retries
/// throttling and 5xx).
pub async fn send<S: TokenSource>(
    http: &Http,
    endpoints: &Endpoints,
    tokens: &S,
    route: &MailRoute,
    tenants: &[TenantReport],
    within_days: u32,
) -> AlertReport {
    let failed = |cause: Cause, detail: String| AlertReport {
        channel: AlertChannel::Mail,
        status: AlertStatus::Failed,
        cause: Some(cause),
        detail: Some(detail),
        attempts: 1,
    };
    let token = match tokens.graph_token(route.tenant()).await {
        Ok(token) => token,
        Err(crate::identity::TokenError::Unavailable(fault)) => {
            return failed(fault.cause, fault.detail);
        }
        Err(crate::identity::TokenError::Rejected(refusal)) => {
            return failed(
                crate::identity::cause_of(&refusal).unwrap_or(Cause::TokenInvalid),
                format!(
                    "no token in {} to send mail with ({})",
                    route.tenant(),
                    refusal.label()
                ),
            );
        }
    };
    let body = SendMail {
        message: Message {
            body: ItemBody {
                content: summary(tenants, within_days),
                content_type: BodyType::Text,
            },
            subject: subject(tenants, within_days),
            to_recipients: route.to.iter().map(|to| Recipient::address(to)).collect(),
        },
        save_to_sent_items: false,
    };
    let sent = crate::graph::post(
        http,
        endpoints,
        &token.access_token,
        &["users", &route.from, "sendMail"],
        &body,
        "alert mail",
    )
    .await;
    match sent {
        Ok(answer) if answer.status.is_success() => AlertReport {
            channel: AlertChannel::Mail,
            status: AlertStatus::Sent,
            cause: None,
            detail: None,
            attempts: 1,
        },
        Ok(answer) => {
            let status = answer.status.as_u16();
            match GraphError::parse(&answer.body) {
                Some(error) => failed(
                    error.cause_for_app(status),
                    format!(
                        "Graph refused to send as {} ({status} {}): the monitor app needs Mail.Send for that mailbox",
                        route.from, error.code
                    ),
                ),
                None => failed(
                    Cause::ServiceUnavailable,
                    format!("Graph answered {status} to the alert mail"),
                ),
            }
        }
        Err(fault) => failed(fault.cause, fault.detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_requirements_name_the_app_and_the_mailbox() {
        let text = mail_requirements("99999999-0000-0000-0000-000000000001", "alerts@contoso.com");
        assert!(text.contains("New-ManagementRoleAssignment -App 99999999-0000-0000-0000-000000000001 -Role \"Application Mail.Send\""));
        assert!(text.contains("PrimarySmtpAddress -eq 'alerts@contoso.com'"));
        let route = MailRoute {
            from: "alerts@contoso.com".into(),
            to: vec![],
        };
        assert_eq!(route.tenant(), "contoso.com");
    }
}

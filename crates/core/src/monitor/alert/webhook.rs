//! The webhook alert: one JSON POST per scan that Slack incoming webhooks and Teams workflows
//! ("When a Teams webhook request is received") both accept — `text` carries the whole message,
//! and `entra_setup` the same facts as structured fields for a workflow to pick from. In `text`,
//! `&`, `<` and `>` are escaped as Slack requires, so a registration named `<!channel>` cannot
//! notify a whole channel or pass off a link.
//!
//! The URL is a secret (whoever has it can post to the channel): it is kept in a [`Secret`],
//! never logged, printed or put in an error — only its host is. The post goes through the core's
//! HTTP client (timeouts, no redirects) but not its logging retry loop, which would log the URL's
//! path; it is retried here after 5xx, 429 and network faults, [`Patience::attempts`] times at
//! most, waiting [`Patience::backoff`] doubled each time (or the `Retry-After` asked, at most
//! [`Patience::max_wait`]). Tests set both waits to zero.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use serde_json::{Value, json};

use super::{AlertChannel, AlertReport, AlertStatus, subject, summary};
use crate::cause::Cause;
use crate::endpoints::is_loopback_host;
use crate::http::Http;
use crate::monitor::scan::TenantReport;
use crate::secret::Secret;

/// A webhook URL: kept as a secret, shown only by its host.
#[derive(Clone)]
pub struct WebhookUrl {
    url: Secret,
    host: String,
}

impl std::fmt::Debug for WebhookUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WebhookUrl(https://{}/[redacted])", self.host)
    }
}

/// Why a webhook URL was refused (the URL itself is never in the message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookUrlError {
    /// Not an absolute URL.
    #[error("it is not an absolute URL")]
    NotAUrl,
    /// Plain `http://` to anything but this machine.
    #[error("it must start with https:// (plain http only for a loopback address)")]
    NotHttps,
}

impl WebhookUrl {
    /// The webhook at `url`: `https://`, or plain `http://` on a loopback address.
    pub fn parse(url: Secret) -> Result<WebhookUrl, WebhookUrlError> {
        let parsed = url::Url::parse(url.expose().trim()).map_err(|_| WebhookUrlError::NotAUrl)?;
        let host = parsed
            .host_str()
            .ok_or(WebhookUrlError::NotAUrl)?
            .to_owned();
        match parsed.scheme() {
            "https" => {}
            "http" if is_loopback_host(&host) => {}
            _ => return Err(WebhookUrlError::NotHttps),
        }
        Ok(WebhookUrl {
            url: Secret::new(parsed.as_str()),
            host,
        })
    }

    /// The host, which may be shown and logged.
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// How hard a webhook post tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Patience {
    /// Attempts in all (at least 1).
    pub attempts: u32,
    /// The wait before the second attempt, doubled before each later one.
    pub backoff: Duration,
    /// The longest wait, whatever `Retry-After` asks.
    pub max_wait: Duration,
}

impl Default for Patience {
    fn default() -> Self {
        Patience {
            attempts: 3,
            backoff: Duration::from_secs(2),
            max_wait: Duration::from_secs(30),
        }
    }
}

impl Patience {
    /// No waiting between attempts (tests).
    pub fn immediate(attempts: u32) -> Self {
        Patience {
            attempts,
            backoff: Duration::ZERO,
            max_wait: Duration::ZERO,
        }
    }
}

/// The message posted: `text` for Slack and Teams, `entra_setup` for a workflow's own use.
pub fn message(tenants: &[TenantReport], within_days: u32) -> Value {
    json!({
        "text": escape_control_sequences(&summary(tenants, within_days)),
        "entra_setup": {
            "title": subject(tenants, within_days),
            "within_days": within_days,
            "due": tenants.iter().map(|t| t.due.len()).sum::<usize>(),
            "tenants": tenants,
        },
    })
}

/// Text with `&`, `<` and `>` escaped, as Slack's message formatting requires: what the
/// directory names (app names) is shown, never read as a mention or a link.
fn escape_control_sequences(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// POST `body` to the webhook, retrying transient failures: `sent`, or `failed` with a cause.
pub async fn post(
    http: &Http,
    webhook: &WebhookUrl,
    body: &Value,
    patience: Patience,
) -> AlertReport {
    let attempts = patience.attempts.max(1);
    let mut last = (Cause::NetworkError, String::new());
    let mut made = 0;
    for attempt in 1..=attempts {
        made = attempt;
        let sent = http
            .client()
            .post(webhook.url.expose())
            .header("Content-Type", "application/json")
            .json(body)
            .send()
            .await;
        let retry_after = match sent {
            Ok(answer) if answer.status().is_success() => {
                tracing::info!(
                    host = webhook.host(),
                    attempt,
                    status = answer.status().as_u16(),
                    "webhook alert sent"
                );
                return AlertReport {
                    channel: AlertChannel::Webhook,
                    status: AlertStatus::Sent,
                    cause: None,
                    detail: None,
                    attempts: attempt,
                };
            }
            Ok(answer) => {
                let status = answer.status();
                tracing::warn!(
                    host = webhook.host(),
                    attempt,
                    status = status.as_u16(),
                    "webhook refused the alert"
                );
                last = (
                    cause_of_status(status),
                    format!("the webhook at {} answered {status}", webhook.host()),
                );
                if !is_transient(status) {
                    break;
                }
                answer
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map(Duration::from_secs_f64)
            }
            Err(error) => {
                let what = if error.is_timeout() {
                    "timed out"
                } else if error.is_connect() {
                    "could not connect"
                } else {
                    "the connection failed"
                };
                tracing::warn!(host = webhook.host(), attempt, "webhook post {what}");
                last = (
                    Cause::NetworkError,
                    format!("the webhook at {}: {what}", webhook.host()),
                );
                None
            }
        };
        if attempt < attempts {
            let wait = retry_after
                .unwrap_or(patience.backoff * 2u32.pow(attempt - 1))
                .min(patience.max_wait);
            tokio::time::sleep(wait).await;
        }
    }
    let (cause, detail) = last;
    AlertReport {
        channel: AlertChannel::Webhook,
        status: AlertStatus::Failed,
        cause: Some(cause),
        detail: Some(detail),
        attempts: made,
    }
}

/// Throttling, 5xx and request timeouts may pass; other refusals will not.
fn is_transient(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
        || status.is_server_error()
}

fn cause_of_status(status: StatusCode) -> Cause {
    match status {
        StatusCode::TOO_MANY_REQUESTS => Cause::Throttled,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Cause::TokenInvalid,
        StatusCode::NOT_FOUND | StatusCode::GONE => Cause::ObjectNotFound,
        // 5xx, and any other refusal: the receiver did not take the message.
        _ => Cause::ServiceUnavailable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::scan::{DueCredential, TenantStatus};
    use crate::reminders::{CredentialKind, Stage};

    #[test]
    fn directory_names_cannot_mention_or_link() {
        let expires = chrono::Utc::now();
        let tenants = [TenantReport {
            tenant: "contoso.com".into(),
            status: TenantStatus::Ok,
            cause: None,
            detail: None,
            registrations: 1,
            due: vec![DueCredential {
                client_id: "c".into(),
                display_name: Some("<!channel> & <https://evil.example|Payroll>".into()),
                kind: CredentialKind::Secret,
                key_id: "k".into(),
                expires,
                stage: Stage::Expired,
                days_left: 0,
            }],
        }];
        let message = message(&tenants, 30);
        let text = message["text"].as_str().expect("text");
        assert!(
            text.contains("&lt;!channel&gt; &amp; &lt;https://evil.example|Payroll&gt;"),
            "{text}"
        );
        assert!(!text.contains('<') && !text.contains('>'));
        // The structured fields keep the name as the directory has it.
        assert_eq!(
            message["entra_setup"]["tenants"][0]["due"][0]["display_name"],
            "<!channel> & <https://evil.example|Payroll>"
        );
    }
}

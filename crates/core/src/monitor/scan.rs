//! `monitor scan`'s reading: for each tenant, an app-only token from the [`TokenSource`], then
//! every registration's secrets and certificates through the reminders' shared reader and judge
//! ([`reminders::each_expiring`]), page by page. Several tenants are read at once, at most
//! [`ScanOptions::concurrency`]; a tenant that cannot be read is reported `unreadable` with its
//! cause, and the others are still read. Alerting is [`super::alert`]'s.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::token::TokenSource;
use crate::cause::Cause;
use crate::endpoints::Endpoints;
use crate::graph::{ReadError, Reader};
use crate::http::Http;
use crate::identity::{self, TokenError};
use crate::reminders::{self, CredentialKind, ExpiringCredential, Stage};

/// The window `monitor scan` looks ahead by default, in days.
pub const DEFAULT_WITHIN_DAYS: u32 = 30;

/// How many tenants are read at once by default.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// What a scan judges by.
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    /// The time it is.
    pub now: DateTime<Utc>,
    /// Credentials expiring within this many days (or expired) are due.
    pub within_days: u32,
    /// At most this many tenants are read at once (at least 1).
    pub concurrency: usize,
}

/// Whether a tenant could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantStatus {
    /// Every registration was read.
    Ok,
    /// It could not be read (no token, consent missing, throttling, network): see the cause.
    Unreadable,
}

/// One credential due, as the monitor reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueCredential {
    /// The application (client) ID.
    pub client_id: String,
    /// The registration's display name.
    pub display_name: Option<String>,
    /// Secret or certificate.
    pub kind: CredentialKind,
    /// The credential's key ID.
    pub key_id: String,
    /// When it expires.
    pub expires: DateTime<Utc>,
    /// Its stage on the way to expiry (the reminders' lead days).
    pub stage: Stage,
    /// Whole days left (negative once expired).
    pub days_left: i64,
}

impl DueCredential {
    fn new(found: ExpiringCredential, now: DateTime<Utc>) -> Self {
        DueCredential {
            stage: reminders::stage(found.expires, now),
            client_id: found.client_id,
            display_name: found.app_name,
            kind: found.kind,
            key_id: found.key_id,
            expires: found.expires,
            days_left: found.days_left,
        }
    }
}

/// What the scan found in one tenant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenantReport {
    /// The tenant as the tenants file names it.
    pub tenant: String,
    /// Whether it could be read.
    pub status: TenantStatus,
    /// Why it could not be read (a cause id of contracts/causes.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// What happened, for people (no secret, token or URL query in it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The registrations read.
    pub registrations: usize,
    /// The credentials due, soonest first.
    pub due: Vec<DueCredential>,
}

impl TenantReport {
    fn unreadable(tenant: &str, cause: Cause, detail: String) -> Self {
        TenantReport {
            tenant: tenant.to_owned(),
            status: TenantStatus::Unreadable,
            cause: Some(cause),
            detail: Some(detail),
            registrations: 0,
            due: Vec::new(),
        }
    }
}

/// What a whole scan comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every tenant was read and nothing is due (exit 0).
    Clear,
    /// Something is due (exit 1), whatever else happened.
    Due,
    /// Nothing due was found but a tenant could not be read (exit 2).
    Unreadable,
}

/// The outcome of the tenants' reports.
pub fn outcome(tenants: &[TenantReport]) -> Outcome {
    if tenants.iter().any(|t| !t.due.is_empty()) {
        Outcome::Due
    } else if tenants.iter().any(|t| t.status == TenantStatus::Unreadable) {
        Outcome::Unreadable
    } else {
        Outcome::Clear
    }
}

/// Read every tenant of `tenants`, at most `options.concurrency` at once: the reports in the
/// order given.
pub async fn scan_tenants<S: TokenSource>(
    http: &Http,
    endpoints: &Endpoints,
    tokens: Arc<S>,
    tenants: &[String],
    options: ScanOptions,
) -> Vec<TenantReport> {
    let limit = Arc::new(tokio::sync::Semaphore::new(options.concurrency.max(1)));
    let mut running = tokio::task::JoinSet::new();
    for (index, tenant) in tenants.iter().enumerate() {
        let (http, endpoints, tokens, limit) = (
            http.clone(),
            endpoints.clone(),
            tokens.clone(),
            limit.clone(),
        );
        let tenant = tenant.clone();
        running.spawn(async move {
            let _turn = limit.acquire_owned().await.ok();
            let report = scan_tenant(&http, &endpoints, tokens.as_ref(), &tenant, options).await;
            (index, report)
        });
    }
    let mut reports: Vec<Option<TenantReport>> = vec![None; tenants.len()];
    while let Some(joined) = running.join_next().await {
        match joined {
            Ok((index, report)) => reports[index] = Some(report),
            Err(panicked) => std::panic::resume_unwind(panicked.into_panic()),
        }
    }
    reports.into_iter().flatten().collect()
}

/// Read one tenant.
pub async fn scan_tenant<S: TokenSource>(
    http: &Http,
    endpoints: &Endpoints,
    tokens: &S,
    tenant: &str,
    options: ScanOptions,
) -> TenantReport {
    let token = match tokens.graph_token(tenant).await {
        Ok(token) => token,
        Err(error) => {
            let (cause, detail) = token_failure(&error, tokens.client_id());
            tracing::warn!(
                tenant,
                cause = cause.as_str(),
                "no app-only token: {detail}"
            );
            return TenantReport::unreadable(tenant, cause, detail);
        }
    };
    let reader = Reader {
        http,
        endpoints,
        token: &token.access_token,
    };
    let mut due = Vec::new();
    let read = reminders::each_expiring(&reader, options.now, options.within_days, |found| {
        due.push(DueCredential::new(found, options.now));
    })
    .await;
    match read {
        Ok(registrations) => {
            due.sort_by_key(|d| d.expires);
            tracing::info!(tenant, registrations, due = due.len(), "tenant scanned");
            TenantReport {
                tenant: tenant.to_owned(),
                status: TenantStatus::Ok,
                cause: None,
                detail: None,
                registrations,
                due,
            }
        }
        Err(error) => {
            let (cause, detail) = read_failure(&error);
            tracing::warn!(
                tenant,
                cause = cause.as_str(),
                "registrations unread: {detail}"
            );
            TenantReport::unreadable(tenant, cause, detail)
        }
    }
}

/// The cause and words of a token refusal: an app unknown to the tenant or without its
/// enterprise application there means nobody consented to the monitor in that tenant.
fn token_failure(error: &TokenError, client_id: &str) -> (Cause, String) {
    match error {
        TokenError::Unavailable(fault) => (fault.cause, fault.detail.clone()),
        TokenError::Rejected(refusal) => {
            let consent = refusal
                .error_codes
                .iter()
                .any(|code| matches!(code, 700016 | 7000229 | 65001));
            let cause = if consent {
                Cause::AdminConsentMissing
            } else {
                identity::cause_of(refusal).unwrap_or(Cause::TokenInvalid)
            };
            let detail = if consent {
                format!(
                    "the monitor app {client_id} is not approved in this tenant ({}): an administrator of the tenant must open the consent link `monitor setup` prints",
                    refusal.label()
                )
            } else {
                format!(
                    "Microsoft refused the monitor's token request ({})",
                    refusal.label()
                )
            };
            (cause, detail)
        }
    }
}

/// The cause and words of a failed read.
fn read_failure(error: &ReadError) -> (Cause, String) {
    match error {
        ReadError::Unavailable(fault) => (fault.cause, fault.detail.clone()),
        ReadError::NotFound(graph) => (
            graph.cause_for_app(404),
            format!("Graph answered 404 ({})", graph.code),
        ),
        ReadError::Refused { status, error } => {
            let cause = match error.cause_for_app(*status) {
                // The monitor's own token without Application.Read.All: consent is missing.
                Cause::PermissionMissing => Cause::AdminConsentMissing,
                other => other,
            };
            (
                cause,
                format!(
                    "Graph refused to list the app registrations ({status} {}): the monitor app needs Application.Read.All, admin-consented in this tenant",
                    error.code
                ),
            )
        }
    }
}

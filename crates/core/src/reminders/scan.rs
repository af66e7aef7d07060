//! "Scan this tenant": with an administrator's Graph token, every app registration's client
//! secrets (`passwordCredentials`) and certificates (`keyCredentials`) that expire within N days
//! or have expired — `GET /applications?$select=id,appId,displayName,passwordCredentials,
//! keyCredentials`, following `@odata.nextLink`. Adding them to the reminders is the caller's
//! choice ([`super::Registry::record_secret`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::graph::{ReadError, Reader};

/// The properties the scan selects.
pub const SCAN_SELECT: &[&str] = &[
    "id",
    "appId",
    "displayName",
    "passwordCredentials",
    "keyCredentials",
];

/// A client secret or a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// A client secret (`passwordCredentials`).
    Secret,
    /// A certificate (`keyCredentials`).
    Certificate,
}

/// One credential that expires within the window (or has expired).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExpiringCredential {
    /// The application (client) ID.
    pub client_id: String,
    /// The app's display name.
    pub app_name: Option<String>,
    /// Secret or certificate.
    pub kind: CredentialKind,
    /// The credential's key id.
    pub key_id: String,
    /// Its description.
    pub description: Option<String>,
    /// When it expires.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub expires: DateTime<Utc>,
    /// Whole days left (negative once expired).
    pub days_left: i64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct App {
    app_id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    password_credentials: Vec<Credential>,
    #[serde(default)]
    key_credentials: Vec<Credential>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Credential {
    key_id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    end_date_time: Option<DateTime<Utc>>,
}

/// Every credential of every app registration expiring within `within_days` of `now` (or
/// expired), soonest first.
pub async fn scan(
    reader: &Reader<'_>,
    now: DateTime<Utc>,
    within_days: u32,
) -> Result<Vec<ExpiringCredential>, ReadError> {
    let apps: Vec<App> = reader
        .all(&["applications"], SCAN_SELECT, &[], "the app registrations")
        .await?;
    let limit = now + chrono::Duration::days(i64::from(within_days));
    let mut found = Vec::new();
    for app in apps {
        let credentials = app
            .password_credentials
            .iter()
            .map(|c| (CredentialKind::Secret, c))
            .chain(
                app.key_credentials
                    .iter()
                    .map(|c| (CredentialKind::Certificate, c)),
            );
        for (kind, credential) in credentials {
            let Some(expires) = credential.end_date_time else {
                continue;
            };
            if expires <= limit {
                found.push(ExpiringCredential {
                    client_id: app.app_id.to_ascii_lowercase(),
                    app_name: app.display_name.clone(),
                    kind,
                    key_id: credential.key_id.to_ascii_lowercase(),
                    description: credential.display_name.clone(),
                    expires,
                    days_left: super::days_left(expires, now),
                });
            }
        }
    }
    found.sort_by_key(|c| c.expires);
    Ok(found)
}

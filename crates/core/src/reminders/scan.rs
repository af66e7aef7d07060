//! "Scan this tenant": with a Graph token that may read applications (an administrator's for
//! `reminders scan`, the monitor app's own for `monitor scan`), every app registration's client
//! secrets (`passwordCredentials`) and certificates (`keyCredentials`) that expire within N days
//! or have expired — `GET /applications?$select=id,appId,displayName,passwordCredentials,
//! keyCredentials&$top=999`, following `@odata.nextLink`, one page at a time. Both scans read and
//! judge through [`each_expiring`]; adding what is found to the reminders is the caller's choice
//! ([`super::Registry::record_secret`]), as is how to alert.

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

/// One app registration as the scan reads it: its IDs, name and the metadata of its client secrets
/// and certificates (never a secret value or a private key).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppCredentials {
    /// The application (client) ID.
    pub app_id: String,
    /// The display name.
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    password_credentials: Vec<Credential>,
    #[serde(default)]
    key_credentials: Vec<Credential>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Credential {
    key_id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    end_date_time: Option<DateTime<Utc>>,
}

impl AppCredentials {
    /// This registration's secrets and certificates expiring within `within_days` of `now` (or
    /// expired), in the order Graph lists them. A credential without an end date never expires.
    pub fn expiring(
        &self,
        now: DateTime<Utc>,
        within_days: u32,
    ) -> impl Iterator<Item = ExpiringCredential> + '_ {
        let limit = now + chrono::Duration::days(i64::from(within_days));
        self.password_credentials
            .iter()
            .map(|c| (CredentialKind::Secret, c))
            .chain(
                self.key_credentials
                    .iter()
                    .map(|c| (CredentialKind::Certificate, c)),
            )
            .filter_map(move |(kind, credential)| {
                let expires = credential.end_date_time.filter(|end| *end <= limit)?;
                Some(ExpiringCredential {
                    client_id: self.app_id.to_ascii_lowercase(),
                    app_name: self.display_name.clone(),
                    kind,
                    key_id: credential.key_id.to_ascii_lowercase(),
                    description: credential.display_name.clone(),
                    expires,
                    days_left: super::days_left(expires, now),
                })
            })
    }
}

/// The page size the scan asks for: the largest Graph allows for applications, so 20,000
/// registrations cost about 21 requests.
pub const SCAN_PAGE_SIZE: u32 = 999;

/// Read every app registration page by page ([`SCAN_SELECT`], [`SCAN_PAGE_SIZE`], following
/// `@odata.nextLink`) and hand each credential expiring within `within_days` of `now` (or
/// expired) to `found`; each page is dropped once judged. Answers how many registrations were
/// read.
pub async fn each_expiring(
    reader: &Reader<'_>,
    now: DateTime<Utc>,
    within_days: u32,
    mut found: impl FnMut(ExpiringCredential),
) -> Result<usize, ReadError> {
    let top = SCAN_PAGE_SIZE.to_string();
    let mut read = 0;
    reader
        .each_page(
            &["applications"],
            SCAN_SELECT,
            &[("$top", &top)],
            "the app registrations",
            |apps: Vec<AppCredentials>| {
                read += apps.len();
                for app in &apps {
                    app.expiring(now, within_days).for_each(&mut found);
                }
            },
        )
        .await?;
    Ok(read)
}

/// Every credential of every app registration expiring within `within_days` of `now` (or
/// expired), soonest first.
pub async fn scan(
    reader: &Reader<'_>,
    now: DateTime<Utc>,
    within_days: u32,
) -> Result<Vec<ExpiringCredential>, ReadError> {
    let mut found = Vec::new();
    each_expiring(reader, now, within_days, |c| found.push(c)).await?;
    found.sort_by_key(|c| c.expires);
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn secrets_and_certificates_within_the_window_are_expiring() {
        let now = Utc
            .with_ymd_and_hms(2027, 1, 1, 0, 0, 0)
            .single()
            .expect("date");
        let app: AppCredentials = serde_json::from_value(serde_json::json!({
            "id": "o", "appId": "AAAA", "displayName": "Intranet",
            "passwordCredentials": [
                {"keyId": "S1", "endDateTime": "2027-01-10T00:00:00Z"},
                {"keyId": "s2", "endDateTime": "2027-06-01T00:00:00Z"},
                {"keyId": "s3", "endDateTime": null}
            ],
            "keyCredentials": [
                {"keyId": "c1", "displayName": "CN=monitor", "endDateTime": "2026-12-01T00:00:00Z"}
            ]
        }))
        .expect("parse");
        let found: Vec<_> = app.expiring(now, 30).collect();
        let keys: Vec<_> = found
            .iter()
            .map(|c| (c.kind, c.key_id.as_str(), c.days_left))
            .collect();
        assert_eq!(
            keys,
            vec![
                (CredentialKind::Secret, "s1", 9),
                (CredentialKind::Certificate, "c1", -31)
            ]
        );
        assert_eq!(found[0].client_id, "aaaa");
    }
}

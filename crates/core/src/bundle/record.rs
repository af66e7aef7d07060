//! `bundle.json`: the machine-readable record of a configuration bundle (contracts/bundle.md).
//! It is read back by `bundle inspect` and by the GUI's "Open bundle" to resume the wizard, so it
//! both serialises and deserialises; it never holds a secret value nor a private key.
//!
//! A bundle of an app that proves itself with a certificate has a `certificate` object
//! (thumbprint, key id, expiry, where its private key is); a bundle without one omits it, so the
//! bundles written before certificates existed read as they always did.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The `format` of `bundle.json`.
pub const FORMAT: &str = "entra-setup-bundle";
/// The `version` this program writes and reads.
pub const VERSION: u32 = 1;

/// The whole record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BundleRecord {
    /// Always `entra-setup-bundle`.
    pub format: String,
    /// Always 1 for this program.
    pub version: u32,
    /// When the bundle was made (RFC 3339).
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub created: DateTime<Utc>,
    /// The integration profile.
    pub profile: ProfileRef,
    /// The tenant.
    pub tenant: TenantRecord,
    /// The app registration.
    pub application: ApplicationRecord,
    /// The client secret, without its value.
    pub secret: SecretRecord,
    /// The certificate the app proves itself with, without its private key; absent for an app
    /// that uses a client secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateRecord>,
    /// The product's settings by its own names; the secret's setting is `null`.
    pub settings: BTreeMap<String, Option<String>>,
    /// The checkpoints, as in `entra-setup verify --json`.
    pub checks: Vec<serde_json::Value>,
    /// When reminders fall.
    pub reminder: ReminderRecord,
}

/// Which profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProfileRef {
    /// Its stable id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// The tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TenantRecord {
    /// The directory (tenant) GUID, once known.
    pub id: Option<String>,
    /// The domain the admin gave, when it was one.
    pub domain: Option<String>,
    /// `global`, `usgov` or `china`.
    pub cloud: String,
}

/// The app registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ApplicationRecord {
    /// The application (client) ID.
    pub client_id: String,
    /// Its display name, when known.
    pub display_name: Option<String>,
    /// Graph's `signInAudience`.
    pub sign_in_audience: String,
    /// The redirect URIs the product uses.
    pub redirect_uris: Vec<String>,
    /// The Graph permissions by name.
    pub permissions: PermissionsRecord,
    /// The admin-consent link (for the admins of other tenants when multi-tenant).
    pub admin_consent_url: String,
}

/// Graph permissions by name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PermissionsRecord {
    /// Delegated permissions.
    pub delegated: Vec<String>,
    /// Application permissions.
    pub application: Vec<String>,
}

/// Where the secret's value is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::Display)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SecretStorage {
    /// In `secret.age`, inside the bundle.
    Age,
    /// In the OS keychain of the machine that exported it.
    Keyring,
    /// Nowhere this program knows.
    None,
}

/// The client secret, without its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SecretRecord {
    /// Its key id, when known.
    pub key_id: Option<String>,
    /// Its first three characters, when known.
    pub hint: Option<String>,
    /// When it expires, when known.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub expires: Option<DateTime<Utc>>,
    /// Where the value is.
    pub storage: SecretStorage,
}

/// The certificate credential, without its private key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CertificateRecord {
    /// Its SHA-1 thumbprint in upper-case hex, as the Entra admin center shows it.
    pub thumbprint: String,
    /// Its key id on the registration, when known.
    pub key_id: Option<String>,
    /// When it expires, when known.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub expires: Option<DateTime<Utc>>,
    /// Where its private key is (`age`: in `certificate.pfx.age`).
    pub storage: SecretStorage,
}

/// When reminders fall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReminderRecord {
    /// Days before expiry.
    pub lead_days: Vec<u32>,
}

/// The `storage` values of version 1.
const STORAGES: [&str; 3] = ["age", "keyring", "none"];

/// Graph's `signInAudience` values.
const AUDIENCES: [&str; 4] = [
    "AzureADMyOrg",
    "AzureADMultipleOrgs",
    "AzureADandPersonalMicrosoftAccount",
    "PersonalMicrosoftAccount",
];

/// The longest `secret.hint` (Graph's hint is the value's first three characters; anything
/// longer would be more of the secret than a bundle may carry).
const HINT_CHARS: usize = 3;

/// A SHA-1 thumbprint's length in hex digits.
const THUMBPRINT_CHARS: usize = 40;

/// What of `bundle.json` is wrong in the fields serde would only say vaguely about (the times,
/// the storage), checked on the raw document before it is read into a [`BundleRecord`]: the
/// first problem, naming the field. A field that is missing is left for serde to name.
pub(super) fn raw_problem(raw: &serde_json::Value) -> Option<String> {
    let at = |pointer: &str| raw.pointer(pointer);
    match at("/created") {
        Some(serde_json::Value::String(text)) if is_rfc3339(text) => {}
        Some(serde_json::Value::String(text)) => {
            return Some(format!(
                "created is '{}', not an RFC 3339 time",
                shown(text)
            ));
        }
        Some(other) => {
            return Some(format!(
                "created is {}, not an RFC 3339 time",
                shown_value(other)
            ));
        }
        None => {}
    }
    for credential in ["secret", "certificate"] {
        match at(&format!("/{credential}/expires")) {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::String(text)) if is_rfc3339(text) => {}
            Some(other) => {
                return Some(format!(
                    "{credential}.expires is {}, not an RFC 3339 time or null",
                    shown_value(other)
                ));
            }
        }
        match at(&format!("/{credential}/storage")) {
            Some(serde_json::Value::String(text)) if STORAGES.contains(&text.as_str()) => {}
            Some(other) => {
                return Some(format!(
                    "{credential}.storage is {}, not one of {}",
                    shown_value(other),
                    STORAGES.join(", ")
                ));
            }
            None => {}
        }
    }
    None
}

impl BundleRecord {
    /// The first field that breaks the contract's rules (contracts/bundle.md), named with
    /// what it holds and why it is refused; `None` when every field keeps them.
    pub(super) fn problem(&self) -> Option<String> {
        let mut problems = self.problems();
        problems.next()
    }

    fn problems(&self) -> impl Iterator<Item = String> + '_ {
        let guid = |field: &str, value: &str| {
            (!crate::validate::is_guid(value) || value.trim() != value)
                .then(|| format!("{field} is '{}', not a GUID", shown(value)))
        };
        let profile_id = &self.profile.id;
        let application = &self.application;
        let single = [
            (profile_id.is_empty()
                || profile_id.len() > 100
                || !profile_id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
            .then(|| {
                format!(
                    "profile.id is '{}', not lower-case letters, digits and dashes",
                    shown(profile_id)
                )
            }),
            (self.profile.title.trim().is_empty() || has_controls(&self.profile.title))
                .then(|| "profile.title is empty or holds control characters".to_string()),
            self.tenant.id.as_deref().and_then(|id| guid("tenant.id", id)),
            self.tenant.domain.as_deref().and_then(|domain| {
                (!crate::validate::is_dns_name(domain)
                    && !matches!(domain, "common" | "organizations" | "consumers"))
                .then(|| format!("tenant.domain is '{}', not a domain name", shown(domain)))
            }),
            (self
                .tenant
                .cloud
                .parse::<crate::endpoints::Cloud>()
                .is_err())
            .then(|| {
                format!(
                    "tenant.cloud is '{}', not one of global, usgov, china",
                    shown(&self.tenant.cloud)
                )
            }),
            guid("application.client_id", &application.client_id),
            application.display_name.as_deref().and_then(|name| {
                (name.chars().count() > 256).then(|| {
                    "application.display_name is longer than 256 characters".to_string()
                })
            }),
            (!AUDIENCES.contains(&application.sign_in_audience.as_str())).then(|| {
                format!(
                    "application.sign_in_audience is '{}', not one of {}",
                    shown(&application.sign_in_audience),
                    AUDIENCES.join(", ")
                )
            }),
            consent_url_problem(&application.admin_consent_url, &application.client_id),
            // Not repeated: what stands in the key id's place may be the secret's value.
            self.secret.key_id.as_deref().and_then(|key_id| {
                guid("secret.key_id", key_id)
                    .map(|_| "secret.key_id is not a GUID (the secret's ID, never its value)".into())
            }),
            self.secret.hint.as_deref().and_then(|hint| {
                (hint.chars().count() > HINT_CHARS || has_controls(hint)).then(|| {
                    format!(
                        "secret.hint is longer than {HINT_CHARS} characters or holds control characters"
                    )
                })
            }),
            self.certificate.as_ref().and_then(|certificate| {
                let thumbprint = &certificate.thumbprint;
                (thumbprint.len() != THUMBPRINT_CHARS
                    || !thumbprint
                        .chars()
                        .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)))
                .then(|| {
                    format!(
                        "certificate.thumbprint is '{}', not a SHA-1 thumbprint ({THUMBPRINT_CHARS} upper-case hex digits)",
                        shown(thumbprint)
                    )
                })
            }),
            self.certificate
                .as_ref()
                .and_then(|c| c.key_id.as_deref())
                .and_then(|key_id| guid("certificate.key_id", key_id)),
            (self.reminder.lead_days.is_empty()
                || self.reminder.lead_days.iter().any(|d| !(1..=365).contains(d)))
            .then(|| {
                format!(
                    "reminder.lead_days is {:?}, not days from 1 to 365",
                    self.reminder.lead_days
                )
            }),
        ];
        let redirects = application
            .redirect_uris
            .iter()
            .enumerate()
            .filter_map(|(i, uri)| {
                web_url(uri)
                    .err()
                    .map(|why| format!("application.redirect_uris[{i}] is '{}', {why}", shown(uri)))
            });
        let permissions = application
            .permissions
            .delegated
            .iter()
            .map(|p| ("delegated", p))
            .chain(
                application
                    .permissions
                    .application
                    .iter()
                    .map(|p| ("application", p)),
            )
            .filter(|(_, name)| !is_permission_name(name))
            .map(|(kind, name)| {
                format!(
                    "application.permissions.{kind} holds '{}', not a permission name",
                    shown(name)
                )
            });
        let settings = self
            .settings
            .keys()
            .filter(|name| name.trim().is_empty() || has_controls(name))
            .map(|name| {
                format!(
                    "settings has the name '{}', not a setting name",
                    shown(name)
                )
            });
        let checks = self.checks.iter().enumerate().filter_map(|(i, check)| {
            serde_json::from_value::<crate::verify::CheckResult>(check.clone())
                .err()
                .map(|e| format!("checks[{i}] is not a checkpoint result ({e})"))
        });
        single
            .into_iter()
            .flatten()
            .chain(redirects)
            .chain(permissions)
            .chain(settings)
            .chain(checks)
    }
}

/// The admin-consent link must lead to an identity platform's `adminconsent` page for this
/// very application: https (plain http only on a loopback address, the stand-in).
fn consent_url_problem(url: &str, client_id: &str) -> Option<String> {
    let field = "application.admin_consent_url";
    let parsed = match web_url(url) {
        Ok(parsed) => parsed,
        Err(why) => return Some(format!("{field} is '{}', {why}", shown(url))),
    };
    let loopback = parsed
        .host_str()
        .is_some_and(crate::endpoints::is_loopback_host);
    if parsed.scheme() != "https" && !loopback {
        return Some(format!(
            "{field} is '{}', not https (plain http is accepted only on a loopback address)",
            shown(url)
        ));
    }
    let consent_page = parsed
        .path_segments()
        .is_some_and(|s| s.filter(|s| !s.is_empty()).count() == 2)
        && parsed
            .path()
            .trim_end_matches('/')
            .ends_with("/adminconsent");
    let for_client = parsed
        .query_pairs()
        .any(|(k, v)| k == "client_id" && v == client_id);
    (!consent_page || !for_client).then(|| {
        format!(
            "{field} is '{}', not the admin-consent page (/TENANT/adminconsent?client_id=…) of application.client_id",
            shown(url)
        )
    })
}

/// An absolute http(s) URL without spaces or control characters.
fn web_url(text: &str) -> Result<url::Url, &'static str> {
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("which holds spaces or control characters");
    }
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "https" | "http") && url.host().is_some() => Ok(url),
        Ok(_) => Err("not an http(s) address"),
        Err(_) => Err("not an address"),
    }
}

/// A Graph permission's value: `Calendars.ReadWrite`, `offline_access`, `User.Read.All`.
fn is_permission_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 120
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn is_rfc3339(text: &str) -> bool {
    DateTime::parse_from_rfc3339(text).is_ok()
}

fn has_controls(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Outside text as it may appear in a message: control characters shown, cut short.
pub(super) fn shown(text: &str) -> String {
    const MOST: usize = 200;
    let cut: String = text.chars().take(MOST).collect();
    let more = if text.chars().count() > MOST {
        "…"
    } else {
        ""
    };
    format!("{}{more}", crate::printable::printable(&cut))
}

fn shown_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => format!("'{}'", shown(text)),
        other => shown(&other.to_string()),
    }
}

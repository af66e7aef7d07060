//! `bundle.json`: the machine-readable record of a configuration bundle (contracts/bundle.md).
//! It is read back by `bundle inspect` and by the GUI's "Open bundle" to resume the wizard, so it
//! both serialises and deserialises; it never holds a secret value.

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

/// When reminders fall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReminderRecord {
    /// Days before expiry.
    pub lead_days: Vec<u32>,
}

//! The configuration bundle (contracts/bundle.md): one `.zip` with `bundle.json`, the product's
//! `settings.txt`, a printable `REPORT.html`, `secret-rotation.ics` and, only when recipients or
//! a passphrase are given, `secret.age`.
//!
//! [`export`] builds every entry from a verification [`Report`] and what is known of the
//! registration, and writes the zip atomically (exports to one file at once each rename a whole
//! bundle); [`open`] reads one back and accepts only a whole bundle of this format and version —
//! exactly the contract's entries, plain files each read to its checksum, `bundle.json` checked
//! field by field — so `bundle inspect` and the GUI's "Open bundle" can resume from its record
//! and refuse a hostile file naming what is wrong with it.
//! The secret's value goes into `secret.age` and nowhere else. This module does not run the
//! verification nor read the keychain: callers hand it the report and the value.
//! [`export_and_remind`] is the export both front ends make: the bundle, then its secret's
//! reminder.

mod archive;
mod calendar;
mod encrypt;
mod html;
mod record;
mod remind;
mod settings;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

pub use archive::{
    BUNDLE_JSON, OpenedBundle, REPORT_HTML, ROTATION_ICS, SECRET_AGE, SETTINGS_TXT, open,
};
pub use calendar::{PRODID, expiry_uid, rotate_uid};
pub use encrypt::{EncryptError, Protection, parse_recipients};
pub use record::{
    ApplicationRecord, BundleRecord, FORMAT, PermissionsRecord, ProfileRef, ReminderRecord,
    SecretRecord, SecretStorage, TenantRecord, VERSION,
};
pub use remind::{EXPORT_SOURCE, ExportReminder, Exported, export_and_remind};

use crate::check::CheckId;
use crate::endpoints::Cloud;
use crate::portal::{self, AppPage};
use crate::profile::{AccountType, Profile, SettingSource};
use crate::reminders::{LEAD_DAYS, unread_key_id};
use crate::secret::Secret;
use crate::validate::{canonical_id, is_guid};
use crate::verify::{Report, Status};

/// What went wrong making or opening a bundle. Never carries a secret value.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The file is not a bundle this version reads.
    #[error("{path} is not an Entra Setup Wizard bundle this version reads: {problem}")]
    NotABundle {
        /// The file.
        path: PathBuf,
        /// What was found.
        problem: String,
    },
    /// The bundle could not be written.
    #[error("cannot write the bundle {path}: {problem}")]
    Write {
        /// The target.
        path: PathBuf,
        /// Why.
        problem: String,
    },
    /// The secret could not be encrypted.
    #[error(transparent)]
    Encrypt(#[from] EncryptError),
    /// Recipients and a passphrase were both given (age files take one or the other).
    #[error("secret.age is encrypted either to recipients or to a passphrase, not both")]
    RecipientsAndPassphrase,
    /// A protection was asked for but there is no secret value to protect.
    #[error("there is no secret value to encrypt into secret.age")]
    NoSecretToEncrypt,
}

/// The client secret as far as it is known.
#[derive(Debug, Clone, Default)]
pub struct SecretFacts {
    /// Its key id.
    pub key_id: Option<String>,
    /// Its first three characters.
    pub hint: Option<String>,
    /// When it expires.
    pub expires: Option<DateTime<Utc>>,
    /// Its value, when the admin gave it (only for `secret.age`).
    pub value: Option<Secret>,
    /// Whether the value is in the OS keychain.
    pub in_keychain: bool,
}

impl SecretFacts {
    /// What is known of the secret, the same way for every front end: what the live
    /// `secret_expiry` check read (`evidence`: `key_id`, `end_date_time`, `hint`) first, then
    /// the expiry the admin gave (`given_expiry`, from Certificates & secrets), then the reminder
    /// kept earlier (`known`); the hint falls back to the secret at hand (`held`). `value` is
    /// what goes into `secret.age` (none unless the admin asked for it).
    pub fn gather(
        evidence: Option<&serde_json::Value>,
        given_expiry: Option<DateTime<Utc>>,
        known: Option<&crate::reminders::Reminder>,
        held: Option<&Secret>,
        value: Option<Secret>,
        in_keychain: bool,
    ) -> SecretFacts {
        let read = |key: &str| evidence.and_then(|e| e[key].as_str()).map(str::to_string);
        let key_id = read("key_id").or_else(|| known.map(|r| r.key_id.clone()));
        let expires = read("end_date_time")
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc))
            .or(given_expiry)
            .or_else(|| known.map(|r| r.expires));
        let hint = read("hint").or_else(|| held.map(Secret::hint));
        SecretFacts {
            key_id,
            hint,
            expires,
            value,
            in_keychain,
        }
    }
}

/// Everything a bundle is made from.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// The profile.
    pub profile: Profile,
    /// The verification report (its checks go into the bundle).
    pub report: Report,
    /// The tenant as the admin gave it (a domain or the GUID).
    pub tenant: String,
    /// The cloud.
    pub cloud: Cloud,
    /// The identity platform's address (`https://login.microsoftonline.com`), for the
    /// admin-consent link.
    pub login: String,
    /// The application (client) ID.
    pub client_id: String,
    /// The registration's display name, when known.
    pub display_name: Option<String>,
    /// The redirect URI the product sends.
    pub redirect_uri: Option<String>,
    /// The secret.
    pub secret: SecretFacts,
    /// Who can read `secret.age`.
    pub protection: Protection,
    /// When the bundle is made.
    pub now: DateTime<Utc>,
}

/// A bundle's entries, before they are zipped.
#[derive(Debug, Clone)]
pub struct BuiltBundle {
    /// `bundle.json`'s record.
    pub record: BundleRecord,
    /// Each entry's name and bytes, in the zip's order.
    pub entries: Vec<(&'static str, Vec<u8>)>,
}

/// Build every entry of the bundle.
pub fn build(request: &ExportRequest) -> Result<BuiltBundle, BundleError> {
    let profile = &request.profile;
    // One spelling of each ID (no spaces pasted along, lower case), as `open` expects them.
    let client_id = request.client_id.trim().to_ascii_lowercase();
    let key_id = request.secret.key_id.as_deref().map(canonical_id);
    let tenant_id = request
        .report
        .tenant_id
        .clone()
        .or_else(|| is_guid(&request.tenant).then(|| request.tenant.to_ascii_lowercase()));
    let domain = (!is_guid(&request.tenant)).then(|| request.tenant.trim().to_ascii_lowercase());
    let encrypted = match (&request.protection, &request.secret.value) {
        (Protection::None, _) => None,
        (Protection::Recipients(list), _) if list.is_empty() => None,
        (_, None) => return Err(BundleError::NoSecretToEncrypt),
        (protection, Some(value)) => encrypt::encrypt(value, protection)?,
    };
    let storage = if encrypted.is_some() {
        SecretStorage::Age
    } else if request.secret.in_keychain {
        SecretStorage::Keyring
    } else {
        SecretStorage::None
    };
    let keychain_account = tenant_id
        .as_deref()
        .map(|t| crate::secrets::SecretKey::current(t, &client_id).account());
    let setting_inputs = settings::SettingInputs {
        profile,
        tenant_id: tenant_id.as_deref(),
        client_id: &client_id,
        redirect_uri: request.redirect_uri.as_deref(),
        storage,
        keychain_account: keychain_account.as_deref(),
    };
    let audience = request
        .report
        .check(CheckId::AccountType)
        .and_then(|c| c.evidence["sign_in_audience"].as_str().map(str::to_string))
        .unwrap_or_else(|| {
            profile
                .registration
                .default_account_type
                .sign_in_audience()
                .to_string()
        });
    let multi_tenant = audience != AccountType::SingleTenant.sign_in_audience();
    let consent_authority = if multi_tenant {
        "common".to_string()
    } else {
        tenant_id
            .clone()
            .unwrap_or_else(|| request.tenant.trim().to_string())
    };
    let admin_consent_url = format!(
        "{}/{consent_authority}/adminconsent?client_id={}",
        request.login.trim_end_matches('/'),
        client_id
    );
    let record = BundleRecord {
        format: FORMAT.into(),
        version: VERSION,
        created: request.now,
        profile: ProfileRef {
            id: profile.id.clone(),
            title: profile.title.clone(),
        },
        tenant: TenantRecord {
            id: tenant_id.clone(),
            domain,
            cloud: request.cloud.to_string(),
        },
        application: ApplicationRecord {
            client_id: client_id.clone(),
            display_name: request.display_name.clone(),
            sign_in_audience: audience,
            redirect_uris: request.redirect_uri.iter().cloned().collect(),
            permissions: PermissionsRecord {
                delegated: profile.registration.permissions.delegated.clone(),
                application: profile.registration.permissions.application.clone(),
            },
            admin_consent_url: admin_consent_url.clone(),
        },
        secret: SecretRecord {
            key_id: key_id.clone(),
            hint: request.secret.hint.clone(),
            expires: request.secret.expires,
            storage,
        },
        settings: settings::values(&setting_inputs),
        checks: request
            .report
            .checks
            .iter()
            .map(|c| serde_json::to_value(c).unwrap_or_default())
            .collect(),
        reminder: ReminderRecord {
            lead_days: LEAD_DAYS.to_vec(),
        },
    };
    // What `open` would refuse is never written.
    if let Some(problem) = record.problem() {
        return Err(BundleError::Write {
            path: PathBuf::from(BUNDLE_JSON),
            problem: format!("it would not be a readable bundle: {problem}"),
        });
    }
    let todo = left_to_do(request, &record, multi_tenant);
    let json = serde_json::to_vec_pretty(&record).map_err(|e| BundleError::Write {
        path: PathBuf::from(BUNDLE_JSON),
        problem: e.to_string(),
    })?;
    let mut entries: Vec<(&'static str, Vec<u8>)> = vec![
        (BUNDLE_JSON, json),
        (SETTINGS_TXT, settings::text(&setting_inputs).into_bytes()),
        (
            REPORT_HTML,
            html::page(&record, &profile.product, &todo).into_bytes(),
        ),
    ];
    // The calendar needs the expiry; without the secret's ID (nobody signed in to read it) its
    // events are keyed like the reminder kept for the client's unread secret.
    let calendar_key = key_id
        .clone()
        .or_else(|| request.secret.expires.map(|_| unread_key_id(&client_id)));
    if let (Some(key_id), Some(expires)) = (&calendar_key, request.secret.expires) {
        let credentials_link =
            portal::app_registration(request.cloud, &client_id, AppPage::Credentials);
        let secret_setting = profile
            .settings
            .iter()
            .find(|s| s.source == SettingSource::ClientSecret)
            .map(|s| s.name.as_str());
        let app = request
            .display_name
            .clone()
            .unwrap_or_else(|| profile.title.clone());
        let ics = calendar::ics(&calendar::CalendarInputs {
            key_id,
            expires,
            lead_days: profile.secret.lead_days,
            app: &app,
            setting: secret_setting,
            client_id: &client_id,
            credentials_link: &credentials_link,
            stamp: request.now,
        });
        entries.push((ROTATION_ICS, ics.into_bytes()));
    }
    if let Some(encrypted) = encrypted {
        entries.push((SECRET_AGE, encrypted));
    }
    Ok(BuiltBundle { record, entries })
}

/// Build the bundle and write it to `out` atomically (leftover temporary files of an earlier
/// crash are removed first). `before_rename` is for tests: it runs once the temporary file is
/// complete, just before the rename.
pub fn export(
    request: &ExportRequest,
    out: &Path,
    before_rename: Option<&dyn Fn(&Path)>,
) -> Result<BundleRecord, BundleError> {
    let built = build(request)?;
    archive::write(out, &built.entries, request.now, before_rename)?;
    Ok(built.record)
}

/// What the admin still has to do, one sentence each, for the report.
fn left_to_do(request: &ExportRequest, record: &BundleRecord, multi_tenant: bool) -> Vec<String> {
    let mut todo = Vec::new();
    for check in &request.report.checks {
        if matches!(check.status, Status::Fail | Status::Unverified) {
            let fix = check.fix.clone().unwrap_or_else(|| check.message.clone());
            todo.push(format!("{}: {fix}", check.id));
        }
    }
    let secret_setting = request
        .profile
        .settings
        .iter()
        .find(|s| s.source == SettingSource::ClientSecret);
    if let Some(setting) = secret_setting {
        let from = match record.secret.storage {
            SecretStorage::Age => {
                "decrypt secret.age (age --decrypt -i KEYFILE secret.age, or with the passphrase)"
            }
            SecretStorage::Keyring => {
                "take the value from the OS keychain (entry entra-setup) on the computer that exported this bundle"
            }
            SecretStorage::None => "use the client secret's Value you copied when it was created",
        };
        todo.push(format!(
            "Put the client secret into {} ({}): {from}.",
            setting.name, setting.location
        ));
    }
    if !request.profile.settings.is_empty() {
        todo.push(format!(
            "Copy the other settings from settings.txt into {}.",
            request.profile.product
        ));
    }
    if multi_tenant {
        todo.push(format!(
            "Send the Global Administrator of each other tenant whose users connect the admin-consent link: {}",
            record.application.admin_consent_url
        ));
    }
    if let Some(expires) = record.secret.expires {
        let rotate = expires - chrono::Duration::days(i64::from(request.profile.secret.lead_days));
        todo.push(format!(
            "Import secret-rotation.ics into your team calendar and replace the secret by {} (it expires {}).",
            rotate.format("%Y-%m-%d"),
            expires.format("%Y-%m-%d")
        ));
    }
    for guidance in request
        .profile
        .guidance
        .iter()
        .filter(|g| g.step == crate::profile::WizardStep::Summary)
    {
        todo.extend(guidance.instructions.iter().cloned());
    }
    todo
}

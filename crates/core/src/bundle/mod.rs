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
//! [`export_and_remind`] is the export both front ends make: the bundle, then its secret's (or
//! certificate's) reminder.
//!
//! An app that proves itself with a certificate ([`ExportRequest::certificate`]) has a
//! `certificate` object in `bundle.json` (thumbprint, key id, expiry, `storage`), its thumbprint
//! in `settings.txt` and REPORT.html, and its calendar and reminder follow the certificate's
//! expiry. With recipients or a passphrase, the certificate and its private key go into
//! `certificate.pfx.age`: a PKCS#12 file encrypted with age, so `age --decrypt` gives a `.pfx`
//! every product and Windows import. PKCS#12 importers ask for a password of their own, so the
//! `.pfx` has one: with a passphrase, the same passphrase (the decrypted file stays protected by
//! what the admin already knows); with recipients, the certificate's thumbprint, which is not a
//! secret — age's encryption to the recipients' keys is the protection there, and `settings.txt`
//! says so. The private key is in no other entry.

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
    BUNDLE_JSON, CERTIFICATE_AGE, OpenedBundle, REPORT_HTML, ROTATION_ICS, SECRET_AGE,
    SETTINGS_TXT, open,
};
pub use calendar::{PRODID, expiry_uid, rotate_uid};
pub use encrypt::{EncryptError, Protection, parse_recipients};
pub use record::{
    ApplicationRecord, BundleRecord, CertificateRecord, FORMAT, PermissionsRecord, ProfileRef,
    ReminderRecord, SecretRecord, SecretStorage, TenantRecord, VERSION,
};
pub use remind::{EXPORT_SOURCE, ExportReminder, Exported, export_and_remind};

use crate::check::CheckId;
use crate::credentials::{Certificate, CredentialType};
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
    /// A protection was asked for but the certificate's private key is not at hand.
    #[error("there is no certificate with its private key to encrypt into certificate.pfx.age")]
    NoCertificateToEncrypt,
    /// The certificate could not be written as PKCS#12 (the message never holds key material).
    #[error("the certificate could not be packed into certificate.pfx.age: {0}")]
    Certificate(String),
}

/// The certificate the app proves itself with, as far as it is known.
#[derive(Debug, Clone)]
pub struct CertificateFacts {
    /// Its SHA-1 thumbprint (hex).
    pub thumbprint: String,
    /// Its key id on the registration, when known.
    pub key_id: Option<String>,
    /// When it expires.
    pub expires: Option<DateTime<Utc>>,
    /// The certificate with its private key, only for `certificate.pfx.age` (its `Debug` shows
    /// no key).
    pub value: Option<Certificate>,
    /// Whether its private key is in the OS keychain.
    pub in_keychain: bool,
}

impl CertificateFacts {
    /// What is known of `certificate`: its thumbprint and end date, and its key id as the live
    /// `certificate_expiry` check read it (`evidence`: `key_id`, `end_date_time`) or else as the
    /// reminder kept for it (`known`, a certificate reminder of the same client). `with_key`:
    /// whether the certificate with its key goes into `certificate.pfx.age`.
    pub fn gather(
        certificate: &Certificate,
        evidence: Option<&serde_json::Value>,
        known: Option<&crate::reminders::Reminder>,
        with_key: bool,
        in_keychain: bool,
    ) -> CertificateFacts {
        let read = |key: &str| evidence.and_then(|e| e[key].as_str()).map(str::to_string);
        let key_id = read("key_id").or_else(|| known.map(|r| r.key_id.clone()));
        let expires = read("end_date_time")
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc))
            .or(Some(certificate.not_after()));
        CertificateFacts {
            thumbprint: certificate.thumbprint(),
            key_id,
            expires,
            value: with_key.then(|| certificate.clone()),
            in_keychain,
        }
    }
}

/// The password of the `.pfx` inside `certificate.pfx.age` (see the module's doc), and how
/// `settings.txt` and REPORT.html name it.
fn pfx_password(protection: &Protection, thumbprint: &str) -> (Secret, &'static str) {
    match protection {
        Protection::Passphrase(passphrase) => (
            passphrase.clone(),
            "the same passphrase that decrypts certificate.pfx.age",
        ),
        _ => (
            Secret::new(thumbprint.to_string()),
            "the certificate's thumbprint below (not a secret: age's encryption to your key protects the file; keep the decrypted .pfx as you would the key)",
        ),
    }
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
    /// The certificate, when the app proves itself with one instead of a secret.
    pub certificate: Option<CertificateFacts>,
    /// Who can read `secret.age` and `certificate.pfx.age`.
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
    let protected = match &request.protection {
        Protection::None => false,
        Protection::Recipients(list) => !list.is_empty(),
        Protection::Passphrase(_) => true,
    };
    let certificate = request.certificate.as_ref();
    // With a certificate, what is protected is the certificate with its key (and a secret's
    // value only when one is given too); without, the secret's value.
    let encrypted = match (protected, &request.secret.value) {
        (false, _) => None,
        (true, None) if certificate.is_some() => None,
        (true, None) => return Err(BundleError::NoSecretToEncrypt),
        (true, Some(value)) => encrypt::encrypt(value, &request.protection)?,
    };
    let (encrypted_certificate, pfx_words) = match certificate {
        Some(facts) if protected => {
            let value = facts
                .value
                .as_ref()
                .ok_or(BundleError::NoCertificateToEncrypt)?;
            let (password, words) = pfx_password(&request.protection, &value.thumbprint());
            let pfx = value
                .to_pfx(&password)
                .map_err(|e| BundleError::Certificate(e.to_string()))?;
            (encrypt::encrypt_bytes(&pfx, &request.protection)?, words)
        }
        _ => (None, ""),
    };
    let certificate_storage = if encrypted_certificate.is_some() {
        SecretStorage::Age
    } else if certificate.is_some_and(|c| c.in_keychain) {
        SecretStorage::Keyring
    } else {
        SecretStorage::None
    };
    let certificate_record = certificate.map(|facts| CertificateRecord {
        thumbprint: facts.thumbprint.trim().to_ascii_uppercase(),
        key_id: facts.key_id.as_deref().map(canonical_id),
        expires: facts.expires,
        storage: certificate_storage,
    });
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
        certificate: certificate_record
            .as_ref()
            .map(|c| settings::CertificateLines {
                thumbprint: &c.thumbprint,
                storage: c.storage,
                pfx_password: pfx_words,
            }),
        mailbox: settings::MailboxFacts::from_report(&request.report),
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
            // Every redirect URI the product uses, the one it sends first.
            redirect_uris: match &request.redirect_uri {
                Some(uri) if profile.registration.redirect.is_some() => profile
                    .redirect_uris_from(uri)
                    .into_iter()
                    .map(|(_, uri)| uri)
                    .collect(),
                other => other.iter().cloned().collect(),
            },
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
        certificate: certificate_record.clone(),
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
    let todo = left_to_do(request, &record, multi_tenant, pfx_words);
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
    // events are keyed like the reminder kept for the client's unread secret. A certificate's
    // calendar (it has an expiry of its own) is keyed by its ID, or else its thumbprint.
    let (kind, calendar_key, calendar_expires) =
        match record.certificate.as_ref().filter(|c| c.expires.is_some()) {
            Some(c) => (
                CredentialType::Certificate,
                Some(certificate_key_id(c)),
                c.expires,
            ),
            None => (
                CredentialType::Secret,
                key_id
                    .clone()
                    .or_else(|| request.secret.expires.map(|_| unread_key_id(&client_id))),
                request.secret.expires,
            ),
        };
    if let (Some(key_id), Some(expires)) = (&calendar_key, calendar_expires) {
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
            kind,
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
    if let Some(encrypted) = encrypted_certificate {
        entries.push((CERTIFICATE_AGE, encrypted));
    }
    Ok(BuiltBundle { record, entries })
}

/// What a certificate's calendar events and reminder are keyed by: its key id, or else (nobody
/// signed in to read it and no reminder kept it) its thumbprint.
pub fn certificate_key_id(certificate: &CertificateRecord) -> String {
    certificate
        .key_id
        .clone()
        .unwrap_or_else(|| certificate.thumbprint.to_ascii_lowercase())
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
fn left_to_do(
    request: &ExportRequest,
    record: &BundleRecord,
    multi_tenant: bool,
    pfx_words: &str,
) -> Vec<String> {
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
    if let Some(certificate) = &record.certificate {
        let how = match certificate.storage {
            SecretStorage::Age => format!(
                "decrypt certificate.pfx.age (age --decrypt -i KEYFILE -o certificate.pfx certificate.pfx.age, or with the passphrase), import certificate.pfx (its password is {pfx_words}), then delete the decrypted file"
            ),
            SecretStorage::Keyring => "export it from the OS keychain (entry entra-setup) of the computer that exported this bundle".into(),
            SecretStorage::None => "use the certificate file you gave".into(),
        };
        todo.push(format!(
            "Give {} the certificate with thumbprint {} and its private key: {how}.",
            request.profile.product, certificate.thumbprint
        ));
    }
    if let Some(setting) = secret_setting
        .filter(|_| record.certificate.is_none() || record.secret.storage != SecretStorage::None)
    {
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
    if let Some(expires) = record.certificate.as_ref().and_then(|c| c.expires) {
        let rotate = expires - chrono::Duration::days(i64::from(request.profile.secret.lead_days));
        todo.push(format!(
            "Import secret-rotation.ics into your team calendar and replace the certificate by {} (it expires {}).",
            rotate.format("%Y-%m-%d"),
            expires.format("%Y-%m-%d")
        ));
    } else if let Some(expires) = record.secret.expires {
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

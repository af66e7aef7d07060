//! Exporting the wizard's work as a configuration bundle: what the admin typed into the export
//! panel (recipients or a passphrase) becomes the bundle's protection, with a message naming the
//! field when it is wrong; the wizard's latest checks become the bundle's report; and what is
//! known of the client secret (the check's evidence, the secret made in this run, the reminder
//! kept earlier) becomes its facts. With a certificate chosen ([`super::credential`]), the
//! certificate's facts take the secret's place ([`certificate_facts`]): its thumbprint, its end
//! date, and — when the bundle is protected — the certificate with its key for
//! `certificate.pfx.age`.
//!
//! Writing the zip is [`crate::bundle::export`]'s; reading the keychain is the caller's.

use chrono::{DateTime, Utc};

use crate::bundle::{CertificateFacts, ExportRequest, Protection, SecretFacts, parse_recipients};
use crate::check::CheckId;
use crate::credentials::{Certificate, CredentialType, names_thumbprint};
use crate::endpoints::Endpoints;
use crate::profile::Profile;
use crate::reminders::Reminder;
use crate::secret::Secret;
use crate::verify::Report;

use super::state::WizardState;

/// A field of the export panel that is wrong, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[error("{field}: {problem}")]
pub struct ExportInputError {
    /// The field: `path`, `recipients`, `passphrase`, `secret_expires` or `certificate`.
    pub field: &'static str,
    /// What is wrong, for people.
    pub problem: String,
}

fn refuse(field: &'static str, problem: impl Into<String>) -> ExportInputError {
    ExportInputError {
        field,
        problem: problem.into(),
    }
}

/// Who may read `secret.age`: the age recipients typed (one per line or comma-separated), or a
/// passphrase, or nobody (no `secret.age`).
pub fn protection(
    recipients: &str,
    passphrase: Option<Secret>,
) -> Result<Protection, ExportInputError> {
    let list: Vec<String> = recipients
        .split([',', '\n', ' '])
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    let passphrase = passphrase.filter(|p| !p.is_blank());
    match (list.is_empty(), passphrase) {
        (false, Some(_)) => Err(refuse(
            "recipients",
            "give age recipients or a passphrase, not both",
        )),
        (false, None) => {
            parse_recipients(&list).map_err(|e| refuse("recipients", e.to_string()))?;
            Ok(Protection::Recipients(list))
        }
        (true, Some(passphrase)) => Ok(Protection::Passphrase(passphrase)),
        (true, None) => Ok(Protection::None),
    }
}

/// Where the bundle goes: an absolute path to a `.zip` in a folder that exists.
pub fn bundle_path(path: &str) -> Result<std::path::PathBuf, ExportInputError> {
    let path = std::path::PathBuf::from(path.trim());
    if path.as_os_str().is_empty() {
        return Err(refuse("path", "choose where to save the bundle"));
    }
    if !path.is_absolute() {
        return Err(refuse(
            "path",
            format!(
                "'{}' is not a full path (start it at /, or a drive)",
                path.display()
            ),
        ));
    }
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        return Err(refuse(
            "path",
            "a bundle is a .zip file: end the name with .zip",
        ));
    }
    match path.parent() {
        Some(dir) if dir.is_dir() => Ok(path),
        _ => Err(refuse(
            "path",
            format!("the folder of '{}' does not exist", path.display()),
        )),
    }
}

/// Every field of the export panel that is wrong as typed so far (the path, the recipients, both
/// recipients and a passphrase), so the panel can say so beside each field before the admin
/// exports; an empty path is not yet wrong. The export itself applies the same rules through
/// [`bundle_path`], [`protection`] and [`given_expiry`].
pub fn form_issues(
    path: &str,
    recipients: &str,
    passphrase_given: bool,
    secret_expires: &str,
) -> Vec<ExportInputError> {
    let mut issues = Vec::new();
    if !path.trim().is_empty()
        && let Err(issue) = bundle_path(path)
    {
        issues.push(issue);
    }
    let passphrase = passphrase_given.then(|| Secret::new("given"));
    if let Err(issue) = protection(recipients, passphrase) {
        issues.push(issue);
    }
    if let Err(issue) = given_expiry(secret_expires) {
        issues.push(issue);
    }
    issues
}

/// The secret's expiry as the admin typed it from Certificates & secrets (a date or an RFC 3339
/// time), for when nobody signed in could read it; blank is none.
pub fn given_expiry(text: &str) -> Result<Option<DateTime<Utc>>, ExportInputError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    crate::reminders::manual::parse_expiry(text)
        .map(Some)
        .ok_or_else(|| {
            refuse(
                "secret_expires",
                format!(
                    "'{}' is not a date such as 2027-03-01 (or a time such as 2027-03-01T00:00:00Z)",
                    text.trim()
                ),
            )
        })
}

/// The secret's expiry as typed, for the credential the wizard works with: a certificate carries
/// its own end date (the calendar and the reminder use it), so a typed one is refused beside it,
/// as `entra-setup bundle export` refuses `--secret-expires` beside a certificate.
pub fn given_expiry_for(
    text: &str,
    credential: CredentialType,
) -> Result<Option<DateTime<Utc>>, ExportInputError> {
    if credential == CredentialType::Certificate && !text.trim().is_empty() {
        return Err(refuse(
            "secret_expires",
            "a certificate carries its own end date, which the calendar and the reminder use; \
             give the secret's expiry only with a client secret",
        ));
    }
    given_expiry(text)
}

/// Why a certificate export cannot be made: no certificate is at hand.
pub fn no_certificate() -> ExportInputError {
    refuse(
        "certificate",
        "no certificate is at hand for this app: create one on the credential step, or use the \
         one the OS keychain keeps, then export",
    )
}

/// What is known of the certificate the app proves itself with: its thumbprint and end date,
/// and its key id as the live `certificate_expiry` check read it or else as the reminder kept
/// for this very certificate (a certificate reminder of the same client ending when it ends).
/// `with_key`: whether the certificate with its key goes into `certificate.pfx.age` (only when
/// the bundle is protected).
pub fn certificate_facts(
    state: &WizardState,
    certificate: &Certificate,
    reminders: &[Reminder],
    with_key: bool,
    in_keychain: bool,
) -> CertificateFacts {
    let client = state.inputs.client_id.trim();
    let kept = reminders
        .iter()
        .filter(|r| {
            r.kind == CredentialType::Certificate
                && r.client_id.trim().eq_ignore_ascii_case(client)
                && r.expires == certificate.not_after()
        })
        .max_by_key(|r| r.expires);
    let evidence = state
        .result(CheckId::CertificateExpiry)
        .map(|c| &c.evidence)
        .filter(|e| {
            // Only the evidence of this certificate (the check reads the registration's).
            e["thumbprint"]
                .as_str()
                .is_none_or(|named| names_thumbprint(named, &certificate.thumbprint()))
        });
    CertificateFacts::gather(certificate, evidence, kept, with_key, in_keychain)
}

/// Why an export made no reminder and no calendar file, in words for people.
pub const NO_REMINDER: &str = "No reminder and no calendar file were made: the secret's expiry is \
not known. Give the expiry Certificates & secrets shows for it, or sign in as an administrator so \
it can be read.";

/// The wizard's latest checks as a verification report, in the profile's order.
pub fn report(profile: &Profile, state: &WizardState) -> Report {
    let checks: Vec<_> = profile
        .checks
        .iter()
        .filter_map(|id| state.result(*id).cloned())
        .collect();
    Report {
        profile: profile.id.clone(),
        tenant_id: tenant_id(state),
        client_id: (!state.inputs.client_id.is_empty())
            .then(|| state.inputs.client_id.to_ascii_lowercase()),
        summary: Report::summarise(&checks),
        checks,
    }
}

/// The tenant's GUID as the tenant check found it, or as typed.
pub fn tenant_id(state: &WizardState) -> Option<String> {
    state
        .result(CheckId::Tenant)
        .and_then(|r| {
            r.evidence["tenant_id"]
                .as_str()
                .map(str::to_ascii_lowercase)
        })
        .or_else(|| {
            let typed = state.inputs.tenant.trim();
            crate::validate::is_guid(typed).then(|| typed.to_ascii_lowercase())
        })
}

/// A secret made in this run of the wizard, as far as the export needs it.
#[derive(Debug, Clone)]
pub struct MadeSecret {
    /// The application (client) ID it belongs to.
    pub client_id: String,
    /// Its key id.
    pub key_id: String,
    /// Its first three characters.
    pub hint: String,
    /// When it expires.
    pub expires: DateTime<Utc>,
}

/// What is known of the client secret: the secret made in this run (when it is this client's),
/// else the expiry check's evidence, else the reminder kept for the client.
pub fn secret_facts(
    state: &WizardState,
    made: Option<&MadeSecret>,
    known: Option<&Reminder>,
    given_expiry: Option<DateTime<Utc>>,
    held: Option<&Secret>,
    value: Option<Secret>,
    in_keychain: bool,
) -> SecretFacts {
    let evidence = state.result(CheckId::SecretExpiry).map(|c| &c.evidence);
    let mut facts = SecretFacts::gather(evidence, given_expiry, known, held, value, in_keychain);
    // A secret made in this run of the wizard is known best of all.
    if let Some(made) = made.filter(|m| {
        m.client_id
            .trim()
            .eq_ignore_ascii_case(state.inputs.client_id.trim())
    }) {
        facts.key_id = Some(made.key_id.clone());
        facts.expires = Some(made.expires);
        facts.hint = Some(made.hint.clone());
    }
    facts
}

/// What the bundle says of the credential the app proves itself with.
#[derive(Debug, Clone)]
pub enum CredentialFacts {
    /// A client secret ([`secret_facts`]).
    Secret(SecretFacts),
    /// A certificate ([`certificate_facts`]): no secret's facts beside it.
    Certificate(CertificateFacts),
}

/// Everything the bundle is made from, out of the wizard: the secret's facts, or the
/// certificate's when the app proves itself with one. The report is of the checks the wizard
/// ran for the credential it works with.
pub fn request(
    profile: &Profile,
    state: &WizardState,
    endpoints: &Endpoints,
    credential: CredentialFacts,
    protection: Protection,
    display_name: Option<String>,
    now: DateTime<Utc>,
) -> ExportRequest {
    let (secret, certificate) = match credential {
        CredentialFacts::Secret(secret) => (secret, None),
        CredentialFacts::Certificate(certificate) => (SecretFacts::default(), Some(certificate)),
    };
    ExportRequest {
        profile: profile.clone(),
        report: report(&super::credential::profile_for(profile, state), state),
        tenant: state.inputs.tenant.trim().to_string(),
        cloud: endpoints.cloud,
        login: endpoints.login.as_str().trim_end_matches('/').to_string(),
        client_id: state.inputs.client_id.trim().to_ascii_lowercase(),
        display_name,
        redirect_uri: state.redirect_uri(profile),
        secret,
        certificate,
        protection,
        now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::outcome;

    #[test]
    fn recipients_and_passphrase_are_checked_as_typed() {
        assert!(matches!(protection("", None), Ok(Protection::None)));
        let error = protection("age1nope", None).expect_err("bad recipient");
        assert_eq!(error.field, "recipients");
        let error = protection("age1x", Some(Secret::new("pass"))).expect_err("both");
        assert_eq!(error.field, "recipients");
        assert!(matches!(
            protection(" ", Some(Secret::new("correct horse"))),
            Ok(Protection::Passphrase(_))
        ));
        assert!(!format!("{:?}", protection("", Some(Secret::new("hunter22")))).contains("hunter"));
    }

    #[test]
    fn the_path_must_be_a_zip_in_a_folder_that_exists() {
        let dir = tempfile::tempdir().expect("dir");
        let good = dir.path().join("bundle.zip");
        assert_eq!(bundle_path(good.to_str().expect("utf8")), Ok(good));
        assert_eq!(bundle_path("").expect_err("empty").field, "path");
        assert_eq!(
            bundle_path("bundle.zip").expect_err("relative").field,
            "path"
        );
        let not_zip = dir.path().join("bundle.txt");
        assert!(bundle_path(not_zip.to_str().expect("utf8")).is_err());
        let missing = dir.path().join("no/such/bundle.zip");
        assert!(bundle_path(missing.to_str().expect("utf8")).is_err());
    }

    #[test]
    fn the_form_says_what_is_wrong_with_each_field_as_typed() {
        let dir = tempfile::tempdir().expect("dir");
        let good = dir.path().join("bundle.zip");
        let good = good.to_str().expect("utf8");
        assert_eq!(form_issues("", "", false, ""), vec![]);
        assert_eq!(form_issues(good, "", true, "2027-03-01"), vec![]);
        let fields = |issues: Vec<ExportInputError>| -> Vec<&'static str> {
            issues.into_iter().map(|i| i.field).collect()
        };
        assert_eq!(
            fields(form_issues("bundle.txt", "age1nope", false, "soon")),
            ["path", "recipients", "secret_expires"]
        );
        assert_eq!(
            fields(form_issues(good, "age1nope", true, "")),
            ["recipients"]
        );
        let issue = &form_issues(&good.replace(".zip", ".ZIP.txt"), "", false, "")[0];
        assert!(issue.problem.contains(".zip"), "{issue}");
    }

    #[test]
    fn a_certificate_takes_the_secrets_place_in_the_bundle() {
        let catalog = crate::profile::Catalog::shipped();
        let profile = catalog.get("custom").expect("profile");
        let mut state = WizardState::new(profile, None);
        state.set_input(super::super::InputField::ClientId, "C1");
        super::super::credential::choose(&mut state, profile, CredentialType::Certificate)
            .expect("custom takes a certificate");
        let now: DateTime<Utc> = "2027-02-20T09:00:00Z".parse().expect("time");
        let certificate = Certificate::generate("export test", now, 90).expect("certificate");
        let reminder = |kind, key_id: &str, expires| Reminder {
            tenant: "t".into(),
            client_id: "c1".into(),
            key_id: key_id.into(),
            kind,
            expires,
            name: None,
            source: None,
        };
        let reminders = [
            reminder(CredentialType::Secret, "k-secret", certificate.not_after()),
            reminder(CredentialType::Certificate, "k-other", now),
            reminder(
                CredentialType::Certificate,
                "k-this",
                certificate.not_after(),
            ),
        ];
        let facts = certificate_facts(&state, &certificate, &reminders, true, true);
        assert_eq!(facts.thumbprint, certificate.thumbprint());
        assert_eq!(facts.key_id.as_deref(), Some("k-this"), "its own reminder");
        assert_eq!(facts.expires, Some(certificate.not_after()));
        assert!(facts.value.is_some() && facts.in_keychain);
        // The live check's evidence names the key id, when it is about this certificate.
        state.record(&[outcome::pass(
            CheckId::CertificateExpiry,
            "ok",
            serde_json::json!({"key_id": "k-check", "thumbprint": certificate.thumbprint(), "end_date_time": "2027-05-21T08:55:00Z"}),
        )]);
        let facts = certificate_facts(&state, &certificate, &[], false, true);
        assert_eq!(facts.key_id.as_deref(), Some("k-check"));
        assert!(facts.value.is_none(), "no key without protection");
        state.record(&[outcome::pass(
            CheckId::CertificateExpiry,
            "ok",
            serde_json::json!({"key_id": "k-another", "thumbprint": "AB".repeat(20)}),
        )]);
        let facts = certificate_facts(&state, &certificate, &[], false, true);
        assert_eq!(
            facts.key_id, None,
            "another certificate's evidence is not used"
        );

        let request = request(
            profile,
            &state,
            &Endpoints::for_cloud(crate::endpoints::Cloud::Global),
            CredentialFacts::Certificate(facts),
            Protection::None,
            None,
            now,
        );
        assert!(request.certificate.is_some());
        assert_eq!(
            request.secret.key_id, None,
            "no secret beside a certificate"
        );
        let ids: Vec<CheckId> = request.report.checks.iter().map(|c| c.id).collect();
        assert_eq!(
            ids,
            [CheckId::CertificateExpiry],
            "the certificate's checks report"
        );
    }

    #[test]
    fn a_typed_secret_expiry_is_refused_beside_a_certificate() {
        let error = given_expiry_for("2027-03-01", CredentialType::Certificate)
            .expect_err("a certificate has its own end");
        assert_eq!(error.field, "secret_expires");
        assert_eq!(given_expiry_for(" ", CredentialType::Certificate), Ok(None));
        assert!(
            given_expiry_for("2027-03-01", CredentialType::Secret)
                .expect("a date")
                .is_some()
        );
        assert_eq!(no_certificate().field, "certificate");
    }

    #[test]
    fn the_made_secret_wins_over_the_check_and_the_reminder() {
        let catalog = crate::profile::Catalog::shipped();
        let profile = catalog.get("axero-m365-email").expect("profile");
        let mut state = WizardState::new(profile, None);
        state.record(&[outcome::pass(
            CheckId::SecretExpiry,
            "ok",
            serde_json::json!({"key_id": "k-check", "end_date_time": "2027-01-01T00:00:00Z", "hint": "abc"}),
        )]);
        let from_check = secret_facts(&state, None, None, None, None, None, false);
        assert_eq!(from_check.key_id.as_deref(), Some("k-check"));
        assert_eq!(from_check.hint.as_deref(), Some("abc"));
        let other = MadeSecret {
            client_id: "another-client".into(),
            key_id: "k-other".into(),
            hint: "Abc".into(),
            expires: chrono::Utc::now(),
        };
        let facts = secret_facts(&state, Some(&other), None, None, None, None, false);
        assert_eq!(facts.key_id.as_deref(), Some("k-check"));
        state.set_input(super::super::InputField::ClientId, "c1");
        let made = MadeSecret {
            client_id: "C1".into(),
            key_id: "k-made".into(),
            hint: "Xy7".into(),
            expires: chrono::Utc::now(),
        };
        let facts = secret_facts(&state, Some(&made), None, None, None, None, true);
        assert_eq!(facts.key_id.as_deref(), Some("k-made"));
        assert!(facts.in_keychain);
    }
}

//! Which credential the app proves itself with in the wizard: a client secret, or — only where
//! the profile's product takes one (`credentials = ["secret", "certificate"]`) — a certificate.
//!
//! The choice is part of the saved [`WizardState`] (it is not secret); the certificate itself,
//! with its private key, is not: it lives in the OS keychain and in the front end's memory, like
//! the client secret. With a certificate chosen, the profile's `client_secret` and
//! `secret_expiry` checkpoints become `client_certificate` and `certificate_expiry`
//! ([`profile_for`]), so the credential step, the summary and the bundle's report all speak of
//! the certificate.
//!
//! Not here: making and uploading the certificate ([`crate::fix::register_with_certificate`]),
//! keeping its key ([`crate::credentials::store_certificate`]), the checks that prove it
//! ([`crate::verify::verify_with_certificate`]) and the bundle's `certificate.pfx.age`
//! ([`crate::bundle`]).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::check::CheckId;
use crate::credentials::{Certificate, CredentialType};
use crate::fix::NewCertificate;
use crate::profile::Profile;
use crate::reminders::{Registry, RegistryError, Reminder};
use crate::verify::{self, CheckResult, SkipReason, outcome};

use super::state::WizardState;

/// The source a reminder of a certificate made in the wizard is recorded with (as
/// `entra-setup register` records it).
pub const REMINDER_SOURCE: &str = "register";

/// The checks of the credential step, whichever credential is chosen.
const CREDENTIAL_CHECKS: [CheckId; 4] = [
    CheckId::ClientSecret,
    CheckId::SecretExpiry,
    CheckId::ClientCertificate,
    CheckId::CertificateExpiry,
];

/// The credential asked for is one the profile's product does not take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "credential: {product} takes a client secret, not a certificate (the profile '{profile}' lists only a secret)"
)]
pub struct NotAccepted {
    /// The profile's id.
    pub profile: String,
    /// Its product.
    pub product: String,
}

/// The credentials the credential step lets the admin choose between: the profile's, when it
/// takes more than one and has a credential step at all; empty otherwise (no choice is shown).
pub fn offered(profile: &Profile) -> Vec<CredentialType> {
    if !profile.secret.required || profile.credentials.len() < 2 {
        return Vec::new();
    }
    profile.credentials.clone()
}

/// Whether the credential step offers a certificate.
pub fn offers_certificate(profile: &Profile) -> bool {
    offered(profile).contains(&CredentialType::Certificate)
}

/// The credential the wizard works with: the one chosen when the profile's product takes it,
/// a client secret otherwise (a saved choice the profile no longer allows falls back).
pub fn chosen(profile: &Profile, state: &WizardState) -> CredentialType {
    match state.credential {
        CredentialType::Certificate if offers_certificate(profile) => CredentialType::Certificate,
        _ => CredentialType::Secret,
    }
}

/// Choose the credential; a certificate is refused when the profile's product takes none. A
/// change forgets the credential step's results (they were about the other credential).
pub fn choose(
    state: &mut WizardState,
    profile: &Profile,
    credential: CredentialType,
) -> Result<(), NotAccepted> {
    if credential == CredentialType::Certificate && !offers_certificate(profile) {
        return Err(NotAccepted {
            profile: profile.id.clone(),
            product: profile.product.clone(),
        });
    }
    if chosen(profile, state) != credential {
        state.results.retain(|r| !CREDENTIAL_CHECKS.contains(&r.id));
    }
    state.credential = credential;
    Ok(())
}

/// The profile as the wizard runs it: with a certificate chosen, its secret checkpoints are the
/// certificate's ([`verify::with_certificate_checks`]); otherwise the profile itself.
pub fn profile_for(profile: &Profile, state: &WizardState) -> Profile {
    match chosen(profile, state) {
        CredentialType::Certificate => verify::with_certificate_checks(profile),
        CredentialType::Secret => profile.clone(),
    }
}

/// The results of `checks` when a certificate is chosen and none is at hand: skipped, waiting for
/// one (made on the credential step, or the one the keychain keeps). Other checks are not
/// touched.
pub fn without_certificate(checks: &[CheckId]) -> Vec<CheckResult> {
    checks
        .iter()
        .filter(|id| matches!(id, CheckId::ClientCertificate | CheckId::CertificateExpiry))
        .map(|id| {
            outcome::skipped(
                *id,
                SkipReason::MissingInput,
                "No certificate is at hand: create one on the credential step, or use the one the OS keychain keeps for this app.",
            )
        })
        .collect()
}

/// A certificate as the credential step shows it: never its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CertificateShown {
    /// Its SHA-1 thumbprint in upper-case hex, as the Entra admin center shows it.
    pub thumbprint: String,
    /// When it stops working (RFC 3339).
    pub expires: String,
    /// Whole days until then (negative once it has ended).
    pub days_left: i64,
    /// Whether it was made in this run of the wizard.
    pub made_here: bool,
}

/// How the credential step shows `certificate` at `now`.
pub fn shown(certificate: &Certificate, made_here: bool, now: DateTime<Utc>) -> CertificateShown {
    let expires = certificate.not_after();
    CertificateShown {
        thumbprint: certificate.thumbprint(),
        expires: expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        days_left: (expires - now).num_days(),
        made_here,
    }
}

/// Keep the reminder of a certificate the wizard made for `client_id` in `tenant_id`, keyed by
/// its key id, as `entra-setup register --credential certificate` keeps it.
pub fn remind_new_certificate(
    registry: &Registry,
    tenant_id: &str,
    client_id: &str,
    made: &NewCertificate,
    name: Option<&str>,
) -> Result<Reminder, RegistryError> {
    registry.record_certificate(
        tenant_id,
        client_id,
        &made.key_id,
        made.expires,
        name,
        REMINDER_SOURCE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Catalog, WizardStep};

    fn profiles() -> Catalog {
        Catalog::shipped()
    }

    #[test]
    fn only_a_profile_whose_product_takes_a_certificate_offers_one() {
        let catalog = profiles();
        let custom = catalog.get("custom").expect("custom profile");
        assert_eq!(
            offered(custom),
            [CredentialType::Secret, CredentialType::Certificate]
        );
        assert!(offers_certificate(custom));
        for profile in catalog.profiles().filter(|p| p.id != "custom") {
            assert!(offered(profile).is_empty(), "{}", profile.id);
            assert!(!offers_certificate(profile), "{}", profile.id);
        }
    }

    #[test]
    fn a_certificate_is_refused_where_the_product_takes_none() {
        let catalog = profiles();
        let axero = catalog.get("axero-m365-email").expect("profile");
        let mut state = WizardState::new(axero, None);
        let refused =
            choose(&mut state, axero, CredentialType::Certificate).expect_err("no certificate");
        assert!(refused.to_string().starts_with("credential:"), "{refused}");
        assert_eq!(state.credential, CredentialType::Secret);
        assert_eq!(chosen(axero, &state), CredentialType::Secret);
        // A saved choice the profile does not allow falls back to a secret.
        state.credential = CredentialType::Certificate;
        assert_eq!(chosen(axero, &state), CredentialType::Secret);
        assert_eq!(profile_for(axero, &state).checks, axero.checks);
    }

    #[test]
    fn with_a_certificate_the_credential_step_checks_the_certificate() {
        let catalog = profiles();
        let custom = catalog.get("custom").expect("profile");
        let mut state = WizardState::new(custom, None);
        state.record(&[
            outcome::pass(CheckId::ClientSecret, "ok", serde_json::Value::Null),
            outcome::pass(CheckId::Tenant, "ok", serde_json::Value::Null),
        ]);
        choose(&mut state, custom, CredentialType::Certificate).expect("accepted");
        assert_eq!(chosen(custom, &state), CredentialType::Certificate);
        assert!(
            state.result(CheckId::ClientSecret).is_none(),
            "the secret's result is forgotten"
        );
        assert!(state.result(CheckId::Tenant).is_some(), "others stay");
        let effective = profile_for(custom, &state);
        assert!(effective.checks.contains(&CheckId::ClientCertificate));
        assert!(effective.checks.contains(&CheckId::CertificateExpiry));
        assert!(!effective.checks.contains(&CheckId::ClientSecret));
        assert_eq!(
            super::super::run::step_checks(&effective, WizardStep::Secret),
            [CheckId::ClientCertificate, CheckId::CertificateExpiry]
        );
        // Choosing the same again keeps what was found.
        state.record(&[outcome::pass(
            CheckId::ClientCertificate,
            "ok",
            serde_json::Value::Null,
        )]);
        choose(&mut state, custom, CredentialType::Certificate).expect("accepted");
        assert!(state.result(CheckId::ClientCertificate).is_some());
        choose(&mut state, custom, CredentialType::Secret).expect("accepted");
        assert!(state.result(CheckId::ClientCertificate).is_none());
        assert_eq!(profile_for(custom, &state).checks, custom.checks);
    }

    #[test]
    fn without_a_certificate_its_checks_wait_for_one() {
        let results = without_certificate(&[CheckId::ClientCertificate, CheckId::Tenant]);
        assert_eq!(results.len(), 1);
        assert_eq!(results[0].id, CheckId::ClientCertificate);
        assert_eq!(results[0].reason, Some(SkipReason::MissingInput));
    }

    #[test]
    fn a_certificate_is_shown_by_its_thumbprint_and_end_never_its_key() {
        let now: DateTime<Utc> = "2027-02-20T09:00:00Z".parse().expect("time");
        let certificate = Certificate::generate("wizard test", now, 90).expect("certificate");
        let shown = shown(&certificate, true, now);
        assert_eq!(shown.thumbprint, certificate.thumbprint());
        assert_eq!(shown.thumbprint.len(), 40);
        assert_eq!(shown.days_left, 89, "five minutes short of 90 days");
        assert!(shown.expires.starts_with("2027-05-21"), "{}", shown.expires);
        let text = serde_json::to_string(&shown).expect("json");
        assert!(!text.contains("PRIVATE"), "{text}");
    }
}

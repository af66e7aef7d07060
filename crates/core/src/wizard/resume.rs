//! Resuming the wizard from a configuration bundle: the bundle's record becomes a wizard state
//! with its profile, tenant, client ID and product address, the checks it carried, and the step
//! the admin left off on — the summary when every checkpoint held, otherwise the first step with
//! a checkpoint that did not.
//!
//! The bundle holds no secret value in its record, so the resumed wizard has none either: the
//! secret step offers the keychain or asks again.

use crate::bundle::BundleRecord;
use crate::profile::{Profile, WizardStep};
use crate::verify::{CheckResult, SkipReason, Status};

use super::state::{InputField, WizardState};

/// The wizard as the bundle left it, for `profile` (the bundle's profile, found by the caller).
pub fn from_bundle(record: &BundleRecord, profile: &Profile, demo: Option<String>) -> WizardState {
    let mut state = WizardState::new(profile, demo);
    let tenant = record
        .tenant
        .domain
        .clone()
        .or_else(|| record.tenant.id.clone())
        .unwrap_or_default();
    state.set_input(InputField::Tenant, &tenant);
    state.set_input(InputField::ClientId, &record.application.client_id);
    if let Some(site) = record
        .application
        .redirect_uris
        .iter()
        .find_map(|uri| site_of(profile, uri))
    {
        state.set_input(InputField::SiteUrl, &site);
    }
    let results: Vec<CheckResult> = record
        .checks
        .iter()
        .filter_map(|c| serde_json::from_value(c.clone()).ok())
        .collect();
    // A bundle of an app that proves itself with a certificate resumes with the certificate
    // chosen, where the profile still takes one (chosen first: a change of credential forgets
    // the credential step's results).
    if record.certificate.is_some() {
        let _ = super::credential::choose(
            &mut state,
            profile,
            crate::credentials::CredentialType::Certificate,
        );
    }
    state.record(&results);
    state.step = resume_step(profile, &state);
    state
}

/// The wizard on the secret step of the client a reminder is for, to make a new secret beside
/// the old one (which keeps working until it expires); `None` when `profile` has no secret step.
/// A certificate's reminder chooses the certificate, where the profile's product takes one.
pub fn for_rotation(
    reminder: &crate::reminders::Reminder,
    profile: &Profile,
    demo: Option<String>,
) -> Option<WizardState> {
    let mut state = WizardState::new(profile, demo);
    state.set_input(InputField::Tenant, &reminder.tenant);
    state.set_input(InputField::ClientId, &reminder.client_id);
    rotate_here(&mut state, reminder, profile).then_some(state)
}

/// Move the wizard under way for the reminder's client to its credential step, with the
/// reminder's kind of credential chosen (a certificate only where the product takes one);
/// `false` when `profile` has no credential step.
pub fn rotate_here(
    state: &mut WizardState,
    reminder: &crate::reminders::Reminder,
    profile: &Profile,
) -> bool {
    if !state.go(profile, WizardStep::Secret) {
        return false;
    }
    if reminder.kind == crate::credentials::CredentialType::Certificate {
        let _ = super::credential::choose(state, profile, reminder.kind);
    }
    true
}

/// The product's address a redirect URI was made from, by the profile's template
/// (`{site}/oauth/callback` and `https://intranet.contoso.com/oauth/callback` give the site).
pub fn site_of(profile: &Profile, redirect_uri: &str) -> Option<String> {
    profile.site_of(redirect_uri)
}

/// Where the wizard resumes: the first step with a checkpoint that did not hold (or was not
/// checked), the summary when none.
pub fn resume_step(profile: &Profile, state: &WizardState) -> WizardStep {
    // A check held when it passed, passed with a warning, or does not apply; one skipped for a
    // missing input or a failed dependency is still to do.
    let held = |r: &CheckResult| match r.status {
        Status::Pass | Status::Warn => true,
        Status::Skipped => r.reason == Some(SkipReason::NotApplicable),
        Status::Fail | Status::Unverified => false,
    };
    super::plan(&super::credential::profile_for(profile, state))
        .iter()
        .filter(|step| step.step != WizardStep::Summary)
        .find(|step| {
            step.checks
                .iter()
                .any(|id| !state.result(*id).is_some_and(held))
        })
        .map_or(WizardStep::Summary, |step| step.step)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{
        ApplicationRecord, FORMAT, PermissionsRecord, ProfileRef, ReminderRecord, SecretRecord,
        SecretStorage, TenantRecord, VERSION,
    };
    use crate::check::CheckId;
    use crate::profile::Catalog;
    use crate::verify::outcome;

    fn record(profile: &Profile, checks: Vec<CheckResult>, redirect: &str) -> BundleRecord {
        BundleRecord {
            format: FORMAT.into(),
            version: VERSION,
            created: chrono::Utc::now(),
            profile: ProfileRef {
                id: profile.id.clone(),
                title: profile.title.clone(),
            },
            tenant: TenantRecord {
                id: Some("11111111-2222-3333-4444-555555555555".into()),
                domain: Some("contoso.com".into()),
                cloud: "global".into(),
            },
            application: ApplicationRecord {
                client_id: "aaaaaaaa-0000-0000-0000-000000000001".into(),
                display_name: None,
                sign_in_audience: "AzureADMyOrg".into(),
                redirect_uris: vec![redirect.into()],
                permissions: PermissionsRecord {
                    delegated: vec![],
                    application: vec![],
                },
                admin_consent_url: String::new(),
            },
            secret: SecretRecord {
                key_id: None,
                hint: None,
                expires: None,
                storage: SecretStorage::None,
            },
            certificate: None,
            settings: Default::default(),
            checks: checks
                .iter()
                .map(|c| serde_json::to_value(c).expect("json"))
                .collect(),
            reminder: ReminderRecord {
                lead_days: vec![30, 14, 7, 1],
            },
        }
    }

    fn pass(id: CheckId) -> CheckResult {
        outcome::pass(id, "ok", serde_json::Value::Null)
    }

    #[test]
    fn a_certificate_reminder_rotates_on_the_credential_step_with_the_certificate_chosen() {
        let catalog = Catalog::shipped();
        let reminder = |kind| crate::reminders::Reminder {
            tenant: "11111111-2222-3333-4444-555555555555".into(),
            client_id: "aaaaaaaa-0000-0000-0000-000000000001".into(),
            key_id: "k1".into(),
            kind,
            expires: chrono::Utc::now(),
            name: None,
            source: None,
        };
        let custom = catalog.get("custom").expect("profile");
        let state = for_rotation(
            &reminder(crate::credentials::CredentialType::Certificate),
            custom,
            None,
        )
        .expect("a credential step");
        assert_eq!(state.step, WizardStep::Secret);
        assert_eq!(
            super::super::credential::chosen(custom, &state),
            crate::credentials::CredentialType::Certificate
        );
        let state = for_rotation(
            &reminder(crate::credentials::CredentialType::Secret),
            custom,
            None,
        )
        .expect("a credential step");
        assert_eq!(state.credential, crate::credentials::CredentialType::Secret);
    }

    #[test]
    fn a_certificate_bundle_resumes_with_the_certificate_chosen() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("custom").expect("profile");
        let checks: Vec<CheckResult> = crate::verify::with_certificate_checks(profile)
            .checks
            .iter()
            .map(|id| pass(*id))
            .collect();
        let mut bundle = record(profile, checks, "x");
        bundle.certificate = Some(crate::bundle::CertificateRecord {
            thumbprint: "AB".repeat(20),
            key_id: None,
            expires: None,
            storage: SecretStorage::None,
        });
        let state = from_bundle(&bundle, profile, None);
        assert_eq!(
            super::super::credential::chosen(profile, &state),
            crate::credentials::CredentialType::Certificate
        );
        assert_eq!(
            state.step,
            WizardStep::Summary,
            "every certificate check held"
        );
        // A seed profile's bundle never carries one; were it to, the wizard keeps a secret.
        let axero = catalog.get("axero-m365-email").expect("profile");
        let mut bundle = record(axero, vec![], "x");
        bundle.certificate = Some(crate::bundle::CertificateRecord {
            thumbprint: "AB".repeat(20),
            key_id: None,
            expires: None,
            storage: SecretStorage::None,
        });
        let state = from_bundle(&bundle, axero, None);
        assert_eq!(state.credential, crate::credentials::CredentialType::Secret);
    }

    #[test]
    fn a_bundle_whose_checks_all_held_resumes_on_the_summary() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-m365-email").expect("profile");
        let checks = profile.checks.iter().map(|id| pass(*id)).collect();
        let redirect = profile
            .redirect_uri_for("https://intranet.contoso.com/")
            .expect("redirect");
        let state = from_bundle(&record(profile, checks, &redirect), profile, None);
        assert_eq!(state.step, WizardStep::Summary);
        assert_eq!(state.inputs.tenant, "contoso.com");
        assert_eq!(
            state.inputs.client_id,
            "aaaaaaaa-0000-0000-0000-000000000001"
        );
        assert_eq!(state.inputs.site_url, "https://intranet.contoso.com");
        assert_eq!(state.profile, profile.id);
    }

    #[test]
    fn a_bundle_with_a_failed_check_resumes_on_its_step() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-m365-email").expect("profile");
        let mut checks: Vec<CheckResult> = profile.checks.iter().map(|id| pass(*id)).collect();
        for check in &mut checks {
            if check.id == CheckId::ApiPermissions {
                check.status = Status::Fail;
            }
        }
        let state = from_bundle(&record(profile, checks, "not-a-match"), profile, None);
        assert_eq!(state.step, WizardStep::Permissions);
        assert_eq!(state.inputs.site_url, "");
    }

    #[test]
    fn a_check_skipped_for_a_missing_input_is_still_to_do() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-m365-email").expect("profile");
        let checks: Vec<CheckResult> = profile
            .checks
            .iter()
            .map(|id| {
                if *id == CheckId::Mailbox {
                    outcome::skipped(*id, crate::verify::SkipReason::MissingInput, "no mailbox")
                } else {
                    pass(*id)
                }
            })
            .collect();
        let state = from_bundle(&record(profile, checks, "x"), profile, None);
        assert_eq!(state.step, WizardStep::Mailbox);
    }

    #[test]
    fn rotation_opens_the_secret_step_of_the_client() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-m365-email").expect("profile");
        let reminder = crate::reminders::Reminder {
            tenant: "contoso.com".into(),
            client_id: "aaaaaaaa-0000-0000-0000-000000000001".into(),
            key_id: "k".into(),
            kind: crate::credentials::CredentialType::Secret,
            expires: chrono::Utc::now(),
            name: None,
            source: None,
        };
        let state = for_rotation(&reminder, profile, None).expect("secret step");
        assert_eq!(state.step, WizardStep::Secret);
        assert_eq!(state.inputs.client_id, reminder.client_id);
        let vendor = catalog.get("vendor-app-consent").expect("profile");
        assert!(for_rotation(&reminder, vendor, None).is_none());
    }

    #[test]
    fn a_bundle_without_checks_resumes_on_the_first_step_with_checks() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("exchange-calendar-connector").expect("profile");
        let state = from_bundle(&record(profile, vec![], "x"), profile, Some("demo".into()));
        assert_eq!(state.step, WizardStep::Tenant);
        assert_eq!(state.demo.as_deref(), Some("demo"));
    }
}

//! A profile as wizard steps: product address → tenant → administrator sign-in → app
//! registration → client secret → permissions and consent → mailbox and SMTP AUTH → calendar
//! access → summary, keeping only the steps the profile needs, each with the checks it verifies
//! live, the profile's instructions (its vendor guide in our words) and warnings, and where in the
//! Entra admin center it is done.

use serde::Serialize;

use crate::check::CheckId;
use crate::credentials::CredentialType;
use crate::endpoints::Cloud;
use crate::portal::{self, AppPage};
use crate::profile::{Profile, WizardStep};

/// One screen of the wizard.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StepPlan {
    /// Which step.
    pub step: WizardStep,
    /// Its heading.
    pub title: String,
    /// One sentence on what the step is for.
    pub purpose: String,
    /// The checks it verifies live (the summary: every check of the profile).
    pub checks: Vec<CheckId>,
    /// What to do, in order (the profile's guidance for this step).
    pub instructions: Vec<String>,
    /// What to watch out for.
    pub warnings: Vec<String>,
    /// Whether the admin may skip it (the sign-in is recommended, not required).
    pub optional: bool,
    /// Whether the mailbox owner signs in on this step (one of its checks acts as them: SMTP
    /// AUTH, IMAP, or a test email the product does not send as the application).
    pub mailbox_owner_signs_in: bool,
}

/// Which step verifies a check.
pub fn step_of(check: CheckId) -> WizardStep {
    match check {
        CheckId::Tenant => WizardStep::Tenant,
        CheckId::ClientId | CheckId::RedirectUri | CheckId::AccountType => WizardStep::Registration,
        CheckId::ClientSecret
        | CheckId::SecretExpiry
        | CheckId::ClientCertificate
        | CheckId::CertificateExpiry => WizardStep::Secret,
        CheckId::ApiPermissions | CheckId::AdminConsent | CheckId::ConsentPolicy => {
            WizardStep::Permissions
        }
        CheckId::Mailbox | CheckId::SmtpAuth | CheckId::ImapAuth | CheckId::TestEmail => {
            WizardStep::Mailbox
        }
        CheckId::CalendarAccess => WizardStep::Calendar,
    }
}

/// The steps of `profile`, in order.
pub fn plan(profile: &Profile) -> Vec<StepPlan> {
    const ORDER: [WizardStep; 9] = [
        WizardStep::Site,
        WizardStep::Tenant,
        WizardStep::SignIn,
        WizardStep::Registration,
        WizardStep::Secret,
        WizardStep::Permissions,
        WizardStep::Mailbox,
        WizardStep::Calendar,
        WizardStep::Summary,
    ];
    ORDER
        .into_iter()
        .filter(|step| applies(profile, *step))
        .map(|step| step_plan(profile, step))
        .collect()
}

/// Whether `profile` needs `step`.
fn applies(profile: &Profile, step: WizardStep) -> bool {
    match step {
        WizardStep::Site => profile.registration.redirect.is_some(),
        WizardStep::Secret => profile.secret.required,
        WizardStep::Tenant
        | WizardStep::SignIn
        | WizardStep::Registration
        | WizardStep::Summary => true,
        WizardStep::Permissions | WizardStep::Mailbox | WizardStep::Calendar => {
            profile.checks.iter().any(|c| step_of(*c) == step)
        }
    }
}

fn step_plan(profile: &Profile, step: WizardStep) -> StepPlan {
    let checks: Vec<CheckId> = profile
        .checks
        .iter()
        .copied()
        .filter(|c| step == WizardStep::Summary || step_of(*c) == step)
        .collect();
    let mailbox_owner_signs_in = step == WizardStep::Mailbox
        && checks
            .iter()
            .any(|c| crate::verify::sign_in::acts_as_mailbox_owner(profile, *c));
    let instructions = profile
        .guidance
        .iter()
        .filter(|g| g.step == step)
        .flat_map(|g| g.instructions.iter().cloned())
        .collect();
    let warnings = profile
        .warnings
        .iter()
        .filter(|w| w.step == step)
        .map(|w| w.text.clone())
        .collect();
    let (title, purpose) = words(profile, step);
    StepPlan {
        step,
        title: title.into(),
        purpose,
        checks,
        instructions,
        warnings,
        optional: step == WizardStep::SignIn,
        mailbox_owner_signs_in,
    }
}

/// The heading and purpose of a step.
fn words(profile: &Profile, step: WizardStep) -> (&'static str, String) {
    let product = &profile.product;
    match step {
        WizardStep::Site => (
            "Product address",
            format!("Where {product} is reached; the redirect URI is computed from it."),
        ),
        WizardStep::Tenant => (
            "Your tenant",
            "The Microsoft 365 organisation the app is registered in, by domain or Directory (tenant) ID.".into(),
        ),
        WizardStep::SignIn => (
            "Sign in as administrator",
            "Recommended: lets the wizard read the registration, its consent and the mailbox, and fix what is missing for you.".into(),
        ),
        WizardStep::Registration => (
            "App registration",
            if profile.kind == crate::profile::ProfileKind::VendorConsent {
                format!("The Application (client) ID of {product}'s app.")
            } else {
                format!("The app {product} signs in with: created for you, or registered by you in the portal.")
            },
        ),
        WizardStep::Secret if profile.credentials.contains(&CredentialType::Certificate) => (
            "Client secret or certificate",
            format!(
                "What {product} proves the app's identity with: a client secret (a password) or a certificate (its private key stays in your OS keychain)."
            ),
        ),
        WizardStep::Secret => (
            "Client secret",
            format!("The password {product} proves the app's identity with."),
        ),
        WizardStep::Permissions => (
            "Permissions and consent",
            "What the app may do in Microsoft Graph, granted for the whole organisation.".into(),
        ),
        WizardStep::Mailbox => (
            "Mailbox and SMTP AUTH",
            format!("The mailbox {product} uses, its licence, SMTP AUTH and a test email."),
        ),
        WizardStep::Calendar => (
            "Calendar access",
            "Whether the app can read the calendars it needs with its own token.".into(),
        ),
        WizardStep::Summary => (
            "Summary",
            "Every checkpoint with its status, and what is left to do.".into(),
        ),
    }
}

/// The Entra admin center page where `step` is done, when there is one.
pub fn portal_link(step: WizardStep, cloud: Cloud, client_id: Option<&str>) -> Option<String> {
    let app_page = |page| match client_id {
        Some(id) => portal::app_registration(cloud, id, page),
        None => portal::app_registrations(cloud),
    };
    match step {
        WizardStep::Tenant => Some(portal::tenant_overview(cloud)),
        WizardStep::Registration => Some(app_page(AppPage::Overview)),
        WizardStep::Secret => Some(app_page(AppPage::Credentials)),
        WizardStep::Permissions => Some(app_page(AppPage::ApiPermissions)),
        WizardStep::Mailbox | WizardStep::Calendar => Some(portal::users(cloud)),
        WizardStep::Site | WizardStep::SignIn | WizardStep::Summary => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Catalog;

    fn steps(id: &str) -> Vec<WizardStep> {
        let catalog = Catalog::shipped();
        let profile = catalog.get(id).expect("shipped profile");
        plan(profile).into_iter().map(|s| s.step).collect()
    }

    #[test]
    fn the_email_profile_has_every_step_but_the_calendar() {
        use WizardStep::*;
        assert_eq!(
            steps("axero-m365-email"),
            [
                Site,
                Tenant,
                SignIn,
                Registration,
                Secret,
                Permissions,
                Mailbox,
                Summary
            ]
        );
    }

    #[test]
    fn the_connector_has_no_site_and_no_mailbox_step_but_a_calendar_step() {
        use WizardStep::*;
        assert_eq!(
            steps("exchange-calendar-connector"),
            [
                Tenant,
                SignIn,
                Registration,
                Secret,
                Permissions,
                Calendar,
                Summary
            ]
        );
    }

    #[test]
    fn the_vendor_app_needs_no_secret() {
        use WizardStep::*;
        assert_eq!(
            steps("vendor-app-consent"),
            [Tenant, SignIn, Registration, Permissions, Summary]
        );
    }

    #[test]
    fn every_check_of_every_profile_belongs_to_exactly_one_step_and_the_summary() {
        let catalog = Catalog::shipped();
        for profile in catalog.profiles() {
            let plan = plan(profile);
            for check in &profile.checks {
                let owners: Vec<_> = plan
                    .iter()
                    .filter(|s| s.step != WizardStep::Summary && s.checks.contains(check))
                    .collect();
                assert_eq!(owners.len(), 1, "{} {check}", profile.id);
            }
            let summary = plan.last().expect("summary");
            assert_eq!(summary.checks, profile.checks);
        }
    }

    #[test]
    fn the_credential_step_names_a_certificate_only_where_the_product_takes_one() {
        let catalog = Catalog::shipped();
        let title = |id: &str| {
            plan(catalog.get(id).expect("profile"))
                .into_iter()
                .find(|s| s.step == WizardStep::Secret)
                .expect("a credential step")
                .title
        };
        assert_eq!(title("custom"), "Client secret or certificate");
        assert_eq!(title("axero-m365-email"), "Client secret");
    }

    #[test]
    fn the_mailbox_owner_signs_in_where_a_check_acts_as_them() {
        let catalog = Catalog::shipped();
        let owner_signs_in = |id: &str| {
            plan(catalog.get(id).expect("profile"))
                .into_iter()
                .filter(|s| s.mailbox_owner_signs_in)
                .map(|s| s.step)
                .collect::<Vec<_>>()
        };
        assert_eq!(owner_signs_in("axero-m365-email"), [WizardStep::Mailbox]);
        assert_eq!(
            owner_signs_in("axero-outlook-calendar"),
            [WizardStep::Mailbox]
        );
        // GitLab's mailer sends its test email with the app's own token.
        assert!(owner_signs_in("gitlab-graph-mailer").is_empty());
        assert!(owner_signs_in("exchange-calendar-connector").is_empty());
    }

    #[test]
    fn steps_carry_the_profile_guidance() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-m365-email").expect("profile");
        let secret = plan(profile)
            .into_iter()
            .find(|s| s.step == WizardStep::Secret)
            .expect("secret step");
        assert!(secret.instructions.iter().any(|i| i.contains("Value")));
        assert!(!secret.warnings.is_empty());
    }
}

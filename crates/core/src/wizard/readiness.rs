//! Whether a step has what its live checks need, and which inputs are still missing, so a front
//! end can verify a step as soon as it is entered (and say what to fill in first) without
//! deciding it for itself. Offline issues of a value (a malformed GUID, …) are not judged here:
//! the checks report those with the value named.

use serde::Serialize;

use crate::credentials::CredentialType;
use crate::profile::WizardStep;

use super::state::{InputField, WizardState};

/// Something a step's checks need before they can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// The tenant's domain or Directory (tenant) ID.
    Tenant,
    /// The Application (client) ID.
    ClientId,
    /// The client secret's value (held in memory only).
    Secret,
    /// The certificate with its private key (made here or read from the OS keychain; held in
    /// memory only), when the app proves itself with a certificate.
    Certificate,
    /// The mailbox the integration uses.
    Mailbox,
}

impl Need {
    /// The wizard input that provides it, when it is one (the secret is not an input).
    pub fn input(self) -> Option<InputField> {
        match self {
            Need::Tenant => Some(InputField::Tenant),
            Need::ClientId => Some(InputField::ClientId),
            Need::Mailbox => Some(InputField::Mailbox),
            Need::Secret | Need::Certificate => None,
        }
    }
}

/// Whether a step may verify at once, and what it is waiting for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Readiness {
    /// Every need is met (a step without checks is never ready: there is nothing to verify).
    pub ready: bool,
    /// What is still missing, in the order the wizard asks for it.
    pub missing: Vec<Need>,
}

/// What `step`'s checks need, in the order the wizard asks for it. Empty for a step that
/// verifies nothing (the product's address, the sign-in).
pub fn needs(step: WizardStep) -> &'static [Need] {
    match step {
        WizardStep::Tenant | WizardStep::Summary => &[Need::Tenant],
        WizardStep::Registration | WizardStep::Permissions => &[Need::Tenant, Need::ClientId],
        WizardStep::Secret => &[Need::Tenant, Need::ClientId, Need::Secret],
        WizardStep::Mailbox => &[Need::Tenant, Need::Mailbox],
        WizardStep::Calendar => &[Need::Tenant, Need::ClientId, Need::Mailbox],
        WizardStep::Site | WizardStep::SignIn => &[],
    }
}

/// The readiness of `step` given what the admin entered and whether the credential chosen (the
/// secret, or the certificate when one is chosen) is held.
pub fn readiness(state: &WizardState, step: WizardStep, credential_held: bool) -> Readiness {
    let needs = needs(step);
    let missing: Vec<Need> = needs
        .iter()
        .copied()
        .map(|need| match (need, state.credential) {
            (Need::Secret, CredentialType::Certificate) => Need::Certificate,
            (need, _) => need,
        })
        .filter(|need| match need.input() {
            Some(field) => state.inputs.get(field).trim().is_empty(),
            None => !credential_held,
        })
        .collect();
    Readiness {
        ready: !needs.is_empty() && missing.is_empty(),
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Catalog;

    fn state() -> WizardState {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-m365-email").expect("profile");
        WizardState::new(profile, None)
    }

    #[test]
    fn a_step_waits_for_each_input_its_checks_need_in_order() {
        let mut s = state();
        let r = readiness(&s, WizardStep::Calendar, false);
        assert!(!r.ready);
        assert_eq!(r.missing, vec![Need::Tenant, Need::ClientId, Need::Mailbox]);
        s.inputs.tenant = "contoso.com".into();
        s.inputs.client_id = "  ".into();
        assert_eq!(
            readiness(&s, WizardStep::Calendar, false).missing,
            vec![Need::ClientId, Need::Mailbox]
        );
        s.inputs.client_id = "bbbbbbbb-0000-0000-0000-000000000001".into();
        s.inputs.mailbox = "info@contoso.com".into();
        assert!(readiness(&s, WizardStep::Calendar, false).ready);
    }

    #[test]
    fn the_secret_step_waits_for_a_held_secret() {
        let mut s = state();
        s.inputs.tenant = "contoso.com".into();
        s.inputs.client_id = "bbbbbbbb-0000-0000-0000-000000000001".into();
        let r = readiness(&s, WizardStep::Secret, false);
        assert_eq!(r.missing, vec![Need::Secret]);
        assert!(readiness(&s, WizardStep::Secret, true).ready);
    }

    #[test]
    fn with_a_certificate_chosen_the_credential_step_waits_for_one() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("custom").expect("profile");
        let mut s = WizardState::new(profile, None);
        s.inputs.tenant = "contoso.com".into();
        s.inputs.client_id = "bbbbbbbb-0000-0000-0000-000000000001".into();
        super::super::credential::choose(&mut s, profile, CredentialType::Certificate)
            .expect("the custom profile takes a certificate");
        let r = readiness(&s, WizardStep::Secret, false);
        assert_eq!(r.missing, vec![Need::Certificate]);
        assert!(readiness(&s, WizardStep::Secret, true).ready);
    }

    #[test]
    fn steps_without_checks_are_never_ready() {
        let s = state();
        for step in [WizardStep::Site, WizardStep::SignIn] {
            assert_eq!(
                readiness(&s, step, true),
                Readiness {
                    ready: false,
                    missing: vec![]
                }
            );
        }
    }
}

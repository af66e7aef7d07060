//! What the wizard remembers between launches: the profile, the step on screen, what the admin
//! entered and the latest result of every check. No secret value and no token is ever part of
//! it — the type has no field that could hold one.

use serde::{Deserialize, Serialize};

use crate::check::CheckId;
use crate::credentials::CredentialType;
use crate::profile::{Profile, WizardStep};
use crate::secret::Secret;
use crate::validate::{self, Field, FieldContext, InputIssue};
use crate::verify::{CheckResult, Inputs, Sessions};

/// The version of the saved state's shape; a file of another version is not resumed.
pub const STATE_VERSION: u32 = 1;

/// An input the admin types into the wizard (the secret is not one: it never leaves memory).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum InputField {
    /// The product's address.
    SiteUrl,
    /// The tenant's domain or Directory (tenant) ID.
    Tenant,
    /// The Application (client) ID.
    ClientId,
    /// The mailbox the integration sends from or reads.
    Mailbox,
    /// Where the test email goes.
    TestRecipient,
}

/// What the admin entered (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WizardInputs {
    /// The product's address.
    #[serde(default)]
    pub site_url: String,
    /// The tenant: domain or GUID.
    #[serde(default)]
    pub tenant: String,
    /// The Application (client) ID.
    #[serde(default)]
    pub client_id: String,
    /// The mailbox (UPN).
    #[serde(default)]
    pub mailbox: String,
    /// The test email's recipient.
    #[serde(default)]
    pub test_recipient: String,
}

impl WizardInputs {
    /// The value of one input.
    pub fn get(&self, field: InputField) -> &str {
        match field {
            InputField::SiteUrl => &self.site_url,
            InputField::Tenant => &self.tenant,
            InputField::ClientId => &self.client_id,
            InputField::Mailbox => &self.mailbox,
            InputField::TestRecipient => &self.test_recipient,
        }
    }

    fn slot(&mut self, field: InputField) -> &mut String {
        match field {
            InputField::SiteUrl => &mut self.site_url,
            InputField::Tenant => &mut self.tenant,
            InputField::ClientId => &mut self.client_id,
            InputField::Mailbox => &mut self.mailbox,
            InputField::TestRecipient => &mut self.test_recipient,
        }
    }
}

/// The whole wizard, as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WizardState {
    /// The shape's version ([`STATE_VERSION`]).
    pub version: u32,
    /// The profile id.
    pub profile: String,
    /// The step on screen.
    pub step: WizardStep,
    /// What the admin entered.
    pub inputs: WizardInputs,
    /// The latest result of each check, in the order they were last run.
    pub results: Vec<CheckResult>,
    /// The demo tenant's scenario when rehearsing, `None` against Microsoft.
    pub demo: Option<String>,
    /// The credential the app proves itself with (a certificate only where the profile's product
    /// takes one, see [`super::credential`]); progress saved before the choice existed reads as
    /// a client secret.
    #[serde(default)]
    pub credential: CredentialType,
}

impl WizardState {
    /// A new wizard for `profile` on its first step.
    pub fn new(profile: &Profile, demo: Option<String>) -> WizardState {
        let first = super::plan(profile)
            .first()
            .map_or(WizardStep::Tenant, |s| s.step);
        WizardState {
            version: STATE_VERSION,
            profile: profile.id.clone(),
            step: first,
            inputs: WizardInputs::default(),
            results: Vec::new(),
            demo,
            credential: CredentialType::Secret,
        }
    }

    /// Set one input (trimmed). Results that depended on the old value stay until checked again.
    pub fn set_input(&mut self, field: InputField, value: &str) {
        *self.inputs.slot(field) = value.trim().to_string();
    }

    /// Move to `step` when the profile has it; `false` otherwise.
    pub fn go(&mut self, profile: &Profile, step: WizardStep) -> bool {
        let known = super::plan(profile).iter().any(|s| s.step == step);
        if known {
            self.step = step;
        }
        known
    }

    /// Keep `fresh` as the latest results of their checks.
    pub fn record(&mut self, fresh: &[CheckResult]) {
        self.results
            .retain(|old| !fresh.iter().any(|new| new.id == old.id));
        self.results.extend(fresh.iter().cloned());
    }

    /// The latest result of `id`.
    pub fn result(&self, id: CheckId) -> Option<&CheckResult> {
        self.results.iter().find(|r| r.id == id)
    }

    /// The redirect URI the product will send, computed from the site URL.
    pub fn redirect_uri(&self, profile: &Profile) -> Option<String> {
        if self.inputs.site_url.is_empty() {
            return None;
        }
        profile.redirect_uri_for(&self.inputs.site_url)
    }

    /// What the verification engine is given: the inputs, with the secret and sessions that
    /// live only in memory.
    pub fn verify_inputs(
        &self,
        profile: &Profile,
        secret: Option<Secret>,
        sessions: Sessions,
    ) -> Inputs {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Inputs {
            tenant: self.inputs.tenant.clone(),
            client_id: some(&self.inputs.client_id).map(|c| c.to_ascii_lowercase()),
            secret,
            redirect_uri: self.redirect_uri(profile),
            mailbox: some(&self.inputs.mailbox),
            test_recipient: some(&self.inputs.test_recipient),
            sessions,
        }
    }
}

/// Every offline issue of a typed value, errors first; each names the field. In a `rehearsal`
/// on the demo tenant the documentation's example domains are the tenant's own, so they draw
/// no warning.
pub fn input_issues(
    profile: &Profile,
    field: InputField,
    value: &str,
    rehearsal: bool,
) -> Vec<InputIssue> {
    let field = match field {
        InputField::SiteUrl => Field::SiteUrl,
        InputField::Tenant => Field::Tenant,
        InputField::ClientId => Field::ClientId,
        InputField::Mailbox => Field::Mailbox,
        InputField::TestRecipient => Field::TestRecipient,
    };
    if value.trim().is_empty() {
        return Vec::new();
    }
    let context = FieldContext {
        personal_accounts: profile
            .registration
            .account_types
            .iter()
            .any(|a| a.sign_in_audience().contains("Personal")),
        expected_redirect_uri: None,
        rehearsal,
    };
    validate::issues(field, value, &context)
}

/// Every offline issue of a pasted secret value (the secret ID instead of the value, a
/// placeholder, …), errors first.
pub fn secret_issues(value: &str) -> Vec<InputIssue> {
    validate::issues(Field::ClientSecret, value, &FieldContext::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Catalog;

    #[test]
    fn a_new_wizard_starts_on_the_first_step_of_its_profile() {
        let catalog = Catalog::shipped();
        let email = catalog.get("axero-m365-email").expect("profile");
        assert_eq!(WizardState::new(email, None).step, WizardStep::Site);
        let connector = catalog.get("exchange-calendar-connector").expect("profile");
        assert_eq!(WizardState::new(connector, None).step, WizardStep::Tenant);
    }

    #[test]
    fn the_redirect_uri_is_computed_from_the_site() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-m365-email").expect("profile");
        let mut state = WizardState::new(profile, None);
        state.set_input(InputField::SiteUrl, " https://intranet.contoso.com/ ");
        assert_eq!(
            state.redirect_uri(profile).as_deref(),
            Some("https://intranet.contoso.com/oauth2/sharepoint/callback")
        );
    }

    #[test]
    fn a_step_the_profile_lacks_is_refused() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("vendor-app-consent").expect("profile");
        let mut state = WizardState::new(profile, None);
        assert!(!state.go(profile, WizardStep::Mailbox));
        assert!(state.go(profile, WizardStep::Permissions));
        assert_eq!(state.step, WizardStep::Permissions);
    }

    #[test]
    fn the_secret_id_pasted_is_caught_as_typed() {
        let issues = secret_issues("dddddddd-0000-0000-0000-000000000001");
        assert!(issues.first().is_some_and(|i| i.is_error()), "{issues:?}");
        assert_eq!(issues[0].cause, crate::cause::Cause::SecretIsSecretId);
    }

    #[test]
    fn newer_results_replace_older_ones() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-m365-email").expect("profile");
        let mut state = WizardState::new(profile, None);
        let old = crate::verify::outcome::skipped(
            CheckId::Tenant,
            crate::verify::SkipReason::MissingInput,
            "x",
        );
        let new = crate::verify::outcome::pass(CheckId::Tenant, "ok", serde_json::Value::Null);
        state.record(std::slice::from_ref(&old));
        state.record(std::slice::from_ref(&new));
        assert_eq!(state.results, vec![new]);
    }
}

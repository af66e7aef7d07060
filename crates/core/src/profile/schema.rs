//! The profile file format: one TOML document per integration (see `crates/core/profiles/`).
//!
//! Unknown fields are refused so that a typo in a profile is an error, not a silently ignored
//! line. Cross-field rules (a redirect for a redirect check, settings that name a known source, …)
//! are checked by [`Profile::validate`].

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::cause::Cause;
use crate::check::CheckId;

/// One integration profile.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Stable id: lower-case letters, digits and dashes.
    pub id: String,
    /// What the admin sets up, in a few words.
    pub title: String,
    /// The product being connected.
    pub product: String,
    /// The integration's archetype.
    pub kind: ProfileKind,
    /// One or two sentences on what the integration does.
    pub summary: String,
    /// The vendor guide the profile replaces, when there is one (a file in `shared/seeds/`).
    #[serde(default)]
    pub seed: Option<String>,
    /// About how long the setup takes, in minutes.
    pub estimated_minutes: u32,
    /// The checkpoints that apply, in the order the wizard takes them.
    pub checks: Vec<CheckId>,
    /// Who and what the setup needs.
    pub needs: Needs,
    /// What the app registration must look like.
    pub registration: Registration,
    /// How long the client secret should live and when to rotate it.
    pub secret: SecretAdvice,
    /// The credentials the product can prove the app with: `["secret"]` (the default) or
    /// `["secret", "certificate"]`. The wizard offers a certificate only where it is listed.
    #[serde(default = "secret_only")]
    pub credentials: Vec<CredentialType>,
    /// The target product's settings, in its own names, for the exported bundle.
    #[serde(default)]
    pub settings: Vec<Setting>,
    /// The vendor guide's instructions, rewritten, per wizard step.
    #[serde(default)]
    pub guidance: Vec<Guidance>,
    /// The product's own warnings (shown on the step they belong to and in the report).
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// The vendor guide's troubleshooting entries: a symptom an admin or user sees, and why.
    #[serde(default)]
    pub troubleshooting: Vec<Troubleshooting>,
}

pub use crate::credentials::CredentialType;

/// What a profile takes when it says nothing: a client secret.
fn secret_only() -> Vec<CredentialType> {
    vec![CredentialType::Secret]
}

/// The archetype of an integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    /// Users sign in through the product's Web redirect; delegated permissions and a secret.
    DelegatedWeb,
    /// A background service with its own token; application permissions and a secret.
    AppOnly,
    /// Approving a vendor's multi-tenant app: nothing to register, consent to check.
    VendorConsent,
    /// Whatever the admin describes.
    Custom,
}

/// Who and what the setup needs before it starts.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Needs {
    /// The Entra and Exchange roles the admin needs (`Application Administrator`, …).
    #[serde(default)]
    pub admin_roles: Vec<String>,
    /// The licences users or mailboxes need.
    #[serde(default)]
    pub licences: Vec<String>,
    /// Anything else to have at hand (the product's admin access, a test mailbox, …).
    #[serde(default)]
    pub other: Vec<String>,
}

/// What the app registration must look like.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    /// The account types the product accepts (`signInAudience` values).
    pub account_types: Vec<AccountType>,
    /// The one the wizard proposes when it creates the registration.
    pub default_account_type: AccountType,
    /// The redirect URI the product uses; none for app-only integrations.
    #[serde(default)]
    pub redirect: Option<Redirect>,
    /// Microsoft Graph permissions by name.
    #[serde(default)]
    pub permissions: Permissions,
    /// The display name the wizard proposes for a new registration.
    pub suggested_name: String,
}

/// Who may sign in to the app: Graph's `signInAudience`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum AccountType {
    /// Accounts in this organisational directory only (single tenant).
    #[serde(rename = "AzureADMyOrg")]
    SingleTenant,
    /// Accounts in any organisational directory (multiple tenants).
    #[serde(rename = "AzureADMultipleOrgs")]
    MultiTenant,
    /// Any organisational directory and personal Microsoft accounts.
    #[serde(rename = "AzureADandPersonalMicrosoftAccount")]
    MultiTenantAndPersonal,
    /// Personal Microsoft accounts only.
    #[serde(rename = "PersonalMicrosoftAccount")]
    PersonalOnly,
}

impl AccountType {
    /// The `signInAudience` value Graph uses.
    pub fn sign_in_audience(self) -> &'static str {
        match self {
            AccountType::SingleTenant => "AzureADMyOrg",
            AccountType::MultiTenant => "AzureADMultipleOrgs",
            AccountType::MultiTenantAndPersonal => "AzureADandPersonalMicrosoftAccount",
            AccountType::PersonalOnly => "PersonalMicrosoftAccount",
        }
    }

    /// The wording of the Entra admin center's "Supported account types" choice.
    pub fn portal_label(self) -> &'static str {
        match self {
            AccountType::SingleTenant => {
                "Accounts in this organizational directory only (Single tenant)"
            }
            AccountType::MultiTenant => "Accounts in any organizational directory (Multitenant)",
            AccountType::MultiTenantAndPersonal => {
                "Accounts in any organizational directory and personal Microsoft accounts"
            }
            AccountType::PersonalOnly => "Personal Microsoft accounts only",
        }
    }
}

/// The redirect URI a product uses.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Redirect {
    /// The platform it must be registered under.
    pub platform: RedirectPlatform,
    /// The URI with `{site}` standing for the product's site URL (scheme and host, and a base
    /// path where the product has one), e.g. `{site}/oauth2/outlook/callback`.
    pub template: String,
    /// How the admin finds the site URL (`Axero's address, e.g. https://intranet.contoso.com`).
    pub site_hint: String,
}

/// Where a redirect URI is registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RedirectPlatform {
    /// "Web" (server-side apps with a secret).
    Web,
    /// "Single-page application".
    Spa,
    /// "Mobile and desktop applications".
    PublicClient,
}

/// Microsoft Graph permissions by name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Permissions {
    /// Delegated permissions (scopes): the app acts as the signed-in user.
    #[serde(default)]
    pub delegated: Vec<String>,
    /// Application permissions (app roles): the app acts as itself.
    #[serde(default)]
    pub application: Vec<String>,
}

/// How long the client secret should live and when to rotate it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SecretAdvice {
    /// Whether the product needs a client secret at all.
    pub required: bool,
    /// The lifetime the wizard proposes, in days.
    pub default_days: u32,
    /// The longest lifetime the product's vendor recommends, in days.
    pub max_days: u32,
    /// Remind this many days before expiry (the bundle's calendar event).
    pub lead_days: u32,
    /// The vendor's advice, in our words.
    pub advice: String,
}

/// One of the target product's settings.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    /// The product's own name for the setting (`OutlookApiClientID`).
    pub name: String,
    /// Where its value comes from.
    pub source: SettingSource,
    /// The value when `source = "literal"`.
    #[serde(default)]
    pub literal: Option<String>,
    /// Where in the product to paste it.
    pub location: String,
}

/// Where a setting's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingSource {
    /// The application (client) ID.
    ClientId,
    /// The client secret's value (never written in clear to a bundle).
    ClientSecret,
    /// The directory (tenant) ID.
    TenantId,
    /// The delegated scopes, space-separated.
    Scopes,
    /// The redirect URI.
    RedirectUri,
    /// A fixed value, in `literal`.
    Literal,
}

/// A wizard step, for guidance and warnings to attach to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum WizardStep {
    /// The product's site URL (and the redirect URI computed from it).
    Site,
    /// The tenant, by domain or GUID.
    Tenant,
    /// The administrator's sign-in.
    SignIn,
    /// The app registration.
    Registration,
    /// The client secret.
    Secret,
    /// API permissions and admin consent.
    Permissions,
    /// Mailbox and SMTP AUTH.
    Mailbox,
    /// Calendar access for app-only connectors.
    Calendar,
    /// Everything checked, the bundle and the reminder.
    Summary,
}

/// The vendor guide's instructions for one wizard step, in our words.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Guidance {
    /// The step the instructions belong to.
    pub step: WizardStep,
    /// The instructions, one short sentence each.
    pub instructions: Vec<String>,
}

/// One of the product's warnings.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    /// Stable id within the profile.
    pub id: String,
    /// The step it is shown on.
    pub step: WizardStep,
    /// The warning, in our words.
    pub text: String,
}

/// One troubleshooting entry: a symptom, why it happens and what to do.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Troubleshooting {
    /// What the admin or a user sees.
    pub symptom: String,
    /// Text fragments that identify the symptom in pasted error text (case-insensitive).
    #[serde(default)]
    pub patterns: Vec<String>,
    /// The cause id.
    pub cause: Cause,
    /// Why it happens, in our words.
    pub explanation: String,
    /// What to do.
    pub fix: String,
}

/// A rule a profile breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct ProfileRuleBroken {
    /// The field at fault (`registration.redirect`).
    pub field: String,
    /// What is wrong with it.
    pub problem: String,
}

impl Profile {
    /// Check the rules TOML cannot express: the id's shape, checks listed once, a redirect when
    /// the redirect check applies, a literal for literal settings, unique warning ids.
    pub fn validate(&self) -> Result<(), ProfileRuleBroken> {
        let broken = |field: &str, problem: String| ProfileRuleBroken {
            field: field.into(),
            problem,
        };
        let id_ok = !self.id.is_empty()
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            return Err(broken(
                "id",
                format!(
                    "'{}' must be lower-case letters, digits and dashes",
                    self.id
                ),
            ));
        }
        let mut seen = BTreeSet::new();
        for check in &self.checks {
            if !seen.insert(*check) {
                return Err(broken("checks", format!("'{check}' is listed twice")));
            }
            if matches!(
                check,
                CheckId::ClientCertificate | CheckId::CertificateExpiry
            ) {
                return Err(broken(
                    "checks",
                    format!(
                        "'{check}' is not listed: it takes the place of client_secret or secret_expiry when a certificate is used"
                    ),
                ));
            }
        }
        let mut credentials = BTreeSet::new();
        if self.credentials.is_empty() {
            return Err(broken(
                "credentials",
                "must name at least one of \"secret\", \"certificate\"".into(),
            ));
        }
        for credential in &self.credentials {
            if !credentials.insert(*credential) {
                return Err(broken(
                    "credentials",
                    format!("'{}' is listed twice", credential.as_str()),
                ));
            }
        }
        let registration = &self.registration;
        if !registration
            .account_types
            .contains(&registration.default_account_type)
        {
            return Err(broken(
                "registration.default_account_type",
                "must be one of registration.account_types".into(),
            ));
        }
        if self.checks.contains(&CheckId::RedirectUri) && self.kind != ProfileKind::Custom {
            match &registration.redirect {
                None => {
                    return Err(broken(
                        "registration.redirect",
                        "the redirect_uri check needs a redirect".into(),
                    ));
                }
                Some(redirect) if !redirect.template.contains("{site}") => {
                    return Err(broken(
                        "registration.redirect.template",
                        "must contain {site}".into(),
                    ));
                }
                Some(_) => {}
            }
        }
        for setting in &self.settings {
            let literal = setting.source == SettingSource::Literal;
            if literal != setting.literal.is_some() {
                return Err(broken(
                    "settings",
                    format!(
                        "'{}': `literal` goes with source = \"literal\", and only with it",
                        setting.name
                    ),
                ));
            }
        }
        let mut warning_ids = BTreeSet::new();
        for warning in &self.warnings {
            if !warning_ids.insert(warning.id.as_str()) {
                return Err(broken(
                    "warnings",
                    format!("id '{}' is used twice", warning.id),
                ));
            }
        }
        Ok(())
    }

    /// The redirect URI for a site URL: the template with `{site}` replaced by the site URL
    /// without its trailing slashes.
    pub fn redirect_uri_for(&self, site_url: &str) -> Option<String> {
        let redirect = self.registration.redirect.as_ref()?;
        Some(
            redirect
                .template
                .replace("{site}", site_url.trim().trim_end_matches('/')),
        )
    }
}

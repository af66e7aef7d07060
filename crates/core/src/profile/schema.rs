//! The profile file format: one TOML document per integration (see `crates/core/profiles/`).
//!
//! Unknown fields are refused so that a typo in a profile is an error, not a silently ignored
//! line. Cross-field rules (a redirect for a redirect check, settings that name a known source, …)
//! are checked by [`Profile::validate`].
//!
//! Permissions are listed per resource: `[registration.permissions]` is Microsoft Graph's (the
//! default), `[registration.resource_permissions.exchange_online]` Office 365 Exchange Online's
//! (the Outlook resource of IMAP, POP and SMTP), each name checked against Microsoft's catalogue
//! for that resource. `[registration.redirect]` is the main redirect URI and
//! `[[registration.more_redirects]]` the product's others on the same site;
//! `[registration.user_assignment]` says that the enterprise app lets only assigned users in.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use entra_graph_catalogue::Kind;

use crate::cause::Cause;
use crate::check::CheckId;
pub use crate::graph::ApiResource;

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
    /// The product's other redirect URIs, on the same site as `redirect` (`[[registration.more_redirects]]`):
    /// each is registered and verified beside it.
    #[serde(default)]
    pub more_redirects: Vec<MoreRedirect>,
    /// Microsoft Graph permissions by name.
    #[serde(default)]
    pub permissions: Permissions,
    /// Other resources' permissions by name
    /// (`[registration.resource_permissions.exchange_online]`).
    #[serde(default)]
    pub resource_permissions: ResourcePermissions,
    /// Whether the enterprise application must let only assigned users sign in, and whom to
    /// assign (`[registration.user_assignment]`).
    #[serde(default)]
    pub user_assignment: Option<UserAssignment>,
    /// The display name the wizard proposes for a new registration.
    pub suggested_name: String,
}

/// Permissions on resources other than Microsoft Graph, by name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResourcePermissions {
    /// Office 365 Exchange Online (`00000002-0000-0ff1-ce00-000000000000`): delegated
    /// `IMAP.AccessAsUser.All`, `SMTP.Send`, `POP.AccessAsUser.All` (tokens for the Outlook
    /// resource, `https://outlook.office.com/…`) and application `IMAP.AccessAsApp`,
    /// `SMTP.SendAsApp`, `full_access_as_app`, ….
    #[serde(default)]
    pub exchange_online: Permissions,
}

/// Another redirect URI of the product, on the same site as the main one.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MoreRedirect {
    /// The platform it must be registered under.
    pub platform: RedirectPlatform,
    /// The URI with `{site}` standing for the product's site URL, as in [`Redirect::template`].
    pub template: String,
}

/// The enterprise application lets only assigned users sign in (`appRoleAssignmentRequired`),
/// as the product's guide requires.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UserAssignment {
    /// Whether assignment is required.
    pub required: bool,
    /// Whom to assign (default access) when the registration is made or repaired.
    #[serde(default)]
    pub assign: Vec<Assignee>,
}

/// Someone the setup assigns to the enterprise application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Assignee {
    /// The administrator who runs the setup (they connect the product).
    Administrator,
    /// The owner of the mailbox the product uses.
    MailboxOwner,
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

impl Registration {
    /// Every resource's permissions, Microsoft Graph first, resources with none left out.
    pub fn all_permissions(&self) -> Vec<(ApiResource, &Permissions)> {
        [
            (ApiResource::MicrosoftGraph, &self.permissions),
            (
                ApiResource::ExchangeOnline,
                &self.resource_permissions.exchange_online,
            ),
        ]
        .into_iter()
        .filter(|(_, p)| !p.is_empty())
        .collect()
    }

    /// The permissions listed for `resource`.
    pub fn permissions_of(&self, resource: ApiResource) -> &Permissions {
        match resource {
            ApiResource::MicrosoftGraph => &self.permissions,
            ApiResource::ExchangeOnline => &self.resource_permissions.exchange_online,
        }
    }

    /// Whether the enterprise application must let only assigned users sign in.
    pub fn requires_user_assignment(&self) -> bool {
        self.user_assignment.as_ref().is_some_and(|a| a.required)
    }
}

fn platform_key(platform: RedirectPlatform) -> u8 {
    platform as u8
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

impl Permissions {
    /// Whether no permission is listed.
    pub fn is_empty(&self) -> bool {
        self.delegated.is_empty() && self.application.is_empty()
    }
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
    /// The mailbox the product uses (its address).
    Mailbox,
    /// The mailbox owner's user ID (their object ID in the directory).
    MailboxUserId,
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
        self.validate_redirects()?;
        self.validate_permissions()?;
        if let Some(assignment) = &registration.user_assignment {
            let mut assignees = BTreeSet::new();
            for assignee in &assignment.assign {
                if !assignees.insert(*assignee) {
                    return Err(broken(
                        "registration.user_assignment.assign",
                        format!("'{assignee:?}' is listed twice"),
                    ));
                }
            }
            if !assignment.required && !assignment.assign.is_empty() {
                return Err(broken(
                    "registration.user_assignment.assign",
                    "users are assigned only where assignment is required (required = true)".into(),
                ));
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

    /// `registration.more_redirects`: each needs the main redirect, a `{site}` template, and no
    /// two URIs of the profile alike.
    fn validate_redirects(&self) -> Result<(), ProfileRuleBroken> {
        let registration = &self.registration;
        let broken = |field: String, problem: String| ProfileRuleBroken { field, problem };
        if registration.more_redirects.is_empty() {
            return Ok(());
        }
        let Some(main) = &registration.redirect else {
            return Err(broken(
                "registration.more_redirects".into(),
                "more redirect URIs need registration.redirect, the main one".into(),
            ));
        };
        if !main.template.contains("{site}") {
            return Err(broken(
                "registration.redirect.template".into(),
                "must contain {site} when registration.more_redirects are listed".into(),
            ));
        }
        let mut seen = BTreeSet::from([(platform_key(main.platform), main.template.as_str())]);
        for (i, more) in registration.more_redirects.iter().enumerate() {
            let field = format!("registration.more_redirects[{i}].template");
            if !more.template.starts_with("{site}") || more.template.matches("{site}").count() != 1
            {
                return Err(broken(
                    field,
                    format!(
                        "'{}' must start with {{site}} (once): it is on the product's site",
                        more.template
                    ),
                ));
            }
            if !seen.insert((platform_key(more.platform), more.template.as_str())) {
                return Err(broken(
                    field,
                    format!("'{}' is listed twice", more.template),
                ));
            }
        }
        Ok(())
    }

    /// Every permission name is one of its resource's, of its kind, in Microsoft's catalogue
    /// (`entra-graph-catalogue`), listed once.
    fn validate_permissions(&self) -> Result<(), ProfileRuleBroken> {
        for (resource, permissions) in self.registration.all_permissions() {
            let table = match resource {
                ApiResource::MicrosoftGraph => "registration.permissions".to_string(),
                ApiResource::ExchangeOnline => {
                    "registration.resource_permissions.exchange_online".to_string()
                }
            };
            for (list, kind, names) in [
                ("delegated", Kind::Scope, &permissions.delegated),
                ("application", Kind::Role, &permissions.application),
            ] {
                let mut seen = BTreeSet::new();
                for name in names {
                    let field = format!("{table}.{list}");
                    if !seen.insert(name.to_ascii_lowercase()) {
                        return Err(ProfileRuleBroken {
                            field,
                            problem: format!("'{name}' is listed twice"),
                        });
                    }
                    // Graph's names are resolved with the tenant's catalogue too (it may know
                    // newer ones); another resource's must be in Microsoft's catalogue.
                    if resource != ApiResource::MicrosoftGraph
                        && resource.catalogue().find_ignore_case(kind, name).is_none()
                    {
                        let other = match kind {
                            Kind::Scope => Kind::Role,
                            Kind::Role => Kind::Scope,
                        };
                        let hint = if resource.catalogue().find_ignore_case(other, name).is_some() {
                            format!(
                                " (it is one of its {} permissions)",
                                if other == Kind::Scope {
                                    "delegated"
                                } else {
                                    "application"
                                }
                            )
                        } else {
                            String::new()
                        };
                        return Err(ProfileRuleBroken {
                            field,
                            problem: format!(
                                "'{name}' is not a {list} permission of {}{hint}",
                                resource.display_name()
                            ),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// Every redirect URI for a site URL, the main one first: each platform with its URI.
    pub fn redirect_uris_for(&self, site_url: &str) -> Vec<(RedirectPlatform, String)> {
        let Some(main) = &self.registration.redirect else {
            return Vec::new();
        };
        let site = site_url.trim().trim_end_matches('/');
        std::iter::once((main.platform, main.template.as_str()))
            .chain(
                self.registration
                    .more_redirects
                    .iter()
                    .map(|m| (m.platform, m.template.as_str())),
            )
            .map(|(platform, template)| (platform, template.replace("{site}", site)))
            .collect()
    }

    /// Every redirect URI given the main one as the product sends it: the main one as given,
    /// then the others made from the site it was made from (none when it does not follow the
    /// main template).
    pub fn redirect_uris_from(&self, main_uri: &str) -> Vec<(RedirectPlatform, String)> {
        let Some(main) = &self.registration.redirect else {
            return Vec::new();
        };
        let main_uri = main_uri.trim();
        let mut uris = vec![(main.platform, main_uri.to_string())];
        if let Some(site) = self.site_of(main_uri) {
            uris.extend(self.redirect_uris_for(&site).into_iter().skip(1));
        }
        uris
    }

    /// The product's address a main redirect URI was made from, by the main template
    /// (`{site}/oauth/callback` and `https://intranet.contoso.com/oauth/callback` give the site).
    pub fn site_of(&self, redirect_uri: &str) -> Option<String> {
        let template = &self.registration.redirect.as_ref()?.template;
        let (prefix, suffix) = template.split_once("{site}")?;
        let site = redirect_uri
            .trim()
            .strip_prefix(prefix)?
            .strip_suffix(suffix)?;
        (!site.is_empty()).then(|| site.to_string())
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

//! The scenario file (contracts/scenario.md): its serde model, loading, and the checks that name the bad field.
//!
//! Field names are the contract's, exactly. Loading goes through `serde_path_to_error` so that a type error,
//! a missing field or an unknown field is reported with its path (`tenants[0].users[1].mailbox`); the
//! semantic checks that follow (GUIDs, permission names, who `sign_in.as` names, fault shapes) report the
//! same way.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::permissions;

/// A whole scenario: the tenants the stand-in serves and how it behaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The tenants served.
    pub tenants: Vec<TenantSpec>,
    /// Client IDs allowed to sign an admin in with authorization code + PKCE or device code.
    #[serde(default = "default_public_clients")]
    pub public_clients: Vec<String>,
    /// Who signs in without a page (optional).
    #[serde(default)]
    pub sign_in: Option<SignInSpec>,
    /// Added to every HTTP response and SMTP reply, in milliseconds.
    #[serde(default)]
    pub latency_ms: u64,
    /// Objects created through Graph become visible to other calls only after this delay, in milliseconds.
    #[serde(default)]
    pub replication_delay_ms: u64,
    /// Injected faults.
    #[serde(default)]
    pub faults: Vec<FaultSpec>,
    /// Lifetime of a device code in seconds (optional, Microsoft's 900): the `expires_in` of
    /// `/devicecode`, after which polls answer `expired_token` (AADSTS70020).
    #[serde(default = "default_device_code_expires_in")]
    pub device_code_expires_in: u64,
    /// The base URL of every absolute URL the stand-in names (discovery's endpoints and issuer, the `iss`
    /// of ID tokens, `@odata.nextLink`, redirects to its own pages), for when it is reached through an
    /// HTTPS front (optional; without it, the address it listens on).
    #[serde(default)]
    pub public_url: Option<String>,
}

/// Microsoft's device-code lifetime, in seconds.
pub const DEFAULT_DEVICE_CODE_EXPIRES_IN: u64 = 900;

fn default_device_code_expires_in() -> u64 {
    DEFAULT_DEVICE_CODE_EXPIRES_IN
}

/// The Microsoft Graph Command Line Tools client, the default public client.
pub const GRAPH_CLI_CLIENT_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

fn default_public_clients() -> Vec<String> {
    vec![GRAPH_CLI_CLIENT_ID.to_owned()]
}

/// One tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantSpec {
    /// The tenant GUID.
    pub id: String,
    /// The organisation's display name.
    pub display_name: String,
    /// Verified domains; the first is the initial `*.onmicrosoft.com` one by convention.
    pub domains: Vec<String>,
    /// The national cloud the tenant lives in.
    pub cloud: Cloud,
    /// Organisation-wide SMTP AUTH (`Set-TransportConfig -SmtpClientAuthenticationDisabled:$false`).
    pub smtp_auth_enabled: bool,
    /// The user-consent setting.
    pub user_consent: UserConsent,
    /// Whether the admin-consent request workflow is on.
    pub admin_consent_workflow: bool,
    /// Users' requests for admin consent (optional, none).
    #[serde(default)]
    pub consent_requests: Vec<ConsentRequestSpec>,
    /// App-management policy: the longest secret lifetime `addPassword` accepts (optional).
    #[serde(default)]
    pub secret_max_lifetime_days: Option<u32>,
    /// App-management policy: the longest certificate lifetime (`endDateTime - startDateTime`) that
    /// `keyCredentials` writes and `addKey` accept (optional, none): Graph's `asymmetricKeyLifetime`
    /// restriction; beyond it they fail as `addPassword` does past `secret_max_lifetime_days`.
    #[serde(default)]
    pub certificate_max_lifetime_days: Option<u32>,
    /// Whether the app-management policy may be read through Graph
    /// (`/policies/defaultAppManagementPolicy`, `/applications/{id}/appManagementPolicies`);
    /// optional, default `true`. `false` answers those reads 403, as for an administrator
    /// whose role does not cover policies, leaving only `addPassword`'s refusal to go by.
    #[serde(default = "yes")]
    pub app_management_policy_readable: bool,
    /// Users.
    pub users: Vec<UserSpec>,
    /// The tenant's own app registrations.
    pub applications: Vec<ApplicationSpec>,
    /// Multi-tenant apps registered in another tenant that admins here may approve (optional).
    #[serde(default)]
    pub vendor_apps: Vec<VendorAppSpec>,
    /// Exchange Online application access policies (`New-ApplicationAccessPolicy`), optional: they limit
    /// which mailboxes an app-only token may reach through Graph.
    #[serde(default)]
    pub application_access_policies: Vec<AccessPolicySpec>,
    /// Many generated registrations besides `applications` (optional): see [`GeneratedApplications`].
    #[serde(default)]
    pub generated_applications: Option<GeneratedApplications>,
}

/// One Exchange application access policy, as `New-ApplicationAccessPolicy -AppId … -PolicyScopeGroupId …
/// -AccessRight … -Description …` creates it; the scope group is given by its members' UPNs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessPolicySpec {
    /// `-AppId`: the client ID the policy applies to.
    pub app_id: String,
    /// `-AccessRight`.
    pub access_right: AccessRight,
    /// The members of `-PolicyScopeGroupId` (the mail-enabled security group), as UPNs of the tenant.
    pub mailboxes: Vec<String>,
    /// `-Description` (optional).
    #[serde(default)]
    pub description: Option<String>,
}

/// `-AccessRight` of an application access policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessRight {
    /// The app may reach only the mailboxes of the scope group.
    RestrictAccess,
    /// The app may not reach the mailboxes of the scope group.
    DenyAccess,
}

/// A national cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    /// login.microsoftonline.com / graph.microsoft.com.
    Global,
    /// login.microsoftonline.us / graph.microsoft.us.
    Usgov,
    /// login.partner.microsoftonline.cn / microsoftgraph.chinacloudapi.cn.
    China,
}

/// The tenant's user-consent setting: one of the names below, or any other string, which is a
/// permission-grant policy id served verbatim (a custom policy, or another spelling Microsoft
/// returns, such as `managePermissionGrantsForSelf.microsoft-user-default-low`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum UserConsent {
    /// `legacy`: users may consent to any app.
    Legacy,
    /// `low`: users may consent to low-impact permissions only.
    Low,
    /// `none`: user consent is off.
    None,
    /// `recommended`: the admin center's "Let Microsoft manage your consent settings"
    /// (`microsoft-user-default-recommended`, with Microsoft's mail-client policy beside it).
    Recommended,
    /// Any other string: the policy id itself.
    Policy(String),
}

impl From<String> for UserConsent {
    fn from(text: String) -> Self {
        match text.as_str() {
            "legacy" => UserConsent::Legacy,
            "low" => UserConsent::Low,
            "none" => UserConsent::None,
            "recommended" => UserConsent::Recommended,
            _ => UserConsent::Policy(text),
        }
    }
}

impl From<UserConsent> for String {
    fn from(consent: UserConsent) -> Self {
        match consent {
            UserConsent::Legacy => "legacy".to_owned(),
            UserConsent::Low => "low".to_owned(),
            UserConsent::None => "none".to_owned(),
            UserConsent::Recommended => "recommended".to_owned(),
            UserConsent::Policy(id) => id,
        }
    }
}

/// What a user-consent setting lets a user grant, as the stand-in models it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserConsentRule {
    /// Any permission an administrator need not grant.
    AnyApp,
    /// Only the low-impact permissions.
    LowImpact,
    /// Microsoft's managed policy: any permission an administrator need not grant, except the
    /// ones Microsoft keeps for administrators (`permissions::RECOMMENDED_EXCLUDED`).
    Recommended,
    /// Nothing (no user consent, or a policy of the tenant's own that the stand-in does not model).
    Nothing,
}

impl UserConsent {
    /// The rule a user's consent follows. A policy id is recognised whatever the case of its
    /// letters (`ManagePermissionGrantsForSelf.` then a built-in policy); any other grants nothing.
    pub fn rule(&self) -> UserConsentRule {
        match self {
            UserConsent::Legacy => UserConsentRule::AnyApp,
            UserConsent::Low => UserConsentRule::LowImpact,
            UserConsent::None => UserConsentRule::Nothing,
            UserConsent::Recommended => UserConsentRule::Recommended,
            UserConsent::Policy(id) => {
                const PREFIX: &str = "managepermissiongrantsforself.";
                let lower = id.to_ascii_lowercase();
                match lower.strip_prefix(PREFIX) {
                    Some("microsoft-user-default-legacy") => UserConsentRule::AnyApp,
                    Some("microsoft-user-default-low") => UserConsentRule::LowImpact,
                    Some("microsoft-user-default-recommended") => UserConsentRule::Recommended,
                    _ => UserConsentRule::Nothing,
                }
            }
        }
    }
}

/// One user's request for admin consent (the admin consent workflow), as `consent_requests[]` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequestSpec {
    /// The app asked for (GUID).
    pub app_id: String,
    /// The app's display name.
    pub app_display_name: String,
    /// The UPN of the user who asked (a user of the tenant).
    pub requested_by: String,
    /// The reason the user gave.
    pub reason: String,
    /// When the request was made.
    pub created: DateTime<Utc>,
    /// `Initializing`, `InProgress` (waiting for a reviewer; the default), `Expired` or `Completed`.
    #[serde(default = "in_progress")]
    pub status: String,
}

/// The status of a request that waits for a reviewer.
pub const IN_PROGRESS: &str = "InProgress";

fn in_progress() -> String {
    IN_PROGRESS.to_owned()
}

/// The statuses a `userConsentRequest` may have.
pub const CONSENT_REQUEST_STATUSES: &[&str] =
    &["Initializing", IN_PROGRESS, "Expired", "Completed"];

/// One user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSpec {
    /// Object ID (GUID).
    pub id: String,
    /// User principal name (also the mail address).
    pub upn: String,
    /// Display name.
    pub display_name: String,
    /// May sign in as an administrator and read/write applications, grants and policies.
    #[serde(default)]
    pub admin: bool,
    /// Whether the account may sign in.
    pub account_enabled: bool,
    /// What kind of mailbox the user has.
    pub mailbox: MailboxKind,
    /// Has an Exchange Online service plan.
    pub exchange_license: bool,
    /// Per-mailbox SMTP AUTH: `null` follows the organisation.
    #[serde(default)]
    pub smtp_auth: Option<bool>,
    /// Per-mailbox IMAP (optional, true): `false` is `Set-CASMailbox -ImapEnabled $false`; the IMAP listener
    /// then signs the owner in but never connects the session to the mailbox (see `imap`).
    #[serde(default = "yes")]
    pub imap_enabled: bool,
    /// Events of the mailbox's default calendar (optional, none).
    #[serde(default)]
    pub calendar_events: Vec<CalendarEventSpec>,
}

/// One event of a user's default calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarEventSpec {
    /// The subject.
    pub subject: String,
    /// Start (RFC 3339, e.g. `2026-05-04T09:00:00Z`); served in UTC.
    pub start: DateTime<Utc>,
    /// End; after `start`.
    pub end: DateTime<Utc>,
}

/// Kind of Exchange mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailboxKind {
    /// A licensed user mailbox.
    User,
    /// A shared mailbox.
    Shared,
    /// No mailbox.
    None,
}

/// A permission set by name: Microsoft Graph's as they are, Office 365 Exchange Online's with the
/// prefix `exchange_online:` (`exchange_online:IMAP.AccessAsUser.All`, an addition to
/// contracts/scenario.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionSet {
    /// Delegated permissions (scopes).
    pub delegated: Vec<String>,
    /// Application permissions (app roles).
    pub application: Vec<String>,
}

/// A client secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretSpec {
    /// The secret ID (GUID).
    pub key_id: String,
    /// Its description.
    pub display_name: String,
    /// The secret value the token endpoint accepts.
    pub value: String,
    /// Start of validity.
    pub start: DateTime<Utc>,
    /// End of validity; a past one fails as expired.
    pub end: DateTime<Utc>,
}

/// A certificate registered on an application (optional `applications[].certificates[]`, an addition to
/// contracts/scenario.md):
///
/// ```json
/// {"key_id": "eeeeeeee-0000-0000-0000-000000000001", "display_name": "CN=monitor",
///  "certificate_pem": "-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n",
///  "start": "2026-01-01T00:00:00Z", "end": "2027-01-01T00:00:00Z"}
/// ```
///
/// `certificate_pem` is the public certificate only (never a private key); `start` and `end` default to
/// the certificate's own validity. Graph shows it in `keyCredentials` (thumbprint, subject, dates), and
/// the token endpoint accepts client assertions signed with its key until `end`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateSpec {
    /// The credential's `keyId` (GUID).
    pub key_id: String,
    /// Its `displayName`.
    pub display_name: String,
    /// The X.509 certificate, PEM.
    pub certificate_pem: String,
    /// Start of validity (optional: the certificate's `notBefore`).
    #[serde(default)]
    pub start: Option<DateTime<Utc>>,
    /// End of validity (optional: the certificate's `notAfter`); a past one fails as expired.
    #[serde(default)]
    pub end: Option<DateTime<Utc>>,
}

/// Many cheap registrations for scale runs (optional `tenants[].generated_applications`, an addition to
/// contracts/scenario.md):
///
/// ```json
/// {"count": 20000, "secrets_each": 1, "certificates_each": 1, "expiring_within_days": 30}
/// ```
///
/// Application `i` (from 0) is `Generated app {i}` with object and client IDs derived from `i`
/// (`00000000-0000-4000-8000-{i:012}`, `00000000-0000-4000-9000-{i:012}`), no redirect URIs, no
/// permissions and no service principal. Each has `secrets_each` secrets and `certificates_each`
/// certificates (one certificate shared by all of them, made at start). Without `expiring_within_days`
/// every credential ends a year after the scenario starts; with it, every tenth application's
/// credentials end within that many days (spread over the window) and the others' a year on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneratedApplications {
    /// How many registrations.
    pub count: u32,
    /// Secrets on each (optional, 0).
    #[serde(default)]
    pub secrets_each: u32,
    /// Certificates on each (optional, 0).
    #[serde(default)]
    pub certificates_each: u32,
    /// Every tenth application's credentials end within this many days (optional).
    #[serde(default)]
    pub expiring_within_days: Option<u32>,
}

/// The most registrations `generated_applications` may ask for.
pub const MAX_GENERATED_APPLICATIONS: u32 = 1_000_000;

/// One app registration of the tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationSpec {
    /// Application (client) ID.
    pub app_id: String,
    /// Object ID of the registration.
    pub object_id: String,
    /// Display name.
    pub display_name: String,
    /// `AzureADMyOrg` | `AzureADMultipleOrgs` | `AzureADandPersonalMicrosoftAccount` | `PersonalMicrosoftAccount`.
    pub sign_in_audience: String,
    /// Web platform redirect URIs.
    pub web_redirect_uris: Vec<String>,
    /// SPA platform redirect URIs.
    pub spa_redirect_uris: Vec<String>,
    /// Mobile and desktop redirect URIs.
    pub public_client_redirect_uris: Vec<String>,
    /// "Allow public client flows" (`isFallbackPublicClient`).
    pub allow_public_client_flows: bool,
    /// Whether the app may sign in (false: AADSTS7000112).
    pub enabled: bool,
    /// Requested Microsoft Graph permissions (`requiredResourceAccess`).
    pub permissions: PermissionSet,
    /// Client secrets.
    pub secrets: Vec<SecretSpec>,
    /// Registered certificates (optional, none): the `keyCredentials` Graph serves and the keys whose
    /// client assertions the token endpoint accepts. An addition to contracts/scenario.md, described at
    /// [`CertificateSpec`].
    #[serde(default)]
    pub certificates: Vec<CertificateSpec>,
    /// Whether the enterprise app (service principal) exists in the tenant.
    pub service_principal: bool,
    /// What was consented tenant-wide.
    pub consented: PermissionSet,
}

/// A multi-tenant app registered in another tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VendorAppSpec {
    /// Application (client) ID.
    pub app_id: String,
    /// Object ID of the registration in the vendor's tenant.
    pub object_id: String,
    /// Display name.
    pub display_name: String,
    /// Its sign-in audience (multi-tenant ones can be approved here).
    pub sign_in_audience: String,
    /// Web platform redirect URIs.
    pub web_redirect_uris: Vec<String>,
    /// SPA platform redirect URIs.
    pub spa_redirect_uris: Vec<String>,
    /// Mobile and desktop redirect URIs.
    pub public_client_redirect_uris: Vec<String>,
    /// "Allow public client flows".
    pub allow_public_client_flows: bool,
    /// Whether the app may sign in.
    pub enabled: bool,
    /// Requested Microsoft Graph permissions.
    pub permissions: PermissionSet,
    /// Whether its service principal exists in this tenant.
    pub service_principal: bool,
    /// What was consented in this tenant.
    pub consented: PermissionSet,
    /// The vendor's tenant GUID (optional).
    #[serde(default)]
    pub publisher_tenant_id: Option<String>,
}

/// `sign_in`: who signs in without a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInSpec {
    /// A UPN or a list of UPNs.
    #[serde(rename = "as", default)]
    pub as_users: Option<OneOrMany>,
}

/// A single string or a list of strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    /// One value.
    One(String),
    /// Several values.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The values as a list (a single value is a list of one).
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one.clone()],
            OneOrMany::Many(many) => many.clone(),
        }
    }
}

/// One injected fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// `METHOD /path` with `*` wildcards, or `SMTP`.
    #[serde(rename = "match")]
    pub matches: String,
    /// What happens.
    pub kind: FaultKind,
    /// For `status`: the status code (for SMTP: the reply code).
    #[serde(default)]
    pub status: Option<u16>,
    /// For `status`: the `Retry-After` header value (a number or a string such as `"1.5"`).
    #[serde(default)]
    pub retry_after: Option<RetryAfter>,
    /// For `hang`: how long no answer comes.
    #[serde(default)]
    pub seconds: Option<f64>,
    /// How many matching requests it affects (default: all).
    #[serde(default)]
    pub times: Option<u32>,
    /// When true the request is carried out first (the application created, the secret added)
    /// and only then answered with the fault: the reply Microsoft sent and the caller lost.
    #[serde(default)]
    pub after: bool,
}

/// The kind of a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultKind {
    /// Answer with `status` (and `retry_after`).
    Status,
    /// A truncated JSON body.
    Malformed,
    /// The connection is closed.
    Reset,
    /// No answer for `seconds`.
    Hang,
}

/// A `Retry-After` value as written in the scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RetryAfter {
    /// Written as a string, sent verbatim.
    Text(String),
    /// Written as a number.
    Number(f64),
}

impl RetryAfter {
    /// The header value.
    pub fn header_value(&self) -> String {
        match self {
            RetryAfter::Text(text) => text.clone(),
            RetryAfter::Number(number) => number.to_string(),
        }
    }
}

/// Why a scenario was refused.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A field is missing, unknown, of the wrong type or has a bad value.
    #[error("bad scenario field `{field}`: {message}")]
    Field {
        /// The path of the field, e.g. `tenants[0].users[1].mailbox`.
        field: String,
        /// What is wrong with it.
        message: String,
    },
}

impl ScenarioError {
    /// The path of the bad field, when the error is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ScenarioError::Field { field, .. } => Some(field),
            ScenarioError::Read { .. } => None,
        }
    }

    fn field_error(field: impl Into<String>, message: impl Into<String>) -> Self {
        ScenarioError::Field {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl Scenario {
    /// Parses and checks a scenario from JSON text.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let scenario: Scenario =
            serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
                let path = error.path().to_string();
                let inner = error.into_inner();
                let message = inner.to_string();
                let field = field_from_serde_message(&path, &message);
                ScenarioError::field_error(field, message)
            })?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Reads, parses and checks a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            path: path.to_owned(),
            source,
        })?;
        Scenario::from_json(&text)
    }

    /// The UPNs of `sign_in.as`, in order (empty when sign-in needs a page).
    pub fn sign_in_as(&self) -> Vec<String> {
        self.sign_in
            .as_ref()
            .and_then(|sign_in| sign_in.as_users.as_ref())
            .map(OneOrMany::to_vec)
            .unwrap_or_default()
    }

    /// Checks everything serde cannot: identifiers, permission names, references and fault shapes.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.tenants.is_empty() {
            return Err(ScenarioError::field_error(
                "tenants",
                "at least one tenant is needed",
            ));
        }
        let mut tenant_ids = HashSet::new();
        let mut domains = HashSet::new();
        let mut upns = HashSet::new();
        for (t, tenant) in self.tenants.iter().enumerate() {
            let at = format!("tenants[{t}]");
            check_guid(&format!("{at}.id"), &tenant.id)?;
            if !tenant_ids.insert(tenant.id.to_ascii_lowercase()) {
                return Err(ScenarioError::field_error(
                    format!("{at}.id"),
                    "the same tenant id appears twice",
                ));
            }
            if tenant.domains.is_empty() {
                return Err(ScenarioError::field_error(
                    format!("{at}.domains"),
                    "at least one domain is needed",
                ));
            }
            for (d, domain) in tenant.domains.iter().enumerate() {
                if !is_dns_name(domain) {
                    return Err(ScenarioError::field_error(
                        format!("{at}.domains[{d}]"),
                        format!("'{domain}' is not a DNS name"),
                    ));
                }
                if !domains.insert(domain.to_ascii_lowercase()) {
                    return Err(ScenarioError::field_error(
                        format!("{at}.domains[{d}]"),
                        format!("the domain '{domain}' appears twice"),
                    ));
                }
            }
            if let UserConsent::Policy(id) = &tenant.user_consent
                && id.trim().is_empty()
            {
                return Err(ScenarioError::field_error(
                    format!("{at}.user_consent"),
                    "legacy, low, none, recommended or a policy id; not empty",
                ));
            }
            if tenant.certificate_max_lifetime_days == Some(0) {
                return Err(ScenarioError::field_error(
                    format!("{at}.certificate_max_lifetime_days"),
                    "must be at least 1",
                ));
            }
            if tenant.secret_max_lifetime_days == Some(0) {
                return Err(ScenarioError::field_error(
                    format!("{at}.secret_max_lifetime_days"),
                    "must be at least 1 day or null",
                ));
            }
            let mut object_ids = HashSet::new();
            for (u, user) in tenant.users.iter().enumerate() {
                let at = format!("{at}.users[{u}]");
                check_guid(&format!("{at}.id"), &user.id)?;
                if !object_ids.insert(user.id.to_ascii_lowercase()) {
                    return Err(ScenarioError::field_error(
                        format!("{at}.id"),
                        "the same object id appears twice",
                    ));
                }
                let Some((_, domain)) = user.upn.split_once('@') else {
                    return Err(ScenarioError::field_error(
                        format!("{at}.upn"),
                        "a UPN looks like name@domain",
                    ));
                };
                if !tenant
                    .domains
                    .iter()
                    .any(|known| known.eq_ignore_ascii_case(domain))
                {
                    return Err(ScenarioError::field_error(
                        format!("{at}.upn"),
                        format!("the domain '{domain}' is not one of the tenant's domains"),
                    ));
                }
                if !upns.insert(user.upn.to_ascii_lowercase()) {
                    return Err(ScenarioError::field_error(
                        format!("{at}.upn"),
                        "the same UPN appears twice",
                    ));
                }
                for (e, event) in user.calendar_events.iter().enumerate() {
                    if event.end <= event.start {
                        return Err(ScenarioError::field_error(
                            format!("{at}.calendar_events[{e}].end"),
                            "must be after start",
                        ));
                    }
                }
            }
            for (r, request) in tenant.consent_requests.iter().enumerate() {
                let at = format!("{at}.consent_requests[{r}]");
                check_guid(&format!("{at}.app_id"), &request.app_id)?;
                if !tenant
                    .users
                    .iter()
                    .any(|user| user.upn.eq_ignore_ascii_case(&request.requested_by))
                {
                    return Err(ScenarioError::field_error(
                        format!("{at}.requested_by"),
                        format!("'{}' is not a user of this tenant", request.requested_by),
                    ));
                }
                if !CONSENT_REQUEST_STATUSES.contains(&request.status.as_str()) {
                    return Err(ScenarioError::field_error(
                        format!("{at}.status"),
                        format!("one of {}", CONSENT_REQUEST_STATUSES.join(", ")),
                    ));
                }
            }
            for (p, policy) in tenant.application_access_policies.iter().enumerate() {
                let at = format!("{at}.application_access_policies[{p}]");
                check_guid(&format!("{at}.app_id"), &policy.app_id)?;
                for (m, mailbox) in policy.mailboxes.iter().enumerate() {
                    if !tenant
                        .users
                        .iter()
                        .any(|user| user.upn.eq_ignore_ascii_case(mailbox))
                    {
                        return Err(ScenarioError::field_error(
                            format!("{at}.mailboxes[{m}]"),
                            format!("'{mailbox}' is not a user of this tenant"),
                        ));
                    }
                }
            }
            if let Some(generated) = &tenant.generated_applications
                && generated.count > MAX_GENERATED_APPLICATIONS
            {
                return Err(ScenarioError::field_error(
                    format!("{at}.generated_applications.count"),
                    format!("must be at most {MAX_GENERATED_APPLICATIONS}"),
                ));
            }
            let mut app_ids = HashSet::new();
            for (a, app) in tenant.applications.iter().enumerate() {
                let at = format!("{at}.applications[{a}]");
                check_app_common(
                    &at,
                    &app.app_id,
                    &app.object_id,
                    &app.sign_in_audience,
                    &app.permissions,
                    &app.consented,
                )?;
                check_redirects(
                    &at,
                    &app.web_redirect_uris,
                    &app.spa_redirect_uris,
                    &app.public_client_redirect_uris,
                )?;
                if !app_ids.insert(app.app_id.to_ascii_lowercase()) {
                    return Err(ScenarioError::field_error(
                        format!("{at}.app_id"),
                        "the same app_id appears twice",
                    ));
                }
                if !object_ids.insert(app.object_id.to_ascii_lowercase()) {
                    return Err(ScenarioError::field_error(
                        format!("{at}.object_id"),
                        "the same object id appears twice",
                    ));
                }
                check_consent_needs_sp(&at, app.service_principal, &app.consented)?;
                for (s, secret) in app.secrets.iter().enumerate() {
                    let at = format!("{at}.secrets[{s}]");
                    check_guid(&format!("{at}.key_id"), &secret.key_id)?;
                    if secret.value.is_empty() {
                        return Err(ScenarioError::field_error(
                            format!("{at}.value"),
                            "must not be empty",
                        ));
                    }
                    if secret.end <= secret.start {
                        return Err(ScenarioError::field_error(
                            format!("{at}.end"),
                            "must be after start",
                        ));
                    }
                }
                for (c, certificate) in app.certificates.iter().enumerate() {
                    let at = format!("{at}.certificates[{c}]");
                    check_guid(&format!("{at}.key_id"), &certificate.key_id)?;
                    let Some(read) = crate::certificates::CertificateInfo::from_pem(
                        &certificate.certificate_pem,
                    ) else {
                        return Err(ScenarioError::field_error(
                            format!("{at}.certificate_pem"),
                            "is not a PEM X.509 certificate",
                        ));
                    };
                    let start = certificate.start.unwrap_or(read.not_before);
                    let end = certificate.end.unwrap_or(read.not_after);
                    if end <= start {
                        return Err(ScenarioError::field_error(
                            format!("{at}.end"),
                            "must be after start",
                        ));
                    }
                }
            }
            for (a, app) in tenant.vendor_apps.iter().enumerate() {
                let at = format!("{at}.vendor_apps[{a}]");
                check_app_common(
                    &at,
                    &app.app_id,
                    &app.object_id,
                    &app.sign_in_audience,
                    &app.permissions,
                    &app.consented,
                )?;
                check_redirects(
                    &at,
                    &app.web_redirect_uris,
                    &app.spa_redirect_uris,
                    &app.public_client_redirect_uris,
                )?;
                check_consent_needs_sp(&at, app.service_principal, &app.consented)?;
                if let Some(publisher) = &app.publisher_tenant_id {
                    check_guid(&format!("{at}.publisher_tenant_id"), publisher)?;
                }
                if !app_ids.insert(app.app_id.to_ascii_lowercase()) {
                    return Err(ScenarioError::field_error(
                        format!("{at}.app_id"),
                        "the same app_id appears twice",
                    ));
                }
            }
        }
        for (c, client) in self.public_clients.iter().enumerate() {
            check_guid(&format!("public_clients[{c}]"), client)?;
        }
        if let Some(OneOrMany::Many(list)) = self.sign_in.as_ref().and_then(|s| s.as_users.as_ref())
            && list.is_empty()
        {
            return Err(ScenarioError::field_error(
                "sign_in.as",
                "the list is empty",
            ));
        }
        for (i, upn) in self.sign_in_as().iter().enumerate() {
            if !upns.contains(&upn.to_ascii_lowercase()) {
                let field = match self.sign_in.as_ref().and_then(|s| s.as_users.as_ref()) {
                    Some(OneOrMany::Many(_)) => format!("sign_in.as[{i}]"),
                    _ => "sign_in.as".to_owned(),
                };
                return Err(ScenarioError::field_error(
                    field,
                    format!("'{upn}' is not a user of any tenant"),
                ));
            }
        }
        for (f, fault) in self.faults.iter().enumerate() {
            check_fault(&format!("faults[{f}]"), fault)?;
        }
        if self.device_code_expires_in == 0 {
            return Err(ScenarioError::field_error(
                "device_code_expires_in",
                "must be at least 1 second",
            ));
        }
        if let Some(public_url) = &self.public_url {
            check_public_url(public_url)?;
        }
        Ok(())
    }
}

/// `public_url`: an absolute `http` or `https` URL with a host, and neither credentials, a query nor a
/// fragment (every URL the stand-in names is built by appending a path to it).
fn check_public_url(value: &str) -> Result<(), ScenarioError> {
    let bad = |message: &str| Err(ScenarioError::field_error("public_url", message));
    let Ok(url) = url::Url::parse(value) else {
        return bad("must be an absolute URL such as https://localhost:8443");
    };
    if !matches!(url.scheme(), "http" | "https") {
        return bad("must be an http or https URL");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return bad("must name a host");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return bad("must not carry a user name or password");
    }
    if url.query().is_some() {
        return bad("must not carry a query");
    }
    if url.fragment().is_some() {
        return bad("must not carry a fragment");
    }
    Ok(())
}

fn field_from_serde_message(path: &str, message: &str) -> String {
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    if let Some(missing) = named("missing field `") {
        return if path == "." || path.is_empty() {
            missing
        } else {
            format!("{path}.{missing}")
        };
    }
    if path == "." || path.is_empty() {
        if let Some(unknown) = named("unknown field `") {
            return unknown;
        }
        return "(document)".to_owned();
    }
    path.to_owned()
}

fn check_app_common(
    at: &str,
    app_id: &str,
    object_id: &str,
    audience: &str,
    permissions: &PermissionSet,
    consented: &PermissionSet,
) -> Result<(), ScenarioError> {
    check_guid(&format!("{at}.app_id"), app_id)?;
    check_guid(&format!("{at}.object_id"), object_id)?;
    const AUDIENCES: [&str; 4] = [
        "AzureADMyOrg",
        "AzureADMultipleOrgs",
        "AzureADandPersonalMicrosoftAccount",
        "PersonalMicrosoftAccount",
    ];
    if !AUDIENCES.contains(&audience) {
        return Err(ScenarioError::field_error(
            format!("{at}.sign_in_audience"),
            format!("'{audience}' is not one of {}", AUDIENCES.join(", ")),
        ));
    }
    for (set_name, set) in [("permissions", permissions), ("consented", consented)] {
        for (p, name) in set.delegated.iter().enumerate() {
            let (resource, bare) = permissions::split_resource(name);
            if permissions::delegated_of(resource, bare).is_none() {
                return Err(ScenarioError::field_error(
                    format!("{at}.{set_name}.delegated[{p}]"),
                    format!(
                        "'{bare}' is not {} delegated permission the stand-in knows",
                        with_article(resource.display_name())
                    ),
                ));
            }
        }
        for (p, name) in set.application.iter().enumerate() {
            let (resource, bare) = permissions::split_resource(name);
            if permissions::application_of(resource, bare).is_none() {
                return Err(ScenarioError::field_error(
                    format!("{at}.{set_name}.application[{p}]"),
                    format!(
                        "'{bare}' is not {} application permission the stand-in knows",
                        with_article(resource.display_name())
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// "a Microsoft Graph", "an Office 365 Exchange Online".
fn with_article(name: &str) -> String {
    let vowel = name
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {name}", if vowel { "an" } else { "a" })
}

fn check_consent_needs_sp(
    at: &str,
    service_principal: bool,
    consented: &PermissionSet,
) -> Result<(), ScenarioError> {
    if !service_principal && (!consented.delegated.is_empty() || !consented.application.is_empty())
    {
        return Err(ScenarioError::field_error(
            format!("{at}.consented"),
            "consent is recorded on the service principal: set service_principal to true or leave consented empty",
        ));
    }
    Ok(())
}

fn check_redirects(
    at: &str,
    web: &[String],
    spa: &[String],
    public: &[String],
) -> Result<(), ScenarioError> {
    for (kind, list) in [
        ("web_redirect_uris", web),
        ("spa_redirect_uris", spa),
        ("public_client_redirect_uris", public),
    ] {
        for (i, uri) in list.iter().enumerate() {
            if url::Url::parse(uri).is_err() {
                return Err(ScenarioError::field_error(
                    format!("{at}.{kind}[{i}]"),
                    format!("'{uri}' is not a URI"),
                ));
            }
        }
    }
    Ok(())
}

fn check_fault(at: &str, fault: &FaultSpec) -> Result<(), ScenarioError> {
    if fault.matches != "SMTP" {
        let Some((method, path)) = fault.matches.split_once(' ') else {
            return Err(ScenarioError::field_error(
                format!("{at}.match"),
                "must be `METHOD /path` (with `*` wildcards) or `SMTP`",
            ));
        };
        let method_ok =
            method == "*" || (!method.is_empty() && method.chars().all(|c| c.is_ascii_uppercase()));
        if !method_ok || !path.starts_with('/') {
            return Err(ScenarioError::field_error(
                format!("{at}.match"),
                "must be `METHOD /path` (with `*` wildcards) or `SMTP`",
            ));
        }
    }
    match fault.kind {
        FaultKind::Status => match fault.status {
            None => {
                return Err(ScenarioError::field_error(
                    format!("{at}.status"),
                    "a `status` fault needs `status`",
                ));
            }
            Some(status) if !(100..=599).contains(&status) => {
                return Err(ScenarioError::field_error(
                    format!("{at}.status"),
                    "must be between 100 and 599",
                ));
            }
            Some(status) if fault.matches == "SMTP" && !(400..=599).contains(&status) => {
                return Err(ScenarioError::field_error(
                    format!("{at}.status"),
                    "an SMTP `status` fault is a 4xx or 5xx reply code",
                ));
            }
            Some(_) => {}
        },
        FaultKind::Hang => match fault.seconds {
            None => {
                return Err(ScenarioError::field_error(
                    format!("{at}.seconds"),
                    "a `hang` fault needs `seconds`",
                ));
            }
            Some(seconds) if !(0.0..=3600.0).contains(&seconds) => {
                return Err(ScenarioError::field_error(
                    format!("{at}.seconds"),
                    "must be between 0 and 3600",
                ));
            }
            Some(_) => {}
        },
        FaultKind::Malformed | FaultKind::Reset => {}
    }
    if let Some(RetryAfter::Text(text)) = &fault.retry_after
        && text.parse::<f64>().is_err()
    {
        return Err(ScenarioError::field_error(
            format!("{at}.retry_after"),
            "must be a number of seconds",
        ));
    }
    Ok(())
}

/// Whether `value` is a GUID in its usual 8-4-4-4-12 hexadecimal form.
pub fn is_guid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Whether `value` is a syntactically valid DNS name.
pub fn is_dns_name(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 253
        && value.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn check_guid(field: &str, value: &str) -> Result<(), ScenarioError> {
    if is_guid(value) {
        Ok(())
    } else {
        Err(ScenarioError::field_error(
            field,
            format!("'{value}' is not a GUID"),
        ))
    }
}

fn yes() -> bool {
    true
}

//! The in-memory directory the stand-in serves: tenants, users, app registrations, service principals,
//! delegated grants, app role assignments, pending sign-ins and fault counters.
//!
//! It is built from a [`Scenario`] and then changed only through the wire (Graph writes, consent, sign-in).
//! Every object created through Graph carries `visible_at`; reads by other calls skip it until then, which
//! is how `replication_delay_ms` behaves like a real directory. The whole directory sits behind one mutex
//! owned by the server.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::certificates::{CertificateInfo, KeyCredential};
use crate::clock::Clock;
use crate::permissions::{self, Resource};
use crate::scenario::{
    AccessPolicySpec, AccessRight, ApplicationSpec, CalendarEventSpec, Cloud, FaultSpec,
    GeneratedApplications, MailboxKind, PermissionSet, Scenario, UserConsent, VendorAppSpec,
};
use entra_graph_catalogue::Kind;

/// A new random GUID as a lowercase string.
pub fn new_guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A random base64url identifier of `bytes` random bytes (grant IDs, codes).
pub fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    // The system RNG does not fail on supported platforms; a zeroed buffer would still be well-formed.
    let _ = aws_lc_rs::rand::fill(&mut buffer);
    URL_SAFE_NO_PAD.encode(buffer)
}

/// The whole served state.
#[derive(Debug)]
pub struct Directory {
    /// Tenants.
    pub tenants: Vec<Tenant>,
    /// Client IDs allowed to sign an admin in interactively.
    pub public_clients: Vec<String>,
    /// `sign_in.as`, in order.
    pub sign_in_as: Vec<String>,
    /// Index of the next entry of `sign_in_as` to use.
    pub sign_in_next: usize,
    /// Latency added to every answer.
    pub latency: Duration,
    /// Replication delay for objects created through Graph.
    pub replication_delay: Duration,
    /// Faults with their remaining counts.
    pub faults: Vec<ActiveFault>,
    /// Issued authorization codes.
    pub codes: HashMap<String, AuthCode>,
    /// Issued device codes.
    pub device_codes: Vec<DeviceCodeGrant>,
    /// How long a device code lives (`device_code_expires_in`).
    pub device_code_lifetime: Duration,
    /// Issued refresh tokens.
    pub refresh_tokens: HashMap<String, RefreshGrant>,
    /// Mail accepted through Graph sendMail or SMTP, oldest first.
    pub sent_mail: Vec<SentMail>,
    /// Client assertions already accepted, by client ID and `jti`, with when each stops being valid:
    /// the same `jti` is refused until then.
    pub used_assertions: HashMap<(String, String), DateTime<Utc>>,
}

/// A fault with how many more requests it affects.
#[derive(Debug, Clone)]
pub struct ActiveFault {
    /// The fault as written.
    pub spec: FaultSpec,
    /// Remaining matches; `None` = unlimited.
    pub remaining: Option<u32>,
}

/// A tenant.
#[derive(Debug, Clone)]
pub struct Tenant {
    /// Tenant GUID.
    pub id: String,
    /// Organisation name.
    pub display_name: String,
    /// Verified domains.
    pub domains: Vec<String>,
    /// National cloud.
    pub cloud: Cloud,
    /// Organisation-wide SMTP AUTH.
    pub smtp_auth_enabled: bool,
    /// User-consent setting.
    pub user_consent: UserConsent,
    /// Admin-consent request workflow.
    pub admin_consent_workflow: bool,
    /// Users' requests for admin consent, one entry per app (Graph's `appConsentRequest`).
    pub consent_requests: Vec<AppConsentRequest>,
    /// App-management policy: longest secret lifetime in days.
    pub secret_max_lifetime_days: Option<u32>,
    /// App-management policy: longest certificate lifetime in days.
    pub certificate_max_lifetime_days: Option<u32>,
    /// Whether Graph serves the app-management policy to readers.
    pub app_management_policy_readable: bool,
    /// Users.
    pub users: Vec<User>,
    /// Own app registrations.
    pub applications: Vec<Application>,
    /// Foreign multi-tenant apps that may be approved here.
    pub vendor_apps: Vec<VendorApp>,
    /// Service principals (enterprise apps), including Microsoft Graph and Exchange Online.
    pub service_principals: Vec<ServicePrincipal>,
    /// Delegated permission grants.
    pub grants: Vec<Grant>,
    /// App role assignments (application permissions granted).
    pub assignments: Vec<Assignment>,
    /// The app-management policy's ID (named in its errors).
    pub app_policy_id: String,
    /// Exchange application access policies.
    pub access_policies: Vec<AccessPolicySpec>,
}

/// The requests for admin consent to one app (Graph's `appConsentRequest`).
#[derive(Debug, Clone)]
pub struct AppConsentRequest {
    /// Its ID.
    pub id: String,
    /// The app asked for.
    pub app_id: String,
    /// The app's display name.
    pub app_display_name: String,
    /// The delegated permissions the app asks for (its `pendingScopes`).
    pub pending_scopes: Vec<String>,
    /// Each user's request (Graph's `userConsentRequest`), oldest first.
    pub user_requests: Vec<UserConsentRequest>,
}

/// One user's request for admin consent.
#[derive(Debug, Clone)]
pub struct UserConsentRequest {
    /// Its ID (also its approval's).
    pub id: String,
    /// `Initializing`, `InProgress`, `Expired` or `Completed`.
    pub status: String,
    /// The reason the user gave.
    pub reason: String,
    /// When it was made.
    pub created: DateTime<Utc>,
    /// The user's object ID.
    pub user_id: String,
    /// The user's display name.
    pub user_display_name: String,
    /// The user's UPN.
    pub user_upn: String,
}

/// A user.
#[derive(Debug, Clone)]
pub struct User {
    /// Object ID.
    pub id: String,
    /// UPN.
    pub upn: String,
    /// Display name.
    pub display_name: String,
    /// Administrator.
    pub admin: bool,
    /// May sign in.
    pub account_enabled: bool,
    /// Mailbox kind.
    pub mailbox: MailboxKind,
    /// Has an Exchange Online plan.
    pub exchange_license: bool,
    /// Per-mailbox SMTP AUTH.
    pub smtp_auth: Option<bool>,
    /// Per-mailbox IMAP (`Set-CASMailbox -ImapEnabled`).
    pub imap_enabled: bool,
    /// Events of the default calendar.
    pub calendar_events: Vec<CalendarEventSpec>,
}

impl User {
    /// Whether Exchange serves a mailbox over REST for this user.
    pub fn has_rest_mailbox(&self) -> bool {
        match self.mailbox {
            MailboxKind::User => self.exchange_license,
            MailboxKind::Shared => true,
            MailboxKind::None => false,
        }
    }
}

/// `requiredResourceAccess` entry, in Graph's JSON names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequiredResourceAccess {
    /// The resource's app ID.
    pub resource_app_id: String,
    /// The permissions.
    pub resource_access: Vec<ResourceAccess>,
}

/// One requested permission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceAccess {
    /// Permission GUID.
    pub id: String,
    /// `Scope` (delegated) or `Role` (application).
    #[serde(rename = "type")]
    pub kind: String,
}

/// The app role of default access, assigned to users of an app that defines no roles.
pub const DEFAULT_ACCESS_ROLE: &str = "00000000-0000-0000-0000-000000000000";

/// A client secret.
#[derive(Debug, Clone)]
pub struct Secret {
    /// Secret ID.
    pub key_id: String,
    /// Description.
    pub display_name: String,
    /// The value.
    pub value: String,
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// When other calls see it.
    pub visible_at: Instant,
}

/// An own app registration.
#[derive(Debug, Clone)]
pub struct Application {
    /// Object ID.
    pub object_id: String,
    /// Client ID.
    pub app_id: String,
    /// Display name.
    pub display_name: String,
    /// `uniqueName`: the alternate key a client may give it when creating it by upsert.
    pub unique_name: Option<String>,
    /// Sign-in audience.
    pub sign_in_audience: String,
    /// Web redirect URIs.
    pub web_redirect_uris: Vec<String>,
    /// SPA redirect URIs.
    pub spa_redirect_uris: Vec<String>,
    /// Public-client redirect URIs.
    pub public_client_redirect_uris: Vec<String>,
    /// `isFallbackPublicClient`.
    pub is_fallback_public_client: bool,
    /// Enabled for sign-in.
    pub enabled: bool,
    /// Identifier URIs.
    pub identifier_uris: Vec<String>,
    /// Requested permissions.
    pub required_resource_access: Vec<RequiredResourceAccess>,
    /// Secrets.
    pub secrets: Vec<Secret>,
    /// Certificates (`keyCredentials`).
    pub certificates: Vec<KeyCredential>,
    /// Created.
    pub created: DateTime<Utc>,
    /// When other calls see it.
    pub visible_at: Instant,
    /// Properties written through Graph that the stand-in only shows back (`description`, `notes`,
    /// `web.homePageUrl`, `api`, certificates in `keyCredentials`, …), merged over its JSON's defaults.
    pub shown: serde_json::Map<String, serde_json::Value>,
}

/// A foreign multi-tenant app.
#[derive(Debug, Clone)]
pub struct VendorApp {
    /// Client ID.
    pub app_id: String,
    /// Display name.
    pub display_name: String,
    /// Sign-in audience.
    pub sign_in_audience: String,
    /// All redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Public client flows allowed.
    pub allow_public_client_flows: bool,
    /// Enabled.
    pub enabled: bool,
    /// Requested permissions.
    pub permissions: PermissionSet,
    /// Publisher tenant.
    pub publisher_tenant_id: String,
}

/// What kind of service principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpKind {
    /// Microsoft Graph.
    Graph,
    /// Office 365 Exchange Online.
    Exchange,
    /// A client application.
    Client,
}

/// A service principal.
#[derive(Debug, Clone)]
pub struct ServicePrincipal {
    /// Object ID.
    pub id: String,
    /// Client ID.
    pub app_id: String,
    /// Display name.
    pub display_name: String,
    /// Owning tenant of the app.
    pub app_owner_organization_id: String,
    /// Sign-in audience.
    pub sign_in_audience: String,
    /// Enabled.
    pub account_enabled: bool,
    /// Kind.
    pub kind: SpKind,
    /// Reply URLs.
    pub reply_urls: Vec<String>,
    /// `appRoleAssignmentRequired`: only users (and groups) assigned to the app may sign in to it.
    pub app_role_assignment_required: bool,
    /// When other calls see it.
    pub visible_at: Instant,
}

/// A delegated permission grant.
#[derive(Debug, Clone)]
pub struct Grant {
    /// Grant ID.
    pub id: String,
    /// Client service principal ID.
    pub client_id: String,
    /// `AllPrincipals` | `Principal`.
    pub consent_type: String,
    /// The user for `Principal`.
    pub principal_id: Option<String>,
    /// Resource service principal ID.
    pub resource_id: String,
    /// Space-separated scopes.
    pub scope: String,
    /// When other calls see it.
    pub visible_at: Instant,
}

/// An app role assignment.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// Assignment ID.
    pub id: String,
    /// App role GUID.
    pub app_role_id: String,
    /// Client service principal ID, or the assigned user's object ID.
    pub principal_id: String,
    /// Client display name, or the user's.
    pub principal_display_name: String,
    /// `ServicePrincipal`, or `User` for a user assigned to an enterprise application.
    pub principal_type: &'static str,
    /// Resource service principal ID.
    pub resource_id: String,
    /// Resource display name.
    pub resource_display_name: String,
    /// Created.
    pub created: DateTime<Utc>,
    /// When other calls see it.
    pub visible_at: Instant,
}

/// An authorization code waiting to be redeemed.
#[derive(Debug, Clone)]
pub struct AuthCode {
    /// Tenant GUID.
    pub tenant_id: String,
    /// Client ID.
    pub client_id: String,
    /// Redirect URI as sent on /authorize.
    pub redirect_uri: String,
    /// PKCE challenge.
    pub code_challenge: Option<String>,
    /// PKCE method (`S256` or `plain`).
    pub code_challenge_method: Option<String>,
    /// The signed-in user.
    pub user_id: String,
    /// Requested scopes.
    pub scopes: Vec<String>,
    /// `nonce` for the ID token.
    pub nonce: Option<String>,
    /// The sign-in session the code comes from (the tokens' `sid`, the redirect's `session_state`).
    pub session_id: String,
    /// Expiry.
    pub expires: Instant,
    /// Already redeemed.
    pub redeemed: bool,
}

/// Device-code flow status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceStatus {
    /// Waiting for the user.
    Pending,
    /// Approved by this user ID.
    Approved(String),
    /// The user declined.
    Declined,
    /// Redeemed.
    Redeemed,
}

/// A device code.
#[derive(Debug, Clone)]
pub struct DeviceCodeGrant {
    /// The device code.
    pub device_code: String,
    /// The user code.
    pub user_code: String,
    /// Tenant GUID.
    pub tenant_id: String,
    /// Client ID.
    pub client_id: String,
    /// Requested scopes.
    pub scopes: Vec<String>,
    /// Expiry.
    pub expires: Instant,
    /// Status.
    pub status: DeviceStatus,
}

/// A refresh token's grant.
#[derive(Debug, Clone)]
pub struct RefreshGrant {
    /// Tenant GUID.
    pub tenant_id: String,
    /// Client ID.
    pub client_id: String,
    /// User ID.
    pub user_id: String,
    /// Scopes originally requested.
    pub scopes: Vec<String>,
    /// The sign-in session it belongs to: tokens it yields keep its `sid`.
    pub session_id: String,
    /// When it was issued.
    pub issued: DateTime<Utc>,
    /// The user's sessions were revoked (Graph's `revokeSignInSessions`): the `TokensValidFrom` time
    /// before which it was issued, so that it is refused (AADSTS50173).
    pub revoked: Option<DateTime<Utc>>,
}

/// A message accepted for delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SentMail {
    /// `graph` or `smtp`.
    pub via: String,
    /// The sending mailbox.
    pub from: String,
    /// Recipients.
    pub to: Vec<String>,
    /// Subject (Graph) or the first `Subject:` header (SMTP).
    pub subject: String,
}

/// A client as the identity platform sees it, from whichever registration it comes.
#[derive(Debug, Clone)]
pub struct ClientView {
    /// Client ID.
    pub app_id: String,
    /// Display name.
    pub display_name: String,
    /// Sign-in audience.
    pub sign_in_audience: String,
    /// Web redirect URIs.
    pub web_redirect_uris: Vec<String>,
    /// SPA and public-client redirect URIs.
    pub other_redirect_uris: Vec<String>,
    /// Public client (no secret expected).
    pub is_public: bool,
    /// Whether device code is allowed.
    pub allow_public_client_flows: bool,
    /// Enabled.
    pub enabled: bool,
    /// Secrets (own registrations only).
    pub secrets: Vec<Secret>,
    /// Certificates whose client assertions are accepted (the home registration's).
    pub certificates: Vec<KeyCredential>,
    /// The request at hand proved the client with a certificate (its tokens' `appidacr` is `2`).
    pub certificate_used: bool,
    /// One of the scenario's `public_clients` (dynamic consent for admins).
    pub first_party_public: bool,
    /// Requested permissions by name.
    pub permissions: PermissionSet,
}

impl ClientView {
    /// All redirect URIs.
    pub fn redirect_uris(&self) -> impl Iterator<Item = &String> {
        self.web_redirect_uris
            .iter()
            .chain(self.other_redirect_uris.iter())
    }
}

impl Directory {
    /// Builds the directory a scenario describes, as of `clock`'s current time.
    pub fn from_scenario(scenario: &Scenario, clock: &Clock) -> Directory {
        let (now, created) = (clock.now(), clock.utc());
        let tenants = scenario
            .tenants
            .iter()
            .map(|spec| build_tenant(spec, now, created))
            .collect();
        Directory {
            tenants,
            public_clients: scenario
                .public_clients
                .iter()
                .map(|c| c.to_ascii_lowercase())
                .collect(),
            sign_in_as: scenario.sign_in_as(),
            sign_in_next: 0,
            latency: Duration::from_millis(scenario.latency_ms),
            replication_delay: Duration::from_millis(scenario.replication_delay_ms),
            faults: scenario
                .faults
                .iter()
                .map(|spec| ActiveFault {
                    spec: spec.clone(),
                    remaining: spec.times,
                })
                .collect(),
            codes: HashMap::new(),
            device_codes: Vec::new(),
            device_code_lifetime: Duration::from_secs(scenario.device_code_expires_in),
            refresh_tokens: HashMap::new(),
            sent_mail: Vec::new(),
            used_assertions: HashMap::new(),
        }
    }

    /// When an object created at `now` becomes visible to other calls.
    pub fn visible_from(&self, now: Instant) -> Instant {
        now + self.replication_delay
    }

    /// Finds a tenant by GUID or domain (case-insensitive).
    pub fn tenant_index(&self, key: &str) -> Option<usize> {
        self.tenants.iter().position(|tenant| {
            tenant.id.eq_ignore_ascii_case(key)
                || tenant
                    .domains
                    .iter()
                    .any(|domain| domain.eq_ignore_ascii_case(key))
        })
    }

    /// Revokes the sign-in sessions of user `user_id` at `now`, as Graph's `revokeSignInSessions` does:
    /// every refresh token issued to them so far is refused from then on (AADSTS50173); a new sign-in
    /// gets working ones. Returns how many refresh tokens were revoked.
    pub fn revoke_sign_in_sessions(&mut self, user_id: &str, now: DateTime<Utc>) -> usize {
        let mut revoked = 0;
        for grant in self.refresh_tokens.values_mut() {
            if grant.user_id.eq_ignore_ascii_case(user_id) && grant.revoked.is_none() {
                grant.revoked = Some(now);
                revoked += 1;
            }
        }
        revoked
    }

    /// Finds the tenant whose domain matches a UPN's.
    pub fn tenant_of_upn(&self, upn: &str) -> Option<usize> {
        self.tenants
            .iter()
            .position(|tenant| tenant.user_by_upn(upn).is_some())
    }

    /// The next user of `sign_in.as` ("next" walks the list once and stays on its last entry).
    pub fn next_sign_in(&mut self) -> Option<String> {
        if self.sign_in_as.is_empty() {
            return None;
        }
        let index = self.sign_in_next.min(self.sign_in_as.len() - 1);
        if self.sign_in_next < self.sign_in_as.len() {
            self.sign_in_next += 1;
        }
        self.sign_in_as.get(index).cloned()
    }

    /// Whether `client_id` is one of the scenario's public clients.
    pub fn is_public_client(&self, client_id: &str) -> bool {
        self.public_clients
            .iter()
            .any(|c| c.eq_ignore_ascii_case(client_id))
    }

    /// The client `client_id` as tenant `t` sees it at `now`: an own registration, a vendor app, a
    /// multi-tenant app of another tenant of the scenario, or one of the public clients. A vendor app or a
    /// multi-tenant app registered in another tenant of the scenario carries that registration's secrets
    /// and certificates.
    pub fn client_view(&self, t: usize, client_id: &str, now: Instant) -> Option<ClientView> {
        let tenant = &self.tenants[t];
        if let Some(app) = tenant.application_by_app_id(client_id, now) {
            return Some(app.client_view(now, false));
        }
        // A multi-tenant app registered in another tenant of the scenario proves itself there with its
        // home registration's credentials, as in Entra (the app object holds them, not the tenants
        // that consented to it).
        let home = self
            .tenants
            .iter()
            .enumerate()
            .filter(|(index, _)| *index != t)
            .find_map(|(_, other)| other.application_by_app_id(client_id, now))
            .filter(|app| app.sign_in_audience != "AzureADMyOrg")
            .map(|app| app.client_view(now, false));
        if let Some(vendor) = tenant
            .vendor_apps
            .iter()
            .find(|v| v.app_id.eq_ignore_ascii_case(client_id))
        {
            let (secrets, certificates) = home
                .map(|home| (home.secrets, home.certificates))
                .unwrap_or_default();
            return Some(ClientView {
                app_id: vendor.app_id.clone(),
                display_name: vendor.display_name.clone(),
                sign_in_audience: vendor.sign_in_audience.clone(),
                web_redirect_uris: vendor.redirect_uris.clone(),
                other_redirect_uris: Vec::new(),
                is_public: false,
                allow_public_client_flows: vendor.allow_public_client_flows,
                enabled: vendor.enabled,
                secrets,
                certificates,
                certificate_used: false,
                first_party_public: false,
                permissions: vendor.permissions.clone(),
            });
        }
        if let Some(view) = home {
            return Some(view);
        }
        if self.is_public_client(client_id) {
            return Some(ClientView {
                app_id: client_id.to_ascii_lowercase(),
                display_name: if client_id
                    .eq_ignore_ascii_case(crate::scenario::GRAPH_CLI_CLIENT_ID)
                {
                    "Microsoft Graph Command Line Tools".to_owned()
                } else {
                    "Public client".to_owned()
                },
                sign_in_audience: "AzureADMultipleOrgs".to_owned(),
                web_redirect_uris: Vec::new(),
                other_redirect_uris: vec!["http://localhost".to_owned()],
                is_public: true,
                allow_public_client_flows: true,
                enabled: true,
                secrets: Vec::new(),
                certificates: Vec::new(),
                certificate_used: false,
                first_party_public: true,
                permissions: PermissionSet::default(),
            });
        }
        None
    }
}

fn build_tenant(
    spec: &crate::scenario::TenantSpec,
    now: Instant,
    created: DateTime<Utc>,
) -> Tenant {
    let mut tenant = Tenant {
        id: spec.id.to_ascii_lowercase(),
        display_name: spec.display_name.clone(),
        domains: spec.domains.clone(),
        cloud: spec.cloud,
        smtp_auth_enabled: spec.smtp_auth_enabled,
        user_consent: spec.user_consent.clone(),
        admin_consent_workflow: spec.admin_consent_workflow,
        consent_requests: consent_requests_from_spec(spec),
        secret_max_lifetime_days: spec.secret_max_lifetime_days,
        certificate_max_lifetime_days: spec.certificate_max_lifetime_days,
        app_management_policy_readable: spec.app_management_policy_readable,
        users: spec
            .users
            .iter()
            .map(|user| User {
                id: user.id.to_ascii_lowercase(),
                upn: user.upn.clone(),
                display_name: user.display_name.clone(),
                admin: user.admin,
                account_enabled: user.account_enabled,
                mailbox: user.mailbox,
                exchange_license: user.exchange_license,
                smtp_auth: user.smtp_auth,
                imap_enabled: user.imap_enabled,
                calendar_events: user.calendar_events.clone(),
            })
            .collect(),
        applications: spec
            .applications
            .iter()
            .map(|app| application_from_spec(app, created, now))
            .chain(
                spec.generated_applications
                    .iter()
                    .flat_map(|generated| generated_applications(generated, created, now)),
            )
            .collect(),
        vendor_apps: spec.vendor_apps.iter().map(vendor_from_spec).collect(),
        service_principals: Vec::new(),
        grants: Vec::new(),
        assignments: Vec::new(),
        app_policy_id: new_guid(),
        access_policies: spec.application_access_policies.clone(),
    };
    for resource in [Resource::Graph, Resource::Exchange] {
        tenant.service_principals.push(ServicePrincipal {
            id: new_guid(),
            app_id: resource.app_id().to_owned(),
            display_name: resource.display_name().to_owned(),
            app_owner_organization_id: permissions::MICROSOFT_SERVICES_TENANT.to_owned(),
            sign_in_audience: "AzureADMultipleOrgs".to_owned(),
            account_enabled: true,
            kind: if resource == Resource::Graph {
                SpKind::Graph
            } else {
                SpKind::Exchange
            },
            reply_urls: Vec::new(),
            app_role_assignment_required: false,
            visible_at: now,
        });
    }
    let own = spec.applications.iter().map(|app| {
        (
            app.app_id.clone(),
            app.display_name.clone(),
            app.sign_in_audience.clone(),
            app.service_principal,
            app.consented.clone(),
            spec.id.clone(),
        )
    });
    let vendors = spec.vendor_apps.iter().map(|app| {
        (
            app.app_id.clone(),
            app.display_name.clone(),
            app.sign_in_audience.clone(),
            app.service_principal,
            app.consented.clone(),
            app.publisher_tenant_id
                .clone()
                .unwrap_or_else(|| "72f988bf-86f1-41af-91ab-2d7cd011db47".to_owned()),
        )
    });
    for (app_id, display_name, audience, has_sp, consented, owner) in
        own.chain(vendors).collect::<Vec<_>>()
    {
        if !has_sp {
            continue;
        }
        let sp_id = tenant.add_client_sp(&app_id, &display_name, &audience, &owner, now);
        for resource in [Resource::Graph, Resource::Exchange] {
            let scopes: Vec<&str> = consented
                .delegated
                .iter()
                .map(|name| permissions::split_resource(name))
                .filter(|(r, _)| *r == resource)
                .map(|(_, name)| name)
                .collect();
            if scopes.is_empty() {
                continue;
            }
            let resource_id = tenant.resource_sp(resource).id.clone();
            tenant.grants.push(Grant {
                id: random_token(32),
                client_id: sp_id.clone(),
                consent_type: "AllPrincipals".to_owned(),
                principal_id: None,
                resource_id,
                scope: scopes.join(" "),
                visible_at: now,
            });
        }
        for role in &consented.application {
            let (resource, name) = permissions::split_resource(role);
            if let Some(permission) = permissions::application_of(resource, name) {
                tenant.add_assignment_on(resource, &sp_id, permission.id, created, now);
            }
        }
    }
    tenant
}

fn application_from_spec(
    app: &ApplicationSpec,
    created: DateTime<Utc>,
    now: Instant,
) -> Application {
    Application {
        object_id: app.object_id.to_ascii_lowercase(),
        app_id: app.app_id.to_ascii_lowercase(),
        display_name: app.display_name.clone(),
        unique_name: None,
        sign_in_audience: app.sign_in_audience.clone(),
        web_redirect_uris: app.web_redirect_uris.clone(),
        spa_redirect_uris: app.spa_redirect_uris.clone(),
        public_client_redirect_uris: app.public_client_redirect_uris.clone(),
        is_fallback_public_client: app.allow_public_client_flows,
        enabled: app.enabled,
        identifier_uris: Vec::new(),
        required_resource_access: required_resource_access(&app.permissions),
        secrets: app
            .secrets
            .iter()
            .map(|secret| Secret {
                key_id: secret.key_id.to_ascii_lowercase(),
                display_name: secret.display_name.clone(),
                value: secret.value.clone(),
                start: secret.start,
                end: secret.end,
                visible_at: now,
            })
            .collect(),
        certificates: app
            .certificates
            .iter()
            .filter_map(|spec| {
                // The scenario's checks have read every certificate already.
                let certificate = CertificateInfo::from_pem(&spec.certificate_pem)?;
                Some(KeyCredential {
                    key_id: spec.key_id.to_ascii_lowercase(),
                    display_name: spec.display_name.clone(),
                    start: spec.start.unwrap_or(certificate.not_before),
                    end: spec.end.unwrap_or(certificate.not_after),
                    certificate: Arc::new(certificate),
                    kind: "AsymmetricX509Cert".to_owned(),
                    usage: "Verify".to_owned(),
                    visible_at: now,
                })
            })
            .collect(),
        created,
        visible_at: now,
        shown: serde_json::Map::new(),
    }
}

/// A GUID-shaped ID numbered `index` (`00000000-0000-4000-{group}-{index:012}`).
fn numbered_guid(group: &str, index: u32) -> String {
    format!("00000000-0000-4000-{group}-{index:012}")
}

/// The registrations `generated_applications` asks for, sharing one certificate.
fn generated_applications(
    spec: &GeneratedApplications,
    created: DateTime<Utc>,
    now: Instant,
) -> Vec<Application> {
    let certificate = (spec.certificates_each > 0).then(|| Arc::new(generated_certificate()));
    let year = created + chrono::Duration::days(365);
    let end_of = |index: u32| match spec.expiring_within_days {
        Some(days) if index.is_multiple_of(10) => {
            let window = i64::from(days.max(1)) * 86_400;
            let offset = (i64::from(index / 10) * 7_919) % window;
            created + chrono::Duration::seconds(offset.max(60))
        }
        _ => year,
    };
    (0..spec.count)
        .map(|index| {
            let end = end_of(index);
            Application {
                object_id: numbered_guid("8000", index),
                app_id: numbered_guid("9000", index),
                display_name: format!("Generated app {index}"),
                unique_name: None,
                sign_in_audience: "AzureADMyOrg".to_owned(),
                web_redirect_uris: Vec::new(),
                spa_redirect_uris: Vec::new(),
                public_client_redirect_uris: Vec::new(),
                is_fallback_public_client: false,
                enabled: true,
                identifier_uris: Vec::new(),
                required_resource_access: Vec::new(),
                secrets: (0..spec.secrets_each)
                    .map(|s| Secret {
                        key_id: numbered_guid(&format!("a{s:03}"), index),
                        display_name: format!("secret {s}"),
                        value: format!("G{s}x~generated-{index:012}"),
                        start: created,
                        end,
                        visible_at: now,
                    })
                    .collect(),
                certificates: certificate
                    .iter()
                    .flat_map(|certificate| {
                        (0..spec.certificates_each).map(move |c| KeyCredential {
                            key_id: numbered_guid(&format!("b{c:03}"), index),
                            display_name: certificate.subject.clone(),
                            certificate: Arc::clone(certificate),
                            start: created,
                            end,
                            kind: "AsymmetricX509Cert".to_owned(),
                            usage: "Verify".to_owned(),
                            visible_at: now,
                        })
                    })
                    .collect(),
                created,
                visible_at: now,
                shown: serde_json::Map::new(),
            }
        })
        .collect()
}

/// The one certificate generated applications hold: a self-signed `CN=Generated app certificate`.
fn generated_certificate() -> CertificateInfo {
    let made = rcgen::CertificateParams::new(Vec::<String>::new())
        .and_then(|mut params| {
            let mut name = rcgen::DistinguishedName::new();
            name.push(rcgen::DnType::CommonName, "Generated app certificate");
            params.distinguished_name = name;
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2049, 12, 31);
            let key = rcgen::KeyPair::generate()?;
            params.self_signed(&key)
        })
        .ok()
        .and_then(|cert| CertificateInfo::from_der(cert.der()));
    // rcgen's ECDSA key generation and its own DER do not fail; a placeholder keeps the shape anyway.
    made.unwrap_or_else(|| CertificateInfo {
        der: Vec::new(),
        sha1: [0; 20],
        sha256: [0; 32],
        subject: "CN=Generated app certificate".to_owned(),
        not_before: DateTime::<Utc>::MIN_UTC,
        not_after: DateTime::<Utc>::MAX_UTC,
        rsa_public_key: None,
    })
}

/// `consent_requests[]` grouped by app (in the order each app first appears), each user's request
/// naming the user it came from; the pending scopes are what the app asks for, when the scenario knows it.
fn consent_requests_from_spec(spec: &crate::scenario::TenantSpec) -> Vec<AppConsentRequest> {
    let mut requests: Vec<AppConsentRequest> = Vec::new();
    for request in &spec.consent_requests {
        let app_id = request.app_id.to_ascii_lowercase();
        let index = match requests.iter().position(|r| r.app_id == app_id) {
            Some(index) => index,
            None => {
                let asked = spec
                    .applications
                    .iter()
                    .find(|a| a.app_id.eq_ignore_ascii_case(&app_id))
                    .map(|a| &a.permissions)
                    .or_else(|| {
                        spec.vendor_apps
                            .iter()
                            .find(|v| v.app_id.eq_ignore_ascii_case(&app_id))
                            .map(|v| &v.permissions)
                    });
                requests.push(AppConsentRequest {
                    id: new_guid(),
                    app_id: app_id.clone(),
                    app_display_name: request.app_display_name.clone(),
                    pending_scopes: asked
                        .map(|p| {
                            p.delegated
                                .iter()
                                .map(|name| permissions::split_resource(name).1.to_owned())
                                .collect()
                        })
                        .unwrap_or_default(),
                    user_requests: Vec::new(),
                });
                requests.len() - 1
            }
        };
        let user = spec
            .users
            .iter()
            .find(|u| u.upn.eq_ignore_ascii_case(&request.requested_by));
        requests[index].user_requests.push(UserConsentRequest {
            id: new_guid(),
            status: request.status.clone(),
            reason: request.reason.clone(),
            created: request.created,
            user_id: user.map(|u| u.id.to_ascii_lowercase()).unwrap_or_default(),
            user_display_name: user.map(|u| u.display_name.clone()).unwrap_or_default(),
            user_upn: user.map_or_else(|| request.requested_by.clone(), |u| u.upn.clone()),
        });
    }
    requests
}

fn vendor_from_spec(app: &VendorAppSpec) -> VendorApp {
    VendorApp {
        app_id: app.app_id.to_ascii_lowercase(),
        display_name: app.display_name.clone(),
        sign_in_audience: app.sign_in_audience.clone(),
        redirect_uris: app
            .web_redirect_uris
            .iter()
            .chain(&app.spa_redirect_uris)
            .chain(&app.public_client_redirect_uris)
            .cloned()
            .collect(),
        allow_public_client_flows: app.allow_public_client_flows,
        enabled: app.enabled,
        permissions: app.permissions.clone(),
        publisher_tenant_id: app.publisher_tenant_id.clone().unwrap_or_default(),
    }
}

/// `requiredResourceAccess` for a scenario's permission names: Microsoft Graph's entry first, then
/// Office 365 Exchange Online's for the names with [`permissions::EXCHANGE_PREFIX`].
pub fn required_resource_access(set: &PermissionSet) -> Vec<RequiredResourceAccess> {
    [Resource::Graph, Resource::Exchange]
        .into_iter()
        .filter_map(|resource| {
            let mine = |names: &[String], kind: &str| -> Vec<ResourceAccess> {
                names
                    .iter()
                    .map(|name| permissions::split_resource(name))
                    .filter(|(r, _)| *r == resource)
                    .filter_map(|(_, name)| {
                        if kind == "Scope" {
                            permissions::delegated_of(resource, name)
                        } else {
                            permissions::application_of(resource, name)
                        }
                    })
                    .map(|p| ResourceAccess {
                        id: p.id.to_owned(),
                        kind: kind.to_owned(),
                    })
                    .collect()
            };
            let mut access = mine(&set.delegated, "Scope");
            access.extend(mine(&set.application, "Role"));
            (!access.is_empty()).then(|| RequiredResourceAccess {
                resource_app_id: resource.app_id().to_owned(),
                resource_access: access,
            })
        })
        .collect()
}

/// The permission names a `requiredResourceAccess` asks for, as a scenario writes them (Office 365
/// Exchange Online's with [`permissions::EXCHANGE_PREFIX`]); other resources are left out.
pub fn permissions_of(required: &[RequiredResourceAccess]) -> PermissionSet {
    let mut set = PermissionSet::default();
    for entry in required {
        let Some((resource, _)) =
            Resource::from_identifier(&entry.resource_app_id.to_ascii_lowercase())
        else {
            continue;
        };
        let catalogue = resource.catalogue();
        for access in &entry.resource_access {
            let (kind, list) = match access.kind.as_str() {
                "Role" => (Kind::Role, &mut set.application),
                "Scope" => (Kind::Scope, &mut set.delegated),
                _ => continue,
            };
            if let Some(permission) = catalogue.by_id(kind, &access.id) {
                list.push(permissions::scenario_name(resource, permission.value));
            }
        }
    }
    set
}

impl Application {
    /// How the identity platform sees this registration.
    pub fn client_view(&self, now: Instant, first_party_public: bool) -> ClientView {
        ClientView {
            app_id: self.app_id.clone(),
            display_name: self.display_name.clone(),
            sign_in_audience: self.sign_in_audience.clone(),
            web_redirect_uris: self.web_redirect_uris.clone(),
            other_redirect_uris: self
                .spa_redirect_uris
                .iter()
                .chain(&self.public_client_redirect_uris)
                .cloned()
                .collect(),
            is_public: self.is_fallback_public_client
                && self.secrets.is_empty()
                && self.certificates.is_empty(),
            allow_public_client_flows: self.is_fallback_public_client,
            enabled: self.enabled,
            secrets: self
                .secrets
                .iter()
                .filter(|s| s.visible_at <= now)
                .cloned()
                .collect(),
            certificates: self
                .certificates
                .iter()
                .filter(|c| c.visible_at <= now)
                .cloned()
                .collect(),
            certificate_used: false,
            first_party_public,
            permissions: permissions_of(&self.required_resource_access),
        }
    }
}

impl Tenant {
    /// Whether the tenant's application access policies keep app-only calls of `app_id` out of `mailbox`:
    /// a `DenyAccess` policy of the app naming it, or `RestrictAccess` policies of the app none of which
    /// names it. Apps without a policy reach every mailbox, as in Exchange Online.
    pub fn access_policy_denies(&self, app_id: &str, mailbox: &str) -> bool {
        let mut restricted = false;
        let mut allowed = false;
        for policy in self
            .access_policies
            .iter()
            .filter(|policy| policy.app_id.eq_ignore_ascii_case(app_id))
        {
            let member = policy
                .mailboxes
                .iter()
                .any(|upn| upn.eq_ignore_ascii_case(mailbox));
            match policy.access_right {
                AccessRight::DenyAccess if member => return true,
                AccessRight::DenyAccess => {}
                AccessRight::RestrictAccess => {
                    restricted = true;
                    allowed |= member;
                }
            }
        }
        restricted && !allowed
    }

    /// A user by UPN (case-insensitive).
    pub fn user_by_upn(&self, upn: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|user| user.upn.eq_ignore_ascii_case(upn))
    }

    /// A user by object ID or UPN.
    pub fn user_by_key(&self, key: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|user| user.id.eq_ignore_ascii_case(key) || user.upn.eq_ignore_ascii_case(key))
    }

    /// A visible own registration by client ID.
    pub fn application_by_app_id(&self, app_id: &str, now: Instant) -> Option<&Application> {
        self.applications
            .iter()
            .find(|app| app.app_id.eq_ignore_ascii_case(app_id) && app.visible_at <= now)
    }

    /// The service principal of a first-party resource.
    pub fn resource_sp(&self, resource: Resource) -> &ServicePrincipal {
        let kind = match resource {
            Resource::Graph => SpKind::Graph,
            Resource::Exchange => SpKind::Exchange,
        };
        // build_tenant always creates both resource service principals.
        self.service_principals
            .iter()
            .find(|sp| sp.kind == kind)
            .unwrap_or(&self.service_principals[0])
    }

    /// A visible service principal by client ID.
    pub fn sp_by_app_id(&self, app_id: &str, now: Instant) -> Option<&ServicePrincipal> {
        self.service_principals
            .iter()
            .find(|sp| sp.app_id.eq_ignore_ascii_case(app_id) && sp.visible_at <= now)
    }

    /// Adds a client service principal visible from `visible_at`; returns its ID.
    pub fn add_client_sp(
        &mut self,
        app_id: &str,
        display_name: &str,
        audience: &str,
        owner: &str,
        visible_at: Instant,
    ) -> String {
        // Copied from the registration's web redirect URIs: an own one, or a vendor's.
        let reply_urls = self
            .applications
            .iter()
            .find(|app| app.app_id.eq_ignore_ascii_case(app_id))
            .map(|app| app.web_redirect_uris.clone())
            .or_else(|| {
                self.vendor_apps
                    .iter()
                    .find(|app| app.app_id.eq_ignore_ascii_case(app_id))
                    .map(|app| app.redirect_uris.clone())
            })
            .unwrap_or_default();
        let id = new_guid();
        self.service_principals.push(ServicePrincipal {
            id: id.clone(),
            app_id: app_id.to_ascii_lowercase(),
            display_name: display_name.to_owned(),
            app_owner_organization_id: owner.to_ascii_lowercase(),
            sign_in_audience: audience.to_owned(),
            account_enabled: true,
            kind: SpKind::Client,
            reply_urls,
            app_role_assignment_required: false,
            visible_at,
        });
        id
    }

    /// Adds an app role assignment of a Graph app role to a client service principal.
    pub fn add_assignment(
        &mut self,
        principal_id: &str,
        app_role_id: &str,
        created: DateTime<Utc>,
        visible_at: Instant,
    ) -> Assignment {
        self.add_assignment_on(
            Resource::Graph,
            principal_id,
            app_role_id,
            created,
            visible_at,
        )
    }

    /// Adds an app role assignment of one of `resource`'s app roles to a client service principal.
    pub fn add_assignment_on(
        &mut self,
        resource: Resource,
        principal_id: &str,
        app_role_id: &str,
        created: DateTime<Utc>,
        visible_at: Instant,
    ) -> Assignment {
        let principal_display_name = self
            .service_principals
            .iter()
            .find(|sp| sp.id == principal_id)
            .map(|sp| sp.display_name.clone())
            .unwrap_or_default();
        let resource = self.resource_sp(resource);
        let assignment = Assignment {
            id: random_token(32),
            app_role_id: app_role_id.to_ascii_lowercase(),
            principal_id: principal_id.to_owned(),
            principal_display_name,
            principal_type: "ServicePrincipal",
            resource_id: resource.id.clone(),
            resource_display_name: resource.display_name.clone(),
            created,
            visible_at,
        };
        self.assignments.push(assignment.clone());
        assignment
    }

    /// Whether `user_id` may sign in to the client `client_app_id`: always, unless its enterprise
    /// application requires assignment and the user is not assigned to it (AADSTS50105).
    pub fn user_may_sign_in(&self, client_app_id: &str, user_id: &str, now: Instant) -> bool {
        let Some(sp) = self.sp_by_app_id(client_app_id, now) else {
            return true;
        };
        !sp.app_role_assignment_required
            || self.assignments.iter().any(|a| {
                a.resource_id == sp.id
                    && a.principal_id.eq_ignore_ascii_case(user_id)
                    && a.visible_at <= now
            })
    }

    /// Assigns the user `user_id` to the enterprise application `sp_id` with default access.
    pub fn assign_user(
        &mut self,
        sp_id: &str,
        user_id: &str,
        created: DateTime<Utc>,
        visible_at: Instant,
    ) -> Option<Assignment> {
        let user = self.user_by_key(user_id)?;
        let sp = self.service_principals.iter().find(|sp| sp.id == sp_id)?;
        let assignment = Assignment {
            id: random_token(32),
            app_role_id: DEFAULT_ACCESS_ROLE.to_owned(),
            principal_id: user.id.clone(),
            principal_display_name: user.display_name.clone(),
            principal_type: "User",
            resource_id: sp.id.clone(),
            resource_display_name: sp.display_name.clone(),
            created,
            visible_at,
        };
        self.assignments.push(assignment.clone());
        Some(assignment)
    }

    /// Delegated scopes granted to a client for a user (AllPrincipals plus the user's own grants) on
    /// `resource`'s service principal. For Office 365 Exchange Online, the mail-protocol scopes
    /// (`SMTP.Send`, `IMAP.AccessAsUser.All`, …) granted under Microsoft Graph's names count too: the
    /// admin center offers them there as well.
    pub fn granted_scopes(
        &self,
        resource: Resource,
        client_app_id: &str,
        user_id: &str,
        now: Instant,
    ) -> Vec<String> {
        let Some(sp) = self.sp_by_app_id(client_app_id, now) else {
            return Vec::new();
        };
        let on = |resource: Resource| {
            let resource_id = &self.resource_sp(resource).id;
            self.grants
                .iter()
                .filter(move |g| {
                    g.client_id == sp.id && &g.resource_id == resource_id && g.visible_at <= now
                })
                .filter(|grant| {
                    grant.consent_type == "AllPrincipals"
                        || grant.principal_id.as_deref() == Some(user_id)
                })
                .flat_map(|grant| grant.scope.split_whitespace())
        };
        let mut scopes: Vec<String> = Vec::new();
        let aliases = (resource == Resource::Exchange)
            .then(|| on(Resource::Graph).filter(|s| permissions::EXCHANGE_SCOPES.contains(s)))
            .into_iter()
            .flatten();
        for scope in on(resource).chain(aliases) {
            if !scopes.iter().any(|s| s == scope) {
                scopes.push(scope.to_owned());
            }
        }
        scopes
    }

    /// Application permissions (role values) granted to a client on `resource`.
    pub fn granted_roles(
        &self,
        resource: Resource,
        client_app_id: &str,
        now: Instant,
    ) -> Vec<String> {
        let Some(sp) = self.sp_by_app_id(client_app_id, now) else {
            return Vec::new();
        };
        let resource_id = &self.resource_sp(resource).id;
        self.assignments
            .iter()
            .filter(|a| {
                a.principal_id == sp.id && &a.resource_id == resource_id && a.visible_at <= now
            })
            .filter_map(|a| {
                resource
                    .catalogue()
                    .by_id(Kind::Role, &a.app_role_id)
                    .map(|p| p.value.to_owned())
            })
            .collect()
    }

    /// Records delegated consent on `resource`: merges scopes into the client's grant of that consent
    /// type on that resource's service principal.
    pub fn record_delegated_consent(
        &mut self,
        resource: Resource,
        client_sp_id: &str,
        principal_id: Option<&str>,
        scopes: &[String],
        now: Instant,
    ) {
        let resource_id = self.resource_sp(resource).id.clone();
        let consent_type = if principal_id.is_some() {
            "Principal"
        } else {
            "AllPrincipals"
        };
        if let Some(grant) = self.grants.iter_mut().find(|g| {
            g.client_id == client_sp_id
                && g.resource_id == resource_id
                && g.consent_type == consent_type
                && g.principal_id.as_deref() == principal_id
        }) {
            for scope in scopes {
                if !grant.scope.split_whitespace().any(|s| s == scope) {
                    if !grant.scope.is_empty() {
                        grant.scope.push(' ');
                    }
                    grant.scope.push_str(scope);
                }
            }
            return;
        }
        self.grants.push(Grant {
            id: random_token(32),
            client_id: client_sp_id.to_owned(),
            consent_type: consent_type.to_owned(),
            principal_id: principal_id.map(str::to_owned),
            resource_id,
            scope: scopes.join(" "),
            visible_at: now,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::GeneratedApplications;

    #[test]
    fn generated_registrations_share_one_certificate_and_are_made_quickly() {
        let mut scenario = crate::builtin::contoso();
        scenario.tenants[0].generated_applications = Some(GeneratedApplications {
            count: 20_000,
            secrets_each: 1,
            certificates_each: 2,
            expiring_within_days: Some(30),
        });
        let started = Instant::now();
        let directory = Directory::from_scenario(&scenario, &Clock::default());
        let took = started.elapsed();
        let applications = &directory.tenants[0].applications;
        assert_eq!(applications.len(), 20_001);
        let first = &applications[1].certificates[0].certificate;
        assert!(
            applications[1..]
                .iter()
                .flat_map(|app| &app.certificates)
                .all(|key| Arc::ptr_eq(&key.certificate, first)),
            "one certificate behind every generated key"
        );
        assert_eq!(Arc::strong_count(first), 40_000);
        // Unoptimised and on a shared machine it still takes a fraction of this.
        assert!(took < Duration::from_secs(3), "{took:?}");
    }

    /// The built-in Contoso scenario whose app asks for and was granted `delegated` and
    /// `application` (scenario names).
    fn contoso_with(delegated: &[&str], application: &[&str]) -> crate::scenario::Scenario {
        let mut scenario = crate::builtin::contoso();
        let app = &mut scenario.tenants[0].applications[0];
        let set = PermissionSet {
            delegated: delegated.iter().map(|s| s.to_string()).collect(),
            application: application.iter().map(|s| s.to_string()).collect(),
        };
        app.permissions = set.clone();
        app.consented = set;
        scenario
    }

    #[test]
    fn exchange_online_permissions_are_asked_for_and_consented_on_its_own_service_principal() {
        let scenario = contoso_with(
            &[
                "offline_access",
                "User.Read",
                "exchange_online:IMAP.AccessAsUser.All",
            ],
            &["exchange_online:IMAP.AccessAsApp"],
        );
        let clock = Clock::default();
        let directory = Directory::from_scenario(&scenario, &clock);
        let tenant = &directory.tenants[0];
        let app = &tenant.applications[0];
        let resources: Vec<&str> = app
            .required_resource_access
            .iter()
            .map(|r| r.resource_app_id.as_str())
            .collect();
        assert_eq!(
            resources,
            [permissions::GRAPH_APP_ID, permissions::EXCHANGE_APP_ID]
        );
        assert_eq!(
            app.required_resource_access[1].resource_access,
            [
                ResourceAccess {
                    id: "195adc35-e27b-454b-a7ed-1ecdffa1c09f".into(),
                    kind: "Scope".into()
                },
                ResourceAccess {
                    id: "5e5addcd-3e8d-4e90-baf5-964efab2b20a".into(),
                    kind: "Role".into()
                },
            ]
        );
        // Read back as the scenario names them.
        let read = permissions_of(&app.required_resource_access);
        assert_eq!(
            read.delegated,
            scenario.tenants[0].applications[0].permissions.delegated
        );
        assert_eq!(read.application, ["exchange_online:IMAP.AccessAsApp"]);

        let exchange_sp = tenant.resource_sp(Resource::Exchange).id.clone();
        let grant = tenant
            .grants
            .iter()
            .find(|g| g.resource_id == exchange_sp)
            .expect("a grant on Exchange Online");
        assert_eq!(grant.scope, "IMAP.AccessAsUser.All");
        let now = clock.now();
        let client = &app.app_id;
        let user = "aaaaaaaa-0000-0000-0000-000000000002";
        assert_eq!(
            tenant.granted_scopes(Resource::Exchange, client, user, now),
            ["IMAP.AccessAsUser.All"]
        );
        assert_eq!(
            tenant.granted_scopes(Resource::Graph, client, user, now),
            ["offline_access", "User.Read"]
        );
        assert_eq!(
            tenant.granted_roles(Resource::Exchange, client, now),
            ["IMAP.AccessAsApp"]
        );
        assert!(
            tenant
                .granted_roles(Resource::Graph, client, now)
                .is_empty()
        );
    }

    #[test]
    fn graph_named_mail_scopes_still_serve_the_outlook_resource() {
        let scenario = contoso_with(&["SMTP.Send", "User.Read"], &[]);
        let clock = Clock::default();
        let directory = Directory::from_scenario(&scenario, &clock);
        let tenant = &directory.tenants[0];
        let app_id = &tenant.applications[0].app_id;
        assert_eq!(
            tenant.granted_scopes(Resource::Exchange, app_id, "any", clock.now()),
            ["SMTP.Send"]
        );
    }

    #[test]
    fn a_scenario_names_the_exchange_online_permission_it_does_not_know() {
        let mut json: serde_json::Value = serde_json::from_str(
            crate::builtin::SCENARIOS
                .iter()
                .find(|(name, _)| *name == "contoso")
                .expect("contoso")
                .1,
        )
        .expect("json");
        json["tenants"][0]["applications"][0]["permissions"]["delegated"] =
            serde_json::json!(["exchange_online:IMAP.AccessAsApp"]);
        let error = crate::scenario::Scenario::from_json(&json.to_string()).expect_err("refused");
        assert_eq!(
            error.field(),
            Some("tenants[0].applications[0].permissions.delegated[0]")
        );
        assert!(
            error.to_string().contains(
                "'IMAP.AccessAsApp' is not an Office 365 Exchange Online delegated permission"
            ),
            "{error}"
        );
    }

    #[test]
    fn assignment_required_lets_only_assigned_users_sign_in() {
        let scenario = crate::builtin::contoso();
        let clock = Clock::default();
        let mut directory = Directory::from_scenario(&scenario, &clock);
        let tenant = &mut directory.tenants[0];
        let app_id = tenant.applications[0].app_id.clone();
        let now = clock.now();
        let bob = "aaaaaaaa-0000-0000-0000-000000000003";
        assert!(tenant.user_may_sign_in(&app_id, bob, now));
        let sp_id = tenant.sp_by_app_id(&app_id, now).expect("sp").id.clone();
        if let Some(sp) = tenant
            .service_principals
            .iter_mut()
            .find(|sp| sp.id == sp_id)
        {
            sp.app_role_assignment_required = true;
        }
        assert!(!tenant.user_may_sign_in(&app_id, bob, now));
        let assigned = tenant
            .assign_user(&sp_id, "bob@contoso.com", clock.utc(), now)
            .expect("assigned");
        assert_eq!(assigned.principal_type, "User");
        assert_eq!(assigned.app_role_id, DEFAULT_ACCESS_ROLE);
        assert!(tenant.user_may_sign_in(&app_id, bob, now));
        assert!(!tenant.user_may_sign_in(&app_id, "aaaaaaaa-0000-0000-0000-000000000002", now));
    }
}

//! The identity platform (login.microsoftonline.com): what its endpoints share — resolving `{tenant}`,
//! authenticating clients, issuing access/ID/refresh tokens, choosing who signs in, consent decisions and
//! the minimal HTML pages.
//!
//! The endpoints themselves live in the submodules: [`discovery`], [`token`], [`authorize`],
//! [`devicecode`], [`consent`] and [`session`] (userinfo and sign-out).

pub mod assertion;
pub mod authorize;
pub mod consent;
pub mod devicecode;
pub mod discovery;
pub mod session;
pub mod token;

use std::collections::HashMap;
use std::time::Instant;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::errors::AadError;
use crate::permissions::{self, Resource};
use crate::scenario::{Cloud, UserConsentRule, is_dns_name, is_guid};
use crate::server::Shared;
use crate::state::{ClientView, Directory, RefreshGrant, User, new_guid, random_token};

/// What `{tenant}` in a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantRef {
    /// One tenant of the scenario (index).
    Tenant(usize),
    /// `common`.
    Common,
    /// `organizations`.
    Organizations,
    /// `consumers`.
    Consumers,
}

/// Resolves `{tenant}`: a keyword, a tenant GUID or a domain; unknown → AADSTS90002 (a single DNS label
/// too: Microsoft answers `/tenant/v2.0/.well-known/openid-configuration` with "Tenant 'tenant' not found",
/// conformance/recordings/azure-sdk-for-js), malformed → AADSTS900023, a tenant of another national
/// cloud → AADSTS90038.
pub fn resolve_tenant(directory: &Directory, segment: &str) -> Result<TenantRef, AadError> {
    match segment.to_ascii_lowercase().as_str() {
        "common" => return Ok(TenantRef::Common),
        "organizations" => return Ok(TenantRef::Organizations),
        "consumers" => return Ok(TenantRef::Consumers),
        _ => {}
    }
    let well_formed = is_guid(segment) || is_dns_name(segment);
    if !well_formed {
        return Err(AadError::bad_request(
            "invalid_request",
            900023,
            format!(
                "Specified tenant identifier '{segment}' is neither a valid DNS name, nor a valid external domain."
            ),
        ));
    }
    let Some(index) = directory.tenant_index(segment) else {
        return Err(AadError::bad_request(
            "invalid_tenant",
            90002,
            format!(
                "Tenant '{segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."
            ),
        ));
    };
    let tenant = &directory.tenants[index];
    if tenant.cloud != Cloud::Global {
        let (cloud_name, instance) = match tenant.cloud {
            Cloud::Usgov => ("AzureUSGovernment", "login.microsoftonline.us"),
            _ => ("AzureChinaCloud", "login.partner.microsoftonline.cn"),
        };
        return Err(AadError::bad_request(
            "invalid_request",
            90038,
            format!(
                "Tenant '{}' is set up in the national cloud '{cloud_name}', which the cloud instance 'AzureCloud' does not federate with. Send the request to https://{instance} instead.",
                tenant.id
            ),
        ));
    }
    Ok(TenantRef::Tenant(index))
}

/// AADSTS900144: a required parameter was not sent.
pub fn missing_parameter(name: &str) -> AadError {
    AadError::bad_request(
        "invalid_request",
        900144,
        format!("The request body must contain the following parameter: '{name}'."),
    )
}

/// The 700016 error for a client the tenant does not know.
pub fn unknown_client(client_id: &str, directory_name: &str) -> AadError {
    AadError::bad_request(
        "unauthorized_client",
        700016,
        format!(
            "Application with identifier '{client_id}' was not found in the directory '{directory_name}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."
        ),
    )
}

/// The 7000112 error for a disabled client.
pub fn disabled_client(client: &ClientView) -> AadError {
    AadError::bad_request(
        "unauthorized_client",
        7000112,
        format!(
            "Application '{}'({}) is disabled.",
            client.app_id, client.display_name
        ),
    )
}

/// Checks the client credential sent (or not) against the registration, at `now`.
pub fn authenticate_client(
    client: &ClientView,
    now: DateTime<Utc>,
    secret: Option<&str>,
) -> Result<bool, AadError> {
    if client.is_public {
        if secret.is_some() {
            return Err(AadError::invalid_client(
                700025,
                "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
            ));
        }
        return Ok(false);
    }
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return Err(AadError::invalid_client(
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        ));
    };
    match client
        .secrets
        .iter()
        .find(|candidate| candidate.value == secret)
    {
        Some(found) if found.end <= now => Err(AadError::invalid_client(
            7000222,
            format!(
                "The provided client secret keys for app '{}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.",
                client.app_id
            ),
        )),
        Some(found) if found.start <= now => Ok(true),
        _ => Err(AadError::invalid_client(
            7000215,
            format!(
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{}'.",
                client.app_id
            ),
        )),
    }
}

/// Splits a `scope` parameter into the resource it names and the permission names asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeRequest {
    /// The resource (Graph when only bare names or OIDC scopes are asked for).
    pub resource: Resource,
    /// The `aud` to put in the token.
    pub audience: String,
    /// Permission names asked for on that resource (without OIDC scopes).
    pub names: Vec<String>,
    /// `{resource}/.default` was asked for.
    pub default: bool,
    /// OIDC scopes asked for.
    pub oidc: Vec<String>,
}

/// Parses a delegated `scope` parameter.
pub fn parse_delegated_scope(scope: &str) -> Result<ScopeRequest, AadError> {
    let mut resource: Option<(Resource, String)> = None;
    let mut names = Vec::new();
    let mut oidc = Vec::new();
    let mut default = false;
    for item in scope.split_whitespace() {
        if permissions::OIDC_SCOPES.contains(&item) {
            oidc.push(item.to_owned());
            continue;
        }
        let (this_resource, name) = match item.rsplit_once('/') {
            Some((prefix, name)) if prefix.contains("://") || is_guid(prefix) => {
                let Some(found) = Resource::from_identifier(prefix) else {
                    return Err(AadError::bad_request(
                        "invalid_resource",
                        500011,
                        format!(
                            "The resource principal named {prefix} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."
                        ),
                    ));
                };
                (found, name.to_owned())
            }
            _ => (
                (Resource::Graph, "https://graph.microsoft.com".to_owned()),
                item.to_owned(),
            ),
        };
        if let Some((known, _)) = &resource
            && *known != this_resource.0
        {
            return Err(AadError::bad_request(
                "invalid_scope",
                70011,
                format!(
                    "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope '{scope}' names more than one resource."
                ),
            ));
        }
        resource = Some(this_resource);
        if name == ".default" {
            default = true;
        } else {
            names.push(name);
        }
    }
    if resource.is_none() && oidc.is_empty() {
        return Err(AadError::bad_request(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'scope'.",
        ));
    }
    let (resource, audience) =
        resource.unwrap_or((Resource::Graph, "https://graph.microsoft.com".to_owned()));
    // Graph v1 tokens carry the app ID URI as `aud` the way it was asked for.
    let audience = if resource == Resource::Graph && audience == permissions::GRAPH_APP_ID {
        permissions::GRAPH_APP_ID.to_owned()
    } else {
        audience
    };
    Ok(ScopeRequest {
        resource,
        audience,
        names,
        default,
        oidc,
    })
}

/// How far Microsoft dates `iat` and `nbf` back from the moment of issue, in seconds (five minutes, for
/// clocks that run behind): real tokens show `exp - iat` = lifetime + 300.
pub const BACKDATE: i64 = 300;

/// Lifetime of app-only access tokens (client credentials) in seconds: the `expires_in` of the recorded
/// answers (conformance/recordings/azure-sdk-for-go), not randomised.
pub const APP_TOKEN_LIFETIME: i64 = 3599;

/// Lifetime of ID tokens in seconds (one hour, as the recorded ID tokens' `exp - iat - 300`).
pub const ID_TOKEN_LIFETIME: i64 = 3600;

/// Shortest and longest lifetime of a delegated access token in seconds: Microsoft gives each one "a
/// random value ranging between 60-90 minutes" (entra-docs, configurable-token-lifetimes).
pub const DELEGATED_TOKEN_LIFETIME: std::ops::RangeInclusive<i64> = 3600..=5400;

/// The Global Administrator role's template ID, in the `wids` of administrators' tokens.
pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";

/// The directory's User role template ID, in the `wids` of every member's token.
pub const USER_ROLE: &str = "b79fbf4d-3ef9-4689-8143-76b194e85509";

/// Microsoft's first-party public clients of the "family of client IDs", whose tokens answers carry
/// `"foci": "1"` (as the recorded Azure CLI answers do). From the secureworks family-of-client-ids
/// research list; Graph Command Line Tools is not one of them.
pub const FOCI_CLIENTS: &[&str] = &[
    "04b07795-8ddb-461a-bbee-02f9e1bf7b46", // Microsoft Azure CLI
    "1950a258-227b-4e31-a9cf-717495945fc2", // Microsoft Azure PowerShell
    "1fec8e78-bce4-4aaf-ab1b-5451cc387264", // Microsoft Teams
    "d3590ed6-52b3-4102-aeff-aad2292ab01c", // Microsoft Office
    "872cd9fa-d31f-45e0-9eab-6e460a02d1f1", // Visual Studio
    "27922004-5251-4030-b22d-91ecd9a37ea4", // Outlook Mobile
    "ab9b8c07-8f02-4f72-87fa-80105867a763", // OneDrive SyncEngine
];

/// Whether `client_id` belongs to the family of client IDs.
pub fn is_foci_client(client_id: &str) -> bool {
    FOCI_CLIENTS
        .iter()
        .any(|known| known.eq_ignore_ascii_case(client_id))
}

/// A random lifetime for a delegated access token, within [`DELEGATED_TOKEN_LIFETIME`].
pub fn delegated_lifetime() -> i64 {
    let mut bytes = [0u8; 2];
    // The system RNG does not fail on supported platforms; zeroes give the shortest lifetime.
    let _ = aws_lc_rs::rand::fill(&mut bytes);
    let spread = DELEGATED_TOKEN_LIFETIME.end() - DELEGATED_TOKEN_LIFETIME.start() + 1;
    DELEGATED_TOKEN_LIFETIME.start() + i64::from(u16::from_le_bytes(bytes)) % spread
}

/// The key of the pairwise subjects. Fixed, so that a user's `sub` for a client stays the same across
/// runs of the stand-in, as Microsoft's does forever.
const PAIRWISE_KEY: &[u8] = b"entra-fake-tenant pairwise subject identifiers";

/// The pairwise `sub` of `user_oid` for `client_id`: base64url(HMAC-SHA256(key, oid | client)), 43
/// characters like Microsoft's — the same for every token of that user and client, different for
/// another client.
pub fn pairwise_sub(user_oid: &str, client_id: &str) -> String {
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, PAIRWISE_KEY);
    let message = format!(
        "{}|{}",
        user_oid.to_ascii_lowercase(),
        client_id.to_ascii_lowercase()
    );
    URL_SAFE_NO_PAD.encode(aws_lc_rs::hmac::sign(&key, message.as_bytes()).as_ref())
}

/// The user's `puid` (16 upper-case hex digits, stable per user).
pub fn puid(user_oid: &str) -> String {
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        format!("puid|{}", user_oid.to_ascii_lowercase()).as_bytes(),
    );
    let hex: String = digest.as_ref()[..6]
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect();
    format!("1003{hex}")
}

/// `client_info` of a token answer: base64url of `{"uid": oid, "utid": tenant}` — what MSAL keys its
/// cache on (the home account ID `uid.utid`).
pub fn client_info(user_oid: &str, tenant_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(json!({"uid": user_oid, "utid": tenant_id}).to_string())
}

/// Claims common to every access token of tenant `tenant_id`, issued at `now` for `lifetime` seconds:
/// `exp` is `now + lifetime` (so `expires_in` = `lifetime`), `iat` and `nbf` are [`BACKDATE`] earlier.
fn base_claims(
    tenant_id: &str,
    audience: &str,
    client: &ClientView,
    lifetime: i64,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let now = now.timestamp();
    let mut claims = Map::new();
    claims.insert("aud".into(), json!(audience));
    claims.insert(
        "iss".into(),
        json!(format!("https://sts.windows.net/{tenant_id}/")),
    );
    claims.insert("iat".into(), json!(now - BACKDATE));
    claims.insert("nbf".into(), json!(now - BACKDATE));
    claims.insert("exp".into(), json!(now + lifetime));
    claims.insert("aio".into(), json!(random_token(48)));
    claims.insert("app_displayname".into(), json!(client.display_name));
    claims.insert("appid".into(), json!(client.app_id));
    claims.insert("rh".into(), json!(format!("1.{}.", random_token(24))));
    claims.insert("tenant_region_scope".into(), json!("EU"));
    claims.insert("tid".into(), json!(tenant_id));
    claims.insert("uti".into(), json!(random_token(16)));
    claims.insert("ver".into(), json!("1.0"));
    claims.insert("xms_tcdt".into(), json!(1_600_000_000));
    claims
}

/// Signs an access token: Graph tokens with the header `nonce` Microsoft puts on them (crate::jwt), others
/// plainly.
fn sign_access_token(shared: &Shared, claims: &Map<String, Value>) -> String {
    let audience = claims
        .get("aud")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if permissions::is_graph_audience(audience) {
        shared.key.sign_with_nonce(claims)
    } else {
        shared.key.sign(claims)
    }
}

/// Issues an app-only access token (client credentials), valid [`APP_TOKEN_LIFETIME`] seconds.
pub fn app_token(
    shared: &Shared,
    tenant_id: &str,
    audience: &str,
    client: &ClientView,
    sp_id: &str,
    roles: &[String],
) -> String {
    let mut claims = base_claims(
        tenant_id,
        audience,
        client,
        APP_TOKEN_LIFETIME,
        shared.clock.utc(),
    );
    // "1": the client proved itself with a secret; "2": with a certificate (a client assertion).
    claims.insert(
        "appidacr".into(),
        json!(if client.certificate_used { "2" } else { "1" }),
    );
    claims.insert(
        "idp".into(),
        json!(format!("https://sts.windows.net/{tenant_id}/")),
    );
    claims.insert("idtyp".into(), json!("app"));
    claims.insert("oid".into(), json!(sp_id));
    claims.insert("sub".into(), json!(sp_id));
    if !roles.is_empty() {
        claims.insert("roles".into(), json!(roles));
    }
    claims.insert("xms_idrel".into(), json!("7 24"));
    sign_access_token(shared, &claims)
}

/// What a delegated token request resolved to.
#[derive(Debug, Clone)]
pub struct DelegatedIssue<'a> {
    /// Tenant index.
    pub tenant: usize,
    /// The client.
    pub client: &'a ClientView,
    /// The user.
    pub user: &'a User,
    /// The scopes asked for.
    pub scope: &'a ScopeRequest,
    /// The client authenticated with a secret.
    pub with_secret: bool,
    /// The ID token's nonce.
    pub nonce: Option<String>,
    /// The sign-in session (`sid`): new at each sign-in, kept by the refresh tokens it yields.
    pub session_id: String,
    /// The request sent `client_info=1` (MSAL does): the answer carries `client_info`.
    pub client_info: bool,
}

/// Issues the token response of a delegated flow (auth code, refresh, device code): access token with `scp`
/// (living a random 60–90 minutes, `expires_in` and `ext_expires_in` agreeing with its `exp`), refresh
/// token when `offline_access` was asked, ID token when `openid` was asked, `client_info` when the client
/// asked for it, `foci` for the family of client IDs.
pub fn delegated_tokens(
    shared: &Shared,
    directory: &mut Directory,
    issue: &DelegatedIssue<'_>,
) -> Result<Value, AadError> {
    let tenant = &directory.tenants[issue.tenant];
    let now = shared.clock.now();
    if !tenant.user_may_sign_in(&issue.client.app_id, &issue.user.id, now) {
        return Err(AadError::bad_request(
            "invalid_grant",
            50105,
            format!(
                "Your administrator has configured the application {} ('{}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user '{}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. Please contact your administrator to assign access to this application.",
                issue.client.display_name, issue.client.app_id, issue.user.upn
            ),
        ));
    }
    let granted = tenant.granted_scopes(
        issue.scope.resource,
        &issue.client.app_id,
        &issue.user.id,
        now,
    );
    let mut scp: Vec<String> = if issue.client.first_party_public {
        let mut all = granted.clone();
        for name in &issue.scope.names {
            if !all.contains(name) {
                all.push(name.clone());
            }
        }
        all
    } else {
        let missing: Vec<&String> = issue
            .scope
            .names
            .iter()
            .filter(|name| !granted.contains(name))
            .collect();
        if !missing.is_empty() {
            return Err(consent_required(issue.client));
        }
        granted
    };
    scp = permissions::delegated_for(issue.scope.resource, &scp);
    if scp.is_empty() && issue.scope.oidc.is_empty() {
        return Err(consent_required(issue.client));
    }
    let lifetime = delegated_lifetime();
    let sub = pairwise_sub(&issue.user.id, &issue.client.app_id);
    let mut claims = base_claims(
        &tenant.id,
        &issue.scope.audience,
        issue.client,
        lifetime,
        shared.clock.utc(),
    );
    claims.insert("acct".into(), json!(0));
    claims.insert("acr".into(), json!("1"));
    claims.insert("amr".into(), json!(["pwd"]));
    claims.insert(
        "appidacr".into(),
        json!(match (issue.client.certificate_used, issue.with_secret) {
            (true, _) => "2",
            (false, true) => "1",
            (false, false) => "0",
        }),
    );
    if let Some((given, family)) = split_name(&issue.user.display_name) {
        claims.insert("family_name".into(), json!(family));
        claims.insert("given_name".into(), json!(given));
    }
    claims.insert("idtyp".into(), json!("user"));
    claims.insert("ipaddr".into(), json!("127.0.0.1"));
    claims.insert("name".into(), json!(issue.user.display_name));
    claims.insert("oid".into(), json!(issue.user.id));
    claims.insert("platf".into(), json!("3"));
    claims.insert("puid".into(), json!(puid(&issue.user.id)));
    claims.insert("scp".into(), json!(scp.join(" ")));
    claims.insert("sid".into(), json!(issue.session_id));
    claims.insert("sub".into(), json!(sub));
    claims.insert("unique_name".into(), json!(issue.user.upn));
    claims.insert("upn".into(), json!(issue.user.upn));
    let mut wids = vec![USER_ROLE];
    if issue.user.admin {
        wids.insert(0, GLOBAL_ADMINISTRATOR);
    }
    claims.insert("wids".into(), json!(wids));
    claims.insert("xms_idrel".into(), json!("1 18"));
    claims.insert("xms_st".into(), json!({"sub": sub}));
    let access_token = sign_access_token(shared, &claims);

    let scope_text: Vec<String> = scp
        .iter()
        .map(|name| match issue.scope.resource {
            Resource::Graph => name.clone(),
            Resource::Exchange => format!("{}/{name}", issue.scope.audience),
        })
        .chain(
            issue
                .scope
                .oidc
                .iter()
                .filter(|s| !scp.contains(s))
                .cloned(),
        )
        .collect();
    let mut body = json!({
        "token_type": "Bearer",
        "scope": scope_text.join(" "),
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": access_token,
    });
    if issue.scope.oidc.iter().any(|s| s == "offline_access") {
        let refresh = format!("1.A{}", random_token(96));
        let mut original: Vec<String> = issue.scope.names.clone();
        original.extend(issue.scope.oidc.iter().cloned());
        if issue.scope.default {
            original.push(".default".to_owned());
        }
        let tenant_id = tenant.id.clone();
        directory.refresh_tokens.insert(
            refresh.clone(),
            RefreshGrant {
                tenant_id,
                client_id: issue.client.app_id.clone(),
                user_id: issue.user.id.clone(),
                scopes: original,
                session_id: issue.session_id.clone(),
                issued: shared.clock.utc(),
                revoked: None,
            },
        );
        body["refresh_token"] = json!(refresh);
    }
    let tenant_id = directory.tenants[issue.tenant].id.clone();
    if issue.scope.oidc.iter().any(|s| s == "openid") {
        body["id_token"] = json!(id_token(shared, &tenant_id, issue));
    }
    if issue.client_info {
        body["client_info"] = json!(client_info(&issue.user.id, &tenant_id));
    }
    if is_foci_client(&issue.client.app_id) {
        body["foci"] = json!("1");
    }
    Ok(body)
}

/// The v2.0 ID token: issued by `{public base}/{tenant}/v2.0` (the issuer of the discovery document), for
/// the client, with the pairwise `sub`, the session's `sid`, the `nonce` sent on `/authorize` and `email`
/// when the `email` scope was asked.
fn id_token(shared: &Shared, tenant_id: &str, issue: &DelegatedIssue<'_>) -> String {
    let now = shared.clock.utc().timestamp();
    let (client, user) = (issue.client, issue.user);
    let mut claims = Map::new();
    claims.insert("aud".into(), json!(client.app_id));
    claims.insert(
        "iss".into(),
        json!(format!("{}/{tenant_id}/v2.0", shared.public_base())),
    );
    claims.insert("iat".into(), json!(now - BACKDATE));
    claims.insert("nbf".into(), json!(now - BACKDATE));
    claims.insert("exp".into(), json!(now + ID_TOKEN_LIFETIME));
    claims.insert("aio".into(), json!(random_token(48)));
    if issue.scope.oidc.iter().any(|s| s == "email") {
        claims.insert("email".into(), json!(user.upn));
    }
    claims.insert("name".into(), json!(user.display_name));
    claims.insert("oid".into(), json!(user.id));
    claims.insert("preferred_username".into(), json!(user.upn));
    claims.insert("puid".into(), json!(puid(&user.id)));
    claims.insert("rh".into(), json!(format!("0.A{}.", random_token(24))));
    claims.insert("sid".into(), json!(issue.session_id));
    claims.insert("sub".into(), json!(pairwise_sub(&user.id, &client.app_id)));
    claims.insert("tid".into(), json!(tenant_id));
    claims.insert("uti".into(), json!(random_token(16)));
    claims.insert("ver".into(), json!("2.0"));
    if let Some(nonce) = &issue.nonce {
        claims.insert("nonce".into(), json!(nonce));
    }
    shared.key.sign(&claims)
}

/// Given and family name when the display name has both ("Ada Admin" → "Ada", "Admin").
pub fn split_name(display_name: &str) -> Option<(String, String)> {
    let (given, family) = display_name.trim().split_once(' ')?;
    let (given, family) = (given.trim(), family.trim());
    (!given.is_empty() && !family.is_empty()).then(|| (given.to_owned(), family.to_owned()))
}

/// AADSTS65001: no consent for what the client asked.
pub fn consent_required(client: &ClientView) -> AadError {
    AadError::bad_request(
        "invalid_grant",
        65001,
        format!(
            "The user or administrator has not consented to use the application with ID '{}' named '{}'. Send an interactive authorization request for this user and resource.",
            client.app_id, client.display_name
        ),
    )
    .with_suberror("consent_required")
}

/// Outcome of checking consent during an interactive sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentOutcome {
    /// Everything asked for is granted (possibly just now, by the user).
    Granted,
    /// The user may not consent: an admin must (AADSTS90094 page).
    NeedsAdmin,
}

/// Checks — and, where the tenant lets the user, records — consent for an interactive sign-in at `now`.
pub fn interactive_consent(
    directory: &mut Directory,
    t: usize,
    client: &ClientView,
    user: &User,
    scope: &ScopeRequest,
    now: Instant,
) -> ConsentOutcome {
    let tenant = &directory.tenants[t];
    let asked: Vec<String> = if scope.default {
        // Everything the app asks for on this resource.
        client
            .permissions
            .delegated
            .iter()
            .map(|name| permissions::split_resource(name))
            .filter(|(resource, _)| *resource == scope.resource)
            .map(|(_, name)| name.to_owned())
            .collect()
    } else {
        scope.names.clone()
    };
    let granted = tenant.granted_scopes(scope.resource, &client.app_id, &user.id, now);
    let missing: Vec<String> = asked
        .iter()
        .filter(|name| !granted.contains(name))
        .cloned()
        .collect();
    if missing.is_empty() {
        return ConsentOutcome::Granted;
    }
    let admin_only = missing
        .iter()
        .any(|name| permissions::delegated_of(scope.resource, name).is_some_and(|p| p.admin_only));
    let user_may = match tenant.user_consent.rule() {
        UserConsentRule::AnyApp => !admin_only,
        UserConsentRule::LowImpact => missing
            .iter()
            .all(|name| permissions::LOW_IMPACT.contains(&name.as_str())),
        UserConsentRule::Recommended => {
            !admin_only
                && !missing.iter().any(|name| {
                    permissions::RECOMMENDED_EXCLUDED
                        .iter()
                        .any(|kept| kept.eq_ignore_ascii_case(name))
                })
        }
        UserConsentRule::Nothing => false,
    };
    if !user.admin && !user_may {
        return ConsentOutcome::NeedsAdmin;
    }
    if client.first_party_public {
        return ConsentOutcome::Granted;
    }
    let replication = directory.visible_from(now).min(now);
    let tenant = &mut directory.tenants[t];
    let sp_id = match tenant.sp_by_app_id(&client.app_id, now) {
        Some(sp) => sp.id.clone(),
        None => {
            let owner = tenant.id.clone();
            tenant.add_client_sp(
                &client.app_id,
                &client.display_name,
                &client.sign_in_audience,
                &owner,
                replication,
            )
        }
    };
    tenant.record_delegated_consent(
        scope.resource,
        &sp_id,
        Some(&user.id),
        &missing,
        replication,
    );
    ConsentOutcome::Granted
}

/// Whether `sent` matches a registered redirect URI (exact and case-sensitive; for `http://localhost` and
/// `http://127.0.0.1` the port is ignored, RFC 8252).
pub fn redirect_matches(registered: &str, sent: &str) -> bool {
    if registered == sent {
        return true;
    }
    let (Ok(registered), Ok(sent)) = (url::Url::parse(registered), url::Url::parse(sent)) else {
        return false;
    };
    let loopback = |u: &url::Url| {
        u.scheme() == "http" && matches!(u.host_str(), Some("localhost") | Some("127.0.0.1"))
    };
    loopback(&registered)
        && loopback(&sent)
        && registered.host_str() == sent.host_str()
        && registered.path() == sent.path()
        && registered.query() == sent.query()
}

/// Whether a client accepts `redirect_uri`.
pub fn client_accepts_redirect(client: &ClientView, redirect_uri: &str) -> bool {
    if client.first_party_public {
        return redirect_matches("http://localhost", redirect_uri)
            || redirect_matches("http://localhost/", redirect_uri)
            || url::Url::parse(redirect_uri).is_ok_and(|u| {
                u.scheme() == "http"
                    && matches!(u.host_str(), Some("localhost") | Some("127.0.0.1"))
            });
    }
    client
        .redirect_uris()
        .any(|registered| redirect_matches(registered, redirect_uri))
}

/// The login-page error ESTS shows (no redirect): AADSTS code and message, request and correlation IDs.
pub fn error_page(now: DateTime<Utc>, code: u32, message: &str) -> Response {
    let trace = new_guid();
    let correlation = new_guid();
    let timestamp = now.format("%Y-%m-%dT%H:%M:%SZ");
    let body = format!(
        "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>\
<h1>Sign in</h1><p>Sorry, but we're having trouble signing you in.</p>\
<p id=\"error\">AADSTS{code}: {}</p>\
<div>Request Id: {trace}<br>Correlation Id: {correlation}<br>Timestamp: {timestamp}<br>Message: AADSTS{code}: {}</div>\
</body></html>",
        html_escape(message),
        html_escape(message)
    );
    (StatusCode::OK, Html(body)).into_response()
}

/// A parameter of a front-channel request, when it is sent and not empty.
pub fn sent_param<'a>(params: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// The tenant the path of an interactive page names (`segment`) and the `client_id` it was sent
/// (AADSTS900144 without one).
pub fn tenant_and_client<'a>(
    directory: &Directory,
    segment: &str,
    params: &'a HashMap<String, String>,
) -> Result<(TenantRef, &'a str), AadError> {
    let tenant_ref = resolve_tenant(directory, segment)?;
    let client_id =
        sent_param(params, "client_id").ok_or_else(|| missing_parameter("client_id"))?;
    Ok((tenant_ref, client_id))
}

/// AADSTS700016 as the login page shows it: no application `client_id` in the directory named
/// `directory_name`.
pub fn unknown_client_page(now: DateTime<Utc>, client_id: &str, directory_name: &str) -> Response {
    error_page(
        now,
        700016,
        &unknown_client(client_id, directory_name).message,
    )
}

/// AADSTS50011 as the login page shows it: `redirect_uri` is not one `client` registered.
pub fn redirect_mismatch_page(
    now: DateTime<Utc>,
    client: &ClientView,
    redirect_uri: &str,
) -> Response {
    error_page(
        now,
        50011,
        &format!(
            "The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.",
            client.app_id
        ),
    )
}

/// The account picker of an interactive page with no one to sign in yet (see [`choose_user`]): `title`
/// over the users of `tenant`, each linking back to the request — `path` on the stand-in's public
/// address, with the parameters sent but the `fake_` ones.
pub fn account_picker(
    shared: &Shared,
    directory: &Directory,
    tenant: TenantRef,
    path: &str,
    params: &HashMap<String, String>,
    title: &str,
) -> Response {
    let users = page_users(directory, tenant);
    let users: Vec<_> = users.iter().collect();
    let here = format!(
        "{}/{path}?{}",
        shared.public_base(),
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params.iter().filter(|(k, _)| !k.starts_with("fake_")))
            .finish()
    );
    pick_account_page(title, &here, &users)
}

/// Escapes text for HTML.
pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The minimal "pick an account" page: one link per user, plus a cancel link.
pub fn pick_account_page(title: &str, base_url: &str, users: &[&User]) -> Response {
    let mut links = String::new();
    for user in users {
        let separator = if base_url.contains('?') { '&' } else { '?' };
        let href = format!(
            "{base_url}{separator}fake_user={}",
            url::form_urlencoded::byte_serialize(user.upn.as_bytes()).collect::<String>()
        );
        links.push_str(&format!(
            "<li><a href=\"{}\">{} ({})</a></li>",
            html_escape(&href),
            html_escape(&user.display_name),
            html_escape(&user.upn)
        ));
    }
    let separator = if base_url.contains('?') { '&' } else { '?' };
    let cancel = format!("{base_url}{separator}fake_cancel=1");
    let body = format!(
        "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body><h1>{}</h1>\
<p>Pick an account</p><ul>{links}</ul><p><a href=\"{}\">Cancel</a></p></body></html>",
        html_escape(title),
        html_escape(&cancel)
    );
    (StatusCode::OK, Html(body)).into_response()
}

/// Appends query parameters to a redirect URI.
pub fn with_query(base: &str, params: &[(&str, &str)]) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in params {
        serializer.append_pair(name, value);
    }
    let query = serializer.finish();
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{query}")
}

/// A 302 redirect.
pub fn redirect(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(location) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, value);
    }
    response
}

/// Who signs in on an interactive page sent `params`: `fake_user` (picked on the page), else
/// `login_hint` when it is a user of the tenant, else the next of `sign_in.as`; `None` means the page
/// must be shown.
pub fn choose_user(
    directory: &mut Directory,
    tenant: TenantRef,
    params: &HashMap<String, String>,
) -> Option<(usize, User)> {
    let (login_hint, picked) = (
        sent_param(params, "login_hint"),
        sent_param(params, "fake_user"),
    );
    let find = |directory: &Directory, upn: &str| -> Option<(usize, User)> {
        let t = directory.tenant_of_upn(upn)?;
        if let TenantRef::Tenant(wanted) = tenant
            && wanted != t
        {
            return None;
        }
        directory.tenants[t]
            .user_by_upn(upn)
            .cloned()
            .map(|user| (t, user))
    };
    if let Some(picked) = picked {
        return find(directory, picked);
    }
    if directory.sign_in_as.is_empty() {
        return None;
    }
    if let Some(hint) = login_hint
        && let Some(found) = find(directory, hint)
    {
        return Some(found);
    }
    let next = directory.next_sign_in()?;
    find(directory, &next)
}

/// The users a sign-in page lists for `tenant`.
pub fn page_users(directory: &Directory, tenant: TenantRef) -> Vec<User> {
    match tenant {
        TenantRef::Tenant(t) => directory.tenants[t].users.clone(),
        _ => directory
            .tenants
            .iter()
            .flat_map(|tenant| tenant.users.clone())
            .collect(),
    }
}

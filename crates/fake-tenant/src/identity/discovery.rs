//! OpenID Connect discovery — v2.0 (`/{tenant}/v2.0/.well-known/openid-configuration`) and v1
//! (`/{tenant}/.well-known/openid-configuration`) — the signing keys (`/{tenant}/discovery/v2.0/keys`,
//! `/{tenant}/discovery/keys`), MSAL's instance discovery (`/common/discovery/instance`) and the user realm
//! (`/common/userrealm/{user}`).
//!
//! The v2.0 document has the field set of the real ones in conformance/oidc and the recordings; the v1
//! document that of the real v1 documents (AzureAD/MSIdentityTools' test fixture of
//! `login.microsoftonline.com/common/.well-known/openid-configuration`, and the tenant documents quoted in
//! public posts). Every endpoint, and the v2.0 issuer, starts with the stand-in's public base
//! (`public_url`, else its listen address); the issuer names the tenant GUID, or the `{tenantid}`
//! template for common/organizations. The v1 issuer stays `https://sts.windows.net/{tid}/` as Microsoft's
//! (it is also the `iss` of the v1 access tokens the stand-in issues for Graph and Exchange).
//!
//! Instance discovery answers as Microsoft does: the `api-version` asked for, a `tenant_discovery_endpoint`
//! on the host of the `authorization_endpoint` sent, Microsoft's clouds in `metadata` (as recorded) after
//! an entry for the stand-in's own host (without a port, as every host there), and `invalid_instance`
//! (AADSTS50049, 400) for a host that is neither.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{TenantRef, resolve_tenant};
use crate::errors::{AadError, ests_json};
use crate::server::Shared;

/// The v2.0 discovery document for `{tenant}` as it appears in paths (`segment`) and the issuer's tenant
/// part; `login` and `graph` are the bases of the identity endpoints and of `userinfo_endpoint`.
pub fn document(
    login: &str,
    graph: &str,
    segment: &str,
    issuer_tenant: &str,
    region: Value,
) -> Value {
    json!({
        "token_endpoint": format!("{login}/{segment}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{login}/{segment}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": format!("{login}/{issuer_tenant}/v2.0"),
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": format!("{graph}/oidc/userinfo"),
        "authorization_endpoint": format!("{login}/{segment}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{login}/{segment}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{login}/{segment}/oauth2/v2.0/logout"),
        "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
            "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver",
            "at_hash", "c_hash", "email"],
        "kerberos_endpoint": format!("{login}/{segment}/kerberos"),
        "tenant_region_scope": region,
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
        "rbac_url": "https://pas.windows.net",
    })
}

/// The consumer tenant's GUID (personal Microsoft accounts).
pub const CONSUMERS_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// What a discovery document is served for: the path's tenant segment, the issuer's tenant part and the
/// region.
fn served_for(shared: &Shared, tenant: &str) -> Result<(String, String, Value), AadError> {
    let resolved = resolve_tenant(&shared.directory(), tenant)?;
    Ok(match resolved {
        TenantRef::Tenant(t) => {
            let id = shared.directory().tenants[t].id.clone();
            (id.clone(), id, json!("EU"))
        }
        TenantRef::Consumers => (
            "consumers".to_owned(),
            CONSUMERS_TENANT.to_owned(),
            Value::Null,
        ),
        TenantRef::Common => ("common".to_owned(), "{tenantid}".to_owned(), Value::Null),
        TenantRef::Organizations => (
            "organizations".to_owned(),
            "{tenantid}".to_owned(),
            Value::Null,
        ),
    })
}

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
pub async fn openid_configuration(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
) -> Response {
    match served_for(&shared, &tenant) {
        Err(error) => error.response(shared.clock.utc()),
        Ok((segment, issuer_tenant, region)) => {
            let base = shared.public_base();
            ests_json(
                StatusCode::OK,
                &document(&base, &base, &segment, &issuer_tenant, region),
                true,
            )
        }
    }
}

/// The v1 discovery document for `{tenant}` (`segment` in paths, `issuer_tenant` in the issuer).
pub fn document_v1(base: &str, segment: &str, issuer_tenant: &str, region: Value) -> Value {
    json!({
        "token_endpoint": format!("{base}/{segment}/oauth2/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/common/discovery/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "token id_token", "token"],
        "scopes_supported": ["openid"],
        "issuer": format!("https://sts.windows.net/{issuer_tenant}/"),
        "microsoft_multi_refresh_token": true,
        "authorization_endpoint": format!("{base}/{segment}/oauth2/authorize"),
        "device_authorization_endpoint": format!("{base}/{segment}/oauth2/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{base}/{segment}/oauth2/logout"),
        "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
            "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce", "email", "given_name",
            "family_name", "nickname"],
        "check_session_iframe": format!("{base}/{segment}/oauth2/checksession"),
        "userinfo_endpoint": format!("{base}/{segment}/openid/userinfo"),
        "kerberos_endpoint": format!("{base}/{segment}/kerberos"),
        "tenant_region_scope": region,
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
        "rbac_url": "https://pas.windows.net",
    })
}

/// `GET /{tenant}/.well-known/openid-configuration` (v1).
pub async fn openid_configuration_v1(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
) -> Response {
    match served_for(&shared, &tenant) {
        Err(error) => error.response(shared.clock.utc()),
        Ok((segment, issuer_tenant, region)) => ests_json(
            StatusCode::OK,
            &document_v1(&shared.public_base(), &segment, &issuer_tenant, region),
            true,
        ),
    }
}

/// `GET /{tenant}/discovery/v2.0/keys` and `/{tenant}/discovery/keys`.
pub async fn keys(State(shared): State<Arc<Shared>>, Path(tenant): Path<String>) -> Response {
    let resolved = resolve_tenant(&shared.directory(), &tenant);
    match resolved {
        Err(error) => error.response(shared.clock.utc()),
        Ok(_) => {
            let issuer = format!("{}/{{tenantid}}/v2.0", shared.public_base());
            ests_json(StatusCode::OK, &shared.key.jwks(&issuer), true)
        }
    }
}

/// Microsoft's clouds as instance discovery lists them (conformance/recordings, 2022–2023).
fn microsoft_clouds() -> Value {
    json!([
        {"preferred_network": "login.microsoftonline.com", "preferred_cache": "login.windows.net",
         "aliases": ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"]},
        {"preferred_network": "login.partner.microsoftonline.cn", "preferred_cache": "login.partner.microsoftonline.cn",
         "aliases": ["login.partner.microsoftonline.cn", "login.chinacloudapi.cn"]},
        {"preferred_network": "login.microsoftonline.de", "preferred_cache": "login.microsoftonline.de",
         "aliases": ["login.microsoftonline.de"]},
        {"preferred_network": "login.microsoftonline.us", "preferred_cache": "login.microsoftonline.us",
         "aliases": ["login.microsoftonline.us", "login.usgovcloudapi.net"]},
        {"preferred_network": "login-us.microsoftonline.com", "preferred_cache": "login-us.microsoftonline.com",
         "aliases": ["login-us.microsoftonline.com"]}
    ])
}

/// The hosts the stand-in answers as its own, without ports: its public host, then its listen host.
fn own_hosts(shared: &Shared) -> Vec<String> {
    let mut hosts = vec![shared.public_host()];
    let listen = url::Url::parse(&shared.endpoints.login)
        .ok()
        .and_then(|url| url.host_str().map(str::to_owned));
    for host in listen.into_iter().chain(["localhost".to_owned()]) {
        if !hosts.iter().any(|known| known.eq_ignore_ascii_case(&host)) {
            hosts.push(host);
        }
    }
    hosts
}

/// `GET /common/discovery/instance?api-version=…&authorization_endpoint=…` (MSAL's instance discovery).
pub async fn instance(
    State(shared): State<Arc<Shared>>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let param = |wanted: &str| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(name, _)| name == wanted)
            .map(|(_, value)| value.into_owned())
            .filter(|value| !value.is_empty())
    };
    let api_version = param("api-version").unwrap_or_else(|| "1.1".to_owned());
    let own = own_hosts(&shared);
    let metadata_of_cloud = microsoft_clouds();
    let microsoft_hosts: Vec<&str> = metadata_of_cloud
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|entry| entry["aliases"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    let (host, tenant) = match param("authorization_endpoint") {
        // Without one, the stand-in's own authority on /common.
        None => (own[0].clone(), "common".to_owned()),
        Some(endpoint) => {
            let Some(url) = url::Url::parse(&endpoint)
                .ok()
                .filter(|url| matches!(url.scheme(), "http" | "https"))
            else {
                return invalid_instance(&shared);
            };
            let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
            let tenant = url
                .path_segments()
                .and_then(|mut segments| segments.find(|segment| !segment.is_empty()))
                .unwrap_or("common")
                .to_owned();
            (host, tenant)
        }
    };
    let is_own = own.iter().any(|known| known.eq_ignore_ascii_case(&host));
    let tenant_discovery_endpoint = if is_own {
        format!(
            "{}/{tenant}/v2.0/.well-known/openid-configuration",
            shared.public_base()
        )
    } else if microsoft_hosts.contains(&host.as_str()) {
        format!("https://{host}/{tenant}/v2.0/.well-known/openid-configuration")
    } else {
        return invalid_instance(&shared);
    };
    let mut metadata = vec![json!({
        "preferred_network": own[0],
        "preferred_cache": own[0],
        "aliases": own,
    })];
    metadata.extend(metadata_of_cloud.as_array().into_iter().flatten().cloned());
    let body = json!({
        "tenant_discovery_endpoint": tenant_discovery_endpoint,
        "api-version": api_version,
        "metadata": metadata,
    });
    ests_json(StatusCode::OK, &body, true)
}

/// AADSTS50049 for an authority host that is neither the stand-in's nor one of Microsoft's.
fn invalid_instance(shared: &Shared) -> Response {
    AadError::bad_request("invalid_instance", 50049, "Unknown or invalid instance.")
        .response(shared.clock.utc())
}

/// `GET /common/userrealm/{user}?api-version=1.0` (and `/common/UserRealm/…`, as the recorded clients
/// spell it): the realm MSAL reads before a username/password sign-in. A user whose domain is a verified
/// domain of a tenant of the scenario is `Managed` in that domain; any other is `Unknown`. The
/// stand-in has no federated domains.
pub async fn user_realm(Path(user): Path<String>, State(shared): State<Arc<Shared>>) -> Response {
    let domain = user
        .rsplit_once('@')
        .map(|(_, domain)| domain.to_ascii_lowercase())
        .unwrap_or_default();
    let known = !domain.is_empty() && shared.directory().tenant_index(&domain).is_some();
    let body = if known {
        json!({
            "ver": "1.0",
            "account_type": "Managed",
            "domain_name": domain,
            "cloud_instance_name": "microsoftonline.com",
            "cloud_audience_urn": "urn:federation:MicrosoftOnline",
        })
    } else {
        json!({
            "ver": "1.0",
            "account_type": "Unknown",
            "cloud_instance_name": "microsoftonline.com",
        })
    };
    ests_json(StatusCode::OK, &body, false)
}

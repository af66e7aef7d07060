//! OpenID Connect discovery (`/{tenant}/v2.0/.well-known/openid-configuration`), the signing keys
//! (`/{tenant}/discovery/v2.0/keys`) and MSAL's instance discovery (`/common/discovery/instance`).
//!
//! The document has the field set of the real ones in conformance/oidc, with the endpoints pointing at the
//! stand-in and the issuer naming the tenant GUID (or the `{tenantid}` template for common/organizations).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{TenantRef, resolve_tenant};
use crate::errors::ests_json;
use crate::server::Shared;

/// The discovery document for `{tenant}` as it appears in paths (`segment`) and the issuer's tenant part.
pub fn document(
    login: &str,
    graph_host: &str,
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
        "userinfo_endpoint": format!("{graph_host}/oidc/userinfo"),
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

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
pub async fn openid_configuration(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
) -> Response {
    let resolved = resolve_tenant(&shared.directory(), &tenant);
    let login = &shared.endpoints.login;
    let graph = &shared.endpoints.graph;
    match resolved {
        Err(error) => error.response(shared.clock.utc()),
        Ok(TenantRef::Tenant(t)) => {
            let id = shared.directory().tenants[t].id.clone();
            ests_json(
                StatusCode::OK,
                &document(login, graph, &id, &id, json!("EU")),
                true,
            )
        }
        Ok(TenantRef::Consumers) => {
            let id = "9188040d-6c67-4c5b-b112-36a304b66dad";
            ests_json(
                StatusCode::OK,
                &document(login, graph, "consumers", id, Value::Null),
                true,
            )
        }
        Ok(keyword) => {
            let segment = if keyword == TenantRef::Common {
                "common"
            } else {
                "organizations"
            };
            ests_json(
                StatusCode::OK,
                &document(login, graph, segment, "{tenantid}", Value::Null),
                true,
            )
        }
    }
}

/// `GET /{tenant}/discovery/v2.0/keys` and `/{tenant}/discovery/keys`.
pub async fn keys(State(shared): State<Arc<Shared>>, Path(tenant): Path<String>) -> Response {
    let resolved = resolve_tenant(&shared.directory(), &tenant);
    match resolved {
        Err(error) => error.response(shared.clock.utc()),
        Ok(_) => {
            let issuer = format!("{}/{{tenantid}}/v2.0", shared.endpoints.login);
            ests_json(StatusCode::OK, &shared.key.jwks(&issuer), true)
        }
    }
}

/// `GET /common/discovery/instance` (MSAL's instance discovery), naming the stand-in's host as an alias.
pub async fn instance(
    State(shared): State<Arc<Shared>>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    let login = &shared.endpoints.login;
    let host = login.trim_start_matches("http://").to_owned();
    let authorization_endpoint = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "authorization_endpoint")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    let tenant = authorization_endpoint
        .split('/')
        .skip(3)
        .find(|segment| !segment.is_empty())
        .unwrap_or("common")
        .to_owned();
    let body = json!({
        "tenant_discovery_endpoint": format!("{login}/{tenant}/v2.0/.well-known/openid-configuration"),
        "api-version": "1.1",
        "metadata": [
            {"preferred_network": host, "preferred_cache": host, "aliases": [host]},
            {"preferred_network": "login.microsoftonline.com", "preferred_cache": "login.windows.net",
             "aliases": ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"]},
            {"preferred_network": "login.partner.microsoftonline.cn", "preferred_cache": "login.partner.microsoftonline.cn",
             "aliases": ["login.partner.microsoftonline.cn", "login.chinacloudapi.cn"]},
            {"preferred_network": "login.microsoftonline.us", "preferred_cache": "login.microsoftonline.us",
             "aliases": ["login.microsoftonline.us", "login.usgovcloudapi.net"]}
        ]
    });
    ests_json(StatusCode::OK, &body, true)
}

//! The user's side of a sign-in after it happened: the OpenID Connect `userinfo_endpoint` (Graph's
//! `/oidc/userinfo`, and the v1 document's `/{tenant}/openid/userinfo`) and the `end_session_endpoint`
//! (`/{tenant}/oauth2/v2.0/logout`, and v1's `/{tenant}/oauth2/logout`).
//!
//! `userinfo` takes a delegated Graph access token (GET or POST, `Authorization: Bearer`) and answers the
//! claims Microsoft documents — `sub` (the same pairwise subject as the client's ID token), `name`,
//! `family_name` and `given_name` when the display name has both, `email` — with Graph's headers; without
//! a valid token it answers Graph's 401 `InvalidAuthenticationToken`. It leaves out `picture`, a link to
//! a photo the stand-in does not serve.
//!
//! `logout` redirects to `post_logout_redirect_uri` (with `state` when sent) when it is an absolute http(s)
//! URL the client named by `client_id` or `id_token_hint` accepts as a redirect URI (any, when no client is
//! named), and otherwise shows the signed-out page. It revokes nothing: as at Microsoft, refresh tokens stay
//! valid after a browser sign-out.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use super::{
    TenantRef, client_accepts_redirect, error_page, pairwise_sub, redirect, resolve_tenant,
    sent_param, split_name, with_query,
};
use crate::errors::{GraphIds, graph_json};
use crate::graph::bearer_token;
use crate::jwt::{TokenRejection, claim_text};
use crate::permissions;
use crate::server::Shared;

/// `GET`/`POST /oidc/userinfo` and `/{tenant}/openid/userinfo`.
pub async fn userinfo(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let ids = GraphIds::from_headers(&headers, shared.clock.utc());
    match user_claims(&shared, &headers) {
        Ok(body) => graph_json(&ids, StatusCode::OK, &body),
        Err(message) => ids.unauthorized(message),
    }
}

/// The userinfo claims for the bearer token of `headers`, or why it is refused.
fn user_claims(shared: &Shared, headers: &HeaderMap) -> Result<Value, &'static str> {
    let token = bearer_token(headers).ok_or("Access token is empty.")?;
    let claims = shared
        .key
        .verify(token, shared.clock.utc().timestamp())
        .map_err(|rejection| match rejection {
            TokenRejection::Expired => "Lifetime validation failed, the token is expired.",
            TokenRejection::Invalid => "Access token validation failure.",
        })?;
    let text = |name: &str| claim_text(&claims, name);
    if !permissions::is_graph_audience(&text("aud")) {
        return Err("Access token validation failure. Invalid audience.");
    }
    if text("idtyp") == "app" {
        return Err("Access token validation failure. The token carries no user.");
    }
    let directory = shared.directory();
    let user = directory
        .tenants
        .iter()
        .find(|tenant| tenant.id == text("tid"))
        .and_then(|tenant| tenant.users.iter().find(|user| user.id == text("oid")))
        .ok_or("Access token validation failure. Invalid issuer.")?;
    let mut body = Map::new();
    body.insert("sub".into(), json!(pairwise_sub(&user.id, &text("appid"))));
    body.insert("name".into(), json!(user.display_name));
    if let Some((given, family)) = split_name(&user.display_name) {
        body.insert("family_name".into(), json!(family));
        body.insert("given_name".into(), json!(given));
    }
    body.insert("email".into(), json!(user.upn));
    Ok(Value::Object(body))
}

/// `GET`/`POST /{tenant}/oauth2/v2.0/logout` and `/{tenant}/oauth2/logout`: parameters in the query or,
/// for POST, the form body.
pub async fn logout(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    RawQuery(query): RawQuery,
    body: String,
) -> Response {
    let mut params: HashMap<String, String> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    params.extend(url::form_urlencoded::parse(body.as_bytes()).into_owned());
    let get = |name: &str| sent_param(&params, name);
    let (now, utc) = (shared.clock.now(), shared.clock.utc());
    let directory = shared.directory();
    let tenant_ref = match resolve_tenant(&directory, &tenant) {
        Ok(found) => found,
        Err(error) => return error_page(utc, error.code, &error.message),
    };
    let Some(target) = get("post_logout_redirect_uri").filter(|uri| {
        url::Url::parse(uri).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
    }) else {
        return signed_out_page();
    };
    let client_id = get("client_id")
        .map(str::to_owned)
        .or_else(|| get("id_token_hint").and_then(audience_of));
    if let Some(client_id) = client_id {
        let probe = match tenant_ref {
            TenantRef::Tenant(t) => vec![t],
            _ => (0..directory.tenants.len()).collect(),
        };
        let accepted = probe.into_iter().any(|t| {
            directory
                .client_view(t, &client_id, now)
                .is_some_and(|client| client_accepts_redirect(&client, target))
        });
        if !accepted {
            return signed_out_page();
        }
    }
    match get("state") {
        Some(state) => redirect(&with_query(target, &[("state", state)])),
        None => redirect(target),
    }
}

/// The `aud` of an ID token (without checking it: a hint names the client, it proves nothing).
fn audience_of(id_token: &str) -> Option<String> {
    let payload = id_token.split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    claims.get("aud")?.as_str().map(str::to_owned)
}

/// The page shown after signing out without a redirect.
fn signed_out_page() -> Response {
    Html(
        "<!DOCTYPE html><html><head><title>Sign out</title></head><body><h1>You signed out of your account</h1>\
<p>It's a good idea to close all browser windows.</p></body></html>",
    )
    .into_response()
}

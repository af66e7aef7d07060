//! The device-code flow: `POST /{tenant}/oauth2/v2.0/devicecode` and the verification page `/devicelogin`
//! (GET shows a form listing the users; POST with `user_code`, `upn` and `action=approve|decline` settles it).
//!
//! A code lives `device_code_expires_in` seconds (Microsoft's 900 by default); polls after that answer
//! `expired_token` (AADSTS70020). Microsoft documents no `slow_down`, so polling faster than `interval` is
//! not penalised.
//!
//! With `sign_in.as`, the code is approved for the next user as soon as it is issued, so the first poll
//! succeeds; without it, polls answer `authorization_pending` until the page is used.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::{TenantRef, html_escape, parse_delegated_scope, resolve_tenant, unknown_client};
use crate::errors::{AadError, ests_json};
use crate::server::Shared;
use crate::state::{DeviceCodeGrant, DeviceStatus, random_token};

/// `POST /{tenant}/oauth2/v2.0/devicecode`.
pub async fn devicecode(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    _headers: HeaderMap,
    body: String,
) -> Response {
    let fields: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let (now, utc) = (shared.clock.now(), shared.clock.utc());
    let mut directory = shared.directory();
    let tenant_ref = match resolve_tenant(&directory, &tenant) {
        Ok(found) => found,
        Err(error) => return error.response(utc),
    };
    let Some(client_id) = fields.get("client_id").filter(|v| !v.is_empty()) else {
        return AadError::bad_request(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        )
        .response(utc);
    };
    let scope = fields
        .get("scope")
        .cloned()
        .unwrap_or_else(|| "openid profile offline_access".to_owned());
    if let Err(error) = parse_delegated_scope(&scope) {
        return error.response(utc);
    }
    let probe = match tenant_ref {
        TenantRef::Tenant(t) => Some(t),
        _ => None,
    };
    let known = match probe {
        Some(t) => directory.client_view(t, client_id, now).is_some(),
        None => {
            (0..directory.tenants.len()).any(|t| directory.client_view(t, client_id, now).is_some())
        }
    };
    if !known {
        let name = probe
            .map(|t| directory.tenants[t].display_name.clone())
            .unwrap_or_else(|| tenant.clone());
        return unknown_client(client_id, &name).response(utc);
    }
    // Who will sign in: with sign_in.as, the next user now; the tenant is theirs on /common.
    let auto_user = directory.next_sign_in();
    let auto = auto_user.as_deref().and_then(|upn| {
        let t = directory.tenant_of_upn(upn)?;
        if probe.is_some_and(|wanted| wanted != t) {
            return None;
        }
        Some((t, directory.tenants[t].user_by_upn(upn)?.id.clone()))
    });
    let tenant_id = match (probe, &auto) {
        (Some(t), _) => directory.tenants[t].id.clone(),
        (None, Some((t, _))) => directory.tenants[*t].id.clone(),
        (None, None) => String::new(),
    };
    let user_code: String = random_token(12)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(9)
        .collect::<String>()
        .to_ascii_uppercase();
    let device_code = format!("DAQABAAEAAA{}", random_token(96));
    let lifetime = directory.device_code_lifetime;
    directory.device_codes.push(DeviceCodeGrant {
        device_code: device_code.clone(),
        user_code: user_code.clone(),
        tenant_id,
        client_id: client_id.to_ascii_lowercase(),
        scopes: scope.split_whitespace().map(str::to_owned).collect(),
        expires: now + lifetime,
        status: match auto {
            Some((_, user_id)) => DeviceStatus::Approved(user_id),
            None => DeviceStatus::Pending,
        },
    });
    let verification_uri = format!("{}/devicelogin", shared.public_base());
    let body = json!({
        "user_code": user_code,
        "device_code": device_code,
        "verification_uri": verification_uri,
        "expires_in": lifetime.as_secs(),
        "interval": 5,
        "message": format!("To sign in, use a web browser to open the page {verification_uri} and enter the code {user_code} to authenticate."),
    });
    ests_json(StatusCode::OK, &body, false)
}

/// `GET /devicelogin`: the form where a user enters the code and picks who they are.
pub async fn devicelogin_page(State(shared): State<Arc<Shared>>) -> Response {
    let action = html_escape(&format!("{}/devicelogin", shared.public_base()));
    let directory = shared.directory();
    let mut options = String::new();
    for tenant in &directory.tenants {
        for user in &tenant.users {
            options.push_str(&format!(
                "<option value=\"{}\">{} ({})</option>",
                html_escape(&user.upn),
                html_escape(&user.display_name),
                html_escape(&user.upn)
            ));
        }
    }
    let body = format!(
        "<!DOCTYPE html><html><head><title>Enter code</title></head><body><h1>Enter code</h1>\
<form method=\"post\" action=\"{action}\"><input name=\"user_code\" placeholder=\"Code\">\
<select name=\"upn\">{options}</select>\
<button name=\"action\" value=\"approve\">Continue</button><button name=\"action\" value=\"decline\">Cancel</button></form></body></html>"
    );
    Html(body).into_response()
}

/// `POST /devicelogin`: approves or declines a pending code.
pub async fn devicelogin_submit(
    State(shared): State<Arc<Shared>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let now = shared.clock.now();
    let mut directory = shared.directory();
    let code = form
        .get("user_code")
        .map(|c| c.trim().to_ascii_uppercase())
        .unwrap_or_default();
    let upn = form.get("upn").cloned().unwrap_or_default();
    let approve = form.get("action").map(String::as_str) != Some("decline");
    let user = directory.tenant_of_upn(&upn).and_then(|t| {
        directory.tenants[t].user_by_upn(&upn).map(|u| {
            (
                directory.tenants[t].id.clone(),
                u.id.clone(),
                u.account_enabled,
            )
        })
    });
    let Some(grant) = directory.device_codes.iter_mut().find(|grant| {
        grant.user_code == code && grant.status == DeviceStatus::Pending && grant.expires > now
    }) else {
        return (
            StatusCode::BAD_REQUEST,
            Html("<p>AADSTS70019: That code didn't work. Check the code and try again.</p>"),
        )
            .into_response();
    };
    let Some((tenant_id, user_id, enabled)) = user else {
        return (
            StatusCode::BAD_REQUEST,
            Html("<p>AADSTS50034: The user account does not exist in the directory.</p>"),
        )
            .into_response();
    };
    if !grant.tenant_id.is_empty() && grant.tenant_id != tenant_id {
        return (StatusCode::BAD_REQUEST, Html("<p>AADSTS50020: The user account does not exist in the tenant the code was issued for.</p>")).into_response();
    }
    if !enabled {
        return (
            StatusCode::BAD_REQUEST,
            Html("<p>AADSTS50057: The user account is disabled.</p>"),
        )
            .into_response();
    }
    grant.tenant_id = tenant_id;
    grant.status = if approve {
        DeviceStatus::Approved(user_id)
    } else {
        DeviceStatus::Declined
    };
    Html(if approve {
        "<p>You have signed in to the application on your device. You may now close this window.</p>"
    } else {
        "<p>You have declined to sign in to the application on your device.</p>"
    })
    .into_response()
}

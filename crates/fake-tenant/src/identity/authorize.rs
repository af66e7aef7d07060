//! `GET /{tenant}/oauth2/v2.0/authorize`: the authorization-code front channel with PKCE.
//!
//! Errors that cannot go back to the client (unknown tenant or app, an unregistered redirect URI — AADSTS50011,
//! a single-tenant app on /common — AADSTS50194, consent only an admin can give — AADSTS90094) are shown as
//! the login page would; the rest redirect with `error` / `error_description`. With `sign_in.as` no page is
//! shown; otherwise a minimal page lists the users.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};

use super::{
    ConsentOutcome, TenantRef, account_picker, choose_user, client_accepts_redirect, error_page,
    interactive_consent, parse_delegated_scope, redirect, redirect_mismatch_page, sent_param,
    tenant_and_client, unknown_client_page, with_query,
};
use crate::server::Shared;
use crate::state::{AuthCode, random_token};

/// `GET /{tenant}/oauth2/v2.0/authorize`.
pub async fn authorize(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let get = |name: &str| sent_param(&params, name);
    let (now, utc) = (shared.clock.now(), shared.clock.utc());
    let mut directory = shared.directory();
    let (tenant_ref, client_id) = match tenant_and_client(&directory, &tenant, &params) {
        Ok(found) => found,
        Err(error) => return error_page(utc, error.code, &error.message),
    };
    let Some(redirect_uri) = get("redirect_uri") else {
        return error_page(utc, 900971, "No reply address provided.");
    };
    let state = get("state").unwrap_or_default().to_owned();
    let fail = |error: &str, description: &str| {
        let mut query = vec![("error", error), ("error_description", description)];
        if !state.is_empty() {
            query.push(("state", &state));
        }
        redirect(&with_query(redirect_uri, &query))
    };

    // The client must be known where it is used, and the redirect URI registered, before anything redirects.
    let probe_tenant = match tenant_ref {
        TenantRef::Tenant(t) => t,
        _ => 0,
    };
    let client = directory
        .client_view(probe_tenant, client_id, now)
        .or_else(|| {
            (0..directory.tenants.len()).find_map(|t| directory.client_view(t, client_id, now))
        });
    let Some(client) = client else {
        let name = match tenant_ref {
            TenantRef::Tenant(t) => directory.tenants[t].display_name.clone(),
            _ => tenant.clone(),
        };
        return unknown_client_page(utc, client_id, &name);
    };
    if !client_accepts_redirect(&client, redirect_uri) {
        return redirect_mismatch_page(utc, &client, redirect_uri);
    }
    if matches!(tenant_ref, TenantRef::Common | TenantRef::Organizations)
        && client.sign_in_audience == "AzureADMyOrg"
    {
        return error_page(
            utc,
            50194,
            &format!(
                "Application '{}'({}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.",
                client.app_id, client.display_name
            ),
        );
    }
    if get("response_type") != Some("code") {
        return fail(
            "unsupported_response_type",
            "AADSTS700054: response_type 'code' is expected here.",
        );
    }
    let scope_text = get("scope").unwrap_or("openid profile");
    let scope = match parse_delegated_scope(scope_text) {
        Ok(scope) => scope,
        Err(error) => {
            return fail(
                error.error,
                &format!("AADSTS{}: {}", error.code, error.message),
            );
        }
    };
    if let Some(method) = get("code_challenge_method")
        && method != "S256"
        && method != "plain"
    {
        return fail(
            "invalid_request",
            "AADSTS501491: Invalid code_challenge_method.",
        );
    }
    if get("fake_cancel").is_some() {
        return fail("access_denied", "the user canceled the authentication");
    }

    let Some((t, user)) = choose_user(&mut directory, tenant_ref, &params) else {
        return account_picker(
            &shared,
            &directory,
            tenant_ref,
            &format!("{tenant}/oauth2/v2.0/authorize"),
            &params,
            &format!("Sign in to {}", client.display_name),
        );
    };
    if !user.account_enabled {
        return error_page(utc, 50057, "The user account is disabled.");
    }
    // The app as the user's tenant sees it (a multi-tenant app signs users of other tenants in).
    let Some(client) = directory.client_view(t, client_id, now) else {
        return unknown_client_page(utc, client_id, &directory.tenants[t].display_name);
    };
    if client.sign_in_audience == "AzureADMyOrg"
        && !directory.tenants[t]
            .applications
            .iter()
            .any(|a| a.app_id.eq_ignore_ascii_case(client_id))
    {
        return error_page(
            utc,
            50020,
            &format!(
                "User account '{}' from identity provider 'https://sts.windows.net/{}/' does not exist in tenant '{}' and cannot access the application '{}'({}) in that tenant.",
                user.upn,
                directory.tenants[t].id,
                directory.tenants[t].display_name,
                client.app_id,
                client.display_name
            ),
        );
    }
    if interactive_consent(&mut directory, t, &client, &user, &scope, now)
        == ConsentOutcome::NeedsAdmin
    {
        let message = if directory.tenants[t].admin_consent_workflow {
            format!(
                "{} needs permission to access resources in your organization that only an admin can grant. Request approval from an admin to use this app.",
                client.display_name
            )
        } else {
            format!(
                "{} needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.",
                client.display_name
            )
        };
        return error_page(
            utc,
            90094,
            &format!("Administrator consent is required. {message}"),
        );
    }
    let code = format!("1.A{}", random_token(96));
    let tenant_id = directory.tenants[t].id.clone();
    // A new sign-in session: its ID is the tokens' `sid` and the redirect's `session_state`.
    let session_id = crate::state::new_guid();
    directory.codes.insert(
        code.clone(),
        AuthCode {
            tenant_id,
            client_id: client.app_id.clone(),
            redirect_uri: redirect_uri.to_owned(),
            code_challenge: get("code_challenge").map(str::to_owned),
            code_challenge_method: get("code_challenge_method")
                .map(str::to_owned)
                .or(get("code_challenge").map(|_| "plain".to_owned())),
            user_id: user.id.clone(),
            scopes: scope_text.split_whitespace().map(str::to_owned).collect(),
            nonce: get("nonce").map(str::to_owned),
            session_id: session_id.clone(),
            expires: now + Duration::from_secs(600),
            redeemed: false,
        },
    );
    let mut query = vec![("code", code.as_str())];
    if !state.is_empty() {
        query.push(("state", &state));
    }
    query.push(("session_state", &session_id));
    redirect(&with_query(redirect_uri, &query)).into_response()
}

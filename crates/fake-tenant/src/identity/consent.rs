//! Admin consent: `GET /{tenant}/v2.0/adminconsent` (scope-based) and the v1-style `GET /{tenant}/adminconsent`.
//!
//! A signed-in admin approving creates the service principal if missing, an `AllPrincipals` delegated grant
//! and app role assignments (for `.default` / v1: everything in the app's requested permissions). Named
//! scopes may be Microsoft Graph's or Office 365 Exchange Online's (`https://outlook.office365.com/…`),
//! each checked against its resource's catalogue and granted on its resource's service principal. Success and error redirects carry `admin_consent=True`,
//! errors included, as Microsoft sends them.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::{
    TenantRef, account_picker, choose_user, client_accepts_redirect, error_page, redirect,
    redirect_mismatch_page, sent_param, tenant_and_client, unknown_client_page, with_query,
};
use crate::permissions::{self, Resource};
use crate::server::Shared;

/// `GET /{tenant}/v2.0/adminconsent`.
pub async fn adminconsent_v2(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    admin_consent(&shared, &tenant, &params, true)
}

/// `GET /{tenant}/adminconsent`.
pub async fn adminconsent_v1(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    admin_consent(&shared, &tenant, &params, false)
}

fn admin_consent(
    shared: &Shared,
    tenant: &str,
    params: &HashMap<String, String>,
    v2: bool,
) -> Response {
    let get = |name: &str| sent_param(params, name);
    let (now, utc) = (shared.clock.now(), shared.clock.utc());
    let mut directory = shared.directory();
    let (tenant_ref, client_id) = match tenant_and_client(&directory, tenant, params) {
        Ok(found) => found,
        Err(error) => return error_page(utc, error.code, &error.message),
    };
    let state = get("state").unwrap_or_default().to_owned();
    let scope_param = get("scope").unwrap_or_default().to_owned();
    if v2 && scope_param.is_empty() {
        return error_page(
            utc,
            900144,
            "The request body must contain the following parameter: 'scope'.",
        );
    }
    let probe = match tenant_ref {
        TenantRef::Tenant(t) => t,
        _ => 0,
    };
    let Some(client) = directory.client_view(probe, client_id, now) else {
        return unknown_client_page(utc, client_id, tenant);
    };
    let redirect_uri = get("redirect_uri")
        .map(str::to_owned)
        .or_else(|| client.web_redirect_uris.first().cloned());
    let Some(redirect_uri) = redirect_uri else {
        return error_page(utc, 900971, "No reply address provided.");
    };
    if !client_accepts_redirect(&client, &redirect_uri) {
        return redirect_mismatch_page(utc, &client, &redirect_uri);
    }
    let fail = |error: &str, description: &str| {
        let mut query = vec![];
        if v2 {
            query.push(("admin_consent", "True"));
        }
        query.push(("error", error));
        query.push(("error_description", description));
        if !state.is_empty() {
            query.push(("state", state.as_str()));
        }
        if !v2 {
            query.push(("admin_consent", "True"));
        }
        redirect(&with_query(&redirect_uri, &query))
    };
    if get("fake_cancel").is_some() {
        return if v2 {
            fail(
                "consent_required",
                "AADSTS65004: The resource owner or authorization server denied the request.",
            )
        } else {
            fail("permission_denied", "The admin canceled the request")
        };
    }
    let Some((t, user)) = choose_user(&mut directory, tenant_ref, params) else {
        let path = if v2 {
            "v2.0/adminconsent"
        } else {
            "adminconsent"
        };
        return account_picker(
            shared,
            &directory,
            tenant_ref,
            &format!("{tenant}/{path}"),
            params,
            &format!("Permissions requested by {}", client.display_name),
        );
    };
    if !user.admin {
        return fail(
            "access_denied",
            "AADSTS90093: Calling principal cannot consent due to lack of permissions. An administrator of the tenant must grant consent for this application.",
        );
    }
    let Some(client) = directory.client_view(t, client_id, now) else {
        return unknown_client_page(utc, client_id, &directory.tenants[t].display_name);
    };
    // What is approved: named scopes, or with `.default` (and on v1) everything the app requests.
    // Scenario-style names: Exchange Online's carry `permissions::EXCHANGE_PREFIX`.
    let mut delegated: Vec<String> = Vec::new();
    let mut application: Vec<String> = Vec::new();
    let mut everything = !v2;
    for item in scope_param.split_whitespace() {
        let (prefix, name) = item
            .rsplit_once('/')
            .unwrap_or(("https://graph.microsoft.com", item));
        if name == ".default" {
            everything = true;
        } else if let Some((resource, _)) = Resource::from_identifier(prefix)
            .filter(|(resource, _)| permissions::is_scope_of(*resource, name))
        {
            delegated.push(permissions::scenario_name(resource, name));
        } else if !permissions::OIDC_SCOPES.contains(&name) {
            return fail(
                "invalid_scope",
                &format!(
                    "AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope {item} is not valid."
                ),
            );
        }
    }
    if everything {
        delegated.extend(client.permissions.delegated.iter().cloned());
        application.extend(client.permissions.application.iter().cloned());
    }
    let tenant = &mut directory.tenants[t];
    let sp_id = match tenant.sp_by_app_id(&client.app_id, now) {
        Some(sp) => sp.id.clone(),
        None => {
            let owner = tenant
                .vendor_apps
                .iter()
                .find(|v| v.app_id.eq_ignore_ascii_case(&client.app_id))
                .map(|v| v.publisher_tenant_id.clone())
                .filter(|owner| !owner.is_empty())
                .unwrap_or_else(|| tenant.id.clone());
            tenant.add_client_sp(
                &client.app_id,
                &client.display_name,
                &client.sign_in_audience,
                &owner,
                now,
            )
        }
    };
    for resource in [Resource::Graph, Resource::Exchange] {
        let scopes: Vec<String> = delegated
            .iter()
            .map(|name| permissions::split_resource(name))
            .filter(|(r, _)| *r == resource)
            .map(|(_, name)| name.to_owned())
            .collect();
        if !scopes.is_empty() {
            tenant.record_delegated_consent(resource, &sp_id, None, &scopes, now);
        }
        let granted = tenant.granted_roles(resource, &client.app_id, now);
        for (_, role) in application
            .iter()
            .map(|name| permissions::split_resource(name))
            .filter(|(r, name)| *r == resource && !granted.iter().any(|g| g == name))
        {
            if let Some(permission) = permissions::application_of(resource, role) {
                tenant.add_assignment_on(resource, &sp_id, permission.id, utc, now);
            }
        }
    }
    let tenant_id = tenant.id.clone();
    let mut query = vec![];
    if v2 {
        query.push(("admin_consent", "True"));
        query.push(("tenant", tenant_id.as_str()));
        query.push(("scope", scope_param.as_str()));
        if !state.is_empty() {
            query.push(("state", state.as_str()));
        }
    } else {
        query.push(("tenant", tenant_id.as_str()));
        if !state.is_empty() {
            query.push(("state", state.as_str()));
        }
        query.push(("admin_consent", "True"));
    }
    redirect(&with_query(&redirect_uri, &query))
}

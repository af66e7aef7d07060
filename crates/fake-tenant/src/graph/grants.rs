//! `/v1.0/oauth2PermissionGrants`: delegated permission grants — list with `$filter` (`clientId`,
//! `consentType`, `principalId`, `resourceId`), create, update the `scope`, delete.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::{Call, method_not_allowed, split_key};
use crate::errors::{GraphError, graph_empty};
use crate::state::{Grant, random_token};

/// Who may list and read delegated permission grants, delegated or app-only:
/// `DelegatedPermissionGrant.Read.All` (the least privileged), `Directory.Read.All`, or a permission
/// that also writes them (reference/microsoft-wire.md §4.1). `Application.Read.All` alone is not
/// enough.
const READ: &[&str] = &[
    "DelegatedPermissionGrant.Read.All",
    "DelegatedPermissionGrant.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];
/// Who may write delegated permission grants, delegated or app-only.
const WRITE: &[&str] = &[
    "DelegatedPermissionGrant.ReadWrite.All",
    "Directory.ReadWrite.All",
];

/// The Graph JSON of a grant.
pub fn grant_json(grant: &Grant) -> Value {
    json!({
        "clientId": grant.client_id,
        "consentType": grant.consent_type,
        "id": grant.id,
        "principalId": grant.principal_id,
        "resourceId": grant.resource_id,
        "scope": grant.scope,
    })
}

/// Routes `/oauth2PermissionGrants…`.
pub fn route(call: &Call<'_>) -> Result<Response, GraphError> {
    let (_, inline) = split_key(&call.segments[0]);
    let key = inline
        .map(|(_, k)| k)
        .or_else(|| call.segments.get(1).cloned());
    match (key, &call.method) {
        (None, &Method::GET) => list(call),
        (None, &Method::POST) => create(call),
        (Some(id), &Method::GET) => get(call, &id),
        (Some(id), &Method::PATCH) => update(call, &id),
        (Some(id), &Method::DELETE) => delete(call, &id),
        _ => Err(method_not_allowed(call)),
    }
}

/// The grants of the caller's tenant visible now, once the caller may read them.
fn read_visible<T>(
    call: &Call<'_>,
    read: impl FnOnce(Vec<&Grant>) -> Result<T, GraphError>,
) -> Result<T, GraphError> {
    call.read_tenant(READ, READ, |tenant| {
        read(
            tenant
                .grants
                .iter()
                .filter(|g| g.visible_at <= call.now)
                .collect(),
        )
    })
}

fn list(call: &Call<'_>) -> Result<Response, GraphError> {
    read_visible(call, |grants| {
        let items = grants.into_iter().map(grant_json).collect();
        call.collection("oauth2PermissionGrants", "oAuth2PermissionGrant", items)
    })
}

fn get(call: &Call<'_>, id: &str) -> Result<Response, GraphError> {
    read_visible(call, |grants| {
        let grant = grants
            .into_iter()
            .find(|g| g.id == id)
            .ok_or_else(|| call.not_found(id))?;
        call.entity(
            StatusCode::OK,
            "oauth2PermissionGrants/$entity",
            "oAuth2PermissionGrant",
            grant_json(grant),
        )
    })
}

fn create(call: &Call<'_>) -> Result<Response, GraphError> {
    let body = call.json_body()?;
    let mut directory = call.shared.directory();
    call.require_admin_write(&directory, WRITE, WRITE)?;
    let visible_at = directory.visible_from(call.now);
    let now = call.now;
    let tenant = &mut directory.tenants[call.caller.tenant];
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
    let client_id = text("clientId").unwrap_or_default();
    let resource_id = text("resourceId").unwrap_or_default();
    let consent_type = text("consentType").unwrap_or_default();
    let principal_id = text("principalId");
    let scope = text("scope").unwrap_or_default();
    if consent_type != "AllPrincipals" && consent_type != "Principal" {
        return Err(call.error(StatusCode::BAD_REQUEST, "Request_BadRequest", "Invalid value specified for property 'consentType' of resource 'OAuth2PermissionGrant'."));
    }
    if (consent_type == "Principal") != principal_id.is_some() {
        return Err(call.error(StatusCode::BAD_REQUEST, "Request_BadRequest", "Invalid value specified for property 'principalId' of resource 'OAuth2PermissionGrant'."));
    }
    for id in [&client_id, &resource_id] {
        if !tenant
            .service_principals
            .iter()
            .any(|sp| &sp.id == id && sp.visible_at <= now)
        {
            return Err(call.not_found(id));
        }
    }
    if tenant.grants.iter().any(|g| {
        g.client_id == client_id
            && g.resource_id == resource_id
            && g.consent_type == consent_type
            && g.principal_id == principal_id
    }) {
        return Err(call.error(
            StatusCode::CONFLICT,
            "Request_MultipleObjectsWithSameKeyValue",
            "Permission entry already exists.",
        ));
    }
    let grant = Grant {
        id: random_token(32),
        client_id,
        consent_type,
        principal_id,
        resource_id,
        scope,
        visible_at,
    };
    let json = grant_json(&grant);
    tenant.grants.push(grant);
    call.entity(
        StatusCode::CREATED,
        "oauth2PermissionGrants/$entity",
        "oAuth2PermissionGrant",
        json,
    )
}

fn update(call: &Call<'_>, id: &str) -> Result<Response, GraphError> {
    let body = call.json_body()?;
    call.write_tenant(WRITE, WRITE, |tenant| {
        let grant = tenant
            .grants
            .iter_mut()
            .find(|g| g.visible_at <= call.now && g.id == id)
            .ok_or_else(|| call.not_found(id))?;
        for (property, value) in &body {
            match property.as_str() {
                "scope" => grant.scope = value.as_str().unwrap_or_default().to_owned(),
                other => {
                    return Err(call.error(
                        StatusCode::BAD_REQUEST,
                        "Request_BadRequest",
                        format!("Property '{other}' is read-only and cannot be set."),
                    ));
                }
            }
        }
        Ok(graph_empty(&call.ids, StatusCode::NO_CONTENT))
    })
}

fn delete(call: &Call<'_>, id: &str) -> Result<Response, GraphError> {
    call.write_tenant(WRITE, WRITE, |tenant| {
        let index = tenant
            .grants
            .iter()
            .position(|g| g.id == id)
            .ok_or_else(|| call.not_found(id))?;
        tenant.grants.remove(index);
        Ok(graph_empty(&call.ids, StatusCode::NO_CONTENT))
    })
}

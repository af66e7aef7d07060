//! `/v1.0/servicePrincipals`: list (`$filter`), get by ID or `(appId='…')` — including the Microsoft Graph
//! service principal with Microsoft's whole catalogue (337 `appRoles`, 403 `oauth2PermissionScopes`,
//! real IDs, `type` and texts) and the Office 365 Exchange Online one with its mail permissions — create,
//! update (`appRoleAssignmentRequired`), and the navigation properties `appRoleAssignedTo` (GET,
//! POST → 201), `appRoleAssignments` and `oauth2PermissionGrants`. An app role assignment must name
//! a role of the resource it is on, or assign a user default access to the addressed application.

use std::time::Instant;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::grants::grant_json;
use super::{
    APPS_READ_APPLICATION, APPS_READ_DELEGATED, APPS_WRITE_APPLICATION, APPS_WRITE_DELEGATED, Call,
    GRAPH_BASE, graph_time, key_context, method_not_allowed, with_location,
};
use crate::errors::GraphError;
use crate::errors::graph_empty;
use crate::permissions::{self, Resource};
use crate::state::{Assignment, ServicePrincipal, SpKind, Tenant};
use entra_graph_catalogue::Kind;

const ASSIGN_DELEGATED: &[&str] = &["AppRoleAssignment.ReadWrite.All", "Directory.ReadWrite.All"];
const ASSIGN_APPLICATION: &[&str] = &["AppRoleAssignment.ReadWrite.All"];

/// The `appRoles` and `oauth2PermissionScopes` a first-party resource's service principal serves, as
/// Microsoft shapes them.
fn catalogue_json(resource: Resource) -> (Vec<Value>, Vec<Value>) {
    let catalogue = resource.catalogue();
    let roles = catalogue
        .app_roles()
        .iter()
        .map(|p| {
            json!({"allowedMemberTypes": ["Application"], "description": p.description,
                   "displayName": p.display_name, "id": p.id, "isEnabled": true, "origin": "Application",
                   "value": p.value})
        })
        .collect();
    let scopes = catalogue
        .scopes()
        .iter()
        .map(|p| {
            json!({"adminConsentDescription": p.description, "adminConsentDisplayName": p.display_name,
                   "id": p.id, "isEnabled": true,
                   "type": permissions::exchange_scope_type(p).as_str(),
                   "userConsentDescription": p.user_consent_description,
                   "userConsentDisplayName": p.user_consent_display_name, "value": p.value})
        })
        .collect();
    (roles, scopes)
}

/// The Graph JSON of a service principal.
pub fn to_json(sp: &ServicePrincipal, tenant: &Tenant) -> Value {
    let (app_roles, scopes): (Vec<Value>, Vec<Value>) = match sp.kind {
        SpKind::Graph => catalogue_json(Resource::Graph),
        SpKind::Exchange => catalogue_json(Resource::Exchange),
        SpKind::Client => (Vec::new(), Vec::new()),
    };
    let enabled = sp.account_enabled
        && tenant
            .applications
            .iter()
            .find(|a| a.app_id == sp.app_id)
            .is_none_or(|a| a.enabled);
    // Its client ID, then the application's identifier URIs, as Graph lists them.
    let mut names = vec![sp.app_id.clone()];
    if let Some(app) = tenant
        .applications
        .iter()
        .find(|a| a.app_id.eq_ignore_ascii_case(&sp.app_id))
    {
        names.extend(app.identifier_uris.iter().cloned());
    }
    json!({
        "id": sp.id,
        "deletedDateTime": null,
        "accountEnabled": enabled,
        "alternativeNames": [],
        "appDisplayName": sp.display_name,
        "appDescription": null,
        "appId": sp.app_id,
        "applicationTemplateId": null,
        "appOwnerOrganizationId": sp.app_owner_organization_id,
        "appRoleAssignmentRequired": sp.app_role_assignment_required,
        "createdByAppId": null,
        "description": null,
        "disabledByMicrosoftStatus": null,
        "displayName": sp.display_name,
        "homepage": null,
        "loginUrl": null,
        "logoutUrl": null,
        "notes": null,
        "notificationEmailAddresses": [],
        "preferredSingleSignOnMode": null,
        "preferredTokenSigningKeyThumbprint": null,
        "replyUrls": sp.reply_urls,
        "servicePrincipalNames": names,
        "servicePrincipalType": "Application",
        "signInAudience": sp.sign_in_audience,
        "tags": [],
        "tokenEncryptionKeyId": null,
        "samlSingleSignOnSettings": null,
        "addIns": [],
        "appRoles": app_roles,
        "info": {"logoUrl": null, "marketingUrl": null, "privacyStatementUrl": null, "supportUrl": null, "termsOfServiceUrl": null},
        "keyCredentials": [],
        "oauth2PermissionScopes": scopes,
        "passwordCredentials": [],
        "resourceSpecificApplicationPermissions": [],
        "verifiedPublisher": {"displayName": null, "verifiedPublisherId": null, "addedDateTime": null},
    })
}

/// The Graph JSON of an app role assignment.
pub fn assignment_json(assignment: &Assignment) -> Value {
    json!({
        "id": assignment.id,
        "deletedDateTime": null,
        "appRoleId": assignment.app_role_id,
        "createdDateTime": graph_time(&assignment.created),
        "principalDisplayName": assignment.principal_display_name,
        "principalId": assignment.principal_id,
        "principalType": assignment.principal_type,
        "resourceDisplayName": assignment.resource_display_name,
        "resourceId": assignment.resource_id,
    })
}

/// The navigation properties of a service principal the stand-in serves.
const SEGMENTS: &[&str] = &[
    "appRoleAssignedTo",
    "appRoleAssignments",
    "oauth2PermissionGrants",
];

/// Routes `/servicePrincipals…`.
pub fn route(call: &Call<'_>) -> Result<Response, GraphError> {
    let (key, nav) = call.entity_path();
    match (key, nav, &call.method) {
        (None, _, &Method::GET) => list(call),
        (None, _, &Method::POST) => create(call),
        (Some(key), None, &Method::GET) => get(call, &key),
        (Some(key), None, &Method::DELETE) => delete(call, &key),
        (Some(key), None, &Method::PATCH) => update(call, &key),
        (Some(key), Some("appRoleAssignedTo"), &Method::GET) => assignments(call, &key, true),
        (Some(key), Some("appRoleAssignedTo"), &Method::POST) => assign(call, &key),
        (Some(key), Some("appRoleAssignments"), &Method::GET) => assignments(call, &key, false),
        (Some(key), Some("appRoleAssignments"), &Method::POST) => assign(call, &key),
        (Some(key), Some("oauth2PermissionGrants"), &Method::GET) => grants(call, &key),
        (Some(_), Some(other), _) if !SEGMENTS.contains(&other) => Err(call.unknown_segment(other)),
        _ => Err(method_not_allowed(call)),
    }
}

fn find(tenant: &Tenant, key: &(Option<String>, String), now: Instant) -> Option<usize> {
    tenant.service_principals.iter().position(|sp| {
        sp.visible_at <= now
            && match key.0.as_deref() {
                Some("appId") => sp.app_id.eq_ignore_ascii_case(&key.1),
                Some(_) => false,
                None => sp.id.eq_ignore_ascii_case(&key.1),
            }
    })
}

fn list(call: &Call<'_>) -> Result<Response, GraphError> {
    call.read_tenant(APPS_READ_DELEGATED, APPS_READ_APPLICATION, |tenant| {
        let now = call.now;
        let items = tenant
            .service_principals
            .iter()
            .filter(|sp| sp.visible_at <= now)
            .map(|sp| to_json(sp, tenant))
            .collect();
        call.collection("servicePrincipals", "servicePrincipal", items)
    })
}

/// `read` on the service principal `key` names (404 when there is none visible now) and its tenant,
/// once the caller may read service principals.
fn read_sp<T>(
    call: &Call<'_>,
    key: &(Option<String>, String),
    read: impl FnOnce(&Tenant, &ServicePrincipal) -> Result<T, GraphError>,
) -> Result<T, GraphError> {
    call.read_tenant(APPS_READ_DELEGATED, APPS_READ_APPLICATION, |tenant| {
        let index = find(tenant, key, call.now).ok_or_else(|| call.not_found(&key.1))?;
        read(tenant, &tenant.service_principals[index])
    })
}

fn get(call: &Call<'_>, key: &(Option<String>, String)) -> Result<Response, GraphError> {
    read_sp(call, key, |tenant, sp| {
        call.entity(
            StatusCode::OK,
            "servicePrincipals/$entity",
            "servicePrincipal",
            to_json(sp, tenant),
        )
    })
}

fn create(call: &Call<'_>) -> Result<Response, GraphError> {
    let body = call.json_body()?;
    let mut directory = call.shared.directory();
    call.require_admin_write(&directory, APPS_WRITE_DELEGATED, APPS_WRITE_APPLICATION)?;
    let Some(app_id) = body.get("appId").and_then(Value::as_str).map(str::to_owned) else {
        return Err(call.error(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            "Property 'appId' is required.",
        ));
    };
    let visible_at = directory.visible_from(call.now);
    let now = call.now;
    let t = call.caller.tenant;
    // The app must exist: one of this tenant's, a vendor app, or a multi-tenant app of another tenant.
    let Some(client) = directory
        .client_view(t, &app_id, call.now)
        .filter(|c| !c.first_party_public)
    else {
        return Err(call.error(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            format!("The appId '{app_id}' of the service principal does not reference a valid application object."),
        ));
    };
    let owner = directory
        .tenants
        .iter()
        .find(|tenant| tenant.application_by_app_id(&app_id, now).is_some())
        .map(|tenant| tenant.id.clone());
    let tenant = &mut directory.tenants[t];
    if tenant.sp_by_app_id(&app_id, now).is_some()
        || tenant
            .service_principals
            .iter()
            .any(|sp| sp.app_id.eq_ignore_ascii_case(&app_id))
    {
        return Err(call.error(
            StatusCode::CONFLICT,
            "Request_MultipleObjectsWithSameKeyValue",
            "The service principal cannot be created, updated, or restored because the service principal name ".to_owned()
                + &app_id
                + " is already in use.",
        ));
    }
    let owner = owner
        .or_else(|| {
            tenant
                .vendor_apps
                .iter()
                .find(|v| v.app_id.eq_ignore_ascii_case(&app_id))
                .map(|v| v.publisher_tenant_id.clone())
        })
        .unwrap_or_else(|| tenant.id.clone());
    let id = tenant.add_client_sp(
        &client.app_id,
        &client.display_name,
        &client.sign_in_audience,
        &owner,
        visible_at,
    );
    let sp = tenant
        .service_principals
        .iter()
        .find(|sp| sp.id == id)
        .cloned();
    let json = sp.map(|sp| to_json(&sp, tenant)).unwrap_or(Value::Null);
    let location = format!(
        "{GRAPH_BASE}/v2/{}/directoryObjects/{id}/Microsoft.DirectoryServices.ServicePrincipal",
        tenant.id
    );
    let response = call.entity(
        StatusCode::CREATED,
        "servicePrincipals/$entity",
        "servicePrincipal",
        json,
    )?;
    Ok(with_location(response, &location))
}

/// `DELETE /servicePrincipals/{id}`: the enterprise application goes, and with it the consent given to
/// it (its delegated grants and the app roles assigned to it).
fn delete(call: &Call<'_>, key: &(Option<String>, String)) -> Result<Response, GraphError> {
    call.write_tenant(APPS_WRITE_DELEGATED, APPS_WRITE_APPLICATION, |tenant| {
        let index = find(tenant, key, call.now).ok_or_else(|| call.not_found(&key.1))?;
        if tenant.service_principals[index].kind != SpKind::Client {
            return Err(call.denied());
        }
        let id = tenant.service_principals.remove(index).id;
        tenant.grants.retain(|g| g.client_id != id);
        tenant
            .assignments
            .retain(|a| a.principal_id != id && a.resource_id != id);
        Ok(graph_empty(&call.ids, StatusCode::NO_CONTENT))
    })
}

fn assignments(
    call: &Call<'_>,
    key: &(Option<String>, String),
    assigned_to: bool,
) -> Result<Response, GraphError> {
    read_sp(call, key, |tenant, sp| {
        let items = tenant
            .assignments
            .iter()
            .filter(|a| a.visible_at <= call.now)
            .filter(|a| {
                if assigned_to {
                    a.resource_id == sp.id
                } else {
                    a.principal_id == sp.id
                }
            })
            .map(assignment_json)
            .collect();
        let context = format!(
            "servicePrincipals{}/{}",
            key_context(key),
            if assigned_to {
                "appRoleAssignedTo"
            } else {
                "appRoleAssignments"
            }
        );
        call.collection(&context, "appRoleAssignment", items)
    })
}

fn grants(call: &Call<'_>, key: &(Option<String>, String)) -> Result<Response, GraphError> {
    read_sp(call, key, |tenant, sp| {
        let items = tenant
            .grants
            .iter()
            .filter(|g| g.visible_at <= call.now && g.client_id == sp.id)
            .map(grant_json)
            .collect();
        call.collection("oauth2PermissionGrants", "oAuth2PermissionGrant", items)
    })
}

/// `PATCH /servicePrincipals/{id}`: `appRoleAssignmentRequired` is written; other properties are
/// refused as not written by the stand-in.
fn update(call: &Call<'_>, key: &(Option<String>, String)) -> Result<Response, GraphError> {
    let body = call.json_body()?;
    call.write_tenant(APPS_WRITE_DELEGATED, APPS_WRITE_APPLICATION, |tenant| {
        let index = find(tenant, key, call.now).ok_or_else(|| call.not_found(&key.1))?;
        for (property, value) in &body {
            match (property.as_str(), value.as_bool()) {
                ("appRoleAssignmentRequired", Some(required)) => {
                    tenant.service_principals[index].app_role_assignment_required = required;
                }
                (other, _) => {
                    return Err(call.error(
                        StatusCode::BAD_REQUEST,
                        "Request_BadRequest",
                        format!("Invalid value specified for property '{other}' of resource 'ServicePrincipal'."),
                    ));
                }
            }
        }
        Ok(graph_empty(&call.ids, StatusCode::NO_CONTENT))
    })
}

/// Graph's 400 for an app role assignment that exists already.
fn already_assigned(call: &Call<'_>) -> GraphError {
    call.error(
        StatusCode::BAD_REQUEST,
        "Request_BadRequest",
        "Permission being assigned already exists on the object",
    )
}

/// The 201 answer with the app role assignment made under the service principal at `key`.
fn created_assignment(
    call: &Call<'_>,
    key: &(Option<String>, String),
    assignment: &Assignment,
) -> Result<Response, GraphError> {
    call.entity(
        StatusCode::CREATED,
        &format!(
            "servicePrincipals{}/appRoleAssignedTo/$entity",
            key_context(key)
        ),
        "appRoleAssignment",
        assignment_json(assignment),
    )
}

fn assign(call: &Call<'_>, key: &(Option<String>, String)) -> Result<Response, GraphError> {
    let body = call.json_body()?;
    let mut directory = call.shared.directory();
    call.require_admin_write(&directory, ASSIGN_DELEGATED, ASSIGN_APPLICATION)?;
    let visible_at = directory.visible_from(call.now);
    let now = call.now;
    let tenant = &mut directory.tenants[call.caller.tenant];
    let index = find(tenant, key, now).ok_or_else(|| call.not_found(&key.1))?;
    let text = |name: &str| {
        body.get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (principal_id, resource_id, app_role_id) =
        (text("principalId"), text("resourceId"), text("appRoleId"));
    // A user assigned to this enterprise application (default access), as "Users and groups" does.
    let addressed = tenant.service_principals[index].id.clone();
    if resource_id == addressed
        && tenant.user_by_key(&principal_id).is_some()
        && app_role_id.eq_ignore_ascii_case(crate::state::DEFAULT_ACCESS_ROLE)
    {
        if tenant.assignments.iter().any(|a| {
            a.resource_id == addressed && a.principal_id.eq_ignore_ascii_case(&principal_id)
        }) {
            return Err(already_assigned(call));
        }
        let assignment = tenant
            .assign_user(&addressed, &principal_id, call.ids.date, visible_at)
            .ok_or_else(|| call.not_found(&principal_id))?;
        return created_assignment(call, key, &assignment);
    }
    // The resource: a first-party API whose roles the stand-in knows, or the addressed principal.
    let resource = [Resource::Graph, Resource::Exchange]
        .into_iter()
        .find(|r| tenant.resource_sp(*r).id == resource_id);
    if resource.is_none() && tenant.service_principals[index].id != resource_id {
        return Err(call.not_found(&resource_id));
    }
    if !tenant
        .service_principals
        .iter()
        .any(|sp| sp.id == principal_id && sp.visible_at <= now)
    {
        return Err(call.not_found(&principal_id));
    }
    if resource
        .and_then(|r| r.catalogue().by_id(Kind::Role, &app_role_id))
        .is_none()
    {
        return Err(call.error(
            StatusCode::BAD_REQUEST,
            "Request_BadRequest",
            "Permission being assigned was not found on application",
        ));
    }
    if tenant.assignments.iter().any(|a| {
        a.principal_id == principal_id
            && a.resource_id == resource_id
            && a.app_role_id.eq_ignore_ascii_case(&app_role_id)
    }) {
        return Err(already_assigned(call));
    }
    let mut assignment =
        tenant.add_assignment(&principal_id, &app_role_id, call.ids.date, visible_at);
    if let Some(resource) = resource.filter(|r| *r != Resource::Graph) {
        // add_assignment files a role under Microsoft Graph; this one is another resource's.
        let (id, name) = {
            let sp = tenant.resource_sp(resource);
            (sp.id.clone(), sp.display_name.clone())
        };
        if let Some(stored) = tenant
            .assignments
            .iter_mut()
            .find(|a| a.id == assignment.id)
        {
            stored.resource_id.clone_from(&id);
            stored.resource_display_name.clone_from(&name);
        }
        assignment.resource_id = id;
        assignment.resource_display_name = name;
    }
    created_assignment(call, key, &assignment)
}

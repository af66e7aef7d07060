//! Enterprise applications: a client app's service principal by app ID, its app role assignments
//! (application consent), who is assigned to it and whether assignment is required, and a
//! resource's service principal — Microsoft Graph's or Office 365 Exchange Online's — with its
//! permission catalogue (`appRoles` and `oauth2PermissionScopes`, to resolve permission GUIDs ↔
//! names at run time).

use serde::Deserialize;

use super::permission_ids::ApiResource;
use super::read::{ReadError, Reader};

/// The properties [`service_principal_by_app_id`] selects.
pub const SERVICE_PRINCIPAL_SELECT: &[&str] = &["id", "appId", "displayName"];
/// The properties [`graph_permissions`] selects.
pub const GRAPH_PERMISSIONS_SELECT: &[&str] = &["id", "appRoles", "oauth2PermissionScopes"];
/// The properties [`app_role_assignments`] selects.
pub const APP_ROLE_ASSIGNMENT_SELECT: &[&str] = &["appRoleId", "resourceId"];

/// A service principal (enterprise application).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePrincipal {
    /// The object ID (what grants and assignments refer to).
    pub id: String,
    /// The application (client) ID.
    pub app_id: String,
    /// The display name.
    #[serde(default)]
    pub display_name: Option<String>,
}

/// A resource's permissions: the Graph service principal's catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourcePermissions {
    /// The resource service principal's object ID (the `resourceId` of grants).
    pub id: String,
    /// Application permissions.
    #[serde(default)]
    pub app_roles: Vec<PermissionEntry>,
    /// Delegated permissions.
    #[serde(default)]
    pub oauth2_permission_scopes: Vec<PermissionEntry>,
}

/// One permission of a resource.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PermissionEntry {
    /// The GUID.
    pub id: String,
    /// The name (`Calendars.Read`); Graph sends `null` for some roles.
    #[serde(default)]
    pub value: Option<String>,
    /// For a delegated permission: `User` (users may consent to it themselves) or `Admin` (only
    /// an administrator may).
    #[serde(default, rename = "type")]
    pub consent_type: Option<String>,
}

/// An application permission granted to a client service principal.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppRoleAssignment {
    /// The app role's GUID.
    pub app_role_id: String,
    /// The resource service principal's object ID.
    pub resource_id: String,
}

fn by_app_id(app_id: &str) -> String {
    format!("servicePrincipals(appId='{}')", app_id.replace('\'', "''"))
}

/// `GET /servicePrincipals(appId='{app_id}')`: 404 ([`ReadError::NotFound`]) when the tenant
/// has no enterprise application for the app (nobody consented yet).
pub async fn service_principal_by_app_id(
    reader: &Reader<'_>,
    app_id: &str,
) -> Result<ServicePrincipal, ReadError> {
    reader
        .one(
            &[&by_app_id(app_id)],
            SERVICE_PRINCIPAL_SELECT,
            &[],
            "enterprise application read",
        )
        .await
}

/// The Microsoft Graph service principal's `appRoles` and `oauth2PermissionScopes`.
pub async fn graph_permissions(reader: &Reader<'_>) -> Result<ResourcePermissions, ReadError> {
    resource_permissions(reader, ApiResource::MicrosoftGraph).await
}

/// The `appRoles` and `oauth2PermissionScopes` of `resource`'s service principal in the tenant
/// (`GET /servicePrincipals(appId='…')`), with its object ID (the `resourceId` of grants).
pub async fn resource_permissions(
    reader: &Reader<'_>,
    resource: ApiResource,
) -> Result<ResourcePermissions, ReadError> {
    let what = match resource {
        ApiResource::MicrosoftGraph => "Microsoft Graph permission catalogue read",
        ApiResource::ExchangeOnline => "Office 365 Exchange Online permission catalogue read",
    };
    reader
        .one(
            &[&by_app_id(resource.app_id())],
            GRAPH_PERMISSIONS_SELECT,
            &[],
            what,
        )
        .await
}

/// The properties [`user_assignment_required`] selects.
pub const ASSIGNMENT_REQUIRED_SELECT: &[&str] = &["id", "appRoleAssignmentRequired"];
/// The properties [`users_assigned`] selects.
pub const ASSIGNED_TO_SELECT: &[&str] = &["principalId", "principalType", "appRoleId"];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssignmentRequired {
    #[serde(default)]
    app_role_assignment_required: Option<bool>,
}

/// Whether the service principal `sp_id` lets only assigned users and groups sign in
/// (`appRoleAssignmentRequired`, the admin center's "Assignment required?").
pub async fn user_assignment_required(reader: &Reader<'_>, sp_id: &str) -> Result<bool, ReadError> {
    let read: AssignmentRequired = reader
        .one(
            &["servicePrincipals", sp_id],
            ASSIGNMENT_REQUIRED_SELECT,
            &[],
            "enterprise application read",
        )
        .await?;
    Ok(read.app_role_assignment_required.unwrap_or(false))
}

/// Who is assigned to the enterprise application `sp_id`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignedPrincipal {
    /// The user's, group's or service principal's object ID.
    pub principal_id: String,
    /// `User`, `Group` or `ServicePrincipal`.
    #[serde(default)]
    pub principal_type: Option<String>,
    /// The app role; the all-zero GUID is the default access.
    pub app_role_id: String,
}

/// `GET /servicePrincipals/{sp_id}/appRoleAssignedTo`: the users, groups and apps assigned to
/// the enterprise application, every page.
pub async fn users_assigned(
    reader: &Reader<'_>,
    sp_id: &str,
) -> Result<Vec<AssignedPrincipal>, ReadError> {
    reader
        .all(
            &["servicePrincipals", sp_id, "appRoleAssignedTo"],
            ASSIGNED_TO_SELECT,
            &[],
            "enterprise application assignments read",
        )
        .await
}

/// `GET /servicePrincipals/{sp_id}/appRoleAssignments`: the application permissions granted to
/// the client service principal, every page.
pub async fn app_role_assignments(
    reader: &Reader<'_>,
    sp_id: &str,
) -> Result<Vec<AppRoleAssignment>, ReadError> {
    reader
        .all(
            &["servicePrincipals", sp_id, "appRoleAssignments"],
            APP_ROLE_ASSIGNMENT_SELECT,
            &[],
            "app role assignments read",
        )
        .await
}

//! Every Graph request the core builds, as a template: method, path (with `{placeholders}` for
//! ids), the `$select` and `$filter` properties, and for a write a fully populated body of the
//! very type the request serialises ([`RequestBody::fully_populated`]) and the bound action
//! (`addPassword`) called on the path's entity. The conformance test checks each path, `$select`
//! and `$filter` against Graph's published metadata (`shared/conformance/graph-description`) and
//! walks each body against the entity, complex type or action parameters it is written to; the
//! reads use the same constants and the writes the same body types, so the list cannot drift from
//! what is sent.

use reqwest::Method;
use serde_json::Value;

use super::app_management::{APP_MANAGEMENT_POLICY_SELECT, DEFAULT_APP_MANAGEMENT_POLICY_SELECT};
use super::applications::APPLICATION_SELECT;
use super::bodies::{
    AddPassword, ApplicationBody, AssignmentRequired, GrantScope, NewAppRoleAssignment,
    NewPermissionGrant, NewServicePrincipal, NewUserAssignment, RemovePassword, RequestBody,
    SendMail,
};
use super::consent_requests::{
    APP_CONSENT_REQUEST_FILTER, APP_CONSENT_REQUEST_SELECT, USER_CONSENT_REQUEST_FILTER,
    USER_CONSENT_REQUEST_SELECT,
};
use super::grants::{GRANT_FILTER, GRANT_SELECT};
use super::policies::{ADMIN_CONSENT_REQUEST_POLICY_SELECT, AUTHORIZATION_POLICY_SELECT};
use super::service_principals::{
    APP_ROLE_ASSIGNMENT_SELECT, ASSIGNED_TO_SELECT, ASSIGNMENT_REQUIRED_SELECT,
    GRAPH_PERMISSIONS_SELECT, SERVICE_PRINCIPAL_SELECT,
};
use super::users::{LICENSE_DETAILS_SELECT, USER_SELECT};
use super::write::{GRANT_WITH_ID_FILTER, GRANT_WITH_ID_SELECT};

/// The properties the calendar check selects on events.
pub const CALENDAR_EVENTS_SELECT: &[&str] = &["subject", "start", "end"];

/// One kind of request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestTemplate {
    /// The HTTP method.
    pub method: Method,
    /// The path under `/v1.0/`, e.g. `servicePrincipals/{id}/appRoleAssignments`.
    pub path: &'static str,
    /// The `$select` properties.
    pub select: &'static [&'static str],
    /// The properties named in `$filter`.
    pub filter: &'static [&'static str],
    /// A write's body: a fully populated instance of the type the request sends, as JSON (its
    /// properties are the path's entity type's, or the action's parameters).
    pub body: Option<Value>,
    /// The bound action a `POST` calls on the path's entity (`addPassword`), if any.
    pub action: Option<&'static str>,
}

const fn get(
    path: &'static str,
    select: &'static [&'static str],
    filter: &'static [&'static str],
) -> RequestTemplate {
    RequestTemplate {
        method: Method::GET,
        path,
        select,
        filter,
        body: None,
        action: None,
    }
}

/// A write whose body is a `B`.
fn write<B: RequestBody>(
    method: Method,
    path: &'static str,
    action: Option<&'static str>,
) -> RequestTemplate {
    RequestTemplate {
        method,
        path,
        select: &[],
        filter: &[],
        body: Some(
            serde_json::to_value(B::fully_populated()).expect("a request body serialises to JSON"),
        ),
        action,
    }
}

/// Every Graph request the core builds.
pub fn request_templates() -> Vec<RequestTemplate> {
    vec![
        get("applications(appId='{appId}')", APPLICATION_SELECT, &[]),
        get(
            "applications(uniqueName='{uniqueName}')",
            APPLICATION_SELECT,
            &[],
        ),
        get("applications", crate::reminders::SCAN_SELECT, &[]),
        get(
            "servicePrincipals(appId='{appId}')",
            SERVICE_PRINCIPAL_SELECT,
            &[],
        ),
        get(
            "servicePrincipals(appId='00000003-0000-0000-c000-000000000000')",
            GRAPH_PERMISSIONS_SELECT,
            &[],
        ),
        get(
            "servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')",
            GRAPH_PERMISSIONS_SELECT,
            &[],
        ),
        get("servicePrincipals/{id}", ASSIGNMENT_REQUIRED_SELECT, &[]),
        get(
            "servicePrincipals/{id}/appRoleAssignedTo",
            ASSIGNED_TO_SELECT,
            &[],
        ),
        get(
            "servicePrincipals/{id}/appRoleAssignments",
            APP_ROLE_ASSIGNMENT_SELECT,
            &[],
        ),
        get("oauth2PermissionGrants", GRANT_SELECT, GRANT_FILTER),
        get(
            "policies/authorizationPolicy",
            AUTHORIZATION_POLICY_SELECT,
            &[],
        ),
        get(
            "policies/adminConsentRequestPolicy",
            ADMIN_CONSENT_REQUEST_POLICY_SELECT,
            &[],
        ),
        get(
            "identityGovernance/appConsent/appConsentRequests",
            APP_CONSENT_REQUEST_SELECT,
            APP_CONSENT_REQUEST_FILTER,
        ),
        get(
            "identityGovernance/appConsent/appConsentRequests/{id}/userConsentRequests",
            USER_CONSENT_REQUEST_SELECT,
            USER_CONSENT_REQUEST_FILTER,
        ),
        get("users/{id}", USER_SELECT, &[]),
        get("users/{id}/licenseDetails", LICENSE_DETAILS_SELECT, &[]),
        get("users/{id}/calendar/events", CALENDAR_EVENTS_SELECT, &[]),
        // The repairs (crate::fix).
        get(
            "oauth2PermissionGrants",
            GRANT_WITH_ID_SELECT,
            GRANT_WITH_ID_FILTER,
        ),
        write::<ApplicationBody>(
            Method::PATCH,
            "applications(uniqueName='{uniqueName}')",
            None,
        ),
        write::<ApplicationBody>(Method::PATCH, "applications/{id}", None),
        write::<AddPassword>(Method::POST, "applications/{id}", Some("addPassword")),
        write::<RemovePassword>(Method::POST, "applications/{id}", Some("removePassword")),
        get(
            "policies/defaultAppManagementPolicy",
            DEFAULT_APP_MANAGEMENT_POLICY_SELECT,
            &[],
        ),
        get(
            "applications/{id}/appManagementPolicies",
            APP_MANAGEMENT_POLICY_SELECT,
            &[],
        ),
        write::<NewServicePrincipal>(Method::POST, "servicePrincipals", None),
        write::<NewPermissionGrant>(Method::POST, "oauth2PermissionGrants", None),
        write::<GrantScope>(Method::PATCH, "oauth2PermissionGrants/{id}", None),
        write::<NewAppRoleAssignment>(
            Method::POST,
            "servicePrincipals/{id}/appRoleAssignedTo",
            None,
        ),
        write::<AssignmentRequired>(Method::PATCH, "servicePrincipals/{id}", None),
        write::<NewUserAssignment>(
            Method::POST,
            "servicePrincipals/{id}/appRoleAssignedTo",
            None,
        ),
        // The test message (crate::verify::checks::test_email).
        write::<SendMail>(Method::POST, "me", Some("sendMail")),
        // The monitor's mail alert, with its own token (crate::monitor::alert::mail).
        write::<SendMail>(Method::POST, "users/{id}", Some("sendMail")),
    ]
}

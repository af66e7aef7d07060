//! Every Graph request the core builds, as a template: method, path (with `{placeholders}` for
//! ids), the `$select` and `$filter` properties, and for the repairs' writes the body's
//! properties and the bound action (`addPassword`) called on the path's entity. The conformance
//! test checks each path, `$select` and `$filter` against Graph's published metadata
//! (`shared/conformance/graph-description`); the reads and writes use the same constants, so the
//! list cannot drift from what is sent.

use reqwest::Method;

use super::app_management::{APP_MANAGEMENT_POLICY_SELECT, DEFAULT_APP_MANAGEMENT_POLICY_SELECT};
use super::applications::APPLICATION_SELECT;
use super::consent_requests::{
    APP_CONSENT_REQUEST_FILTER, APP_CONSENT_REQUEST_SELECT, USER_CONSENT_REQUEST_FILTER,
    USER_CONSENT_REQUEST_SELECT,
};
use super::grants::{GRANT_FILTER, GRANT_SELECT};
use super::policies::{ADMIN_CONSENT_REQUEST_POLICY_SELECT, AUTHORIZATION_POLICY_SELECT};
use super::service_principals::{
    APP_ROLE_ASSIGNMENT_SELECT, GRAPH_PERMISSIONS_SELECT, SERVICE_PRINCIPAL_SELECT,
};
use super::users::{LICENSE_DETAILS_SELECT, USER_SELECT};
use super::write::{
    APP_ROLE_ASSIGNMENT_BODY, APPLICATION_CREATE_BODY, APPLICATION_PATCH_BODY, GRANT_CREATE_BODY,
    GRANT_PATCH_BODY, GRANT_WITH_ID_FILTER, GRANT_WITH_ID_SELECT, PASSWORD_CREDENTIAL_BODY,
    REMOVE_PASSWORD_BODY, SERVICE_PRINCIPAL_CREATE_BODY,
};

/// The properties the calendar check selects on events.
pub const CALENDAR_EVENTS_SELECT: &[&str] = &["subject", "start", "end"];

/// One kind of request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestTemplate {
    /// The HTTP method.
    pub method: Method,
    /// The path under `/v1.0/`, e.g. `servicePrincipals/{id}/appRoleAssignments`.
    pub path: &'static str,
    /// The `$select` properties.
    pub select: &'static [&'static str],
    /// The properties named in `$filter`.
    pub filter: &'static [&'static str],
    /// A write's body properties (of the path's entity type, or of the action's parameter).
    pub body: &'static [&'static str],
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
        body: &[],
        action: None,
    }
}

const fn write(
    method: Method,
    path: &'static str,
    body: &'static [&'static str],
    action: Option<&'static str>,
) -> RequestTemplate {
    RequestTemplate {
        method,
        path,
        select: &[],
        filter: &[],
        body,
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
        write(
            Method::PATCH,
            "applications(uniqueName='{uniqueName}')",
            APPLICATION_CREATE_BODY,
            None,
        ),
        write(
            Method::PATCH,
            "applications/{id}",
            APPLICATION_PATCH_BODY,
            None,
        ),
        write(
            Method::POST,
            "applications/{id}",
            PASSWORD_CREDENTIAL_BODY,
            Some("addPassword"),
        ),
        write(
            Method::POST,
            "applications/{id}",
            REMOVE_PASSWORD_BODY,
            Some("removePassword"),
        ),
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
        write(
            Method::POST,
            "servicePrincipals",
            SERVICE_PRINCIPAL_CREATE_BODY,
            None,
        ),
        write(
            Method::POST,
            "oauth2PermissionGrants",
            GRANT_CREATE_BODY,
            None,
        ),
        write(
            Method::PATCH,
            "oauth2PermissionGrants/{id}",
            GRANT_PATCH_BODY,
            None,
        ),
        write(
            Method::POST,
            "servicePrincipals/{id}/appRoleAssignedTo",
            APP_ROLE_ASSIGNMENT_BODY,
            None,
        ),
    ]
}

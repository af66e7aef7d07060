//! `/v1.0/policies/authorizationPolicy` (the tenant's `user_consent` as `permissionGrantPoliciesAssigned`:
//! Microsoft's built-in policy ids, or the scenario's own id verbatim),
//! `/v1.0/policies/adminConsentRequestPolicy` (`admin_consent_workflow` as `isEnabled`) and
//! `/v1.0/policies/defaultAppManagementPolicy` (`secret_max_lifetime_days` as an enabled
//! `passwordLifetime` restriction with `maxLifetime` `P{n}D`, `certificate_max_lifetime_days` as an
//! `asymmetricKeyLifetime` one; 403 when the scenario makes the policy unreadable).

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::{Call, method_not_allowed};
use crate::errors::GraphError;
use crate::scenario::UserConsent;
use crate::state::Tenant;

const READ_DELEGATED: &[&str] = &[
    "Policy.Read.All",
    "Policy.ReadWrite.Authorization",
    "Policy.ReadWrite.PermissionGrant",
    "Directory.Read.All",
];
const READ_APPLICATION: &[&str] = &["Policy.Read.All", "Directory.Read.All"];

/// `permissionGrantPoliciesAssigned` for a user-consent setting: Microsoft's built-in policy ids (the
/// managed setting with Microsoft's mail-client policy beside it, as the admin center assigns them), or
/// the scenario's own policy id verbatim; the Teams resource-specific policies come along, as in a
/// tenant left at its defaults.
pub fn permission_grant_policies(consent: &UserConsent) -> Vec<String> {
    let teams = [
        "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat",
        "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team",
    ];
    let own: Vec<&str> = match consent {
        UserConsent::Legacy => vec!["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"],
        UserConsent::Low => vec!["ManagePermissionGrantsForSelf.microsoft-user-default-low"],
        UserConsent::Recommended => vec![
            "ManagePermissionGrantsForSelf.microsoft-user-default-recommended",
            "ManagePermissionGrantsForSelf.microsoft-user-default-allow-consent-apps",
        ],
        UserConsent::Policy(id) => vec![id.as_str()],
        UserConsent::None => return Vec::new(),
    };
    own.into_iter().chain(teams).map(str::to_owned).collect()
}

/// The Graph JSON of the authorization policy.
pub fn authorization_policy(tenant: &Tenant) -> Value {
    json!({
        "id": "authorizationPolicy",
        "allowInvitesFrom": "everyone",
        "allowedToSignUpEmailBasedSubscriptions": true,
        "allowedToUseSSPR": true,
        "allowEmailVerifiedUsersToJoinOrganization": false,
        "allowUserConsentForRiskyApps": null,
        "blockMsolPowerShell": false,
        "description": "Used to manage authorization related settings across the company.",
        "displayName": "Authorization Policy",
        "guestUserRoleId": "10dae51f-b6af-4016-8d66-8c2a99b929b3",
        "deletedDateTime": null,
        "defaultUserRolePermissions": {
            "allowedToCreateApps": true,
            "allowedToCreateSecurityGroups": true,
            "allowedToCreateTenants": true,
            "allowedToReadBitlockerKeysForOwnedDevice": true,
            "allowedToReadOtherUsers": true,
            "permissionGrantPoliciesAssigned": permission_grant_policies(&tenant.user_consent),
        }
    })
}

/// The Graph JSON of the admin-consent request policy.
pub fn admin_consent_request_policy(tenant: &Tenant) -> Value {
    let reviewers: Vec<Value> = if tenant.admin_consent_workflow {
        tenant
            .users
            .iter()
            .filter(|u| u.admin)
            .map(|u| json!({"query": format!("/users/{}", u.id), "queryType": "MicrosoftGraph", "queryRoot": null}))
            .collect()
    } else {
        Vec::new()
    };
    json!({
        "isEnabled": tenant.admin_consent_workflow,
        "notifyReviewers": tenant.admin_consent_workflow,
        "remindersEnabled": tenant.admin_consent_workflow,
        "requestDurationInDays": if tenant.admin_consent_workflow { 30 } else { 0 },
        "version": 0,
        "reviewers": reviewers,
    })
}

/// An enabled credential-lifetime restriction of kind `restriction_type` allowing `max_days`, or
/// none.
fn lifetime_restriction(restriction_type: &str, max_days: Option<u32>) -> Vec<Value> {
    max_days
        .map(|days| {
            json!({
                "restrictionType": restriction_type,
                "state": "enabled",
                "maxLifetime": format!("P{days}D"),
                "restrictForAppsCreatedAfterDateTime": "2019-01-01T00:00:00Z",
                "excludeActors": null,
            })
        })
        .into_iter()
        .collect()
}

/// The Graph JSON of the tenant's default app-management policy.
pub fn default_app_management_policy(tenant: &Tenant) -> Value {
    let passwords = lifetime_restriction("passwordLifetime", tenant.secret_max_lifetime_days);
    let keys = lifetime_restriction(
        "asymmetricKeyLifetime",
        tenant.certificate_max_lifetime_days,
    );
    json!({
        "id": "00000000-0000-0000-0000-000000000000",
        "displayName": "Default app management tenant policy",
        "description": "Default tenant policy that enforces app management restrictions on applications and service principals. To apply policy to targeted resources, create a new policy under appManagementPolicies collection.",
        "isEnabled": tenant.secret_max_lifetime_days.is_some()
            || tenant.certificate_max_lifetime_days.is_some(),
        "applicationRestrictions": {
            "passwordCredentials": passwords,
            "keyCredentials": keys,
            "identifierUris": {"nonDefaultUriAddition": null},
        },
        "servicePrincipalRestrictions": {
            "passwordCredentials": [],
            "keyCredentials": [],
        },
    })
}

/// Routes `/policies/…`.
pub fn route(call: &Call<'_>) -> Result<Response, GraphError> {
    if call.method != Method::GET {
        return Err(method_not_allowed(call));
    }
    let which = call.segments.get(1).map(String::as_str);
    call.require(READ_DELEGATED, READ_APPLICATION)?;
    let directory = call.shared.directory();
    let tenant = &directory.tenants[call.caller.tenant];
    match which {
        Some("authorizationPolicy") => call.entity(
            StatusCode::OK,
            "policies/authorizationPolicy/$entity",
            "authorizationPolicy",
            authorization_policy(tenant),
        ),
        Some("defaultAppManagementPolicy") => {
            if !tenant.app_management_policy_readable {
                return Err(call.denied());
            }
            call.entity(
                StatusCode::OK,
                "policies/defaultAppManagementPolicy/$entity",
                "tenantAppManagementPolicy",
                default_app_management_policy(tenant),
            )
        }
        Some("adminConsentRequestPolicy") => call.entity(
            StatusCode::OK,
            "policies/adminConsentRequestPolicy/$entity",
            "adminConsentRequestPolicy",
            admin_consent_request_policy(tenant),
        ),
        Some(other) => Err(call.unknown_segment(other)),
        None => Err(call.unknown_segment("policies")),
    }
}

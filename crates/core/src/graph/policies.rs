//! The tenant's consent settings: `GET /policies/authorizationPolicy` (which permission-grant
//! policies the default user role holds: whether users may consent to apps) and
//! `GET /policies/adminConsentRequestPolicy` (whether users may ask an admin for approval).

use serde::Deserialize;

use super::read::{ReadError, Reader};

/// The properties [`authorization_policy`] selects.
pub const AUTHORIZATION_POLICY_SELECT: &[&str] = &["defaultUserRolePermissions"];
/// The properties [`admin_consent_request_policy`] selects.
pub const ADMIN_CONSENT_REQUEST_POLICY_SELECT: &[&str] = &["isEnabled"];

/// The authorization policy, as far as consent goes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationPolicy {
    /// What every member user may do.
    pub default_user_role_permissions: DefaultUserRolePermissions,
}

/// The default user role's permissions.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DefaultUserRolePermissions {
    /// `ManagePermissionGrantsForSelf.microsoft-user-default-legacy`, `…-low`, or none.
    #[serde(default)]
    pub permission_grant_policies_assigned: Vec<String>,
}

/// The admin consent request policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminConsentRequestPolicy {
    /// Whether users may request admin consent.
    #[serde(default)]
    pub is_enabled: bool,
}

/// `GET /policies/authorizationPolicy`.
pub async fn authorization_policy(reader: &Reader<'_>) -> Result<AuthorizationPolicy, ReadError> {
    reader
        .one(
            &["policies", "authorizationPolicy"],
            AUTHORIZATION_POLICY_SELECT,
            &[],
            "authorization policy read",
        )
        .await
}

/// `GET /policies/adminConsentRequestPolicy`.
pub async fn admin_consent_request_policy(
    reader: &Reader<'_>,
) -> Result<AdminConsentRequestPolicy, ReadError> {
    reader
        .one(
            &["policies", "adminConsentRequestPolicy"],
            ADMIN_CONSENT_REQUEST_POLICY_SELECT,
            &[],
            "admin consent request policy read",
        )
        .await
}

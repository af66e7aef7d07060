//! The tenant's consent settings: `GET /policies/authorizationPolicy` (which permission-grant
//! policies the default user role holds: whether users may consent to apps) and
//! `GET /policies/adminConsentRequestPolicy` (whether users may ask an admin for approval, and who
//! reviews their requests).

use serde::Deserialize;

use super::read::{ReadError, Reader};

/// The properties [`authorization_policy`] selects.
pub const AUTHORIZATION_POLICY_SELECT: &[&str] = &["defaultUserRolePermissions"];
/// The properties [`admin_consent_request_policy`] selects.
pub const ADMIN_CONSENT_REQUEST_POLICY_SELECT: &[&str] = &["isEnabled", "reviewers"];

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
    /// `ManagePermissionGrantsForSelf.microsoft-user-default-legacy`, `…-low`, `…-recommended`, a
    /// policy of the tenant's own, or none (Microsoft may spell the prefix with a lower-case `m`).
    #[serde(default)]
    pub permission_grant_policies_assigned: Vec<String>,
}

/// The admin consent request policy.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminConsentRequestPolicy {
    /// Whether users may request admin consent.
    #[serde(default)]
    pub is_enabled: bool,
    /// Who reviews the requests.
    #[serde(default)]
    pub reviewers: Vec<ReviewerScope>,
}

/// One reviewer entry (`accessReviewReviewerScope`): a Graph query naming a user
/// (`/users/{id}`), a group's members (`/groups/{id}/transitiveMembers/microsoft.graph.user`) or
/// the holders of a directory role (`…/roleAssignments?$filter=roleDefinitionId eq '…'`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewerScope {
    /// The query.
    #[serde(default)]
    pub query: Option<String>,
    /// `MicrosoftGraph`.
    #[serde(default)]
    pub query_type: Option<String>,
}

impl ReviewerScope {
    /// The reviewer in words: `user 906e…`, `members of group 1a2b…`, `role 62e9…`, or the query.
    pub fn describe(&self) -> String {
        let query = self.query.as_deref().unwrap_or_default().trim();
        let id_after = |prefix: &str| {
            query
                .split_once(prefix)
                .map(|(_, rest)| rest.split(['/', '?', '\'', ')']).next().unwrap_or_default())
                .filter(|id| !id.is_empty())
        };
        if let Some(id) = id_after("/users/") {
            format!("user {id}")
        } else if let Some(id) = id_after("/groups/") {
            format!("members of group {id}")
        } else if let Some(id) = id_after("roleDefinitionId eq '") {
            format!("holders of directory role {id}")
        } else {
            query.to_string()
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reviewers_are_described_by_what_their_query_names() {
        let scope = |query: &str| ReviewerScope {
            query: Some(query.into()),
            query_type: Some("MicrosoftGraph".into()),
        };
        assert_eq!(
            scope("/users/906e0ee5-0000-0000-0000-000000000001").describe(),
            "user 906e0ee5-0000-0000-0000-000000000001"
        );
        assert_eq!(
            scope("/groups/1a2b/transitiveMembers/microsoft.graph.user").describe(),
            "members of group 1a2b"
        );
        assert_eq!(
            scope("/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'").describe(),
            "holders of directory role 62e90394-69f5-4237-9190-012177145e10"
        );
    }
}

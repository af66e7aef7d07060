//! Delegated consent: `GET /oauth2PermissionGrants?$filter=clientId eq '{spId}'`, every page.
//! An `AllPrincipals` grant is admin consent for the whole organisation; `Principal` grants are
//! one user's own consent.

use serde::Deserialize;

use super::read::{ReadError, Reader, odata_string};

/// The properties [`grants_for_client`] selects.
pub const GRANT_SELECT: &[&str] = &["consentType", "resourceId", "scope"];
/// The properties [`grants_for_client`] filters on.
pub const GRANT_FILTER: &[&str] = &["clientId"];

/// Graph's `consentType` for admin consent on behalf of everyone.
pub const ALL_PRINCIPALS: &str = "AllPrincipals";

/// One delegated permission grant.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionGrant {
    /// `AllPrincipals` or `Principal`.
    pub consent_type: String,
    /// The resource service principal's object ID.
    pub resource_id: String,
    /// The granted scopes, space-separated.
    #[serde(default)]
    pub scope: Option<String>,
}

impl PermissionGrant {
    /// Whether this is admin consent for the whole organisation.
    pub fn is_admin_consent(&self) -> bool {
        self.consent_type.eq_ignore_ascii_case(ALL_PRINCIPALS)
    }

    /// The granted scopes.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.as_deref().unwrap_or_default().split_whitespace()
    }
}

/// The delegated permission grants of the client service principal `sp_id`.
pub async fn grants_for_client(
    reader: &Reader<'_>,
    sp_id: &str,
) -> Result<Vec<PermissionGrant>, ReadError> {
    let filter = format!("clientId eq {}", odata_string(sp_id));
    reader
        .all(
            &["oauth2PermissionGrants"],
            GRANT_SELECT,
            &[("$filter", &filter)],
            "delegated permission grants read",
        )
        .await
}

//! The tenant's app management policies, as far as client secrets and certificates go
//! (reference/microsoft-wire.md §7): the tenant default at `GET /policies/defaultAppManagementPolicy`
//! (`applicationRestrictions.passwordCredentials[]`) and the custom policies applied to one
//! registration at `GET /applications/{id}/appManagementPolicies` (`restrictions.passwordCredentials[]`).
//! Each restriction has a `restrictionType` (`passwordLifetime` caps a secret's lifetime at
//! `maxLifetime`, an ISO 8601 duration such as `P90D`) and a `state` (`enabled` or `disabled`).
//!
//! Only reading is here; what a cap means for a new secret is [`crate::fix`]'s decision.

use serde::Deserialize;

use super::read::{ReadError, Reader};

/// The properties [`default_app_management_policy`] selects.
pub const DEFAULT_APP_MANAGEMENT_POLICY_SELECT: &[&str] = &["isEnabled", "applicationRestrictions"];
/// The properties [`app_management_policies_of`] selects.
pub const APP_MANAGEMENT_POLICY_SELECT: &[&str] = &["id", "isEnabled", "restrictions"];

/// The tenant's default app management policy.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantAppManagementPolicy {
    /// Whether the policy is enforced.
    #[serde(default)]
    pub is_enabled: bool,
    /// The restrictions on app registrations.
    #[serde(default)]
    pub application_restrictions: Option<CredentialRestrictions>,
}

/// A custom app management policy applied to a registration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppManagementPolicy {
    /// The policy's id.
    #[serde(default)]
    pub id: Option<String>,
    /// Whether the policy is enforced.
    #[serde(default)]
    pub is_enabled: bool,
    /// Its restrictions.
    #[serde(default)]
    pub restrictions: Option<CredentialRestrictions>,
}

/// The restrictions on credentials.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialRestrictions {
    /// The restrictions on client secrets.
    #[serde(default)]
    pub password_credentials: Vec<PasswordRestriction>,
    /// The restrictions on certificates (`asymmetricKeyLifetime` caps their lifetime), in the
    /// same shape.
    #[serde(default)]
    pub key_credentials: Vec<PasswordRestriction>,
}

/// One restriction on client secrets.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordRestriction {
    /// `passwordLifetime`, `passwordAddition`, `customPasswordAddition`, …
    #[serde(default)]
    pub restriction_type: Option<String>,
    /// The longest lifetime, an ISO 8601 duration (`P90D`), for `passwordLifetime`.
    #[serde(default)]
    pub max_lifetime: Option<String>,
    /// `enabled` or `disabled`.
    #[serde(default)]
    pub state: Option<String>,
}

impl PasswordRestriction {
    /// The maximum lifetime in whole days, when this is an enforced lifetime restriction.
    pub fn max_lifetime_days(&self) -> Option<u32> {
        self.max_days_of("passwordLifetime")
    }

    /// The maximum lifetime in whole days, when this is an enforced certificate lifetime
    /// restriction (`asymmetricKeyLifetime`, among `keyCredentials`).
    pub fn max_key_lifetime_days(&self) -> Option<u32> {
        self.max_days_of("asymmetricKeyLifetime")
    }

    fn max_days_of(&self, restriction_type: &str) -> Option<u32> {
        let enforced = !self
            .state
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("disabled"));
        let lifetime = self
            .restriction_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(restriction_type));
        if !enforced || !lifetime {
            return None;
        }
        iso_duration_days(self.max_lifetime.as_deref()?)
    }
}

/// Whole days of an ISO 8601 duration (`P90D`, `P1Y`, `P2W`, `P30DT12H`); a part of a day is
/// dropped (the cap is never rounded up). Years count 365 days, months 30.
pub fn iso_duration_days(text: &str) -> Option<u32> {
    let rest = text.trim().strip_prefix(['P', 'p'])?;
    let date = rest.split(['T', 't']).next().unwrap_or_default();
    let mut days: u64 = 0;
    let mut number = String::new();
    let mut any = false;
    for c in date.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: u64 = number.parse().ok()?;
        number.clear();
        days += n * match c.to_ascii_uppercase() {
            'Y' => 365,
            'M' => 30,
            'W' => 7,
            'D' => 1,
            _ => return None,
        };
        any = true;
    }
    if !number.is_empty() {
        return None;
    }
    if !any && !rest.contains(['T', 't']) {
        return None;
    }
    u32::try_from(days).ok()
}

/// `GET /policies/defaultAppManagementPolicy`.
pub async fn default_app_management_policy(
    reader: &Reader<'_>,
) -> Result<TenantAppManagementPolicy, ReadError> {
    reader
        .one(
            &["policies", "defaultAppManagementPolicy"],
            DEFAULT_APP_MANAGEMENT_POLICY_SELECT,
            &[],
            "app management policy read",
        )
        .await
}

/// `GET /applications/{object_id}/appManagementPolicies`: the custom policies applied to a
/// registration.
pub async fn app_management_policies_of(
    reader: &Reader<'_>,
    object_id: &str,
) -> Result<Vec<AppManagementPolicy>, ReadError> {
    reader
        .all(
            &["applications", object_id, "appManagementPolicies"],
            APP_MANAGEMENT_POLICY_SELECT,
            &[],
            "app management policies read",
        )
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_become_whole_days() {
        assert_eq!(iso_duration_days("P90D"), Some(90));
        assert_eq!(iso_duration_days("P1Y"), Some(365));
        assert_eq!(iso_duration_days("P2W"), Some(14));
        assert_eq!(iso_duration_days("P30DT12H"), Some(30));
        assert_eq!(iso_duration_days("PT12H"), Some(0));
        assert_eq!(iso_duration_days("90"), None);
        assert_eq!(iso_duration_days("P"), None);
        assert_eq!(iso_duration_days("P9X"), None);
    }

    #[test]
    fn parses_the_default_policy() {
        let json = r#"{"@odata.context":"x","isEnabled":true,"applicationRestrictions":{
            "passwordCredentials":[
              {"restrictionType":"passwordAddition","maxLifetime":null,"state":"disabled","restrictForAppsCreatedAfterDateTime":"2021-01-01T00:00:00Z"},
              {"restrictionType":"passwordLifetime","maxLifetime":"P90D","state":"enabled","restrictForAppsCreatedAfterDateTime":"2017-01-01T00:00:00Z"},
              {"restrictionType":"passwordLifetime","maxLifetime":"P30D","state":"disabled"}],
            "keyCredentials":[]}}"#;
        let policy: TenantAppManagementPolicy = serde_json::from_str(json).expect("parse");
        let days: Vec<u32> = policy
            .application_restrictions
            .expect("restrictions")
            .password_credentials
            .iter()
            .filter_map(PasswordRestriction::max_lifetime_days)
            .collect();
        assert_eq!(days, [90]);
    }
}

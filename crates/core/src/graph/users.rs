//! Users and their licences: `GET /users/{upn}` and `GET /users/{id}/licenseDetails`, and which
//! service plans give an Exchange Online mailbox (reference/microsoft-wire.md §4.1, §5.1).
//!
//! What Graph cannot tell an administrator: whether a mailbox is *shared*. That is Exchange's
//! `RecipientTypeDetails`; Graph's `mailboxSettings.userPurpose` would say it, but only to the
//! mailbox owner or an app with `MailboxSettings.Read`, not to an administrator's delegated
//! token. What Graph does show is the usual shape of a shared mailbox: an account with sign-in
//! blocked (`accountEnabled: false`), a `mail` address and no licence.

use serde::Deserialize;

use super::read::{ReadError, Reader};

/// The properties [`user`] selects.
pub const USER_SELECT: &[&str] = &["id", "userPrincipalName", "mail", "accountEnabled"];
/// The properties [`license_details`] selects.
pub const LICENSE_DETAILS_SELECT: &[&str] = &["servicePlans"];

/// Exchange Online service plans that come with a mailbox, by ID (§4.1: Plan 1 and Plan 2).
pub const EXCHANGE_PLAN_IDS: &[(&str, &str)] = &[
    (
        "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
        "EXCHANGE_S_STANDARD",
    ),
    (
        "efb87545-963c-4e0d-99df-69c6916d9eb0",
        "EXCHANGE_S_ENTERPRISE",
    ),
];

/// Further Exchange Online plans with a mailbox, by name (§4.1; `EXCHANGE_S_FOUNDATION` gives
/// none and is left out).
pub const EXCHANGE_PLAN_NAMES: &[&str] = &[
    "EXCHANGE_S_STANDARD",
    "EXCHANGE_S_ENTERPRISE",
    "EXCHANGE_S_DESKLESS",
    "EXCHANGE_S_ESSENTIALS",
    "EXCHANGE_L_STANDARD",
    "EXCHANGE_S_STANDARD_GOV",
    "EXCHANGE_S_ENTERPRISE_GOV",
    "EXCHANGE_LITE",
];

/// A user.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The object ID.
    pub id: String,
    /// The UPN.
    pub user_principal_name: String,
    /// Whether the account may sign in (only when Graph sent it).
    #[serde(default)]
    pub account_enabled: Option<bool>,
    /// The primary SMTP address; `null` without a mailbox.
    #[serde(default)]
    pub mail: Option<String>,
}

/// One licence of a user.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseDetails {
    /// The service plans the licence carries.
    #[serde(default)]
    pub service_plans: Vec<ServicePlan>,
}

/// One service plan of a licence.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePlan {
    /// The plan's GUID.
    pub service_plan_id: String,
    /// `EXCHANGE_S_ENTERPRISE`, …
    #[serde(default)]
    pub service_plan_name: Option<String>,
    /// `Success`, `Disabled`, `PendingProvisioning`, …
    #[serde(default)]
    pub provisioning_status: Option<String>,
}

impl ServicePlan {
    /// Whether this plan gives an Exchange Online mailbox.
    pub fn is_exchange_mailbox(&self) -> bool {
        EXCHANGE_PLAN_IDS
            .iter()
            .any(|(id, _)| id.eq_ignore_ascii_case(&self.service_plan_id))
            || self
                .service_plan_name
                .as_deref()
                .is_some_and(|name| EXCHANGE_PLAN_NAMES.contains(&name))
    }

    /// Whether the plan is switched on (not `Disabled`).
    pub fn is_active(&self) -> bool {
        !self
            .provisioning_status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("Disabled"))
    }
}

/// The active Exchange Online plans among a user's licences.
pub fn exchange_plans(licences: &[LicenseDetails]) -> Vec<&ServicePlan> {
    licences
        .iter()
        .flat_map(|l| &l.service_plans)
        .filter(|p| p.is_exchange_mailbox() && p.is_active())
        .collect()
}

/// `GET /users/{id_or_upn}`.
pub async fn user(reader: &Reader<'_>, id_or_upn: &str) -> Result<User, ReadError> {
    reader
        .one(&["users", id_or_upn], USER_SELECT, &[], "user read")
        .await
}

/// `GET /users/{id_or_upn}/licenseDetails`, every page.
pub async fn license_details(
    reader: &Reader<'_>,
    id_or_upn: &str,
) -> Result<Vec<LicenseDetails>, ReadError> {
    reader
        .all(
            &["users", id_or_upn, "licenseDetails"],
            LICENSE_DETAILS_SELECT,
            &[],
            "licence read",
        )
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(id: &str, name: &str, status: &str) -> ServicePlan {
        ServicePlan {
            service_plan_id: id.into(),
            service_plan_name: Some(name.into()),
            provisioning_status: Some(status.into()),
        }
    }

    #[test]
    fn exchange_plans_by_id_or_name_and_not_disabled() {
        let licences = vec![LicenseDetails {
            service_plans: vec![
                plan(
                    "efb87545-963c-4e0d-99df-69c6916d9eb0",
                    "EXCHANGE_S_ENTERPRISE",
                    "Success",
                ),
                plan("x", "EXCHANGE_S_FOUNDATION", "Success"),
                plan("y", "EXCHANGE_S_DESKLESS", "Disabled"),
                plan("z", "TEAMS1", "Success"),
            ],
        }];
        let found = exchange_plans(&licences);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].service_plan_name.as_deref(),
            Some("EXCHANGE_S_ENTERPRISE")
        );
    }
}

//! The permissions step's table: each permission the profile needs, its type, whether the
//! registration has it and whether it is consented for the organisation — read from the evidence
//! of the `api_permissions` and `admin_consent` checks (unknown until they ran with a sign-in).
//! Microsoft Graph's permissions come first, then those of the other resources the profile lists
//! (Office 365 Exchange Online), named with their resource.

use serde::Serialize;
use serde_json::Value;

use crate::check::CheckId;
use crate::profile::{ApiResource, Profile};
use crate::verify::CheckResult;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PermissionRow {
    /// The Microsoft Graph permission's name.
    // Another resource's permission is named with its resource in brackets:
    // `IMAP.AccessAsUser.All (Office 365 Exchange Online)`.
    pub name: String,
    /// `delegated` or `application`.
    pub kind: String,
    /// Whether the registration lists it; `None` when not known yet.
    pub configured: Option<bool>,
    /// Whether it is consented for the organisation; `None` when not known yet.
    pub consented: Option<bool>,
}

fn names(value: &Value) -> Option<Vec<String>> {
    value.as_array().map(|a| {
        a.iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    })
}

fn has(list: &Option<Vec<String>>, name: &str) -> Option<bool> {
    list.as_ref()
        .map(|l| l.iter().any(|n| n.eq_ignore_ascii_case(name)))
}

/// The table for `profile` from the latest `results`.
pub fn permission_rows(profile: &Profile, results: &[CheckResult]) -> Vec<PermissionRow> {
    let find = |id| results.iter().find(|r: &&CheckResult| r.id == id);
    let configured = find(CheckId::ApiPermissions).map(|r| &r.evidence["configured"]);
    let configured_delegated = configured.and_then(|c| names(&c["delegated"]));
    let configured_application = configured.and_then(|c| names(&c["application"]));
    let consent = find(CheckId::AdminConsent);
    let (consented_delegated, consented_application) = match consent {
        Some(result) if result.evidence.get("grants").is_some() => {
            let scopes: Vec<String> = result.evidence["grants"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|g| g["resource"] == "Microsoft Graph")
                .filter_map(|g| g["scope"].as_str())
                .flat_map(|s| s.split_whitespace().map(str::to_string))
                .collect();
            let roles: Vec<String> = result.evidence["app_role_assignments"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a["app_role"].as_str().map(str::to_string))
                .collect();
            (Some(scopes), Some(roles))
        }
        Some(result) if result.evidence.get("roles_in_token").is_some() => {
            (None, names(&result.evidence["roles_in_token"]))
        }
        _ => (None, None),
    };
    let required = &profile.registration.permissions;
    let delegated = required.delegated.iter().map(|name| PermissionRow {
        name: name.clone(),
        kind: "delegated".into(),
        configured: has(&configured_delegated, name),
        consented: has(&consented_delegated, name),
    });
    let application = required.application.iter().map(|name| PermissionRow {
        name: name.clone(),
        kind: "application".into(),
        configured: has(&configured_application, name),
        consented: has(&consented_application, name),
    });
    let mut rows: Vec<PermissionRow> = delegated.chain(application).collect();
    rows.extend(other_resource_rows(profile, results));
    rows
}

/// The rows of the permissions of resources other than Microsoft Graph (Office 365 Exchange
/// Online), each named with its resource: `IMAP.AccessAsUser.All (Office 365 Exchange Online)`.
fn other_resource_rows(profile: &Profile, results: &[CheckResult]) -> Vec<PermissionRow> {
    let find = |id| results.iter().find(|r: &&CheckResult| r.id == id);
    let mut rows = Vec::new();
    for (resource, permissions) in profile.registration.all_permissions() {
        if resource == ApiResource::MicrosoftGraph {
            continue;
        }
        let display = resource.display_name();
        let configured = find(CheckId::ApiPermissions)
            .filter(|r| r.evidence.get("configured").is_some())
            .map(|r| &r.evidence["resources"][display]["configured"]);
        let consent = find(CheckId::AdminConsent)
            .filter(|r| r.evidence.get("grants").is_some())
            .map(|r| &r.evidence["resources"][display]);
        let listed = |value: Option<&Value>| value.map(|v| names(v).unwrap_or_default());
        for (kind, names_needed, configured, consented) in [
            (
                "delegated",
                &permissions.delegated,
                listed(configured.map(|c| &c["delegated"])),
                listed(consent.map(|c| &c["admin_consented_scopes"])),
            ),
            (
                "application",
                &permissions.application,
                listed(configured.map(|c| &c["application"])),
                listed(consent.map(|c| &c["app_roles"])),
            ),
        ] {
            rows.extend(names_needed.iter().map(|name| PermissionRow {
                name: format!("{name} ({display})"),
                kind: kind.into(),
                configured: has(&configured, name),
                consented: has(&consented, name),
            }));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Catalog;
    use crate::verify::outcome::pass;
    use serde_json::json;

    #[test]
    fn unknown_until_checked() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-m365-email").expect("profile");
        let rows = permission_rows(profile, &[]);
        assert_eq!(rows.len(), 2);
        assert!(
            rows.iter()
                .all(|r| r.configured.is_none() && r.consented.is_none())
        );
    }

    #[test]
    fn rows_read_the_checks_evidence() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-m365-email").expect("profile");
        let results = [
            pass(
                CheckId::ApiPermissions,
                "ok",
                json!({"configured": {"delegated": ["Mail.Send", "offline_access"], "application": []}}),
            ),
            pass(
                CheckId::AdminConsent,
                "ok",
                json!({"grants": [{"consent_type": "AllPrincipals", "resource": "Microsoft Graph", "scope": "Mail.Send"}], "app_role_assignments": []}),
            ),
        ];
        let rows = permission_rows(profile, &results);
        assert_eq!(rows[0].configured, Some(true));
        assert_eq!(rows[0].consented, Some(true));
        assert_eq!(rows[1].name, "offline_access");
        assert_eq!(rows[1].consented, Some(false));
    }

    #[test]
    fn exchange_online_rows_follow_graphs() {
        let text = include_str!("../../profiles/axero-m365-email.toml").replace(
            "[registration.permissions]",
            "[registration.resource_permissions.exchange_online]\ndelegated = [\"IMAP.AccessAsUser.All\"]\n\n[registration.permissions]",
        );
        let profile: Profile = toml::from_str(&text).expect("profile");
        assert_eq!(permission_rows(&profile, &[]).len(), 3);
        let results = [
            pass(
                CheckId::ApiPermissions,
                "ok",
                json!({"configured": {"delegated": ["Mail.Send"], "application": []},
                       "resources": {"Office 365 Exchange Online": {"configured": {"delegated": ["IMAP.AccessAsUser.All"], "application": []}}}}),
            ),
            pass(
                CheckId::AdminConsent,
                "ok",
                json!({"grants": [], "app_role_assignments": [],
                       "resources": {"Office 365 Exchange Online": {"admin_consented_scopes": [], "app_roles": []}}}),
            ),
        ];
        let rows = permission_rows(&profile, &results);
        let imap = &rows[2];
        assert_eq!(
            imap.name,
            "IMAP.AccessAsUser.All (Office 365 Exchange Online)"
        );
        assert_eq!(imap.kind, "delegated");
        assert_eq!(imap.configured, Some(true));
        assert_eq!(imap.consented, Some(false));
    }
}

//! `api_permissions` from the app registration: the Microsoft Graph entries of
//! `requiredResourceAccess`, GUIDs resolved to names with the tenant's Graph catalogue, compared
//! with the profile — every delegated permission configured as a `Scope`, every application
//! permission as a `Role`. Missing ones fail, ones of the wrong type fail (a delegated
//! Calendars.Read does not serve a connector), and extra ones warn when nothing is missing.
//!
//! With an administrator signed in this supersedes the judgement from the app token's `roles`
//! (which cannot tell "not configured" from "not consented"); the token's roles stay as evidence.

use serde_json::json;

use crate::cause::Cause;
use crate::check::CheckId;
use crate::endpoints::Cloud;
use crate::graph::applications::Application;
use crate::graph::{GRAPH_APP_ID, PermissionCatalog, PermissionKind};
use crate::portal::{self, AppPage};
use crate::profile::Permissions;
use crate::verify::CheckResult;
use crate::verify::outcome::{fail, pass, warn};

/// What the registration asks of Microsoft Graph, by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Configured {
    /// Delegated permissions (type `Scope`).
    pub delegated: Vec<String>,
    /// Application permissions (type `Role`).
    pub application: Vec<String>,
    /// Other resources' app IDs with entries (not judged, shown as evidence).
    pub other_resources: Vec<String>,
}

/// Read the Graph entries of `requiredResourceAccess`; an unknown GUID keeps its GUID as name.
pub fn configured(app: &Application, catalog: &PermissionCatalog) -> Configured {
    let mut out = Configured::default();
    for resource in &app.required_resource_access {
        if !resource.resource_app_id.eq_ignore_ascii_case(GRAPH_APP_ID) {
            out.other_resources.push(resource.resource_app_id.clone());
            continue;
        }
        for access in &resource.resource_access {
            let name = catalog
                .name_of(access.kind, &access.id)
                .map_or_else(|| access.id.clone(), str::to_string);
            match access.kind {
                PermissionKind::Scope => out.delegated.push(name),
                PermissionKind::Role => out.application.push(name),
            }
        }
    }
    out
}

fn has(list: &[String], name: &str) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

fn join(names: &[String]) -> String {
    names.join(", ")
}

/// Judge the configured Graph permissions against the profile's.
pub fn judge_api_permissions(
    cloud: Cloud,
    app: &Application,
    required: &Permissions,
    catalog: &PermissionCatalog,
    token_roles: Option<&[String]>,
) -> CheckResult {
    let found = configured(app, catalog);
    let link = Some(portal::app_registration(
        cloud,
        &app.app_id,
        AppPage::ApiPermissions,
    ));
    let mut wrong_type = Vec::new();
    let mut missing = Vec::new();
    for (needed, kind, right, other) in [
        (
            &required.delegated,
            PermissionKind::Scope,
            &found.delegated,
            &found.application,
        ),
        (
            &required.application,
            PermissionKind::Role,
            &found.application,
            &found.delegated,
        ),
    ] {
        for name in needed.iter().filter(|n| !has(right, n)) {
            let label = format!("{name} ({})", kind.label());
            if has(other, name) {
                wrong_type.push(label);
            } else {
                missing.push(label);
            }
        }
    }
    let extra: Vec<String> = found
        .delegated
        .iter()
        .filter(|n| !has(&required.delegated, n) && !is_portal_default(n))
        .map(|n| format!("{n} (delegated)"))
        .chain(
            found
                .application
                .iter()
                .filter(|n| !has(&required.application, n))
                .map(|n| format!("{n} (application)")),
        )
        .collect();
    let mut evidence = json!({
        "portal_default_ignored": PORTAL_DEFAULT,
        "required": { "delegated": required.delegated, "application": required.application },
        "configured": { "delegated": found.delegated, "application": found.application },
        "other_resources": found.other_resources,
        "names_from": catalog.source,
    });
    if let Some(roles) = token_roles {
        evidence["roles_in_token"] = json!(roles);
    }
    if !wrong_type.is_empty() {
        let also = if missing.is_empty() {
            String::new()
        } else {
            format!(" Also missing: {}.", join(&missing))
        };
        return fail(
            CheckId::ApiPermissions,
            Cause::WrongPermissionType,
            format!(
                "Configured with the wrong type: {} is needed, but the registration has the other kind.{also}",
                join(&wrong_type)
            ),
            evidence,
        )
        .with_link(link)
        .with_fix(format!(
            "Under API permissions, remove the permission of the wrong type and add Microsoft Graph {}; then grant admin consent if the product needs it.",
            join(&wrong_type)
        ));
    }
    if !missing.is_empty() {
        return fail(
            CheckId::ApiPermissions,
            Cause::PermissionMissing,
            format!(
                "The registration does not ask for {}.",
                join(&missing)
            ),
            evidence,
        )
        .with_link(link)
        .with_fix(format!(
            "Under API permissions, choose Add a permission > Microsoft Graph and add {}; then grant admin consent if the product needs it.",
            join(&missing)
        ));
    }
    if !extra.is_empty() {
        return warn(
            CheckId::ApiPermissions,
            Cause::ExcessPermissions,
            format!(
                "The registration has every permission the product needs, and more: {}.",
                join(&extra)
            ),
            evidence,
        )
        .with_link(link);
    }
    let all: Vec<String> = required
        .delegated
        .iter()
        .map(|n| format!("{n} (delegated)"))
        .chain(
            required
                .application
                .iter()
                .map(|n| format!("{n} (application)")),
        )
        .collect();
    let message = if all.is_empty() {
        "The product needs no Microsoft Graph permissions and the registration asks for none."
            .to_string()
    } else {
        format!(
            "The registration asks for exactly what the product needs: {}.",
            join(&all)
        )
    };
    pass(CheckId::ApiPermissions, message, evidence)
}

/// The delegated permission the Entra admin center adds to every new registration. Vendor guides
/// rarely mention it and it grants only the signed-in user's own profile, so it is never reported
/// as more than needed.
const PORTAL_DEFAULT: &str = "User.Read";

fn is_portal_default(name: &str) -> bool {
    name.eq_ignore_ascii_case(PORTAL_DEFAULT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::applications::{RequiredResourceAccess, ResourceAccess};
    use crate::verify::Status;

    fn app(entries: &[(&str, PermissionKind)]) -> Application {
        let catalog = PermissionCatalog::builtin();
        let mut app: Application =
            serde_json::from_value(serde_json::json!({ "id": "c", "appId": "b" }))
                .expect("application");
        app.required_resource_access = vec![RequiredResourceAccess {
            resource_app_id: GRAPH_APP_ID.into(),
            resource_access: entries
                .iter()
                .map(|(name, kind)| ResourceAccess {
                    id: catalog.id_of(*kind, name).expect("known").to_string(),
                    kind: *kind,
                })
                .collect(),
        }];
        app
    }

    fn needs(delegated: &[&str], application: &[&str]) -> Permissions {
        Permissions {
            delegated: delegated.iter().map(|s| s.to_string()).collect(),
            application: application.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn judge(app: &Application, required: &Permissions) -> (Status, Option<Cause>) {
        let result = judge_api_permissions(
            Cloud::Global,
            app,
            required,
            &PermissionCatalog::builtin(),
            None,
        );
        (result.status, result.cause)
    }

    use PermissionKind::{Role, Scope};

    #[test]
    fn exactly_the_needed_permissions_pass() {
        let app = app(&[("Mail.Send", Scope), ("offline_access", Scope)]);
        assert_eq!(
            judge(&app, &needs(&["Mail.Send", "offline_access"], &[])),
            (Status::Pass, None)
        );
    }

    #[test]
    fn a_missing_one_fails() {
        let app = app(&[("Mail.Send", Scope)]);
        assert_eq!(
            judge(&app, &needs(&["Mail.Send", "offline_access"], &[])),
            (Status::Fail, Some(Cause::PermissionMissing))
        );
    }

    #[test]
    fn delegated_where_application_is_needed_is_the_wrong_type() {
        let app = app(&[("Calendars.Read", Scope)]);
        assert_eq!(
            judge(&app, &needs(&[], &["Calendars.Read"])),
            (Status::Fail, Some(Cause::WrongPermissionType))
        );
    }

    #[test]
    fn extra_ones_warn_only_when_nothing_is_missing() {
        let app = app(&[("Calendars.Read", Role), ("Mail.Send", Role)]);
        assert_eq!(
            judge(&app, &needs(&[], &["Calendars.Read"])),
            (Status::Warn, Some(Cause::ExcessPermissions))
        );
        assert_eq!(
            judge(&app, &needs(&["User.Read"], &["Calendars.Read"])),
            (Status::Fail, Some(Cause::PermissionMissing))
        );
    }

    #[test]
    fn token_roles_stay_as_evidence() {
        let app = app(&[("Calendars.Read", Role)]);
        let roles = vec!["Calendars.Read".to_string()];
        let result = judge_api_permissions(
            Cloud::Global,
            &app,
            &needs(&[], &["Calendars.Read"]),
            &PermissionCatalog::builtin(),
            Some(&roles),
        );
        assert_eq!(result.evidence["roles_in_token"], json!(["Calendars.Read"]));
    }
}

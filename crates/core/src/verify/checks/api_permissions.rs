//! `api_permissions` from the app registration: each resource's entries of
//! `requiredResourceAccess` (Microsoft Graph's, and Office 365 Exchange Online's when the profile
//! lists its permissions), GUIDs resolved to names with that resource's catalogue, compared
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
use crate::graph::{ApiResource, PermissionCatalog, PermissionKind};
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
    configured_on(app, ApiResource::MicrosoftGraph, catalog)
}

/// Read `resource`'s entries of `requiredResourceAccess` with its catalogue; the other resources'
/// app IDs go to [`Configured::other_resources`].
pub fn configured_on(
    app: &Application,
    resource: ApiResource,
    catalog: &PermissionCatalog,
) -> Configured {
    let mut out = Configured::default();
    for entry in &app.required_resource_access {
        if !entry
            .resource_app_id
            .eq_ignore_ascii_case(resource.app_id())
        {
            out.other_resources.push(entry.resource_app_id.clone());
            continue;
        }
        for access in &entry.resource_access {
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

/// A permission as the messages name it: Graph's by name and kind (`Mail.Send (delegated)`),
/// another resource's with the resource (`IMAP.AccessAsUser.All (Office 365 Exchange Online,
/// delegated)`).
fn label(resource: ApiResource, name: &str, kind: PermissionKind) -> String {
    match resource {
        ApiResource::MicrosoftGraph => format!("{name} ({})", kind.label()),
        other => format!("{name} ({}, {})", other.display_name(), kind.label()),
    }
}

/// Where the admin center adds a resource's permissions.
fn add_path(resource: ApiResource) -> String {
    match resource {
        ApiResource::MicrosoftGraph => "Microsoft Graph".into(),
        other => format!("APIs my organization uses > {}", other.display_name()),
    }
}

/// One resource's permissions the product needs, with the catalogue that names its GUIDs.
#[derive(Debug, Clone, Copy)]
pub struct Required<'a> {
    /// The resource.
    pub resource: ApiResource,
    /// Its permissions the product needs.
    pub permissions: &'a Permissions,
    /// Its catalogue (the tenant's service principal, or the built-in one).
    pub catalog: &'a PermissionCatalog,
}

/// Judge the configured Graph permissions against the profile's.
pub fn judge_api_permissions(
    cloud: Cloud,
    app: &Application,
    required: &Permissions,
    catalog: &PermissionCatalog,
    token_roles: Option<&[String]>,
) -> CheckResult {
    judge_api_permissions_of(
        cloud,
        app,
        &[Required {
            resource: ApiResource::MicrosoftGraph,
            permissions: required,
            catalog,
        }],
        token_roles,
    )
}

/// Judge the configured permissions of each resource against the profile's; `required` holds
/// Microsoft Graph first.
pub fn judge_api_permissions_of(
    cloud: Cloud,
    app: &Application,
    required: &[Required<'_>],
    token_roles: Option<&[String]>,
) -> CheckResult {
    let link = Some(portal::app_registration(
        cloud,
        &app.app_id,
        AppPage::ApiPermissions,
    ));
    let mut wrong_type: Vec<(ApiResource, String)> = Vec::new();
    let mut missing: Vec<(ApiResource, String)> = Vec::new();
    let mut extra = Vec::new();
    let mut all = Vec::new();
    let mut evidence = json!({ "portal_default_ignored": PORTAL_DEFAULT });
    let mut others = serde_json::Map::new();
    for need in required {
        let found = configured_on(app, need.resource, need.catalog);
        let wanted = need.permissions;
        for (needed, kind, right, other) in [
            (
                &wanted.delegated,
                PermissionKind::Scope,
                &found.delegated,
                &found.application,
            ),
            (
                &wanted.application,
                PermissionKind::Role,
                &found.application,
                &found.delegated,
            ),
        ] {
            for name in needed.iter() {
                all.push(label(need.resource, name, kind));
                if has(right, name) {
                    continue;
                }
                let entry = (need.resource, label(need.resource, name, kind));
                if has(other, name) {
                    wrong_type.push(entry);
                } else {
                    missing.push(entry);
                }
            }
        }
        let graph = need.resource == ApiResource::MicrosoftGraph;
        extra.extend(
            found
                .delegated
                .iter()
                .filter(|n| {
                    let portal_default = graph && is_portal_default(n);
                    !has(&wanted.delegated, n) && !portal_default
                })
                .map(|n| label(need.resource, n, PermissionKind::Scope))
                .chain(
                    found
                        .application
                        .iter()
                        .filter(|n| !has(&wanted.application, n))
                        .map(|n| label(need.resource, n, PermissionKind::Role)),
                ),
        );
        let facts = json!({
            "required": { "delegated": wanted.delegated, "application": wanted.application },
            "configured": { "delegated": found.delegated, "application": found.application },
        });
        if graph {
            evidence["required"] = facts["required"].clone();
            evidence["configured"] = facts["configured"].clone();
            evidence["other_resources"] = json!(found.other_resources);
            evidence["names_from"] = json!(need.catalog.source);
        } else {
            others.insert(need.resource.display_name().to_string(), facts);
        }
    }
    if !others.is_empty() {
        evidence["resources"] = serde_json::Value::Object(others);
    }
    if let Some(roles) = token_roles {
        evidence["roles_in_token"] = json!(roles);
    }
    let names =
        |list: &[(ApiResource, String)]| list.iter().map(|(_, l)| l.clone()).collect::<Vec<_>>();
    // "Add a permission > Microsoft Graph and add …", once per resource.
    let adding = |list: &[(ApiResource, String)]| {
        ApiResource::ALL
            .into_iter()
            .filter_map(|resource| {
                let mine: Vec<String> = list
                    .iter()
                    .filter(|(r, _)| *r == resource)
                    .map(|(_, l)| l.clone())
                    .collect();
                (!mine.is_empty()).then(|| (add_path(resource), join(&mine)))
            })
            .collect::<Vec<_>>()
    };
    if !wrong_type.is_empty() {
        let also = if missing.is_empty() {
            String::new()
        } else {
            format!(" Also missing: {}.", join(&names(&missing)))
        };
        let fix = adding(&wrong_type)
            .into_iter()
            .map(|(path, names)| format!("{path} {names}"))
            .collect::<Vec<_>>()
            .join("; ");
        return fail(
            CheckId::ApiPermissions,
            Cause::WrongPermissionType,
            format!(
                "Configured with the wrong type: {} is needed, but the registration has the other kind.{also}",
                join(&names(&wrong_type))
            ),
            evidence,
        )
        .with_link(link)
        .with_fix(format!(
            "Under API permissions, remove the permission of the wrong type and add {fix}; then grant admin consent if the product needs it."
        ));
    }
    if !missing.is_empty() {
        let fix = adding(&missing)
            .into_iter()
            .map(|(path, names)| format!("choose Add a permission > {path} and add {names}"))
            .collect::<Vec<_>>()
            .join("; ");
        return fail(
            CheckId::ApiPermissions,
            Cause::PermissionMissing,
            format!(
                "The registration does not ask for {}.",
                join(&names(&missing))
            ),
            evidence,
        )
        .with_link(link)
        .with_fix(format!(
            "Under API permissions, {fix}; then grant admin consent if the product needs it."
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
            resource_app_id: crate::graph::GRAPH_APP_ID.into(),
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

    #[test]
    fn exchange_online_permissions_are_judged_on_their_own_entry() {
        let graph = PermissionCatalog::builtin();
        let exchange = PermissionCatalog::builtin_for(ApiResource::ExchangeOnline);
        let mut registration = app(&[("offline_access", Scope)]);
        let imap = exchange
            .id_of(Scope, "IMAP.AccessAsUser.All")
            .expect("id")
            .to_string();
        let graph_needs = needs(&["offline_access"], &[]);
        let exchange_needs = needs(&["IMAP.AccessAsUser.All"], &[]);
        let required = [
            Required {
                resource: ApiResource::MicrosoftGraph,
                permissions: &graph_needs,
                catalog: &graph,
            },
            Required {
                resource: ApiResource::ExchangeOnline,
                permissions: &exchange_needs,
                catalog: &exchange,
            },
        ];
        // Graph's IMAP.AccessAsUser.All does not stand in for Exchange Online's.
        registration.required_resource_access[0]
            .resource_access
            .push(ResourceAccess {
                id: graph
                    .id_of(Scope, "IMAP.AccessAsUser.All")
                    .expect("graph id")
                    .to_string(),
                kind: Scope,
            });
        let missing = judge_api_permissions_of(Cloud::Global, &registration, &required, None);
        assert_eq!(missing.cause, Some(Cause::PermissionMissing));
        assert!(
            missing
                .message
                .contains("IMAP.AccessAsUser.All (Office 365 Exchange Online, delegated)"),
            "{}",
            missing.message
        );
        assert!(
            missing.fix.as_deref().is_some_and(
                |f| f.contains("APIs my organization uses > Office 365 Exchange Online")
            ),
            "{:?}",
            missing.fix
        );
        registration.required_resource_access[0]
            .resource_access
            .pop();
        registration
            .required_resource_access
            .push(RequiredResourceAccess {
                resource_app_id: ApiResource::ExchangeOnline.app_id().into(),
                resource_access: vec![ResourceAccess {
                    id: imap,
                    kind: Scope,
                }],
            });
        let found = judge_api_permissions_of(Cloud::Global, &registration, &required, None);
        assert_eq!(found.status, Status::Pass, "{found:#?}");
        assert_eq!(
            found.evidence["resources"]["Office 365 Exchange Online"]["configured"]["delegated"],
            json!(["IMAP.AccessAsUser.All"])
        );
    }
}

//! Admin consent for the profile's permissions, resource by resource (Microsoft Graph, Office 365
//! Exchange Online — each resource's service principal read by its appId). Delegated: one
//! `AllPrincipals` grant from the client service principal to the resource's service principal
//! whose scope holds every required permission — an existing grant's scope is extended with `PATCH`, never a
//! duplicate created. Application: one app role assignment per missing role
//! (`POST /servicePrincipals/{resourceSpId}/appRoleAssignedTo`). The new grants are waited for
//! until the directory shows them, so a verification right after sees them. A create whose answer
//! was lost is settled by reading the grants back ([`super::lost_answer`]).

use std::collections::BTreeSet;

use super::lost_answer::{Settled, create_settled};
use super::replication::{retry_while_replicating, wait_until_visible};
use super::{Change, ChangeKind, FixError, RepairSession};
use crate::graph::service_principals::ServicePrincipal;
use crate::graph::write::AdminGrant;
use crate::graph::{
    self, ApiResource, PermissionCatalog, PermissionKind, Reader, WriteError, app_role_assignments,
};
use crate::profile::{Permissions, Profile};

/// Grant admin consent for what the profile needs to `client`; `fresh` when the client's service
/// principal was just created.
pub async fn ensure_admin_consent(
    profile: &Profile,
    client: &ServicePrincipal,
    fresh: bool,
    session: &RepairSession<'_>,
) -> Result<Vec<Change>, FixError> {
    let mut changes = Vec::new();
    for (resource, permissions) in profile.registration.all_permissions() {
        changes.extend(consent_on(resource, permissions, client, fresh, session).await?);
    }
    Ok(changes)
}

/// Grant admin consent for `permissions` of `api` to `client`.
async fn consent_on(
    api: ApiResource,
    permissions: &Permissions,
    client: &ServicePrincipal,
    fresh: bool,
    session: &RepairSession<'_>,
) -> Result<Vec<Change>, FixError> {
    let graph = session.graph();
    let resource = graph::service_principals::resource_permissions(&graph, api)
        .await
        .map_err(|source| FixError::Read {
            what: match api {
                ApiResource::MicrosoftGraph => "Microsoft Graph service principal read",
                ApiResource::ExchangeOnline => "Office 365 Exchange Online service principal read",
            },
            source,
        })?;
    // Graph's changes say no resource (as they always have); another resource's name it.
    let on = match api {
        ApiResource::MicrosoftGraph => String::new(),
        other => format!("{} ", other.display_name()),
    };
    let mut changes = Vec::new();

    if !permissions.delegated.is_empty() {
        let grants = admin_grants(&graph, &client.id).await?;
        let existing = grants.iter().find(|g| g.resource_id == resource.id);
        let have: Vec<&str> = existing.map(|g| g.scopes().collect()).unwrap_or_default();
        let missing: Vec<&str> = permissions
            .delegated
            .iter()
            .map(String::as_str)
            .filter(|p| !have.iter().any(|h| h.eq_ignore_ascii_case(p)))
            .collect();
        if !missing.is_empty() {
            let mut scope: Vec<&str> = have.clone();
            scope.extend(&missing);
            let scope = scope.join(" ");
            match existing {
                Some(grant) => {
                    let id = grant.id.clone();
                    retry_while_replicating(session, fresh, "admin consent grant update", || {
                        graph::write::update_grant_scope(&graph, &id, &scope)
                    })
                    .await?;
                }
                None => {
                    let settled = create_settled(
                        session,
                        fresh,
                        "admin consent grant create",
                        || {
                            graph::write::create_admin_grant(
                                &graph,
                                &client.id,
                                &resource.id,
                                &scope,
                            )
                        },
                        || async {
                            let grants = admin_grants(&graph, &client.id).await?;
                            Ok(grants.iter().any(|g| g.resource_id == resource.id))
                        },
                        |error| matches!(error, WriteError::Refused { status: 409, .. }),
                    )
                    .await?;
                    // A grant made meanwhile by someone else may lack some scopes: extend it.
                    if matches!(settled, Settled::Existing | Settled::MadeUnseen) {
                        extend_existing_grant(session, &client.id, &resource.id, &scope).await?;
                    }
                }
            }
            let wanted: BTreeSet<String> = scope.split(' ').map(str::to_ascii_lowercase).collect();
            wait_until_visible(session, "the admin consent grant", || async {
                let grants = graph::write::admin_grants_for_client(&graph, &client.id).await?;
                Ok(grants.iter().any(|g| {
                    g.resource_id == resource.id
                        && wanted
                            .iter()
                            .all(|w| g.scopes().any(|s| s.eq_ignore_ascii_case(w)))
                }))
            })
            .await?;
            changes.push(Change::new(
                ChangeKind::AdminConsentGranted,
                format!(
                    "granted admin consent for {on}{}",
                    permissions.delegated.join(" ")
                ),
            ));
        }
    }

    if !permissions.application.is_empty() {
        let catalog = PermissionCatalog::from_resource(api, &resource);
        let assigned = if fresh {
            Vec::new()
        } else {
            app_role_assignments(&graph, &client.id)
                .await
                .map_err(|source| FixError::Read {
                    what: "app role assignments read",
                    source,
                })?
        };
        let mut granted = Vec::new();
        for name in &permissions.application {
            let role = catalog
                .id_of(PermissionKind::Role, name)
                .ok_or_else(|| FixError::UnknownPermission {
                    resource: api.display_name(),
                    kind: PermissionKind::Role.label(),
                    name: name.clone(),
                })?
                .to_string();
            if assigned
                .iter()
                .any(|a| a.resource_id == resource.id && a.app_role_id.eq_ignore_ascii_case(&role))
            {
                continue;
            }
            create_settled(
                session,
                fresh,
                "application permission grant",
                || graph::write::assign_app_role(&graph, &resource.id, &client.id, &role),
                || async {
                    let assigned =
                        app_role_assignments(&graph, &client.id)
                            .await
                            .map_err(|source| FixError::Read {
                                what: "app role assignments read",
                                source,
                            })?;
                    Ok(assigned.iter().any(|a| {
                        a.resource_id == resource.id && a.app_role_id.eq_ignore_ascii_case(&role)
                    }))
                },
                |error| {
                    matches!(error, WriteError::Refused { status: 400, error }
                        if error.message.to_ascii_lowercase().contains("already exists"))
                },
            )
            .await?;
            granted.push((name.clone(), role));
        }
        if !granted.is_empty() {
            wait_until_visible(session, "the application permission grants", || async {
                let assigned = app_role_assignments(&graph, &client.id).await?;
                Ok(granted.iter().all(|(_, role)| {
                    assigned.iter().any(|a| {
                        a.resource_id == resource.id && a.app_role_id.eq_ignore_ascii_case(role)
                    })
                }))
            })
            .await?;
            let names: Vec<&str> = granted.iter().map(|(n, _)| n.as_str()).collect();
            changes.push(Change::new(
                ChangeKind::AdminConsentGranted,
                format!(
                    "granted admin consent for the {on}application permission {}",
                    names.join(" ")
                ),
            ));
        }
    }
    Ok(changes)
}

/// The grant of `client_sp_id` on `resource_sp_id` exists (made by a lost attempt, or by someone
/// meanwhile): make its scope hold every one of `scope`'s.
async fn extend_existing_grant(
    session: &RepairSession<'_>,
    client_sp_id: &str,
    resource_sp_id: &str,
    scope: &str,
) -> Result<(), FixError> {
    let graph = session.graph();
    wait_until_visible(session, "the admin consent grant", || async {
        let grants = graph::write::admin_grants_for_client(&graph, client_sp_id).await?;
        Ok(grants.iter().any(|g| g.resource_id == resource_sp_id))
    })
    .await?;
    let grants = admin_grants(&graph, client_sp_id).await?;
    let Some(grant) = grants.into_iter().find(|g| g.resource_id == resource_sp_id) else {
        return Ok(());
    };
    let have: Vec<&str> = grant.scopes().collect();
    let mut all = have.clone();
    all.extend(
        scope
            .split_whitespace()
            .filter(|s| !have.iter().any(|h| h.eq_ignore_ascii_case(s))),
    );
    if all.len() == have.len() {
        return Ok(());
    }
    graph::write::update_grant_scope(&graph, &grant.id, &all.join(" "))
        .await
        .map_err(|source| FixError::Write {
            what: "admin consent grant update",
            source,
        })
}

/// The `AllPrincipals` delegated grants of the service principal `client_sp_id`, read for a
/// repair.
async fn admin_grants(graph: &Reader<'_>, client_sp_id: &str) -> Result<Vec<AdminGrant>, FixError> {
    graph::write::admin_grants_for_client(graph, client_sp_id)
        .await
        .map_err(|source| FixError::Read {
            what: "delegated permission grants read",
            source,
        })
}

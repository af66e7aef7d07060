//! User assignment on the enterprise application, for a product whose guide requires it
//! (`[registration.user_assignment]` in the profile): `appRoleAssignmentRequired` set on the
//! client's service principal (`PATCH /servicePrincipals/{id}`), so that only assigned users and
//! groups may sign in, and the profile's users assigned to it with default access
//! (`POST /servicePrincipals/{id}/appRoleAssignedTo`). Both read first and write only what is
//! missing; right after the service principal was created they wait out replication.
//!
//! Who is assigned: the administrator who signs in for the repair (the `upn` of their token) and,
//! when the caller knows it, the mailbox owner ([`assign_mailbox_owner`] after a registration). Not here: removing assignments (a repair never
//! removes anything), or groups.

use super::replication::retry_while_replicating;
use super::{Change, ChangeKind, FixError, RepairSession};
use crate::graph::service_principals::{
    ServicePrincipal, user_assignment_required, users_assigned,
};
use crate::graph::{self, ReadError};
use crate::identity::TokenClaims;
use crate::profile::{Assignee, Profile};

/// Make `client` require user assignment and assign the profile's users, when the profile says
/// so; `fresh` when the service principal was just created, `mailbox` the mailbox whose owner is
/// assigned (when the profile lists the mailbox owner and the caller knows the mailbox).
pub async fn ensure_user_assignment(
    profile: &Profile,
    client: &ServicePrincipal,
    fresh: bool,
    mailbox: Option<&str>,
    session: &RepairSession<'_>,
) -> Result<Vec<Change>, FixError> {
    let Some(assignment) = profile
        .registration
        .user_assignment
        .as_ref()
        .filter(|a| a.required)
    else {
        return Ok(Vec::new());
    };
    let graph = session.graph();
    let mut changes = Vec::new();
    let required =
        retry_while_replicating(session, fresh, "enterprise application read", || async {
            match user_assignment_required(&graph, &client.id).await {
                Err(ReadError::NotFound(error)) => Err(graph::WriteError::NotFound(error)),
                other => other.map_err(graph::WriteError::from),
            }
        })
        .await?;
    if !required {
        retry_while_replicating(session, fresh, "enterprise application update", || {
            graph::write::require_user_assignment(&graph, &client.id)
        })
        .await?;
        changes.push(Change::new(
            ChangeKind::UserAssignmentRequired,
            "set the enterprise application to let only assigned users sign in (assignment required)",
        ));
    }
    let mut wanted: Vec<String> = Vec::new();
    for assignee in &assignment.assign {
        match assignee {
            Assignee::Administrator => {
                match TokenClaims::read(session.admin_token.expose()).and_then(|c| c.upn) {
                    Some(upn) => wanted.push(upn),
                    None => (session.progress)(
                        "The administrator's sign-in names no user: assign the people who use the product under Enterprise applications > Users and groups.",
                    ),
                }
            }
            Assignee::MailboxOwner => match mailbox {
                Some(mailbox) => wanted.push(mailbox.trim().to_string()),
                None => (session.progress)(
                    "No mailbox was given: assign the mailbox owner under Enterprise applications > Users and groups.",
                ),
            },
        }
    }
    if wanted.is_empty() {
        return Ok(changes);
    }
    let assigned = users_assigned(&graph, &client.id)
        .await
        .map_err(|source| FixError::Read {
            what: "enterprise application assignments read",
            source,
        })?;
    let mut done: Vec<String> = Vec::new();
    for upn in wanted {
        let user = graph::user(&graph, &upn)
            .await
            .map_err(|source| FixError::Read {
                what: "user read",
                source,
            })?;
        if done.contains(&user.id)
            || assigned
                .iter()
                .any(|a| a.principal_id.eq_ignore_ascii_case(&user.id))
        {
            continue;
        }
        retry_while_replicating(session, fresh, "user assignment", || {
            graph::write::assign_user(&graph, &client.id, &user.id)
        })
        .await?;
        changes.push(Change::new(
            ChangeKind::UserAssigned,
            format!(
                "assigned {} to the enterprise application",
                user.user_principal_name
            ),
        ));
        done.push(user.id);
    }
    Ok(changes)
}

/// Assign the owner of `mailbox` to the enterprise application of the registration `client_id`,
/// when the profile requires user assignment and lists the mailbox owner (after [`super::register`],
/// for a caller that knows the mailbox): what changed.
pub async fn assign_mailbox_owner(
    profile: &Profile,
    client_id: &str,
    mailbox: &str,
    session: &RepairSession<'_>,
) -> Result<Vec<Change>, FixError> {
    let lists_owner = profile
        .registration
        .user_assignment
        .as_ref()
        .is_some_and(|a| a.required && a.assign.contains(&Assignee::MailboxOwner));
    if !lists_owner {
        return Ok(Vec::new());
    }
    let client = graph::service_principal_by_app_id(&session.graph(), client_id)
        .await
        .map_err(|source| FixError::Read {
            what: "enterprise application read",
            source,
        })?;
    ensure_user_assignment(profile, &client, false, Some(mailbox), session).await
}

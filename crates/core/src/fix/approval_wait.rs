//! Waiting until a vendor's app is approved for the organisation, as Graph shows it: the tenant
//! has a service principal for the app ID and it holds an `AllPrincipals` oauth2PermissionGrant
//! or at least one app role assignment. Polled every [`ApprovalWait::interval`] within
//! [`ApprovalWait::timeout`], with a progress message every [`ApprovalWait::reminder`].
//!
//! A transient read failure (network, throttling, 5xx) while waiting is not an answer: polling
//! goes on, and only if the wait ends on one is it reported (as transient). A refusal (401, 403)
//! ends the wait at once — asking again would not change it. Nobody approving in time is
//! [`FixError::ApprovalTimeout`]. The wait itself never writes anything.

use std::time::{Duration, Instant};

use super::{FixError, RepairSession};
use crate::graph::service_principals::ServicePrincipal;
use crate::graph::{ReadError, Reader, app_role_assignments, grants_for_client};

/// How long to wait for the administrator's approval, and how often to look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApprovalWait {
    /// The longest wait.
    pub timeout: Duration,
    /// The pause between two looks.
    pub interval: Duration,
    /// How often to say it is still waiting.
    pub reminder: Duration,
}

impl Default for ApprovalWait {
    fn default() -> Self {
        ApprovalWait {
            timeout: Duration::from_secs(600),
            interval: Duration::from_secs(5),
            reminder: Duration::from_secs(30),
        }
    }
}

/// What shows the app approved: its service principal and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalSeen {
    /// The app's service principal in this tenant.
    pub service_principal: ServicePrincipal,
    /// The scopes of its organisation-wide delegated grants (all resources).
    pub delegated_scopes: Vec<String>,
    /// How many application permissions (app role assignments) it holds.
    pub app_roles: usize,
}

/// Whether the app `client_id` is approved for the organisation: `None` when it has no service
/// principal yet, or one without any organisation-wide grant or assignment.
pub async fn approval_seen(
    graph: &Reader<'_>,
    client_id: &str,
) -> Result<Option<ApprovalSeen>, ReadError> {
    let service_principal = match crate::graph::service_principal_by_app_id(graph, client_id).await
    {
        Ok(sp) => sp,
        Err(ReadError::NotFound(_)) => return Ok(None),
        Err(error) => return Err(error),
    };
    let (grants, assignments) = tokio::join!(
        grants_for_client(graph, &service_principal.id),
        app_role_assignments(graph, &service_principal.id),
    );
    let grants = grants?;
    let admin_grant = grants.iter().any(|g| g.is_admin_consent());
    let delegated_scopes: Vec<String> = grants
        .iter()
        .filter(|g| g.is_admin_consent())
        .flat_map(|g| g.scopes().map(str::to_string))
        .collect();
    let app_roles = assignments?.len();
    if !admin_grant && app_roles == 0 {
        return Ok(None);
    }
    Ok(Some(ApprovalSeen {
        service_principal,
        delegated_scopes,
        app_roles,
    }))
}

/// Poll until the app `client_id` is approved, within `wait`.
pub async fn wait_for_approval(
    session: &RepairSession<'_>,
    client_id: &str,
    wait: ApprovalWait,
) -> Result<ApprovalSeen, FixError> {
    let graph = session.graph();
    let started = Instant::now();
    let mut last_told = started;
    loop {
        let last_fault = match approval_seen(&graph, client_id).await {
            Ok(Some(seen)) => return Ok(seen),
            Ok(None) => None,
            Err(error @ ReadError::Unavailable(_)) => Some(error),
            Err(source) => {
                return Err(FixError::Read {
                    what: "approval check",
                    source,
                });
            }
        };
        let waited = started.elapsed();
        if waited + wait.interval > wait.timeout {
            return Err(match last_fault {
                Some(source) => FixError::Read {
                    what: "approval check",
                    source,
                },
                None => FixError::ApprovalTimeout {
                    client_id: client_id.to_string(),
                    waited: wait.timeout,
                },
            });
        }
        if last_told.elapsed() >= wait.reminder {
            let left = wait.timeout.saturating_sub(waited).as_secs();
            (session.progress)(&format!(
                "Still waiting for an administrator to approve the app {client_id} ({} min {:02} s left; Ctrl-C stops waiting)…",
                left / 60,
                left % 60
            ));
            last_told = Instant::now();
        }
        tokio::time::sleep(wait.interval).await;
    }
}

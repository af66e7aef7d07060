//! The registration's enterprise application (service principal) in the tenant: read by app ID,
//! created with `POST /servicePrincipals {"appId"}` when missing. Right after the registration
//! was created the directory may not know the app yet: the create is retried within the
//! session's patience, and a 409 (it exists but is not visible yet) is waited out by reading. A
//! create whose answer was lost is settled by reading ([`super::lost_answer`]).

use super::lost_answer::{Settled, create_settled};
use super::replication::wait_until_visible;
use super::{Change, ChangeKind, FixError, RepairSession};
use crate::graph::service_principals::ServicePrincipal;
use crate::graph::{self, ReadError, WriteError, service_principal_by_app_id};

/// What [`ensure_service_principal`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct ServicePrincipalOutcome {
    /// The service principal.
    pub service_principal: ServicePrincipal,
    /// Whether it was created now.
    pub created: bool,
    /// What changed.
    pub changes: Vec<Change>,
}

/// Make sure the app `app_id` has a service principal; `fresh` when the app was just created.
pub async fn ensure_service_principal(
    app_id: &str,
    fresh: bool,
    session: &RepairSession<'_>,
) -> Result<ServicePrincipalOutcome, FixError> {
    let graph = session.graph();
    if !fresh {
        match service_principal_by_app_id(&graph, app_id).await {
            Ok(sp) => {
                return Ok(ServicePrincipalOutcome {
                    service_principal: sp,
                    created: false,
                    changes: Vec::new(),
                });
            }
            Err(ReadError::NotFound(_)) => {}
            Err(source) => {
                return Err(FixError::Read {
                    what: "enterprise application read",
                    source,
                });
            }
        }
    }
    let what = "enterprise application create";
    let created = create_settled(
        session,
        fresh,
        what,
        || graph::write::create_service_principal(&graph, app_id),
        || async {
            match service_principal_by_app_id(&graph, app_id).await {
                Ok(_) => Ok(true),
                Err(ReadError::NotFound(_)) => Ok(false),
                Err(source) => Err(FixError::Read {
                    what: "enterprise application read",
                    source,
                }),
            }
        },
        |error| matches!(error, WriteError::Refused { status: 409, .. }),
    )
    .await?;
    let sp = match created {
        Settled::Answered(sp) => sp,
        // It exists but the directory may not show it yet: wait until it does.
        Settled::Existing | Settled::MadeUnseen => {
            wait_until_visible(session, "the enterprise application", || async {
                match service_principal_by_app_id(&graph, app_id).await {
                    Ok(_) => Ok(true),
                    Err(ReadError::NotFound(_)) => Ok(false),
                    Err(error) => Err(error.into()),
                }
            })
            .await?;
            let sp = service_principal_by_app_id(&graph, app_id)
                .await
                .map_err(|source| FixError::Read {
                    what: "enterprise application read",
                    source,
                })?;
            if matches!(created, Settled::Existing) {
                return Ok(ServicePrincipalOutcome {
                    service_principal: sp,
                    created: false,
                    changes: Vec::new(),
                });
            }
            sp
        }
    };
    let changes = vec![Change::new(
        ChangeKind::ServicePrincipalCreated,
        format!(
            "created the enterprise application (service principal {})",
            sp.id
        ),
    )];
    Ok(ServicePrincipalOutcome {
        service_principal: sp,
        created: true,
        changes,
    })
}

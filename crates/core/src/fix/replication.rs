//! Waiting out directory replication: right after a create, Microsoft's directory answers 404
//! `Request_ResourceNotFound` (or, for a service principal of a brand-new app, 400 "does not
//! reference a valid application object") for a while. A step that follows a create retries
//! with doubling waits within [`Patience`], telling the session's progress callback.

use std::future::Future;
use std::time::Instant;

use super::{FixError, RepairSession};
use crate::graph::WriteError;

/// Whether `error` is what the directory answers while a new object is still replicating.
pub fn is_replication_lag(error: &WriteError) -> bool {
    match error {
        WriteError::NotFound(_) => true,
        WriteError::Refused { status: 400, error } => {
            error.code == "Request_BadRequest"
                && error
                    .message
                    .to_ascii_lowercase()
                    .contains("does not reference a valid application")
        }
        _ => false,
    }
}

/// Run `step` until it succeeds or fails for another reason than replication; when `fresh`
/// (something it depends on was just created) lag is waited out within the session's patience,
/// otherwise the first answer stands.
pub async fn retry_while_replicating<T, F, Fut>(
    session: &RepairSession<'_>,
    fresh: bool,
    what: &'static str,
    mut step: F,
) -> Result<T, FixError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, WriteError>>,
{
    let started = Instant::now();
    let mut wait = session.patience.first_wait;
    let mut told = false;
    loop {
        match step().await {
            Ok(value) => return Ok(value),
            Err(error) if fresh && is_replication_lag(&error) => {
                let waited = started.elapsed();
                if waited + wait > session.patience.total {
                    return Err(FixError::ReplicationTimeout { what, waited });
                }
                if !told {
                    (session.progress)(&format!(
                        "Waiting for Microsoft's directory to replicate ({what})…"
                    ));
                    told = true;
                }
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(session.patience.max_wait);
            }
            Err(source) => return Err(FixError::Write { what, source }),
        }
    }
}

/// Poll `seen` until it answers `true` (a new object is visible), within the patience.
pub async fn wait_until_visible<F, Fut>(
    session: &RepairSession<'_>,
    what: &'static str,
    mut seen: F,
) -> Result<(), FixError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool, WriteError>>,
{
    retry_while_replicating(session, true, what, || {
        let check = seen();
        async move {
            match check.await {
                Ok(true) => Ok(()),
                Ok(false) => Err(WriteError::NotFound(crate::graph::GraphError {
                    code: "Request_ResourceNotFound".into(),
                    message: format!("{what} is not visible yet"),
                    inner_error: None,
                })),
                Err(error) => Err(error),
            }
        }
    })
    .await
}

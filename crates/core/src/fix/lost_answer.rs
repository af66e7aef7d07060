//! Settling a create whose answer was lost (cause `write_outcome_unknown`: the request was sent,
//! and whether Microsoft acted is unknown). The creates here are ones the directory refuses to
//! repeat — a second enterprise application for the same app, a second admin-consent grant for the
//! same client and resource, the same app role assigned twice — so they can be settled safely:
//! the directory is read first ([`create_settled`]'s `done`), and only when it shows nothing is the
//! create sent once more; a refusal that says "it exists already" then means the first attempt
//! acted. Secrets, which Microsoft does add twice, are settled by name in [`super::secret`];
//! registrations are created by upsert and never need this.

use std::future::Future;

use super::replication::retry_while_replicating;
use super::{FixError, RepairSession};
use crate::cause::Cause;
use crate::graph::WriteError;

/// What [`create_settled`] ended with.
#[derive(Debug)]
pub enum Settled<T> {
    /// Microsoft answered the create: its result.
    Answered(T),
    /// The first attempt was refused as existing already: someone made it before.
    Existing,
    /// The answer was lost, and the directory shows the create took effect (read back, or the
    /// repeat refused as existing already): this run made it.
    MadeUnseen,
}

/// Whether `error` is a lost answer: the write was sent and may have been carried out.
pub fn is_lost_answer(error: &FixError) -> bool {
    matches!(error, FixError::Write { source: WriteError::Unavailable(fault), .. }
        if fault.cause == Cause::WriteOutcomeUnknown)
}

/// Run the create `write` (replication waited out when `fresh`); after a lost answer, ask `done`
/// whether the directory shows it, and send it once more only when it does not, taking a refusal
/// that `exists` recognises as proof that the first attempt acted.
pub async fn create_settled<T, W, WFut, D, DFut>(
    session: &RepairSession<'_>,
    fresh: bool,
    what: &'static str,
    mut write: W,
    done: D,
    exists: fn(&WriteError) -> bool,
) -> Result<Settled<T>, FixError>
where
    W: FnMut() -> WFut,
    WFut: Future<Output = Result<T, WriteError>>,
    D: FnOnce() -> DFut,
    DFut: Future<Output = Result<bool, FixError>>,
{
    match retry_while_replicating(session, fresh, what, &mut write).await {
        Ok(value) => return Ok(Settled::Answered(value)),
        Err(FixError::Write { source, .. }) if exists(&source) => {
            return Ok(Settled::Existing);
        }
        Err(error) if is_lost_answer(&error) => {
            (session.progress)(&format!(
                "Microsoft's answer to the {what} was lost; reading the directory to see whether it was done."
            ));
            tracing::warn!(what, "answer lost; reading the directory");
        }
        Err(error) => return Err(error),
    }
    if done().await? {
        return Ok(Settled::MadeUnseen);
    }
    match retry_while_replicating(session, fresh, what, &mut write).await {
        Ok(value) => Ok(Settled::Answered(value)),
        Err(FixError::Write { source, .. }) if exists(&source) => Ok(Settled::MadeUnseen),
        Err(error) => Err(error),
    }
}

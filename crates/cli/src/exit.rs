//! Exit statuses and the error that means "bad usage or input" (status 64).

/// The process exit status (contracts/cli.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything passed (warnings allowed).
    Ok,
    /// Something failed.
    Failed,
    /// Nothing failed, but something could not be verified (network, throttling, outage).
    Unverified,
    /// Usage or input was wrong; the message says which option or value and why.
    Usage,
}

impl ExitStatus {
    /// The numeric status.
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Ok => 0,
            ExitStatus::Failed => 1,
            ExitStatus::Unverified => 2,
            ExitStatus::Usage => 64,
        }
    }
}

/// Bad usage or input: ends the program with status 64.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

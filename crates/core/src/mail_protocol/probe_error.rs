//! How a mail probe ends without success, whatever its protocol: the address or the TLS client
//! cannot be used, the server refused (a verdict), no secure session (SMTP's verdict), or a
//! transient fault that says nothing about the setup. Each probe names the stages of its dialogue
//! and its replies, and says through its stages ([`ProbeStage`]) what it makes of an unusable
//! address and of no secure session.

use std::fmt;

use super::{AddressError, TlsSetupError};
use crate::cause::Cause;
use crate::http::Unavailable;

/// The stages of a probe's dialogue, and what the protocol makes of the ways a probe can end.
pub trait ProbeStage: Copy + fmt::Display {
    /// The probe's name in a transient fault's detail: `SMTP AUTH probe`.
    const PROBE: &'static str;
    /// The cause of an address XOAUTH2 cannot carry.
    const UNUSABLE_ADDRESS: Cause;
    /// The cause of no secure session — a TLS client that cannot be set up, or `Unreachable` — as
    /// a verdict; `None` when it is a transient fault (`network_error`, the check `unverified`).
    const NO_SESSION: Option<Cause>;

    /// The stage's name in evidence (`auth`, `tls_handshake`, …).
    fn as_str(self) -> &'static str;
}

/// How a probe ended without success, at a stage `S` of its dialogue, on a reply `R`. None of
/// these carries the token.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError<S, R> {
    /// The mailbox address cannot be used in XOAUTH2.
    #[error(transparent)]
    Address(#[from] AddressError),
    /// The TLS client could not be set up (the endpoints file's CA).
    #[error(transparent)]
    TlsSetup(#[from] TlsSetupError),
    /// The server refused with a permanent reply: a verdict.
    #[error("{stage}: the server answered {reply}")]
    Refused {
        /// Where.
        stage: S,
        /// What the reply means.
        cause: Cause,
        /// The reply.
        reply: R,
    },
    /// No secure SMTP session: no connection, no STARTTLS, a TLS or certificate failure, no
    /// XOAUTH2 on offer. (The IMAP probe never ends so: these are transient faults there.)
    #[error("{stage}: {detail}")]
    Unreachable {
        /// Where.
        stage: S,
        /// What happened.
        detail: String,
    },
    /// A fault that says nothing about the setup: an answer that the server is busy, a dropped
    /// or garbled connection, an answer that does not fit the dialogue, no answer in time.
    #[error("{stage}: {detail}")]
    Transient {
        /// Where.
        stage: S,
        /// `service_unavailable`, `throttled` or `network_error`.
        cause: Cause,
        /// What happened.
        detail: String,
        /// The reply, when there was one.
        reply: Option<R>,
    },
}

impl<S: ProbeStage, R: fmt::Display> ProbeError<S, R> {
    /// A `network_error` at `stage` without a reply: the connection broke, went silent or
    /// sent what is not the protocol.
    pub(crate) fn transient(stage: S, detail: impl Into<String>) -> Self {
        ProbeError::Transient {
            stage,
            cause: Cause::NetworkError,
            detail: detail.into(),
            reply: None,
        }
    }

    /// The cause id.
    pub fn cause(&self) -> Cause {
        match self {
            ProbeError::Address(_) => S::UNUSABLE_ADDRESS,
            ProbeError::TlsSetup(_) | ProbeError::Unreachable { .. } => {
                S::NO_SESSION.unwrap_or(Cause::NetworkError)
            }
            ProbeError::Refused { cause, .. } | ProbeError::Transient { cause, .. } => *cause,
        }
    }

    /// Where the dialogue ended, when it started.
    pub fn stage(&self) -> Option<S> {
        match self {
            ProbeError::Address(_) | ProbeError::TlsSetup(_) => None,
            ProbeError::Refused { stage, .. }
            | ProbeError::Unreachable { stage, .. }
            | ProbeError::Transient { stage, .. } => Some(*stage),
        }
    }

    /// The server's reply, when the probe ended on one.
    pub fn reply(&self) -> Option<&R> {
        match self {
            ProbeError::Refused { reply, .. } => Some(reply),
            ProbeError::Transient { reply, .. } => reply.as_ref(),
            _ => None,
        }
    }

    /// For anything but a verdict, the same [`Unavailable`] an HTTP check gets (the check is
    /// then `unverified`); `None` for a verdict.
    pub fn unavailable(&self, server: &str) -> Option<Unavailable> {
        let probe = S::PROBE;
        match self {
            ProbeError::Transient { cause, .. } => Some(Unavailable {
                cause: *cause,
                detail: format!("{probe} of {server}, {self}"),
                retry_after: None,
            }),
            ProbeError::TlsSetup(_) if S::NO_SESSION.is_none() => Some(Unavailable {
                cause: Cause::NetworkError,
                detail: format!("{probe} of {server}: {self}"),
                retry_after: None,
            }),
            _ => None,
        }
    }
}

//! The IMAP probe: does Exchange Online let the mailbox owner's OAuth token into the mailbox over
//! IMAP? It connects to the IMAP endpoint (outlook.office365.com:993 or the stand-in) with TLS from
//! the first byte (the same rustls configuration as the SMTP probe, trusting the endpoints file's
//! `imap_ca_pem` on loopback), reads the greeting, authenticates with `AUTHENTICATE XOAUTH2` and
//! its initial response (SASL-IR), opens `INBOX` read-only with `EXAMINE`, and says `LOGOUT`. It
//! never reads, changes or deletes a message.
//!
//! The outcome is typed, from Exchange's real replies (crates/fake-tenant/conformance/imap):
//! - `OK AUTHENTICATE completed.` then the `EXAMINE` answered `OK`: [`Authenticated`].
//! - `NO AUTHENTICATE failed.`: the token was refused (`imap_auth_failed`). Exchange says no more
//!   than that: another user's token, a Graph token, no `IMAP.AccessAsUser.All`, an expired token.
//! - `OK AUTHENTICATE completed.` then `BAD User is authenticated but not connected.`: signed in,
//!   but Exchange would not open the mailbox over IMAP (`imap_disabled_mailbox`, its usual cause).
//! - no connection, a TLS failure, a `* BYE`, a reply that does not fit or none in time: a
//!   transient fault whose [`ProbeError::unavailable`] makes the check `unverified`, never `fail`
//!   (there is no IMAP-specific "unreachable" verdict).
//!
//! A `+` continuation after the initial response is a SASL error challenge: the probe answers it
//! with an empty line, as XOAUTH2 expects, and reads the final answer.
//!
//! The token is a [`crate::secret::Secret`]: the AUTHENTICATE line lives only in zeroed memory and
//! the socket; no error, `Debug` output or log carries it.
//!
//! Not here: which token to use and what the result means for a checkpoint (the `imap_auth` check
//! in `verify`); reading mail.

mod probe;
mod response;

pub use crate::mail_protocol::{ProbeOptions, ProbeStage};
pub use probe::{Authenticated, ProbeError, Stage, probe};
pub use response::{Response, ResponseError, Status};

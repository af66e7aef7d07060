//! What the SMTP probe ([`crate::smtp`]) and the IMAP probe ([`crate::imap`]) share: how patient
//! they are ([`ProbeOptions`]), the TLS client (`client_config`, trusting [`add_ca`]'s CA on
//! loopback), the XOAUTH2 initial response ([`initial_response`]), opening the connection and the
//! TLS handshake with a time limit (`connect`, `handshake`), reading and writing lines with a time
//! limit and a size limit (`Wire`), and the ways a probe can end without success ([`ProbeError`],
//! which each protocol's [`ProbeStage`] makes its own).
//!
//! The connection's failures are worded here but judged by each probe: a refused connection or a
//! failed handshake is `smtp_unreachable` for SMTP, and a transient fault that leaves the check
//! `unverified` for IMAP. A dropped, silent or garbled connection is a transient fault
//! (`network_error`) for both.
//!
//! Not here: either protocol's dialogue, its replies or what its refusals mean.

mod connect;
mod options;
mod probe_error;
mod tls;
mod wire;
mod xoauth2;

pub(crate) use connect::{ConnectFailure, HandshakeFailure, connect, handshake, server_name};
pub use options::ProbeOptions;
pub use probe_error::{ProbeError, ProbeStage};
pub(crate) use tls::client_config;
pub use tls::{TlsSetupError, add_ca};
pub(crate) use wire::{Wire, answer_within};
pub use xoauth2::{AddressError, initial_response};

/// `limit` as the probes word it in their failures (`within 2.5 s`).
fn seconds(limit: std::time::Duration) -> String {
    format!("{} s", limit.as_secs_f64())
}

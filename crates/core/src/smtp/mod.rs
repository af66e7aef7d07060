//! The SMTP AUTH probe: does Exchange Online accept the mailbox owner's OAuth token for SMTP
//! submission? It connects to the submission endpoint (smtp.office365.com:587 or the stand-in),
//! reads the banner, says EHLO, upgrades with STARTTLS (rustls with the `ring` provider chosen
//! explicitly, trusting the public web roots plus the endpoints file's `smtp_ca_pem` on loopback),
//! says EHLO again, authenticates with `AUTH XOAUTH2` and says QUIT. It never sends MAIL, RCPT or
//! DATA: the probe sends no mail.
//!
//! The outcome is typed: a `235` is [`Authenticated`]; anything else is a [`ProbeError`] whose
//! [`ProbeError::cause`] is a cause id — `535 5.7.139 … for the Tenant` / `… for the Mailbox` /
//! `… basic authentication is disabled`, `535 5.7.3`, no connection / no STARTTLS / a TLS or
//! certificate failure (`smtp_unreachable`), or a transient fault (a `4xx` reply, a connection that
//! drops, a garbled reply or no answer in time) that [`ProbeError::unavailable`] turns into the
//! same [`crate::http::Unavailable`] the HTTP checks use, so the check is `unverified`. The reply
//! text is classified by [`crate::diagnose::classify_reply`], the same reading `diagnose` gives a
//! pasted reply.
//!
//! The token is a [`crate::secret::Secret`]: the AUTH line lives only in zeroed memory and the
//! socket; no error, `Debug` output or log carries it.
//!
//! Why not `lettre` (considered first): its SMTP errors do not tell a failed STARTTLS handshake
//! (certificate) from a connection that broke mid-dialogue — both are error kinds without a public
//! predicate, and a dropped connection surfaces as a reply-parse error — yet the first is a
//! verdict (`smtp_unreachable`) and the second must stay `unverified`; it logs every line it writes
//! (the AUTH line included) when its `tracing` feature is on anywhere in the build; it takes the
//! process-default rustls provider instead of one we choose; and it keeps the token in a plain
//! `String`. The dialogue the probe needs is a handful of commands, written out in [`probe`].
//!
//! Not here: what the IMAP probe shares with it — the connection, the TLS client, the XOAUTH2
//! response, reading lines with a time limit (`mail_protocol`); which token to use and what the
//! result means for a checkpoint (the `smtp_auth` check in `verify`); and sending mail (Graph
//! `sendMail`, the `test_email` check).

mod probe;
mod reply;

pub use crate::mail_protocol::{
    AddressError, ProbeOptions, ProbeStage, TlsSetupError, add_ca, initial_response,
};
pub use probe::{Authenticated, ProbeError, Stage, probe};
pub use reply::{Reply, ReplyError};

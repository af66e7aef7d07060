//! How patient a mail probe is: the time limit of the connection and of each answer.

use std::time::Duration;

/// How patient the probe is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeOptions {
    /// The time limit of the TCP connection.
    pub connect_timeout: Duration,
    /// The time limit of each reply (SMTP) or response (IMAP) and of the TLS handshake.
    pub reply_timeout: Duration,
}

impl ProbeOptions {
    /// Every wait of the probe — the connection, each reply, the TLS handshake — within `limit`
    /// (the time limit of each request to Microsoft, `--timeout`).
    pub fn within(limit: Duration) -> ProbeOptions {
        ProbeOptions {
            connect_timeout: limit,
            reply_timeout: limit,
        }
    }
}

impl Default for ProbeOptions {
    fn default() -> Self {
        ProbeOptions {
            connect_timeout: Duration::from_secs(10),
            reply_timeout: Duration::from_secs(20),
        }
    }
}

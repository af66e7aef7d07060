//! Opening a mail probe's connection: the server's name for TLS, the TCP connection and the TLS
//! handshake, each within its time limit, each failure worded for the probe's error.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::ClientConfig;
use tokio_rustls::rustls::pki_types::ServerName;

use super::seconds;

/// The name the server's certificate must carry, or why `host` cannot be one (the failure's
/// detail).
pub(crate) fn server_name(host: &str) -> Result<ServerName<'static>, String> {
    ServerName::try_from(host.to_owned())
        .map_err(|_| format!("'{host}' is not a host name or address"))
}

/// Why no TCP connection was opened.
#[derive(Debug)]
pub(crate) enum ConnectFailure {
    /// No connection within the time limit.
    TimedOut(String),
    /// The connection failed (refused, unroutable, no such host).
    Failed(String),
}

impl ConnectFailure {
    /// What happened, worded for the probe's error.
    pub(crate) fn detail(self) -> String {
        match self {
            ConnectFailure::TimedOut(detail) | ConnectFailure::Failed(detail) => detail,
        }
    }
}

/// A TCP connection to `host:port` within `limit`.
pub(crate) async fn connect(
    host: &str,
    port: u16,
    limit: Duration,
) -> Result<TcpStream, ConnectFailure> {
    match timeout(limit, TcpStream::connect((host, port))).await {
        Err(_) => Err(ConnectFailure::TimedOut(format!(
            "no connection to {host}:{port} within {}",
            seconds(limit)
        ))),
        Ok(Err(e)) => Err(ConnectFailure::Failed(format!(
            "could not connect to {host}:{port}: {e}"
        ))),
        Ok(Ok(tcp)) => Ok(tcp),
    }
}

/// Why the TLS handshake did not complete.
#[derive(Debug)]
pub(crate) enum HandshakeFailure {
    /// No handshake within the time limit.
    TimedOut(Duration),
    /// TLS refused it: a certificate that is not trusted or does not fit, no common protocol.
    Refused(tokio_rustls::rustls::Error),
    /// The connection broke (or was not TLS at all) before TLS could say anything.
    Broken(std::io::Error),
}

impl fmt::Display for HandshakeFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandshakeFailure::TimedOut(limit) => {
                write!(f, "no TLS handshake within {}", seconds(*limit))
            }
            HandshakeFailure::Refused(e) => write!(f, "the TLS handshake failed: {e}"),
            HandshakeFailure::Broken(e) => {
                write!(f, "the connection broke during the TLS handshake: {e}")
            }
        }
    }
}

/// The TLS handshake as `server_name` over `tcp`, within `limit`.
pub(crate) async fn handshake(
    config: Arc<ClientConfig>,
    server_name: ServerName<'static>,
    tcp: TcpStream,
    limit: Duration,
) -> Result<TlsStream<TcpStream>, HandshakeFailure> {
    let handshake = TlsConnector::from(config).connect(server_name, tcp);
    match timeout(limit, handshake).await {
        Err(_) => Err(HandshakeFailure::TimedOut(limit)),
        Ok(Err(e)) => {
            let tls_error = e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<tokio_rustls::rustls::Error>())
                .cloned();
            Err(match tls_error {
                Some(tls_error) => HandshakeFailure::Refused(tls_error),
                None => HandshakeFailure::Broken(e),
            })
        }
        Ok(Ok(tls)) => Ok(tls),
    }
}

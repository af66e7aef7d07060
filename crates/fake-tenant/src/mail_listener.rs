//! What the SMTP and IMAP listeners share: the TLS material (a CA, written as `ca.pem` and reported as
//! `smtp_ca_pem` and `imap_ca_pem`, and a server certificate for `localhost` / `127.0.0.1` signed by it),
//! the accept loop, a client's connection (lines read, lines answered after the scenario's latency, the TLS
//! upgrade) and the XOAUTH2 sign-in checked against the scenario.
//!
//! Not here: either protocol's dialogue, its reply lines or its faults.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::jwt::claim_text;
use crate::permissions;
use crate::scenario::MailboxKind;
use crate::server::Shared;
use crate::state::{Tenant, User};

/// Why the TLS material could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// Certificate generation failed.
    #[error("cannot generate the SMTP certificate: {0}")]
    Generate(String),
    /// Writing `ca.pem` failed.
    #[error("cannot write the SMTP CA certificate: {0}")]
    Write(String),
}

/// The TLS server configuration of both mail listeners (SMTP's STARTTLS, IMAP's TLS on connect) and
/// where its CA was written.
#[derive(Debug)]
pub struct SmtpTls {
    /// The rustls server configuration.
    pub config: Arc<ServerConfig>,
    /// Absolute path of `ca.pem`.
    pub ca_pem_path: PathBuf,
}

impl SmtpTls {
    /// Generates a CA and a server certificate; writes the CA to `dir/ca.pem`.
    pub fn generate(dir: &Path) -> Result<SmtpTls, TlsError> {
        let failed = |error: rcgen::Error| TlsError::Generate(error.to_string());
        let ca_key = rcgen::KeyPair::generate().map_err(failed)?;
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params.distinguished_name = rcgen::DistinguishedName::new();
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "entra-fake-tenant SMTP CA");
        ca_params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
            rcgen::KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = ca_params.self_signed(&ca_key).map_err(failed)?;

        let leaf_key = rcgen::KeyPair::generate().map_err(failed)?;
        let mut leaf_params = rcgen::CertificateParams::new(vec![
            "localhost".to_owned(),
            "smtp.office365.com".to_owned(),
        ])
        .map_err(failed)?;
        leaf_params
            .subject_alt_names
            .push(rcgen::SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        leaf_params.distinguished_name = rcgen::DistinguishedName::new();
        leaf_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "outlook.office365.com");
        leaf_params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        let leaf_cert = leaf_params
            .signed_by(&leaf_key, &ca_cert, &ca_key)
            .map_err(failed)?;

        std::fs::create_dir_all(dir).map_err(|error| TlsError::Write(error.to_string()))?;
        let ca_pem_path = dir.join("ca.pem");
        std::fs::write(&ca_pem_path, ca_cert.pem())
            .map_err(|error| TlsError::Write(error.to_string()))?;
        let ca_pem_path = std::fs::canonicalize(&ca_pem_path).unwrap_or(ca_pem_path);

        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let chain = vec![
            CertificateDer::from(leaf_cert.der().to_vec()),
            CertificateDer::from(ca_cert.der().to_vec()),
        ];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| TlsError::Generate(error.to_string()))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|error| TlsError::Generate(error.to_string()))?;
        Ok(SmtpTls {
            config: Arc::new(config),
            ca_pem_path,
        })
    }
}

/// Accepts connections on `listener` until shutdown, each served by `session` on a task of its own.
pub(crate) async fn serve<Session, Served>(
    listener: TcpListener,
    shared: Arc<Shared>,
    tls: Arc<SmtpTls>,
    mut shutdown: watch::Receiver<bool>,
    session: Session,
) where
    Session: Fn(TcpStream, Arc<Shared>, Arc<SmtpTls>) -> Served,
    Served: Future<Output = ()> + Send + 'static,
{
    let mut sessions = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                sessions.spawn(session(stream, shared.clone(), tls.clone()));
            }
            _ = shutdown.changed() => break,
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
    sessions.abort_all();
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// The TLS handshake of a client on `tcp`, as the server `tls` describes.
pub(crate) async fn accept_tls(
    tcp: TcpStream,
    tls: &SmtpTls,
) -> std::io::Result<tokio_rustls::server::TlsStream<TcpStream>> {
    TlsAcceptor::from(tls.config.clone()).accept(tcp).await
}

/// A client's connection, plain or inside TLS: lines read, lines answered after the scenario's latency.
pub(crate) struct Connection {
    stream: BufReader<Box<dyn Io>>,
    latency: Duration,
}

impl Connection {
    /// `stream`, each answer sent after `latency`.
    pub(crate) fn new(
        stream: impl AsyncRead + AsyncWrite + Unpin + Send + 'static,
        latency: Duration,
    ) -> Connection {
        Connection {
            stream: BufReader::new(Box::new(stream)),
            latency,
        }
    }

    /// The same connection inside TLS (STARTTLS): what the client sent before the handshake and was not
    /// read yet is dropped.
    pub(crate) async fn start_tls(self, tls: &SmtpTls) -> std::io::Result<Connection> {
        let plain = self.stream.into_inner();
        let encrypted = TlsAcceptor::from(tls.config.clone()).accept(plain).await?;
        Ok(Connection {
            stream: BufReader::new(Box::new(encrypted)),
            latency: self.latency,
        })
    }

    /// After the latency, `text`: its lines (separated by `\n`) each ended with CRLF.
    pub(crate) async fn send(&mut self, text: &str) -> std::io::Result<()> {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let mut wire = text.replace('\n', "\r\n");
        wire.push_str("\r\n");
        self.write_raw(wire.as_bytes()).await
    }

    /// `bytes` as they are, at once.
    pub(crate) async fn write_raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.stream.get_mut().write_all(bytes).await?;
        self.stream.get_mut().flush().await
    }

    /// The client's next line without its CRLF; `None` when it closed the connection or it broke.
    pub(crate) async fn read_line(&mut self) -> Option<String> {
        let mut line = String::new();
        match self.stream.read_line(&mut line).await {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_owned()),
        }
    }

    /// Closes our side of the connection.
    pub(crate) async fn shutdown(&mut self) {
        let _ = self.stream.get_mut().shutdown().await;
    }
}

/// The mailbox an XOAUTH2 initial response (`base64("user=…\x01auth=Bearer …\x01\x01")`) signs in to,
/// handed to `signed_in` with its tenant while the directory is locked; `None` when Exchange refuses the
/// sign-in: not such a response, a token that does not verify, is not for the Outlook resource, is an
/// app's or lacks `scope`; a tenant or user the scenario does not have; a token of another user (any user
/// of the tenant may open a shared mailbox); a user without an Exchange mailbox; a disabled account.
pub(crate) fn xoauth2_mailbox<T>(
    shared: &Shared,
    response: &str,
    scope: &str,
    signed_in: impl FnOnce(&Tenant, &User) -> T,
) -> Option<T> {
    let decoded = String::from_utf8(STANDARD.decode(response.trim()).ok()?).ok()?;
    let mut user = None;
    let mut token = None;
    for part in decoded.split('\x01') {
        if let Some(value) = part.strip_prefix("user=") {
            user = Some(value.to_owned());
        } else if let Some(value) = part.strip_prefix("auth=") {
            token = value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
                .map(str::to_owned);
        }
    }
    let (user, token) = (user?, token?);
    let claims = shared
        .key
        .verify(&token, shared.clock.utc().timestamp())
        .ok()?;
    let text = |name: &str| claim_text(&claims, name);
    if !permissions::is_exchange_audience(&text("aud")) || text("idtyp") == "app" {
        return None;
    }
    if !text("scp").split_whitespace().any(|s| s == scope) {
        return None;
    }
    let directory = shared.directory();
    let tenant = directory.tenants.iter().find(|t| t.id == text("tid"))?;
    let mailbox = tenant.user_by_upn(&user)?;
    let caller = text("oid");
    let own = mailbox.id == caller;
    let shared_mailbox =
        mailbox.mailbox == MailboxKind::Shared && tenant.users.iter().any(|u| u.id == caller);
    if !(own || shared_mailbox) || !mailbox.has_rest_mailbox() || own && !mailbox.account_enabled {
        return None;
    }
    Some(signed_in(tenant, mailbox))
}

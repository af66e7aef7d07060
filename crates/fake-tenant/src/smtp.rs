//! SMTP submission as smtp.office365.com:587 answers it: the banner, EHLO with `STARTTLS` before TLS and
//! `AUTH LOGIN XOAUTH2` after it, XOAUTH2 checked against the scenario (Outlook audience, `SMTP.Send`, the
//! right user, SMTP AUTH on for the organisation and the mailbox), basic auth refused, then MAIL / RCPT /
//! DATA accepted and recorded. Reply lines follow conformance/smtp.
//!
//! `faults[]` with `match: "SMTP"` act per connection: `status` answers that reply line instead of the
//! banner and closes, `malformed` sends half a banner, `reset` closes at once, `hang` delays the banner.
//!
//! Also the STARTTLS certificates: a CA (written as `ca.pem`, reported as `smtp_ca_pem`) and a server
//! certificate for `localhost` / `127.0.0.1` signed by it.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::faults::take_fault;
use crate::permissions;
use crate::scenario::FaultKind;
use crate::server::Shared;
use crate::state::SentMail;

/// Why the STARTTLS material could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// Certificate generation failed.
    #[error("cannot generate the SMTP certificate: {0}")]
    Generate(String),
    /// Writing `ca.pem` failed.
    #[error("cannot write the SMTP CA certificate: {0}")]
    Write(String),
}

/// The STARTTLS server configuration and where its CA was written.
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

/// Accepts SMTP connections until shutdown.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    tls: Arc<SmtpTls>,
    mut shutdown: watch::Receiver<bool>,
) {
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

/// One server name per session, in Exchange Online's style.
fn server_name() -> String {
    let mut bytes = [0u8; 4];
    let _ = aws_lc_rs::rand::fill(&mut bytes);
    format!(
        "AM{}PR{:02}CA{:04}",
        bytes[0] % 10,
        bytes[1] % 100,
        u16::from_be_bytes([bytes[2], bytes[3]]) % 10000
    )
}

struct Session {
    shared: Arc<Shared>,
    host: String,
    latency: Duration,
}

impl Session {
    fn tail(&self) -> String {
        let mut id = [0u8; 8];
        let _ = aws_lc_rs::rand::fill(&mut id);
        let hex: String = id.iter().map(|b| format!("{b:02X}")).collect();
        format!(
            "[{}.eurprd05.prod.outlook.com {} {hex}]",
            self.host,
            self.shared.clock.utc().format("%Y-%m-%dT%H:%M:%S%.3fZ")
        )
    }

    async fn reply(&self, stream: &mut BufReader<Box<dyn Io>>, text: &str) -> std::io::Result<()> {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let mut wire = text.replace('\n', "\r\n");
        wire.push_str("\r\n");
        stream.get_mut().write_all(wire.as_bytes()).await?;
        stream.get_mut().flush().await
    }
}

async fn read_line(stream: &mut BufReader<Box<dyn Io>>) -> Option<String> {
    let mut line = String::new();
    match stream.read_line(&mut line).await {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_owned()),
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>, tls: Arc<SmtpTls>) {
    let fault = take_fault(&mut shared.directory(), "SMTP", "", "");
    let session = Session {
        latency: shared.latency(),
        shared,
        host: server_name(),
    };
    let mut stream: BufReader<Box<dyn Io>> = BufReader::new(Box::new(stream));
    if let Some(fault) = fault {
        match fault.kind {
            FaultKind::Reset => return,
            FaultKind::Hang => {
                tokio::time::sleep(Duration::from_secs_f64(fault.seconds.unwrap_or(0.0))).await
            }
            FaultKind::Malformed => {
                // The first half of a real banner, without its CRLF, then the connection closes.
                let banner = banner(&session);
                let _ = stream
                    .get_mut()
                    .write_all(&banner.as_bytes()[..banner.len() / 2])
                    .await;
                let _ = stream.get_mut().flush().await;
                let _ = stream.get_mut().shutdown().await;
                return;
            }
            FaultKind::Status => {
                let code = fault.status.unwrap_or(421);
                let reply = fault_reply(code, &session.host);
                let _ = session.reply(&mut stream, &reply).await;
                let _ = stream.get_mut().shutdown().await;
                return;
            }
        }
    }
    let _ = run(&session, stream, tls).await;
}

/// The reply line of an SMTP `status` fault, sent instead of the banner before the connection closes.
/// 421 is what Office 365 answers when a front end is busy or draining, as seen in the wild:
/// `421 4.3.2 Service not active [TYAPR01CA0229.jpnprd01.prod.outlook.com]` (jstedfast/MailKit#1106).
/// Other codes keep that wording with the enhanced status class of the code (`4.` or `5.`).
fn fault_reply(code: u16, host: &str) -> String {
    format!(
        "{code} {}.3.2 Service not active [{host}.eurprd05.prod.outlook.com]",
        code / 100
    )
}

/// The 220 greeting, with the 2024 form's trailing `[hex]` id (conformance/smtp).
fn banner(session: &Session) -> String {
    let greeting_id: String = {
        let mut id = [0u8; 8];
        let _ = aws_lc_rs::rand::fill(&mut id);
        id.iter().map(|b| format!("{b:02X}")).collect()
    };
    format!(
        "220 {}.outlook.office365.com Microsoft ESMTP MAIL Service ready at {} [{greeting_id}]",
        session.host,
        session
            .shared
            .clock
            .utc()
            .format("%a, %d %b %Y %H:%M:%S +0000")
    )
}

#[derive(Default)]
struct Envelope {
    authenticated: Option<String>,
    from: Option<String>,
    to: Vec<String>,
}

async fn run(
    session: &Session,
    mut stream: BufReader<Box<dyn Io>>,
    tls: Arc<SmtpTls>,
) -> std::io::Result<()> {
    let host = format!("{}.outlook.office365.com", session.host);
    session.reply(&mut stream, &banner(session)).await?;
    let mut secure = false;
    let mut envelope = Envelope::default();
    while let Some(line) = read_line(&mut stream).await {
        let upper = line.to_ascii_uppercase();
        let verb = upper
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned();
        match verb.as_str() {
            "EHLO" => {
                let middle = if secure {
                    "250-AUTH LOGIN XOAUTH2"
                } else {
                    "250-STARTTLS"
                };
                let reply = format!(
                    "250-{host} Hello [127.0.0.1]\n250-SIZE 157286400\n250-PIPELINING\n250-DSN\n250-ENHANCEDSTATUSCODES\n{middle}\n250-8BITMIME\n250-BINARYMIME\n250-CHUNKING\n250 SMTPUTF8"
                );
                session.reply(&mut stream, &reply).await?;
            }
            "HELO" => {
                session
                    .reply(&mut stream, &format!("250 {host} Hello [127.0.0.1]"))
                    .await?
            }
            "STARTTLS" if !secure => {
                session
                    .reply(&mut stream, "220 2.0.0 SMTP server ready")
                    .await?;
                let plain = stream.into_inner();
                let encrypted = TlsAcceptor::from(tls.config.clone()).accept(plain).await?;
                stream = BufReader::new(Box::new(encrypted));
                secure = true;
                envelope = Envelope::default();
            }
            "STARTTLS" => {
                session
                    .reply(&mut stream, "503 5.5.1 Bad sequence of commands")
                    .await?
            }
            "AUTH" if !secure => {
                session
                    .reply(&mut stream, "504 5.7.4 Unrecognized authentication type")
                    .await?
            }
            "AUTH" => {
                let reply = authenticate(session, &mut stream, &line, &mut envelope).await?;
                session.reply(&mut stream, &reply).await?;
            }
            "MAIL" | "RCPT" | "DATA" if !secure => {
                session
                    .reply(&mut stream, "530 5.7.0 Must issue a STARTTLS command first")
                    .await?
            }
            "MAIL" | "RCPT" | "DATA" if envelope.authenticated.is_none() => {
                session
                    .reply(
                        &mut stream,
                        &format!(
                            "530 5.7.57 Client not authenticated to send mail. {}",
                            session.tail()
                        ),
                    )
                    .await?
            }
            "MAIL" => {
                envelope.from = Some(angle_address(&line));
                envelope.to.clear();
                session.reply(&mut stream, "250 2.1.0 Sender OK").await?;
            }
            "RCPT" if envelope.from.is_none() => {
                session
                    .reply(&mut stream, "503 5.5.1 Bad sequence of commands")
                    .await?
            }
            "RCPT" => {
                envelope.to.push(angle_address(&line));
                session.reply(&mut stream, "250 2.1.5 Recipient OK").await?;
            }
            "DATA" if envelope.to.is_empty() => {
                session
                    .reply(&mut stream, "503 5.5.1 Bad sequence of commands")
                    .await?
            }
            "DATA" => {
                session
                    .reply(&mut stream, "354 Start mail input; end with <CRLF>.<CRLF>")
                    .await?;
                let mut subject = String::new();
                let mut in_headers = true;
                loop {
                    let Some(data) = read_line(&mut stream).await else {
                        return Ok(());
                    };
                    if data == "." {
                        break;
                    }
                    if data.is_empty() {
                        in_headers = false;
                    }
                    if in_headers
                        && subject.is_empty()
                        && data.to_ascii_lowercase().starts_with("subject:")
                    {
                        subject = data[8..].trim().to_owned();
                    }
                }
                let from = envelope.authenticated.clone().unwrap_or_default();
                let to = std::mem::take(&mut envelope.to);
                envelope.from = None;
                session.shared.directory().sent_mail.push(SentMail {
                    via: "smtp".to_owned(),
                    from,
                    to,
                    subject,
                });
                let mut id = [0u8; 16];
                let _ = aws_lc_rs::rand::fill(&mut id);
                let hex: String = id.iter().map(|b| format!("{b:02X}")).collect();
                let mailbox_host = format!(
                    "{}.eurprd05.prod.outlook.com",
                    session.host.replace("CA", "MB")
                );
                session
                    .reply(
                        &mut stream,
                        &format!("250 2.0.0 OK <{hex}@{mailbox_host}> [Hostname={mailbox_host}]"),
                    )
                    .await?;
            }
            "RSET" => {
                envelope.from = None;
                envelope.to.clear();
                session.reply(&mut stream, "250 2.0.0 Resetting").await?;
            }
            "NOOP" => session.reply(&mut stream, "250 2.0.0 OK").await?,
            "QUIT" => {
                session
                    .reply(
                        &mut stream,
                        "221 2.0.0 Service closing transmission channel",
                    )
                    .await?;
                return Ok(());
            }
            _ => {
                session
                    .reply(&mut stream, "500 5.3.3 Unrecognized command")
                    .await?
            }
        }
    }
    Ok(())
}

fn angle_address(line: &str) -> String {
    let after = line
        .split_once(':')
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    after
        .trim()
        .trim_start_matches('<')
        .split('>')
        .next()
        .unwrap_or_default()
        .to_owned()
}

async fn authenticate(
    session: &Session,
    stream: &mut BufReader<Box<dyn Io>>,
    line: &str,
    envelope: &mut Envelope,
) -> std::io::Result<String> {
    let mut parts = line.split_whitespace().skip(1);
    let mechanism = parts.next().unwrap_or_default().to_ascii_uppercase();
    let initial = parts.next().map(str::to_owned);
    match mechanism.as_str() {
        "XOAUTH2" => {
            let response = match initial {
                Some(initial) => initial,
                None => {
                    session.reply(stream, "334 ").await?;
                    read_line(stream).await.unwrap_or_default()
                }
            };
            Ok(match check_xoauth2(session, &response) {
                Ok(user) => {
                    envelope.authenticated = Some(user);
                    "235 2.7.0 Authentication successful".to_owned()
                }
                Err(reply) => reply,
            })
        }
        "LOGIN" => {
            if initial.is_none() {
                session.reply(stream, "334 VXNlcm5hbWU6").await?;
                let _ = read_line(stream).await;
            }
            session.reply(stream, "334 UGFzc3dvcmQ6").await?;
            let _ = read_line(stream).await;
            Ok(format!(
                "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. {}",
                session.tail()
            ))
        }
        _ => Ok(format!(
            "504 5.7.4 Unrecognized authentication type {}",
            session.tail()
        )),
    }
}

/// Checks an XOAUTH2 initial response; `Ok(user)` or the 535 reply line.
fn check_xoauth2(session: &Session, response: &str) -> Result<String, String> {
    let unsuccessful = || format!("535 5.7.3 Authentication unsuccessful {}", session.tail());
    let decoded = STANDARD
        .decode(response.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(unsuccessful)?;
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
    let (Some(user), Some(token)) = (user, token) else {
        return Err(unsuccessful());
    };
    let claims = session
        .shared
        .key
        .verify(&token, session.shared.clock.utc().timestamp())
        .map_err(|_| unsuccessful())?;
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    if !permissions::is_exchange_audience(&text("aud")) {
        return Err(unsuccessful());
    }
    let directory = session.shared.directory();
    let tenant = directory
        .tenants
        .iter()
        .find(|t| t.id == text("tid"))
        .ok_or_else(unsuccessful)?;
    let mailbox = tenant.user_by_upn(&user).ok_or_else(unsuccessful)?;
    if text("idtyp") == "app" {
        return Err(unsuccessful());
    }
    let scopes = text("scp");
    if !scopes.split_whitespace().any(|s| s == "SMTP.Send") {
        return Err(unsuccessful());
    }
    let signed_in = text("oid");
    let own = mailbox.id == signed_in;
    let shared_mailbox = mailbox.mailbox == crate::scenario::MailboxKind::Shared
        && tenant.users.iter().any(|u| u.id == signed_in);
    if !(own || shared_mailbox) || !mailbox.has_rest_mailbox() || !mailbox.account_enabled && own {
        return Err(unsuccessful());
    }
    match mailbox.smtp_auth {
        Some(false) => Err(format!(
            "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. {}",
            session.tail()
        )),
        None if !tenant.smtp_auth_enabled => Err(format!(
            "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. {}",
            session.tail()
        )),
        _ => Ok(mailbox.upn.clone()),
    }
}

//! SMTP submission as smtp.office365.com:587 answers it: the banner, EHLO with `STARTTLS` before TLS and
//! `AUTH LOGIN XOAUTH2` after it, XOAUTH2 checked against the scenario (Outlook audience, `SMTP.Send`, the
//! right user, SMTP AUTH on for the organisation and the mailbox), basic auth refused, then MAIL / RCPT /
//! DATA accepted and recorded. Reply lines follow conformance/smtp.
//!
//! `faults[]` with `match: "SMTP"` act per connection: `status` answers that reply line instead of the
//! banner and closes, `malformed` sends half a banner, `reset` closes at once, `hang` delays the banner.
//!
//! The STARTTLS certificates, the accept loop, the connection and the token checks are shared with the IMAP
//! listener (`mail_listener`).

use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::faults::take_fault;
use crate::mail_listener::{Connection, xoauth2_mailbox};
pub use crate::mail_listener::{SmtpTls, TlsError};
use crate::scenario::FaultKind;
use crate::server::Shared;
use crate::state::SentMail;

/// Accepts SMTP connections until shutdown.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    tls: Arc<SmtpTls>,
    shutdown: watch::Receiver<bool>,
) {
    crate::mail_listener::serve(listener, shared, tls, shutdown, session).await;
}

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
}

async fn session(stream: TcpStream, shared: Arc<Shared>, tls: Arc<SmtpTls>) {
    let fault = take_fault(&mut shared.directory(), "SMTP", "", "");
    let mut stream = Connection::new(stream, shared.latency());
    let session = Session {
        shared,
        host: server_name(),
    };
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
                    .write_raw(&banner.as_bytes()[..banner.len() / 2])
                    .await;
                stream.shutdown().await;
                return;
            }
            FaultKind::Status => {
                let code = fault.status.unwrap_or(421);
                let reply = fault_reply(code, &session.host);
                let _ = stream.send(&reply).await;
                stream.shutdown().await;
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

async fn run(session: &Session, mut stream: Connection, tls: Arc<SmtpTls>) -> std::io::Result<()> {
    let host = format!("{}.outlook.office365.com", session.host);
    stream.send(&banner(session)).await?;
    let mut secure = false;
    let mut envelope = Envelope::default();
    while let Some(line) = stream.read_line().await {
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
                stream.send(&reply).await?;
            }
            "HELO" => {
                stream
                    .send(&format!("250 {host} Hello [127.0.0.1]"))
                    .await?
            }
            "STARTTLS" if !secure => {
                stream.send("220 2.0.0 SMTP server ready").await?;
                stream = stream.start_tls(&tls).await?;
                secure = true;
                envelope = Envelope::default();
            }
            "STARTTLS" => stream.send("503 5.5.1 Bad sequence of commands").await?,
            "AUTH" if !secure => {
                stream
                    .send("504 5.7.4 Unrecognized authentication type")
                    .await?
            }
            "AUTH" => {
                let reply = authenticate(session, &mut stream, &line, &mut envelope).await?;
                stream.send(&reply).await?;
            }
            "MAIL" | "RCPT" | "DATA" if !secure => {
                stream
                    .send("530 5.7.0 Must issue a STARTTLS command first")
                    .await?
            }
            "MAIL" | "RCPT" | "DATA" if envelope.authenticated.is_none() => {
                stream
                    .send(&format!(
                        "530 5.7.57 Client not authenticated to send mail. {}",
                        session.tail()
                    ))
                    .await?
            }
            "MAIL" => {
                envelope.from = Some(angle_address(&line));
                envelope.to.clear();
                stream.send("250 2.1.0 Sender OK").await?;
            }
            "RCPT" if envelope.from.is_none() => {
                stream.send("503 5.5.1 Bad sequence of commands").await?
            }
            "RCPT" => {
                envelope.to.push(angle_address(&line));
                stream.send("250 2.1.5 Recipient OK").await?;
            }
            "DATA" if envelope.to.is_empty() => {
                stream.send("503 5.5.1 Bad sequence of commands").await?
            }
            "DATA" => {
                stream
                    .send("354 Start mail input; end with <CRLF>.<CRLF>")
                    .await?;
                let mut subject = String::new();
                let mut in_headers = true;
                loop {
                    let Some(data) = stream.read_line().await else {
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
                stream
                    .send(&format!(
                        "250 2.0.0 OK <{hex}@{mailbox_host}> [Hostname={mailbox_host}]"
                    ))
                    .await?;
            }
            "RSET" => {
                envelope.from = None;
                envelope.to.clear();
                stream.send("250 2.0.0 Resetting").await?;
            }
            "NOOP" => stream.send("250 2.0.0 OK").await?,
            "QUIT" => {
                stream
                    .send("221 2.0.0 Service closing transmission channel")
                    .await?;
                return Ok(());
            }
            _ => stream.send("500 5.3.3 Unrecognized command").await?,
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
    stream: &mut Connection,
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
                    stream.send("334 ").await?;
                    stream.read_line().await.unwrap_or_default()
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
                stream.send("334 VXNlcm5hbWU6").await?;
                let _ = stream.read_line().await;
            }
            stream.send("334 UGFzc3dvcmQ6").await?;
            let _ = stream.read_line().await;
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
    xoauth2_mailbox(&session.shared, response, "SMTP.Send", |tenant, mailbox| {
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
    })
    .unwrap_or_else(|| Err(unsuccessful()))
}

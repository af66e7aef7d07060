//! The probe's dialogue: connect, banner, EHLO, STARTTLS, TLS handshake, EHLO, `AUTH XOAUTH2`,
//! QUIT — and how each way it can end becomes a verdict, a transient fault or a success.
//!
//! Every read has a time limit and a size limit; a reply that never comes, stops half-way or is
//! not SMTP is a transient fault (`network_error`), as is a `4xx` reply (`service_unavailable`, or
//! `throttled` when the text says so). Nothing is retried: a probe is cheap to run again.

use std::fmt;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::time::timeout;

use super::reply::{Reply, ReplyBuilder};
use crate::cause::Cause;
use crate::diagnose::classify_reply;
use crate::endpoints::SmtpEndpoint;
use crate::mail_protocol::{
    ConnectFailure, HandshakeFailure, ProbeOptions, ProbeStage, Wire, answer_within, client_config,
    connect, handshake, initial_response, server_name,
};
use crate::secret::Secret;

/// The longest reply line read (RFC 5321 allows 512 octets; Exchange's are far shorter).
const MAX_LINE: u64 = 4096;
/// The most lines one reply may have.
const MAX_LINES: usize = 100;
/// How long QUIT may take before the connection is simply closed.
const QUIT_TIMEOUT: Duration = Duration::from_secs(2);

/// Where in the dialogue the probe was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Opening the TCP connection.
    Connect,
    /// Waiting for the `220` banner.
    Greeting,
    /// EHLO before TLS.
    Ehlo,
    /// The STARTTLS command.
    StartTls,
    /// The TLS handshake.
    TlsHandshake,
    /// EHLO inside TLS.
    SecureEhlo,
    /// `AUTH XOAUTH2`.
    Auth,
}

/// No secure SMTP session (a TLS client that cannot be set up, `Unreachable`) is the verdict
/// `smtp_unreachable`.
impl ProbeStage for Stage {
    const PROBE: &'static str = "SMTP AUTH probe";
    const UNUSABLE_ADDRESS: Cause = Cause::SmtpAuthFailed;
    const NO_SESSION: Option<Cause> = Some(Cause::SmtpUnreachable);

    fn as_str(self) -> &'static str {
        match self {
            Stage::Connect => "connect",
            Stage::Greeting => "greeting",
            Stage::Ehlo => "ehlo",
            Stage::StartTls => "starttls",
            Stage::TlsHandshake => "tls_handshake",
            Stage::SecureEhlo => "secure_ehlo",
            Stage::Auth => "auth",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Connect => "connecting",
            Stage::Greeting => "waiting for the greeting",
            Stage::Ehlo => "EHLO",
            Stage::StartTls => "STARTTLS",
            Stage::TlsHandshake => "the TLS handshake",
            Stage::SecureEhlo => "EHLO after STARTTLS",
            Stage::Auth => "AUTH XOAUTH2",
        })
    }
}

/// The server accepted the token: `235 2.7.0 Authentication successful`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    /// `host:port` probed.
    pub server: String,
    /// The `235` reply.
    pub reply: Reply,
}

/// How a probe ended without a `235`. None of these carries the token.
pub type ProbeError = crate::mail_protocol::ProbeError<Stage, Reply>;

/// What an unwelcome reply at `stage` means.
fn judge(stage: Stage, reply: Reply) -> ProbeError {
    let cause = classify_reply(reply.code, &reply.lines.join(" "));
    let transient_cause = |c: Option<Cause>| match c {
        Some(c @ (Cause::Throttled | Cause::ServiceUnavailable | Cause::NetworkError)) => Some(c),
        _ => None,
    };
    if reply.is_transient() {
        return ProbeError::Transient {
            stage,
            cause: transient_cause(cause).unwrap_or(Cause::ServiceUnavailable),
            detail: format!("the server answered {reply}"),
            reply: Some(reply),
        };
    }
    if reply.code < 400 {
        return ProbeError::Transient {
            stage,
            cause: Cause::NetworkError,
            detail: format!("the server's reply {reply} does not fit the dialogue"),
            reply: Some(reply),
        };
    }
    let cause = match (cause, stage) {
        (Some(cause), _) if transient_cause(Some(cause)).is_none() => cause,
        (_, Stage::Auth) => Cause::SmtpAuthFailed,
        _ => Cause::SmtpUnreachable,
    };
    ProbeError::Refused {
        stage,
        cause,
        reply,
    }
}

/// Probe SMTP AUTH at `endpoint` as `user` (the mailbox) with `token` (the mailbox owner's token
/// for the Outlook resource with `SMTP.Send`). Sends no mail.
pub async fn probe(
    endpoint: &SmtpEndpoint,
    user: &str,
    token: &Secret,
    options: &ProbeOptions,
) -> Result<Authenticated, ProbeError> {
    let auth = initial_response(user, token)?;
    let config = client_config(endpoint.ca_pem.as_deref())?;
    let server = format!("{}:{}", endpoint.host, endpoint.port);
    let server_name = server_name(&endpoint.host).map_err(|detail| ProbeError::Unreachable {
        stage: Stage::Connect,
        detail,
    })?;

    let tcp = connect(&endpoint.host, endpoint.port, options.connect_timeout)
        .await
        .map_err(|failure| match failure {
            ConnectFailure::TimedOut(detail) => ProbeError::transient(Stage::Connect, detail),
            ConnectFailure::Failed(detail) => ProbeError::Unreachable {
                stage: Stage::Connect,
                detail,
            },
        })?;
    let hello = format!("EHLO {}", hello_name(&tcp));

    let mut plain = Connection::new(tcp, options.reply_timeout);
    let greeting = plain.read_reply(Stage::Greeting).await?;
    if greeting.code != 220 {
        return Err(plain.refuse(Stage::Greeting, greeting).await);
    }
    let ehlo = plain.command(Stage::Ehlo, &hello).await?;
    if ehlo.code != 250 {
        return Err(plain.refuse(Stage::Ehlo, ehlo).await);
    }
    if !ehlo.advertises("STARTTLS", None) {
        plain.quit().await;
        return Err(ProbeError::Unreachable {
            stage: Stage::Ehlo,
            detail: "the server does not offer STARTTLS".into(),
        });
    }
    let started = plain.command(Stage::StartTls, "STARTTLS").await?;
    if started.code != 220 {
        return Err(plain.refuse(Stage::StartTls, started).await);
    }
    let tcp = plain.into_plain()?;

    let tls = handshake(config, server_name, tcp, options.reply_timeout)
        .await
        .map_err(|failure| match failure {
            HandshakeFailure::Refused(_) => ProbeError::Unreachable {
                stage: Stage::TlsHandshake,
                detail: failure.to_string(),
            },
            HandshakeFailure::TimedOut(_) | HandshakeFailure::Broken(_) => {
                ProbeError::transient(Stage::TlsHandshake, failure.to_string())
            }
        })?;

    let mut secure = Connection::new(tls, options.reply_timeout);
    let ehlo = secure.command(Stage::SecureEhlo, &hello).await?;
    if ehlo.code != 250 {
        return Err(secure.refuse(Stage::SecureEhlo, ehlo).await);
    }
    if !ehlo.advertises("AUTH", Some("XOAUTH2")) {
        secure.quit().await;
        return Err(ProbeError::Unreachable {
            stage: Stage::SecureEhlo,
            detail: "the server does not offer AUTH XOAUTH2".into(),
        });
    }
    let mut reply = secure.authenticate(&auth).await?;
    if reply.code == 334 {
        // A SASL error challenge: an empty line asks for the final reply.
        reply = secure.command(Stage::Auth, "").await?;
    }
    if reply.code == 235 {
        secure.quit().await;
        Ok(Authenticated { server, reply })
    } else {
        Err(secure.refuse(Stage::Auth, reply).await)
    }
}

/// The EHLO argument: the address literal of our end of the connection (RFC 5321 §4.1.3).
fn hello_name(tcp: &TcpStream) -> String {
    match tcp.local_addr().map(|a| a.ip()) {
        Ok(std::net::IpAddr::V4(ip)) => format!("[{ip}]"),
        Ok(std::net::IpAddr::V6(ip)) => format!("[IPv6:{ip}]"),
        Err(_) => "[127.0.0.1]".into(),
    }
}

/// One side of the dialogue, plain or inside TLS.
struct Connection<S> {
    wire: Wire<S>,
}

impl Connection<TcpStream> {
    /// The TCP stream for the TLS handshake; refused when the server already sent more (a
    /// reply smuggled in before TLS must not be read as if it came inside it).
    fn into_plain(self) -> Result<TcpStream, ProbeError> {
        if self.wire.has_unread() {
            return Err(ProbeError::Unreachable {
                stage: Stage::StartTls,
                detail: "the server sent data after its STARTTLS reply, before the TLS handshake"
                    .into(),
            });
        }
        Ok(self.wire.into_inner())
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin + Send + 'static> Connection<S> {
    fn new(stream: S, reply_timeout: Duration) -> Self {
        Connection {
            wire: Wire::new(stream, reply_timeout, MAX_LINE, "reply"),
        }
    }

    /// Send `line` (not a secret) and read the reply.
    async fn command(&mut self, stage: Stage, line: &str) -> Result<Reply, ProbeError> {
        self.wire
            .write_line(line)
            .await
            .map_err(|detail| ProbeError::transient(stage, detail))?;
        self.read_reply(stage).await
    }

    /// Send `AUTH XOAUTH2 <initial response>` from zeroed memory and read the reply.
    async fn authenticate(&mut self, initial: &Secret) -> Result<Reply, ProbeError> {
        self.wire
            .write_secret_line("AUTH XOAUTH2 ", initial)
            .await
            .map_err(|detail| ProbeError::transient(Stage::Auth, detail))?;
        self.read_reply(Stage::Auth).await
    }

    /// Read one whole reply within the time limit.
    async fn read_reply(&mut self, stage: Stage) -> Result<Reply, ProbeError> {
        let limit = self.wire.time_limit();
        answer_within(limit, self.read_reply_untimed(stage))
            .await
            .unwrap_or_else(|detail| Err(ProbeError::transient(stage, detail)))
    }

    async fn read_reply_untimed(&mut self, stage: Stage) -> Result<Reply, ProbeError> {
        let mut builder = ReplyBuilder::default();
        for _ in 0..MAX_LINES {
            let line = self
                .wire
                .read_line()
                .await
                .map_err(|detail| ProbeError::transient(stage, detail))?;
            match builder.push(&line) {
                Ok(Some(reply)) => return Ok(reply),
                Ok(None) => {}
                Err(e) => return Err(ProbeError::transient(stage, e.to_string())),
            }
        }
        Err(ProbeError::transient(
            stage,
            "the server's reply has too many lines",
        ))
    }

    /// Judge an unwelcome reply, then say QUIT.
    async fn refuse(self, stage: Stage, reply: Reply) -> ProbeError {
        let error = judge(stage, reply);
        self.quit().await;
        error
    }

    /// Say QUIT and close, politely but without holding the verdict up: the server's goodbye
    /// is read, and the connection closed, in the background (a round trip saved), within
    /// [`QUIT_TIMEOUT`].
    async fn quit(mut self) {
        if self.wire.write_line("QUIT").await.is_err() {
            return;
        }
        tokio::spawn(async move {
            let _ = timeout(QUIT_TIMEOUT, async {
                let _ = self.read_reply_untimed(Stage::Auth).await;
                self.wire.shutdown().await;
            })
            .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    use super::*;

    fn reply(line: &str) -> Reply {
        Reply::parse([line]).expect("reply")
    }

    #[test]
    fn auth_replies_become_the_contract_causes() {
        for (line, cause) in [
            (
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]",
                Cause::SmtpAuthDisabledTenant,
            ),
            (
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR01CA0001.eurprd01.prod.outlook.com]",
                Cause::SmtpAuthDisabledMailbox,
            ),
            (
                "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [BM1P287CA0015.INDP287.PROD.OUTLOOK.COM]",
                Cause::SmtpBasicAuthBlocked,
            ),
            (
                "535 5.7.3 Authentication unsuccessful [SGXP274CA0016.SGPP274.PROD.OUTLOOK.COM 2025-03-20T11:25:21.972Z 08DD66EDEFB0DFDF]",
                Cause::SmtpAuthFailed,
            ),
            (
                "504 5.7.4 Unrecognized authentication type",
                Cause::SmtpAuthFailed,
            ),
        ] {
            let judged = judge(Stage::Auth, reply(line));
            assert!(
                matches!(&judged, ProbeError::Refused { cause: c, .. } if *c == cause),
                "{line}: {judged:?}"
            );
            assert!(judged.unavailable("h:587").is_none());
            assert_eq!(
                judged.reply().map(|r| r.code),
                Some(line[..3].parse().expect("code"))
            );
        }
    }

    /// A server that greets, answers EHLO without STARTTLS and records what the client says.
    #[tokio::test]
    async fn a_server_without_starttls_is_unreachable_and_gets_a_quit() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.expect("accept");
            let mut stream = BufReader::new(stream);
            let mut heard = Vec::new();
            stream
                .get_mut()
                .write_all(b"220 mail.example.com ESMTP\r\n")
                .await
                .expect("greet");
            let mut line = String::new();
            while stream.read_line(&mut line).await.expect("read") > 0 {
                let said = line.trim_end().to_string();
                line.clear();
                let answer: &[u8] = if said.starts_with("EHLO") {
                    b"250-mail.example.com Hello\r\n250-SIZE 1000\r\n250 AUTH LOGIN XOAUTH2\r\n"
                } else {
                    b"221 2.0.0 Bye\r\n"
                };
                heard.push(said.clone());
                stream.get_mut().write_all(answer).await.expect("answer");
                if said == "QUIT" {
                    break;
                }
            }
            heard
        });
        let endpoint = SmtpEndpoint {
            host: "127.0.0.1".into(),
            port,
            ca_pem: None,
        };
        let error = probe(
            &endpoint,
            "a@example.com",
            &Secret::new("tok"),
            &ProbeOptions::default(),
        )
        .await
        .expect_err("no STARTTLS");
        assert_eq!(error.cause(), Cause::SmtpUnreachable, "{error}");
        assert_eq!(error.stage(), Some(Stage::Ehlo));
        assert!(error.to_string().contains("STARTTLS"), "{error}");
        let heard = server.await.expect("server");
        assert_eq!(heard.len(), 2, "{heard:?}");
        assert!(heard[0].starts_with("EHLO [127.0.0.1]"), "{heard:?}");
        assert_eq!(heard[1], "QUIT", "never AUTH in the clear: {heard:?}");
    }

    #[test]
    fn transient_and_pre_auth_replies() {
        let busy = judge(
            Stage::Greeting,
            reply("421 4.3.2 Service not active [TYAPR01CA0229.jpnprd01.prod.outlook.com]"),
        );
        let fault = busy
            .unavailable("smtp.office365.com:587")
            .expect("transient");
        assert_eq!(fault.cause, Cause::ServiceUnavailable);
        assert!(fault.detail.contains("421 4.3.2"), "{}", fault.detail);
        let throttled = judge(
            Stage::Auth,
            reply("432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded"),
        );
        assert_eq!(throttled.cause(), Cause::Throttled);
        assert_eq!(
            judge(Stage::Greeting, reply("554 5.3.2 Service not active")).cause(),
            Cause::SmtpUnreachable
        );
        assert_eq!(
            judge(
                Stage::Ehlo,
                reply("530 5.7.0 Must issue a STARTTLS command first")
            )
            .cause(),
            Cause::SmtpUnreachable
        );
        let odd = judge(Stage::Auth, reply("250 2.0.0 OK"));
        assert_eq!(odd.cause(), Cause::NetworkError);
        assert!(odd.unavailable("h:1").is_some());
    }
}

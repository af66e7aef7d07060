//! The probe's dialogue: connect, TLS handshake, greeting, `AUTHENTICATE XOAUTH2`, `EXAMINE
//! INBOX`, `LOGOUT` — and how each way it can end becomes a verdict, a transient fault or a
//! success ([`judge_authenticate`], [`judge_examine`]).
//!
//! Every read has a time limit and a size limit; nothing is retried: a probe is cheap to run
//! again.

use std::fmt;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::timeout;

use super::response::{Response, Status};
use crate::cause::Cause;
use crate::endpoints::ImapEndpoint;
use crate::mail_protocol::{
    HandshakeFailure, ProbeOptions, ProbeStage, Wire, answer_within, client_config, connect,
    handshake, initial_response, server_name,
};
use crate::secret::Secret;

/// The longest response line read.
const MAX_LINE: u64 = 8192;
/// The most lines read while waiting for one command's completion.
const MAX_LINES: usize = 200;
/// How long LOGOUT may take before the connection is simply closed.
const LOGOUT_TIMEOUT: Duration = Duration::from_secs(2);
/// The tags of the probe's commands.
const AUTH_TAG: &str = "A1";
const EXAMINE_TAG: &str = "A2";
const LOGOUT_TAG: &str = "A3";

/// Where in the dialogue the probe was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Opening the TCP connection.
    Connect,
    /// The TLS handshake.
    TlsHandshake,
    /// Waiting for the `* OK` greeting.
    Greeting,
    /// `AUTHENTICATE XOAUTH2`.
    Authenticate,
    /// `EXAMINE INBOX`: the mailbox opened read-only.
    Examine,
}

/// No secure session is a transient fault: there is no IMAP-specific "unreachable" verdict.
impl ProbeStage for Stage {
    const PROBE: &'static str = "IMAP probe";
    const UNUSABLE_ADDRESS: Cause = Cause::ImapAuthFailed;
    const NO_SESSION: Option<Cause> = None;

    fn as_str(self) -> &'static str {
        match self {
            Stage::Connect => "connect",
            Stage::TlsHandshake => "tls_handshake",
            Stage::Greeting => "greeting",
            Stage::Authenticate => "authenticate",
            Stage::Examine => "examine",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Connect => "connecting",
            Stage::TlsHandshake => "the TLS handshake",
            Stage::Greeting => "waiting for the greeting",
            Stage::Authenticate => "AUTHENTICATE XOAUTH2",
            Stage::Examine => "EXAMINE INBOX",
        })
    }
}

/// Exchange accepted the token and opened the mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    /// `host:port` probed.
    pub server: String,
    /// The tagged `OK` of `AUTHENTICATE`.
    pub reply: Response,
    /// The tagged `OK` of `EXAMINE INBOX`.
    pub mailbox_reply: Response,
}

/// How a probe ended without opening the mailbox. None of these carries the token. Exchange's
/// refusals (`Refused`) are `imap_auth_failed` or `imap_disabled_mailbox`; anything else — no
/// connection, a TLS failure, a `* BYE`, a dropped or garbled connection, a response that does
/// not fit, no answer in time — is `Transient` (never `Unreachable`).
pub type ProbeError = crate::mail_protocol::ProbeError<Stage, Response>;

/// What the completion of `AUTHENTICATE` means: `Ok(())` to go on, or how the probe ends.
pub(crate) fn judge_authenticate(reply: &Response) -> Result<(), ProbeError> {
    match reply.status {
        Status::Ok => Ok(()),
        Status::No => Err(ProbeError::Refused {
            stage: Stage::Authenticate,
            cause: Cause::ImapAuthFailed,
            reply: reply.clone(),
        }),
        _ => Err(ProbeError::Transient {
            stage: Stage::Authenticate,
            cause: Cause::NetworkError,
            detail: format!("the server's response {reply} does not fit the dialogue"),
            reply: Some(reply.clone()),
        }),
    }
}

/// What the completion of `EXAMINE INBOX` means after a successful sign-in.
pub(crate) fn judge_examine(reply: &Response) -> Result<(), ProbeError> {
    match reply.status {
        Status::Ok => Ok(()),
        Status::Bad | Status::No if reply.says_not_connected() => Err(ProbeError::Refused {
            stage: Stage::Examine,
            cause: Cause::ImapDisabledMailbox,
            reply: reply.clone(),
        }),
        _ => Err(ProbeError::Transient {
            stage: Stage::Examine,
            cause: Cause::ServiceUnavailable,
            detail: format!("signed in, but the mailbox did not open: {reply}"),
            reply: Some(reply.clone()),
        }),
    }
}

/// Probe IMAP at `endpoint` as `user` (the mailbox) with `token` (the mailbox owner's token for
/// the Outlook resource with `IMAP.AccessAsUser.All`). Reads no message.
pub async fn probe(
    endpoint: &ImapEndpoint,
    user: &str,
    token: &Secret,
    options: &ProbeOptions,
) -> Result<Authenticated, ProbeError> {
    let auth = initial_response(user, token)?;
    let config = client_config(endpoint.ca_pem.as_deref())?;
    let server = format!("{}:{}", endpoint.host, endpoint.port);
    let server_name = server_name(&endpoint.host)
        .map_err(|detail| ProbeError::transient(Stage::Connect, detail))?;
    tracing::debug!(server = %server, "IMAP probe: connecting");

    let tcp = connect(&endpoint.host, endpoint.port, options.connect_timeout)
        .await
        .map_err(|failure| ProbeError::transient(Stage::Connect, failure.detail()))?;
    let tls = handshake(config, server_name, tcp, options.reply_timeout)
        .await
        .map_err(|failure| {
            let detail = match failure {
                HandshakeFailure::Broken(e) => format!("the TLS handshake failed: {e}"),
                other => other.to_string(),
            };
            ProbeError::transient(Stage::TlsHandshake, detail)
        })?;

    let mut session = Session::new(tls, options.reply_timeout);
    let greeting = session.read_response(Stage::Greeting).await?;
    match greeting.status {
        Status::Ok => {}
        Status::Bye => {
            return Err(ProbeError::Transient {
                stage: Stage::Greeting,
                cause: Cause::ServiceUnavailable,
                detail: format!("the server said goodbye at once: {greeting}"),
                reply: Some(greeting),
            });
        }
        _ => {
            session.logout().await;
            return Err(ProbeError::Transient {
                stage: Stage::Greeting,
                cause: Cause::NetworkError,
                detail: format!("the greeting {greeting} does not fit the dialogue"),
                reply: Some(greeting),
            });
        }
    }

    let reply = session.authenticate(&auth).await?;
    tracing::debug!(server = %server, status = ?reply.status, "IMAP probe: AUTHENTICATE answered");
    if let Err(error) = judge_authenticate(&reply) {
        session.logout().await;
        return Err(error);
    }
    let mailbox_reply = session
        .command(Stage::Examine, EXAMINE_TAG, "EXAMINE INBOX")
        .await?;
    tracing::debug!(server = %server, status = ?mailbox_reply.status, "IMAP probe: EXAMINE answered");
    let judged = judge_examine(&mailbox_reply);
    session.logout().await;
    judged.map(|()| Authenticated {
        server,
        reply,
        mailbox_reply,
    })
}

/// The dialogue inside TLS.
struct Session<S> {
    wire: Wire<S>,
    /// The server said `* BYE`: nothing more is sent.
    closed: bool,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Session<S> {
    fn new(stream: S, reply_timeout: Duration) -> Self {
        Session {
            wire: Wire::new(stream, reply_timeout, MAX_LINE, "response"),
            closed: false,
        }
    }

    /// Send `TAG line` (not a secret) and read up to its completion.
    async fn command(
        &mut self,
        stage: Stage,
        tag: &str,
        line: &str,
    ) -> Result<Response, ProbeError> {
        self.wire
            .write_line(&format!("{tag} {line}"))
            .await
            .map_err(|detail| ProbeError::transient(stage, detail))?;
        self.completion(stage, tag).await
    }

    /// Send `A1 AUTHENTICATE XOAUTH2 <initial response>` from zeroed memory and read up to its
    /// completion, answering an error challenge (`+ …`) with an empty line.
    async fn authenticate(&mut self, initial: &Secret) -> Result<Response, ProbeError> {
        self.wire
            .write_secret_line(&format!("{AUTH_TAG} AUTHENTICATE XOAUTH2 "), initial)
            .await
            .map_err(|detail| ProbeError::transient(Stage::Authenticate, detail))?;
        self.completion(Stage::Authenticate, AUTH_TAG).await
    }

    /// Read responses until the completion of `tag`: untagged data is passed over, a
    /// continuation gets an empty line, a `* BYE` ends the dialogue.
    async fn completion(&mut self, stage: Stage, tag: &str) -> Result<Response, ProbeError> {
        for _ in 0..MAX_LINES {
            let response = self.read_response(stage).await?;
            match response.status {
                _ if response.completes(tag) => return Ok(response),
                Status::Continuation => self
                    .wire
                    .write_line("")
                    .await
                    .map_err(|detail| ProbeError::transient(stage, detail))?,
                Status::Bye => {
                    self.closed = true;
                    return Err(ProbeError::Transient {
                        stage,
                        cause: Cause::ServiceUnavailable,
                        detail: format!("the server closed the session: {response}"),
                        reply: Some(response),
                    });
                }
                _ if response.tag.is_some() => {
                    return Err(ProbeError::Transient {
                        stage,
                        cause: Cause::NetworkError,
                        detail: format!("a response to another command: {response}"),
                        reply: Some(response),
                    });
                }
                _ => {}
            }
        }
        Err(ProbeError::transient(
            stage,
            "the server's answer has too many lines",
        ))
    }

    /// Read and parse one response line within the time limit.
    async fn read_response(&mut self, stage: Stage) -> Result<Response, ProbeError> {
        let line = answer_within(self.wire.time_limit(), self.wire.read_line())
            .await
            .and_then(|line| line)
            .map_err(|detail| ProbeError::transient(stage, detail))?;
        Response::parse(&line).map_err(|e| ProbeError::transient(stage, e.to_string()))
    }

    /// Say LOGOUT and close, politely but without waiting long.
    async fn logout(mut self) {
        if self.closed {
            return;
        }
        let _ = timeout(LOGOUT_TIMEOUT, async {
            if self
                .wire
                .write_line(&format!("{LOGOUT_TAG} LOGOUT"))
                .await
                .is_ok()
            {
                for _ in 0..MAX_LINES {
                    match self.wire.read_line().await {
                        Ok(line) if line.starts_with(LOGOUT_TAG) => break,
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
            }
            self.wire.shutdown().await;
        })
        .await;
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

    use super::*;

    fn response(line: &str) -> Response {
        Response::parse(line).expect("response")
    }

    #[test]
    fn exchanges_real_authenticate_answers_are_judged() {
        assert!(judge_authenticate(&response("A00000001 OK AUTHENTICATE completed.")).is_ok());
        for refused in [
            "B00000001 NO AUTHENTICATE failed.",
            "A0001 NO AUTHENTICATE failed.",
        ] {
            let judged = judge_authenticate(&response(refused)).expect_err("refused");
            assert_eq!(judged.cause(), Cause::ImapAuthFailed, "{refused}");
            assert!(judged.unavailable("h:993").is_none());
            assert_eq!(judged.stage(), Some(Stage::Authenticate));
            assert_eq!(
                judged.reply().map(ToString::to_string).as_deref(),
                Some(refused)
            );
        }
        let odd =
            judge_authenticate(&response("A1 BAD Command Argument Error. 11")).expect_err("odd");
        assert_eq!(odd.cause(), Cause::NetworkError);
        assert!(odd.unavailable("h:993").is_some());
    }

    #[test]
    fn exchanges_real_mailbox_answers_are_judged() {
        let not_connected = judge_examine(&response(
            "C00000003 BAD User is authenticated but not connected.",
        ))
        .expect_err("not connected");
        assert_eq!(not_connected.cause(), Cause::ImapDisabledMailbox);
        assert!(not_connected.unavailable("h:993").is_none());
        assert!(judge_examine(&response("A2 OK [READ-ONLY] EXAMINE completed.")).is_ok());
        let other = judge_examine(&response("A2 NO Mailbox does not exist")).expect_err("no");
        assert_eq!(other.cause(), Cause::ServiceUnavailable);
        assert!(other.unavailable("h:993").is_some());
    }

    /// Every tagged AUTHENTICATE or mailbox answer in the conformance data (Exchange Online's
    /// real lines, each with its source) is judged as the probe judges it.
    #[test]
    fn every_real_completion_line_in_the_conformance_data_is_judged() {
        let data = include_str!(
            "../../../fake-tenant/conformance/imap/exchange-online-imap-replies.jsonl"
        );
        let mut judged = 0;
        for record in data.lines().filter(|l| !l.trim().is_empty()) {
            let record: serde_json::Value = serde_json::from_str(record).expect("jsonl");
            let line = record["server_line"].as_str().expect("line");
            let Ok(reply) = Response::parse(line) else {
                continue;
            };
            if reply.tag.is_none() {
                continue;
            }
            if reply.text.starts_with("AUTHENTICATE") {
                let result = judge_authenticate(&reply);
                match reply.status {
                    Status::Ok => assert!(result.is_ok(), "{line}"),
                    _ => assert_eq!(
                        result.expect_err(line).cause(),
                        Cause::ImapAuthFailed,
                        "{line}"
                    ),
                }
                judged += 1;
            } else if reply.says_not_connected() {
                let error = judge_examine(&reply).expect_err(line);
                assert_eq!(error.cause(), Cause::ImapDisabledMailbox, "{line}");
                judged += 1;
            }
        }
        assert_eq!(
            judged, 4,
            "the accepted, the two refused and the not-connected lines"
        );
    }

    /// An XOAUTH2 error challenge (`+ <base64 JSON>`) gets an empty line, then the final answer is
    /// read; untagged lines before it are passed over.
    #[tokio::test]
    async fn an_error_challenge_is_answered_with_an_empty_line() {
        let (client, server) = tokio::io::duplex(4096);
        let server = tokio::spawn(async move {
            let mut server = BufReader::new(server);
            let mut heard = Vec::new();
            let mut line = String::new();
            server.read_line(&mut line).await.expect("AUTHENTICATE");
            heard.push(line.clone());
            server
                .get_mut()
                .write_all(b"* CAPABILITY IMAP4rev1\r\n+ eyJzdGF0dXMiOiI0MDEifQ==\r\n")
                .await
                .expect("challenge");
            line.clear();
            server.read_line(&mut line).await.expect("empty line");
            heard.push(line.clone());
            server
                .get_mut()
                .write_all(b"A1 NO AUTHENTICATE failed.\r\n")
                .await
                .expect("final");
            heard
        });
        let mut session = Session::new(client, Duration::from_secs(20));
        let initial = initial_response("a@example.com", &Secret::new("tok")).expect("encodes");
        let reply = session.authenticate(&initial).await.expect("answered");
        assert_eq!(reply.to_string(), "A1 NO AUTHENTICATE failed.");
        let heard = server.await.expect("server");
        assert!(
            heard[0].starts_with("A1 AUTHENTICATE XOAUTH2 "),
            "{heard:?}"
        );
        assert_eq!(heard[1], "\r\n");
    }

    /// A server that greets in the clear (no TLS) is a transient fault, never a verdict.
    #[tokio::test]
    async fn a_server_that_does_not_speak_tls_is_unverified() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.expect("accept");
            let _ = stream
                .write_all(b"* OK The Microsoft Exchange IMAP4 service is ready.\r\n")
                .await;
            let mut sink = Vec::new();
            let _ = stream.read_to_end(&mut sink).await;
        });
        let endpoint = ImapEndpoint {
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
        .expect_err("no TLS");
        assert_eq!(error.cause(), Cause::NetworkError, "{error}");
        assert_eq!(error.stage(), Some(Stage::TlsHandshake));
        assert!(error.unavailable("127.0.0.1").is_some());
        server.abort();
    }
}

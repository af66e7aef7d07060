//! IMAP as outlook.office365.com:993 answers it: TLS from the first byte (the same test certificate, accept
//! loop, connection and token checks as the SMTP listener: `mail_listener`), Exchange's greeting and CAPABILITY lists, `AUTHENTICATE XOAUTH2` (with or without an
//! initial response) checked against the scenario — a valid token for the Outlook resource with
//! `IMAP.AccessAsUser.All`, issued to the mailbox's own user — and basic auth refused. Reply lines follow
//! conformance/imap/exchange-online-imap-replies.jsonl.
//!
//! A mailbox whose user has `imap_enabled: false` (scenario field, default true: `Set-CASMailbox
//! -ImapEnabled`) is signed in (`OK AUTHENTICATE completed.`) but never opened: every mailbox command is
//! answered `BAD User is authenticated but not connected.`, and the second such answer ends the session with
//! `* BYE Connection closed. 14`, as Exchange does for a session it signed in but will not connect. (That
//! Exchange answers a mailbox with IMAP turned off this way is a vendor's statement, not a capture; see the
//! conformance file.) `EXAMINE` / `SELECT` of `INBOX` otherwise answer an empty inbox. Nothing is stored.
//!
//! Lines the stand-in needs but for which no Exchange Online capture was found (the `EXAMINE` data, the
//! answer to an unknown command or to a command before sign-in) are its own wording, in Exchange's style.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::mail_listener::{Connection, SmtpTls, accept_tls, xoauth2_mailbox};
use crate::server::Shared;

/// The CAPABILITY list before sign-in (jstedfast/MailKit#1494).
pub const CAPABILITY_BEFORE_AUTH: &str = "* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+";
/// The CAPABILITY list after sign-in (jstedfast/MailKit#1494).
pub const CAPABILITY_AFTER_AUTH: &str = "* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CLIENTACCESSRULES CLIENTNETWORKPRESENCELOCATION BACKENDAUTHENTICATE CHILDREN IDLE NAMESPACE LITERAL+";
/// The text of a refused `AUTHENTICATE` (jstedfast/MailKit#690, MicrosoftDocs/office-developer-exchange-docs#87).
pub const AUTHENTICATE_FAILED: &str = "NO AUTHENTICATE failed.";
/// The text of an accepted `AUTHENTICATE` (jstedfast/MailKit#1494).
pub const AUTHENTICATE_COMPLETED: &str = "OK AUTHENTICATE completed.";
/// The answer to a mailbox command of a session signed in but not connected (jstedfast/MailKit#1496).
pub const NOT_CONNECTED: &str = "BAD User is authenticated but not connected.";
/// The goodbye after the second such answer (jstedfast/MailKit#1496).
pub const BYE_NOT_CONNECTED: &str = "* BYE Connection closed. 14";

/// Accepts IMAP connections until shutdown.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    tls: Arc<SmtpTls>,
    shutdown: watch::Receiver<bool>,
) {
    crate::mail_listener::serve(listener, shared, tls, shutdown, session).await;
}

/// Who signed in, and whether Exchange connects the session to the mailbox.
struct SignedIn {
    imap_enabled: bool,
}

struct Session {
    shared: Arc<Shared>,
    connection: Connection,
    signed_in: Option<SignedIn>,
    not_connected_answers: u32,
}

impl Session {
    /// `lines`, each ended with CRLF, after the latency.
    async fn send(&mut self, lines: &[&str]) -> std::io::Result<()> {
        self.connection.send(&lines.join("\n")).await
    }

    async fn read_line(&mut self) -> Option<String> {
        self.connection.read_line().await
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>, tls: Arc<SmtpTls>) {
    let Ok(stream) = accept_tls(stream, &tls).await else {
        return;
    };
    let mut session = Session {
        connection: Connection::new(stream, shared.latency()),
        shared,
        signed_in: None,
        not_connected_answers: 0,
    };
    let _ = run(&mut session).await;
    session.connection.shutdown().await;
}

/// The greeting: Exchange's text with the front end's name, base64 of its UTF-16LE form, in brackets
/// (conformance/imap).
fn greeting() -> String {
    let mut bytes = [0u8; 3];
    let _ = aws_lc_rs::rand::fill(&mut bytes);
    let host = format!(
        "AM{}PR{:02}CA{:04}.EURPRD05.PROD.OUTLOOK.COM",
        bytes[0] % 10,
        bytes[1] % 100,
        u16::from(bytes[2]) * 37 % 10000
    );
    let utf16: Vec<u8> = host.encode_utf16().flat_map(u16::to_le_bytes).collect();
    format!(
        "* OK The Microsoft Exchange IMAP4 service is ready. [{}]",
        STANDARD.encode(utf16)
    )
}

/// Commands that need a mailbox behind the session.
const MAILBOX_COMMANDS: &[&str] = &[
    "SELECT",
    "EXAMINE",
    "NAMESPACE",
    "LIST",
    "LSUB",
    "STATUS",
    "CREATE",
    "DELETE",
    "RENAME",
    "SUBSCRIBE",
    "UNSUBSCRIBE",
    "APPEND",
    "IDLE",
];

async fn run(session: &mut Session) -> std::io::Result<()> {
    session.send(&[&greeting()]).await?;
    while let Some(line) = session.read_line().await {
        let mut words = line.split_whitespace();
        let Some(tag) = words.next().map(str::to_owned) else {
            continue;
        };
        let command = words.next().unwrap_or_default().to_ascii_uppercase();
        let arguments: Vec<String> = words.map(str::to_owned).collect();
        match command.as_str() {
            "CAPABILITY" => {
                let list = if session.signed_in.is_some() {
                    CAPABILITY_AFTER_AUTH
                } else {
                    CAPABILITY_BEFORE_AUTH
                };
                session
                    .send(&[list, &format!("{tag} OK CAPABILITY completed.")])
                    .await?;
            }
            "NOOP" => {
                session
                    .send(&[&format!("{tag} OK NOOP completed.")])
                    .await?
            }
            "LOGOUT" => {
                session
                    .send(&[
                        "* BYE Microsoft Exchange Server IMAP4 server signing off.",
                        &format!("{tag} OK LOGOUT completed."),
                    ])
                    .await?;
                return Ok(());
            }
            "AUTHENTICATE" | "LOGIN" if session.signed_in.is_some() => {
                session
                    .send(&[&format!("{tag} BAD Command received in Invalid state.")])
                    .await?;
            }
            "AUTHENTICATE" => {
                let reply = authenticate(session, &tag, &arguments).await?;
                session.send(&[&reply]).await?;
            }
            // Basic authentication is off in Exchange Online (imapsync/imapsync#368: '2 NO LOGIN failed.').
            "LOGIN" => session.send(&[&format!("{tag} NO LOGIN failed.")]).await?,
            command if MAILBOX_COMMANDS.contains(&command) => {
                if !mailbox_command(session, &tag, command, &arguments).await? {
                    return Ok(());
                }
            }
            _ => {
                session
                    .send(&[&format!("{tag} BAD Command Error. 12")])
                    .await?
            }
        }
    }
    Ok(())
}

/// Answers a command that needs the mailbox; `false` when the session ends.
async fn mailbox_command(
    session: &mut Session,
    tag: &str,
    command: &str,
    arguments: &[String],
) -> std::io::Result<bool> {
    let Some(signed_in) = &session.signed_in else {
        session
            .send(&[&format!("{tag} BAD Command received in Invalid state.")])
            .await?;
        return Ok(true);
    };
    if !signed_in.imap_enabled {
        session.not_connected_answers += 1;
        let answer = format!("{tag} {NOT_CONNECTED}");
        if session.not_connected_answers >= 2 {
            session.send(&[&answer, BYE_NOT_CONNECTED]).await?;
            return Ok(false);
        }
        session.send(&[&answer]).await?;
        return Ok(true);
    }
    let inbox = arguments
        .first()
        .is_some_and(|m| m.trim_matches('"').eq_ignore_ascii_case("INBOX"));
    match command {
        "SELECT" | "EXAMINE" if inbox => {
            let completed = if command == "EXAMINE" {
                format!("{tag} OK [READ-ONLY] EXAMINE completed.")
            } else {
                format!("{tag} OK [READ-WRITE] SELECT completed.")
            };
            session
                .send(&[
                    "* 0 EXISTS",
                    "* 0 RECENT",
                    "* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)",
                    "* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)] Permanent flags",
                    "* OK [UIDVALIDITY 14] UIDVALIDITY value",
                    "* OK [UIDNEXT 1] The next unique identifier value",
                    &completed,
                ])
                .await?;
        }
        "SELECT" | "EXAMINE" => {
            session
                .send(&[&format!("{tag} NO {command} failed.")])
                .await?
        }
        _ => {
            session
                .send(&[&format!("{tag} OK {command} completed.")])
                .await?
        }
    }
    Ok(true)
}

/// `AUTHENTICATE mechanism [initial response]`: the tagged answer.
async fn authenticate(
    session: &mut Session,
    tag: &str,
    arguments: &[String],
) -> std::io::Result<String> {
    let mechanism = arguments
        .first()
        .map(|m| m.to_ascii_uppercase())
        .unwrap_or_default();
    let response = match arguments.get(1) {
        Some(initial) => initial.clone(),
        None => {
            session.send(&["+ "]).await?;
            session.read_line().await.unwrap_or_default()
        }
    };
    let failed = format!("{tag} {AUTHENTICATE_FAILED}");
    if mechanism != "XOAUTH2" {
        return Ok(failed);
    }
    Ok(match check_xoauth2(&session.shared, &response) {
        Some(signed_in) => {
            session.signed_in = Some(signed_in);
            format!("{tag} {AUTHENTICATE_COMPLETED}")
        }
        None => failed,
    })
}

/// Checks an XOAUTH2 initial response: who signed in, or `None` (Exchange says no more than
/// `NO AUTHENTICATE failed.`).
fn check_xoauth2(shared: &Shared, response: &str) -> Option<SignedIn> {
    xoauth2_mailbox(shared, response, "IMAP.AccessAsUser.All", |_, mailbox| {
        SignedIn {
            imap_enabled: mailbox.imap_enabled,
        }
    })
}

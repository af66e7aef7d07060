//! IMAP response lines (RFC 3501 §7): untagged `* …`, continuation `+ …` and tagged
//! `TAG OK|NO|BAD …`. Parsing only; what a line means at each step of the dialogue is the probe's
//! business.

use std::fmt;

/// What kind of line it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `OK`: the command (or, untagged, the greeting) succeeded.
    Ok,
    /// `NO`: the command failed.
    No,
    /// `BAD`: the command was refused as a protocol error, or cannot run in this state.
    Bad,
    /// `* BYE`: the server is closing the connection.
    Bye,
    /// `* PREAUTH`: a greeting that says the session is already authenticated.
    Preauth,
    /// `+ …`: the server waits for more from the client.
    Continuation,
    /// Untagged data (`* CAPABILITY …`, `* 3 EXISTS`, `* FLAGS (…)`).
    Data,
}

/// One response line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The tag of a tagged line (`A00000001`); `None` for `*` and `+` lines.
    pub tag: Option<String>,
    /// What kind of line.
    pub status: Status,
    /// The text after the status word (for data lines: everything after `* `).
    pub text: String,
}

/// A line that is not an IMAP response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    /// Empty, or a tagged line without `OK`, `NO` or `BAD`.
    #[error("the server's answer is not an IMAP response: '{0}'")]
    NotAResponse(String),
}

impl Response {
    /// Parse one line (without its CRLF).
    pub fn parse(line: &str) -> Result<Response, ResponseError> {
        let shown = || line.chars().take(80).collect::<String>();
        if let Some(rest) = line.strip_prefix('+') {
            return Ok(Response {
                tag: None,
                status: Status::Continuation,
                text: rest.trim_start().to_string(),
            });
        }
        let (first, rest) = line.split_once(' ').unwrap_or((line, ""));
        if first.is_empty() {
            return Err(ResponseError::NotAResponse(shown()));
        }
        let (word, text) = rest.split_once(' ').unwrap_or((rest, ""));
        let status = match word.to_ascii_uppercase().as_str() {
            "OK" => Some(Status::Ok),
            "NO" => Some(Status::No),
            "BAD" => Some(Status::Bad),
            "BYE" if first == "*" => Some(Status::Bye),
            "PREAUTH" if first == "*" => Some(Status::Preauth),
            _ => None,
        };
        match (first, status) {
            ("*", Some(status)) => Ok(Response {
                tag: None,
                status,
                text: text.to_string(),
            }),
            ("*", None) => Ok(Response {
                tag: None,
                status: Status::Data,
                text: rest.to_string(),
            }),
            (tag, Some(status @ (Status::Ok | Status::No | Status::Bad)))
                if tag.bytes().all(|b| b.is_ascii_graphic() && b != b'+') =>
            {
                Ok(Response {
                    tag: Some(tag.to_string()),
                    status,
                    text: text.to_string(),
                })
            }
            _ => Err(ResponseError::NotAResponse(shown())),
        }
    }

    /// Whether this is the tagged completion of the command tagged `tag`.
    pub fn completes(&self, tag: &str) -> bool {
        self.tag.as_deref() == Some(tag)
    }

    /// Whether the text says the session is signed in but has no mailbox behind it
    /// (`BAD User is authenticated but not connected.`).
    pub fn says_not_connected(&self) -> bool {
        self.text
            .to_ascii_lowercase()
            .contains("authenticated but not connected")
    }
}

impl fmt::Display for Response {
    /// The line as the server sent it (a continuation as `+ text`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head = match (&self.tag, self.status) {
            (_, Status::Continuation) => return write!(f, "+ {}", self.text),
            (Some(tag), _) => tag.as_str(),
            (None, _) => "*",
        };
        let word = match self.status {
            Status::Ok => "OK",
            Status::No => "NO",
            Status::Bad => "BAD",
            Status::Bye => "BYE",
            Status::Preauth => "PREAUTH",
            Status::Continuation | Status::Data => "",
        };
        match (word, self.text.is_empty()) {
            ("", _) => write!(f, "{head} {}", self.text),
            (word, true) => write!(f, "{head} {word}"),
            (word, false) => write!(f, "{head} {word} {}", self.text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exchange Online's real lines (crates/fake-tenant/conformance/imap), each with its source.
    const REAL: &str =
        include_str!("../../../fake-tenant/conformance/imap/exchange-online-imap-replies.jsonl");

    fn real_lines() -> Vec<(String, bool)> {
        REAL.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let record: serde_json::Value = serde_json::from_str(l).expect("jsonl");
                (
                    record["server_line"].as_str().expect("line").to_string(),
                    record["confirmed"].as_bool().expect("confirmed"),
                )
            })
            .collect()
    }

    #[test]
    fn every_real_line_parses_and_prints_back() {
        for (line, _) in real_lines() {
            // One record is the text of a reply without its tag, as a help page quotes it.
            if line.starts_with("BAD ") {
                continue;
            }
            let response = Response::parse(&line).unwrap_or_else(|e| panic!("{line}: {e}"));
            let printed = response.to_string();
            assert_eq!(printed.trim_end(), line.trim_end(), "{response:?}");
        }
    }

    #[test]
    fn the_real_lines_read_as_their_kinds() {
        let greeting = Response::parse(
            "* OK The Microsoft Exchange IMAP4 service is ready. [TQBSADEAUAAyADYANABDAEEAMAAxADQANgAuAEYAUgBBAFAAMgA2ADQALgBQAFIATwBEAC4ATwBVAFQATABPAE8ASwAuAEMATwBNAA==]",
        )
        .expect("greeting");
        assert_eq!(
            (greeting.tag.as_deref(), greeting.status),
            (None, Status::Ok)
        );
        let refused = Response::parse("B00000001 NO AUTHENTICATE failed.").expect("refused");
        assert!(refused.completes("B00000001"));
        assert_eq!(refused.status, Status::No);
        assert_eq!(refused.text, "AUTHENTICATE failed.");
        let accepted = Response::parse("A00000001 OK AUTHENTICATE completed.").expect("ok");
        assert_eq!(accepted.status, Status::Ok);
        let not_connected =
            Response::parse("C00000003 BAD User is authenticated but not connected.").expect("bad");
        assert_eq!(not_connected.status, Status::Bad);
        assert!(not_connected.says_not_connected());
        assert!(!refused.says_not_connected());
        let bye = Response::parse("* BYE Connection closed. 14").expect("bye");
        assert_eq!(bye.status, Status::Bye);
        let capability = Response::parse(
            "* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+",
        )
        .expect("data");
        assert_eq!(capability.status, Status::Data);
        let plus = Response::parse("+").expect("continuation");
        assert_eq!(
            (plus.status, plus.text.as_str()),
            (Status::Continuation, "")
        );
    }

    #[test]
    fn garbage_is_refused() {
        for line in ["", "HTTP/1.1 400 Bad Request", "A1 MAYBE later", "A1"] {
            assert!(Response::parse(line).is_err(), "{line:?}");
        }
    }
}

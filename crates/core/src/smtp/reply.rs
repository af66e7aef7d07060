//! SMTP replies (RFC 5321 §4.2): a three-digit code, continuation lines `ddd-text`, a last line
//! `ddd text`, and the enhanced status code (RFC 3463, `5.7.139`) that Exchange Online puts first in
//! the text. Parsing only; what a reply means is `diagnose`'s business.

use std::fmt;

/// One whole reply, possibly of several lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The reply code (`235`, `535`, `421`, …).
    pub code: u16,
    /// The text of each line, after the code and its separator.
    pub lines: Vec<String>,
}

/// A line that is not part of an SMTP reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplyError {
    /// The line does not start with a reply code.
    #[error("the server's answer is not an SMTP reply: '{0}'")]
    NotAReply(String),
    /// A continuation line carries another code than the first line.
    #[error("the server's reply changed its code from {first} to {then} mid-reply")]
    CodeChanged {
        /// The first line's code.
        first: u16,
        /// The later line's code.
        then: u16,
    },
}

impl Reply {
    /// Parse whole reply lines (without their CRLF); the last one must be the final line.
    pub fn parse<'a>(lines: impl IntoIterator<Item = &'a str>) -> Result<Reply, ReplyError> {
        let mut builder = ReplyBuilder::default();
        let mut done = None;
        for line in lines {
            if let Some(reply) = builder.push(line)? {
                done = Some(reply);
            }
        }
        done.ok_or_else(|| ReplyError::NotAReply(String::new()))
    }

    /// The enhanced status code at the start of the text (`5.7.139`), when there is one.
    pub fn enhanced(&self) -> Option<&str> {
        let first = self.lines.first()?.split_whitespace().next()?;
        is_enhanced_code(first).then_some(first)
    }

    /// The text of all lines joined by spaces, without the enhanced status code.
    pub fn text(&self) -> String {
        let joined = self.lines.join(" ");
        match self.enhanced() {
            Some(enhanced) => joined
                .trim_start()
                .trim_start_matches(enhanced)
                .trim_start()
                .to_string(),
            None => joined.trim().to_string(),
        }
    }

    /// `4yz`: try again later.
    pub fn is_transient(&self) -> bool {
        (400..500).contains(&self.code)
    }

    /// The EHLO keywords the server advertises (`STARTTLS`, `AUTH`, …), upper-cased, each with
    /// its parameters: every line but the first (the greeting).
    pub fn ehlo_keywords(&self) -> Vec<(String, Vec<String>)> {
        self.lines
            .iter()
            .skip(1)
            .filter_map(|line| {
                let mut words = line.split(|c: char| c.is_whitespace() || c == '=');
                let keyword = words.next()?.trim().to_ascii_uppercase();
                let params = words
                    .filter(|w| !w.is_empty())
                    .map(|w| w.to_ascii_uppercase())
                    .collect();
                (!keyword.is_empty()).then_some((keyword, params))
            })
            .collect()
    }

    /// Whether the EHLO reply advertises `keyword` (with `param` among its parameters, if given).
    pub fn advertises(&self, keyword: &str, param: Option<&str>) -> bool {
        self.ehlo_keywords()
            .iter()
            .any(|(k, params)| k == keyword && param.is_none_or(|p| params.iter().any(|q| q == p)))
    }
}

impl fmt::Display for Reply {
    /// The reply as one line: `535 5.7.3 Authentication unsuccessful [...]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.lines.join(" ");
        let text = text.trim();
        if text.is_empty() {
            write!(f, "{}", self.code)
        } else {
            write!(f, "{} {text}", self.code)
        }
    }
}

/// Collects the lines of one reply as they arrive.
#[derive(Debug, Default)]
pub(crate) struct ReplyBuilder {
    code: Option<u16>,
    lines: Vec<String>,
}

impl ReplyBuilder {
    /// Add one line (without CRLF); the whole reply once its last line has come.
    pub(crate) fn push(&mut self, line: &str) -> Result<Option<Reply>, ReplyError> {
        let bytes = line.as_bytes();
        let shown = || line.chars().take(80).collect::<String>();
        if bytes.len() < 3
            || !bytes[..3].iter().all(u8::is_ascii_digit)
            || !(b'2'..=b'5').contains(&bytes[0])
        {
            return Err(ReplyError::NotAReply(shown()));
        }
        let code: u16 = line[..3]
            .parse()
            .map_err(|_| ReplyError::NotAReply(shown()))?;
        let (last, text) = match bytes.get(3) {
            None => (true, ""),
            Some(b' ') => (true, &line[4..]),
            Some(b'-') => (false, &line[4..]),
            Some(_) => return Err(ReplyError::NotAReply(shown())),
        };
        match self.code {
            Some(first) if first != code => {
                return Err(ReplyError::CodeChanged { first, then: code });
            }
            _ => self.code = Some(code),
        }
        self.lines.push(text.to_string());
        if last {
            let lines = std::mem::take(&mut self.lines);
            self.code = None;
            Ok(Some(Reply { code, lines }))
        } else {
            Ok(None)
        }
    }
}

/// `class.subject.detail` with class 2, 4 or 5 (RFC 3463).
fn is_enhanced_code(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() == 3
        && matches!(parts[0], "2" | "4" | "5")
        && parts[1..]
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_replies_keep_code_enhanced_code_and_text() {
        let reply = Reply::parse([
            "535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]",
        ])
        .expect("reply");
        assert_eq!(reply.code, 535);
        assert_eq!(reply.enhanced(), Some("5.7.3"));
        assert_eq!(
            reply.text(),
            "Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]"
        );
        assert_eq!(
            reply.to_string(),
            "535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]"
        );
        let bare = Reply::parse(["334 "]).expect("reply");
        assert_eq!((bare.code, bare.enhanced()), (334, None));
        assert_eq!(Reply::parse(["220"]).expect("reply").to_string(), "220");
    }

    #[test]
    fn ehlo_replies_list_their_keywords() {
        let lines = [
            "250-SEWP216CA0010.outlook.office365.com Hello [1.225.156.177]",
            "250-SIZE 157286400",
            "250-PIPELINING",
            "250-ENHANCEDSTATUSCODES",
            "250-AUTH LOGIN XOAUTH2",
            "250-8BITMIME",
            "250 SMTPUTF8",
        ];
        let reply = Reply::parse(lines).expect("reply");
        assert!(reply.advertises("AUTH", Some("XOAUTH2")));
        assert!(!reply.advertises("STARTTLS", None));
        assert!(!reply.advertises("AUTH", Some("PLAIN")));
        let old_style = Reply::parse(["250-host Hello", "250-AUTH=LOGIN XOAUTH2", "250 STARTTLS"])
            .expect("reply");
        assert!(old_style.advertises("AUTH", Some("XOAUTH2")));
        assert!(old_style.advertises("STARTTLS", None));
        // "SMTPUTF8 Hello" in the greeting line is not a keyword.
        let greeting_only = Reply::parse(["250 STARTTLS.example Hello"]).expect("reply");
        assert!(!greeting_only.advertises("STARTTLS", None));
    }

    #[test]
    fn garbage_and_code_changes_are_refused() {
        assert!(matches!(
            Reply::parse(["HTTP/1.1 400 Bad Request"]),
            Err(ReplyError::NotAReply(_))
        ));
        assert!(matches!(
            Reply::parse(["999 no"]),
            Err(ReplyError::NotAReply(_))
        ));
        assert_eq!(
            Reply::parse(["250-a", "251 b"]),
            Err(ReplyError::CodeChanged {
                first: 250,
                then: 251
            })
        );
        assert!(Reply::parse(["250-only a continuation"]).is_err());
    }
}

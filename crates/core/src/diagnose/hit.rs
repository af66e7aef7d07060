//! A recogniser's raw result before ordering and deduplication: the cause, the code, where in the
//! text it was seen and how specific the signal is.

use std::ops::Range;

use super::explanations::describe;
use super::{Finding, Source};
use crate::cause::Cause;

/// How specific a signal is; findings are ordered by this first, then by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Rank {
    /// The root cause behind a code, read from what the error quotes back or names: a
    /// placeholder value, a tenant or resource of another Microsoft cloud.
    RootCause,
    /// A code read from a parsed field (`error_codes`, Graph's `error.code`).
    Structured,
    /// A code found in free text (`AADSTS50011` in a message, an SMTP reply line).
    Coded,
    /// Microsoft's own message recognised by its words where no code came with it, or an OAuth
    /// `error` value (`invalid_scope`); a wrapper code that names no reason of its own.
    Worded,
    /// A transient condition (throttling, 5xx, network): says nothing about the configuration.
    Transient,
    /// A profile's troubleshooting symptom.
    Symptom,
}

/// Texts that replace the cause's generic description (a profile's own wording).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct OwnWords {
    pub title: String,
    pub explanation: String,
    pub fix: String,
}

/// One recognised signal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Hit {
    pub source: Source,
    pub code: Option<String>,
    pub cause: Cause,
    pub rank: Rank,
    /// Where the signal was seen (for ordering, and so that symptoms inside a recognised error
    /// body are not counted twice).
    pub span: Range<usize>,
    pub own_words: Option<OwnWords>,
    /// The profile whose troubleshooting entry this is, for a symptom.
    pub profile: Option<String>,
}

impl Hit {
    pub fn new(
        source: Source,
        code: Option<String>,
        cause: Cause,
        rank: Rank,
        span: Range<usize>,
    ) -> Self {
        let rank = if cause.is_transient() && rank != Rank::Symptom {
            Rank::Transient
        } else {
            rank
        };
        Hit {
            source,
            code,
            cause,
            rank,
            span,
            own_words: None,
            profile: None,
        }
    }

    pub fn into_finding(self) -> Finding {
        let (title, explanation, fix) = match self.own_words {
            Some(words) => (words.title, words.explanation, words.fix),
            None => {
                let description = describe(self.cause);
                (
                    description.title.to_string(),
                    description.explanation.to_string(),
                    description.fix.to_string(),
                )
            }
        };
        Finding {
            source: self.source,
            code: self.code,
            cause: self.cause,
            title,
            explanation,
            fix,
        }
    }
}

/// Which service a text is about, from the host names it mentions.
pub(super) fn source_from_hosts(text: &str) -> Option<Source> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("smtp.office365.com")
        || lower.contains("outlook.office365.com:587")
        || lower.contains("starttls")
        || (lower.contains("smtp") && lower.contains("587"))
    {
        Some(Source::Smtp)
    } else if lower.contains("graph.microsoft")
        || lower.contains("microsoftgraph.chinacloudapi")
        || lower.contains("graph.windows.net")
    {
        Some(Source::Graph)
    } else if [
        "login.microsoftonline",
        "login.microsoft.com",
        "login.windows.net",
        "login.partner.microsoftonline.cn",
        "login.chinacloudapi.cn",
        "login.microsoftonline.us",
        "login.microsoftonline.de",
        "sts.windows.net",
    ]
    .iter()
    .any(|host| lower.contains(host))
    {
        Some(Source::Identity)
    } else {
        None
    }
}

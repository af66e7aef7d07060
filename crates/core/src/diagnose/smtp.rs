//! Exchange Online's SMTP replies: `535 5.7.139` (SMTP AUTH off for the tenant or the mailbox,
//! basic authentication refused), `535 5.7.3` (the XOAUTH2 token refused), STARTTLS demanded, and
//! transient `4xx` replies; however a mail library wraps the line (`535: …`, `R:535 …`,
//! `Invalid login: 535 …`, Python's `(535, b'5.7.139 …')`).
//!
//! The enhanced status code classifies; the `5.7.139` reply carries its reason only in its text,
//! so for that code the wording picks the cause. Two more readings of the words: a reply that
//! demands STARTTLS is a connection set up without it, whatever its status; and an
//! authentication refused while the text speaks of a shared mailbox is that mailbox (it cannot
//! sign in). When a line quotes several statuses (`5.7.57 … Error: 535 5.7.139 …`), the one that
//! names a reason wins. Connection failures on port 587 are recognised by `transport`.

use std::sync::LazyLock;

use regex::Regex;

use super::Source;
use super::hit::{Hit, Rank};
use crate::cause::Cause;

static REPLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\b([2-5]\d\d)\b[\s:,\-]*(?:b['"])?\s*)?\b([245]\.\d{1,3}\.\d{1,3})\b"#)
        .expect("smtp reply pattern")
});

static SERVICE_NOT_AVAILABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b421\b[\s\-]+.{0,80}service not available").expect("421 pattern")
});

/// Every SMTP signal in `text`, one per reply line.
pub(super) fn recognise(text: &str) -> Vec<Hit> {
    let shared_mailbox = text.to_ascii_lowercase().contains("shared mailbox");
    let mut hits = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let span = offset..offset + line.len();
        offset += line.len();
        if let Some(mut hit) = reply(line, span.clone()) {
            if shared_mailbox && hit.cause == Cause::SmtpAuthFailed {
                hit.cause = Cause::MailboxIsShared;
            }
            hits.push(hit);
        } else if let Some(found) = SERVICE_NOT_AVAILABLE.find(line) {
            hits.push(Hit::new(
                Source::Smtp,
                Some("421".into()),
                Cause::ServiceUnavailable,
                Rank::Transient,
                found.range(),
            ));
        }
    }
    hits
}

/// The cause one SMTP reply means: `code` is the three-digit reply code, `text` what follows it
/// (the enhanced status code first, when the server sends one; several lines joined by spaces).
/// `None` for a reply that signals no problem (`235 2.7.0`) or that is not recognised. The same
/// reading `diagnose` gives a pasted reply; the SMTP AUTH probe classifies with it.
pub fn classify_reply(code: u16, text: &str) -> Option<Cause> {
    let line = format!("{code} {}", text.replace(['\r', '\n'], " "));
    recognise(&line).into_iter().next().map(|hit| hit.cause)
}

fn reply(line: &str, span: std::ops::Range<usize>) -> Option<Hit> {
    let mut wording = None;
    let mut best: Option<(bool, Cause, String)> = None;
    for found in REPLY.captures_iter(line) {
        let basic = found.get(1).map(|m| m.as_str());
        let Some(enhanced) = found.get(2).map(|m| m.as_str()) else {
            continue;
        };
        let wording = wording.get_or_insert_with(|| Wording::of(line));
        let Some(cause) = classify(basic, enhanced, wording) else {
            continue;
        };
        let code = match basic {
            Some(basic) => format!("{basic} {enhanced}"),
            None => enhanced.to_string(),
        };
        let names_reason = enhanced == "5.7.139";
        if best
            .as_ref()
            .is_none_or(|(had_reason, ..)| names_reason && !had_reason)
        {
            best = Some((names_reason, cause, code));
        }
        if names_reason {
            break;
        }
    }
    best.map(|(_, cause, code)| Hit::new(Source::Smtp, Some(code), cause, Rank::Coded, span))
}

/// What a reply line's words say, read once per line (a line may hold many status codes).
struct Wording {
    authentication: bool,
    disabled_for_tenant: bool,
    disabled_for_mailbox: bool,
    basic_disabled: bool,
    criteria_not_met: bool,
    security_defaults: bool,
    starttls: bool,
    starttls_required: bool,
    throttled: bool,
}

impl Wording {
    fn of(line: &str) -> Wording {
        let lower = line.to_ascii_lowercase();
        let says = |words: &str| lower.contains(words);
        Wording {
            authentication: says("authentication") || says("auth "),
            disabled_for_tenant: says("disabled for the tenant"),
            disabled_for_mailbox: says("disabled for the mailbox"),
            basic_disabled: says("basic authentication is disabled"),
            criteria_not_met: says("did not meet the criteria"),
            security_defaults: says("security defaults"),
            starttls: says("starttls"),
            starttls_required: says("starttls is required")
                || says("must issue a starttls")
                || says("starttls command first"),
            throttled: ["throttl", "too many", "limit", "concurrent"]
                .iter()
                .any(|w| says(w)),
        }
    }
}

fn classify(basic: Option<&str>, enhanced: &str, wording: &Wording) -> Option<Cause> {
    let smtp_reply = basic.is_some() || wording.authentication;
    if wording.starttls_required && enhanced.starts_with("5.7.") {
        return Some(Cause::SmtpUnreachable);
    }
    match enhanced {
        "5.7.139" => Some(if wording.disabled_for_tenant {
            Cause::SmtpAuthDisabledTenant
        } else if wording.disabled_for_mailbox {
            Cause::SmtpAuthDisabledMailbox
        } else if wording.basic_disabled {
            Cause::SmtpBasicAuthBlocked
        } else if wording.criteria_not_met || wording.security_defaults {
            Cause::ConditionalAccessBlocked
        } else {
            Cause::SmtpAuthFailed
        }),
        "5.7.3" | "5.7.8" | "5.7.57" | "5.7.60" if smtp_reply => Some(Cause::SmtpAuthFailed),
        "5.7.0" if wording.starttls => Some(Cause::SmtpUnreachable),
        _ if enhanced.starts_with("4.") && basic.is_some_and(|b| b.starts_with('4')) => {
            Some(if wording.throttled {
                Cause::Throttled
            } else {
                Cause::ServiceUnavailable
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Option<(Cause, String)> {
        recognise(text)
            .into_iter()
            .next()
            .map(|h| (h.cause, h.code.unwrap_or_default()))
    }

    #[test]
    fn the_139_reasons_are_told_apart() {
        for (line, cause, code) in [
            (
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [DM6PR02CA0071.namprd02.prod.outlook.com 2024-06-11T08:15:02.113Z 08DC89E1A3C5F0B2]",
                Cause::SmtpAuthDisabledMailbox,
                "535 5.7.139",
            ),
            (
                "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.",
                Cause::ConditionalAccessBlocked,
                "535 5.7.139",
            ),
            (
                "(535, b'5.7.139 Authentication unsuccessful, basic authentication is disabled.')",
                Cause::SmtpBasicAuthBlocked,
                "535 5.7.139",
            ),
        ] {
            assert_eq!(first(line), Some((cause, code.to_string())), "{line}");
        }
    }

    #[test]
    fn starttls_and_transient_replies() {
        assert_eq!(
            first("530 5.7.0 Must issue a STARTTLS command first").map(|f| f.0),
            Some(Cause::SmtpUnreachable)
        );
        assert_eq!(
            first("421 4.3.2 Service not available, closing transmission channel").map(|f| f.0),
            Some(Cause::ServiceUnavailable)
        );
        assert_eq!(
            first("432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded").map(|f| f.0),
            Some(Cause::Throttled)
        );
        assert_eq!(
            first("421 Service not available, closing transmission channel").map(|f| f.0),
            Some(Cause::ServiceUnavailable)
        );
    }

    #[test]
    fn classify_reply_reads_one_reply() {
        assert_eq!(
            classify_reply(
                535,
                "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]"
            ),
            Some(Cause::SmtpAuthDisabledTenant)
        );
        assert_eq!(
            classify_reply(
                535,
                "5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]"
            ),
            Some(Cause::SmtpAuthFailed)
        );
        assert_eq!(
            classify_reply(
                421,
                "4.3.2 Service not active [TYAPR01CA0229.jpnprd01.prod.outlook.com]"
            ),
            Some(Cause::ServiceUnavailable)
        );
        assert_eq!(classify_reply(235, "2.7.0 Authentication successful"), None);
        assert_eq!(classify_reply(554, "5.3.2 Service not active"), None);
    }

    #[test]
    fn version_numbers_and_success_lines_are_not_replies() {
        assert_eq!(
            first("azsdk-go-azidentity/v0.12.1 azsdk-go-azcore/v0.21.0"),
            None
        );
        assert_eq!(first("235 2.7.0 Authentication successful"), None);
        assert_eq!(first("250 2.1.0 Sender OK"), None);
        assert_eq!(first("upgraded to 5.7.3 yesterday"), None);
    }
}

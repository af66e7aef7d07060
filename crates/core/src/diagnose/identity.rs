//! The identity platform's errors: AADSTS codes and OAuth `error` values, in every shape.
//!
//! Codes come from `error_codes` first (a parsed JSON body, or the list found by pattern in a
//! Python dict, an escaped or a truncated body), then from `AADSTS<digits>` anywhere in the text
//! (the old CRLF and the new one-line descriptions, MSAL and Azure.Identity wrappers, login pages,
//! URL-encoded redirects). The description's wording is never used to classify; it is only looked
//! at for a quoted placeholder value (`Tenant 'your_tenant_id' not found`), which is the root cause.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::Source;
use super::hit::{Hit, Rank};
use super::json_scan::JsonObject;
use crate::cause::Cause;
use crate::validate::{Placeholder, find_placeholder, is_guid};

/// The cause of an AADSTS code, when it is one we explain (the table is the identity module's).
pub(super) fn cause_of(code: u32) -> Option<Cause> {
    crate::identity::cause_for_code(code)
}

static ERROR_CODES_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)error_?codes["'\\]*\s*[:=]\s*\[([0-9,\s]*)"#).expect("error_codes pattern")
});

static AADSTS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"AADSTS(\d{4,8})").expect("AADSTS pattern"));

static TEMPORARILY_UNAVAILABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\btemporarily_unavailable\b").expect("temporarily_unavailable pattern")
});

/// Characters that end a token when looking for a quoted placeholder value.
const TOKEN_BREAKS: &[char] = &['\'', '"', ',', '(', ')', '[', ']', '=', '&', '\\'];

/// HTML tag names, so a login page's markup is not mistaken for `<tenant-id>`.
const HTML_TAGS: &[&str] = &[
    "html", "head", "body", "div", "span", "p", "a", "b", "i", "br", "table", "tr", "td", "li",
    "ul", "script", "style", "meta", "title", "pre", "code",
];

/// Every identity-platform signal in `text`, whose JSON objects are `objects`.
pub(super) fn recognise(text: &str, objects: &[JsonObject<'_>]) -> Vec<Hit> {
    let mut hits = Vec::new();
    for object in objects {
        if let Some(Value::Array(codes)) = object.fields.get("error_codes") {
            for code in codes.iter().filter_map(Value::as_u64) {
                push_code(&mut hits, code, Rank::Structured, object.span.clone());
            }
        }
        if object.fields.get("error").and_then(Value::as_str) == Some("temporarily_unavailable") {
            hits.push(Hit::new(
                Source::Identity,
                Some("temporarily_unavailable".into()),
                Cause::ServiceUnavailable,
                Rank::Transient,
                object.span.clone(),
            ));
        }
    }
    for list in ERROR_CODES_LIST.captures_iter(text) {
        let (whole, numbers) = (list.get(0).map_or(0..0, |m| m.range()), &list[1]);
        for code in numbers
            .split(',')
            .filter_map(|n| n.trim().parse::<u64>().ok())
        {
            push_code(&mut hits, code, Rank::Structured, whole.clone());
        }
    }
    for found in AADSTS.captures_iter(text) {
        if let Ok(code) = found[1].parse::<u64>() {
            push_code(
                &mut hits,
                code,
                Rank::Coded,
                found.get(0).map_or(0..0, |m| m.range()),
            );
        }
    }
    if let Some(found) = TEMPORARILY_UNAVAILABLE.find(text) {
        hits.push(Hit::new(
            Source::Identity,
            Some("temporarily_unavailable".into()),
            Cause::ServiceUnavailable,
            Rank::Transient,
            found.range(),
        ));
    }
    if let Some(first) = hits.iter().find(|h| !h.cause.is_transient()).cloned() {
        if let Some(span) = quoted_placeholder(text) {
            hits.push(Hit::new(
                Source::Identity,
                first.code,
                Cause::PlaceholderNotReplaced,
                Rank::Placeholder,
                span,
            ));
        } else if hits.iter().any(|h| h.cause == Cause::ClientIdNotFound)
            && let Some(span) = malformed_application_identifier(text)
        {
            hits.push(Hit::new(
                Source::Identity,
                Some("AADSTS700016".into()),
                Cause::ClientIdMalformed,
                Rank::Placeholder,
                span,
            ));
        }
    }
    hits
}

static APPLICATION_IDENTIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)application with identifier '([^'\r\n]{1,200})'").expect("identifier pattern")
});

/// Where AADSTS700016 quotes back an application identifier that is not a GUID (nor an App ID
/// URI): the client ID field held a name, a secret or a partial copy.
fn malformed_application_identifier(text: &str) -> Option<std::ops::Range<usize>> {
    APPLICATION_IDENTIFIER
        .captures_iter(text)
        .find_map(|found| {
            let identifier = found.get(1)?;
            let value = identifier.as_str();
            (!is_guid(value) && !value.contains("://") && !value.ends_with('…'))
                .then(|| identifier.range())
        })
}

fn push_code(hits: &mut Vec<Hit>, code: u64, rank: Rank, span: std::ops::Range<usize>) {
    let Some(cause) = u32::try_from(code).ok().and_then(cause_of) else {
        return;
    };
    hits.push(Hit::new(
        Source::Identity,
        Some(format!("AADSTS{code}")),
        cause,
        rank,
        span,
    ));
}

/// Where a template placeholder appears as a value in the error text (the tenant, the client ID
/// or the redirect URI Microsoft quotes back).
fn quoted_placeholder(text: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for token in text.split(|c: char| c.is_whitespace() || TOKEN_BREAKS.contains(&c)) {
        let start = offset;
        offset += token.len() + 1;
        if token.is_empty() || token.starts_with('{') && token.contains(':') {
            continue;
        }
        if let Some(Placeholder::Template(found)) = find_placeholder(token) {
            let tag = found
                .trim_start_matches('<')
                .trim_start_matches('/')
                .split([' ', '>'])
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            if found.starts_with('<') && HTML_TAGS.contains(&tag.as_str()) {
                continue;
            }
            return Some(start..start + token.len());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::json_scan;
    use super::*;

    fn recognise(text: &str) -> Vec<Hit> {
        super::recognise(text, &json_scan::scan(text).objects())
    }

    fn causes(text: &str) -> Vec<(Cause, Option<String>)> {
        recognise(text)
            .into_iter()
            .map(|h| (h.cause, h.code))
            .collect()
    }

    #[test]
    fn every_contract_code_has_a_cause() {
        for code in [
            90002, 900023, 90038, 900381, 900382, 50194, 700016, 7000112, 7000218, 7000215,
            7000222, 700025, 700027, 50011, 50020, 65001, 65004, 90094, 70011, 1002012, 700022,
            500011, 53003, 530035, 50076, 50079,
        ] {
            assert!(cause_of(code).is_some(), "AADSTS{code}");
        }
    }

    #[test]
    fn error_codes_are_read_before_the_description() {
        let text = r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.","error_codes":[7000215]}"#;
        let hits = recognise(text);
        assert_eq!(hits[0].rank, Rank::Structured);
        assert_eq!(hits[0].cause, Cause::SecretInvalid);
    }

    #[test]
    fn a_python_dict_and_a_truncated_body_are_read_by_pattern() {
        let python = "{'error': 'invalid_client', 'error_description': \"AADSTS7000222: The provided client secret keys for app '6a5e0c4e-…' are expired.\", 'error_codes': [7000222], 'timestamp': '2024-03-02 10:00:00Z'}";
        assert_eq!(
            causes(python)[0],
            (Cause::SecretExpired, Some("AADSTS7000222".into()))
        );
        let truncated = r#"{"error":"unauthorized_client","error_description":"AADSTS700016: Application with identifier 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4' was not fou"#;
        assert_eq!(causes(truncated)[0].0, Cause::ClientIdNotFound);
    }

    #[test]
    fn a_placeholder_quoted_back_is_the_root_cause() {
        let text = "AADSTS90002: Tenant 'your_tenant_id' not found. Check to make sure you have the correct tenant ID.";
        let hits = recognise(text);
        assert!(hits.iter().any(|h| h.cause == Cause::PlaceholderNotReplaced
            && h.rank == Rank::Placeholder
            && h.code.as_deref() == Some("AADSTS90002")));
        let plain = "AADSTS90002: Tenant 'northwindhr.onmicrosoft.com' not found.";
        assert!(
            recognise(plain)
                .iter()
                .all(|h| h.cause != Cause::PlaceholderNotReplaced)
        );
        let html =
            "<div>AADSTS50011: The redirect URI specified in the request does not match</div>";
        assert!(
            recognise(html)
                .iter()
                .all(|h| h.cause != Cause::PlaceholderNotReplaced)
        );
    }

    #[test]
    fn a_client_id_that_is_not_a_guid_is_named() {
        let text = "AADSTS700016: Application with identifier 'Axero Outlook Calendar Sync' was not found in the directory 'Acme Corp'.";
        assert!(
            recognise(text)
                .iter()
                .any(|h| h.cause == Cause::ClientIdMalformed)
        );
        let guid = "AADSTS700016: Application with identifier 'b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4' was not found in the directory 'Acme Corp'.";
        assert!(
            recognise(guid)
                .iter()
                .all(|h| h.cause != Cause::ClientIdMalformed)
        );
    }

    #[test]
    fn unknown_codes_are_ignored() {
        assert!(recognise("AADSTS50126: Error validating credentials").is_empty());
    }
}

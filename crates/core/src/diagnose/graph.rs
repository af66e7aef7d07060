//! Microsoft Graph's error bodies: `{"error":{"code","message","innerError"|"innererror",
//! "details"}}`, parsed where the JSON is whole, found by pattern where it is not (truncated
//! bodies, SDK exceptions that print `Code: …`, logs).
//!
//! Only `code` classifies, with refinements the contract names: `ErrorAccessDenied` mentioning
//! an application access policy (`[RAOP]`, `AccessPolicy`) is a mailbox policy denial,
//! `InvalidAuthenticationToken` complaining about the audience is a token for another service, and
//! `Authorization_RequestDenied` for an administrator's own account or role (a directory change
//! the signed-in admin may not make) is a missing admin role rather than a missing permission.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};

use super::Source;
use super::hit::{Hit, Rank};
use super::json_scan::JsonObject;
use crate::cause::Cause;

/// Graph error codes (canonical spelling) and their causes. `None` marks codes that need the
/// message to decide (see [`refine`]).
const CODES: &[(&str, Option<Cause>)] = &[
    ("Authorization_RequestDenied", None),
    ("ErrorAccessDenied", None),
    ("accessDenied", Some(Cause::PermissionMissing)),
    (
        "NoPermissionsInAccessToken",
        Some(Cause::AdminConsentMissing),
    ),
    (
        "MailboxNotEnabledForRESTAPI",
        Some(Cause::MailboxUnavailable),
    ),
    (
        "MailboxNotSupportedForRESTAPI",
        Some(Cause::MailboxUnavailable),
    ),
    ("InvalidAuthenticationToken", None),
    (
        "InvalidAudienceForResource",
        Some(Cause::TokenWrongAudience),
    ),
    ("ErrorMissingEmailAddress", Some(Cause::MailboxUnavailable)),
    ("Request_ResourceNotFound", Some(Cause::ObjectNotFound)),
    ("ErrorInvalidUser", Some(Cause::ObjectNotFound)),
    ("ErrorItemNotFound", Some(Cause::ObjectNotFound)),
    ("ErrorNonExistentMailbox", Some(Cause::ObjectNotFound)),
    ("itemNotFound", Some(Cause::ObjectNotFound)),
    ("ResourceNotFound", Some(Cause::ObjectNotFound)),
    (
        "CredentialInvalidLifetimeAsPerAppPolicy",
        Some(Cause::SecretLifetimePolicy),
    ),
    ("TooManyRequests", Some(Cause::Throttled)),
    ("activityLimitReached", Some(Cause::Throttled)),
    ("ApplicationThrottled", Some(Cause::Throttled)),
    ("ErrorServerBusy", Some(Cause::Throttled)),
    ("ErrorTooManyObjectsOpened", Some(Cause::Throttled)),
    ("serviceNotAvailable", Some(Cause::ServiceUnavailable)),
    ("ServiceUnavailable", Some(Cause::ServiceUnavailable)),
    (
        "ErrorInternalServerTransientError",
        Some(Cause::ServiceUnavailable),
    ),
    ("generalException", Some(Cause::ServiceUnavailable)),
];

/// Codes distinctive enough to be recognised as bare words anywhere in the text.
const DISTINCTIVE: &[&str] = &[
    "Authorization_RequestDenied",
    "ErrorAccessDenied",
    "NoPermissionsInAccessToken",
    "MailboxNotEnabledForRESTAPI",
    "MailboxNotSupportedForRESTAPI",
    "InvalidAuthenticationToken",
    "InvalidAudienceForResource",
    "ErrorMissingEmailAddress",
    "Request_ResourceNotFound",
    "ErrorInvalidUser",
    "ErrorItemNotFound",
    "ErrorNonExistentMailbox",
    "CredentialInvalidLifetimeAsPerAppPolicy",
    "ApplicationThrottled",
    "ErrorServerBusy",
    "ErrorTooManyObjectsOpened",
    "activityLimitReached",
];

static CODE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\bcode["'\\]*\s*[:=]\s*["'\\]*([A-Za-z_][A-Za-z0-9_]{2,})"#)
        .expect("code field pattern")
});

static DISTINCTIVE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b({})\b", DISTINCTIVE.join("|"))).expect("graph code pattern")
});

/// Words placing a refusal on the signed-in administrator's own account or role.
static ADMIN_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(?:admin|administrator) role\b|\bglobal admin|your account has sufficient access",
        r"|(?:i|you|my account|your account) (?:do not|don't|does not|doesn't) have (?:the )?(?:required )?(?:role|permission to)",
    ))
    .expect("admin role pattern")
});

static ME_WITH_APP_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)/me request is only valid with delegated authentication flow")
        .expect("/me pattern")
});

/// What the message around a code says, for the codes that need it (read once per message, not
/// once per code: a text may repeat a code many thousands of times).
struct Wording {
    access_policy: bool,
    audience: bool,
    admin_role: bool,
}

impl Wording {
    fn of(context: &str) -> Wording {
        let lower = context.to_ascii_lowercase();
        Wording {
            access_policy: lower.contains("[raop]") || lower.contains("accesspolicy"),
            audience: lower.contains("audience"),
            admin_role: ADMIN_ROLE.is_match(&lower),
        }
    }
}

/// The canonical spelling and cause of a Graph code, refined by the message around it.
fn classify(code: &str, wording: &Wording) -> Option<(&'static str, Cause)> {
    let (canonical, cause) = CODES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(code))?;
    Some((
        *canonical,
        cause.unwrap_or_else(|| refine(canonical, wording)),
    ))
}

fn refine(code: &str, wording: &Wording) -> Cause {
    match code {
        "ErrorAccessDenied" if wording.access_policy => Cause::MailboxAccessPolicyDenied,
        "ErrorAccessDenied" => Cause::PermissionMissing,
        "Authorization_RequestDenied" if wording.admin_role => Cause::InsufficientAdminRights,
        "Authorization_RequestDenied" => Cause::PermissionMissing,
        _ if wording.audience => Cause::TokenWrongAudience,
        _ => Cause::TokenInvalid,
    }
}

/// Every Graph signal in `text`, whose JSON objects are `objects`.
pub(super) fn recognise(text: &str, objects: &[JsonObject<'_>]) -> Vec<Hit> {
    let mut hits = Vec::new();
    for object in objects {
        let Some(Value::Object(error)) = object.fields.get("error") else {
            continue;
        };
        let wording = Wording::of(&messages(error));
        for code in codes(error) {
            if let Some((canonical, cause)) = classify(&code, &wording) {
                hits.push(hit(canonical, cause, Rank::Structured, object.span.clone()));
            }
        }
    }
    let wording = Wording::of(text);
    for found in CODE_FIELD.captures_iter(text) {
        let Some(code) = found.get(1) else { continue };
        if let Some((canonical, cause)) = classify(code.as_str(), &wording) {
            hits.push(hit(canonical, cause, Rank::Coded, code.range()));
        }
    }
    for found in DISTINCTIVE_WORD.find_iter(text) {
        if let Some((canonical, cause)) = classify(found.as_str(), &wording) {
            hits.push(hit(canonical, cause, Rank::Coded, found.range()));
        }
    }
    if let Some(found) = ME_WITH_APP_TOKEN.find(text) {
        hits.push(Hit::new(
            Source::Graph,
            None,
            Cause::WrongPermissionType,
            Rank::Coded,
            found.range(),
        ));
    }
    hits
}

fn hit(code: &str, cause: Cause, rank: Rank, span: std::ops::Range<usize>) -> Hit {
    Hit::new(Source::Graph, Some(code.to_string()), cause, rank, span)
}

/// The codes of an error object: its own, those of `details[]` and of the inner error.
fn codes(error: &Map<String, Value>) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(code) = error.get("code").and_then(Value::as_str) {
        found.push(code.to_string());
    }
    if let Some(Value::Array(details)) = error.get("details") {
        found.extend(
            details
                .iter()
                .filter_map(|d| d.get("code").and_then(Value::as_str))
                .map(str::to_string),
        );
    }
    for key in ["innerError", "innererror"] {
        if let Some(code) = error
            .get(key)
            .and_then(|inner| inner.get("code"))
            .and_then(Value::as_str)
        {
            found.push(code.to_string());
        }
    }
    found
}

/// The messages of an error object and its details and inner error, joined.
fn messages(error: &Map<String, Value>) -> String {
    let mut text = String::new();
    let mut add = |value: Option<&Value>| {
        if let Some(message) = value.and_then(Value::as_str) {
            text.push_str(message);
            text.push('\n');
        }
    };
    add(error.get("message"));
    if let Some(Value::Array(details)) = error.get("details") {
        for detail in details {
            add(detail.get("message"));
        }
    }
    for key in ["innerError", "innererror"] {
        add(error.get(key).and_then(|inner| inner.get("message")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::super::json_scan;
    use super::*;

    fn first(text: &str) -> (Cause, Option<String>) {
        let mut hits = recognise(text, &json_scan::scan(text).objects());
        hits.sort_by_key(|h| (h.rank, h.span.start));
        let hit = hits.into_iter().next().expect("a hit");
        (hit.cause, hit.code)
    }

    #[test]
    fn access_denied_is_refined_by_the_access_policy() {
        let raop = r#"{"error":{"code":"ErrorAccessDenied","message":"Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.","innerError":{"date":"2024-05-02T09:12:44","request-id":"5f1c…"}}}"#;
        assert_eq!(first(raop).0, Cause::MailboxAccessPolicyDenied);
        let plain = r#"{"error":{"code":"ErrorAccessDenied","message":"Access is denied. Check credentials and try again."}}"#;
        assert_eq!(first(plain).0, Cause::PermissionMissing);
    }

    #[test]
    fn invalid_token_is_refined_by_the_audience() {
        let audience = r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token validation failure. Invalid audience.","innerError":{}}}"#;
        assert_eq!(first(audience).0, Cause::TokenWrongAudience);
        let expired = r#"{"error":{"code":"InvalidAuthenticationToken","message":"Lifetime validation failed, the token is expired.","innererror":{}}}"#;
        assert_eq!(first(expired).0, Cause::TokenInvalid);
    }

    #[test]
    fn codes_are_canonical_whatever_the_spelling() {
        assert_eq!(
            first(
                "Code: mailboxnotenabledforrestapi\nMessage: REST API is not yet supported for this mailbox."
            ),
            (
                Cause::MailboxUnavailable,
                Some("MailboxNotEnabledForRESTAPI".into())
            )
        );
    }

    #[test]
    fn details_and_inner_codes_count() {
        let policy = r#"{"error":{"code":"BadRequest","message":"Credential lifetime exceeds the max value allowed as per assigned policy.","details":[{"code":"CredentialInvalidLifetimeAsPerAppPolicy","message":"…"}]}}"#;
        assert_eq!(first(policy).0, Cause::SecretLifetimePolicy);
    }
}

//! The identity platform's errors: AADSTS codes and OAuth `error` values, in every shape.
//!
//! Codes come from `error_codes` first (a parsed JSON body, or the list found by pattern in a
//! Python dict, an escaped or a truncated body), then from `AADSTS<digits>` anywhere in the text
//! (the old CRLF and the new one-line descriptions, MSAL and Azure.Identity wrappers, login pages,
//! URL-encoded redirects), then from the OAuth `error` value alone (`invalid_scope`,
//! `invalid_resource`), which ranks below any code.
//!
//! A code decides the cause. A few codes name no single reason and are told apart by what the
//! message around them says: the parameter a request lacked (`AADSTS90014`, `AADSTS70002`), an
//! account picked by mistake or several signed in (`AADSTS50020`, `AADSTS16000`), "was not found"
//! (the old `AADSTS70001`). Behind a code about a value Microsoft could not find, the text may name
//! the root cause: a template placeholder quoted back (`Tenant 'your_tenant_id' not found`), a
//! client ID that is no GUID, or a tenant or first-party resource that lives in another Microsoft
//! cloud. A value masked by whoever pasted the text (`***`, `xxxx`, `<GUID>`, `{id}`, "App ID") is
//! never taken for a cause.

use std::ops::Range;
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

/// OAuth `error` values that name a cause on their own.
static OAUTH_ERROR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(temporarily_unavailable|invalid_scope|invalid_resource|invalid_tenant|consent_required)\b",
    )
    .expect("OAuth error pattern")
});

/// The parameter a request lacked (`AADSTS90014`, `AADSTS900144`, `AADSTS70002`,
/// `AADSTS7000218`).
static MISSING_PARAMETER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:must contain the following parameter:\s*'|required field ')([a-z_]+)")
        .expect("missing parameter pattern")
});

/// Words saying the sign-in used another of the user's accounts, or several were signed in.
pub(super) static OTHER_ACCOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)multiple user identities are available|signed in (?:with|to|into) (?:another|a different|the wrong|multiple|several) (?:microsoft )?accounts?",
        r"|(?:multiple|several|two|2) (?:ms |microsoft |work |live )?accounts|wrong (?:microsoft )?account",
        r"|routes? to the wrong tenant|routed to (?:a different|the wrong|another) tenant",
        r"|(?:use|used|using|picks?|picked|chose|selected) (?:the |their |his |her |my |your )?(?:wrong|other|another|current computer|personal) (?:account|credentials)",
    ))
    .expect("other account pattern")
});

/// Hosts and words that place a tenant in another Microsoft cloud than the global one.
static OTHER_CLOUD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)login\.microsoftonline\.(?:us|de)\b|login\.partner\.microsoftonline\.cn|login\.chinacloudapi\.cn",
        r"|\.onmschina\.cn\b|\.onmicrosoft\.us\b|\b(?:china|21vianet|mooncake|azurechinacloud|azureusgovernment|usgov|gcc[ -]?high)\b",
        r"|\b(?:us|azure) government\b|\bgovernment cloud\b|\bnational cloud\b|\bsovereign cloud\b",
    ))
    .expect("other cloud pattern")
});

/// A first-party Microsoft resource of the global cloud named as not found: every global tenant
/// has these, so a tenant without them lives in another cloud.
static GLOBAL_RESOURCE_NOT_FOUND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)resource principal named (?:https?://)?(?:graph\.microsoft\.com|management\.azure\.com",
        r"|management\.core\.windows\.net|graph\.windows\.net|outlook\.office365\.com|outlook\.office\.com",
        r"|vault\.azure\.net|database\.windows\.net)/?(?:\s|'|$)",
    ))
    .expect("global resource pattern")
});

/// The value Microsoft quotes back for a code about a value it could not find or match.
static QUOTED_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)tenant '([^'\r\n]{1,200})' not found|tenant ([^\s']{1,200}) not found",
        r"|tenant identifier '([^'\r\n]{1,200})'",
        r"|application with identifier '([^'\r\n]{1,200})'|application with identifier ([^\s']{1,200}) was not found",
        r"|resource principal named ([^\s']{1,300}) was not found",
        r"|(?:redirect uri|reply address|reply url) '([^'\r\n]{1,400})'",
    ))
    .expect("quoted value pattern")
});

/// A secret set to a bracketed instruction from a sample's configuration
/// (`"ClientSecret": "[Copy the client secret added to the app from the Azure portal]"`).
static SECRET_INSTRUCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#"(?i)secret["']?\s*[:=]\s*["']?[\[<{]\s*(?:copy|enter|paste|insert|put|add|replace|your)\b"#,
        r"[^\]>}\r\n]{0,200}[\]>}]",
    ))
    .expect("secret instruction pattern")
});

static APPLICATION_IDENTIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)application with identifier '([^'\r\n]{1,200})'").expect("identifier pattern")
});

/// Characters that end a token when looking for a quoted placeholder value.
const TOKEN_BREAKS: &[char] = &['\'', '"', ',', '(', ')', '[', ']', '=', '&', '\\'];

/// HTML tag names, so a login page's markup is not mistaken for `<tenant-id>`.
const HTML_TAGS: &[&str] = &[
    "html", "head", "body", "div", "span", "p", "a", "b", "i", "br", "table", "tr", "td", "li",
    "ul", "script", "style", "meta", "title", "pre", "code",
];

/// What a pasted text stands in for a value it hides: `{id}`, `<GUID>`, `[name]`.
const REDACTION_WORDS: &[&str] = &[
    "id",
    "guid",
    "name",
    "my id",
    "directory guid",
    "app id",
    "appid",
    "app name",
    "tenant name",
    "redacted",
    "removed",
    "hidden",
    "email",
    "user",
    "userid",
    "...",
];

/// Configuration field names that, quoted back as a value, mean the field was never filled in
/// (a template variable left as its own name).
const FIELD_NAMES: &[&str] = &[
    "tenantid",
    "tenant_id",
    "clientid",
    "client_id",
    "appid",
    "app_id",
    "applicationid",
    "application_id",
    "redirecturi",
    "redirect_uri",
];

/// Causes whose code means "this value was not found or does not fit": only behind these can a
/// value quoted back be the root cause.
const VALUE_CAUSES: &[Cause] = &[
    Cause::TenantNotFound,
    Cause::TenantIdMalformed,
    Cause::ClientIdNotFound,
    Cause::RedirectUriMismatch,
    Cause::ResourceNotFound,
];

/// What the message around the codes says, read once for the whole text.
struct Wording {
    not_found: bool,
    invalid_secret: bool,
    missing_parameter: Option<String>,
    other_account: bool,
}

impl Wording {
    fn of(text: &str) -> Wording {
        let lower = text.to_ascii_lowercase();
        Wording {
            not_found: lower.contains("was not found"),
            invalid_secret: lower.contains("invalid client secret"),
            missing_parameter: MISSING_PARAMETER
                .captures(text)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_ascii_lowercase()),
            other_account: OTHER_ACCOUNT.is_match(text),
        }
    }

    /// The cause the lacking parameter names.
    fn missing(&self) -> Option<Cause> {
        match self.missing_parameter.as_deref()? {
            "client_secret" | "client_assertion" => Some(Cause::SecretMissing),
            "client_id" => Some(Cause::ClientIdMalformed),
            "scope" => Some(Cause::ScopeInvalid),
            "redirect_uri" => Some(Cause::RedirectUriMismatch),
            _ => None,
        }
    }
}

/// The cause of `code` as the text around it tells it, and whether the code is a wrapper that
/// yields to any other code in the text.
fn classify(code: u64, wording: &Wording) -> Option<(Cause, bool)> {
    let code = u32::try_from(code).ok()?;
    match code {
        // The old code for an application not found; today's for one that is disabled.
        70001 => Some(if wording.not_found {
            (Cause::ClientIdNotFound, false)
        } else {
            (Cause::AppDisabled, false)
        }),
        // "Error validating credentials": the reason follows, often as another code.
        70002 => Some((wording.missing().unwrap_or(Cause::SecretInvalid), true)),
        50012 => wording
            .invalid_secret
            .then_some((Cause::SecretInvalid, false)),
        90014 | 900144 => wording.missing().map(|cause| (cause, false)),
        16000 | 50020 if wording.other_account => Some((Cause::MultipleAccountsSignedIn, false)),
        _ => cause_of(code).map(|cause| (cause, false)),
    }
}

/// Every identity-platform signal in `text`, whose JSON objects are `objects`.
pub(super) fn recognise(text: &str, objects: &[JsonObject<'_>]) -> Vec<Hit> {
    let wording = Wording::of(text);
    let mut hits = Vec::new();
    for object in objects {
        if let Some(Value::Array(codes)) = object.fields.get("error_codes") {
            for code in codes.iter().filter_map(Value::as_u64) {
                push_code(
                    &mut hits,
                    code,
                    Rank::Structured,
                    object.span.clone(),
                    &wording,
                );
            }
        }
        if let Some(error) = object.fields.get("error").and_then(Value::as_str) {
            push_oauth_error(&mut hits, error, object.span.clone());
        }
    }
    for list in ERROR_CODES_LIST.captures_iter(text) {
        let (whole, numbers) = (list.get(0).map_or(0..0, |m| m.range()), &list[1]);
        for code in numbers
            .split(',')
            .filter_map(|n| n.trim().parse::<u64>().ok())
        {
            push_code(&mut hits, code, Rank::Structured, whole.clone(), &wording);
        }
    }
    for found in AADSTS.captures_iter(text) {
        if let Ok(code) = found[1].parse::<u64>() {
            push_code(
                &mut hits,
                code,
                Rank::Coded,
                found.get(0).map_or(0..0, |m| m.range()),
                &wording,
            );
        }
    }
    let mut seen_errors: Vec<&str> = Vec::new();
    for found in OAUTH_ERROR.find_iter(text) {
        if !seen_errors.contains(&found.as_str()) {
            seen_errors.push(found.as_str());
            push_oauth_error(&mut hits, found.as_str(), found.range());
        }
    }
    if let Some(root) = root_cause(text, &hits) {
        hits.push(root);
    }
    hits
}

/// The root cause behind the most specific code, when the text names one.
fn root_cause(text: &str, hits: &[Hit]) -> Option<Hit> {
    let first = hits
        .iter()
        .filter(|h| !h.cause.is_transient())
        .min_by_key(|h| (h.rank, h.span.start))?;
    let root = |cause: Cause, span: Range<usize>| {
        Hit::new(
            Source::Identity,
            first.code.clone(),
            cause,
            Rank::RootCause,
            span,
        )
    };
    if matches!(first.cause, Cause::SecretInvalid | Cause::SecretMissing) {
        return SECRET_INSTRUCTION
            .find(text)
            .map(|found| root(Cause::PlaceholderNotReplaced, found.range()));
    }
    if !VALUE_CAUSES.contains(&first.cause) {
        return None;
    }
    if let Some(span) = placeholder_value(text, first.cause) {
        return Some(root(Cause::PlaceholderNotReplaced, span));
    }
    match first.cause {
        Cause::ClientIdNotFound => {
            malformed_application_identifier(text).map(|span| root(Cause::ClientIdMalformed, span))
        }
        Cause::TenantNotFound => OTHER_CLOUD
            .find(text)
            .map(|found| root(Cause::WrongCloud, found.range())),
        Cause::ResourceNotFound => {
            let named = GLOBAL_RESOURCE_NOT_FOUND.find(text)?;
            OTHER_CLOUD
                .is_match(text)
                .then(|| root(Cause::WrongCloud, named.range()))
        }
        _ => None,
    }
}

/// Where a template placeholder stands as the value Microsoft could not find or match. The
/// value Microsoft quotes back is judged when the text has it (the tenant of "Tenant '…' not
/// found", the identifier of "Application with identifier '…'"); otherwise any token is.
fn placeholder_value(text: &str, cause: Cause) -> Option<Range<usize>> {
    let quoted: Vec<Range<usize>> = QUOTED_VALUE
        .captures_iter(text)
        .filter_map(|found| found.iter().skip(1).flatten().next().map(|m| m.range()))
        .collect();
    if quoted.is_empty() {
        return quoted_placeholder(text, cause);
    }
    quoted
        .into_iter()
        .find(|span| is_placeholder(&text[span.clone()]))
}

/// Whether a whole value is a template placeholder (not a mask, not markup).
fn is_placeholder(value: &str) -> bool {
    let found = match find_placeholder(value) {
        Some(Placeholder::Template(found)) => found,
        _ if is_field_name(value) => value.to_string(),
        _ => return false,
    };
    !is_masked(&found) && !is_markup(&found)
}

fn is_markup(found: &str) -> bool {
    let tag = found
        .trim_start_matches('<')
        .trim_start_matches('/')
        .split([' ', '>'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    found.starts_with('<') && HTML_TAGS.contains(&tag.as_str())
}

/// Where AADSTS700016 quotes back an application identifier that is not a GUID (nor an App ID
/// URI, nor a value masked by whoever pasted it): the client ID field held a name, a secret or a
/// partial copy.
fn malformed_application_identifier(text: &str) -> Option<Range<usize>> {
    APPLICATION_IDENTIFIER
        .captures_iter(text)
        .find_map(|found| {
            let identifier = found.get(1)?;
            let value = identifier.as_str();
            (!is_guid(value) && !value.contains("://") && !is_masked(value))
                .then(|| identifier.range())
        })
}

/// Whether a quoted value is a mask or a stand-in its poster put in place of the real one:
/// masking characters (`***`, `xxxx`, `…`), or a bracketed or spelled-out name of the field
/// (`{id}`, `<GUID>`, `Entra APP ID`).
fn is_masked(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    let inner = lower.trim_matches(|c: char| "<>{}[]()'\" ".contains(c));
    let mask_chars = inner.chars().filter(|c| matches!(c, 'x' | '*')).count();
    let only_mask = mask_chars >= 3
        && inner
            .chars()
            .all(|c| matches!(c, 'x' | '*' | '-' | '_' | '.' | ' '));
    let words: Vec<&str> = inner
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let names_a_field = inner.contains(' ')
        && words.windows(2).any(|pair| {
            matches!(
                pair,
                [
                    "app" | "application" | "client" | "object" | "tenant",
                    "id" | "name"
                ]
            )
        });
    lower.contains('…')
        || is_shortened_guid(inner)
        || lower.contains("...")
        || lower.contains("***")
        || lower.contains("xxx")
        || only_mask
        || REDACTION_WORDS.contains(&inner)
        || names_a_field
}

/// A GUID cut short (`0abb4c32-97b5-432b-a6ea-42ca08be`): shortened when pasted, not a value
/// anyone typed.
fn is_shortened_guid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_hexdigit()))
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .any(|(g, n)| g.len() < n)
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() <= n)
}

fn push_code(hits: &mut Vec<Hit>, code: u64, rank: Rank, span: Range<usize>, wording: &Wording) {
    let Some((cause, wrapper)) = classify(code, wording) else {
        return;
    };
    let rank = if wrapper { Rank::Worded } else { rank };
    hits.push(Hit::new(
        Source::Identity,
        Some(format!("AADSTS{code}")),
        cause,
        rank,
        span,
    ));
}

fn push_oauth_error(hits: &mut Vec<Hit>, error: &str, span: Range<usize>) {
    let cause = match error {
        "temporarily_unavailable" => Cause::ServiceUnavailable,
        "invalid_scope" => Cause::ScopeInvalid,
        "invalid_resource" => Cause::ResourceNotFound,
        "invalid_tenant" => Cause::TenantNotFound,
        "consent_required" => Cause::ConsentRequired,
        _ => return,
    };
    hits.push(Hit::new(
        Source::Identity,
        Some(error.to_string()),
        cause,
        Rank::Worded,
        span,
    ));
}

/// Where a template placeholder appears as a value anywhere in the error text (for a redirect URI
/// mismatch, inside a URI). Masks and stand-ins of the poster's are passed over.
fn quoted_placeholder(text: &str, cause: Cause) -> Option<Range<usize>> {
    let mut offset = 0;
    for token in text.split(|c: char| c.is_whitespace() || TOKEN_BREAKS.contains(&c)) {
        let start = offset;
        offset += token.len() + 1;
        if token.is_empty() || token.starts_with('{') && token.contains(':') {
            continue;
        }
        if cause == Cause::RedirectUriMismatch && !token.contains('/') {
            continue;
        }
        if is_placeholder(token) {
            return Some(start..start + token.len());
        }
    }
    None
}

/// Whether a token is a configuration field's own name written like code (`tenant_id`,
/// `clientId`), left where its value belongs.
fn is_field_name(token: &str) -> bool {
    let looks_like_code = token.contains('_')
        || token
            .char_indices()
            .any(|(i, c)| i > 0 && c.is_ascii_uppercase() && token.is_char_boundary(i));
    looks_like_code && FIELD_NAMES.contains(&token.to_ascii_lowercase().as_str())
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
            && h.rank == Rank::RootCause
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

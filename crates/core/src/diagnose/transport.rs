//! Failures below the error bodies: HTTP 429 and 5xx status lines, and connection, DNS, TLS and
//! timeout failures (on port 587 these are `smtp_unreachable`, elsewhere `network_error`).
//!
//! A status or network failure is attributed to a service only by the host names in the text
//! (sign-in, Graph, SMTP); a network failure that names no Microsoft host is not reported, since
//! it could be anything. Status lines without a host are attributed to Graph, the service that
//! throttles and answers 5xx in practice.

use std::sync::LazyLock;

use regex::Regex;

use super::Source;
use super::hit::{Hit, Rank, source_from_hosts};
use crate::cause::Cause;

static TOO_MANY_REQUESTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b429\b[\s:\-]*(?:\(\s*)?too many requests|\b(?:HTTP/[\d.]+|status(?:\s*code)?[:=\s]+)\s*429\b")
        .expect("429 pattern")
});

static SERVER_ERROR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(50[0234])\b[\s:\-]*(?:\(\s*)?(?:internal server error|bad gateway|service unavailable|gateway time-?out)",
        r"|\b(?:HTTP/[\d.]+|status(?:\s*code)?[:=\s]+)\s*(50[0234])\b",
    ))
    .expect("5xx pattern")
});

static NETWORK_FAILURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)dns error|failed to lookup address|name or service not known|no such host|could not resolve host",
        r"|temporary failure in name resolution|connection refused|connection reset|connection timed out",
        r"|operation timed out|network is unreachable|no route to host|error trying to connect",
        r"|unable to connect to the remote server|tls handshake|certificate verify failed|invalid peer certificate",
        r"|unknownissuer|unexpected eof|eof while parsing|connection closed before message completed",
        r"|does not look like a tls handshake|wrong version number",
    ))
    .expect("network failure pattern")
});

/// Every transport signal in `text`.
pub(super) fn recognise(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    let source = source_from_hosts(text);
    let http_source = match source {
        Some(Source::Identity) => Source::Identity,
        _ => Source::Graph,
    };
    if let Some(found) = TOO_MANY_REQUESTS.find(text) {
        hits.push(Hit::new(
            http_source,
            Some("429".into()),
            Cause::Throttled,
            Rank::Transient,
            found.range(),
        ));
    }
    if let Some(found) = SERVER_ERROR.captures(text) {
        let status = found.get(1).or_else(|| found.get(2));
        hits.push(Hit::new(
            http_source,
            status.map(|s| s.as_str().to_string()),
            Cause::ServiceUnavailable,
            Rank::Transient,
            found.get(0).map_or(0..0, |m| m.range()),
        ));
    }
    if let Some(found) = NETWORK_FAILURE.find(text) {
        match source {
            Some(Source::Smtp) => hits.push(Hit::new(
                Source::Smtp,
                None,
                Cause::SmtpUnreachable,
                Rank::Coded,
                found.range(),
            )),
            Some(source) => hits.push(Hit::new(
                source,
                None,
                Cause::NetworkError,
                Rank::Transient,
                found.range(),
            )),
            None => {}
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn causes(text: &str) -> Vec<(Source, Cause)> {
        recognise(text)
            .into_iter()
            .map(|h| (h.source, h.cause))
            .collect()
    }

    #[test]
    fn status_lines_are_transient() {
        assert_eq!(
            causes("HTTP/1.1 429 Too Many Requests\nRetry-After: 10"),
            [(Source::Graph, Cause::Throttled)]
        );
        assert_eq!(
            causes(
                "POST https://login.microsoftonline.com/x/oauth2/v2.0/token: 503 Service Unavailable"
            ),
            [(Source::Identity, Cause::ServiceUnavailable)]
        );
        assert!(causes("Timestamp: 2025-08-18 15:26:14Z 503").is_empty());
    }

    #[test]
    fn network_failures_need_a_host_and_587_is_smtp() {
        assert_eq!(
            causes(
                "error sending request for url (https://graph.microsoft.com/v1.0/users): error trying to connect: dns error: failed to lookup address information"
            ),
            [(Source::Graph, Cause::NetworkError)]
        );
        assert_eq!(
            causes("Connection refused (os error 111) connecting to smtp.office365.com:587"),
            [(Source::Smtp, Cause::SmtpUnreachable)]
        );
        assert!(causes("connection refused").is_empty());
    }
}

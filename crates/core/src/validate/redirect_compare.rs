//! Comparing a redirect URI with the one the product sends, part by part, on the raw text.
//!
//! The `url` crate normalises (lower-cases the host, adds a `/` path, drops a default port), which
//! would hide exactly the differences Microsoft's exact-match comparison trips over, so the
//! comparison splits the text itself. It says *what* differs (scheme, host or its case, port,
//! path or its case, trailing slash, query, spaces); whether the URI is well-formed at all is
//! `redirect`'s job.

use super::{Field, InputIssue};
use crate::cause::Cause;

/// One way a redirect URI differs from the expected one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectDifference {
    /// Spaces or line breaks around the URI.
    Spaces,
    /// Another scheme (`http` for `https`).
    Scheme {
        /// In the URI given.
        actual: String,
        /// In the expected URI.
        expected: String,
    },
    /// The same host in other letter case.
    HostCase {
        /// In the URI given.
        actual: String,
        /// In the expected URI.
        expected: String,
    },
    /// Another host.
    Host {
        /// In the URI given.
        actual: String,
        /// In the expected URI.
        expected: String,
    },
    /// Another port (ignored for loopback addresses, as Microsoft does).
    Port {
        /// In the URI given.
        actual: u16,
        /// In the expected URI.
        expected: u16,
    },
    /// The same path in other letter case (Microsoft compares paths case-sensitively).
    PathCase {
        /// In the URI given.
        actual: String,
        /// In the expected URI.
        expected: String,
    },
    /// Another path.
    Path {
        /// In the URI given.
        actual: String,
        /// In the expected URI.
        expected: String,
    },
    /// A trailing slash on one side only.
    TrailingSlash {
        /// Whether the URI given has it (and the expected one does not).
        actual_has: bool,
    },
    /// Another query string.
    Query {
        /// In the URI given (empty when none).
        actual: String,
        /// In the expected URI (empty when none).
        expected: String,
    },
    /// Not comparable part by part (one side is not an absolute URI).
    Other,
}

impl RedirectDifference {
    /// The difference in plain words.
    pub fn describe(&self) -> String {
        match self {
            RedirectDifference::Spaces => "it has spaces or line breaks around it".into(),
            RedirectDifference::Scheme { actual, expected } => {
                format!("it starts with {actual}:// instead of {expected}://")
            }
            RedirectDifference::HostCase { actual, expected } => {
                format!("the host '{actual}' differs in letter case from '{expected}'")
            }
            RedirectDifference::Host { actual, expected } => {
                format!("the host is '{actual}' instead of '{expected}'")
            }
            RedirectDifference::Port { actual, expected } => {
                format!("the port is {actual} instead of {expected}")
            }
            RedirectDifference::PathCase { actual, expected } => format!(
                "the path '{actual}' differs in letter case from '{expected}' (Microsoft compares paths case-sensitively)"
            ),
            RedirectDifference::Path { actual, expected } => {
                format!("the path is '{actual}' instead of '{expected}'")
            }
            RedirectDifference::TrailingSlash { actual_has: true } => {
                "it ends with a slash the product does not send".into()
            }
            RedirectDifference::TrailingSlash { actual_has: false } => {
                "it lacks the trailing slash the product sends".into()
            }
            RedirectDifference::Query { actual, expected } => {
                format!("the query string is '{actual}' instead of '{expected}'")
            }
            RedirectDifference::Other => "it is not the same address".into(),
        }
    }
}

/// A URI split on its raw text, nothing normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RawUri<'a> {
    pub scheme: &'a str,
    pub host: &'a str,
    pub port: Option<u16>,
    pub path: &'a str,
    pub query: Option<&'a str>,
}

impl RawUri<'_> {
    fn effective_port(&self) -> Option<u16> {
        self.port
            .or(match self.scheme.to_ascii_lowercase().as_str() {
                "https" => Some(443),
                "http" => Some(80),
                _ => None,
            })
    }

    fn is_loopback(&self) -> bool {
        let host = self.host.to_ascii_lowercase();
        host == "localhost" || host.starts_with("127.") || host == "[::1]"
    }

    /// The path without one trailing slash (`/` and empty both become empty).
    fn bare_path(&self) -> &str {
        self.path.strip_suffix('/').unwrap_or(self.path)
    }

    /// Whether the path has a trailing slash beyond the root.
    pub(super) fn has_trailing_slash(&self) -> bool {
        self.path.len() > 1 && self.path.ends_with('/')
    }
}

/// Split `text` (already trimmed) into its parts, or `None` without `scheme://`.
pub(super) fn split_raw(text: &str) -> Option<RawUri<'_>> {
    let (scheme, rest) = text.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or_default();
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(authority_end);
    let (path, query) = match after.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (after, None),
    };
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = if host_port.starts_with('[') {
        match host_port.split_once(']') {
            Some((v6, tail)) => (
                &host_port[..v6.len() + 1],
                tail.strip_prefix(':').and_then(|p| p.parse().ok()),
            ),
            None => (host_port, None),
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => {
                (host, port.parse().ok())
            }
            _ => (host_port, None),
        }
    };
    Some(RawUri {
        scheme,
        host,
        port,
        path,
        query,
    })
}

/// What differs between `actual` and `expected`, in order scheme → host → port → path → slash →
/// query; empty when they are the same character for character.
pub fn redirect_differences(actual: &str, expected: &str) -> Vec<RedirectDifference> {
    let mut differences = Vec::new();
    if actual != actual.trim() {
        differences.push(RedirectDifference::Spaces);
    }
    let (actual_text, expected_text) = (actual.trim(), expected.trim());
    if actual_text == expected_text {
        return differences;
    }
    let (Some(a), Some(e)) = (split_raw(actual_text), split_raw(expected_text)) else {
        differences.push(RedirectDifference::Other);
        return differences;
    };
    if !a.scheme.eq_ignore_ascii_case(e.scheme) {
        differences.push(RedirectDifference::Scheme {
            actual: a.scheme.to_ascii_lowercase(),
            expected: e.scheme.to_ascii_lowercase(),
        });
    }
    if a.host != e.host {
        let (actual, expected) = (a.host.to_string(), e.host.to_string());
        differences.push(if a.host.eq_ignore_ascii_case(e.host) {
            RedirectDifference::HostCase { actual, expected }
        } else {
            RedirectDifference::Host { actual, expected }
        });
    }
    if !(a.is_loopback() && e.is_loopback())
        && let (Some(actual), Some(expected)) = (a.effective_port(), e.effective_port())
        && actual != expected
    {
        differences.push(RedirectDifference::Port { actual, expected });
    }
    let (a_path, e_path) = (a.bare_path(), e.bare_path());
    if a_path != e_path {
        let (actual, expected) = (display_path(a_path), display_path(e_path));
        differences.push(if a_path.eq_ignore_ascii_case(e_path) {
            RedirectDifference::PathCase { actual, expected }
        } else {
            RedirectDifference::Path { actual, expected }
        });
    }
    if a.has_trailing_slash() != e.has_trailing_slash() {
        differences.push(RedirectDifference::TrailingSlash {
            actual_has: a.has_trailing_slash(),
        });
    }
    if a.query != e.query {
        differences.push(RedirectDifference::Query {
            actual: a.query.unwrap_or_default().to_string(),
            expected: e.query.unwrap_or_default().to_string(),
        });
    }
    if differences.is_empty() && !(a.is_loopback() && e.is_loopback()) {
        // Same parts, different text (e.g. an explicit default port): still not an exact match.
        // On loopback only the port can differ here, and Microsoft ignores it there.
        differences.push(RedirectDifference::Other);
    }
    differences
}

fn display_path(path: &str) -> String {
    if path.is_empty() {
        "/".into()
    } else {
        path.to_string()
    }
}

/// `redirect_uri_mismatch` when `actual` is not exactly `expected`, saying what differs.
pub fn compare_redirect_uri(actual: &str, expected: &str) -> Option<InputIssue> {
    let differences = redirect_differences(actual, expected);
    if differences.is_empty() {
        return None;
    }
    let listed: Vec<String> = differences
        .iter()
        .map(RedirectDifference::describe)
        .collect();
    Some(InputIssue::error(
        Field::RedirectUri,
        Cause::RedirectUriMismatch,
        format!(
            "This is not exactly the redirect URI the product sends ({}): {}. Microsoft accepts only an exact, character-for-character match.",
            expected.trim(),
            listed.join("; ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPECTED: &str = "https://intranet.acmecorp.net/oauth2/outlook/callback";

    #[test]
    fn the_same_uri_has_no_difference() {
        assert!(redirect_differences(EXPECTED, EXPECTED).is_empty());
        assert_eq!(compare_redirect_uri(EXPECTED, EXPECTED), None);
    }

    #[test]
    fn each_kind_of_difference_is_named() {
        use RedirectDifference as D;
        let cases: Vec<(&str, Vec<D>)> = vec![
            (
                "http://intranet.acmecorp.net/oauth2/outlook/callback",
                vec![
                    D::Scheme {
                        actual: "http".into(),
                        expected: "https".into(),
                    },
                    D::Port {
                        actual: 80,
                        expected: 443,
                    },
                ],
            ),
            (
                "https://Intranet.AcmeCorp.net/oauth2/outlook/callback",
                vec![D::HostCase {
                    actual: "Intranet.AcmeCorp.net".into(),
                    expected: "intranet.acmecorp.net".into(),
                }],
            ),
            (
                "https://www.acmecorp.net/oauth2/outlook/callback",
                vec![D::Host {
                    actual: "www.acmecorp.net".into(),
                    expected: "intranet.acmecorp.net".into(),
                }],
            ),
            (
                "https://intranet.acmecorp.net:8443/oauth2/outlook/callback",
                vec![D::Port {
                    actual: 8443,
                    expected: 443,
                }],
            ),
            (
                "https://intranet.acmecorp.net/OAuth2/Outlook/Callback",
                vec![D::PathCase {
                    actual: "/OAuth2/Outlook/Callback".into(),
                    expected: "/oauth2/outlook/callback".into(),
                }],
            ),
            (
                "https://intranet.acmecorp.net/oauth2/sharepoint/callback",
                vec![D::Path {
                    actual: "/oauth2/sharepoint/callback".into(),
                    expected: "/oauth2/outlook/callback".into(),
                }],
            ),
            (
                "https://intranet.acmecorp.net/oauth2/outlook/callback/",
                vec![D::TrailingSlash { actual_has: true }],
            ),
            (
                "https://intranet.acmecorp.net/oauth2/outlook/callback?x=1",
                vec![D::Query {
                    actual: "x=1".into(),
                    expected: String::new(),
                }],
            ),
            (
                " https://intranet.acmecorp.net/oauth2/outlook/callback\n",
                vec![D::Spaces],
            ),
            (
                "https://intranet.acmecorp.net:443/oauth2/outlook/callback",
                vec![D::Other],
            ),
            (
                "intranet.acmecorp.net/oauth2/outlook/callback",
                vec![D::Other],
            ),
        ];
        for (actual, expected) in cases {
            assert_eq!(redirect_differences(actual, EXPECTED), expected, "{actual}");
        }
    }

    #[test]
    fn loopback_ports_are_ignored_as_microsoft_does() {
        assert!(
            redirect_differences(
                "http://localhost:53117/callback",
                "http://localhost/callback"
            )
            .is_empty()
        );
        assert!(
            !redirect_differences("http://localhost:53117/other", "http://localhost/callback")
                .is_empty()
        );
    }

    #[test]
    fn the_mismatch_says_what_differs() {
        let issue = compare_redirect_uri(
            "https://Intranet.acmecorp.net/OAuth2/outlook/callback/",
            EXPECTED,
        )
        .expect("mismatch");
        assert_eq!(issue.cause, Cause::RedirectUriMismatch);
        for part in [
            "letter case",
            "'/OAuth2/outlook/callback'",
            "ends with a slash",
            EXPECTED,
        ] {
            assert!(issue.message.contains(part), "{part}: {}", issue.message);
        }
    }
}

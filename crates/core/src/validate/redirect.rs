//! The redirect URI rules of the vendor guides and of Entra's Web platform: HTTPS (plain
//! `http://` only for `localhost` and `127.0.0.1`), no spaces anywhere, no trailing slash, no
//! fragment, no wildcard, no query string when personal accounts are allowed, at most 256
//! characters, and no placeholder host left in.
//!
//! The rules look at the raw text as well as at the parsed URL, because `url` normalises away
//! what Microsoft's exact match trips over. Comparing with the URI the product computes is
//! `redirect_compare`'s job.

use serde::{Deserialize, Serialize};
use url::{Host, Url};

use super::placeholder::{Placeholder, find_placeholder};
use super::redirect_compare::split_raw;
use super::{Field, InputIssue, first_error};
use crate::cause::Cause;
use crate::profile::AccountType;

/// Microsoft's limit on the length of one redirect URI.
const MAX_LENGTH: usize = 256;

/// What the redirect rules depend on besides the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RedirectRules {
    /// The registration accepts personal Microsoft accounts (query strings are refused then).
    pub personal_accounts: bool,
}

impl RedirectRules {
    /// The rules for a registration that accepts these account types.
    pub fn for_account_types(types: &[AccountType]) -> Self {
        RedirectRules {
            personal_accounts: types.iter().any(|t| {
                matches!(
                    t,
                    AccountType::MultiTenantAndPersonal | AccountType::PersonalOnly
                )
            }),
        }
    }
}

/// The parsed redirect URI, or the first rule it breaks.
pub fn redirect_uri(input: &str, rules: &RedirectRules) -> Result<Url, InputIssue> {
    first_error(redirect_uri_issues(input, rules))?;
    Url::parse(input.trim())
        .map_err(|e| invalid(format!("'{}' is not a web address: {e}.", input.trim())))
}

fn invalid(message: impl Into<String>) -> InputIssue {
    InputIssue::error(Field::RedirectUri, Cause::RedirectUriInvalid, message)
}

/// Every rule the redirect URI breaks, errors and warnings.
pub fn redirect_uri_issues(input: &str, rules: &RedirectRules) -> Vec<InputIssue> {
    let text = input.trim();
    if text.is_empty() {
        return vec![invalid(
            "The redirect URI is empty. It is the product's address followed by its callback path, e.g. https://intranet.acmecorp.net/oauth2/outlook/callback.",
        )];
    }
    let mut issues = Vec::new();
    if text.len() != input.len() {
        issues.push(invalid(
            "The redirect URI has spaces or line breaks before or after it. Remove them: Microsoft compares the URI character for character.",
        ));
    }
    if text.contains(char::is_whitespace) {
        issues.push(invalid(
            "The redirect URI contains a space. Remove it (a space is never part of the address the product sends).",
        ));
    }
    match find_placeholder(text) {
        Some(Placeholder::Template(found)) => {
            issues.push(invalid(format!(
                "'{found}' is a placeholder from the guide. Replace it with your product's own address (as users open it)."
            )));
            return issues;
        }
        Some(Placeholder::DocumentationDomain(found)) => issues.push(InputIssue::warning(
            Field::RedirectUri,
            Cause::PlaceholderNotReplaced,
            format!(
                "'{found}' is the example domain from Microsoft's and the vendors' guides. Unless your product really lives there, use its own address."
            ),
        )),
        None => {}
    }
    if text.chars().count() > MAX_LENGTH {
        issues.push(invalid(format!(
            "The redirect URI is {} characters long; Microsoft accepts at most {MAX_LENGTH}.",
            text.chars().count()
        )));
    }
    if text.contains('*') {
        issues.push(invalid(
            "The redirect URI contains a wildcard (*). Register the exact address the product sends instead.",
        ));
    }
    let url = match Url::parse(text) {
        Ok(url) => url,
        Err(_) => {
            issues.push(invalid(format!(
                "'{text}' is not a complete web address. It must start with https:// followed by the product's host name."
            )));
            return issues;
        }
    };
    issues.extend(scheme_and_host_issues(&url));
    if !url.username().is_empty() || url.password().is_some() {
        issues.push(invalid(
            "The redirect URI contains a user name or password before the host. Remove it.",
        ));
    }
    if text.contains('#') {
        issues.push(invalid(
            "The redirect URI contains a fragment (#…), which Microsoft does not allow. Remove the # and everything after it.",
        ));
    }
    if rules.personal_accounts && url.query().is_some() {
        issues.push(invalid(
            "The redirect URI has a query string (?…), which Microsoft refuses when the app accepts personal Microsoft accounts. Remove it, or limit the app to work and school accounts.",
        ));
    }
    if split_raw(text).is_some_and(|raw| raw.has_trailing_slash()) {
        issues.push(invalid(
            "The redirect URI ends with a slash. Remove it: the product sends the address without one, and Microsoft compares them exactly.",
        ));
    }
    issues
}

fn scheme_and_host_issues(url: &Url) -> Vec<InputIssue> {
    let loopback = match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => {
            return vec![invalid(if ip.is_loopback() {
                "Microsoft does not support [::1] in redirect URIs. Use http://localhost instead."
            } else {
                "Use the product's host name rather than an IPv6 address."
            })];
        }
        None => {
            return vec![invalid(
                "The redirect URI has no host. It must look like https://your product's host/path.",
            )];
        }
    };
    match url.scheme() {
        "https" => Vec::new(),
        "http" if loopback => Vec::new(),
        "http" => vec![invalid(
            "The redirect URI must start with https://. Plain http:// is accepted only for localhost and 127.0.0.1.",
        )],
        other => vec![invalid(format!(
            "The redirect URI starts with {other}://; a Web redirect URI must start with https://."
        ))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::placeholder::tests::VENDOR_REDIRECT_PLACEHOLDERS;

    const WORK_ONLY: RedirectRules = RedirectRules {
        personal_accounts: false,
    };
    const WITH_PERSONAL: RedirectRules = RedirectRules {
        personal_accounts: true,
    };

    fn causes(input: &str, rules: &RedirectRules) -> Vec<(Cause, bool)> {
        redirect_uri_issues(input, rules)
            .into_iter()
            .map(|i| (i.cause, i.is_error()))
            .collect()
    }

    #[test]
    fn the_seeds_redirect_uris_are_accepted_once_filled_in() {
        for input in [
            "https://intranet.acmecorp.net/oauth2/outlook/callback",
            "https://intranet.acmecorp.net/oauth2/sharepoint/callback",
            "https://acme.odoo.com/microsoft_account/authentication",
            "https://hr.acmecorp.net:8443/axero/oauth2/outlook/callback",
            "http://localhost/callback",
            "http://localhost:53117",
            "http://127.0.0.1:8400/auth",
            "https://intranet.acmecorp.net/",
        ] {
            let url = redirect_uri(input, &WORK_ONLY).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert!(url.has_host());
        }
    }

    #[test]
    fn each_rule_is_a_redirect_uri_invalid_error() {
        for (input, needle) in [
            (
                "http://intranet.acmecorp.net/oauth2/outlook/callback",
                "https://",
            ),
            ("ftp://intranet.acmecorp.net/callback", "ftp://"),
            (
                "https://intranet.acmecorp.net/oauth2/outlook/callback/",
                "slash",
            ),
            (
                "https://intranet.acmecorp.net/oauth2/outlook/callback ",
                "before or after",
            ),
            (
                " https://intranet.acmecorp.net/oauth2/outlook/callback",
                "before or after",
            ),
            (
                "https://intranet.acmecorp.net/oauth2/outlook /callback",
                "contains a space",
            ),
            (
                "https://intranet.acmecorp.net/oauth2/outlook/callback#top",
                "fragment",
            ),
            ("https://*.acmecorp.net/oauth2/outlook/callback", "wildcard"),
            ("http://[::1]:8400/callback", "[::1]"),
            (
                "intranet.acmecorp.net/oauth2/outlook/callback",
                "complete web address",
            ),
            (
                "https://admin:pw@intranet.acmecorp.net/callback",
                "user name",
            ),
            ("", "empty"),
        ]
        .into_iter()
        .chain(VENDOR_REDIRECT_PLACEHOLDERS)
        {
            let issue = redirect_uri(input, &WORK_ONLY).expect_err(input);
            assert_eq!(issue.cause, Cause::RedirectUriInvalid, "{input}");
            assert_eq!(issue.field, Field::RedirectUri);
            let all: Vec<String> = redirect_uri_issues(input, &WORK_ONLY)
                .into_iter()
                .map(|i| i.message)
                .collect();
            assert!(all.iter().any(|m| m.contains(needle)), "{input}: {all:?}");
        }
        let long = format!("https://intranet.acmecorp.net/{}", "a".repeat(240));
        assert!(
            redirect_uri(&long, &WORK_ONLY)
                .expect_err("long")
                .message
                .contains("256")
        );
    }

    #[test]
    fn a_query_string_is_refused_only_with_personal_accounts() {
        let input = "https://intranet.acmecorp.net/callback?provider=outlook";
        assert!(redirect_uri(input, &WORK_ONLY).is_ok());
        let issue = redirect_uri(input, &WITH_PERSONAL).expect_err("query");
        assert!(issue.message.contains("query string"));
        assert_eq!(
            RedirectRules::for_account_types(&[AccountType::MultiTenantAndPersonal]),
            WITH_PERSONAL
        );
        assert_eq!(
            RedirectRules::for_account_types(&[
                AccountType::SingleTenant,
                AccountType::MultiTenant
            ]),
            WORK_ONLY
        );
    }

    #[test]
    fn several_broken_rules_are_all_reported() {
        assert_eq!(
            causes(
                "http://intranet.acmecorp.net/oauth2/outlook/callback/ ",
                &WORK_ONLY
            ),
            [
                (Cause::RedirectUriInvalid, true),
                (Cause::RedirectUriInvalid, true),
                (Cause::RedirectUriInvalid, true),
            ]
        );
    }

    #[test]
    fn a_documentation_domain_is_only_a_warning() {
        let input = "https://intranet.contoso.com/oauth2/outlook/callback";
        assert!(redirect_uri(input, &WORK_ONLY).is_ok());
        assert_eq!(
            causes(input, &WORK_ONLY),
            [(Cause::PlaceholderNotReplaced, false)]
        );
    }
}

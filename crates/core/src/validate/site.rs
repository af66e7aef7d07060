//! The product's site URL: the address users open the product at, from which the profile computes
//! the redirect URI (`Profile::redirect_uri_for`).
//!
//! It must be `https://` and a host (plain `http://` only on loopback), may carry a port and a base
//! path where the product lives under one, and must not carry page or sign-in paths, a query or a
//! fragment: those would end up inside the redirect URI. A trailing slash is harmless here (the
//! profile trims it). What the redirect URI then looks like is checked by `redirect`.

use url::{Host, Url};

use super::placeholder::{Placeholder, find_placeholder};
use super::{Field, InputIssue, first_error};
use crate::cause::Cause;

/// Path segments that belong to a page or a sign-in flow, not to a site's base address.
const NOT_A_BASE_PATH: &[&str] = &[
    "oauth2",
    "callback",
    "microsoft_account",
    "authentication",
    "login",
    "signin",
    "signin-oidc",
    "controlpanel",
];

/// The parsed site URL, or the first reason it cannot be one.
pub fn site_url(input: &str) -> Result<Url, InputIssue> {
    first_error(site_url_issues(input))?;
    Url::parse(input.trim()).map_err(|e| invalid(format!("not a web address: {e}")))
}

fn invalid(message: impl Into<String>) -> InputIssue {
    InputIssue::error(Field::SiteUrl, Cause::RedirectUriInvalid, message)
}

/// Every problem with a site URL.
pub fn site_url_issues(input: &str) -> Vec<InputIssue> {
    let text = input.trim();
    if text.is_empty() {
        return vec![invalid(
            "The site address is empty. Enter the address users open the product at, e.g. https://intranet.acmecorp.net.",
        )];
    }
    let mut issues = Vec::new();
    match find_placeholder(text) {
        Some(Placeholder::Template(found)) => {
            return vec![InputIssue::error(
                Field::SiteUrl,
                Cause::PlaceholderNotReplaced,
                format!(
                    "'{found}' is a placeholder from the guide. Replace it with the address users open the product at."
                ),
            )];
        }
        Some(Placeholder::DocumentationDomain(found)) => issues.push(InputIssue::warning(
            Field::SiteUrl,
            Cause::PlaceholderNotReplaced,
            format!(
                "'{found}' is the example domain from the guides. Unless your product really lives there, enter its own address."
            ),
        )),
        None => {}
    }
    if text.contains(char::is_whitespace) {
        issues.push(invalid("The site address contains a space. Remove it."));
    }
    let Ok(url) = Url::parse(text) else {
        issues.push(invalid(format!(
            "'{text}' is not a complete address. Start it with https://, e.g. https://{}.",
            text.trim_start_matches("//")
        )));
        return issues;
    };
    let loopback = match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => {
            issues.push(invalid(
                "The site address has no host name. Enter it as https://host.",
            ));
            return issues;
        }
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        other => issues.push(invalid(format!(
            "The site address starts with {other}://; Microsoft requires https:// for the redirect URI computed from it."
        ))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        issues.push(invalid(
            "The site address contains a user name or password. Remove it.",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        issues.push(invalid(
            "The site address has a ? or # part. Enter only the address (scheme, host and, if the product has one, its base path).",
        ));
    }
    if let Some(segment) = url
        .path_segments()
        .into_iter()
        .flatten()
        .find(|s| is_page_segment(s))
    {
        issues.push(invalid(format!(
            "The site address contains '{segment}', which belongs to a page or the sign-in callback, not to the site's address. Enter only the part users start from, e.g. {}://{}.",
            url.scheme(),
            url.host_str().unwrap_or_default()
        )));
    }
    issues
}

fn is_page_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    NOT_A_BASE_PATH.contains(&lower.as_str())
        || [".aspx", ".html", ".htm", ".php", ".jsp"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_addresses_with_and_without_a_base_path_are_accepted() {
        for input in [
            "https://intranet.acmecorp.net",
            "https://intranet.acmecorp.net/",
            "https://acme.odoo.com",
            "https://hr.acmecorp.net:8443/axero",
            " https://intranet.acmecorp.net ",
            "http://localhost:8069",
        ] {
            let url = site_url(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert!(url.has_host());
        }
    }

    #[test]
    fn the_redirect_computed_from_a_clean_site_is_clean() {
        use crate::profile::Catalog;
        use crate::validate::{RedirectRules, compare_redirect_uri, redirect_uri};
        let catalog = Catalog::shipped();
        let axero = catalog.get("axero-outlook-calendar").expect("axero");
        let site = "https://intranet.acmecorp.net/";
        site_url(site).expect("site");
        let computed = axero.redirect_uri_for(site).expect("redirect");
        redirect_uri(&computed, &RedirectRules::default()).expect("computed redirect is valid");
        assert_eq!(compare_redirect_uri(&computed, &computed), None);
    }

    #[test]
    fn bad_site_addresses_say_why() {
        for (input, cause, needle) in [
            (
                "intranet.acmecorp.net",
                Cause::RedirectUriInvalid,
                "https://intranet.acmecorp.net",
            ),
            (
                "http://intranet.acmecorp.net",
                Cause::RedirectUriInvalid,
                "https://",
            ),
            (
                "https://intranet.acmecorp.net/oauth2/outlook/callback",
                Cause::RedirectUriInvalid,
                "'oauth2'",
            ),
            (
                "https://intranet.acmecorp.net/default.aspx",
                Cause::RedirectUriInvalid,
                "default.aspx",
            ),
            (
                "https://acme.odoo.com/web#action=calendar",
                Cause::RedirectUriInvalid,
                "? or #",
            ),
            (
                "https://intranet.acme corp.net",
                Cause::RedirectUriInvalid,
                "space",
            ),
            (
                "https://your-site.com",
                Cause::PlaceholderNotReplaced,
                "your-site.com",
            ),
            (
                "https://YOUR_AXERO_URL",
                Cause::PlaceholderNotReplaced,
                "YOUR_AXERO_URL",
            ),
            (
                "https://yourdbname.odoo.com",
                Cause::PlaceholderNotReplaced,
                "yourdbname",
            ),
            ("", Cause::RedirectUriInvalid, "empty"),
        ] {
            let issue = site_url(input).expect_err(input);
            assert_eq!(issue.cause, cause, "{input}");
            assert_eq!(issue.field, Field::SiteUrl);
            let all: Vec<String> = site_url_issues(input)
                .into_iter()
                .map(|i| i.message)
                .collect();
            assert!(all.iter().any(|m| m.contains(needle)), "{input}: {all:?}");
        }
    }

    #[test]
    fn a_documentation_domain_is_a_warning() {
        assert!(site_url("https://intranet.contoso.com").is_ok());
        let issues = site_url_issues("https://intranet.contoso.com");
        assert_eq!(issues.len(), 1);
        assert!(!issues[0].is_error());
    }
}

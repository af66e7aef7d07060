//! The tenant as the admin types it: a Directory (tenant) ID, a domain (`contoso.onmicrosoft.com`,
//! a verified custom domain) or one of the identity platform's shared names (`common`,
//! `organizations`, `consumers`).
//!
//! This module only classifies. Whether the shared names are acceptable depends on the step
//! (admin consent refuses `common`, a single-tenant app refuses all three): callers decide with
//! [`TenantInput::names_one_tenant`]. Whether the tenant exists is a live check.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;
use uuid::Uuid;

use super::placeholder::{Placeholder, find_placeholder};
use super::{Field, InputIssue, first_error, is_guid};
use crate::cause::Cause;

/// The identity platform's shared tenant names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum TenantAlias {
    /// Work, school and personal accounts.
    Common,
    /// Work and school accounts of any tenant.
    Organizations,
    /// Personal Microsoft accounts only.
    Consumers,
}

impl TenantAlias {
    /// The name as it appears in the URL path.
    pub fn as_str(self) -> &'static str {
        match self {
            TenantAlias::Common => "common",
            TenantAlias::Organizations => "organizations",
            TenantAlias::Consumers => "consumers",
        }
    }
}

/// What a tenant input is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantInput {
    /// A Directory (tenant) ID.
    Id(Uuid),
    /// A domain name (lower-cased), resolved to the tenant ID by discovery.
    Domain(String),
    /// A shared name that stands for no single tenant.
    Alias(TenantAlias),
}

impl TenantInput {
    /// Whether the input names one tenant (a single-tenant check needs that).
    pub fn names_one_tenant(&self) -> bool {
        !matches!(self, TenantInput::Alias(_))
    }

    /// The value to put in the URL path.
    pub fn path_segment(&self) -> String {
        match self {
            TenantInput::Id(id) => id.to_string(),
            TenantInput::Domain(domain) => domain.clone(),
            TenantInput::Alias(alias) => alias.as_str().to_string(),
        }
    }
}

static DNS_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$").expect("dns label pattern")
});

/// Whether `text` is a fully qualified DNS name: two labels or more, each 1–63 letters, digits
/// or inner hyphens, 253 characters at most, and a top-level domain that is not all digits.
pub fn is_dns_name(text: &str) -> bool {
    let name = text.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() || name.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = name.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| DNS_LABEL.is_match(label))
        && labels
            .last()
            .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()))
}

/// The tenant, classified, or the first reason it is neither a GUID nor a domain.
pub fn tenant(input: &str) -> Result<TenantInput, InputIssue> {
    first_error(tenant_issues(input))?;
    classify(input.trim()).ok_or_else(|| {
        InputIssue::error(
            Field::Tenant,
            Cause::TenantIdMalformed,
            "neither a Directory (tenant) ID nor a domain name",
        )
    })
}

fn classify(text: &str) -> Option<TenantInput> {
    let lower = text.to_ascii_lowercase();
    match lower.as_str() {
        "common" => return Some(TenantInput::Alias(TenantAlias::Common)),
        "organizations" => return Some(TenantInput::Alias(TenantAlias::Organizations)),
        "consumers" => return Some(TenantInput::Alias(TenantAlias::Consumers)),
        _ => {}
    }
    if is_guid(text) {
        return Uuid::try_parse(text).ok().map(TenantInput::Id);
    }
    if is_dns_name(text) {
        return Some(TenantInput::Domain(lower.trim_end_matches('.').to_string()));
    }
    None
}

/// Every problem with a tenant input.
pub fn tenant_issues(input: &str) -> Vec<InputIssue> {
    let text = input.trim();
    if text.is_empty() {
        return vec![InputIssue::error(
            Field::Tenant,
            Cause::TenantIdMalformed,
            "The tenant is empty. Enter your Microsoft 365 domain (e.g. yourcompany.onmicrosoft.com) or the Directory (tenant) ID from the Entra admin center's Overview page.",
        )];
    }
    let mut issues = Vec::new();
    match find_placeholder(text) {
        Some(Placeholder::Template(found)) => {
            return vec![InputIssue::error(
                Field::Tenant,
                Cause::PlaceholderNotReplaced,
                format!(
                    "'{found}' is a placeholder from a guide. Replace it with your Directory (tenant) ID or your Microsoft 365 domain."
                ),
            )];
        }
        Some(Placeholder::DocumentationDomain(found)) => issues.push(InputIssue::warning(
            Field::Tenant,
            Cause::PlaceholderNotReplaced,
            format!(
                "'{found}' is the example domain Microsoft's documentation uses. Unless your tenant really has this name, enter your own domain or tenant ID."
            ),
        )),
        None => {}
    }
    if classify(text).is_some() {
        return issues;
    }
    let hint = if text.contains("://") || text.contains('/') {
        " Enter only the tenant, not a web address: e.g. the GUID that follows login.microsoftonline.com/ in a sign-in URL."
    } else if text.contains('@') {
        " That looks like an email address: use the part after the @ (the domain)."
    } else if !text.contains('.') && DNS_LABEL.is_match(&text.to_ascii_lowercase()) {
        " A domain needs its ending: for the initial domain, add .onmicrosoft.com."
    } else if text.contains(char::is_whitespace) {
        " It contains spaces, which neither form has."
    } else {
        ""
    };
    issues.insert(
        0,
        InputIssue::error(
            Field::Tenant,
            Cause::TenantIdMalformed,
            format!(
                "'{text}' is neither a Directory (tenant) ID (a GUID) nor a domain name.{hint}"
            ),
        ),
    );
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_domains_and_aliases_are_classified() {
        assert_eq!(
            tenant(" 72F988BF-86F1-41AF-91AB-2D7CD011DB47 ").expect("guid"),
            TenantInput::Id(Uuid::parse_str("72f988bf-86f1-41af-91ab-2d7cd011db47").expect("id"))
        );
        assert_eq!(
            tenant("NorthwindHR.onmicrosoft.com").expect("domain"),
            TenantInput::Domain("northwindhr.onmicrosoft.com".into())
        );
        assert_eq!(
            tenant("intranet.acmecorp.co.uk.").expect("fqdn with dot"),
            TenantInput::Domain("intranet.acmecorp.co.uk".into())
        );
        for (input, alias) in [
            ("common", TenantAlias::Common),
            ("Organizations", TenantAlias::Organizations),
            ("consumers", TenantAlias::Consumers),
        ] {
            let classified = tenant(input).expect(input);
            assert_eq!(classified, TenantInput::Alias(alias));
            assert!(!classified.names_one_tenant());
            assert_eq!(classified.path_segment(), alias.as_str());
        }
        assert!(tenant("acmecorp.net").expect("domain").names_one_tenant());
    }

    #[test]
    fn neither_guid_nor_domain_is_malformed_with_a_hint() {
        for (input, hint) in [
            ("acmecorp", ".onmicrosoft.com"),
            ("admin@acmecorp.net", "after the @"),
            (
                "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
                "not a web address",
            ),
            ("acme corp", "spaces"),
            ("-acme.net", ""),
            ("acme..net", ""),
            ("10.0.0.1", ""),
            ("72f988bf-86f1-41af-91ab-2d7cd011db4", ""),
        ] {
            let issue = tenant(input).expect_err(input);
            assert_eq!(issue.cause, Cause::TenantIdMalformed, "{input}");
            assert!(issue.message.contains(hint), "{input}: {}", issue.message);
        }
        assert_eq!(
            tenant("").expect_err("empty").cause,
            Cause::TenantIdMalformed
        );
    }

    #[test]
    fn placeholders_are_errors_and_documentation_domains_warnings() {
        for input in [
            "{tenant}",
            "<tenant-id>",
            "your_tenant_id",
            "Enter_the_Tenant_Info_Here",
            "00000000-0000-0000-0000-000000000000",
        ] {
            let issue = tenant(input).expect_err(input);
            assert_eq!(issue.cause, Cause::PlaceholderNotReplaced, "{input}");
        }
        assert!(tenant("contoso.onmicrosoft.com").is_ok());
        let issues = tenant_issues("contoso.onmicrosoft.com");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].cause, Cause::PlaceholderNotReplaced);
        assert!(!issues[0].is_error());
    }

    #[test]
    fn dns_names_follow_the_label_rules() {
        assert!(is_dns_name("a.io"));
        assert!(is_dns_name("xn--bcher-kva.example"));
        assert!(!is_dns_name("localhost"));
        assert!(!is_dns_name(&format!("{}.com", "a".repeat(64))));
        assert!(!is_dns_name("under_score.com"));
    }
}

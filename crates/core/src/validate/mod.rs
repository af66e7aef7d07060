//! Offline checks of what the admin types: client and tenant IDs, the client secret, the
//! product's site URL and the redirect URI computed from it.
//!
//! Every rule here needs nothing but the text (and, for the redirect URI, what the profile
//! computes): GUID shapes, "this is the secret ID, not its value", template placeholders left in,
//! the redirect URI rules of the vendor guides (HTTPS, exact path and case, no trailing slash or
//! spaces, the loopback exceptions). Each problem is an [`InputIssue`] naming the field, the cause
//! id and what is wrong in plain words; the CLI turns an error-level issue into exit status 64, the
//! GUI shows every issue as the admin types.
//!
//! This module deliberately does not ask Microsoft anything (whether the tenant exists, whether
//! the app has that redirect URI registered: that is the verification engine's job) and does not
//! read or store secrets beyond looking at the text it is given.

mod address;
mod display_name;
mod guid;
mod placeholder;
mod redirect;
mod redirect_compare;
mod secret;
mod site;
mod tenant;

pub use address::address_issues;
pub use display_name::{MAX_DISPLAY_NAME_CHARS, display_name_issues};
pub use guid::{canonical_id, client_id, client_id_issues, is_guid};
pub use placeholder::{Placeholder, find_placeholder};
pub use redirect::{RedirectRules, redirect_uri, redirect_uri_issues};
pub use redirect_compare::{RedirectDifference, compare_redirect_uri, redirect_differences};
pub use secret::{SecretShape, client_secret, client_secret_issues};
pub use site::{site_url, site_url_issues};
pub use tenant::{TenantAlias, TenantInput, is_dns_name, tenant, tenant_issues};

use serde::{Deserialize, Serialize};

use crate::cause::Cause;

/// The input a rule looked at.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Field {
    /// The Application (client) ID.
    ClientId,
    /// The tenant: a Directory (tenant) ID or a domain.
    Tenant,
    /// The client secret's value.
    ClientSecret,
    /// The product's address, from which the redirect URI is computed.
    SiteUrl,
    /// The redirect URI.
    RedirectUri,
    /// The mailbox the integration sends from or reads (a user principal name).
    Mailbox,
    /// The test email's recipient.
    TestRecipient,
    /// The display name of a new app registration.
    AppName,
}

/// How bad an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The value cannot work: the CLI refuses it (exit 64), the GUI blocks the step.
    Error,
    /// The value may be a mistake (a documentation example domain, an unusual secret shape): shown,
    /// never blocking.
    Warning,
}

/// One problem with one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[error("{field}: {message}")]
pub struct InputIssue {
    /// The input at fault.
    pub field: Field,
    /// Why, as a cause id (contracts/causes.md).
    pub cause: Cause,
    /// Whether it blocks.
    pub severity: Severity,
    /// What is wrong and what to do, in plain words.
    pub message: String,
}

impl InputIssue {
    pub(crate) fn error(field: Field, cause: Cause, message: impl Into<String>) -> Self {
        InputIssue {
            field,
            cause,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub(crate) fn warning(field: Field, cause: Cause, message: impl Into<String>) -> Self {
        InputIssue {
            field,
            cause,
            severity: Severity::Warning,
            message: message.into(),
        }
    }

    /// Whether the issue blocks.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// What some rules need besides the text: whether personal accounts are allowed (no query
/// string in a redirect URI then) and the redirect URI the profile computes from the site URL.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldContext {
    /// The registration accepts personal Microsoft accounts.
    #[serde(default)]
    pub personal_accounts: bool,
    /// The redirect URI the product will send (`Profile::redirect_uri_for`), when known.
    #[serde(default)]
    pub expected_redirect_uri: Option<String>,
    /// A rehearsal on the demo tenant, whose example organisation uses the documentation's own
    /// domains (contoso.com): there they are expected, not a guide's example left in.
    #[serde(default)]
    pub rehearsal: bool,
}

/// Every issue of one input, errors first: what the GUI shows as the admin types.
pub fn issues(field: Field, input: &str, context: &FieldContext) -> Vec<InputIssue> {
    let mut found = match field {
        Field::ClientId => client_id_issues(input),
        Field::Tenant => tenant_issues(input),
        Field::ClientSecret => client_secret_issues(input),
        Field::SiteUrl => site_url_issues(input),
        Field::Mailbox | Field::TestRecipient => address_issues(field, input),
        Field::AppName => display_name_issues(input),
        Field::RedirectUri => {
            let rules = RedirectRules {
                personal_accounts: context.personal_accounts,
            };
            let mut found = redirect_uri_issues(input, &rules);
            if let Some(expected) = &context.expected_redirect_uri
                && !found.iter().any(InputIssue::is_error)
                && let Some(mismatch) = compare_redirect_uri(input, expected)
            {
                found.push(mismatch);
            }
            found
        }
    };
    if context.rehearsal {
        found.retain(|issue| issue.is_error() || issue.cause != Cause::PlaceholderNotReplaced);
    }
    found.sort_by_key(|issue| issue.severity);
    found
}

/// The first error among `issues`, if any.
pub(crate) fn first_error(issues: Vec<InputIssue>) -> Result<(), InputIssue> {
    match issues.into_iter().find(InputIssue::is_error) {
        Some(issue) => Err(issue),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issues_come_errors_first_and_name_the_field() {
        let found = issues(
            Field::RedirectUri,
            "http://intranet.contoso.com/oauth2/outlook/callback/",
            &FieldContext::default(),
        );
        assert!(found.len() >= 3, "{found:?}");
        assert!(found[0].is_error());
        assert_eq!(found.last().map(|i| i.severity), Some(Severity::Warning));
        assert!(found.iter().all(|i| i.field == Field::RedirectUri));
    }

    #[test]
    fn a_rehearsal_takes_the_documentation_domains_as_its_own_but_not_mistakes() {
        let real = FieldContext::default();
        let rehearsal = FieldContext {
            rehearsal: true,
            ..FieldContext::default()
        };
        for (field, value) in [
            (Field::Tenant, "contoso.com"),
            (Field::SiteUrl, "https://intranet.contoso.com"),
        ] {
            assert!(
                issues(field, value, &real)
                    .iter()
                    .any(|i| i.cause == Cause::PlaceholderNotReplaced),
                "{value}"
            );
            assert!(issues(field, value, &rehearsal).is_empty(), "{value}");
        }
        // A guide's template left in is still an error in a rehearsal.
        assert!(
            issues(Field::Tenant, "{tenant-id}", &rehearsal)
                .iter()
                .any(InputIssue::is_error)
        );
    }

    #[test]
    fn a_mismatch_is_reported_only_for_a_well_formed_uri() {
        let context = FieldContext {
            personal_accounts: false,
            expected_redirect_uri: Some(
                "https://intranet.acmecorp.net/oauth2/outlook/callback".into(),
            ),
            rehearsal: false,
        };
        let found = issues(
            Field::RedirectUri,
            "https://intranet.acmecorp.net/OAuth2/outlook/callback",
            &context,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].cause, Cause::RedirectUriMismatch);
        let found = issues(
            Field::RedirectUri,
            "https://intranet.acmecorp.net/oauth2/outlook/callback ",
            &context,
        );
        assert!(
            found
                .iter()
                .all(|i| i.cause == Cause::RedirectUriInvalid || !i.is_error())
        );
    }

    #[test]
    fn issues_serialise_for_the_gui() {
        let issue = client_id("abc").expect_err("malformed");
        let json = serde_json::to_value(&issue).expect("json");
        assert_eq!(json["field"], "client_id");
        assert_eq!(json["cause"], "client_id_malformed");
        assert_eq!(json["severity"], "error");
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(issue.to_string().starts_with("client_id: "));
    }
}

//! What a repair refuses before it writes anything: every value it would send to Microsoft
//! passes the same offline rules as `verify`, and the tenant must name one organisation.
//!
//! `common`, `organizations` and `consumers` are sign-in audiences, not tenants: a registration
//! made "there" would land in whichever tenant the administrator happens to sign in to, so they
//! are refused before any request. A redirect URI with an error under the offline rules (not
//! HTTPS, a fragment, spaces or control characters, a scheme such as `javascript:`) is refused
//! before it reaches the registration, and so is a display name with a line break or another
//! control character, or one that is empty or too long.
//!
//! Not here: the rules themselves ([`crate::validate`]); how a front end words the refusal (the
//! CLI names its option and exits 64).

use crate::cause::Cause;
use crate::profile::{AccountType, Profile};
use crate::validate::{self, Field, FieldContext, InputIssue, TenantInput};

/// The first reason not to write `tenant`, `redirect_uri` and the display name `app_name` for
/// `profile`, if any.
pub fn refuse_before_writing(
    profile: Option<&Profile>,
    tenant: &str,
    redirect_uri: Option<&str>,
    app_name: Option<&str>,
) -> Result<(), InputIssue> {
    // The tenant's other rules are the front ends' and Microsoft's to tell (a rehearsal's example
    // tenant is written to on purpose); an audience is never a tenant to write to.
    if let Ok(TenantInput::Alias(alias)) = validate::tenant(tenant) {
        return Err(InputIssue::error(
            Field::Tenant,
            Cause::TenantIdMalformed,
            format!(
                "'{}' names every organisation, not yours: changes are made in one tenant. Enter your Microsoft 365 domain or the Directory (tenant) ID.",
                alias.as_str()
            ),
        ));
    }
    if let Some(uri) = redirect_uri {
        let personal_accounts = profile.is_some_and(|p| {
            matches!(
                p.registration.default_account_type,
                AccountType::MultiTenantAndPersonal | AccountType::PersonalOnly
            )
        });
        let context = FieldContext {
            personal_accounts,
            ..FieldContext::default()
        };
        if let Some(issue) = validate::issues(Field::RedirectUri, uri, &context)
            .into_iter()
            .find(InputIssue::is_error)
        {
            return Err(issue);
        }
    }
    if let Some(name) = app_name {
        validate::first_error(validate::display_name_issues(name))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_audiences_are_not_tenants_to_write_to() {
        for alias in ["common", "organizations", "Consumers"] {
            let issue = refuse_before_writing(None, alias, None, None).expect_err(alias);
            assert_eq!(issue.field, Field::Tenant);
            assert!(
                issue.message.contains("names every organisation"),
                "{}",
                issue.message
            );
        }
        assert!(refuse_before_writing(None, "contoso.com", None, None).is_ok());
        assert!(
            refuse_before_writing(None, "11111111-2222-3333-4444-555555555555", None, None).is_ok()
        );
    }

    #[test]
    fn a_redirect_uri_that_breaks_the_rules_is_never_written() {
        for bad in [
            "javascript:alert(1)",
            "https://intranet.contoso.com/cb\r\nX-Injected: 1",
            "http://intranet.contoso.com/cb",
            "https://intranet.contoso.com/cb#part",
        ] {
            let issue = refuse_before_writing(None, "contoso.com", Some(bad), None).expect_err(bad);
            assert_eq!(issue.field, Field::RedirectUri, "{bad}");
        }
        assert!(
            refuse_before_writing(
                None,
                "contoso.com",
                Some("https://intranet.contoso.com/oauth2/outlook/callback"),
                Some("Intranet calendar")
            )
            .is_ok()
        );
    }

    #[test]
    fn a_display_name_with_a_line_break_is_never_written() {
        let issue = refuse_before_writing(None, "contoso.com", None, Some("App\r\nX: 1"))
            .expect_err("a line break");
        assert_eq!(issue.field, Field::AppName);
    }
}

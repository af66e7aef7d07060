//! Microsoft's own messages recognised by their words, for the many texts pasted without a code:
//! a sign-in page's sentence, an SDK exception that kept the message and dropped the code, an
//! issue title, the consent screen ("Need admin approval"), an Exchange reply quoted in prose.
//!
//! Each entry is a fragment of a message Microsoft sends, written as a pattern that tolerates the
//! quoted values in it, with the cause its code would have named. These findings rank below any
//! code (a code read from the same text decides), and one inside an error already recognised by
//! its code is dropped by the caller. All patterns are read in one pass (a `RegexSet`); only the
//! ones that match are searched again for their place.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use super::Source;
use super::hit::{Hit, Rank};
use super::identity::OTHER_ACCOUNT;
use crate::cause::Cause;

/// Message fragments, the service that sends them and the cause they mean.
const MESSAGES: &[(Source, Cause, &str)] = &[
    // The identity platform (sign-in pages, token endpoint descriptions).
    (
        Source::Identity,
        Cause::SecretInvalid,
        r"invalid client secret (?:is )?provided",
    ),
    (
        Source::Identity,
        Cause::SecretExpired,
        r"client secret keys (?:for app '[^'\r\n]{0,200}' )?are expired",
    ),
    (
        Source::Identity,
        Cause::SecretMissing,
        r"must contain the following parameter: '(?:client_assertion|client_secret)",
    ),
    (
        Source::Identity,
        Cause::PublicClientSentSecret,
        r"client is public so neither 'client_assertion' nor 'client_secret'",
    ),
    (
        Source::Identity,
        Cause::ClientIdNotFound,
        r"application with identifier .{0,200}? was not found in the directory",
    ),
    (
        Source::Identity,
        Cause::AppDisabled,
        r"application '[^'\r\n]{0,200}'\s*(?:\([^)\r\n]{0,200}\))?\s*is disabled",
    ),
    (
        Source::Identity,
        Cause::TenantNotFound,
        r"tenant '[^'\r\n]{0,200}' not found",
    ),
    (
        Source::Identity,
        Cause::TenantIdMalformed,
        r"is neither a valid dns name, nor a valid external domain",
    ),
    (
        Source::Identity,
        Cause::SingleTenantAppOnCommon,
        r"is not configured as a multi-?tenant application",
    ),
    (
        Source::Identity,
        Cause::RedirectUriMismatch,
        r"redirect uri '[^'\r\n]{0,400}' specified in the request does not match|reply (?:url|address)e?s? specified in the request does not match|no reply address is registered",
    ),
    (
        Source::Identity,
        Cause::RedirectPlatformWrong,
        r"'(?:id_token|token)' is not enabled for the application",
    ),
    (
        Source::Identity,
        Cause::ScopeInvalid,
        r"the provided value for the input parameter 'scope' is not valid",
    ),
    (
        Source::Identity,
        Cause::ResourceNotFound,
        r"the resource principal named .{0,300}? was not found in the tenant",
    ),
    (
        Source::Identity,
        Cause::ConsentRequired,
        r"(?:has not|hasn't) consented to use the application",
    ),
    (
        Source::Identity,
        Cause::UserConsentBlocked,
        r"\bneeds? (?:admin|administrator) approval\b|\b(?:admin|administrator) approval required\b|needs permission to access resources in your organi[sz]ation that only an (?:admin|administrator) can grant",
    ),
    (
        Source::Identity,
        Cause::UserNotInTenant,
        r"does not exist in tenant .{0,200}? and cannot access the application",
    ),
    (
        Source::Identity,
        Cause::ConditionalAccessBlocked,
        r"blocked by conditional access",
    ),
    (
        Source::Identity,
        Cause::MfaRequired,
        r"(?:must|required to) use multi-factor authentication",
    ),
    (
        Source::Identity,
        Cause::TokenInvalid,
        r"refresh token has expired due to inactivity",
    ),
    // Microsoft Graph.
    (
        Source::Graph,
        Cause::SecretLifetimePolicy,
        r"credential lifetime exceeds the max value allowed",
    ),
    (
        Source::Graph,
        Cause::TokenInvalid,
        r"lifetime validation failed[,.]?\s+the token is expired|access token has expired or is not yet valid",
    ),
    (
        Source::Graph,
        Cause::TokenWrongAudience,
        r"\binvalid audience\b|audience claim value is invalid",
    ),
    (
        Source::Graph,
        Cause::MailboxUnavailable,
        r"rest api is not yet supported for this mailbox|mailbox is either inactive, soft-deleted, or is hosted on-premise",
    ),
    (
        Source::Graph,
        Cause::MailboxAccessPolicyDenied,
        r"access to odata is disabled|appOnly accessPolicy",
    ),
    (
        Source::Graph,
        Cause::PermissionMissing,
        r"access is denied\. check credentials and try again|insufficient privileges to complete the operation",
    ),
    (
        Source::Graph,
        Cause::ObjectNotFound,
        r"the specified object was not found in the store|the requested user '[^'\r\n]{0,200}' is invalid|resource (?:'[^'\r\n]{0,200}' )?does not exist or one of its queried reference-property objects are not present",
    ),
    // Exchange Online's SMTP replies quoted without their status.
    (
        Source::Smtp,
        Cause::SmtpAuthDisabledTenant,
        r"smtpclientauthentication is disabled for the tenant",
    ),
    (
        Source::Smtp,
        Cause::SmtpAuthDisabledMailbox,
        r"smtpclientauthentication is disabled for the mailbox",
    ),
    (
        Source::Smtp,
        Cause::SmtpUnreachable,
        r"must issue a starttls command first|starttls is required to send mail",
    ),
    (
        Source::Smtp,
        Cause::SmtpAuthFailed,
        r"client not authenticated to send mail",
    ),
];

static SET: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(
        MESSAGES
            .iter()
            .map(|(_, _, pattern)| format!("(?i){pattern}")),
    )
    .expect("message patterns")
});

static EACH: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    MESSAGES
        .iter()
        .map(|(_, _, pattern)| Regex::new(&format!("(?i){pattern}")).expect("message pattern"))
        .collect()
});

/// Every known message in `text`, and words saying the sign-in used another of the user's
/// accounts.
pub(super) fn recognise(text: &str) -> Vec<Hit> {
    let other_account = OTHER_ACCOUNT.find(text);
    let mut hits: Vec<Hit> = SET
        .matches(text)
        .into_iter()
        .filter_map(|index| {
            let (source, cause, _) = MESSAGES[index];
            let found = EACH[index].find(text)?;
            let cause = match cause {
                Cause::UserNotInTenant if other_account.is_some() => {
                    Cause::MultipleAccountsSignedIn
                }
                cause => cause,
            };
            Some(Hit::new(source, None, cause, Rank::Worded, found.range()))
        })
        .collect();
    if let Some(found) = other_account {
        hits.push(Hit::new(
            Source::Identity,
            None,
            Cause::MultipleAccountsSignedIn,
            Rank::Worded,
            found.range(),
        ));
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn causes(text: &str) -> Vec<Cause> {
        recognise(text).into_iter().map(|h| h.cause).collect()
    }

    #[test]
    fn every_pattern_compiles_and_matches_its_own_message() {
        assert_eq!(SET.len(), MESSAGES.len());
        for (text, cause) in [
            (
                "Lifetime validation failed, the token is expired.",
                Cause::TokenInvalid,
            ),
            (
                "The redirect URI 'https://intranet.acmecorp.net/x' specified in the request does not match the redirect URIs configured for the application '-----'.",
                Cause::RedirectUriMismatch,
            ),
            (
                "The provided value for the input parameter 'scope' is not valid. The scope 'File.Read' does not exist.",
                Cause::ScopeInvalid,
            ),
            (
                "Need admin approval. Acme Sync needs permission to access resources in your organization that only an admin can grant.",
                Cause::UserConsentBlocked,
            ),
            (
                "Error: Failed to setup access: Credential lifetime exceeds the max value allowed as per assigned policy <policy ID>",
                Cause::SecretLifetimePolicy,
            ),
            (
                "Error Message: The specified object was not found in the store.",
                Cause::ObjectNotFound,
            ),
        ] {
            assert!(causes(text).contains(&cause), "{text}");
        }
    }

    #[test]
    fn another_account_turns_not_in_tenant_into_several_accounts() {
        let text = "Users who have multiple Microsoft accounts see: User account 'a@b.example' from identity provider 'live.com' does not exist in tenant 'Acme' and cannot access the application 'x'.";
        let found = causes(text);
        assert!(
            found.contains(&Cause::MultipleAccountsSignedIn),
            "{found:?}"
        );
        assert!(!found.contains(&Cause::UserNotInTenant), "{found:?}");
        assert!(causes("Everything works.").is_empty());
    }
}

//! The client secret's value, judged by its shape only: "this is the Secret ID, not its value",
//! empty, a placeholder, or something that does not look like what Entra generates.
//!
//! Entra's secret values are 40 characters from `A–Z a–z 0–9 ~ . _ -`, and since 2021 the fourth
//! to sixth characters are a digit, `Q` and `~` (`abc8Q~…`). Older secrets were 32–44 printable
//! characters. The Secret ID shown next to the value is a GUID. This module never keeps, logs or
//! echoes the value: messages describe it without quoting it.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::placeholder::{Placeholder, find_placeholder};
use super::{Field, InputIssue, first_error, is_guid};
use crate::cause::Cause;

/// What a secret value looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum SecretShape {
    /// The format Entra has generated since 2021 (`abc8Q~` and 34 more characters).
    Current,
    /// 32–44 printable characters without spaces: an older secret.
    Legacy,
    /// Something else: accepted, with a warning to check the copy.
    Unusual,
}

static CURRENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9_~.\-]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34}$").expect("secret pattern")
});

/// The secret's shape, or the first reason it cannot be a secret value.
pub fn client_secret(input: &str) -> Result<SecretShape, InputIssue> {
    first_error(client_secret_issues(input))?;
    Ok(shape(input.trim()))
}

fn shape(text: &str) -> SecretShape {
    if CURRENT.is_match(text) {
        SecretShape::Current
    } else if (32..=44).contains(&text.len()) && text.chars().all(|c| c.is_ascii_graphic()) {
        SecretShape::Legacy
    } else {
        SecretShape::Unusual
    }
}

/// Every problem with a secret value.
pub fn client_secret_issues(input: &str) -> Vec<InputIssue> {
    let text = input.trim();
    if text.is_empty() {
        return vec![InputIssue::error(
            Field::ClientSecret,
            Cause::SecretMissing,
            "The client secret is empty. In the Entra admin center open the app registration > Certificates & secrets > New client secret, and copy the Value column right after choosing Add.",
        )];
    }
    if is_guid(text) {
        return vec![InputIssue::error(
            Field::ClientSecret,
            Cause::SecretIsSecretId,
            "This is a GUID, so it is the Secret ID (or another ID), not the secret's value. Under Certificates & secrets, copy the Value column instead: about 40 characters, usually with a ~ near the start. If the value is no longer shown, create a new secret.",
        )];
    }
    if let Some(Placeholder::Template(_)) = find_placeholder(text) {
        return vec![InputIssue::error(
            Field::ClientSecret,
            Cause::PlaceholderNotReplaced,
            "The secret field still holds a placeholder from a guide. Paste the secret's Value from Certificates & secrets.",
        )];
    }
    if text.contains(char::is_whitespace) {
        return vec![InputIssue::error(
            Field::ClientSecret,
            Cause::SecretInvalid,
            "The secret contains spaces or line breaks, which Entra's secret values never do. Copy the Value again with the copy button next to it.",
        )];
    }
    match shape(text) {
        SecretShape::Current | SecretShape::Legacy => Vec::new(),
        SecretShape::Unusual => vec![InputIssue::warning(
            Field::ClientSecret,
            Cause::SecretInvalid,
            format!(
                "This does not look like a secret value from Entra ({} characters; they are about 40, e.g. abc8Q~ followed by 34 more). Check that the whole Value was copied.",
                text.chars().count()
            ),
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_and_legacy_values_are_fine() {
        assert_eq!(
            client_secret("Xy78Q~aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z").expect("current"),
            SecretShape::Current
        );
        assert_eq!(
            client_secret(" abc8Q~Zx.y_z-1234567890abcdefghijKLMNOPQ \n").expect("trimmed"),
            SecretShape::Current
        );
        assert_eq!(
            client_secret("k3J]vQ@x=Ls9-pR:2mT/8wZ*hN+4yB?7").expect("legacy"),
            SecretShape::Legacy
        );
        assert!(client_secret_issues("Xy78Q~aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z").is_empty());
    }

    #[test]
    fn a_guid_is_the_secret_id() {
        let issue = client_secret("8c6f1f2e-0b7d-4a63-9f5e-2d1c3b4a5e6f").expect_err("id");
        assert_eq!(issue.cause, Cause::SecretIsSecretId);
        assert_eq!(issue.field, Field::ClientSecret);
        assert!(issue.message.contains("Value"));
    }

    #[test]
    fn empty_placeholder_and_spaces_are_errors() {
        assert_eq!(
            client_secret("  ").expect_err("empty").cause,
            Cause::SecretMissing
        );
        assert_eq!(
            client_secret("your_client_secret")
                .expect_err("placeholder")
                .cause,
            Cause::PlaceholderNotReplaced
        );
        assert_eq!(
            client_secret("<client-secret-value>")
                .expect_err("placeholder")
                .cause,
            Cause::PlaceholderNotReplaced
        );
        assert_eq!(
            client_secret("Xy78Q~aB3dE5fG7hJ9kL1 mN3pQ5rS7tU9vW1xY3z")
                .expect_err("space")
                .cause,
            Cause::SecretInvalid
        );
    }

    #[test]
    fn a_truncated_value_is_a_warning_that_does_not_quote_it() {
        let value = "Xy78Q~aB3dE5f";
        assert_eq!(
            client_secret(value).expect("accepted"),
            SecretShape::Unusual
        );
        let issues = client_secret_issues(value);
        assert_eq!(issues.len(), 1);
        assert!(!issues[0].is_error());
        assert_eq!(issues[0].cause, Cause::SecretInvalid);
        assert!(!issues[0].message.contains(value));
    }
}

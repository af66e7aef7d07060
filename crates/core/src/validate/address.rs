//! Mail addresses typed as the mailbox (a user principal name) or the test email's recipient:
//! one `@`, a local part, a domain name, no white space or control characters, at most 320
//! characters. Placeholders from the guides (`user@your-domain.com`) are errors like elsewhere.
//!
//! Not here: whether the mailbox exists, is licensed or may use SMTP AUTH (the live checks).

use super::placeholder::{Placeholder, find_placeholder};
use super::tenant::is_dns_name;
use super::{Field, InputIssue};
use crate::cause::Cause;

/// Every problem with `input` as the mail address in `field`.
pub fn address_issues(field: Field, input: &str) -> Vec<InputIssue> {
    let text = input.trim();
    let refuse = |why: String| vec![InputIssue::error(field, Cause::AddressMalformed, why)];
    if text.is_empty() {
        return refuse(
            "The address is empty: enter an email address such as intranet@yourcompany.com.".into(),
        );
    }
    if let Some(Placeholder::Template(found)) = find_placeholder(text) {
        return vec![InputIssue::error(
            field,
            Cause::PlaceholderNotReplaced,
            format!("'{found}' is a placeholder from a guide. Replace it with the real address."),
        )];
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return refuse("The address contains spaces or control characters.".into());
    }
    if text.len() > 320 {
        return refuse("The address is longer than 320 characters.".into());
    }
    match text.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.contains('@') => {
            if is_dns_name(domain) {
                Vec::new()
            } else {
                refuse(format!("'{domain}' after the @ is not a domain name."))
            }
        }
        _ => refuse(format!(
            "'{text}' is not an email address: it needs exactly one @ between a name and a domain."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_addresses_are_a_name_an_at_and_a_domain() {
        assert!(address_issues(Field::Mailbox, "intranet@contoso.com").is_empty());
        assert!(
            address_issues(Field::TestRecipient, " Bob.Smith+test@mail.contoso.co.uk ").is_empty()
        );
        for bad in [
            "",
            "intranet",
            "intranet@",
            "@contoso.com",
            "a@b@contoso.com",
            "a b@contoso.com",
            "a@contoso..com",
            "a@contoso.com\r\nBcc: x@y.z",
        ] {
            let issues = address_issues(Field::Mailbox, bad);
            assert!(
                issues.iter().any(InputIssue::is_error),
                "{bad:?}: {issues:?}"
            );
            assert_eq!(issues[0].field, Field::Mailbox);
        }
    }
}

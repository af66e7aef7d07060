//! GUID shapes: the Application (client) ID, and the test the tenant and secret rules share.
//!
//! Entra shows IDs in the hyphenated 8-4-4-4-12 form; that is the only form accepted here (the
//! braced, URN and 32-digit forms `uuid` also parses are never what the admin center shows, so
//! they mean something else was pasted). Surrounding spaces are ignored: copy buttons add them.

use uuid::Uuid;

use super::placeholder::{Placeholder, find_placeholder};
use super::{Field, InputIssue, first_error};
use crate::cause::Cause;

/// Whether `text` (trimmed) is a GUID in the 8-4-4-4-12 form.
pub fn is_guid(text: &str) -> bool {
    let text = text.trim();
    text.len() == 36 && Uuid::try_parse(text).is_ok()
}

/// The Application (client) ID, or the first reason it cannot be one.
pub fn client_id(input: &str) -> Result<Uuid, InputIssue> {
    first_error(client_id_issues(input))?;
    Uuid::try_parse(input.trim()).map_err(|_| malformed(input))
}

/// Every problem with a client ID.
pub fn client_id_issues(input: &str) -> Vec<InputIssue> {
    let text = input.trim();
    if text.is_empty() {
        return vec![InputIssue::error(
            Field::ClientId,
            Cause::ClientIdMalformed,
            "The Application (client) ID is empty. Copy it from the app registration's Overview page in the Entra admin center.",
        )];
    }
    match find_placeholder(text) {
        Some(Placeholder::Template(found)) => {
            return vec![InputIssue::error(
                Field::ClientId,
                Cause::PlaceholderNotReplaced,
                format!(
                    "'{found}' is a placeholder from a guide. Replace it with the Application (client) ID from the app registration's Overview page."
                ),
            )];
        }
        Some(Placeholder::DocumentationDomain(_)) | None => {}
    }
    if is_guid(text) {
        Vec::new()
    } else {
        vec![malformed(input)]
    }
}

fn malformed(input: &str) -> InputIssue {
    let text = input.trim();
    let hint = if text.len() == 32 && text.chars().all(|c| c.is_ascii_hexdigit()) {
        " It has the right digits but no dashes; copy it again with the copy button next to it."
    } else if text.len() > 36 {
        " It is longer than an ID: if this is the secret value, it belongs in the secret field."
    } else {
        ""
    };
    InputIssue::error(
        Field::ClientId,
        Cause::ClientIdMalformed,
        format!(
            "'{text}' is not an Application (client) ID: that is a GUID like 3f2504e0-4f89-41d3-9a0c-0305e82c3301, shown on the app registration's Overview page.{hint}"
        ),
    )
}

/// The one spelling of an identifier used as a key: a GUID in any of its forms (braces, no
/// dashes, `urn:uuid:`, any case) becomes lower-case and dashed; anything else (a tenant's
/// domain) is trimmed and lower-cased. Two spellings of one GUID are one key.
pub fn canonical_id(text: &str) -> String {
    let text = text.trim();
    match Uuid::try_parse(text) {
        Ok(guid) => guid.hyphenated().to_string(),
        Err(_) => text.to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_guid_is_one_key_however_it_is_spelled() {
        let dashed = "dddddddd-0000-0000-0000-000000000001";
        for spelling in [
            "DDDDDDDD-0000-0000-0000-000000000001",
            "{dddddddd-0000-0000-0000-000000000001}",
            "dddddddd000000000000000000000001",
            " urn:uuid:dddddddd-0000-0000-0000-000000000001 ",
        ] {
            assert_eq!(canonical_id(spelling), dashed, "{spelling}");
        }
        assert_eq!(canonical_id(" Contoso.COM "), "contoso.com");
    }

    #[test]
    fn a_guid_is_accepted_with_spaces_around() {
        let id = client_id(" 3F2504E0-4F89-41D3-9A0C-0305E82C3301\n").expect("valid");
        assert_eq!(id.to_string(), "3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    }

    #[test]
    fn other_shapes_are_malformed() {
        for input in [
            "",
            "   ",
            "3f2504e04f8941d39a0c0305e82c3301",
            "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}",
            "urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301",
            "3f2504e0-4f89-41d3-9a0c-0305e82c330",
            "3f2504e0-4f89-41d3-9a0c-0305e82c33zz",
            "Axero Outlook Calendar Sync",
            "Xy7Q~aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z",
        ] {
            refused(input, Cause::ClientIdMalformed);
        }
        let no_dashes = client_id("3f2504e04f8941d39a0c0305e82c3301").expect_err("dashes");
        assert!(
            no_dashes.message.contains("no dashes"),
            "{}",
            no_dashes.message
        );
    }

    #[test]
    fn placeholders_are_named() {
        for input in [
            "your_client_id",
            "Enter_the_Application_Id_here",
            "00000000-0000-0000-0000-000000000000",
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
            "<client-id>",
        ] {
            refused(input, Cause::PlaceholderNotReplaced);
        }
    }

    /// `input` is refused as a client ID, for `cause`.
    fn refused(input: &str, cause: Cause) {
        let issue = client_id(input).expect_err(input);
        assert_eq!(issue.cause, cause, "{input}");
        assert_eq!(issue.field, Field::ClientId);
    }
}

//! The display name a new app registration is created with (`register --app-name`): not blank,
//! no control characters (a line break would be sent to Microsoft as part of the name), at most
//! 256 characters. A guide's placeholder (`<your app name>`) is an error like elsewhere.
//!
//! Not here: whether the name is already taken (names need not be unique in Entra).

use super::placeholder::{Placeholder, find_placeholder};
use super::{Field, InputIssue};
use crate::cause::Cause;

/// The longest display name the wizard sends.
pub const MAX_DISPLAY_NAME_CHARS: usize = 256;

/// Every problem with `input` as an app registration's display name.
pub fn display_name_issues(input: &str) -> Vec<InputIssue> {
    let refuse = |why: String| {
        vec![InputIssue::error(
            Field::AppName,
            Cause::DisplayNameInvalid,
            why,
        )]
    };
    let text = input.trim();
    if text.is_empty() {
        return refuse(
            "The name is empty: enter the name the app registration is listed under.".into(),
        );
    }
    if text.chars().any(char::is_control) {
        return refuse("The name contains a line break or another control character.".into());
    }
    let length = text.chars().count();
    if length > MAX_DISPLAY_NAME_CHARS {
        return refuse(format!(
            "The name is {length} characters long; at most {MAX_DISPLAY_NAME_CHARS} are allowed."
        ));
    }
    if let Some(Placeholder::Template(found)) = find_placeholder(text) {
        return vec![InputIssue::error(
            Field::AppName,
            Cause::PlaceholderNotReplaced,
            format!("'{found}' is a placeholder from a guide. Replace it with the app's name."),
        )];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_refused_only_when_they_cannot_be_sent() {
        assert!(display_name_issues("Axero Outlook Calendar").is_empty());
        assert!(display_name_issues("Intranet – Kalender (Ünïcode)").is_empty());
        for bad in [
            "",
            "   ",
            "Line\r\nX-Injected: 1",
            "Tab\there",
            &"x".repeat(257),
        ] {
            let found = display_name_issues(bad);
            assert_eq!(found.len(), 1, "{bad:?}");
            assert_eq!(found[0].cause, Cause::DisplayNameInvalid, "{bad:?}");
            assert_eq!(found[0].field, Field::AppName);
        }
    }
}

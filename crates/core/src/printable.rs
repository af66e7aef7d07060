//! Text from outside (a bundle, a reminders file, a tenant's display names) made safe to print
//! on a terminal: control characters — an escape sequence could move the cursor, recolour or
//! rewrite what the administrator reads — and the Unicode controls that reorder text are shown
//! as `\u{…}` instead of acting.
//!
//! Not here: JSON output (serde escapes control characters itself) and HTML ([`crate::html`]).

use std::borrow::Cow;

/// Whether `c` acts on a terminal or reorders the text around it.
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character that would act on a terminal written as `\u{…}`; unchanged (and
/// not copied) when there is none.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_reordering_are_shown_not_acted_on() {
        assert!(matches!(printable("Axero calendar"), Cow::Borrowed(_)));
        assert_eq!(
            printable("App\u{1b}[2J\u{1b}]0;owned\u{7}"),
            "App\\u{1b}[2J\\u{1b}]0;owned\\u{7}"
        );
        assert_eq!(printable("a\r\nb\tc"), "a\\u{d}\\u{a}b\\u{9}c");
        assert_eq!(printable("exe.\u{202e}fdp"), "exe.\\u{202e}fdp");
        assert_eq!(printable("\u{9b}31m"), "\\u{9b}31m");
    }
}

//! Text made safe to place in HTML, element content or a quoted attribute value: the one escaper
//! for every page the core writes — the bundle's `REPORT.html` and the page the browser shows
//! after the sign-in redirect. Not here: terminal output ([`crate::printable`]) and JSON (serde
//! escapes it).

/// Escape text for HTML element content and attribute values (`&`, `<`, `>`, `"`, `'`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            escape("<a href=\"x\" title='y'>&</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape("Contoso — calendar"), "Contoso — calendar");
    }
}

//! Template placeholders left in a value: `your_client_id`, `Enter_the_Application_Id_here`,
//! `{tenant}`, `<tenant-id>`, `YOUR_AXERO_URL`, `your-site.com`, `yourdbname.odoo.com`,
//! `xxxxxxxx-…`, the all-zero GUID and the repeated-digit GUIDs of Microsoft's samples.
//!
//! Documentation domains are a separate, weaker finding. `contoso`, `fabrikam` and `example.*`
//! are the names Microsoft's docs and RFC 2606 use in examples, so a value holding one was very
//! likely copied from a guide. But Microsoft's own demo and developer tenants use them too
//! (`contoso.onmicrosoft.com`), and so do test set-ups. They are therefore a *warning*, never a
//! refusal: the wizard points them out and lets the admin carry on.

use std::sync::LazyLock;

use regex::Regex;

/// A placeholder found in a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    /// Text from a template that was never replaced (an error: it cannot be a real value).
    Template(String),
    /// A domain used in documentation examples (a warning: possibly real in a demo tenant).
    DocumentationDomain(String),
}

impl Placeholder {
    /// The text that was recognised.
    pub fn text(&self) -> &str {
        match self {
            Placeholder::Template(text) | Placeholder::DocumentationDomain(text) => text,
        }
    }
}

static TEMPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)",
        // {tenant}, {site}, ${CLIENT_ID}
        r"\$?\{[^{}\s]{1,40}\}",
        // <tenant-id>, <your mailbox>
        r"|<[^<>]{1,40}>",
        // your_client_id, YOUR_AXERO_URL, your-site.com, yourdbname.odoo.com, your_tenant_id
        r"|your[_\- ]?(?:own[_\- ]?)?(?:client|tenant|app|application|secret|site|domain|db|database",
        r"|company|org|organi[sz]ation|server|host|url|name|axero|odoo|redirect|directory|subdomain",
        r"|instance|mailbox|email|user)[a-z0-9_\-.]*",
        // Enter_the_Application_Id_here, Enter_the_Tenant_Info_Here
        r"|enter[_\- ]the[_\- ][a-z_]+",
        r"|\b[a-z0-9_]*_here\b",
        // xxxxxxxx-xxxx-…, REPLACE_ME, CHANGEME
        r"|(?:^|[^a-z0-9])x{4,}(?:-x{4,})*(?:[^a-z0-9]|$)",
        r"|replace[_\- ]?me|change[_\- ]?me",
    ))
    .expect("placeholder pattern")
});

static DOCUMENTATION_DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[^a-z0-9\-])((?:contoso|fabrikam)(?:\.[a-z]{2,})+|example\.(?:com|org|net))\b",
    )
    .expect("documentation domain pattern")
});

/// The first placeholder in `text`: a template placeholder if there is one, otherwise a
/// documentation domain.
pub fn find_placeholder(text: &str) -> Option<Placeholder> {
    let trimmed = text.trim();
    // A braced GUID (`{3f2504e0-…}`, the registry form) is an ID in another notation, not a
    // template variable.
    let found = TEMPLATE.find_iter(trimmed).find(|m| {
        !super::is_guid(
            m.as_str()
                .trim_start_matches('$')
                .trim_matches(['{', '}', '<', '>']),
        )
    });
    if let Some(found) = found {
        let found = found
            .as_str()
            .trim_matches(|c: char| !c.is_alphanumeric() && !"{}<>$_".contains(c));
        return Some(Placeholder::Template(found.to_string()));
    }
    if is_sample_guid(trimmed) {
        return Some(Placeholder::Template(trimmed.to_string()));
    }
    DOCUMENTATION_DOMAIN
        .captures(trimmed)
        .and_then(|c| c.get(1))
        .map(|m| Placeholder::DocumentationDomain(m.as_str().to_string()))
}

/// The GUIDs sample code and docs use: all zeros, `11111111-1111-…`, `aaaaaaaa-bbbb-…`, Microsoft's
/// newer `00001111-aaaa-2222-bbbb-3333cccc4444` style (every four characters the same) and
/// `12345678-1234-1234-1234-123456789012`.
fn is_sample_guid(text: &str) -> bool {
    if !super::is_guid(text) {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    if lower == "12345678-1234-1234-1234-123456789012" {
        return true;
    }
    lower.split('-').all(|group| {
        group
            .as_bytes()
            .chunks(4)
            .all(|chunk| chunk.iter().all(|b| *b == chunk[0]))
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The redirect URIs of the vendors' guides, each with the placeholder in it.
    pub(in crate::validate) const VENDOR_REDIRECT_PLACEHOLDERS: [(&str, &str); 3] = [
        (
            "https://YOUR_AXERO_URL/oauth2/sharepoint/callback",
            "YOUR_AXERO_URL",
        ),
        (
            "https://your-site.com/oauth2/outlook/callback",
            "your-site.com",
        ),
        (
            "https://yourdbname.odoo.com/microsoft_account/authentication",
            "yourdbname.odoo.com",
        ),
    ];

    fn template(text: &str) -> Option<String> {
        match find_placeholder(text) {
            Some(Placeholder::Template(found)) => Some(found),
            _ => None,
        }
    }

    #[test]
    fn the_guides_placeholders_are_templates() {
        for (input, found) in [
            ("your_client_id", "your_client_id"),
            (
                "https://login.microsoftonline.com/common/adminconsent?client_id=your_client_id",
                "your_client_id",
            ),
            (
                "Enter_the_Application_Id_here",
                "Enter_the_Application_Id_here",
            ),
            ("Enter_the_Tenant_Info_Here", "Enter_the_Tenant_Info_Here"),
            ("{tenant}", "{tenant}"),
            (
                "https://login.microsoftonline.com/{tenant}/v2.0",
                "{tenant}",
            ),
            ("<tenant-id>", "<tenant-id>"),
            ("your_tenant_id", "your_tenant_id"),
            (
                "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
                "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
            ),
            ("xxxxxxxx-…", "xxxxxxxx"),
            ("${CLIENT_ID}", "${CLIENT_ID}"),
        ]
        .into_iter()
        .chain(VENDOR_REDIRECT_PLACEHOLDERS)
        {
            assert_eq!(template(input).as_deref(), Some(found), "{input}");
        }
    }

    #[test]
    fn sample_guids_are_templates() {
        for input in [
            "00000000-0000-0000-0000-000000000000",
            "11111111-1111-1111-1111-111111111111",
            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "00001111-aaaa-2222-bbbb-3333cccc4444",
            "aaaabbbb-0000-cccc-1111-dddd2222eeee",
            "12345678-1234-1234-1234-123456789012",
        ] {
            assert!(template(input).is_some(), "{input}");
        }
    }

    #[test]
    fn real_values_are_not_placeholders() {
        for input in [
            "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
            "b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4",
            "northwindhr.onmicrosoft.com",
            "https://intranet.acmecorp.net/oauth2/outlook/callback",
            "https://mycompany.odoo.com/microsoft_account/authentication",
            "Xy7Q~aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z",
            "youngsters.org",
        ] {
            assert_eq!(find_placeholder(input), None, "{input}");
        }
    }

    #[test]
    fn documentation_domains_are_a_separate_warning_kind() {
        for (input, found) in [
            ("contoso.onmicrosoft.com", "contoso.onmicrosoft.com"),
            ("https://intranet.contoso.com", "contoso.com"),
            (
                "https://fabrikam.com/oauth2/outlook/callback",
                "fabrikam.com",
            ),
            ("https://axero.example.com", "example.com"),
        ] {
            assert_eq!(
                find_placeholder(input),
                Some(Placeholder::DocumentationDomain(found.into())),
                "{input}"
            );
        }
        assert_eq!(find_placeholder("https://mycontoso.com"), None);
    }
}

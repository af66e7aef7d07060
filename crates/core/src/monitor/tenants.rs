//! The tenants file `monitor scan --tenants FILE` reads: one tenant a line (its directory GUID or
//! one of its domains), blank lines and `#` comments ignored. A line that is not a tenant, or a
//! tenant listed twice, is refused naming its line number. Reading the file is the caller's.

use crate::validate::{self, Field, FieldContext};

/// A line of the tenants file that is not a tenant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct TenantLineError {
    /// The line number, from 1.
    pub line: usize,
    /// What is wrong with it.
    pub problem: String,
}

/// The tenants `text` lists, in order: each trimmed, a GUID in lower case.
pub fn parse_tenants(text: &str) -> Result<Vec<String>, TenantLineError> {
    let mut tenants: Vec<(String, usize)> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let value = raw.split_once('#').map_or(raw, |(before, _)| before).trim();
        if value.is_empty() {
            continue;
        }
        if let Some(issue) = validate::issues(Field::Tenant, value, &FieldContext::default())
            .into_iter()
            .find(|i| i.is_error())
        {
            return Err(TenantLineError {
                line,
                problem: issue.message,
            });
        }
        let tenant = value.to_ascii_lowercase();
        if let Some((_, first)) = tenants.iter().find(|(t, _)| *t == tenant) {
            return Err(TenantLineError {
                line,
                problem: format!("'{tenant}' is already listed on line {first}"),
            });
        }
        tenants.push((tenant, line));
    }
    Ok(tenants.into_iter().map(|(t, _)| t).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenants_one_a_line_with_comments_and_blanks() {
        let text =
            "# customers\ncontoso.com\n\n  11111111-2222-3333-4444-55555555555A  # Fabrikam\n";
        assert_eq!(
            parse_tenants(text),
            Ok(vec![
                "contoso.com".to_string(),
                "11111111-2222-3333-4444-55555555555a".to_string()
            ])
        );
        assert_eq!(parse_tenants("# nothing\n\n"), Ok(vec![]));
    }

    #[test]
    fn a_bad_or_repeated_line_is_refused_by_its_number() {
        let bad = parse_tenants("contoso.com\nnot a tenant\n").expect_err("refused");
        assert_eq!(bad.line, 2, "{bad}");
        let twice = parse_tenants("contoso.com\nfabrikam.com\nContoso.com\n").expect_err("refused");
        assert_eq!(twice.line, 3);
        assert!(twice.problem.contains("line 1"), "{twice}");
    }
}

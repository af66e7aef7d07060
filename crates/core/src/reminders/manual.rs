//! A reminder the admin enters by hand: each field checked, with a message naming the field.

use chrono::{DateTime, NaiveDate, Utc};

use super::Reminder;
use crate::validate::{self, Field, FieldContext};

/// A field of a hand-entered reminder that is wrong, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct ManualEntryError {
    /// The field: `tenant`, `client_id`, `key_id`, `expires` or `name`.
    pub field: &'static str,
    /// What is wrong, for people.
    pub problem: String,
}

/// What the admin typed.
#[derive(Debug, Clone, Default)]
pub struct ManualEntry<'a> {
    /// The tenant's domain or GUID.
    pub tenant: &'a str,
    /// The application (client) ID.
    pub client_id: &'a str,
    /// The secret's ID (key id).
    pub key_id: &'a str,
    /// The expiry: a date (`2027-03-01`) or an RFC 3339 time.
    pub expires: &'a str,
    /// A name for people.
    pub name: &'a str,
}

/// The reminder, or the first field that is wrong.
pub fn reminder(entry: &ManualEntry<'_>) -> Result<Reminder, ManualEntryError> {
    let refuse = |field: &'static str, problem: String| ManualEntryError { field, problem };
    for (field, name, value) in [
        (Field::Tenant, "tenant", entry.tenant),
        (Field::ClientId, "client_id", entry.client_id),
    ] {
        if value.trim().is_empty() {
            return Err(refuse(name, "this field is required".into()));
        }
        if let Some(issue) = validate::issues(field, value, &FieldContext::default())
            .into_iter()
            .find(|i| i.is_error())
        {
            return Err(refuse(name, issue.message));
        }
    }
    if !validate::is_guid(entry.key_id) {
        return Err(refuse(
            "key_id",
            format!(
                "'{}' is not a GUID (the Secret ID shown under Certificates & secrets)",
                entry.key_id.trim()
            ),
        ));
    }
    let expires = parse_expiry(entry.expires).ok_or_else(|| {
        refuse(
            "expires",
            format!(
                "'{}' is not a date such as 2027-03-01 (or a time such as 2027-03-01T00:00:00Z)",
                entry.expires.trim()
            ),
        )
    })?;
    Ok(Reminder {
        tenant: entry.tenant.trim().to_ascii_lowercase(),
        client_id: entry.client_id.trim().to_ascii_lowercase(),
        key_id: entry.key_id.trim().to_ascii_lowercase(),
        kind: crate::credentials::CredentialType::Secret,
        expires,
        name: Some(entry.name.trim().to_string()).filter(|n| !n.is_empty()),
        source: Some("add".into()),
    })
}

/// An expiry as the admin types it: a date (`2027-03-01`, midnight UTC) or an RFC 3339 time.
pub fn parse_expiry(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>() -> ManualEntry<'a> {
        ManualEntry {
            tenant: "contoso.com",
            client_id: "aaaaaaaa-0000-0000-0000-000000000001",
            key_id: "bbbbbbbb-0000-0000-0000-000000000002",
            expires: "2027-03-01",
            name: " Axero ",
        }
    }

    #[test]
    fn a_good_entry_becomes_a_reminder() {
        let r = reminder(&entry()).expect("reminder");
        assert_eq!(r.expires.to_rfc3339(), "2027-03-01T00:00:00+00:00");
        assert_eq!(r.name.as_deref(), Some("Axero"));
        assert_eq!(r.source.as_deref(), Some("add"));
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases = [
            (
                ManualEntry {
                    tenant: "",
                    ..entry()
                },
                "tenant",
            ),
            (
                ManualEntry {
                    client_id: "nope",
                    ..entry()
                },
                "client_id",
            ),
            (
                ManualEntry {
                    key_id: "x",
                    ..entry()
                },
                "key_id",
            ),
            (
                ManualEntry {
                    expires: "next week",
                    ..entry()
                },
                "expires",
            ),
        ];
        for (bad, field) in cases {
            assert_eq!(reminder(&bad).expect_err(field).field, field);
        }
    }
}

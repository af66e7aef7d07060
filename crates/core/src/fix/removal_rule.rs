//! The rule for removing a credential (a client secret or a certificate), shared by both: it
//! may go while another of the registration's credentials of its kind still works by its dates;
//! the one kept is the one ending last, or the one the product uses when the admin gives it and
//! Microsoft accepts it; an ended credential may always go. What each kind removes and how it
//! tells the kept one is its own module's.

use chrono::{DateTime, Utc};

use super::SecretConfirmation;
use crate::cause::Cause;
use crate::graph::applications::{KeyCredential, PasswordCredential};

/// A credential with a validity window.
pub(super) trait Dated {
    /// Its key ID.
    fn key_id(&self) -> &str;
    /// When it starts to work.
    fn start(&self) -> Option<DateTime<Utc>>;
    /// When it stops working.
    fn end(&self) -> Option<DateTime<Utc>>;

    /// Whether it works by its dates at `now`.
    fn in_force(&self, now: DateTime<Utc>) -> bool {
        self.start().is_none_or(|start| start <= now) && self.end().is_none_or(|end| end > now)
    }
}

impl Dated for PasswordCredential {
    fn key_id(&self) -> &str {
        &self.key_id
    }
    fn start(&self) -> Option<DateTime<Utc>> {
        self.start_date_time
    }
    fn end(&self) -> Option<DateTime<Utc>> {
        self.end_date_time
    }
}

impl Dated for KeyCredential {
    fn key_id(&self) -> &str {
        &self.key_id
    }
    fn start(&self) -> Option<DateTime<Utc>> {
        self.start_date_time
    }
    fn end(&self) -> Option<DateTime<Utc>> {
        self.end_date_time
    }
}

/// The credential `key_id` among `all`, with the others and those of the others that work at
/// `now`; `None` when `key_id` is not there.
pub(super) struct Split<'a, C> {
    /// The one to remove.
    pub target: &'a C,
    /// Every other one.
    pub others: Vec<&'a C>,
    /// The others that work by their dates.
    pub working: Vec<&'a C>,
}

/// Split `all` around `key_id` (compared without case).
pub(super) fn split<'a, C: Dated>(
    all: &'a [C],
    key_id: &str,
    now: DateTime<Utc>,
) -> Option<Split<'a, C>> {
    let target = all
        .iter()
        .find(|c| c.key_id().eq_ignore_ascii_case(key_id))?;
    let others: Vec<&C> = all
        .iter()
        .filter(|c| !c.key_id().eq_ignore_ascii_case(key_id))
        .collect();
    let working = others.iter().copied().filter(|c| c.in_force(now)).collect();
    Some(Split {
        target,
        others,
        working,
    })
}

/// The key ID of the one of `credentials` that ends last (one without an end counts as last).
pub(super) fn ending_last<C: Dated>(credentials: &[&C]) -> Option<String> {
    credentials
        .iter()
        .max_by_key(|c| c.end().unwrap_or(DateTime::<Utc>::MAX_UTC))
        .map(|c| c.key_id().to_string())
}

/// Why the credential the admin gave cannot stand in for the one removed, when Microsoft did
/// not accept it or could not be asked (`what`: "secret value", "certificate").
pub(super) fn not_confirmed(
    what: &str,
    confirmation: SecretConfirmation,
) -> Option<(String, Cause)> {
    match confirmation {
        SecretConfirmation::Accepted => None,
        SecretConfirmation::Rejected(cause) => Some((
            format!(
                "Microsoft does not accept the {what} given ({cause}), so it cannot replace this one"
            ),
            cause,
        )),
        SecretConfirmation::Unavailable(cause) => Some((
            format!(
                "Microsoft could not be asked whether the {what} given works ({cause}); nothing was removed, try again"
            ),
            cause,
        )),
    }
}

/// ", ended 2026-01-01" or ", valid until 2027-01-01" for a removed credential's change.
pub(super) fn dates_said(end: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match end {
        Some(end) if end <= now => format!(", ended {}", end.format("%Y-%m-%d")),
        Some(end) => format!(", valid until {}", end.format("%Y-%m-%d")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(key: &str, start: i64, end: i64) -> PasswordCredential {
        let at = |d: i64| DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::days(d);
        PasswordCredential {
            key_id: key.into(),
            display_name: None,
            hint: None,
            start_date_time: Some(at(start)),
            end_date_time: Some(at(end)),
        }
    }

    #[test]
    fn the_others_that_work_and_the_one_ending_last() {
        let now = DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::days(100);
        let all = [
            secret("A", 0, 200),
            secret("b", 0, 50),
            secret("c", 0, 300),
            secret("d", 150, 400),
        ];
        let split = split(&all, "a", now).expect("found without case");
        assert_eq!(split.target.key_id, "A");
        assert_eq!(split.others.len(), 3);
        let working: Vec<&str> = split.working.iter().map(|c| c.key_id.as_str()).collect();
        assert_eq!(working, ["c"], "ended and not yet started do not work");
        assert_eq!(ending_last(&split.working).as_deref(), Some("c"));
        assert!(super::split(&all, "zz", now).is_none());
        assert!(dates_said(Some(now), now).starts_with(", ended"));
    }
}

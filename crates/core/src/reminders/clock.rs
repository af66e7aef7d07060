//! The clock reminders read: the system's, or a fixed instant (tests, and the command line's
//! `ENTRA_SETUP_NOW` for testing).

use chrono::{DateTime, Utc};

/// For testing: `ENTRA_SETUP_NOW=RFC3339` makes the command line believe it is that instant.
pub const NOW_ENV: &str = "ENTRA_SETUP_NOW";

/// Something that tells the time.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// How often a running program looks at the wall clock to decide whether the daily reminder
/// check is due ([`daily_check_due`]).
pub const WAKE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Whether the daily reminder check is due at `now`, the last one having run at `last`: never
/// run, a day or more ago by the wall clock, or on another calendar day (UTC). Decided on the
/// wall clock, not on a timer's monotonic one, because a laptop's sleep stops the latter: a
/// machine woken after a weekend checks at once, not a day after it woke.
pub fn daily_check_due(last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    match last {
        None => true,
        Some(last) => {
            now.signed_duration_since(last) >= chrono::Duration::days(1)
                || now.date_naive() != last.date_naive()
                || now < last
        }
    }
}

/// `ENTRA_SETUP_NOW` when set (for testing), otherwise the system clock. A value that is not
/// RFC 3339 is an error naming it.
pub fn clock_from_env() -> Result<Box<dyn Clock>, String> {
    match std::env::var(NOW_ENV) {
        Ok(value) if !value.trim().is_empty() => DateTime::parse_from_rfc3339(value.trim())
            .map(|t| Box::new(FixedClock(t.with_timezone(&Utc))) as Box<dyn Clock>)
            .map_err(|e| format!("{NOW_ENV}: '{value}' is not an RFC 3339 time ({e})")),
        _ => Ok(Box::new(SystemClock)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_daily_check_follows_the_wall_clock() {
        assert!(daily_check_due(None, at("2026-12-07T08:00:00Z")));
        let last = Some(at("2026-12-07T08:00:00Z"));
        assert!(!daily_check_due(last, at("2026-12-07T08:15:00Z")));
        assert!(!daily_check_due(last, at("2026-12-07T23:59:00Z")));
        // The next day, or after a sleep over a weekend.
        assert!(daily_check_due(last, at("2026-12-08T00:01:00Z")));
        assert!(daily_check_due(last, at("2026-12-10T09:00:00Z")));
        // A clock set back.
        assert!(daily_check_due(last, at("2026-12-07T07:00:00Z")));
    }
}

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

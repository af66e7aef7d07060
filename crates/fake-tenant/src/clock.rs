//! The stand-in's clock: every expiry, replication delay, consent time, token `iat`/`exp` and error
//! timestamp reads it, so that tests can move the stand-in through time instead of waiting.
//!
//! [`Clock::System`] reads the real clock (the binary and the desktop app's demo tenant). A
//! [`ManualClock`] stands still at the moment it was made (or the one it was given) until a test
//! [`advance`](ManualClock::advance)s it; its monotonic and wall-clock readings move together.
//!
//! It does not drive latency or fault injection: those delay real answers and wait in real time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

/// Where the stand-in reads the time. Cheap to clone; clones of a manual clock share its time.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The real clock.
    #[default]
    System,
    /// A clock that moves only when advanced.
    Manual(ManualClock),
}

impl Clock {
    /// A fresh manual clock standing at the current wall-clock time.
    pub fn manual() -> Clock {
        Clock::Manual(ManualClock::new())
    }

    /// The monotonic reading (expiries and replication delays).
    pub fn now(&self) -> Instant {
        match self {
            Clock::System => Instant::now(),
            Clock::Manual(manual) => manual.now(),
        }
    }

    /// The wall-clock reading (token claims, secret lifetimes, timestamps).
    pub fn utc(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Manual(manual) => manual.utc(),
        }
    }

    /// The manual clock, when this is one.
    pub fn as_manual(&self) -> Option<&ManualClock> {
        match self {
            Clock::System => None,
            Clock::Manual(manual) => Some(manual),
        }
    }
}

impl From<ManualClock> for Clock {
    fn from(manual: ManualClock) -> Clock {
        Clock::Manual(manual)
    }
}

/// A clock tests move by hand. Cheap to clone; clones share the same time.
#[derive(Debug, Clone)]
pub struct ManualClock {
    inner: Arc<ManualInner>,
}

#[derive(Debug)]
struct ManualInner {
    origin: Instant,
    origin_utc: DateTime<Utc>,
    elapsed: Mutex<Duration>,
}

impl ManualClock {
    /// A manual clock standing at the current wall-clock time.
    pub fn new() -> ManualClock {
        ManualClock::starting_at(Utc::now())
    }

    /// A manual clock standing at `utc`.
    pub fn starting_at(utc: DateTime<Utc>) -> ManualClock {
        ManualClock {
            inner: Arc::new(ManualInner {
                origin: Instant::now(),
                origin_utc: utc,
                elapsed: Mutex::new(Duration::ZERO),
            }),
        }
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut elapsed = self.elapsed_guard();
        *elapsed = elapsed.saturating_add(by);
    }

    /// How far the clock has been moved since it was made.
    pub fn elapsed(&self) -> Duration {
        *self.elapsed_guard()
    }

    /// The monotonic reading.
    pub fn now(&self) -> Instant {
        self.inner.origin + self.elapsed()
    }

    /// The wall-clock reading.
    pub fn utc(&self) -> DateTime<Utc> {
        // A `Duration` beyond chrono's range cannot come from `advance` in practice; saturate anyway.
        let elapsed = chrono::Duration::from_std(self.elapsed()).unwrap_or(chrono::Duration::MAX);
        self.inner
            .origin_utc
            .checked_add_signed(elapsed)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    fn elapsed_guard(&self) -> std::sync::MutexGuard<'_, Duration> {
        self.inner
            .elapsed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for ManualClock {
    fn default() -> ManualClock {
        ManualClock::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    #[test]
    fn a_manual_clock_stands_still_until_advanced() {
        let start = Utc
            .with_ymd_and_hms(2026, 6, 1, 12, 0, 0)
            .single()
            .expect("date");
        let clock = Clock::from(ManualClock::starting_at(start));
        let (instant, utc) = (clock.now(), clock.utc());
        assert_eq!(clock.now(), instant);
        assert_eq!(utc, start);

        let shared = clock.clone();
        shared
            .as_manual()
            .expect("manual")
            .advance(Duration::from_secs(90));
        assert_eq!(clock.now() - instant, Duration::from_secs(90));
        assert_eq!(clock.utc(), start + chrono::Duration::seconds(90));
        assert_eq!(
            clock.as_manual().map(ManualClock::elapsed),
            Some(Duration::from_secs(90))
        );
    }

    #[test]
    fn the_system_clock_is_the_default_and_is_not_manual() {
        let clock = Clock::default();
        assert!(clock.as_manual().is_none());
        let before = Utc::now();
        assert!(clock.utc() >= before);
    }
}

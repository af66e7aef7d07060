//! Reminders before client secrets expire: a registry of secrets and their expiry, kept in the
//! config folder ([`Registry`]), and what is due when ([`due`]), with an injected clock.
//!
//! A secret is due when it expires within the lead days asked for; its stage is the smallest of
//! the lead days 30, 14, 7 and 1 it has reached, or expired. `register`, `bundle export` and
//! secret rotation all record their secret through one function, [`Registry::record_secret`];
//! certificates are reminded of the same way ([`Registry::record_certificate`], a reminder's
//! `kind`).
//!
//! [`scan`] lists every app registration's secrets and certificates that expire soon, for an
//! administrator who wants the whole tenant watched.
//!
//! This module does not send notifications; front ends (cron and `reminders check`, the desktop
//! app's notifications) decide how to tell the admin.

mod clock;
pub mod manual;
mod notified;
mod registry;
mod scan;

pub use clock::{
    Clock, FixedClock, NOW_ENV, SystemClock, WAKE_INTERVAL, clock_from_env, daily_check_due,
};
pub use manual::{ManualEntry, ManualEntryError};
pub use notified::{Announcement, Notified};
pub use registry::{Registry, RegistryError, unread_key_id};
pub use scan::{
    AppCredentials, CredentialKind, ExpiringCredential, SCAN_PAGE_SIZE, SCAN_SELECT, each_expiring,
    scan,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::credentials::CredentialType;

/// The lead days reminders use: a month, the vendor guides' two weeks, a week, a day.
pub const LEAD_DAYS: [u32; 4] = [30, 14, 7, 1];

/// The default window of `reminders check` (the seeds' "at least two weeks").
pub const DEFAULT_WITHIN_DAYS: u32 = 14;

/// One secret to be reminded of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Reminder {
    /// The directory (tenant) GUID or domain it belongs to.
    pub tenant: String,
    /// The application (client) ID.
    pub client_id: String,
    /// The secret's key id (Graph `keyId`).
    pub key_id: String,
    /// A client secret or a certificate (files written before certificates were read as
    /// secrets).
    #[serde(default)]
    pub kind: CredentialType,
    /// When the secret stops working.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub expires: DateTime<Utc>,
    /// A name for people: the app or the integration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What recorded it (`register`, `bundle export`, `add`, `scan`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Where a secret stands on its way to expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum Stage {
    /// More than the largest lead day away.
    Later,
    /// Within this many lead days (30, 14, 7 or 1).
    Due {
        /// The lead day reached.
        lead_days: u32,
    },
    /// Past its expiry.
    Expired,
}

/// How pressing an expiry is, as both front ends word it (the app also in colour, never colour
/// alone): expired, urgent within [`URGENT_WITHIN_DAYS`], soon within the largest lead day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Past its expiry: the integration has stopped signing in.
    Expired,
    /// Within a week: renew now.
    Urgent,
    /// Within the reminder window: plan the renewal.
    Soon,
    /// Nothing to do yet.
    Later,
}

/// A lead day at or under which an expiry is [`Urgency::Urgent`].
pub const URGENT_WITHIN_DAYS: u32 = 7;

impl Stage {
    /// How pressing this stage is.
    pub fn urgency(self) -> Urgency {
        match self {
            Stage::Expired => Urgency::Expired,
            Stage::Due { lead_days } if lead_days <= URGENT_WITHIN_DAYS => Urgency::Urgent,
            Stage::Due { .. } => Urgency::Soon,
            Stage::Later => Urgency::Later,
        }
    }
}

/// A reminder with where it stands now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Standing {
    /// The reminder.
    #[serde(flatten)]
    pub reminder: Reminder,
    /// Whole days left (negative once expired).
    pub days_left: i64,
    /// Its stage.
    pub stage: Stage,
    /// How pressing it is (from the stage).
    pub urgency: Urgency,
    /// Whether it is within the window asked for (or expired).
    pub due: bool,
}

/// The stage of a secret expiring at `expires`, seen at `now`.
pub fn stage(expires: DateTime<Utc>, now: DateTime<Utc>) -> Stage {
    if expires <= now {
        return Stage::Expired;
    }
    let days_left = days_left(expires, now);
    LEAD_DAYS
        .iter()
        .rev()
        .find(|lead| days_left < i64::from(**lead))
        .map_or(Stage::Later, |lead| Stage::Due { lead_days: *lead })
}

/// The stage a secret reached between two checks (`since` exclusive, `now` inclusive), when it
/// changed: what a desktop notification announces once, not at every check.
pub fn stage_reached(
    expires: DateTime<Utc>,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Stage> {
    let (before, after) = (stage(expires, since), stage(expires, now));
    (before != after && after != Stage::Later).then_some(after)
}

/// Whole days from `now` to `expires`, rounded down (a secret expiring in 13.5 days has 13).
pub fn days_left(expires: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (expires - now).num_seconds().div_euclid(86_400)
}

/// Every reminder with where it stands, soonest first; `due` marks those expiring within
/// `within_days` or expired.
pub fn due(reminders: &[Reminder], now: DateTime<Utc>, within_days: u32) -> Vec<Standing> {
    let mut standings: Vec<Standing> = reminders
        .iter()
        .map(|r| {
            let left = days_left(r.expires, now);
            Standing {
                reminder: r.clone(),
                days_left: left,
                stage: stage(r.expires, now),
                urgency: stage(r.expires, now).urgency(),
                due: r.expires <= now
                    || r.expires - now <= chrono::Duration::days(i64::from(within_days)),
            }
        })
        .collect();
    standings.sort_by_key(|s| s.reminder.expires);
    standings
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// Noon on `day` January 2026.
    pub(super) fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, day, 12, 0, 0)
            .single()
            .expect("date")
    }

    /// A secret's reminder, unnamed, with the ID `key`.
    pub(super) fn reminder(key: &str, expires: DateTime<Utc>) -> Reminder {
        Reminder {
            tenant: "t".into(),
            client_id: "c".into(),
            key_id: key.into(),
            kind: crate::credentials::CredentialType::Secret,
            expires,
            name: None,
            source: None,
        }
    }

    #[test]
    fn stages_follow_the_lead_days() {
        let now = at(1);
        let days = |d: i64| now + chrono::Duration::days(d);
        assert_eq!(stage(days(40), now), Stage::Later);
        assert_eq!(stage(days(30), now), Stage::Later);
        assert_eq!(stage(days(29), now), Stage::Due { lead_days: 30 });
        assert_eq!(stage(days(13), now), Stage::Due { lead_days: 14 });
        assert_eq!(stage(days(6), now), Stage::Due { lead_days: 7 });
        assert_eq!(
            stage(now + chrono::Duration::hours(3), now),
            Stage::Due { lead_days: 1 }
        );
        assert_eq!(stage(now, now), Stage::Expired);
        assert_eq!(stage(days(-2), now), Stage::Expired);
    }

    #[test]
    fn urgency_follows_the_stage() {
        let now = at(1);
        let days = |d: i64| now + chrono::Duration::days(d);
        let urgency = |d: i64| stage(days(d), now).urgency();
        assert_eq!(urgency(40), Urgency::Later);
        assert_eq!(urgency(29), Urgency::Soon);
        assert_eq!(urgency(7), Urgency::Soon);
        assert_eq!(urgency(6), Urgency::Urgent);
        assert_eq!(
            stage(now + chrono::Duration::hours(3), now).urgency(),
            Urgency::Urgent
        );
        assert_eq!(urgency(-1), Urgency::Expired);
        let standing = &due(&[reminder("k", days(3))], now, 30)[0];
        assert_eq!(standing.urgency, Urgency::Urgent);
    }

    #[test]
    fn a_stage_is_announced_once() {
        let expires = at(20);
        assert_eq!(stage_reached(expires, at(1), at(2)), None);
        assert_eq!(
            stage_reached(expires, at(1), at(7)),
            Some(Stage::Due { lead_days: 14 })
        );
        assert_eq!(stage_reached(expires, at(7), at(8)), None);
        assert_eq!(stage_reached(expires, at(19), at(21)), Some(Stage::Expired));
        assert_eq!(stage_reached(expires, at(21), at(22)), None);
    }

    #[test]
    fn due_marks_the_window_and_sorts_soonest_first() {
        let now = at(1);
        let list = vec![
            reminder("later", now + chrono::Duration::days(60)),
            reminder("soon", now + chrono::Duration::days(10)),
            reminder("gone", now - chrono::Duration::days(1)),
        ];
        let standings = due(&list, now, 14);
        let keys: Vec<(&str, bool)> = standings
            .iter()
            .map(|s| (s.reminder.key_id.as_str(), s.due))
            .collect();
        assert_eq!(keys, vec![("gone", true), ("soon", true), ("later", false)]);
        assert_eq!(standings[0].days_left, -1);
        assert_eq!(standings[1].days_left, 10);
        assert!(due(&list, now, 5).iter().filter(|s| s.due).count() == 1);
    }
}

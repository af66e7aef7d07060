//! The lifetimes a new client secret may be given, as the Entra admin center offers them — 90,
//! 180 (its recommendation), 365, 545 and 730 days — within the profile's maximum, with the
//! profile's default among them; and a custom end date turned into days ([`days_until`]). The
//! tenant's app management policy may shorten the lifetime further when the secret is made
//! ([`super::add_secret`]).

use chrono::NaiveDate;
use serde::Serialize;

use crate::profile::Profile;

/// The lifetimes the Entra admin center offers for a new client secret, in days.
pub const PORTAL_LIFETIMES: [u32; 5] = [90, 180, 365, 545, 730];

/// One lifetime a front end offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LifetimeChoice {
    /// Days.
    pub days: u32,
    /// For people, as the Entra admin center words it ("180 days (6 months)").
    pub label: String,
    /// Whether it is the profile's default.
    pub default: bool,
}

/// A custom end date that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifetimeError {
    /// Not a date (`YYYY-MM-DD`).
    #[error("'{0}' is not a date (YYYY-MM-DD)")]
    NotADate(String),
    /// Today or earlier.
    #[error("{0} is not after today: a secret must end in the future")]
    NotInTheFuture(NaiveDate),
    /// Beyond the profile's maximum.
    #[error("{end} is {days} days away; this integration allows at most {max} days")]
    TooFar {
        /// The date asked for.
        end: NaiveDate,
        /// Days from today.
        days: i64,
        /// The profile's maximum.
        max: u32,
    },
}

/// The lifetimes to offer for `profile`'s secret: the portal's within its maximum, its default
/// among them, shortest first.
pub fn lifetime_choices(profile: &Profile) -> Vec<LifetimeChoice> {
    let advice = &profile.secret;
    let mut days: Vec<u32> = PORTAL_LIFETIMES
        .into_iter()
        .filter(|d| *d <= advice.max_days)
        .collect();
    if advice.default_days > 0 && !days.contains(&advice.default_days) {
        days.push(advice.default_days);
    }
    days.sort_unstable();
    days.into_iter()
        .map(|d| LifetimeChoice {
            days: d,
            label: label(d),
            default: d == advice.default_days,
        })
        .collect()
}

/// A custom end date (`YYYY-MM-DD`) as days from `today`, within the profile's maximum.
pub fn days_until(end: &str, today: NaiveDate, profile: &Profile) -> Result<u32, LifetimeError> {
    let end_date = NaiveDate::parse_from_str(end.trim(), "%Y-%m-%d")
        .map_err(|_| LifetimeError::NotADate(end.trim().to_string()))?;
    let days = (end_date - today).num_days();
    if days < 1 {
        return Err(LifetimeError::NotInTheFuture(end_date));
    }
    let max = profile.secret.max_days;
    u32::try_from(days)
        .ok()
        .filter(|d| *d <= max)
        .ok_or(LifetimeError::TooFar {
            end: end_date,
            days,
            max,
        })
}

fn label(days: u32) -> String {
    match days {
        90 => "90 days (3 months)".into(),
        180 => "180 days (6 months)".into(),
        365 => "365 days (12 months)".into(),
        545 => "545 days (18 months)".into(),
        730 => "730 days (24 months)".into(),
        other => format!("{other} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Catalog;

    #[test]
    fn the_portals_lifetimes_within_the_profiles_limit() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-outlook-calendar").expect("profile");
        let choices = lifetime_choices(profile);
        let days: Vec<u32> = choices.iter().map(|c| c.days).collect();
        assert_eq!(days, [90, 180, 365, 545, 730]);
        assert_eq!(
            choices.iter().find(|c| c.default).map(|c| c.days),
            Some(profile.secret.default_days)
        );
        assert_eq!(choices[3].label, "545 days (18 months)");

        let mut short = profile.clone();
        short.secret.max_days = 200;
        short.secret.default_days = 120;
        let days: Vec<u32> = lifetime_choices(&short).iter().map(|c| c.days).collect();
        assert_eq!(days, [90, 120, 180]);
    }

    #[test]
    fn a_custom_end_date_is_days_within_the_limit() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-outlook-calendar").expect("profile");
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
        assert_eq!(days_until("2027-03-07", today, profile), Ok(90));
        assert!(matches!(
            days_until("07/03/2027", today, profile),
            Err(LifetimeError::NotADate(_))
        ));
        assert!(matches!(
            days_until("2026-12-07", today, profile),
            Err(LifetimeError::NotInTheFuture(_))
        ));
        assert!(matches!(
            days_until("2030-01-01", today, profile),
            Err(LifetimeError::TooFar { max: 730, .. })
        ));
    }
}

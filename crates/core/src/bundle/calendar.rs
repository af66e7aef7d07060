//! `secret-rotation.ics`: an all-day event on expiry − lead days with an alarm ("rotate now"),
//! and one on the expiry day, for Outlook, Google Calendar and Thunderbird. UIDs are derived
//! from the secret's key id, so importing a newer bundle of the same secret updates the events
//! instead of doubling them. Written with the `icalendar` crate (CRLF, 75-octet folding).
//! A certificate's events are worded for a certificate (its thumbprint, `rotate-certificate`
//! is not a command: the admin center's Certificates & secrets) and keyed the same way.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Trigger};

/// The product identifier in the calendar.
pub const PRODID: &str = "-//Entra Setup Wizard//entra-setup//EN";

/// What the events are about.
pub struct CalendarInputs<'a> {
    /// A secret's or a certificate's.
    pub kind: crate::credentials::CredentialType,
    /// The secret's or certificate's key id (the UIDs' stem).
    pub key_id: &'a str,
    /// When it expires.
    pub expires: DateTime<Utc>,
    /// Days before expiry for the rotation event.
    pub lead_days: u32,
    /// The app, for people ("Axero Outlook Calendar Sync", or its client ID).
    pub app: &'a str,
    /// The product setting that holds the secret, when the profile has one.
    pub setting: Option<&'a str>,
    /// The client ID.
    pub client_id: &'a str,
    /// The admin center page of the app's secrets.
    pub credentials_link: &'a str,
    /// DTSTAMP: when the bundle was made.
    pub stamp: DateTime<Utc>,
}

/// The UID of the rotation event of a secret.
pub fn rotate_uid(key_id: &str) -> String {
    format!("{}-rotate@entra-setup", key_id.to_ascii_lowercase())
}

/// The UID of the expiry-day event of a secret.
pub fn expiry_uid(key_id: &str) -> String {
    format!("{}-expires@entra-setup", key_id.to_ascii_lowercase())
}

/// A display alarm the day before. The writer always gives components a UID and a DTSTAMP;
/// they are set here from the event's, so the file is the same for the same secret.
fn alarm(text: &str, uid: &str, stamp: DateTime<Utc>) -> Alarm {
    Alarm::display(text, Trigger::before_start(Duration::days(1)))
        .uid(&format!("{uid}-alarm"))
        .timestamp(stamp)
        .done()
}

/// The calendar text.
pub fn ics(inputs: &CalendarInputs<'_>) -> String {
    let expiry_day = inputs.expires.date_naive();
    let rotate_day = expiry_day - Duration::days(i64::from(inputs.lead_days));
    let paste = inputs
        .setting
        .map(|s| format!(" and paste its Value into {s}"))
        .unwrap_or_default();
    let certificate = inputs.kind == crate::credentials::CredentialType::Certificate;
    let what = if certificate {
        "certificate"
    } else {
        "client secret"
    };
    let what_capital = if certificate {
        "Certificate"
    } else {
        "Client secret"
    };
    let steps = if certificate {
        format!(
            "The certificate of {} (client ID {}, certificate ID {}) expires on {}. \
             Upload a new certificate under Certificates & secrets and give it to the product, \
             confirm the integration still works, then delete the old certificate. \
             Admin center: {}",
            inputs.app,
            inputs.client_id,
            inputs.key_id,
            inputs.expires.format("%Y-%m-%d %H:%M UTC"),
            inputs.credentials_link,
        )
    } else {
        format!(
            "The client secret of {} (client ID {}, secret ID {}) expires on {}. \
             Add a new secret under Certificates & secrets{paste}, confirm the integration still works, \
             then delete the old secret. With the command line: entra-setup rotate-secret --client-id {}. \
             Admin center: {}",
            inputs.app,
            inputs.client_id,
            inputs.key_id,
            inputs.expires.format("%Y-%m-%d %H:%M UTC"),
            inputs.client_id,
            inputs.credentials_link,
        )
    };
    let rotate = Event::new()
        .uid(&rotate_uid(inputs.key_id))
        .timestamp(inputs.stamp)
        .all_day(rotate_day)
        .summary(&format!("Rotate the {what} of {}", inputs.app))
        .description(&steps)
        .alarm(alarm(
            &format!("Rotate the {what} of {} now", inputs.app),
            &rotate_uid(inputs.key_id),
            inputs.stamp,
        ))
        .done();
    let expires = Event::new()
        .uid(&expiry_uid(inputs.key_id))
        .timestamp(inputs.stamp)
        .all_day(expiry_day)
        .summary(&format!("{what_capital} of {} expires today", inputs.app))
        .description(&steps)
        .alarm(alarm(
            &format!("The {what} of {} expires tomorrow", inputs.app),
            &expiry_uid(inputs.key_id),
            inputs.stamp,
        ))
        .done();
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", PRODID))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        .push(rotate)
        .push(expires);
    calendar.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn events_fall_on_expiry_minus_lead_days_and_on_expiry() {
        let stamp = Utc
            .with_ymd_and_hms(2026, 6, 1, 9, 0, 0)
            .single()
            .expect("date");
        let expires = Utc
            .with_ymd_and_hms(2027, 6, 1, 0, 0, 0)
            .single()
            .expect("date");
        let text = ics(&CalendarInputs {
            kind: crate::credentials::CredentialType::Secret,
            key_id: "DDDDDDDD-0000-0000-0000-000000000001",
            expires,
            lead_days: 14,
            app: "Axero Outlook Calendar Sync, the one with a long name that needs folding",
            setting: Some("OutlookApiClientSecret"),
            client_id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
            credentials_link: "https://entra.microsoft.com/",
            stamp,
        });
        assert!(text.contains("DTSTART;VALUE=DATE:20270518\r\n"), "{text}");
        assert!(text.contains("DTSTART;VALUE=DATE:20270601\r\n"));
        assert!(text.contains("UID:dddddddd-0000-0000-0000-000000000001-rotate@entra-setup\r\n"));
        assert!(text.contains("ACTION:DISPLAY\r\n"));
        assert!(text.contains(&format!("PRODID:{PRODID}\r\n")));
        assert!(text.split("\r\n").all(|line| line.len() <= 75));
        let parsed: icalendar::Calendar = text.parse().expect("parses");
        assert_eq!(parsed.components.len(), 2);
    }
}

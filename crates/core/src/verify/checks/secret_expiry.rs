//! `secret_expiry`: which of the registration's client secrets is in use — the one whose `hint`
//! (its first three characters) matches the secret given, or the one that ends last when none is
//! given — and how long it has left, against the injected clock: ended fails `secret_expired`,
//! ending within [`EXPIRING_SOON_DAYS`] warns `secret_expiring_soon`, otherwise it passes with
//! its end date. A certificate's expiry is judged by the same rule (`InUse::judge`).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::cause::Cause;
use crate::check::CheckId;
use crate::endpoints::Cloud;
use crate::graph::applications::{Application, PasswordCredential};
use crate::portal::{self, AppPage};
use crate::verify::CheckResult;
use crate::verify::outcome::{fail, pass, warn};

/// A secret ending within this many days warns.
pub const EXPIRING_SOON_DAYS: i64 = 30;

/// Judge the secret in use; `hint` is the first three characters of the secret given, if any.
pub fn judge_secret_expiry<'a>(
    cloud: Cloud,
    app: &'a Application,
    hint: Option<&str>,
    now: DateTime<Utc>,
) -> CheckResult {
    let link = Some(portal::app_registration(
        cloud,
        &app.app_id,
        AppPage::Credentials,
    ));
    let secrets = &app.password_credentials;
    let latest = |list: Vec<&'a PasswordCredential>| ending_last(list, |s| s.end_date_time);
    let matching: Vec<&PasswordCredential> = match hint {
        Some(h) => secrets
            .iter()
            .filter(|s| s.hint.as_deref() == Some(h))
            .collect(),
        None => Vec::new(),
    };
    let (chosen, chosen_by) = match (hint, matching.len()) {
        (Some(_), 1..) => (latest(matching), "hint"),
        (Some(_), 0) => (latest(secrets.iter().collect()), "latest_end_no_hint_match"),
        (None, _) => (latest(secrets.iter().collect()), "latest_end"),
    };
    let Some(secret) = chosen else {
        return fail(
            CheckId::SecretExpiry,
            Cause::SecretMissing,
            "The registration has no client secret.",
            json!({ "secrets": 0 }),
        )
        .with_link(link);
    };
    let evidence = json!({
        "key_id": secret.key_id,
        "hint": secret.hint,
        "display_name": secret.display_name,
        "end_date_time": secret.end_date_time,
        "days_left": days_left(secret.end_date_time, now),
        "chosen_by": chosen_by,
        "secrets": secrets.len(),
    });
    let which = match chosen_by {
        "hint" => format!(
            "The secret in use (starting '{}')",
            secret.hint.as_deref().unwrap_or("")
        ),
        "latest_end_no_hint_match" => format!(
            "No registered secret starts with '{}'; the one that ends last ({})",
            hint.unwrap_or_default(),
            secret.key_id
        ),
        _ => format!("The secret that ends last ({})", secret.key_id),
    };
    let in_use = InUse {
        id: CheckId::SecretExpiry,
        which,
        end: secret.end_date_time,
        evidence,
        link,
    };
    in_use.judge(now, Cause::SecretExpired, Cause::SecretExpiringSoon)
}

/// The one of `credentials` that ends last by `end` (one without an end counts as last).
pub(super) fn ending_last<C>(
    credentials: Vec<&C>,
    end: impl Fn(&C) -> Option<DateTime<Utc>>,
) -> Option<&C> {
    credentials
        .into_iter()
        .max_by_key(|c| end(c).unwrap_or(DateTime::<Utc>::MAX_UTC))
}

/// Whole days from `now` until `end`, when there is one.
pub(super) fn days_left(end: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<i64> {
    end.map(|end| (end - now).num_days())
}

/// The credential in use, as an expiry check found it.
pub(super) struct InUse {
    /// The check.
    pub id: CheckId,
    /// How the messages name it ("The secret in use (starting 'Xy7')").
    pub which: String,
    /// When it stops working.
    pub end: Option<DateTime<Utc>>,
    /// What was found.
    pub evidence: Value,
    /// The portal page of the registration's credentials.
    pub link: Option<String>,
}

impl InUse {
    /// Judge its end date against `now`: none passes, ended fails `expired`, ending within
    /// [`EXPIRING_SOON_DAYS`] warns `expiring_soon`, later passes with the date.
    pub fn judge(self, now: DateTime<Utc>, expired: Cause, expiring_soon: Cause) -> CheckResult {
        let InUse {
            id,
            which,
            end,
            evidence,
            link,
        } = self;
        let Some(end) = end else {
            return pass(id, format!("{which} has no end date."), evidence);
        };
        let date = end.format("%Y-%m-%d");
        if end <= now {
            return fail(id, expired, format!("{which} ended on {date}."), evidence)
                .with_link(link);
        }
        let days = (end - now).num_days();
        let message = format!("{which} ends on {date}, in {days} days.");
        if days < EXPIRING_SOON_DAYS {
            return warn(id, expiring_soon, message, evidence).with_link(link);
        }
        pass(id, message, evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::Status;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
            .single()
            .expect("date")
    }

    fn secret(key: &str, hint: &str, end: Option<(i32, u32, u32)>) -> PasswordCredential {
        PasswordCredential {
            key_id: key.into(),
            display_name: Some("wizard".into()),
            hint: Some(hint.into()),
            start_date_time: None,
            end_date_time: end.map(|(y, m, d)| {
                Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
                    .single()
                    .expect("date")
            }),
        }
    }

    fn app(secrets: Vec<PasswordCredential>) -> Application {
        let mut app: Application =
            serde_json::from_value(json!({ "id": "c", "appId": "b" })).expect("application");
        app.password_credentials = secrets;
        app
    }

    fn judge(app: &Application, hint: Option<&str>) -> CheckResult {
        judge_secret_expiry(Cloud::Global, app, hint, now())
    }

    #[test]
    fn the_secret_in_use_is_found_by_its_hint() {
        let app = app(vec![
            secret("old", "Xy7", Some((2026, 3, 10))),
            secret("new", "Ab1", Some((2028, 1, 1))),
        ]);
        let result = judge(&app, Some("Xy7"));
        assert_eq!(
            (result.status, result.cause),
            (Status::Warn, Some(Cause::SecretExpiringSoon))
        );
        assert_eq!(result.evidence["key_id"], "old");
        assert_eq!(result.evidence["days_left"], 9);
        let latest = judge(&app, None);
        assert_eq!(latest.status, Status::Pass);
        assert_eq!(latest.evidence["key_id"], "new");
    }

    #[test]
    fn an_ended_secret_fails() {
        let result = judge(
            &app(vec![secret("k", "Xy7", Some((2025, 6, 30)))]),
            Some("Xy7"),
        );
        assert_eq!(
            (result.status, result.cause),
            (Status::Fail, Some(Cause::SecretExpired))
        );
        assert!(result.message.contains("2025-06-30"));
        assert!(result.portal_link.is_some());
    }

    #[test]
    fn no_secret_at_all_fails() {
        let result = judge(&app(vec![]), None);
        assert_eq!(
            (result.status, result.cause),
            (Status::Fail, Some(Cause::SecretMissing))
        );
    }
}

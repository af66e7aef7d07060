//! `secret_expiry`: which of the registration's client secrets is in use — the one whose `hint`
//! (its first three characters) matches the secret given, or the one that ends last when none is
//! given — and how long it has left, against the injected clock: ended fails `secret_expired`,
//! ending within [`EXPIRING_SOON_DAYS`] warns `secret_expiring_soon`, otherwise it passes with
//! its end date.

use chrono::{DateTime, Utc};
use serde_json::json;

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
pub fn judge_secret_expiry(
    cloud: Cloud,
    app: &Application,
    hint: Option<&str>,
    now: DateTime<Utc>,
) -> CheckResult {
    let link = Some(portal::app_registration(
        cloud,
        &app.app_id,
        AppPage::Credentials,
    ));
    let secrets = &app.password_credentials;
    fn latest(list: Vec<&PasswordCredential>) -> Option<&PasswordCredential> {
        list.into_iter()
            .max_by_key(|s| s.end_date_time.unwrap_or(DateTime::<Utc>::MAX_UTC))
    }
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
    let days_left = secret.end_date_time.map(|end| (end - now).num_days());
    let evidence = json!({
        "key_id": secret.key_id,
        "hint": secret.hint,
        "display_name": secret.display_name,
        "end_date_time": secret.end_date_time,
        "days_left": days_left,
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
    let Some(end) = secret.end_date_time else {
        return pass(
            CheckId::SecretExpiry,
            format!("{which} has no end date."),
            evidence,
        );
    };
    let date = end.format("%Y-%m-%d");
    if end <= now {
        return fail(
            CheckId::SecretExpiry,
            Cause::SecretExpired,
            format!("{which} ended on {date}."),
            evidence,
        )
        .with_link(link);
    }
    let days = days_left.unwrap_or_default();
    if days < EXPIRING_SOON_DAYS {
        return warn(
            CheckId::SecretExpiry,
            Cause::SecretExpiringSoon,
            format!("{which} ends on {date}, in {days} days."),
            evidence,
        )
        .with_link(link);
    }
    pass(
        CheckId::SecretExpiry,
        format!("{which} ends on {date}, in {days} days."),
        evidence,
    )
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
        Application {
            id: "c".into(),
            app_id: "b".into(),
            display_name: None,
            sign_in_audience: None,
            web: None,
            spa: None,
            public_client: None,
            required_resource_access: vec![],
            password_credentials: secrets,
            key_credentials: vec![],
        }
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

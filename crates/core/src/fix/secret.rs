//! A new client secret: `addPassword` with an explicit start and end date (never Graph's
//! two-year default, which tenant app management policies refuse — reference/microsoft-wire.md
//! §7). The lifetime is the profile's default, or the days asked for capped at the profile's
//! maximum, then capped at the tenant's app management policy: the default policy and the
//! custom policies applied to the registration are read first ([`policy_max_days`]) and the
//! shortest enforced `passwordLifetime` wins, which the change then says. When the policies
//! cannot be read (the administrator may lack the rights), a
//! `CredentialInvalidLifetimeAsPerAppPolicy` refusal is retried once with the policy's maximum
//! when the error states it (`P90D`, `90 days`); otherwise it is
//! [`FixError::SecretLifetimePolicy`]. The value comes back as a [`Secret`], never logged; the
//! new secret is waited for until the registration shows it (so it works at once).

use chrono::{DateTime, Duration, Utc};

use super::replication::{retry_while_replicating, wait_until_visible};
use super::{Change, ChangeKind, FixError, RepairSession};
use crate::cause::Cause;
use crate::graph::app_management::{
    PasswordRestriction, app_management_policies_of, default_app_management_policy,
};
use crate::graph::applications::Application;
use crate::graph::{self, AddedPassword, GraphError, WriteError};
use crate::identity::{self, TokenError};
use crate::profile::Profile;
use crate::secret::Secret;

/// A client secret just added.
#[derive(Debug, Clone)]
pub struct NewSecret {
    /// The secret ID.
    pub key_id: String,
    /// The value's first three characters.
    pub hint: String,
    /// When it stops working.
    pub expires: DateTime<Utc>,
    /// How many days it lives.
    pub days: u32,
    /// The lifetime asked for, when the tenant's app management policy shortened it.
    pub capped_from: Option<u32>,
    /// The value (shown once at most, never logged).
    pub value: Secret,
    /// What changed.
    pub change: Change,
}

/// The lifetime for a new secret: `requested` (or the profile's default) capped at the profile's
/// maximum; [`FixError::SecretNotNeeded`] for a profile without a secret of its own.
pub fn secret_days(profile: &Profile, requested: Option<u32>) -> Result<u32, FixError> {
    let advice = &profile.secret;
    if !advice.required || advice.max_days == 0 {
        return Err(FixError::SecretNotNeeded);
    }
    Ok(requested
        .unwrap_or(advice.default_days)
        .clamp(1, advice.max_days))
}

/// Add a secret named `display_name` valid for `days` to the registration `app` of `tenant`;
/// `fresh` when the registration was just created (replication is waited out). Returns once the
/// token endpoint accepts the new secret (or answers anything but "not yet"), or when the
/// patience runs out (the secret is returned then too: it exists and must not be lost).
pub async fn add_secret(
    app: &Application,
    tenant: &str,
    display_name: &str,
    days: u32,
    fresh: bool,
    session: &RepairSession<'_>,
) -> Result<NewSecret, FixError> {
    let (object_id, app_id) = (app.id.as_str(), app.app_id.as_str());
    let graph = session.graph();
    let start = session.ctx.now;
    let asked = days;
    let days = match policy_max_days(session, object_id).await {
        Some(max) if max < days && max > 0 => {
            (session.progress)(&format!(
                "The tenant's app management policy allows client secrets of at most {max} days; the new one is valid for {max} days."
            ));
            max
        }
        _ => days,
    };
    let attempt = |days: u32| async move {
        retry_while_replicating(session, fresh, "client secret create", || {
            graph::write::add_password(
                &graph,
                object_id,
                display_name,
                start,
                start + Duration::days(i64::from(days)),
            )
        })
        .await
    };
    let (added, days): (AddedPassword, u32) = match attempt(days).await {
        Ok(added) => (added, days),
        Err(FixError::Write {
            source: WriteError::Refused { error, .. },
            ..
        }) if error.code == "CredentialInvalidLifetimeAsPerAppPolicy" => {
            match stated_max_days(&error).filter(|max| *max < days && *max > 0) {
                Some(max) => {
                    (session.progress)(&format!(
                        "The tenant's app management policy allows secrets of at most {max} days; asking for {max}."
                    ));
                    match attempt(max).await {
                        Ok(added) => (added, max),
                        Err(FixError::Write {
                            source: WriteError::Refused { error, .. },
                            ..
                        }) if error.code == "CredentialInvalidLifetimeAsPerAppPolicy" => {
                            return Err(FixError::SecretLifetimePolicy {
                                requested_days: max,
                                error,
                            });
                        }
                        Err(other) => return Err(other),
                    }
                }
                None => {
                    return Err(FixError::SecretLifetimePolicy {
                        requested_days: days,
                        error,
                    });
                }
            }
        }
        Err(other) => return Err(other),
    };
    // The secret exists now: a wait that runs out must not lose its value, so it is returned
    // anyway (the verification that follows tells whether it works yet).
    match wait_until_accepted(session, tenant, app_id, &added.secret_text).await {
        Ok(()) => {}
        Err(FixError::ReplicationTimeout { waited, .. }) => (session.progress)(&format!(
            "Microsoft did not accept the new secret within {} seconds; it may need a few more minutes.",
            waited.as_secs()
        )),
        Err(other) => return Err(other),
    }
    let hint = added
        .hint
        .clone()
        .unwrap_or_else(|| added.secret_text.hint());
    let capped_from = (days < asked).then_some(asked);
    let capped = match capped_from {
        Some(asked) => format!(" (capped from {asked} days by the tenant's app management policy)"),
        None => String::new(),
    };
    let change = Change::new(
        ChangeKind::SecretAdded,
        format!(
            "added client secret \"{display_name}\" ({hint}…, ID {}) valid for {days} days{capped}, until {}",
            added.key_id,
            added.end_date_time.format("%Y-%m-%d")
        ),
    );
    Ok(NewSecret {
        key_id: added.key_id,
        hint,
        expires: added.end_date_time,
        days,
        capped_from,
        value: added.secret_text,
        change,
    })
}

/// Wait until the token endpoint accepts the new secret: right after `addPassword` Microsoft
/// answers AADSTS7000215 (invalid secret) or AADSTS700016 (unknown app) for a while. Any other
/// answer ends the wait (the verification that follows explains it).
async fn wait_until_accepted(
    session: &RepairSession<'_>,
    tenant: &str,
    app_id: &str,
    secret: &Secret,
) -> Result<(), FixError> {
    let ctx = session.ctx;
    let scope = ctx.endpoints.graph_default_scope();
    wait_until_visible(session, "the new client secret", || async {
        match identity::client_credentials(
            &ctx.http,
            &ctx.endpoints,
            tenant,
            app_id,
            secret,
            &scope,
        )
        .await
        {
            Err(TokenError::Rejected(aad)) => Ok(!matches!(
                identity::cause_of(&aad),
                Some(Cause::SecretInvalid | Cause::ClientIdNotFound)
            )),
            Ok(_) | Err(TokenError::Unavailable(_)) => Ok(true),
        }
    })
    .await
}

/// The longest lifetime the tenant's app management policies allow a new secret of the
/// registration `object_id`: the shortest enforced `passwordLifetime` of the default policy (when
/// enabled) and of the enabled custom policies applied to it. `None` when no policy caps it, or
/// when the policies cannot be read (the refusal of `addPassword`, if any, is explained then).
/// A restriction's `restrictForAppsCreatedAfterDateTime` is not weighed, nor whether a custom
/// policy replaces the default: the shortest cap is applied, which errs on the short side and is
/// never refused.
pub async fn policy_max_days(session: &RepairSession<'_>, object_id: &str) -> Option<u32> {
    let graph = session.graph();
    let mut caps: Vec<u32> = Vec::new();
    let mut unread = false;
    match default_app_management_policy(&graph).await {
        Ok(policy) if policy.is_enabled => caps.extend(
            policy
                .application_restrictions
                .iter()
                .flat_map(|r| &r.password_credentials)
                .filter_map(PasswordRestriction::max_lifetime_days),
        ),
        Ok(_) => {}
        Err(_) => unread = true,
    }
    match app_management_policies_of(&graph, object_id).await {
        Ok(policies) => caps.extend(
            policies
                .iter()
                .filter(|p| p.is_enabled)
                .flat_map(|p| p.restrictions.iter())
                .flat_map(|r| &r.password_credentials)
                .filter_map(PasswordRestriction::max_lifetime_days),
        ),
        // A registration created a moment ago may not be visible yet: no custom policy can
        // apply to it then.
        Err(crate::graph::ReadError::NotFound(_)) => {}
        Err(_) => unread = true,
    }
    if unread {
        (session.progress)(
            "Could not read the tenant's app management policy; asking for the lifetime as planned.",
        );
    }
    caps.into_iter().min()
}

/// The policy's maximum lifetime in days, when the error states it (`P90D` or `90 days`).
fn stated_max_days(error: &GraphError) -> Option<u32> {
    let text = format!(
        "{} {}",
        error.message,
        error.inner_error.clone().unwrap_or_default()
    );
    let iso = regex::Regex::new(r"\bP(\d{1,5})D\b").ok()?;
    if let Some(days) = iso.captures(&text).and_then(|c| c[1].parse().ok()) {
        return Some(days);
    }
    let words = regex::Regex::new(r"(?i)\b(\d{1,5})\s*days?\b").ok()?;
    words.captures(&text).and_then(|c| c[1].parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Catalog;

    #[test]
    fn days_default_and_cap() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-outlook-calendar").expect("profile");
        assert_eq!(secret_days(profile, None).ok(), Some(365));
        assert_eq!(secret_days(profile, Some(5000)).ok(), Some(730));
        assert_eq!(secret_days(profile, Some(30)).ok(), Some(30));
        let vendor = catalog.get("vendor-app-consent").expect("profile");
        assert!(matches!(
            secret_days(vendor, None),
            Err(FixError::SecretNotNeeded)
        ));
    }

    #[test]
    fn the_policy_maximum_is_read_only_when_stated() {
        let error = |message: &str| GraphError {
            code: "CredentialInvalidLifetimeAsPerAppPolicy".into(),
            message: message.into(),
            inner_error: None,
        };
        assert_eq!(
            stated_max_days(&error(
                "Credential lifetime exceeds the max value allowed as per assigned policy 'abc'."
            )),
            None
        );
        assert_eq!(
            stated_max_days(&error("maxLifetime P90D exceeded")),
            Some(90)
        );
        assert_eq!(
            stated_max_days(&error("at most 180 days allowed")),
            Some(180)
        );
    }
}

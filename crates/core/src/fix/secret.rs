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
//!
//! `addPassword` is not safe to repeat (each call makes one more secret), so a lost answer is
//! settled by reading: each attempt names its secret with a random mark, and a secret found under
//! that name is removed before another is added ([`add_secret`]); [`remove_password_settled`]
//! does the same for a lost answer to `removePassword`.

use chrono::{DateTime, Duration, Utc};

use super::replication::{retry_while_replicating, wait_until_visible};
use super::{Change, ChangeKind, FixError, RepairSession};
use crate::cause::Cause;
use crate::graph::app_management::{
    CredentialRestrictions, app_management_policies_of, default_app_management_policy,
};
use crate::graph::applications::Application;
use crate::graph::{self, AddedPassword, GraphError, WriteError};
use crate::identity::{self, TokenError};
use crate::profile::{CredentialType, Profile};
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

/// Add a secret valid for `days` to the registration `app` of `tenant`, named `display_name`
/// followed by a short mark of this attempt (so that it can be found again if Microsoft's answer is
/// lost); `fresh` when the registration was just created (replication is waited out). Returns
/// once the token endpoint accepts the new secret (or answers anything but "not yet"), or when
/// the patience runs out (the secret is returned then too: it exists and must not be lost).
///
/// When the answer to `addPassword` is lost (cause `write_outcome_unknown`), the registration is
/// read again: a secret of that attempt's name is removed — nobody saw its value — and one more is
/// added. One that cannot be found yet is looked for again after the new secret works; if it
/// still cannot be, the change says its name, to be deleted should it appear.
pub async fn add_secret(
    app: &Application,
    tenant: &str,
    display_name: &str,
    days: u32,
    fresh: bool,
    session: &RepairSession<'_>,
) -> Result<NewSecret, FixError> {
    let (object_id, app_id) = (app.id.as_str(), app.app_id.as_str());
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
    let mut lost: Vec<String> = Vec::new();
    let target = Target {
        app_id,
        object_id,
        display_name,
        start,
        fresh,
    };
    let ((added, name), days): ((AddedPassword, String), u32) = match add_settled(
        session, &target, days, &mut lost,
    )
    .await
    {
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
                    match add_settled(session, &target, max, &mut lost).await {
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
                        Err(other) => return Err(lost_secret_error(other, app_id, &lost)),
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
        Err(other) => return Err(lost_secret_error(other, app_id, &lost)),
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
    // A lost secret not found before may have replicated by now.
    let mut still_lost = Vec::new();
    for lost_name in lost {
        if !remove_named(session, app_id, object_id, &lost_name)
            .await
            .unwrap_or(false)
        {
            still_lost.push(lost_name);
        }
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
    let warning = match still_lost.as_slice() {
        [] => String::new(),
        names => format!(
            "; Microsoft's answer to an earlier attempt was lost: should a client secret named {} appear under Certificates & secrets, delete it, its value was never shown",
            names
                .iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    };
    let change = Change::new(
        ChangeKind::SecretAdded,
        format!(
            "added client secret \"{name}\" ({hint}…, ID {}) valid for {days} days{capped}, until {}{warning}",
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

/// What [`add_settled`] adds a secret to.
struct Target<'a> {
    app_id: &'a str,
    object_id: &'a str,
    display_name: &'a str,
    start: DateTime<Utc>,
    fresh: bool,
}

/// One `addPassword` of `days`, settled after a lost answer: the secret of the lost attempt is
/// removed (or its name kept in `lost` when it cannot be seen) and one more attempt is made.
/// The secret and the name it was given.
async fn add_settled(
    session: &RepairSession<'_>,
    target: &Target<'_>,
    days: u32,
    lost: &mut Vec<String>,
) -> Result<(AddedPassword, String), FixError> {
    let graph = session.graph();
    let end = target.start + Duration::days(i64::from(days));
    let mut attempts_left = 2;
    loop {
        attempts_left -= 1;
        let name = marked(target.display_name);
        let added = retry_while_replicating(session, target.fresh, "client secret create", || {
            graph::write::add_password(&graph, target.object_id, &name, target.start, end)
        })
        .await;
        match added {
            Err(FixError::Write {
                source: WriteError::Unavailable(fault),
                what,
            }) if fault.cause == Cause::WriteOutcomeUnknown => {
                (session.progress)(&format!(
                    "Microsoft's answer to adding the client secret \"{name}\" was lost; reading the registration to see whether it was added."
                ));
                match remove_named(session, target.app_id, target.object_id, &name).await {
                    Ok(true) => {}
                    Ok(false) => lost.push(name),
                    Err(error) => {
                        lost.push(name);
                        return Err(error);
                    }
                }
                if attempts_left == 0 {
                    return Err(FixError::Write {
                        what,
                        source: WriteError::Unavailable(fault),
                    });
                }
            }
            other => return other.map(|added| (added, name)),
        }
    }
}

/// `base` followed by a short random mark: the name one attempt of `addPassword` gives its secret.
fn marked(base: &str) -> String {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 3];
    // Without randomness the mark is the time's nanoseconds: still distinct between attempts.
    if ring::rand::SystemRandom::new().fill(&mut bytes).is_err() {
        let nanos = Utc::now().timestamp_subsec_nanos().to_be_bytes();
        bytes.copy_from_slice(&nanos[1..]);
    }
    let mark: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{base} #{mark}")
}

/// After a lost answer: remove every secret of the registration named `name` (nobody saw its
/// value). `true` when the registration was read and no such secret is left; `false` when none
/// can be seen (it may not exist, or may not have replicated yet).
async fn remove_named(
    session: &RepairSession<'_>,
    app_id: &str,
    object_id: &str,
    name: &str,
) -> Result<bool, FixError> {
    let app = graph::application_by_app_id(&session.graph(), app_id)
        .await
        .map_err(|source| FixError::Read {
            what: "app registration read",
            source,
        })?;
    let found: Vec<String> = app
        .password_credentials
        .iter()
        .filter(|c| c.display_name.as_deref() == Some(name))
        .map(|c| c.key_id.clone())
        .collect();
    if found.is_empty() {
        return Ok(false);
    }
    for key_id in found {
        remove_password_settled(session, app_id, object_id, &key_id).await?;
        (session.progress)(&format!(
            "Removed the client secret \"{name}\" (ID {key_id}) that the lost answer had made: its value was never shown."
        ));
    }
    Ok(true)
}

/// The error of a secret that could not be added, naming any secret a lost answer may have left.
fn lost_secret_error(error: FixError, client_id: &str, lost: &[String]) -> FixError {
    match lost.first() {
        Some(name) => FixError::SecretValueLost {
            client_id: client_id.to_string(),
            display_name: name.clone(),
            source: Box::new(error),
        },
        None => error,
    }
}

/// `removePassword` of `key_id`, made sure of: `true` when it was removed (now, or by an attempt
/// whose answer was lost), `false` when the registration had no such secret. After a lost answer
/// the registration is read again, and the removal repeated only when the secret is still there.
pub(super) async fn remove_password_settled(
    session: &RepairSession<'_>,
    app_id: &str,
    object_id: &str,
    key_id: &str,
) -> Result<bool, FixError> {
    let what = "client secret remove";
    let graph = session.graph();
    let gone = |error: &WriteError| {
        matches!(error, WriteError::Refused { status: 400, error }
            if error.message.to_ascii_lowercase().contains("no password credential"))
    };
    match graph::write::remove_password(&graph, object_id, key_id).await {
        Ok(()) => Ok(true),
        Err(error) if gone(&error) => Ok(false),
        Err(WriteError::Unavailable(fault)) if fault.cause == Cause::WriteOutcomeUnknown => {
            let app = graph::application_by_app_id(&graph, app_id)
                .await
                .map_err(|source| FixError::Read {
                    what: "app registration read",
                    source,
                })?;
            if !app
                .password_credentials
                .iter()
                .any(|c| c.key_id.eq_ignore_ascii_case(key_id))
            {
                return Ok(true);
            }
            match graph::write::remove_password(&graph, object_id, key_id).await {
                Ok(()) => Ok(true),
                // The first attempt removed it; the read was behind.
                Err(error) if gone(&error) => Ok(true),
                Err(source) => Err(FixError::Write { what, source }),
            }
        }
        Err(source) => Err(FixError::Write { what, source }),
    }
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
    policy_max_days_of(session, object_id, CredentialType::Secret).await
}

/// [`policy_max_days`] for a kind of credential: a certificate is capped by the policies'
/// `keyCredentials` restrictions (`asymmetricKeyLifetime`).
pub async fn policy_max_days_of(
    session: &RepairSession<'_>,
    object_id: &str,
    kind: CredentialType,
) -> Option<u32> {
    let cap = |r: &CredentialRestrictions| -> Vec<u32> {
        let list = match kind {
            CredentialType::Secret => &r.password_credentials,
            CredentialType::Certificate => &r.key_credentials,
        };
        list.iter()
            .filter_map(|restriction| match kind {
                CredentialType::Secret => restriction.max_lifetime_days(),
                CredentialType::Certificate => restriction.max_key_lifetime_days(),
            })
            .collect()
    };
    let graph = session.graph();
    let mut caps: Vec<u32> = Vec::new();
    let mut unread = false;
    match default_app_management_policy(&graph).await {
        Ok(policy) if policy.is_enabled => {
            caps.extend(policy.application_restrictions.iter().flat_map(cap))
        }
        Ok(_) => {}
        Err(_) => unread = true,
    }
    match app_management_policies_of(&graph, object_id).await {
        Ok(policies) => caps.extend(
            policies
                .iter()
                .filter(|p| p.is_enabled)
                .flat_map(|p| p.restrictions.iter())
                .flat_map(cap),
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

//! Rotating a client secret in two explicit steps, so the product never loses a working one.
//!
//! [`rotate_secret`] adds a new secret *beside* the existing ones (an explicit end date within
//! the profile's and the tenant's limits, as `register` does), waits until Microsoft accepts it
//! and confirms it with a client-credentials token ([`confirm_secret`]). It never removes
//! anything: the product keeps working with the old secret until it is given the new one.
//!
//! [`remove_secret`] then removes one old secret (`removePassword`), but only while another
//! secret that works remains. "Works" means: the remaining secret has started and has not ended
//! (by the registration's dates, against the injected clock); and, when the administrator
//! supplies the value of the secret they keep, Microsoft issues a token for that value and its
//! hint (first three characters) belongs to a remaining secret, not to the one being removed.
//! Removing a secret that has already ended is always allowed (it works for nobody). Removing a
//! secret ID the registration does not have changes nothing and says so.

use super::removal_rule::{Removable, Split, ending_last, registration_to_change, remove};
use super::secret::add_secret;
use super::{Change, ChangeKind, FixError, NewSecret, RepairSession};
use crate::cause::Cause;
use crate::check::CheckId;
use crate::graph::applications::{Application, PasswordCredential};
use crate::graph::{self, ReadError};
use crate::identity::{self, TokenError};
use crate::profile::Profile;
use crate::secret::Secret;

/// The lifetime of a rotated secret when no profile says otherwise (Microsoft recommends less
/// than 12 months).
pub const ROTATION_DEFAULT_DAYS: u32 = 180;
/// The longest lifetime a rotated secret may have without a profile: the Entra admin center's
/// 24 months.
pub const ROTATION_MAX_DAYS: u32 = 730;

/// What [`rotate_secret`] did.
#[derive(Debug, Clone)]
pub struct Rotated {
    /// The application (client) ID.
    pub client_id: String,
    /// The registration's object ID.
    pub object_id: String,
    /// Every change, in the order made (the secret added).
    pub changes: Vec<Change>,
    /// The new secret.
    pub secret: NewSecret,
    /// Whether Microsoft issues a token for the new secret.
    pub confirmation: SecretConfirmation,
}

/// What [`remove_secret`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// The application (client) ID.
    pub client_id: String,
    /// The registration's object ID.
    pub object_id: String,
    /// The secret ID asked to be removed.
    pub key_id: String,
    /// Whether it was removed now (`false`: the registration had no such secret).
    pub removed: bool,
    /// The secret that keeps working (its ID), when one was found.
    pub kept: Option<String>,
    /// The changes (none when nothing was removed).
    pub changes: Vec<Change>,
}

/// Whether Microsoft accepts a secret: the answer of a client-credentials token request.
#[derive(Debug, Clone, PartialEq)]
pub enum SecretConfirmation {
    /// A token was issued.
    Accepted,
    /// Microsoft refused it; the cause says why (invalid, expired, …).
    Rejected(Cause),
    /// Microsoft could not be asked (network, throttling, 5xx).
    Unavailable(Cause),
}

impl SecretConfirmation {
    /// Whether a token was issued.
    pub fn is_accepted(&self) -> bool {
        matches!(self, SecretConfirmation::Accepted)
    }

    /// What the token endpoint's `answer` says of a credential; `refused` is the cause when
    /// Microsoft refuses it without one it names.
    pub(super) fn of<T>(answer: Result<T, TokenError>, refused: Cause) -> SecretConfirmation {
        match answer {
            Ok(_) => SecretConfirmation::Accepted,
            Err(TokenError::Rejected(aad)) => {
                SecretConfirmation::Rejected(identity::cause_of(&aad).unwrap_or(refused))
            }
            Err(TokenError::Unavailable(fault)) => SecretConfirmation::Unavailable(fault.cause),
        }
    }
}

/// The lifetime of a rotated secret: with a profile, as `register` decides
/// ([`super::secret_days`]); without one, `requested` or [`ROTATION_DEFAULT_DAYS`], capped at
/// [`ROTATION_MAX_DAYS`].
pub fn rotation_days(profile: Option<&Profile>, requested: Option<u32>) -> Result<u32, FixError> {
    match profile {
        Some(profile) => super::secret_days(profile, requested),
        None => Ok(requested
            .unwrap_or(ROTATION_DEFAULT_DAYS)
            .clamp(1, ROTATION_MAX_DAYS)),
    }
}

/// The checks that judge a client secret alone (tenant, client ID, secret, its expiry): what
/// `rotate-secret` verifies when no profile is given. Built on the shipped `custom` profile, named
/// `client-secret` in the report.
pub fn secret_checks_profile() -> Option<Profile> {
    let mut profile = crate::profile::Catalog::shipped().get("custom")?.clone();
    profile.id = "client-secret".into();
    profile.title = "Client secret".into();
    profile.checks = vec![
        CheckId::Tenant,
        CheckId::ClientId,
        CheckId::ClientSecret,
        CheckId::SecretExpiry,
    ];
    Some(profile)
}

/// Ask the token endpoint of `tenant` for a Graph token with `secret` for `client_id`.
pub async fn confirm_secret(
    session: &RepairSession<'_>,
    tenant: &str,
    client_id: &str,
    secret: &Secret,
) -> SecretConfirmation {
    let ctx = session.ctx;
    let scope = ctx.endpoints.graph_default_scope();
    let answer =
        identity::client_credentials(&ctx.http, &ctx.endpoints, tenant, client_id, secret, &scope)
            .await;
    SecretConfirmation::of(answer, Cause::SecretInvalid)
}

/// The registration with client ID `client_id`, or [`FixError::ClientIdNotFound`].
pub(super) async fn registration(
    session: &RepairSession<'_>,
    client_id: &str,
) -> Result<Application, FixError> {
    match graph::application_by_app_id(&session.graph(), client_id).await {
        Ok(app) => Ok(app),
        Err(ReadError::NotFound(_)) => Err(FixError::ClientIdNotFound {
            client_id: client_id.to_string(),
        }),
        Err(source) => Err(FixError::Read {
            what: "the app registration",
            source,
        }),
    }
}

/// Add a new secret valid for `days` to the registration `client_id` of `tenant`, beside the
/// existing ones, and confirm it works.
#[tracing::instrument(
    name = "repair",
    skip_all,
    fields(tenant, client_id, days),
    err(Display)
)]
pub async fn rotate_secret(
    tenant: &str,
    client_id: &str,
    days: u32,
    session: &RepairSession<'_>,
) -> Result<Rotated, FixError> {
    let (app, name) = begin_rotation(tenant, client_id, session).await?;
    let secret = add_secret(&app, tenant, &name, days, false, session).await?;
    let confirmation = confirm_secret(session, tenant, &app.app_id, &secret.value).await;
    Ok(Rotated {
        client_id: app.app_id,
        object_id: app.id,
        changes: vec![secret.change.clone()],
        secret,
        confirmation,
    })
}

/// What adding a credential beside the others starts with: the registration read to change it
/// (the tenant checked first) and the new credential's display name, `entra-setup YYYY-MM-DD`.
pub(super) async fn begin_rotation(
    tenant: &str,
    client_id: &str,
    session: &RepairSession<'_>,
) -> Result<(Application, String), FixError> {
    let app = registration_to_change(tenant, client_id, session).await?;
    Ok((
        app,
        format!("entra-setup {}", session.ctx.now.format("%Y-%m-%d")),
    ))
}

/// Remove the secret `key_id` of the registration `client_id` of `tenant`, unless that would
/// leave no secret that works (see the module's rule); `kept` is the value of the secret the
/// product keeps using, when the administrator gives it, confirmed by a token request.
pub async fn remove_secret(
    tenant: &str,
    client_id: &str,
    key_id: &str,
    kept: Option<&Secret>,
    session: &RepairSession<'_>,
) -> Result<Removal, FixError> {
    remove::<PasswordCredential>(tenant, client_id, key_id, kept, session).await
}

/// A secret the product keeps is told by its hint (its first three characters).
impl Removable for PasswordCredential {
    type Kept = Secret;
    const NAME: &'static str = "client secret";
    const GIVEN: &'static str = "secret value";
    const NONE_LEFT: Cause = Cause::SecretMissing;

    fn all(app: &Application) -> &[Self] {
        &app.password_credentials
    }

    fn kept_among(
        split: &Split<'_, Self>,
        kept: &Secret,
    ) -> Result<Option<String>, (&'static str, Cause)> {
        let hint = kept.hint();
        let matching: Vec<&PasswordCredential> = split
            .working
            .iter()
            .copied()
            .filter(|s| s.hint.as_deref() == Some(hint.as_str()))
            .collect();
        if matching.is_empty() {
            let reason = if split.target.hint.as_deref() == Some(hint.as_str()) {
                "the secret value given is the one to be removed; give the value of the secret the product keeps"
            } else {
                "the secret value given belongs to none of the remaining unexpired secrets"
            };
            return Err((reason, Cause::SecretInvalid));
        }
        Ok(ending_last(&matching))
    }

    async fn confirm(
        session: &RepairSession<'_>,
        tenant: &str,
        client_id: &str,
        kept: &Secret,
    ) -> SecretConfirmation {
        confirm_secret(session, tenant, client_id, kept).await
    }

    async fn remove(
        session: &RepairSession<'_>,
        app: &Application,
        split: &Split<'_, Self>,
    ) -> Result<bool, FixError> {
        super::secret::remove_password_settled(session, &app.app_id, &app.id, &split.target.key_id)
            .await
    }

    fn removed(target: &Self, ended: &str) -> Change {
        let name = target
            .display_name
            .as_deref()
            .filter(|n| !n.is_empty())
            .map(|n| format!(" \"{n}\""))
            .unwrap_or_default();
        Change::new(
            ChangeKind::SecretRemoved,
            format!(
                "removed client secret{name} ({}…, ID {}{ended})",
                target.hint.as_deref().unwrap_or(""),
                target.key_id
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::removal_rule::Dated;
    use crate::profile::Catalog;

    #[test]
    fn rotation_lifetime_without_and_with_a_profile() {
        assert_eq!(rotation_days(None, None).ok(), Some(ROTATION_DEFAULT_DAYS));
        assert_eq!(
            rotation_days(None, Some(9000)).ok(),
            Some(ROTATION_MAX_DAYS)
        );
        assert_eq!(rotation_days(None, Some(30)).ok(), Some(30));
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-outlook-calendar").expect("profile");
        assert_eq!(rotation_days(Some(profile), None).ok(), Some(365));
    }

    #[test]
    fn the_secret_checks_are_the_four_that_judge_a_secret() {
        let profile = secret_checks_profile().expect("built on the custom profile");
        assert_eq!(profile.id, "client-secret");
        assert_eq!(
            profile.checks,
            [
                CheckId::Tenant,
                CheckId::ClientId,
                CheckId::ClientSecret,
                CheckId::SecretExpiry
            ]
        );
    }

    #[test]
    fn a_secret_is_in_force_between_its_dates() {
        let now = chrono::Utc::now();
        let secret = |start: i64, end: i64| PasswordCredential {
            key_id: "k".into(),
            display_name: None,
            hint: None,
            start_date_time: Some(now + chrono::Duration::days(start)),
            end_date_time: Some(now + chrono::Duration::days(end)),
        };
        assert!(secret(-1, 1).in_force(now));
        assert!(!secret(-10, -1).in_force(now));
        assert!(!secret(1, 10).in_force(now));
    }
}

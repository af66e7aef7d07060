//! The rule for removing a credential (a client secret or a certificate), shared by both: it
//! may go while another of the registration's credentials of its kind still works by its dates;
//! the one kept is the one ending last, or the one the product uses when the admin gives it and
//! Microsoft accepts it; an ended credential may always go. [`remove`] applies it; what each
//! kind removes, how it tells and confirms the kept one and how it says the removal is its own
//! module's ([`Removable`]).

use chrono::{DateTime, Utc};

use super::rotation::{Removal, SecretConfirmation, registration};
use super::{Change, FixError, RepairSession};
use crate::cause::Cause;
use crate::graph::applications::{Application, KeyCredential, PasswordCredential};

/// A credential with a validity window.
pub(super) trait Dated {
    /// Its key ID.
    fn key_id(&self) -> &str;
    /// When it starts to work.
    fn start(&self) -> Option<DateTime<Utc>>;
    /// When it stops working.
    fn end(&self) -> Option<DateTime<Utc>>;

    /// Whether it works by its dates at `now`.
    fn in_force(&self, now: DateTime<Utc>) -> bool {
        self.start().is_none_or(|start| start <= now) && self.end().is_none_or(|end| end > now)
    }
}

/// Graph's credentials of both kinds carry their dates in the same fields.
macro_rules! dated_by_graph_fields {
    ($($credential:ty),+) => {$(
        impl Dated for $credential {
            fn key_id(&self) -> &str {
                &self.key_id
            }
            fn start(&self) -> Option<DateTime<Utc>> {
                self.start_date_time
            }
            fn end(&self) -> Option<DateTime<Utc>> {
                self.end_date_time
            }
        }
    )+};
}

dated_by_graph_fields!(PasswordCredential, KeyCredential);

/// What removing one differs in between the kinds of credential.
pub(super) trait Removable: Dated + Sized {
    /// The credential the product keeps, as the administrator gives it.
    type Kept: ?Sized;
    /// What one is called: "client secret", "certificate".
    const NAME: &'static str;
    /// What the one given is called when Microsoft does not accept it: "secret value".
    const GIVEN: &'static str;
    /// Why the registration would have none that works if this one went.
    const NONE_LEFT: Cause;

    /// The registration's credentials of this kind.
    fn all(app: &Application) -> &[Self];

    /// The key ID of the one of `split.working` that `kept` is, or why it is none of them.
    fn kept_among(
        split: &Split<'_, Self>,
        kept: &Self::Kept,
    ) -> Result<Option<String>, (&'static str, Cause)>;

    /// Whether Microsoft issues `client_id` a token with `kept`.
    async fn confirm(
        session: &RepairSession<'_>,
        tenant: &str,
        client_id: &str,
        kept: &Self::Kept,
    ) -> SecretConfirmation;

    /// Remove `split.target` from `app`; `false` when it was already gone.
    async fn remove(
        session: &RepairSession<'_>,
        app: &Application,
        split: &Split<'_, Self>,
    ) -> Result<bool, FixError>;

    /// The change that says `target` was removed (`ended`: its dates, as [`dates_said`] says
    /// them).
    fn removed(target: &Self, ended: &str) -> Change;
}

/// Remove the credential `key_id` of the registration `client_id` of `tenant`, unless that
/// would leave none of its kind that works (see the module's rule); `kept` is the one the product
/// keeps using, when the administrator gives it, confirmed by a token request.
#[tracing::instrument(
    name = "repair",
    skip_all,
    fields(tenant, client_id, key_id),
    err(Display)
)]
pub(super) async fn remove<C: Removable>(
    tenant: &str,
    client_id: &str,
    key_id: &str,
    kept: Option<&C::Kept>,
    session: &RepairSession<'_>,
) -> Result<Removal, FixError> {
    let (app, mut removal) = begin_removal(tenant, client_id, key_id, session).await?;
    let now = session.ctx.now;
    let Some(split) = split(C::all(&app), key_id, now) else {
        return Ok(removal);
    };
    let refuse = |reason: String, cause: Cause| FixError::RemovalRefused {
        key_id: key_id.to_string(),
        reason,
        cause,
    };
    let target = split.target;
    if target.in_force(now) {
        if split.working.is_empty() {
            return Err(refuse(
                format!(
                    "it is the only {} of the registration that has not expired; \
                     add a new one first, give it to the product, then remove this one",
                    C::NAME
                ),
                C::NONE_LEFT,
            ));
        }
        removal.kept = ending_last(&split.working);
        if let Some(given) = kept {
            let kept_one = C::kept_among(&split, given)
                .map_err(|(reason, cause)| refuse(reason.into(), cause))?;
            let confirmation = C::confirm(session, tenant, &app.app_id, given).await;
            if let Some((reason, cause)) = not_confirmed(C::GIVEN, confirmation) {
                return Err(refuse(reason, cause));
            }
            removal.kept = kept_one;
        }
    }
    if !C::remove(session, &app, &split).await? {
        // Already gone (removed by someone else meanwhile): nothing changed.
        return Ok(removal);
    }
    removal.removed = true;
    removal
        .changes
        .push(C::removed(target, &dates_said(target.end(), now)));
    Ok(removal)
}

/// The registration `client_id` of `tenant`, read to change it: the tenant is checked before
/// anything is written.
pub(super) async fn registration_to_change(
    tenant: &str,
    client_id: &str,
    session: &RepairSession<'_>,
) -> Result<Application, FixError> {
    super::refuse_before_writing(None, tenant, None, None).map_err(FixError::InputRefused)?;
    registration(session, client_id).await
}

/// What removing a credential starts with, for secrets and certificates alike: the tenant
/// checked before anything is written, the registration read, and nothing removed yet.
async fn begin_removal(
    tenant: &str,
    client_id: &str,
    key_id: &str,
    session: &RepairSession<'_>,
) -> Result<(Application, Removal), FixError> {
    let app = registration_to_change(tenant, client_id, session).await?;
    let removal = Removal {
        client_id: app.app_id.clone(),
        object_id: app.id.clone(),
        key_id: key_id.to_string(),
        removed: false,
        kept: None,
        changes: Vec::new(),
    };
    Ok((app, removal))
}

/// The credential `key_id` among `all`, with the others and those of the others that work at
/// `now`; `None` when `key_id` is not there.
pub(super) struct Split<'a, C> {
    /// The one to remove.
    pub target: &'a C,
    /// Every other one.
    pub others: Vec<&'a C>,
    /// The others that work by their dates.
    pub working: Vec<&'a C>,
}

/// Split `all` around `key_id` (compared without case).
pub(super) fn split<'a, C: Dated>(
    all: &'a [C],
    key_id: &str,
    now: DateTime<Utc>,
) -> Option<Split<'a, C>> {
    let target = all
        .iter()
        .find(|c| c.key_id().eq_ignore_ascii_case(key_id))?;
    let others: Vec<&C> = all
        .iter()
        .filter(|c| !c.key_id().eq_ignore_ascii_case(key_id))
        .collect();
    let working = others.iter().copied().filter(|c| c.in_force(now)).collect();
    Some(Split {
        target,
        others,
        working,
    })
}

/// The key ID of the one of `credentials` that ends last (one without an end counts as last).
pub(super) fn ending_last<C: Dated>(credentials: &[&C]) -> Option<String> {
    credentials
        .iter()
        .max_by_key(|c| c.end().unwrap_or(DateTime::<Utc>::MAX_UTC))
        .map(|c| c.key_id().to_string())
}

/// Why the credential the admin gave cannot stand in for the one removed, when Microsoft did
/// not accept it or could not be asked (`what`: "secret value", "certificate").
pub(super) fn not_confirmed(
    what: &str,
    confirmation: SecretConfirmation,
) -> Option<(String, Cause)> {
    match confirmation {
        SecretConfirmation::Accepted => None,
        SecretConfirmation::Rejected(cause) => Some((
            format!(
                "Microsoft does not accept the {what} given ({cause}), so it cannot replace this one"
            ),
            cause,
        )),
        SecretConfirmation::Unavailable(cause) => Some((
            format!(
                "Microsoft could not be asked whether the {what} given works ({cause}); nothing was removed, try again"
            ),
            cause,
        )),
    }
}

/// ", ended 2026-01-01" or ", valid until 2027-01-01" for a removed credential's change.
pub(super) fn dates_said(end: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    match end {
        Some(end) if end <= now => format!(", ended {}", end.format("%Y-%m-%d")),
        Some(end) => format!(", valid until {}", end.format("%Y-%m-%d")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(key: &str, start: i64, end: i64) -> PasswordCredential {
        let at = |d: i64| DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::days(d);
        PasswordCredential {
            key_id: key.into(),
            display_name: None,
            hint: None,
            start_date_time: Some(at(start)),
            end_date_time: Some(at(end)),
        }
    }

    #[test]
    fn the_others_that_work_and_the_one_ending_last() {
        let now = DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::days(100);
        let all = [
            secret("A", 0, 200),
            secret("b", 0, 50),
            secret("c", 0, 300),
            secret("d", 150, 400),
        ];
        let split = split(&all, "a", now).expect("found without case");
        assert_eq!(split.target.key_id, "A");
        assert_eq!(split.others.len(), 3);
        let working: Vec<&str> = split.working.iter().map(|c| c.key_id.as_str()).collect();
        assert_eq!(working, ["c"], "ended and not yet started do not work");
        assert_eq!(ending_last(&split.working).as_deref(), Some("c"));
        assert!(super::split(&all, "zz", now).is_none());
        assert!(dates_said(Some(now), now).starts_with(", ended"));
    }
}

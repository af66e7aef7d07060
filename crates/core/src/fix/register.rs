//! The whole `register` repair, in order: the registration (created or repaired), its service
//! principal, admin consent, and a new secret when the registration is new, when one is asked
//! for, or when no secret of it is at hand — none given, none kept in the keychain — so that a
//! run that stopped before its secret is finished by running it again (a repair of a
//! registration whose secret is at hand adds none). Each step is idempotent, so
//! running it again changes nothing. When a step after creating the registration fails, the
//! error names the new registration ([`FixError::StoppedAfterCreate`]) so it can be repaired
//! with its client ID rather than left behind. For an account type that lets other
//! organisations sign in, the result carries their administrators' admin-consent link.

use std::sync::Arc;

use super::{
    Change, ChangeKind, FixError, NewSecret, RegistrationInputs, RepairSession, add_secret,
    ensure_admin_consent, ensure_registration, ensure_service_principal, secret_days,
};
use crate::identity::TokenClaims;
use crate::profile::{Profile, ProfileKind};
use crate::secret::Secret;
use crate::secrets::{self, SecretKey, SecretStore};

/// What to do about the secret.
#[derive(Clone, Default)]
pub struct SecretRequest {
    /// Add a secret even when the registration is not new.
    pub new_secret: bool,
    /// The lifetime asked for (capped at the profile's maximum); `None` = the profile's default.
    pub days: Option<u32>,
    /// The administrator gave the value of the registration's secret: it is at hand, and none is
    /// added for want of one.
    pub given: bool,
    /// Where the secrets made before are kept (the OS keychain): a secret of the registration
    /// kept there under its ID, and not expired, is at hand. Each lookup is given up after
    /// [`secrets::KEYCHAIN_PATIENCE`] (a locked keychain may wait on a prompt nobody sees).
    pub kept_in: Option<Arc<dyn SecretStore>>,
}

impl std::fmt::Debug for SecretRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretRequest")
            .field("new_secret", &self.new_secret)
            .field("days", &self.days)
            .field("given", &self.given)
            .field("kept_in", &self.kept_in.is_some())
            .finish()
    }
}

/// What [`register`] did.
#[derive(Debug, Clone)]
pub struct Registered {
    /// The application (client) ID.
    pub client_id: String,
    /// The registration's object ID.
    pub object_id: String,
    /// Whether the registration was created now.
    pub created: bool,
    /// Every change, in the order made.
    pub changes: Vec<Change>,
    /// The new secret, when one was made.
    pub secret: Option<NewSecret>,
    /// When none was made: the registration's secret found kept in [`SecretRequest::kept_in`]
    /// (for the verification that follows).
    pub kept_secret: Option<Secret>,
    /// The registration's account type (`signInAudience`) after the repair.
    pub sign_in_audience: String,
    /// For an account type that lets other organisations sign in: the link their
    /// administrators open to approve the app ([`super::admin_consent_url`], any organisation).
    pub admin_consent_url: Option<String>,
}

/// Whether [`register`] may add a secret, known before anything is read: always for a new
/// registration of a profile that uses one; for an existing registration when asked, or when no
/// secret of it was given (one is then added unless the keychain keeps one). A caller that can
/// keep no secret refuses before signing in when this is `true`.
pub fn may_add_secret(
    profile: &Profile,
    inputs: &RegistrationInputs,
    request: &SecretRequest,
) -> bool {
    profile.secret.required && (inputs.client_id.is_none() || request.new_secret || !request.given)
}

/// Whether the profile has a registration of this tenant's own to create or repair: a vendor's
/// multi-tenant app is registered in the vendor's tenant, and only approved here.
pub fn registers_an_app(profile: &Profile) -> bool {
    profile.kind != ProfileKind::VendorConsent
}

/// Create or repair the registration `profile` needs, end to end.
#[tracing::instrument(name = "repair", skip_all, fields(profile = %profile.id, client_id = ?inputs.client_id), err(Display))]
pub async fn register(
    profile: &Profile,
    inputs: &RegistrationInputs,
    request: &SecretRequest,
    session: &RepairSession<'_>,
) -> Result<Registered, FixError> {
    if !registers_an_app(profile) {
        return Err(FixError::NothingToRegister {
            profile: profile.id.clone(),
        });
    }
    super::refuse_before_writing(
        Some(profile),
        &inputs.tenant,
        inputs.redirect_uri.as_deref(),
        inputs.app_name.as_deref(),
    )
    .map_err(FixError::InputRefused)?;
    let days = if may_add_secret(profile, inputs, request) {
        Some(secret_days(profile, request.days)?)
    } else {
        None
    };
    let registration = ensure_registration(profile, inputs, session).await?;
    let fresh = registration.created;
    let app = registration.application;
    let changes = registration.changes;
    let (client_id, object_id) = (app.app_id.clone(), app.id.clone());
    let default_audience = profile.registration.default_account_type.sign_in_audience();
    let sign_in_audience = if changes.iter().any(|c| c.kind == ChangeKind::AccountTypeSet) {
        default_audience.to_string()
    } else {
        app.sign_in_audience
            .clone()
            .unwrap_or_else(|| default_audience.to_string())
    };
    let admin_consent_url = match &inputs.redirect_uri {
        Some(redirect) if super::is_multi_tenant(&sign_in_audience) => {
            super::admin_consent_url(&session.ctx.endpoints, None, &client_id, redirect.trim())
                .ok()
                .map(String::from)
        }
        _ => None,
    };
    let (days, kept_secret) = match days {
        Some(days) => match secret_at_hand(profile, &app, fresh, request, session).await {
            Some(kept) => (None, kept),
            None => (Some(days), None),
        },
        None => (None, None),
    };
    let to_add = days.map(|days| SecretToAdd {
        days,
        none_at_hand: !fresh && !request.new_secret,
    });
    let rest = finish(profile, inputs, &app, fresh, changes, to_add, session).await;
    match rest {
        Ok((changes, secret)) => Ok(Registered {
            client_id,
            object_id,
            created: fresh,
            changes,
            secret,
            kept_secret,
            sign_in_audience,
            admin_consent_url,
        }),
        // The admin must learn the new registration's IDs, or it is left behind unnamed.
        Err(source) if fresh => Err(FixError::StoppedAfterCreate {
            client_id,
            object_id,
            source: Box::new(source),
        }),
        Err(source) => Err(source),
    }
}

/// Whether a secret of the registration `app` is at hand, so none is added: `Some` (with the
/// value when the keychain keeps it) when one was given or is kept; `None` when one must be added
/// — a new registration, a new secret asked for, or none at hand (which the progress says).
async fn secret_at_hand(
    profile: &Profile,
    app: &crate::graph::applications::Application,
    fresh: bool,
    request: &SecretRequest,
    session: &RepairSession<'_>,
) -> Option<Option<Secret>> {
    if !profile.secret.required || fresh || request.new_secret {
        return None;
    }
    if request.given {
        return Some(None);
    }
    let now = session.ctx.now;
    let tenant_id = TokenClaims::read(session.admin_token.expose()).and_then(|c| c.tid);
    if let (Some(store), Some(tenant_id)) = (&request.kept_in, tenant_id) {
        for credential in &app.password_credentials {
            if credential.end_date_time.is_some_and(|end| end <= now) {
                continue;
            }
            let key = SecretKey::with_key_id(&tenant_id, &app.app_id, &credential.key_id);
            if let Ok(Some(value)) = secrets::get_within(Arc::clone(store), key).await {
                return Some(Some(value));
            }
        }
    }
    (session.progress)(
        "No client secret of this registration is at hand (none was given, and the keychain keeps none that is still valid): adding one.",
    );
    None
}

/// A secret [`finish`] adds.
struct SecretToAdd {
    /// Its lifetime.
    days: u32,
    /// Added because no secret of an existing registration was at hand, which its change says.
    none_at_hand: bool,
}

/// The steps after the registration: service principal, consent, secret.
async fn finish(
    profile: &Profile,
    inputs: &RegistrationInputs,
    app: &crate::graph::applications::Application,
    fresh: bool,
    mut changes: Vec<Change>,
    to_add: Option<SecretToAdd>,
    session: &RepairSession<'_>,
) -> Result<(Vec<Change>, Option<NewSecret>), FixError> {
    let sp = ensure_service_principal(&app.app_id, fresh, session).await?;
    changes.extend(sp.changes);
    let consent =
        ensure_admin_consent(profile, &sp.service_principal, fresh || sp.created, session).await?;
    changes.extend(consent);
    let secret = match to_add {
        Some(SecretToAdd { days, none_at_hand }) => {
            let name = format!("entra-setup {}", session.ctx.now.format("%Y-%m-%d"));
            let mut secret = add_secret(app, &inputs.tenant, &name, days, fresh, session).await?;
            if none_at_hand {
                secret.change.description.push_str(
                    " — no client secret of this registration was at hand (none given, none kept in the keychain)",
                );
            }
            changes.push(secret.change.clone());
            Some(secret)
        }
        None => None,
    };
    Ok((changes, secret))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Catalog;

    #[test]
    fn only_a_vendors_app_is_not_registered_here() {
        let catalog = Catalog::shipped();
        for profile in catalog.profiles() {
            assert_eq!(
                registers_an_app(profile),
                profile.id != "vendor-app-consent",
                "{}",
                profile.id
            );
        }
    }
}

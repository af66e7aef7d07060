//! The whole `register` repair, in order: the registration (created or repaired), its service
//! principal, admin consent, and a new secret when the registration is new or one is asked for
//! (a repair of a registration that already works adds none). Each step is idempotent, so
//! running it again changes nothing.

use chrono::{DateTime, Utc};

use super::{
    Change, FixError, NewSecret, RegistrationInputs, RepairSession, add_secret,
    ensure_admin_consent, ensure_registration, ensure_service_principal, secret_days,
};
use crate::profile::Profile;

/// What to do about the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SecretRequest {
    /// Add a secret even when the registration is not new.
    pub new_secret: bool,
    /// The lifetime asked for (capped at the profile's maximum); `None` = the profile's default.
    pub days: Option<u32>,
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
}

impl Registered {
    /// When the new secret expires.
    pub fn secret_expires(&self) -> Option<DateTime<Utc>> {
        self.secret.as_ref().map(|s| s.expires)
    }
}

/// Whether [`register`] will add a secret: for a new registration or when asked, and only for a
/// profile that uses one.
pub fn will_add_secret(
    profile: &Profile,
    inputs: &RegistrationInputs,
    request: SecretRequest,
) -> bool {
    profile.secret.required && (inputs.client_id.is_none() || request.new_secret)
}

/// Create or repair the registration `profile` needs, end to end.
pub async fn register(
    profile: &Profile,
    inputs: &RegistrationInputs,
    request: SecretRequest,
    session: &RepairSession<'_>,
) -> Result<Registered, FixError> {
    let days = if will_add_secret(profile, inputs, request) {
        Some(secret_days(profile, request.days)?)
    } else {
        None
    };
    let registration = ensure_registration(profile, inputs, session).await?;
    let fresh = registration.created;
    let app = registration.application;
    let mut changes = registration.changes;
    let sp = ensure_service_principal(&app.app_id, fresh, session).await?;
    changes.extend(sp.changes);
    let consent =
        ensure_admin_consent(profile, &sp.service_principal, fresh || sp.created, session).await?;
    changes.extend(consent);
    let secret = match days {
        Some(days) => {
            let name = format!("entra-setup {}", session.ctx.now.format("%Y-%m-%d"));
            let secret = add_secret(&app, &inputs.tenant, &name, days, fresh, session).await?;
            changes.push(secret.change.clone());
            Some(secret)
        }
        None => None,
    };
    Ok(Registered {
        client_id: app.app_id,
        object_id: app.id,
        created: fresh,
        changes,
        secret,
    })
}

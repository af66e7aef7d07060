//! The whole `register` repair, in order: the registration (created or repaired), its service
//! principal, admin consent, user assignment (when the profile requires it), and a new secret when the registration is new, when one is asked
//! for, or when no secret of it is at hand — none given, none kept in the keychain — so that a
//! run that stopped before its secret is finished by running it again (a repair of a
//! registration whose secret is at hand adds none). Each step is idempotent, so
//! running it again changes nothing. When a step after creating the registration fails, the
//! error names the new registration ([`FixError::StoppedAfterCreate`]) so it can be repaired
//! with its client ID rather than left behind. For an account type that lets other
//! organisations sign in, the result carries their administrators' admin-consent link.
//!
//! [`register_with_certificate`] does the same with a certificate in place of the secret (for a
//! product whose profile takes one): a new certificate when the registration is new, when one is
//! asked for, or when the keychain keeps no certificate of it that is registered and unexpired.

use std::sync::Arc;

use super::{
    Change, ChangeKind, FixError, NewCertificate, NewSecret, RegistrationInputs, RepairSession,
    add_certificate, add_secret, certificate_days, ensure_admin_consent, ensure_registration,
    ensure_service_principal, secret_days,
};
use crate::credentials::Certificate;
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

/// What to do about the certificate ([`register_with_certificate`]).
#[derive(Clone)]
pub struct CertificateRequest {
    /// Add a certificate even when the registration is not new.
    pub new_certificate: bool,
    /// The lifetime asked for (capped at the profile's maximum); `None` = the profile's default.
    pub days: Option<u32>,
    /// Where the private key is kept (the OS keychain), and where a certificate made before is
    /// looked for.
    pub store: Arc<dyn SecretStore>,
}

impl std::fmt::Debug for CertificateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateRequest")
            .field("new_certificate", &self.new_certificate)
            .field("days", &self.days)
            .finish()
    }
}

/// The credential a registration is given.
enum Plan<'a> {
    Secret(&'a SecretRequest),
    Certificate(&'a CertificateRequest),
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
    /// The new certificate, when one was made ([`register_with_certificate`]).
    pub certificate: Option<NewCertificate>,
    /// When none was made: the registration's certificate found kept in the keychain
    /// ([`CertificateRequest::store`]), registered and unexpired.
    pub kept_certificate: Option<Certificate>,
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
    register_with(profile, inputs, Plan::Secret(request), session).await
}

/// Create or repair the registration `profile` needs, end to end, with a certificate in place
/// of a client secret; [`FixError::CertificateNotAccepted`] before anything is written when the
/// profile's product takes no certificate.
#[tracing::instrument(name = "repair", skip_all, fields(profile = %profile.id, client_id = ?inputs.client_id), err(Display))]
pub async fn register_with_certificate(
    profile: &Profile,
    inputs: &RegistrationInputs,
    request: &CertificateRequest,
    session: &RepairSession<'_>,
) -> Result<Registered, FixError> {
    register_with(profile, inputs, Plan::Certificate(request), session).await
}

async fn register_with(
    profile: &Profile,
    inputs: &RegistrationInputs,
    plan: Plan<'_>,
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
    let days = match plan {
        Plan::Secret(request) if may_add_secret(profile, inputs, request) => {
            Some(secret_days(profile, request.days)?)
        }
        Plan::Secret(_) => None,
        Plan::Certificate(request) => Some(certificate_days(Some(profile), request.days)?),
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
    let mut kept_secret = None;
    let mut kept_certificate = None;
    let to_add = match (plan, days) {
        (Plan::Secret(request), Some(days)) => {
            match secret_at_hand(profile, &app, fresh, request, session).await {
                Some(kept) => {
                    kept_secret = kept;
                    None
                }
                None => Some(ToAdd::Secret(SecretToAdd {
                    days,
                    none_at_hand: !fresh && !request.new_secret,
                })),
            }
        }
        (Plan::Certificate(request), Some(days)) => {
            let tenant_id = TokenClaims::read(session.admin_token.expose())
                .and_then(|c| c.tid)
                .unwrap_or_else(|| inputs.tenant.trim().to_owned());
            match certificate_at_hand(&app, fresh, request, &tenant_id, session).await {
                Some(kept) => {
                    kept_certificate = Some(kept);
                    None
                }
                None => Some(ToAdd::Certificate {
                    days,
                    tenant_id,
                    store: Arc::clone(&request.store),
                    none_at_hand: !fresh && !request.new_certificate,
                }),
            }
        }
        (_, None) => None,
    };
    let rest = finish(profile, inputs, &app, fresh, changes, to_add, session).await;
    match rest {
        Ok((changes, added)) => Ok(Registered {
            client_id,
            object_id,
            created: fresh,
            changes,
            secret: added.secret,
            certificate: added.certificate,
            kept_secret,
            kept_certificate,
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

/// Whether a certificate of the registration `app` is at hand, so none is added: the one the
/// keychain keeps as its current certificate, when it is among the registration's certificates
/// and has not ended. `None` when one must be added (which the progress says for an existing
/// registration).
async fn certificate_at_hand(
    app: &crate::graph::applications::Application,
    fresh: bool,
    request: &CertificateRequest,
    tenant_id: &str,
    session: &RepairSession<'_>,
) -> Option<Certificate> {
    if fresh || request.new_certificate {
        return None;
    }
    let now = session.ctx.now;
    let store = Arc::clone(&request.store);
    let (tenant, client) = (tenant_id.to_owned(), app.app_id.clone());
    let kept = secrets::within(secrets::KEYCHAIN_PATIENCE, move || {
        Certificate::from_keychain(store.as_ref(), &tenant, &client)
            .map_err(|e| secrets::SecretStoreError::Failed(e.to_string()))
    })
    .await
    .ok()
    .flatten()
    .filter(|kept| {
        kept.not_after() > now
            && app.key_credentials.iter().any(|c| {
                c.custom_key_identifier
                    .as_deref()
                    .is_some_and(|id| kept.is_named_by(id))
                    && c.end_date_time.is_none_or(|end| end > now)
            })
    });
    if kept.is_none() {
        (session.progress)(
            "No certificate of this registration is at hand (the keychain keeps none that is registered and still valid): adding one.",
        );
    }
    kept
}

/// The credential [`finish`] adds.
enum ToAdd {
    Secret(SecretToAdd),
    Certificate {
        days: u32,
        tenant_id: String,
        store: Arc<dyn SecretStore>,
        none_at_hand: bool,
    },
}

/// What [`finish`] added.
#[derive(Default)]
struct Added {
    secret: Option<NewSecret>,
    certificate: Option<NewCertificate>,
}

/// A secret [`finish`] adds.
struct SecretToAdd {
    /// Its lifetime.
    days: u32,
    /// Added because no secret of an existing registration was at hand, which its change says.
    none_at_hand: bool,
}

/// The steps after the registration: service principal, consent, user assignment, secret.
async fn finish(
    profile: &Profile,
    inputs: &RegistrationInputs,
    app: &crate::graph::applications::Application,
    fresh: bool,
    mut changes: Vec<Change>,
    to_add: Option<ToAdd>,
    session: &RepairSession<'_>,
) -> Result<(Vec<Change>, Added), FixError> {
    let sp = ensure_service_principal(&app.app_id, fresh, session).await?;
    changes.extend(sp.changes);
    let consent =
        ensure_admin_consent(profile, &sp.service_principal, fresh || sp.created, session).await?;
    changes.extend(consent);
    changes.extend(
        super::ensure_user_assignment(
            profile,
            &sp.service_principal,
            fresh || sp.created,
            None,
            session,
        )
        .await?,
    );
    let name = format!("entra-setup {}", session.ctx.now.format("%Y-%m-%d"));
    let mut added = Added::default();
    match to_add {
        Some(ToAdd::Secret(SecretToAdd { days, none_at_hand })) => {
            let mut secret = add_secret(app, &inputs.tenant, &name, days, fresh, session).await?;
            if none_at_hand {
                secret.change.description.push_str(
                    " — no client secret of this registration was at hand (none given, none kept in the keychain)",
                );
            }
            changes.push(secret.change.clone());
            added.secret = Some(secret);
        }
        Some(ToAdd::Certificate {
            days,
            tenant_id,
            store,
            none_at_hand,
        }) => {
            let mut certificate = add_certificate(
                app,
                &inputs.tenant,
                &tenant_id,
                &name,
                days,
                fresh,
                store,
                session,
            )
            .await?;
            if none_at_hand {
                certificate.change.description.push_str(
                    " — no certificate of this registration was at hand (the keychain keeps none that is registered and valid)",
                );
            }
            changes.push(certificate.change.clone());
            added.certificate = Some(certificate);
        }
        None => {}
    }
    Ok((changes, added))
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

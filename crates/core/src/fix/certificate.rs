//! Certificate credentials for a registration: a new self-signed certificate uploaded to its
//! `keyCredentials`, rotated beside the old ones, and an old one removed only while another that
//! works remains — the certificate counterparts of [`super::add_secret`], [`super::rotate_secret`]
//! and [`super::remove_secret`].
//!
//! A new certificate's private key is kept in the keychain *before* its public key is uploaded
//! (a certificate registered whose key nobody keeps would be of no use): when the keychain
//! refuses, nothing is written ([`FixError::CertificateNotKept`]). Its lifetime is the days asked
//! for (or the profile's secret advice) within the profile's maximum, capped by the tenant's app
//! management policy (`keyCredentials` restrictions, `asymmetricKeyLifetime`). Graph replaces the
//! whole `keyCredentials` list on `PATCH`, so the certificates already there are read and sent back
//! (named by `keyId`, with their `key` when Graph showed it); a `PATCH` of the same list is safe to
//! repeat, so a lost answer is simply sent again. The new certificate is waited for until the
//! token endpoint accepts an assertion it signs.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::removal_rule::{Removable, Split, remove};
use super::replication::{retry_while_replicating, wait_until_visible};
use super::rotation::{Removal, SecretConfirmation, begin_rotation, registration};
use super::secret::policy_max_days_of;
use super::{Change, ChangeKind, FixError, RepairSession};
use crate::cause::Cause;
use crate::credentials::{Certificate, store_certificate};
use crate::graph::applications::{Application, KeyCredential};
use crate::graph::bodies::{ApplicationBody, KeyCredentialBody};
use crate::graph::{self, WriteError};
use crate::identity;
use crate::profile::{CredentialType, Profile};
use crate::secrets::{KEYCHAIN_PATIENCE, SecretStore};

/// The lifetime of a certificate when no profile says otherwise.
pub const CERTIFICATE_DEFAULT_DAYS: u32 = 365;
/// The longest lifetime of a certificate when no profile says otherwise.
pub const CERTIFICATE_MAX_DAYS: u32 = 730;

/// A certificate just made and registered.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    /// Its key credential's ID.
    pub key_id: String,
    /// Its SHA-1 thumbprint (upper-case hex).
    pub thumbprint: String,
    /// When it stops working.
    pub expires: DateTime<Utc>,
    /// How many days it lives.
    pub days: u32,
    /// The lifetime asked for, when the tenant's app management policy shortened it.
    pub capped_from: Option<u32>,
    /// The keychain account its private key is kept under (`TENANT/CLIENT/certificate`).
    pub keychain_account: String,
    /// The certificate with its private key (redacted `Debug`).
    pub certificate: Certificate,
    /// What changed.
    pub change: Change,
}

/// What [`rotate_certificate`] did.
#[derive(Debug, Clone)]
pub struct RotatedCertificate {
    /// The application (client) ID.
    pub client_id: String,
    /// The registration's object ID.
    pub object_id: String,
    /// Every change, in the order made (the certificate added).
    pub changes: Vec<Change>,
    /// The new certificate.
    pub certificate: NewCertificate,
    /// Whether Microsoft issues a token for an assertion the new certificate signs.
    pub confirmation: SecretConfirmation,
}

/// The lifetime of a new certificate: `requested`, or the profile's default secret lifetime (or
/// [`CERTIFICATE_DEFAULT_DAYS`]), within the profile's maximum (or [`CERTIFICATE_MAX_DAYS`]);
/// [`FixError::CertificateNotAccepted`] when the profile's product takes no certificate.
pub fn certificate_days(
    profile: Option<&Profile>,
    requested: Option<u32>,
) -> Result<u32, FixError> {
    let (default, max) = match profile {
        Some(profile) => {
            if !profile.credentials.contains(&CredentialType::Certificate) {
                return Err(FixError::CertificateNotAccepted {
                    profile: profile.id.clone(),
                });
            }
            let advice = &profile.secret;
            let max = if advice.max_days > 0 {
                advice.max_days
            } else {
                CERTIFICATE_MAX_DAYS
            };
            let default = if advice.default_days > 0 {
                advice.default_days
            } else {
                CERTIFICATE_DEFAULT_DAYS
            };
            (default, max)
        }
        None => (CERTIFICATE_DEFAULT_DAYS, CERTIFICATE_MAX_DAYS),
    };
    Ok(requested.unwrap_or(default).clamp(1, max))
}

/// Make a certificate valid for `days`, keep it in `store` under `tenant_id` (a GUID) and the
/// registration `app`, then upload its public key beside the registration's other certificates;
/// `fresh` when the registration was just created. Returns once the token endpoint accepts an
/// assertion it signs (or answers anything but "not yet"), or when the patience runs out.
#[allow(clippy::too_many_arguments)]
pub async fn add_certificate(
    app: &Application,
    tenant: &str,
    tenant_id: &str,
    display_name: &str,
    days: u32,
    fresh: bool,
    store: Arc<dyn SecretStore>,
    session: &RepairSession<'_>,
) -> Result<NewCertificate, FixError> {
    let (object_id, app_id) = (app.id.as_str(), app.app_id.as_str());
    let asked = days;
    let days = match policy_max_days_of(session, object_id, CredentialType::Certificate).await {
        Some(max) if max < days && max > 0 => {
            (session.progress)(&format!(
                "The tenant's app management policy allows certificates of at most {max} days; the new one is valid for {max} days."
            ));
            max
        }
        _ => days,
    };
    let now = session.ctx.now;
    let certificate = Certificate::generate(display_name, now, days).map_err(|e| {
        FixError::CertificateNotKept {
            reason: e.to_string(),
        }
    })?;
    let key_id = uuid::Uuid::new_v4().to_string();
    // The private key is kept before anything is written to the registration.
    let keychain_account = keep(store, tenant_id, app_id, &key_id, &certificate).await?;
    let existing = if fresh {
        Vec::new()
    } else {
        registration(session, app_id).await?.key_credentials
    };
    let mut list: Vec<KeyCredentialBody> = existing.iter().map(kept_body).collect();
    list.push(KeyCredentialBody {
        display_name: Some(format!("CN={display_name}")),
        end_date_time: Some(certificate.not_after()),
        key: Some(certificate.key_base64()),
        key_id: key_id.clone(),
        start_date_time: Some(certificate.not_before()),
        kind: KeyCredentialBody::CERTIFICATE.into(),
        usage: KeyCredentialBody::VERIFY.into(),
    });
    write_key_credentials(session, object_id, list, fresh, "certificate upload").await?;
    match wait_until_accepted(session, tenant, app_id, &certificate).await {
        Ok(()) => {}
        Err(FixError::ReplicationTimeout { waited, .. }) => (session.progress)(&format!(
            "Microsoft did not accept the new certificate within {} seconds; it may need a few more minutes.",
            waited.as_secs()
        )),
        Err(other) => return Err(other),
    }
    let capped_from = (days < asked).then_some(asked);
    let capped = match capped_from {
        Some(asked) => format!(" (capped from {asked} days by the tenant's app management policy)"),
        None => String::new(),
    };
    let thumbprint = certificate.thumbprint();
    let change = Change::new(
        ChangeKind::CertificateAdded,
        format!(
            "added certificate \"CN={display_name}\" (thumbprint {thumbprint}, ID {key_id}) valid for {days} days{capped}, until {}; its private key is kept in the OS keychain",
            certificate.not_after().format("%Y-%m-%d")
        ),
    );
    Ok(NewCertificate {
        key_id,
        thumbprint,
        expires: certificate.not_after(),
        days,
        capped_from,
        keychain_account,
        certificate,
        change,
    })
}

/// Keep the certificate in the keychain, within its patience.
async fn keep(
    store: Arc<dyn SecretStore>,
    tenant_id: &str,
    client_id: &str,
    key_id: &str,
    certificate: &Certificate,
) -> Result<String, FixError> {
    let (tenant, client, key, kept) = (
        tenant_id.to_owned(),
        client_id.to_owned(),
        key_id.to_owned(),
        certificate.clone(),
    );
    crate::secrets::within(KEYCHAIN_PATIENCE, move || {
        store_certificate(store.as_ref(), &tenant, &client, &key, &kept)
    })
    .await
    .map_err(|e| FixError::CertificateNotKept {
        reason: e.to_string(),
    })?;
    Ok(crate::credentials::certificate_key(tenant_id, client_id, None).account())
}

/// A certificate already registered, as sent back in a rewritten list.
fn kept_body(credential: &KeyCredential) -> KeyCredentialBody {
    KeyCredentialBody {
        display_name: credential.display_name.clone(),
        end_date_time: credential.end_date_time,
        key: credential.key.clone(),
        key_id: credential.key_id.clone(),
        start_date_time: credential.start_date_time,
        kind: credential
            .kind
            .clone()
            .unwrap_or_else(|| KeyCredentialBody::CERTIFICATE.into()),
        usage: credential
            .usage
            .clone()
            .unwrap_or_else(|| KeyCredentialBody::VERIFY.into()),
    }
}

/// `PATCH /applications/{id}` with the whole `keyCredentials` list.
async fn write_key_credentials(
    session: &RepairSession<'_>,
    object_id: &str,
    list: Vec<KeyCredentialBody>,
    fresh: bool,
    what: &'static str,
) -> Result<(), FixError> {
    let graph = session.graph();
    let body = ApplicationBody {
        key_credentials: Some(list),
        ..ApplicationBody::default()
    };
    retry_while_replicating(session, fresh, what, || {
        graph::write::update_application(&graph, object_id, &body)
    })
    .await
}

/// Ask the token endpoint of `tenant` for a Graph token for `client_id` with an assertion
/// `certificate` signs.
pub async fn confirm_certificate(
    session: &RepairSession<'_>,
    tenant: &str,
    client_id: &str,
    certificate: &Certificate,
) -> SecretConfirmation {
    let ctx = session.ctx;
    let scope = ctx.endpoints.graph_default_scope();
    let answer = identity::client_credentials_with_certificate(
        &ctx.http,
        &ctx.endpoints,
        tenant,
        client_id,
        certificate,
        &scope,
    )
    .await;
    SecretConfirmation::of(answer, Cause::CertificateAssertionInvalid)
}

/// Wait until the token endpoint accepts an assertion the new certificate signs: right after
/// the upload Microsoft answers AADSTS700027 (unknown key) or 700016 (unknown app) for a while.
async fn wait_until_accepted(
    session: &RepairSession<'_>,
    tenant: &str,
    app_id: &str,
    certificate: &Certificate,
) -> Result<(), FixError> {
    wait_until_visible(session, "the new certificate", || async {
        Ok::<_, WriteError>(!matches!(
            confirm_certificate(session, tenant, app_id, certificate).await,
            SecretConfirmation::Rejected(
                Cause::CertificateAssertionInvalid | Cause::ClientIdNotFound
            )
        ))
    })
    .await
}

/// Add a new certificate valid for `days` to the registration `client_id` of `tenant` (`tenant_id`
/// its GUID, for the keychain), beside the existing ones, and confirm it works. Nothing is
/// removed.
#[tracing::instrument(
    name = "repair",
    skip_all,
    fields(tenant, client_id, days),
    err(Display)
)]
pub async fn rotate_certificate(
    tenant: &str,
    tenant_id: &str,
    client_id: &str,
    days: u32,
    store: Arc<dyn SecretStore>,
    session: &RepairSession<'_>,
) -> Result<RotatedCertificate, FixError> {
    let (app, name) = begin_rotation(tenant, client_id, session).await?;
    let certificate =
        add_certificate(&app, tenant, tenant_id, &name, days, false, store, session).await?;
    let confirmation =
        confirm_certificate(session, tenant, &app.app_id, &certificate.certificate).await;
    Ok(RotatedCertificate {
        client_id: app.app_id,
        object_id: app.id,
        changes: vec![certificate.change.clone()],
        certificate,
        confirmation,
    })
}

/// Remove the certificate `key_id` of the registration `client_id` of `tenant`, unless that
/// would leave no certificate that works: another must remain in force by its dates, and when
/// the certificate the product keeps using is given (`kept`), it must be among the remaining ones
/// and Microsoft must accept an assertion it signs. An ended certificate may always go.
pub async fn remove_certificate(
    tenant: &str,
    client_id: &str,
    key_id: &str,
    kept: Option<&Certificate>,
    session: &RepairSession<'_>,
) -> Result<Removal, FixError> {
    remove::<KeyCredential>(tenant, client_id, key_id, kept, session).await
}

/// A certificate the product keeps is told by its thumbprint (the credential's custom key
/// identifier); removing one rewrites the whole list without it.
impl Removable for KeyCredential {
    type Kept = Certificate;
    const NAME: &'static str = "certificate";
    const GIVEN: &'static str = "certificate";
    const NONE_LEFT: Cause = Cause::CertificateNotRegistered;

    fn all(app: &Application) -> &[Self] {
        &app.key_credentials
    }

    fn kept_among(
        split: &Split<'_, Self>,
        kept: &Certificate,
    ) -> Result<Option<String>, (&'static str, Cause)> {
        let named = |c: &KeyCredential| {
            c.custom_key_identifier
                .as_deref()
                .is_some_and(|id| kept.is_named_by(id))
        };
        match split.working.iter().find(|c| named(c)) {
            Some(kept_one) => Ok(Some(kept_one.key_id.clone())),
            None => Err((
                if named(split.target) {
                    "the certificate given is the one to be removed; give the certificate the product keeps"
                } else {
                    "the certificate given is none of the remaining unexpired certificates"
                },
                Cause::CertificateNotRegistered,
            )),
        }
    }

    async fn confirm(
        session: &RepairSession<'_>,
        tenant: &str,
        client_id: &str,
        kept: &Certificate,
    ) -> SecretConfirmation {
        confirm_certificate(session, tenant, client_id, kept).await
    }

    async fn remove(
        session: &RepairSession<'_>,
        app: &Application,
        split: &Split<'_, Self>,
    ) -> Result<bool, FixError> {
        let list = split.others.iter().map(|c| kept_body(c)).collect();
        write_key_credentials(session, &app.id, list, false, "certificate remove").await?;
        Ok(true)
    }

    fn removed(target: &Self, ended: &str) -> Change {
        Change::new(
            ChangeKind::CertificateRemoved,
            format!(
                "removed certificate {} (thumbprint {}, ID {}{ended})",
                target.display_name.as_deref().unwrap_or(""),
                target.custom_key_identifier.as_deref().unwrap_or("?"),
                target.key_id
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Catalog;

    #[test]
    fn only_a_profile_that_takes_certificates_gets_one_within_its_limits() {
        let catalog = Catalog::shipped();
        let axero = catalog.get("axero-outlook-calendar").expect("profile");
        assert!(matches!(
            certificate_days(Some(axero), None),
            Err(FixError::CertificateNotAccepted { .. })
        ));
        let custom = catalog.get("custom").expect("profile");
        let days = certificate_days(Some(custom), None).expect("custom takes certificates");
        assert!(days >= 1 && days <= custom.secret.max_days.max(CERTIFICATE_MAX_DAYS));
        assert_eq!(certificate_days(Some(custom), Some(30)).ok(), Some(30));
        assert_eq!(
            certificate_days(None, None).ok(),
            Some(CERTIFICATE_DEFAULT_DAYS)
        );
        assert_eq!(
            certificate_days(None, Some(9000)).ok(),
            Some(CERTIFICATE_MAX_DAYS)
        );
    }

    #[test]
    fn a_kept_certificate_is_sent_back_named_by_its_key_id() {
        let kept = kept_body(&KeyCredential {
            key_id: "k-1".into(),
            custom_key_identifier: Some("AA11".into()),
            display_name: Some("CN=old".into()),
            key: None,
            kind: None,
            usage: None,
            start_date_time: None,
            end_date_time: None,
        });
        assert_eq!(
            serde_json::to_value(&kept).expect("json"),
            serde_json::json!({"displayName": "CN=old", "keyId": "k-1", "type": "AsymmetricX509Cert", "usage": "Verify"})
        );
    }
}

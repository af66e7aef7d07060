//! The OS keychain for the commands: the tenant's GUID (entries are keyed by it, and the admin
//! may give a domain), reading the secret or certificate `register` stored, and keeping a new
//! secret (with its reminder) for `register` and `rotate-secret` (a new certificate's key is
//! kept by the core itself, before its public key is uploaded).

use entra_setup_core::credentials::Certificate;
use entra_setup_core::fix::{NewCertificate, NewSecret};
use entra_setup_core::identity::tenant_id_of;
use entra_setup_core::paths::AppPaths;
use entra_setup_core::reminders::Registry;
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::{self, KeychainOutcome, KeyringStore, SecretStore};
use entra_setup_core::validate::Field;
use entra_setup_core::verify::Context;

use crate::exit::UsageError;
use crate::options::field_option;

/// The tenant's GUID: the input itself when it is one, otherwise from OpenID discovery.
pub fn tenant_guid(
    runtime: &tokio::runtime::Runtime,
    ctx: &Context,
    tenant: &str,
) -> anyhow::Result<String> {
    let tenant = tenant.trim();
    runtime
        .block_on(tenant_id_of(&ctx.http, &ctx.endpoints, tenant))
        .map_err(|e| {
            anyhow::anyhow!(
                "{}: cannot find the tenant '{tenant}' to look up its keychain entry: {e}",
                field_option(Field::Tenant)
            )
        })
}

/// The secret `register` stored for this client (`--secret-from-keyring`).
pub fn read_secret(tenant_id: &str, client_id: &str) -> Result<Secret, UsageError> {
    let store = KeyringStore::default();
    match secrets::client_secret(&store, tenant_id, client_id) {
        Ok(Some(secret)) => Ok(secret),
        Ok(None) => Err(UsageError(format!(
            "--secret-from-keyring: the OS keychain has no secret for client {client_id} in tenant {tenant_id} \
             (entra-setup register stores one when it creates it); use --secret-stdin or --secret-env"
        ))),
        Err(e) => Err(UsageError(format!("--secret-from-keyring: {e}"))),
    }
}

/// The certificate `register --credential certificate` kept for this client
/// (`--certificate-from-keyring`).
pub fn read_certificate(tenant_id: &str, client_id: &str) -> Result<Certificate, UsageError> {
    let store = KeyringStore::default();
    match Certificate::from_keychain(&store, tenant_id, client_id) {
        Ok(Some(certificate)) => Ok(certificate),
        Ok(None) => Err(UsageError(format!(
            "--certificate-from-keyring: the OS keychain has no certificate for client {client_id} in tenant {tenant_id} \
             (entra-setup register --credential certificate keeps one when it creates it); use --certificate-file"
        ))),
        Err(e) => Err(UsageError(format!("--certificate-from-keyring: {e}"))),
    }
}

/// Before a certificate is made: the keychain must keep its private key (a certificate is never
/// made, nor its key written to a plain file, without it), so this refuses with exit 64.
pub fn ready_for_new_certificate(option: &str) -> Result<(), UsageError> {
    available().map_err(|e| {
        UsageError(format!(
            "{option}: a certificate's private key is kept only in the OS keychain, and it is not available: {e}. \
             Start or unlock the keychain, or use --credential secret"
        ))
    })
}

/// Whether the keychain answers; the error explains why not.
pub fn available() -> Result<(), secrets::SecretStoreError> {
    KeyringStore::default().probe()
}

/// Before a secret is made: whether the keychain can keep it. Without a keychain the secret is
/// made only with `--show-secret` (printed once) — never made and then lost — so this refuses.
pub fn ready_for_new_secret(show_secret: bool) -> Result<bool, UsageError> {
    match available() {
        Ok(()) => Ok(true),
        Err(e) if !show_secret => Err(UsageError(format!(
            "--show-secret: this will create a client secret, and it cannot be kept: {e}. \
             Start or unlock the keychain, or add --show-secret to have its value printed once (copy it into the product), so it is not lost"
        ))),
        Err(e) => {
            eprintln!("The new client secret will not be kept in the keychain: {e}.");
            Ok(false)
        }
    }
}

/// Keep a secret just made: its reminder, and its value in the keychain when it is ready.
/// Whether the value was kept; what went wrong is said on stderr.
#[allow(clippy::too_many_arguments)]
pub fn keep_new_secret(
    runtime: &tokio::runtime::Runtime,
    context: &Context,
    paths: &AppPaths,
    tenant: &str,
    client_id: &str,
    secret: &NewSecret,
    keychain_ready: bool,
    name: Option<&str>,
    source: &str,
) -> bool {
    let tenant_id = match tenant_guid(runtime, context, tenant) {
        Ok(id) => id,
        Err(e) => {
            eprintln!("entra-setup: the new secret is not kept: {e}");
            return false;
        }
    };
    let store: Option<std::sync::Arc<dyn SecretStore>> =
        keychain_ready.then(|| std::sync::Arc::new(KeyringStore::default()) as _);
    let kept = runtime.block_on(secrets::keep_new_secret(
        &Registry::new(paths),
        store,
        &tenant_id,
        client_id,
        secret,
        name,
        source,
    ));
    if let Err(e) = &kept.reminder {
        eprintln!(
            "entra-setup: the reminder for the new secret could not be kept: {}",
            entra_setup_core::error_text::with_sources(e)
        );
    }
    match kept.keychain {
        KeychainOutcome::Kept { account } => {
            eprintln!(
                "The new client secret is kept in the OS keychain (service entra-setup, account {account}); \
                 use --secret-from-keyring to use it."
            );
            true
        }
        KeychainOutcome::NotReady => {
            eprintln!(
                "The new client secret is shown once and is not stored: no keychain is available."
            );
            false
        }
        KeychainOutcome::Failed(e) => {
            eprintln!(
                "entra-setup: the new client secret (ID {}) could not be kept in the keychain: {e}. \
                 Unless --show-secret printed it, delete it under Certificates & secrets and make a new one.",
                secret.key_id
            );
            false
        }
    }
}

/// Record the reminder of a certificate just made (its private key is in the keychain already);
/// what went wrong is said on stderr.
#[allow(clippy::too_many_arguments)]
pub fn remind_certificate(
    runtime: &tokio::runtime::Runtime,
    context: &Context,
    paths: &AppPaths,
    tenant: &str,
    client_id: &str,
    certificate: &NewCertificate,
    name: Option<&str>,
    source: &str,
) {
    let tenant_id = match tenant_guid(runtime, context, tenant) {
        Ok(id) => id,
        Err(e) => {
            eprintln!("entra-setup: the reminder for the new certificate is not kept: {e}");
            return;
        }
    };
    if let Err(e) = Registry::new(paths).record_certificate(
        &tenant_id,
        client_id,
        &certificate.key_id,
        certificate.expires,
        name,
        source,
    ) {
        eprintln!(
            "entra-setup: the reminder for the new certificate could not be kept: {}",
            entra_setup_core::error_text::with_sources(&e)
        );
    }
}

/// After a secret was removed from the registration: forget its reminder.
pub fn forget_removed_secret(paths: &AppPaths, key_id: &str) {
    if let Err(e) = Registry::new(paths).remove(key_id) {
        eprintln!(
            "entra-setup: the reminder for the removed secret could not be removed: {}",
            entra_setup_core::error_text::with_sources(&e)
        );
    }
}

//! The OS keychain for the commands: the tenant's GUID (entries are keyed by it, and the admin
//! may give a domain), reading the secret `register` stored, and storing a new one.

use entra_setup_core::identity::discover;
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::{self, KeyringStore, SecretStore};
use entra_setup_core::verify::Context;

use crate::exit::UsageError;

/// The tenant's GUID: the input itself when it is one, otherwise from OpenID discovery.
pub fn tenant_guid(
    runtime: &tokio::runtime::Runtime,
    ctx: &Context,
    tenant: &str,
) -> anyhow::Result<String> {
    let tenant = tenant.trim();
    if uuid_like(tenant) {
        return Ok(tenant.to_ascii_lowercase());
    }
    let info = runtime
        .block_on(discover(&ctx.http, &ctx.endpoints, tenant))
        .map_err(|e| {
            anyhow::anyhow!(
                "--tenant: cannot find the tenant '{tenant}' to look up its keychain entry: {e}"
            )
        })?;
    Ok(info.tenant_id.to_ascii_lowercase())
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

/// Whether the keychain answers; the error explains why not.
pub fn available() -> Result<(), secrets::SecretStoreError> {
    KeyringStore::default().probe()
}

/// Keep a new secret in the keychain.
pub fn store(
    tenant_id: &str,
    client_id: &str,
    key_id: &str,
    value: &Secret,
) -> Result<(), secrets::SecretStoreError> {
    let store: &dyn SecretStore = &KeyringStore::default();
    secrets::store_client_secret(store, tenant_id, client_id, key_id, value)
}

fn uuid_like(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

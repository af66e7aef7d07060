//! A certificate credential in the OS keychain: the certificate and its private key as one PEM
//! entry beside the client secrets (same service, same `TENANT/CLIENT` scheme, a distinct
//! `certificate` entry), under the key credential's ID and as the registration's current
//! certificate, which `--certificate-from-keyring` reads back.

use super::{Certificate, CertificateError};
use crate::secrets::{SecretKey, SecretStore, SecretStoreError};

/// The entry name that sets certificate entries apart from secret entries.
const CERTIFICATE: &str = "certificate";

/// The keychain entry of a registration's certificate: its current one (`key_id` `None`,
/// account `TENANT/CLIENT/certificate`) or one by its key credential's ID
/// (`TENANT/CLIENT/certificate/KEY`).
pub fn certificate_key(tenant_id: &str, client_id: &str, key_id: Option<&str>) -> SecretKey {
    let entry = match key_id {
        Some(key) => format!("{CERTIFICATE}/{}", crate::validate::canonical_id(key)),
        None => CERTIFICATE.to_owned(),
    };
    SecretKey::with_key_id(tenant_id, client_id, &entry)
}

/// Keep `certificate` with its private key: under its key credential's ID and as the
/// registration's current certificate.
pub fn store_certificate(
    store: &dyn SecretStore,
    tenant_id: &str,
    client_id: &str,
    key_id: &str,
    certificate: &Certificate,
) -> Result<(), SecretStoreError> {
    let text = certificate.keychain_text();
    store.put(&certificate_key(tenant_id, client_id, Some(key_id)), &text)?;
    store.put(&certificate_key(tenant_id, client_id, None), &text)
}

/// Why a kept certificate could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum KeychainCertificateError {
    /// The keychain could not be read.
    #[error(transparent)]
    Store(#[from] SecretStoreError),
    /// The entry does not hold a certificate with its key.
    #[error("the keychain's certificate entry cannot be used: {0}")]
    Entry(#[from] CertificateError),
}

/// The registration's current certificate, `None` when none is kept.
pub(super) fn read(
    store: &dyn SecretStore,
    tenant_id: &str,
    client_id: &str,
) -> Result<Option<Certificate>, KeychainCertificateError> {
    let Some(text) = store.get(&certificate_key(tenant_id, client_id, None))? else {
        return Ok(None);
    };
    Ok(Some(super::file::from_pem(text.expose(), None)?))
}

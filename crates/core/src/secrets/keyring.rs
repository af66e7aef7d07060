//! The OS keychain through the `keyring` crate: the Secret Service over D-Bus on Linux (pure
//! Rust, zbus), Keychain Services on macOS, Credential Manager on Windows.
//!
//! Calls block until the keychain answers; a GUI calls them off its event loop. A keychain that
//! cannot be reached becomes [`SecretStoreError::Unavailable`], never a file elsewhere.

use keyring::Entry;

use super::{SERVICE, Secret, SecretKey, SecretStore, SecretStoreError};

/// The OS keychain.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl Default for KeyringStore {
    fn default() -> Self {
        KeyringStore {
            service: SERVICE.to_string(),
        }
    }
}

impl KeyringStore {
    /// Entries under another service name (tests keep theirs apart).
    pub fn with_service(service: &str) -> KeyringStore {
        KeyringStore {
            service: service.to_string(),
        }
    }

    /// Whether the keychain can keep a secret: a probe entry written and removed
    /// ([`super::writable`]); a locked keychain, which still answers reads, fails it.
    pub fn probe(&self) -> Result<(), SecretStoreError> {
        super::writable(self)
    }

    fn entry(&self, key: &SecretKey) -> Result<Entry, SecretStoreError> {
        Entry::new(&self.service, &key.account()).map_err(|e| map_error(e, key))
    }
}

/// Keychain errors, without ever a value in them.
fn map_error(error: keyring::Error, key: &SecretKey) -> SecretStoreError {
    match error {
        keyring::Error::NoStorageAccess(e) => SecretStoreError::Unavailable(e.to_string()),
        keyring::Error::PlatformFailure(e) => SecretStoreError::Unavailable(e.to_string()),
        keyring::Error::BadEncoding(_) => SecretStoreError::NotText(key.account()),
        keyring::Error::NoEntry => SecretStoreError::Failed(format!("no entry {}", key.account())),
        keyring::Error::TooLong(field, limit) => {
            SecretStoreError::Failed(format!("{field} is longer than {limit}"))
        }
        keyring::Error::Invalid(field, why) => SecretStoreError::Failed(format!("{field}: {why}")),
        keyring::Error::Ambiguous(found) => {
            SecretStoreError::Failed(format!("{} entries match {}", found.len(), key.account()))
        }
        other => SecretStoreError::Failed(other.to_string()),
    }
}

impl SecretStore for KeyringStore {
    fn put(&self, key: &SecretKey, value: &Secret) -> Result<(), SecretStoreError> {
        self.entry(key)?
            .set_password(value.expose())
            .map_err(|e| map_error(e, key))
    }

    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretStoreError> {
        match self.entry(key)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(zeroize::Zeroizing::new(value).as_str()))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e, key)),
        }
    }

    fn delete(&self, key: &SecretKey) -> Result<bool, SecretStoreError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e, key)),
        }
    }
}

//! An in-memory [`SecretStore`] for tests and for the demo tenant: nothing leaves the process.
//! It can also play a machine without a keychain ([`MemoryStore::unavailable`]) or a locked one
//! ([`MemoryStore::locked`]).

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::{Secret, SecretKey, SecretStore, SecretStoreError};

/// Secrets in a map, gone when the process ends.
#[derive(Debug, Default)]
pub struct MemoryStore {
    entries: Mutex<BTreeMap<SecretKey, Secret>>,
    unavailable: bool,
    locked: bool,
}

impl MemoryStore {
    /// A store that answers like a machine without a keychain.
    pub fn unavailable() -> MemoryStore {
        MemoryStore {
            unavailable: true,
            ..MemoryStore::default()
        }
    }

    /// A store that answers reads but refuses to keep anything, as a locked keychain does.
    pub fn locked() -> MemoryStore {
        MemoryStore {
            locked: true,
            ..MemoryStore::default()
        }
    }

    fn entries(
        &self,
    ) -> Result<std::sync::MutexGuard<'_, BTreeMap<SecretKey, Secret>>, SecretStoreError> {
        if self.unavailable {
            return Err(SecretStoreError::Unavailable(
                "the in-memory store plays a machine without a keychain".into(),
            ));
        }
        self.entries
            .lock()
            .map_err(|_| SecretStoreError::Failed("the in-memory store is poisoned".into()))
    }
}

impl SecretStore for MemoryStore {
    fn put(&self, key: &SecretKey, value: &Secret) -> Result<(), SecretStoreError> {
        if self.locked {
            return Err(SecretStoreError::Failed(
                "the in-memory store plays a locked keychain".into(),
            ));
        }
        self.entries()?.insert(key.clone(), value.clone());
        Ok(())
    }

    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretStoreError> {
        Ok(self.entries()?.get(key).cloned())
    }

    fn delete(&self, key: &SecretKey) -> Result<bool, SecretStoreError> {
        Ok(self.entries()?.remove(key).is_some())
    }
}

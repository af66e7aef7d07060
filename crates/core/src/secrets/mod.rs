//! Where client secrets are kept between runs: the OS keychain (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows) behind the [`SecretStore`] trait, with an
//! in-memory store for tests.
//!
//! Entries are keyed by tenant id and client id, and by the secret's key id when it is known
//! ([`SecretKey`]). [`store_client_secret`] writes both the entry of that key id and the
//! client's current entry, which [`client_secret`] reads back (`--secret-from-keyring`).
//!
//! When no keychain can be reached the store answers [`SecretStoreError::Unavailable`]: there is
//! deliberately no fall-back to a plain file. The value itself is a [`Secret`] (redacted `Debug`,
//! no `Serialize`, zeroed on drop).

mod keep;
mod keyring;
mod memory;

pub use self::keep::{Kept, KeychainOutcome, keep_new_secret};
pub use self::keyring::KeyringStore;
pub use crate::secret::Secret;
pub use memory::MemoryStore;

/// How long a keychain call may take: a locked keychain may wait on a prompt nobody sees.
pub const KEYCHAIN_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// Read an entry off the async runtime, given up after [`KEYCHAIN_PATIENCE`] (then
/// [`SecretStoreError::Unavailable`]; the blocked call is left to finish on its own).
pub async fn get_within(
    store: std::sync::Arc<dyn SecretStore>,
    key: SecretKey,
) -> Result<Option<Secret>, SecretStoreError> {
    get_with_patience(store, key, KEYCHAIN_PATIENCE).await
}

async fn get_with_patience(
    store: std::sync::Arc<dyn SecretStore>,
    key: SecretKey,
    patience: std::time::Duration,
) -> Result<Option<Secret>, SecretStoreError> {
    within(patience, move || store.get(&key)).await
}

/// Run a keychain call on the blocking pool, given up after `patience` (then
/// [`SecretStoreError::Unavailable`]; the blocked call is left to finish on its own).
pub async fn within<T: Send + 'static>(
    patience: std::time::Duration,
    call: impl FnOnce() -> Result<T, SecretStoreError> + Send + 'static,
) -> Result<T, SecretStoreError> {
    match tokio::time::timeout(patience, tokio::task::spawn_blocking(call)).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(join)) => Err(SecretStoreError::Failed(join.to_string())),
        Err(_) => Err(SecretStoreError::Unavailable(format!(
            "the keychain did not answer within {} ms (is it locked?)",
            patience.as_millis()
        ))),
    }
}

/// The service name entries are filed under in the keychain.
pub const SERVICE: &str = "entra-setup";

/// Which secret an entry holds: a client of a tenant, and one of its secrets when known.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SecretKey {
    /// The directory (tenant) GUID.
    pub tenant_id: String,
    /// The application (client) ID.
    pub client_id: String,
    /// The secret's key id (Graph `passwordCredential.keyId`); `None` for the client's current
    /// secret.
    pub key_id: Option<String>,
}

impl SecretKey {
    /// The client's current secret.
    pub fn current(tenant_id: &str, client_id: &str) -> SecretKey {
        SecretKey {
            tenant_id: crate::validate::canonical_id(tenant_id),
            client_id: crate::validate::canonical_id(client_id),
            key_id: None,
        }
    }

    /// One secret of the client, by its key id.
    pub fn with_key_id(tenant_id: &str, client_id: &str, key_id: &str) -> SecretKey {
        SecretKey {
            key_id: Some(crate::validate::canonical_id(key_id)),
            ..SecretKey::current(tenant_id, client_id)
        }
    }

    /// The keychain's account name: `TENANT/CLIENT` or `TENANT/CLIENT/KEY`.
    pub fn account(&self) -> String {
        match &self.key_id {
            Some(key) => format!("{}/{}/{key}", self.tenant_id, self.client_id),
            None => format!("{}/{}", self.tenant_id, self.client_id),
        }
    }
}

/// What went wrong with the secret store. Never carries a secret value.
#[derive(Debug, thiserror::Error)]
pub enum SecretStoreError {
    /// No keychain could be reached (no Secret Service on the session bus, a locked keychain,
    /// no credential manager).
    #[error(
        "no OS keychain is available ({0}); on Linux a Secret Service such as GNOME Keyring or KWallet must be running and unlocked"
    )]
    Unavailable(String),
    /// The keychain answered with an error.
    #[error("the OS keychain refused the request: {0}")]
    Failed(String),
    /// The stored value is not text.
    #[error("the keychain entry {0} does not hold text")]
    NotText(String),
}

/// A place that keeps secret values.
pub trait SecretStore: Send + Sync {
    /// Store (or replace) the value of an entry.
    fn put(&self, key: &SecretKey, value: &Secret) -> Result<(), SecretStoreError>;
    /// The value of an entry, `None` when there is none.
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>, SecretStoreError>;
    /// Remove an entry; `false` when there was none.
    fn delete(&self, key: &SecretKey) -> Result<bool, SecretStoreError>;
}

/// Whether `store` can keep a secret: it writes a probe entry and removes it. Reading is not
/// enough — a locked keychain answers reads and refuses writes — and a secret made for a keychain
/// that then refuses it would be a secret nobody keeps.
pub fn writable(store: &dyn SecretStore) -> Result<(), SecretStoreError> {
    let key = SecretKey::current("entra-setup-probe", "entra-setup-probe");
    store
        .put(&key, &Secret::new("probe"))
        .map_err(|e| match e {
            SecretStoreError::Failed(why) => SecretStoreError::Unavailable(format!(
                "it refuses to keep new entries ({why}); unlock it"
            )),
            other => other,
        })?;
    store.delete(&key).map(|_| ())
}

/// Keep a new client secret: under its key id, and as the client's current secret.
pub fn store_client_secret(
    store: &dyn SecretStore,
    tenant_id: &str,
    client_id: &str,
    key_id: &str,
    value: &Secret,
) -> Result<(), SecretStoreError> {
    store.put(&SecretKey::with_key_id(tenant_id, client_id, key_id), value)?;
    store.put(&SecretKey::current(tenant_id, client_id), value)
}

/// The client's current secret, as [`store_client_secret`] left it.
pub fn client_secret(
    store: &dyn SecretStore,
    tenant_id: &str,
    client_id: &str,
) -> Result<Option<Secret>, SecretStoreError> {
    store.get(&SecretKey::current(tenant_id, client_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A keychain that answers only when told to (a locked one waiting on a prompt).
    struct Hung(std::sync::Mutex<std::sync::mpsc::Receiver<()>>);

    impl SecretStore for Hung {
        fn put(&self, _: &SecretKey, _: &Secret) -> Result<(), SecretStoreError> {
            Ok(())
        }
        fn get(&self, _: &SecretKey) -> Result<Option<Secret>, SecretStoreError> {
            let _ = self.0.lock().map(|r| r.recv());
            Ok(None)
        }
        fn delete(&self, _: &SecretKey) -> Result<bool, SecretStoreError> {
            Ok(false)
        }
    }

    #[tokio::test]
    async fn a_keychain_that_does_not_answer_is_given_up() {
        let (answer, wait) = std::sync::mpsc::channel();
        let store: std::sync::Arc<dyn SecretStore> =
            std::sync::Arc::new(Hung(std::sync::Mutex::new(wait)));
        // The keychain never answers before it is released: only the patience ends the wait.
        let found = get_with_patience(
            store,
            SecretKey::current("t", "c"),
            std::time::Duration::from_millis(20),
        )
        .await;
        assert!(
            matches!(&found, Err(SecretStoreError::Unavailable(why)) if why.contains("locked")),
            "{found:?}"
        );
        // Let the blocked call end, so that the runtime can shut down.
        answer.send(()).expect("release");
    }

    #[test]
    fn keys_are_normalised_and_named_by_tenant_client_and_key() {
        let key = SecretKey::with_key_id(" ABC ", "Def", "K1");
        assert_eq!(key.account(), "abc/def/k1");
        assert_eq!(SecretKey::current("abc", "DEF").account(), "abc/def");
    }

    #[test]
    fn a_keychain_is_writable_only_when_it_keeps_and_forgets_a_probe() {
        let store = MemoryStore::default();
        writable(&store).expect("an open store");
        assert_eq!(
            store
                .get(&SecretKey::current(
                    "entra-setup-probe",
                    "entra-setup-probe"
                ))
                .expect("get"),
            None,
            "the probe is removed"
        );
        let locked = writable(&MemoryStore::locked()).expect_err("a locked store");
        assert!(
            matches!(locked, SecretStoreError::Unavailable(_)),
            "{locked}"
        );
        assert!(locked.to_string().contains("unlock it"), "{locked}");
        assert!(matches!(
            writable(&MemoryStore::unavailable()),
            Err(SecretStoreError::Unavailable(_))
        ));
    }

    #[test]
    fn stores_under_key_id_and_as_current() {
        let store = MemoryStore::default();
        let value = Secret::new("Xy7Q~value");
        store_client_secret(&store, "t", "c", "k", &value).expect("put");
        assert_eq!(
            client_secret(&store, "T", "C").expect("get"),
            Some(value.clone())
        );
        assert_eq!(
            store
                .get(&SecretKey::with_key_id("t", "c", "k"))
                .expect("get"),
            Some(value)
        );
        assert!(store.delete(&SecretKey::current("t", "c")).expect("delete"));
        assert!(!store.delete(&SecretKey::current("t", "c")).expect("delete"));
        assert_eq!(client_secret(&store, "t", "c").expect("get"), None);
    }

    #[test]
    fn an_unavailable_store_says_so_without_a_value() {
        let store = MemoryStore::unavailable();
        let error = store
            .put(&SecretKey::current("t", "c"), &Secret::new("Xy7Q~value"))
            .expect_err("unavailable");
        assert!(matches!(error, SecretStoreError::Unavailable(_)));
        assert!(!format!("{error} {error:?}").contains("Xy7Q"));
    }
}

//! Keeping a client secret just made, the same way for every front end: its reminder first (the
//! expiry must not be forgotten even when the value cannot be kept), then its value in the
//! keychain under its key ID and as the client's current secret, within the keychain's patience.
//! The outcome says what was kept; the front ends only word it.
//!
//! Whether a secret may be made at all without a keychain is decided before it is made (the CLI
//! refuses unless the value is printed; the app shows it on screen): not here.

use std::sync::Arc;

use super::{KEYCHAIN_PATIENCE, SecretKey, SecretStore, SecretStoreError};
use crate::fix::NewSecret;
use crate::reminders::{Registry, RegistryError};

/// What became of the value.
#[derive(Debug)]
pub enum KeychainOutcome {
    /// Kept under this keychain account (`TENANT/CLIENT`).
    Kept {
        /// The account name of the client's current secret.
        account: String,
    },
    /// No keychain was ready when the secret was made: the value was shown instead.
    NotReady,
    /// The keychain refused it or did not answer.
    Failed(SecretStoreError),
}

/// What [`keep_new_secret`] kept.
#[derive(Debug)]
pub struct Kept {
    /// The reminder of its expiry.
    pub reminder: Result<(), RegistryError>,
    /// Its value.
    pub keychain: KeychainOutcome,
}

impl Kept {
    /// Whether the value is in the keychain.
    pub fn in_keychain(&self) -> bool {
        matches!(self.keychain, KeychainOutcome::Kept { .. })
    }
}

/// Keep `secret` of the registration `client_id` in tenant `tenant_id` (a GUID): its reminder in
/// `registry` (named `name`, recorded as made by `source`), then its value in `store` when a
/// keychain is ready (`None`: it is not).
pub async fn keep_new_secret(
    registry: &Registry,
    store: Option<Arc<dyn SecretStore>>,
    tenant_id: &str,
    client_id: &str,
    secret: &NewSecret,
    name: Option<&str>,
    source: &str,
) -> Kept {
    let reminder = registry
        .record_secret(
            tenant_id,
            client_id,
            &secret.key_id,
            secret.expires,
            name,
            source,
        )
        .map(drop);
    let keychain = match store {
        None => KeychainOutcome::NotReady,
        Some(store) => {
            let (tenant, client, key_id, value) = (
                tenant_id.to_string(),
                client_id.to_string(),
                secret.key_id.clone(),
                secret.value.clone(),
            );
            let put = super::within(KEYCHAIN_PATIENCE, move || {
                super::store_client_secret(store.as_ref(), &tenant, &client, &key_id, &value)
            });
            match put.await {
                Ok(()) => KeychainOutcome::Kept {
                    account: SecretKey::current(tenant_id, client_id).account(),
                },
                Err(error) => KeychainOutcome::Failed(error),
            }
        }
    };
    Kept { reminder, keychain }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{Change, ChangeKind};
    use crate::secret::Secret;
    use crate::secrets::{MemoryStore, client_secret};

    fn made(n: u8) -> NewSecret {
        NewSecret {
            key_id: format!("DDDDDDDD-0000-0000-0000-00000000000{n}"),
            hint: "Kq8".into(),
            expires: chrono::Utc::now() + chrono::Duration::days(90),
            days: 90,
            capped_from: None,
            value: Secret::new("Kq8~kept-value-0123456789"),
            change: Change {
                kind: ChangeKind::SecretAdded,
                description: "added".into(),
            },
        }
    }

    #[tokio::test]
    async fn the_reminder_then_the_value_are_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let registry = Registry::at(dir.path());
        let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::default());
        let secret = made(1);
        let kept = keep_new_secret(
            &registry,
            Some(Arc::clone(&store)),
            "t-1",
            "c-1",
            &secret,
            Some("Intranet"),
            "register",
        )
        .await;
        assert!(kept.reminder.is_ok() && kept.in_keychain(), "{kept:?}");
        assert_eq!(
            client_secret(store.as_ref(), "t-1", "c-1").expect("read"),
            Some(secret.value.clone())
        );
        let reminders = registry.list().expect("list");
        assert_eq!(reminders.len(), 1);
        assert_eq!(reminders[0].source.as_deref(), Some("register"));

        // Without a keychain, or with a locked one, the reminder is kept all the same.
        let none = keep_new_secret(&registry, None, "t-1", "c-2", &made(2), None, "register").await;
        assert!(matches!(none.keychain, KeychainOutcome::NotReady) && none.reminder.is_ok());
        let locked: Arc<dyn SecretStore> = Arc::new(MemoryStore::locked());
        let refused = keep_new_secret(
            &registry,
            Some(locked),
            "t-1",
            "c-3",
            &made(3),
            None,
            "register",
        )
        .await;
        assert!(matches!(refused.keychain, KeychainOutcome::Failed(_)));
        assert_eq!(registry.list().expect("list").len(), 3);
    }
}

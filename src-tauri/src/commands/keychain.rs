//! The keychain's commands: whether it answers for the setup under way, and using the secret
//! kept there; and what the other commands share with it — blocking calls on the blocking pool
//! (`spawn_blocking`, never the async runtime's reactor), the tenant's GUID, and keeping a secret
//! the wizard made (the core's `secrets::keep_new_secret`: its reminder, then the keychain; this
//! only words the outcome).
//!
//! Reading the keychain may wait on a prompt: those reads end at once when the wizard's session
//! does, and a kept secret is held only for the session that asked for it.
//!
//! Like every command, each is also listed in `with_ipc_commands!` (`lib.rs`), `build.rs` and the
//! capability; `tests/commands.rs` fails when they disagree.

use entra_setup_core::credentials::CredentialType;
use entra_setup_core::fix::Registered;
use entra_setup_core::identity::tenant_id_of;
use entra_setup_core::profile::Profile;
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::{self, KEYCHAIN_PATIENCE, KeychainOutcome, SecretStoreError};
use entra_setup_core::wizard::export::{self, MadeSecret};
use entra_setup_core::wizard::{WizardState, credential};
use serde::Serialize;

use super::current_view;
use crate::ipc_error::{IpcError, IpcErrorCode};
use crate::state::{AppState, Memory, Session};
use crate::view::WizardView;

type State<'a> = tauri::State<'a, AppState>;

/// Run a blocking call (the keychain, the zip) on the blocking pool.
pub(super) async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> T + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(call)
        .await
        .map_err(|e| IpcError::new(IpcErrorCode::StorageUnavailable, e.to_string()))
}

/// A keychain call on the blocking pool, given up after [`KEYCHAIN_PATIENCE`] (the core's
/// `secrets::within`).
pub(super) async fn keychain<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, SecretStoreError> + Send + 'static,
) -> Result<Result<T, SecretStoreError>, IpcError> {
    Ok(secrets::within(KEYCHAIN_PATIENCE, call).await)
}

/// The tenant's GUID (the keychain's entries are keyed by it): as the tenant check found it,
/// as typed, or from OpenID discovery.
pub(super) async fn tenant_guid(
    state: &AppState,
    wizard: &WizardState,
) -> Result<String, IpcError> {
    if let Some(id) = export::tenant_id(wizard) {
        return Ok(id);
    }
    let ctx = state.context().await?;
    let tenant = wizard.inputs.tenant.trim();
    tenant_id_of(&ctx.http, &ctx.endpoints, tenant)
        .await
        .map_err(|e| {
            IpcError::new(
                IpcErrorCode::Unavailable,
                format!("tenant: cannot find the tenant '{tenant}': {e}"),
            )
        })
}

/// After "create it for me" made a secret: keep its value in the OS keychain and its reminder,
/// as `entra-setup register` does. Returns what happened, one sentence each, for the repair's
/// list of changes.
pub(crate) async fn keep_made_secret(
    state: &AppState,
    wizard: &WizardState,
    profile: &Profile,
    registered: &Registered,
) -> Vec<String> {
    let Some(secret) = &registered.secret else {
        return Vec::new();
    };
    let keep = &state.safekeeping;
    keep.set_made(Some(MadeSecret {
        client_id: registered.client_id.clone(),
        key_id: secret.key_id.clone(),
        hint: secret.hint.clone(),
        expires: secret.expires,
    }));
    let tenant_id = match tenant_guid(state, wizard).await {
        Ok(id) => id,
        Err(e) => return vec![format!("The new client secret could not be kept: {e}")],
    };
    let kept = secrets::keep_new_secret(
        keep.registry(),
        Some(keep.store()),
        &tenant_id,
        &registered.client_id,
        secret,
        Some(&profile.title),
        "register",
    )
    .await;
    let mut said = Vec::new();
    said.push(match &kept.reminder {
        Ok(()) => format!(
            "A reminder is kept for the new client secret (expires {}).",
            secret.expires.format("%Y-%m-%d")
        ),
        Err(e) => format!(
            "The reminder could not be kept: {}.",
            entra_setup_core::error_text::with_sources(e)
        ),
    });
    said.push(match kept.keychain {
        KeychainOutcome::Kept { .. } => "The new client secret is kept in the OS keychain (entry entra-setup); after a restart the secret step can use it.".into(),
        KeychainOutcome::NotReady => "The new client secret is not kept in any keychain. Show its value once and copy it into the product now.".into(),
        KeychainOutcome::Failed(e) => format!("The new client secret is not kept in any keychain: {e}. Show its value once and copy it into the product now."),
    });
    said
}

/// Whether the keychain answers, and holds a secret (or, with a certificate chosen, a
/// certificate) for the setup under way.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct KeychainStatus {
    /// Whether an OS keychain answered.
    pub available: bool,
    /// Whether it holds a secret for this tenant and client.
    pub has_secret: bool,
    /// Whether it holds a certificate for this tenant and client (looked up only when the app
    /// proves itself with a certificate).
    pub has_certificate: bool,
    /// Why not, for people.
    pub message: Option<String>,
}

/// The keychain's answer for the setup under way.
#[tauri::command]
#[specta::specta]
pub async fn keychain_status(state: State<'_>) -> Result<KeychainStatus, IpcError> {
    let session = state.current().await?;
    let wizard = &session.wizard;
    if wizard.inputs.client_id.is_empty() || wizard.inputs.tenant.is_empty() {
        return Ok(KeychainStatus {
            available: true,
            has_secret: false,
            has_certificate: false,
            message: None,
        });
    }
    let profile = state.profile(&wizard.profile)?;
    if credential::chosen(&profile, wizard) == CredentialType::Certificate {
        let found = session
            .unless_ended(super::certificate::kept_certificate(&state, wizard))
            .await?;
        return Ok(match found {
            Ok(found) => KeychainStatus {
                available: true,
                has_secret: false,
                has_certificate: found.is_some(),
                message: None,
            },
            Err(e) => KeychainStatus {
                available: e.code != IpcErrorCode::KeychainUnavailable,
                has_secret: false,
                has_certificate: false,
                message: Some(e.message),
            },
        });
    }
    Ok(match kept_secret(&state, &session).await? {
        Ok(found) => KeychainStatus {
            available: true,
            has_secret: found.is_some(),
            has_certificate: false,
            message: None,
        },
        Err(e) => KeychainStatus {
            available: !matches!(e, SecretStoreError::Unavailable(_)),
            has_secret: false,
            has_certificate: false,
            message: Some(e.to_string()),
        },
    })
}

/// The client secret the OS keychain keeps for the registration of `session` (read within it:
/// ended at once when it ends); the inner error is the keychain's own answer.
async fn kept_secret(
    state: &AppState,
    session: &Session,
) -> Result<Result<Option<Secret>, SecretStoreError>, IpcError> {
    let wizard = &session.wizard;
    let store = state.safekeeping.store();
    let client_id = wizard.inputs.client_id.clone();
    session
        .unless_ended(async {
            let tenant_id = tenant_guid(state, wizard).await?;
            keychain(move || secrets::client_secret(store.as_ref(), &tenant_id, &client_id)).await
        })
        .await?
}

/// Use the secret kept in the keychain for this client (held in memory, like a pasted one).
#[tauri::command]
#[specta::specta]
pub async fn wizard_use_kept_secret(state: State<'_>) -> Result<WizardView, IpcError> {
    let session = state.current().await?;
    let wizard = &session.wizard;
    let kept = kept_secret(&state, &session).await??;
    let none_kept = format!(
        "client secret: the OS keychain holds no secret for client {}; create one or paste it",
        wizard.inputs.client_id
    );
    hold_kept(&state, &session, kept, none_kept, |memory, secret| {
        memory.created = None;
        memory.secret = Some(secret);
    })
    .await
}

/// Hold what the OS keychain keeps for the client of `session` in that session's memory only,
/// and answer with the wizard; when it keeps none, the answer is `none_kept`.
pub(super) async fn hold_kept<T>(
    state: &AppState,
    session: &Session,
    kept: Option<T>,
    none_kept: String,
    hold: impl FnOnce(&mut Memory, T),
) -> Result<WizardView, IpcError> {
    let Some(kept) = kept else {
        return Err(IpcError::new(IpcErrorCode::InvalidInput, none_kept));
    };
    let session = state
        .record(session.id, |_, memory| hold(memory, kept))
        .await?;
    current_view(state, &session).await
}

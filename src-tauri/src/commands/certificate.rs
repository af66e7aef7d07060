//! The certificate's commands: choosing what the app proves itself with (a client secret, or a
//! certificate where the profile's product takes one — the core's `wizard::credential` decides),
//! making a certificate through the core's `fix::register_with_certificate`, the function
//! `entra-setup register --credential certificate` runs (its private key kept in the OS keychain
//! before its public key is uploaded; its reminder kept here, as the CLI keeps it), and using the
//! certificate the keychain keeps.
//!
//! The certificate with its private key is held only in the session's memory, like the secret;
//! what crosses to the UI is its thumbprint and end date (the view's `secret.certificate`).
//!
//! Like every command, each is also listed in `with_ipc_commands!` (`lib.rs`), `build.rs` and the
//! capability; `tests/commands.rs` fails when they disagree.

use entra_setup_core::credentials::{Certificate, CredentialType, KeychainCertificateError};
use entra_setup_core::error_text::with_sources;
use entra_setup_core::fix::{self, CertificateRequest, NewCertificate};
use entra_setup_core::profile::Profile;
use entra_setup_core::secrets;
use entra_setup_core::wizard::{InputField, WizardState, credential};

use super::keychain::{hold_kept, keychain, tenant_guid};
use super::{
    RepairOutcome, admin_token, answer_repair, current_view, lifetime_days, registration_inputs,
    repair_session, session_with_tenant,
};
use crate::ipc_error::{IpcError, IpcErrorCode};
use crate::state::AppState;
use crate::view::WizardView;

type State<'a> = tauri::State<'a, AppState>;

/// Choose what the app proves itself with: `secret`, or `certificate` where the product takes
/// one (refused otherwise, naming the credential).
#[tauri::command]
#[specta::specta]
pub async fn wizard_set_credential(
    state: State<'_>,
    credential: CredentialType,
) -> Result<WizardView, IpcError> {
    let profile = state.profile(&state.current().await?.wizard.profile)?;
    let mut refused = None;
    let session = state
        .update(|wizard, _| {
            refused = credential::choose(wizard, &profile, credential).err();
        })
        .await?;
    if let Some(refused) = refused {
        return Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            refused.to_string(),
        ));
    }
    current_view(&state, &session).await
}

/// Add a new certificate to the registration (creating the registration when no client ID is
/// entered), valid for `days` or until the custom end date `until` (`YYYY-MM-DD`), within the
/// profile's limit.
#[tauri::command]
#[specta::specta]
pub async fn wizard_new_certificate(
    state: State<'_>,
    days: Option<u32>,
    until: Option<String>,
) -> Result<RepairOutcome, IpcError> {
    let days = lifetime_days(&state, days, until.as_deref(), "certificate").await?;
    repair_with_certificate(&state, true, days).await
}

/// The body of [`wizard_new_certificate`], and of `wizard_register` when a certificate is
/// chosen: create or repair the registration with a certificate in place of a secret — a new
/// one when asked for, when the registration is new, or when the keychain keeps none of it that
/// is registered and unexpired. The keychain must be able to keep the private key: that is
/// settled before anything is written.
pub async fn repair_with_certificate(
    state: &AppState,
    new_certificate: bool,
    days: Option<u32>,
) -> Result<RepairOutcome, IpcError> {
    let session = session_with_tenant(state).await?;
    let wizard = &session.wizard;
    let profile = state.profile(&wizard.profile)?;
    if credential::chosen(&profile, wizard) != CredentialType::Certificate {
        return Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            "credential: choose a certificate first",
        ));
    }
    let admin_token = admin_token(
        Some(&session),
        "Sign in as administrator first: creating a certificate needs your sign-in.",
    )?;
    let store = state.safekeeping.store();
    let probe = store.clone();
    keychain(move || secrets::writable(probe.as_ref()))
        .await?
        .map_err(|e| {
            IpcError::new(
                IpcErrorCode::KeychainUnavailable,
                format!(
                    "certificate: a certificate's private key is kept only in the OS keychain, and it is not available: {e}. Start or unlock the keychain, or use a client secret"
                ),
            )
        })?;
    let ctx = state.context().await?;
    let repair_session = repair_session(&ctx, &admin_token);
    let inputs = registration_inputs(wizard, &profile);
    let request = CertificateRequest {
        new_certificate,
        days,
        store,
    };
    // On the heap, like every long core operation (see `Session::unless_ended`).
    let registered = Box::pin(fix::register_with_certificate(
        &profile,
        &inputs,
        &request,
        &repair_session,
    ))
    .await?;
    let mut changes: Vec<String> = registered
        .changes
        .iter()
        .map(|c| c.description.clone())
        .collect();
    if let Some(made) = &registered.certificate {
        changes.push(remind(state, wizard, &profile, &registered.client_id, made).await);
    }
    let held = match (registered.certificate, registered.kept_certificate) {
        (Some(made), _) => Some((made.certificate, true)),
        (None, Some(kept)) => Some((kept, false)),
        (None, None) => None,
    };
    let client_id = registered.client_id;
    answer_repair(state, session.id, changes, move |w, memory| {
        w.set_input(InputField::ClientId, &client_id);
        if let Some((certificate, made)) = held {
            memory.certificate = Some(certificate);
            memory.certificate_made = made;
        }
    })
    .await
}

/// Keep the reminder of a certificate just made (its private key is in the keychain already);
/// one sentence for the repair's list of changes.
async fn remind(
    state: &AppState,
    wizard: &WizardState,
    profile: &Profile,
    client_id: &str,
    made: &NewCertificate,
) -> String {
    let tenant_id = match tenant_guid(state, wizard).await {
        Ok(id) => id,
        Err(e) => return format!("The reminder for the new certificate is not kept: {e}"),
    };
    match credential::remind_new_certificate(
        state.safekeeping.registry(),
        &tenant_id,
        client_id,
        made,
        Some(&profile.title),
    ) {
        Ok(_) => format!(
            "A reminder is kept for the new certificate (thumbprint {}, expires {}).",
            made.thumbprint,
            made.expires.format("%Y-%m-%d")
        ),
        Err(e) => format!(
            "The reminder for the new certificate could not be kept: {}.",
            with_sources(&e)
        ),
    }
}

/// The certificate the OS keychain keeps for the registration of the setup under way; `None`
/// when it keeps none.
pub(crate) async fn kept_certificate(
    state: &AppState,
    wizard: &WizardState,
) -> Result<Option<Certificate>, IpcError> {
    let tenant_id = tenant_guid(state, wizard).await?;
    let store = state.safekeeping.store();
    let client_id = wizard.inputs.client_id.clone();
    let read = keychain(move || {
        Ok(Certificate::from_keychain(
            store.as_ref(),
            &tenant_id,
            &client_id,
        ))
    })
    .await??;
    read.map_err(|e| match e {
        KeychainCertificateError::Store(e) => IpcError::from(e),
        KeychainCertificateError::Entry(e) => {
            IpcError::new(IpcErrorCode::InvalidInput, format!("certificate: {e}"))
        }
    })
}

/// Use the certificate the keychain keeps for this client (held in memory, like one made here).
#[tauri::command]
#[specta::specta]
pub async fn wizard_use_kept_certificate(state: State<'_>) -> Result<WizardView, IpcError> {
    let session = state.current().await?;
    let wizard = &session.wizard;
    if wizard.inputs.client_id.is_empty() {
        return Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            "client ID: enter the Application (client) ID first",
        ));
    }
    let kept = session
        .unless_ended(kept_certificate(&state, wizard))
        .await??;
    let none_kept = format!(
        "certificate: the OS keychain holds no certificate for client {}; create one",
        wizard.inputs.client_id
    );
    hold_kept(&state, &session, kept, none_kept, |memory, certificate| {
        memory.certificate = Some(certificate);
        memory.certificate_made = false;
    })
    .await
}

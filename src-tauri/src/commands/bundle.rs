//! The configuration bundle's commands: export the setup under way (core `bundle` and
//! `wizard::export`; with a certificate chosen, the certificate's thumbprint and end date, and
//! with a passphrase or recipients the certificate with its key in `certificate.pfx.age`), open
//! a saved one and resume the wizard from it (`wizard::resume`), and the
//! save and open dialogs.
//!
//! Like every command, each is also listed in `with_ipc_commands!` (`lib.rs`), `build.rs` and the
//! capability; `tests/commands.rs` fails when they disagree.

use std::path::PathBuf;

use entra_setup_core::bundle::{self, CertificateRecord, ExportReminder};
use entra_setup_core::credentials::CredentialType;
use entra_setup_core::error_text::with_sources;
use entra_setup_core::profile::Profile;
use entra_setup_core::reminders::Reminder;
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets;
use entra_setup_core::wizard::export::{self, CredentialFacts, ExportInputError};
use entra_setup_core::wizard::{WizardState, credential, resume};
use serde::{Deserialize, Serialize};

use super::{certificate, current_view, ensure_demo};
use crate::ipc_error::{IpcError, IpcErrorCode};
use crate::state::AppState;
use crate::view::WizardView;

type State<'a> = tauri::State<'a, AppState>;
use super::keychain::{blocking, keychain, tenant_guid};

/// What the export panel sends. The passphrase is turned into a [`Secret`] at once and never
/// kept.
#[derive(Deserialize, specta::Type)]
pub struct ExportForm {
    /// Where to save the bundle (a full path ending in `.zip`).
    pub path: String,
    /// age recipients (`age1…`), comma- or line-separated; empty for none.
    pub recipients: String,
    /// A passphrase for `secret.age` instead of recipients.
    pub passphrase: Option<String>,
    /// The secret's expiry as Certificates & secrets shows it, when nobody signed in read it
    /// (a date or an RFC 3339 time; blank for none).
    #[serde(default)]
    pub secret_expires: String,
}

impl std::fmt::Debug for ExportForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportForm")
            .field("path", &self.path)
            .field("recipients", &self.recipients)
            .finish_non_exhaustive()
    }
}

/// What the export panel holds so far: the passphrase's value never crosses for this, only
/// whether one is typed.
#[derive(Debug, Deserialize, specta::Type)]
pub struct ExportDraft {
    /// Where to save the bundle, as typed.
    pub path: String,
    /// age recipients, as typed.
    pub recipients: String,
    /// Whether a passphrase is typed.
    pub passphrase_given: bool,
    /// The secret's expiry, as typed.
    #[serde(default)]
    pub secret_expires: String,
}

/// What is wrong with the export panel as typed, field by field (the core's rules, the same the
/// export applies); nothing is written.
#[tauri::command]
#[specta::specta]
pub fn bundle_check_form(draft: ExportDraft) -> Vec<ExportInputError> {
    export::form_issues(
        &draft.path,
        &draft.recipients,
        draft.passphrase_given,
        &draft.secret_expires,
    )
}

/// What was written.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ExportOutcome {
    /// The bundle.
    pub path: String,
    /// Its entries.
    pub entries: Vec<String>,
    /// Where the secret's value is: `age`, `keyring` or `none`.
    pub storage: String,
    /// The certificate the app proves itself with, when it uses one: its thumbprint, key id,
    /// end date and where its private key is (`age`: in `certificate.pfx.age`).
    pub certificate: Option<CertificateRecord>,
    /// The secret's reminder, when one was kept.
    pub reminder: Option<Reminder>,
    /// Why the reminder could not be kept, when it could not.
    pub reminder_problem: Option<String>,
}

/// Export the configuration bundle of the setup under way.
#[tauri::command]
#[specta::specta]
pub async fn bundle_export(state: State<'_>, form: ExportForm) -> Result<ExportOutcome, IpcError> {
    let session = state.current().await?;
    let wizard = &session.wizard;
    let profile = state.profile(&wizard.profile)?;
    let chosen = credential::chosen(&profile, wizard);
    let path = export::bundle_path(&form.path)?;
    let protection = export::protection(&form.recipients, form.passphrase.map(Secret::new))?;
    let given_expiry = export::given_expiry_for(&form.secret_expires, chosen)?;
    let wants_value = !matches!(protection, bundle::Protection::None);
    let keep = &state.safekeeping;
    if chosen == CredentialType::Certificate {
        // The certificate held in this setup, or the one the keychain keeps; either way its
        // private key is in the keychain (a certificate is made only once it is kept there).
        let certificate = match session.memory.certificate.clone() {
            Some(held) => held,
            None => certificate::kept_certificate(&state, wizard)
                .await?
                .ok_or_else(export::no_certificate)?,
        };
        let reminders = keep.registry().list()?;
        let facts = export::certificate_facts(wizard, &certificate, &reminders, wants_value, true);
        let display_name = reminders
            .iter()
            .filter(|r| {
                r.client_id
                    .eq_ignore_ascii_case(wizard.inputs.client_id.trim())
            })
            .find_map(|r| r.name.clone());
        return export_request(
            &state,
            &profile,
            wizard,
            &path,
            CredentialFacts::Certificate(facts),
            protection,
            display_name,
        )
        .await;
    }
    let held = session.memory.secret.clone();
    let tenant_id = tenant_guid(&state, wizard).await.ok();
    let kept = match &tenant_id {
        Some(tenant) => {
            let (store, tenant, client) = (
                keep.store(),
                tenant.clone(),
                wizard.inputs.client_id.clone(),
            );
            keychain(move || secrets::client_secret(store.as_ref(), &tenant, &client))
                .await?
                .ok()
                .flatten()
        }
        None => None,
    };
    let in_keychain = kept.is_some();
    let known = keep
        .registry()
        .latest_for_client(&wizard.inputs.client_id)?;
    let value = if wants_value {
        held.clone().or(kept)
    } else {
        None
    };
    let made = keep.made();
    let facts = export::secret_facts(
        wizard,
        made.as_ref(),
        known.as_ref(),
        given_expiry,
        held.as_ref(),
        value,
        in_keychain,
    );
    let display_name = known.as_ref().and_then(|r| r.name.clone());
    export_request(
        &state,
        &profile,
        wizard,
        &path,
        CredentialFacts::Secret(facts),
        protection,
        display_name,
    )
    .await
}

/// Write the bundle of the wizard's work with the credential's facts, and keep its reminder.
async fn export_request(
    state: &AppState,
    profile: &Profile,
    wizard: &WizardState,
    path: &std::path::Path,
    credential: CredentialFacts,
    protection: bundle::Protection,
    display_name: Option<String>,
) -> Result<ExportOutcome, IpcError> {
    let ctx = state.context().await?;
    let request = export::request(
        profile,
        wizard,
        &ctx.endpoints,
        credential,
        protection,
        display_name,
        state.safekeeping.now(),
    );
    let out = path.to_path_buf();
    let registry = state.safekeeping.registry().clone();
    let exported =
        blocking(move || bundle::export_and_remind(&request, &out, None, &registry)).await??;
    let (reminder, reminder_problem) = match exported.reminder {
        ExportReminder::Kept(kept) => (Some(kept), None),
        ExportReminder::Nothing => (None, Some(export::NO_REMINDER.to_string())),
        ExportReminder::Failed(e) => (
            None,
            Some(format!(
                "The reminder could not be kept: {}.",
                with_sources(&e)
            )),
        ),
    };
    let (record, entries) = (exported.record, exported.entries);
    Ok(ExportOutcome {
        path: path.display().to_string(),
        entries,
        storage: record.secret.storage.to_string(),
        certificate: record.certificate,
        reminder,
        reminder_problem,
    })
}

/// Open a saved bundle and resume the wizard where it left off (with `demo`, on the demo
/// tenant's scenario).
#[tauri::command]
#[specta::specta]
pub async fn bundle_open(
    state: State<'_>,
    path: String,
    demo: Option<String>,
) -> Result<WizardView, IpcError> {
    let path = PathBuf::from(path.trim());
    if path.as_os_str().is_empty() {
        return Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            "path: choose the bundle to open",
        ));
    }
    let opened = blocking(move || bundle::open(&path)).await??;
    let profile = state.profile(&opened.record.profile.id)?;
    ensure_demo(&state, demo.as_deref(), false).await?;
    let session = state
        .start(resume::from_bundle(&opened.record, &profile, demo))
        .await?;
    state.safekeeping.set_made(None);
    current_view(&state, &session).await
}

/// Where to save a bundle, chosen in the system's save dialog; `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn bundle_choose_save_path(app: tauri::AppHandle) -> Result<Option<String>, IpcError> {
    crate::file_dialogs::save_bundle(&app).await
}

/// Which bundle to open, chosen in the system's open dialog; `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn bundle_choose_open_path(app: tauri::AppHandle) -> Result<Option<String>, IpcError> {
    crate::file_dialogs::open_bundle(&app).await
}

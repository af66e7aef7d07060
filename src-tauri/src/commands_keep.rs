//! The commands of the bundle, the keychain, the reminders and the desktop settings: one
//! `#[tauri::command]` per operation, a few lines each over the core's `bundle`, `secrets`,
//! `reminders`, `wizard::export` and `wizard::resume`. Keychain calls block, so they run on
//! the blocking pool (`spawn_blocking`), never on the async runtime's reactor.
//!
//! Like those of `commands.rs`, each command is also listed in `ipc_builder` (`lib.rs`),
//! `build.rs` and the capability; `tests/commands.rs` fails when they disagree.

use std::path::PathBuf;

use entra_setup_core::bundle::{self, SecretStorage};
use entra_setup_core::desktop_settings::DesktopSettings;
use entra_setup_core::fix::Registered;
use entra_setup_core::graph::Reader;
use entra_setup_core::identity::discover;
use entra_setup_core::profile::{Profile, WizardStep};
use entra_setup_core::reminders::{self, ExpiringCredential, ManualEntry, Reminder, Standing};
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::{self, SecretStoreError};
use entra_setup_core::wizard::export::{self, MadeSecret};
use entra_setup_core::wizard::{WizardState, resume};
use serde::{Deserialize, Serialize};

use crate::commands::{current_view, ensure_demo};
use crate::ipc_error::{IpcError, IpcErrorCode};
use crate::state::AppState;
use crate::view::WizardView;

type State<'a> = tauri::State<'a, AppState>;

/// Run a blocking call (the keychain, the zip) on the blocking pool.
async fn blocking<T: Send + 'static>(
    call: impl FnOnce() -> T + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(call)
        .await
        .map_err(|e| IpcError::new(IpcErrorCode::StorageUnavailable, e.to_string()))
}

/// How long the keychain may take to answer: a locked keychain may wait on a prompt nobody sees.
const KEYCHAIN_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// A keychain call on the blocking pool, given up after [`KEYCHAIN_PATIENCE`].
async fn keychain<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, SecretStoreError> + Send + 'static,
) -> Result<Result<T, SecretStoreError>, IpcError> {
    match tokio::time::timeout(KEYCHAIN_PATIENCE, blocking(call)).await {
        Ok(answer) => answer,
        Err(_) => Ok(Err(SecretStoreError::Unavailable(format!(
            "the keychain did not answer within {} seconds (is it locked?)",
            KEYCHAIN_PATIENCE.as_secs()
        )))),
    }
}

/// The tenant's GUID (the keychain's entries are keyed by it): as the tenant check found it,
/// as typed, or from OpenID discovery.
async fn tenant_guid(state: &AppState, wizard: &WizardState) -> Result<String, IpcError> {
    if let Some(id) = export::tenant_id(wizard) {
        return Ok(id);
    }
    let ctx = state.context().await;
    let tenant = wizard.inputs.tenant.trim();
    discover(&ctx.http, &ctx.endpoints, tenant)
        .await
        .map(|info| info.tenant_id.to_ascii_lowercase())
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
    let mut said = Vec::new();
    let name = profile.title.clone();
    match keep.registry().record_secret(
        &tenant_id,
        &registered.client_id,
        &secret.key_id,
        secret.expires,
        Some(&name),
        "register",
    ) {
        Ok(_) => said.push(format!(
            "A reminder is kept for the new client secret (expires {}).",
            secret.expires.format("%Y-%m-%d")
        )),
        Err(e) => said.push(format!("The reminder could not be kept: {e}.")),
    }
    let store = keep.store();
    let (client_id, key_id, value) = (
        registered.client_id.clone(),
        secret.key_id.clone(),
        secret.value.clone(),
    );
    let tenant = tenant_id.clone();
    let stored = keychain(move || {
        secrets::store_client_secret(store.as_ref(), &tenant, &client_id, &key_id, &value)
    })
    .await;
    said.push(match stored {
        Ok(Ok(())) => "The new client secret is kept in the OS keychain (entry entra-setup); after a restart the secret step can use it.".into(),
        Ok(Err(e)) => format!("The new client secret is not kept in any keychain: {e}. Show its value once and copy it into the product now."),
        Err(e) => format!("The new client secret is not kept in any keychain: {e}."),
    });
    said
}

/// Whether the keychain answers, and holds a secret for the setup under way.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct KeychainStatus {
    /// Whether an OS keychain answered.
    pub available: bool,
    /// Whether it holds a secret for this tenant and client.
    pub has_secret: bool,
    /// Why not, for people.
    pub message: Option<String>,
}

/// The keychain's answer for the setup under way.
#[tauri::command]
#[specta::specta]
pub async fn keychain_status(state: State<'_>) -> Result<KeychainStatus, IpcError> {
    let wizard = state.current()?;
    if wizard.inputs.client_id.is_empty() || wizard.inputs.tenant.is_empty() {
        return Ok(KeychainStatus {
            available: true,
            has_secret: false,
            message: None,
        });
    }
    let tenant_id = tenant_guid(&state, &wizard).await?;
    let store = state.safekeeping.store();
    let client_id = wizard.inputs.client_id.clone();
    let found =
        keychain(move || secrets::client_secret(store.as_ref(), &tenant_id, &client_id)).await?;
    Ok(match found {
        Ok(found) => KeychainStatus {
            available: true,
            has_secret: found.is_some(),
            message: None,
        },
        Err(e) => KeychainStatus {
            available: !matches!(e, SecretStoreError::Unavailable(_)),
            has_secret: false,
            message: Some(e.to_string()),
        },
    })
}

/// Use the secret kept in the keychain for this client (held in memory, like a pasted one).
#[tauri::command]
#[specta::specta]
pub async fn wizard_use_kept_secret(state: State<'_>) -> Result<WizardView, IpcError> {
    let wizard = state.current()?;
    let tenant_id = tenant_guid(&state, &wizard).await?;
    let store = state.safekeeping.store();
    let client_id = wizard.inputs.client_id.clone();
    let found =
        keychain(move || secrets::client_secret(store.as_ref(), &tenant_id, &client_id)).await??;
    let Some(value) = found else {
        return Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            format!(
                "client secret: the OS keychain holds no secret for client {}; create one or paste it",
                wizard.inputs.client_id
            ),
        ));
    };
    {
        let mut memory = state.memory();
        memory.created = None;
        memory.secret = Some(value);
    }
    current_view(&state, &wizard).await
}

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
}

impl std::fmt::Debug for ExportForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportForm")
            .field("path", &self.path)
            .field("recipients", &self.recipients)
            .finish_non_exhaustive()
    }
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
    /// The secret's reminder, when one was kept.
    pub reminder: Option<Reminder>,
    /// Why the reminder could not be kept, when it could not.
    pub reminder_problem: Option<String>,
}

/// Export the configuration bundle of the setup under way.
#[tauri::command]
#[specta::specta]
pub async fn bundle_export(state: State<'_>, form: ExportForm) -> Result<ExportOutcome, IpcError> {
    let wizard = state.current()?;
    let profile = state.profile(&wizard.profile)?;
    let path = export::bundle_path(&form.path)?;
    let protection = export::protection(&form.recipients, form.passphrase.map(Secret::new))?;
    let keep = &state.safekeeping;
    let held = state.memory().secret.clone();
    let tenant_id = tenant_guid(&state, &wizard).await.ok();
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
    let wants_value = !matches!(protection, bundle::Protection::None);
    let value = if wants_value { held.or(kept) } else { None };
    let made = keep.made();
    let facts = export::secret_facts(&wizard, made.as_ref(), known.as_ref(), value, in_keychain);
    let display_name = known.as_ref().and_then(|r| r.name.clone());
    let ctx = state.context().await;
    let request = export::request(
        &profile,
        &wizard,
        &ctx.endpoints,
        facts,
        protection,
        display_name,
        keep.now(),
    );
    let out = path.clone();
    let record = blocking(move || bundle::export(&request, &out, None)).await??;
    let (mut reminder, mut reminder_problem) = (None, None);
    if let (Some(key_id), Some(expires)) = (&record.secret.key_id, record.secret.expires) {
        let tenant = record
            .tenant
            .id
            .clone()
            .unwrap_or_else(|| wizard.inputs.tenant.clone());
        let name = record
            .application
            .display_name
            .clone()
            .unwrap_or_else(|| profile.title.clone());
        match keep.registry().record_secret(
            &tenant,
            &record.application.client_id,
            key_id,
            expires,
            Some(&name),
            "bundle export",
        ) {
            Ok(kept) => reminder = Some(kept),
            Err(e) => reminder_problem = Some(e.to_string()),
        }
    }
    let opened = path.clone();
    let entries = blocking(move || bundle::open(&opened)).await??.entries;
    Ok(ExportOutcome {
        path: path.display().to_string(),
        entries,
        storage: storage_name(record.secret.storage).into(),
        reminder,
        reminder_problem,
    })
}

fn storage_name(storage: SecretStorage) -> &'static str {
    match storage {
        SecretStorage::Age => "age",
        SecretStorage::Keyring => "keyring",
        SecretStorage::None => "none",
    }
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
    let wizard = resume::from_bundle(&opened.record, &profile, demo);
    state.replace(Some(wizard.clone()))?;
    state.safekeeping.set_made(None);
    current_view(&state, &wizard).await
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

/// The reminders page.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RemindersView {
    /// Every kept secret with where it stands, soonest first.
    pub standings: Vec<Standing>,
    /// Where the reminders are kept.
    pub file: String,
}

fn reminders_view(state: &AppState) -> Result<RemindersView, IpcError> {
    let keep = &state.safekeeping;
    Ok(RemindersView {
        standings: reminders::due(
            &keep.registry().list()?,
            keep.now(),
            reminders::LEAD_DAYS[0],
        ),
        file: keep.registry().path().display().to_string(),
    })
}

/// Every kept secret and when it expires.
#[tauri::command]
#[specta::specta]
pub fn reminders_list(state: State<'_>) -> Result<RemindersView, IpcError> {
    reminders_view(&state)
}

/// The secrets that expire within the first lead day (30 days) or have expired: the start
/// screen's banner.
#[tauri::command]
#[specta::specta]
pub fn reminders_alerts(state: State<'_>) -> Result<Vec<Standing>, IpcError> {
    Ok(reminders_view(&state)?
        .standings
        .into_iter()
        .filter(|s| s.due)
        .collect())
}

/// What the admin types to add a reminder by hand.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ReminderForm {
    /// The tenant's domain or GUID.
    pub tenant: String,
    /// The application (client) ID.
    pub client_id: String,
    /// The secret's ID.
    pub key_id: String,
    /// The expiry date (`2027-03-01`).
    pub expires: String,
    /// A name for people.
    pub name: String,
}

/// Add a reminder by hand (each field checked).
#[tauri::command]
#[specta::specta]
pub fn reminders_add(state: State<'_>, form: ReminderForm) -> Result<RemindersView, IpcError> {
    let reminder = reminders::manual::reminder(&ManualEntry {
        tenant: &form.tenant,
        client_id: &form.client_id,
        key_id: &form.key_id,
        expires: &form.expires,
        name: &form.name,
    })?;
    state.safekeeping.registry().add(reminder)?;
    reminders_view(&state)
}

/// Forget a reminder (the secret itself is not touched).
#[tauri::command]
#[specta::specta]
pub fn reminders_remove(state: State<'_>, key_id: String) -> Result<RemindersView, IpcError> {
    if !state.safekeeping.registry().remove(&key_id)? {
        return Err(IpcError::new(
            IpcErrorCode::InvalidInput,
            format!("key_id: no reminder for the secret '{}'", key_id.trim()),
        ));
    }
    reminders_view(&state)
}

/// Every secret and certificate of the signed-in administrator's tenant that expires within
/// `within_days` (or has expired), read over Graph with paging.
#[tauri::command]
#[specta::specta]
pub async fn reminders_scan(
    state: State<'_>,
    within_days: u32,
) -> Result<Vec<ExpiringCredential>, IpcError> {
    let token = state
        .memory()
        .admin
        .as_ref()
        .map(|(t, _)| t.clone())
        .ok_or_else(|| {
            IpcError::new(
                IpcErrorCode::NotSignedIn,
                "Sign in as administrator on the wizard's sign-in step first: scanning reads every app registration of the tenant.",
            )
        })?;
    let ctx = state.context().await;
    let reader = Reader {
        http: &ctx.http,
        endpoints: &ctx.endpoints,
        token: &token,
    };
    reminders::scan(&reader, state.safekeeping.now(), within_days)
        .await
        .map_err(|e| {
            let code = match e {
                entra_setup_core::graph::ReadError::Unavailable(_) => IpcErrorCode::Unavailable,
                _ => IpcErrorCode::RepairFailed,
            };
            IpcError::new(code, format!("Cannot read the app registrations: {e}"))
        })
}

/// A secret found by the scan that the admin chose to be reminded of.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ScannedSecret {
    /// The application (client) ID.
    pub client_id: String,
    /// The secret's key id.
    pub key_id: String,
    /// When it expires (RFC 3339).
    pub expires: String,
    /// The app's name.
    pub name: Option<String>,
}

/// Keep reminders for the scanned secrets the admin chose.
#[tauri::command]
#[specta::specta]
pub async fn reminders_add_scanned(
    state: State<'_>,
    picks: Vec<ScannedSecret>,
) -> Result<RemindersView, IpcError> {
    let wizard = state.current()?;
    let tenant_id = tenant_guid(&state, &wizard).await?;
    for pick in picks {
        let expires = chrono::DateTime::parse_from_rfc3339(&pick.expires)
            .map_err(|e| {
                IpcError::new(
                    IpcErrorCode::InvalidInput,
                    format!("expires: '{}' is not an RFC 3339 time ({e})", pick.expires),
                )
            })?
            .with_timezone(&chrono::Utc);
        state.safekeeping.registry().record_secret(
            &tenant_id,
            &pick.client_id,
            &pick.key_id,
            expires,
            pick.name.as_deref(),
            "scan",
        )?;
    }
    reminders_view(&state)
}

/// "Rotate now": the wizard's secret step for the reminder's client, where "create it for me"
/// adds a new secret beside the old one. The setup under way is kept when it is for that client;
/// otherwise a new one starts with `profile` (and `demo`).
#[tauri::command]
#[specta::specta]
pub async fn reminders_rotate(
    state: State<'_>,
    key_id: String,
    profile: String,
    demo: Option<String>,
) -> Result<WizardView, IpcError> {
    let reminder = state
        .safekeeping
        .registry()
        .list()?
        .into_iter()
        .find(|r| r.key_id.eq_ignore_ascii_case(key_id.trim()))
        .ok_or_else(|| {
            IpcError::new(
                IpcErrorCode::InvalidInput,
                format!("key_id: no reminder for the secret '{}'", key_id.trim()),
            )
        })?;
    if let Some(wizard) = state.wizard()?
        && wizard
            .inputs
            .client_id
            .eq_ignore_ascii_case(&reminder.client_id)
    {
        let found = state.profile(&wizard.profile)?;
        if resume::for_rotation(&reminder, &found, None).is_some() {
            ensure_demo(&state, wizard.demo.as_deref(), false).await?;
            let wizard = state.update(|w| {
                w.go(&found, WizardStep::Secret);
            })?;
            return current_view(&state, &wizard).await;
        }
    }
    let found = state.profile(&profile)?;
    let wizard = resume::for_rotation(&reminder, &found, demo.clone()).ok_or_else(|| {
        IpcError::new(
            IpcErrorCode::InvalidInput,
            format!(
                "profile: {} uses no client secret of its own; choose the integration this secret belongs to",
                found.title
            ),
        )
    })?;
    ensure_demo(&state, demo.as_deref(), false).await?;
    state.replace(Some(wizard.clone()))?;
    state.safekeeping.set_made(None);
    current_view(&state, &wizard).await
}

/// The desktop settings.
#[tauri::command]
#[specta::specta]
pub fn settings_get(state: State<'_>) -> Result<DesktopSettings, IpcError> {
    Ok(state.safekeeping.settings())
}

/// Change the desktop settings: saved, then applied (tray, start at login).
#[tauri::command]
#[specta::specta]
pub fn settings_set(
    app: tauri::AppHandle,
    state: State<'_>,
    settings: DesktopSettings,
) -> Result<DesktopSettings, IpcError> {
    crate::desktop::apply(&app, &settings)?;
    state.safekeeping.save_settings(&settings).map_err(|e| {
        IpcError::new(
            IpcErrorCode::StorageUnavailable,
            format!("settings: cannot save them: {e}"),
        )
    })?;
    Ok(settings)
}

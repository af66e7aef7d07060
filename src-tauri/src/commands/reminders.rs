//! The reminders' commands: list, the due alerts, add by hand, remove, scan the tenant for
//! expiring secrets and certificates, rotate now (into the wizard's secret step), and the
//! unattended monitor's last scan on this computer (kept by `entra-setup monitor scan`).
//!
//! Like every command, each is also listed in `with_ipc_commands!` (`lib.rs`), `build.rs` and the
//! capability; `tests/commands.rs` fails when they disagree.

use entra_setup_core::graph::Reader;
use entra_setup_core::monitor::{self, LastScan};
use entra_setup_core::reminders::{self, ExpiringCredential, ManualEntry, Standing};
use entra_setup_core::wizard::resume;
use serde::{Deserialize, Serialize};

use super::{current_view, ensure_demo};
use crate::ipc_error::{IpcError, IpcErrorCode};
use crate::state::AppState;
use crate::view::WizardView;

type State<'a> = tauri::State<'a, AppState>;
use super::keychain::tenant_guid;

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
    let session = state.session().await?;
    let token = super::admin_token(
        session.as_ref(),
        "Sign in as administrator on the wizard's sign-in step first: scanning reads every app registration of the tenant.",
    )?;
    let ctx = state.context().await?;
    let reader = Reader {
        http: &ctx.http,
        endpoints: &ctx.endpoints,
        token: &token,
    };
    // The sign-in belongs to the wizard's session: closing the wizard ends the scan too.
    let scan = reminders::scan(&reader, state.safekeeping.now(), within_days);
    let scanned = match &session {
        Some(session) => session.unless_ended(scan).await?,
        None => scan.await,
    };
    scanned.map_err(|e| {
        let code = match e {
            entra_setup_core::graph::ReadError::Unavailable(_) => IpcErrorCode::Unavailable,
            _ => IpcErrorCode::RepairFailed,
        };
        IpcError::new(code, format!("Cannot read the app registrations: {e}"))
    })
}

/// The unattended monitor's last scan, as the Reminders page shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct MonitorLastScanView {
    /// The last scan `entra-setup monitor scan` kept here; `None` when the monitor has not run
    /// on this computer or its file cannot be read (see `problem`).
    pub scan: Option<LastScan>,
    /// Why the kept scan cannot be read (a damaged file), for people.
    pub problem: Option<String>,
    /// Where the last scan is kept.
    pub file: String,
}

/// The unattended monitor's last scan on this computer: when it ran, each tenant's report and
/// what was due. A damaged file is reported in `problem`, never refused.
#[tauri::command]
#[specta::specta]
pub fn reminders_monitor_last_scan(state: State<'_>) -> MonitorLastScanView {
    let file = monitor::last_scan::path(state.paths())
        .display()
        .to_string();
    match monitor::last_scan(state.paths()) {
        Ok(scan) => MonitorLastScanView {
            scan,
            problem: None,
            file,
        },
        Err(error) => MonitorLastScanView {
            scan: None,
            problem: Some(error.to_string()),
            file,
        },
    }
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
    let session = state.current().await?;
    let tenant_id = tenant_guid(&state, &session.wizard).await?;
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
    if let Some(session) = state.session().await?
        && session
            .wizard
            .inputs
            .client_id
            .eq_ignore_ascii_case(&reminder.client_id)
    {
        let found = state.profile(&session.wizard.profile)?;
        if resume::for_rotation(&reminder, &found, None).is_some() {
            ensure_demo(&state, session.wizard.demo.as_deref(), false).await?;
            let session = state
                .record(session.id, |w, _| {
                    resume::rotate_here(w, &reminder, &found);
                })
                .await?;
            return current_view(&state, &session).await;
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
    let session = state.start(wizard).await?;
    state.safekeeping.set_made(None);
    current_view(&state, &session).await
}

//! The desktop settings' commands: the tray and start at login, saved then applied.
//!
//! Like every command, each is also listed in `with_ipc_commands!` (`lib.rs`), `build.rs` and the
//! capability; `tests/commands.rs` fails when they disagree.

use entra_setup_core::desktop_settings::DesktopSettings;

use crate::ipc_error::{IpcError, IpcErrorCode};
use crate::state::AppState;

type State<'a> = tauri::State<'a, AppState>;

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

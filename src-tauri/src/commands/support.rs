//! The support commands of the Troubleshoot screen: copy the log, open its folder.
//!
//! Like every command, each is also listed in `with_ipc_commands!` (`lib.rs`), `build.rs` and the
//! capability; `tests/commands.rs` fails when they disagree.

use entra_setup_core::logging::{SUPPORT_LOG_MAX_BYTES, support_log};
use tauri_plugin_opener::OpenerExt as _;

use crate::ipc_error::{IpcError, IpcErrorCode};
use crate::state::AppState;

type State<'a> = tauri::State<'a, AppState>;

/// The newest part of the app's log, to copy for support (it holds no secret, token or code).
#[tauri::command]
#[specta::specta]
pub fn support_log_text(state: State<'_>) -> Result<String, IpcError> {
    let dir = state.paths().logs_dir();
    support_log(&dir, SUPPORT_LOG_MAX_BYTES).map_err(|e| {
        IpcError::new(
            IpcErrorCode::StorageUnavailable,
            format!("log: cannot read {}: {e}", dir.display()),
        )
    })
}

/// Open the log folder in the system's file manager.
#[tauri::command]
#[specta::specta]
pub fn support_open_log_folder(app: tauri::AppHandle, state: State<'_>) -> Result<(), IpcError> {
    let dir = state.paths().logs_dir();
    app.opener()
        .open_path(dir.to_string_lossy(), None::<&str>)
        .map_err(|e| {
            IpcError::new(
                IpcErrorCode::StorageUnavailable,
                format!("log folder: cannot open {}: {e}", dir.display()),
            )
        })
}

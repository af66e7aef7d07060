//! One `#[tauri::command]` per operation. Each is a few lines that call the core through
//! [`AppState`] and turn its errors into [`IpcError`]; no decisions are made here.
//!
//! A new command goes in three places: here, `ipc_builder` in `lib.rs`, and `build.rs` (which
//! generates its permission); `tests/commands.rs` fails when they disagree.

use entra_setup_core::profile::ProfileSummary;

use crate::ipc_error::IpcError;
use crate::state::AppState;

/// The shipped and the admin's own integration profiles, for the start screen.
#[tauri::command]
#[specta::specta]
pub fn list_profiles(state: tauri::State<'_, AppState>) -> Result<Vec<ProfileSummary>, IpcError> {
    Ok(state.profile_summaries()?)
}

//! The system's save and open dialogs for bundles (tauri-plugin-dialog, called from Rust so the
//! webview needs no dialog permission). They are a convenience: the export panel and the start
//! screen also take a typed path.

use tauri::AppHandle;
use tauri_plugin_dialog::{DialogExt, FilePath};

use crate::ipc_error::{IpcError, IpcErrorCode};

const FILTER: &str = "Configuration bundle";

fn chosen(
    answer: Result<Option<FilePath>, tokio::sync::oneshot::error::RecvError>,
) -> Result<Option<String>, IpcError> {
    let Some(path) = answer.ok().flatten() else {
        return Ok(None);
    };
    path.into_path()
        .map(|p| Some(p.display().to_string()))
        .map_err(|e| {
            IpcError::new(
                IpcErrorCode::InvalidInput,
                format!("path: the dialog gave no file path ({e})"),
            )
        })
}

/// Where to save a bundle; `None` when the admin cancels.
pub async fn save_bundle(app: &AppHandle) -> Result<Option<String>, IpcError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Save the configuration bundle")
        .add_filter(FILTER, &["zip"])
        .set_file_name("entra-setup-bundle.zip")
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    chosen(rx.await)
}

/// Which bundle to open; `None` when the admin cancels.
pub async fn open_bundle(app: &AppHandle) -> Result<Option<String>, IpcError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Open a configuration bundle")
        .add_filter(FILTER, &["zip"])
        .pick_file(move |path| {
            let _ = tx.send(path);
        });
    chosen(rx.await)
}

//! The desktop integration the admin turns on in Settings (both off by default): keeping the
//! app in the tray when its window closes (tray icon with Open and Quit) and starting it at
//! login (tauri-plugin-autostart).

use entra_setup_core::desktop_settings::DesktopSettings;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Window, WindowEvent};
use tauri_plugin_autostart::ManagerExt;

use crate::ipc_error::{IpcError, IpcErrorCode};
use crate::state::AppState;

const TRAY_ID: &str = "main";

/// Apply `settings`: the tray icon shown or removed, start at login turned on or off.
pub fn apply(app: &AppHandle, settings: &DesktopSettings) -> Result<(), IpcError> {
    let failed = |field: &str, e: &dyn std::fmt::Display| {
        IpcError::new(
            IpcErrorCode::StorageUnavailable,
            format!("{field}: could not be changed ({e})"),
        )
    };
    let autostart = app.autolaunch();
    let enabled = autostart.is_enabled().unwrap_or(false);
    if settings.start_at_login && !enabled {
        autostart
            .enable()
            .map_err(|e| failed("start at login", &e))?;
    } else if !settings.start_at_login && enabled {
        autostart
            .disable()
            .map_err(|e| failed("start at login", &e))?;
    }
    if settings.keep_in_tray {
        show_tray(app).map_err(|e| failed("keep in tray", &e))?;
    } else {
        let _ = app.remove_tray_by_id(TRAY_ID);
    }
    Ok(())
}

/// The tray icon, once.
fn show_tray(app: &AppHandle) -> tauri::Result<()> {
    if app.tray_by_id(TRAY_ID).is_some() {
        return Ok(());
    }
    let open = MenuItem::with_id(app, "open", "Open Entra Setup Wizard", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &quit])?;
    let mut tray = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Entra Setup Wizard")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => show_window(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}

/// Bring the main window back.
pub fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// Closing the window hides it instead when the app is kept in the tray.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event {
        let keep = window
            .app_handle()
            .try_state::<AppState>()
            .is_some_and(|state| state.safekeeping.settings().keep_in_tray);
        if keep && window.app_handle().tray_by_id(TRAY_ID).is_some() {
            api.prevent_close();
            let _ = window.hide();
        }
    }
}

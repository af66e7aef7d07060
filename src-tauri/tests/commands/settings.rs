//! The desktop settings' commands (`src-tauri/src/commands/settings.rs`): `settings_get`
//! through the IPC.
//!
//! `settings_set` takes `AppHandle<Wry>` to apply the tray and start at login
//! (`desktop::apply`: a tray icon, tauri-plugin-autostart), so the mock runtime cannot call it
//! (see `main.rs`). What it keeps goes through the same `Safekeeping::save_settings` the app
//! state offers, which is called here directly, and `settings_get` reads it back.

use entra_setup_core::desktop_settings::DesktopSettings;
use serde_json::json;

use crate::Harness;

#[test]
fn the_settings_start_off_and_read_back_what_was_saved() {
    let app = Harness::new();
    assert_eq!(
        app.ok("settings_get", json!({})),
        json!({ "keep_in_tray": false, "start_at_login": false })
    );

    let chosen = DesktopSettings {
        keep_in_tray: true,
        start_at_login: false,
    };
    app.state()
        .safekeeping
        .save_settings(&chosen)
        .expect("saved");
    assert!(app.paths.config_dir().join("desktop.json").is_file());
    assert_eq!(
        app.ok("settings_get", json!({})),
        json!({ "keep_in_tray": true, "start_at_login": false })
    );
}

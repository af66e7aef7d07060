//! Build script: Tauri's code generation, with the app's own commands declared so that Tauri
//! generates an `allow-…` permission for each and the capability can grant exactly those.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(entra_setup_commands());
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build script");
}

/// Keep in step with the commands of `src/lib.rs` `ipc_builder` (a test in `tests/commands.rs`
/// compares the lists).
fn entra_setup_commands() -> &'static [&'static str] {
    &[
        "list_profiles",
        "demo_scenarios",
        "wizard_resume",
        "wizard_start",
        "wizard_close",
        "wizard_set_input",
        "wizard_go",
        "wizard_check",
        "wizard_sign_in",
        "wizard_sign_in_mailbox",
        "wizard_register",
        "wizard_new_secret",
        "wizard_set_sign_in_client",
        "wizard_set_secret",
        "wizard_reveal_secret",
        "diagnose_text",
        "demo_switch",
        "wizard_set_credential",
        "wizard_new_certificate",
        "wizard_use_kept_certificate",
        "keychain_status",
        "wizard_use_kept_secret",
        "bundle_export",
        "bundle_check_form",
        "bundle_open",
        "bundle_choose_save_path",
        "bundle_choose_open_path",
        "reminders_list",
        "reminders_alerts",
        "reminders_add",
        "reminders_remove",
        "reminders_scan",
        "reminders_add_scanned",
        "reminders_rotate",
        "reminders_monitor_last_scan",
        "settings_get",
        "settings_set",
        "support_log_text",
        "support_open_log_folder",
    ]
}

//! The desktop shell of Entra Setup Wizard: it builds the Tauri app and adapts
//! `entra-setup-core` to it. Nothing here decides anything about Entra ID — that is the core's
//! job; the shell only registers plugins, holds the state and turns core results and errors into
//! IPC answers.
//!
//! - [`commands`] — one `#[tauri::command]` per operation, a few lines each: the wizard's in
//!   `commands/mod.rs`; the certificate's, the bundle's, the keychain's, the reminders', the
//!   desktop settings' and the support log's in
//!   `commands/{certificate,bundle,keychain,reminders,settings,support}.rs`.
//! - [`state`] — [`state::AppState`], built by one constructor that tests reuse.
//! - [`ipc_error`] — core errors as `{ code, message }` for the UI.
//! - [`logging`] — the app's daily log files in `logs/` of its data folder.
//! - [`view`] — what the wizard screens show, from the core's state and plan.
//! - [`safekeeping`] — the keychain, the reminders and the desktop settings the commands share.
//! - [`file_dialogs`] — the system's save and open dialogs for bundles.
//! - [`desktop`] — the tray and start at login, when the admin turns them on.
//! - [`reminder_watch`] — notifications before client secrets expire, at start and daily.
//! - [`demo`] — the demo tenant: the stand-in for Microsoft on loopback (feature `demo`).

pub mod commands;
pub mod demo;
pub mod desktop;
pub mod file_dialogs;
pub mod ipc_error;
pub mod logging;
pub mod reminder_watch;
pub mod safekeeping;
mod safekeeping_errors;
pub mod state;
pub mod view;

use tauri::Manager;

/// Every command the UI may call, handed to the macro named: the one list both the running
/// app's handler ([`invoke_handler`]) and the typed bindings ([`ipc_builder`]) are made from.
macro_rules! with_ipc_commands {
    ($($macro:ident)::+) => {
        $($macro)::+![
            commands::list_profiles,
            commands::demo_scenarios,
            commands::wizard_resume,
            commands::wizard_start,
            commands::wizard_close,
            commands::wizard_set_input,
            commands::wizard_go,
            commands::wizard_check,
            commands::wizard_sign_in,
            commands::wizard_sign_in_mailbox,
            commands::wizard_register,
            commands::wizard_new_secret,
            commands::wizard_set_sign_in_client,
            commands::wizard_set_secret,
            commands::wizard_reveal_secret,
            commands::diagnose_text,
            commands::demo_switch,
            commands::certificate::wizard_set_credential,
            commands::certificate::wizard_new_certificate,
            commands::certificate::wizard_use_kept_certificate,
            commands::keychain::keychain_status,
            commands::keychain::wizard_use_kept_secret,
            commands::bundle::bundle_export,
            commands::bundle::bundle_check_form,
            commands::bundle::bundle_open,
            commands::bundle::bundle_choose_save_path,
            commands::bundle::bundle_choose_open_path,
            commands::reminders::reminders_list,
            commands::reminders::reminders_alerts,
            commands::reminders::reminders_add,
            commands::reminders::reminders_remove,
            commands::reminders::reminders_scan,
            commands::reminders::reminders_add_scanned,
            commands::reminders::reminders_rotate,
            commands::reminders::reminders_monitor_last_scan,
            commands::settings::settings_get,
            commands::settings::settings_set,
            commands::support::support_log_text,
            commands::support::support_open_log_folder,
        ]
    };
}

/// The typed IPC surface: every command the UI may call, with the types of its arguments and
/// answers. The TypeScript bindings in `ui/src/bindings.ts` are generated from it (see
/// `tests/bindings.rs`). Collecting the types walks every type the commands use, so the running
/// app does not build it: it takes [`invoke_handler`] alone.
pub fn ipc_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(with_ipc_commands!(tauri_specta::collect_commands))
}

/// The handler that runs the commands [`ipc_builder`] describes.
fn invoke_handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
    with_ipc_commands!(tauri::generate_handler)
}

/// How the bindings are written: the header keeps TypeScript from checking generated code.
pub fn bindings_format() -> specta_typescript::Typescript {
    specta_typescript::Typescript::default()
        .header("// @ts-nocheck\n// Generated from src-tauri by tauri-specta (`make bindings`). Do not edit.")
        .bigint(specta_typescript::BigIntExportBehavior::Number)
}

/// Build and run the app until its last window closes.
pub fn run() {
    let state = match state::AppState::from_env() {
        Ok(state) => state,
        Err(e) => {
            eprintln!(
                "Entra Setup Wizard cannot start: {}",
                entra_setup_core::error_text::with_sources(&e)
            );
            std::process::exit(1);
        }
    };
    logging::install(state.paths());
    let app = tauri::Builder::default()
        // A second launch focuses the running window instead of opening another one.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            desktop::show_window(app);
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_autostart::Builder::new().build())
        .on_window_event(desktop::on_window_event)
        .setup(|app| {
            let settings = app.state::<state::AppState>().safekeeping.settings();
            if let Err(e) = desktop::apply(app.handle(), &settings) {
                eprintln!("Entra Setup Wizard: {e}");
            }
            reminder_watch::spawn(app.handle().clone());
            Ok(())
        })
        .manage(state)
        .invoke_handler(invoke_handler());
    if let Err(e) = app.run(tauri::generate_context!()) {
        eprintln!("Entra Setup Wizard stopped: {e}");
        std::process::exit(1);
    }
}

//! The support commands (`src-tauri/src/commands/support.rs`): `support_log_text` through the
//! IPC, over log files laid in the temporary home's `logs/` as the app's daily log writes them.
//!
//! `support_open_log_folder` opens the system's file manager (tauri-plugin-opener) and takes
//! `AppHandle<Wry>`, so the mock runtime cannot call it (see `main.rs`); the folder it opens is
//! the one `support_log_text` reads, checked here to be the app's own.

use serde_json::json;

use crate::Harness;

#[test]
fn the_support_log_is_the_app_log_oldest_first() {
    let app = Harness::new();
    assert_eq!(
        app.ok("support_log_text", json!({})),
        json!(""),
        "nothing logged yet"
    );

    let logs = app.state().paths().logs_dir();
    assert!(logs.starts_with(app.home.path()), "{}", logs.display());
    std::fs::create_dir_all(&logs).expect("logs folder");
    std::fs::write(logs.join("entra-setup.2027-02-20.log"), "second day\n").expect("log");
    std::fs::write(logs.join("entra-setup.2027-02-19.log"), "first day\n").expect("log");
    std::fs::write(logs.join("notes.txt"), "not a log\n").expect("other file");
    assert_eq!(
        app.ok("support_log_text", json!({})),
        json!("first day\nsecond day\n")
    );
}

//! The app's log: a file a day in `logs/` of its data folder (`$ENTRA_SETUP_HOME/logs/` when
//! set), a week of them kept, at the level and with the limits the core's
//! [`entra_setup_core::logging`] decides (`RUST_LOG` overrides the level). What is logged — each
//! request to Microsoft, each check, sign-in and repair — is the core's; the shell adds when the
//! app starts, the demo tenant, and the wizard sessions.

use entra_setup_core::logging::{Baseline, filter, log_files};
use entra_setup_core::paths::AppPaths;

/// Start writing the log under `paths`. A log that cannot be opened is said on stderr and the
/// app runs without one.
pub fn install(paths: &AppPaths) {
    let dir = paths.logs_dir();
    let files = match std::fs::create_dir_all(&dir)
        .map_err(|e| e.to_string())
        .and_then(|()| log_files(&dir).map_err(|e| e.to_string()))
    {
        Ok(files) => files,
        Err(e) => {
            eprintln!("Entra Setup Wizard: no log file in {}: {e}", dir.display());
            return;
        }
    };
    let rust_log = std::env::var("RUST_LOG").ok();
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter(Baseline::Info, 0, rust_log.as_deref()))
        .with_writer(files)
        .with_ansi(false)
        .try_init();
    if installed.is_ok() {
        tracing::info!(
            version = env!("CARGO_PKG_VERSION"),
            os = std::env::consts::OS,
            "Entra Setup Wizard started"
        );
    }
}

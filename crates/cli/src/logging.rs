//! The log on stderr: off unless `-v` or `RUST_LOG` asks for it, at the level and with the
//! limits the core's [`entra_setup_core::logging::filter`] decides.

use entra_setup_core::logging::{Baseline, filter};

/// Install the stderr log for `verbosity` (`-v` counted) or `RUST_LOG`.
pub fn install(verbosity: u8) {
    let rust_log = std::env::var("RUST_LOG").ok();
    let filter = filter(Baseline::Quiet, verbosity, rust_log.as_deref());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(console::Term::stderr().features().colors_supported())
        .with_target(false)
        .try_init();
}

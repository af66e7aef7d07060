//! What the CLI shows people: the progress display on stderr and reports on stdout, a command's
//! one JSON document with `--json`, and the words a repair's changes and a new certificate are
//! said in.

use entra_setup_core::fix::{Change, NewCertificate};
use entra_setup_core::printable::printable;

pub mod progress;
pub mod report;

/// A repair's changes, one `  - …` line each (what came from Microsoft shown, never acted on).
pub fn change_lines(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|change| format!("  - {}\n", printable(&change.description)))
        .collect()
}

/// "New certificate: thumbprint …, ID …, expires …; its private key is kept in the OS
/// keychain", then `where_kept` (where in it, and how to use it), a line of its own.
pub fn new_certificate_line(made: &NewCertificate, where_kept: &str) -> String {
    format!(
        "New certificate: thumbprint {}, ID {}, expires {}; its private key is kept in the OS keychain{where_kept}\n",
        made.thumbprint,
        made.key_id,
        made.expires.format("%Y-%m-%d"),
    )
}

/// Print `document` on stdout as a command's one JSON document (`--json`), indented.
pub fn print_json(document: &serde_json::Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(document)?);
    Ok(())
}

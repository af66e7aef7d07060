//! What the CLI shows people: the progress display on stderr and reports on stdout.

pub mod progress;
pub mod report;

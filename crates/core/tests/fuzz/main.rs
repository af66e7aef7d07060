//! Fuzz targets of the core's parsers of hostile input, on stable Rust with `proptest`: pasted
//! error text (`diagnose`), bundles (`bundle::open`), the state files the program reads back
//! (reminders, endpoints, wizard progress, desktop settings) and the identity platform's error
//! bodies. Each target mutates its committed corpus (`fuzz/corpus/<target>/`) and tries arbitrary
//! bytes; `FUZZ_CASES` inputs each (a short pass by default, a million under `make fuzz`).
//! Every input must end in a value or a typed error, never a panic. See fuzz/README.md.

#[path = "../../../../fuzz/harness.rs"]
mod harness;

mod bundle;
mod diagnose;
mod state_files;
mod token_error;

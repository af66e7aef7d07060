//! The core of Entra Setup Wizard: every decision the product makes lives here.
//!
//! The desktop shell (`src-tauri`) and the command line (`crates/cli`) are front ends that only
//! adapt this crate to a window or a terminal. This crate deliberately knows nothing of Tauri,
//! windows, terminals or the stand-in tenant: it talks to Microsoft's endpoints (or anything that
//! answers like them) and to narrow traits for the OS (keychain, clock).
//!
//! Modules:
//! - [`check`] — the checkpoint ids every profile, report and test uses.
//! - [`cause`] — the cause ids of `contracts/causes.md`.
//! - [`profile`] — integration profiles as data: the shipped ones and the admin's own.
//! - [`paths`] — where the program keeps its files (`ENTRA_SETUP_HOME` or the platform folders).
#![forbid(unsafe_code)]

pub mod cause;
pub mod check;
pub mod paths;
pub mod profile;

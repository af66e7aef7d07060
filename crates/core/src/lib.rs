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
//! - [`validate`] — offline checks of what the admin types (IDs, secret, site and redirect URIs).
//! - [`diagnose`] — error text in, findings out: AADSTS, Graph, SMTP and the profiles' symptoms.
//! - [`endpoints`] — Microsoft's hosts per national cloud, or an endpoints file (the stand-in).
//! - [`http`] — the HTTP client: timeouts, no redirects, bounded retries of transient faults.
//! - [`logging`] — what is logged and how much: the filter both front ends install.
//! - [`secret`] — secret values that redact themselves and are zeroed on drop.
//! - [`identity`] — OpenID discovery, the token endpoint, identity error bodies, token claims.
//! - [`graph`] — the Microsoft Graph requests the checks make and Graph's error body.
//! - [`smtp`] — the SMTP AUTH probe: STARTTLS, `AUTH XOAUTH2`, the reply classified; sends no mail.
//! - [`imap`] — the IMAP probe: TLS on 993, `AUTHENTICATE XOAUTH2`, the mailbox opened read-only.
//! - [`printable`] — outside text made safe to print on a terminal (control characters shown).
//! - [`error_text`] — an error worded once with its sources, for front ends to show.
//! - [`html`] — text made safe to place in HTML (the report, the sign-in redirect's page).
//! - [`portal`] — deep links into the Entra admin center.
//! - [`verify`] — the verification engine: a profile's checkpoints, live, concurrently.
//! - [`fix`] — repairs with the admin's sign-in: create or repair the registration, service
//!   principal, admin consent and a new secret; idempotent, reporting each change.
//! - [`bundle`] — the configuration bundle: export (zip, settings, report, calendar, age) and open.
//! - [`credentials`] — certificate credentials: a self-signed RSA certificate, its thumbprints,
//!   its key in the keychain or an encrypted file, and the client assertion it signs.
//! - [`secrets`] — the OS keychain and an in-memory store behind one trait.
//! - [`reminders`] — the registry of secrets and their expiry; what is due, with an injected clock.
//! - [`monitor`] — the unattended monitor: every tenant's expiring credentials read with the
//!   monitor app's own token, alerts by webhook and mail, ready-made schedules.
//! - [`atomic_file`] — files written whole or not at all (temporary file, flush, rename).
//! - [`wizard`] — the guided setup: a profile's steps, the wizard's state and its persistence.
//! - [`desktop_settings`] — the desktop app's tray and start-at-login settings.
#![forbid(unsafe_code)]

pub mod atomic_file;
pub mod bundle;
pub mod cause;
pub mod check;
pub mod credentials;
pub mod desktop_settings;
pub mod diagnose;
pub mod endpoints;
pub mod error_text;
pub mod fix;
pub mod graph;
pub mod html;
pub mod http;
pub mod identity;
pub mod imap;
pub mod logging;
pub mod mail_protocol;
pub mod monitor;
pub mod paths;
pub mod portal;
pub mod printable;
pub mod profile;
pub mod reminders;
pub mod secret;
pub mod secrets;
pub mod smtp;
pub mod validate;
pub mod verify;
pub mod wizard;

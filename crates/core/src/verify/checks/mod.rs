//! One module per live check (or per request that decides several checks at once). Each takes
//! what it needs, asks Microsoft, and returns results; the order and the dependencies between
//! them belong to the engine in `verify/mod.rs`.
//!
//! With an administrator signed in, [`admin_reads`] reads the directory and [`admin`] routes the
//! answers to the pure judgements: [`registration`] (redirect URI, account type),
//! [`api_permissions`], [`consent`] (admin consent, consent policy), [`secret_expiry`],
//! [`certificate`] (its expiry) and [`mailbox`]; [`read_failure`] says what a failed read means.
//! A registration proved with a certificate is checked by [`certificate`] instead of
//! [`app_credentials`]' secret.

pub mod admin;
pub mod admin_reads;
pub mod api_permissions;
pub mod app_credentials;
pub mod app_permissions;
pub mod calendar_access;
pub mod certificate;
pub mod consent;
pub mod imap_auth;
mod mail_probe;
pub mod mailbox;
pub mod read_failure;
pub mod registration;
pub mod secret_expiry;
pub mod smtp_auth;
pub mod tenant;
pub mod test_email;

//! The unattended monitor: every app registration's secrets and certificates, in every tenant of
//! a list, read with the wizard's own monitor app and no person signing in, and people told of
//! what expires soon.
//!
//! - [`tenants`] — the tenants file (one a line, comments and blanks ignored).
//! - [`token`] — where the monitor's app-only Graph token comes from ([`TokenSource`]).
//! - [`scan`] — each tenant read page by page, several at once with a bound; per-tenant reports.
//! - [`alert`] — the webhook message and the mail through Graph, each reported sent or failed.
//! - [`setup`] — the monitor app registered with the registration repair and a built-in profile,
//!   and the admin-consent link for other tenants.
//! - [`schedule`] — ready-made daily schedules: cron, systemd, Windows Task Scheduler.
//! - [`last_scan`] — the last scan kept in the data folder for the desktop app's Reminders page.
//!
//! Reading and judging registrations is the reminders' ([`crate::reminders::each_expiring`]),
//! shared with the administrator's `reminders scan`. The only file this module keeps is the last
//! scan's report (no secret in it); the webhook URL and tokens stay in memory as
//! [`crate::secret::Secret`]s.

pub mod alert;
pub mod last_scan;
pub mod scan;
pub mod schedule;
pub mod setup;
pub mod tenants;
pub mod token;

pub use alert::{AlertChannel, AlertReport, AlertStatus};
pub use last_scan::{LastScan, LastScanError, last_scan};
pub use scan::{
    DEFAULT_CONCURRENCY, DEFAULT_WITHIN_DAYS, DueCredential, Outcome, ScanOptions, TenantReport,
    TenantStatus, outcome, scan_tenants,
};
pub use tenants::{TenantLineError, parse_tenants};
pub use token::{CertificateCredential, MonitorCredential, SecretCredential, TokenSource};

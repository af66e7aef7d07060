//! The monitor's last scan, kept on this computer: `monitor scan` writes the document it prints
//! with `--json` (each tenant's report and each alert's fate) with the time it judged by, as
//! `monitor-last-scan.json` in the data folder, whole or not at all ([`crate::atomic_file`]);
//! each scan replaces the one before. The desktop app's Reminders page reads it back with
//! [`last_scan`].
//!
//! It holds no secret: the reports name tenants, registrations, key IDs and dates, and an
//! alert's detail names the receiver's host, never its URL. A file that cannot be read or is not
//! a last scan is reported as [`LastScanError`], never a panic.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::alert::AlertReport;
use super::scan::TenantReport;
use crate::cause::Cause;
use crate::paths::AppPaths;
use crate::reminders::{Stage, Urgency};

/// The file's name in the data folder.
pub const FILE_NAME: &str = "monitor-last-scan.json";

/// Where the last scan is kept: `monitor-last-scan.json` in the data folder.
pub fn path(paths: &AppPaths) -> PathBuf {
    paths.data_dir().join(FILE_NAME)
}

/// A scan as it was kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LastScan {
    /// When it ran (the time it judged expiry by).
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub ran_at: DateTime<Utc>,
    /// Credentials expiring within this many days (or expired) were due.
    pub within_days: u32,
    /// Each tenant's report, in the tenants file's order.
    pub tenants: Vec<LastScanTenant>,
    /// Each alert's fate (none when nothing called for one or no channel was set).
    #[serde(default)]
    pub alerts: Vec<LastScanAlert>,
}

impl LastScan {
    /// How many credentials were due, over every tenant.
    pub fn due_count(&self) -> usize {
        self.tenants.iter().map(|t| t.due.len()).sum()
    }

    /// How many tenants could not be read.
    pub fn unreadable_count(&self) -> usize {
        self.tenants
            .iter()
            .filter(|t| t.status == LastScanStatus::Unreadable)
            .count()
    }
}

/// Whether a tenant could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LastScanStatus {
    /// Every registration was read.
    Ok,
    /// It could not be read: see the cause.
    Unreadable,
}

/// One tenant's report as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LastScanTenant {
    /// The tenant as the tenants file names it.
    pub tenant: String,
    /// Whether it could be read.
    pub status: LastScanStatus,
    /// Why it could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// What happened, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The registrations read.
    pub registrations: u64,
    /// The credentials due, soonest first.
    pub due: Vec<LastScanDue>,
}

/// Secret or certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum LastScanKind {
    /// A client secret.
    Secret,
    /// A certificate.
    Certificate,
}

/// One credential that was due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LastScanDue {
    /// The application (client) ID.
    pub client_id: String,
    /// The registration's display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Secret or certificate.
    pub kind: LastScanKind,
    /// The credential's key ID.
    pub key_id: String,
    /// When it expires.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub expires: DateTime<Utc>,
    /// Its stage on the way to expiry when the scan ran.
    pub stage: Stage,
    /// Whole days left when the scan ran (negative once expired).
    pub days_left: i64,
    /// How pressing its stage is (not in the file: [`last_scan`] judges it from the stage).
    #[serde(default = "not_pressing")]
    pub urgency: Urgency,
}

fn not_pressing() -> Urgency {
    Urgency::Later
}

/// One alert's fate as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LastScanAlert {
    /// `webhook` or `mail`.
    pub channel: String,
    /// `sent` or `failed`.
    pub status: String,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// What happened: the receiver's host, never its URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// How many attempts were made.
    pub attempts: u32,
}

/// Why the last scan could not be kept or read back.
#[derive(Debug, thiserror::Error)]
pub enum LastScanError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a last scan (damaged, or written by something else).
    #[error("{path} is damaged ({message}); the next monitor scan replaces it")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// The document `monitor scan --json` prints, with `ran_at` added: what [`record`] keeps.
pub fn document(
    ran_at: DateTime<Utc>,
    within_days: u32,
    tenants: &[TenantReport],
    alerts: &[AlertReport],
) -> serde_json::Value {
    serde_json::json!({
        "ran_at": ran_at,
        "within_days": within_days,
        "tenants": tenants,
        "alerts": alerts,
    })
}

/// Keep this scan as the last one (written whole or not at all); returns where.
pub fn record(
    paths: &AppPaths,
    ran_at: DateTime<Utc>,
    within_days: u32,
    tenants: &[TenantReport],
    alerts: &[AlertReport],
) -> Result<PathBuf, LastScanError> {
    let target = path(paths);
    let io = |source| LastScanError::Io {
        path: target.clone(),
        source,
    };
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let text = serde_json::to_vec_pretty(&document(ran_at, within_days, tenants, alerts))
        .map_err(|e| io(std::io::Error::other(e)))?;
    crate::atomic_file::write(&target, &text).map_err(io)?;
    Ok(target)
}

/// The last scan kept on this computer; `None` when the monitor has not run here.
pub fn last_scan(paths: &AppPaths) -> Result<Option<LastScan>, LastScanError> {
    read(&path(paths))
}

fn read(path: &Path) -> Result<Option<LastScan>, LastScanError> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let mut scan: LastScan =
                serde_json::from_slice(&bytes).map_err(|e| LastScanError::Damaged {
                    path: path.to_owned(),
                    message: e.to_string(),
                })?;
            for due in scan.tenants.iter_mut().flat_map(|t| t.due.iter_mut()) {
                due.urgency = due.stage.urgency();
            }
            Ok(Some(scan))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(LastScanError::Io {
            path: path.to_owned(),
            source,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::alert::{AlertChannel, AlertStatus};
    use crate::monitor::scan::{DueCredential, TenantStatus};
    use crate::reminders::CredentialKind;

    fn reports(now: DateTime<Utc>) -> Vec<TenantReport> {
        vec![
            TenantReport {
                tenant: "contoso.com".into(),
                status: TenantStatus::Ok,
                cause: None,
                detail: None,
                registrations: 3,
                due: vec![DueCredential {
                    client_id: "bbbbbbbb-0000-0000-0001-000000000001".into(),
                    display_name: Some("Payroll sync".into()),
                    kind: CredentialKind::Certificate,
                    key_id: "dddddddd-0001-0000-0000-000000000001".into(),
                    expires: now + chrono::Duration::days(10),
                    stage: Stage::Due { lead_days: 14 },
                    days_left: 10,
                }],
            },
            TenantReport {
                tenant: "northwind.com".into(),
                status: TenantStatus::Unreadable,
                cause: Some(Cause::AdminConsentMissing),
                detail: Some("the monitor app is not approved in this tenant".into()),
                registrations: 0,
                due: Vec::new(),
            },
        ]
    }

    #[test]
    fn a_recorded_scan_reads_back_with_its_time_counts_and_due_items() {
        let home = tempfile::tempdir().expect("home");
        let paths = AppPaths::under(home.path());
        assert_eq!(last_scan(&paths).expect("no file yet"), None);
        let now: DateTime<Utc> = "2026-12-07T09:00:00Z".parse().expect("time");
        let alerts = [AlertReport {
            channel: AlertChannel::Webhook,
            status: AlertStatus::Sent,
            cause: None,
            detail: Some("hooks.example.com".into()),
            attempts: 1,
        }];
        let written = record(&paths, now, 30, &reports(now), &alerts).expect("record");
        assert_eq!(written, paths.data_dir().join(FILE_NAME));
        let kept = last_scan(&paths).expect("read").expect("kept");
        assert_eq!(kept.ran_at, now);
        assert_eq!(kept.within_days, 30);
        assert_eq!(kept.tenants.len(), 2);
        assert_eq!(kept.due_count(), 1);
        assert_eq!(kept.unreadable_count(), 1);
        let due = &kept.tenants[0].due[0];
        assert_eq!(due.display_name.as_deref(), Some("Payroll sync"));
        assert_eq!(due.kind, LastScanKind::Certificate);
        assert_eq!(due.stage, Stage::Due { lead_days: 14 });
        assert_eq!(due.urgency, Urgency::Soon);
        assert_eq!(kept.tenants[1].cause, Some(Cause::AdminConsentMissing));
        assert_eq!(kept.alerts[0].status, "sent");
        // The file is the `--json` document with `ran_at`.
        let text = std::fs::read_to_string(&written).expect("file");
        let value: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(value, document(now, 30, &reports(now), &alerts));
        // A later scan replaces it.
        let later = now + chrono::Duration::days(1);
        record(&paths, later, 7, &reports(now)[1..], &[]).expect("again");
        let kept = last_scan(&paths).expect("read").expect("kept");
        assert_eq!((kept.ran_at, kept.due_count()), (later, 0));
        assert!(kept.alerts.is_empty());
    }

    #[test]
    fn a_damaged_file_is_reported_naming_it_not_a_crash() {
        let home = tempfile::tempdir().expect("home");
        let paths = AppPaths::under(home.path());
        std::fs::create_dir_all(paths.data_dir()).expect("data dir");
        for text in ["{\"ran_at\": \"2026-12-0", "[]", "", "{\"ran_at\": 5}"] {
            std::fs::write(path(&paths), text).expect("write");
            let error = last_scan(&paths).expect_err("damaged");
            assert!(matches!(error, LastScanError::Damaged { .. }), "{error}");
            assert!(error.to_string().contains(FILE_NAME), "{error}");
        }
    }
}

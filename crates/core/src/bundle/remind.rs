//! Exporting a bundle the way both front ends do: write it, read its entries back, and keep the
//! reminder of its secret (tenant, client, key ID and expiry as the bundle records them, named
//! after the registration or else the profile), so the CLI and the app only word the outcome.
//! For an app that proves itself with a certificate, the reminder is the certificate's (`kind`
//! certificate, keyed by its key id or else its thumbprint, at its end date).

use std::path::Path;

use super::{BundleError, BundleRecord, ExportRequest, certificate_key_id, export, open};
use crate::reminders::{Registry, RegistryError, Reminder, unread_key_id};

/// What `reminders` calls a reminder kept by an export.
pub const EXPORT_SOURCE: &str = "bundle export";

/// The secret's reminder after an export.
#[derive(Debug)]
pub enum ExportReminder {
    /// Kept (or refreshed) in the reminders file.
    Kept(Reminder),
    /// The secret's expiry is not known (nobody signed in to read it and none was given): no
    /// reminder and no calendar file were made.
    Nothing,
    /// The bundle is written, but the reminder could not be kept.
    Failed(RegistryError),
}

/// A bundle written.
#[derive(Debug)]
pub struct Exported {
    /// What `bundle.json` records.
    pub record: BundleRecord,
    /// The zip's entries, as read back from the file.
    pub entries: Vec<String>,
    /// The secret's reminder.
    pub reminder: ExportReminder,
}

/// Write the bundle of `request` to `out` atomically (`before_rename` is the crash tests' hook),
/// read it back, then keep its secret's reminder in `registry`. A reminder that cannot be kept
/// does not undo the bundle: it is reported in [`Exported::reminder`].
pub fn export_and_remind(
    request: &ExportRequest,
    out: &Path,
    before_rename: Option<&dyn Fn(&Path)>,
    registry: &Registry,
) -> Result<Exported, BundleError> {
    let record = export(request, out, before_rename)?;
    let entries = open(out)?.entries;
    let tenant = record
        .tenant
        .id
        .clone()
        .unwrap_or_else(|| request.tenant.trim().to_string());
    let name = record
        .application
        .display_name
        .clone()
        .unwrap_or_else(|| request.profile.title.clone());
    if let Some(certificate) = &record.certificate {
        let reminder = match certificate.expires {
            Some(expires) => match registry.record_certificate(
                &tenant,
                &record.application.client_id,
                &certificate_key_id(certificate),
                expires,
                Some(&name),
                EXPORT_SOURCE,
            ) {
                Ok(kept) => ExportReminder::Kept(kept),
                Err(e) => ExportReminder::Failed(e),
            },
            None => ExportReminder::Nothing,
        };
        return Ok(Exported {
            record,
            entries,
            reminder,
        });
    }
    // Without the secret's ID (nobody signed in to read it), an expiry the admin gave is kept
    // under the client's unread-secret key until a reminder with the real ID replaces it.
    let key_id = record.secret.key_id.clone().or_else(|| {
        record
            .secret
            .expires
            .map(|_| unread_key_id(&record.application.client_id))
    });
    let reminder = match (&key_id, record.secret.expires) {
        (Some(key_id), Some(expires)) => {
            match registry.record_secret(
                &tenant,
                &record.application.client_id,
                key_id,
                expires,
                Some(&name),
                EXPORT_SOURCE,
            ) {
                Ok(kept) => ExportReminder::Kept(kept),
                Err(e) => ExportReminder::Failed(e),
            }
        }
        _ => ExportReminder::Nothing,
    };
    Ok(Exported {
        record,
        entries,
        reminder,
    })
}

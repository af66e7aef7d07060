//! The `.zip` itself: written entry by entry to `FILE.zip.tmp-XXXX` beside the target, flushed,
//! renamed (so a crash leaves no bundle or a whole one); read back and validated by [`open`].

use std::io::{Read, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;

use super::BundleError;
use super::record::{BundleRecord, FORMAT, VERSION};
use crate::atomic_file;

/// The entries of a bundle, by name.
pub const BUNDLE_JSON: &str = "bundle.json";
/// `settings.txt`.
pub const SETTINGS_TXT: &str = "settings.txt";
/// `REPORT.html`.
pub const REPORT_HTML: &str = "REPORT.html";
/// `secret-rotation.ics`.
pub const ROTATION_ICS: &str = "secret-rotation.ics";
/// `secret.age`.
pub const SECRET_AGE: &str = "secret.age";

/// Write `entries` as a zip at `out`, atomically. `before_rename` runs after the temporary
/// file is complete and flushed, just before it is renamed (tests inject a crash there).
pub fn write(
    out: &Path,
    entries: &[(&str, Vec<u8>)],
    created: chrono::DateTime<chrono::Utc>,
    before_rename: Option<&dyn Fn(&Path)>,
) -> Result<(), BundleError> {
    let io = |e: std::io::Error| BundleError::Write {
        path: out.to_path_buf(),
        problem: e.to_string(),
    };
    atomic_file::remove_leftovers(out);
    let temp = atomic_file::temp_beside(out).map_err(io)?;
    let stamp = zip::DateTime::from_date_and_time(
        u16::try_from(chrono::Datelike::year(&created)).unwrap_or(1980),
        chrono::Datelike::month(&created) as u8,
        chrono::Datelike::day(&created) as u8,
        chrono::Timelike::hour(&created) as u8,
        chrono::Timelike::minute(&created) as u8,
        chrono::Timelike::second(&created) as u8,
    )
    .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp)
        .unix_permissions(0o600);
    let mut zip = zip::ZipWriter::new(temp.as_file());
    for (name, bytes) in entries {
        zip.start_file(*name, options).map_err(|e| io(e.into()))?;
        zip.write_all(bytes).map_err(io)?;
    }
    zip.finish().map_err(|e| io(e.into()))?;
    temp.as_file().sync_all().map_err(io)?;
    if let Some(hook) = before_rename {
        hook(temp.path());
    }
    atomic_file::commit(temp, out).map_err(io)
}

/// A bundle read back: its record and the names of its entries.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OpenedBundle {
    /// `bundle.json`.
    pub record: BundleRecord,
    /// The entries in the zip, in order.
    pub entries: Vec<String>,
}

impl OpenedBundle {
    /// Whether the bundle carries the encrypted secret.
    pub fn has_encrypted_secret(&self) -> bool {
        self.entries.iter().any(|e| e == SECRET_AGE)
    }
}

/// Open a bundle and validate its format and version; anything else is refused with a message
/// that says what was found.
pub fn open(path: &Path) -> Result<OpenedBundle, BundleError> {
    let refused = |problem: String| BundleError::NotABundle {
        path: path.to_path_buf(),
        problem,
    };
    let file = std::fs::File::open(path).map_err(|e| refused(format!("cannot open it ({e})")))?;
    let mut zip =
        zip::ZipArchive::new(file).map_err(|e| refused(format!("it is not a zip file ({e})")))?;
    let entries: Vec<String> = zip
        .file_names()
        .map(|name| name.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| refused(format!("its entry names are unreadable ({e})")))?;
    let mut text = String::new();
    zip.by_name(BUNDLE_JSON)
        .map_err(|_| refused(format!("it has no {BUNDLE_JSON}")))?
        .take(16 * 1024 * 1024)
        .read_to_string(&mut text)
        .map_err(|e| refused(format!("{BUNDLE_JSON} is not text ({e})")))?;
    let raw: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| refused(format!("{BUNDLE_JSON} is not JSON ({e})")))?;
    match (raw["format"].as_str(), raw["version"].as_u64()) {
        (Some(FORMAT), Some(v)) if v == u64::from(VERSION) => {}
        (Some(FORMAT), version) => {
            return Err(refused(format!(
                "it is bundle version {}, this program reads version {VERSION}",
                version.map_or_else(|| "?".into(), |v| v.to_string())
            )));
        }
        (format, _) => {
            return Err(refused(format!(
                "its format is {}, not {FORMAT}",
                format.map_or_else(|| "missing".into(), |f| format!("'{f}'"))
            )));
        }
    }
    let record: BundleRecord = serde_json::from_value(raw).map_err(|e| {
        refused(format!(
            "{BUNDLE_JSON} does not match version {VERSION} ({e})"
        ))
    })?;
    Ok(OpenedBundle { record, entries })
}

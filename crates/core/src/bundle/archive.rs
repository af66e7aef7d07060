//! The `.zip` itself: written entry by entry to `FILE.zip.tmp-XXXX` beside the target, flushed,
//! renamed (so a crash leaves no bundle or a whole one, and exports to one file at once each
//! rename a whole bundle: see [`crate::atomic_file`]); read back and validated by [`open`].
//!
//! [`open`] reads a file it did not write, perhaps one made to harm: it accepts only a whole
//! bundle of contracts/bundle.md. Entries are plain files named exactly as the contract names
//! them, each once; no folders, links, paths, encrypted or oversized entries; every entry read
//! to its end so its checksum is checked; `bundle.json` checked field by field. It extracts
//! nothing to disk. Each refusal says which entry or field is wrong and why.

use std::io::{Read, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;

use super::BundleError;
use super::record::{self, BundleRecord, FORMAT, SecretStorage, VERSION, shown};
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
/// `certificate.pfx.age`: the certificate with its private key (PKCS#12), age-encrypted.
pub const CERTIFICATE_AGE: &str = "certificate.pfx.age";

/// Every entry a bundle may have; all but `secret.age`, `certificate.pfx.age` and
/// `secret-rotation.ics` always.
const ENTRY_NAMES: [&str; 6] = [
    BUNDLE_JSON,
    SETTINGS_TXT,
    REPORT_HTML,
    ROTATION_ICS,
    SECRET_AGE,
    CERTIFICATE_AGE,
];

/// The largest entry [`open`] reads (a bundle's entries are a few kilobytes).
pub const MAX_ENTRY_BYTES: u64 = 16 * 1024 * 1024;

/// The largest file [`open`] reads: every entry at its largest, and room for the zip's own
/// records.
const MAX_FILE_BYTES: u64 = ENTRY_NAMES.len() as u64 * MAX_ENTRY_BYTES + 1024 * 1024;

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
    // Leftovers of crashed exports are removed here; a concurrent export's file is not.
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

    /// Whether the bundle carries the encrypted certificate with its private key.
    pub fn has_encrypted_certificate(&self) -> bool {
        self.entries.iter().any(|e| e == CERTIFICATE_AGE)
    }
}

/// Open a bundle and validate it whole (see the module's doc); anything else is refused with a
/// [`BundleError::NotABundle`] whose message says which entry or field is wrong and why.
pub fn open(path: &Path) -> Result<OpenedBundle, BundleError> {
    let refused = |problem: String| BundleError::NotABundle {
        path: path.to_path_buf(),
        problem,
    };
    let file = std::fs::File::open(path).map_err(|e| refused(format!("cannot open it ({e})")))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| refused(format!("cannot read it ({e})")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(refused(format!(
            "it is larger than {} MiB, far more than any bundle",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    read(&bytes).map_err(refused)
}

/// Validate the bytes of a whole bundle file; the first problem found.
fn read(bytes: &[u8]) -> Result<OpenedBundle, String> {
    let entries = read_entries(bytes)?;
    let entry = |name: &str| entries.iter().find(|(n, _)| n == name).map(|(_, b)| b);
    let json = entry(BUNDLE_JSON).ok_or_else(|| format!("it has no {BUNDLE_JSON}"))?;
    let record = read_record(json)?;
    // The other entries, as bundle.json says they should be.
    // The calendar follows the expiry (a secret whose ID was not read still has one), of the
    // certificate when the app proves itself with one.
    let certificate = record.certificate.as_ref();
    let secret_expires =
        record.secret.expires.is_some() || certificate.is_some_and(|c| c.expires.is_some());
    let age = record.secret.storage == SecretStorage::Age;
    let certificate_age = certificate.is_some_and(|c| c.storage == SecretStorage::Age);
    for (name, expected, why) in [
        (SETTINGS_TXT, true, "every bundle has it"),
        (REPORT_HTML, true, "every bundle has it"),
        (
            ROTATION_ICS,
            secret_expires,
            if secret_expires {
                "bundle.json names a secret's or a certificate's expiry"
            } else {
                "bundle.json names no secret's nor certificate's expiry"
            },
        ),
        (
            SECRET_AGE,
            age,
            if age {
                "bundle.json says the secret is in secret.age"
            } else {
                "bundle.json says the secret is not in the bundle"
            },
        ),
        (
            CERTIFICATE_AGE,
            certificate_age,
            if certificate_age {
                "bundle.json says the certificate's private key is in certificate.pfx.age"
            } else if certificate.is_some() {
                "bundle.json says the certificate's private key is not in the bundle"
            } else {
                "bundle.json names no certificate"
            },
        ),
    ] {
        match (entry(name), expected) {
            (None, true) => return Err(format!("it has no {name} ({why})")),
            (Some(_), false) => return Err(format!("it has {name}, but {why}")),
            (Some(bytes), true) => entry_content_problem(name, bytes)?,
            (None, false) => {}
        }
    }
    Ok(OpenedBundle {
        record,
        entries: entries.into_iter().map(|(name, _)| name).collect(),
    })
}

/// Every entry, read whole and checked against its checksum, after the names and kinds of all
/// of them were found to be a bundle's.
fn read_entries(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("it is not a zip file ({e})"))?;
    if zip.offset() != 0 {
        return Err(format!(
            "it has {} bytes of something else before the zip",
            zip.offset()
        ));
    }
    if zip.has_duplicate_names() {
        let twice = duplicate_name(bytes, zip.central_directory_start()).map_or_else(
            || "an entry".to_string(),
            |name| format!("the entry '{}'", shown(&name)),
        );
        return Err(format!(
            "it has {twice} twice (a zip tool would show one and extract the other)"
        ));
    }
    let mut names = Vec::with_capacity(zip.len());
    for index in 0..zip.len() {
        let entry = zip
            .by_index_data(index)
            .map_err(|e| format!("its entry number {} is unreadable ({e})", index + 1))?;
        let name = entry
            .name()
            .map_err(|e| {
                format!(
                    "the name of its entry number {} is unreadable ({e})",
                    index + 1
                )
            })?
            .into_owned();
        if let Some(why) = name_problem(&name) {
            return Err(format!("it has an entry '{}': {why}", shown(&name)));
        }
        let kind = entry.unix_mode().map(|mode| mode & S_IFMT);
        let not_a_file = match kind {
            Some(S_IFLNK) => Some("a symbolic link"),
            Some(S_IFDIR) => Some("a folder"),
            Some(0 | S_IFREG) | None => None,
            Some(_) => Some("a special file"),
        };
        if let Some(kind) = not_a_file {
            return Err(format!("its entry {name} is {kind}, not a file"));
        }
        if entry.encrypted() {
            return Err(format!(
                "its entry {name} is encrypted with a zip password (bundles are never)"
            ));
        }
        if entry.size() > MAX_ENTRY_BYTES {
            return Err(format!(
                "its entry {name} is {} bytes, more than the {} MiB an entry may have",
                entry.size(),
                MAX_ENTRY_BYTES / (1024 * 1024)
            ));
        }
        names.push(name);
    }
    zip.validate_header_consistency()
        .map_err(|e| format!("its entries' headers disagree with its directory ({e})"))?;
    let mut entries = Vec::with_capacity(names.len());
    for (index, name) in names.into_iter().enumerate() {
        let damaged = |e: &dyn std::fmt::Display| format!("its entry {name} is damaged ({e})");
        let mut file = zip.by_index(index).map_err(|e| damaged(&e))?;
        let declared = file.size();
        let mut content = Vec::new();
        // Read to the end: the checksum is compared there.
        file.by_ref()
            .take(MAX_ENTRY_BYTES + 1)
            .read_to_end(&mut content)
            .map_err(|e| damaged(&e))?;
        if content.len() as u64 != declared {
            return Err(damaged(&format!(
                "{} bytes where its header says {declared}",
                content.len()
            )));
        }
        drop(file);
        entries.push((name, content));
    }
    Ok(entries)
}

/// The file type bits of a Unix mode, and the types a zip may declare.
const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;
const S_IFLNK: u32 = 0o120_000;

/// Why an entry's name is not one of a bundle's, or `None` when it is.
fn name_problem(name: &str) -> Option<String> {
    if ENTRY_NAMES.contains(&name) {
        return None;
    }
    let parts: Vec<&str> = name.split(['/', '\\']).collect();
    let why = if name.chars().any(char::is_control) {
        "its name holds control characters".to_string()
    } else if name.ends_with(['/', '\\']) {
        "it is a folder; a bundle holds only files".to_string()
    } else if name.starts_with(['/', '\\']) {
        "it names an absolute path; a bundle's entries are plain file names".to_string()
    } else if name.as_bytes().get(1) == Some(&b':') && name.as_bytes()[0].is_ascii_alphabetic() {
        "it names a drive; a bundle's entries are plain file names".to_string()
    } else if parts.contains(&"..") {
        "it climbs out of the folder it is extracted to ('..')".to_string()
    } else if parts.len() > 1 {
        "it names a path inside a folder; a bundle's entries are plain file names".to_string()
    } else {
        format!(
            "it is not one of a bundle's entries ({})",
            ENTRY_NAMES.join(", ")
        )
    };
    Some(why)
}

/// The first name the zip's central directory holds twice (the zip crate keeps one of each).
fn duplicate_name(bytes: &[u8], directory_start: u64) -> Option<String> {
    const CENTRAL_HEADER: [u8; 4] = [0x50, 0x4b, 0x01, 0x02];
    let u16_at = |at: usize| -> Option<usize> {
        Some(usize::from(u16::from_le_bytes(
            bytes.get(at..at + 2)?.try_into().ok()?,
        )))
    };
    let mut seen = std::collections::HashSet::new();
    let mut at = usize::try_from(directory_start).ok()?;
    while bytes.get(at..at + 4)? == CENTRAL_HEADER {
        let (name_len, extra_len, comment_len) =
            (u16_at(at + 28)?, u16_at(at + 30)?, u16_at(at + 32)?);
        let name = bytes.get(at + 46..at + 46 + name_len)?;
        if !seen.insert(name) {
            return Some(String::from_utf8_lossy(name).into_owned());
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    None
}

/// `bundle.json` read and checked: format and version first (so a bundle of another program or
/// version says so), then the fields.
fn read_record(json: &[u8]) -> Result<BundleRecord, String> {
    let text =
        std::str::from_utf8(json).map_err(|e| format!("{BUNDLE_JSON} is not UTF-8 text ({e})"))?;
    let raw: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{BUNDLE_JSON} is not JSON ({e})"))?;
    match (raw["format"].as_str(), raw["version"].as_u64()) {
        (Some(FORMAT), Some(v)) if v == u64::from(VERSION) => {}
        (Some(FORMAT), version) => {
            return Err(format!(
                "it is bundle version {}, this program reads version {VERSION}",
                version.map_or_else(|| "?".into(), |v| v.to_string())
            ));
        }
        (format, _) => {
            return Err(format!(
                "its format is {}, not {FORMAT}",
                format.map_or_else(|| "missing".into(), |f| format!("'{}'", shown(f)))
            ));
        }
    }
    if let Some(problem) = record::raw_problem(&raw) {
        return Err(format!("{BUNDLE_JSON}: {problem}"));
    }
    let record: BundleRecord = serde_json::from_value(raw)
        .map_err(|e| format!("{BUNDLE_JSON} does not match version {VERSION} ({e})"))?;
    if let Some(problem) = record.problem() {
        return Err(format!("{BUNDLE_JSON}: {problem}"));
    }
    Ok(record)
}

/// What is wrong with the content of an entry other than `bundle.json`.
fn entry_content_problem(name: &str, bytes: &[u8]) -> Result<(), String> {
    if name == SECRET_AGE || name == CERTIFICATE_AGE {
        let binary = bytes.starts_with(b"age-encryption.org/v1\n");
        let armored = bytes.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----");
        if binary || armored {
            return Ok(());
        }
        return Err(format!("its entry {name} is not an age-encrypted file"));
    }
    std::str::from_utf8(bytes)
        .map(|_| ())
        .map_err(|e| format!("its entry {name} is not UTF-8 text ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use zip::write::SimpleFileOptions;

    const KEY_ID: &str = "dddddddd-0000-0000-0000-000000000001";
    const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";

    fn record() -> serde_json::Value {
        json!({
            "format": FORMAT, "version": VERSION, "created": "2026-06-01T09:30:00Z",
            "profile": {"id": "odoo-outlook-calendar", "title": "Odoo: Outlook calendar"},
            "tenant": {"id": "11111111-2222-3333-4444-555555555555", "domain": "contoso.com",
                       "cloud": "global"},
            "application": {
                "client_id": APP, "display_name": "Odoo", "sign_in_audience": "AzureADMyOrg",
                "redirect_uris": ["https://odoo.contoso.com/microsoft_account/authentication"],
                "permissions": {"delegated": ["Calendars.ReadWrite", "offline_access"],
                                "application": []},
                "admin_consent_url": format!(
                    "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/adminconsent?client_id={APP}")
            },
            "secret": {"key_id": KEY_ID, "hint": "Xy7", "expires": "2027-06-01T09:30:00Z",
                       "storage": "age"},
            "settings": {"Client ID": APP, "Client Secret": null},
            "checks": [{"id": "tenant", "status": "pass", "message": "found",
                        "evidence": {"tenant_id": "11111111-2222-3333-4444-555555555555"}}],
            "reminder": {"lead_days": [30, 14, 7, 1]}
        })
    }

    /// A whole bundle's entries, with `record` as `bundle.json`.
    fn entries_with(record: &serde_json::Value) -> Vec<(String, Vec<u8>)> {
        vec![
            (
                BUNDLE_JSON.into(),
                serde_json::to_vec_pretty(record).expect("json"),
            ),
            (SETTINGS_TXT.into(), b"Client ID: x\n".to_vec()),
            (REPORT_HTML.into(), b"<!DOCTYPE html><p>report</p>".to_vec()),
            (
                ROTATION_ICS.into(),
                b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_vec(),
            ),
            (
                SECRET_AGE.into(),
                b"age-encryption.org/v1\n-> X25519 abc\n".to_vec(),
            ),
        ]
    }

    fn whole() -> Vec<(String, Vec<u8>)> {
        entries_with(&record())
    }

    fn zip_of(entries: &[(String, Vec<u8>)], method: zip::CompressionMethod) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .unix_permissions(0o600);
        for (name, bytes) in entries {
            zip.start_file(name.as_str(), options).expect("entry");
            zip.write_all(bytes).expect("write");
        }
        zip.finish().expect("finish").into_inner()
    }

    fn zipped(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
        zip_of(entries, zip::CompressionMethod::Deflated)
    }

    /// Every occurrence of `from` in `bytes` becomes `to` (same length): names in both the
    /// local headers and the central directory, which the zip writer would not write itself.
    fn patched(mut bytes: Vec<u8>, from: &str, to: &str) -> Vec<u8> {
        assert_eq!(from.len(), to.len());
        let mut found = 0;
        let mut at = 0;
        while let Some(i) = bytes[at..]
            .windows(from.len())
            .position(|w| w == from.as_bytes())
        {
            bytes[at + i..at + i + to.len()].copy_from_slice(to.as_bytes());
            at += i + to.len();
            found += 1;
        }
        assert!(found >= 2, "{from} in a local header and the directory");
        bytes
    }

    /// `open`'s refusal of `bytes` as a file, its message.
    fn refusal(bytes: &[u8]) -> String {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("hostile.zip");
        std::fs::write(&path, bytes).expect("write");
        match open(&path) {
            Ok(opened) => panic!("opened: {opened:?}"),
            Err(error @ BundleError::NotABundle { .. }) => {
                let message = error.to_string();
                assert!(message.contains("hostile.zip"), "{message}");
                message
            }
            Err(other) => panic!("not a refusal: {other}"),
        }
    }

    fn assert_refused(bytes: &[u8], expected: &[&str]) {
        let message = refusal(bytes);
        for part in expected {
            assert!(message.contains(part), "'{part}' not in: {message}");
        }
    }

    #[test]
    fn a_whole_bundle_opens() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("b.zip");
        std::fs::write(&path, zipped(&whole())).expect("write");
        let opened = open(&path).expect("opens");
        assert_eq!(opened.entries.len(), 5);
        assert!(opened.has_encrypted_secret());
        assert_eq!(opened.record.application.client_id, APP);
        let stored = zip_of(&whole(), zip::CompressionMethod::Stored);
        std::fs::write(&path, stored).expect("write");
        open(&path).expect("stored entries open too");
    }

    #[test]
    fn a_bundle_written_by_write_opens() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("b.zip");
        let entries = whole();
        let borrowed: Vec<(&str, Vec<u8>)> = entries
            .iter()
            .map(|(n, b)| (n.as_str(), b.clone()))
            .collect();
        write(&path, &borrowed, chrono::Utc::now(), None).expect("write");
        assert_eq!(open(&path).expect("opens").entries.len(), 5);
    }

    #[test]
    fn a_missing_entry_is_refused_naming_it() {
        for missing in [
            BUNDLE_JSON,
            SETTINGS_TXT,
            REPORT_HTML,
            ROTATION_ICS,
            SECRET_AGE,
        ] {
            let entries: Vec<_> = whole().into_iter().filter(|(n, _)| n != missing).collect();
            assert_refused(&zipped(&entries), &[&format!("it has no {missing}")]);
        }
    }

    #[test]
    fn optional_entries_follow_what_bundle_json_says() {
        let mut no_secret = record();
        no_secret["secret"] =
            json!({"key_id": null, "hint": null, "expires": null, "storage": "none"});
        let only_required: Vec<_> = entries_with(&no_secret)
            .into_iter()
            .filter(|(n, _)| n != ROTATION_ICS && n != SECRET_AGE)
            .collect();
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("b.zip");
        std::fs::write(&path, zipped(&only_required)).expect("write");
        assert_eq!(
            open(&path).expect("no secret, no calendar").entries.len(),
            3
        );

        let with_age: Vec<_> = entries_with(&no_secret)
            .into_iter()
            .filter(|(n, _)| n != ROTATION_ICS)
            .collect();
        assert_refused(
            &zipped(&with_age),
            &["it has secret.age", "not in the bundle"],
        );
        let with_ics: Vec<_> = entries_with(&no_secret)
            .into_iter()
            .filter(|(n, _)| n != SECRET_AGE)
            .collect();
        assert_refused(&zipped(&with_ics), &["it has secret-rotation.ics"]);
    }

    #[test]
    fn an_extra_entry_is_refused_naming_it() {
        let mut entries = whole();
        entries.push(("notes.txt".into(), b"hello".to_vec()));
        assert_refused(
            &zipped(&entries),
            &["'notes.txt'", "not one of a bundle's entries"],
        );
    }

    #[test]
    fn a_name_twice_is_refused_naming_it() {
        let mut entries = whole();
        entries.push(("settingsXtxt".into(), b"Client ID: another\n".to_vec()));
        let bytes = patched(zipped(&entries), "settingsXtxt", "settings.txt");
        assert_refused(&bytes, &["'settings.txt' twice"]);
    }

    #[test]
    fn paths_are_refused_naming_the_entry_and_why() {
        let cases = [
            ("../x", "climbs out"),
            ("a/../../settings.txt", "climbs out"),
            ("..\\x", "climbs out"),
            ("/abs", "absolute path"),
            ("\\abs", "absolute path"),
            ("C:\\x", "names a drive"),
            ("c:x", "names a drive"),
            ("sub/settings.txt", "inside a folder"),
            ("sub\\REPORT.html", "inside a folder"),
            ("REPORT.html/", "is a folder"),
            ("bundle.json\u{1b}[2J", "control characters"),
        ];
        for (name, why) in cases {
            // Written under a harmless name of the same length, then renamed in the bytes.
            let stand_in = "q".repeat(name.len());
            let mut entries = whole();
            entries.push((stand_in.clone(), b"x".to_vec()));
            let bytes = patched(zipped(&entries), &stand_in, name);
            let message = refusal(&bytes);
            assert!(message.contains(why), "{name}: {message}");
            assert!(
                !message.contains('\u{1b}'),
                "control characters shown: {message}"
            );
        }
    }

    #[test]
    fn symbolic_links_and_folders_are_refused() {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default();
        for (name, bytes) in whole() {
            if name == SETTINGS_TXT {
                zip.add_symlink(name, "/etc/passwd", options).expect("link");
            } else {
                zip.start_file(name, options).expect("entry");
                zip.write_all(&bytes).expect("write");
            }
        }
        let bytes = zip.finish().expect("finish").into_inner();
        assert_refused(&bytes, &["settings.txt is a symbolic link"]);

        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in whole() {
            zip.start_file(name, options).expect("entry");
            zip.write_all(&bytes).expect("write");
        }
        zip.add_directory("bundle.json", options).expect("folder");
        let bytes = zip.finish().expect("finish").into_inner();
        assert_refused(&bytes, &["is a folder"]);
    }

    #[test]
    fn a_folder_by_its_mode_is_refused() {
        // A file entry whose external attributes say "directory" (mode 040755).
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().unix_permissions(0o644);
        for (name, bytes) in whole() {
            zip.start_file(name, options).expect("entry");
            zip.write_all(&bytes).expect("write");
        }
        let mut bytes = zip.finish().expect("finish").into_inner();
        let directory = patched_mode(&mut bytes, REPORT_HTML, 0o100_644, 0o040_755);
        assert!(directory, "the mode was found");
        assert_refused(&bytes, &["REPORT.html is a folder"]);
    }

    /// Change the Unix mode of `name` in the central directory from `from` to `to`.
    fn patched_mode(bytes: &mut [u8], name: &str, from: u32, to: u32) -> bool {
        let mut at = 0;
        while at + 46 < bytes.len() {
            if bytes[at..at + 4] == [0x50, 0x4b, 0x01, 0x02] {
                let name_len = usize::from(u16::from_le_bytes([bytes[at + 28], bytes[at + 29]]));
                if &bytes[at + 46..at + 46 + name_len] == name.as_bytes() {
                    let attributes = &mut bytes[at + 38..at + 42];
                    let old = u32::from_le_bytes(attributes.try_into().expect("four bytes"));
                    assert_eq!(old >> 16, from, "the mode written");
                    attributes.copy_from_slice(&((to << 16) | (old & 0xffff)).to_le_bytes());
                    return true;
                }
            }
            at += 1;
        }
        false
    }

    #[test]
    fn a_damaged_entry_is_refused_naming_it() {
        // Stored: one byte of the content flipped, so only the checksum can tell.
        let content = b"Client ID: bbbbbbbb-0000-0000-0000-000000000001\n".to_vec();
        let mut entries = whole();
        entries[1].1 = content.clone();
        let mut bytes = zip_of(&entries, zip::CompressionMethod::Stored);
        let at = bytes
            .windows(content.len())
            .position(|w| w == content.as_slice())
            .expect("the content");
        bytes[at + 3] ^= 0x01;
        assert_refused(&bytes, &["settings.txt is damaged", "checksum"]);

        // Deflated: a byte of the compressed data flipped.
        let mut entries = whole();
        entries[2].1 = "<p>a report long enough to compress</p>"
            .repeat(50)
            .into_bytes();
        let bytes = zipped(&entries);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("zip");
        let start = zip
            .by_name(REPORT_HTML)
            .expect("entry")
            .data_start()
            .expect("data start");
        let compressed = zip.by_name(REPORT_HTML).expect("entry").compressed_size();
        let mut bytes = bytes;
        let middle = usize::try_from(start + compressed / 2).expect("offset");
        bytes[middle] ^= 0xff;
        assert_refused(&bytes, &["REPORT.html is damaged"]);
    }

    #[test]
    fn an_oversized_entry_is_refused() {
        let mut entries = whole();
        entries[2].1 = vec![b' '; usize::try_from(MAX_ENTRY_BYTES).expect("size") + 1];
        assert_refused(&zipped(&entries), &["REPORT.html is", "16 MiB"]);
    }

    #[test]
    fn an_encrypted_entry_is_refused() {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in whole() {
            let options = SimpleFileOptions::default();
            let options = if name == SETTINGS_TXT {
                zip::unstable::write::FileOptionsExt::with_deprecated_encryption(
                    options,
                    b"password",
                )
                .expect("encryption")
            } else {
                options
            };
            zip.start_file(name, options).expect("entry");
            zip.write_all(&bytes).expect("write");
        }
        let bytes = zip.finish().expect("finish").into_inner();
        assert_refused(&bytes, &["settings.txt is encrypted"]);
    }

    #[test]
    fn other_files_are_refused() {
        assert_refused(b"hello", &["not a zip file"]);
        let mut prefixed = b"<html>not only a zip</html>".to_vec();
        prefixed.extend(zipped(&whole()));
        assert_refused(&prefixed, &["before the zip"]);
        let mut entries = whole();
        entries[1].1 = vec![0xff, 0xfe, 0x00];
        assert_refused(&zipped(&entries), &["settings.txt is not UTF-8 text"]);
        let mut entries = whole();
        entries[4].1 = b"the secret in the clear".to_vec();
        assert_refused(
            &zipped(&entries),
            &["secret.age is not an age-encrypted file"],
        );
    }

    #[test]
    fn bundle_json_fields_are_checked_naming_the_field() {
        let cases: Vec<(&str, serde_json::Value, &str)> = vec![
            ("/tenant/id", json!("x"), "tenant.id is 'x', not a GUID"),
            (
                "/tenant/id",
                json!("{11111111-2222-3333-4444-555555555555}"),
                "tenant.id",
            ),
            ("/tenant/domain", json!("contoso com"), "tenant.domain"),
            ("/tenant/cloud", json!("mars"), "tenant.cloud is 'mars'"),
            (
                "/application/client_id",
                json!("not-a-guid"),
                "application.client_id",
            ),
            (
                "/secret/key_id",
                json!("key"),
                "secret.key_id is not a GUID",
            ),
            ("/secret/hint", json!("Xy7Q~abcdef"), "secret.hint"),
            (
                "/secret/storage",
                json!("cloud"),
                "secret.storage is 'cloud', not one of age",
            ),
            ("/secret/expires", json!("next year"), "secret.expires"),
            (
                "/created",
                json!("2026-06-01 09:30"),
                "created is '2026-06-01 09:30'",
            ),
            ("/created", json!(12), "created"),
            ("/profile/id", json!("../../etc"), "profile.id"),
            (
                "/profile/title",
                json!("\u{1b}]0;owned\u{7}"),
                "profile.title",
            ),
            (
                "/application/sign_in_audience",
                json!("Everyone"),
                "sign_in_audience",
            ),
            (
                "/application/admin_consent_url",
                json!(format!("https://evil.example/phish?client_id={APP}")),
                "admin_consent_url",
            ),
            (
                "/application/admin_consent_url",
                json!(format!(
                    "http://login.microsoftonline.com/t/adminconsent?client_id={APP}"
                )),
                "not https",
            ),
            (
                "/application/admin_consent_url",
                json!(
                    "https://login.microsoftonline.com/t/adminconsent?client_id=ffffffff-0000-0000-0000-000000000001"
                ),
                "of application.client_id",
            ),
            (
                "/application/redirect_uris",
                json!(["javascript:alert(1)"]),
                "redirect_uris[0]",
            ),
            (
                "/application/permissions/delegated",
                json!(["Mail.Send\n"]),
                "permissions.delegated",
            ),
            ("/settings", json!({"": "x"}), "settings has the name ''"),
            (
                "/checks",
                json!([{"id": "no_such_check", "status": "pass"}]),
                "checks[0]",
            ),
            ("/reminder/lead_days", json!([0]), "reminder.lead_days"),
            ("/reminder/lead_days", json!([]), "reminder.lead_days"),
        ];
        for (pointer, value, expected) in cases {
            let mut record = record();
            *record.pointer_mut(pointer).expect(pointer) = value.clone();
            let message = refusal(&zipped(&entries_with(&record)));
            assert!(
                message.contains(&format!("bundle.json: {expected}")) || message.contains(expected),
                "{pointer} = {value}: {message}"
            );
            assert!(message.contains("bundle.json"), "{message}");
            assert!(!message.contains('\u{1b}'), "{message}");
        }
    }

    #[test]
    fn format_and_version_are_said_first() {
        let only_json = |record: serde_json::Value| {
            zipped(&[(
                BUNDLE_JSON.into(),
                serde_json::to_vec(&record).expect("json"),
            )])
        };
        assert_refused(
            &only_json(json!({"format": "something-else", "version": 1})),
            &["its format is 'something-else'"],
        );
        assert_refused(
            &only_json(json!({"format": FORMAT, "version": 2})),
            &["version 2"],
        );
        assert_refused(
            &only_json(json!({"format": FORMAT, "version": 1})),
            &["does not match version 1"],
        );
    }
}

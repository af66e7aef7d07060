//! Opening bundles (`bundle::open`, what `entra-setup bundle inspect` and the app's "Open bundle"
//! call): real bundles made by `bundle::export` here, then damaged byte by byte; and real
//! bundles whose `bundle.json` is damaged inside an intact zip. Every file opens or is refused
//! as `NotABundle`, never a panic.

use std::io::{Read, Write};
use std::path::Path;

use chrono::TimeZone;
use entra_setup_core::bundle::{
    self, BUNDLE_JSON, BundleError, ExportRequest, Protection, SecretFacts,
};
use entra_setup_core::endpoints::Cloud;
use entra_setup_core::profile::Catalog;
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::{CheckResult, Report, Status};

use crate::harness::{self, Material};

/// Zip's record signatures and fields that make readers allocate or seek, and JSON pieces.
const ZIP_TOKENS: &[&[u8]] = &[
    b"PK\x03\x04",
    b"PK\x01\x02",
    b"PK\x05\x06",
    b"PK\x06\x06",
    b"PK\x06\x07",
    b"PK\x07\x08",
    b"\xff\xff\xff\xff",
    b"\x00\x00\x00\x00",
    b"\xff\xff",
    b"\x08\x00",
    b"bundle.json",
    b"secret.age",
    b"../",
    b"\x00",
];

const JSON_TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b"\\u0000",
    b":",
    b",",
    b"null",
    b"-1",
    b"1e999",
    b"18446744073709551616",
    b"\"format\":\"entra-setup-bundle\"",
    b"\"version\":2",
    b"\"version\":1",
    b"\"created\":\"9999-12-31T23:59:59Z\"",
    b"\"expires\":\"+275760-09-13T00:00:00Z\"",
    b"\"storage\":\"",
    b"\x1b[2J",
    "\u{202e}".as_bytes(),
];

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 6, 1, 9, 30, 0)
        .single()
        .expect("date")
}

/// Real bundles: each shipped profile, with and without `secret.age`.
fn real_bundles(dir: &Path) -> Vec<Vec<u8>> {
    let catalog = Catalog::shipped();
    let recipient = age::x25519::Identity::generate().to_public().to_string();
    let mut made = Vec::new();
    for (n, profile) in catalog.profiles().enumerate() {
        let checks: Vec<CheckResult> = profile
            .checks
            .iter()
            .enumerate()
            .map(|(i, id)| CheckResult {
                id: *id,
                status: [Status::Pass, Status::Fail, Status::Warn, Status::Unverified][i % 4],
                cause: None,
                reason: None,
                message: format!("check {i} <said> \"so\""),
                fix: (i % 2 == 1).then(|| "Do this & that.".to_string()),
                portal_link: None,
                evidence: serde_json::json!({ "codes": [i], "text": "é\u{202e}" }),
                needs: Vec::new(),
            })
            .collect();
        let report = Report {
            profile: profile.id.clone(),
            tenant_id: Some("b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4".into()),
            client_id: Some("bbbbbbbb-0000-0000-0000-000000000001".into()),
            summary: Report::summarise(&checks),
            checks,
        };
        let with_secret = n % 2 == 0;
        let request = ExportRequest {
            profile: profile.clone(),
            report,
            tenant: "contoso.com".into(),
            cloud: Cloud::Global,
            login: "https://login.microsoftonline.com".into(),
            client_id: "bbbbbbbb-0000-0000-0000-000000000001".into(),
            display_name: Some("Contoso <integration> & \"friends\"".into()),
            redirect_uri: Some("https://intranet.contoso.com/oauth2/outlook/callback".into()),
            secret: SecretFacts {
                key_id: Some("dddddddd-0000-0000-0000-000000000001".into()),
                hint: Some("Xy7".into()),
                expires: Some(now() + chrono::Duration::days(365)),
                value: with_secret
                    .then(|| Secret::new("Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789")),
                in_keychain: false,
            },
            certificate: None,
            protection: if with_secret {
                Protection::Recipients(vec![recipient.clone()])
            } else {
                Protection::None
            },
            now: now(),
        };
        let out = dir.join(format!("{}.zip", profile.id));
        bundle::export(&request, &out, None).expect("export a real bundle");
        made.push(std::fs::read(&out).expect("read the bundle back"));
    }
    made
}

/// Each entry of a zip, by name.
fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a real bundle");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("entry bytes");
            (file.name().expect("entry name").into_owned(), bytes)
        })
        .collect()
}

/// A zip of `entries` with `bundle.json` replaced by `json`.
fn rezip(entries: &[(String, Vec<u8>)], json: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options).expect("entry");
        let bytes = if name == BUNDLE_JSON { json } else { bytes };
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

/// Open `bytes` as a bundle file: a bundle (`true`) or `NotABundle`.
fn open(file: &Path, bytes: &[u8]) -> Result<bool, String> {
    std::fs::write(file, bytes).map_err(|e| format!("cannot write the input: {e}"))?;
    match bundle::open(file) {
        Ok(opened) => {
            if !opened.entries.iter().any(|e| e == BUNDLE_JSON) {
                return Err(format!(
                    "opened without {BUNDLE_JSON}: {:?}",
                    opened.entries
                ));
            }
            serde_json::to_string(&opened).map_err(|e| format!("opened but not shown: {e}"))?;
            Ok(true)
        }
        Err(BundleError::NotABundle { problem, .. }) if !problem.is_empty() => Ok(false),
        Err(other) => Err(format!("opening gave {other:?}")),
    }
}

#[test]
fn bundle_open_takes_any_file() {
    let dir = tempfile::tempdir().expect("dir");
    let real = real_bundles(dir.path());
    let file = dir.path().join("input.zip");
    let material = Material::new("bundle_open", real, ZIP_TOKENS, 64 * 1024);
    harness::fuzz("bundle_open", material.inputs(), |bytes| open(&file, bytes));
}

#[test]
fn bundle_open_takes_any_bundle_json() {
    let dir = tempfile::tempdir().expect("dir");
    let real = real_bundles(dir.path());
    let model = entries(&real[0]);
    let jsons: Vec<Vec<u8>> = real
        .iter()
        .flat_map(|zip| entries(zip))
        .filter(|(name, _)| name == BUNDLE_JSON)
        .map(|(_, bytes)| bytes)
        .collect();
    let file = dir.path().join("input.zip");
    let material = Material::new("bundle_json", jsons, JSON_TOKENS, 64 * 1024);
    harness::fuzz("bundle_json", material.inputs(), |json| {
        open(&file, &rezip(&model, json))
    });
}

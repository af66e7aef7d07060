//! A bundle of an app that proves itself with a certificate: `bundle.json` records the
//! thumbprint, key id, expiry and where the private key is; with recipients or a passphrase the
//! certificate with its private key is in `certificate.pfx.age` (age, then PKCS#12) and in no
//! other entry; the calendar follows the certificate's expiry; `open` accepts exactly that entry
//! set and refuses a `certificate.pfx.age` that `bundle.json` does not announce, or one missing.

use std::io::{Read, Write};
use std::path::Path;

use chrono::TimeZone;
use entra_setup_core::bundle::{
    self, CERTIFICATE_AGE, CertificateFacts, ExportRequest, Protection, SecretFacts, SecretStorage,
};
use entra_setup_core::credentials::{Certificate, CredentialType};
use entra_setup_core::profile::Catalog;
use entra_setup_core::reminders::Registry;
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::Report;

const TENANT: &str = "11111111-2222-3333-4444-555555555555";
const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const CERT_KEY_ID: &str = "cccccccc-0000-0000-0000-000000000001";

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 6, 1, 9, 30, 0)
        .single()
        .expect("date")
}

fn certificate() -> Certificate {
    Certificate::generate("Contoso intranet", now(), 180).expect("certificate")
}

fn request(certificate: &Certificate, protection: Protection, with_key: bool) -> ExportRequest {
    let catalog = Catalog::shipped();
    let profile = catalog.get("custom").expect("custom profile").clone();
    assert!(profile.credentials.contains(&CredentialType::Certificate));
    ExportRequest {
        report: Report {
            profile: profile.id.clone(),
            tenant_id: Some(TENANT.into()),
            client_id: Some(APP.into()),
            checks: Vec::new(),
            summary: Report::summarise(&[]),
        },
        profile,
        tenant: "contoso.com".into(),
        cloud: entra_setup_core::endpoints::Cloud::Global,
        login: "https://login.microsoftonline.com".into(),
        client_id: APP.into(),
        display_name: Some("Contoso intranet".into()),
        redirect_uri: Some("https://intranet.contoso.com/oauth2/outlook/callback".into()),
        secret: SecretFacts::default(),
        certificate: Some(CertificateFacts {
            thumbprint: certificate.thumbprint(),
            key_id: Some(CERT_KEY_ID.into()),
            expires: Some(certificate.not_after()),
            value: with_key.then(|| certificate.clone()),
            in_keychain: true,
        }),
        protection,
        now: now(),
    }
}

fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("open")).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("read");
            (file.name().expect("name").into_owned(), bytes)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)], out: &Path) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(out).expect("create"));
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .expect("start");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
}

fn decrypt(encrypted: &[u8], identity: &dyn age::Identity) -> Vec<u8> {
    let decryptor = age::Decryptor::new(encrypted).expect("age file");
    let mut reader = decryptor
        .decrypt(std::iter::once(identity))
        .expect("decrypts");
    let mut plain = Vec::new();
    reader.read_to_end(&mut plain).expect("read");
    plain
}

#[test]
fn a_certificate_with_its_key_goes_only_into_certificate_pfx_age() {
    let certificate = certificate();
    let identity = age::x25519::Identity::generate();
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("bundle.zip");
    let request = request(
        &certificate,
        Protection::Recipients(vec![identity.to_public().to_string()]),
        true,
    );
    let record = bundle::export(&request, &out, None).expect("export");
    let recorded = record.certificate.clone().expect("certificate recorded");
    assert_eq!(recorded.thumbprint, certificate.thumbprint());
    assert_eq!(recorded.key_id.as_deref(), Some(CERT_KEY_ID));
    assert_eq!(recorded.expires, Some(certificate.not_after()));
    assert_eq!(recorded.storage, SecretStorage::Age);
    assert_eq!(record.secret.storage, SecretStorage::None);

    let opened = bundle::open(&out).expect("opens");
    assert_eq!(opened.record, record);
    assert!(opened.has_encrypted_certificate());
    assert!(!opened.has_encrypted_secret());
    assert_eq!(
        opened.entries,
        [
            "bundle.json",
            "settings.txt",
            "REPORT.html",
            "secret-rotation.ics",
            CERTIFICATE_AGE
        ]
    );

    let all = entries(&out);
    let (_, encrypted) = all
        .iter()
        .find(|(n, _)| n == CERTIFICATE_AGE)
        .expect("certificate.pfx.age");
    let pfx = decrypt(encrypted, &identity);
    // With recipients, the .pfx's own password is the thumbprint (settings.txt says so).
    let back = {
        let file = dir.path().join("certificate.pfx");
        std::fs::write(&file, &pfx).expect("write pfx");
        Certificate::from_file(&file, Some(&Secret::new(certificate.thumbprint())))
            .expect("the pfx opens with the thumbprint")
    };
    assert_eq!(back.thumbprint(), certificate.thumbprint());
    assert_eq!(back.not_after(), certificate.not_after());
    // The key it holds is the certificate's own: it signs an assertion the certificate verifies.
    assert!(
        back.client_assertion("https://login.example/token", APP, now())
            .is_ok()
    );

    // No other entry holds a key in PEM, nor any run of the PKCS#12 file's bytes.
    let runs: std::collections::HashSet<&[u8]> = pfx.windows(16).collect();
    for (name, bytes) in all.iter().filter(|(n, _)| n != CERTIFICATE_AGE) {
        let text = String::from_utf8(bytes.clone()).expect("text entry");
        assert!(!text.contains("PRIVATE KEY"), "{name} holds a key");
        assert!(
            !bytes.windows(16).any(|w| runs.contains(w)),
            "{name} holds part of the PKCS#12 file"
        );
    }
    let settings = String::from_utf8(all[1].1.clone()).expect("settings");
    assert!(settings.contains(&format!(
        "Certificate thumbprint: {}\r\n",
        certificate.thumbprint()
    )));
    assert!(settings.contains("age --decrypt"));
    let report = String::from_utf8(all[2].1.clone()).expect("report");
    assert!(report.contains(&certificate.thumbprint()));
    assert!(report.contains("certificate.pfx.age"));
    let ics = String::from_utf8(all[3].1.clone()).expect("ics");
    assert!(ics.contains(&format!(
        "DTSTART;VALUE=DATE:{}\r\n",
        certificate.not_after().format("%Y%m%d")
    )));
    assert!(ics.contains(&format!("UID:{CERT_KEY_ID}-expires@entra-setup")));
    assert!(ics.contains("certificate"));
}

#[test]
fn a_passphrase_protects_the_age_file_and_the_pfx_inside() {
    let certificate = certificate();
    let passphrase = Secret::new("correct horse battery staple");
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("bundle.zip");
    let request = request(
        &certificate,
        Protection::Passphrase(passphrase.clone()),
        true,
    );
    bundle::export(&request, &out, None).expect("export");
    let all = entries(&out);
    let (_, encrypted) = all
        .iter()
        .find(|(n, _)| n == CERTIFICATE_AGE)
        .expect("certificate.pfx.age");
    let identity = age::scrypt::Identity::new(passphrase.expose().to_string().into());
    let pfx = decrypt(encrypted, &identity);
    let file = dir.path().join("certificate.pfx");
    std::fs::write(&file, &pfx).expect("write pfx");
    let back = Certificate::from_file(&file, Some(&passphrase)).expect("opens with the passphrase");
    assert_eq!(back.thumbprint(), certificate.thumbprint());
    assert!(Certificate::from_file(&file, Some(&Secret::new(certificate.thumbprint()))).is_err());
    let settings = String::from_utf8(all[1].1.clone()).expect("settings");
    assert!(settings.contains("same passphrase"));
}

#[test]
fn without_protection_the_key_stays_out_and_the_record_says_where_it_is() {
    let certificate = certificate();
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("bundle.zip");
    let record = bundle::export(&request(&certificate, Protection::None, false), &out, None)
        .expect("export");
    assert_eq!(
        record.certificate.as_ref().map(|c| c.storage),
        Some(SecretStorage::Keyring)
    );
    let opened = bundle::open(&out).expect("opens");
    assert!(!opened.has_encrypted_certificate());
    assert!(opened.entries.iter().any(|e| e == "secret-rotation.ics"));
}

#[test]
fn protection_without_the_key_at_hand_is_refused() {
    let certificate = certificate();
    let dir = tempfile::tempdir().expect("dir");
    let request = request(
        &certificate,
        Protection::Passphrase(Secret::new("pass phrase")),
        false,
    );
    let error = bundle::export(&request, &dir.path().join("b.zip"), None).expect_err("refused");
    assert!(matches!(error, bundle::BundleError::NoCertificateToEncrypt));
}

#[test]
fn open_accepts_certificate_pfx_age_only_when_bundle_json_announces_it() {
    let certificate = certificate();
    let identity = age::x25519::Identity::generate();
    let dir = tempfile::tempdir().expect("dir");
    let with = dir.path().join("with.zip");
    let recipients = Protection::Recipients(vec![identity.to_public().to_string()]);
    bundle::export(&request(&certificate, recipients, true), &with, None).expect("export");
    let without = dir.path().join("without.zip");
    bundle::export(
        &request(&certificate, Protection::None, false),
        &without,
        None,
    )
    .expect("export");
    let refused = |path: &Path| bundle::open(path).expect_err("refused").to_string();

    // The key's entry missing although bundle.json says it is there.
    let mut missing = entries(&with);
    missing.retain(|(n, _)| n != CERTIFICATE_AGE);
    let file = dir.path().join("missing.zip");
    rezip(&missing, &file);
    let message = refused(&file);
    assert!(
        message.contains("it has no certificate.pfx.age") && message.contains("private key"),
        "{message}"
    );

    // The key's entry present although bundle.json says it is not.
    let mut extra = entries(&without);
    let age_entry = entries(&with)
        .into_iter()
        .find(|(n, _)| n == CERTIFICATE_AGE)
        .expect("age");
    extra.push(age_entry);
    let file = dir.path().join("extra.zip");
    rezip(&extra, &file);
    let message = refused(&file);
    assert!(
        message.contains("it has certificate.pfx.age, but"),
        "{message}"
    );

    // certificate.pfx.age that is not an age file.
    let mut plain = entries(&with);
    for (name, bytes) in &mut plain {
        if name == CERTIFICATE_AGE {
            *bytes = b"0\x82not age".to_vec();
        }
    }
    let file = dir.path().join("plain.zip");
    rezip(&plain, &file);
    assert!(refused(&file).contains("certificate.pfx.age is not an age-encrypted file"));

    // A thumbprint that is not one, and a storage that is not one of the three.
    for (from, to, expected) in [
        (
            certificate.thumbprint(),
            "not-a-thumbprint".to_string(),
            "certificate.thumbprint is 'not-a-thumbprint'",
        ),
        (
            "\"storage\": \"keyring\"".to_string(),
            "\"storage\": \"paper\"".to_string(),
            "certificate.storage is 'paper'",
        ),
    ] {
        let mut bad = entries(&without);
        let json = String::from_utf8(bad[0].1.clone()).expect("json");
        // The certificate's storage is the second `storage` of bundle.json (after the secret's).
        let at = json.rfind(from.as_str()).expect("field");
        let patched = format!("{}{}{}", &json[..at], to, &json[at + from.len()..]);
        bad[0].1 = patched.into_bytes();
        let file = dir.path().join("bad.zip");
        rezip(&bad, &file);
        let message = refused(&file);
        assert!(message.contains(expected), "{message}");
    }
}

#[test]
fn the_reminder_is_the_certificates() {
    let certificate = certificate();
    let dir = tempfile::tempdir().expect("dir");
    let registry = Registry::at(dir.path());
    let exported = bundle::export_and_remind(
        &request(&certificate, Protection::None, false),
        &dir.path().join("b.zip"),
        None,
        &registry,
    )
    .expect("export");
    let bundle::ExportReminder::Kept(kept) = exported.reminder else {
        panic!("no reminder kept");
    };
    assert_eq!(kept.kind, CredentialType::Certificate);
    assert_eq!(kept.key_id, CERT_KEY_ID);
    assert_eq!(kept.expires, certificate.not_after());
    assert_eq!(registry.list().expect("list"), vec![kept]);
}

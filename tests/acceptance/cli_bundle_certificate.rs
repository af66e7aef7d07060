//! A bundle of an app that proves itself with a certificate, through the real binary against the
//! stand-in (inside a private Secret Service session, as `cli_certificates.rs` starts one):
//! `register --credential certificate`, then `bundle export --certificate-from-keyring
//! --passphrase-env VAR` writes `certificate.pfx.age`, which decrypts with the passphrase (the age
//! format, read here with the age library) into a PKCS#12 file whose certificate is the registered
//! one (same thumbprint) with its private key; `bundle.json` records thumbprint, key id, expiry
//! and `storage: age`; `settings.txt` names the thumbprint; the calendar and the reminder follow
//! the certificate; `bundle inspect` shows it; no plain entry, output or file of the home folder
//! holds the private key. With `--recipient` the same entry decrypts with the age identity;
//! `--secret-expires` beside a certificate is refused.

use std::collections::BTreeMap;
use std::io::Read;

use entra_setup_core::credentials::{Certificate, certificate_key};
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::{KeyringStore, SecretStore};
use entra_setup_tests::cli::{files_under, reminders_list, run};
use entra_setup_tests::keyring_session;
use entra_setup_tests::stand_in::StandIn;
use serde_json::json;

const PASSPHRASE_VAR: &str = "ENTRA_SETUP_TEST_BUNDLE_PASSPHRASE";
const PASSPHRASE: &str = "correct horse battery staple";

const NAME: &str =
    "cli_bundle_certificate::a_registered_certificate_goes_into_certificate_pfx_age_with_its_key";

/// The base64 lines of a PEM's `PRIVATE KEY` block: what a leaked key would show.
fn key_lines(pem_text: &str) -> Vec<String> {
    pem_text
        .split("-----BEGIN PRIVATE KEY-----")
        .nth(1)
        .and_then(|rest| rest.split("-----END PRIVATE KEY-----").next())
        .expect("a PRIVATE KEY block")
        .lines()
        .map(str::trim)
        .filter(|line| line.len() >= 32)
        .map(str::to_string)
        .collect()
}

fn zip_entries(path: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("bundle")).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("read");
            (file.name().expect("name").into_owned(), bytes)
        })
        .collect()
}

#[test]
fn a_registered_certificate_goes_into_certificate_pfx_age_with_its_key() {
    if keyring_session::inside() {
        inside_the_session();
        return;
    }
    keyring_session::rerun_inside(NAME);
}

fn inside_the_session() {
    let stand_in = StandIn::start_with("contoso", |scenario| {
        scenario["tenants"][0]["applications"] = json!([]);
        scenario["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let home = tempfile::tempdir().expect("home");
    let verbose = [("RUST_LOG", "trace"), (PASSPHRASE_VAR, PASSPHRASE)];
    let registered = run(
        home.path(),
        Some(&stand_in),
        &[
            "register",
            "--json",
            "--tenant",
            "contoso.com",
            "--profile",
            "custom",
            "--credential",
            "certificate",
            "--cert-days",
            "90",
        ],
        None,
        &verbose,
    );
    assert_eq!(registered.code, Some(0), "{registered:?}");
    let result = registered.json();
    let thumbprint = result["certificate"]["thumbprint"]
        .as_str()
        .expect("thumbprint")
        .to_string();
    let key_id = result["certificate"]["key_id"]
        .as_str()
        .expect("key id")
        .to_string();
    let client_id = result["client_id"].as_str().expect("client id").to_string();
    let tenant_id = result["verify"]["tenant_id"]
        .as_str()
        .expect("tenant id")
        .to_string();
    let store = KeyringStore::default();
    let entry = store
        .get(&certificate_key(&tenant_id, &client_id, None))
        .expect("read")
        .expect("entry");
    let lines = key_lines(entry.expose());
    assert!(!lines.is_empty());

    let out_dir = tempfile::tempdir().expect("out");
    let export = |out: &std::path::Path, protection: &[&str]| {
        run(
            home.path(),
            Some(&stand_in),
            &[
                &[
                    "bundle",
                    "export",
                    "--json",
                    "--tenant",
                    "contoso.com",
                    "--profile",
                    "custom",
                    "--client-id",
                    &client_id,
                    "--certificate-from-keyring",
                    "--out",
                    out.to_str().expect("utf-8 path"),
                ],
                protection,
            ]
            .concat(),
            None,
            &verbose,
        )
    };
    let out = out_dir.path().join("intranet.zip");
    let exported = export(&out, &["--passphrase-env", PASSPHRASE_VAR]);
    assert_eq!(exported.code, Some(0), "{exported:?}");
    let answer = exported.json();
    let certificate_record = &answer["bundle"]["certificate"];
    assert_eq!(certificate_record["thumbprint"], thumbprint.as_str());
    assert_eq!(certificate_record["key_id"], key_id.as_str());
    assert_eq!(certificate_record["storage"], "age");
    assert!(certificate_record["expires"].is_string(), "{answer:#}");
    assert_eq!(answer["bundle"]["secret"]["storage"], "none", "{answer:#}");
    assert_eq!(
        answer["entries"],
        json!([
            "bundle.json",
            "settings.txt",
            "REPORT.html",
            "secret-rotation.ics",
            "certificate.pfx.age"
        ]),
        "{answer:#}"
    );

    let files = zip_entries(&out);
    let identity =
        age::scrypt::Identity::new(age::secrecy::SecretString::from(PASSPHRASE.to_string()));
    let pfx = age::decrypt(&identity, &files["certificate.pfx.age"])
        .expect("certificate.pfx.age decrypts with the passphrase");
    let pfx_file = out_dir.path().join("certificate.pfx");
    std::fs::write(&pfx_file, &pfx).expect("write");
    let back = Certificate::from_file(&pfx_file, Some(&Secret::new(PASSPHRASE)))
        .expect("the .pfx opens with the same passphrase, its key matching its certificate");
    assert_eq!(back.thumbprint(), thumbprint, "the registered certificate");
    std::fs::remove_file(&pfx_file).expect("remove the decrypted .pfx");

    let settings = String::from_utf8(files["settings.txt"].clone()).expect("settings");
    assert!(
        settings.contains(&format!("Certificate thumbprint: {thumbprint}\r\n")),
        "{settings}"
    );
    assert!(settings.contains("age --decrypt"), "{settings}");
    let ics = String::from_utf8(files["secret-rotation.ics"].clone()).expect("ics");
    assert!(
        ics.contains(&format!("UID:{key_id}-expires@entra-setup")),
        "{ics}"
    );
    // The reminder is the certificate's, as register kept it.
    let reminders = reminders_list(home.path());
    let reminder = reminders["secrets"]
        .as_array()
        .expect("reminders")
        .iter()
        .find(|r| r["key_id"] == key_id.as_str())
        .cloned()
        .unwrap_or_else(|| panic!("{key_id} in {reminders:#}"));
    assert_eq!(reminder["kind"], "certificate", "{reminders:#}");
    assert_eq!(reminder["source"], "bundle export", "{reminders:#}");

    let inspected = run(
        home.path(),
        None,
        &["bundle", "inspect", out.to_str().expect("utf-8 path")],
        None,
        &[],
    );
    assert_eq!(inspected.code, Some(0), "{inspected:?}");
    assert!(
        inspected
            .stdout
            .contains(&format!("Certificate: {thumbprint} ID {key_id}")),
        "{}",
        inspected.stdout
    );
    assert!(
        inspected.stdout.contains("(private key: age)"),
        "{}",
        inspected.stdout
    );

    // To a recipient: the same entry, for the age identity.
    let recipient = age::x25519::Identity::generate();
    let to_key = out_dir.path().join("to-key.zip");
    let public = recipient.to_public().to_string();
    let exported_to_key = export(&to_key, &["--recipient", &public]);
    assert_eq!(exported_to_key.code, Some(0), "{exported_to_key:?}");
    let pfx = age::decrypt(&recipient, &zip_entries(&to_key)["certificate.pfx.age"])
        .expect("decrypts with the identity");
    let pfx_file = out_dir.path().join("to-key.pfx");
    std::fs::write(&pfx_file, &pfx).expect("write");
    let back = Certificate::from_file(&pfx_file, Some(&Secret::new(thumbprint.clone())))
        .expect("the .pfx opens with the thumbprint");
    assert_eq!(back.thumbprint(), thumbprint);
    std::fs::remove_file(&pfx_file).expect("remove the decrypted .pfx");

    // A certificate has its own end date: an expiry given by hand is refused, nothing written.
    let dated = out_dir.path().join("dated.zip");
    let refused = export(&dated, &["--secret-expires", "2027-01-01"]);
    assert_eq!(refused.code, Some(64), "{refused:?}");
    assert!(
        refused.stderr.contains("--secret-expires"),
        "{}",
        refused.stderr
    );
    assert!(!dated.exists());

    // The private key is in no plain entry, output, or file of the home folder.
    for bundle in [&out, &to_key] {
        for (name, bytes) in zip_entries(bundle) {
            if name == "certificate.pfx.age" {
                continue;
            }
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("PRIVATE KEY"), "a key block in {name}");
            for line in &lines {
                assert!(!text.contains(line.as_str()), "the private key in {name}");
            }
        }
    }
    let outputs = [
        ("export's stdout", &exported.stdout),
        ("export's stderr", &exported.stderr),
        ("export to a key's stderr", &exported_to_key.stderr),
        ("inspect's stdout", &inspected.stdout),
    ];
    for (name, text) in outputs {
        assert!(!text.contains("PRIVATE KEY"), "a key block in {name}");
        assert!(!text.contains(PASSPHRASE), "the passphrase in {name}");
        for line in &lines {
            assert!(!text.contains(line.as_str()), "the private key in {name}");
        }
    }
    for (path, bytes) in files_under(home.path()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(PASSPHRASE),
            "the passphrase in {}",
            path.display()
        );
        for line in &lines {
            assert!(
                !text.contains(line.as_str()),
                "the private key in {}",
                path.display()
            );
        }
    }
}

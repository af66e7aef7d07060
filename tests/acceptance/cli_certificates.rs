//! Certificate credentials through the real binary against the stand-in: `register --credential
//! certificate` keeps the private key in the OS keychain and prints the thumbprint, then `verify
//! --certificate-from-keyring` passes with a client assertion (inside a private Secret Service
//! session, as `keychain.rs` starts one); without a keychain `register --credential certificate`
//! refuses before signing in; a seed product refuses a certificate; a certificate the
//! registration does not have (`--certificate-file`, its key encrypted in PEM or PKCS#12) fails
//! `certificate_not_registered`; `rotate-secret --credential certificate` adds a second one and
//! removes the first only while the second works; no private key appears in any file, log or
//! output.

use entra_setup_core::credentials::{Certificate, certificate_key, store_certificate};
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::{KeyringStore, MemoryStore, SecretStore};
use entra_setup_tests::cli::{entra_setup, files_under, reminders_list, run};
use entra_setup_tests::keyring_session;
use entra_setup_tests::stand_in::StandIn;
use serde_json::{Value, json};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const REDIRECT: &str = "https://intranet.contoso.com/oauth2/callback";
const PASSWORD_VAR: &str = "ENTRA_SETUP_TEST_CERT_PASSWORD";
const PASSWORD: &str = "correct horse battery staple";

const NAME: &str = "cli_certificates::register_then_verify_with_the_keychains_certificate";

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

/// The certificate's private key as PEM, as the keychain would hold it (read back through an
/// in-memory store).
fn plain_key_lines(certificate: &Certificate) -> Vec<String> {
    let store = MemoryStore::default();
    store_certificate(&store, "t", "c", "k", certificate).expect("kept");
    let text = store
        .get(&certificate_key("t", "c", None))
        .expect("read")
        .expect("kept");
    key_lines(text.expose())
}

fn assert_no_key(lines: &[String], outputs: &[(&str, &str)], home: &std::path::Path) {
    for (name, text) in outputs {
        assert!(!text.contains("PRIVATE KEY"), "a key block in {name}");
        for line in lines {
            assert!(!text.contains(line.as_str()), "the private key in {name}");
        }
    }
    for (path, bytes) in files_under(home) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("PRIVATE KEY"),
            "a key block in {}",
            path.display()
        );
        for line in lines {
            assert!(
                !text.contains(line.as_str()),
                "the private key in {}",
                path.display()
            );
        }
    }
}

#[test]
fn an_unregistered_certificate_fails_and_a_certificate_needs_a_keychain_and_a_product_that_takes_one()
 {
    let stand_in = StandIn::start_with("contoso", |s| {
        s["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let home = tempfile::tempdir().expect("home");
    let verbose = [("RUST_LOG", "trace"), (PASSWORD_VAR, PASSWORD)];

    // No keychain: refused before anyone signs in.
    let refused = entra_setup(
        &stand_in,
        home.path(),
        &[
            "register",
            "--tenant",
            "contoso.com",
            "--profile",
            "custom",
            "--redirect-uri",
            REDIRECT,
            "--credential",
            "certificate",
        ],
        None,
        &verbose,
    );
    assert_eq!(refused.code, Some(64), "{refused:?}");
    assert!(refused.stderr.contains("keychain"), "{}", refused.stderr);
    assert!(!refused.stderr.contains("signed in"), "{}", refused.stderr);
    // A seed product takes only a secret.
    let seed = entra_setup(
        &stand_in,
        home.path(),
        &[
            "register",
            "--tenant",
            "contoso.com",
            "--profile",
            "axero-outlook-calendar",
            "--site-url",
            "https://intranet.contoso.com",
            "--credential",
            "certificate",
        ],
        None,
        &verbose,
    );
    assert_eq!(seed.code, Some(64), "{seed:?}");
    assert!(seed.stderr.contains("--credential"), "{}", seed.stderr);

    // A certificate the registration does not have, from an encrypted PEM file.
    let certificate = Certificate::generate("Stranger", chrono::Utc::now(), 30).expect("generate");
    let files = tempfile::tempdir().expect("files");
    let path = files.path().join("stranger.pem");
    let written = certificate
        .to_encrypted_pem(&Secret::new(PASSWORD))
        .expect("encrypted");
    std::fs::write(&path, written.expose()).expect("write");
    let path_text = path.to_str().expect("utf-8 path");
    let verify = |extra: &[&str]| {
        entra_setup(
            &stand_in,
            home.path(),
            &[
                &[
                    "verify",
                    "--json",
                    "--tenant",
                    "contoso.com",
                    "--profile",
                    "custom",
                    "--client-id",
                    APP,
                    "--redirect-uri",
                    REDIRECT,
                ],
                extra,
            ]
            .concat(),
            None,
            &verbose,
        )
    };
    let failed = verify(&[
        "--certificate-file",
        path_text,
        "--certificate-password-env",
        PASSWORD_VAR,
    ]);
    assert_eq!(failed.code, Some(1), "{failed:?}");
    let report = failed.json();
    let check = |id: &str| -> Value {
        report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in {report:#}"))
    };
    let certificate_check = check("client_certificate");
    assert_eq!(certificate_check["status"], "fail", "{report:#}");
    assert_eq!(
        certificate_check["cause"], "certificate_not_registered",
        "{report:#}"
    );
    assert_eq!(check("client_id")["status"], "pass", "{report:#}");
    assert!(
        report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .all(|c| c["id"] != "client_secret")
    );
    // The same certificate as PKCS#12.
    let pfx_path = files.path().join("stranger.pfx");
    std::fs::write(
        &pfx_path,
        certificate
            .to_pfx(&Secret::new(PASSWORD))
            .expect("pfx")
            .as_slice(),
    )
    .expect("write");
    let from_pfx = verify(&[
        "--certificate-file",
        pfx_path.to_str().expect("utf-8 path"),
        "--certificate-password-env",
        PASSWORD_VAR,
    ]);
    assert_eq!(from_pfx.code, Some(1), "{from_pfx:?}");
    assert!(
        from_pfx.stdout.contains("certificate_not_registered"),
        "{}",
        from_pfx.stdout
    );
    // The wrong password, or none, is bad input.
    let wrong = verify(&["--certificate-file", path_text]);
    assert_eq!(wrong.code, Some(64), "{wrong:?}");
    assert!(
        wrong.stderr.contains("--certificate-password-env"),
        "{}",
        wrong.stderr
    );
    // A certificate and a secret together are refused.
    let both = verify(&[
        "--certificate-file",
        path_text,
        "--secret-env",
        PASSWORD_VAR,
    ]);
    assert_eq!(both.code, Some(64), "{both:?}");

    assert_no_key(
        &plain_key_lines(&certificate),
        &[
            ("verify's stdout", &failed.stdout),
            ("verify's stderr", &failed.stderr),
            ("refused register", &refused.stderr),
        ],
        home.path(),
    );
    // The log was on, and the assertion (a JWT) never appears in it.
    assert!(failed.stderr.contains("HTTP POST"), "{}", failed.stderr);
    assert!(!failed.stderr.contains("eyJ") && !failed.stdout.contains("eyJ"));
}

#[test]
fn register_then_verify_with_the_keychains_certificate() {
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
    let verbose = [("RUST_LOG", "trace")];
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
    assert!(result["secret"].is_null(), "{result:#}");
    let thumbprint = result["certificate"]["thumbprint"]
        .as_str()
        .expect("thumbprint")
        .to_string();
    assert_eq!(thumbprint.len(), 40, "{result:#}");
    let key_id = result["certificate"]["key_id"]
        .as_str()
        .expect("key id")
        .to_string();
    assert!(result["certificate"]["expires"].is_string(), "{result:#}");
    let client_id = result["client_id"].as_str().expect("client id").to_string();
    let tenant_id = result["verify"]["tenant_id"]
        .as_str()
        .expect("tenant id")
        .to_string();
    let certificate_check = result["verify"]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == "client_certificate")
        .cloned()
        .expect("client_certificate");
    assert_eq!(certificate_check["status"], "pass", "{result:#}");

    // The key is in the keychain, as the registration's current certificate.
    let store = KeyringStore::default();
    let kept = Certificate::from_keychain(&store, &tenant_id, &client_id)
        .expect("read the keychain")
        .expect("register kept the certificate");
    assert_eq!(kept.thumbprint(), thumbprint);
    let entry = store
        .get(&certificate_key(&tenant_id, &client_id, None))
        .expect("read")
        .expect("entry");
    let lines = key_lines(entry.expose());

    // The reminder knows it is a certificate.
    let reminders = reminders_list(home.path());
    let reminder = reminders["secrets"]
        .as_array()
        .expect("reminders")
        .iter()
        .find(|r| r["key_id"] == key_id.as_str())
        .cloned()
        .unwrap_or_else(|| panic!("{key_id} in {reminders:#}"));
    assert_eq!(reminder["kind"], "certificate", "{reminders:#}");

    let verified = run(
        home.path(),
        Some(&stand_in),
        &[
            "verify",
            "--json",
            "--tenant",
            "contoso.com",
            "--profile",
            "custom",
            "--client-id",
            &client_id,
            "--certificate-from-keyring",
        ],
        None,
        &verbose,
    );
    assert_eq!(verified.code, Some(0), "{verified:?}");
    let report = verified.json();
    let status = |id: &str| {
        report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["status"].clone())
    };
    assert_eq!(
        status("client_certificate"),
        Some(json!("pass")),
        "{report:#}"
    );
    assert_eq!(status("client_id"), Some(json!("pass")), "{report:#}");

    // Rotation: a second certificate beside the first, kept as the current one; the first is
    // removed only while the second works, and the last one is not removed.
    let rotate = |extra: &[&str]| {
        run(
            home.path(),
            Some(&stand_in),
            &[
                &[
                    "rotate-secret",
                    "--json",
                    "--tenant",
                    "contoso.com",
                    "--client-id",
                    &client_id,
                    "--credential",
                    "certificate",
                ],
                extra,
            ]
            .concat(),
            None,
            &verbose,
        )
    };
    let rotated = rotate(&["--cert-days", "60"]);
    assert_eq!(rotated.code, Some(0), "{rotated:?}");
    let rotation = rotated.json();
    let new_thumbprint = rotation["certificate"]["thumbprint"]
        .as_str()
        .expect("thumbprint")
        .to_string();
    let new_key_id = rotation["certificate"]["key_id"]
        .as_str()
        .expect("key id")
        .to_string();
    assert_ne!(new_thumbprint, thumbprint);
    assert_eq!(rotation["certificate"]["confirmed"], true, "{rotation:#}");
    let current = Certificate::from_keychain(&store, &tenant_id, &client_id)
        .expect("read")
        .expect("kept");
    assert_eq!(
        current.thumbprint(),
        new_thumbprint,
        "the new one is current"
    );
    let removed = rotate(&["--remove", &key_id, "--certificate-from-keyring"]);
    assert_eq!(removed.code, Some(0), "{removed:?}");
    let removal = removed.json();
    assert_eq!(removal["removed"], true, "{removal:#}");
    assert_eq!(removal["kept"], new_key_id.as_str(), "{removal:#}");
    let last = rotate(&["--remove", &new_key_id]);
    assert_eq!(last.code, Some(1), "{last:?}");
    assert!(last.stderr.contains("only certificate"), "{}", last.stderr);
    let after = run(
        home.path(),
        Some(&stand_in),
        &[
            "verify",
            "--json",
            "--tenant",
            "contoso.com",
            "--profile",
            "custom",
            "--client-id",
            &client_id,
            "--certificate-from-keyring",
        ],
        None,
        &verbose,
    );
    assert_eq!(after.code, Some(0), "{after:?}");
    let new_entry = store
        .get(&certificate_key(&tenant_id, &client_id, None))
        .expect("read")
        .expect("entry");
    let mut all_lines = lines;
    all_lines.extend(key_lines(new_entry.expose()));

    assert_no_key(
        &all_lines,
        &[
            ("register's stdout", &registered.stdout),
            ("register's stderr", &registered.stderr),
            ("verify's stdout", &verified.stdout),
            ("verify's stderr", &verified.stderr),
            ("rotate's stdout", &rotated.stdout),
            ("rotate's stderr", &rotated.stderr),
            ("remove's stderr", &removed.stderr),
            ("last verify's stderr", &after.stderr),
        ],
        home.path(),
    );
}

//! The real OS keychain on Linux: a Secret Service (gnome-keyring) in a private D-Bus session
//! that this test starts for itself, so it runs the same on a desktop, a server and CI.
//!
//! The test re-executes itself under `dbus-run-session` with an unlocked gnome-keyring; inside,
//! it stores, reads back and deletes an entry through the keyring backend, then runs the real
//! binary: `register` keeps the new secret in the keychain (no `--show-secret`), `verify
//! --secret-from-keyring` and `bundle export --secret-from-keyring` use it; `register` run again
//! finds the registration's secret there and adds none; with the collection locked, `register`
//! refuses (exit 64, "unlock") before it signs in or changes anything.

use std::process::Command;

use entra_setup_core::secrets::{KeyringStore, Secret, SecretKey, SecretStore};
use entra_setup_tests::cli::{reminders_list, run};
use entra_setup_tests::keyring_session;
use entra_setup_tests::stand_in::StandIn;
use serde_json::{Value, json};

const NAME: &str = "keychain::secret_service_round_trip_and_the_commands_that_use_it";

#[test]
fn secret_service_round_trip_and_the_commands_that_use_it() {
    if keyring_session::inside() {
        inside_the_session();
        return;
    }
    keyring_session::rerun_inside(NAME);
}

fn inside_the_session() {
    // The keyring backend itself.
    let store = KeyringStore::with_service("entra-setup-test");
    let key = SecretKey::with_key_id(
        "3f2b8c1e-6a4d-4e2b-9c7f-1a2b3c4d5e6f",
        "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "0b4f3e1c-2d5a-4c6b-8e7f-9a0b1c2d3e4f",
    );
    let value = Secret::new("Kq8~round-trip-value-0123456789");
    store.probe().expect("a Secret Service answers");
    store.put(&key, &value).expect("store");
    assert_eq!(store.get(&key).expect("read"), Some(value.clone()));
    store
        .put(&key, &Secret::new("Kq8~replaced"))
        .expect("replace");
    assert_eq!(
        store.get(&key).expect("read").map(|s| s.hint()),
        Some("Kq8".into())
    );
    assert!(store.delete(&key).expect("delete"));
    assert_eq!(store.get(&key).expect("read after delete"), None);
    assert!(!store.delete(&key).expect("delete again"));

    // The commands: register keeps the secret, verify and bundle export read it.
    let stand_in = StandIn::start_with("contoso", |scenario| {
        scenario["tenants"][0]["applications"] = json!([]);
        scenario["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let home = tempfile::tempdir().expect("home");
    let site = ["--site-url", "https://intranet.contoso.com"];
    let mut args = vec![
        "register",
        "--json",
        "--tenant",
        "contoso.com",
        "--profile",
        "axero-outlook-calendar",
    ];
    args.extend_from_slice(&site);
    let registered = run(home.path(), Some(&stand_in), &args, None, &[]);
    assert_eq!(registered.code, Some(0), "{registered:?}");
    let result = registered.json();
    assert_eq!(result["secret"]["storage"], "keyring", "{result:#}");
    assert!(result["secret"].get("value").is_none());
    let client_id = result["client_id"].as_str().expect("client id").to_string();
    let key_id = result["secret"]["key_id"]
        .as_str()
        .expect("key id")
        .to_string();
    let tenant_id = result["verify"]["tenant_id"]
        .as_str()
        .expect("tenant id")
        .to_string();

    let kept =
        entra_setup_core::secrets::client_secret(&KeyringStore::default(), &tenant_id, &client_id)
            .expect("read the keychain")
            .expect("register kept the secret");
    let by_key = KeyringStore::default()
        .get(&SecretKey::with_key_id(&tenant_id, &client_id, &key_id))
        .expect("read")
        .expect("kept under its key id too");
    assert_eq!(kept, by_key);
    assert!(
        !registered.stdout.contains(kept.expose()) && !registered.stderr.contains(kept.expose())
    );

    let reminders = reminders_list(home.path());
    assert_eq!(reminders["secrets"][0]["key_id"], key_id.as_str());
    assert_eq!(reminders["secrets"][0]["source"], "register");

    // rotate-secret keeps its new secret the same way: in the keychain as the client's current
    // one, and in the reminders beside the first.
    let rotated = run(
        home.path(),
        Some(&stand_in),
        &[
            "rotate-secret",
            "--json",
            "--tenant",
            "contoso.com",
            "--client-id",
            &client_id,
        ],
        None,
        &[],
    );
    assert_eq!(rotated.code, Some(0), "{rotated:?}");
    let rotation = rotated.json();
    assert_eq!(rotation["secret"]["storage"], "keyring", "{rotation:#}");
    assert!(rotation["secret"].get("value").is_none());
    let new_key_id = rotation["secret"]["key_id"].as_str().expect("new key id");
    let current =
        entra_setup_core::secrets::client_secret(&KeyringStore::default(), &tenant_id, &client_id)
            .expect("read the keychain")
            .expect("rotate-secret kept the secret");
    assert!(current != kept, "the rotated secret is now the current one");
    assert!(
        !rotated.stdout.contains(current.expose()) && !rotated.stderr.contains(current.expose())
    );
    let reminders = reminders_list(home.path());
    let sources: Vec<(&str, &str)> = reminders["secrets"]
        .as_array()
        .expect("secrets")
        .iter()
        .map(|r| {
            (
                r["key_id"].as_str().unwrap_or(""),
                r["source"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        sources.contains(&(key_id.as_str(), "register")),
        "{sources:?}"
    );
    assert!(
        sources.contains(&(new_key_id, "rotate-secret")),
        "{sources:?}"
    );

    // The integration, with the secret from the keychain: what verify and bundle export take.
    let from_keyring = [
        "--json",
        "--profile",
        "axero-outlook-calendar",
        "--tenant",
        "contoso.com",
        "--client-id",
        &client_id,
        "--secret-from-keyring",
    ];
    let verified = run(
        home.path(),
        Some(&stand_in),
        &[&["verify"], &from_keyring[..]].concat(),
        None,
        &[],
    );
    let report = verified.json();
    let secret_check = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == "client_secret")
        .expect("client_secret");
    assert_eq!(secret_check["status"], "pass", "{secret_check:#}");

    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let out = home.path().join("bundle.zip");
    // `bundle export` to `out` with the secret from the keychain, and `more` options.
    let export = |out: &std::path::Path, more: &[&str]| {
        let mut args = vec!["bundle", "export"];
        args.extend_from_slice(&from_keyring);
        args.extend_from_slice(&[
            "--site-url",
            "https://intranet.contoso.com",
            "--out",
            out.to_str().expect("path"),
        ]);
        args.extend_from_slice(more);
        run(home.path(), Some(&stand_in), &args, None, &[])
    };
    let exported = export(&out, &["--recipient", &recipient]);
    assert_eq!(exported.code, Some(0), "{exported:?}");
    let record = &exported.json()["bundle"];
    assert_eq!(record["secret"]["storage"], "age");
    assert_eq!(
        record["secret"]["key_id"],
        key_id.as_str(),
        "the key id from the reminders"
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).expect("bundle")).expect("zip");
    let mut encrypted = Vec::new();
    std::io::Read::read_to_end(
        &mut zip.by_name("secret.age").expect("secret.age"),
        &mut encrypted,
    )
    .expect("read");
    let plain = age::decrypt(&identity, &encrypted).expect("decrypt");
    assert!(
        plain == current.expose().as_bytes(),
        "secret.age holds the current secret"
    );

    // Without a recipient the value stays in the keychain, and settings.txt says where.
    let kept_only = home.path().join("keychain-only.zip");
    let exported = export(&kept_only, &[]);
    assert_eq!(exported.code, Some(0), "{exported:?}");
    assert_eq!(exported.json()["bundle"]["secret"]["storage"], "keyring");
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(&kept_only).expect("bundle")).expect("zip");
    assert!(zip.by_name("secret.age").is_err());
    let mut settings = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("settings.txt").expect("settings.txt"),
        &mut settings,
    )
    .expect("read");
    assert!(
        settings.contains(&format!("account {tenant_id}/{client_id}")),
        "{settings}"
    );
    assert!(!settings.contains(current.expose()));

    // Running register again for the registration finds its secret in the keychain by its ID:
    // nothing is added, and the secret is verified.
    let mut again = args.clone();
    again.extend_from_slice(&["--client-id", &client_id]);
    let rerun = run(home.path(), Some(&stand_in), &again, None, &[]);
    assert_eq!(rerun.code, Some(0), "{rerun:?}");
    let rerun = rerun.json();
    assert_eq!(rerun["changes"], json!([]), "{rerun:#}");
    assert_eq!(rerun["secret"], Value::Null, "{rerun:#}");
    let secret_check = rerun["verify"]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == "client_secret")
        .cloned()
        .expect("client_secret");
    assert_eq!(
        secret_check["status"], "pass",
        "the kept secret is verified"
    );

    for key in [
        SecretKey::current(&tenant_id, &client_id),
        SecretKey::with_key_id(&tenant_id, &client_id, &key_id),
        SecretKey::with_key_id(&tenant_id, &client_id, new_key_id),
    ] {
        KeyringStore::default().delete(&key).expect("clean up");
    }

    // A locked keychain still answers reads but keeps nothing: register refuses before it
    // changes anything in the tenant.
    let locked = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .output()
        .expect("dbus-send");
    assert!(locked.status.success(), "{locked:?}");
    let empty = StandIn::start_with("contoso", |scenario| {
        scenario["tenants"][0]["applications"] = json!([]);
        scenario["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let refused = run(home.path(), Some(&empty), &args, None, &[]);
    assert_eq!(refused.code, Some(64), "{refused:?}");
    assert!(refused.stderr.contains("unlock"), "{}", refused.stderr);
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
}

//! The bundle's commands (`src-tauri/src/commands/bundle.rs`) through the IPC: exporting the
//! setup under way into the temporary folder (written atomically: a crash's leftover is cleared
//! and an older bundle replaced whole), with the secret held protected by a passphrase, with the
//! reminder of a known secret, refusals of an export form, and opening a bundle back into the
//! wizard.
//!
//! `bundle_choose_save_path` and `bundle_choose_open_path` only open the system's file dialogs
//! (tauri-plugin-dialog) and take `AppHandle<Wry>`, so the mock runtime cannot call them (see
//! `main.rs`); what the admin picks there reaches `bundle_export` and `bundle_open` as the full
//! paths these tests send.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::{CLIENT_ID, Harness, PROFILE, SECRET_KEY_ID, SECRET_VALUE, TENANT_ID};

/// A setup of the stand-in's registered calendar app, its IDs entered.
fn registered_app_setup(app: &Harness) {
    app.start(PROFILE);
    app.set("tenant", TENANT_ID);
    app.set("client_id", CLIENT_ID);
}

/// A folder for bundles in the temporary home.
fn exports(app: &Harness) -> PathBuf {
    let dir = app.home.path().join("exports");
    std::fs::create_dir_all(&dir).expect("exports folder");
    dir
}

fn export(app: &Harness, path: &Path, passphrase: Option<&str>) -> Value {
    app.ok(
        "bundle_export",
        json!({ "form": {
            "path": path.display().to_string(),
            "recipients": "",
            "passphrase": passphrase,
        }}),
    )
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_bundle_is_written_atomically_into_the_chosen_folder() {
    let app = Harness::new();
    registered_app_setup(&app);
    let dir = exports(&app);
    let path = dir.join("contoso-axero.zip");
    std::fs::write(&path, "an older bundle").expect("older bundle");
    std::fs::write(dir.join("contoso-axero.zip.tmp-crashed"), "half a bundle").expect("leftover");

    let outcome = export(&app, &path, None);
    assert_eq!(outcome["path"], path.display().to_string());
    assert_eq!(outcome["storage"], "none", "no secret value in the bundle");
    let entries = outcome["entries"].to_string();
    for entry in ["bundle.json", "settings.txt", "REPORT.html"] {
        assert!(entries.contains(entry), "{entries}");
    }
    assert!(!entries.contains("secret.age"), "{entries}");
    assert_eq!(
        names_in(&dir),
        ["contoso-axero.zip"],
        "the crash's leftover is gone and no temporary file stays"
    );
    let written = std::fs::read(&path).expect("bundle");
    assert!(
        written.starts_with(b"PK"),
        "the older bundle is replaced by a zip"
    );
}

#[test]
fn a_passphrase_protects_the_secret_held_and_a_known_secret_gets_its_reminder() {
    let app = Harness::new();
    registered_app_setup(&app);
    app.ok(
        "reminders_add",
        json!({ "form": {
            "tenant": crate::DOMAIN,
            "client_id": CLIENT_ID,
            "key_id": SECRET_KEY_ID,
            "expires": "2099-01-01",
            "name": "Intranet Outlook Calendar",
        }}),
    );
    app.ok("wizard_set_secret", json!({ "value": SECRET_VALUE }));
    let path = exports(&app).join("protected.zip");

    let outcome = export(&app, &path, Some("correct horse battery staple"));
    assert_eq!(outcome["storage"], "age");
    let entries = outcome["entries"].to_string();
    assert!(entries.contains("secret.age"), "{entries}");
    assert!(entries.contains("secret-rotation.ics"), "{entries}");
    assert_eq!(outcome["reminder"]["key_id"], SECRET_KEY_ID);
    assert_eq!(outcome["reminder"]["source"], "bundle export");
    assert!(outcome["reminder_problem"].is_null());
    let bytes = std::fs::read(&path).expect("bundle");
    assert!(
        !bytes
            .windows(SECRET_VALUE.len())
            .any(|w| w == SECRET_VALUE.as_bytes()),
        "the value is only in secret.age, encrypted"
    );
}

#[test]
fn an_export_form_that_cannot_be_used_is_refused_naming_its_field() {
    let app = Harness::new();
    let dir = exports(&app);
    let form = |path: String, recipients: &str, passphrase: Option<&str>| json!({ "form": { "path": path, "recipients": recipients, "passphrase": passphrase } });
    let at = |name: &str| dir.join(name).display().to_string();
    let refusal = app.refused("bundle_export", form(at("b.zip"), "", None));
    assert_eq!(refusal.code, "no_wizard");

    registered_app_setup(&app);
    for (args, field) in [
        (form("bundle.zip".into(), "", None), "path"),
        (form(at("bundle.txt"), "", None), "path"),
        (
            form(at("b.zip"), "not-an-age-recipient", None),
            "recipients",
        ),
        (form(at("b.zip"), "", Some("a passphrase")), "secret.age"),
    ] {
        let refusal = app.refused("bundle_export", args.clone());
        assert_eq!(refusal.code, "invalid_input", "{args}: {}", refusal.message);
        assert!(
            refusal.message.starts_with(field),
            "{args}: {}",
            refusal.message
        );
    }
    assert!(names_in(&dir).is_empty(), "nothing written");
}

#[test]
fn the_export_form_is_checked_field_by_field_as_it_is_typed() {
    let app = Harness::new();
    let dir = exports(&app);
    let check = |path: &str, recipients: &str, passphrase_given: bool| {
        app.ok(
            "bundle_check_form",
            json!({ "draft": {
                "path": path,
                "recipients": recipients,
                "passphrase_given": passphrase_given,
            }}),
        )
    };
    let fields = |issues: serde_json::Value| -> Vec<String> {
        issues
            .as_array()
            .expect("issues")
            .iter()
            .map(|i| i["field"].as_str().expect("field").to_string())
            .collect()
    };
    let path = dir.join("b.zip").display().to_string();
    assert_eq!(
        check("", "", false),
        json!([]),
        "an empty path is not yet wrong"
    );
    assert_eq!(check(&path, "", true), json!([]));
    assert_eq!(fields(check("b.zip", "", false)), ["path"]);
    assert_eq!(
        fields(check(&path, "age1notarecipient", true)),
        ["recipients"],
        "recipients and a passphrase"
    );
    assert!(names_in(&dir).is_empty(), "nothing written");
}

#[test]
fn an_exported_bundle_opens_into_the_wizard() {
    let app = Harness::new();
    registered_app_setup(&app);
    let path = exports(&app).join("resume.zip");
    export(&app, &path, None);
    let before = app.ok("wizard_resume", json!({}))["view"]["session"].clone();
    app.ok("wizard_close", json!({}));

    let view = app.ok(
        "bundle_open",
        json!({ "path": path.display().to_string(), "demo": null }),
    );
    assert_eq!(view["profile"], PROFILE);
    assert_eq!(view["inputs"]["client_id"], CLIENT_ID);
    assert_eq!(view["inputs"]["site_url"], crate::SITE);
    assert_ne!(view["session"], before, "a session of its own");
    assert!(
        app.paths.config_dir().join("wizard.json").is_file(),
        "saved"
    );

    let not_a_bundle = exports(&app).join("holiday.zip");
    std::fs::write(&not_a_bundle, "no zip").expect("file");
    let refusal = app.refused(
        "bundle_open",
        json!({ "path": not_a_bundle.display().to_string(), "demo": null }),
    );
    assert_eq!(refusal.code, "bundle_refused", "{}", refusal.message);
    let refusal = app.refused("bundle_open", json!({ "path": "  ", "demo": null }));
    assert_eq!(refusal.code, "invalid_input");
    assert!(refusal.message.starts_with("path:"), "{}", refusal.message);
}

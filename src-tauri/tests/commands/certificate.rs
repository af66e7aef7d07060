//! The certificate's commands (`src-tauri/src/commands/certificate.rs`) through the IPC, against
//! the stand-in's Contoso on the harness's one clock: the custom profile (whose product takes a
//! certificate) offers the choice and a seed profile does not; a certificate is made and
//! uploaded with the administrator's sign-in, its key kept in the (in-memory) keychain and its
//! reminder kept; the credential step verifies it (`client_certificate`, `certificate_expiry`);
//! the bundle carries its thumbprint and, with a passphrase, `certificate.pfx.age`; and after the
//! setup is closed the certificate the keychain keeps is used again.
//!
//! These tests put the app's clock and the stand-in's on the instant the test starts rather than
//! on [`crate::NOW`]: the core signs a client assertion with the system clock (not the context's
//! injected one), and the stand-in, like Microsoft, accepts an assertion only within five
//! minutes of its own time. Both clocks stay fixed on that instant for the whole test.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use entra_setup_core::bundle;
use entra_setup_core::credentials::Certificate;
use serde_json::{Value, json};

use crate::{DOMAIN, Harness, Options, PROFILE, TENANT_ID, status_of};

/// The profile whose product takes a client secret or a certificate.
const CUSTOM: &str = "custom";

/// An app whose clock and stand-in read the instant the test starts (see the module's doc).
fn harness() -> (Harness, DateTime<Utc>) {
    let now = Utc::now().trunc_subsecs(0);
    let app = Harness::with(Options {
        now,
        ..Options::default()
    });
    (app, now)
}

/// The day a certificate made at `now` for `days` ends (it starts five minutes before `now`).
fn end_day(now: DateTime<Utc>, days: i64) -> String {
    (now - Duration::minutes(5) + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// The credential step's plan in `view`.
fn credential_step(view: &Value) -> &Value {
    view["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["step"] == "secret")
        .expect("a credential step")
}

/// Start the custom setup against the stand-in, the administrator signed in, a certificate
/// chosen.
fn certificate_setup(app: &Harness) -> Value {
    app.ok("wizard_start", json!({ "profile": CUSTOM, "demo": null }));
    app.set("tenant", DOMAIN);
    app.sign_in();
    app.ok(
        "wizard_set_credential",
        json!({ "credential": "certificate" }),
    )
}

#[test]
fn only_a_product_that_takes_a_certificate_is_offered_one() {
    let app = Harness::new();
    let view = app.ok("wizard_start", json!({ "profile": CUSTOM, "demo": null }));
    assert_eq!(
        view["secret"]["credentials"],
        json!(["secret", "certificate"])
    );
    assert_eq!(view["secret"]["credential"], "secret");
    assert_eq!(
        credential_step(&view)["checks"],
        json!(["client_secret", "secret_expiry"])
    );

    app.set("tenant", TENANT_ID);
    app.set("client_id", "bbbbbbbb-0000-0000-0000-000000000001");
    let view = app.ok(
        "wizard_set_credential",
        json!({ "credential": "certificate" }),
    );
    assert_eq!(view["secret"]["credential"], "certificate");
    assert!(view["secret"]["certificate"].is_null(), "none made yet");
    let step = credential_step(&view);
    assert_eq!(
        step["checks"],
        json!(["client_certificate", "certificate_expiry"])
    );
    assert_eq!(step["readiness"]["missing"], json!(["certificate"]));
    // A certificate's own end date is known: the export asks for no secret's expiry.
    assert_eq!(view["secret"]["expiry_known"], true);
    assert_eq!(
        app.ok("keychain_status", json!({})),
        json!({ "available": true, "has_secret": false, "has_certificate": false, "message": null })
    );
    // The step's checks wait for a certificate rather than fail.
    let view = app.ok(
        "wizard_check",
        json!({ "step": "secret", "onProgress": app.channel().arg() }),
    );
    assert_eq!(status_of(&view, "client_certificate"), "skipped");

    // A seed product takes only a client secret: no choice, and a certificate is refused.
    let view = app.start(PROFILE);
    assert_eq!(view["secret"]["credentials"], json!([]));
    assert_eq!(view["secret"]["credential"], "secret");
    let refusal = app.refused(
        "wizard_set_credential",
        json!({ "credential": "certificate" }),
    );
    assert_eq!(refusal.code, "invalid_input");
    assert!(
        refusal.message.starts_with("credential:"),
        "{}",
        refusal.message
    );
    let refusal = app.refused(
        "wizard_new_certificate",
        json!({ "days": 90, "until": null }),
    );
    assert_eq!(refusal.code, "invalid_input", "{}", refusal.message);
}

#[test]
fn a_certificate_is_made_verified_exported_and_used_again_from_the_keychain() {
    let (app, now) = harness();
    certificate_setup(&app);

    // "Create it for me" with a certificate chosen: the registration and its certificate.
    let outcome = app.ok("wizard_register", json!({ "secretDays": 90 }));
    let changes = outcome["changes"].to_string();
    assert!(changes.contains("added certificate"), "{changes}");
    assert!(changes.contains("OS keychain"), "{changes}");
    assert!(
        changes.contains("A reminder is kept for the new certificate"),
        "{changes}"
    );
    let view = &outcome["view"];
    let client_id = view["inputs"]["client_id"]
        .as_str()
        .expect("client id")
        .to_string();
    let shown = &view["secret"]["certificate"];
    let thumbprint = shown["thumbprint"]
        .as_str()
        .expect("thumbprint")
        .to_string();
    assert_eq!(thumbprint.len(), 40, "{shown}");
    assert_eq!(shown["made_here"], true);
    assert!(
        shown["expires"]
            .as_str()
            .is_some_and(|e| e.starts_with(&end_day(now, 90))),
        "90 days from now: {shown}"
    );
    assert!(!view.to_string().contains("PRIVATE KEY"), "no key crosses");

    // Its private key is in the keychain, its reminder in the registry.
    let kept = Certificate::from_keychain(app.keychain.as_ref(), TENANT_ID, &client_id)
        .expect("the keychain answers")
        .expect("the certificate is kept");
    assert_eq!(kept.thumbprint(), thumbprint);
    let reminders = app.ok("reminders_list", json!({}));
    let standing = reminders["standings"]
        .as_array()
        .expect("standings")
        .iter()
        .find(|s| s["client_id"] == client_id.as_str())
        .unwrap_or_else(|| panic!("a reminder for {client_id}: {reminders}"))
        .clone();
    assert_eq!(standing["kind"], "certificate", "{standing}");
    let reminder_key = standing["key_id"].as_str().expect("key id").to_string();

    // The credential step proves the app with the certificate.
    app.ok("wizard_go", json!({ "step": "secret" }));
    let progress = app.channel();
    let view = app.ok(
        "wizard_check",
        json!({ "step": "secret", "onProgress": progress.arg() }),
    );
    assert_eq!(status_of(&view, "client_certificate"), "pass", "{view}");
    let expiry = status_of(&view, "certificate_expiry");
    assert!(expiry == "pass" || expiry == "warn", "{expiry}");
    assert!(!app.received(progress).is_empty(), "progress was streamed");

    // The bundle: the thumbprint, and with a passphrase the certificate in certificate.pfx.age.
    let dir = app.home.path().join("exports");
    std::fs::create_dir_all(&dir).expect("exports folder");
    let path = dir.join("custom-certificate.zip");
    let outcome = app.ok(
        "bundle_export",
        json!({ "form": {
            "path": path.display().to_string(),
            "recipients": "",
            "passphrase": "correct horse battery staple",
        }}),
    );
    let entries = outcome["entries"].to_string();
    assert!(entries.contains("certificate.pfx.age"), "{entries}");
    assert!(!entries.contains("secret.age"), "{entries}");
    assert_eq!(outcome["certificate"]["thumbprint"], thumbprint.as_str());
    assert_eq!(outcome["certificate"]["storage"], "age");
    assert_eq!(outcome["reminder"]["kind"], "certificate", "{outcome}");
    assert!(outcome["reminder_problem"].is_null(), "{outcome}");
    let opened = bundle::open(&path).expect("the bundle opens");
    assert!(opened.has_encrypted_certificate());
    let record = opened
        .record
        .certificate
        .expect("bundle.json names the certificate");
    assert_eq!(record.thumbprint, thumbprint);
    let check_ids: Vec<String> = opened
        .record
        .checks
        .iter()
        .filter_map(|c| c["id"].as_str().map(String::from))
        .collect();
    assert!(
        check_ids.contains(&"client_certificate".to_string()),
        "{check_ids:?}"
    );
    assert!(
        !check_ids.contains(&"client_secret".to_string()),
        "{check_ids:?}"
    );

    // A typed secret expiry beside a certificate is refused, naming the field.
    let refusal = app.refused(
        "bundle_export",
        json!({ "form": {
            "path": dir.join("again.zip").display().to_string(),
            "recipients": "",
            "passphrase": null,
            "secret_expires": "2027-03-01",
        }}),
    );
    assert!(
        refusal.message.starts_with("secret_expires:"),
        "{}",
        refusal.message
    );

    // The bundle opens back into the wizard with the certificate chosen.
    let view = app.ok(
        "bundle_open",
        json!({ "path": path.display().to_string(), "demo": null }),
    );
    assert_eq!(view["secret"]["credential"], "certificate");
    assert_eq!(
        credential_step(&view)["checks"],
        json!(["client_certificate", "certificate_expiry"])
    );
    assert_eq!(view["inputs"]["client_id"], client_id.as_str());

    // After the setup is closed, the certificate the keychain keeps is used again.
    app.ok("wizard_close", json!({}));
    app.ok("wizard_start", json!({ "profile": CUSTOM, "demo": null }));
    app.set("tenant", TENANT_ID);
    app.set("client_id", &client_id);
    app.ok(
        "wizard_set_credential",
        json!({ "credential": "certificate" }),
    );
    assert_eq!(
        app.ok("keychain_status", json!({}))["has_certificate"],
        true
    );
    let view = app.ok("wizard_use_kept_certificate", json!({}));
    assert_eq!(
        view["secret"]["certificate"]["thumbprint"],
        thumbprint.as_str()
    );
    assert_eq!(view["secret"]["certificate"]["made_here"], false);
    let view = app.ok(
        "wizard_check",
        json!({ "step": "secret", "onProgress": app.channel().arg() }),
    );
    assert_eq!(status_of(&view, "client_certificate"), "pass", "{view}");

    // "Rotate now" on the certificate's reminder opens the credential step with the certificate.
    app.ok("wizard_close", json!({}));
    let view = app.ok(
        "reminders_rotate",
        json!({ "keyId": reminder_key, "profile": CUSTOM, "demo": null }),
    );
    assert_eq!(view["step"], "secret");
    assert_eq!(view["inputs"]["client_id"], client_id.as_str());
    assert_eq!(view["secret"]["credential"], "certificate");
}

#[test]
fn a_new_certificate_is_added_beside_the_one_in_use() {
    let (app, now) = harness();
    certificate_setup(&app);
    let first = app.ok("wizard_register", json!({ "secretDays": 90 }));
    let first = first["view"]["secret"]["certificate"]["thumbprint"].clone();
    let outcome = app.ok(
        "wizard_new_certificate",
        json!({ "days": 180, "until": null }),
    );
    let second = &outcome["view"]["secret"]["certificate"];
    assert_ne!(second["thumbprint"], first, "a new certificate");
    assert!(
        second["expires"]
            .as_str()
            .is_some_and(|e| e.starts_with(&end_day(now, 180))),
        "180 days: {second}"
    );
    let view = app.ok(
        "wizard_check",
        json!({ "step": "secret", "onProgress": app.channel().arg() }),
    );
    assert_eq!(status_of(&view, "client_certificate"), "pass", "{view}");

    // Without the sign-in, nothing is made.
    app.ok("wizard_close", json!({}));
    app.ok("wizard_start", json!({ "profile": CUSTOM, "demo": null }));
    app.set("tenant", DOMAIN);
    app.ok(
        "wizard_set_credential",
        json!({ "credential": "certificate" }),
    );
    let refusal = app.refused(
        "wizard_new_certificate",
        json!({ "days": 90, "until": null }),
    );
    assert_eq!(refusal.code, "not_signed_in", "{}", refusal.message);
}

#[test]
fn without_a_keychain_no_certificate_is_made() {
    let app = Harness::with(Options {
        keychain: std::sync::Arc::new(entra_setup_core::secrets::MemoryStore::unavailable()),
        now: Utc::now().trunc_subsecs(0),
        ..Options::default()
    });
    certificate_setup(&app);
    let refusal = app.refused("wizard_register", json!({ "secretDays": 90 }));
    assert_eq!(refusal.code, "keychain_unavailable", "{}", refusal.message);
    assert!(
        refusal.message.starts_with("certificate:"),
        "{}",
        refusal.message
    );
    let view = app.ok("wizard_resume", json!({}))["view"].clone();
    assert_eq!(view["inputs"]["client_id"], "", "no registration was made");
    assert!(view["secret"]["certificate"].is_null());
}

//! The keychain's commands (`src-tauri/src/commands/keychain.rs`) through the IPC, over the
//! core's in-memory keychain: whether it answers and holds a secret for the setup under way,
//! using the secret kept there, a machine without a keychain, and the secret "create it for me"
//! makes kept there with its reminder.

use std::sync::Arc;

use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::{self, MemoryStore};
use serde_json::json;

use crate::{CLIENT_ID, DOMAIN, Harness, Options, PROFILE, SECRET_KEY_ID, SECRET_VALUE, TENANT_ID};

/// The secret the wizard holds in memory for the setup under way.
fn held_secret(app: &Harness) -> Option<String> {
    let session = tauri::async_runtime::block_on(app.state().current()).expect("a setup");
    session.memory.secret.map(|s| s.expose().to_string())
}

#[test]
fn the_keychain_is_asked_for_the_setup_under_way_and_its_secret_used() {
    let app = Harness::new();
    app.start(PROFILE);
    assert_eq!(
        app.ok("keychain_status", json!({})),
        json!({ "available": true, "has_secret": false, "has_certificate": false, "message": null }),
        "nothing to look up before the tenant and client ID"
    );
    // The tenant by its domain: its GUID (the keychain's key) comes from the stand-in.
    app.set("tenant", DOMAIN);
    app.set("client_id", CLIENT_ID);
    assert_eq!(app.ok("keychain_status", json!({}))["has_secret"], false);
    let refusal = app.refused("wizard_use_kept_secret", json!({}));
    assert_eq!(refusal.code, "invalid_input");
    assert!(
        refusal.message.starts_with("client secret:"),
        "{}",
        refusal.message
    );

    secrets::store_client_secret(
        app.keychain.as_ref(),
        TENANT_ID,
        CLIENT_ID,
        SECRET_KEY_ID,
        &Secret::new(SECRET_VALUE),
    )
    .expect("kept");
    assert_eq!(
        app.ok("keychain_status", json!({})),
        json!({ "available": true, "has_secret": true, "has_certificate": false, "message": null })
    );
    let view = app.ok("wizard_use_kept_secret", json!({}));
    assert_eq!(view["secret"]["held"], true);
    assert_eq!(
        view["secret"]["can_reveal"], false,
        "a kept value is not shown"
    );
    assert_eq!(held_secret(&app).as_deref(), Some(SECRET_VALUE));
}

#[test]
fn a_machine_without_a_keychain_is_told_so() {
    let app = Harness::with(Options {
        keychain: Arc::new(MemoryStore::unavailable()),
        ..Options::default()
    });
    app.start(PROFILE);
    app.set("tenant", TENANT_ID);
    app.set("client_id", CLIENT_ID);
    let status = app.ok("keychain_status", json!({}));
    assert_eq!(status["available"], false);
    assert_eq!(status["has_secret"], false);
    assert!(
        status["message"]
            .as_str()
            .is_some_and(|m| m.contains("keychain")),
        "{status}"
    );
    let refusal = app.refused("wizard_use_kept_secret", json!({}));
    assert_eq!(refusal.code, "keychain_unavailable", "{}", refusal.message);
}

#[test]
fn a_secret_the_wizard_makes_is_kept_in_the_keychain_with_its_reminder() {
    let app = Harness::new();
    app.start(PROFILE);
    app.set("tenant", DOMAIN);
    app.sign_in();
    let outcome = app.ok("wizard_register", json!({ "secretDays": 365 }));
    let changes = outcome["changes"].to_string();
    assert!(changes.contains("kept in the OS keychain"), "{changes}");
    let client_id = outcome["view"]["inputs"]["client_id"]
        .as_str()
        .expect("client id")
        .to_string();

    let value = app.ok("wizard_reveal_secret", json!({}));
    let kept = secrets::client_secret(app.keychain.as_ref(), TENANT_ID, &client_id)
        .expect("the keychain answers")
        .expect("the new secret is kept");
    assert_eq!(value, kept.expose(), "the keychain holds the value shown");
    assert_eq!(app.ok("keychain_status", json!({}))["has_secret"], true);

    let reminders = app.ok("reminders_list", json!({}));
    let standing = &reminders["standings"][0];
    assert_eq!(standing["client_id"], client_id.as_str());
    assert_eq!(standing["tenant"], TENANT_ID);
}

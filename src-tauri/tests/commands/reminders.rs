//! The reminders' commands (`src-tauri/src/commands/reminders.rs`) through the IPC, with the
//! reminders clock fixed at [`crate::NOW`]: add by hand, list, the due alerts and remove; each
//! hand-entered field checked; the signed-in tenant scanned for expiring secrets and the chosen
//! ones kept; "rotate now" into the wizard's secret step; and the unattended monitor's last scan
//! (none yet, kept, damaged).

use serde_json::{Value, json};

use crate::{CLIENT_ID, DOMAIN, Harness, PROFILE, SECRET_KEY_ID, TENANT_ID};

fn form(key_id: &str, expires: &str) -> Value {
    json!({ "form": {
        "tenant": DOMAIN,
        "client_id": CLIENT_ID,
        "key_id": key_id,
        "expires": expires,
        "name": "Intranet Outlook Calendar",
    }})
}

#[test]
fn reminders_are_added_listed_alerted_and_removed() {
    let app = Harness::new();
    let empty = app.ok("reminders_list", json!({}));
    assert_eq!(empty["standings"], json!([]));
    let file = empty["file"].as_str().expect("file");
    assert!(
        file.starts_with(&app.paths.config_dir().display().to_string()),
        "{file}"
    );
    assert_eq!(app.ok("reminders_alerts", json!({})), json!([]));

    // Eight whole days before it expires, by the fixed clock; and one far off.
    let later = "eeeeeeee-0000-0000-0000-000000000002";
    app.ok("reminders_add", form(later, "2099-01-01"));
    let view = app.ok("reminders_add", form(SECRET_KEY_ID, "2027-03-01"));
    let standings = view["standings"].as_array().expect("standings");
    assert_eq!(standings.len(), 2);
    let soon = &standings[0];
    assert_eq!(soon["key_id"], SECRET_KEY_ID, "soonest first");
    assert_eq!(soon["days_left"], 8);
    assert_eq!(soon["due"], true);
    assert_eq!(standings[1]["due"], false);
    assert!(
        std::path::Path::new(file).is_file(),
        "kept in the reminders file"
    );

    let alerts = app.ok("reminders_alerts", json!({}));
    assert_eq!(alerts.as_array().map(Vec::len), Some(1), "{alerts}");
    assert_eq!(alerts[0]["key_id"], SECRET_KEY_ID);

    let view = app.ok("reminders_remove", json!({ "keyId": SECRET_KEY_ID }));
    assert_eq!(view["standings"].as_array().map(Vec::len), Some(1));
    assert_eq!(app.ok("reminders_alerts", json!({})), json!([]));
    let refusal = app.refused("reminders_remove", json!({ "keyId": SECRET_KEY_ID }));
    assert_eq!(refusal.code, "invalid_input");
    assert!(
        refusal.message.starts_with("key_id:"),
        "{}",
        refusal.message
    );
}

#[test]
fn a_hand_entered_reminder_is_checked_field_by_field() {
    let app = Harness::new();
    for (args, field) in [
        (form(SECRET_KEY_ID, "next spring"), "expires"),
        (form("the secret", "2027-03-01"), "key_id"),
    ] {
        let refusal = app.refused("reminders_add", args.clone());
        assert_eq!(refusal.code, "invalid_input", "{args}");
        assert!(refusal.message.starts_with(field), "{}", refusal.message);
    }
    assert_eq!(app.ok("reminders_list", json!({}))["standings"], json!([]));
}

#[test]
fn the_signed_in_tenant_is_scanned_and_chosen_secrets_are_kept() {
    let app = Harness::new();
    let refusal = app.refused("reminders_scan", json!({ "withinDays": 30 }));
    assert_eq!(refusal.code, "not_signed_in", "{}", refusal.message);

    app.start(PROFILE);
    app.set("tenant", DOMAIN);
    app.sign_in();
    // The stand-in's calendar app has one secret, valid until 2099.
    let found = app.ok("reminders_scan", json!({ "withinDays": 30 }));
    assert_eq!(found, json!([]), "nothing expires within 30 days");
    let found = app.ok("reminders_scan", json!({ "withinDays": 30000 }));
    let secret = found
        .as_array()
        .expect("credentials")
        .iter()
        .find(|c| c["key_id"] == SECRET_KEY_ID)
        .unwrap_or_else(|| panic!("the app's secret: {found}"))
        .clone();
    assert_eq!(secret["client_id"], CLIENT_ID);
    assert_eq!(secret["kind"], "secret");

    let refusal = app.refused(
        "reminders_add_scanned",
        json!({ "picks": [{
            "client_id": CLIENT_ID, "key_id": SECRET_KEY_ID, "expires": "soon", "name": null,
        }]}),
    );
    assert_eq!(refusal.code, "invalid_input");
    assert!(
        refusal.message.starts_with("expires:"),
        "{}",
        refusal.message
    );

    let view = app.ok(
        "reminders_add_scanned",
        json!({ "picks": [{
            "client_id": secret["client_id"],
            "key_id": secret["key_id"],
            "expires": secret["expires"],
            "name": secret["app_name"],
        }]}),
    );
    let standing = &view["standings"][0];
    assert_eq!(standing["key_id"], SECRET_KEY_ID);
    assert_eq!(
        standing["tenant"], TENANT_ID,
        "filed under the tenant's GUID"
    );
    assert_eq!(standing["source"], "scan");
}

#[test]
fn rotating_opens_the_secret_step_of_the_reminders_client() {
    let app = Harness::new();
    app.ok("reminders_add", form(SECRET_KEY_ID, "2027-03-01"));
    let refusal = app.refused(
        "reminders_rotate",
        json!({ "keyId": "eeeeeeee-0000-0000-0000-000000000009", "profile": PROFILE, "demo": null }),
    );
    assert_eq!(refusal.code, "invalid_input");
    assert!(
        refusal.message.starts_with("key_id:"),
        "{}",
        refusal.message
    );

    let rotate = json!({ "keyId": SECRET_KEY_ID, "profile": PROFILE, "demo": null });
    let view = app.ok("reminders_rotate", rotate.clone());
    assert_eq!(view["step"], "secret");
    assert_eq!(view["profile"], PROFILE);
    assert_eq!(view["inputs"]["client_id"], CLIENT_ID);

    // A setup for that client under way is kept.
    app.ok("wizard_go", json!({ "step": "tenant" }));
    let again = app.ok("reminders_rotate", rotate);
    assert_eq!(again["session"], view["session"]);
    assert_eq!(again["step"], "secret");
}

#[test]
fn the_monitors_last_scan_is_shown_and_a_damaged_one_is_named_not_refused() {
    use entra_setup_core::monitor::last_scan;

    let app = Harness::new();
    let none = app.ok("reminders_monitor_last_scan", json!({}));
    assert_eq!(none["scan"], Value::Null, "{none}");
    assert_eq!(none["problem"], Value::Null, "{none}");
    let file = none["file"].as_str().expect("file").to_owned();
    assert!(file.ends_with(last_scan::FILE_NAME), "{file}");

    // What `entra-setup monitor scan --json` prints, with when it ran.
    let kept = json!({
        "ran_at": "2027-02-19T06:00:00Z",
        "within_days": 30,
        "tenants": [
            {"tenant": DOMAIN, "status": "ok", "registrations": 12, "due": [{
                "client_id": CLIENT_ID, "display_name": "Intranet Outlook Calendar",
                "kind": "secret", "key_id": SECRET_KEY_ID, "expires": "2027-03-01T00:00:00Z",
                "stage": {"state": "due", "lead_days": 14}, "days_left": 9,
            }]},
            {"tenant": "northwind.com", "status": "unreadable", "cause": "admin_consent_missing",
             "detail": "not approved", "registrations": 0, "due": []},
        ],
        "alerts": [],
    });
    std::fs::create_dir_all(app.paths.data_dir()).expect("data folder");
    std::fs::write(&file, kept.to_string()).expect("last scan");
    let view = app.ok("reminders_monitor_last_scan", json!({}));
    assert_eq!(view["problem"], Value::Null, "{view}");
    let scan = &view["scan"];
    assert_eq!(scan["ran_at"], "2027-02-19T06:00:00Z");
    assert_eq!(scan["tenants"].as_array().map(Vec::len), Some(2));
    assert_eq!(scan["tenants"][0]["due"][0]["key_id"], SECRET_KEY_ID);
    assert_eq!(scan["tenants"][1]["status"], "unreadable");

    std::fs::write(&file, "{\"ran_at\": ").expect("damaged");
    let damaged = app.ok("reminders_monitor_last_scan", json!({}));
    assert_eq!(damaged["scan"], Value::Null);
    let problem = damaged["problem"].as_str().expect("problem");
    assert!(problem.contains(last_scan::FILE_NAME), "{problem}");
}

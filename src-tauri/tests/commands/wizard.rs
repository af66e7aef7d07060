//! The wizard's commands (`src-tauri/src/commands/mod.rs`) through the IPC: the start screen's
//! lists, starting, resuming and closing a setup, inputs and their offline issues, steps, live
//! checks with their progress, the sign-ins, "create it for me" and new secrets, the sign-in
//! client, a pasted secret, pasted error text and the demo tenant.

use serde_json::json;

use crate::{CLIENT_ID, DOMAIN, Harness, Options, PROFILE, SECRET_KEY_ID, SITE, status_of};

fn is_guid(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok()
}

#[test]
fn the_start_screen_lists_the_profiles_and_the_demo_scenarios() {
    let app = Harness::new();
    let profiles = app.ok("list_profiles", json!({}));
    let ids: Vec<&str> = profiles
        .as_array()
        .expect("profiles")
        .iter()
        .map(|p| p["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&PROFILE), "{ids:?}");
    assert!(ids.contains(&"axero-m365-email"), "{ids:?}");

    let scenarios = app.ok("demo_scenarios", json!({}));
    let first = &scenarios[0];
    assert_eq!(first["name"], "contoso", "the healthy tenant first");
    assert_eq!(first["healthy"], true);
    assert!(
        scenarios
            .as_array()
            .expect("scenarios")
            .iter()
            .any(|s| s["healthy"] == false)
    );
}

#[test]
fn a_setup_starts_is_saved_resumes_and_closes() {
    let app = Harness::new();
    assert_eq!(
        app.ok("wizard_resume", json!({})),
        json!({ "view": null, "set_aside": null }),
        "nothing under way at first"
    );

    let view = app.ok("wizard_start", json!({ "profile": PROFILE, "demo": null }));
    assert_eq!(view["profile"], PROFILE);
    assert_eq!(view["step"], "site");
    assert_eq!(view["steps"][0]["step"], "site");
    assert!(view["demo"].is_null());
    assert!(is_guid(view["session"].as_str().expect("session")));
    let saved = app.paths.config_dir().join("wizard.json");
    assert!(saved.is_file(), "the setup is saved in the config folder");

    let resumed = app.ok("wizard_resume", json!({}));
    assert_eq!(resumed["view"]["session"], view["session"]);
    assert!(resumed["set_aside"].is_null());

    assert_eq!(app.ok("wizard_close", json!({})), json!(null));
    assert!(!saved.exists(), "its saved progress is forgotten");
    assert!(app.ok("wizard_resume", json!({}))["view"].is_null());
}

#[test]
fn damaged_saved_progress_is_set_aside_and_said_on_resume() {
    let app = Harness::with(Options {
        prepare: |paths| {
            std::fs::create_dir_all(paths.config_dir()).expect("config folder");
            std::fs::write(paths.config_dir().join("wizard.json"), "{\"version\": 1,")
                .expect("damaged progress");
        },
        ..Options::default()
    });
    let resumed = app.ok("wizard_resume", json!({}));
    assert!(resumed["view"].is_null());
    let said = resumed["set_aside"].as_str().expect("the admin is told");
    assert!(said.contains("could not be used"), "{said}");
    assert!(
        app.ok("wizard_resume", json!({}))["set_aside"].is_null(),
        "said once"
    );
}

#[test]
fn an_input_carries_its_offline_issues_and_the_redirect_uri() {
    let app = Harness::new();
    app.ok("wizard_start", json!({ "profile": PROFILE, "demo": null }));
    let view = app.set("site_url", "http://intranet.contoso.com/");
    let site_issues: Vec<_> = view["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter(|i| i["field"] == "site_url")
        .collect();
    assert!(!site_issues.is_empty(), "{}", view["issues"]);
    assert_eq!(site_issues[0]["severity"], "error");

    let view = app.set("site_url", SITE);
    assert!(
        !view["issues"]
            .as_array()
            .expect("issues")
            .iter()
            .any(|i| i["field"] == "site_url" && i["severity"] == "error"),
        "{}",
        view["issues"]
    );
    assert_eq!(
        view["redirect_uri"],
        format!("{SITE}/oauth2/outlook/callback")
    );
    assert_eq!(view["inputs"]["site_url"], SITE);
}

#[test]
fn commands_without_a_setup_or_with_a_bad_input_are_refused_with_their_code() {
    let app = Harness::new();
    let refusal = app.refused(
        "wizard_set_input",
        json!({ "field": "tenant", "value": DOMAIN }),
    );
    assert_eq!(refusal.code, "no_wizard", "{}", refusal.message);
    assert_eq!(
        app.refused("wizard_go", json!({ "step": "tenant" })).code,
        "no_wizard"
    );

    let refusal = app.refused(
        "wizard_start",
        json!({ "profile": "no-such-integration", "demo": null }),
    );
    assert_eq!(refusal.code, "invalid_input");
    assert!(
        refusal.message.starts_with("profile:"),
        "{}",
        refusal.message
    );

    app.start(PROFILE);
    let refusal = app.refused("wizard_go", json!({ "step": "calendar" }));
    assert_eq!(refusal.code, "invalid_input", "{}", refusal.message);
    assert!(refusal.message.starts_with("step:"), "{}", refusal.message);
    assert_eq!(
        app.ok("wizard_go", json!({ "step": "tenant" }))["step"],
        "tenant"
    );

    // An argument the command does not take is refused by Tauri before the command runs.
    let refused = app
        .call(
            "wizard_set_input",
            json!({ "field": "colour", "value": "x" }),
        )
        .expect_err("an unknown field");
    assert!(refused.is_string(), "{refused}");
}

#[test]
fn a_step_is_checked_against_the_tenant_with_its_progress() {
    let app = Harness::new();
    app.start(PROFILE);
    app.set("tenant", DOMAIN);
    app.ok("wizard_go", json!({ "step": "tenant" }));
    let progress = app.channel();
    let view = app.ok(
        "wizard_check",
        json!({ "step": "tenant", "onProgress": progress.arg() }),
    );
    assert_eq!(status_of(&view, "tenant"), "pass", "{}", view["results"]);

    let events = app.received(progress);
    assert_eq!(
        events.first(),
        Some(&json!({ "event": "started", "id": "tenant" }))
    );
    let finished = events.last().expect("a finished event");
    assert_eq!(finished["event"], "finished");
    assert_eq!(finished["result"]["id"], "tenant");
    assert_eq!(finished["result"]["status"], "pass");
}

#[test]
fn the_sign_ins_need_the_tenant_then_the_mailbox() {
    let app = Harness::new();
    app.start(PROFILE);
    let prompts = app.channel();
    let refusal = app.refused("wizard_sign_in", json!({ "onPrompt": prompts.arg() }));
    assert_eq!(refusal.code, "invalid_input");
    assert!(
        refusal.message.starts_with("tenant:"),
        "{}",
        refusal.message
    );

    app.set("tenant", DOMAIN);
    let refusal = app.refused(
        "wizard_sign_in_mailbox",
        json!({ "onPrompt": prompts.arg() }),
    );
    assert_eq!(refusal.code, "invalid_input");
    assert!(
        refusal.message.starts_with("mailbox:"),
        "{}",
        refusal.message
    );
    assert!(
        app.received(prompts).is_empty(),
        "no code shown for a refusal"
    );

    let view = app.sign_in();
    assert_eq!(view["admin"], "admin@contoso.com");
    app.set("mailbox", "intranet@contoso.com");
    let view = app.ok(
        "wizard_sign_in_mailbox",
        json!({ "onPrompt": prompts.arg() }),
    );
    assert_eq!(view["mailbox_owner"], "intranet@contoso.com");
    assert_eq!(view["admin"], "admin@contoso.com", "both stay signed in");
    let shown = app.received(prompts);
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(
        shown[0]["verification_uri"]
            .as_str()
            .is_some_and(|u| !u.is_empty())
    );
}

#[test]
fn creating_the_registration_makes_a_secret_shown_once() {
    let app = Harness::new();
    app.start(PROFILE);
    app.set("tenant", DOMAIN);
    let refusal = app.refused("wizard_register", json!({ "secretDays": 180 }));
    assert_eq!(refusal.code, "not_signed_in", "{}", refusal.message);

    app.sign_in();
    let outcome = app.ok("wizard_register", json!({ "secretDays": 180 }));
    assert!(!outcome["changes"].as_array().expect("changes").is_empty());
    let view = &outcome["view"];
    let client_id = view["inputs"]["client_id"].as_str().expect("client id");
    assert!(
        is_guid(client_id) && client_id != CLIENT_ID,
        "a new app: {client_id}"
    );
    assert_eq!(view["secret"]["held"], true);
    assert_eq!(view["secret"]["can_reveal"], true);
    let hint = view["secret"]["created_hint"].as_str().expect("hint");

    let value = app.ok("wizard_reveal_secret", json!({}));
    assert!(value.as_str().expect("value").starts_with(hint));
    let refusal = app.refused("wizard_reveal_secret", json!({}));
    assert_eq!(refusal.code, "invalid_input", "shown once");

    let refusal = app.refused(
        "wizard_new_secret",
        json!({ "days": null, "until": "2001-01-01" }),
    );
    assert_eq!(refusal.code, "invalid_input");
    assert!(
        refusal.message.starts_with("secret end date:"),
        "{}",
        refusal.message
    );

    let outcome = app.ok("wizard_new_secret", json!({ "days": 90, "until": null }));
    let secret = &outcome["view"]["secret"];
    assert_eq!(secret["can_reveal"], true, "a new value to show");
    let expires: chrono::DateTime<chrono::Utc> = secret["created_expires"]
        .as_str()
        .expect("expiry")
        .parse()
        .expect("RFC 3339");
    // The app has one clock (the stand-in reads the same instant): the lifetime counts from it.
    let now: chrono::DateTime<chrono::Utc> = crate::NOW.parse().expect("a time");
    let days = (expires - now).num_days();
    assert!((89..=90).contains(&days), "{days} days");
}

#[test]
fn the_sign_in_client_is_kept_in_config_toml() {
    let app = Harness::new();
    app.start(PROFILE);
    let refusal = app.refused(
        "wizard_set_sign_in_client",
        json!({ "clientId": "Graph Explorer" }),
    );
    assert_eq!(refusal.code, "invalid_input");
    assert!(
        refusal.message.starts_with("sign-in client:"),
        "{}",
        refusal.message
    );

    let chosen = "0a1b2c3d-0000-4000-8000-00000000c11e";
    let view = app.ok("wizard_set_sign_in_client", json!({ "clientId": chosen }));
    let config = app.paths.config_file();
    assert_eq!(
        view["sign_in_client"]["config_file"],
        config.display().to_string()
    );
    assert!(
        std::fs::read_to_string(&config)
            .expect("config.toml")
            .contains(chosen)
    );
    if view["sign_in_client"]["from_environment"] == false {
        assert_eq!(view["sign_in_client"]["client_id"], chosen);
    }

    app.ok("wizard_set_sign_in_client", json!({ "clientId": null }));
    assert!(
        !std::fs::read_to_string(&config)
            .expect("config.toml")
            .contains(chosen)
    );
}

#[test]
fn a_pasted_secret_is_held_with_its_issues_and_never_shown() {
    let app = Harness::new();
    app.start(PROFILE);
    let view = app.ok("wizard_set_secret", json!({ "value": SECRET_KEY_ID }));
    let secret = &view["secret"];
    assert_eq!(secret["held"], true);
    assert!(
        secret["issues"]
            .as_array()
            .is_some_and(|issues| issues.iter().any(|i| i["field"] == "client_secret")),
        "a secret ID is not a secret value: {secret}"
    );
    assert_eq!(secret["can_reveal"], false);
    assert_eq!(
        app.refused("wizard_reveal_secret", json!({})).code,
        "invalid_input",
        "a pasted value is not shown back"
    );

    let view = app.ok("wizard_set_secret", json!({ "value": crate::SECRET_VALUE }));
    assert_eq!(view["secret"]["issues"], json!([]));
    let view = app.ok("wizard_set_secret", json!({ "value": "  " }));
    assert_eq!(view["secret"]["held"], false);
}

#[test]
fn pasted_error_text_is_diagnosed() {
    let app = Harness::new();
    let findings = app.ok(
        "diagnose_text",
        json!({
            "text": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID",
            "profile": PROFILE,
        }),
    );
    let findings = findings.as_array().expect("findings");
    assert!(
        findings
            .iter()
            .any(|f| f["code"].as_str().is_some_and(|c| c.contains("7000215"))),
        "{findings:?}"
    );
    let refusal = app.refused(
        "diagnose_text",
        json!({ "text": "AADSTS50011", "profile": "no-such-integration" }),
    );
    assert_eq!(refusal.code, "invalid_input", "{}", refusal.message);
}

#[test]
fn the_demo_tenant_is_rehearsed_switched_and_stopped() {
    let app = Harness::new();
    let view = app.ok(
        "wizard_start",
        json!({ "profile": PROFILE, "demo": "contoso" }),
    );
    assert_eq!(view["demo"]["name"], "contoso");
    let demo_running =
        || tauri::async_runtime::block_on(async { app.state().demo.lock().await.is_some() });
    assert!(demo_running());

    app.set("tenant", DOMAIN);
    let progress = app.channel();
    let view = app.ok(
        "wizard_check",
        json!({ "step": "tenant", "onProgress": progress.arg() }),
    );
    assert_eq!(status_of(&view, "tenant"), "pass");

    let view = app.ok("demo_switch", json!({ "scenario": "wrong-client-id" }));
    assert_eq!(view["demo"]["name"], "wrong-client-id");
    assert_eq!(
        view["results"],
        json!([]),
        "checks run again on the new scenario"
    );
    assert_eq!(view["inputs"]["tenant"], DOMAIN, "the inputs are kept");
    let refusal = app.refused("demo_switch", json!({ "scenario": "no-such-scenario" }));
    assert_eq!(refusal.code, "invalid_input", "{}", refusal.message);

    app.ok("wizard_close", json!({}));
    assert!(!demo_running(), "closing the setup stops the demo tenant");
}

//! `entra-setup register --sign-in device-code` (the real binary) against the stand-in: a
//! tenant without apps gets the Axero calendar registration, consented, with a secret shown
//! once, and the verification that follows passes; a second run changes nothing and makes no
//! secret; without `--show-secret` and without a keychain no secret is made at all (exit 64).

use std::process::{Command, Stdio};

use entra_setup_tests::paths::program;
use entra_setup_tests::stand_in::StandIn;
use serde_json::{Value, json};

/// Contoso without any app registration; the administrator approves device codes.
fn empty_tenant() -> StandIn {
    StandIn::start_with("contoso", |scenario| {
        scenario["tenants"][0]["applications"] = json!([]);
        scenario["sign_in"] = json!({ "as": "admin@contoso.com" });
    })
}

/// Run `entra-setup register --json` for Contoso; the exit code, stdout and stderr.
fn register(stand_in: &StandIn, args: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().expect("home");
    let output = Command::new(program("entra-setup"))
        .env("ENTRA_SETUP_HOME", home.path())
        // A machine without a keychain: no Secret Service on this bus.
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .arg("--endpoints")
        .arg(stand_in.endpoints_file())
        .args([
            "--no-progress",
            "--timeout",
            "5",
            "register",
            "--json",
            "--tenant",
            "contoso.com",
            "--profile",
            "axero-outlook-calendar",
            "--site-url",
            "https://intranet.contoso.com",
        ])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run entra-setup");
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn json_of(stdout: &str, stderr: &str) -> Value {
    serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("stdout is one JSON document ({e}): {stdout}\n{stderr}"))
}

#[test]
fn registers_from_nothing_then_changes_nothing() {
    let stand_in = empty_tenant();
    let (code, stdout, stderr) = register(&stand_in, &["--show-secret"]);
    let result = json_of(&stdout, &stderr);
    assert_eq!(code, 0, "{result:#}\n{stderr}");
    assert_eq!(result["created"], true);
    let changes: Vec<&str> = result["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        changes.contains(
            &"added redirect URI https://intranet.contoso.com/oauth2/outlook/callback (Web)"
        ),
        "{changes:?}"
    );
    assert!(
        changes.contains(
            &"granted admin consent for Calendars.ReadWrite offline_access openid User.Read"
        ),
        "{changes:?}"
    );
    let secret = &result["secret"];
    let value = secret["value"]
        .as_str()
        .expect("the value, with --show-secret");
    assert_eq!(secret["hint"].as_str(), Some(&value[..3]));
    assert!(secret["key_id"].is_string() && secret["expires"].is_string());
    assert!(!stderr.contains(value), "the secret appears on stderr");
    assert!(stderr.contains("not stored"), "{stderr}");
    let checks = result["verify"]["checks"].as_array().expect("checks");
    for id in [
        "client_id",
        "client_secret",
        "redirect_uri",
        "account_type",
        "api_permissions",
        "admin_consent",
    ] {
        let check = checks.iter().find(|c| c["id"] == id).expect(id);
        assert_eq!(check["status"], "pass", "{check:#}");
    }

    let client_id = result["client_id"].as_str().expect("client_id");
    let (code, stdout, stderr) = register(&stand_in, &["--client-id", client_id]);
    let again = json_of(&stdout, &stderr);
    assert_eq!(again["created"], false);
    assert_eq!(again["changes"], json!([]));
    assert_eq!(again["secret"], Value::Null);
    assert_ne!(code, 64, "{stderr}");
}

#[test]
fn refuses_to_make_a_secret_it_cannot_show_or_store() {
    let stand_in = empty_tenant();
    let (code, stdout, stderr) = register(&stand_in, &[]);
    assert_eq!(code, 64, "{stdout}\n{stderr}");
    assert!(stderr.contains("--show-secret"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
}

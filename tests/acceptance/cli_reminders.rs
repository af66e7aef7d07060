//! `entra-setup reminders list|check|add|remove` (the real binary): `check`'s exit status with
//! an injected clock (`ENTRA_SETUP_NOW`), bad inputs refused naming them, and the registry
//! surviving concurrent writers (the binary started many times at once loses no reminder), and
//! `scan` listing a tenant's expiring secrets with an administrator signed in.

use std::path::Path;
use std::process::{Command, Stdio};

use entra_setup_tests::cli::{reminders_list, run};
use entra_setup_tests::paths::program;
use entra_setup_tests::stand_in::StandIn;

const TENANT: &str = "3f2b8c1e-6a4d-4e2b-9c7f-1a2b3c4d5e6f";
const APP: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const KEY: &str = "dddddddd-0000-0000-0000-000000000001";

fn add(home: &Path, key: &str, expires: &str) {
    add_named(home, key, expires, "Axero calendar");
}

fn add_named(home: &Path, key: &str, expires: &str, name: &str) {
    let result = run(
        home,
        None,
        &[
            "reminders",
            "add",
            "--tenant",
            TENANT,
            "--client-id",
            APP,
            "--key-id",
            key,
            "--expires",
            expires,
            "--name",
            name,
        ],
        None,
        &[],
    );
    assert_eq!(result.code, Some(0), "{result:?}");
}

fn check(home: &Path, now: &str, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut args = vec!["reminders", "check", "--json"];
    args.extend_from_slice(extra);
    let result = run(home, None, &args, None, &[("ENTRA_SETUP_NOW", now)]);
    (result.code, result.json())
}

#[test]
fn check_exits_1_when_a_secret_is_due_or_expired_and_0_otherwise() {
    let home = tempfile::tempdir().expect("home");
    let (code, json) = check(home.path(), "2027-01-01T00:00:00Z", &[]);
    assert_eq!(
        (code, json["due"].as_u64()),
        (Some(0), Some(0)),
        "nothing recorded"
    );

    add(home.path(), KEY, "2027-03-01T00:00:00Z");
    // 59 days before: not due in the default 14 days, due within 60.
    let (code, _) = check(home.path(), "2027-01-01T00:00:00Z", &[]);
    assert_eq!(code, Some(0));
    let (code, json) = check(
        home.path(),
        "2027-01-01T00:00:00Z",
        &["--within-days", "60"],
    );
    assert_eq!(code, Some(1), "{json}");
    // 10 days before: due, at the 14-day stage.
    let (code, json) = check(home.path(), "2027-02-19T00:00:00Z", &[]);
    assert_eq!(code, Some(1));
    assert_eq!(json["secrets"][0]["stage"]["state"], "due");
    assert_eq!(json["secrets"][0]["stage"]["lead_days"], 14);
    assert_eq!(json["secrets"][0]["days_left"], 10);
    // 6 days before: the 7-day stage; within 5 days it is not due yet.
    let (code, json) = check(home.path(), "2027-02-23T00:00:00Z", &["--within-days", "5"]);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(json["secrets"][0]["stage"]["lead_days"], 7);
    // After expiry: always due.
    let (code, json) = check(home.path(), "2027-03-02T00:00:00Z", &["--within-days", "0"]);
    assert_eq!(code, Some(1));
    assert_eq!(json["secrets"][0]["stage"]["state"], "expired");

    let listed = run(
        home.path(),
        None,
        &["reminders", "list"],
        None,
        &[("ENTRA_SETUP_NOW", "2027-02-19T00:00:00Z")],
    );
    assert!(
        listed.stdout.contains("Axero calendar") && listed.stdout.contains("expires in 10 days"),
        "{listed:?}"
    );

    let removed = run(
        home.path(),
        None,
        &["reminders", "remove", "--key-id", KEY],
        None,
        &[],
    );
    assert_eq!(removed.code, Some(0), "{removed:?}");
    let (code, _) = check(home.path(), "2027-03-02T00:00:00Z", &[]);
    assert_eq!(code, Some(0), "nothing left to be due");
}

/// Arguments, environment, and what the error names.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

#[test]
fn bad_inputs_are_refused_naming_them() {
    let home = tempfile::tempdir().expect("home");
    let cases: &[Case] = &[
        (
            &[
                "reminders",
                "add",
                "--tenant",
                TENANT,
                "--client-id",
                APP,
                "--key-id",
                "abc",
                "--expires",
                "2027-03-01T00:00:00Z",
            ],
            &[],
            "--key-id",
        ),
        (
            &[
                "reminders",
                "add",
                "--tenant",
                TENANT,
                "--client-id",
                APP,
                "--key-id",
                KEY,
                "--expires",
                "next March",
            ],
            &[],
            "--expires: 'next March'",
        ),
        (
            &[
                "reminders",
                "add",
                "--tenant",
                TENANT,
                "--client-id",
                "not-a-guid",
                "--key-id",
                KEY,
                "--expires",
                "2027-03-01T00:00:00Z",
            ],
            &[],
            "--client-id",
        ),
        (
            &["reminders", "remove", "--key-id", KEY],
            &[],
            "no reminder",
        ),
        (
            &["reminders", "check"],
            &[("ENTRA_SETUP_NOW", "yesterday")],
            "ENTRA_SETUP_NOW: 'yesterday'",
        ),
        (
            &["reminders", "check", "--within-days", "soon"],
            &[],
            "--within-days",
        ),
    ];
    for (args, env, expected) in cases {
        let result = run(home.path(), None, args, None, env);
        assert_eq!(result.code, Some(64), "{args:?}: {result:?}");
        assert!(
            result.stderr.contains(expected),
            "{expected}: {}",
            result.stderr
        );
    }
}

#[test]
fn processes_adding_at_once_lose_nothing() {
    let home = tempfile::tempdir().expect("home");
    let rounds = 12;
    for round in 0..rounds {
        let children: Vec<_> = (0..2)
            .map(|writer| {
                Command::new(program("entra-setup"))
                    .env("ENTRA_SETUP_HOME", home.path())
                    .args([
                        "reminders",
                        "add",
                        "--tenant",
                        TENANT,
                        "--client-id",
                        APP,
                        "--key-id",
                        &format!("dddddddd-0000-0000-{writer:04}-{round:012}"),
                        "--expires",
                        "2027-03-01T00:00:00Z",
                    ])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().expect("wait");
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
    let listed = reminders_list(home.path());
    assert_eq!(listed["secrets"].as_array().map(Vec::len), Some(2 * rounds));
    let leftovers: Vec<_> = std::fs::read_dir(home.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn scan_lists_the_tenants_expiring_secrets_and_adds_them() {
    let home = tempfile::tempdir().expect("home");
    let sign_in = |s: &mut serde_json::Value| {
        s["sign_in"] = serde_json::json!({ "as": "admin@contoso.com" });
    };
    let expired = StandIn::start_with("expired-secret", sign_in);
    let args = [
        "reminders",
        "scan",
        "--json",
        "--tenant",
        "contoso.com",
        "--sign-in",
        "device-code",
        "--add",
    ];
    let result = run(
        home.path(),
        Some(&expired),
        &args,
        None,
        &[("ENTRA_SETUP_NOW", "2026-01-01T00:00:00Z")],
    );
    assert_eq!(result.code, Some(1), "{result:?}");
    let json = result.json();
    let found = json["credentials"].as_array().expect("credentials");
    let secret = found
        .iter()
        .find(|c| c["key_id"] == KEY)
        .expect("the expired secret");
    assert_eq!(secret["kind"], "secret");
    assert!(secret["days_left"].as_i64().expect("days") < 0);
    // Secrets and certificates alike are kept.
    assert_eq!(json["added"].as_u64(), Some(found.len() as u64));
    let listed = reminders_list(home.path());
    assert!(
        listed["secrets"]
            .as_array()
            .expect("secrets")
            .iter()
            .any(|r| r["key_id"] == KEY && r["source"] == "scan"),
        "{listed}"
    );

    let healthy = StandIn::start_with("axero-outlook-calendar", sign_in);
    let result = run(
        home.path(),
        Some(&healthy),
        &args[..7],
        None,
        &[("ENTRA_SETUP_NOW", "2026-01-01T00:00:00Z")],
    );
    assert_eq!(result.code, Some(0), "{result:?}");
    assert_eq!(result.json()["credentials"], serde_json::json!([]));
}

#[test]
fn a_damaged_reminders_file_is_bad_input_not_a_due_secret() {
    let home = tempfile::tempdir().expect("home");
    add(
        home.path(),
        "dddddddd-0000-0000-0000-000000000001",
        "2027-03-01T00:00:00Z",
    );
    let file = home.path().join("reminders.json");
    assert!(file.is_file(), "the reminders file is {}", file.display());
    std::fs::write(&file, "{\"format\": ").expect("damage");
    for args in [vec!["reminders", "check"], vec!["reminders", "list"]] {
        let result = run(home.path(), None, &args, None, &[]);
        assert_eq!(result.code, Some(64), "{args:?}: {result:?}");
        assert!(
            result.stderr.contains("reminders.json"),
            "{}",
            result.stderr
        );
    }
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "{\"format\": ",
        "left as it was"
    );
}

#[test]
fn a_name_with_escape_sequences_is_shown_not_acted_on() {
    let home = tempfile::tempdir().expect("home");
    let name = "App\u{1b}[2J\u{1b}]0;owned\u{7}";
    add_named(
        home.path(),
        "dddddddd-0000-0000-0000-000000000002",
        "2027-03-01T00:00:00Z",
        name,
    );
    let listed = run(home.path(), None, &["reminders", "list"], None, &[]);
    assert_eq!(listed.code, Some(0), "{listed:?}");
    assert!(
        !listed.stdout.contains('\u{1b}') && !listed.stdout.contains('\u{7}'),
        "{:?}",
        listed.stdout
    );
    assert!(listed.stdout.contains("App\\u{1b}[2J"), "{}", listed.stdout);
}

#[test]
fn a_registration_name_with_escape_sequences_is_scanned_without_acting_on_it() {
    let home = tempfile::tempdir().expect("home");
    let stand_in = StandIn::start_with("expired-secret", |s| {
        s["sign_in"] = serde_json::json!({ "as": "admin@contoso.com" });
        s["tenants"][0]["applications"][0]["display_name"] =
            serde_json::json!("Intranet\u{1b}[2J\u{1b}]0;owned\u{7}");
    });
    let scanned = run(
        home.path(),
        Some(&stand_in),
        &[
            "reminders",
            "scan",
            "--tenant",
            "contoso.com",
            "--sign-in",
            "device-code",
        ],
        None,
        &[("ENTRA_SETUP_NOW", "2026-01-01T00:00:00Z")],
    );
    assert_eq!(scanned.code, Some(1), "{scanned:?}");
    assert!(
        !scanned.stdout.contains('\u{1b}') && !scanned.stdout.contains('\u{7}'),
        "{:?}",
        scanned.stdout
    );
    assert!(
        scanned.stdout.contains("Intranet\\u{1b}[2J"),
        "{}",
        scanned.stdout
    );
}

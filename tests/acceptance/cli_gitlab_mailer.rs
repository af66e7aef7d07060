//! The `gitlab-graph-mailer` profile (GitLab's Microsoft Graph mailer, application `Mail.Send`)
//! with the real binary against the stand-in: `register` makes it from nothing, `verify
//! --sign-in device-code` then passes every check — the test email sent with the app's own
//! token from GitLab's mailbox, nobody else signing in — and the settings name GitLab's own
//! `gitlab.rb` keys; the registration with a delegated `Mail.Send` (the mistake GitLab's guide
//! warns about) fails on `api_permissions` with `wrong_permission_type`.

use entra_setup_tests::cli::entra_setup;
use entra_setup_tests::stand_in::StandIn;
use entra_setup_tests::verify_cli::verify;
use serde_json::{Value, json};

const PROFILE: &str = "gitlab-graph-mailer";
const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const MAILBOX: &[&str] = &[
    "--mailbox",
    "intranet@contoso.com",
    "--test-recipient",
    "bob@contoso.com",
];

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report:#}"))
}

#[test]
fn registers_from_nothing_and_verifies_with_a_test_email_sent_as_the_app() {
    let stand_in = StandIn::start_with(PROFILE, |s| {
        s["tenants"][0]["applications"] = json!([]);
        s["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let home = tempfile::tempdir().expect("home");
    let registered = entra_setup(
        &stand_in,
        home.path(),
        &[
            "register",
            "--json",
            "--tenant",
            "contoso.com",
            "--profile",
            PROFILE,
            "--show-secret",
        ],
        None,
        &[],
    );
    let result = registered.json();
    assert_eq!(
        registered.code,
        Some(0),
        "{result:#}\n{}",
        registered.stderr
    );
    let client_id = result["client_id"].as_str().expect("client_id").to_string();
    let secret = result["secret"]["value"]
        .as_str()
        .expect("value")
        .to_string();

    let mut args = vec![
        "--profile",
        PROFILE,
        "--client-id",
        &client_id,
        "--sign-in",
        "device-code",
    ];
    args.extend_from_slice(MAILBOX);
    let (code, report) = verify(&stand_in, &args, Some(&secret));
    let not_passing: Vec<&Value> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] != "pass")
        .collect();
    assert!(not_passing.is_empty(), "{not_passing:#?}");
    assert_eq!(code, 0);
    assert_eq!(
        check(&report, "test_email")["evidence"]["sent_as"],
        "application"
    );
}

#[test]
fn a_delegated_mail_send_fails_on_the_permission_type() {
    let stand_in = StandIn::start_with("gitlab-graph-mailer-delegated", |s| {
        s["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let mut args = vec![
        "--profile",
        PROFILE,
        "--client-id",
        APP,
        "--sign-in",
        "device-code",
    ];
    args.extend_from_slice(MAILBOX);
    let (code, report) = verify(&stand_in, &args, Some(APP_SECRET));
    let permissions = check(&report, "api_permissions");
    assert_eq!(permissions["status"], "fail", "{report:#}");
    assert_eq!(
        permissions["cause"], "wrong_permission_type",
        "{permissions:#}"
    );
    assert_ne!(check(&report, "test_email")["status"], "pass");
    assert_eq!(code, 1);
}

//! The `moodle-microsoft-oauth` profile (Moodle's OAuth 2 Microsoft service: users sign in to
//! Moodle with their Microsoft work account) with the real binary against the stand-in:
//! `register` makes it from nothing — multitenant, Moodle's Web callback
//! `…/admin/oauth2callback.php`, delegated `User.Read openid profile email offline_access` — and
//! `verify --sign-in device-code` then passes every check, users being allowed to approve these
//! low-impact permissions at their first sign-in as Moodle's guide expects; an `http://` callback
//! registered for a Moodle served over https (the guide's warning) fails on `redirect_uri` with
//! `redirect_uri_mismatch`.

use entra_setup_tests::cli::entra_setup;
use entra_setup_tests::stand_in::StandIn;
use entra_setup_tests::verify_cli::verify;
use serde_json::{Value, json};

const PROFILE: &str = "moodle-microsoft-oauth";
const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const SITE: &[&str] = &["--site-url", "https://moodle.contoso.com"];

fn check<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report:#}"))
}

fn verify_args(client_id: &str) -> Vec<&str> {
    let mut args = vec![
        "--profile",
        PROFILE,
        "--client-id",
        client_id,
        "--sign-in",
        "device-code",
    ];
    args.extend_from_slice(SITE);
    args
}

#[test]
fn registers_from_nothing_and_verifies_that_users_may_sign_in() {
    let stand_in = StandIn::start_with(PROFILE, |s| {
        s["tenants"][0]["applications"] = json!([]);
    });
    let home = tempfile::tempdir().expect("home");
    let mut args = vec![
        "register",
        "--json",
        "--tenant",
        "contoso.com",
        "--profile",
        PROFILE,
        "--show-secret",
    ];
    args.extend_from_slice(SITE);
    let registered = entra_setup(&stand_in, home.path(), &args, None, &[]);
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

    let (code, report) = verify(&stand_in, &verify_args(&client_id), Some(&secret));
    let not_passing: Vec<&Value> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] != "pass")
        .collect();
    assert!(not_passing.is_empty(), "{not_passing:#?}");
    assert_eq!(code, 0);
    let ids: Vec<&str> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&"consent_policy"), "{ids:?}");
}

#[test]
fn an_http_callback_for_an_https_moodle_fails_on_redirect_uri() {
    let stand_in = StandIn::start("moodle-microsoft-oauth-http-redirect");
    let (code, report) = verify(&stand_in, &verify_args(APP), Some(APP_SECRET));
    let redirect = check(&report, "redirect_uri");
    assert_eq!(redirect["status"], "fail", "{report:#}");
    assert_eq!(redirect["cause"], "redirect_uri_mismatch", "{redirect:#}");
    let failing: Vec<&str> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert_eq!(failing, ["redirect_uri"], "{report:#}");
    assert_eq!(code, 1);
}

//! The `zammad-microsoft365` profile (Zammad's Microsoft 365 IMAP Email channel: IMAP fetching and
//! SMTP sending with the mailbox user's delegated token) with the real binary against the
//! stand-in: `register` makes it from nothing — single tenant, Zammad's Web callback
//! `…/api/v1/external_credentials/microsoft365/callback`, delegated `IMAP.AccessAsUser.All
//! SMTP.Send offline_access openid profile email` with admin consent — and `verify --sign-in
//! device-code` then passes every check, the mailbox owner signing in over SMTP and IMAP as Zammad
//! does; the callback registered from a wrong Fully Qualified Domain Name (the guide's warning)
//! fails on `redirect_uri` with `redirect_uri_mismatch`.

use entra_setup_tests::cli::entra_setup;
use entra_setup_tests::stand_in::StandIn;
use entra_setup_tests::verify_cli::verify;
use serde_json::{Value, json};

const PROFILE: &str = "zammad-microsoft365";
const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const SITE: &[&str] = &["--site-url", "https://zammad.contoso.com"];
const MAILBOX: &[&str] = &["--mailbox", "intranet@contoso.com"];

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
    args.extend_from_slice(MAILBOX);
    args
}

#[test]
fn registers_from_nothing_and_verifies_imap_and_smtp_as_the_mailbox_owner() {
    let stand_in = StandIn::start_with(PROFILE, |s| {
        s["tenants"][0]["applications"] = json!([]);
        s["sign_in"] = json!({
            "as": ["admin@contoso.com", "admin@contoso.com", "intranet@contoso.com"]
        });
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
    for id in ["smtp_auth", "imap_auth"] {
        assert_eq!(
            check(&report, id)["evidence"]["mailbox"],
            "intranet@contoso.com"
        );
    }
}

#[test]
fn callback_registered_from_a_wrong_fqdn_fails_on_redirect_uri() {
    let stand_in = StandIn::start_with("zammad-microsoft365-wrong-fqdn", |s| {
        s["sign_in"] = json!({ "as": ["admin@contoso.com", "intranet@contoso.com"] });
    });
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

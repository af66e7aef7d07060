//! The `glpi-oauthimap` profile (GLPI's OAuth IMAP plugin: mail receivers collecting a Microsoft
//! 365 mailbox over IMAP with the mailbox user's delegated token) with the real binary against the
//! stand-in: `register` makes it from nothing — single tenant, the plugin's Web Callback url
//! `…/marketplace/oauthimap/front/authorization.callback.php`, delegated `IMAP.AccessAsUser.All
//! offline_access openid email profile` with admin consent — and `verify --sign-in device-code`
//! then passes every check, the mailbox owner signing in over IMAP as the plugin does; the Callback
//! url registered as a Single-page application (AADSTS9002325 in the plugin's tracker) fails on
//! `redirect_uri` with `redirect_platform_wrong`.

use entra_setup_tests::cli::entra_setup;
use entra_setup_tests::stand_in::StandIn;
use entra_setup_tests::verify_cli::verify;
use serde_json::{Value, json};

const PROFILE: &str = "glpi-oauthimap";
const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const SITE: &[&str] = &[
    "--site-url",
    "https://glpi.contoso.com/marketplace/oauthimap",
];
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
fn registers_from_nothing_and_verifies_imap_as_the_mailbox_owner() {
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
    assert_eq!(
        check(&report, "imap_auth")["evidence"]["mailbox"],
        "intranet@contoso.com"
    );
}

#[test]
fn callback_registered_as_a_single_page_application_fails_on_redirect_uri() {
    let stand_in = StandIn::start_with("glpi-oauthimap-spa-redirect", |s| {
        s["sign_in"] = json!({ "as": ["admin@contoso.com", "intranet@contoso.com"] });
    });
    let (code, report) = verify(&stand_in, &verify_args(APP), Some(APP_SECRET));
    let redirect = check(&report, "redirect_uri");
    assert_eq!(redirect["status"], "fail", "{report:#}");
    assert_eq!(redirect["cause"], "redirect_platform_wrong", "{redirect:#}");
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

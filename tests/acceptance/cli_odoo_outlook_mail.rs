//! The `odoo-outlook-mail` profile (Odoo's Outlook outgoing and incoming mail servers: SMTP and
//! IMAP with the connecting account's delegated token) with the real binary against the
//! stand-in: `register` makes it from nothing — organisational and personal accounts, Odoo's Web
//! redirect `…/microsoft_outlook/confirm`, delegated `SMTP.Send IMAP.AccessAsUser.All
//! offline_access` with admin consent — and `verify --sign-in device-code` then passes every
//! check, the mailbox owner signing in over SMTP and IMAP as Odoo does; the registration made as
//! Odoo's guide says, without admin consent, fails on `admin_consent` with
//! `admin_consent_missing`.

use entra_setup_tests::cli::entra_setup;
use entra_setup_tests::stand_in::StandIn;
use entra_setup_tests::verify_cli::verify;
use serde_json::{Value, json};

const PROFILE: &str = "odoo-outlook-mail";
const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const SITE: &[&str] = &["--site-url", "https://odoo.contoso.com"];
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
fn a_registration_without_admin_consent_fails_on_admin_consent() {
    let stand_in = StandIn::start_with("odoo-outlook-mail-no-consent", |s| {
        s["sign_in"] = json!({ "as": ["admin@contoso.com", "intranet@contoso.com"] });
    });
    let (code, report) = verify(&stand_in, &verify_args(APP), Some(APP_SECRET));
    let consent = check(&report, "admin_consent");
    assert_eq!(consent["status"], "fail", "{report:#}");
    assert_eq!(consent["cause"], "admin_consent_missing", "{consent:#}");
    for id in ["redirect_uri", "account_type", "api_permissions"] {
        assert_eq!(check(&report, id)["status"], "pass", "{report:#}");
    }
    assert_eq!(code, 1);
}

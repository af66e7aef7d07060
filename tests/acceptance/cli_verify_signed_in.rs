//! `entra-setup verify --sign-in device-code --json` (the real binary) against the stand-in: the
//! administrator and then the mailbox owner sign in (the scenarios' `sign_in.as` approves the
//! device codes at once), and every checkpoint of every shipped profile is judged — all passing
//! on the healthy scenarios, the right check failing with the right cause on the broken ones.

use entra_setup_tests::stand_in::StandIn;
use entra_setup_tests::verify_cli::{assert_outcomes, verify};
use serde_json::{Value, json};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const VENDOR_APP: &str = "ffffffff-0000-0000-0000-000000000001";

/// The administrator signs in first, then the integration's mailbox owner.
fn admin_then_mailbox(scenario: &mut Value) {
    scenario["sign_in"] = json!({ "as": ["admin@contoso.com", "intranet@contoso.com"] });
}

/// Verify `profile` on the example `scenario` with both sign-ins; `extra` adds options.
fn signed_in(scenario: &str, profile: &str, extra: &[&str], secret: Option<&str>) -> (i32, Value) {
    let stand_in = StandIn::start_with(scenario, admin_then_mailbox);
    let mut args = vec!["--profile", profile, "--sign-in", "device-code"];
    args.extend_from_slice(extra);
    verify(&stand_in, &args, secret)
}

fn assert_all_pass(code: i32, report: &Value) {
    let checks = report["checks"].as_array().expect("checks");
    let not_passing: Vec<&Value> = checks.iter().filter(|c| c["status"] != "pass").collect();
    assert!(not_passing.is_empty(), "not passing: {not_passing:#?}");
    assert_eq!(code, 0);
}

const CALENDAR: &[&str] = &[
    "--client-id",
    APP,
    "--site-url",
    "https://intranet.contoso.com",
    "--mailbox",
    "intranet@contoso.com",
];
const EMAIL: &[&str] = &[
    "--client-id",
    APP,
    "--site-url",
    "https://intranet.contoso.com",
    "--mailbox",
    "intranet@contoso.com",
    "--test-recipient",
    "bob@contoso.com",
];

#[test]
fn healthy_axero_calendar_passes_every_check() {
    let (code, report) = signed_in(
        "axero-outlook-calendar",
        "axero-outlook-calendar",
        CALENDAR,
        Some(SECRET),
    );
    assert_all_pass(code, &report);
    assert_eq!(report["checks"].as_array().map(Vec::len), Some(10));
}

#[test]
fn the_contoso_demo_tenant_passes_every_check_of_the_calendar_profile() {
    let (code, report) = signed_in("contoso", "axero-outlook-calendar", CALENDAR, Some(SECRET));
    assert_all_pass(code, &report);
}

#[test]
fn healthy_axero_email_passes_every_check_including_smtp_and_a_test_email() {
    let (code, report) = signed_in("axero-m365-email", "axero-m365-email", EMAIL, Some(SECRET));
    assert_all_pass(code, &report);
    assert_eq!(report["checks"].as_array().map(Vec::len), Some(11));
}

#[test]
fn healthy_odoo_passes_every_check() {
    let args = ["--client-id", APP, "--site-url", "https://odoo.contoso.com"];
    let (code, report) = signed_in(
        "odoo-outlook-calendar",
        "odoo-outlook-calendar",
        &args,
        Some(SECRET),
    );
    assert_all_pass(code, &report);
}

#[test]
fn healthy_connector_passes_every_check() {
    let args = ["--client-id", APP, "--mailbox", "intranet@contoso.com"];
    let (code, report) = signed_in(
        "exchange-calendar-connector",
        "exchange-calendar-connector",
        &args,
        Some(SECRET),
    );
    assert_all_pass(code, &report);
}

#[test]
fn an_approved_vendor_app_passes() {
    let (code, report) = signed_in(
        "vendor-app-consent",
        "vendor-app-consent",
        &["--client-id", VENDOR_APP],
        None,
    );
    assert_all_pass(code, &report);
}

/// A broken scenario, the profile and options verified on it, and the (check, status, cause)
/// expected.
type Case<'a> = (&'a str, &'a str, &'a [&'a str], (&'a str, &'a str, &'a str));

#[test]
fn broken_registrations_fail_on_the_right_check() {
    let cases: &[Case] = &[
        (
            "wrong-redirect-uri",
            "axero-outlook-calendar",
            CALENDAR,
            ("redirect_uri", "fail", "redirect_uri_mismatch"),
        ),
        (
            "wrong-account-type",
            "odoo-outlook-calendar",
            &["--client-id", APP, "--site-url", "https://odoo.contoso.com"],
            ("account_type", "fail", "account_type_mismatch"),
        ),
        (
            "missing-consent",
            "axero-outlook-calendar",
            CALENDAR,
            ("admin_consent", "fail", "admin_consent_missing"),
        ),
        (
            "smtp-auth-off-tenant",
            "axero-m365-email",
            EMAIL,
            ("smtp_auth", "fail", "smtp_auth_disabled_tenant"),
        ),
        (
            "smtp-auth-off-mailbox",
            "axero-m365-email",
            EMAIL,
            ("smtp_auth", "fail", "smtp_auth_disabled_mailbox"),
        ),
        (
            "unlicensed-mailbox",
            "axero-m365-email",
            EMAIL,
            ("mailbox", "fail", "mailbox_unavailable"),
        ),
        (
            "shared-mailbox",
            "axero-m365-email",
            EMAIL,
            ("mailbox", "fail", "mailbox_is_shared"),
        ),
        (
            "expired-secret",
            "axero-outlook-calendar",
            CALENDAR,
            ("secret_expiry", "fail", "secret_expired"),
        ),
    ];
    for (scenario, profile, args, expected) in cases {
        let (code, report) = signed_in(scenario, profile, args, Some(SECRET));
        assert_eq!(code, 1, "{scenario}: {report:#}");
        assert_outcomes(&report, &[*expected]);
    }
}

#[test]
fn user_consent_disabled_is_reported_for_the_vendor_app() {
    let stand_in = StandIn::start_with("user-consent-disabled", |scenario| {
        scenario["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let (code, report) = verify(
        &stand_in,
        &[
            "--profile",
            "vendor-app-consent",
            "--sign-in",
            "device-code",
            "--client-id",
            VENDOR_APP,
        ],
        None,
    );
    assert_eq!(code, 1, "{report:#}");
    assert_outcomes(
        &report,
        &[("admin_consent", "fail", "admin_consent_missing")],
    );
    let policy = report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "consent_policy"))
        .cloned();
    assert!(
        policy
            .as_ref()
            .is_some_and(|p| p["status"] == "fail" || p["status"] == "warn"),
        "consent_policy: {policy:#?}"
    );
}

/// The check `id` of a report.
fn check_of<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("{id} in {report:#}"))
}

/// The seed's "Approval Required (Request-Submitted)": users asked for approval of the vendor's
/// app and nobody reviewed it yet. The administrator's sign-in reads the requests.
#[test]
fn pending_requests_for_a_vendor_app_warn_while_they_wait_for_a_reviewer() {
    let stand_in = StandIn::start("vendor-app-requested");
    let (code, report) = verify(
        &stand_in,
        &[
            "--profile",
            "vendor-app-consent",
            "--sign-in",
            "device-code",
            "--client-id",
            VENDOR_APP,
        ],
        None,
    );
    // The unapproved app has no enterprise application here, so its client ID is unknown to the
    // token endpoint: that failure stays; the consent checks explain it.
    assert_eq!(code, 1, "{report:#}");
    assert_outcomes(
        &report,
        &[
            ("client_id", "fail", "client_id_not_found"),
            ("admin_consent", "warn", "consent_request_pending"),
            ("consent_policy", "fail", "user_consent_blocked"),
        ],
    );
    let consent = check_of(&report, "admin_consent");
    assert_eq!(consent["evidence"]["pending_requests"], 2, "{consent:#}");
    let asked: Vec<&str> = consent["evidence"]["consent_requests"]
        .as_array()
        .expect("consent_requests")
        .iter()
        .filter_map(|r| r["requested_by"].as_str())
        .collect();
    assert_eq!(asked, ["bob@contoso.com", "intranet@contoso.com"]);
    assert!(
        consent["portal_link"]
            .as_str()
            .is_some_and(|l| l.contains("AccessRequests")),
        "{consent:#}"
    );
    assert!(
        consent["fix"]
            .as_str()
            .is_some_and(|f| f.contains("Admin consent requests")),
        "{consent:#}"
    );
}

/// Every spelling Microsoft uses for the built-in user-consent policies, Microsoft's managed
/// setting and a policy of the tenant's own, for Odoo whose app has no admin consent.
#[test]
fn odoos_consent_policy_for_every_spelling_of_the_user_consent_setting() {
    let cases: &[(&str, (&str, &str, &str))] = &[
        (
            "ManagePermissionGrantsForSelf.microsoft-user-default-legacy",
            ("consent_policy", "pass", ""),
        ),
        (
            "ManagePermissionGrantsForSelf.microsoft-user-default-low",
            ("consent_policy", "fail", "user_consent_blocked"),
        ),
        (
            "managePermissionGrantsForSelf.microsoft-user-default-low",
            ("consent_policy", "fail", "user_consent_blocked"),
        ),
        (
            "managePermissionGrantsForSelf.microsoft-user-default-legacy",
            ("consent_policy", "pass", ""),
        ),
        (
            "recommended",
            ("consent_policy", "fail", "user_consent_blocked"),
        ),
        (
            "ManagePermissionGrantsForSelf.microsoft-user-default-recommended",
            ("consent_policy", "fail", "user_consent_blocked"),
        ),
        (
            "ManagePermissionGrantsForSelf.contoso-approved-apps",
            ("consent_policy", "warn", "consent_policy_unrecognised"),
        ),
        ("none", ("consent_policy", "fail", "user_consent_blocked")),
    ];
    for (setting, expected) in cases {
        let stand_in = StandIn::start_with("odoo-outlook-calendar", |scenario| {
            scenario["tenants"][0]["user_consent"] = json!(setting);
            scenario["tenants"][0]["applications"][0]["consented"]["delegated"] = json!([]);
        });
        let (code, report) = verify(
            &stand_in,
            &[
                "--profile",
                "odoo-outlook-calendar",
                "--sign-in",
                "device-code",
                "--client-id",
                APP,
                "--site-url",
                "https://odoo.contoso.com",
            ],
            Some(SECRET),
        );
        assert_outcomes(&report, &[*expected]);
        let policy = check_of(&report, "consent_policy");
        let expected_code = match expected.1 {
            "fail" => 1,
            _ => 0,
        };
        assert_eq!(code, expected_code, "{setting}: {policy:#}");
        if expected.1 == "fail" {
            assert!(
                policy["fix"]
                    .as_str()
                    .is_some_and(|f| f.contains("Grant admin consent")),
                "{setting}: {policy:#}"
            );
        }
        if expected.2 == "consent_policy_unrecognised" {
            assert!(
                policy["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(setting)),
                "{policy:#}"
            );
        }
    }
}

/// `verify --json` of Axero's calendar integration with the scenario's secret and a device-code
/// sign-in: the exit code and the report.
fn verify_calendar_signed_in(stand_in: &StandIn) -> (i32, Value) {
    verify(
        stand_in,
        &[
            &["--profile", "axero-outlook-calendar"],
            CALENDAR,
            &["--sign-in", "device-code"],
        ]
        .concat(),
        Some(SECRET),
    )
}

/// The administrator's sign-in meets a 503 (three times, more than the client retries): the
/// checks that need no sign-in are still reported, the others are `unverified` with the fault's
/// cause, stdout is one JSON document, and the exit status is 2.
#[test]
fn a_failed_sign_in_still_reports_every_check() {
    let stand_in = StandIn::start_with("contoso", |s| {
        s["sign_in"] = json!({ "as": "admin@contoso.com" });
        s["faults"] = json!([
            {"match": "POST /*/oauth2/v2.0/devicecode", "kind": "status", "status": 503, "times": 3}
        ]);
    });
    let (code, report) = verify_calendar_signed_in(&stand_in);
    assert_eq!(code, 2, "{report:#}");
    let status = |id: &str| {
        report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id} in {report:#}"))
            .clone()
    };
    for id in ["tenant", "client_id", "client_secret"] {
        assert_eq!(status(id)["status"], "pass", "{id}: {report:#}");
    }
    for id in ["redirect_uri", "api_permissions", "admin_consent"] {
        let check = status(id);
        assert_eq!(check["status"], "unverified", "{id}: {check:#}");
        assert_eq!(check["cause"], "service_unavailable", "{id}: {check:#}");
        assert!(
            check["message"]
                .as_str()
                .is_some_and(|m| m.contains("sign-in could not be completed")),
            "{check:#}"
        );
    }
    let unverified = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] == "unverified")
        .count();
    assert_eq!(
        report["summary"]["unverified"],
        json!(unverified),
        "{report:#}"
    );
}

/// The SMTP probe keeps `--timeout` (3 s here): a server silent for 10 s is `unverified`, where
/// the probe's own default (20 s) would have waited it out.
#[test]
fn the_smtp_probe_keeps_the_timeout() {
    let stand_in = StandIn::start_with("contoso", |s| {
        s["sign_in"] = json!({ "as": ["admin@contoso.com", "intranet@contoso.com"] });
        s["faults"] = json!([{ "match": "SMTP", "kind": "hang", "seconds": 10.0 }]);
    });
    let (code, report) = verify_calendar_signed_in(&stand_in);
    let smtp = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == "smtp_auth")
        .cloned()
        .expect("smtp_auth");
    assert_eq!(smtp["status"], "unverified", "{smtp:#}");
    assert_eq!(smtp["cause"], "network_error", "{smtp:#}");
    assert_eq!(code, 2, "{report:#}");
}

#[test]
fn an_smtp_ca_that_cannot_be_used_is_refused_at_start() {
    let stand_in = StandIn::start("contoso");
    let home = tempfile::tempdir().expect("home");
    let mut endpoints: Value =
        serde_json::from_str(&std::fs::read_to_string(stand_in.endpoints_file()).expect("read"))
            .expect("json");
    endpoints["smtp_ca_pem"] = json!(home.path().join("gone.pem"));
    let file = home.path().join("endpoints.json");
    std::fs::write(&file, endpoints.to_string()).expect("write");
    let output = std::process::Command::new(entra_setup_tests::paths::program("entra-setup"))
        .env("ENTRA_SETUP_HOME", home.path())
        .arg("--endpoints")
        .arg(&file)
        .args([
            "verify",
            "--profile",
            "axero-outlook-calendar",
            "--tenant",
            "contoso.com",
        ])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(64), "{stderr}");
    assert!(
        stderr.contains("smtp_ca_pem") && stderr.contains("gone.pem"),
        "{stderr}"
    );
}

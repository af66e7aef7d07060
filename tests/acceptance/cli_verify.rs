//! `entra-setup verify --json` (the real binary) against the stand-in tenant: each example
//! scenario gives each check the status and cause it should, and every fault kind on every
//! endpoint the checks use ends as `unverified` — never a verdict.

use entra_setup_tests::stand_in::StandIn;
use entra_setup_tests::verify_cli::{AXERO_CALENDAR, assert_outcomes, outcome, verify, verify_in};
use serde_json::json;

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const SECRET_ID: &str = "dddddddd-0000-0000-0000-000000000001";
/// The calendar connector's arguments, reading Contoso's integration mailbox.
const CONNECTOR: &[&str] = &[
    "--profile",
    "exchange-calendar-connector",
    "--client-id",
    APP,
    "--mailbox",
    "intranet@contoso.com",
];

#[test]
fn every_listed_check_appears_once_with_the_contract_fields() {
    let stand_in = StandIn::start("axero-outlook-calendar");
    let (code, report) = verify(&stand_in, AXERO_CALENDAR, Some(SECRET));
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["profile"], "axero-outlook-calendar");
    assert_eq!(report["tenant_id"], "11111111-2222-3333-4444-555555555555");
    assert_eq!(report["client_id"], APP);
    let ids: Vec<&str> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "tenant",
            "client_id",
            "client_secret",
            "secret_expiry",
            "redirect_uri",
            "account_type",
            "api_permissions",
            "admin_consent",
            "mailbox",
            "smtp_auth"
        ]
    );
    for check in report["checks"].as_array().expect("checks") {
        assert!(
            check["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{check}"
        );
        assert!(check.get("evidence").is_some(), "{check}");
        match check["status"].as_str() {
            Some("skipped") => assert!(
                check["reason"].is_string() && check.get("cause").is_none(),
                "{check}"
            ),
            Some("pass") => assert!(check.get("cause").is_none(), "{check}"),
            _ => assert!(check["cause"].is_string(), "{check}"),
        }
    }
    assert_outcomes(
        &report,
        &[
            ("tenant", "pass", ""),
            ("client_id", "pass", ""),
            ("client_secret", "pass", ""),
            ("redirect_uri", "skipped", "needs_sign_in"),
            ("smtp_auth", "skipped", "missing_input"),
        ],
    );
    assert_eq!(
        report["summary"],
        json!({"pass": 3, "fail": 0, "warn": 0, "unverified": 0, "skipped": 7})
    );
}

#[test]
fn healthy_connector_passes_with_its_app_token() {
    let stand_in = StandIn::start("exchange-calendar-connector");
    let (code, report) = verify(&stand_in, CONNECTOR, Some(SECRET));
    assert_eq!(code, 0, "{report:#}");
    assert_outcomes(
        &report,
        &[
            ("client_secret", "pass", ""),
            ("api_permissions", "pass", ""),
            ("admin_consent", "pass", ""),
            ("calendar_access", "pass", ""),
        ],
    );
}

#[test]
fn wrong_client_id_fails_client_id_and_blocks_what_builds_on_it() {
    let stand_in = StandIn::start("wrong-client-id");
    let (code, report) = verify(
        &stand_in,
        &["--profile", "axero-outlook-calendar", "--client-id", APP],
        Some(SECRET),
    );
    assert_eq!(code, 1);
    assert_outcomes(
        &report,
        &[
            ("client_id", "fail", "client_id_not_found"),
            ("client_secret", "skipped", "depends_on_failed"),
        ],
    );
}

#[test]
fn the_secret_id_pasted_for_the_value_is_named_as_such() {
    let stand_in = StandIn::start("secret-id-pasted");
    let (code, report) = verify(
        &stand_in,
        &["--profile", "axero-outlook-calendar", "--client-id", APP],
        Some(SECRET_ID),
    );
    assert_eq!(code, 1);
    assert_outcomes(
        &report,
        &[
            ("client_id", "pass", ""),
            ("client_secret", "fail", "secret_is_secret_id"),
        ],
    );
}

#[test]
fn an_expired_secret_fails_as_expired() {
    let stand_in = StandIn::start("expired-secret");
    let (code, report) = verify(
        &stand_in,
        &["--profile", "axero-outlook-calendar", "--client-id", APP],
        Some(SECRET),
    );
    assert_eq!(code, 1);
    assert_outcomes(&report, &[("client_secret", "fail", "secret_expired")]);
}

#[test]
fn a_wrong_secret_fails_as_invalid() {
    let stand_in = StandIn::start("axero-outlook-calendar");
    let (code, report) = verify(
        &stand_in,
        &["--profile", "axero-outlook-calendar", "--client-id", APP],
        Some("Ab1Q~wrongwrongwrongwrongwrongwrongwrong"),
    );
    assert_eq!(code, 1);
    assert_outcomes(&report, &[("client_secret", "fail", "secret_invalid")]);
}

#[test]
fn without_a_secret_the_app_is_still_found() {
    let stand_in = StandIn::start("axero-outlook-calendar");
    let (code, report) = verify(
        &stand_in,
        &["--profile", "axero-outlook-calendar", "--client-id", APP],
        None,
    );
    assert_eq!(code, 0);
    assert_outcomes(
        &report,
        &[
            ("client_id", "pass", ""),
            ("client_secret", "skipped", "missing_input"),
        ],
    );
}

#[test]
fn missing_consent_for_application_permissions_is_read_from_the_token() {
    let stand_in = StandIn::start("missing-consent");
    let (code, report) = verify(
        &stand_in,
        &[
            "--profile",
            "exchange-calendar-connector",
            "--client-id",
            "bbbbbbbb-0000-0000-0000-000000000002",
            "--mailbox",
            "intranet@contoso.com",
        ],
        Some(SECRET),
    );
    assert_eq!(code, 1, "{report:#}");
    assert_outcomes(
        &report,
        &[
            ("client_secret", "pass", ""),
            ("admin_consent", "fail", "admin_consent_missing"),
            ("api_permissions", "skipped", "needs_sign_in"),
            ("calendar_access", "skipped", "depends_on_failed"),
        ],
    );
}

#[test]
fn an_application_access_policy_that_excludes_the_mailbox_is_recognised() {
    let stand_in = StandIn::start("access-policy-denied");
    let args = [
        "--profile",
        "exchange-calendar-connector",
        "--client-id",
        APP,
        "--mailbox",
    ];
    let (code, report) = verify(
        &stand_in,
        &[&args[..], &["intranet@contoso.com"]].concat(),
        Some(SECRET),
    );
    assert_eq!(code, 1);
    assert_outcomes(
        &report,
        &[
            ("admin_consent", "pass", ""),
            ("calendar_access", "fail", "mailbox_access_policy_denied"),
        ],
    );
    let (code, report) = verify(
        &stand_in,
        &[&args[..], &["bob@contoso.com"]].concat(),
        Some(SECRET),
    );
    assert_eq!(code, 0, "{report:#}");
}

#[test]
fn a_redirect_uri_with_a_trailing_slash_fails_before_asking_anyone() {
    let stand_in = StandIn::start("wrong-redirect-uri");
    let (code, report) = verify(
        &stand_in,
        &[
            "--profile",
            "axero-outlook-calendar",
            "--client-id",
            APP,
            "--redirect-uri",
            "https://intranet.contoso.com/oauth2/outlook/callback/",
        ],
        Some(SECRET),
    );
    assert_eq!(code, 1);
    assert_outcomes(&report, &[("redirect_uri", "fail", "redirect_uri_invalid")]);
}

#[test]
fn an_unknown_tenant_fails_and_everything_else_is_skipped() {
    let stand_in = StandIn::start("axero-outlook-calendar");
    let (code, report) = verify_in(
        &stand_in,
        "fabrikam.com",
        &["--profile", "odoo-outlook-calendar", "--client-id", APP],
        None,
    );
    assert_eq!(code, 1);
    assert_outcomes(
        &report,
        &[
            ("tenant", "fail", "tenant_not_found"),
            ("client_id", "skipped", "depends_on_failed"),
        ],
    );
}

#[test]
fn throttling_and_outages_are_retried_then_unverified() {
    // throttling.json: the first token request answers 503 (retried), Graph answers 429 three
    // times with Retry-After 2.128 — more than the retries allow.
    let stand_in = StandIn::start("throttling");
    let (code, report) = verify(&stand_in, CONNECTOR, Some(SECRET));
    assert_eq!(code, 2, "{report:#}");
    assert_outcomes(
        &report,
        &[
            ("client_secret", "pass", ""),
            ("calendar_access", "unverified", "throttled"),
        ],
    );
}

/// Each fault kind on each endpoint the checks use makes the checks that need it `unverified`
/// (exit 2), and never `pass` or `fail`.
#[test]
fn fault_matrix_never_gives_a_wrong_verdict() {
    let endpoints = [
        ("GET /*/v2.0/.well-known/openid-configuration", "tenant"),
        ("POST /*/oauth2/v2.0/token", "client_secret"),
        ("GET /v1.0/users/*", "calendar_access"),
    ];
    let faults = [
        json!({"kind": "status", "status": 503}),
        json!({"kind": "status", "status": 429, "retry_after": "0.2"}),
        json!({"kind": "malformed"}),
        json!({"kind": "reset"}),
        json!({"kind": "hang", "seconds": 3}),
    ];
    for (path, check) in endpoints {
        for fault in &faults {
            let mut fault = fault.clone();
            fault["match"] = json!(path);
            let stand_in = StandIn::start_with("exchange-calendar-connector", |scenario| {
                scenario["faults"] = json!([fault.clone()]);
            });
            let (code, report) = verify(&stand_in, CONNECTOR, Some(SECRET));
            assert_eq!(code, 2, "{fault} gives exit 2: {report:#}");
            let (status, cause) = outcome(&report, check);
            assert_eq!(status, "unverified", "{fault}: {report:#}");
            assert!(
                ["throttled", "service_unavailable", "network_error"].contains(&cause.as_str()),
                "{fault}: {cause}"
            );
            assert_eq!(report["summary"]["fail"], 0, "{fault}: {report:#}");
        }
    }
}

#[test]
fn a_mailbox_or_recipient_that_is_not_an_address_is_refused() {
    let stand_in = StandIn::start("contoso");
    let home = tempfile::tempdir().expect("home");
    for (option, value) in [
        ("--mailbox", "intranet"),
        ("--mailbox", "intranet@contoso.com\r\nBcc: x@y.z"),
        ("--test-recipient", "bob@"),
    ] {
        let run = entra_setup_tests::cli::entra_setup(
            &stand_in,
            home.path(),
            &[
                "verify",
                "--json",
                "--profile",
                "axero-m365-email",
                "--tenant",
                "contoso.com",
                option,
                value,
            ],
            None,
            &[],
        );
        assert_eq!(run.code, Some(64), "{option} {value:?}: {run:?}");
        assert!(run.stderr.contains(option), "{}", run.stderr);
    }
}

/// `--cloud` and `--sign-in` take one of a closed set of values: anything else is bad usage
/// (exit 64) with a message naming the option and every value it takes, before anything runs.
/// `register` and `rotate-secret` need an administrator, so `none` is not one of theirs.
#[test]
fn a_value_outside_an_options_set_is_refused_naming_the_option_and_its_values() {
    let home = tempfile::tempdir().expect("home");
    let verify = ["verify", "--profile", "axero-outlook-calendar"];
    let cases: &[(&[&str], &str, &[&str])] = &[
        (
            &["--cloud", "mars", "profiles"],
            "--cloud",
            &["global", "usgov", "china"],
        ),
        (
            &[
                &verify[..],
                &["--tenant", "contoso.com", "--cloud", "Global"],
            ]
            .concat(),
            "--cloud",
            &["global", "usgov", "china"],
        ),
        (
            &[
                &verify[..],
                &["--tenant", "contoso.com", "--sign-in", "password"],
            ]
            .concat(),
            "--sign-in",
            &["none", "device-code", "browser"],
        ),
        (
            &[
                &verify[..],
                &["--tenant", "contoso.com", "--sign-in", "device_code"],
            ]
            .concat(),
            "--sign-in",
            &["none", "device-code", "browser"],
        ),
        (
            &[
                "register",
                "--profile",
                "axero-outlook-calendar",
                "--tenant",
                "contoso.com",
                "--sign-in",
                "none",
            ],
            "--sign-in",
            &["device-code", "browser"],
        ),
        (
            &[
                "rotate-secret",
                "--tenant",
                "contoso.com",
                "--client-id",
                APP,
                "--sign-in",
                "kiosk",
            ],
            "--sign-in",
            &["device-code", "browser"],
        ),
    ];
    for (args, option, values) in cases {
        let run = entra_setup_tests::cli::run(home.path(), None, args, None, &[]);
        assert_eq!(run.code, Some(64), "{args:?}: {run:?}");
        assert!(run.stdout.is_empty(), "{args:?}: {run:?}");
        assert!(run.stderr.contains(option), "{args:?}: {}", run.stderr);
        for value in *values {
            assert!(
                run.stderr.contains(value),
                "{args:?} lacks {value}: {}",
                run.stderr
            );
        }
    }
}

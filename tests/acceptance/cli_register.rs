//! `entra-setup register --sign-in device-code` (the real binary) against the stand-in: a
//! tenant without apps gets each shipped profile's registration, consented, with a secret shown
//! once, and `verify --sign-in device-code` then passes; a second run changes nothing and makes
//! no secret; `--client-id` repairs each broken example scenario; a capped lifetime policy and
//! a replication delay are handled; a failure after the create names the new registration; a
//! multi-tenant registration reports its admin-consent link; the sign-in client comes from the
//! option, the environment or `config.toml`; without `--show-secret` (and no keychain) no secret
//! is made at all (exit 64).

use entra_setup_tests::cli::{Run, entra_setup};
use entra_setup_tests::stand_in::StandIn;
use entra_setup_tests::verify_cli::{AXERO_CALENDAR, verify};
use serde_json::{Value, json};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const CONNECTOR: &str = "bbbbbbbb-0000-0000-0000-000000000002";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";

/// Contoso without any app registration; the administrator approves device codes.
fn empty_tenant() -> StandIn {
    StandIn::start_with("contoso", |scenario| {
        scenario["tenants"][0]["applications"] = json!([]);
        scenario["sign_in"] = json!({ "as": "admin@contoso.com" });
    })
}

/// Run `entra-setup register --json` for Contoso's Axero calendar integration on a machine
/// without a keychain; the exit code, stdout and stderr.
fn register(stand_in: &StandIn, args: &[&str]) -> (i32, String, String) {
    let mut all = vec![
        "--profile",
        "axero-outlook-calendar",
        "--site-url",
        "https://intranet.contoso.com",
    ];
    all.extend_from_slice(args);
    let run = register_with(stand_in, &all);
    (run.code.expect("exit code"), run.stdout, run.stderr)
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
    let site = [
        "--profile",
        "axero-outlook-calendar",
        "--site-url",
        "https://intranet.contoso.com",
    ];
    let mut again_args = site.to_vec();
    again_args.extend(["--client-id", client_id, "--secret-stdin"]);
    let again = register_given(&stand_in, &again_args, Some(value));
    let result = again.json();
    assert_eq!(again.code, Some(0), "{result:#}\n{}", again.stderr);
    assert_eq!(result["created"], false);
    assert_eq!(result["changes"], json!([]));
    assert_eq!(result["secret"], Value::Null);
    let secret_check = &result["verify"]["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == "client_secret")
        .cloned()
        .expect("client_secret");
    assert_eq!(
        secret_check["status"], "pass",
        "the given secret is verified"
    );

    // Without the secret at hand and no keychain, a new one could not be kept: refused first.
    let (code, stdout, stderr) = register(&stand_in, &["--client-id", client_id]);
    assert_eq!(code, 64, "{stdout}\n{stderr}");
    assert!(stderr.contains("--secret-stdin"), "{stderr}");
}

#[test]
fn refuses_to_make_a_secret_it_cannot_show_or_store() {
    let stand_in = empty_tenant();
    let (code, stdout, stderr) = register(&stand_in, &[]);
    assert_eq!(code, 64, "{stdout}\n{stderr}");
    assert!(stderr.contains("--show-secret"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
}

/// Run `entra-setup register --json --tenant contoso.com ARGS` with its own home folder.
fn register_with(stand_in: &StandIn, args: &[&str]) -> Run {
    register_given(stand_in, args, None)
}

/// [`register_with`], with `stdin` (the secret `--secret-stdin` reads).
fn register_given(stand_in: &StandIn, args: &[&str], stdin: Option<&str>) -> Run {
    let home = tempfile::tempdir().expect("home");
    let mut all = vec!["register", "--json", "--tenant", "contoso.com"];
    all.extend_from_slice(args);
    entra_setup(stand_in, home.path(), &all, stdin, &[])
}

/// Every check passed, or was skipped for want of a mailbox input.
fn assert_all_pass_or_need_a_mailbox(report: &Value) {
    for check in report["checks"].as_array().expect("checks") {
        let ok = check["status"] == "pass"
            || (check["status"] == "skipped" && check["reason"] == "missing_input");
        assert!(ok, "{check:#}\n{report:#}");
    }
}

/// Every shipped profile `register` makes an app for: its redirect options, and the mailbox
/// options its verification takes.
const PROFILES: &[(&str, &[&str], &[&str])] = &[
    (
        "axero-outlook-calendar",
        &["--site-url", "https://intranet.contoso.com"],
        &["--mailbox", "intranet@contoso.com"],
    ),
    (
        "axero-m365-email",
        &["--site-url", "https://intranet.contoso.com"],
        &[
            "--mailbox",
            "intranet@contoso.com",
            "--test-recipient",
            "bob@contoso.com",
        ],
    ),
    (
        "odoo-outlook-calendar",
        &["--site-url", "https://odoo.contoso.com"],
        &[],
    ),
    (
        "exchange-calendar-connector",
        &[],
        &["--mailbox", "intranet@contoso.com"],
    ),
];

#[test]
fn every_shipped_profile_registers_from_nothing_verifies_signed_in_and_changes_nothing_again() {
    for (profile, redirect, mailbox) in PROFILES {
        // The profile's own example tenant without its app; the administrator signs in for
        // `register`, again for `verify`, then (when the checks need one) the mailbox owner, then
        // the administrator again for the second `register`.
        let people = if mailbox.is_empty() {
            json!(["admin@contoso.com"])
        } else {
            json!([
                "admin@contoso.com",
                "admin@contoso.com",
                "intranet@contoso.com",
                "admin@contoso.com"
            ])
        };
        let stand_in = StandIn::start_with(profile, |s| {
            s["tenants"][0]["applications"] = json!([]);
            s["sign_in"] = json!({ "as": people });
        });
        let mut args = vec!["--profile", profile, "--show-secret"];
        args.extend_from_slice(redirect);
        let first = register_with(&stand_in, &args);
        let result = first.json();
        assert_eq!(
            first.code,
            Some(0),
            "{profile}: {result:#}\n{}",
            first.stderr
        );
        assert_eq!(result["created"], true, "{profile}");
        let client_id = result["client_id"].as_str().expect("client_id").to_string();
        let secret = result["secret"]["value"]
            .as_str()
            .expect("value")
            .to_string();

        let mut verify_args = vec![
            "--profile",
            profile,
            "--client-id",
            &client_id,
            "--sign-in",
            "device-code",
        ];
        verify_args.extend_from_slice(redirect);
        verify_args.extend_from_slice(mailbox);
        let (code, report) = verify(&stand_in, &verify_args, Some(&secret));
        let not_passing: Vec<&Value> = report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .filter(|c| c["status"] != "pass")
            .collect();
        assert!(not_passing.is_empty(), "{profile}: {not_passing:#?}");
        assert_eq!(code, 0, "{profile}");

        let mut again_args = vec![
            "--profile",
            profile,
            "--client-id",
            &client_id,
            "--secret-stdin",
        ];
        again_args.extend_from_slice(redirect);
        let again = register_given(&stand_in, &again_args, Some(&secret));
        let result = again.json();
        assert_eq!(result["created"], false, "{profile}");
        assert_eq!(result["changes"], json!([]), "{profile}: {result:#}");
        assert_eq!(result["secret"], Value::Null, "{profile}");
    }
}

#[test]
fn register_client_id_repairs_each_broken_registration() {
    // (scenario, profile, client ID, redirect, the secret verify uses)
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "wrong-redirect-uri",
            "axero-outlook-calendar",
            APP,
            &["--site-url", "https://intranet.contoso.com"],
        ),
        (
            "wrong-account-type",
            "odoo-outlook-calendar",
            APP,
            &["--site-url", "https://odoo.contoso.com"],
        ),
        (
            "missing-consent",
            "axero-outlook-calendar",
            APP,
            &["--site-url", "https://intranet.contoso.com"],
        ),
        (
            "missing-consent",
            "exchange-calendar-connector",
            CONNECTOR,
            &[],
        ),
    ];
    for (scenario, profile, client_id, redirect) in cases {
        let stand_in = StandIn::start_with(scenario, |s| {
            s["sign_in"] = json!({ "as": "admin@contoso.com" });
        });
        let mut verify_args = vec![
            "--profile",
            profile,
            "--client-id",
            client_id,
            "--sign-in",
            "device-code",
        ];
        verify_args.extend_from_slice(redirect);
        let (before, _) = verify(&stand_in, &verify_args, Some(APP_SECRET));
        assert_eq!(before, 1, "{scenario}: broken before");

        let mut args = vec![
            "--profile",
            profile,
            "--client-id",
            client_id,
            "--secret-stdin",
        ];
        args.extend_from_slice(redirect);
        let repaired = register_given(&stand_in, &args, Some(APP_SECRET));
        let result = repaired.json();
        assert_ne!(result["changes"], json!([]), "{scenario}: {result:#}");
        assert_eq!(result["secret"], Value::Null, "{scenario}: no new secret");

        let (after, report) = verify(&stand_in, &verify_args, Some(APP_SECRET));
        assert_all_pass_or_need_a_mailbox(&report);
        assert_eq!(after, 0, "{scenario}: {report:#}");
    }
}

#[test]
fn an_expired_secret_is_repaired_with_a_new_one() {
    let stand_in = StandIn::start_with("expired-secret", |s| {
        s["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let repaired = register_with(
        &stand_in,
        &[
            "--profile",
            "axero-outlook-calendar",
            "--site-url",
            "https://intranet.contoso.com",
            "--client-id",
            APP,
            "--new-secret",
            "--show-secret",
        ],
    );
    let result = repaired.json();
    assert_eq!(repaired.code, Some(0), "{result:#}\n{}", repaired.stderr);
    let secret = result["secret"]["value"].as_str().expect("a new secret");
    let (code, report) = verify(
        &stand_in,
        &[AXERO_CALENDAR, &["--sign-in", "device-code"]].concat(),
        Some(secret),
    );
    assert_all_pass_or_need_a_mailbox(&report);
    assert_eq!(code, 0);
}

#[test]
fn a_capped_lifetime_policy_is_respected() {
    let stand_in = StandIn::start_with("contoso", |s| {
        s["tenants"][0]["applications"] = json!([]);
        s["tenants"][0]["secret_max_lifetime_days"] = json!(90);
        s["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let run = register(&stand_in, &["--show-secret", "--secret-days", "365"]);
    let result = json_of(&run.1, &run.2);
    assert_eq!(run.0, 0, "{result:#}\n{}", run.2);
    let expires = chrono::DateTime::parse_from_rfc3339(
        result["secret"]["expires"].as_str().expect("expires"),
    )
    .expect("RFC 3339");
    assert!(expires <= chrono::Utc::now() + chrono::Duration::days(90));
    let changes = result["changes"].to_string();
    assert!(changes.contains("capped from 365 days"), "{changes}");
}

#[test]
fn directory_replication_delay_is_waited_out() {
    let stand_in = StandIn::start_with("contoso", |s| {
        s["tenants"][0]["applications"] = json!([]);
        s["replication_delay_ms"] = json!(3000);
        s["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let (code, stdout, stderr) = register(&stand_in, &["--show-secret"]);
    let result = json_of(&stdout, &stderr);
    assert_eq!(code, 0, "{result:#}\n{stderr}");
    let client_id = result["client_id"].as_str().expect("client_id");
    let home = tempfile::tempdir().expect("home");
    let rotated = entra_setup(
        &stand_in,
        home.path(),
        &[
            "rotate-secret",
            "--tenant",
            "contoso.com",
            "--client-id",
            client_id,
            "--show-secret",
            "--json",
        ],
        None,
        &[],
    );
    assert_eq!(
        rotated.code,
        Some(0),
        "{}\n{}",
        rotated.stdout,
        rotated.stderr
    );
    assert_eq!(rotated.json()["secret"]["confirmed"], true);
}

#[test]
fn a_failure_after_the_registration_is_created_names_it() {
    let stand_in = StandIn::start_with("contoso", |s| {
        s["tenants"][0]["applications"] = json!([]);
        s["sign_in"] = json!({ "as": "admin@contoso.com" });
        s["faults"] = json!([
            {"match": "POST /v1.0/servicePrincipals", "kind": "status", "status": 403, "times": 1}
        ]);
    });
    let (code, stdout, stderr) = register(&stand_in, &["--show-secret"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let named = regex_like_client_id(&stderr).expect("the new client ID on stderr");
    assert!(stderr.contains("object ID"), "{stderr}");
    assert!(stderr.contains("--client-id"), "{stderr}");
    let failure = json_of(&stdout, &stderr);
    assert_eq!(failure["client_id"], named.as_str(), "{failure:#}");
    assert_eq!(failure["created"], true);
    assert_eq!(failure["error"]["cause"], "insufficient_admin_rights");

    // Running it again as told finishes the job (the fault was used up): the enterprise
    // application, the consent and the secret the first run never made, then every check.
    let (code, stdout, stderr) = register(&stand_in, &["--client-id", &named, "--show-secret"]);
    let result = json_of(&stdout, &stderr);
    assert_eq!(result["client_id"], named.as_str());
    assert_eq!(result["created"], false);
    let changes = result["changes"].to_string();
    assert!(
        changes.contains("enterprise application") || changes.contains("service principal"),
        "{changes}"
    );
    assert!(changes.contains("added client secret"), "{changes}");
    assert!(result["secret"]["value"].is_string(), "{result:#}");
    assert!(
        changes.contains("no client secret of this registration was at hand"),
        "{changes}"
    );
    assert_eq!(code, 0, "{result:#}\n{stderr}");

    // And once more with that secret: nothing left to do.
    let value = result["secret"]["value"]
        .as_str()
        .expect("value")
        .to_string();
    let mut args = vec![
        "--profile",
        "axero-outlook-calendar",
        "--site-url",
        "https://intranet.contoso.com",
    ];
    args.extend(["--client-id", &named, "--secret-stdin"]);
    let last = register_given(&stand_in, &args, Some(&value));
    assert_eq!(last.code, Some(0), "{}", last.stderr);
    assert_eq!(last.json()["changes"], json!([]));
}

/// The client ID in "client ID GUID" of a message.
fn regex_like_client_id(text: &str) -> Option<String> {
    let at = text.find("client ID ")? + "client ID ".len();
    let id: String = text[at..].chars().take(36).collect();
    (id.len() == 36 && id.matches('-').count() == 4).then_some(id)
}

#[test]
fn a_multi_tenant_registration_reports_the_admin_consent_link() {
    let stand_in = empty_tenant();
    let run = register_with(
        &stand_in,
        &[
            "--profile",
            "odoo-outlook-calendar",
            "--site-url",
            "https://odoo.contoso.com",
            "--show-secret",
        ],
    );
    let result = run.json();
    let client_id = result["client_id"].as_str().expect("client_id");
    let link = result["admin_consent_url"].as_str().expect("a link");
    assert!(link.contains("/organizations/v2.0/adminconsent?"), "{link}");
    assert!(link.contains(&format!("client_id={client_id}")), "{link}");
    assert!(
        link.contains("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"),
        "{link}"
    );
    assert!(!link.contains("/common/"), "{link}");
    // A single-tenant registration needs none.
    let (_, stdout, stderr) = register(&stand_in, &["--show-secret"]);
    assert_eq!(json_of(&stdout, &stderr)["admin_consent_url"], Value::Null);
}

#[test]
fn the_sign_in_client_comes_from_the_option_the_environment_or_config_toml() {
    const MINE: &str = "0a1b2c3d-0000-4000-8000-00000000000a";
    const OTHER: &str = "0a1b2c3d-0000-4000-8000-00000000000b";
    let stand_in = StandIn::start_with("contoso", |s| {
        s["public_clients"] = json!([MINE]);
        s["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let home = tempfile::tempdir().expect("home");
    let config = home.path().join("config.toml");
    std::fs::write(&config, format!("sign_in_client = \"{MINE}\"\n")).expect("config");
    let args = [
        "verify",
        "--json",
        "--tenant",
        "contoso.com",
        "--profile",
        "axero-outlook-calendar",
        "--client-id",
        APP,
        "--sign-in",
        "device-code",
    ];
    let from_file = entra_setup(&stand_in, home.path(), &args, None, &[]);
    assert!(
        from_file.stderr.contains(MINE) && from_file.stderr.contains("config.toml"),
        "{}",
        from_file.stderr
    );
    assert_ne!(from_file.code, Some(64), "{}", from_file.stderr);
    let checks = from_file.json()["checks"].to_string();
    assert!(
        !checks.contains("needs_sign_in"),
        "the file's client signed in: {checks}"
    );

    // The environment beats the file; the option beats the environment.
    let from_env = entra_setup(
        &stand_in,
        home.path(),
        &args,
        None,
        &[("ENTRA_SETUP_SIGN_IN_CLIENT", OTHER)],
    );
    assert!(
        from_env.stderr.contains(OTHER) && from_env.stderr.contains("ENTRA_SETUP_SIGN_IN_CLIENT"),
        "{}",
        from_env.stderr
    );
    let mut with_option = args.to_vec();
    with_option.extend(["--sign-in-client", MINE]);
    let from_option = entra_setup(
        &stand_in,
        home.path(),
        &with_option,
        None,
        &[("ENTRA_SETUP_SIGN_IN_CLIENT", OTHER)],
    );
    assert!(
        from_option.stderr.contains("--sign-in-client"),
        "{}",
        from_option.stderr
    );
    assert!(
        !from_option.stderr.contains(OTHER),
        "{}",
        from_option.stderr
    );

    // A bad option is refused even when nobody signs in.
    let bad_option = entra_setup(
        &stand_in,
        home.path(),
        &[
            "verify",
            "--tenant",
            "contoso.com",
            "--profile",
            "axero-outlook-calendar",
            "--sign-in-client",
            "my-app",
        ],
        None,
        &[],
    );
    assert_eq!(bad_option.code, Some(64), "{bad_option:?}");
    assert!(
        bad_option.stderr.contains("--sign-in-client"),
        "{}",
        bad_option.stderr
    );

    // A malformed file is refused, naming the file and the field.
    std::fs::write(&config, "sign_in_client = \"my own app\"\n").expect("config");
    let malformed = entra_setup(&stand_in, home.path(), &args, None, &[]);
    assert_eq!(malformed.code, Some(64), "{malformed:?}");
    assert!(
        malformed.stderr.contains("config.toml") && malformed.stderr.contains("sign_in_client"),
        "{}",
        malformed.stderr
    );
}

/// Run `entra-setup ARGS` against `stand_in` with a fresh home and no keychain.
fn run_cli(stand_in: &StandIn, args: &[&str]) -> Run {
    let home = tempfile::tempdir().expect("home");
    entra_setup(stand_in, home.path(), args, None, &[])
}

#[test]
fn sign_in_audiences_bad_redirect_uris_and_bad_names_are_refused_before_anything_is_written() {
    let stand_in = empty_tenant();
    for tenant in ["common", "organizations", "consumers"] {
        for args in [
            vec![
                "register",
                "--tenant",
                tenant,
                "--profile",
                "exchange-calendar-connector",
                "--show-secret",
            ],
            vec!["rotate-secret", "--tenant", tenant, "--client-id", APP],
        ] {
            let run = run_cli(&stand_in, &args);
            assert_eq!(run.code, Some(64), "{args:?}: {run:?}");
            assert!(
                run.stderr.contains("--tenant") && run.stderr.contains("names every organisation"),
                "{args:?}: {}",
                run.stderr
            );
        }
    }
    for redirect in [
        "javascript:alert(1)",
        "https://intranet.contoso.com/cb\r\nX: 1",
    ] {
        let run = run_cli(
            &stand_in,
            &[
                "register",
                "--tenant",
                "contoso.com",
                "--profile",
                "axero-outlook-calendar",
                "--redirect-uri",
                redirect,
                "--show-secret",
            ],
        );
        assert_eq!(run.code, Some(64), "{redirect:?}: {run:?}");
        assert!(run.stderr.contains("--redirect-uri"), "{}", run.stderr);
    }
    let long = "x".repeat(300);
    for name in ["Intranet\r\nX: 1", "   ", long.as_str()] {
        let run = run_cli(
            &stand_in,
            &[
                "register",
                "--tenant",
                "contoso.com",
                "--profile",
                "exchange-calendar-connector",
                "--app-name",
                name,
                "--show-secret",
            ],
        );
        assert_eq!(run.code, Some(64), "{name:?}: {run:?}");
        assert!(run.stderr.contains("--app-name"), "{}", run.stderr);
    }
    // Nothing of any of these reached the tenant: it still has no application.
    let listed = run_cli(
        &stand_in,
        &[
            "reminders",
            "scan",
            "--tenant",
            "contoso.com",
            "--sign-in",
            "device-code",
            "--within-days",
            "3650",
            "--json",
        ],
    );
    assert_eq!(listed.json()["credentials"], json!([]), "{listed:?}");
}

//! `register` and `rotate-secret` (the real binary) while Microsoft's answer to one write is lost
//! after it acted (the stand-in's `after: true` faults): the registration's create, `addPassword`,
//! the enterprise application, the delegated grant, and a rotation's `addPassword` and
//! `removePassword`. Each run finishes with exit 0; `reminders scan` then shows exactly one
//! registration and no secret whose value was never shown; running `register` again with the
//! secret changes nothing. When both attempts at the secret lose their answer, the run names the
//! registration and the run again as told finishes it.

use entra_setup_tests::cli::{Run, entra_setup};
use entra_setup_tests::stand_in::StandIn;
use serde_json::{Value, json};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const OLD_KEY: &str = "dddddddd-0000-0000-0000-000000000001";
const SITE: [&str; 4] = [
    "--profile",
    "axero-outlook-calendar",
    "--site-url",
    "https://intranet.contoso.com",
];

/// Contoso with `applications` and `faults`; the administrator approves device codes.
fn contoso(applications: Option<Value>, faults: Value) -> StandIn {
    StandIn::start_with("contoso", |s| {
        if let Some(applications) = applications {
            s["tenants"][0]["applications"] = applications;
        }
        s["sign_in"] = json!({ "as": "admin@contoso.com" });
        s["faults"] = faults;
    })
}

/// `entra-setup ARGS` with its own home folder, on a machine without a keychain.
fn run(stand_in: &StandIn, args: &[&str], stdin: Option<&str>) -> Run {
    let home = tempfile::tempdir().expect("home");
    entra_setup(stand_in, home.path(), args, stdin, &[])
}

/// `register --json` of the Axero calendar integration for contoso.com with `extra`.
fn register(stand_in: &StandIn, extra: &[&str], stdin: Option<&str>) -> Run {
    let mut args = vec!["register", "--json", "--tenant", "contoso.com"];
    args.extend(SITE);
    args.extend_from_slice(extra);
    run(stand_in, &args, stdin)
}

/// Every secret of every registration of contoso.com, as (client ID, key ID), read by
/// `reminders scan` over ten years.
fn secrets_in_tenant(stand_in: &StandIn) -> Vec<(String, String)> {
    let scanned = run(
        stand_in,
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
        None,
    );
    // Exit 1: something expires within the ten years asked about.
    assert!(
        matches!(scanned.code, Some(0 | 1)),
        "{:?}: {}",
        scanned.code,
        scanned.stderr
    );
    scanned.json()["credentials"]
        .as_array()
        .expect("credentials")
        .iter()
        .map(|c| {
            (
                c["client_id"].as_str().unwrap_or_default().to_string(),
                c["key_id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// A fault that loses the answer of `matches` once, after the stand-in acted.
fn lost(matches: &str, kind: &str) -> Value {
    json!({"match": matches, "kind": kind, "status": 500, "after": true, "times": 1})
}

#[test]
fn register_finishes_when_any_one_answer_is_lost() {
    for (matches, kind) in [
        ("PATCH /v1.0/applications(*", "reset"),
        ("POST /v1.0/applications/*/addPassword", "reset"),
        ("POST /v1.0/applications/*/addPassword", "status"),
        ("POST /v1.0/servicePrincipals", "reset"),
        ("POST /v1.0/oauth2PermissionGrants", "status"),
    ] {
        let stand_in = contoso(Some(json!([])), json!([lost(matches, kind)]));
        let first = register(&stand_in, &["--show-secret"], None);
        let result = first.json();
        assert_eq!(
            first.code,
            Some(0),
            "{matches} {kind}: {result:#}\n{}",
            first.stderr
        );
        let client_id = result["client_id"].as_str().expect("client_id").to_string();
        let key_id = result["secret"]["key_id"].as_str().expect("key_id");
        assert_eq!(
            secrets_in_tenant(&stand_in),
            [(client_id.clone(), key_id.to_string())],
            "{matches} {kind}: one registration, one secret, its value shown"
        );

        let value = result["secret"]["value"].as_str().expect("value");
        let again = register(
            &stand_in,
            &["--client-id", &client_id, "--secret-stdin"],
            Some(value),
        );
        assert_eq!(again.code, Some(0), "{matches} {kind}: {}", again.stderr);
        assert_eq!(again.json()["changes"], json!([]), "{matches} {kind}");
    }
}

#[test]
fn a_secret_lost_twice_is_removed_and_the_run_again_adds_one() {
    let stand_in = contoso(
        Some(json!([])),
        json!([{"match": "POST /v1.0/applications/*/addPassword", "kind": "reset",
                "after": true, "times": 2}]),
    );
    let first = register(&stand_in, &["--show-secret"], None);
    assert_eq!(first.code, Some(2), "{}\n{}", first.stdout, first.stderr);
    let failure = first.json();
    assert_eq!(
        failure["error"]["cause"], "write_outcome_unknown",
        "{failure:#}"
    );
    let client_id = failure["client_id"].as_str().expect("named").to_string();
    assert!(first.stderr.contains(&client_id), "{}", first.stderr);
    assert_eq!(secrets_in_tenant(&stand_in), [], "no secret nobody saw");

    let again = register(
        &stand_in,
        &["--client-id", &client_id, "--show-secret"],
        None,
    );
    let result = again.json();
    assert_eq!(again.code, Some(0), "{result:#}\n{}", again.stderr);
    let key_id = result["secret"]["key_id"].as_str().expect("a secret");
    assert_eq!(
        secrets_in_tenant(&stand_in),
        [(client_id, key_id.to_string())]
    );
}

#[test]
fn rotate_secret_finishes_when_its_answers_are_lost() {
    let stand_in = contoso(
        None,
        json!([
            lost("POST /v1.0/applications/*/addPassword", "reset"),
            lost("POST /v1.0/applications/*/removePassword", "status"),
        ]),
    );
    let of_app = |secrets: Vec<(String, String)>| -> Vec<String> {
        secrets
            .into_iter()
            .filter(|(client, _)| client == APP)
            .map(|(_, key)| key)
            .collect()
    };
    let before = of_app(secrets_in_tenant(&stand_in));
    let rotated = run(
        &stand_in,
        &[
            "rotate-secret",
            "--tenant",
            "contoso.com",
            "--client-id",
            APP,
            "--show-secret",
            "--json",
        ],
        None,
    );
    let result = rotated.json();
    assert_eq!(rotated.code, Some(0), "{result:#}\n{}", rotated.stderr);
    let new_key = result["secret"]["key_id"]
        .as_str()
        .expect("key_id")
        .to_string();
    let after = of_app(secrets_in_tenant(&stand_in));
    assert_eq!(after.len(), before.len() + 1, "{before:?} → {after:?}");
    assert!(after.contains(&new_key));

    let removed = run(
        &stand_in,
        &[
            "rotate-secret",
            "--tenant",
            "contoso.com",
            "--client-id",
            APP,
            "--remove",
            OLD_KEY,
            "--json",
        ],
        None,
    );
    assert_eq!(
        removed.code,
        Some(0),
        "{}\n{}",
        removed.stdout,
        removed.stderr
    );
    let changes = removed.json()["changes"].to_string();
    assert!(changes.contains("removed client secret"), "{changes}");
    let last = of_app(secrets_in_tenant(&stand_in));
    assert!(!last.iter().any(|k| k == OLD_KEY), "{last:?}");
    assert!(last.contains(&new_key), "{last:?}");
}

//! `entra-setup rotate-secret` (the real binary) against the stand-in: a new secret is added
//! beside the old one, confirmed, and both work until `--remove`; removing is refused while the
//! secret removed is the only one that works (named by its ID), idempotent, and confirmed with
//! the kept secret's value when one is given; the tenant's lifetime policy caps the new secret;
//! no secret is made that cannot be shown; bad input is refused with exit 64.

use entra_setup_tests::cli::{Run, entra_setup};
use entra_setup_tests::stand_in::StandIn;
use entra_setup_tests::verify_cli::{assert_outcomes, verify};
use serde_json::{Value, json};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const OLD_KEY: &str = "dddddddd-0000-0000-0000-000000000001";
const OLD_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";

/// The Contoso demo tenant; the administrator approves device codes.
fn contoso(change: impl FnOnce(&mut Value)) -> StandIn {
    StandIn::start_with("contoso", |scenario| {
        scenario["sign_in"] = json!({ "as": "admin@contoso.com" });
        change(scenario);
    })
}

fn rotate(stand_in: &StandIn, args: &[&str], stdin: Option<&str>) -> Run {
    let home = tempfile::tempdir().expect("home");
    let mut all = vec![
        "rotate-secret",
        "--tenant",
        "contoso.com",
        "--client-id",
        APP,
    ];
    all.extend_from_slice(args);
    entra_setup(stand_in, home.path(), &all, stdin, &[])
}

/// The client_secret check of `verify` with `secret`.
fn secret_works(stand_in: &StandIn, secret: &str) -> bool {
    let (_, report) = verify(
        stand_in,
        &["--profile", "axero-outlook-calendar", "--client-id", APP],
        Some(secret),
    );
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .any(|c| c["id"] == "client_secret" && c["status"] == "pass")
}

#[test]
fn a_new_secret_works_beside_the_old_until_the_old_is_removed() {
    let stand_in = contoso(|_| {});

    let refused = rotate(&stand_in, &["--json"], None);
    assert_eq!(refused.code, Some(64), "{refused:?}");
    assert!(
        refused.stderr.contains("--show-secret"),
        "{}",
        refused.stderr
    );
    assert!(refused.stdout.is_empty());

    let rotated = rotate(&stand_in, &["--show-secret", "--json"], None);
    let result = rotated.json();
    assert_eq!(rotated.code, Some(0), "{result:#}\n{}", rotated.stderr);
    assert_eq!(result["client_id"], APP);
    assert_eq!(result["created"], false);
    assert_eq!(result["secret"]["confirmed"], true);
    let new_key = result["secret"]["key_id"]
        .as_str()
        .expect("key_id")
        .to_string();
    let new_value = result["secret"]["value"]
        .as_str()
        .expect("value")
        .to_string();
    assert_eq!(result["secret"]["hint"].as_str(), Some(&new_value[..3]));
    let changes = result["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(
        changes[0]
            .as_str()
            .expect("text")
            .starts_with("added client secret")
    );
    assert_eq!(result["verify"]["profile"], "client-secret");
    assert_outcomes(
        &result["verify"],
        &[
            ("tenant", "pass", ""),
            ("client_id", "pass", ""),
            ("client_secret", "pass", ""),
            ("secret_expiry", "pass", ""),
        ],
    );
    assert!(!rotated.stderr.contains(&new_value), "the value on stderr");
    assert!(
        secret_works(&stand_in, OLD_SECRET),
        "the old secret still works"
    );
    assert!(secret_works(&stand_in, &new_value), "the new secret works");

    // Giving the value of the secret being removed proves nothing about the one kept.
    let wrong_proof = rotate(
        &stand_in,
        &["--remove", OLD_KEY, "--secret-stdin"],
        Some(OLD_SECRET),
    );
    assert_eq!(wrong_proof.code, Some(1), "{wrong_proof:?}");
    assert!(
        wrong_proof.stderr.contains(OLD_KEY),
        "{}",
        wrong_proof.stderr
    );
    assert!(secret_works(&stand_in, OLD_SECRET), "nothing was removed");

    let removed = rotate(
        &stand_in,
        &["--remove", OLD_KEY, "--secret-stdin", "--json"],
        Some(&new_value),
    );
    let result = removed.json();
    assert_eq!(removed.code, Some(0), "{result:#}\n{}", removed.stderr);
    assert_eq!(result["removed"], true);
    assert_eq!(result["kept"], new_key.as_str());
    assert!(
        result["changes"][0]
            .as_str()
            .expect("change")
            .contains(OLD_KEY),
        "{result:#}"
    );
    assert!(!removed.stdout.contains(&new_value) && !removed.stderr.contains(&new_value));
    assert!(
        !secret_works(&stand_in, OLD_SECRET),
        "the old secret is gone"
    );
    assert!(secret_works(&stand_in, &new_value));

    let again = rotate(&stand_in, &["--remove", OLD_KEY, "--json"], None);
    let result = again.json();
    assert_eq!(result["removed"], false, "{result:#}");
    assert_eq!(result["changes"], json!([]));
    let again_text = rotate(&stand_in, &["--remove", OLD_KEY], None);
    assert!(
        again_text.stdout.contains("nothing changed"),
        "{}",
        again_text.stdout
    );

    let only = rotate(&stand_in, &["--remove", &new_key, "--json"], None);
    assert_eq!(only.code, Some(1), "{only:?}");
    assert_eq!(only.json()["error"]["cause"], "secret_missing");
    assert!(only.stderr.contains(&new_key), "{}", only.stderr);
    assert!(
        only.stderr.contains("only client secret"),
        "{}",
        only.stderr
    );
    assert!(secret_works(&stand_in, &new_value), "the last secret stays");
}

#[test]
fn an_expired_secret_is_no_reason_to_keep_the_working_one() {
    let stand_in = contoso(|scenario| {
        let secrets = &mut scenario["tenants"][0]["applications"][0]["secrets"];
        secrets.as_array_mut().expect("secrets").push(json!({
            "key_id": "dddddddd-0000-0000-0000-000000000009",
            "display_name": "old",
            "value": "Old7Q~zyxwvutsrqponmlkjihgfedcba9876543210",
            "start": "2024-01-01T00:00:00Z",
            "end": "2025-01-01T00:00:00Z",
        }));
    });
    let refused = rotate(&stand_in, &["--remove", OLD_KEY], None);
    assert_eq!(refused.code, Some(1), "{refused:?}");
    assert!(refused.stderr.contains(OLD_KEY), "{}", refused.stderr);
    let expired = rotate(
        &stand_in,
        &["--remove", "dddddddd-0000-0000-0000-000000000009", "--json"],
        None,
    );
    assert_eq!(expired.json()["removed"], true, "{expired:?}");
    assert!(secret_works(&stand_in, OLD_SECRET));
}

#[test]
fn the_tenants_lifetime_policy_caps_the_new_secret() {
    let stand_in = contoso(|scenario| {
        scenario["tenants"][0]["secret_max_lifetime_days"] = json!(90);
    });
    let rotated = rotate(
        &stand_in,
        &["--show-secret", "--json", "--secret-days", "365"],
        None,
    );
    let result = rotated.json();
    assert_eq!(rotated.code, Some(0), "{result:#}\n{}", rotated.stderr);
    assert_eq!(result["secret"]["days"], 90);
    assert_eq!(result["secret"]["capped_from_days"], 365);
    let change = result["changes"][0].as_str().expect("change");
    assert!(
        change.contains("90 days") && change.contains("policy"),
        "{change}"
    );
}

#[test]
fn with_a_profile_every_check_of_it_is_verified() {
    let stand_in = contoso(|_| {});
    let rotated = rotate(
        &stand_in,
        &[
            "--show-secret",
            "--json",
            "--profile",
            "axero-outlook-calendar",
            "--site-url",
            "https://intranet.contoso.com",
        ],
        None,
    );
    let result = rotated.json();
    assert_eq!(result["verify"]["profile"], "axero-outlook-calendar");
    assert_outcomes(
        &result["verify"],
        &[
            ("client_secret", "pass", ""),
            ("redirect_uri", "pass", ""),
            ("admin_consent", "pass", ""),
        ],
    );
}

#[test]
fn bad_input_is_refused_before_anything_changes() {
    let stand_in = contoso(|_| {});
    for (args, named) in [
        (vec!["--remove", "not-a-key"], "--remove"),
        (vec!["--show-secret", "--profile", "nope"], "--profile"),
        (
            vec!["--show-secret", "--profile", "vendor-app-consent"],
            "--profile",
        ),
        (vec!["--show-secret", "--secret-days", "0"], "--secret-days"),
    ] {
        let run = rotate(&stand_in, &args, None);
        assert_eq!(run.code, Some(64), "{args:?}: {run:?}");
        assert!(run.stderr.contains(named), "{args:?}: {}", run.stderr);
    }
    let home = tempfile::tempdir().expect("home");
    let run = entra_setup(
        &stand_in,
        home.path(),
        &[
            "rotate-secret",
            "--tenant",
            "contoso.com",
            "--client-id",
            "your_client_id",
            "--show-secret",
        ],
        None,
        &[],
    );
    assert_eq!(run.code, Some(64), "{run:?}");
    assert!(run.stderr.contains("--client-id"), "{}", run.stderr);
}

//! `entra-setup register --profile vendor-app-consent` (the real binary) against the stand-in:
//! a vendor's app not yet approved (scenario `vendor-app-unapproved`) gets this tenant's
//! admin-consent link on stderr while the program waits; the test plays the administrator's
//! browser (GET the link, following redirects on the stand-in), the program sees the approval,
//! exits 0 with every check of verify passing, and a second run changes nothing. Nobody
//! approving ends the wait with a clear error (exit 1), as does Ctrl-C; the secret options are
//! refused (64).

use std::time::Duration;

use entra_setup_core::http::{Http, RetryPolicy};
use entra_setup_tests::cli::{Run, entra_setup, spawn_entra_setup};
use entra_setup_tests::stand_in::StandIn;
use serde_json::{Value, json};

const VENDOR_APP: &str = "ffffffff-0000-0000-0000-000000000001";
const TENANT_ID: &str = "11111111-2222-3333-4444-555555555555";

const APPROVE: &[&str] = &[
    "register",
    "--json",
    "--tenant",
    "contoso.com",
    "--profile",
    "vendor-app-consent",
    "--client-id",
    VENDOR_APP,
    "--sign-in",
    "device-code",
];

/// The URL in a line of stderr.
fn link_in(line: &str) -> url::Url {
    let text = line
        .split_whitespace()
        .find(|w| w.starts_with("http://") || w.starts_with("https://"))
        .unwrap_or_else(|| panic!("no link in {line}"));
    url::Url::parse(text).expect("link")
}

/// An administrator's browser: GET `link`, following redirects while they stay on the stand-in,
/// and answer the address it was sent to off it (the vendor's redirect URI).
fn administrator_opens(link: &url::Url) -> url::Url {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let http = Http::new(RetryPolicy::default()).expect("http");
    runtime.block_on(async {
        let mut at = link.clone();
        for _ in 0..10 {
            let answer = http.client().get(at.clone()).send().await.expect("answer");
            assert!(
                answer.status().is_redirection(),
                "{at}: {}",
                answer.status()
            );
            let location = answer
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .expect("Location")
                .to_string();
            let next = at.join(&location).expect("redirect");
            if next.origin() != link.origin() {
                return next;
            }
            at = next;
        }
        panic!("too many redirects from {link}");
    })
}

fn changes(result: &Value) -> Vec<String> {
    result["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

#[test]
fn a_vendors_app_is_approved_through_its_link_then_verifies_and_changes_nothing_again() {
    let stand_in = StandIn::start("vendor-app-unapproved");
    let home = tempfile::tempdir().expect("home");
    let mut running = spawn_entra_setup(&stand_in, home.path(), APPROVE);
    let line = running.stderr_line(
        |l| l.contains("/adminconsent?client_id="),
        Duration::from_secs(60),
    );
    let link = link_in(&line);
    assert_eq!(link.path(), format!("/{TENANT_ID}/adminconsent"));
    let query: Vec<(String, String)> = link.query_pairs().into_owned().collect();
    assert!(
        query.contains(&("client_id".into(), VENDOR_APP.into())),
        "{link}"
    );
    assert_eq!(query.len(), 1, "only the app: {link}");

    let vendor_page = administrator_opens(&link);
    assert_eq!(vendor_page.host_str(), Some("app.vendor.example"));
    assert!(
        vendor_page
            .query()
            .is_some_and(|q| q.contains("admin_consent=True") && !q.contains("error=")),
        "{vendor_page}"
    );

    let first = running.finish();
    let result = first.json();
    assert_eq!(first.code, Some(0), "{result:#}\n{}", first.stderr);
    assert_eq!(result["created"], false);
    assert_eq!(result["secret"], Value::Null);
    assert_eq!(result["admin_consent_url"], json!(link.as_str()));
    let made = changes(&result);
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(
        made[0].starts_with("approved") && made[0].contains("for the organisation"),
        "{made:?}"
    );
    for check in result["verify"]["checks"].as_array().expect("checks") {
        assert_eq!(check["status"], "pass", "{check:#}");
    }

    let again: Run = entra_setup(&stand_in, home.path(), APPROVE, None, &[]);
    let result = again.json();
    assert_eq!(again.code, Some(0), "{result:#}\n{}", again.stderr);
    assert_eq!(changes(&result), Vec::<String>::new());
    assert_eq!(result["admin_consent_url"], Value::Null);
    assert!(
        again.stderr.contains("already approved"),
        "{}",
        again.stderr
    );
    assert!(!again.stderr.contains("adminconsent"), "{}", again.stderr);
}

#[test]
fn nobody_approving_ends_the_wait_with_a_clear_error() {
    let stand_in = StandIn::start("vendor-app-unapproved");
    let home = tempfile::tempdir().expect("home");
    let mut args = APPROVE.to_vec();
    args.extend(["--wait-seconds", "1"]);
    let run = entra_setup(&stand_in, home.path(), &args, None, &[]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr.contains("/adminconsent?client_id="),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nobody approved"), "{}", run.stderr);
    let result = run.json();
    assert_eq!(
        result["error"]["cause"], "admin_consent_missing",
        "{result:#}"
    );
}

#[test]
fn ctrl_c_stops_waiting_and_nothing_changes() {
    let stand_in = StandIn::start("vendor-app-unapproved");
    let home = tempfile::tempdir().expect("home");
    let mut running = spawn_entra_setup(&stand_in, home.path(), APPROVE);
    running.stderr_line(|l| l.contains("Ctrl-C"), Duration::from_secs(60));
    running.interrupt();
    let run = running.finish();
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("stopped waiting"), "{}", run.stderr);
    assert_eq!(run.json()["error"]["cause"], "admin_consent_missing");
    // Still not approved: the next run asks again.
    let mut args = APPROVE.to_vec();
    args.extend(["--wait-seconds", "1"]);
    let again = entra_setup(&stand_in, home.path(), &args, None, &[]);
    assert_eq!(again.code, Some(1), "{again:?}");
    assert!(
        again.stderr.contains("/adminconsent?client_id="),
        "{}",
        again.stderr
    );
}

#[test]
fn options_that_do_not_apply_to_a_vendors_app_are_refused() {
    let stand_in = StandIn::start("vendor-app-unapproved");
    let home = tempfile::tempdir().expect("home");
    let base = [
        "register",
        "--tenant",
        "contoso.com",
        "--profile",
        "vendor-app-consent",
    ];
    let cases: &[(&[&str], &str)] = &[
        (
            &["--client-id", VENDOR_APP, "--show-secret"],
            "--show-secret",
        ),
        (
            &["--client-id", VENDOR_APP, "--secret-days", "30"],
            "--secret-days",
        ),
        (&["--client-id", VENDOR_APP, "--new-secret"], "--new-secret"),
        (
            &[
                "--client-id",
                VENDOR_APP,
                "--site-url",
                "https://x.contoso.com",
            ],
            "--site-url",
        ),
        (
            &["--client-id", VENDOR_APP, "--app-name", "Mine"],
            "--app-name",
        ),
        (&[], "--client-id"),
        (&["--client-id", "your_client_id"], "--client-id"),
    ];
    for (extra, named) in cases {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let run = entra_setup(&stand_in, home.path(), &args, None, &[]);
        assert_eq!(run.code, Some(64), "{args:?}: {run:?}");
        assert!(run.stderr.contains(named), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    // Waiting applies only to a vendor's app.
    let run = entra_setup(
        &stand_in,
        home.path(),
        &[
            "register",
            "--tenant",
            "contoso.com",
            "--profile",
            "exchange-calendar-connector",
            "--show-secret",
            "--wait-seconds",
            "5",
        ],
        None,
        &[],
    );
    assert_eq!(run.code, Some(64), "{run:?}");
    assert!(run.stderr.contains("--wait-seconds"), "{}", run.stderr);
}

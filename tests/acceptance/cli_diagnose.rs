//! `entra-setup diagnose [--profile ID] [--json]` as contracts/cli.md defines it, run as the real
//! binary: any error text on stdin, findings out, exit status 0 whether or not anything is
//! recognised; with a profile, that integration's findings first; an unknown profile exits 64.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use entra_setup_tests::paths::program;

fn diagnose(args: &[&str], stdin: &str) -> Output {
    let home = tempfile::tempdir().expect("home");
    let mut child = Command::new(program("entra-setup"))
        .arg("diagnose")
        .args(args)
        .env("ENTRA_SETUP_HOME", home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn findings(stdin: &str) -> Vec<serde_json::Value> {
    findings_with(&["--json"], stdin)
}

fn findings_with(args: &[&str], stdin: &str) -> Vec<serde_json::Value> {
    let output = diagnose(args, stdin);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
    document["findings"].as_array().expect("findings").clone()
}

#[test]
fn a_token_error_body_is_explained_with_the_contract_fields() {
    let body = r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret is provided.\r\nTrace ID: 6bb6aa70-c6cb-4705-a554-de618c90b600\r\nCorrelation ID: 9945f236-c0ab-4bb8-8a38-d8cb584cea28\r\nTimestamp: 2021-11-17 23:25:07Z","error_codes":[7000215],"timestamp":"2021-11-17 23:25:07Z","error_uri":"https://login.microsoftonline.com/error?code=7000215"}"#;
    let found = findings(body);
    let first = &found[0];
    assert_eq!(first["source"], "identity");
    assert_eq!(first["code"], "AADSTS7000215");
    assert_eq!(first["cause"], "secret_invalid");
    for field in ["title", "explanation", "fix"] {
        assert!(
            first[field].as_str().is_some_and(|t| !t.is_empty()),
            "{field} in {first}"
        );
    }
}

#[test]
fn graph_smtp_and_symptoms_are_recognised() {
    for (text, source, cause) in [
        (
            r#"{"error":{"code":"MailboxNotEnabledForRESTAPI","message":"REST API is not yet supported for this mailbox.","innerError":{"request-id":"9c8b","date":"2019-11-14T09:50:44"}}}"#,
            "graph",
            "mailbox_unavailable",
        ),
        (
            "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.",
            "smtp",
            "smtp_auth_disabled_mailbox",
        ),
        (
            "Default Outlook account has not been set up",
            "symptom",
            "user_not_connected",
        ),
    ] {
        let found = findings(text);
        assert_eq!(found[0]["source"], source, "{text}");
        assert_eq!(found[0]["cause"], cause, "{text}");
    }
}

#[test]
fn unrecognised_text_is_an_empty_list_and_status_0() {
    let output = diagnose(&["--json"], "everything is fine");
    assert_eq!(output.status.code(), Some(0));
    let document: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(document, serde_json::json!({"findings": []}));
}

#[test]
fn without_json_it_prints_a_readable_report() {
    let output = diagnose(
        &[],
        "Invalid login: 535 5.7.3 Authentication unsuccessful [SGXP274CA0016.SGPP274.PROD.OUTLOOK.COM]",
    );
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("1. "), "{text}");
    for part in ["535 5.7.3", "smtp_auth_failed", "Fix:"] {
        assert!(text.contains(part), "{part}: {text}");
    }
}

#[test]
fn with_a_profile_that_integration_comes_first() {
    // The Apptoto guide's "Need admin approval" screen: users may not consent to the vendor's app.
    let vendor = findings_with(
        &["--profile", "vendor-app-consent", "--json"],
        "Need admin approval",
    );
    assert_eq!(vendor[0]["cause"], "user_consent_blocked", "{vendor:?}");
    // Axero's calendar guide reads the same screen as permissions not granted for the
    // organisation, and its own entry comes first for Axero.
    let axero = findings_with(
        &["--profile", "axero-outlook-calendar", "--json"],
        "Need admin approval",
    );
    assert_eq!(axero[0]["cause"], "consent_required", "{axero:?}");
    assert!(
        axero[0]["fix"]
            .as_str()
            .is_some_and(|fix| fix.contains("Calendars.ReadWrite")),
        "{axero:?}"
    );
    // A Microsoft code keeps its source and code, told in the integration's words.
    let body = "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.";
    let odoo = findings_with(&["--profile", "odoo-outlook-calendar", "--json"], body);
    assert_eq!(odoo[0]["cause"], "secret_invalid");
    assert_eq!(odoo[0]["code"], "AADSTS7000215");
    assert_eq!(odoo[0]["source"], "identity");
    assert!(
        odoo[0]["fix"]
            .as_str()
            .is_some_and(|fix| fix.contains("Odoo")),
        "{odoo:?}"
    );
}

#[test]
fn an_unknown_profile_exits_64_naming_it() {
    let output = diagnose(&["--profile", "no-such-product", "--json"], "AADSTS7000215");
    assert_eq!(output.status.code(), Some(64));
    assert!(
        output.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no-such-product"), "{stderr}");
    assert!(stderr.contains("--profile"), "{stderr}");
}

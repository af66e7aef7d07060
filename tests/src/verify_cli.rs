//! Running `entra-setup verify --json` (the real binary) against a stand-in and reading its report;
//! the options that name the example Contoso scenarios' Axero calendar integration.

use std::process::{Command, Stdio};

use serde_json::Value;

use crate::paths::program;
use crate::stand_in::StandIn;

/// The app registration of the stand-in's example Contoso scenarios (Axero's calendar sync).
pub const CONTOSO_APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";

/// The options that name Contoso's Axero calendar integration: its profile, the app above and
/// the intranet's address.
pub const AXERO_CALENDAR: &[&str] = &[
    "--profile",
    "axero-outlook-calendar",
    "--client-id",
    CONTOSO_APP,
    "--site-url",
    "https://intranet.contoso.com",
];

/// Run `entra-setup verify --json` for Contoso with the secret on stdin; returns the exit code
/// and the JSON.
pub fn verify(stand_in: &StandIn, args: &[&str], secret: Option<&str>) -> (i32, Value) {
    verify_in(stand_in, "contoso.com", args, secret)
}

/// Run `entra-setup verify --json` for `tenant`.
pub fn verify_in(
    stand_in: &StandIn,
    tenant: &str,
    args: &[&str],
    secret: Option<&str>,
) -> (i32, Value) {
    let home = tempfile::tempdir().expect("home");
    let mut command = Command::new(program("entra-setup"));
    command
        .env("ENTRA_SETUP_HOME", home.path())
        .arg("--endpoints")
        .arg(stand_in.endpoints_file())
        .args([
            "--no-progress",
            "--timeout",
            "3",
            "verify",
            "--json",
            "--tenant",
            tenant,
        ])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if secret.is_some() {
        command.arg("--secret-stdin");
    }
    let mut child = command.spawn().expect("run entra-setup");
    if let Some(secret) = secret {
        crate::cli::feed(&mut child, secret);
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON document ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    if let Some(secret) = secret {
        assert!(!stdout.contains(secret), "the secret appears on stdout");
        assert!(
            !String::from_utf8_lossy(&output.stderr).contains(secret),
            "the secret appears on stderr"
        );
    }
    (output.status.code().expect("exit code"), report)
}

/// The (status, cause or reason) of one check.
pub fn outcome(report: &Value, id: &str) -> (String, String) {
    let check = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id} in {report}"));
    let status = check["status"].as_str().expect("status").to_string();
    let why = check["cause"]
        .as_str()
        .or(check["reason"].as_str())
        .unwrap_or_default()
        .to_string();
    (status, why)
}

/// Assert each `(check, status, cause or reason)`.
pub fn assert_outcomes(report: &Value, expected: &[(&str, &str, &str)]) {
    for (id, status, why) in expected {
        assert_eq!(
            outcome(report, id),
            (status.to_string(), why.to_string()),
            "check {id} in {report:#}"
        );
    }
}

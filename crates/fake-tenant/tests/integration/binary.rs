//! The binary: ready line, curl-able discovery and token, a bad scenario refused with exit status 2.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_entra-fake-tenant");

fn scenario_path() -> String {
    format!("{}/scenarios/contoso.json", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test]
async fn prints_one_ready_line_and_serves() {
    let mut child = Command::new(BIN)
        .args(["--scenario", &scenario_path()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("line");
    let ready: Value = serde_json::from_str(&line).expect("one line of JSON");
    let keys: Vec<&str> = ready
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 6);
    for key in [
        "login",
        "graph",
        "smtp",
        "smtp_ca_pem",
        "imap",
        "imap_ca_pem",
    ] {
        assert!(ready.get(key).is_some(), "{key}");
    }
    let ca = ready["smtp_ca_pem"].as_str().expect("path");
    assert!(std::path::Path::new(ca).is_absolute());
    assert!(
        std::fs::read_to_string(ca)
            .expect("ca")
            .contains("BEGIN CERTIFICATE")
    );
    let login = ready["login"].as_str().expect("login");
    let discovery: Value = reqwest::get(format!(
        "{login}/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration"
    ))
    .await
    .expect("get")
    .json()
    .await
    .expect("json");
    assert!(
        discovery["issuer"]
            .as_str()
            .expect("issuer")
            .contains(crate::common::TENANT)
    );
    let client = reqwest::Client::new();
    let token = client
        .post(discovery["token_endpoint"].as_str().expect("endpoint"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", crate::common::APP),
            ("client_secret", crate::common::SECRET),
            ("scope", crate::common::GRAPH_DEFAULT),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(token.status().as_u16(), 200);
    let _ = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let status = child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_bad_scenario_exits_2_naming_the_field() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("bad.json");
    let mut value = crate::common::contoso_json();
    value["tenants"][0]["cloud"] = serde_json::json!("mars");
    std::fs::write(&path, value.to_string()).expect("write");
    let output = Command::new(BIN)
        .arg("--scenario")
        .arg(&path)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("tenants[0].cloud"), "{stderr}");
}

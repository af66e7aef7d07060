//! Every shipped example scenario loads, and the embedded ones match the files.

#[test]
fn every_example_scenario_loads() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("scenarios dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            entra_fake_tenant::Scenario::load(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let name = path
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            assert!(
                entra_fake_tenant::builtin::scenario(&name).is_some(),
                "{name} is embedded in builtin::SCENARIOS"
            );
            count += 1;
        }
    }
    assert_eq!(count, entra_fake_tenant::builtin::names().len());
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("README");
    for name in entra_fake_tenant::builtin::names() {
        assert!(
            readme.contains(&format!("{name}.json")),
            "README describes {name}"
        );
    }
}

#[tokio::test]
async fn the_demo_scenario_starts() {
    let tenant = crate::common::start(entra_fake_tenant::builtin::contoso()).await;
    assert!(tenant.endpoints().login.starts_with("http://127.0.0.1:"));
    tenant.shutdown().await;
}

#[tokio::test]
async fn failure_scenarios_fail_as_described() {
    use crate::common::*;
    let cc = |secret: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("client_secret", secret),
            ("scope", GRAPH_DEFAULT),
        ]
    };
    let expect = [
        ("wrong-client-id", SECRET, 400, 700016),
        ("secret-id-pasted", SECRET_ID, 401, 7000215),
        ("expired-secret", SECRET, 401, 7000222),
        ("throttling", SECRET, 503, 90033),
    ];
    for (name, secret, status, code) in expect {
        let tenant = start(entra_fake_tenant::builtin::scenario(name).expect("shipped")).await;
        let (got, body) = token_request(&tenant, "contoso.com", &cc(secret)).await;
        assert_eq!(
            (got, body["error_codes"][0].as_u64()),
            (status, Some(code)),
            "{name}: {body}"
        );
    }
    let tenant =
        start(entra_fake_tenant::builtin::scenario("missing-consent").expect("shipped")).await;
    let (status, body) = token_request(
        &tenant,
        "contoso.com",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "bbbbbbbb-0000-0000-0000-000000000002"),
            ("client_secret", SECRET),
            ("scope", GRAPH_DEFAULT),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        claims(body["access_token"].as_str().expect("token"))
            .get("roles")
            .is_none()
    );
}

//! Fault kinds (status with Retry-After, malformed, reset, hang), `times`, and latency.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::*;

#[tokio::test]
async fn status_faults_use_up_their_times_and_carry_retry_after() {
    let tenant = start(scenario_with(|v| {
        v["faults"] = json!([
            {"match": "POST /*/oauth2/v2.0/token", "kind": "status", "status": 503, "times": 1},
            {"match": "GET /v1.0/applications*", "kind": "status", "status": 429, "retry_after": "1.5", "times": 2}
        ]);
    }))
    .await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", APP),
        ("client_secret", SECRET),
        ("scope", GRAPH_DEFAULT),
    ];
    let (status, body) = token_request(&tenant, TENANT, &form).await;
    assert_eq!(status, 503);
    assert_eq!(body["error"], "temporarily_unavailable");
    let (status, _) = token_request(&tenant, TENANT, &form).await;
    assert_eq!(status, 200);

    let token = admin_token(&tenant).await;
    for _ in 0..2 {
        let (status, headers, body) =
            graph_get(&tenant, &token, &format!("/applications(appId='{APP}')")).await;
        assert_eq!(status, 429);
        assert_eq!(headers["retry-after"], "1.5");
        assert_eq!(body["error"]["code"], "TooManyRequests");
        assert!(body["error"]["innerError"]["request-id"].is_string());
    }
    let (status, _, _) = graph_get(&tenant, &token, &format!("/applications(appId='{APP}')")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn malformed_truncates_the_json_body() {
    let tenant = start(scenario_with(|v| {
        v["faults"] = json!([{"match": "GET /*/v2.0/.well-known/openid-configuration", "kind": "malformed", "times": 1}]);
    }))
    .await;
    let url = format!(
        "{}/{TENANT}/v2.0/.well-known/openid-configuration",
        tenant.endpoints().login
    );
    let text = http()
        .get(&url)
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    assert!(!text.is_empty());
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "truncated: {text}"
    );
    let whole: Value = http()
        .get(&url)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json again");
    assert!(whole["issuer"].is_string());
}

#[tokio::test]
async fn reset_closes_the_connection() {
    let tenant = start(scenario_with(|v| {
        v["faults"] = json!([{"match": "GET /v1.0/*", "kind": "reset", "times": 1}]);
    }))
    .await;
    let token = admin_token(&tenant).await;
    let result = http()
        .get(format!("{}/v1.0/me", tenant.endpoints().graph))
        .bearer_auth(&token)
        .send()
        .await;
    assert!(result.is_err(), "connection must be closed: {result:?}");
    let (status, _, _) = graph_get(&tenant, &token, "/me").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn hang_delays_the_answer() {
    let tenant = start(scenario_with(|v| {
        v["faults"] = json!([{"match": "GET /*/discovery/v2.0/keys", "kind": "hang", "seconds": 2, "times": 1}]);
    }))
    .await;
    let url = format!("{}/{TENANT}/discovery/v2.0/keys", tenant.endpoints().login);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(500))
        .build()
        .expect("client");
    let error = client.get(&url).send().await.expect_err("times out");
    assert!(error.is_timeout());
    let response = client.get(&url).send().await.expect("second is fine");
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn latency_is_added_and_replace_scenario_switches_tenants() {
    let tenant = start(scenario_with(|v| v["latency_ms"] = json!(300))).await;
    let url = format!(
        "{}/{TENANT}/v2.0/.well-known/openid-configuration",
        tenant.endpoints().login
    );
    let began = Instant::now();
    http().get(&url).send().await.expect("get");
    assert!(began.elapsed() >= Duration::from_millis(300));
    tenant.replace_scenario(&scenario_with(|v| {
        v["tenants"][0]["cloud"] = json!("usgov")
    }));
    let began = Instant::now();
    let response = http()
        .get(format!(
            "{}/contoso.com/v2.0/.well-known/openid-configuration",
            tenant.endpoints().login
        ))
        .send()
        .await
        .expect("get");
    assert!(began.elapsed() < Duration::from_millis(300));
    assert_eq!(response.status().as_u16(), 400);
}

#[tokio::test]
async fn a_fault_after_the_fact_carries_the_write_out_and_loses_its_answer() {
    let tenant = start(scenario_with(|v| {
        v["faults"] = json!([
            {"match": "POST /v1.0/applications", "kind": "reset", "after": true, "times": 1},
            {"match": "POST /v1.0/applications/*/addPassword", "kind": "status", "status": 504, "after": true, "times": 1}
        ]);
    }))
    .await;
    let token = admin_token(&tenant).await;
    let create = http()
        .post(format!("{}/v1.0/applications", tenant.endpoints().graph))
        .bearer_auth(&token)
        .json(&json!({"displayName": "Lost reply"}))
        .send()
        .await;
    assert!(create.is_err(), "the connection closes without an answer");
    let (_, _, found) = graph_get(
        &tenant,
        &token,
        "/applications?$filter=displayName%20eq%20'Lost%20reply'",
    )
    .await;
    let apps = found["value"].as_array().expect("value");
    assert_eq!(
        apps.len(),
        1,
        "the application was created all the same: {found}"
    );

    let id = apps[0]["id"].as_str().expect("id");
    let (status, body) = graph_send(
        &tenant,
        &token,
        reqwest::Method::POST,
        &format!("/applications/{id}/addPassword"),
        json!({"passwordCredential": {"displayName": "lost"}}),
    )
    .await;
    assert_eq!(status, 504, "{body}");
    assert!(
        body.get("secretText").is_none(),
        "the value is lost with the answer"
    );
    let (_, _, app) = graph_get(&tenant, &token, &format!("/applications/{id}")).await;
    assert_eq!(
        app["passwordCredentials"].as_array().map(Vec::len),
        Some(1),
        "the secret was added all the same: {app}"
    );
}

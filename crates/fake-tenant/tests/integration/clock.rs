//! The stand-in's injectable clock: lifetimes of tokens, authorization codes and client secrets, and the
//! timestamps of its answers, follow a manual clock the test advances — no test here waits.

use std::time::Duration;

use chrono::{TimeZone as _, Utc};
use entra_fake_tenant::{FakeTenant, ManualClock, StartOptions};
use serde_json::json;

use crate::common::*;

/// How far Microsoft dates `iat` back from the moment of issue.
const BACKDATE: i64 = 300;

async fn start_at(
    scenario: entra_fake_tenant::Scenario,
    at: chrono::DateTime<Utc>,
) -> (FakeTenant, ManualClock) {
    let clock = ManualClock::starting_at(at);
    let options = StartOptions {
        clock: clock.clone().into(),
        ..StartOptions::default()
    };
    let tenant = FakeTenant::start(scenario, options).await.expect("start");
    (tenant, clock)
}

fn june_first() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0)
        .single()
        .expect("date")
}

#[tokio::test]
async fn an_access_token_is_accepted_until_its_lifetime_is_over_on_the_stand_in_clock() {
    let (tenant, clock) = start_at(scenario_with(|_| {}), june_first()).await;
    assert!(tenant.clock().as_manual().is_some());
    let body = delegated_token(
        &tenant,
        None,
        "https://graph.microsoft.com/Application.Read.All openid offline_access",
    )
    .await;
    let token = body["access_token"].as_str().expect("token").to_owned();
    let claims = claims(&token);
    let issued = june_first().timestamp();
    assert_eq!(claims["iat"], json!(issued - BACKDATE), "{claims}");
    // Microsoft's delegated tokens live a random 60 to 90 minutes; `expires_in` is what is left.
    let lifetime = body["expires_in"].as_i64().expect("expires_in");
    assert!((3600..=5400).contains(&lifetime), "{body}");
    assert_eq!(body["ext_expires_in"], lifetime, "{body}");
    assert_eq!(claims["exp"], json!(issued + lifetime), "{claims}");
    let lifetime = Duration::from_secs(lifetime as u64);
    let path = format!("/applications/{APP_OBJECT}");
    let (status, _, body) = graph_get(&tenant, &token, &path).await;
    assert_eq!(status, 200, "{body}");

    clock.advance(lifetime - Duration::from_secs(1));
    let (status, _, body) = graph_get(&tenant, &token, &path).await;
    assert_eq!(status, 200, "a second before it expires: {body}");

    clock.advance(Duration::from_secs(1));
    let (status, headers, body) = graph_get(&tenant, &token, &path).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(
        body["error"]["code"], "InvalidAuthenticationToken",
        "{body}"
    );
    assert_eq!(
        body["error"]["message"],
        "Lifetime validation failed, the token is expired."
    );
    assert!(headers.contains_key("www-authenticate"));
    // The error is dated by the stand-in's clock, not the machine's.
    let expired_at = june_first() + chrono::Duration::seconds(lifetime.as_secs() as i64);
    assert_eq!(
        body["error"]["innerError"]["date"],
        expired_at.format("%Y-%m-%dT%H:%M:%S").to_string()
    );
}

#[tokio::test]
async fn an_authorization_code_expires_after_ten_minutes() {
    let (tenant, clock) = start_on_manual_clock(scenario_with(|_| {})).await;
    let (verifier, challenge) = pkce();
    let scope = "https://graph.microsoft.com/User.Read.All offline_access";
    let redeem = |code: String| {
        let tenant = &tenant;
        let verifier = verifier.clone();
        async move { redeem_code(tenant, &code, &verifier, scope).await }
    };
    let code = || async {
        let response = authorize(
            &tenant,
            "organizations",
            &[
                ("client_id", GRAPH_CLI),
                ("response_type", "code"),
                ("redirect_uri", "http://localhost:53123/"),
                ("scope", scope),
                ("code_challenge", challenge.as_str()),
                ("code_challenge_method", "S256"),
            ],
        )
        .await;
        assert_eq!(response.status().as_u16(), 302);
        location_param(&response, "code").expect("code")
    };

    let fresh = code().await;
    clock.advance(Duration::from_secs(599));
    let (status, body) = redeem(fresh).await;
    assert_eq!(status, 200, "redeemed a second before it expires: {body}");

    let stale = code().await;
    clock.advance(Duration::from_secs(600));
    let (status, body) = redeem(stale).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_codes"], json!([70008]), "{body}");
}

#[tokio::test]
async fn a_client_secret_expires_at_its_end_date_on_the_stand_in_clock() {
    let end = Utc
        .with_ymd_and_hms(2026, 7, 1, 0, 0, 0)
        .single()
        .expect("date");
    let scenario = scenario_with(|v| {
        v["tenants"][0]["applications"][0]["secrets"][0]["end"] = json!(end.to_rfc3339());
    });
    let (tenant, clock) = start_at(scenario, end - chrono::Duration::seconds(1)).await;
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", APP),
        ("client_secret", SECRET),
        ("scope", GRAPH_DEFAULT),
    ];
    let (status, body) = token_request(&tenant, TENANT, &form).await;
    assert_eq!(status, 200, "a second before its end: {body}");

    clock.advance(Duration::from_secs(1));
    let (status, body) = token_request(&tenant, TENANT, &form).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "invalid_client");
    assert_eq!(body["error_codes"], json!([7000222]), "{body}");
    // ESTS stamps the error with its own time: the stand-in's clock.
    let stamp = end.format("%Y-%m-%d %H:%M:%SZ").to_string();
    assert_eq!(body["timestamp"], stamp, "{body}");
    let description = body["error_description"].as_str().expect("description");
    assert!(
        description.ends_with(&format!("Timestamp: {stamp}")),
        "{description}"
    );
}

#[tokio::test]
async fn the_system_clock_is_the_default() {
    let tenant = start(scenario_with(|_| {})).await;
    assert!(tenant.clock().as_manual().is_none());
    let before = Utc::now().timestamp();
    let token = app_token(&tenant, APP, SECRET).await;
    let iat = claims(&token)["iat"].as_i64().expect("iat") + BACKDATE;
    assert!(
        iat >= before && iat <= Utc::now().timestamp(),
        "iat {iat} is five minutes before now"
    );
}

//! Discovery, JWKS and the client-credentials token endpoint with its AADSTS errors.

use serde_json::{Value, json};

use crate::common::*;

async fn discovery(tenant: &entra_fake_tenant::FakeTenant, segment: &str) -> (u16, Value) {
    let response = http()
        .get(format!(
            "{}/{segment}/v2.0/.well-known/openid-configuration",
            tenant.endpoints().login
        ))
        .send()
        .await
        .expect("get");
    (
        response.status().as_u16(),
        response.json().await.expect("json"),
    )
}

/// A token request form, the status, `error` and AADSTS code expected.
type ErrorCase<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str, u64);

fn cc<'a>(client_id: &'a str, secret: &'a str, scope: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
        ("scope", scope),
    ]
}

fn assert_aadsts(body: &Value, error: &str, code: u64) {
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["error_codes"], json!([code]), "{body}");
    let description = body["error_description"].as_str().expect("description");
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{description}"
    );
    assert!(
        description.contains(" Trace ID: ")
            && description.contains(" Correlation ID: ")
            && description.contains(" Timestamp: ")
    );
    assert_eq!(
        body["error_uri"],
        format!("https://login.microsoftonline.com/error?code={code}")
    );
    for field in ["timestamp", "trace_id", "correlation_id"] {
        assert!(body[field].is_string(), "{field}");
    }
}

#[tokio::test]
async fn discovery_by_guid_domain_and_keywords() {
    let tenant = start(scenario_with(|_| {})).await;
    let (status, by_guid) = discovery(&tenant, TENANT).await;
    assert_eq!(status, 200);
    assert_eq!(
        by_guid["issuer"],
        format!("{}/{TENANT}/v2.0", tenant.endpoints().login)
    );
    assert_eq!(
        by_guid["token_endpoint"],
        format!("{}/{TENANT}/oauth2/v2.0/token", tenant.endpoints().login)
    );
    assert_eq!(by_guid["cloud_instance_name"], "microsoftonline.com");
    assert_eq!(by_guid["msgraph_host"], "graph.microsoft.com");
    let (_, by_domain) = discovery(&tenant, "contoso.com").await;
    assert_eq!(by_domain["issuer"], by_guid["issuer"]);
    let (status, common) = discovery(&tenant, "common").await;
    assert_eq!(status, 200);
    assert!(
        common["issuer"]
            .as_str()
            .expect("issuer")
            .ends_with("/{tenantid}/v2.0")
    );
    assert_eq!(common["tenant_region_scope"], Value::Null);
    let (status, _) = discovery(&tenant, "organizations").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn discovery_errors() {
    let tenant = start(scenario_with(|v| {
        let mut gov = v["tenants"][0].clone();
        gov["id"] = json!("99999999-2222-3333-4444-555555555555");
        gov["domains"] = json!(["gov.onmicrosoft.us"]);
        gov["cloud"] = json!("usgov");
        gov["users"] = json!([]);
        gov["applications"] = json!([]);
        v["tenants"].as_array_mut().expect("tenants").push(gov);
    }))
    .await;
    let (status, body) = discovery(&tenant, "fabrikam.com").await;
    assert_eq!(status, 400);
    assert_aadsts(&body, "invalid_tenant", 90002);
    let (status, body) = discovery(&tenant, "not_a_tenant").await;
    assert_eq!(status, 400);
    assert_aadsts(&body, "invalid_request", 900023);
    let (status, body) = discovery(&tenant, "99999999-2222-3333-4444-555555555555").await;
    assert_eq!(status, 400);
    assert_aadsts(&body, "invalid_request", 90038);
}

#[tokio::test]
async fn client_credentials_issue_a_signed_v1_graph_token() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["applications"][0]["permissions"]["application"] =
            json!(["Calendars.Read"]);
        v["tenants"][0]["applications"][0]["consented"]["application"] = json!(["Calendars.Read"]);
    }))
    .await;
    let response = http()
        .post(format!(
            "{}/{TENANT}/oauth2/v2.0/token",
            tenant.endpoints().login
        ))
        .form(&cc(APP, SECRET, GRAPH_DEFAULT))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store, no-cache");
    assert!(response.headers().contains_key("x-ms-request-id"));
    let body: Value = response.json().await.expect("json");
    let keys: Vec<&str> = body
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 4, "{keys:?}");
    assert_eq!(body["token_type"], "Bearer");
    let token = body["access_token"].as_str().expect("token");
    let c = claims(token);
    assert_eq!(c["aud"], "https://graph.microsoft.com");
    assert_eq!(c["iss"], format!("https://sts.windows.net/{TENANT}/"));
    assert_eq!(c["appid"], APP);
    assert_eq!(c["tid"], TENANT);
    assert_eq!(c["idtyp"], "app");
    assert_eq!(c["roles"], json!(["Calendars.Read"]));

    // As Microsoft's, the Graph token carries a header `nonce` and does not verify as sent with the
    // JWKS at the discovery document's jwks_uri; it does once the nonce is replaced by its SHA-256.
    let (_, doc) = discovery(&tenant, TENANT).await;
    let jwks: Value = http()
        .get(doc["jwks_uri"].as_str().expect("uri"))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    let jwk: jsonwebtoken::jwk::JwkSet = serde_json::from_value(jwks).expect("jwk set");
    let header = jsonwebtoken::decode_header(token).expect("header");
    let key = jwk
        .find(header.kid.as_deref().expect("kid"))
        .expect("key by kid");
    let key = jsonwebtoken::DecodingKey::from_jwk(key).expect("decoding key");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&["https://graph.microsoft.com"]);
    assert!(
        jsonwebtoken::decode::<Value>(token, &key, &validation).is_err(),
        "a Graph token does not verify as sent"
    );
    jsonwebtoken::decode::<Value>(&with_hashed_nonce(token), &key, &validation)
        .expect("signature verifies over the hashed nonce");

    // A token for another resource carries no nonce and verifies as sent.
    let (status, body) = token_request(
        &tenant,
        TENANT,
        &cc(APP, SECRET, "https://outlook.office365.com/.default"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let exchange = body["access_token"].as_str().expect("token");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.validate_aud = false;
    jsonwebtoken::decode::<Value>(exchange, &key, &validation).expect("verifies as sent");
}

/// The token with its header `nonce` replaced by base64url(SHA-256(nonce)) — what Microsoft signed.
fn with_hashed_nonce(token: &str) -> String {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let (header, rest) = token.split_once('.').expect("three parts");
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(header).expect("b64")).expect("utf-8");
    let parsed: Value = serde_json::from_str(&text).expect("json");
    let nonce = parsed["nonce"]
        .as_str()
        .expect("a Graph token carries a nonce");
    let hashed = URL_SAFE_NO_PAD
        .encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, nonce.as_bytes()).as_ref());
    let text = text.replace(nonce, &hashed);
    format!("{}.{rest}", URL_SAFE_NO_PAD.encode(text))
}

#[tokio::test]
async fn no_roles_claim_without_application_consent_and_basic_auth_works() {
    let tenant = start(scenario_with(|_| {})).await;
    let response = http()
        .post(format!(
            "{}/contoso.com/oauth2/v2.0/token",
            tenant.endpoints().login
        ))
        .basic_auth(APP, Some(SECRET))
        .form(&[
            ("grant_type", "client_credentials"),
            ("scope", GRAPH_DEFAULT),
        ])
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    assert!(
        claims(body["access_token"].as_str().expect("token"))
            .get("roles")
            .is_none()
    );
}

#[tokio::test]
async fn client_credentials_errors() {
    let tenant = start(scenario_with(|v| {
        let mut expired = v["tenants"][0]["applications"][0].clone();
        expired["app_id"] = json!("bbbbbbbb-0000-0000-0000-000000000002");
        expired["object_id"] = json!("cccccccc-0000-0000-0000-000000000002");
        expired["secrets"][0]["key_id"] = json!("dddddddd-0000-0000-0000-000000000002");
        expired["secrets"][0]["value"] = json!("Old8Q~expiredexpiredexpiredexpiredexpired");
        expired["secrets"][0]["start"] = json!("2020-01-01T00:00:00Z");
        expired["secrets"][0]["end"] = json!("2021-01-01T00:00:00Z");
        let mut disabled = v["tenants"][0]["applications"][0].clone();
        disabled["app_id"] = json!("bbbbbbbb-0000-0000-0000-000000000003");
        disabled["object_id"] = json!("cccccccc-0000-0000-0000-000000000003");
        disabled["enabled"] = json!(false);
        let mut public = v["tenants"][0]["applications"][0].clone();
        public["app_id"] = json!("bbbbbbbb-0000-0000-0000-000000000004");
        public["object_id"] = json!("cccccccc-0000-0000-0000-000000000004");
        public["allow_public_client_flows"] = json!(true);
        public["secrets"] = json!([]);
        let mut no_sp = v["tenants"][0]["applications"][0].clone();
        no_sp["app_id"] = json!("bbbbbbbb-0000-0000-0000-000000000005");
        no_sp["object_id"] = json!("cccccccc-0000-0000-0000-000000000005");
        no_sp["secrets"][0]["key_id"] = json!("dddddddd-0000-0000-0000-000000000005");
        no_sp["service_principal"] = json!(false);
        no_sp["consented"] = json!({"delegated": [], "application": []});
        let apps = v["tenants"][0]["applications"]
            .as_array_mut()
            .expect("apps");
        apps.extend([expired, disabled, public, no_sp]);
    }))
    .await;
    let cases: Vec<ErrorCase<'_>> = vec![
        (
            cc(
                "eeeeeeee-0000-0000-0000-000000000009",
                SECRET,
                GRAPH_DEFAULT,
            ),
            400,
            "unauthorized_client",
            700016,
        ),
        (
            cc(APP, "wrong-secret", GRAPH_DEFAULT),
            401,
            "invalid_client",
            7000215,
        ),
        (
            cc(APP, SECRET_ID, GRAPH_DEFAULT),
            401,
            "invalid_client",
            7000215,
        ),
        (
            cc(
                "bbbbbbbb-0000-0000-0000-000000000002",
                "Old8Q~expiredexpiredexpiredexpiredexpired",
                GRAPH_DEFAULT,
            ),
            401,
            "invalid_client",
            7000222,
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", APP),
                ("scope", GRAPH_DEFAULT),
            ],
            401,
            "invalid_client",
            7000218,
        ),
        (
            cc(
                "bbbbbbbb-0000-0000-0000-000000000003",
                SECRET,
                GRAPH_DEFAULT,
            ),
            400,
            "unauthorized_client",
            7000112,
        ),
        (
            cc(APP, SECRET, "https://graph.microsoft.com/User.Read"),
            400,
            "invalid_scope",
            1002012,
        ),
        (
            cc(
                APP,
                SECRET,
                "https://graph.microsoft.com/.default https://outlook.office365.com/.default",
            ),
            400,
            "invalid_scope",
            70011,
        ),
        (
            cc(APP, SECRET, "https://api.example.com/.default"),
            400,
            "invalid_resource",
            500011,
        ),
        (
            cc(
                "bbbbbbbb-0000-0000-0000-000000000004",
                "anything",
                GRAPH_DEFAULT,
            ),
            401,
            "invalid_client",
            700025,
        ),
        (
            cc(
                "bbbbbbbb-0000-0000-0000-000000000005",
                SECRET,
                GRAPH_DEFAULT,
            ),
            400,
            "invalid_client",
            7000229,
        ),
        (
            vec![("grant_type", "password"), ("client_id", APP)],
            400,
            "unsupported_grant_type",
            70003,
        ),
        (vec![("client_id", APP)], 400, "invalid_request", 900144),
    ];
    for (form, status, error, code) in cases {
        let (got_status, body) = token_request(&tenant, TENANT, &form).await;
        assert_eq!(got_status, status, "{form:?} {body}");
        assert_aadsts(&body, error, code);
    }
    let (status, body) = token_request(&tenant, "common", &cc(APP, SECRET, GRAPH_DEFAULT)).await;
    assert_eq!(status, 400);
    assert_aadsts(&body, "invalid_request", 9001023);
    let (status, body) =
        token_request(&tenant, "fabrikam.com", &cc(APP, SECRET, GRAPH_DEFAULT)).await;
    assert_eq!(status, 400);
    assert_aadsts(&body, "invalid_tenant", 90002);
}

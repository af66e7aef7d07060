//! Helpers shared by the tests: scenarios, starting the stand-in, tokens.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entra_fake_tenant::{FakeTenant, ManualClock, Scenario, StartOptions};
use serde_json::{Value, json};

pub const TENANT: &str = "11111111-2222-3333-4444-555555555555";
pub const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
pub const APP_OBJECT: &str = "cccccccc-0000-0000-0000-000000000001";
pub const SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
pub const SECRET_ID: &str = "dddddddd-0000-0000-0000-000000000001";
pub const GRAPH_CLI: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
pub const GRAPH_DEFAULT: &str = "https://graph.microsoft.com/.default";

/// The shipped Contoso scenario as JSON, to modify.
pub fn contoso_json() -> Value {
    let text = entra_fake_tenant::builtin::SCENARIOS
        .iter()
        .find(|(n, _)| *n == "contoso")
        .expect("contoso")
        .1;
    serde_json::from_str(text).expect("json")
}

/// Contoso with a change applied.
pub fn scenario_with(change: impl FnOnce(&mut Value)) -> Scenario {
    let mut value = contoso_json();
    change(&mut value);
    Scenario::from_json(&value.to_string()).expect("valid scenario")
}

/// Starts the stand-in.
pub async fn start(scenario: Scenario) -> FakeTenant {
    FakeTenant::start(scenario, StartOptions::default())
        .await
        .expect("start")
}

/// Starts the stand-in on a manual clock, which moves only when the test advances it.
pub async fn start_on_manual_clock(scenario: Scenario) -> (FakeTenant, ManualClock) {
    let clock = ManualClock::new();
    let options = StartOptions {
        clock: clock.clone().into(),
        ..StartOptions::default()
    };
    let tenant = FakeTenant::start(scenario, options).await.expect("start");
    (tenant, clock)
}

/// An HTTP client that does not follow redirects.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// POSTs a token request.
pub async fn token_request(
    tenant: &FakeTenant,
    path_tenant: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let response = http()
        .post(format!(
            "{}/{path_tenant}/oauth2/v2.0/token",
            tenant.endpoints().login
        ))
        .form(form)
        .send()
        .await
        .expect("send");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

/// A client-credentials token for the Contoso app.
pub async fn app_token(tenant: &FakeTenant, client_id: &str, secret: &str) -> String {
    let (status, body) = token_request(
        tenant,
        TENANT,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret),
            ("scope", GRAPH_DEFAULT),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().expect("token").to_owned()
}

/// Decodes a JWT's claims without checking it.
pub fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("json")
}

/// PKCE verifier and S256 challenge.
pub fn pkce() -> (String, String) {
    let verifier = "a-verifier-that-is-long-enough-for-pkce-0123456789abcdef".to_owned();
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    (verifier, URL_SAFE_NO_PAD.encode(digest.as_ref()))
}

/// Runs /authorize and returns the Location header.
pub async fn authorize(
    tenant: &FakeTenant,
    path_tenant: &str,
    params: &[(&str, &str)],
) -> reqwest::Response {
    http()
        .get(format!(
            "{}/{path_tenant}/oauth2/v2.0/authorize",
            tenant.endpoints().login
        ))
        .query(params)
        .send()
        .await
        .expect("authorize")
}

/// A query parameter of a redirect `Location`.
pub fn location_param(response: &reqwest::Response, name: &str) -> Option<String> {
    let location = response.headers().get("location")?.to_str().ok()?;
    let url = url::Url::parse(location).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A delegated token through the Graph CLI public client with auth code + PKCE for `scope`.
pub async fn delegated_token(tenant: &FakeTenant, login_hint: Option<&str>, scope: &str) -> Value {
    let (verifier, challenge) = pkce();
    let mut params = vec![
        ("client_id", GRAPH_CLI),
        ("response_type", "code"),
        ("redirect_uri", "http://localhost:53123/"),
        ("scope", scope),
        ("state", "s1"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    if let Some(hint) = login_hint {
        params.push(("login_hint", hint));
    }
    let response = authorize(tenant, "organizations", &params).await;
    assert_eq!(
        response.status().as_u16(),
        302,
        "{:?}",
        response.text().await
    );
    let code = location_param(&response, "code").expect("code");
    let (status, body) = redeem_code(tenant, &code, &verifier, scope).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Redeem an authorization code issued to Graph Command Line Tools on the loopback redirect.
pub async fn redeem_code(
    tenant: &FakeTenant,
    code: &str,
    verifier: &str,
    scope: &str,
) -> (u16, Value) {
    token_request(
        tenant,
        "organizations",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", GRAPH_CLI),
            ("code", code),
            ("redirect_uri", "http://localhost:53123/"),
            ("code_verifier", verifier),
            ("scope", scope),
        ],
    )
    .await
}

/// An admin Graph token with the directory scopes the wizard uses.
pub async fn admin_token(tenant: &FakeTenant) -> String {
    let body = delegated_token(
        tenant,
        None,
        "https://graph.microsoft.com/Application.ReadWrite.All https://graph.microsoft.com/DelegatedPermissionGrant.ReadWrite.All https://graph.microsoft.com/AppRoleAssignment.ReadWrite.All https://graph.microsoft.com/Policy.Read.All https://graph.microsoft.com/User.Read.All https://graph.microsoft.com/Mail.Send openid offline_access",
    )
    .await;
    body["access_token"].as_str().expect("token").to_owned()
}

/// GET on Graph.
pub async fn graph_get(
    tenant: &FakeTenant,
    token: &str,
    path: &str,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = http()
        .get(format!("{}/v1.0{path}", tenant.endpoints().graph))
        .bearer_auth(token)
        .send()
        .await
        .expect("get");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("text");
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(json!(text)),
    )
}

/// A write on Graph.
pub async fn graph_send(
    tenant: &FakeTenant,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let response = http()
        .request(method, format!("{}/v1.0{path}", tenant.endpoints().graph))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("send");
    let status = response.status().as_u16();
    let text = response.text().await.expect("text");
    (status, serde_json::from_str(&text).unwrap_or(json!(text)))
}

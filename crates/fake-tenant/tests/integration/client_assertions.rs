//! Client credentials with a certificate: client assertions checked as Entra checks them, each failure
//! with its AADSTS code, on the stand-in's injected clock.

use entra_fake_tenant::{FakeTenant, ManualClock};
use serde_json::{Value, json};

use crate::certificates::{TestCertificate, assertion_claims, expired, other, registered};
use crate::common::*;

const KEY_ID: &str = "eeeeeeee-0000-0000-0000-000000000001";

/// Contoso whose app holds `certificate` (with the scenario's optional `end`).
async fn holding(certificate: &TestCertificate, end: Option<&str>) -> (FakeTenant, ManualClock) {
    let mut entry = json!({
        "key_id": KEY_ID,
        "display_name": "CN=Registered",
        "certificate_pem": certificate.pem,
    });
    if let Some(end) = end {
        entry["end"] = json!(end);
    }
    start_on_manual_clock(scenario_with(|v| {
        v["tenants"][0]["applications"][0]["certificates"] = json!([entry]);
    }))
    .await
}

/// The v2 token endpoint of the tenant as the request names it.
fn endpoint(tenant: &FakeTenant, path_tenant: &str) -> String {
    format!(
        "{}/{path_tenant}/oauth2/v2.0/token",
        tenant.endpoints().login
    )
}

/// A client-credentials request with `assertion` on Contoso's GUID path.
async fn with_assertion(tenant: &FakeTenant, assertion: &str) -> (u16, Value) {
    token_request(
        tenant,
        TENANT,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", assertion),
            ("scope", GRAPH_DEFAULT),
        ],
    )
    .await
}

/// The failure's status, `error`, first code and description.
fn failure(answer: &(u16, Value)) -> (u16, String, u64, String) {
    let (status, body) = answer;
    (
        *status,
        body["error"].as_str().unwrap_or_default().to_owned(),
        body["error_codes"][0].as_u64().unwrap_or_default(),
        body["error_description"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[tokio::test]
async fn an_assertion_signed_by_a_registered_certificate_gets_an_app_token() {
    let (tenant, clock) = holding(registered(), None).await;
    let assertion = registered().assertion(APP, &endpoint(&tenant, TENANT), clock.utc());
    let (status, body) = with_assertion(&tenant, &assertion).await;
    assert_eq!(status, 200, "{body}");
    let token = claims(body["access_token"].as_str().expect("token"));
    let by_secret = claims(&app_token(&tenant, APP, SECRET).await);
    assert_eq!(token["appidacr"], "2", "a certificate, not a secret");
    assert_eq!(by_secret["appidacr"], "1");
    for claim in ["aud", "iss", "appid", "idtyp", "oid", "sub", "tid"] {
        assert_eq!(token[claim], by_secret[claim], "{claim}");
    }
    assert_eq!(body["token_type"], "Bearer");
}

#[tokio::test]
async fn the_legacy_sha1_header_ps256_the_v1_audience_and_a_domain_are_accepted() {
    let (tenant, clock) = holding(registered(), None).await;
    let cert = registered();
    let v1 = format!("{}/{TENANT}/oauth2/token", tenant.endpoints().login);
    let cases = [
        (
            json!({"alg": "RS256", "typ": "JWT", "x5t": cert.x5t()}),
            endpoint(&tenant, TENANT),
        ),
        (
            json!({"alg": "PS256", "typ": "JWT", "x5t#S256": cert.x5t_s256()}),
            endpoint(&tenant, TENANT),
        ),
        (
            json!({"alg": "RS256", "typ": "JWT", "x5t#S256": cert.x5t_s256()}),
            v1,
        ),
        (
            json!({"alg": "RS256", "typ": "JWT", "x5t#S256": cert.x5t_s256()}),
            endpoint(&tenant, "contoso.onmicrosoft.com"),
        ),
        (
            json!({"alg": "RS256", "typ": "JWT", "x5t#S256": cert.x5t_s256()}),
            format!("https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"),
        ),
    ];
    for (header, audience) in cases {
        let assertion = cert.sign(&header, &assertion_claims(APP, &audience, clock.utc()));
        let (status, body) = with_assertion(&tenant, &assertion).await;
        assert_eq!(status, 200, "{header} {audience}: {body}");
    }
}

#[tokio::test]
async fn the_client_id_may_be_left_to_the_assertion() {
    let (tenant, clock) = holding(registered(), None).await;
    let assertion = registered().assertion(APP, &endpoint(&tenant, TENANT), clock.utc());
    let (status, body) = token_request(
        &tenant,
        TENANT,
        &[
            ("grant_type", "client_credentials"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", &assertion),
            ("scope", GRAPH_DEFAULT),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_certificate_the_app_does_not_hold_is_not_found() {
    let (tenant, clock) = holding(registered(), None).await;
    let assertion = other().assertion(APP, &endpoint(&tenant, TENANT), clock.utc());
    let (status, error, code, description) = failure(&with_assertion(&tenant, &assertion).await);
    assert_eq!(
        (status, error.as_str(), code),
        (401, "invalid_client", 700027)
    );
    assert!(
        description.starts_with("AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '"),
        "{description}"
    );
    assert!(
        description.contains(&format!("keys for app Id '{APP}'")),
        "{description}"
    );
}

#[tokio::test]
async fn a_signature_by_another_key_does_not_verify() {
    let (tenant, clock) = holding(registered(), None).await;
    // The header names the registered certificate; the other one's key signs.
    let assertion = other().sign(
        &json!({"alg": "RS256", "typ": "JWT", "x5t#S256": registered().x5t_s256()}),
        &assertion_claims(APP, &endpoint(&tenant, TENANT), clock.utc()),
    );
    let (status, _, code, description) = failure(&with_assertion(&tenant, &assertion).await);
    assert_eq!((status, code), (401, 700027));
    assert!(
        description
            .contains("The provided signature value did not match the expected signature value."),
        "{description}"
    );
    // A tampered assertion fails the same way.
    let good = registered().assertion(APP, &endpoint(&tenant, TENANT), clock.utc());
    let mut parts: Vec<&str> = good.split('.').collect();
    let forged = crate::certificates::encode_claims(&assertion_claims(
        APP,
        &endpoint(&tenant, TENANT),
        clock.utc(),
    ));
    parts[1] = &forged;
    let (status, _, code, _) = failure(&with_assertion(&tenant, &parts.join(".")).await);
    assert_eq!((status, code), (401, 700027));
}

#[tokio::test]
async fn an_expired_certificate_fails_as_expired() {
    let (tenant, clock) = holding(expired(), None).await;
    let assertion = expired().assertion(APP, &endpoint(&tenant, TENANT), clock.utc());
    let (status, _, code, description) = failure(&with_assertion(&tenant, &assertion).await);
    assert_eq!((status, code), (401, 700027));
    assert!(
        description.contains("The key used is expired."),
        "{description}"
    );
    assert!(description.contains(&expired().thumbprint()) || description.contains("Thumbprint"));
    // A registration whose end date (not the certificate's) passed fails the same way.
    let (tenant, clock) = holding(registered(), Some("2021-06-01T00:00:00Z")).await;
    let assertion = registered().assertion(APP, &endpoint(&tenant, TENANT), clock.utc());
    let (status, _, code, description) = failure(&with_assertion(&tenant, &assertion).await);
    assert_eq!((status, code), (401, 700027));
    assert!(
        description.contains("The key used is expired."),
        "{description}"
    );
}

#[tokio::test]
async fn the_audience_must_be_this_tenants_token_endpoint() {
    let (tenant, clock) = holding(registered(), None).await;
    for audience in [
        format!("{}/common/oauth2/v2.0/token", tenant.endpoints().login),
        format!(
            "{}/{TENANT}/oauth2/v2.0/authorize",
            tenant.endpoints().login
        ),
        "https://graph.microsoft.com".to_owned(),
        format!(
            "https://login.microsoftonline.com/{}/oauth2/v2.0/token",
            uuid::Uuid::new_v4()
        ),
    ] {
        let assertion = registered().assertion(APP, &audience, clock.utc());
        let (status, error, code, description) =
            failure(&with_assertion(&tenant, &assertion).await);
        assert_eq!(
            (status, error.as_str(), code),
            (401, "invalid_client", 700023),
            "{audience}"
        );
        assert!(
            description.starts_with(
                "AADSTS700023: Client assertion audience claim does not match Realm issuer."
            ),
            "{description}"
        );
    }
}

#[tokio::test]
async fn issuer_and_subject_must_both_be_the_client() {
    let (tenant, clock) = holding(registered(), None).await;
    let audience = endpoint(&tenant, TENANT);
    let mut claims = assertion_claims(APP, &audience, clock.utc());
    claims["sub"] = json!("someone-else");
    let header = json!({"alg": "RS256", "typ": "JWT", "x5t#S256": registered().x5t_s256()});
    let (status, _, code, _) =
        failure(&with_assertion(&tenant, &registered().sign(&header, &claims)).await);
    assert_eq!((status, code), (401, 50048));
    let other_client = "99999999-0000-0000-0000-000000000009";
    let claims = assertion_claims(other_client, &audience, clock.utc());
    let (status, _, code, description) =
        failure(&with_assertion(&tenant, &registered().sign(&header, &claims)).await);
    assert_eq!((status, code), (401, 700021));
    assert!(
        description.starts_with("AADSTS700021: Client assertion application identifier doesn't match 'client_id' parameter."),
        "{description}"
    );
}

#[tokio::test]
async fn an_assertion_is_accepted_only_within_its_time_range_and_the_skew() {
    let (tenant, clock) = holding(registered(), None).await;
    let audience = endpoint(&tenant, TENANT);
    // Made now, valid ten minutes: still accepted four minutes after it expired (five minutes' skew).
    let assertion = registered().assertion(APP, &audience, clock.utc());
    clock.advance(std::time::Duration::from_secs(14 * 60));
    let (status, body) = with_assertion(&tenant, &assertion).await;
    assert_eq!(status, 200, "{body}");
    let late = registered().assertion(APP, &audience, clock.utc());
    clock.advance(std::time::Duration::from_secs(16 * 60));
    let (status, error, code, description) = failure(&with_assertion(&tenant, &late).await);
    assert_eq!(
        (status, error.as_str(), code),
        (401, "invalid_client", 700024)
    );
    assert!(
        description.starts_with(
            "AADSTS700024: Client assertion is not within its valid time range. Current time: "
        ),
        "{description}"
    );
    assert!(
        description.contains(", assertion valid from "),
        "{description}"
    );
    assert!(
        description.contains(", expiry time of assertion "),
        "{description}"
    );
    // Not valid before its nbf, beyond the skew.
    let mut claims = assertion_claims(APP, &audience, clock.utc());
    let at = clock.utc().timestamp();
    claims["nbf"] = json!(at + 600);
    claims["exp"] = json!(at + 1200);
    let header = json!({"alg": "RS256", "typ": "JWT", "x5t#S256": registered().x5t_s256()});
    let (status, _, code, _) =
        failure(&with_assertion(&tenant, &registered().sign(&header, &claims)).await);
    assert_eq!((status, code), (401, 700024));
}

#[tokio::test]
async fn a_jti_is_accepted_once_within_its_lifetime() {
    let (tenant, clock) = holding(registered(), None).await;
    let assertion = registered().assertion(APP, &endpoint(&tenant, TENANT), clock.utc());
    assert_eq!(with_assertion(&tenant, &assertion).await.0, 200);
    let (status, error, code, _) = failure(&with_assertion(&tenant, &assertion).await);
    assert_eq!(
        (status, error.as_str(), code),
        (401, "invalid_client", 7000274)
    );
    let fresh = registered().assertion(APP, &endpoint(&tenant, TENANT), clock.utc());
    assert_eq!(with_assertion(&tenant, &fresh).await.0, 200);
}

#[tokio::test]
async fn malformed_requests_are_refused() {
    let (tenant, clock) = holding(registered(), None).await;
    let assertion = registered().assertion(APP, &endpoint(&tenant, TENANT), clock.utc());
    // A secret and an assertion at once.
    let (status, body) = token_request(
        &tenant,
        TENANT,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("client_secret", SECRET),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", &assertion),
            ("scope", GRAPH_DEFAULT),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request")),
        "{body}"
    );
    assert_eq!(body["error_codes"][0], 90023);
    // No assertion type, or another one.
    for kind in [
        None,
        Some("urn:ietf:params:oauth:client-assertion-type:saml2-bearer"),
    ] {
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("client_assertion", assertion.as_str()),
            ("scope", GRAPH_DEFAULT),
        ];
        if let Some(kind) = kind {
            form.push(("client_assertion_type", kind));
        }
        let (status, body) = token_request(&tenant, TENANT, &form).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_request")),
            "{body}"
        );
    }
    // Not a JWT.
    let (status, error, code, _) = failure(&with_assertion(&tenant, "not-a-jwt").await);
    assert_eq!(
        (status, error.as_str(), code),
        (400, "invalid_request", 50027)
    );
    // An algorithm Entra does not take for certificates.
    let claims = assertion_claims(APP, &endpoint(&tenant, TENANT), clock.utc());
    let header = json!({"alg": "HS256", "typ": "JWT", "x5t#S256": registered().x5t_s256()});
    let (status, _, code, _) =
        failure(&with_assertion(&tenant, &registered().sign(&header, &claims)).await);
    assert_eq!((status, code), (401, 700027));
    // Without a jti.
    let mut claims = assertion_claims(APP, &endpoint(&tenant, TENANT), clock.utc());
    claims.as_object_mut().expect("object").remove("jti");
    let header = json!({"alg": "RS256", "typ": "JWT", "x5t#S256": registered().x5t_s256()});
    let (status, _, code, _) =
        failure(&with_assertion(&tenant, &registered().sign(&header, &claims)).await);
    assert_eq!((status, code), (400, 50027));
}

#[tokio::test]
async fn a_scenario_certificate_that_is_not_pem_is_refused_naming_the_field() {
    let mut value = contoso_json();
    value["tenants"][0]["applications"][0]["certificates"] = json!([{
        "key_id": KEY_ID, "display_name": "x", "certificate_pem": "not a certificate"
    }]);
    let error = entra_fake_tenant::Scenario::from_json(&value.to_string()).expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("tenants[0].applications[0].certificates[0].certificate_pem"),
        "{error}"
    );
}

#[tokio::test]
async fn a_web_app_redeems_its_authorization_code_with_an_assertion() {
    let (tenant, clock) = holding(registered(), None).await;
    let redirect = "https://intranet.contoso.com/oauth2/outlook/callback";
    let scope = "https://graph.microsoft.com/Calendars.ReadWrite offline_access openid";
    let response = authorize(
        &tenant,
        TENANT,
        &[
            ("client_id", APP),
            ("response_type", "code"),
            ("redirect_uri", redirect),
            ("scope", scope),
            ("state", "s1"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 302);
    let code = location_param(&response, "code").expect("code");
    let assertion = registered().assertion(APP, &endpoint(&tenant, TENANT), clock.utc());
    let (status, body) = token_request(
        &tenant,
        TENANT,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", APP),
            ("code", &code),
            ("redirect_uri", redirect),
            ("scope", scope),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", &assertion),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let token = claims(body["access_token"].as_str().expect("token"));
    assert_eq!(token["appidacr"], "2");
    // The refresh token is redeemed with a new assertion; the used one is refused.
    let refresh = body["refresh_token"].as_str().expect("refresh");
    let refresh_with = |assertion: String| {
        let tenant = &tenant;
        async move {
            token_request(
                tenant,
                TENANT,
                &[
                    ("grant_type", "refresh_token"),
                    ("client_id", APP),
                    ("refresh_token", refresh),
                    ("scope", scope),
                    (
                        "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    ),
                    ("client_assertion", &assertion),
                ],
            )
            .await
        }
    };
    let (status, body) = refresh_with(assertion.clone()).await;
    assert_eq!(
        (status, body["error_codes"][0].as_u64()),
        (401, Some(7000274))
    );
    let fresh = registered().assertion(APP, &endpoint(&tenant, TENANT), clock.utc());
    let (status, body) = refresh_with(fresh).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_multi_tenant_app_proves_itself_in_another_tenant_with_its_home_certificate() {
    const OTHER_TENANT: &str = "22222222-2222-3333-4444-555555555555";
    let scenario = scenario_with(|v| {
        let app = &mut v["tenants"][0]["applications"][0];
        app["sign_in_audience"] = json!("AzureADMultipleOrgs");
        app["certificates"] = json!([{
            "key_id": KEY_ID, "display_name": "CN=Registered", "certificate_pem": registered().pem,
        }]);
        let mut other = v["tenants"][0].clone();
        other["id"] = json!(OTHER_TENANT);
        other["display_name"] = json!("Fabrikam");
        other["domains"] = json!(["fabrikam.onmicrosoft.com"]);
        for (i, user) in other["users"]
            .as_array_mut()
            .expect("users")
            .iter_mut()
            .enumerate()
        {
            user["id"] = json!(format!("aaaaaaaa-2222-0000-0000-{i:012}"));
            let upn = user["upn"]
                .as_str()
                .expect("upn")
                .replace("contoso.com", "fabrikam.onmicrosoft.com");
            user["upn"] = json!(upn);
        }
        other["applications"] = json!([]);
        other["consent_requests"] = json!([]);
        other["application_access_policies"] = json!([]);
        other["vendor_apps"] = json!([{
            "app_id": APP, "object_id": "cccccccc-2222-0000-0000-000000000001",
            "display_name": "Intranet Outlook Calendar", "sign_in_audience": "AzureADMultipleOrgs",
            "web_redirect_uris": [], "spa_redirect_uris": [], "public_client_redirect_uris": [],
            "allow_public_client_flows": false, "enabled": true,
            "permissions": {"delegated": [], "application": ["Application.Read.All"]},
            "service_principal": true,
            "consented": {"delegated": [], "application": ["Application.Read.All"]},
            "publisher_tenant_id": TENANT,
        }]);
        v["tenants"].as_array_mut().expect("tenants").push(other);
        v.as_object_mut().expect("object").remove("sign_in");
    });
    let (tenant, clock) = start_on_manual_clock(scenario).await;
    let assertion = registered().assertion(APP, &endpoint(&tenant, OTHER_TENANT), clock.utc());
    let (status, body) = token_request(
        &tenant,
        OTHER_TENANT,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", &assertion),
            ("scope", GRAPH_DEFAULT),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let token = claims(body["access_token"].as_str().expect("token"));
    assert_eq!(token["tid"], OTHER_TENANT);
    assert_eq!(token["roles"], json!(["Application.Read.All"]));
    // An assertion made for the home tenant's endpoint is not for this one.
    let home = registered().assertion(APP, &endpoint(&tenant, TENANT), clock.utc());
    let (status, body) = token_request(
        &tenant,
        OTHER_TENANT,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", &home),
            ("scope", GRAPH_DEFAULT),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error_codes"][0].as_u64()),
        (401, Some(700023))
    );
}

#[tokio::test]
async fn behind_a_public_url_its_token_endpoint_and_the_listening_one_are_both_the_audience() {
    let (tenant, clock) = start_on_manual_clock(scenario_with(|v| {
        v["public_url"] = json!("https://login.contoso.test/");
        v["tenants"][0]["applications"][0]["certificates"] = json!([{
            "key_id": KEY_ID, "display_name": "CN=Registered", "certificate_pem": registered().pem,
        }]);
    }))
    .await;
    for audience in [
        format!("https://login.contoso.test/{TENANT}/oauth2/v2.0/token"),
        endpoint(&tenant, TENANT),
    ] {
        let assertion = registered().assertion(APP, &audience, clock.utc());
        let (status, body) = with_assertion(&tenant, &assertion).await;
        assert_eq!(status, 200, "{audience}: {body}");
    }
}

//! Authorization code + PKCE, refresh tokens, device code, the sign-in page and admin consent.

use serde_json::{Value, json};

use crate::common::*;

const WEB_REDIRECT: &str = "https://intranet.contoso.com/oauth2/outlook/callback";

#[tokio::test]
async fn web_app_code_flow_with_secret_and_refresh() {
    let tenant = start(scenario_with(|_| {})).await;
    let (verifier, challenge) = pkce();
    let response = authorize(
        &tenant,
        TENANT,
        &[
            ("client_id", APP),
            ("response_type", "code"),
            ("redirect_uri", WEB_REDIRECT),
            (
                "scope",
                "offline_access openid https://graph.microsoft.com/Calendars.ReadWrite",
            ),
            ("state", "xyz"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            ("nonce", "n-1"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 302);
    assert_eq!(location_param(&response, "state").as_deref(), Some("xyz"));
    let code = location_param(&response, "code").expect("code");

    let (status, body) = token_request(
        &tenant,
        TENANT,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", APP),
            ("client_secret", SECRET),
            ("code", &code),
            ("redirect_uri", WEB_REDIRECT),
            ("code_verifier", "wrong-verifier"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error_codes"], json!([50148]));

    let response = authorize(
        &tenant,
        TENANT,
        &[
            ("client_id", APP),
            ("response_type", "code"),
            ("redirect_uri", WEB_REDIRECT),
            (
                "scope",
                "offline_access openid https://graph.microsoft.com/Calendars.ReadWrite",
            ),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let code = location_param(&response, "code").expect("code");
    let (status, body) = token_request(
        &tenant,
        TENANT,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", APP),
            ("code", &code),
            ("redirect_uri", WEB_REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(status, 401, "a web app must send its secret: {body}");
    assert_eq!(body["error_codes"], json!([7000218]));
    let response = authorize(
        &tenant,
        TENANT,
        &[
            ("client_id", APP),
            ("response_type", "code"),
            ("redirect_uri", WEB_REDIRECT),
            (
                "scope",
                "offline_access openid https://graph.microsoft.com/Calendars.ReadWrite",
            ),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let code = location_param(&response, "code").expect("code");
    let (status, body) = token_request(
        &tenant,
        TENANT,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", APP),
            ("client_secret", SECRET),
            ("code", &code),
            ("redirect_uri", WEB_REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let access = claims(body["access_token"].as_str().expect("access"));
    assert_eq!(access["idtyp"], "user");
    assert_eq!(access["upn"], "admin@contoso.com");
    assert!(
        access["scp"]
            .as_str()
            .expect("scp")
            .contains("Calendars.ReadWrite")
    );
    assert!(body["id_token"].is_string() && body["refresh_token"].is_string());
    let (status, again) = token_request(
        &tenant,
        TENANT,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", APP),
            ("client_secret", SECRET),
            ("code", &code),
            ("redirect_uri", WEB_REDIRECT),
            ("code_verifier", &verifier),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(again["error_codes"], json!([54005]));

    let refresh = body["refresh_token"].as_str().expect("refresh");
    let (status, refreshed) = token_request(
        &tenant,
        TENANT,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", APP),
            ("client_secret", SECRET),
            ("refresh_token", refresh),
        ],
    )
    .await;
    assert_eq!(status, 200, "{refreshed}");
    assert!(refreshed["access_token"].is_string());
    let (status, bad) = token_request(
        &tenant,
        TENANT,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", APP),
            ("client_secret", SECRET),
            ("refresh_token", "nonsense"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(bad["error"], "invalid_grant");
}

#[tokio::test]
async fn redirect_rules_and_account_type() {
    let tenant = start(scenario_with(|_| {})).await;
    let response = authorize(
        &tenant,
        TENANT,
        &[
            ("client_id", APP),
            ("response_type", "code"),
            (
                "redirect_uri",
                "https://intranet.contoso.com/oauth2/Outlook/callback",
            ),
            ("scope", "openid"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.expect("page");
    assert!(
        page.contains("AADSTS50011") && page.contains("does not match the redirect URIs"),
        "{page}"
    );
    // Public client: any loopback port.
    for port in ["50001", "61234"] {
        let redirect = format!("http://localhost:{port}/");
        let response = authorize(
            &tenant,
            "organizations",
            &[
                ("client_id", GRAPH_CLI),
                ("response_type", "code"),
                ("redirect_uri", &redirect),
                ("scope", "User.Read"),
            ],
        )
        .await;
        assert_eq!(response.status().as_u16(), 302);
        assert!(
            response.headers()["location"]
                .to_str()
                .expect("location")
                .starts_with(&redirect)
        );
    }
    // A single-tenant app on /common.
    let response = authorize(
        &tenant,
        "common",
        &[
            ("client_id", APP),
            ("response_type", "code"),
            ("redirect_uri", WEB_REDIRECT),
            ("scope", "openid"),
        ],
    )
    .await;
    assert!(response.text().await.expect("page").contains("AADSTS50194"));
    let response = authorize(
        &tenant,
        TENANT,
        &[
            ("client_id", "eeeeeeee-0000-0000-0000-000000000000"),
            ("response_type", "code"),
            ("redirect_uri", WEB_REDIRECT),
            ("scope", "openid"),
        ],
    )
    .await;
    assert!(
        response
            .text()
            .await
            .expect("page")
            .contains("AADSTS700016")
    );
}

#[tokio::test]
async fn without_sign_in_as_a_page_lists_the_users() {
    let tenant = start(scenario_with(|v| {
        v.as_object_mut().expect("object").remove("sign_in");
    }))
    .await;
    let params = [
        ("client_id", GRAPH_CLI),
        ("response_type", "code"),
        ("redirect_uri", "http://localhost:40000/"),
        ("scope", "User.Read"),
        ("state", "st"),
    ];
    let response = authorize(&tenant, TENANT, &params).await;
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.expect("page");
    assert!(page.contains("admin@contoso.com") && page.contains("bob@contoso.com"));
    let mut picked = params.to_vec();
    picked.push(("fake_user", "bob@contoso.com"));
    let response = authorize(&tenant, TENANT, &picked).await;
    assert_eq!(response.status().as_u16(), 302);
    assert!(location_param(&response, "code").is_some());
    let mut cancelled = params.to_vec();
    cancelled.push(("fake_cancel", "1"));
    let response = authorize(&tenant, TENANT, &cancelled).await;
    assert_eq!(
        location_param(&response, "error").as_deref(),
        Some("access_denied")
    );
}

#[tokio::test]
async fn user_consent_off_needs_an_admin() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["user_consent"] = json!("none");
        v["sign_in"] = json!({"as": "bob@contoso.com"});
        v["tenants"][0]["applications"][0]["consented"] =
            json!({"delegated": [], "application": []});
    }))
    .await;
    let response = authorize(
        &tenant,
        TENANT,
        &[
            ("client_id", APP),
            ("response_type", "code"),
            ("redirect_uri", WEB_REDIRECT),
            ("scope", "https://graph.microsoft.com/Calendars.ReadWrite"),
        ],
    )
    .await;
    let page = response.text().await.expect("page");
    assert!(page.contains("AADSTS90094"), "{page}");
}

#[tokio::test]
async fn microsofts_managed_setting_keeps_calendar_access_for_administrators() {
    for (consent, scope, user_may) in [
        (
            "recommended",
            "https://graph.microsoft.com/Calendars.ReadWrite",
            false,
        ),
        ("recommended", "https://graph.microsoft.com/User.Read", true),
        (
            "managePermissionGrantsForSelf.microsoft-user-default-legacy",
            "https://graph.microsoft.com/Calendars.ReadWrite",
            true,
        ),
        (
            "ManagePermissionGrantsForSelf.contoso-approved-apps",
            "https://graph.microsoft.com/User.Read",
            false,
        ),
    ] {
        let tenant = start(scenario_with(|v| {
            v["tenants"][0]["user_consent"] = json!(consent);
            v["sign_in"] = json!({"as": "bob@contoso.com"});
            v["tenants"][0]["applications"][0]["consented"] =
                json!({"delegated": [], "application": []});
        }))
        .await;
        let response = authorize(
            &tenant,
            TENANT,
            &[
                ("client_id", APP),
                ("response_type", "code"),
                ("redirect_uri", WEB_REDIRECT),
                ("scope", scope),
            ],
        )
        .await;
        assert_eq!(
            response.status().as_u16() == 302,
            user_may,
            "{consent} {scope}: {:?}",
            response.text().await
        );
    }
}

async fn poll(tenant: &entra_fake_tenant::FakeTenant, device_code: &str) -> (u16, Value) {
    token_request(
        tenant,
        "organizations",
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", GRAPH_CLI),
            ("device_code", device_code),
        ],
    )
    .await
}

async fn device_code(tenant: &entra_fake_tenant::FakeTenant) -> Value {
    http()
        .post(format!(
            "{}/organizations/oauth2/v2.0/devicecode",
            tenant.endpoints().login
        ))
        .form(&[
            ("client_id", GRAPH_CLI),
            (
                "scope",
                "https://graph.microsoft.com/Application.ReadWrite.All offline_access",
            ),
        ])
        .send()
        .await
        .expect("devicecode")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn device_code_with_sign_in_as_succeeds_on_first_poll() {
    let tenant = start(scenario_with(|_| {})).await;
    let code = device_code(&tenant).await;
    for field in [
        "user_code",
        "device_code",
        "verification_uri",
        "expires_in",
        "interval",
        "message",
    ] {
        assert!(code.get(field).is_some(), "{field}");
    }
    let (status, body) = poll(&tenant, code["device_code"].as_str().expect("code")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        claims(body["access_token"].as_str().expect("token"))["scp"],
        "Application.ReadWrite.All"
    );
}

#[tokio::test]
async fn device_code_pending_then_approved_or_declined() {
    let tenant = start(scenario_with(|v| {
        v.as_object_mut().expect("object").remove("sign_in");
    }))
    .await;
    let code = device_code(&tenant).await;
    let device = code["device_code"].as_str().expect("code");
    let (status, body) = poll(&tenant, device).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "authorization_pending");
    let page = http()
        .get(code["verification_uri"].as_str().expect("uri"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("text");
    assert!(page.contains("admin@contoso.com"));
    let response = http()
        .post(format!("{}/devicelogin", tenant.endpoints().login))
        .form(&[
            ("user_code", code["user_code"].as_str().expect("user code")),
            ("upn", "admin@contoso.com"),
            ("action", "approve"),
        ])
        .send()
        .await
        .expect("approve");
    assert_eq!(response.status().as_u16(), 200);
    let (status, body) = poll(&tenant, device).await;
    assert_eq!(status, 200, "{body}");

    let code = device_code(&tenant).await;
    http()
        .post(format!("{}/devicelogin", tenant.endpoints().login))
        .form(&[
            ("user_code", code["user_code"].as_str().expect("user code")),
            ("upn", "admin@contoso.com"),
            ("action", "decline"),
        ])
        .send()
        .await
        .expect("decline");
    let (status, body) = poll(&tenant, code["device_code"].as_str().expect("code")).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "authorization_declined");
    let (status, body) = poll(&tenant, "unknown").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "bad_verification_code");
}

#[tokio::test]
async fn admin_consent_grants_and_redirects() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["vendor_apps"] = json!([{
            "app_id": "ffffffff-0000-0000-0000-000000000001", "object_id": "ffffffff-1111-0000-0000-000000000001",
            "display_name": "Vendor Sync", "sign_in_audience": "AzureADMultipleOrgs",
            "web_redirect_uris": ["https://vendor.example.com/consent"], "spa_redirect_uris": [], "public_client_redirect_uris": [],
            "allow_public_client_flows": false, "enabled": true,
            "permissions": {"delegated": ["User.Read"], "application": ["Calendars.Read"]},
            "service_principal": false, "consented": {"delegated": [], "application": []},
            "publisher_tenant_id": "22222222-2222-3333-4444-555555555555"
        }]);
    }))
    .await;
    let url = format!("{}/{TENANT}/v2.0/adminconsent", tenant.endpoints().login);
    let response = http()
        .get(&url)
        .query(&[
            ("client_id", "ffffffff-0000-0000-0000-000000000001"),
            ("scope", GRAPH_DEFAULT),
            ("redirect_uri", "https://vendor.example.com/consent"),
            ("state", "12345"),
        ])
        .send()
        .await
        .expect("consent");
    assert_eq!(response.status().as_u16(), 302);
    assert_eq!(
        location_param(&response, "admin_consent").as_deref(),
        Some("True")
    );
    assert_eq!(location_param(&response, "tenant").as_deref(), Some(TENANT));
    assert_eq!(location_param(&response, "state").as_deref(), Some("12345"));
    let token = admin_token(&tenant).await;
    let (status, _, sp) = graph_get(
        &tenant,
        &token,
        "/servicePrincipals(appId='ffffffff-0000-0000-0000-000000000001')",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        sp["appOwnerOrganizationId"],
        "22222222-2222-3333-4444-555555555555"
    );
    let (_, _, roles) = graph_get(
        &tenant,
        &token,
        &format!(
            "/servicePrincipals/{}/appRoleAssignments",
            sp["id"].as_str().expect("id")
        ),
    )
    .await;
    assert_eq!(
        roles["value"][0]["appRoleId"],
        "798ee544-9d2d-430c-a058-570e29e34338"
    );

    // Cancelled: the error redirect still carries admin_consent=True.
    let response = http()
        .get(&url)
        .query(&[
            ("client_id", "ffffffff-0000-0000-0000-000000000001"),
            ("scope", GRAPH_DEFAULT),
            ("redirect_uri", "https://vendor.example.com/consent"),
            ("fake_cancel", "1"),
        ])
        .send()
        .await
        .expect("consent");
    assert_eq!(
        location_param(&response, "admin_consent").as_deref(),
        Some("True")
    );
    assert_eq!(
        location_param(&response, "error").as_deref(),
        Some("consent_required")
    );
    // v1 for the tenant's own app.
    let response = http()
        .get(format!(
            "{}/{TENANT}/adminconsent",
            tenant.endpoints().login
        ))
        .query(&[
            ("client_id", APP),
            ("redirect_uri", WEB_REDIRECT),
            ("state", "s"),
        ])
        .send()
        .await
        .expect("v1");
    assert_eq!(
        location_param(&response, "admin_consent").as_deref(),
        Some("True")
    );
    assert_eq!(location_param(&response, "tenant").as_deref(), Some(TENANT));
    // A non-admin cannot.
    let tenant = start(scenario_with(|v| {
        v["sign_in"] = json!({"as": "bob@contoso.com"})
    }))
    .await;
    let response = http()
        .get(format!(
            "{}/{TENANT}/v2.0/adminconsent",
            tenant.endpoints().login
        ))
        .query(&[
            ("client_id", APP),
            ("scope", GRAPH_DEFAULT),
            ("redirect_uri", WEB_REDIRECT),
        ])
        .send()
        .await
        .expect("consent");
    assert_eq!(
        location_param(&response, "admin_consent").as_deref(),
        Some("True")
    );
    assert!(location_param(&response, "error").is_some());
}

#[tokio::test]
async fn device_code_expires_after_device_code_expires_in() {
    let (tenant, clock) = start_on_manual_clock(scenario_with(|v| {
        v.as_object_mut().expect("object").remove("sign_in");
        v["device_code_expires_in"] = json!(1);
    }))
    .await;
    let code = device_code(&tenant).await;
    assert_eq!(code["expires_in"], 1, "{code}");
    assert_eq!(code["interval"], 5, "{code}");
    let device = code["device_code"].as_str().expect("code");
    let (status, body) = poll(&tenant, device).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("authorization_pending"))
    );
    // Microsoft documents no `slow_down`: polling again at once is still just pending.
    let (status, body) = poll(&tenant, device).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("authorization_pending"))
    );

    clock.advance(std::time::Duration::from_millis(999));
    let (status, body) = poll(&tenant, device).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("authorization_pending")),
        "a millisecond before it expires"
    );
    clock.advance(std::time::Duration::from_millis(1));
    let (status, body) = poll(&tenant, device).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "expired_token");
    assert_eq!(body["error_codes"], json!([70020]));
    let description = body["error_description"].as_str().expect("description");
    assert!(
        description.starts_with("AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired."),
        "{description}"
    );
    assert!(description.contains("Trace ID: "), "{description}");
    for field in ["timestamp", "trace_id", "correlation_id", "error_uri"] {
        assert!(body[field].is_string(), "{field}: {body}");
    }
    // The verification page no longer takes the code either.
    let response = http()
        .post(format!("{}/devicelogin", tenant.endpoints().login))
        .form(&[
            ("user_code", code["user_code"].as_str().expect("user code")),
            ("upn", "admin@contoso.com"),
            ("action", "approve"),
        ])
        .send()
        .await
        .expect("page");
    assert_eq!(response.status().as_u16(), 400);
    let (_, body) = poll(&tenant, device).await;
    assert_eq!(body["error"], "expired_token");

    // Without the field, Microsoft's 900 seconds.
    let tenant = start(scenario_with(|_| {})).await;
    assert_eq!(device_code(&tenant).await["expires_in"], 900);
    let mut value = contoso_json();
    value["device_code_expires_in"] = json!(0);
    let error = entra_fake_tenant::Scenario::from_json(&value.to_string()).expect_err("refused");
    assert_eq!(error.field(), Some("device_code_expires_in"));
}

//! Graph v1.0: applications, service principals, grants, policies, users, mail and calendar, with the
//! error shapes, OData options and replication delay.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

fn assert_graph_error(body: &Value, code: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].is_string());
    for field in ["date", "request-id", "client-request-id"] {
        assert!(
            body["error"]["innerError"][field].is_string(),
            "{field}: {body}"
        );
    }
}

#[tokio::test]
async fn applications_list_filter_select_and_paging() {
    let tenant = start(scenario_with(|v| {
        let apps = v["tenants"][0]["applications"]
            .as_array_mut()
            .expect("apps");
        for i in 2..=4 {
            let mut app = apps[0].clone();
            app["app_id"] = json!(format!("bbbbbbbb-0000-0000-0000-00000000000{i}"));
            app["object_id"] = json!(format!("cccccccc-0000-0000-0000-00000000000{i}"));
            app["display_name"] = json!(format!("App {i}"));
            apps.push(app);
        }
    }))
    .await;
    let token = admin_token(&tenant).await;
    let (status, _, body) = graph_get(
        &tenant,
        &token,
        &format!("/applications?$filter=appId eq '{APP}'&$select=id,appId,passwordCredentials"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let value = body["value"].as_array().expect("value");
    assert_eq!(value.len(), 1);
    assert_eq!(value[0]["id"], APP_OBJECT);
    assert_eq!(value[0].as_object().expect("object").len(), 3);
    let credential = &value[0]["passwordCredentials"][0];
    assert_eq!(credential["hint"], "Xy7");
    assert_eq!(credential["keyId"], SECRET_ID);
    assert_eq!(credential["secretText"], Value::Null);

    let (_, _, page1) = graph_get(&tenant, &token, "/applications?$top=3").await;
    assert_eq!(page1["value"].as_array().expect("value").len(), 3);
    let next = page1["@odata.nextLink"]
        .as_str()
        .expect("nextLink")
        .to_owned();
    let page2: Value = http()
        .get(&next)
        .bearer_auth(&token)
        .send()
        .await
        .expect("next")
        .json()
        .await
        .expect("json");
    assert_eq!(page2["value"].as_array().expect("value").len(), 1);
    assert!(page2.get("@odata.nextLink").is_none());

    let (status, _, body) =
        graph_get(&tenant, &token, &format!("/applications(appId='{APP}')")).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["requiredResourceAccess"][0]["resourceAppId"],
        "00000003-0000-0000-c000-000000000000"
    );
    assert!(
        body["requiredResourceAccess"][0]["resourceAccess"]
            .as_array()
            .expect("access")
            .contains(&json!({"id": "1ec239c2-d7c9-4623-a91a-a9775856bb36", "type": "Scope"}))
    );
    let (status, _, _) = graph_get(&tenant, &token, &format!("/applications/{APP_OBJECT}")).await;
    assert_eq!(status, 200);
    let (status, headers, body) = graph_get(
        &tenant,
        &token,
        "/applications(appId='eeeeeeee-0000-0000-0000-000000000000')",
    )
    .await;
    assert_eq!(status, 404);
    assert_graph_error(&body, "Request_ResourceNotFound");
    assert!(headers.contains_key("request-id") && headers.contains_key("client-request-id"));
    let (status, _, body) = graph_get(&tenant, &token, "/applications?$select=nonsense").await;
    assert_eq!(status, 400);
    assert_graph_error(&body, "BadRequest");
}

#[tokio::test]
async fn created_objects_appear_after_the_replication_delay() {
    // A delay no test could sit through: only the stand-in's clock moves.
    let delay = Duration::from_secs(600);
    let (tenant, clock) = start_on_manual_clock(scenario_with(|v| {
        v["replication_delay_ms"] = json!(delay.as_millis() as u64)
    }))
    .await;
    let token = admin_token(&tenant).await;
    let (status, created) = graph_send(
        &tenant,
        &token,
        Method::POST,
        "/applications",
        json!({"displayName": "New app", "signInAudience": "AzureADMyOrg", "web": {"redirectUris": ["https://example.com/cb"]},
               "requiredResourceAccess": [{"resourceAppId": "00000003-0000-0000-c000-000000000000", "resourceAccess": [{"id": "798ee544-9d2d-430c-a058-570e29e34338", "type": "Role"}]}]}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let app_id = created["appId"].as_str().expect("appId").to_owned();
    let path = format!("/applications?$filter=appId eq '{app_id}'");
    let (_, _, before) = graph_get(&tenant, &token, &path).await;
    assert_eq!(
        before["value"].as_array().expect("value").len(),
        0,
        "not yet replicated"
    );
    clock.advance(delay - Duration::from_millis(1));
    let (_, _, almost) = graph_get(&tenant, &token, &path).await;
    assert_eq!(
        almost["value"].as_array().expect("value").len(),
        0,
        "a millisecond before the delay is over"
    );
    clock.advance(Duration::from_millis(1));
    let (_, _, after) = graph_get(&tenant, &token, &path).await;
    assert_eq!(after["value"].as_array().expect("value").len(), 1);

    // PATCH, then addPassword: the new secret works at the token endpoint after the delay.
    let id = created["id"].as_str().expect("id").to_owned();
    let (status, _) = graph_send(
        &tenant,
        &token,
        Method::PATCH,
        &format!("/applications/{id}"),
        json!({"displayName": "Renamed"}),
    )
    .await;
    assert_eq!(status, 204);
    let (status, secret) = graph_send(&tenant, &token, Method::POST, &format!("/applications(appId='{app_id}')/addPassword"),
        json!({"passwordCredential": {"displayName": "wizard", "endDateTime": "2099-01-01T00:00:00Z"}})).await;
    assert_eq!(status, 200, "{secret}");
    let text = secret["secretText"]
        .as_str()
        .expect("secretText")
        .to_owned();
    assert_eq!(secret["hint"], text[..3]);
    let (status, sp) = graph_send(
        &tenant,
        &token,
        Method::POST,
        "/servicePrincipals",
        json!({"appId": app_id}),
    )
    .await;
    assert_eq!(status, 201, "{sp}");
    let (status, refused) = token_request(
        &tenant,
        TENANT,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &app_id),
            ("client_secret", &text),
            ("scope", GRAPH_DEFAULT),
        ],
    )
    .await;
    assert_eq!(
        status, 401,
        "the new secret is not replicated yet: {refused}"
    );
    assert_eq!(refused["error_codes"], json!([7000215]), "{refused}");
    clock.advance(delay);
    let (_, _, graph_sp) = graph_get(
        &tenant,
        &token,
        "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id,appRoles",
    )
    .await;
    let (status, assignment) = graph_send(&tenant, &token, Method::POST, &format!("/servicePrincipals/{}/appRoleAssignedTo", graph_sp["id"].as_str().expect("id")),
        json!({"principalId": sp["id"], "resourceId": graph_sp["id"], "appRoleId": "798ee544-9d2d-430c-a058-570e29e34338"})).await;
    assert_eq!(status, 201, "{assignment}");
    clock.advance(delay);
    let app_token = app_token(&tenant, &app_id, &text).await;
    assert_eq!(claims(&app_token)["roles"], json!(["Calendars.Read"]));
    let (_, _, assigned) = graph_get(
        &tenant,
        &token,
        &format!(
            "/servicePrincipals/{}/appRoleAssignments",
            sp["id"].as_str().expect("id")
        ),
    )
    .await;
    assert_eq!(
        assigned["value"][0]["appRoleId"],
        "798ee544-9d2d-430c-a058-570e29e34338"
    );

    let key_id = secret["keyId"].as_str().expect("keyId");
    let (status, _) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &format!("/applications/{id}/removePassword"),
        json!({"keyId": key_id}),
    )
    .await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn add_password_honours_the_secret_lifetime_policy() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["secret_max_lifetime_days"] = json!(90)
    }))
    .await;
    let token = admin_token(&tenant).await;
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &format!("/applications/{APP_OBJECT}/addPassword"),
        json!({}),
    )
    .await;
    assert_eq!(status, 400);
    assert_graph_error(&body, "CredentialInvalidLifetimeAsPerAppPolicy");
    assert_eq!(body["error"]["details"][0]["code"], "InvalidKeyEndDate");
    let end = (chrono::Utc::now() + chrono::Duration::days(60)).to_rfc3339();
    let (status, _) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &format!("/applications/{APP_OBJECT}/addPassword"),
        json!({"passwordCredential": {"displayName": "short", "endDateTime": end}}),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn bad_tokens_get_401_and_missing_permissions_403() {
    let tenant = start(scenario_with(|_| {})).await;
    let (status, headers, body) = graph_get(&tenant, "not-a-token", "/applications").await;
    assert_eq!(status, 401);
    assert_graph_error(&body, "InvalidAuthenticationToken");
    assert!(headers.contains_key("www-authenticate"));
    let response = http()
        .get(format!("{}/v1.0/applications", tenant.endpoints().graph))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 401);
    let outlook = delegated_token(&tenant, None, "https://outlook.office.com/SMTP.Send").await;
    let (status, _, body) = graph_get(
        &tenant,
        outlook["access_token"].as_str().expect("token"),
        "/applications",
    )
    .await;
    assert_eq!(status, 401);
    assert!(
        body["error"]["message"]
            .as_str()
            .expect("message")
            .contains("audience")
    );
    let app = app_token(&tenant, APP, SECRET).await;
    let (status, _, body) = graph_get(&tenant, &app, "/applications").await;
    assert_eq!(status, 403);
    assert_graph_error(&body, "Authorization_RequestDenied");
    let (status, _, body) = graph_get(&tenant, &app, "/policies/authorizationPolicy").await;
    assert_eq!(status, 403);
    assert_graph_error(&body, "Authorization_RequestDenied");
}

#[tokio::test]
async fn service_principals_and_grants() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = admin_token(&tenant).await;
    let (status, _, graph_sp) = graph_get(&tenant, &token, "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id,appRoles,oauth2PermissionScopes").await;
    assert_eq!(status, 200);
    let roles = graph_sp["appRoles"].as_array().expect("roles");
    assert!(roles.iter().any(
        |r| r["value"] == "Calendars.Read" && r["id"] == "798ee544-9d2d-430c-a058-570e29e34338"
    ));
    assert!(roles.iter().any(|r| r["value"] == "Mail.Send" && r["id"] == "b633e1c5-b582-4048-a93e-9f11b44c7e96"));
    let scopes = graph_sp["oauth2PermissionScopes"]
        .as_array()
        .expect("scopes");
    assert!(scopes.iter().any(
        |s| s["value"] == "offline_access" && s["id"] == "7427e0e9-2fba-42fe-b0c0-848c9e6a8182"
    ));
    assert!(scopes.iter().any(|s| s["value"] == "Mail.Send" && s["id"] == "e383f46e-2787-4529-855e-0e479a3ffac0"));

    let (_, _, client_sp) = graph_get(
        &tenant,
        &token,
        &format!("/servicePrincipals?$filter=appId eq '{APP}'"),
    )
    .await;
    let client_sp_id = client_sp["value"][0]["id"]
        .as_str()
        .expect("sp id")
        .to_owned();
    let (_, _, grants) = graph_get(&tenant, &token, &format!("/oauth2PermissionGrants?$filter=clientId eq '{client_sp_id}' and consentType eq 'AllPrincipals'")).await;
    let grant = &grants["value"][0];
    assert_eq!(
        grant["scope"],
        "Calendars.ReadWrite offline_access openid User.Read"
    );
    assert_eq!(grant["resourceId"], graph_sp["id"]);
    assert_eq!(grant["principalId"], Value::Null);
    let (status, _) = graph_send(
        &tenant,
        &token,
        Method::PATCH,
        &format!(
            "/oauth2PermissionGrants/{}",
            grant["id"].as_str().expect("id")
        ),
        json!({"scope": "Calendars.ReadWrite offline_access openid User.Read Mail.Send"}),
    )
    .await;
    assert_eq!(status, 204);
    let (_, _, nav) = graph_get(
        &tenant,
        &token,
        &format!("/servicePrincipals/{client_sp_id}/oauth2PermissionGrants"),
    )
    .await;
    assert!(
        nav["value"][0]["scope"]
            .as_str()
            .expect("scope")
            .ends_with("Mail.Send")
    );
    let (status, body) = graph_send(&tenant, &token, Method::POST, "/oauth2PermissionGrants",
        json!({"clientId": client_sp_id, "consentType": "AllPrincipals", "resourceId": graph_sp["id"], "scope": "User.Read"})).await;
    assert_eq!(status, 409, "{body}");
    let exchange = graph_get(
        &tenant,
        &token,
        "/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')",
    )
    .await;
    let (status, body) = graph_send(&tenant, &token, Method::POST, "/oauth2PermissionGrants",
        json!({"clientId": client_sp_id, "consentType": "AllPrincipals", "resourceId": exchange.2["id"], "scope": "SMTP.Send"})).await;
    assert_eq!(status, 201, "{body}");
    let (_, _, assigned_to) = graph_get(
        &tenant,
        &token,
        &format!(
            "/servicePrincipals/{}/appRoleAssignedTo",
            graph_sp["id"].as_str().expect("id")
        ),
    )
    .await;
    assert_eq!(assigned_to["value"].as_array().expect("value").len(), 0);
}

#[tokio::test]
async fn policies_follow_the_scenario() {
    for (consent, workflow, expected) in [
        (
            "legacy",
            false,
            "ManagePermissionGrantsForSelf.microsoft-user-default-legacy",
        ),
        (
            "low",
            true,
            "ManagePermissionGrantsForSelf.microsoft-user-default-low",
        ),
        ("none", false, ""),
    ] {
        let tenant = start(scenario_with(|v| {
            v["tenants"][0]["user_consent"] = json!(consent);
            v["tenants"][0]["admin_consent_workflow"] = json!(workflow);
        }))
        .await;
        let token = admin_token(&tenant).await;
        let (status, _, policy) = graph_get(&tenant, &token, "/policies/authorizationPolicy").await;
        assert_eq!(status, 200);
        let assigned = policy["defaultUserRolePermissions"]["permissionGrantPoliciesAssigned"]
            .as_array()
            .expect("assigned");
        if expected.is_empty() {
            assert!(assigned.is_empty());
        } else {
            assert_eq!(assigned[0], expected);
        }
        let (_, _, request_policy) =
            graph_get(&tenant, &token, "/policies/adminConsentRequestPolicy").await;
        assert_eq!(request_policy["isEnabled"], workflow);
    }
}

#[tokio::test]
async fn user_consent_spellings_are_served_as_policy_ids() {
    for (consent, expected) in [
        (
            "recommended",
            vec![
                "ManagePermissionGrantsForSelf.microsoft-user-default-recommended",
                "ManagePermissionGrantsForSelf.microsoft-user-default-allow-consent-apps",
            ],
        ),
        (
            "managePermissionGrantsForSelf.microsoft-user-default-low",
            vec!["managePermissionGrantsForSelf.microsoft-user-default-low"],
        ),
        (
            "ManagePermissionGrantsForSelf.contoso-approved-apps",
            vec!["ManagePermissionGrantsForSelf.contoso-approved-apps"],
        ),
    ] {
        let tenant = start(scenario_with(|v| {
            v["tenants"][0]["user_consent"] = json!(consent);
        }))
        .await;
        let token = admin_token(&tenant).await;
        let (status, _, policy) = graph_get(&tenant, &token, "/policies/authorizationPolicy").await;
        assert_eq!(status, 200);
        let assigned: Vec<&str> =
            policy["defaultUserRolePermissions"]["permissionGrantPoliciesAssigned"]
                .as_array()
                .expect("assigned")
                .iter()
                .filter_map(Value::as_str)
                .filter(|id| !id.starts_with("ManagePermissionGrantsForOwnedResource."))
                .collect();
        assert_eq!(assigned, expected, "{consent}");
    }
}

/// Contoso where Bob and Intranet asked for admin consent to its calendar app, an older request of
/// Bob's was completed, and Bob asked for an app the scenario does not know.
fn with_consent_requests() -> entra_fake_tenant::Scenario {
    scenario_with(|v| {
        v["tenants"][0]["admin_consent_workflow"] = json!(true);
        v["tenants"][0]["consent_requests"] = json!([
            {"app_id": APP, "app_display_name": "Intranet Outlook Calendar",
             "requested_by": "bob@contoso.com", "reason": "I need my calendar in the scheduler",
             "created": "2026-05-20T09:30:00Z"},
            {"app_id": APP, "app_display_name": "Intranet Outlook Calendar",
             "requested_by": "intranet@contoso.com", "reason": "Booking page",
             "created": "2026-05-21T10:00:00Z"},
            {"app_id": APP, "app_display_name": "Intranet Outlook Calendar",
             "requested_by": "bob@contoso.com", "reason": "An old request",
             "created": "2026-01-02T08:00:00Z", "status": "Completed"},
            {"app_id": "eeeeeeee-0000-0000-0000-000000000001", "app_display_name": "Other App",
             "requested_by": "bob@contoso.com", "reason": "Another app",
             "created": "2026-05-22T10:00:00Z"}
        ]);
    })
}

#[tokio::test]
async fn consent_requests_are_listed_as_app_consent_requests_with_user_requests() {
    let tenant = start(with_consent_requests()).await;
    let body = delegated_token(
        &tenant,
        None,
        "https://graph.microsoft.com/ConsentRequest.Read.All offline_access",
    )
    .await;
    let token = body["access_token"].as_str().expect("token");
    let base = "/identityGovernance/appConsent/appConsentRequests";
    let (status, _, all) = graph_get(&tenant, token, base).await;
    assert_eq!(status, 200, "{all}");
    assert!(
        all["@odata.context"]
            .as_str()
            .expect("context")
            .ends_with("/v1.0/$metadata#identityGovernance/appConsent/appConsentRequests")
    );
    assert_eq!(all["value"].as_array().expect("value").len(), 2);
    let filter =
        format!("?$filter=appId%20eq%20'{APP}'&$select=id,appId,appDisplayName,pendingScopes");
    let (status, _, one) = graph_get(&tenant, token, &format!("{base}{filter}")).await;
    assert_eq!(status, 200, "{one}");
    let request = &one["value"][0];
    assert_eq!(one["value"].as_array().map(Vec::len), Some(1));
    assert_eq!(request["appDisplayName"], "Intranet Outlook Calendar");
    assert_eq!(
        request["pendingScopes"],
        json!([{"displayName": "Calendars.ReadWrite"}, {"displayName": "offline_access"},
               {"displayName": "openid"}, {"displayName": "User.Read"}])
    );
    assert!(request.get("userConsentRequests").is_none());
    let id = request["id"].as_str().expect("id");
    let (status, _, users) = graph_get(
        &tenant,
        token,
        &format!("{base}/{id}/userConsentRequests?$filter=status%20eq%20'InProgress'"),
    )
    .await;
    assert_eq!(status, 200, "{users}");
    let users = users["value"].as_array().expect("value");
    assert_eq!(users.len(), 2);
    assert_eq!(users[0]["status"], "InProgress");
    assert_eq!(users[0]["reason"], "I need my calendar in the scheduler");
    assert_eq!(users[0]["createdDateTime"], "2026-05-20T09:30:00Z");
    assert_eq!(
        users[0]["createdBy"]["user"]["userPrincipalName"],
        "bob@contoso.com"
    );
    assert_eq!(users[0]["approvalId"], users[0]["id"]);
    let (_, _, expanded) = graph_get(
        &tenant,
        token,
        &format!("{base}/{id}?$expand=userConsentRequests"),
    )
    .await;
    assert_eq!(
        expanded["userConsentRequests"].as_array().map(Vec::len),
        Some(3)
    );
    let (status, _, unsupported) = graph_get(
        &tenant,
        token,
        &format!("{base}?$filter=userConsentRequests/any(u:u/status%20eq%20'InProgress')"),
    )
    .await;
    assert_eq!(status, 400, "{unsupported}");
}

#[tokio::test]
async fn consent_requests_need_consent_request_read_all() {
    let tenant = start(with_consent_requests()).await;
    let token = admin_token(&tenant).await;
    let (status, _, body) = graph_get(
        &tenant,
        &token,
        "/identityGovernance/appConsent/appConsentRequests",
    )
    .await;
    assert_eq!(status, 403);
    assert_graph_error(&body, "Authorization_RequestDenied");
}

#[tokio::test]
async fn users_license_details_and_me() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["users"][2]["exchange_license"] = json!(false);
    }))
    .await;
    let token = admin_token(&tenant).await;
    let (status, _, me) = graph_get(&tenant, &token, "/me").await;
    assert_eq!(status, 200);
    assert_eq!(me["userPrincipalName"], "admin@contoso.com");
    let (status, _, user) = graph_get(&tenant, &token, "/users/intranet@contoso.com").await;
    assert_eq!(status, 200);
    assert_eq!(user["id"], "aaaaaaaa-0000-0000-0000-000000000002");
    let (_, _, licenses) = graph_get(
        &tenant,
        &token,
        "/users/aaaaaaaa-0000-0000-0000-000000000002/licenseDetails",
    )
    .await;
    let plans = licenses["value"][0]["servicePlans"]
        .as_array()
        .expect("plans");
    assert!(plans.iter().any(
        |p| p["servicePlanId"] == "efb87545-963c-4e0d-99df-69c6916d9eb0"
            && p["servicePlanName"] == "EXCHANGE_S_ENTERPRISE"
    ));
    let (_, _, none) = graph_get(&tenant, &token, "/users/bob@contoso.com/licenseDetails").await;
    assert_eq!(none["value"].as_array().expect("value").len(), 0);
    let (status, _, body) = graph_get(&tenant, &token, "/users/ghost@contoso.com").await;
    assert_eq!(status, 404);
    assert_graph_error(&body, "Request_ResourceNotFound");
    let app = app_token(&tenant, APP, SECRET).await;
    let (status, _, _) = graph_get(&tenant, &app, "/me").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn send_mail_and_calendar() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["users"][2]["exchange_license"] = json!(false);
        v["tenants"][0]["applications"][0]["permissions"]["application"] =
            json!(["Calendars.Read"]);
        v["tenants"][0]["applications"][0]["consented"]["application"] = json!(["Calendars.Read"]);
    }))
    .await;
    let token = admin_token(&tenant).await;
    let message = json!({"message": {"subject": "Test", "body": {"contentType": "Text", "content": "Hello"},
        "toRecipients": [{"emailAddress": {"address": "someone@example.com"}}]}, "saveToSentItems": false});
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        "/me/sendMail",
        message.clone(),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(tenant.sent_mail()[0].subject, "Test");
    let bob = delegated_token(&tenant, Some("bob@contoso.com"), "Mail.Send offline_access").await;
    let (status, body) = graph_send(
        &tenant,
        bob["access_token"].as_str().expect("token"),
        Method::POST,
        "/users/bob@contoso.com/sendMail",
        message.clone(),
    )
    .await;
    assert_eq!(status, 404);
    assert_graph_error(&body, "MailboxNotEnabledForRESTAPI");

    let app = app_token(&tenant, APP, SECRET).await;
    let (status, _, events) = graph_get(
        &tenant,
        &app,
        "/users/intranet@contoso.com/calendar/events?$top=1",
    )
    .await;
    assert_eq!(status, 200, "{events}");
    assert!(events["value"].is_array());
    let (status, _, body) = graph_get(&tenant, &app, "/users/bob@contoso.com/events").await;
    assert_eq!(status, 404);
    assert_graph_error(&body, "MailboxNotEnabledForRESTAPI");
    let (status, body) = graph_send(
        &tenant,
        &app,
        Method::POST,
        "/users/intranet@contoso.com/sendMail",
        message,
    )
    .await;
    assert_eq!(status, 403);
    assert_graph_error(&body, "ErrorAccessDenied");

    let other = start(scenario_with(|_| {})).await;
    let app = app_token(&other, APP, SECRET).await;
    let (status, _, body) =
        graph_get(&other, &app, "/users/intranet@contoso.com/calendar/events").await;
    assert_eq!(status, 403);
    assert_graph_error(&body, "ErrorAccessDenied");
}

const RAOP: &str = "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.";

fn calendar_app(v: &mut Value) {
    v["tenants"][0]["applications"][0]["permissions"]["application"] =
        json!(["Calendars.Read", "Mail.Send"]);
    v["tenants"][0]["applications"][0]["consented"]["application"] =
        json!(["Calendars.Read", "Mail.Send"]);
}

#[tokio::test]
async fn calendar_events_with_top_skip_and_select() {
    let tenant = start(scenario_with(|v| {
        calendar_app(v);
        v["tenants"][0]["users"][1]["calendar_events"] = json!([
            {"subject": "Stand-up", "start": "2026-05-04T09:00:00Z", "end": "2026-05-04T09:15:00Z"},
            {"subject": "Review", "start": "2026-05-05T13:30:00+02:00", "end": "2026-05-05T14:30:00+02:00"},
            {"subject": "Planning", "start": "2026-05-06T08:00:00Z", "end": "2026-05-06T10:00:00Z"}
        ]);
    }))
    .await;
    let app = app_token(&tenant, APP, SECRET).await;
    let (status, headers, body) =
        graph_get(&tenant, &app, "/users/intranet@contoso.com/calendar/events").await;
    assert_eq!(status, 200, "{body}");
    assert!(headers.contains_key("request-id"));
    assert!(
        body["@odata.context"]
            .as_str()
            .expect("context")
            .ends_with("/v1.0/$metadata#users('intranet%40contoso.com')/calendar/events")
    );
    let events = body["value"].as_array().expect("events");
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["subject"], "Stand-up");
    assert_eq!(
        events[0]["start"],
        json!({"dateTime": "2026-05-04T09:00:00.0000000", "timeZone": "UTC"})
    );
    assert_eq!(
        events[1]["end"],
        json!({"dateTime": "2026-05-05T12:30:00.0000000", "timeZone": "UTC"})
    );
    assert_eq!(
        events[0]["organizer"]["emailAddress"]["address"],
        "intranet@contoso.com"
    );
    assert!(events[0]["id"].as_str().expect("id").starts_with("AAMk"));
    assert_ne!(events[0]["id"], events[1]["id"]);
    assert!(body.get("@odata.nextLink").is_none());

    // `/events` is the same calendar; `$top` pages with `$skip` as Outlook does.
    let (status, _, page) = graph_get(
        &tenant,
        &app,
        "/users/aaaaaaaa-0000-0000-0000-000000000002/events?$top=2",
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["value"].as_array().expect("page").len(), 2);
    assert_eq!(page["value"][0]["id"], events[0]["id"]);
    let next = page["@odata.nextLink"].as_str().expect("nextLink");
    assert!(
        next.contains("%24skip=2") || next.contains("$skip=2"),
        "{next}"
    );
    let rest: Value = http()
        .get(next)
        .bearer_auth(&app)
        .send()
        .await
        .expect("next")
        .json()
        .await
        .expect("json");
    assert_eq!(rest["value"].as_array().expect("rest").len(), 1, "{rest}");
    assert_eq!(rest["value"][0]["subject"], "Planning");
    assert!(rest.get("@odata.nextLink").is_none());

    // `$select` keeps the etag and id of Outlook items.
    let (status, _, selected) = graph_get(
        &tenant,
        &app,
        "/users/intranet@contoso.com/events?$select=subject,start&$top=1",
    )
    .await;
    assert_eq!(status, 200, "{selected}");
    let keys: Vec<&str> = selected["value"][0]
        .as_object()
        .expect("event")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 4, "{keys:?}");
    for key in ["@odata.etag", "id", "subject", "start"] {
        assert!(keys.contains(&key), "{key}: {keys:?}");
    }
    let (status, _, body) = graph_get(
        &tenant,
        &app,
        "/users/intranet@contoso.com/events?$select=nonsense",
    )
    .await;
    assert_eq!(status, 400);
    assert_graph_error(&body, "BadRequest");
    let (status, _, body) =
        graph_get(&tenant, &app, "/users/intranet@contoso.com/events?$top=0").await;
    assert_eq!(status, 400, "{body}");

    // A user without events: an empty page. Delegated reads of one's own calendar work too.
    let (status, _, body) = graph_get(&tenant, &app, "/users/admin@contoso.com/events").await;
    assert_eq!((status, body["value"].clone()), (200, json!([])));
    let own = delegated_token(
        &tenant,
        Some("intranet@contoso.com"),
        "Calendars.Read offline_access",
    )
    .await;
    let (status, _, body) = graph_get(
        &tenant,
        own["access_token"].as_str().expect("token"),
        "/me/events",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["value"].as_array().expect("events").len(), 3);

    let mut value = contoso_json();
    value["tenants"][0]["users"][1]["calendar_events"] =
        json!([{"subject": "x", "start": "2026-05-04T10:00:00Z", "end": "2026-05-04T09:00:00Z"}]);
    let error = entra_fake_tenant::Scenario::from_json(&value.to_string()).expect_err("refused");
    assert_eq!(
        error.field(),
        Some("tenants[0].users[1].calendar_events[0].end")
    );
}

#[tokio::test]
async fn application_access_policy_restricts_app_only_mailbox_access() {
    let tenant =
        start(entra_fake_tenant::builtin::scenario("access-policy-denied").expect("shipped")).await;
    let app = app_token(&tenant, APP, SECRET).await;
    assert_eq!(claims(&app)["roles"], json!(["Calendars.Read"]));
    for path in ["calendar", "calendar/events", "events?$top=1"] {
        let (status, headers, body) = graph_get(
            &tenant,
            &app,
            &format!("/users/intranet@contoso.com/{path}"),
        )
        .await;
        assert_eq!(status, 403, "{path}: {body}");
        assert_graph_error(&body, "ErrorAccessDenied");
        assert_eq!(body["error"]["message"], RAOP, "{path}");
        assert!(headers.contains_key("request-id"));
        // Inside the policy's scope group: 200.
        let (status, _, body) =
            graph_get(&tenant, &app, &format!("/users/bob@contoso.com/{path}")).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
    let (_, _, events) = graph_get(&tenant, &app, "/users/bob@contoso.com/events").await;
    assert_eq!(events["value"][0]["subject"], "Quarterly review");
    // Delegated access is not subject to application access policies.
    let admin = delegated_token(
        &tenant,
        Some("intranet@contoso.com"),
        "Calendars.Read offline_access",
    )
    .await;
    let (status, _, body) = graph_get(
        &tenant,
        admin["access_token"].as_str().expect("token"),
        "/users/intranet@contoso.com/events",
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn application_access_policy_deny_and_send_mail() {
    let other_app = "bbbbbbbb-0000-0000-0000-00000000000f";
    let tenant = start(scenario_with(|v| {
        calendar_app(v);
        v["tenants"][0]["application_access_policies"] = json!([
            {"app_id": APP, "access_right": "DenyAccess", "mailboxes": ["intranet@contoso.com"],
             "description": "Keep the connector out of the intranet mailbox"},
            {"app_id": other_app, "access_right": "RestrictAccess", "mailboxes": ["bob@contoso.com"]}
        ]);
    }))
    .await;
    let app = app_token(&tenant, APP, SECRET).await;
    let message = json!({"message": {"subject": "Policy", "toRecipients": [{"emailAddress": {"address": "someone@example.com"}}]}});
    let (status, body) = graph_send(
        &tenant,
        &app,
        Method::POST,
        "/users/intranet@contoso.com/sendMail",
        message.clone(),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_graph_error(&body, "ErrorAccessDenied");
    assert_eq!(body["error"]["message"], RAOP);
    assert!(tenant.sent_mail().is_empty());
    let (status, _, body) = graph_get(&tenant, &app, "/users/intranet@contoso.com/calendar").await;
    assert_eq!(
        (status, body["error"]["message"].as_str()),
        (403, Some(RAOP))
    );
    // DenyAccess leaves the other mailboxes alone; another app's RestrictAccess does not apply here.
    let (status, body) = graph_send(
        &tenant,
        &app,
        Method::POST,
        "/users/admin@contoso.com/sendMail",
        message,
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let (status, _, body) = graph_get(&tenant, &app, "/users/admin@contoso.com/events").await;
    assert_eq!(status, 200, "{body}");

    for (policy, field) in [
        (
            json!({"app_id": APP, "access_right": "RestrictAccess", "mailboxes": ["nobody@contoso.com"]}),
            "tenants[0].application_access_policies[0].mailboxes[0]",
        ),
        (
            json!({"app_id": "not-a-guid", "access_right": "RestrictAccess", "mailboxes": []}),
            "tenants[0].application_access_policies[0].app_id",
        ),
        (
            json!({"app_id": APP, "access_right": "AllowAccess", "mailboxes": []}),
            "tenants[0].application_access_policies[0].access_right",
        ),
    ] {
        let mut value = contoso_json();
        value["tenants"][0]["application_access_policies"] = json!([policy]);
        let error =
            entra_fake_tenant::Scenario::from_json(&value.to_string()).expect_err("refused");
        assert_eq!(error.field(), Some(field), "{error}");
    }
}

#[tokio::test]
async fn grants_need_a_grant_or_directory_read_permission() {
    let tenant = start(scenario_with(|_| {})).await;
    let graph = "https://graph.microsoft.com";
    for (scope, expected) in [
        (format!("{graph}/Application.Read.All"), 403),
        (format!("{graph}/DelegatedPermissionGrant.Read.All"), 200),
        (format!("{graph}/Directory.Read.All"), 200),
        (
            format!("{graph}/DelegatedPermissionGrant.ReadWrite.All"),
            200,
        ),
    ] {
        let body = delegated_token(&tenant, None, &scope).await;
        let token = body["access_token"].as_str().expect("token");
        let (status, _, answer) = graph_get(&tenant, token, "/oauth2PermissionGrants").await;
        assert_eq!(status, expected, "{scope}: {answer}");
        if expected == 403 {
            assert_graph_error(&answer, "Authorization_RequestDenied");
        }
    }
    // Microsoft's own GUIDs for the permission, on the Graph service principal.
    let token = admin_token(&tenant).await;
    let (_, _, graph_sp) = graph_get(
        &tenant,
        &token,
        "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=appRoles,oauth2PermissionScopes",
    )
    .await;
    let find = |list: &str| {
        graph_sp[list]
            .as_array()
            .expect("list")
            .iter()
            .find(|p| p["value"] == "DelegatedPermissionGrant.Read.All")
            .map(|p| p["id"].clone())
    };
    assert_eq!(
        find("oauth2PermissionScopes"),
        Some(json!("a197cdc4-a8e8-4d49-9d35-4ca7c83887b4"))
    );
    assert_eq!(
        find("appRoles"),
        Some(json!("81b4724a-58aa-41c1-8a55-84ef97466587"))
    );
}

#[tokio::test]
async fn the_lifetime_policy_is_readable_unless_the_scenario_hides_it() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["secret_max_lifetime_days"] = json!(90)
    }))
    .await;
    let token = admin_token(&tenant).await;
    let (status, _, policy) =
        graph_get(&tenant, &token, "/policies/defaultAppManagementPolicy").await;
    assert_eq!(status, 200, "{policy}");
    assert_eq!(policy["isEnabled"], true);
    let restriction = &policy["applicationRestrictions"]["passwordCredentials"][0];
    assert_eq!(restriction["restrictionType"], "passwordLifetime");
    assert_eq!(restriction["maxLifetime"], "P90D");
    assert_eq!(restriction["state"], "enabled");
    let (status, _, custom) = graph_get(
        &tenant,
        &token,
        &format!("/applications/{APP_OBJECT}/appManagementPolicies"),
    )
    .await;
    assert_eq!(status, 200, "{custom}");
    assert_eq!(custom["value"], json!([]));

    let hidden = start(scenario_with(|v| {
        v["tenants"][0]["secret_max_lifetime_days"] = json!(90);
        v["tenants"][0]["app_management_policy_readable"] = json!(false);
    }))
    .await;
    let token = admin_token(&hidden).await;
    let (status, _, body) =
        graph_get(&hidden, &token, "/policies/defaultAppManagementPolicy").await;
    assert_eq!(status, 403);
    assert_graph_error(&body, "Authorization_RequestDenied");

    let open = start(scenario_with(|_| {})).await;
    let token = admin_token(&open).await;
    let (_, _, policy) = graph_get(&open, &token, "/policies/defaultAppManagementPolicy").await;
    assert_eq!(policy["isEnabled"], false);
}

#[tokio::test]
async fn remove_password_removes_one_secret() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = admin_token(&tenant).await;
    let end = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let (status, added) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &format!("/applications/{APP_OBJECT}/addPassword"),
        json!({"passwordCredential": {"displayName": "next", "endDateTime": end}}),
    )
    .await;
    assert_eq!(status, 200, "{added}");
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &format!("/applications/{APP_OBJECT}/removePassword"),
        json!({"keyId": SECRET_ID}),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (_, _, app) = graph_get(
        &tenant,
        &token,
        &format!("/applications/{APP_OBJECT}?$select=passwordCredentials"),
    )
    .await;
    let keys: Vec<&Value> = app["passwordCredentials"]
        .as_array()
        .expect("secrets")
        .iter()
        .map(|s| &s["keyId"])
        .collect();
    assert_eq!(keys, [&added["keyId"]]);
    let (status, _) = token_request(
        &tenant,
        "contoso.com",
        &[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("client_secret", SECRET),
            ("scope", "https://graph.microsoft.com/.default"),
        ],
    )
    .await;
    assert_eq!(status, 401, "the removed secret no longer works");
}

/// `PATCH /applications(uniqueName='…')` with `Prefer: create-if-missing`: 201 and the new
/// application the first time (even while it replicates, the name is taken), 204 and an update the
/// second; without the preference a missing name is 404; a GET by the name finds it once
/// replicated.
#[tokio::test]
async fn upsert_by_unique_name_creates_once_then_updates() {
    let delay = Duration::from_secs(60);
    let (tenant, clock) = start_on_manual_clock(scenario_with(|v| {
        v["replication_delay_ms"] = json!(delay.as_millis() as u64)
    }))
    .await;
    let token = admin_token(&tenant).await;
    let upsert = |name: &str, prefer: bool, display: &str| {
        let mut request = http()
            .patch(format!(
                "{}/v1.0/applications(uniqueName='{name}')",
                tenant.endpoints().graph
            ))
            .bearer_auth(&token)
            .json(&json!({"displayName": display, "signInAudience": "AzureADMyOrg"}));
        if prefer {
            request = request.header("Prefer", "create-if-missing");
        }
        async move {
            let response = request.send().await.expect("send");
            let status = response.status().as_u16();
            let text = response.text().await.expect("text");
            (
                status,
                serde_json::from_str::<Value>(&text).unwrap_or(json!(text)),
            )
        }
    };
    let (status, body) = upsert("missing", false, "Nobody").await;
    assert_eq!(status, 404, "{body}");
    let (status, created) = upsert("entra-setup-test-1", true, "First").await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["uniqueName"], "entra-setup-test-1");
    let (status, body) = upsert("entra-setup-test-1", true, "Second").await;
    assert_eq!(
        status, 204,
        "the name is taken before it replicates: {body}"
    );
    clock.advance(delay);
    let (status, _, found) = graph_get(
        &tenant,
        &token,
        "/applications(uniqueName='entra-setup-test-1')",
    )
    .await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["appId"], created["appId"]);
    assert_eq!(found["displayName"], "Second");
    let (_, _, all) = graph_get(&tenant, &token, "/applications").await;
    let named = all["value"]
        .as_array()
        .expect("value")
        .iter()
        .filter(|a| a["uniqueName"] == "entra-setup-test-1")
        .count();
    assert_eq!(named, 1);
}

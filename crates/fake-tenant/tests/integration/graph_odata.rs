//! Graph's OData details as the stand-in serves them: `@odata.context` on Graph's own base with the
//! `$select` list and percent-encoded keys, `$select` on entities and collections, `$filter` forms,
//! advanced queries (`ConsistencyLevel: eventual` with `$count`, the `/$count` segment, `$search`),
//! `/v1.0/$metadata`, segment names in any case and qualified action names, and what an application
//! created through Graph looks like (Graph's defaults, properties kept as written, certificates).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

const CONTEXT: &str = "https://graph.microsoft.com/v1.0/$metadata#";

/// A GET on Graph with `ConsistencyLevel: eventual`; the body as text.
async fn eventual_get(
    tenant: &entra_fake_tenant::FakeTenant,
    token: &str,
    path: &str,
) -> (u16, Option<String>, String) {
    let response = http()
        .get(format!("{}/v1.0{path}", tenant.endpoints().graph))
        .bearer_auth(token)
        .header("ConsistencyLevel", "eventual")
        .send()
        .await
        .expect("get");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, content_type, response.text().await.expect("text"))
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect()
}

#[tokio::test]
async fn contexts_name_graphs_own_base_and_the_select_list() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = admin_token(&tenant).await;
    let (status, _, app) = graph_get(&tenant, &token, &format!("/applications/{APP_OBJECT}")).await;
    assert_eq!(status, 200, "{app}");
    assert_eq!(
        app["@odata.context"],
        format!("{CONTEXT}applications/$entity")
    );
    let (_, _, app) = graph_get(
        &tenant,
        &token,
        &format!("/applications/{APP_OBJECT}?$select=Id,APPID"),
    )
    .await;
    assert_eq!(
        app["@odata.context"],
        format!("{CONTEXT}applications(id,appId)/$entity")
    );
    assert_eq!(keys(&app), ["@odata.context", "appId", "id"]);
    let (_, _, apps) = graph_get(
        &tenant,
        &token,
        &format!("/applications?$filter=appId%20eq%20'{APP}'&$select=displayName"),
    )
    .await;
    assert_eq!(
        apps["@odata.context"],
        format!("{CONTEXT}applications(displayName)")
    );
    // A directory object comes without its id unless the id is selected.
    assert_eq!(
        apps["value"][0],
        json!({"displayName": "Intranet Outlook Calendar"})
    );
    let (_, _, empty) = graph_get(
        &tenant,
        &token,
        "/applications?$filter=displayName%20eq%20'none'&$select=Id",
    )
    .await;
    assert_eq!(
        empty["@odata.context"],
        format!("{CONTEXT}applications(id)")
    );
}

#[tokio::test]
async fn select_is_honoured_on_every_kind_of_read() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = admin_token(&tenant).await;
    for (path, context, expected) in [
        (
            "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id,appRoles",
            "servicePrincipals(id,appRoles)/$entity",
            vec!["@odata.context", "appRoles", "id"],
        ),
        (
            "/users/admin@contoso.com?$select=accountEnabled,userPrincipalName",
            "users(accountEnabled,userPrincipalName)/$entity",
            vec!["@odata.context", "accountEnabled", "userPrincipalName"],
        ),
        (
            "/policies/authorizationPolicy?$select=defaultUserRolePermissions",
            "policies/authorizationPolicy(defaultUserRolePermissions)/$entity",
            vec!["@odata.context", "defaultUserRolePermissions"],
        ),
    ] {
        let (status, _, body) = graph_get(&tenant, &token, path).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(
            body["@odata.context"],
            format!("{CONTEXT}{context}"),
            "{path}"
        );
        assert_eq!(keys(&body), expected, "{path}");
    }
    for (path, context, expected) in [
        (
            "/oauth2PermissionGrants?$select=scope",
            "oauth2PermissionGrants(scope)",
            vec!["scope"],
        ),
        (
            "/servicePrincipals?$select=appId",
            "servicePrincipals(appId)",
            vec!["appId"],
        ),
        (
            "/users?$select=displayName,id,accountEnabled",
            "users(displayName,id,accountEnabled)",
            vec!["accountEnabled", "displayName", "id"],
        ),
        (
            "/users/admin@contoso.com/licenseDetails?$select=skuPartNumber",
            "users('admin%40contoso.com')/licenseDetails(skuPartNumber)",
            vec!["skuPartNumber"],
        ),
    ] {
        let (status, _, body) = graph_get(&tenant, &token, path).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert_eq!(
            body["@odata.context"],
            format!("{CONTEXT}{context}"),
            "{path}"
        );
        for item in body["value"].as_array().expect("value") {
            assert_eq!(keys(item), expected, "{path}");
        }
    }
    let (status, _, body) = graph_get(
        &tenant,
        &token,
        &format!("/applications/{APP_OBJECT}?$select=noSuchThing"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn keys_are_percent_encoded_in_contexts_as_graph_writes_them() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["applications"][0]["permissions"]["application"] =
            json!(["Calendars.Read"]);
        v["tenants"][0]["applications"][0]["consented"]["application"] = json!(["Calendars.Read"]);
    }))
    .await;
    let token = admin_token(&tenant).await;
    let (_, _, licenses) =
        graph_get(&tenant, &token, "/users/admin@contoso.com/licenseDetails").await;
    assert_eq!(
        licenses["@odata.context"],
        format!("{CONTEXT}users('admin%40contoso.com')/licenseDetails")
    );
    let (_, _, mine) = graph_get(&tenant, &token, "/me/licenseDetails").await;
    assert_eq!(
        mine["@odata.context"],
        format!("{CONTEXT}users('aaaaaaaa-0000-0000-0000-000000000001')/licenseDetails")
    );
    let (status, _, assigned) = graph_get(
        &tenant,
        &token,
        "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/appRoleAssignedTo",
    )
    .await;
    assert_eq!(status, 200, "{assigned}");
    assert_eq!(
        assigned["@odata.context"],
        format!(
            "{CONTEXT}servicePrincipals('appId%3D00000003-0000-0000-c000-000000000000')/appRoleAssignedTo"
        )
    );
    assert_eq!(assigned["value"].as_array().map(Vec::len), Some(1));
    let (_, _, sp) = graph_get(
        &tenant,
        &token,
        &format!("/servicePrincipals(appId='{APP}')?$select=id"),
    )
    .await;
    let sp_id = sp["id"].as_str().expect("id");
    let (_, _, by_id) = graph_get(
        &tenant,
        &token,
        &format!("/servicePrincipals/{sp_id}/appRoleAssignments"),
    )
    .await;
    assert_eq!(
        by_id["@odata.context"],
        format!("{CONTEXT}servicePrincipals('{sp_id}')/appRoleAssignments")
    );
    let (_, _, grants) = graph_get(
        &tenant,
        &token,
        &format!("/servicePrincipals/{sp_id}/oauth2PermissionGrants"),
    )
    .await;
    // A navigation to objects kept elsewhere names where they are kept.
    assert_eq!(
        grants["@odata.context"],
        format!("{CONTEXT}oauth2PermissionGrants")
    );
}

#[tokio::test]
async fn counting_needs_eventual_consistency_as_graph_does() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = admin_token(&tenant).await;
    // $count=true without the header is silently ignored.
    let (status, _, plain) = graph_get(&tenant, &token, "/servicePrincipals?$count=true").await;
    assert_eq!(status, 200, "{plain}");
    assert!(plain.get("@odata.count").is_none(), "{plain}");
    let (status, _, text) =
        eventual_get(&tenant, &token, "/servicePrincipals?$count=true&$top=1").await;
    assert_eq!(status, 200, "{text}");
    let counted: Value = serde_json::from_str(&text).expect("json");
    let total = plain["value"].as_array().expect("value").len();
    assert_eq!(counted["@odata.count"], json!(total));
    assert_eq!(counted["value"].as_array().map(Vec::len), Some(1));
    assert!(counted["@odata.nextLink"].as_str().is_some());
    // The /$count segment: the number as text with the header, 400 without.
    let (status, content_type, text) = eventual_get(&tenant, &token, "/applications/$count").await;
    assert_eq!((status, text.as_str()), (200, "1"));
    assert!(content_type.is_some_and(|c| c.starts_with("text/plain")));
    let (status, _, error) = graph_get(&tenant, &token, "/applications/$count").await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["error"]["code"], "Request_BadRequest");
    assert_eq!(
        error["error"]["message"],
        "$count is not currently supported."
    );
}

#[tokio::test]
async fn advanced_filters_and_search_need_the_advanced_query_parameters() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = admin_token(&tenant).await;
    let ne = "/applications?$filter=displayName%20ne%20'Other'";
    let (status, _, error) = graph_get(&tenant, &token, ne).await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["error"]["code"], "Request_UnsupportedQuery");
    assert!(
        error["error"]["message"]
            .as_str()
            .expect("message")
            .starts_with(
                "Operator 'ne' is not supported because the required parameters might be missing."
            )
    );
    let (status, _, text) = eventual_get(&tenant, &token, &format!("{ne}&$count=true")).await;
    assert_eq!(status, 200, "{text}");
    let found: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(found["@odata.count"], 1);
    let (status, _, text) = eventual_get(
        &tenant,
        &token,
        "/applications?$filter=endswith(displayName,'calendar')&$count=true",
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let search = "/applications?$search=%22displayName:outl%22";
    let (status, _, error) = graph_get(&tenant, &token, search).await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["error"]["code"], "Request_UnsupportedQuery");
    let (status, _, text) = eventual_get(&tenant, &token, search).await;
    assert_eq!(status, 200, "{text}");
    let found: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(found["value"][0]["appId"], APP);
    let (_, _, text) = eventual_get(
        &tenant,
        &token,
        "/applications?$search=%22displayName:tlook%22",
    )
    .await;
    let found: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(
        found["value"],
        json!([]),
        "words are matched from their start"
    );
}

#[tokio::test]
async fn filters_take_startswith_and_any_as_azure_cli_sends_them() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = admin_token(&tenant).await;
    let (status, _, apps) = graph_get(
        &tenant,
        &token,
        "/applications?$filter=startswith(displayName,'intranet')",
    )
    .await;
    assert_eq!(status, 200, "{apps}");
    assert_eq!(apps["value"][0]["appId"], APP);
    let (_, _, none) = graph_get(
        &tenant,
        &token,
        "/applications?$filter=startswith(displayName,'outlook')",
    )
    .await;
    assert_eq!(none["value"], json!([]));
    let (status, _, sps) = graph_get(
        &tenant,
        &token,
        &format!("/servicePrincipals?$filter=servicePrincipalNames/any(c:c%20eq%20'{APP}')"),
    )
    .await;
    assert_eq!(status, 200, "{sps}");
    assert_eq!(sps["value"].as_array().map(Vec::len), Some(1));
    assert_eq!(sps["value"][0]["appId"], APP);
    let (status, _, error) =
        graph_get(&tenant, &token, "/applications?$filter=appId%20gt%20'x'").await;
    assert_eq!(status, 400, "{error}");
}

#[tokio::test]
async fn metadata_is_microsofts_csdl_served_as_xml_without_a_token() {
    let tenant = start(scenario_with(|_| {})).await;
    let response = http()
        .get(format!("{}/v1.0/$metadata", tenant.endpoints().graph))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .expect("content type")
        .to_owned();
    assert!(
        content_type.starts_with("application/xml"),
        "{content_type}"
    );
    assert!(response.headers().contains_key("request-id"));
    let text = response.text().await.expect("text");
    assert_eq!(text, entra_fake_tenant::graph::metadata::CSDL);
    let document = roxmltree::Document::parse(&text).expect("xml");
    assert!(
        document
            .descendants()
            .any(|n| n.has_tag_name("EntitySet") && n.attribute("Name") == Some("applications"))
    );
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/graph-description/graph-v1.0-subset.csdl.xml");
    if let Ok(original) = std::fs::read_to_string(shared) {
        assert_eq!(text, original, "the served copy is Microsoft's");
    }
}

#[tokio::test]
async fn segment_names_take_any_case_and_actions_their_qualified_name() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = admin_token(&tenant).await;
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &format!("/Applications/{APP_OBJECT}/microsoft.graph.addPassword"),
        json!({"passwordCredential": {"keyId": "0042d742-d4ef-411d-83c7-ed6dfbb1d653"}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["keyId"], "0042d742-d4ef-411d-83c7-ed6dfbb1d653");
    assert_eq!(body["displayName"], Value::Null);
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &format!("/applications/{APP_OBJECT}/addPassword"),
        json!({"passwordCredential": {"keyId": "0042d742-d4ef-411d-83c7-ed6dfbb1d653"}}),
    )
    .await;
    assert_eq!(status, 400, "a keyId is used once: {body}");
    let (_, _, grants) = graph_get(&tenant, &token, "/oauth2PermissionGrants").await;
    let grant = grants["value"][0]["id"].as_str().expect("grant");
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::DELETE,
        &format!("/oAuth2PermissionGrants/{grant}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 204, "{body}");
}

/// A certificate as `az ad app create --cert` sends it.
fn certificate() -> String {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    let mut name = rcgen::DistinguishedName::new();
    name.push(rcgen::DnType::CommonName, "stand-in test");
    params.distinguished_name = name;
    let key = rcgen::KeyPair::generate().expect("key");
    STANDARD.encode(params.self_signed(&key).expect("cert").der())
}

#[tokio::test]
async fn an_application_created_through_graph_has_graphs_defaults_and_keeps_what_was_written() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = admin_token(&tenant).await;
    let response = http()
        .post(format!("{}/v1.0/applications", tenant.endpoints().graph))
        .bearer_auth(&token)
        .json(&json!({"displayName": "az app", "keyCredentials": [],
                      "web": {"homePageUrl": "https://home.example.com", "redirectUris": ["https://example.com/cb"]}}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status().as_u16(), 201);
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_owned();
    let app: Value = response.json().await.expect("json");
    assert_eq!(
        location,
        format!(
            "https://graph.microsoft.com/v2/{TENANT}/directoryObjects/{}/Microsoft.DirectoryServices.Application",
            app["id"].as_str().expect("id")
        )
    );
    assert_eq!(app["signInAudience"], "AzureADandPersonalMicrosoftAccount");
    assert_eq!(app["api"]["requestedAccessTokenVersion"], 2);
    assert_eq!(app["isFallbackPublicClient"], Value::Null);
    assert_eq!(app["web"]["homePageUrl"], "https://home.example.com");
    let id = app["id"].as_str().expect("id");
    let cert = certificate();
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::PATCH,
        &format!("/applications/{id}"),
        json!({"isFallbackPublicClient": true, "isDeviceOnlyAuthSupported": true, "notes": "kept",
               "web": {"logoutUrl": "https://example.com/out"},
               "keyCredentials": [{"type": "AsymmetricX509Cert", "usage": "Verify", "key": cert, "displayName": null}]}),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (_, _, app) = graph_get(&tenant, &token, &format!("/applications/{id}")).await;
    assert_eq!(app["isFallbackPublicClient"], true);
    assert_eq!(app["isDeviceOnlyAuthSupported"], true);
    assert_eq!(app["notes"], "kept");
    // PATCH merges a complex property: the home page and redirect URIs stay.
    assert_eq!(app["web"]["homePageUrl"], "https://home.example.com");
    assert_eq!(app["web"]["logoutUrl"], "https://example.com/out");
    assert_eq!(
        app["web"]["redirectUris"],
        json!(["https://example.com/cb"])
    );
    let certificate = &app["keyCredentials"][0];
    assert_eq!(certificate["displayName"], "CN=stand-in test");
    assert_eq!(certificate["key"], Value::Null);
    assert_eq!(certificate["type"], "AsymmetricX509Cert");
    assert_eq!(
        certificate["customKeyIdentifier"].as_str().map(str::len),
        Some(40)
    );
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::PATCH,
        &format!("/applications/{id}"),
        json!({"keyCredentials": [{"type": "AsymmetricX509Cert", "usage": "Verify", "key": "bm90IGEgY2VydA=="}]}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        "/applications",
        json!({"displayName": "org only", "signInAudience": "AzureADMyOrg"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["api"]["requestedAccessTokenVersion"], Value::Null);
}

#[tokio::test]
async fn an_enterprise_application_is_named_by_its_identifier_uris_and_can_be_deleted() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = admin_token(&tenant).await;
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::PATCH,
        &format!("/applications/{APP_OBJECT}"),
        json!({"identifierUris": [format!("api://{APP}")]}),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (_, _, sps) = graph_get(
        &tenant,
        &token,
        &format!("/servicePrincipals?$filter=servicePrincipalNames/any(c:c%20eq%20'api://{APP}')"),
    )
    .await;
    let sp = &sps["value"][0];
    assert_eq!(
        sp["servicePrincipalNames"],
        json!([APP, format!("api://{APP}")])
    );
    let sp_id = sp["id"].as_str().expect("id").to_owned();
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::DELETE,
        &format!("/servicePrincipals/{sp_id}"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (status, _, body) =
        graph_get(&tenant, &token, &format!("/servicePrincipals/{sp_id}")).await;
    assert_eq!(status, 404, "{body}");
    let (_, _, grants) = graph_get(
        &tenant,
        &token,
        &format!("/oauth2PermissionGrants?$filter=clientId%20eq%20'{sp_id}'"),
    )
    .await;
    assert_eq!(grants["value"], json!([]), "its consent went with it");
    let (_, _, graph_sp) = graph_get(
        &tenant,
        &token,
        "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id",
    )
    .await;
    let (status, _) = graph_send(
        &tenant,
        &token,
        Method::DELETE,
        &format!(
            "/servicePrincipals/{}",
            graph_sp["id"].as_str().expect("id")
        ),
        Value::Null,
    )
    .await;
    assert_eq!(status, 403, "Microsoft's own service principals stay");
}

#[tokio::test]
async fn users_given_and_surnames_come_only_from_a_two_word_name() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["users"][2]["display_name"] = json!("rolelivetest");
    }))
    .await;
    let token = admin_token(&tenant).await;
    let (_, _, ada) = graph_get(&tenant, &token, "/users/admin@contoso.com").await;
    assert_eq!(
        (&ada["givenName"], &ada["surname"]),
        (&json!("Ada"), &json!("Admin"))
    );
    let (_, _, bob) = graph_get(&tenant, &token, "/users/bob@contoso.com").await;
    assert_eq!(
        (&bob["givenName"], &bob["surname"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(bob["@odata.context"], format!("{CONTEXT}users/$entity"));
}

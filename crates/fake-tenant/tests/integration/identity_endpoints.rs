//! The identity endpoints besides the token endpoint: instance discovery as Microsoft answers it, v1
//! metadata, `userinfo` and `logout`.

use entra_fake_tenant::FakeTenant;
use serde_json::{Value, json};

use crate::common::*;

fn encoded(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

async fn get_json(url: &str) -> (u16, Value) {
    let response = http().get(url).send().await.expect("get");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

async fn instance(tenant: &FakeTenant, query: &str) -> (u16, Value) {
    get_json(&format!(
        "{}/common/discovery/instance?{query}",
        tenant.endpoints().login
    ))
    .await
}

#[tokio::test]
async fn instance_discovery_answers_as_microsoft_does() {
    let tenant = start(scenario_with(|_| {})).await;
    let login = tenant.endpoints().login.clone();
    let authorization_endpoint = format!("{login}/{TENANT}/oauth2/v2.0/authorize");

    for version in ["1.0", "1.1"] {
        let (status, body) = instance(
            &tenant,
            &format!(
                "api-version={version}&authorization_endpoint={}",
                encoded(&authorization_endpoint)
            ),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["api-version"], version, "the version asked for");
        assert_eq!(
            body["tenant_discovery_endpoint"],
            format!("{login}/{TENANT}/v2.0/.well-known/openid-configuration")
        );
        let metadata = body["metadata"].as_array().expect("metadata");
        for entry in metadata {
            for host in entry["aliases"]
                .as_array()
                .expect("aliases")
                .iter()
                .chain([&entry["preferred_network"], &entry["preferred_cache"]])
            {
                let host = host.as_str().expect("host");
                assert!(!host.contains(':'), "no port in {host}");
            }
        }
        assert_eq!(metadata[0]["preferred_network"], "127.0.0.1");
        assert!(
            metadata
                .iter()
                .any(|entry| entry["preferred_network"] == "login.microsoftonline.com")
        );
    }

    // Microsoft's own hosts are known (as in the recordings); any other is not.
    let (status, body) = instance(
        &tenant,
        &format!(
            "api-version=1.1&authorization_endpoint={}",
            encoded("https://login.microsoftonline.com/fake-tenant/oauth2/v2.0/authorize")
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["tenant_discovery_endpoint"],
        "https://login.microsoftonline.com/fake-tenant/v2.0/.well-known/openid-configuration"
    );
    for unknown in [
        "https://login.example.org/common/oauth2/v2.0/authorize",
        "not a url",
    ] {
        let (status, body) = instance(
            &tenant,
            &format!(
                "api-version=1.1&authorization_endpoint={}",
                encoded(unknown)
            ),
        )
        .await;
        assert_eq!(status, 400, "{unknown}: {body}");
        assert_eq!(body["error"], "invalid_instance");
        assert_eq!(body["error_codes"], json!([50049]));
        assert!(
            body["error_description"]
                .as_str()
                .expect("description")
                .starts_with("AADSTS50049: Unknown or invalid instance.")
        );
        for key in ["timestamp", "trace_id", "correlation_id", "error_uri"] {
            assert!(body.get(key).is_some(), "{key}");
        }
    }
}

#[tokio::test]
async fn v1_metadata_has_the_shape_of_microsofts() {
    let tenant = start(scenario_with(|_| {})).await;
    let login = tenant.endpoints().login.clone();
    // Microsoft's v1 document of /common (AzureAD/MSIdentityTools' test fixture), its member set.
    let real = [
        "token_endpoint",
        "token_endpoint_auth_methods_supported",
        "jwks_uri",
        "response_modes_supported",
        "subject_types_supported",
        "id_token_signing_alg_values_supported",
        "response_types_supported",
        "scopes_supported",
        "issuer",
        "microsoft_multi_refresh_token",
        "authorization_endpoint",
        "device_authorization_endpoint",
        "http_logout_supported",
        "frontchannel_logout_supported",
        "end_session_endpoint",
        "claims_supported",
        "check_session_iframe",
        "userinfo_endpoint",
        "kerberos_endpoint",
        "tenant_region_scope",
        "cloud_instance_name",
        "cloud_graph_host_name",
        "msgraph_host",
        "rbac_url",
    ];
    let (status, common) =
        get_json(&format!("{login}/common/.well-known/openid-configuration")).await;
    assert_eq!(status, 200, "{common}");
    let keys: Vec<&str> = common
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = real.to_vec();
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(common["issuer"], "https://sts.windows.net/{tenantid}/");
    assert_eq!(
        common["token_endpoint"],
        format!("{login}/common/oauth2/token")
    );
    assert_eq!(common["tenant_region_scope"], Value::Null);

    for segment in [TENANT, "contoso.com"] {
        let (status, doc) = get_json(&format!(
            "{login}/{segment}/.well-known/openid-configuration"
        ))
        .await;
        assert_eq!(status, 200, "{doc}");
        assert_eq!(doc["issuer"], format!("https://sts.windows.net/{TENANT}/"));
        assert_eq!(
            doc["authorization_endpoint"],
            format!("{login}/{TENANT}/oauth2/authorize")
        );
        assert_eq!(doc["tenant_region_scope"], "EU");
    }
    let (status, body) = get_json(&format!(
        "{login}/nobody.example.com/.well-known/openid-configuration"
    ))
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error_codes"], json!([90002]));

    // The keys v1 names are served.
    let (status, jwks) = get_json(common["jwks_uri"].as_str().expect("jwks_uri")).await;
    assert_eq!(status, 200);
    assert!(jwks["keys"][0]["kid"].is_string());
}

#[tokio::test]
async fn userinfo_answers_for_a_delegated_graph_token() {
    let tenant = start(scenario_with(|_| {})).await;
    let body = delegated_token(&tenant, None, "User.Read openid profile email").await;
    let token = body["access_token"].as_str().expect("token");
    let id = claims(body["id_token"].as_str().expect("id_token"));
    let (_, doc) = get_json(&format!(
        "{}/{TENANT}/v2.0/.well-known/openid-configuration",
        tenant.endpoints().login
    ))
    .await;
    let userinfo = doc["userinfo_endpoint"]
        .as_str()
        .expect("userinfo")
        .to_owned();

    for post in [false, true] {
        let request = if post {
            http().post(&userinfo)
        } else {
            http().get(&userinfo)
        };
        let response = request.bearer_auth(token).send().await.expect("userinfo");
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.headers().contains_key("request-id"));
        let info: Value = response.json().await.expect("json");
        assert_eq!(
            info,
            json!({
                "sub": id["sub"],
                "name": "Ada Admin",
                "family_name": "Admin",
                "given_name": "Ada",
                "email": "admin@contoso.com",
            })
        );
    }

    let response = http().get(&userinfo).send().await.expect("userinfo");
    assert_eq!(response.status().as_u16(), 401);
    assert!(response.headers().contains_key("www-authenticate"));
    let error: Value = response.json().await.expect("json");
    assert_eq!(error["error"]["code"], "InvalidAuthenticationToken");
    assert!(error["error"]["innerError"]["request-id"].is_string());

    let app = app_token(&tenant, APP, SECRET).await;
    let response = http()
        .get(&userinfo)
        .bearer_auth(app)
        .send()
        .await
        .expect("userinfo");
    assert_eq!(
        response.status().as_u16(),
        401,
        "an app-only token carries no user"
    );

    let v1 = format!("{}/{TENANT}/openid/userinfo", tenant.endpoints().login);
    let response = http()
        .get(&v1)
        .bearer_auth(token)
        .send()
        .await
        .expect("userinfo");
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test]
async fn logout_redirects_where_the_client_allows_or_shows_the_signed_out_page() {
    let tenant = start(scenario_with(|_| {})).await;
    let login = tenant.endpoints().login.clone();
    let registered = "https://intranet.contoso.com/oauth2/outlook/callback";

    let response = logout(
        &login,
        &format!("{TENANT}/oauth2/v2.0/logout"),
        vec![
            ("post_logout_redirect_uri", registered),
            ("client_id", APP),
            ("state", "s-1"),
        ],
    )
    .await;
    assert_eq!(response.status().as_u16(), 302);
    assert_eq!(
        response.headers()["location"],
        format!("{registered}?state=s-1").as_str()
    );

    // No client named: the redirect is followed as asked; v1's path as well.
    let response = logout(
        &login,
        "common/oauth2/logout",
        vec![("post_logout_redirect_uri", "http://localhost:8400/")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 302);
    assert_eq!(response.headers()["location"], "http://localhost:8400/");

    // Not a redirect URI of the client, or none: the signed-out page.
    for query in [
        vec![
            ("post_logout_redirect_uri", "https://elsewhere.example.com/"),
            ("client_id", APP),
        ],
        vec![],
    ] {
        let response = logout(&login, &format!("{TENANT}/oauth2/v2.0/logout"), query).await;
        assert_eq!(response.status().as_u16(), 200);
        let page = response.text().await.expect("page");
        assert!(page.contains("You signed out of your account"), "{page}");
    }

    // POST works too.
    let response = http()
        .post(format!("{login}/organizations/oauth2/v2.0/logout"))
        .form(&[("post_logout_redirect_uri", "http://localhost:8400/done")])
        .send()
        .await
        .expect("logout");
    assert_eq!(response.status().as_u16(), 302);
    assert_eq!(response.headers()["location"], "http://localhost:8400/done");
}

async fn logout(login: &str, path: &str, query: Vec<(&str, &str)>) -> reqwest::Response {
    http()
        .get(format!("{login}/{path}"))
        .query(&query)
        .send()
        .await
        .expect("logout")
}

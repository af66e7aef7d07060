//! Tokens as Microsoft issues them, and the stand-in behind a front (`public_url`): every absolute URL it
//! names starts with the public base; `client_info` when asked; pairwise, stable `sub`; `sid` per sign-in
//! session and kept by refreshes; the claims of app-only, delegated and ID tokens; the `nonce` header of
//! Graph tokens; lifetimes with Microsoft's spread.

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entra_fake_tenant::{FakeTenant, Scenario};
use serde_json::{Value, json};

use crate::common::*;

const PUBLIC: &str = "https://login.example.test:8443";
const ADMIN_OID: &str = "aaaaaaaa-0000-0000-0000-000000000001";
const BOB_OID: &str = "aaaaaaaa-0000-0000-0000-000000000003";
const AZURE_CLI: &str = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";

/// Contoso served behind `PUBLIC` (with a trailing slash, which the stand-in drops), with the Azure CLI
/// among the public clients.
fn behind_front() -> Scenario {
    scenario_with(|v| {
        v["public_url"] = json!(format!("{PUBLIC}/"));
        v["public_clients"] = json!([GRAPH_CLI, AZURE_CLI]);
    })
}

/// The JWT header.
fn header(token: &str) -> Value {
    let header = token.split('.').next().expect("header");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).expect("b64")).expect("json")
}

/// Signs in through /authorize (no page: `sign_in.as` or the login hint) and redeems the code with
/// `extra` form fields; returns the token answer.
async fn sign_in(
    tenant: &FakeTenant,
    client_id: &str,
    login_hint: Option<&str>,
    scope: &str,
    authorize_extra: &[(&str, &str)],
    extra: &[(&str, &str)],
) -> Value {
    let (verifier, challenge) = pkce();
    let mut params = vec![
        ("client_id", client_id),
        ("response_type", "code"),
        ("redirect_uri", "http://localhost:53123/"),
        ("scope", scope),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    if let Some(hint) = login_hint {
        params.push(("login_hint", hint));
    }
    params.extend_from_slice(authorize_extra);
    let response = authorize(tenant, "organizations", &params).await;
    assert_eq!(
        response.status().as_u16(),
        302,
        "{:?}",
        response.text().await
    );
    let code = location_param(&response, "code").expect("code");
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("code", code.as_str()),
        ("redirect_uri", "http://localhost:53123/"),
        ("code_verifier", verifier.as_str()),
        ("scope", scope),
    ];
    form.extend_from_slice(extra);
    let (status, body) = token_request(tenant, "organizations", &form).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn refresh(tenant: &FakeTenant, client_id: &str, refresh_token: &str, scope: &str) -> Value {
    let (status, body) = token_request(
        tenant,
        "organizations",
        &[
            ("grant_type", "refresh_token"),
            ("client_id", client_id),
            ("refresh_token", refresh_token),
            ("scope", scope),
            ("client_info", "1"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn get_json(url: &str) -> (u16, Value) {
    let response = http().get(url).send().await.expect("get");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

const SCOPE: &str = "https://graph.microsoft.com/User.Read openid profile offline_access";

#[tokio::test]
async fn public_url_is_the_base_of_every_url_the_stand_in_names() {
    let tenant = start(scenario_with(|v| {
        v["public_url"] = json!(format!("{PUBLIC}/"));
        v.as_object_mut().expect("object").remove("sign_in");
    }))
    .await;
    let login = tenant.endpoints().login.clone();
    assert!(
        login.starts_with("http://127.0.0.1:"),
        "the ready line keeps the listen address"
    );
    assert_eq!(tenant.public_base(), PUBLIC);

    for segment in [TENANT, "organizations", "common"] {
        let (status, doc) = get_json(&format!(
            "{login}/{segment}/v2.0/.well-known/openid-configuration"
        ))
        .await;
        assert_eq!(status, 200, "{doc}");
        for (key, value) in doc.as_object().expect("object") {
            if key.ends_with("_endpoint") || key == "jwks_uri" || key == "issuer" {
                let url = value.as_str().expect("url");
                assert!(url.starts_with(&format!("{PUBLIC}/")), "{key}: {url}");
            }
        }
        let (status, v1) = get_json(&format!(
            "{login}/{segment}/.well-known/openid-configuration"
        ))
        .await;
        assert_eq!(status, 200, "{v1}");
        for key in [
            "token_endpoint",
            "authorization_endpoint",
            "jwks_uri",
            "end_session_endpoint",
        ] {
            assert!(
                v1[key].as_str().expect("url").starts_with(PUBLIC),
                "v1 {key}"
            );
        }
    }
    let (_, doc) = get_json(&format!(
        "{login}/{TENANT}/v2.0/.well-known/openid-configuration"
    ))
    .await;
    assert_eq!(doc["issuer"], format!("{PUBLIC}/{TENANT}/v2.0"));
    assert_eq!(doc["userinfo_endpoint"], format!("{PUBLIC}/oidc/userinfo"));
    let (_, jwks) = get_json(&format!("{login}/{TENANT}/discovery/v2.0/keys")).await;
    assert_eq!(
        jwks["keys"][0]["issuer"],
        format!("{PUBLIC}/{{tenantid}}/v2.0")
    );

    // The sign-in page links back to itself through the front.
    let response = authorize(
        &tenant,
        "organizations",
        &[
            ("client_id", GRAPH_CLI),
            ("response_type", "code"),
            ("redirect_uri", "http://localhost:53123/"),
            ("scope", "openid User.Read"),
        ],
    )
    .await;
    let page = response.text().await.expect("page");
    assert!(
        page.contains(&format!(
            "href=\"{PUBLIC}/organizations/oauth2/v2.0/authorize?"
        )),
        "{page}"
    );

    // Device code: the verification page is the front's, and so is the form on it.
    let response = http()
        .post(format!("{login}/organizations/oauth2/v2.0/devicecode"))
        .form(&[("client_id", GRAPH_CLI), ("scope", "openid User.Read")])
        .send()
        .await
        .expect("devicecode");
    let code: Value = response.json().await.expect("json");
    assert_eq!(code["verification_uri"], format!("{PUBLIC}/devicelogin"));
    assert!(
        code["message"]
            .as_str()
            .expect("message")
            .contains(&format!("{PUBLIC}/devicelogin"))
    );
    let page = http()
        .get(format!("{login}/devicelogin"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("text");
    assert!(
        page.contains(&format!("action=\"{PUBLIC}/devicelogin\"")),
        "{page}"
    );

    // Instance discovery names the front's host, without its port.
    let (status, instance) = get_json(&format!(
        "{login}/common/discovery/instance?api-version=1.1&authorization_endpoint={}",
        url::form_urlencoded::byte_serialize(
            format!("{PUBLIC}/{TENANT}/oauth2/v2.0/authorize").as_bytes()
        )
        .collect::<String>()
    ))
    .await;
    assert_eq!(status, 200, "{instance}");
    assert_eq!(
        instance["tenant_discovery_endpoint"],
        format!("{PUBLIC}/{TENANT}/v2.0/.well-known/openid-configuration")
    );
    assert_eq!(
        instance["metadata"][0]["preferred_network"],
        "login.example.test"
    );
    assert_eq!(
        instance["metadata"][0]["preferred_cache"],
        "login.example.test"
    );
}

#[tokio::test]
async fn id_tokens_are_issued_by_the_public_issuer_and_graph_pages_link_through_the_front() {
    let tenant = start(behind_front()).await;
    let body = sign_in(&tenant, GRAPH_CLI, None, SCOPE, &[], &[]).await;
    let id = claims(body["id_token"].as_str().expect("id_token"));
    assert_eq!(id["iss"], format!("{PUBLIC}/{TENANT}/v2.0"));

    let token = admin_token(&tenant).await;
    let (status, _, page) = graph_get(&tenant, &token, "/users?$top=1").await;
    assert_eq!(status, 200, "{page}");
    let next = page["@odata.nextLink"].as_str().expect("next link");
    assert!(next.starts_with(&format!("{PUBLIC}/v1.0/users?")), "{next}");
}

#[tokio::test]
async fn a_bad_public_url_is_refused_naming_the_field() {
    for bad in [
        json!("localhost:8443"),
        json!("ftp://login.example.test"),
        json!("https://login.example.test/?x=1"),
        json!("https://login.example.test/#top"),
        json!("https://user:secret@login.example.test"),
        json!("not a url"),
        json!(8443),
    ] {
        let mut value = contoso_json();
        value["public_url"] = bad.clone();
        let error = Scenario::from_json(&value.to_string()).expect_err("refused");
        assert_eq!(error.field(), Some("public_url"), "{bad}: {error}");
    }
    for good in ["http://127.0.0.1:9000", "https://login.example.test/front/"] {
        let mut value = contoso_json();
        value["public_url"] = json!(good);
        Scenario::from_json(&value.to_string()).expect(good);
    }
}

#[tokio::test]
async fn client_info_is_sent_when_asked_for() {
    let tenant = start(behind_front()).await;
    let asked = sign_in(
        &tenant,
        GRAPH_CLI,
        None,
        SCOPE,
        &[],
        &[("client_info", "1")],
    )
    .await;
    let info = asked["client_info"].as_str().expect("client_info");
    let decoded: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(info).expect("base64url")).expect("json");
    assert_eq!(decoded, json!({"uid": ADMIN_OID, "utid": TENANT}));

    let not_asked = sign_in(&tenant, GRAPH_CLI, None, SCOPE, &[], &[]).await;
    assert!(not_asked.get("client_info").is_none(), "{not_asked}");

    let refreshed = refresh(
        &tenant,
        GRAPH_CLI,
        asked["refresh_token"].as_str().expect("refresh"),
        SCOPE,
    )
    .await;
    assert_eq!(refreshed["client_info"], asked["client_info"]);
}

#[tokio::test]
async fn sub_is_pairwise_and_stable_and_sid_follows_the_sign_in_session() {
    let tenant = start(behind_front()).await;
    let first = sign_in(&tenant, GRAPH_CLI, None, SCOPE, &[], &[]).await;
    let second = sign_in(&tenant, GRAPH_CLI, None, SCOPE, &[], &[]).await;
    let (id1, id2) = (
        claims(first["id_token"].as_str().expect("id")),
        claims(second["id_token"].as_str().expect("id")),
    );
    let (at1, at2) = (
        claims(first["access_token"].as_str().expect("at")),
        claims(second["access_token"].as_str().expect("at")),
    );
    let sub = id1["sub"].as_str().expect("sub");
    assert_eq!(
        sub.len(),
        43,
        "base64url of 32 bytes, as Microsoft's: {sub}"
    );
    assert!(!sub.contains(['+', '/', '=']));
    assert_eq!(id2["sub"], sub, "the same user and client: the same sub");
    assert_eq!(at1["sub"], sub);
    assert_eq!(at1["xms_st"], json!({"sub": sub}));
    assert_eq!(id1["oid"], ADMIN_OID);
    assert_eq!(at1["oid"], ADMIN_OID);
    assert_ne!(
        id1["sid"], id2["sid"],
        "each sign-in is a session of its own"
    );
    assert_eq!(at1["sid"], id1["sid"]);
    assert_eq!(at2["sid"], id2["sid"]);

    let refreshed = refresh(
        &tenant,
        GRAPH_CLI,
        first["refresh_token"].as_str().expect("refresh"),
        SCOPE,
    )
    .await;
    let (rid, rat) = (
        claims(refreshed["id_token"].as_str().expect("id")),
        claims(refreshed["access_token"].as_str().expect("at")),
    );
    assert_eq!(rid["sub"], sub);
    assert_eq!(rat["sub"], sub);
    assert_eq!(rid["sid"], id1["sid"], "a refresh stays in its session");
    assert_eq!(rat["sid"], id1["sid"]);

    // Another client sees another subject for the same user; another user, another again.
    let other_client = sign_in(&tenant, AZURE_CLI, None, SCOPE, &[], &[]).await;
    let other = claims(other_client["id_token"].as_str().expect("id"));
    assert_eq!(other["oid"], ADMIN_OID);
    assert_ne!(other["sub"], sub);
    let bob = sign_in(&tenant, GRAPH_CLI, Some("bob@contoso.com"), SCOPE, &[], &[]).await;
    let bob = claims(bob["id_token"].as_str().expect("id"));
    assert_eq!(bob["oid"], BOB_OID);
    assert_ne!(bob["sub"], sub);

    // Stable across runs of the stand-in, as Microsoft's is for ever.
    let again = start(behind_front()).await;
    let later = sign_in(&again, GRAPH_CLI, None, SCOPE, &[], &[]).await;
    assert_eq!(claims(later["id_token"].as_str().expect("id"))["sub"], sub);
}

#[tokio::test]
async fn session_state_of_the_redirect_is_the_sid() {
    let tenant = start(behind_front()).await;
    let (verifier, challenge) = pkce();
    let response = authorize(
        &tenant,
        "organizations",
        &[
            ("client_id", GRAPH_CLI),
            ("response_type", "code"),
            ("redirect_uri", "http://localhost:53123/"),
            ("scope", SCOPE),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let session_state = location_param(&response, "session_state").expect("session_state");
    let code = location_param(&response, "code").expect("code");
    let (status, body) = redeem_code(&tenant, &code, &verifier, SCOPE).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        claims(body["id_token"].as_str().expect("id"))["sid"],
        session_state
    );
}

#[tokio::test]
async fn delegated_tokens_carry_microsofts_claims() {
    let tenant = start(behind_front()).await;
    let body = sign_in(
        &tenant,
        GRAPH_CLI,
        None,
        "https://graph.microsoft.com/User.Read openid profile email offline_access",
        &[("nonce", "n-0S6_WzA2Mj")],
        &[("client_info", "1")],
    )
    .await;
    for (key, kind) in [
        ("token_type", "string"),
        ("scope", "string"),
        ("expires_in", "number"),
        ("ext_expires_in", "number"),
        ("access_token", "string"),
        ("refresh_token", "string"),
        ("id_token", "string"),
        ("client_info", "string"),
    ] {
        assert_eq!(json_type(&body[key]), kind, "{key}: {body}");
    }
    assert!(
        body.get("foci").is_none(),
        "Graph Command Line Tools is not in the family"
    );

    let token = body["access_token"].as_str().expect("token");
    let at = claims(token);
    for key in [
        "aud",
        "iss",
        "iat",
        "nbf",
        "exp",
        "acct",
        "acr",
        "aio",
        "amr",
        "app_displayname",
        "appid",
        "appidacr",
        "family_name",
        "given_name",
        "idtyp",
        "ipaddr",
        "name",
        "oid",
        "platf",
        "puid",
        "rh",
        "scp",
        "sid",
        "sub",
        "tenant_region_scope",
        "tid",
        "unique_name",
        "upn",
        "uti",
        "ver",
        "wids",
        "xms_idrel",
        "xms_st",
        "xms_tcdt",
    ] {
        assert!(at.get(key).is_some(), "access token lacks {key}: {at}");
    }
    assert_eq!(at["idtyp"], "user");
    assert_eq!(at["ver"], "1.0");
    assert_eq!(at["iss"], format!("https://sts.windows.net/{TENANT}/"));
    assert_eq!(at["given_name"], "Ada");
    assert_eq!(at["family_name"], "Admin");
    assert_eq!(at["upn"], "admin@contoso.com");
    assert_eq!(at["unique_name"], "admin@contoso.com");
    assert!(
        at["wids"]
            .as_array()
            .expect("wids")
            .contains(&json!(GLOBAL_ADMINISTRATOR))
    );
    assert!(at["xms_tcdt"].is_number());
    assert!(at["puid"].as_str().expect("puid").len() == 16);
    let lifetime = body["expires_in"].as_i64().expect("expires_in");
    assert_eq!(body["ext_expires_in"], lifetime);
    assert_eq!(
        at["exp"].as_i64().expect("exp") - at["iat"].as_i64().expect("iat"),
        lifetime + 300
    );
    // Graph tokens carry Microsoft's header nonce; ID tokens do not.
    assert_eq!(header(token)["nonce"].as_str().expect("nonce").len(), 43);
    let id_token = body["id_token"].as_str().expect("id");
    assert!(header(id_token).get("nonce").is_none());

    let id = claims(id_token);
    for key in [
        "aud",
        "iss",
        "iat",
        "nbf",
        "exp",
        "aio",
        "email",
        "name",
        "nonce",
        "oid",
        "preferred_username",
        "rh",
        "sid",
        "sub",
        "tid",
        "uti",
        "ver",
    ] {
        assert!(id.get(key).is_some(), "ID token lacks {key}: {id}");
    }
    assert_eq!(id["aud"], GRAPH_CLI);
    assert_eq!(id["ver"], "2.0");
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(id["preferred_username"], "admin@contoso.com");
    assert_eq!(id["tid"], TENANT);
    assert_eq!(
        id["exp"].as_i64().expect("exp") - id["iat"].as_i64().expect("iat"),
        3900
    );

    // A user without an admin role: no Global Administrator in `wids`.
    let bob = sign_in(&tenant, GRAPH_CLI, Some("bob@contoso.com"), SCOPE, &[], &[]).await;
    let bob = claims(bob["access_token"].as_str().expect("token"));
    assert!(
        !bob["wids"]
            .as_array()
            .expect("wids")
            .contains(&json!(GLOBAL_ADMINISTRATOR))
    );
    assert_eq!(bob["given_name"], "Bob");
}

#[tokio::test]
async fn the_family_of_client_ids_is_marked_foci() {
    let tenant = start(behind_front()).await;
    let body = sign_in(
        &tenant,
        AZURE_CLI,
        None,
        SCOPE,
        &[],
        &[("client_info", "1")],
    )
    .await;
    assert_eq!(body["foci"], "1", "{body}");
}

#[tokio::test]
async fn app_only_tokens_carry_microsofts_claims() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["applications"][0]["permissions"]["application"] = json!(["User.Read.All"]);
        v["tenants"][0]["applications"][0]["consented"]["application"] = json!(["User.Read.All"]);
    }))
    .await;
    let token = app_token(&tenant, APP, SECRET).await;
    let c = claims(&token);
    for key in [
        "aud",
        "iss",
        "iat",
        "nbf",
        "exp",
        "aio",
        "app_displayname",
        "appid",
        "appidacr",
        "idp",
        "idtyp",
        "oid",
        "rh",
        "roles",
        "sub",
        "tenant_region_scope",
        "tid",
        "uti",
        "ver",
        "xms_idrel",
        "xms_tcdt",
    ] {
        assert!(c.get(key).is_some(), "app token lacks {key}: {c}");
    }
    assert_eq!(c["idtyp"], "app");
    assert_eq!(c["oid"], c["sub"], "the service principal is both");
    assert_eq!(c["roles"], json!(["User.Read.All"]));
    assert_eq!(
        c["exp"].as_i64().expect("exp") - c["iat"].as_i64().expect("iat"),
        3599 + 300
    );
    assert!(header(&token).get("nonce").is_some());
}

#[tokio::test]
async fn delegated_lifetimes_spread_between_sixty_and_ninety_minutes() {
    let tenant = start(behind_front()).await;
    let mut lifetimes = BTreeSet::new();
    for _ in 0..20 {
        let body = sign_in(&tenant, GRAPH_CLI, None, "User.Read", &[], &[]).await;
        let lifetime = body["expires_in"].as_i64().expect("expires_in");
        let at = claims(body["access_token"].as_str().expect("token"));
        assert_eq!(
            at["exp"].as_i64().expect("exp") - at["iat"].as_i64().expect("iat"),
            lifetime + 300
        );
        lifetimes.insert(lifetime);
    }
    // 20 draws among 1801 values are not all alike (odds of that: 1801^-19).
    assert!(lifetimes.len() > 1, "{lifetimes:?}");
    assert!(
        lifetimes.iter().all(|l| (3600..=5400).contains(l)),
        "{lifetimes:?}"
    );
}

/// The JSON type of a value, as the recordings are compared.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

//! Microsoft's own client libraries against the stand-in: MSAL Python and azure-identity, installed
//! from PyPI into `target/python-clients/venv` (tests/python_clients/requirements.txt), talk to the
//! real `entra-fake-tenant` program through a loopback HTTPS front with a certificate this test
//! makes. The scenario's `public_url` names the front; the front copies bytes and rewrites nothing,
//! and the libraries are configured as for any authority that is not Microsoft's host: instance
//! discovery off, nothing else.
//!
//! Each test runs one case of `clients.py`, which prints what the library did and returned; the
//! assertions here are on results — error codes, claims, cache keys, the requests made — not on
//! the absence of an exception.
//!
//! The tests need the virtual environment, so a plain `cargo test` skips them; `make test` runs
//! them (`make python-clients`: the environment is built when missing or when the requirements
//! changed, then `--include-ignored`).

mod front;
mod harness;

use serde_json::{Value, json};

use harness::{ADMIN_ID, ADMIN_UPN, DAEMON_APP_ID, DAEMON_ROLES, PUBLIC_CLIENT_ID, Rig, TENANT_ID};

const GRAPH: &str = "https://graph.microsoft.com";
const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The value at a JSON pointer, with the whole document in the message when it is absent.
fn at<'a>(document: &'a Value, pointer: &str) -> &'a Value {
    document.pointer(pointer).unwrap_or_else(|| {
        panic!(
            "{pointer} is missing from\n{}",
            serde_json::to_string_pretty(document).unwrap_or_default()
        )
    })
}

/// Asserts the value at `pointer` equals `expected`, showing the part of the document around it.
#[track_caller]
fn expect(document: &Value, pointer: &str, expected: Value) {
    let actual = document.pointer(pointer).unwrap_or(&Value::Null);
    if *actual != expected {
        let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
        panic!(
            "{pointer}: expected {expected}, got {actual}\nin {parent}:\n{}",
            serde_json::to_string_pretty(document.pointer(parent).unwrap_or(document))
                .unwrap_or_default()
        );
    }
}

fn str_at<'a>(document: &'a Value, pointer: &str) -> &'a str {
    at(document, pointer)
        .as_str()
        .unwrap_or_else(|| panic!("{pointer} is not a string: {}", at(document, pointer)))
}

fn int_at(document: &Value, pointer: &str) -> i64 {
    at(document, pointer)
        .as_i64()
        .unwrap_or_else(|| panic!("{pointer} is not an integer: {}", at(document, pointer)))
}

/// Every request a library made went to the front (the stand-in named no other base, so nothing
/// needed rewriting), and none was instance discovery.
#[track_caller]
fn only_through_the_front(rig: &Rig, requests: &Value) {
    let requests = requests.as_array().expect("requests");
    assert!(!requests.is_empty(), "no request was recorded");
    for request in requests {
        let url = request["url"].as_str().unwrap_or_default();
        assert!(
            url.starts_with(&format!("{}/", rig.front)),
            "a request went elsewhere than the front {}: {request}",
            rig.front
        );
        assert!(
            !url.contains("/discovery/instance"),
            "instance discovery was asked for although it is turned off: {request}"
        );
    }
}

fn grants(requests: &Value) -> Vec<&str> {
    requests
        .as_array()
        .expect("requests")
        .iter()
        .filter_map(|request| request["grant_type"].as_str())
        .collect()
}

/// The home account ID Microsoft's `client_info` gives MSAL: `uid.utid`.
fn home_account_id() -> String {
    format!("{ADMIN_ID}.{TENANT_ID}")
}

/// A delegated result: tokens for the admin, `client_info` naming them, and an ID token for
/// the public client issued under the front's URL.
#[track_caller]
fn signed_in_as_admin(rig: &Rig, result: &Value) {
    expect(result, "/token_type", json!("Bearer"));
    an_hour_or_so(int_at(result, "/expires_in"));
    expect(result, "/has_refresh_token", json!(true));
    expect(result, "/has_id_token", json!(true));
    expect(
        result,
        "/client_info",
        json!({"uid": ADMIN_ID, "utid": TENANT_ID}),
    );
    expect(result, "/access_token_claims/aud", json!(GRAPH));
    expect(result, "/access_token_claims/tid", json!(TENANT_ID));
    expect(result, "/access_token_claims/oid", json!(ADMIN_ID));
    expect(result, "/access_token_claims/upn", json!(ADMIN_UPN));
    expect(
        result,
        "/access_token_claims/appid",
        json!(PUBLIC_CLIENT_ID),
    );
    let scp = str_at(result, "/access_token_claims/scp");
    assert!(
        scp.split(' ').any(|scope| scope == "User.Read"),
        "scp {scp:?} lacks User.Read"
    );
    expect(result, "/id_token_claims/aud", json!(PUBLIC_CLIENT_ID));
    expect(
        result,
        "/id_token_claims/iss",
        json!(format!("{}/{TENANT_ID}/v2.0", rig.front)),
    );
    expect(result, "/id_token_claims/tid", json!(TENANT_ID));
    expect(result, "/id_token_claims/oid", json!(ADMIN_ID));
    expect(
        result,
        "/id_token_claims/preferred_username",
        json!(ADMIN_UPN),
    );
    expect(result, "/id_token_claims/ver", json!("2.0"));
    assert!(
        !str_at(result, "/id_token_claims/sub").is_empty(),
        "the ID token's sub is empty"
    );
}

/// The cache holds exactly one account: the admin, keyed by `uid.utid` at the front's host.
#[track_caller]
fn one_admin_account(rig: &Rig, cache: &Value) {
    let home = home_account_id();
    expect(
        cache,
        "/keys/Account",
        json!([format!("{home}-{}-{TENANT_ID}", rig.environment())]),
    );
    expect(cache, "/accounts/0/home_account_id", json!(home));
    expect(cache, "/accounts/0/environment", json!(rig.environment()));
    expect(cache, "/accounts/0/realm", json!(TENANT_ID));
    expect(cache, "/accounts/0/local_account_id", json!(ADMIN_ID));
    expect(cache, "/accounts/0/username", json!(ADMIN_UPN));
}

/// An access-token lifetime as Microsoft gives it: an hour or more (up to 90 minutes with the
/// spread it adds to user tokens).
#[track_caller]
fn an_hour_or_so(seconds: i64) {
    assert!(
        (3000..=5400).contains(&seconds),
        "lifetime {seconds} s is not Microsoft's hour or so"
    );
}

#[test]
#[ignore = "needs MSAL and azure-identity in target/python-clients/venv: run by make test (make python-clients)"]
fn msal_client_credentials_token_claims_and_cache() {
    let rig = Rig::start();
    let observed = rig.run("client_credentials");

    let first = at(&observed, "/first");
    expect(first, "/token_type", json!("Bearer"));
    expect(first, "/token_source", json!("identity_provider"));
    an_hour_or_so(int_at(first, "/expires_in"));
    let claims = at(first, "/access_token_claims");
    expect(claims, "/aud", json!(GRAPH));
    expect(claims, "/tid", json!(TENANT_ID));
    expect(claims, "/appid", json!(DAEMON_APP_ID));
    expect(claims, "/idtyp", json!("app"));
    expect(
        claims,
        "/iss",
        json!(format!("https://sts.windows.net/{TENANT_ID}/")),
    );
    let mut roles: Vec<&str> = at(claims, "/roles")
        .as_array()
        .expect("roles is a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    roles.sort_unstable();
    assert_eq!(roles, DAEMON_ROLES, "roles of the client-credentials token");
    assert_eq!(
        claims["oid"], claims["sub"],
        "an app token's sub is its service principal's oid"
    );
    expect(first, "/access_token_header/alg", json!("RS256"));

    // The second call is answered from MSAL's cache, under the app-only key at the front's host.
    expect(&observed, "/second/token_source", json!("cache"));
    expect(&observed, "/second/same_token", json!(true));
    expect(
        &observed,
        "/cache/keys/AccessToken",
        json!([format!(
            "-{}-accesstoken-{DAEMON_APP_ID}-{TENANT_ID}-{GRAPH}/.default",
            rig.environment()
        )]),
    );
    expect(&observed, "/cache/accounts", json!([]));

    // The authority named by the tenant's domain reaches the same tenant.
    expect(
        &observed,
        "/by_domain/access_token_claims/tid",
        json!(TENANT_ID),
    );

    let requests = at(&observed, "/requests");
    only_through_the_front(&rig, requests);
    expect(
        requests,
        "/0/url",
        json!(format!(
            "{}/{TENANT_ID}/v2.0/.well-known/openid-configuration",
            rig.front
        )),
    );
    expect(
        requests,
        "/1/url",
        json!(format!("{}/{TENANT_ID}/oauth2/v2.0/token", rig.front)),
    );
    assert_eq!(grants(requests), ["client_credentials"]);
}

#[test]
#[ignore = "needs MSAL and azure-identity in target/python-clients/venv: run by make test (make python-clients)"]
fn msal_client_credentials_errors_of_the_token_contract() {
    let rig = Rig::start();
    let observed = rig.run("client_credentials_errors");

    for (case, error, code) in [
        ("wrong_secret", "invalid_client", 7_000_215),
        ("secret_id_instead_of_value", "invalid_client", 7_000_215),
        ("expired_secret", "invalid_client", 7_000_222),
        ("unknown_client", "unauthorized_client", 700_016),
    ] {
        let result = at(&observed, &format!("/{case}"));
        expect(result, "/has_access_token", json!(false));
        expect(result, "/error", json!(error));
        expect(result, "/error_codes", json!([code]));
        let description = str_at(result, "/error_description");
        assert!(
            description.starts_with(&format!("AADSTS{code}: ")),
            "{case}: the description does not start with its code: {description}"
        );
    }
    // An unknown tenant fails at discovery, which MSAL does before any token request: it refuses
    // the authority, and the answer it got is AADSTS90002.
    let tenant = at(&observed, "/unknown_tenant");
    expect(tenant, "/raised", json!("ValueError"));
    expect(
        tenant,
        "/discovery_answer",
        json!({"error": "invalid_tenant", "error_codes": [90002]}),
    );
}

#[test]
#[ignore = "needs MSAL and azure-identity in target/python-clients/venv: run by make test (make python-clients)"]
fn azure_identity_client_secret_credential() {
    let rig = Rig::start();
    let observed = rig.run("azure_identity");

    let success = at(&observed, "/success");
    an_hour_or_so(int_at(success, "/expires_on") - int_at(success, "/asked_at"));
    expect(success, "/claims/tid", json!(TENANT_ID));
    expect(success, "/claims/aud", json!(GRAPH));
    expect(success, "/claims/appid", json!(DAEMON_APP_ID));
    let mut roles: Vec<&str> = at(success, "/claims/roles")
        .as_array()
        .expect("roles is a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    roles.sort_unstable();
    assert_eq!(roles, DAEMON_ROLES);
    expect(success, "/info_token_type", json!("Bearer"));
    expect(success, "/info_same_token", json!(true));

    for (case, code) in [
        ("wrong_secret", "AADSTS7000215"),
        ("expired_secret", "AADSTS7000222"),
        ("unknown_client", "AADSTS700016"),
    ] {
        let failure = at(&observed, &format!("/{case}"));
        expect(failure, "/raised", json!("ClientAuthenticationError"));
        let message = str_at(failure, "/message");
        assert!(
            message.contains(code),
            "{case}: azure-identity's message does not carry {code}: {message}"
        );
    }
    let tenant = at(&observed, "/unknown_tenant");
    assert!(
        tenant["raised"].is_string(),
        "an unknown tenant raised nothing: {tenant}"
    );
    let message = str_at(tenant, "/message");
    assert!(
        message.contains(harness::UNKNOWN_TENANT_ID),
        "the unknown tenant's failure does not name it: {message}"
    );
}

#[test]
#[ignore = "needs MSAL and azure-identity in target/python-clients/venv: run by make test (make python-clients)"]
fn msal_device_code_first_poll_signs_in() {
    let rig = Rig::start();
    let observed = rig.run("device_code");

    let flow = at(&observed, "/flow");
    assert!(
        !str_at(flow, "/user_code").is_empty(),
        "no user code: {flow}"
    );
    let verification_uri = str_at(flow, "/verification_uri");
    assert!(
        verification_uri.starts_with(&format!("{}/", rig.front)),
        "the verification page {verification_uri} is not under public_url {}",
        rig.front
    );
    expect(flow, "/expires_in", json!(900));
    expect(flow, "/interval", json!(5));
    expect(flow, "/message_names_code", json!(true));

    let result = at(&observed, "/result");
    expect(result, "/token_source", json!("identity_provider"));
    signed_in_as_admin(&rig, result);
    expect(&observed, "/id_token_problem", Value::Null);
    one_admin_account(&rig, at(&observed, "/cache"));

    let requests = at(&observed, "/requests");
    only_through_the_front(&rig, requests);
    // `sign_in.as` approves the code as it is issued: the first poll is the only one.
    assert_eq!(grants(requests), [DEVICE_CODE_GRANT]);
    let token_request = requests
        .as_array()
        .expect("requests")
        .iter()
        .find(|request| request["grant_type"] == DEVICE_CODE_GRANT)
        .expect("the device-code poll");
    expect(token_request, "/client_info", json!("1"));
}

#[test]
#[ignore = "needs MSAL and azure-identity in target/python-clients/venv: run by make test (make python-clients)"]
fn msal_auth_code_with_pkce_and_nonce() {
    let rig = Rig::start();
    let observed = rig.run("auth_code_pkce");

    let front_channel = at(&observed, "/front_channel");
    expect(
        front_channel,
        "/auth_uri",
        json!(format!("{}/{TENANT_ID}/oauth2/v2.0/authorize", rig.front)),
    );
    expect(front_channel, "/code_challenge_method", json!("S256"));
    let query = at(front_channel, "/auth_query");
    for parameter in [
        "client_id",
        "code_challenge",
        "nonce",
        "redirect_uri",
        "state",
    ] {
        assert!(
            query
                .as_array()
                .is_some_and(|names| names.contains(&json!(parameter))),
            "MSAL's authorize URL lacks {parameter}: {query}"
        );
    }
    let status = int_at(front_channel, "/authorize_status");
    assert!(
        (300..400).contains(&status),
        "the authorize page answered {status}, not a redirect"
    );
    expect(
        front_channel,
        "/redirect_to",
        json!("http://localhost:8400"),
    );
    let returned = at(front_channel, "/redirect_query");
    assert!(
        returned
            .as_array()
            .is_some_and(|names| names.contains(&json!("code")) && names.contains(&json!("state"))),
        "the redirect lacks the code or the state: {returned}"
    );

    let result = at(&observed, "/result");
    // MSAL compares the ID token's nonce with the hash of the one it sent and raises on a mismatch.
    expect(result, "/token_source", json!("identity_provider"));
    signed_in_as_admin(&rig, result);
    expect(
        result,
        "/id_token_claims/nonce",
        at(&observed, "/expected_nonce").clone(),
    );
    // The ID token's signature verifies with discovery's keys and its issuer is discovery's.
    expect(&observed, "/id_token_problem", Value::Null);
    one_admin_account(&rig, at(&observed, "/cache"));
    // A code redeemed with another verifier than the one its challenge was made from is refused.
    let wrong = at(&observed, "/wrong_verifier");
    expect(wrong, "/has_access_token", json!(false));
    expect(wrong, "/error", json!("invalid_grant"));
    expect(wrong, "/error_codes", json!([50148]));

    let requests = at(&observed, "/requests");
    only_through_the_front(&rig, requests);
    assert_eq!(grants(requests), ["authorization_code"]);
}

#[test]
#[ignore = "needs MSAL and azure-identity in target/python-clients/venv: run by make test (make python-clients)"]
fn msal_refresh_and_silent_keep_one_account() {
    let rig = Rig::start();
    let observed = rig.run("refresh_and_silent");

    signed_in_as_admin(&rig, at(&observed, "/sign_in"));
    let home = home_account_id();
    expect(
        &observed,
        "/accounts_after_sign_in/0/home_account_id",
        json!(home),
    );

    // Silent acquisition is answered from the cache; forcing it redeems the refresh token.
    expect(
        &observed,
        "/silent_before_refresh",
        json!({"token_source": "cache", "same_token": true}),
    );
    let refreshed = at(&observed, "/refresh");
    expect(refreshed, "/token_source", json!("identity_provider"));
    signed_in_as_admin(&rig, refreshed);
    expect(&observed, "/refresh_grants", json!(["refresh_token"]));
    expect(
        &observed,
        "/silent_after_refresh",
        json!({"token_source": "cache", "same_token": true}),
    );

    // The same user and client keep one subject, so every sign-in and refresh lands on one account.
    let sub = str_at(&observed, "/sign_in/id_token_claims/sub");
    for step in ["refresh", "second_device_code", "auth_code"] {
        signed_in_as_admin(&rig, at(&observed, &format!("/{step}")));
        expect(
            &observed,
            &format!("/{step}/id_token_claims/sub"),
            json!(sub),
        );
    }
    for step in [
        "accounts_after_sign_in",
        "accounts_after_refresh",
        "accounts_after_second_device_code",
        "accounts_after_auth_code",
    ] {
        let accounts = at(&observed, &format!("/{step}"));
        assert_eq!(
            accounts.as_array().map(Vec::len),
            Some(1),
            "{step}: MSAL holds other than one account: {accounts}"
        );
        expect(accounts, "/0/home_account_id", json!(home));
        expect(accounts, "/0/username", json!(ADMIN_UPN));
    }
    let cache = at(&observed, "/cache");
    one_admin_account(&rig, cache);
    let environment = rig.environment();
    expect(
        cache,
        "/keys/IdToken",
        json!([format!(
            "{home}-{environment}-idtoken-{PUBLIC_CLIENT_ID}-{TENANT_ID}-"
        )]),
    );
    let refresh_tokens = at(cache, "/keys/RefreshToken")
        .as_array()
        .expect("refresh token keys");
    assert_eq!(
        refresh_tokens.len(),
        1,
        "one refresh token for one account: {refresh_tokens:?}"
    );
    assert!(
        refresh_tokens[0]
            .as_str()
            .is_some_and(|key| key.starts_with(&format!(
                "{home}-{environment}-refreshtoken-{PUBLIC_CLIENT_ID}--"
            ))),
        "the refresh token is not the admin's: {refresh_tokens:?}"
    );

    let requests = at(&observed, "/requests");
    only_through_the_front(&rig, requests);
    assert_eq!(
        grants(requests),
        [
            DEVICE_CODE_GRANT,
            "refresh_token",
            DEVICE_CODE_GRANT,
            "authorization_code"
        ]
    );
}

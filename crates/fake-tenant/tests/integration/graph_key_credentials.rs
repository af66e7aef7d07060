//! Certificates through Graph: `keyCredentials` as Graph shows them, `PATCH` replacing the whole list,
//! and `addKey` / `removeKey` with their proof of possession; the token endpoint follows each change.

use entra_fake_tenant::FakeTenant;
use reqwest::Method;
use serde_json::{Value, json};

use crate::certificates::{TestCertificate, other, registered};
use crate::common::*;

const KEY_ID: &str = "eeeeeeee-0000-0000-0000-000000000001";

/// Contoso whose app holds the registered certificate.
async fn holding() -> FakeTenant {
    start(scenario_with(|v| {
        v["tenants"][0]["applications"][0]["certificates"] = json!([{
            "key_id": KEY_ID,
            "display_name": "CN=Registered",
            "certificate_pem": registered().pem,
        }]);
    }))
    .await
}

async fn key_credentials(tenant: &FakeTenant, token: &str) -> Vec<Value> {
    let (status, _, body) = graph_get(
        tenant,
        token,
        &format!("/applications/{APP_OBJECT}?$select=keyCredentials"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["keyCredentials"].as_array().expect("list").clone()
}

/// Whether a client assertion signed by `certificate` gets a token now.
async fn signs_in(tenant: &FakeTenant, certificate: &TestCertificate) -> bool {
    let audience = format!("{}/{TENANT}/oauth2/v2.0/token", tenant.endpoints().login);
    let assertion = certificate.assertion(APP, &audience, tenant.clock().utc());
    let (status, _) = token_request(
        tenant,
        TENANT,
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
    status == 200
}

fn new_key(certificate: &TestCertificate) -> Value {
    json!({"type": "AsymmetricX509Cert", "usage": "Verify", "key": certificate.base64(),
           "displayName": "CN=Other"})
}

#[tokio::test]
async fn a_scenario_certificate_is_served_as_graph_shows_it() {
    let tenant = holding().await;
    let token = admin_token(&tenant).await;
    let keys = key_credentials(&tenant, &token).await;
    assert_eq!(
        keys,
        vec![json!({
            "customKeyIdentifier": registered().thumbprint(),
            "displayName": "CN=Registered",
            "endDateTime": "2049-12-31T00:00:00Z",
            "key": null,
            "keyId": KEY_ID,
            "startDateTime": "2020-01-01T00:00:00Z",
            "type": "AsymmetricX509Cert",
            "usage": "Verify",
        })]
    );
    let (status, _, list) = graph_get(
        &tenant,
        &token,
        "/applications?$select=appId,keyCredentials",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list["value"][0]["keyCredentials"][0]["keyId"], KEY_ID);
}

#[tokio::test]
async fn patch_replaces_the_whole_list() {
    let tenant = holding().await;
    let token = admin_token(&tenant).await;
    let path = format!("/applications/{APP_OBJECT}");
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::PATCH,
        &path,
        json!({"keyCredentials": [new_key(other())]}),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let keys = key_credentials(&tenant, &token).await;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["customKeyIdentifier"], other().thumbprint());
    assert_eq!(keys[0]["displayName"], "CN=Other");
    assert!(signs_in(&tenant, other()).await);
    assert!(
        !signs_in(&tenant, registered()).await,
        "the old one is gone"
    );
    // An entry naming a kept credential by keyId (Graph never shows `key`) keeps it.
    let kept = keys[0]["keyId"].clone();
    let (status, _) = graph_send(
        &tenant,
        &token,
        Method::PATCH,
        &path,
        json!({"keyCredentials": [{"keyId": kept}, new_key(registered())]}),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(key_credentials(&tenant, &token).await.len(), 2);
    assert!(signs_in(&tenant, other()).await && signs_in(&tenant, registered()).await);
    // An empty list removes every certificate.
    let (status, _) = graph_send(
        &tenant,
        &token,
        Method::PATCH,
        &path,
        json!({"keyCredentials": []}),
    )
    .await;
    assert_eq!(status, 204);
    assert!(key_credentials(&tenant, &token).await.is_empty());
}

#[tokio::test]
async fn a_key_that_is_not_a_certificate_is_refused_as_graph_refuses_it() {
    let tenant = holding().await;
    let token = admin_token(&tenant).await;
    for key in ["bm90IGEgY2VydA==", "%%%"] {
        let (status, body) = graph_send(
            &tenant,
            &token,
            Method::PATCH,
            &format!("/applications/{APP_OBJECT}"),
            json!({"keyCredentials": [{"type": "AsymmetricX509Cert", "usage": "Verify", "key": key}]}),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"]["code"], "Request_BadRequest");
        assert_eq!(
            body["error"]["message"],
            "Invalid value specified for property 'keyCredentials' of resource 'Application'."
        );
        assert!(body["error"]["innerError"]["request-id"].is_string());
    }
    assert_eq!(key_credentials(&tenant, &token).await.len(), 1, "unchanged");
}

#[tokio::test]
async fn add_key_needs_a_proof_signed_by_a_current_certificate() {
    let tenant = holding().await;
    let token = admin_token(&tenant).await;
    let path = format!("/applications/{APP_OBJECT}/addKey");
    let now = tenant.clock().utc();
    // Without a proof.
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &path,
        json!({"keyCredential": new_key(other()), "passwordCredential": null}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "Request_BadRequest");
    // A proof signed by a certificate the app does not hold, or for another application.
    for proof in [
        other().proof(APP_OBJECT, now),
        registered().proof("99999999-0000-0000-0000-000000000009", now),
    ] {
        let (status, body) = graph_send(
            &tenant,
            &token,
            Method::POST,
            &path,
            json!({"keyCredential": new_key(other()), "proof": proof}),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"]["code"], "Authentication_MissingOrMalformed");
    }
    assert!(!signs_in(&tenant, other()).await);
    // With the registered certificate's proof.
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &path,
        json!({"keyCredential": new_key(other()), "passwordCredential": null,
               "proof": registered().proof(APP_OBJECT, now)}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["customKeyIdentifier"], other().thumbprint());
    assert_eq!(body["key"], Value::Null);
    assert_eq!(body["type"], "AsymmetricX509Cert");
    assert!(
        body["@odata.context"]
            .as_str()
            .is_some_and(|c| c.ends_with("$metadata#microsoft.graph.keyCredential"))
    );
    assert_eq!(key_credentials(&tenant, &token).await.len(), 2);
    assert!(signs_in(&tenant, other()).await);
    assert!(signs_in(&tenant, registered()).await, "both are kept");
}

#[tokio::test]
async fn remove_key_takes_one_certificate_away() {
    let tenant = holding().await;
    let token = admin_token(&tenant).await;
    let now = tenant.clock().utc();
    let (status, added) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &format!("/applications/{APP_OBJECT}/addKey"),
        json!({"keyCredential": new_key(other()), "proof": registered().proof(APP_OBJECT, now)}),
    )
    .await;
    assert_eq!(status, 200, "{added}");
    let remove = format!("/applications/{APP_OBJECT}/removeKey");
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &remove,
        json!({"keyId": KEY_ID}),
    )
    .await;
    assert_eq!(status, 400, "no proof: {body}");
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &remove,
        json!({"keyId": "99999999-0000-0000-0000-000000000009",
               "proof": other().proof(APP_OBJECT, now)}),
    )
    .await;
    assert_eq!(status, 400, "unknown keyId: {body}");
    // The new certificate proves possession; the old one goes.
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &remove,
        json!({"keyId": KEY_ID, "proof": other().proof(APP_OBJECT, now)}),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let keys = key_credentials(&tenant, &token).await;
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["keyId"], added["keyId"]);
    assert!(!signs_in(&tenant, registered()).await);
    assert!(signs_in(&tenant, other()).await);
}

#[tokio::test]
async fn add_key_cannot_be_used_by_an_app_without_a_certificate() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = admin_token(&tenant).await;
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &format!("/applications/{APP_OBJECT}/addKey"),
        json!({"keyCredential": new_key(other()),
               "proof": other().proof(APP_OBJECT, tenant.clock().utc())}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "Request_BadRequest");
}

#[tokio::test]
async fn an_app_rolls_its_own_key_without_a_permission() {
    let tenant = holding().await;
    let audience = format!("{}/{TENANT}/oauth2/v2.0/token", tenant.endpoints().login);
    let now = tenant.clock().utc();
    let (status, body) = token_request(
        &tenant,
        TENANT,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            (
                "client_assertion",
                &registered().assertion(APP, &audience, now),
            ),
            ("scope", GRAPH_DEFAULT),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let own = body["access_token"].as_str().expect("token").to_owned();
    assert!(
        claims(&own).get("roles").is_none(),
        "no application permission"
    );
    let (status, body) = graph_send(
        &tenant,
        &own,
        Method::POST,
        &format!("/applications/{APP_OBJECT}/addKey"),
        json!({"keyCredential": new_key(other()), "proof": registered().proof(APP_OBJECT, now)}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = graph_send(
        &tenant,
        &own,
        Method::POST,
        &format!("/applications/{APP_OBJECT}/removeKey"),
        json!({"keyId": KEY_ID, "proof": other().proof(APP_OBJECT, now)}),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    assert!(signs_in(&tenant, other()).await);
    assert!(!signs_in(&tenant, registered()).await);
}

#[tokio::test]
async fn certificates_beyond_the_app_management_policy_are_refused() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["certificate_max_lifetime_days"] = json!(365);
        v["tenants"][0]["applications"][0]["certificates"] = json!([{
            "key_id": KEY_ID, "display_name": "CN=Registered", "certificate_pem": registered().pem,
        }]);
    }))
    .await;
    let token = admin_token(&tenant).await;
    let (status, _, policy) =
        graph_get(&tenant, &token, "/policies/defaultAppManagementPolicy").await;
    assert_eq!(status, 200, "{policy}");
    assert_eq!(policy["isEnabled"], true);
    assert_eq!(
        policy["applicationRestrictions"]["keyCredentials"][0]["restrictionType"],
        "asymmetricKeyLifetime"
    );
    assert_eq!(
        policy["applicationRestrictions"]["keyCredentials"][0]["maxLifetime"],
        "P365D"
    );
    let path = format!("/applications/{APP_OBJECT}");
    // The certificate's own 30 years are too long; the kept one (named by keyId) is not rechecked.
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::PATCH,
        &path,
        json!({"keyCredentials": [{"keyId": KEY_ID}, new_key(other())]}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["code"],
        "CredentialInvalidLifetimeAsPerAppPolicy"
    );
    assert_eq!(body["error"]["details"][0]["code"], "InvalidKeyEndDate");
    let mut within = new_key(other());
    within["startDateTime"] = json!("2026-01-01T00:00:00Z");
    within["endDateTime"] = json!("2026-12-31T00:00:00Z");
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::PATCH,
        &path,
        json!({"keyCredentials": [{"keyId": KEY_ID}, within]}),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    // addKey answers the same.
    let (status, body) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &format!("{path}/addKey"),
        json!({"keyCredential": new_key(other()),
               "proof": registered().proof(APP_OBJECT, tenant.clock().utc())}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"]["code"],
        "CredentialInvalidLifetimeAsPerAppPolicy"
    );
}

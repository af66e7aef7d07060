//! Scale: a tenant of 20,000 generated registrations starts at once and pages through Graph at
//! `$top=999` in 21 pages, each registration with its secret and its (shared) certificate; the
//! stand-in counts the requests it received (what the scale bench reports).

use std::time::Instant;

use serde_json::json;

use crate::common::*;

const GENERATED: usize = 20_000;

#[tokio::test]
async fn twenty_thousand_generated_registrations_page_through_graph_in_21_pages() {
    let scenario = scenario_with(|v| {
        v["tenants"][0]["generated_applications"] = json!({
            "count": GENERATED, "secrets_each": 1, "certificates_each": 1,
            "expiring_within_days": 30
        });
    });
    let started = Instant::now();
    let tenant = start(scenario).await;
    let start_time = started.elapsed();
    println!("started with {GENERATED} generated registrations in {start_time:?}");
    // Generous for an unoptimised build on a shared machine; a release build takes a fraction of it.
    assert!(start_time.as_secs_f64() < 5.0, "{start_time:?}");
    let token = admin_token(&tenant).await;
    let before = tenant.requests();
    let started = Instant::now();
    let mut next = Some(format!(
        "{}/v1.0/applications?$select=id,appId,displayName,passwordCredentials,keyCredentials&$top=999",
        tenant.endpoints().graph
    ));
    let (mut pages, mut seen, mut expiring) = (0, 0, 0);
    let soon = (tenant.clock().utc() + chrono::Duration::days(30)).to_rfc3339();
    while let Some(url) = next.take() {
        let response = http()
            .get(&url)
            .bearer_auth(&token)
            .send()
            .await
            .expect("page");
        assert_eq!(response.status().as_u16(), 200);
        let body: serde_json::Value = response.json().await.expect("json");
        let items = body["value"].as_array().expect("value");
        assert!(items.len() <= 999);
        for item in items {
            assert_eq!(
                item.as_object().expect("object").len(),
                5,
                "only what $select names: {item}"
            );
            let ends = item["passwordCredentials"][0]["endDateTime"].as_str();
            if ends.is_some_and(|end| end < soon.as_str())
                && item["displayName"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("Generated app "))
            {
                expiring += 1;
                assert_eq!(item["keyCredentials"][0]["endDateTime"].as_str(), ends);
            }
        }
        seen += items.len();
        pages += 1;
        next = body["@odata.nextLink"].as_str().map(str::to_owned);
    }
    println!(
        "paged {seen} registrations in {pages} pages in {:?}",
        started.elapsed()
    );
    // Contoso's own registration and the generated ones.
    assert_eq!(seen, GENERATED + 1);
    assert_eq!(pages, 21);
    let counted = tenant.requests();
    assert_eq!(
        (counted.graph - before.graph, counted.login - before.login),
        (21, 0),
        "the stand-in counted each page"
    );
    // Every tenth generated registration's credentials end within the window.
    assert_eq!(expiring, GENERATED / 10);
    // Looking one registration up by client ID costs one registration's work, not the tenant's.
    let started = Instant::now();
    let (status, _, found) = graph_get(
        &tenant,
        &token,
        "/applications?$filter=appId eq '00000000-0000-4000-9000-000000019999'&$select=id,displayName",
    )
    .await;
    println!("found one registration by appId in {:?}", started.elapsed());
    assert_eq!(status, 200, "{found}");
    assert_eq!(
        found["value"],
        json!([{"id": "00000000-0000-4000-8000-000000019999", "displayName": "Generated app 19999"}])
    );
}

#[tokio::test]
async fn a_generated_registration_is_read_like_any_other() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["generated_applications"] = json!({"count": 3, "secrets_each": 2});
    }))
    .await;
    let token = admin_token(&tenant).await;
    let app_id = "00000000-0000-4000-9000-000000000002";
    let (status, _, app) =
        graph_get(&tenant, &token, &format!("/applications(appId='{app_id}')")).await;
    assert_eq!(status, 200, "{app}");
    assert_eq!(app["displayName"], "Generated app 2");
    assert_eq!(app["id"], "00000000-0000-4000-8000-000000000002");
    assert_eq!(app["passwordCredentials"].as_array().map(Vec::len), Some(2));
    assert_eq!(app["keyCredentials"], json!([]));
    // A filtered list still sees them all.
    let (status, _, list) = graph_get(
        &tenant,
        &token,
        &format!("/applications?$filter=appId eq '{app_id}'"),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["value"][0]["displayName"], "Generated app 2");
}

#[test]
fn a_generated_tenant_too_large_is_refused_naming_the_field() {
    let mut value = contoso_json();
    value["tenants"][0]["generated_applications"] = json!({"count": 2_000_000});
    let error = entra_fake_tenant::Scenario::from_json(&value.to_string()).expect_err("refused");
    assert!(
        error
            .to_string()
            .contains("tenants[0].generated_applications.count"),
        "{error}"
    );
}

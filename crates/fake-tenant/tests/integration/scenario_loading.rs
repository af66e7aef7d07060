//! Scenario files: the contract's example loads; bad ones are refused naming the field.

use entra_fake_tenant::Scenario;
use serde_json::json;

use crate::common::contoso_json;

fn field_of(value: serde_json::Value) -> String {
    Scenario::from_json(&value.to_string())
        .expect_err("must be refused")
        .field()
        .expect("names a field")
        .to_owned()
}

#[test]
fn the_contract_example_loads() {
    let text = include_str!("../../scenarios/contoso.json");
    let scenario = Scenario::from_json(text).expect("loads");
    assert_eq!(scenario.tenants[0].domains[1], "contoso.com");
    assert_eq!(scenario.sign_in_as(), vec!["admin@contoso.com".to_owned()]);
}

#[test]
fn a_missing_field_is_named_with_its_path() {
    let mut value = contoso_json();
    value["tenants"][0]["users"][0]
        .as_object_mut()
        .expect("user")
        .remove("mailbox");
    assert_eq!(field_of(value), "tenants[0].users[0].mailbox");
}

#[test]
fn a_bad_enum_value_is_named() {
    let mut value = contoso_json();
    value["tenants"][0]["cloud"] = json!("moon");
    assert_eq!(field_of(value), "tenants[0].cloud");
}

#[test]
fn user_consent_takes_a_name_or_any_policy_id_but_not_an_empty_one() {
    for consent in [
        "legacy",
        "recommended",
        "ManagePermissionGrantsForSelf.contoso-policy",
    ] {
        let mut value = contoso_json();
        value["tenants"][0]["user_consent"] = json!(consent);
        let scenario = Scenario::from_json(&value.to_string()).expect(consent);
        assert_eq!(
            serde_json::to_value(&scenario.tenants[0].user_consent).expect("json"),
            json!(consent)
        );
    }
    for bad in [json!(""), json!(3)] {
        let mut value = contoso_json();
        value["tenants"][0]["user_consent"] = bad;
        assert_eq!(field_of(value), "tenants[0].user_consent");
    }
}

#[test]
fn consent_requests_name_users_of_the_tenant_and_a_known_status() {
    let request = json!({"app_id": "ffffffff-0000-0000-0000-000000000001",
        "app_display_name": "Vendor", "requested_by": "bob@contoso.com", "reason": "calendar",
        "created": "2026-05-20T09:30:00Z"});
    let mut value = contoso_json();
    value["tenants"][0]["consent_requests"] = json!([request.clone()]);
    Scenario::from_json(&value.to_string()).expect("valid");
    let mut stranger = request.clone();
    stranger["requested_by"] = json!("eve@fabrikam.com");
    value["tenants"][0]["consent_requests"] = json!([stranger]);
    assert_eq!(
        field_of(value.clone()),
        "tenants[0].consent_requests[0].requested_by"
    );
    let mut unknown = request;
    unknown["status"] = json!("Pending");
    value["tenants"][0]["consent_requests"] = json!([unknown]);
    assert_eq!(field_of(value), "tenants[0].consent_requests[0].status");
}

#[test]
fn an_unknown_field_is_named() {
    let mut value = contoso_json();
    value["tenants"][0]["smtp_auth"] = json!(true);
    let error = Scenario::from_json(&value.to_string()).expect_err("refused");
    assert!(error.to_string().contains("smtp_auth"), "{error}");
}

#[test]
fn semantic_errors_are_named() {
    let mut value = contoso_json();
    value["tenants"][0]["applications"][0]["app_id"] = json!("not-a-guid");
    assert_eq!(field_of(value), "tenants[0].applications[0].app_id");

    let mut value = contoso_json();
    value["tenants"][0]["applications"][0]["permissions"]["delegated"][1] =
        json!("Calendars.Everything");
    assert_eq!(
        field_of(value),
        "tenants[0].applications[0].permissions.delegated[1]"
    );

    let mut value = contoso_json();
    value["sign_in"] = json!({"as": ["admin@contoso.com", "ghost@contoso.com"]});
    assert_eq!(field_of(value), "sign_in.as[1]");

    let mut value = contoso_json();
    value["faults"] = json!([{"match": "GET /v1.0/*", "kind": "status"}]);
    assert_eq!(field_of(value), "faults[0].status");

    let mut value = contoso_json();
    value["faults"] = json!([{"match": "/v1.0/*", "kind": "reset"}]);
    assert_eq!(field_of(value), "faults[0].match");

    let mut value = contoso_json();
    value["tenants"][0]["users"][0]["upn"] = json!("admin@fabrikam.com");
    assert_eq!(field_of(value), "tenants[0].users[0].upn");
}

#[test]
fn optional_fields_default_as_the_contract_says() {
    let mut value = contoso_json();
    let object = value.as_object_mut().expect("object");
    for key in [
        "public_clients",
        "sign_in",
        "latency_ms",
        "replication_delay_ms",
        "faults",
    ] {
        object.remove(key);
    }
    value["tenants"][0]
        .as_object_mut()
        .expect("tenant")
        .remove("secret_max_lifetime_days");
    value["tenants"][0]["users"][0]
        .as_object_mut()
        .expect("user")
        .remove("admin");
    let scenario = Scenario::from_json(&value.to_string()).expect("loads");
    assert_eq!(
        scenario.public_clients,
        vec!["14d82eec-204b-4c2f-b7e8-296a70dab67e".to_owned()]
    );
    assert!(scenario.sign_in.is_none());
    assert_eq!(scenario.latency_ms, 0);
    assert!(!scenario.tenants[0].users[0].admin);
}

#[test]
fn a_missing_file_is_an_error() {
    let error =
        Scenario::load(std::path::Path::new("/nonexistent/scenario.json")).expect_err("missing");
    assert!(error.field().is_none());
}

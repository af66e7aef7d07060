//! The generated tables against the JSON they come from: the vendored Graph snapshot is the shared
//! conformance file byte for byte (when that file is at hand), holds 337 application and 403
//! delegated permissions, and every one of them — ID, type, names, descriptions — is in the tables;
//! Graph's later additions and the Exchange Online entries each cite a source, and Exchange Online
//! carries the IDs Microsoft's articles give.

use std::path::{Path, PathBuf};

use entra_graph_catalogue::{
    ConsentType, EXCHANGE_ONLINE, EXCHANGE_ONLINE_APP_ID, GRAPH_APP_ID, Kind, MICROSOFT_GRAPH,
    Permission, Resource,
};
use serde_json::Value;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

fn json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(data(name)).expect("read")).expect("JSON")
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

#[test]
fn the_vendored_snapshot_is_the_shared_conformance_file() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/conformance/graph-service-principal/microsoft-graph-2023-02.json");
    let vendored = std::fs::read(data("microsoft-graph-2023-02.json")).expect("vendored copy");
    match std::fs::read(&shared) {
        Ok(original) => assert!(
            original == vendored,
            "data/microsoft-graph-2023-02.json differs from {}",
            shared.display()
        ),
        // A checkout without the shared folder builds and tests from the vendored copy alone.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => panic!("cannot read {}: {error}", shared.display()),
    }
}

#[test]
fn graph_has_337_application_and_403_delegated_permissions_and_the_later_additions() {
    let from_snapshot = |list: &[Permission]| list.iter().filter(|p| p.source.is_none()).count();
    assert_eq!(from_snapshot(MICROSOFT_GRAPH.app_roles()), 337);
    assert_eq!(from_snapshot(MICROSOFT_GRAPH.scopes()), 403);
    let additions = json("microsoft-graph-additions.json");
    let count = |key: &str| additions[key].as_array().expect(key).len();
    assert_eq!(MICROSOFT_GRAPH.app_roles().len(), 337 + count("appRoles"));
    assert_eq!(
        MICROSOFT_GRAPH.scopes().len(),
        403 + count("oauth2PermissionScopes")
    );
    assert_eq!(MICROSOFT_GRAPH.app_id(), GRAPH_APP_ID);
    assert_eq!(MICROSOFT_GRAPH.display_name(), "Microsoft Graph");
}

fn assert_entry(permission: &Permission, entry: &Value, kind: Kind) {
    let (display, description) = match kind {
        Kind::Role => ("displayName", "description"),
        Kind::Scope => ("adminConsentDisplayName", "adminConsentDescription"),
    };
    assert_eq!(permission.kind, kind);
    assert_eq!(
        Some(permission.display_name.to_owned()),
        text(entry, display)
    );
    assert_eq!(
        Some(permission.description.to_owned()),
        text(entry, description)
    );
    assert_eq!(
        permission.user_consent_display_name.map(str::to_owned),
        text(entry, "userConsentDisplayName")
    );
    assert_eq!(
        permission.user_consent_description.map(str::to_owned),
        text(entry, "userConsentDescription")
    );
    assert_eq!(
        permission.consent_type.map(|t| t.as_str().to_owned()),
        if kind == Kind::Scope {
            text(entry, "type")
        } else {
            None
        }
    );
}

#[test]
fn every_graph_permission_of_the_snapshot_is_in_the_tables() {
    let snapshot = json("microsoft-graph-2023-02.json");
    for (key, kind) in [
        ("appRoles", Kind::Role),
        ("oauth2PermissionScopes", Kind::Scope),
    ] {
        for entry in snapshot[key].as_array().expect(key) {
            let value = text(entry, "value").expect("value");
            let id = text(entry, "id").expect("id");
            let permission = MICROSOFT_GRAPH.find(kind, &value).expect(&value);
            assert_eq!(permission.id, id, "{value}");
            assert_eq!(MICROSOFT_GRAPH.by_id(kind, &id), Some(permission));
            assert_entry(permission, entry, kind);
            assert_eq!(permission.source, None);
        }
    }
    let admin = MICROSOFT_GRAPH
        .scopes()
        .iter()
        .filter(|p| p.source.is_none() && p.consent_type == Some(ConsentType::Admin))
        .count();
    assert_eq!(admin, 287, "Admin-type delegated permissions");
}

#[test]
fn the_id_shared_by_two_kinds_resolves_per_kind() {
    let id = "405a51b5-8d8d-430b-9842-8be4b0e9f324";
    let role = MICROSOFT_GRAPH.by_id(Kind::Role, id).expect("role");
    let scope = MICROSOFT_GRAPH.by_id(Kind::Scope, id).expect("scope");
    assert_eq!((role.value, role.kind), ("User.Export.All", Kind::Role));
    assert_eq!((scope.value, scope.kind), ("User.Export.All", Kind::Scope));
}

/// Every entry of a file of cited permissions is in `resource`'s tables, with its source.
fn assert_cited(file: &Value, resource: &Resource) {
    assert_eq!(text(file, "appId").as_deref(), Some(resource.app_id()));
    let sources = file["sources"].as_object().expect("sources");
    for (key, kind) in [
        ("appRoles", Kind::Role),
        ("oauth2PermissionScopes", Kind::Scope),
    ] {
        for entry in file[key].as_array().expect(key) {
            let value = text(entry, "value").expect("value");
            let permission = resource.find(kind, &value).expect(&value);
            assert_eq!(Some(permission.id.to_owned()), text(entry, "id"));
            assert_entry(permission, entry, kind);
            let source = permission.source.expect("a source");
            assert!(
                sources.contains_key(source),
                "{value}: {source} is not listed"
            );
            for other in entry["corroboratedBy"].as_array().into_iter().flatten() {
                assert!(sources.contains_key(other.as_str().expect("URL")));
            }
        }
    }
}

#[test]
fn every_exchange_online_entry_cites_its_source() {
    let file = json("exchange-online.json");
    assert_eq!(EXCHANGE_ONLINE.app_id(), EXCHANGE_ONLINE_APP_ID);
    assert_cited(&file, &EXCHANGE_ONLINE);
    let count = |key: &str| file[key].as_array().expect(key).len();
    assert_eq!(
        EXCHANGE_ONLINE.all().count(),
        count("appRoles") + count("oauth2PermissionScopes")
    );
}

#[test]
fn every_later_graph_permission_cites_its_source() {
    assert_cited(&json("microsoft-graph-additions.json"), &MICROSOFT_GRAPH);
    let scope = MICROSOFT_GRAPH
        .find(Kind::Scope, "DelegatedPermissionGrant.Read.All")
        .expect("scope");
    assert_eq!(scope.id, "a197cdc4-a8e8-4d49-9d35-4ca7c83887b4");
    assert_eq!(scope.consent_type, Some(ConsentType::Admin));
    assert_eq!(
        MICROSOFT_GRAPH
            .find(Kind::Role, "DelegatedPermissionGrant.Read.All")
            .map(|p| p.id),
        Some("81b4724a-58aa-41c1-8a55-84ef97466587")
    );
}

#[test]
fn exchange_online_carries_the_ids_of_microsofts_articles() {
    let role = |value| EXCHANGE_ONLINE.find(Kind::Role, value).map(|p| p.id);
    let scope = |value| EXCHANGE_ONLINE.find(Kind::Scope, value).map(|p| p.id);
    assert_eq!(
        role("full_access_as_app"),
        Some("dc890d15-9560-4a4c-9b7f-a736ec74ec40")
    );
    assert_eq!(
        role("Exchange.ManageAsApp"),
        Some("dc50a0fb-09a3-484d-be87-e023b12c6440")
    );
    assert_eq!(
        scope("EWS.AccessAsUser.All"),
        Some("3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5")
    );
    assert_eq!(
        role("IMAP.AccessAsApp"),
        Some("5e5addcd-3e8d-4e90-baf5-964efab2b20a")
    );
    assert_eq!(
        role("POP.AccessAsApp"),
        Some("cb842b43-da6e-4506-86fe-bb12199c656d")
    );
    assert_eq!(
        role("SMTP.SendAsApp"),
        Some("7146a1f0-8703-45b3-9eae-527a64c00995")
    );
    // The Outlook scopes exist on both resources, with different IDs.
    for (name, exchange, graph) in [
        (
            "IMAP.AccessAsUser.All",
            "195adc35-e27b-454b-a7ed-1ecdffa1c09f",
            "652390e4-393a-48de-9484-05f9b1212954",
        ),
        (
            "POP.AccessAsUser.All",
            "fb698133-92fa-453e-a9ed-688e10f2e5ac",
            "d7b7f2d9-0f45-4ea1-9d42-e50810c06991",
        ),
        (
            "SMTP.Send",
            "76faac2a-0f20-42f1-928a-50de5b9dbe52",
            "258f6531-6087-4cc4-bb90-092c5fb3ed3f",
        ),
    ] {
        assert_eq!(scope(name), Some(exchange));
        assert_eq!(
            MICROSOFT_GRAPH.find(Kind::Scope, name).map(|p| p.id),
            Some(graph)
        );
    }
    assert!(
        EXCHANGE_ONLINE
            .scopes()
            .iter()
            .all(|p| p.consent_type.is_none()),
        "no source states the type of Exchange Online's delegated permissions"
    );
}

//! The stand-in against Microsoft's permission catalogue: a scenario may name any of Graph's 740
//! permissions (here 30 picked with a fixed seed), the Graph service principal is served with all of
//! them exactly as Microsoft served them, `requiredResourceAccess`, grants and role assignments carry
//! the real GUIDs; Exchange Online's service principal carries its mail permissions; and user consent
//! follows each delegated permission's `type`.

#[allow(dead_code, unused_imports)]
#[path = "integration/common.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use entra_graph_catalogue::{EXCHANGE_ONLINE, Kind, MICROSOFT_GRAPH, Permission};
use serde_json::{Value, json};

const WEB_REDIRECT: &str = "https://intranet.contoso.com/oauth2/outlook/callback";

/// SplitMix64: a tiny deterministic generator, so the "random" pick is the same on every run.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// `count` distinct permissions of Microsoft Graph, picked with a fixed seed from all 740.
fn pick(count: usize, seed: u64) -> Vec<&'static Permission> {
    let all: Vec<&'static Permission> = MICROSOFT_GRAPH.all().collect();
    let mut rng = SplitMix64(seed);
    let mut picked: Vec<&'static Permission> = Vec::new();
    while picked.len() < count {
        let candidate = all[(rng.next() % all.len() as u64) as usize];
        if !picked.contains(&candidate) {
            picked.push(candidate);
        }
    }
    picked
}

fn names(picked: &[&Permission], kind: Kind) -> Vec<&'static str> {
    picked
        .iter()
        .filter(|p| p.kind == kind)
        .map(|p| p.value)
        .collect()
}

/// A data file the catalogue is generated from, read here as plain JSON.
fn catalogue_data(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../graph-catalogue/data")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).expect("data")).expect("JSON")
}

/// The entries of a served or recorded list, by ID.
fn by_id(list: &Value) -> BTreeMap<String, Value> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|entry| (entry["id"].as_str().expect("id").to_owned(), entry.clone()))
        .collect()
}

#[tokio::test]
async fn a_scenario_naming_30_random_permissions_gets_the_whole_catalogue_and_real_guids() {
    let picked = pick(30, 0x00c0_ffee);
    let (delegated, application) = (names(&picked, Kind::Scope), names(&picked, Kind::Role));
    assert!(
        !delegated.is_empty() && !application.is_empty(),
        "{picked:?}"
    );
    let set = json!({"delegated": delegated, "application": application});
    let tenant = start(scenario_with(|v| {
        let app = &mut v["tenants"][0]["applications"][0];
        app["permissions"] = set.clone();
        app["consented"] = set.clone();
    }))
    .await;
    let token = admin_token(&tenant).await;

    // The Graph service principal: all 740 permissions exactly as Microsoft served them in 2023,
    // and the later ones the wizard uses.
    let (status, _, graph) = graph_get(
        &tenant,
        &token,
        "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')",
    )
    .await;
    assert_eq!(status, 200, "{graph}");
    let (recorded, added) = (
        catalogue_data("microsoft-graph-2023-02.json"),
        catalogue_data("microsoft-graph-additions.json"),
    );
    for key in ["appRoles", "oauth2PermissionScopes"] {
        let mut served = by_id(&graph[key]);
        let from_snapshot = by_id(&recorded[key]);
        assert_eq!(
            from_snapshot.len(),
            if key == "appRoles" { 337 } else { 403 }
        );
        for (id, entry) in &from_snapshot {
            assert_eq!(served.remove(id).as_ref(), Some(entry), "{key} {id}");
        }
        let later: BTreeSet<String> = by_id(&added[key]).into_keys().collect();
        assert_eq!(served.into_keys().collect::<BTreeSet<_>>(), later, "{key}");
    }

    // The registration asks for the 30 by their real GUIDs.
    let (status, _, app) = graph_get(&tenant, &token, &format!("/applications/{APP_OBJECT}")).await;
    assert_eq!(status, 200, "{app}");
    let required = app["requiredResourceAccess"].as_array().expect("list");
    assert_eq!(required.len(), 1, "{required:?}");
    assert_eq!(
        required[0]["resourceAppId"],
        "00000003-0000-0000-c000-000000000000"
    );
    let asked: BTreeSet<(String, String)> = required[0]["resourceAccess"]
        .as_array()
        .expect("list")
        .iter()
        .map(|a| {
            (
                a["id"].as_str().expect("id").to_owned(),
                a["type"].as_str().expect("type").to_owned(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> = picked
        .iter()
        .map(|p| (p.id.to_owned(), p.kind.as_str().to_owned()))
        .collect();
    assert_eq!(asked, expected);

    // Consent: the application permissions are app role assignments with the real GUIDs on Graph's
    // service principal, the delegated ones one AllPrincipals grant.
    let (_, _, client) = graph_get(
        &tenant,
        &token,
        &format!("/servicePrincipals(appId='{APP}')"),
    )
    .await;
    let client_id = client["id"].as_str().expect("id").to_owned();
    let (status, _, assignments) = graph_get(
        &tenant,
        &token,
        &format!("/servicePrincipals/{client_id}/appRoleAssignments"),
    )
    .await;
    assert_eq!(status, 200, "{assignments}");
    let assigned: BTreeSet<&str> = assignments["value"]
        .as_array()
        .expect("list")
        .iter()
        .inspect(|a| assert_eq!(a["resourceId"], graph["id"]))
        .map(|a| a["appRoleId"].as_str().expect("id"))
        .collect();
    let roles: BTreeSet<&str> = picked
        .iter()
        .filter(|p| p.kind == Kind::Role)
        .map(|p| p.id)
        .collect();
    assert_eq!(assigned, roles);
    let (_, _, grants) = graph_get(
        &tenant,
        &token,
        &format!("/servicePrincipals/{client_id}/oauth2PermissionGrants"),
    )
    .await;
    let granted: BTreeSet<&str> = grants["value"][0]["scope"]
        .as_str()
        .expect("scope")
        .split_whitespace()
        .collect();
    assert_eq!(granted, delegated.iter().copied().collect());

    // A client-credentials token carries the application permissions by name.
    let app_token = app_token(&tenant, APP, SECRET).await;
    let claimed: BTreeSet<String> = claims(&app_token)["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .map(|r| r.as_str().expect("role").to_owned())
        .collect();
    assert_eq!(
        claimed,
        application.iter().map(|name| name.to_string()).collect()
    );
    tenant.shutdown().await;
}

#[test]
fn a_scenario_may_name_any_catalogue_permission_but_no_other() {
    scenario_with(|v| {
        v["tenants"][0]["applications"][0]["permissions"] = json!({"delegated": ["Files.Read", "Tasks.ReadWrite"], "application": ["Sites.Selected"]});
    });
    let mut value = contoso_json();
    value["tenants"][0]["applications"][0]["permissions"]["delegated"] = json!(["Files.Reed"]);
    let error = entra_fake_tenant::Scenario::from_json(&value.to_string())
        .expect_err("not a Graph permission")
        .to_string();
    assert!(error.contains("Files.Reed"), "{error}");
}

#[tokio::test]
async fn exchange_online_is_served_with_its_mail_permissions() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = admin_token(&tenant).await;
    let (status, _, exchange) = graph_get(
        &tenant,
        &token,
        "/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')",
    )
    .await;
    assert_eq!(status, 200, "{exchange}");
    assert_eq!(exchange["displayName"], "Office 365 Exchange Online");
    let roles = by_id(&exchange["appRoles"]);
    let scopes = by_id(&exchange["oauth2PermissionScopes"]);
    assert_eq!(roles.len(), EXCHANGE_ONLINE.app_roles().len());
    assert_eq!(scopes.len(), EXCHANGE_ONLINE.scopes().len());
    for (id, value) in [
        ("dc890d15-9560-4a4c-9b7f-a736ec74ec40", "full_access_as_app"),
        (
            "dc50a0fb-09a3-484d-be87-e023b12c6440",
            "Exchange.ManageAsApp",
        ),
        ("5e5addcd-3e8d-4e90-baf5-964efab2b20a", "IMAP.AccessAsApp"),
        ("cb842b43-da6e-4506-86fe-bb12199c656d", "POP.AccessAsApp"),
        ("7146a1f0-8703-45b3-9eae-527a64c00995", "SMTP.SendAsApp"),
    ] {
        assert_eq!(roles[id]["value"], value);
        assert_eq!(roles[id]["allowedMemberTypes"], json!(["Application"]));
    }
    for (id, value, kind) in [
        (
            "3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5",
            "EWS.AccessAsUser.All",
            "User",
        ),
        (
            "195adc35-e27b-454b-a7ed-1ecdffa1c09f",
            "IMAP.AccessAsUser.All",
            "User",
        ),
        ("76faac2a-0f20-42f1-928a-50de5b9dbe52", "SMTP.Send", "User"),
        (
            "ab4f2b77-0b06-4fc1-a9de-02113fc2ab7c",
            "Exchange.Manage",
            "Admin",
        ),
    ] {
        assert_eq!(scopes[id]["value"], value);
        assert_eq!(scopes[id]["type"], kind, "{value}");
    }

    // Its roles can be assigned on it; a role it does not have cannot.
    let (_, _, client) = graph_get(
        &tenant,
        &token,
        &format!("/servicePrincipals(appId='{APP}')"),
    )
    .await;
    let exchange_id = exchange["id"].as_str().expect("id");
    let assign = |role: &str| json!({"principalId": client["id"], "resourceId": exchange_id, "appRoleId": role});
    let path = format!("/servicePrincipals/{exchange_id}/appRoleAssignedTo");
    let (status, created) = graph_send(
        &tenant,
        &token,
        reqwest::Method::POST,
        &path,
        assign("5e5addcd-3e8d-4e90-baf5-964efab2b20a"),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["resourceId"], exchange_id);
    assert_eq!(created["resourceDisplayName"], "Office 365 Exchange Online");
    // Graph's Application.Read.All is not an Exchange Online role.
    let (status, refused) = graph_send(
        &tenant,
        &token,
        reqwest::Method::POST,
        &path,
        assign("9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30"),
    )
    .await;
    assert_eq!(status, 400, "{refused}");
    assert_eq!(
        refused["error"]["message"],
        "Permission being assigned was not found on application"
    );
    let (_, _, assigned) = graph_get(&tenant, &token, &path).await;
    assert_eq!(
        assigned["value"][0]["appRoleId"],
        "5e5addcd-3e8d-4e90-baf5-964efab2b20a"
    );
    tenant.shutdown().await;
}

/// Asks `user` to sign in to the Contoso app for `scope` on a tenant whose user consent setting is
/// `legacy` (users may consent to any app) and where nobody consented yet: whether a code came back.
async fn user_gets_a_code(user: &str, scope: &str) -> bool {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["user_consent"] = json!("legacy");
        v["sign_in"] = json!({"as": user});
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
    let status = response.status().as_u16();
    let got_code = location_param(&response, "code").is_some();
    if status != 302 {
        let page = response.text().await.expect("page");
        assert!(page.contains("AADSTS90094"), "{scope}: {page}");
    }
    tenant.shutdown().await;
    got_code
}

#[tokio::test]
async fn under_legacy_consent_users_grant_user_type_scopes_and_only_admins_admin_type_ones() {
    let user_type = "https://graph.microsoft.com/Files.Read";
    let admin_type = "https://graph.microsoft.com/Group.Read.All";
    for (scope, kind) in [(user_type, "User"), (admin_type, "Admin")] {
        let name = scope.rsplit('/').next().expect("name");
        let permission = MICROSOFT_GRAPH.find(Kind::Scope, name).expect(name);
        assert_eq!(
            permission.consent_type.map(|t| t.as_str()),
            Some(kind),
            "{name}"
        );
    }
    assert!(user_gets_a_code("bob@contoso.com", user_type).await);
    assert!(!user_gets_a_code("bob@contoso.com", admin_type).await);
    assert!(user_gets_a_code("admin@contoso.com", admin_type).await);
}

#[tokio::test]
async fn an_admin_consents_to_exchange_online_scopes_by_their_resource() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["applications"][0]["consented"] =
            json!({"delegated": [], "application": []});
    }))
    .await;
    let consent = |scope: &'static str| {
        http()
            .get(format!(
                "{}/{TENANT}/v2.0/adminconsent",
                tenant.endpoints().login
            ))
            .query(&[
                ("client_id", APP),
                ("scope", scope),
                ("redirect_uri", WEB_REDIRECT),
            ])
            .send()
    };
    let response = consent(
        "https://outlook.office365.com/IMAP.AccessAsUser.All https://outlook.office365.com/SMTP.Send",
    )
    .await
    .expect("consent");
    assert_eq!(response.status().as_u16(), 302);
    assert_eq!(location_param(&response, "error"), None);
    assert_eq!(
        location_param(&response, "admin_consent").as_deref(),
        Some("True")
    );
    let token = admin_token(&tenant).await;
    let (_, _, client) = graph_get(
        &tenant,
        &token,
        &format!("/servicePrincipals(appId='{APP}')"),
    )
    .await;
    let (_, _, grants) = graph_get(
        &tenant,
        &token,
        &format!(
            "/servicePrincipals/{}/oauth2PermissionGrants",
            client["id"].as_str().expect("id")
        ),
    )
    .await;
    let granted: BTreeSet<&str> = grants["value"][0]["scope"]
        .as_str()
        .expect("scope")
        .split_whitespace()
        .collect();
    assert_eq!(
        granted,
        BTreeSet::from(["IMAP.AccessAsUser.All", "SMTP.Send"])
    );
    // A name Exchange Online does not have is refused, as Microsoft refuses it.
    let response = consent("https://outlook.office365.com/IMAP.AccessAsApp.All")
        .await
        .expect("consent");
    assert_eq!(
        location_param(&response, "error").as_deref(),
        Some("invalid_scope")
    );
    tenant.shutdown().await;
}

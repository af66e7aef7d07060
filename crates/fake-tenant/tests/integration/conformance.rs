//! Conformance with the real material in shared/conformance: Graph paths and properties against Microsoft's
//! CSDL, the discovery document against real ones, token answers against recorded real answers.

use std::collections::{BTreeSet, HashMap};
use std::io::Read as _;

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

fn conformance_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance")
}

#[derive(Default)]
struct Csdl {
    /// type name → (base type, properties and navigation properties by name → type)
    types: HashMap<String, (Option<String>, HashMap<String, String>)>,
    enums: BTreeSet<String>,
    /// (action name, bound type)
    actions: BTreeSet<(String, String)>,
    /// entity sets and singletons → type
    roots: HashMap<String, String>,
}

fn short(name: &str) -> String {
    name.trim_start_matches("microsoft.graph.")
        .trim_start_matches("graph.")
        .to_owned()
}

fn load_csdl() -> Csdl {
    let file =
        std::fs::File::open(conformance_dir().join("graph-description/cleanMetadata-v1.0.xml.gz"))
            .expect("metadata");
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .expect("gunzip");
    let text = text.trim_start_matches('\u{feff}');
    let document = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("xml");
    let mut csdl = Csdl::default();
    let schema = document
        .descendants()
        .find(|n| n.has_tag_name("Schema") && n.attribute("Namespace") == Some("microsoft.graph"))
        .expect("schema");
    for node in schema.children().filter(|n| n.is_element()) {
        let name = node.attribute("Name").unwrap_or_default().to_owned();
        match node.tag_name().name() {
            "EntityType" | "ComplexType" => {
                let members = node
                    .children()
                    .filter(|c| c.has_tag_name("Property") || c.has_tag_name("NavigationProperty"))
                    .map(|c| {
                        let ty = c
                            .attribute("Type")
                            .unwrap_or_default()
                            .replace("microsoft.graph.", "")
                            .replace("graph.", "");
                        (c.attribute("Name").unwrap_or_default().to_owned(), ty)
                    })
                    .collect();
                csdl.types
                    .insert(name, (node.attribute("BaseType").map(short), members));
            }
            "EnumType" => {
                csdl.enums.insert(name);
            }
            "Action" | "Function" => {
                if let Some(binding) = node.children().find(|c| {
                    c.has_tag_name("Parameter") && c.attribute("Name") == Some("bindingParameter")
                }) {
                    csdl.actions
                        .insert((name, short(binding.attribute("Type").unwrap_or_default())));
                }
            }
            "EntityContainer" => {
                for root in node
                    .children()
                    .filter(|c| c.has_tag_name("EntitySet") || c.has_tag_name("Singleton"))
                {
                    let ty = root
                        .attribute("EntityType")
                        .or(root.attribute("Type"))
                        .unwrap_or_default();
                    csdl.roots.insert(
                        root.attribute("Name").unwrap_or_default().to_owned(),
                        short(ty),
                    );
                }
            }
            _ => {}
        }
    }
    csdl
}

impl Csdl {
    fn property(&self, type_name: &str, property: &str) -> Option<String> {
        let mut current = Some(type_name.to_owned());
        while let Some(name) = current {
            let (base, members) = self.types.get(&name)?;
            if let Some(found) = members.get(property) {
                return Some(found.clone());
            }
            current = base.clone();
        }
        None
    }

    /// Checks every property of `value` against `type_name`, recursively; pushes problems.
    fn check(&self, value: &Value, type_name: &str, at: &str, problems: &mut Vec<String>) {
        let owned = short(type_name);
        let type_name = owned.as_str();
        if let Some(inner) = type_name
            .strip_prefix("Collection(")
            .and_then(|t| t.strip_suffix(')'))
        {
            match value {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .for_each(|(i, item)| self.check(item, inner, &format!("{at}[{i}]"), problems)),
                _ => problems.push(format!(
                    "{at}: expected a collection of {inner}, got {value}"
                )),
            }
            return;
        }
        if value.is_null() {
            return;
        }
        let ok = match type_name {
            "Edm.String" | "Edm.Guid" | "Edm.DateTimeOffset" | "Edm.Binary" | "Edm.Date"
            | "Edm.Duration" => value.is_string(),
            "Edm.Boolean" => value.is_boolean(),
            "Edm.Int32" | "Edm.Int64" | "Edm.Double" => value.is_number(),
            enum_name if self.enums.contains(enum_name) => value.is_string(),
            declared => {
                let Value::Object(map) = value else {
                    problems.push(format!("{at}: expected an object of {declared}"));
                    return;
                };
                // A derived type in a property of its base type names itself.
                let derived = map
                    .get("@odata.type")
                    .and_then(Value::as_str)
                    .map(|t| short(t.trim_start_matches('#')));
                let complex = derived.as_deref().unwrap_or(declared);
                for (key, inner) in map {
                    if key.starts_with("@odata.") {
                        continue;
                    }
                    match self.property(complex, key) {
                        Some(ty) => self.check(inner, &ty, &format!("{at}.{key}"), problems),
                        None => problems.push(format!("{at}.{key}: no such property on {complex}")),
                    }
                }
                true
            }
        };
        if !ok {
            problems.push(format!("{at}: {value} is not a {type_name}"));
        }
    }
}

#[tokio::test]
async fn graph_paths_and_properties_exist_in_microsofts_metadata() {
    let csdl = load_csdl();
    // Paths served (entity sets, singletons, navigation properties, bound actions).
    for (root, ty) in [
        ("applications", "application"),
        ("servicePrincipals", "servicePrincipal"),
        ("oauth2PermissionGrants", "oAuth2PermissionGrant"),
        ("users", "user"),
        ("policies", "policyRoot"),
        ("identityGovernance", "identityGovernance"),
        ("me", "user"),
    ] {
        assert_eq!(csdl.roots.get(root).map(String::as_str), Some(ty), "{root}");
    }
    for (ty, nav) in [
        ("servicePrincipal", "appRoleAssignedTo"),
        ("servicePrincipal", "appRoleAssignments"),
        ("servicePrincipal", "oauth2PermissionGrants"),
        ("policyRoot", "authorizationPolicy"),
        ("policyRoot", "adminConsentRequestPolicy"),
        ("identityGovernance", "appConsent"),
        ("appConsentApprovalRoute", "appConsentRequests"),
        ("appConsentRequest", "userConsentRequests"),
        ("user", "licenseDetails"),
        ("user", "calendar"),
        ("user", "events"),
        ("calendar", "events"),
    ] {
        assert!(csdl.property(ty, nav).is_some(), "{ty}/{nav}");
    }
    for (action, ty) in [
        ("addPassword", "application"),
        ("removePassword", "application"),
        ("sendMail", "user"),
    ] {
        assert!(
            csdl.actions.contains(&(action.to_owned(), ty.to_owned())),
            "{ty}/{action}"
        );
    }

    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["applications"][0]["permissions"]["application"] =
            json!(["Calendars.Read"]);
        v["tenants"][0]["applications"][0]["consented"]["application"] = json!(["Calendars.Read"]);
        v["tenants"][0]["admin_consent_workflow"] = json!(true);
        v["tenants"][0]["consent_requests"] = json!([
            {"app_id": APP, "app_display_name": "Intranet Outlook Calendar",
             "requested_by": "bob@contoso.com", "reason": "My calendar", "created": "2026-05-20T09:30:00Z"}
        ]);
        v["tenants"][0]["users"][0]["calendar_events"] = json!([
            {"subject": "Board meeting", "start": "2026-05-04T09:00:00Z", "end": "2026-05-04T10:00:00Z"}
        ]);
    }))
    .await;
    let token = admin_token(&tenant).await;
    let mut problems = Vec::new();
    let check_collection = |body: &Value, ty: &str, at: &str, problems: &mut Vec<String>| {
        let items = body["value"]
            .as_array()
            .unwrap_or_else(|| panic!("{at}: {body}"));
        assert!(!items.is_empty(), "{at} has items to check");
        csdl.check(&body["value"], &format!("Collection({ty})"), at, problems);
    };
    let (_, _, apps) = graph_get(&tenant, &token, "/applications").await;
    check_collection(&apps, "application", "applications", &mut problems);
    let (_, _, sps) = graph_get(&tenant, &token, "/servicePrincipals").await;
    check_collection(&sps, "servicePrincipal", "servicePrincipals", &mut problems);
    let (_, _, grants) = graph_get(&tenant, &token, "/oauth2PermissionGrants").await;
    check_collection(
        &grants,
        "oAuth2PermissionGrant",
        "oauth2PermissionGrants",
        &mut problems,
    );
    let graph_sp = sps["value"]
        .as_array()
        .expect("sps")
        .iter()
        .find(|sp| sp["appId"] == "00000003-0000-0000-c000-000000000000")
        .expect("graph sp")
        .clone();
    let (_, _, assigned) = graph_get(
        &tenant,
        &token,
        &format!(
            "/servicePrincipals/{}/appRoleAssignedTo",
            graph_sp["id"].as_str().expect("id")
        ),
    )
    .await;
    check_collection(
        &assigned,
        "appRoleAssignment",
        "appRoleAssignedTo",
        &mut problems,
    );
    let (_, _, licenses) =
        graph_get(&tenant, &token, "/users/admin@contoso.com/licenseDetails").await;
    check_collection(&licenses, "licenseDetails", "licenseDetails", &mut problems);
    let (_, _, policy) = graph_get(&tenant, &token, "/policies/authorizationPolicy").await;
    csdl.check(
        &policy,
        "authorizationPolicy",
        "authorizationPolicy",
        &mut problems,
    );
    let (_, _, request_policy) =
        graph_get(&tenant, &token, "/policies/adminConsentRequestPolicy").await;
    csdl.check(
        &request_policy,
        "adminConsentRequestPolicy",
        "adminConsentRequestPolicy",
        &mut problems,
    );
    let reader = delegated_token(
        &tenant,
        None,
        "https://graph.microsoft.com/ConsentRequest.Read.All",
    )
    .await;
    let reader = reader["access_token"].as_str().expect("token");
    let (_, _, requests) = graph_get(
        &tenant,
        reader,
        "/identityGovernance/appConsent/appConsentRequests?$expand=userConsentRequests",
    )
    .await;
    check_collection(
        &requests,
        "appConsentRequest",
        "appConsentRequests",
        &mut problems,
    );
    let (_, _, user) = graph_get(&tenant, &token, "/users/admin@contoso.com").await;
    csdl.check(&user, "user", "user", &mut problems);
    let (_, secret) = graph_send(
        &tenant,
        &token,
        Method::POST,
        &format!("/applications/{APP_OBJECT}/addPassword"),
        json!({"passwordCredential": {"displayName": "x", "endDateTime": "2099-01-01T00:00:00Z"}}),
    )
    .await;
    csdl.check(&secret, "passwordCredential", "addPassword", &mut problems);
    let app = app_token(&tenant, APP, SECRET).await;
    let (_, _, calendar) = graph_get(&tenant, &app, "/users/admin@contoso.com/calendar").await;
    csdl.check(&calendar, "calendar", "calendar", &mut problems);
    for path in ["events", "calendar/events"] {
        let (_, _, events) =
            graph_get(&tenant, &app, &format!("/users/admin@contoso.com/{path}")).await;
        check_collection(&events, "event", path, &mut problems);
    }
    assert!(problems.is_empty(), "{problems:#?}");

    // Request bodies the stand-in reads: the properties exist too.
    for (ty, property) in [
        ("application", "displayName"),
        ("application", "signInAudience"),
        ("application", "web"),
        ("application", "spa"),
        ("application", "publicClient"),
        ("application", "requiredResourceAccess"),
        ("application", "isFallbackPublicClient"),
        ("application", "identifierUris"),
        ("servicePrincipal", "appId"),
        ("appRoleAssignment", "principalId"),
        ("appRoleAssignment", "resourceId"),
        ("appRoleAssignment", "appRoleId"),
        ("oAuth2PermissionGrant", "clientId"),
        ("oAuth2PermissionGrant", "consentType"),
        ("oAuth2PermissionGrant", "principalId"),
        ("oAuth2PermissionGrant", "resourceId"),
        ("oAuth2PermissionGrant", "scope"),
        ("passwordCredential", "displayName"),
        ("passwordCredential", "endDateTime"),
        ("passwordCredential", "startDateTime"),
        ("passwordCredential", "keyId"),
        ("message", "subject"),
        ("message", "toRecipients"),
        ("message", "ccRecipients"),
        ("message", "bccRecipients"),
        ("recipient", "emailAddress"),
        ("emailAddress", "address"),
    ] {
        assert!(csdl.property(ty, property).is_some(), "{ty}.{property}");
    }
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().expect("object").keys().cloned().collect()
}

fn recordings() -> Vec<Value> {
    let dir = conformance_dir().join("recordings/azure-sdk-for-go");
    let mut entries = Vec::new();
    for path in [
        dir.join("TestClientSecretCredential_InvalidSecretLive.json"),
        dir.join("TestClientSecretCredential_Live/default_options.json"),
    ] {
        let recording: Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("recording")).expect("json");
        entries.extend(
            recording["Entries"]
                .as_array()
                .expect("entries")
                .iter()
                .cloned(),
        );
    }
    entries
}

#[tokio::test]
async fn discovery_has_every_field_of_the_real_documents() {
    let tenant = start(scenario_with(|_| {})).await;
    let login = &tenant.endpoints().login;
    let ours: Value = http()
        .get(format!(
            "{login}/{TENANT}/v2.0/.well-known/openid-configuration"
        ))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let common: Value = http()
        .get(format!(
            "{login}/common/v2.0/.well-known/openid-configuration"
        ))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let mut real = Vec::new();
    for name in [
        "entra-common.metadata.json",
        "entra-organizations.metadata.json",
    ] {
        real.push(
            serde_json::from_str::<Value>(
                &std::fs::read_to_string(conformance_dir().join("oidc").join(name)).expect("doc"),
            )
            .expect("json"),
        );
    }
    for entry in recordings() {
        if entry["RequestUri"]
            .as_str()
            .unwrap_or_default()
            .ends_with("openid-configuration")
        {
            real.push(entry["ResponseBody"].clone());
        }
    }
    for doc in &real {
        for key in keys(doc) {
            assert!(ours.get(&key).is_some(), "tenant document lacks {key}");
            assert!(common.get(&key).is_some(), "common document lacks {key}");
        }
        assert_eq!(ours["claims_supported"], doc["claims_supported"]);
    }
    let jwks: Value = serde_json::from_str(
        &std::fs::read_to_string(conformance_dir().join("oidc/entra-common.jwks.json"))
            .expect("jwks"),
    )
    .expect("json");
    let our_jwks: Value = http()
        .get(ours["jwks_uri"].as_str().expect("uri"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(keys(&our_jwks["keys"][0]), keys(&jwks["keys"][0]));
}

#[tokio::test]
async fn token_answers_have_the_recorded_field_sets_and_headers() {
    let tenant = start(scenario_with(|_| {})).await;
    let mut success = None;
    let mut failure = None;
    for entry in recordings() {
        if entry["RequestUri"]
            .as_str()
            .unwrap_or_default()
            .ends_with("/oauth2/v2.0/token")
        {
            if entry["StatusCode"] == 200 {
                success = Some(entry)
            } else {
                failure = Some(entry)
            }
        }
    }
    let (success, failure) = (
        success.expect("recorded success"),
        failure.expect("recorded failure"),
    );
    let url = format!("{}/{TENANT}/oauth2/v2.0/token", tenant.endpoints().login);
    let ok = http()
        .post(&url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("client_secret", SECRET),
            ("scope", GRAPH_DEFAULT),
        ])
        .send()
        .await
        .expect("ok");
    assert_eq!(ok.status().as_u16(), 200);
    let headers = ok.headers().clone();
    assert_eq!(
        keys(&ok.json::<Value>().await.expect("json")),
        keys(&success["ResponseBody"])
    );
    let bad = http()
        .post(&url)
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", APP),
            ("client_secret", "wrong"),
            ("scope", GRAPH_DEFAULT),
        ])
        .send()
        .await
        .expect("bad");
    assert_eq!(
        bad.status().as_u16(),
        failure["StatusCode"].as_u64().expect("status") as u16
    );
    let body: Value = bad.json().await.expect("json");
    assert_eq!(keys(&body), keys(&failure["ResponseBody"]));
    assert_eq!(body["error"], failure["ResponseBody"]["error"]);
    assert_eq!(body["error_codes"], failure["ResponseBody"]["error_codes"]);
    for (name, value) in success["ResponseHeaders"].as_object().expect("headers") {
        if [
            "Cache-Control",
            "Pragma",
            "Expires",
            "Content-Type",
            "P3P",
            "X-Content-Type-Options",
            "Strict-Transport-Security",
        ]
        .contains(&name.as_str())
        {
            assert_eq!(
                headers[name.as_str()].to_str().expect("header"),
                value.as_str().expect("value"),
                "{name}"
            );
        }
    }
}

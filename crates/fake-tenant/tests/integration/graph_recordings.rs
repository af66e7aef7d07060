//! Microsoft's own recorded Graph v1.0 answers replayed against the stand-in: the exchanges Azure CLI's
//! `az ad app / sp / user` suites and Azure PowerShell's `New-AzADApplication` suite recorded against a
//! real tenant (shared/conformance/recordings/{azure-cli,azure-powershell}).
//!
//! Each recording is replayed in order against a fresh stand-in whose scenario holds what the recording's
//! tenant held before it ran (its users, the Windows Azure Service Management API it asks permissions
//! of). IDs the real tenant gave out are mapped to those the stand-in gives out as the answers come
//! (`id`, `appId`, `keyId`), so later requests name the stand-in's objects. For every request of a kind
//! the stand-in serves, the stand-in must answer the recorded status, the recorded `@odata.context`, and
//! every property the recorded answer carries with the same JSON type (values may differ: Microsoft's test
//! suites redacted some, and the objects are not the same ones), down through nested objects and the items
//! of lists of objects.
//!
//! What the stand-in still lacks is listed in [`KNOWN_GAPS`] with the reason; the test fails on any other
//! difference, and on a listed gap that no longer shows (so that the list stays true). Requests of kinds
//! the stand-in does not serve are skipped for a stated reason ([`skip_reason`]). Run with
//! `--nocapture` to see what each recording covers.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use entra_fake_tenant::{FakeTenant, Scenario};
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

/// The tenant Microsoft's suites recorded in.
const RECORDED_TENANT: &str = "54826b22-38d6-4fb2-bad9-b7b93a3e9c5a";
/// The Microsoft Graph service principal's ID in that tenant (its answers were not recorded).
const RECORDED_GRAPH_SP: &str = "a3efc889-f1b7-4532-9e01-91e32d1039f4";

/// Recorded properties the stand-in does not carry (key: the entity set of the recorded answer's
/// context, then the property path, `[]` for the items of a list), each with the reason.
const KNOWN_GAPS: &[(&str, &str)] = &[
    (
        "servicePrincipals.createdDateTime",
        "recorded in 2022; Microsoft's current v1.0 metadata no longer declares it on servicePrincipal, \
         and the stand-in serves only what that metadata declares (conformance test)",
    ),
    (
        "servicePrincipals.oauth2PermissionScopes[]",
        "the Windows Azure Service Management API's own delegated permission (user_impersonation): the \
         stand-in publishes permissions only for Microsoft Graph and Office 365 Exchange Online",
    ),
    (
        "servicePrincipals.passwordCredentials[]",
        "secrets of an enterprise application (`servicePrincipals/{id}/addPassword`) are not served: the \
         wizard only adds secrets to app registrations",
    ),
];

/// Why a recorded request is not replayed, or `None` when the stand-in serves its kind.
fn skip_reason(method: &str, url: &str) -> Option<&'static str> {
    let path = url.split('?').next().unwrap_or(url);
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    if path.starts_with("/beta/") {
        return Some("Graph beta (federated identity credentials): not served");
    }
    if path.starts_with("/v1.0/directory/deletedItems") {
        return Some("deleted items: the stand-in deletes at once, with no recycle bin");
    }
    if path.contains("/owners") {
        return Some("owners of an application or service principal: not served");
    }
    if path.starts_with("/v1.0/groups") || path.ends_with("/memberOf") {
        return Some("groups and memberships: not served");
    }
    if path.starts_with("/v1.0/users") && method != "GET" {
        return Some("users are made by the scenario, not written through Graph");
    }
    if query.contains("$skiptoken") {
        return Some("a page token Microsoft issued: only the stand-in's own tokens page");
    }
    if path.starts_with("/v1.0/servicePrincipals/")
        && (path.ends_with("/addPassword") || path.ends_with("/removePassword"))
    {
        return Some("secrets of an enterprise application: not served");
    }
    None
}

/// One recorded exchange.
struct Exchange {
    method: String,
    /// Path and query on Graph (`/v1.0/...`), as recorded.
    url: String,
    request_body: Value,
    status: u16,
    response_body: Value,
}

fn recordings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/recordings")
}

/// The recordings of Graph traffic, by name (`azure-cli/test_app_credential`).
fn recordings() -> Vec<(String, Vec<Exchange>)> {
    let mut all = Vec::new();
    for folder in ["azure-cli", "azure-powershell"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(recordings_dir().join(folder))
            .expect("recordings folder")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "jsonl"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("recording");
            let exchanges = text
                .lines()
                .filter(|line| !line.trim().is_empty())
                .map(|line| {
                    let record: Value = serde_json::from_str(line).expect("json line");
                    let url = record["url"].as_str().expect("url");
                    Exchange {
                        method: record["method"].as_str().expect("method").to_owned(),
                        url: url
                            .strip_prefix("https://graph.microsoft.com")
                            .unwrap_or(url)
                            .to_owned(),
                        request_body: record["request_body"].clone(),
                        status: u16::try_from(record["status"].as_u64().expect("status"))
                            .expect("status"),
                        response_body: record["response_body"].clone(),
                    }
                })
                .collect();
            let name = format!(
                "{folder}/{}",
                file.file_stem().and_then(|s| s.to_str()).expect("name")
            );
            all.push((name, exchanges));
        }
    }
    all
}

/// The recording's tenant as it stood before the suites ran: an administrator who signs in, the users
/// the suites read, and the first-party API `az ad app permission` asks permissions of.
fn recorded_tenant() -> Scenario {
    let user = |id: &str, upn: &str, name: &str, admin: bool| {
        json!({"id": id, "upn": upn, "display_name": name, "admin": admin, "account_enabled": true,
               "mailbox": "none", "exchange_license": false, "smtp_auth": null})
    };
    let scenario = json!({
        "tenants": [{
            "id": RECORDED_TENANT,
            "display_name": "AzureSDKTeam",
            "domains": ["AzureSDKTeam.onmicrosoft.com", "example.com"],
            "cloud": "global",
            "smtp_auth_enabled": true,
            "user_consent": "legacy",
            "admin_consent_workflow": false,
            "secret_max_lifetime_days": null,
            "users": [
                user("aaaaaaaa-0000-0000-0000-0000000000ad", "admin@AzureSDKTeam.onmicrosoft.com", "Azure SDK Admin", true),
                user("6d97229a-391f-473a-893f-f0608b592d7b", "example@example.com", "rolelivetest", false),
                user("fa98168f-9f6c-49d2-b275-b2dab9a3966a", "graphusertest000001@AzureSDKTeam.onmicrosoft.com", "graphusertest000001", false),
            ],
            "applications": [],
            "vendor_apps": [{
                "app_id": "797f4846-ba00-4fd7-ba43-dac1f8f63013",
                "object_id": "bbbbbbbb-0000-0000-0000-0000000000aa",
                "display_name": "Windows Azure Service Management API",
                "sign_in_audience": "AzureADMultipleOrgs",
                "web_redirect_uris": ["https://management.core.windows.net/"],
                "spa_redirect_uris": [],
                "public_client_redirect_uris": [],
                "allow_public_client_flows": false,
                "enabled": true,
                "permissions": {"delegated": [], "application": []},
                "service_principal": true,
                "consented": {"delegated": [], "application": []},
                "publisher_tenant_id": "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
            }]
        }],
        "sign_in": {"as": "admin@AzureSDKTeam.onmicrosoft.com"},
    });
    Scenario::from_json(&scenario.to_string()).expect("valid scenario")
}

/// The JSON type of a value, as compared.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The entity set (or type) a context names: `…$metadata#servicePrincipals/$entity` → `servicePrincipals`.
fn context_set(context: &str) -> String {
    let fragment = context.split_once('#').map_or(context, |(_, f)| f);
    fragment
        .split(['/', '('])
        .next()
        .unwrap_or(fragment)
        .to_owned()
}

/// One recording being replayed.
struct Replay<'a> {
    tenant: &'a FakeTenant,
    token: String,
    /// The comparison of the answers so far.
    answers: Answers,
    /// Kinds of request replayed, with counts.
    covered: BTreeMap<String, usize>,
    /// Kinds of request skipped, with the reason and counts.
    skipped: BTreeMap<String, (&'static str, usize)>,
}

/// Recorded answers compared with the stand-in's, and the IDs learnt from them.
#[derive(Default)]
struct Answers {
    /// Recorded IDs → the stand-in's.
    ids: HashMap<String, String>,
    /// Differences: gap key → where it showed.
    problems: BTreeMap<String, Vec<String>>,
}

impl Answers {
    /// A recorded text with the IDs the stand-in gave in their place.
    fn rewrite(&self, text: &str) -> String {
        let mut keys: Vec<&String> = self.ids.keys().collect();
        keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
        let mut text = text.to_owned();
        for key in keys {
            text = text.replace(key.as_str(), &self.ids[key]);
        }
        text
    }

    /// Learns the IDs of the stand-in's objects from an answer paired with the recorded one.
    fn learn(&mut self, recorded: &Value, actual: &Value) {
        match (recorded, actual) {
            (Value::Object(recorded), Value::Object(actual)) => {
                for key in ["id", "appId", "keyId"] {
                    if let (Some(Value::String(r)), Some(Value::String(a))) =
                        (recorded.get(key), actual.get(key))
                    {
                        self.ids.entry(r.clone()).or_insert_with(|| a.clone());
                    }
                }
                for (key, value) in recorded {
                    if let Some(other) = actual.get(key) {
                        self.learn(value, other);
                    }
                }
            }
            (Value::Array(recorded), Value::Array(actual)) if recorded.len() == actual.len() => {
                for (r, a) in recorded.iter().zip(actual) {
                    self.learn(r, a);
                }
            }
            _ => {}
        }
    }

    fn problem(&mut self, key: String, at: String) {
        self.problems.entry(key).or_default().push(at);
    }

    /// Compares a recorded value with the stand-in's: same JSON type, every recorded property there.
    fn compare(&mut self, set: &str, path: &str, recorded: &Value, actual: &Value, at: &str) {
        if kind(recorded) != kind(actual) {
            self.problem(
                format!("{set}{path}"),
                format!(
                    "{at}: recorded {} ({recorded}), stand-in {} ({actual})",
                    kind(recorded),
                    kind(actual)
                ),
            );
            return;
        }
        match (recorded, actual) {
            (Value::Object(recorded), Value::Object(actual)) => {
                for (key, value) in recorded {
                    if key == "@odata.nextLink" {
                        continue;
                    }
                    let inner = if path.is_empty() && key == "value" {
                        String::new()
                    } else {
                        format!("{path}.{key}")
                    };
                    match actual.get(key) {
                        None => self.problem(format!("{set}{inner}"), format!("{at}: missing")),
                        Some(other) if key == "@odata.context" => {
                            let expected = self.rewrite(value.as_str().unwrap_or_default());
                            if other.as_str() != Some(expected.as_str()) {
                                self.problem(
                                    format!("{set}.@odata.context"),
                                    format!("{at}: recorded {expected}, stand-in {other}"),
                                );
                            }
                        }
                        Some(other) => self.compare(set, &inner, value, other, at),
                    }
                }
            }
            (Value::Array(recorded), Value::Array(actual)) => {
                // Lists of values may hold other values; lists of objects are compared item by item.
                if !recorded.iter().any(Value::is_object) {
                    if !recorded.is_empty() && actual.is_empty() {
                        self.problem(format!("{set}{path}[]"), format!("{at}: no items"));
                    }
                    return;
                }
                // The items of a collection answer are compared as the entity they are.
                let items = if path.is_empty() {
                    String::new()
                } else {
                    format!("{path}[]")
                };
                for (index, item) in recorded.iter().enumerate() {
                    let Some(other) = self.counterpart(item, actual, index) else {
                        self.problem(format!("{set}{path}[]"), format!("{at}: no items"));
                        return;
                    };
                    let other = other.clone();
                    self.compare(set, &items, item, &other, at);
                }
            }
            _ => {}
        }
    }

    /// The stand-in's item for a recorded one: the one with the same (mapped) `keyId` or `id`, else the
    /// one at the same place, else the first.
    fn counterpart<'v>(
        &self,
        item: &Value,
        actual: &'v [Value],
        index: usize,
    ) -> Option<&'v Value> {
        for key in ["keyId", "id"] {
            if let Some(recorded) = item.get(key).and_then(Value::as_str) {
                let mapped = self.ids.get(recorded).map_or(recorded, String::as_str);
                if let Some(found) = actual
                    .iter()
                    .find(|a| a.get(key).and_then(Value::as_str) == Some(mapped))
                {
                    return Some(found);
                }
            }
        }
        actual.get(index).or_else(|| actual.first())
    }
}

impl Replay<'_> {
    /// Replays one recorded exchange.
    async fn replay(&mut self, name: &str, index: usize, exchange: &Exchange) {
        let label = request_label(&exchange.method, &exchange.url);
        if let Some(reason) = skip_reason(&exchange.method, &exchange.url) {
            self.skipped.entry(label).or_insert((reason, 0)).1 += 1;
            return;
        }
        *self.covered.entry(label.clone()).or_default() += 1;
        let url = format!(
            "{}{}",
            self.tenant.endpoints().graph,
            self.answers.rewrite(&exchange.url)
        );
        let method = Method::from_bytes(exchange.method.as_bytes()).expect("method");
        let mut request = http().request(method, url).bearer_auth(&self.token);
        if !exchange.request_body.is_null() {
            let body = self.answers.rewrite(&exchange.request_body.to_string());
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.expect("send");
        let status = response.status().as_u16();
        let text = response.text().await.expect("text");
        let at = format!("{name}#{index} {label}");
        if status != exchange.status {
            self.answers.problem(
                format!("status of {label}"),
                format!(
                    "{at}: recorded {}, stand-in {status}: {text}",
                    exchange.status
                ),
            );
            return;
        }
        if !exchange.response_body.is_object() {
            return;
        }
        let actual: Value = match serde_json::from_str(&text) {
            Ok(actual) => actual,
            Err(_) => {
                self.answers
                    .problem(format!("body of {label}"), format!("{at}: {text}"));
                return;
            }
        };
        self.answers.learn(&exchange.response_body, &actual);
        let set = exchange.response_body["@odata.context"]
            .as_str()
            .map_or_else(|| "error".to_owned(), context_set);
        self.answers
            .compare(&set, "", &exchange.response_body, &actual, &at);
    }
}

/// A request's kind: method, path with its IDs as `{id}`, and the names of its query parameters.
fn request_label(method: &str, url: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let path = path
        .split('/')
        .map(|segment| {
            let id_like = segment.len() >= 30
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && segment.chars().any(|c| c.is_ascii_digit());
            if id_like || segment.contains('@') {
                "{id}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let mut names: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split('=').next().unwrap_or(p).to_owned())
        .collect();
    if query.contains("startswith(") {
        names.push("startswith".to_owned());
    } else if query.contains("/any(") {
        names.push("any".to_owned());
    } else if query.contains("$filter") {
        names.push("eq".to_owned());
    }
    if names.is_empty() {
        format!("{method} {path}")
    } else {
        format!("{method} {path}?{}", names.join(","))
    }
}

#[tokio::test]
async fn the_stand_in_answers_as_microsoft_answered_in_the_recorded_graph_traffic() {
    let recordings = recordings();
    assert!(
        recordings.len() >= 12,
        "Azure CLI's and Azure PowerShell's recordings are there"
    );
    let mut all_problems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut report = Vec::new();
    let mut kinds = BTreeSet::new();
    for (name, exchanges) in &recordings {
        let tenant = start(recorded_tenant()).await;
        let token = admin_token(&tenant).await;
        let (status, _, graph_sp) = graph_get(
            &tenant,
            &token,
            "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=id",
        )
        .await;
        assert_eq!(status, 200, "{graph_sp}");
        let mut replay = Replay {
            tenant: &tenant,
            token,
            answers: Answers {
                ids: HashMap::from([(
                    RECORDED_GRAPH_SP.to_owned(),
                    graph_sp["id"].as_str().expect("id").to_owned(),
                )]),
                problems: BTreeMap::new(),
            },
            covered: BTreeMap::new(),
            skipped: BTreeMap::new(),
        };
        for (index, exchange) in exchanges.iter().enumerate() {
            replay.replay(name, index, exchange).await;
        }
        kinds.extend(replay.covered.keys().cloned());
        report.push(format!("{name}:"));
        for (label, count) in &replay.covered {
            report.push(format!("  replayed {count:>2} × {label}"));
        }
        for (label, (reason, count)) in &replay.skipped {
            report.push(format!("  skipped  {count:>2} × {label} — {reason}"));
        }
        for (key, places) in &replay.answers.problems {
            report.push(format!("  lacks    {key} ({} answers)", places.len()));
        }
        for (key, places) in replay.answers.problems {
            all_problems.entry(key).or_default().extend(places);
        }
        tenant.shutdown().await;
    }
    eprintln!("{}", report.join("\n"));
    for kind in [
        "POST /v1.0/applications",
        "GET /v1.0/applications/{id}",
        "GET /v1.0/applications/{id}?$select",
        "GET /v1.0/applications?$filter,eq",
        "GET /v1.0/applications?$filter,$select,eq",
        "GET /v1.0/applications?$filter,startswith",
        "PATCH /v1.0/applications/{id}",
        "DELETE /v1.0/applications/{id}",
        "POST /v1.0/applications/{id}/addPassword",
        "POST /v1.0/applications/{id}/removePassword",
        "POST /v1.0/applications/{id}/microsoft.graph.addPassword",
        "POST /v1.0/applications/{id}/microsoft.graph.removePassword",
        "POST /v1.0/servicePrincipals",
        "GET /v1.0/servicePrincipals/{id}",
        "GET /v1.0/servicePrincipals?$filter,any",
        "GET /v1.0/servicePrincipals?$filter,eq",
        "DELETE /v1.0/servicePrincipals/{id}",
        "GET /v1.0/oauth2PermissionGrants?$filter,eq",
        "POST /v1.0/oauth2PermissionGrants",
        "DELETE /v1.0/oAuth2PermissionGrants/{id}",
        "GET /v1.0/users/{id}",
        "GET /v1.0/users",
    ] {
        assert!(kinds.contains(kind), "{kind} is replayed: {kinds:#?}");
    }

    let known: BTreeSet<&str> = KNOWN_GAPS.iter().map(|(key, _)| *key).collect();
    let unexpected: BTreeMap<&String, &Vec<String>> = all_problems
        .iter()
        .filter(|(key, _)| !known.contains(key.as_str()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "the stand-in differs from Microsoft's recorded answers: {unexpected:#?}"
    );
    let stale: Vec<&str> = known
        .iter()
        .filter(|key| !all_problems.contains_key(**key))
        .copied()
        .collect();
    assert!(
        stale.is_empty(),
        "listed as lacking but no longer lacking (remove from KNOWN_GAPS): {stale:?}"
    );
}

#[test]
fn requests_are_labelled_by_kind_and_skipped_only_for_a_reason() {
    assert_eq!(
        request_label(
            "GET",
            "/v1.0/applications?$filter=appId%20eq%20'e4831392-6aec-4375-9d52-7d4101d912f0'"
        ),
        "GET /v1.0/applications?$filter,eq"
    );
    assert_eq!(
        request_label(
            "POST",
            "/v1.0/applications/765eb0e3-acb3-475d-9a98-ee6892f081c8/addPassword"
        ),
        "POST /v1.0/applications/{id}/addPassword"
    );
    assert_eq!(
        request_label(
            "DELETE",
            "/v1.0/oAuth2PermissionGrants/35MyBBmbqkaWL2X5V9e8yInI76O38TJFngGR4y0QOfQ"
        ),
        "DELETE /v1.0/oAuth2PermissionGrants/{id}"
    );
    assert_eq!(
        request_label("GET", "/v1.0/users/example@example.com"),
        "GET /v1.0/users/{id}"
    );
    assert!(skip_reason("GET", "/v1.0/applications").is_none());
    assert!(skip_reason("GET", "/v1.0/users/example@example.com").is_none());
    assert!(skip_reason("POST", "/v1.0/users").is_some());
    assert!(skip_reason("GET", "/beta/applications/x/federatedIdentityCredentials").is_some());
    assert!(skip_reason("GET", "/v1.0/users?$skiptoken=RFNwdAIAAQ").is_some());
    assert_eq!(
        context_set("https://graph.microsoft.com/v1.0/$metadata#applications(id)/$entity"),
        "applications"
    );
}

#[test]
fn answers_differ_by_a_missing_property_or_another_json_type_not_by_value() {
    let mut answers = Answers::default();
    let recorded = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications",
        "value": [{
            "id": "recorded-id-0000000000000000000000", "displayName": "redacted", "notes": null,
            "web": {"homePageUrl": "https://a.example", "implicitGrantSettings": {"enableIdTokenIssuance": true}},
            "appRoles": [{"id": "r", "origin": "Application"}],
            "identifierUris": ["api://x"],
        }]
    });
    let actual = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications",
        "value": [{
            "id": "stand-in-id", "displayName": "Other name", "notes": "written",
            "web": {"homePageUrl": "https://b.example"},
            "appRoles": [{"id": "r"}],
            "identifierUris": [],
        }]
    });
    answers.learn(&recorded, &actual);
    assert_eq!(
        answers
            .ids
            .get("recorded-id-0000000000000000000000")
            .map(String::as_str),
        Some("stand-in-id")
    );
    answers.compare("applications", "", &recorded, &actual, "here");
    let keys: Vec<&str> = answers.problems.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "applications.appRoles[].origin",
            "applications.identifierUris[]",
            "applications.notes",
            "applications.web.implicitGrantSettings",
        ]
    );
    let mut answers = Answers::default();
    let context = |set: &str| json!({"@odata.context": format!("https://graph.microsoft.com/v1.0/$metadata#{set}")});
    answers.compare(
        "users",
        "",
        &context("users/$entity"),
        &context("users(id)/$entity"),
        "here",
    );
    assert_eq!(
        answers.problems.keys().collect::<Vec<_>>(),
        ["users.@odata.context"]
    );
}

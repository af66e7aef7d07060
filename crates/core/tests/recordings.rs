//! The core against real recorded Microsoft traffic (`shared/conformance/recordings/`: Azure CLI's
//! and Azure PowerShell's Graph recordings, the Azure SDKs' identity recordings).
//!
//! Two questions, for every endpoint the core reads or writes:
//!
//! 1. **Answers.** Each recorded answer is served, as recorded, to the core's own request function
//!    by a loopback server (`recordings/wire.rs`), so it goes through the exact parsing the core
//!    does at run time; and what the core then decides from it is asserted (a secret's expiry, the
//!    redirect URIs and audience, the consented scopes, the cause of an error, the tenant's GUID).
//! 2. **Requests.** What the core sends is observed, not re-typed: the core runs its real flows
//!    (device-code sign-in, refresh, `register`, rotate and remove a secret) against the stand-in
//!    through a capturing proxy, and each request is compared with the recorded requests of the
//!    same endpoint — same method, same path with ids replaced, every body property one the
//!    recordings carry with the same JSON type (a form's fields among the recorded fields).
//!
//! | endpoint the core uses | recordings (file:line) | what is asserted |
//! |---|---|---|
//! | `GET /applications(appId='…')` (checks, repairs) | every application Graph answered: `azure-cli/*` `GET /applications/{id}` and `POST /applications` answers, `azure-powershell/Application.Recording.jsonl:1,8,10` | parses as `Application` through `application_by_app_id`; redirect URIs per platform, `signInAudience`, `requiredResourceAccess` and `passwordCredentials` equal the recorded JSON; `judge_redirect_uri`, `judge_account_type`, `api_permissions::configured` (`test_app_scenario.jsonl:2`, `Application.Recording.jsonl:1,8`); the request is addressed by alternate key, the recordings by object id or `$filter=appId eq` (same entity) |
//! | `passwordCredentials` of an application | `test_app_credential.jsonl:7,23` (a `null` `displayName`), `Application.Recording.jsonl:10` (7 fractional digits) | `judge_secret_expiry`: warns 17 days before the recorded end, fails after it, passes long before; the `hint` picks the secret; exact nanoseconds kept |
//! | `GET /applications` (reminders scan) | `test_app_credential.jsonl:6`, `test_app_scenario.jsonl:3` (collections) | `reminders::scan` lists the recorded secret and certificate with their days left |
//! | `GET /servicePrincipals(appId='00000003-…')` (permission catalogue) | the recorded Graph service principal bodies are not kept (`test_app_permission*.jsonl` lines 1–2 hold `null`); `conformance/graph-service-principal/microsoft-graph-2023-02.json` is that answer (337 roles, 403 scopes) | parses through `graph_permissions`; every recorded id ↔ value resolves both ways in `PermissionCatalog`; `type` `Admin`/`User` gives `scope_needs_admin` |
//! | `GET /servicePrincipals(appId='…')` | every service principal Graph answered (`GET /servicePrincipals/{id}`, `$filter=servicePrincipalNames/any(…)` lists, `POST` answers); `test_service_principal_scenario.jsonl:16` (404) | each parses through `service_principal_by_app_id` with its id; a missing enterprise app is `NotFound` (`Request_ResourceNotFound`); the recordings address it by object id or `$filter` |
//! | `GET /oauth2PermissionGrants?$filter=clientId eq '…'` | `test_app_permission_grant.jsonl:15,18,29` | parses through `grants_for_client` and `admin_grants_for_client`; consented scopes; `judge_admin_consent` passes / names the missing scope; the checks' `$filter` equals the recorded one, the repairs' adds `and consentType eq 'AllPrincipals'` |
//! | `GET /users/{upn}` | `test_app_owner.jsonl:1`, `test_user_scenario.jsonl:3` | parses through `user`; `judge_mailbox` fails `mailbox_unavailable` (no mail, no licence) |
//! | Graph error bodies | `test_app_scenario.jsonl:6,24,26`, `test_service_principal_scenario.jsonl:16,18,20` | `Request_ResourceNotFound` → `object_not_found` (`cause_for_app`, `WriteError`, `diagnose`) |
//! | `PATCH /applications(uniqueName='…')` + `Prefer: create-if-missing` (create) | `POST /applications`: `test_app_scenario.jsonl:2`, `Application.Recording.jsonl:1`, … | the recordings create with `POST /applications`; the core upserts (idempotent) — the body's properties and types are compared with the recorded create bodies (and the application as Graph answers it); a recorded `201` parses as `Upserted::Created` |
//! | `PATCH /applications/{id}` | `test_app_permission.jsonl`, `test_app_permission_grant.jsonl`, `test_app_scenario.jsonl`, `Application.Recording.jsonl:6` | same method and path; body properties and types; `204` accepted |
//! | `POST /applications/{id}/addPassword` | `test_app_credential.jsonl:5,10,21,27`, `test_app_permission.jsonl:8`, `test_app_permission_grant.jsonl:6`, `Application.Recording.jsonl:2,9` (`microsoft.graph.addPassword`); the answers of `test_sp_credential.jsonl:7,12,23,29` (a service principal's, same type) | same method and path; body shape; every recorded answer gives key id, hint, end date and value |
//! | `POST /applications/{id}/removePassword` | `test_app_credential.jsonl:15,20,26`, `Application.Recording.jsonl:11` | same method, path and body shape; `204` accepted |
//! | `POST /servicePrincipals` | `test_app_permission.jsonl:9`, `test_app_permission_grant.jsonl:7`, `test_service_principal_scenario.jsonl:4`, `test_sp_credential.jsonl:4`, `test_sp_owner.jsonl:4` | same method, path, body shape (`appId`); every answer parses as `ServicePrincipal` |
//! | `POST /oauth2PermissionGrants` | `test_app_permission_grant.jsonl:16,27` | same method, path, body shape; `201` accepted |
//! | `PATCH /oauth2PermissionGrants/{id}` | none: Azure CLI deletes and re-creates a grant | — |
//! | `POST /servicePrincipals/{id}/appRoleAssignedTo`, `GET …/appRoleAssignments` | none recorded | — |
//! | `GET /policies/*`, `GET …/appManagementPolicies`, `identityGovernance/appConsent/*`, `GET /users/{id}/licenseDetails`, calendar events, `POST /me/sendMail` | none recorded | — |
//! | `GET /{tenant}/v2.0/.well-known/openid-configuration` | every recorded discovery document (Go, JS, Python SDKs) | parses through `discover`; a GUID in `issuer`/`token_endpoint` becomes the tenant id, with cloud, endpoints and region; the sanitised ones (`fake-tenant`, `tenant`, `{tenantid}`) name no tenant and are refused as such; `tenant` check passes; `400 invalid_tenant` (`environmentcredential…jsonl:2`) → `tenant_not_found` |
//! | `POST /{tenant}/oauth2/v2.0/token`, client credentials | `TestClientSecretCredential_Live__default_options.jsonl:3`, `TestClientCertificateCredential_Regional.jsonl:2`; errors of the Go and .NET SDKs | token and `expires_in`; `client_secret` check passes; `7000215` → `secret_invalid`, `700027` → `certificate_assertion_invalid` (for a certificate that has not ended, `client_certificate` says `certificate_not_registered`); a certificate sends `client_assertion` and `client_assertion_type`, never `client_secret`. The recorded request bodies are sanitised (`{}`, `"Sanitized"`): method, path and the form content type (from the Go SDK's own recording) are compared |
//! | `POST /{tenant}/oauth2/v2.0/devicecode` + token polls | `cae__recording_devicecodecredential.jsonl:3–6` (JS, forms kept), `TestDeviceCodeCredential_Live__default_options.jsonl:3–5` | the prompt and the tokens; `authorization_pending` (`70016`) keeps polling; the core's form fields are among MSAL.js's; its `grant_type` is RFC 8628's URN where MSAL.js sends `device_code` (Microsoft takes both) |
//! | `POST /{tenant}/oauth2/v2.0/token`, refresh | `cae__recording_devicecodecredential.jsonl:8` (form kept); `50173` in `test_cae.*.jsonl` | tokens; form fields among MSAL.js's; `50173` → `token_invalid` |
//! | token answers of other grants (password, on-behalf-of, certificate) | Python, .NET and Go SDK recordings | each parses with the core's token answer (access and refresh token, `expires_in`) |
//! | the claims of a token (`TokenClaims::read`) | the ID tokens of every recorded token answer (the access tokens are redacted) | `tid` and `aud` read as the JWT holds them |
//! | `POST /{tenant}/oauth2/v2.0/token`, authorization code + PKCE | `TestAuthorizationCodeCredential_*InvalidCodeLive.jsonl:3` (`54005`, bodies sanitised) | the error parses; `54005` (code already redeemed) has no cause of its own. The browser flow itself is not driven here |
//! | instance discovery, `userrealm` | many | not used by the core |
//! | Azure Resource Manager (`management.azure.com`), `me/revokeSignInSessions` | JS and Python SDKs | not used by the core |

#[path = "recordings/exchanges.rs"]
mod exchanges;
mod support;
#[path = "recordings/wire.rs"]
mod wire;

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use entra_setup_core::cause::Cause;
use entra_setup_core::diagnose::diagnose;
use entra_setup_core::endpoints::{Cloud, Endpoints};
use entra_setup_core::fix::{self, Patience, RegistrationInputs, RepairSession, SecretRequest};
use entra_setup_core::graph::applications::{Application, application_by_app_id};
use entra_setup_core::graph::bodies::ApplicationBody;
use entra_setup_core::graph::grants::grants_for_client;
use entra_setup_core::graph::service_principals::{
    ResourcePermissions, ServicePrincipal, graph_permissions, service_principal_by_app_id,
};
use entra_setup_core::graph::write::{self, Upserted, WriteError};
use entra_setup_core::graph::{
    GraphError, PermissionCatalog, PermissionKind, ReadError, Reader, users,
};
use entra_setup_core::http::{Http, RetryPolicy};
use entra_setup_core::identity::{
    self, AadError, DevicePrompt, DiscoveryError, SignInError, TokenError,
};
use entra_setup_core::profile::{AccountType, Catalog, Permissions, ProfileKind, RedirectPlatform};
use entra_setup_core::reminders::{self, CredentialKind};
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::checks::{
    api_permissions, app_credentials, consent, mailbox, registration, secret_expiry, tenant,
};
use entra_setup_core::verify::{Context, Status};
use serde_json::{Value, json};

use exchanges::{Exchange, misfits_any, pattern};
use wire::{Reply, Sent, Wire};

/// The Microsoft Graph service principal's object ID in the tenant Azure CLI recorded in (the
/// `resourceId` of its recorded grants).
const RECORDED_GRAPH_SP: &str = "a3efc889-f1b7-4532-9e01-91e32d1039f4";

fn recorded() -> &'static [Exchange] {
    static ALL: OnceLock<Vec<Exchange>> = OnceLock::new();
    ALL.get_or_init(exchanges::all)
}

fn at(file: &str, line: usize) -> Exchange {
    exchanges::at(recorded(), file, line)
}

fn http() -> Http {
    Http::new(RetryPolicy {
        backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    })
    .expect("http")
}

fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a time")
        .with_timezone(&Utc)
}

/// A loopback server answering with `replies`, and a Graph reader pointed at it.
struct Replayed {
    wire: Wire,
    http: Http,
    endpoints: Endpoints,
    token: Secret,
}

impl Replayed {
    async fn new(replies: Vec<Reply>) -> Replayed {
        let wire = Wire::replay(replies).await;
        let endpoints = wire.endpoints();
        Replayed {
            wire,
            http: http(),
            endpoints,
            token: Secret::new("recorded-admin-token"),
        }
    }

    fn reader(&self) -> Reader<'_> {
        Reader {
            http: &self.http,
            endpoints: &self.endpoints,
            token: &self.token,
        }
    }

    fn context(&self, now: DateTime<Utc>) -> Context {
        Context {
            http: self.http.clone(),
            endpoints: self.endpoints.clone(),
            now,
        }
    }

    fn sent(&self) -> Vec<Sent> {
        self.wire.sent()
    }
}

/// Is this recorded body an application as Graph answers it (with `appId`, which the core always
/// selects; PowerShell's `$select=Id` answers hold only `id`)?
fn is_application(body: &Value) -> bool {
    body.get("appId").is_some() && body.get("passwordCredentials").is_some()
}

/// Every application entity the recordings hold: answers to `GET /applications/{id}` and
/// `POST /applications`, and the items of `GET /applications` collections.
fn recorded_applications() -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for exchange in recorded() {
        if exchange.status >= 300 || !exchange.url.path().starts_with("/v1.0/applications") {
            continue;
        }
        let body = &exchange.response_body;
        if is_application(body) {
            found.push((exchange.at(), body.clone()));
        }
        for item in body
            .get("value")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if is_application(item) {
                found.push((exchange.at(), item.clone()));
            }
        }
    }
    found
}

fn uris(body: &Value, platform: &str) -> Vec<String> {
    body[platform]["redirectUris"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|u| u.as_str().expect("a URI").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn every_recorded_application_parses_as_the_core_reads_it() {
    let applications = recorded_applications();
    assert!(applications.len() > 50, "{}", applications.len());
    let replayed = Replayed::new(
        applications
            .iter()
            .map(|(_, body)| Reply::json(200, body))
            .collect(),
    )
    .await;
    for (place, body) in &applications {
        let app_id = body["appId"].as_str().expect("appId");
        let app: Application = application_by_app_id(&replayed.reader(), app_id)
            .await
            .unwrap_or_else(|e| panic!("{place}: {e}"));
        assert_eq!(app.id, body["id"].as_str().expect("id"), "{place}");
        assert_eq!(app.app_id, app_id, "{place}");
        assert_eq!(app.display_name.as_deref(), body["displayName"].as_str());
        assert_eq!(
            app.sign_in_audience.as_deref(),
            body["signInAudience"].as_str()
        );
        assert_eq!(app.web_uris(), uris(body, "web"), "{place}");
        assert_eq!(app.spa_uris(), uris(body, "spa"), "{place}");
        assert_eq!(
            app.public_client_uris(),
            uris(body, "publicClient"),
            "{place}"
        );
        let recorded_access = body["requiredResourceAccess"].as_array().expect("array");
        assert_eq!(app.required_resource_access.len(), recorded_access.len());
        for (ours, theirs) in app.required_resource_access.iter().zip(recorded_access) {
            assert_eq!(
                ours.resource_app_id,
                theirs["resourceAppId"].as_str().unwrap()
            );
            let kinds: Vec<(String, &str)> = ours
                .resource_access
                .iter()
                .map(|a| {
                    let kind = match a.kind {
                        PermissionKind::Scope => "Scope",
                        PermissionKind::Role => "Role",
                    };
                    (a.id.clone(), kind)
                })
                .collect();
            let recorded_kinds: Vec<(String, &str)> = theirs["resourceAccess"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    (
                        a["id"].as_str().unwrap().to_string(),
                        a["type"].as_str().unwrap(),
                    )
                })
                .collect();
            assert_eq!(kinds, recorded_kinds, "{place}");
        }
        let recorded_secrets = body["passwordCredentials"].as_array().expect("array");
        assert_eq!(app.password_credentials.len(), recorded_secrets.len());
        for (ours, theirs) in app.password_credentials.iter().zip(recorded_secrets) {
            assert_eq!(ours.key_id, theirs["keyId"].as_str().unwrap());
            assert_eq!(ours.hint.as_deref(), theirs["hint"].as_str());
            assert_eq!(ours.display_name.as_deref(), theirs["displayName"].as_str());
            assert_eq!(
                ours.end_date_time,
                theirs["endDateTime"].as_str().map(time),
                "{place}"
            );
            assert_eq!(
                ours.start_date_time,
                theirs["startDateTime"].as_str().map(time)
            );
        }
    }
    // Each request asked for exactly the properties the checks read, by the app ID.
    for sent in replayed.sent() {
        assert_eq!(sent.method, "GET");
        assert_eq!(pattern(sent.path()), "v1.0/applications(appId={id})");
        assert!(sent.query_value("$select").is_some(), "{}", sent.line());
    }
}

#[tokio::test]
async fn recorded_secrets_give_their_expiry() {
    // Azure CLI's `key1`, ending 2024-05-07T06:52:43Z, hint `yXo`.
    let with_key1 = at("azure-cli/test_app_credential.jsonl", 7);
    // A secret made with no description: Graph answers `"displayName": null`.
    let nameless = at("azure-cli/test_app_credential.jsonl", 23);
    // Two secrets made by PowerShell, times with 7 fractional digits.
    let powershell = at("azure-powershell/Application.Recording.jsonl", 10);
    let replayed = Replayed::new(
        [&with_key1, &nameless, &powershell]
            .into_iter()
            .map(Reply::recorded)
            .collect(),
    )
    .await;
    let reader = replayed.reader();
    let key1 = application_by_app_id(&reader, "afb85a07-e312-4d49-b75b-9db4e2d683cd")
        .await
        .expect("parses");
    let end = Utc.with_ymd_and_hms(2024, 5, 7, 6, 52, 43).unwrap();
    assert_eq!(key1.password_credentials[0].end_date_time, Some(end));
    let judge = |app: &Application, hint: Option<&str>, now: DateTime<Utc>| {
        secret_expiry::judge_secret_expiry(Cloud::Global, app, hint, now)
    };
    let soon = judge(&key1, Some("yXo"), end - chrono::Duration::days(17));
    assert_eq!(soon.status, Status::Warn, "{soon:#?}");
    assert_eq!(soon.cause, Some(Cause::SecretExpiringSoon));
    assert_eq!(soon.evidence["days_left"], 17);
    assert_eq!(soon.evidence["chosen_by"], "hint");
    assert_eq!(soon.evidence["display_name"], "key1");
    let ended = judge(&key1, Some("yXo"), end + chrono::Duration::seconds(1));
    assert_eq!(ended.status, Status::Fail);
    assert_eq!(ended.cause, Some(Cause::SecretExpired));
    let early = judge(&key1, None, end - chrono::Duration::days(365));
    assert_eq!(early.status, Status::Pass, "{early:#?}");
    assert_eq!(
        early.evidence["key_id"],
        "73c912d2-fd2d-42a0-b3ae-2e45d006b8bc"
    );

    let nameless = application_by_app_id(&reader, "afb85a07-e312-4d49-b75b-9db4e2d683cd")
        .await
        .expect("a null displayName parses");
    let secret = &nameless.password_credentials[0];
    assert_eq!(secret.display_name, None);
    assert_eq!(secret.hint.as_deref(), Some("hqY"));
    let long = judge(&nameless, Some("hqY"), time("2022-05-07T07:00:00Z"));
    assert_eq!(long.status, Status::Pass, "{long:#?}");
    assert_eq!(long.evidence["display_name"], Value::Null);

    let powershell = application_by_app_id(&reader, "8c3ed8d1-ddd6-4145-a377-2441ecdf3b42")
        .await
        .expect("7 fractional digits parse");
    let latest = judge(&powershell, None, time("2023-10-01T00:00:00Z"));
    assert_eq!(latest.status, Status::Warn, "{latest:#?}");
    assert_eq!(
        latest.evidence["key_id"],
        "36ac2c6c-1923-4e73-9f3d-784cf3be5557"
    );
    let ends: Vec<DateTime<Utc>> = powershell
        .password_credentials
        .iter()
        .filter_map(|s| s.end_date_time)
        .collect();
    assert_eq!(
        ends,
        [
            Utc.with_ymd_and_hms(2023, 10, 12, 9, 5, 37).unwrap()
                + chrono::Duration::nanoseconds(501_816_700),
            Utc.with_ymd_and_hms(2023, 10, 12, 9, 5, 29).unwrap()
                + chrono::Duration::nanoseconds(329_742_400),
        ]
    );
    // The hint of the older secret picks it even though another ends later.
    let by_hint = judge(&powershell, Some("yln"), time("2023-10-01T00:00:00Z"));
    assert_eq!(
        by_hint.evidence["key_id"],
        "3a299473-3d5a-4ab5-b9ea-1e173023719f"
    );
}

#[tokio::test]
async fn recorded_application_lists_give_the_reminders_scan() {
    let replayed = Replayed::new(vec![
        Reply::recorded(&at("azure-cli/test_app_credential.jsonl", 6)),
        Reply::recorded(&at("azure-cli/test_app_scenario.jsonl", 3)),
    ])
    .await;
    let now = time("2023-06-01T00:00:00Z");
    let secrets = reminders::scan(&replayed.reader(), now, 365)
        .await
        .expect("parses");
    assert_eq!(secrets.len(), 1, "{secrets:#?}");
    assert_eq!(secrets[0].kind, CredentialKind::Secret);
    assert_eq!(secrets[0].client_id, "afb85a07-e312-4d49-b75b-9db4e2d683cd");
    assert_eq!(secrets[0].key_id, "73c912d2-fd2d-42a0-b3ae-2e45d006b8bc");
    assert_eq!(secrets[0].description.as_deref(), Some("key1"));
    assert_eq!(secrets[0].expires, time("2024-05-07T06:52:43Z"));
    assert_eq!(secrets[0].days_left, 341);
    let certificates = reminders::scan(&replayed.reader(), now, 30)
        .await
        .expect("parses");
    assert_eq!(certificates.len(), 1, "{certificates:#?}");
    assert_eq!(certificates[0].kind, CredentialKind::Certificate);
    assert_eq!(
        certificates[0].key_id,
        "0042d742-d4ef-411d-83c7-ed6dfbb1d653"
    );
    assert_eq!(certificates[0].expires, time("2023-06-08T05:55:05Z"));
    assert_eq!(certificates[0].days_left, 7);
    for sent in replayed.sent() {
        assert_eq!(pattern(sent.path()), "v1.0/applications");
    }
}

/// The Microsoft Graph service principal as Microsoft served it, with the object ID of the
/// recordings' tenant (the snapshot keeps only what is the same in every tenant).
fn graph_service_principal() -> Value {
    let path =
        exchanges::recordings_dir().join("../graph-service-principal/microsoft-graph-2023-02.json");
    let mut body: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the snapshot")).expect("JSON");
    body["id"] = json!(RECORDED_GRAPH_SP);
    body
}

async fn recorded_catalog() -> (ResourcePermissions, PermissionCatalog) {
    let replayed = Replayed::new(vec![Reply::json(200, &graph_service_principal())]).await;
    let graph = graph_permissions(&replayed.reader()).await.expect("parses");
    let sent = replayed.sent();
    assert_eq!(
        pattern(sent[0].path()),
        "v1.0/servicePrincipals(appId={id})"
    );
    assert!(
        sent[0]
            .path()
            .contains("00000003-0000-0000-c000-000000000000")
    );
    let catalog = PermissionCatalog::from_graph(&graph);
    (graph, catalog)
}

#[tokio::test]
async fn the_graph_service_principal_resolves_every_permission() {
    let (graph, catalog) = recorded_catalog().await;
    let served = graph_service_principal();
    assert_eq!(graph.id, RECORDED_GRAPH_SP);
    for (list, kind, parsed) in [
        ("appRoles", PermissionKind::Role, &graph.app_roles),
        (
            "oauth2PermissionScopes",
            PermissionKind::Scope,
            &graph.oauth2_permission_scopes,
        ),
    ] {
        let entries = served[list].as_array().expect("array");
        assert_eq!(parsed.len(), entries.len());
        for entry in entries {
            let id = entry["id"].as_str().expect("id");
            let value = entry["value"].as_str().expect("value");
            assert_eq!(catalog.name_of(kind, id), Some(value), "{list} {id}");
            assert_eq!(catalog.id_of(kind, value), Some(id), "{list} {value}");
            if let Some(consent) = entry["type"].as_str() {
                assert_eq!(
                    catalog.scope_needs_admin(value),
                    Some(consent == "Admin"),
                    "{value}"
                );
            }
        }
    }
    assert_eq!(
        catalog.id_of(PermissionKind::Role, "Calendars.Read"),
        Some("798ee544-9d2d-430c-a058-570e29e34338")
    );
    assert_eq!(
        catalog.id_of(PermissionKind::Scope, "Calendars.Read"),
        Some("465a38f9-76ea-45b9-9f34-9e8b0d4b0b42")
    );
}

#[tokio::test]
async fn a_recorded_application_gives_its_redirect_uris_audience_and_permissions() {
    let (_, catalog) = recorded_catalog().await;
    // Azure CLI's `az ad app create` with Web and public-client redirect URIs, two resources.
    let created = at("azure-cli/test_app_scenario.jsonl", 2);
    // PowerShell's app before and after `Update-AzADApplication` set another reply URL and
    // the single-tenant audience.
    let before = at("azure-powershell/Application.Recording.jsonl", 1);
    let after = at("azure-powershell/Application.Recording.jsonl", 8);
    let replayed = Replayed::new(vec![
        Reply::recorded(&created),
        Reply::recorded(&before),
        Reply::recorded(&after),
    ])
    .await;
    let reader = replayed.reader();
    let Upserted::Created(app) =
        write::upsert_application(&reader, "unique", &ApplicationBody::default())
            .await
            .expect("a 201 is a creation")
    else {
        panic!("a 201 answer is a creation");
    };
    assert_eq!(
        app.web_uris(),
        ["http://localhost/webtest1", "http://localhost/webtest2"]
    );
    let judged = registration::judge_redirect_uri(
        Cloud::Global,
        &app,
        "http://localhost/webtest2",
        RedirectPlatform::Web,
    );
    assert_eq!(judged.status, Status::Pass, "{judged:#?}");
    let elsewhere = registration::judge_redirect_uri(
        Cloud::Global,
        &app,
        "http://localhost/publicclienttest1",
        RedirectPlatform::Web,
    );
    assert_eq!(elsewhere.status, Status::Fail);
    assert_eq!(
        elsewhere.cause,
        Some(Cause::RedirectPlatformWrong),
        "{elsewhere:#?}"
    );
    let missing = registration::judge_redirect_uri(
        Cloud::Global,
        &app,
        "https://odoo.contoso.com/microsoft_account/authentication",
        RedirectPlatform::Web,
    );
    assert_eq!(missing.cause, Some(Cause::RedirectUriMismatch));
    let audience = |app: &Application, accepted: &[AccountType]| {
        registration::judge_account_type(Cloud::Global, app, accepted)
    };
    assert_eq!(
        audience(&app, &[AccountType::MultiTenant]).status,
        Status::Pass
    );
    let single = audience(&app, &[AccountType::SingleTenant]);
    assert_eq!(single.cause, Some(Cause::AccountTypeMismatch));
    let configured = api_permissions::configured(&app, &catalog);
    assert_eq!(configured.delegated, ["Application.Read.All"]);
    assert_eq!(configured.application, ["Application.ReadWrite.OwnedBy"]);
    assert_eq!(
        configured.other_resources,
        ["797f4846-ba00-4fd7-ba43-dac1f8f63013"]
    );

    let before = application_by_app_id(&reader, "8c3ed8d1-ddd6-4145-a377-2441ecdf3b42")
        .await
        .expect("parses");
    let after = application_by_app_id(&reader, "8c3ed8d1-ddd6-4145-a377-2441ecdf3b42")
        .await
        .expect("parses");
    let reply2 = "https://2021-10-12-reply2.com";
    let judge = |app: &Application| {
        registration::judge_redirect_uri(Cloud::Global, app, reply2, RedirectPlatform::Web)
    };
    assert_eq!(judge(&before).cause, Some(Cause::RedirectUriMismatch));
    assert_eq!(judge(&after).status, Status::Pass);
    assert_eq!(
        audience(&before, &[AccountType::SingleTenant]).cause,
        Some(Cause::AccountTypeMismatch)
    );
    assert_eq!(
        audience(&after, &[AccountType::SingleTenant]).status,
        Status::Pass
    );
    let sent = replayed.sent();
    assert_eq!(sent[0].method, "PATCH");
    assert_eq!(
        pattern(sent[0].path()),
        "v1.0/applications(uniqueName={id})"
    );
    assert_eq!(sent[0].header("prefer"), Some("create-if-missing"));
}

#[tokio::test]
async fn recorded_grants_give_the_consented_scopes() {
    let file = "azure-cli/test_app_permission_grant.jsonl";
    let none = at(file, 15);
    let one = at(file, 18);
    let two = at(file, 29);
    let created_sp = at(file, 7);
    let replayed = Replayed::new(vec![
        Reply::recorded(&created_sp),
        Reply::recorded(&none),
        Reply::recorded(&one),
        Reply::recorded(&two),
        Reply::recorded(&two),
    ])
    .await;
    let reader = replayed.reader();
    let sp: ServicePrincipal =
        write::create_service_principal(&reader, "39858ac9-87e5-484a-b50d-db427325848e")
            .await
            .expect("the recorded answer parses");
    assert_eq!(sp.id, "043293df-9b19-46aa-962f-65f957d7bcc8");
    assert_eq!(sp.display_name.as_deref(), Some("cli-app-000001"));
    let empty = grants_for_client(&reader, &sp.id).await.expect("parses");
    assert!(empty.is_empty());
    let first = grants_for_client(&reader, &sp.id).await.expect("parses");
    let second = grants_for_client(&reader, &sp.id).await.expect("parses");
    let scopes = |grants: &[entra_setup_core::graph::grants::PermissionGrant]| -> Vec<String> {
        grants
            .iter()
            .filter(|g| g.is_admin_consent() && g.resource_id == RECORDED_GRAPH_SP)
            .flat_map(|g| g.scopes().map(str::to_string).collect::<Vec<_>>())
            .collect()
    };
    assert_eq!(scopes(&first), ["Directory.Read.All"]);
    assert_eq!(
        scopes(&second),
        ["Directory.Read.All", "Application.Read.All"]
    );
    let with_ids = write::admin_grants_for_client(&reader, &sp.id)
        .await
        .expect("parses");
    assert_eq!(
        with_ids[0].id,
        "35MyBBmbqkaWL2X5V9e8yInI76O38TJFngGR4y0QOfQ"
    );
    assert_eq!(
        with_ids[0].scopes().collect::<Vec<_>>(),
        ["Directory.Read.All", "Application.Read.All"]
    );

    let (_, catalog) = recorded_catalog().await;
    let required = Permissions {
        delegated: vec!["Directory.Read.All".into(), "Application.Read.All".into()],
        application: vec![],
    };
    let judge = |grants| {
        consent::judge_admin_consent(
            Cloud::Global,
            "39858ac9-87e5-484a-b50d-db427325848e",
            ProfileKind::DelegatedWeb,
            &required,
            Some(consent::Granted {
                service_principal: &sp,
                grants,
                assignments: &[],
                graph_sp_id: Some(RECORDED_GRAPH_SP),
            }),
            &catalog,
            None,
        )
    };
    let partly = judge(&first);
    assert_eq!(
        partly.cause,
        Some(Cause::AdminConsentMissing),
        "{partly:#?}"
    );
    assert!(
        partly.message.contains("Application.Read.All"),
        "{}",
        partly.message
    );
    assert_eq!(judge(&second).status, Status::Pass);

    // The filter the core sends is the one Azure CLI sent.
    let recorded_filter = exchanges::form_fields(none.url.query().expect("a query"))
        .into_iter()
        .find(|(k, _)| k == "$filter")
        .map(|(_, v)| v)
        .expect("$filter");
    let sent = replayed.sent();
    assert_eq!(sent[0].line(), "POST /v1.0/servicePrincipals");
    for request in &sent[1..4] {
        assert_eq!(pattern(request.path()), none.pattern());
        assert_eq!(
            request.query_value("$filter"),
            Some(recorded_filter.clone())
        );
    }
}

#[tokio::test]
async fn every_recorded_service_principal_parses_as_the_core_reads_it() {
    // The answers of `POST /servicePrincipals`, of `GET /servicePrincipals/{id}` and the items of
    // `GET /servicePrincipals?$filter=…` (the Graph service principal's own bodies were not kept).
    let mut created = Vec::new();
    let mut read = Vec::new();
    for exchange in recorded() {
        if exchange.status >= 300 || !exchange.url.path().starts_with("/v1.0/servicePrincipals") {
            continue;
        }
        let body = &exchange.response_body;
        let items: Vec<&Value> = match body.get("value").and_then(Value::as_array) {
            Some(items) => items.iter().collect(),
            None => vec![body],
        };
        for item in items.into_iter().filter(|i| i.get("appId").is_some()) {
            if exchange.method == "POST" {
                created.push((exchange, item.clone()));
            } else {
                read.push((exchange, item.clone()));
            }
        }
    }
    assert_eq!(created.len(), 5);
    assert!(read.len() >= 10, "{}", read.len());
    let replayed = Replayed::new(
        created
            .iter()
            .chain(&read)
            .map(|(e, body)| Reply::json(e.status, body))
            .collect(),
    )
    .await;
    let reader = replayed.reader();
    for (exchange, body) in &created {
        let app_id = exchange.request_body["appId"].as_str().expect("appId sent");
        let sp = write::create_service_principal(&reader, app_id)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", exchange.at()));
        assert_eq!(sp.app_id, app_id, "{}", exchange.at());
        assert_eq!(sp.id, body["id"].as_str().unwrap());
        assert_eq!(sp.display_name.as_deref(), body["displayName"].as_str());
    }
    for (exchange, body) in &read {
        let app_id = body["appId"].as_str().unwrap();
        let sp = service_principal_by_app_id(&reader, app_id)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", exchange.at()));
        assert_eq!(sp.id, body["id"].as_str().unwrap(), "{}", exchange.at());
    }
    let sent = replayed.sent();
    for (request, (exchange, _)) in sent.iter().zip(&created) {
        assert!(exchange.is(&request.method, &pattern(request.path())));
        let problems = misfits_any(&request.json(), &[&exchange.request_body]);
        assert!(problems.is_empty(), "{problems:?}");
    }
}

#[tokio::test]
async fn recorded_users_parse_and_show_no_mailbox() {
    for (file, line) in [
        ("azure-cli/test_app_owner.jsonl", 1),
        ("azure-cli/test_user_scenario.jsonl", 3),
    ] {
        let exchange = at(file, line);
        let replayed = Replayed::new(vec![Reply::recorded(&exchange)]).await;
        let upn = exchange.response_body["userPrincipalName"]
            .as_str()
            .unwrap();
        let user = users::user(&replayed.reader(), upn).await.expect("parses");
        assert_eq!(user.id, exchange.response_body["id"].as_str().unwrap());
        assert_eq!(user.mail, None);
        assert_eq!(user.account_enabled, None);
        let judged = mailbox::judge_mailbox(Cloud::Global, &user, &[]);
        assert_eq!(judged.cause, Some(Cause::MailboxUnavailable), "{judged:#?}");
        assert_eq!(judged.evidence["shared_mailbox_tellable"], false);
        let sent = replayed.sent();
        assert_eq!(pattern(sent[0].path()), exchange.pattern());
    }
}

#[tokio::test]
async fn recorded_graph_errors_map_to_their_causes() {
    let errors: Vec<&Exchange> = recorded()
        .iter()
        .filter(|e| e.url.host_str() == Some("graph.microsoft.com") && e.status >= 400)
        .collect();
    assert_eq!(errors.len(), 6);
    let catalog = Catalog::shipped();
    for exchange in &errors {
        let body = serde_json::to_vec(&exchange.response_body).unwrap();
        let error = GraphError::parse(&body).unwrap_or_else(|| panic!("{}", exchange.at()));
        assert_eq!(error.code, "Request_ResourceNotFound");
        assert!(error.inner_error.is_some(), "innerError is read");
        assert_eq!(
            error.evidence()["request_id"],
            exchange.response_body["error"]["innerError"]["request-id"]
        );
        assert_eq!(error.cause_for_app(exchange.status), Cause::ObjectNotFound);
        assert_eq!(WriteError::NotFound(error).cause(), Cause::ObjectNotFound);
        let findings = diagnose(&String::from_utf8(body).unwrap(), &catalog);
        assert_eq!(
            findings[0].cause,
            Cause::ObjectNotFound,
            "{}",
            exchange.at()
        );
        assert_eq!(
            findings[0].code.as_deref(),
            Some("Request_ResourceNotFound")
        );
    }
    // Through the core's reads: a 404 is "not found", not a fault.
    let replayed = Replayed::new(vec![
        Reply::recorded(&at("azure-cli/test_app_scenario.jsonl", 6)),
        Reply::recorded(&at("azure-cli/test_service_principal_scenario.jsonl", 16)),
    ])
    .await;
    let reader = replayed.reader();
    let app = application_by_app_id(&reader, "c603620f-3d35-453e-bcde-9f680b44a0f3").await;
    assert!(
        matches!(app, Err(ReadError::NotFound(ref e)) if e.code == "Request_ResourceNotFound"),
        "{app:?}"
    );
    let sp = service_principal_by_app_id(&reader, "5a512f68-af7f-4e8b-b7d4-19f3ea7372db").await;
    assert!(matches!(sp, Err(ReadError::NotFound(_))), "{sp:?}");
}

/// What each AADSTS code recorded means to the core.
const RECORDED_CODES: &[(u32, Option<Cause>)] = &[
    // The authorization code was redeemed already: the core redeems each code once, at once.
    (54005, None),
    (700027, Some(Cause::CertificateAssertionInvalid)),
    (7000215, Some(Cause::SecretInvalid)),
    // authorization_pending: the device-code sign-in keeps polling.
    (70016, None),
    // A wrong password in the resource-owner password flow, which the core never uses.
    (50126, None),
    (90002, Some(Cause::TenantNotFound)),
    (50173, Some(Cause::TokenInvalid)),
];

fn is_login(exchange: &Exchange) -> bool {
    exchange
        .url
        .host_str()
        .is_some_and(|h| h.ends_with("login.microsoftonline.com"))
}

#[tokio::test]
async fn recorded_identity_errors_map_to_their_causes() {
    let catalog = Catalog::shipped();
    let errors: Vec<&Exchange> = recorded()
        .iter()
        .filter(|e| is_login(e) && e.status >= 400)
        .collect();
    assert!(errors.len() >= 15, "{}", errors.len());
    for exchange in &errors {
        let body = serde_json::to_vec(&exchange.response_body).unwrap();
        let error = AadError::parse(&body).unwrap_or_else(|| panic!("{}", exchange.at()));
        assert_eq!(
            error.error,
            exchange.response_body["error"].as_str().unwrap()
        );
        let code = error.code().expect("a code");
        assert_eq!(
            json!(error.error_codes),
            exchange.response_body["error_codes"]
        );
        let expected = RECORDED_CODES
            .iter()
            .find(|(c, _)| *c == code)
            .unwrap_or_else(|| panic!("{}: AADSTS{code} is new: decide its cause", exchange.at()))
            .1;
        assert_eq!(identity::cause_of(&error), expected, "{}", exchange.at());
        // The first sentence is kept as evidence, whichever separator the recording used.
        let description = error.evidence()["description"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            description.starts_with(&format!("AADSTS{code}:")),
            "{description}"
        );
        assert!(!description.contains("Trace ID"), "{description}");
        // Diagnosing the pasted body tells the same cause; a code with none of its own (a pending
        // sign-in, a flow the core never uses) gives no finding rather than a wrong one.
        let findings = diagnose(&String::from_utf8(body).unwrap(), &catalog);
        match expected {
            Some(cause) => {
                assert_eq!(findings[0].cause, cause, "{}: {findings:#?}", exchange.at());
                assert_eq!(findings[0].code, Some(format!("AADSTS{code}")));
            }
            None => assert!(findings.is_empty(), "{}: {findings:#?}", exchange.at()),
        }
    }
}

#[tokio::test]
async fn recorded_discovery_documents_give_the_tenant_and_its_endpoints() {
    let documents: Vec<&Exchange> = recorded()
        .iter()
        .filter(|e| {
            e.url
                .path()
                .ends_with("/v2.0/.well-known/openid-configuration")
        })
        .collect();
    assert!(documents.len() >= 15, "{}", documents.len());
    let mut resolved = 0;
    for exchange in documents {
        let replayed = Replayed::new(vec![Reply::recorded(exchange)]).await;
        let asked = exchange
            .url
            .path_segments()
            .unwrap()
            .next()
            .unwrap()
            .to_string();
        let outcome = identity::discover(&replayed.http, &replayed.endpoints, &asked).await;
        let sent = replayed.sent();
        assert_eq!(sent[0].method, "GET");
        assert_eq!(pattern(sent[0].path()), exchange.pattern());
        assert_eq!(
            sent[0].path(),
            exchange.url.path(),
            "the tenant is sent as given"
        );
        let body = &exchange.response_body;
        if exchange.status >= 400 {
            let Err(DiscoveryError::Rejected(error)) = outcome else {
                panic!("{}: {outcome:?}", exchange.at());
            };
            assert_eq!(identity::cause_of(&error), Some(Cause::TenantNotFound));
            continue;
        }
        // The GUID the document names (in `issuer` or `token_endpoint`), if any: the recordings
        // sanitised some to `fake-tenant`, `tenant` or `{tenantid}`.
        let guid = ["issuer", "token_endpoint"].iter().find_map(|key| {
            body[*key]
                .as_str()?
                .split('/')
                .find(|s| uuid::Uuid::try_parse(s).is_ok())
                .map(str::to_ascii_lowercase)
        });
        match guid {
            Some(guid) => {
                let info = outcome.unwrap_or_else(|e| panic!("{}: {e}", exchange.at()));
                assert_eq!(info.tenant_id, guid);
                assert_eq!(info.cloud, Cloud::Global);
                assert_eq!(
                    info.token_endpoint,
                    body["token_endpoint"].as_str().unwrap()
                );
                assert_eq!(
                    info.authorization_endpoint,
                    body["authorization_endpoint"].as_str().unwrap()
                );
                assert_eq!(
                    info.device_authorization_endpoint.as_deref(),
                    body["device_authorization_endpoint"].as_str()
                );
                assert_eq!(info.msgraph_host.as_deref(), Some("graph.microsoft.com"));
                assert_eq!(
                    info.region_scope.as_deref(),
                    body["tenant_region_scope"].as_str()
                );
                resolved += 1;
            }
            None => {
                let Err(DiscoveryError::Unavailable(fault)) = outcome else {
                    panic!(
                        "{}: a document naming no tenant: {outcome:?}",
                        exchange.at()
                    );
                };
                assert_eq!(fault.cause, Cause::NetworkError);
            }
        }
    }
    assert!(resolved >= 3, "{resolved}");

    // The tenant check: a domain (here the Go SDK's `fake-tenant`) becomes the recorded GUID.
    let document = at(
        "azure-sdk-for-go/TestAuthorizationCodeCredential_PublicInvalidCodeLive.jsonl",
        2,
    );
    let replayed = Replayed::new(vec![Reply::recorded(&document)]).await;
    let (result, info) = tenant::run(&replayed.context(Utc::now()), "fake-tenant").await;
    assert_eq!(result.status, Status::Pass, "{result:#?}");
    assert_eq!(
        info.expect("info").tenant_id,
        "3c631bb7-a9f7-4343-a5ba-a6159135f1fc"
    );
    let unknown = at(
        "azure-sdk-for-js/environmentcredential__recording_throws_an_authenticationerror_when_gettoken_is_called_and_environmentcredential_authentication_failed.jsonl",
        2,
    );
    let replayed = Replayed::new(vec![Reply::recorded(&unknown)]).await;
    let (result, info) = tenant::run(&replayed.context(Utc::now()), "tenant").await;
    assert_eq!(result.status, Status::Fail);
    assert_eq!(result.cause, Some(Cause::TenantNotFound));
    assert!(info.is_none());
}

/// Every recorded successful token answer.
fn recorded_tokens() -> Vec<&'static Exchange> {
    recorded()
        .iter()
        .filter(|e| is_login(e) && e.url.path().ends_with("/oauth2/v2.0/token") && e.status == 200)
        .collect()
}

#[tokio::test]
async fn recorded_token_answers_give_a_token_and_its_lifetime() {
    let tokens = recorded_tokens();
    assert!(tokens.len() >= 15, "{}", tokens.len());
    let replayed = Replayed::new(
        tokens
            .iter()
            .flat_map(|e| [Reply::recorded(e), Reply::recorded(e)])
            .collect(),
    )
    .await;
    for exchange in &tokens {
        let body = &exchange.response_body;
        let app = identity::client_credentials(
            &replayed.http,
            &replayed.endpoints,
            "contoso.com",
            "00000000-0000-0000-0000-00000000000a",
            &Secret::new("recorded"),
            "https://graph.microsoft.com/.default",
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", exchange.at()));
        assert_eq!(
            app.access_token.expose(),
            body["access_token"].as_str().unwrap()
        );
        assert_eq!(
            Some(app.expires_in),
            body["expires_in"].as_u64(),
            "{}",
            exchange.at()
        );
        let user = identity::token_for_scopes(
            &replayed.http,
            &replayed.endpoints,
            "contoso.com",
            "00000000-0000-0000-0000-00000000000a",
            &Secret::new("recorded-refresh-token"),
            &["https://graph.microsoft.com/.default".to_string()],
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", exchange.at()));
        assert_eq!(
            user.access_token.expose(),
            body["access_token"].as_str().unwrap()
        );
        assert_eq!(
            user.refresh_token.as_ref().map(Secret::expose),
            body["refresh_token"].as_str()
        );
    }
    // The client-credentials form: the recorded bodies are sanitised, so its fields are those of
    // Microsoft's documented request; the content type is the one the Go SDK's recording kept.
    let sent = replayed.sent();
    let form = sent[0].form();
    // (A form's fields are compared as a set: their order carries nothing.)
    let mut keys: Vec<&str> = form.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["client_id", "client_secret", "grant_type", "scope"]);
    assert!(form.contains(&("grant_type".into(), "client_credentials".into())));
    assert!(
        sent[0]
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded")),
        "{:?}",
        sent[0].headers
    );
    for request in &sent {
        assert_eq!(request.method, "POST");
        assert_eq!(pattern(request.path()), "{tenant}/oauth2/v2.0/token");
    }
}

/// The payload of a JWT, decoded independently of the core.
fn jwt_payload(token: &str) -> Value {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).expect("a payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON")
}

#[test]
fn recorded_microsoft_tokens_are_read_by_the_core_s_claims_reader() {
    // The recorded access tokens are redacted; the ID tokens beside them are Microsoft's own
    // JWTs (signatures aside), read with the same reader the core applies to its access tokens.
    let mut read = 0;
    for exchange in recorded_tokens() {
        let Some(token) = exchange.response_body["id_token"].as_str() else {
            continue;
        };
        let claims = identity::TokenClaims::read(token)
            .unwrap_or_else(|| panic!("{}: the ID token is not read", exchange.at()));
        let payload = jwt_payload(token);
        assert_eq!(
            claims.tid.as_deref(),
            payload["tid"].as_str(),
            "{}",
            exchange.at()
        );
        assert_eq!(claims.aud.as_deref(), payload["aud"].as_str());
        assert!(claims.roles.is_empty() && claims.scp.is_none());
        read += 1;
    }
    assert!(read >= 10, "{read}");
    // A redacted access token is no JWT: no claims, and the checks treat it as such.
    assert!(identity::TokenClaims::read("redacted").is_none());
}

/// A certificate sends a client assertion and no secret, and Microsoft's recorded answers decide
/// the certificate check: a token passes it, AADSTS700027 for a certificate that has not ended
/// means it is not registered.
#[tokio::test]
async fn recorded_client_credentials_answers_decide_the_certificate_check() {
    let live = at(
        "azure-sdk-for-go/TestClientCertificateCredential_Regional.jsonl",
        2,
    );
    let refused = at(
        "azure-sdk-for-go/TestClientCertificateCredential_InvalidCertLive.jsonl",
        3,
    );
    let replayed = Replayed::new(vec![Reply::recorded(&live), Reply::recorded(&refused)]).await;
    let ctx = replayed.context(Utc::now());
    let client = "00000000-0000-0000-0000-00000000000a";
    let certificate =
        entra_setup_core::credentials::Certificate::generate("Recorded", Utc::now(), 30)
            .expect("a certificate");
    let passed = entra_setup_core::verify::checks::certificate::run(
        &ctx,
        "fake-tenant",
        client,
        &certificate,
    )
    .await;
    assert_eq!(
        passed.client_secret.status,
        Status::Pass,
        "{:#?}",
        passed.client_secret
    );
    assert_eq!(
        passed.client_secret.evidence["thumbprint"],
        certificate.thumbprint()
    );
    let failed = entra_setup_core::verify::checks::certificate::run(
        &ctx,
        "fake-tenant",
        client,
        &certificate,
    )
    .await;
    assert_eq!(failed.client_secret.status, Status::Fail);
    assert_eq!(
        failed.client_secret.cause,
        Some(Cause::CertificateNotRegistered)
    );
    assert_eq!(failed.client_id.status, Status::Pass, "the app exists");
    for sent in replayed.sent() {
        let form = sent.form();
        let mut keys: Vec<&str> = form.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "client_assertion",
                "client_assertion_type",
                "client_id",
                "grant_type",
                "scope"
            ]
        );
        assert!(form.contains(&(
            "client_assertion_type".into(),
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".into()
        )));
        let assertion = &form
            .iter()
            .find(|(k, _)| k == "client_assertion")
            .expect("assertion")
            .1;
        let claims = jwt_payload(assertion);
        assert_eq!(claims["iss"], client);
        assert_eq!(claims["sub"], client);
        assert!(
            claims["aud"]
                .as_str()
                .is_some_and(|aud| aud.ends_with("/fake-tenant/oauth2/v2.0/token")),
            "{claims}"
        );
    }
}

#[tokio::test]
async fn recorded_client_credentials_answers_decide_the_secret_checks() {
    let live = at(
        "azure-sdk-for-go/TestClientSecretCredential_Live__default_options.jsonl",
        3,
    );
    let wrong = at(
        "azure-sdk-for-go/TestClientSecretCredential_InvalidSecretLive.jsonl",
        3,
    );
    let certificate = at(
        "azure-sdk-for-go/TestClientCertificateCredential_InvalidCertLive.jsonl",
        3,
    );
    let replayed = Replayed::new(vec![
        Reply::recorded(&live),
        Reply::recorded(&wrong),
        Reply::recorded(&certificate),
    ])
    .await;
    let ctx = replayed.context(Utc::now());
    let secret = Secret::new("Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789");
    let client = "00000000-0000-0000-0000-00000000000a";
    let passed = app_credentials::run(&ctx, "fake-tenant", client, Some(&secret)).await;
    assert_eq!(
        passed.client_secret.status,
        Status::Pass,
        "{:#?}",
        passed.client_secret
    );
    assert_eq!(passed.client_secret.evidence["expires_in"], 3599);
    assert_eq!(passed.token.expect("a token").expires_in, 3599);
    let refused = app_credentials::run(&ctx, "fake-tenant", client, Some(&secret)).await;
    assert_eq!(refused.client_secret.status, Status::Fail);
    assert_eq!(refused.client_secret.cause, Some(Cause::SecretInvalid));
    assert_eq!(refused.client_id.status, Status::Pass, "the app exists");
    let assertion = identity::client_credentials(
        &replayed.http,
        &replayed.endpoints,
        "fake-tenant",
        client,
        &secret,
        "https://graph.microsoft.com/.default",
    )
    .await;
    let Err(TokenError::Rejected(error)) = assertion else {
        panic!("{assertion:?}");
    };
    assert_eq!(
        identity::cause_of(&error),
        Some(Cause::CertificateAssertionInvalid)
    );
    for sent in replayed.sent() {
        assert_eq!(sent.path(), live.url.path());
    }
}

/// The form fields of the recorded request of `exchange` (MSAL.js keeps them).
fn recorded_form(exchange: &Exchange) -> Vec<String> {
    exchange
        .form()
        .unwrap_or_else(|| panic!("{}: no form recorded", exchange.at()))
        .into_iter()
        .map(|(k, _)| k)
        .collect()
}

/// Every field of the core's form is one the recorded request carried too.
fn assert_fields_recorded(sent: &Sent, recorded: &Exchange) {
    let recorded_keys = recorded_form(recorded);
    for (key, _) in sent.form() {
        assert!(
            recorded_keys.contains(&key),
            "{}: `{key}` is not among the recorded fields {recorded_keys:?} ({})",
            sent.line(),
            recorded.at()
        );
    }
    assert_eq!(sent.method, recorded.method);
    assert_eq!(pattern(sent.path()), recorded.pattern());
}

#[tokio::test]
async fn recorded_device_code_sign_ins_give_the_prompt_and_the_tokens() {
    let js = "azure-sdk-for-js/cae__recording_devicecodecredential.jsonl";
    let code = at(js, 3);
    let pending = at(js, 4);
    let signed_in = at(js, 6);
    // MSAL.js's recording sanitised `interval` to 0 (the core polls at most once a second).
    let replayed = Replayed::new(vec![
        Reply::recorded(&code),
        Reply::recorded(&pending),
        Reply::recorded(&signed_in),
    ])
    .await;
    let shown: Mutex<Option<DevicePrompt>> = Mutex::new(None);
    let show = |prompt: &DevicePrompt| *shown.lock().unwrap() = Some(prompt.clone());
    let scopes = vec![
        "https://graph.microsoft.com/User.Read".to_string(),
        "offline_access".into(),
    ];
    let tokens = identity::sign_in_with_device_code(
        &replayed.http,
        &replayed.endpoints,
        "12345678-1234-1234-1234-123456789012",
        "00000000-0000-0000-0000-00000000000a",
        &scopes,
        &show,
    )
    .await
    .expect("signed in after one pending poll");
    let prompt = shown.lock().unwrap().clone().expect("shown");
    assert_eq!(prompt.user_code, "USER_CODE");
    assert_eq!(prompt.verification_uri, "https://microsoft.com/devicelogin");
    assert_eq!(prompt.expires_in, 900);
    assert!(prompt.message.is_some());
    assert_eq!(tokens.access_token.expose(), "access_token");
    assert_eq!(
        tokens.refresh_token.as_ref().map(Secret::expose),
        Some("refresh_token")
    );
    let sent = replayed.sent();
    assert_eq!(sent.len(), 3);
    assert_fields_recorded(&sent[0], &code);
    for poll in &sent[1..] {
        assert_fields_recorded(poll, &pending);
        let grant = poll.form().into_iter().find(|(k, _)| k == "grant_type");
        // RFC 8628's grant type; MSAL.js sends the short `device_code`, Microsoft takes both.
        assert_eq!(
            grant.map(|(_, v)| v).as_deref(),
            Some("urn:ietf:params:oauth:grant-type:device_code")
        );
    }

    // The Go SDK's recording: a real interval (5 s), approved on the first poll.
    let go = "azure-sdk-for-go/TestDeviceCodeCredential_Live__default_options.jsonl";
    let replayed = Replayed::new(vec![
        Reply::recorded(&at(go, 3)),
        Reply::recorded(&at(go, 5)),
    ])
    .await;
    let tokens = identity::sign_in_with_device_code(
        &replayed.http,
        &replayed.endpoints,
        "organizations",
        "00000000-0000-0000-0000-00000000000a",
        &scopes,
        &show,
    )
    .await
    .expect("signed in");
    assert_eq!(tokens.access_token.expose(), "redacted");
    let pending =
        AadError::parse(&serde_json::to_vec(&at(go, 4).response_body).unwrap()).expect("parses");
    assert_eq!(pending.error, "authorization_pending");
    assert_eq!(identity::cause_of(&pending), None);
}

#[tokio::test]
async fn recorded_refreshes_give_tokens_or_say_the_grant_is_gone() {
    let js = "azure-sdk-for-js/cae__recording_devicecodecredential.jsonl";
    let refreshed = at(js, 8);
    let revoked = at(
        "azure-sdk-for-python/test_cae.test_username_password.jsonl",
        6,
    );
    let replayed =
        Replayed::new(vec![Reply::recorded(&refreshed), Reply::recorded(&revoked)]).await;
    let refresh = |replayed: &Replayed| {
        let http = replayed.http.clone();
        let endpoints = replayed.endpoints.clone();
        async move {
            identity::token_for_scopes(
                &http,
                &endpoints,
                "12345678-1234-1234-1234-123456789012",
                "00000000-0000-0000-0000-00000000000a",
                &Secret::new("refresh_token"),
                &[
                    "User.ReadWrite.All".to_string(),
                    "offline_access".to_string(),
                ],
            )
            .await
        }
    };
    let tokens = refresh(&replayed).await.expect("refreshed");
    assert_eq!(tokens.access_token.expose(), "access_token");
    let gone = refresh(&replayed).await;
    let Err(error @ SignInError::Rejected(_)) = gone else {
        panic!("{gone:?}");
    };
    assert_eq!(error.cause(), Some(Cause::TokenInvalid));
    let sent = replayed.sent();
    assert_fields_recorded(&sent[0], &refreshed);
    assert!(
        sent[0]
            .form()
            .contains(&("grant_type".into(), "refresh_token".into()))
    );
}

#[tokio::test]
async fn recorded_password_answers_give_the_new_secret() {
    let answers: Vec<&Exchange> = recorded()
        .iter()
        .filter(|e| e.method == "POST" && e.pattern().ends_with("/addPassword"))
        .collect();
    assert!(answers.len() >= 10, "{}", answers.len());
    let replayed = Replayed::new(answers.iter().map(|e| Reply::recorded(e)).collect()).await;
    let start = time("2022-05-07T06:52:43Z");
    for exchange in &answers {
        let body = &exchange.response_body;
        let added = write::add_password(
            &replayed.reader(),
            "765eb0e3-acb3-475d-9a98-ee6892f081c8",
            "key1",
            start,
            start + chrono::Duration::days(730),
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", exchange.at()));
        assert_eq!(added.key_id, body["keyId"].as_str().unwrap());
        assert_eq!(added.hint.as_deref(), body["hint"].as_str());
        assert_eq!(
            added.end_date_time,
            time(body["endDateTime"].as_str().unwrap())
        );
        assert_eq!(
            added.secret_text.expose(),
            body["secretText"].as_str().unwrap()
        );
    }
    // The request: same path as Azure CLI's, a body of the recorded shape.
    let recorded_requests: Vec<&Value> = answers
        .iter()
        .filter(|e| e.pattern() == "v1.0/applications/{id}/addPassword")
        .map(|e| &e.request_body)
        .collect();
    for sent in replayed.sent() {
        assert_eq!(pattern(sent.path()), "v1.0/applications/{id}/addPassword");
        let problems = misfits_any(&sent.json(), &recorded_requests);
        assert!(problems.is_empty(), "{problems:?}");
    }
}

#[tokio::test]
async fn recorded_no_content_answers_are_accepted() {
    let removed = at("azure-cli/test_app_credential.jsonl", 15);
    let patched = at("azure-powershell/Application.Recording.jsonl", 6);
    let granted = at("azure-cli/test_app_permission_grant.jsonl", 16);
    let replayed = Replayed::new(vec![
        Reply::recorded(&removed),
        Reply::recorded(&patched),
        Reply::recorded(&granted),
    ])
    .await;
    let reader = replayed.reader();
    write::remove_password(
        &reader,
        "765eb0e3-acb3-475d-9a98-ee6892f081c8",
        "73c912d2-fd2d-42a0-b3ae-2e45d006b8bc",
    )
    .await
    .expect("204");
    write::update_application(
        &reader,
        "f0794693-cfca-422b-8c0a-9a91666afc9a",
        &ApplicationBody {
            sign_in_audience: Some("AzureADMyOrg".into()),
            ..ApplicationBody::default()
        },
    )
    .await
    .expect("204");
    write::create_admin_grant(
        &reader,
        "043293df-9b19-46aa-962f-65f957d7bcc8",
        RECORDED_GRAPH_SP,
        "Directory.Read.All",
    )
    .await
    .expect("201");
    let sent = replayed.sent();
    assert_eq!(
        sent[0].json(),
        removed.request_body,
        "the same removePassword body"
    );
    assert_eq!(pattern(sent[0].path()), removed.pattern());
    assert_eq!(pattern(sent[1].path()), patched.pattern());
    assert_eq!(pattern(sent[2].path()), granted.pattern());
    let problems = misfits_any(&sent[2].json(), &[&granted.request_body]);
    assert!(problems.is_empty(), "{problems:?}");
}

/// How a request the core sends relates to the recordings.
enum Counterpart {
    /// The recordings hold requests of the same method and path pattern.
    Same,
    /// The recordings make the same change another way: `(method, pattern)` of theirs.
    Other(&'static str, &'static str),
    /// Not recorded.
    None,
}

/// The requests the core sends, by method and path pattern, and their recorded counterparts.
fn counterpart(method: &str, pattern: &str) -> Counterpart {
    match (method, pattern) {
        ("PATCH", "v1.0/applications(uniqueName={id})") => {
            Counterpart::Other("POST", "v1.0/applications")
        }
        ("GET", "v1.0/applications(appId={id})") => {
            Counterpart::Other("GET", "v1.0/applications/{id}")
        }
        ("GET", "v1.0/servicePrincipals(appId={id})") => {
            Counterpart::Other("GET", "v1.0/servicePrincipals/{id}")
        }
        (
            "GET",
            "v1.0/applications(uniqueName={id})"
            | "v1.0/servicePrincipals/{id}/appRoleAssignments"
            | "v1.0/policies/defaultAppManagementPolicy"
            | "v1.0/applications/{id}/appManagementPolicies",
        )
        | ("POST", "v1.0/servicePrincipals/{id}/appRoleAssignedTo")
        | ("PATCH", "v1.0/oauth2PermissionGrants/{id}") => Counterpart::None,
        _ => Counterpart::Same,
    }
}

/// The conditions of a `$filter` joined by `and`, their string literals replaced by `'{id}'`.
fn filter_clauses(filter: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut quoted = false;
    for c in filter.chars() {
        match (c, quoted) {
            ('\'', false) => {
                plain.push_str("'{id}'");
                quoted = true;
            }
            ('\'', true) => quoted = false,
            (_, true) => {}
            (c, false) => plain.push(c),
        }
    }
    plain.split(" and ").map(|c| c.trim().to_string()).collect()
}

/// Compare one request the core sent with the recordings.
fn compare_with_recordings(sent: &Sent, applications: &[Value]) {
    let method = sent.method.as_str();
    let path = pattern(sent.path());
    let matching = |method: &str, path: &str| -> Vec<&'static Exchange> {
        recorded().iter().filter(|e| e.is(method, path)).collect()
    };
    let theirs = match counterpart(method, &path) {
        Counterpart::None => return,
        Counterpart::Same => {
            let theirs = matching(method, &path);
            assert!(
                !theirs.is_empty(),
                "{}: no recording of {method} {path}, and none is listed as missing",
                sent.line()
            );
            theirs
        }
        Counterpart::Other(method, path) => {
            let theirs = matching(method, path);
            assert!(!theirs.is_empty(), "no recording of {method} {path}");
            theirs
        }
    };
    if let Some(filter) = sent.query_value("$filter") {
        // The recorded filter's conditions are all in ours (ours may narrow it further).
        let ours = filter_clauses(&filter);
        let recorded_filters: Vec<Vec<String>> = theirs
            .iter()
            .filter_map(|e| {
                exchanges::form_fields(e.url.query()?)
                    .into_iter()
                    .find(|(k, _)| k == "$filter")
            })
            .map(|(_, f)| filter_clauses(&f))
            .collect();
        assert!(
            recorded_filters
                .iter()
                .any(|clauses| clauses.iter().all(|c| ours.contains(c))),
            "{}: the filter {ours:?} holds no recorded filter {recorded_filters:?}",
            sent.line()
        );
    }
    if sent.body.is_empty() {
        return;
    }
    if sent
        .header("content-type")
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"))
    {
        let grant = sent
            .form()
            .into_iter()
            .find(|(k, _)| k == "grant_type")
            .map(|(_, v)| v);
        // The recorded forms of the same kind (MSAL.js keeps them; the other SDKs sanitised theirs).
        let forms: Vec<Vec<(String, String)>> = theirs
            .iter()
            .filter_map(|e| e.form())
            .filter(|form| {
                let theirs = form
                    .iter()
                    .find(|(k, _)| k == "grant_type")
                    .map(|(_, v)| v.as_str());
                match grant.as_deref() {
                    None => theirs.is_none(),
                    Some("urn:ietf:params:oauth:grant-type:device_code") => {
                        theirs == Some("device_code")
                    }
                    Some(ours) => theirs == Some(ours),
                }
            })
            .collect();
        if grant.as_deref() == Some("client_credentials") {
            assert!(
                forms.is_empty(),
                "a client-credentials form is recorded now: compare it"
            );
            return;
        }
        assert!(
            !forms.is_empty(),
            "{}: no recorded form for {grant:?}",
            sent.line()
        );
        for (key, _) in sent.form() {
            assert!(
                forms.iter().any(|f| f.iter().any(|(k, _)| *k == key)),
                "{}: `{key}` is in no recorded form",
                sent.line()
            );
        }
        return;
    }
    let mut recorded_bodies: Vec<&Value> = theirs
        .iter()
        .map(|e| &e.request_body)
        .filter(|b| b.is_object())
        .collect();
    if path.starts_with("v1.0/applications") {
        // A property no recorded request wrote must be one Graph answers with, of that type.
        recorded_bodies.extend(applications);
    }
    let problems = misfits_any(&sent.json(), &recorded_bodies);
    assert!(problems.is_empty(), "{}: {problems:?}", sent.line());
}

#[tokio::test]
async fn the_core_s_requests_match_the_recorded_requests() {
    let served = support::serve_scenario(
        "contoso",
        "admin@contoso.com",
        |s| s["tenants"][0]["applications"] = json!([]),
        Utc::now(),
    )
    .await;
    let stand_in = served.fake.endpoints().login.clone();
    let wire = Wire::forward(&stand_in).await;
    let ctx = Context {
        http: http(),
        endpoints: wire.endpoints(),
        now: Utc::now(),
    };

    // Discovery, the administrator's device-code sign-in and a refresh, as the core makes them.
    identity::discover(&ctx.http, &ctx.endpoints, "contoso.com")
        .await
        .expect("discovery");
    let mut scopes: Vec<String> = support::ADMIN_READ_SCOPES
        .split(' ')
        .map(str::to_string)
        .collect();
    scopes.extend(fix::repair_scopes(&ctx));
    let admin = identity::sign_in_with_device_code(
        &ctx.http,
        &ctx.endpoints,
        "contoso.com",
        support::PUBLIC_CLIENT,
        &scopes,
        &|_| {},
    )
    .await
    .expect("signed in");
    let refresh = admin.refresh_token.clone().expect("a refresh token");
    let admin = identity::token_for_scopes(
        &ctx.http,
        &ctx.endpoints,
        "contoso.com",
        support::PUBLIC_CLIENT,
        &refresh,
        &scopes,
    )
    .await
    .expect("refreshed");

    // The repairs: register a delegated and an application-permission integration, change a
    // redirect URI, rotate a secret and remove the old one.
    let session = RepairSession {
        ctx: &ctx,
        admin_token: &admin.access_token,
        patience: Patience {
            total: Duration::from_secs(30),
            first_wait: Duration::from_millis(200),
            max_wait: Duration::from_secs(1),
        },
        progress: &|_| {},
    };
    let catalog = Catalog::shipped();
    let register = |profile: &str, client_id: Option<String>, redirect: Option<&str>| {
        let profile = catalog.get(profile).expect("shipped").clone();
        let inputs = RegistrationInputs {
            tenant: "contoso.com".into(),
            client_id,
            redirect_uri: redirect.map(str::to_string),
            app_name: None,
        };
        async move { fix::register(&profile, &inputs, &SecretRequest::default(), &session).await }
    };
    let odoo = register(
        "odoo-outlook-calendar",
        None,
        Some("https://odoo.contoso.com/microsoft_account/authentication"),
    )
    .await
    .expect("registered");
    register(
        "odoo-outlook-calendar",
        Some(odoo.client_id.clone()),
        Some("https://erp.contoso.com/microsoft_account/authentication"),
    )
    .await
    .expect("a second redirect URI");
    let connector = register("exchange-calendar-connector", None, None)
        .await
        .expect("registered");
    let first = connector.secret.expect("a secret");
    let rotated = fix::rotate_secret("contoso.com", &connector.client_id, 30, &session)
        .await
        .expect("rotated");
    let removal = fix::remove_secret(
        "contoso.com",
        &connector.client_id,
        &first.key_id,
        Some(&rotated.secret.value),
        &session,
    )
    .await
    .expect("removed");
    assert!(removal.removed);

    let sent = wire.sent();
    let seen: Vec<(String, String)> = sent
        .iter()
        .map(|s| (s.method.clone(), pattern(s.path())))
        .collect();
    for (method, path) in [
        ("GET", "{tenant}/v2.0/.well-known/openid-configuration"),
        ("POST", "{tenant}/oauth2/v2.0/devicecode"),
        ("POST", "{tenant}/oauth2/v2.0/token"),
        ("PATCH", "v1.0/applications(uniqueName={id})"),
        ("PATCH", "v1.0/applications/{id}"),
        ("POST", "v1.0/applications/{id}/addPassword"),
        ("POST", "v1.0/applications/{id}/removePassword"),
        ("POST", "v1.0/servicePrincipals"),
        ("POST", "v1.0/oauth2PermissionGrants"),
        ("GET", "v1.0/oauth2PermissionGrants"),
        ("GET", "v1.0/applications(appId={id})"),
    ] {
        assert!(
            seen.iter().any(|(m, p)| m == method && p == path),
            "the core never sent {method} {path}: {seen:#?}"
        );
    }
    let grants: Vec<String> = sent
        .iter()
        .filter_map(|s| s.form().into_iter().find(|(k, _)| k == "grant_type"))
        .map(|(_, v)| v)
        .collect();
    for grant in [
        "urn:ietf:params:oauth:grant-type:device_code",
        "refresh_token",
        "client_credentials",
    ] {
        assert!(grants.iter().any(|g| g == grant), "{grant} in {grants:?}");
    }
    let applications: Vec<Value> = recorded_applications()
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    for request in &sent {
        compare_with_recordings(request, &applications);
    }
    drop(wire);
    served.fake.shutdown().await;
}

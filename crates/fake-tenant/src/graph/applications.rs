//! `/v1.0/applications`: list (`$filter=appId eq '…'`, `$select`, paging), get by object ID,
//! `(appId='…')` or `(uniqueName='…')`, create, update (PATCH replaces `requiredResourceAccess`
//! whole), upsert (`PATCH /applications(uniqueName='…')` with `Prefer: create-if-missing`: 201 and
//! the new application when there is none by that name, else an update and 204 — the name is
//! unique at once, before the new application has replicated), delete, `addPassword`
//! (honouring the tenant's `secret_max_lifetime_days`), `removePassword`, `addKey` / `removeKey`
//! (with their proof of possession), and the custom app-management policies applied to one
//! (`/appManagementPolicies`: none in a scenario).
//!
//! Certificates (`keyCredentials`) are kept as [`crate::certificates::KeyCredential`]s: a write
//! replaces the whole list (honouring `certificate_max_lifetime_days`), and the token endpoint accepts
//! client assertions signed with their keys. The list makes JSON only for the page asked for (or the
//! registrations a `$filter` on `appId` / `id` names), so tenants of tens of thousands page cheaply.
//!
//! As Graph does, an application created without `signInAudience` is for work, school and personal
//! accounts (`AzureADandPersonalMicrosoftAccount`) and asks for v2 tokens
//! (`api.requestedAccessTokenVersion` 2), and its `isFallbackPublicClient` stays null until written.
//! Properties the stand-in does not act on (`description`, `notes`, `web.homePageUrl`, `api`,
//! `optionalClaims`, …) are kept as written and shown back; complex
//! properties are merged on PATCH, as OData merges them.

use std::time::Instant;

use axum::http::{Method, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use super::{
    APPS_READ_APPLICATION, APPS_READ_DELEGATED, APPS_WRITE_APPLICATION, APPS_WRITE_DELEGATED, Call,
    Clause, GRAPH_BASE, Literal, graph_time, key_credentials, merge, method_not_allowed,
    parse_filter, with_location,
};
use crate::errors::{GraphError, graph_empty};
use crate::state::{
    Application, Directory, RequiredResourceAccess, Secret, Tenant, new_guid, random_token,
};

/// The Graph JSON of an application.
pub fn to_json(app: &Application, tenant: &Tenant) -> Value {
    let mut json = json!({
        "id": app.object_id,
        "deletedDateTime": null,
        "appId": app.app_id,
        "applicationTemplateId": null,
        "disabledByMicrosoftStatus": null,
        "createdDateTime": graph_time(&app.created),
        "displayName": app.display_name,
        "description": null,
        "groupMembershipClaims": null,
        "identifierUris": app.identifier_uris,
        "isDeviceOnlyAuthSupported": null,
        "isDisabled": !app.enabled,
        "isFallbackPublicClient": app.is_fallback_public_client,
        "nativeAuthenticationApisEnabled": null,
        "notes": null,
        "publisherDomain": tenant.domains.first(),
        "serviceManagementReference": null,
        "signInAudience": app.sign_in_audience,
        "tags": [],
        "tokenEncryptionKeyId": null,
        "uniqueName": app.unique_name,
        "samlMetadataUrl": null,
        "defaultRedirectUri": null,
        "certification": null,
        "optionalClaims": null,
        "servicePrincipalLockConfiguration": null,
        "requestSignatureVerification": null,
        "addIns": [],
        "api": {
            "acceptMappedClaims": null,
            "knownClientApplications": [],
            "requestedAccessTokenVersion": null,
            "oauth2PermissionScopes": [],
            "preAuthorizedApplications": []
        },
        "appRoles": [],
        "info": {"logoUrl": null, "marketingUrl": null, "privacyStatementUrl": null, "supportUrl": null, "termsOfServiceUrl": null},
        "keyCredentials": app.certificates.iter().map(key_credentials::to_json).collect::<Vec<_>>(),
        "parentalControlSettings": {"countriesBlockedForMinors": [], "legalAgeGroupRule": "Allow"},
        "passwordCredentials": app.secrets.iter().map(password_json).collect::<Vec<_>>(),
        "publicClient": {"redirectUris": app.public_client_redirect_uris},
        "requiredResourceAccess": app.required_resource_access,
        "verifiedPublisher": {"displayName": null, "verifiedPublisherId": null, "addedDateTime": null},
        "web": {
            "homePageUrl": null,
            "logoutUrl": null,
            "redirectUris": app.web_redirect_uris,
            "implicitGrantSettings": {"enableAccessTokenIssuance": false, "enableIdTokenIssuance": false},
            "redirectUriSettings": app.web_redirect_uris.iter().map(|uri| json!({"uri": uri, "index": null})).collect::<Vec<_>>()
        },
        "spa": {"redirectUris": app.spa_redirect_uris},
    });
    merge(&mut json, &app.shown);
    json
}

/// Whether an audience takes personal Microsoft accounts, which need v2 tokens.
fn takes_personal_accounts(audience: &str) -> bool {
    matches!(
        audience,
        "AzureADandPersonalMicrosoftAccount" | "PersonalMicrosoftAccount"
    )
}

fn password_json(secret: &Secret) -> Value {
    json!({
        "customKeyIdentifier": null,
        "displayName": if secret.display_name.is_empty() { Value::Null } else { json!(secret.display_name) },
        "endDateTime": graph_time(&secret.end),
        "hint": secret.value.chars().take(3).collect::<String>(),
        "keyId": secret.key_id,
        "secretText": null,
        "startDateTime": graph_time(&secret.start),
    })
}

/// The actions and navigation properties of an application the stand-in serves.
const SEGMENTS: &[&str] = &[
    "addPassword",
    "removePassword",
    "addKey",
    "removeKey",
    "appManagementPolicies",
];

/// Routes `/applications…`.
pub fn route(call: &Call<'_>) -> Result<Response, GraphError> {
    let (key, action) = call.entity_path();
    match (key, action, &call.method) {
        (None, _, &Method::GET) => list(call),
        (None, _, &Method::POST) => create(call),
        (Some(key), None, &Method::GET) => get(call, &key),
        (Some(key), None, &Method::PATCH) => update(call, &key),
        (Some(key), None, &Method::DELETE) => delete(call, &key),
        (Some(key), Some("addPassword"), &Method::POST) => add_password(call, &key),
        (Some(key), Some("removePassword"), &Method::POST) => remove_password(call, &key),
        (Some(key), Some("addKey"), &Method::POST) => add_key(call, &key),
        (Some(key), Some("removeKey"), &Method::POST) => remove_key(call, &key),
        (Some(key), Some("appManagementPolicies"), &Method::GET) => policies_of(call, &key),
        (Some(_), Some(other), _) if !SEGMENTS.contains(&other) => Err(call.unknown_segment(other)),
        _ => Err(method_not_allowed(call)),
    }
}

fn find(tenant: &Tenant, key: &(Option<String>, String), now: Instant) -> Option<usize> {
    tenant
        .applications
        .iter()
        .position(|app| app.visible_at <= now && has_key(app, key))
}

fn has_key(app: &Application, key: &(Option<String>, String)) -> bool {
    match key.0.as_deref() {
        Some("appId") => app.app_id.eq_ignore_ascii_case(&key.1),
        Some("uniqueName") => app
            .unique_name
            .as_deref()
            .is_some_and(|name| name.eq_ignore_ascii_case(&key.1)),
        Some(_) => false,
        None => app.object_id.eq_ignore_ascii_case(&key.1),
    }
}

/// `GET /applications/{id}/appManagementPolicies`: the custom policies applied to the app — none in
/// a scenario (the tenant's limit is its default policy); 403 when policies are unreadable.
fn policies_of(call: &Call<'_>, key: &(Option<String>, String)) -> Result<Response, GraphError> {
    call.require(APPS_READ_DELEGATED, APPS_READ_APPLICATION)?;
    call.require(
        &[
            "Policy.Read.All",
            "Policy.ReadWrite.ApplicationConfiguration",
        ],
        &[
            "Policy.Read.All",
            "Policy.ReadWrite.ApplicationConfiguration",
        ],
    )?;
    let directory = call.shared.directory();
    let tenant = &directory.tenants[call.caller.tenant];
    if !tenant.app_management_policy_readable {
        return Err(call.denied());
    }
    find(tenant, key, call.now).ok_or_else(|| call.not_found(&key.1))?;
    // A navigation to policies kept elsewhere: its context is where they live (the CSDL's binding).
    call.collection(
        "policies/appManagementPolicies",
        "appManagementPolicy",
        Vec::new(),
    )
}

fn list(call: &Call<'_>) -> Result<Response, GraphError> {
    call.read_tenant(APPS_READ_DELEGATED, APPS_READ_APPLICATION, |tenant| {
        list_of(call, tenant)
    })
}

/// The applications of `tenant` visible now, as `GET /applications` answers them.
fn list_of(call: &Call<'_>, tenant: &Tenant) -> Result<Response, GraphError> {
    let now = call.now;
    // Only the page asked for is made into JSON: tenants with tens of thousands of registrations
    // page through at one page's cost per request.
    // A `$filter` naming registrations by `appId` or `id` (the clauses are ANDed) keeps only those
    // before any JSON is made; the filter itself then applies as usual.
    let named = call
        .param("$filter")
        .and_then(parse_filter)
        .and_then(|clauses| {
            clauses.into_iter().find_map(|clause| match clause {
                Clause::Eq(property, Literal::Text(value))
                    if property == "appId" || property == "id" =>
                {
                    Some((property, value))
                }
                _ => None,
            })
        });
    let visible: Vec<&Application> = tenant
        .applications
        .iter()
        .filter(|app| app.visible_at <= now)
        .filter(|app| match &named {
            Some((property, value)) if property == "appId" => {
                app.app_id.eq_ignore_ascii_case(value)
            }
            Some((_, value)) => app.object_id.eq_ignore_ascii_case(value),
            None => true,
        })
        .collect();
    call.collection_window("applications", "application", visible.len(), |range| {
        visible[range]
            .iter()
            .map(|app| to_json(app, tenant))
            .collect()
    })
}

fn get(call: &Call<'_>, key: &(Option<String>, String)) -> Result<Response, GraphError> {
    call.read_tenant(APPS_READ_DELEGATED, APPS_READ_APPLICATION, |tenant| {
        let index = find(tenant, key, call.now).ok_or_else(|| call.not_found(&key.1))?;
        call.entity(
            StatusCode::OK,
            "applications/$entity",
            "application",
            to_json(&tenant.applications[index], tenant),
        )
    })
}

fn bad_request(call: &Call<'_>, message: impl Into<String>) -> GraphError {
    call.error(StatusCode::BAD_REQUEST, "Request_BadRequest", message)
}

fn string_list(call: &Call<'_>, value: &Value, property: &str) -> Result<Vec<String>, GraphError> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .ok_or_else(|| {
            bad_request(
                call,
                format!(
                    "Invalid value specified for property '{property}' of resource 'Application'."
                ),
            )
        })
}

fn invalid(call: &Call<'_>, property: &str) -> GraphError {
    bad_request(
        call,
        format!("Invalid value specified for property '{property}' of resource 'Application'."),
    )
}

fn redirect_list(
    call: &Call<'_>,
    value: &Value,
    property: &str,
) -> Result<Vec<String>, GraphError> {
    let uris = string_list(call, value, property)?;
    for uri in &uris {
        if url::Url::parse(uri).is_err() {
            return Err(invalid(call, property));
        }
    }
    Ok(uris)
}

/// The properties of a platform (`web`, `spa`, `publicClient`) other than its redirect URIs that the
/// stand-in keeps as written.
const PLATFORM_SHOWN: &[(&str, &[&str])] = &[
    (
        "web",
        &[
            "homePageUrl",
            "logoutUrl",
            "implicitGrantSettings",
            "redirectUriSettings",
        ],
    ),
    ("spa", &[]),
    ("publicClient", &[]),
];

/// The properties of `api` a write may set.
const API_PROPERTIES: &[&str] = &[
    "acceptMappedClaims",
    "knownClientApplications",
    "requestedAccessTokenVersion",
    "oauth2PermissionScopes",
    "preAuthorizedApplications",
];

/// Writes a platform: its redirect URIs into the model (when given, as OData merges a complex
/// property), the rest into what is shown.
fn apply_platform(
    call: &Call<'_>,
    app: &mut Application,
    platform: &str,
    value: &Value,
) -> Result<(), GraphError> {
    let Some(object) = value.as_object() else {
        return Err(invalid(call, platform));
    };
    let kept = PLATFORM_SHOWN
        .iter()
        .find(|(name, _)| *name == platform)
        .map(|(_, kept)| *kept)
        .unwrap_or_default();
    let mut shown = Map::new();
    for (property, inner) in object {
        if property == "redirectUris" {
            let uris = redirect_list(call, inner, &format!("{platform}.redirectUris"))?;
            match platform {
                "web" => app.web_redirect_uris = uris,
                "spa" => app.spa_redirect_uris = uris,
                _ => app.public_client_redirect_uris = uris,
            }
        } else if kept.contains(&property.as_str()) {
            shown.insert(property.clone(), inner.clone());
        } else {
            return Err(invalid(call, &format!("{platform}.{property}")));
        }
    }
    if !shown.is_empty() {
        merge_shown(app, platform, Value::Object(shown));
    }
    Ok(())
}

/// Keeps a written property to show back, merging objects into what was kept before.
fn merge_shown(app: &mut Application, property: &str, value: Value) {
    match (app.shown.get_mut(property), value) {
        (Some(existing @ Value::Object(_)), Value::Object(patch)) => merge(existing, &patch),
        (_, value) => {
            app.shown.insert(property.to_owned(), value);
        }
    }
}

/// A property Graph fills in when a write leaves it out, and how.
type Filled = (&'static str, fn() -> Value);

/// What Graph fills in on an app role it is given without them.
const APP_ROLE_DEFAULTS: &[Filled] = &[
    ("allowedMemberTypes", || json!([])),
    ("description", || Value::Null),
    ("displayName", || Value::Null),
    ("id", || json!(new_guid())),
    ("isEnabled", || json!(true)),
    ("origin", || json!("Application")),
    ("value", || Value::Null),
];

/// What Graph fills in on a delegated permission an application publishes.
const SCOPE_DEFAULTS: &[Filled] = &[
    ("adminConsentDescription", || Value::Null),
    ("adminConsentDisplayName", || Value::Null),
    ("id", || json!(new_guid())),
    ("isEnabled", || json!(true)),
    ("type", || json!("User")),
    ("userConsentDescription", || Value::Null),
    ("userConsentDisplayName", || Value::Null),
    ("value", || Value::Null),
];

/// What Graph fills in on an optional claim.
const CLAIM_DEFAULTS: &[Filled] = &[
    ("additionalProperties", || json!([])),
    ("essential", || json!(false)),
    ("name", || Value::Null),
    ("source", || Value::Null),
];

/// A written list of objects with the properties Graph fills in added where they were left out
/// (400 when it is not a list of objects, or an object names a property the type does not have).
fn with_defaults(
    call: &Call<'_>,
    written: &Value,
    property: &str,
    defaults: &[Filled],
) -> Result<Value, GraphError> {
    let items = written.as_array().ok_or_else(|| invalid(call, property))?;
    let mut filled = Vec::with_capacity(items.len());
    for item in items {
        let item = item.as_object().ok_or_else(|| invalid(call, property))?;
        if item
            .keys()
            .any(|k| k != "@odata.type" && !defaults.iter().any(|(name, _)| name == k))
        {
            return Err(invalid(call, property));
        }
        let mut object = Map::new();
        for (name, default) in defaults {
            let value = item.get(*name).cloned().unwrap_or_else(default);
            object.insert((*name).to_owned(), value);
        }
        filled.push(Value::Object(object));
    }
    Ok(Value::Array(filled))
}

/// Applies writable properties of a POST/PATCH body to an application.
fn apply(
    call: &Call<'_>,
    app: &mut Application,
    body: &Map<String, Value>,
) -> Result<(), GraphError> {
    for (property, value) in body {
        let text_or_null = value.is_string() || value.is_null();
        match property.as_str() {
            "displayName" => {
                app.display_name = value
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| invalid(call, "displayName"))?;
            }
            "signInAudience" => {
                let audience = value.as_str().unwrap_or_default();
                if ![
                    "AzureADMyOrg",
                    "AzureADMultipleOrgs",
                    "AzureADandPersonalMicrosoftAccount",
                    "PersonalMicrosoftAccount",
                ]
                .contains(&audience)
                {
                    return Err(invalid(call, "signInAudience"));
                }
                app.sign_in_audience = audience.to_owned();
            }
            "isFallbackPublicClient" => {
                if !(value.is_boolean() || value.is_null()) {
                    return Err(invalid(call, property));
                }
                app.is_fallback_public_client = value.as_bool().unwrap_or(false);
                // Null until written, and null again when written null.
                if value.is_null() {
                    app.shown.insert(property.clone(), Value::Null);
                } else {
                    app.shown.remove(property);
                }
            }
            "identifierUris" => app.identifier_uris = string_list(call, value, "identifierUris")?,
            "web" | "spa" | "publicClient" => apply_platform(call, app, property, value)?,
            "requiredResourceAccess" => {
                app.required_resource_access =
                    serde_json::from_value::<Vec<RequiredResourceAccess>>(value.clone())
                        .map_err(|_| invalid(call, "requiredResourceAccess"))?;
            }
            "keyCredentials" => {
                // The whole list is replaced, as Graph replaces a collection property.
                app.certificates = key_credentials::parse_all(value, &app.certificates, call.now)
                    .map_err(|_| invalid(call, "keyCredentials"))?;
            }
            "api" => {
                let Some(api) = value.as_object() else {
                    return Err(invalid(call, "api"));
                };
                if let Some(unknown) = api.keys().find(|k| !API_PROPERTIES.contains(&k.as_str())) {
                    return Err(invalid(call, &format!("api.{unknown}")));
                }
                let mut api = api.clone();
                if let Some(scopes) = api.get_mut("oauth2PermissionScopes") {
                    *scopes =
                        with_defaults(call, scopes, "api.oauth2PermissionScopes", SCOPE_DEFAULTS)?;
                }
                merge_shown(app, property, Value::Object(api));
            }
            "appRoles" => {
                let roles = with_defaults(call, value, property, APP_ROLE_DEFAULTS)?;
                app.shown.insert(property.clone(), roles);
            }
            "optionalClaims" if value.is_object() => {
                let mut claims = Map::new();
                for token in ["accessToken", "idToken", "saml2Token"] {
                    let written = value.get(token).cloned().unwrap_or_else(|| json!([]));
                    let at = format!("optionalClaims.{token}");
                    claims.insert(
                        token.to_owned(),
                        with_defaults(call, &written, &at, CLAIM_DEFAULTS)?,
                    );
                }
                if let Some(unknown) = value
                    .as_object()
                    .and_then(|o| o.keys().find(|k| !claims.contains_key(k.as_str())))
                {
                    return Err(invalid(call, &format!("optionalClaims.{unknown}")));
                }
                app.shown.insert(property.clone(), Value::Object(claims));
            }
            "info" | "parentalControlSettings" if value.is_object() => {
                merge_shown(app, property, value.clone());
            }
            "optionalClaims" if value.is_null() => {
                app.shown.insert(property.clone(), Value::Null);
            }
            "tags" | "addIns" if value.is_array() => {
                app.shown.insert(property.clone(), value.clone());
            }
            "description"
            | "notes"
            | "groupMembershipClaims"
            | "serviceManagementReference"
            | "tokenEncryptionKeyId"
            | "defaultRedirectUri"
                if text_or_null =>
            {
                app.shown.insert(property.clone(), value.clone());
            }
            "isDeviceOnlyAuthSupported" if value.is_boolean() || value.is_null() => {
                app.shown.insert(property.clone(), value.clone());
            }
            "@odata.type" => {}
            "info"
            | "parentalControlSettings"
            | "optionalClaims"
            | "tags"
            | "addIns"
            | "description"
            | "notes"
            | "groupMembershipClaims"
            | "serviceManagementReference"
            | "tokenEncryptionKeyId"
            | "defaultRedirectUri"
            | "isDeviceOnlyAuthSupported" => return Err(invalid(call, property)),
            other => {
                return Err(bad_request(
                    call,
                    format!(
                        "Property '{other}' does not exist as a declared property or extension property."
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn create(call: &Call<'_>) -> Result<Response, GraphError> {
    let body = call.json_body()?;
    let mut directory = call.shared.directory();
    call.require_admin_write(&directory, APPS_WRITE_DELEGATED, APPS_WRITE_APPLICATION)?;
    insert(call, &mut directory, &body, None)
}

/// A new application from a create or upsert body, added to the caller's tenant: 201 and its JSON.
fn insert(
    call: &Call<'_>,
    directory: &mut Directory,
    body: &Map<String, Value>,
    unique_name: Option<String>,
) -> Result<Response, GraphError> {
    if !body.get("displayName").is_some_and(Value::is_string) {
        return Err(bad_request(call, "Property 'displayName' is required."));
    }
    let visible_at = directory.visible_from(call.now);
    let mut app = Application {
        object_id: new_guid(),
        app_id: new_guid(),
        display_name: String::new(),
        unique_name,
        // Graph's default for an application created through the API.
        sign_in_audience: "AzureADandPersonalMicrosoftAccount".to_owned(),
        web_redirect_uris: Vec::new(),
        spa_redirect_uris: Vec::new(),
        public_client_redirect_uris: Vec::new(),
        is_fallback_public_client: false,
        enabled: true,
        identifier_uris: Vec::new(),
        required_resource_access: Vec::new(),
        secrets: Vec::new(),
        certificates: Vec::new(),
        created: call.ids.date,
        visible_at,
        // Graph leaves it null until it is written.
        shown: Map::from_iter([("isFallbackPublicClient".to_owned(), Value::Null)]),
    };
    apply(call, &mut app, body)?;
    // Personal accounts need v2 tokens: Graph asks for them unless the write said otherwise.
    let version_written = app
        .shown
        .get("api")
        .is_some_and(|api| api.get("requestedAccessTokenVersion").is_some());
    if takes_personal_accounts(&app.sign_in_audience) && !version_written {
        merge_shown(&mut app, "api", json!({"requestedAccessTokenVersion": 2}));
    }
    let tenant = &mut directory.tenants[call.caller.tenant];
    check_key_lifetimes(call, tenant, &app.certificates, &[])?;
    let json = to_json(&app, tenant);
    let location = format!(
        "{GRAPH_BASE}/v2/{}/directoryObjects/{}/Microsoft.DirectoryServices.Application",
        tenant.id, app.object_id
    );
    tenant.applications.push(app);
    let response = call.entity(
        StatusCode::CREATED,
        "applications/$entity",
        "application",
        json,
    )?;
    Ok(with_location(response, &location))
}

fn update(call: &Call<'_>, key: &(Option<String>, String)) -> Result<Response, GraphError> {
    let body = call.json_body()?;
    let mut directory = call.shared.directory();
    call.require_admin_write(&directory, APPS_WRITE_DELEGATED, APPS_WRITE_APPLICATION)?;
    let upsert = key.0.as_deref() == Some("uniqueName");
    let tenant = &mut directory.tenants[call.caller.tenant];
    // A unique name is unique at once: an upsert finds an application not replicated yet.
    let index = if upsert {
        tenant.applications.iter().position(|app| has_key(app, key))
    } else {
        find(tenant, key, call.now)
    };
    let index = match index {
        Some(index) => index,
        None if upsert && call.prefer.iter().any(|p| p == "create-if-missing") => {
            if key.1.is_empty() {
                return Err(bad_request(
                    call,
                    "Invalid value specified for property 'uniqueName' of resource 'Application'.",
                ));
            }
            return insert(call, &mut directory, &body, Some(key.1.clone()));
        }
        None => return Err(call.not_found(&key.1)),
    };
    let mut updated = tenant.applications[index].clone();
    apply(call, &mut updated, &body)?;
    check_key_lifetimes(
        call,
        tenant,
        &updated.certificates,
        &tenant.applications[index].certificates,
    )?;
    tenant.applications[index] = updated;
    Ok(graph_empty(&call.ids, StatusCode::NO_CONTENT))
}

fn delete(call: &Call<'_>, key: &(Option<String>, String)) -> Result<Response, GraphError> {
    call.write_tenant(APPS_WRITE_DELEGATED, APPS_WRITE_APPLICATION, |tenant| {
        let index = find(tenant, key, call.now).ok_or_else(|| call.not_found(&key.1))?;
        tenant.applications.remove(index);
        Ok(graph_empty(&call.ids, StatusCode::NO_CONTENT))
    })
}

fn parse_time(
    call: &Call<'_>,
    value: Option<&Value>,
    property: &str,
) -> Result<Option<DateTime<Utc>>, GraphError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => DateTime::parse_from_rfc3339(text)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| bad_request(call, format!("Invalid value specified for property '{property}' of resource 'PasswordCredential'."))),
        Some(_) => Err(bad_request(call, format!("Invalid value specified for property '{property}' of resource 'PasswordCredential'."))),
    }
}

/// A new secret value in the shape Entra generates: three characters, a digit, `Q~`, then 34 more.
pub fn new_secret_text() -> String {
    let alphabet: Vec<char> = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.~"
        .chars()
        .collect();
    let mut bytes = [0u8; 37];
    let _ = aws_lc_rs::rand::fill(&mut bytes);
    let pick = |b: u8| alphabet[usize::from(b) % alphabet.len()];
    let head: String = bytes[..3].iter().map(|b| pick(*b)).collect();
    let digit = char::from(b'0' + bytes[3] % 10);
    let tail: String = bytes[4..].iter().take(34).map(|b| pick(*b)).collect();
    format!("{head}{digit}Q~{tail}")
}

/// 400 `CredentialInvalidLifetimeAsPerAppPolicy`: a credential outlives the tenant's app-management
/// policy.
fn beyond_policy(call: &Call<'_>, tenant: &Tenant) -> GraphError {
    let message = format!(
        "Credential lifetime exceeds the max value allowed as per assigned policy '{}'.",
        tenant.app_policy_id
    );
    call.error(
        StatusCode::BAD_REQUEST,
        "CredentialInvalidLifetimeAsPerAppPolicy",
        message.clone(),
    )
    .with_details(json!([{"code": "InvalidKeyEndDate", "message": message, "target": "EndDate"}]))
}

/// Refuses certificates written now (those not in `before`) that outlive the tenant's
/// `certificate_max_lifetime_days`.
fn check_key_lifetimes(
    call: &Call<'_>,
    tenant: &Tenant,
    written: &[crate::certificates::KeyCredential],
    before: &[crate::certificates::KeyCredential],
) -> Result<(), GraphError> {
    let Some(days) = tenant.certificate_max_lifetime_days else {
        return Ok(());
    };
    let longest = Duration::days(i64::from(days));
    let beyond = written
        .iter()
        .filter(|key| !before.iter().any(|kept| kept.key_id == key.key_id))
        .any(|key| key.end - key.start > longest);
    if beyond {
        return Err(beyond_policy(call, tenant));
    }
    Ok(())
}

fn add_password(call: &Call<'_>, key: &(Option<String>, String)) -> Result<Response, GraphError> {
    let body = if call.body.is_empty() {
        Map::new()
    } else {
        call.json_body()?
    };
    let mut directory = call.shared.directory();
    call.require_admin_write(&directory, APPS_WRITE_DELEGATED, APPS_WRITE_APPLICATION)?;
    let visible_at = directory.visible_from(call.now);
    let tenant = &mut directory.tenants[call.caller.tenant];
    let index = find(tenant, key, call.now).ok_or_else(|| call.not_found(&key.1))?;
    let credential = body
        .get("passwordCredential")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let start = parse_time(call, credential.get("startDateTime"), "startDateTime")?
        .unwrap_or(call.ids.date);
    let end = parse_time(call, credential.get("endDateTime"), "endDateTime")?
        .unwrap_or(start + Duration::days(730));
    if end <= start {
        return Err(bad_request(
            call,
            "Invalid value specified for property 'endDateTime' of resource 'PasswordCredential'.",
        ));
    }
    if let Some(days) = tenant.secret_max_lifetime_days
        && end - start > Duration::days(i64::from(days))
    {
        return Err(beyond_policy(call, tenant));
    }
    let key_id = match credential.get("keyId") {
        None | Some(Value::Null) => new_guid(),
        Some(Value::String(id)) if uuid::Uuid::parse_str(id).is_ok() => id.to_ascii_lowercase(),
        Some(_) => {
            return Err(bad_request(
                call,
                "Invalid value specified for property 'keyId' of resource 'PasswordCredential'.",
            ));
        }
    };
    if tenant.applications[index]
        .secrets
        .iter()
        .any(|s| s.key_id.eq_ignore_ascii_case(&key_id))
    {
        return Err(bad_request(
            call,
            format!("A password credential with keyId '{key_id}' already exists."),
        ));
    }
    let secret = Secret {
        key_id,
        display_name: credential
            .get("displayName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        value: new_secret_text(),
        start,
        end,
        visible_at,
    };
    let mut json = password_json(&secret);
    json["secretText"] = json!(secret.value);
    tenant.applications[index].secrets.push(secret);
    call.entity(
        StatusCode::OK,
        "microsoft.graph.passwordCredential",
        "passwordCredential",
        json,
    )
}

fn remove_password(
    call: &Call<'_>,
    key: &(Option<String>, String),
) -> Result<Response, GraphError> {
    let body = call.json_body()?;
    call.write_tenant(APPS_WRITE_DELEGATED, APPS_WRITE_APPLICATION, |tenant| {
        let index = find(tenant, key, call.now).ok_or_else(|| call.not_found(&key.1))?;
        let secrets = &mut tenant.applications[index].secrets;
        remove_by_key_id(call, &body, secrets, |s| &s.key_id, "password credential")?;
        let _ = random_token(1);
        Ok(graph_empty(&call.ids, StatusCode::NO_CONTENT))
    })
}

/// Removes the credential whose `keyId` the body names (in any letter case); 400 `No {what} found
/// with keyId '…'.` when there is none.
fn remove_by_key_id<T>(
    call: &Call<'_>,
    body: &Map<String, Value>,
    credentials: &mut Vec<T>,
    key_id_of: impl Fn(&T) -> &str,
    what: &str,
) -> Result<(), GraphError> {
    let key_id = body
        .get("keyId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(position) = credentials
        .iter()
        .position(|c| key_id_of(c).eq_ignore_ascii_case(key_id))
    else {
        return Err(bad_request(
            call,
            format!("No {what} found with keyId '{key_id}'."),
        ));
    };
    credentials.remove(position);
    Ok(())
}

/// The audience Graph requires of an `addKey` / `removeKey` proof: the legacy Azure AD Graph's app ID.
pub const PROOF_AUDIENCE: &str = "00000002-0000-0000-c000-000000000000";

/// The longest lifetime Graph accepts for a proof (`exp` at most ten minutes after `nbf`).
const PROOF_LIFETIME_SECONDS: i64 = 600;

/// Clock skew tolerated on a proof's `nbf` / `exp`.
const PROOF_SKEW_SECONDS: i64 = 300;

/// Checks the `proof` of an `addKey` / `removeKey` call against the application's certificates: a JWT
/// signed (RS256/PS256) with the key of one of its certificates valid now, `aud`
/// [`PROOF_AUDIENCE`], `iss` the application's object ID, `nbf` and `exp` at most ten minutes apart
/// and around now. Each failure answers 400 as Graph does.
fn check_proof(
    call: &Call<'_>,
    app: &Application,
    proof: Option<&Value>,
) -> Result<(), GraphError> {
    let Some(proof) = proof.and_then(Value::as_str).filter(|p| !p.is_empty()) else {
        return Err(bad_request(call, "Property 'proof' is required."));
    };
    let now = call.shared.clock.utc();
    let valid: Vec<_> = app
        .certificates
        .iter()
        .filter(|c| c.start <= now && now < c.end)
        .collect();
    if valid.is_empty() {
        return Err(bad_request(
            call,
            "The application has no valid certificate to prove possession of a key. Use PATCH on the application to change its keyCredentials.",
        ));
    }
    let refused = |reason: &str| {
        call.error(
            StatusCode::BAD_REQUEST,
            "Authentication_MissingOrMalformed",
            format!("Invalid proof of possession: {reason}."),
        )
    };
    let jwt = crate::certificates::SignedJwt::parse(proof)
        .ok_or_else(|| refused("the proof is not a signed JWT"))?;
    if !jwt.algorithm_accepted() {
        return Err(refused("the signing algorithm must be RS256 or PS256"));
    }
    let signed_by_valid = match jwt.thumbprint() {
        Some(thumbprint) => valid
            .iter()
            .filter(|c| c.matches(&thumbprint))
            .any(|c| jwt.verifies_with(&c.certificate)),
        None => valid.iter().any(|c| jwt.verifies_with(&c.certificate)),
    };
    if !signed_by_valid {
        return Err(refused(
            "it is not signed by a valid certificate of the application",
        ));
    }
    if jwt.claim_text("aud") != Some(PROOF_AUDIENCE) {
        return Err(refused(
            "the audience must be 00000002-0000-0000-c000-000000000000",
        ));
    }
    if !jwt
        .claim_text("iss")
        .is_some_and(|iss| iss.eq_ignore_ascii_case(&app.object_id))
    {
        return Err(refused("the issuer must be the application's object ID"));
    }
    let (Some(nbf), Some(exp)) = (jwt.claim_time("nbf"), jwt.claim_time("exp")) else {
        return Err(refused("nbf and exp are required"));
    };
    let at = now.timestamp();
    if exp - nbf > PROOF_LIFETIME_SECONDS {
        return Err(refused("exp must be at most 10 minutes after nbf"));
    }
    if at + PROOF_SKEW_SECONDS < nbf || exp + PROOF_SKEW_SECONDS <= at {
        return Err(refused("the proof is not within its valid time range"));
    }
    Ok(())
}

/// Whether the caller is the application itself calling app-only (it needs no permission to roll its
/// own keys).
fn is_self(call: &Call<'_>, app: &Application) -> bool {
    matches!(call.caller.kind, super::CallerKind::App { .. })
        && call.caller.app_id.eq_ignore_ascii_case(&app.app_id)
}

/// The application an `addKey` / `removeKey` call names, once the caller may roll its keys: the
/// application itself, or a caller that may write applications.
fn key_roll_target(
    call: &Call<'_>,
    directory: &Directory,
    key: &(Option<String>, String),
) -> Result<usize, GraphError> {
    let tenant = &directory.tenants[call.caller.tenant];
    let index = find(tenant, key, call.now).ok_or_else(|| call.not_found(&key.1))?;
    if !is_self(call, &tenant.applications[index]) {
        call.require_admin_write(directory, APPS_WRITE_DELEGATED, APPS_WRITE_APPLICATION)?;
    }
    Ok(index)
}

/// `POST /applications/{id}/addKey`: adds a certificate after checking the proof signed by an existing
/// one; 200 and the key credential as Graph shows it.
fn add_key(call: &Call<'_>, key: &(Option<String>, String)) -> Result<Response, GraphError> {
    let body = call.json_body()?;
    let mut directory = call.shared.directory();
    let visible_at = directory.visible_from(call.now);
    let index = key_roll_target(call, &directory, key)?;
    let tenant = &mut directory.tenants[call.caller.tenant];
    let app = &tenant.applications[index];
    let Some(written) = body.get("keyCredential").filter(|v| v.is_object()) else {
        return Err(bad_request(call, "Property 'keyCredential' is required."));
    };
    check_proof(call, app, body.get("proof"))?;
    let credential = key_credentials::parse(written, &[], visible_at)
        .map_err(|_| invalid(call, "keyCredential"))?;
    check_key_lifetimes(call, tenant, std::slice::from_ref(&credential), &[])?;
    if app
        .certificates
        .iter()
        .any(|c| c.key_id.eq_ignore_ascii_case(&credential.key_id))
    {
        return Err(bad_request(
            call,
            format!(
                "A key credential with keyId '{}' already exists.",
                credential.key_id
            ),
        ));
    }
    let json = key_credentials::to_json(&credential);
    tenant.applications[index].certificates.push(credential);
    call.entity(
        StatusCode::OK,
        "microsoft.graph.keyCredential",
        "keyCredential",
        json,
    )
}

/// `POST /applications/{id}/removeKey`: removes a certificate by `keyId` after checking the proof;
/// 204.
fn remove_key(call: &Call<'_>, key: &(Option<String>, String)) -> Result<Response, GraphError> {
    let body = call.json_body()?;
    let mut directory = call.shared.directory();
    let index = key_roll_target(call, &directory, key)?;
    let tenant = &mut directory.tenants[call.caller.tenant];
    check_proof(call, &tenant.applications[index], body.get("proof"))?;
    let certificates = &mut tenant.applications[index].certificates;
    remove_by_key_id(call, &body, certificates, |c| &c.key_id, "key credential")?;
    Ok(graph_empty(&call.ids, StatusCode::NO_CONTENT))
}

//! Microsoft Graph v1.0 on `/v1.0/...`: routing of the subset the wizard uses, bearer-token validation
//! (401 InvalidAuthenticationToken), permission checks (403 as Microsoft answers), and the OData helpers —
//! `$filter` (`eq` joined by `and`), `$select`, `$top` / `$skiptoken` paging with `@odata.nextLink` (Outlook
//! items page with `$top` / `$skip` instead).
//!
//! The resources themselves live in [`applications`], [`service_principals`], [`grants`], [`policies`],
//! [`consent_requests`], [`users`] and [`mail`].

pub mod applications;
pub mod consent_requests;
pub mod grants;
pub mod mail;
pub mod policies;
pub mod service_principals;
pub mod users;

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::errors::{GraphError, GraphIds, graph_json};
use crate::jwt::TokenRejection;
use crate::permissions;
use crate::server::Shared;
use crate::state::Directory;

/// Who is calling Graph.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The caller's tenant (index).
    pub tenant: usize,
    /// The client's app ID.
    pub app_id: String,
    /// App-only or delegated.
    pub kind: CallerKind,
}

/// App-only or delegated.
#[derive(Debug, Clone)]
pub enum CallerKind {
    /// Client credentials: the `roles` claim.
    App {
        /// Application permissions.
        roles: Vec<String>,
    },
    /// A signed-in user: the `scp` claim.
    User {
        /// The user's object ID.
        user_id: String,
        /// Delegated permissions.
        scopes: Vec<String>,
    },
}

impl Caller {
    /// Whether the caller holds any of `delegated` (for a user) or `application` (app-only).
    pub fn has_any(&self, delegated: &[&str], application: &[&str]) -> bool {
        match &self.kind {
            CallerKind::App { roles } => roles
                .iter()
                .any(|role| application.contains(&role.as_str())),
            CallerKind::User { scopes, .. } => scopes
                .iter()
                .any(|scope| delegated.contains(&scope.as_str())),
        }
    }

    /// The signed-in user's ID, if any.
    pub fn user_id(&self) -> Option<&str> {
        match &self.kind {
            CallerKind::User { user_id, .. } => Some(user_id),
            CallerKind::App { .. } => None,
        }
    }
}

/// One Graph call being answered.
pub struct Call<'a> {
    /// The shared server state.
    pub shared: &'a Shared,
    /// Request IDs.
    pub ids: GraphIds,
    /// HTTP method.
    pub method: Method,
    /// Path segments after `/v1.0/`, percent-decoded.
    pub segments: Vec<String>,
    /// Query parameters.
    pub query: Vec<(String, String)>,
    /// The request path (for `@odata.nextLink`).
    pub path: String,
    /// Body.
    pub body: Bytes,
    /// The preferences of the `Prefer` header (`create-if-missing`, …), lower-cased.
    pub prefer: Vec<String>,
    /// The authenticated caller.
    pub caller: Caller,
    /// When the call is answered (the stand-in's clock, read once per call); its wall-clock time is
    /// `ids.date`.
    pub now: Instant,
}

impl Call<'_> {
    /// An error with this call's request IDs.
    pub fn error(&self, status: StatusCode, code: &str, message: impl Into<String>) -> GraphError {
        self.ids.error(status, code, message)
    }

    /// 403 Authorization_RequestDenied unless the caller holds one of the permissions.
    pub fn require(&self, delegated: &[&str], application: &[&str]) -> Result<(), GraphError> {
        if self.caller.has_any(delegated, application) {
            Ok(())
        } else {
            Err(self.denied())
        }
    }

    /// 403 Authorization_RequestDenied unless the caller may write the directory (an admin user, or an app).
    pub fn require_admin_write(
        &self,
        directory: &Directory,
        delegated: &[&str],
        application: &[&str],
    ) -> Result<(), GraphError> {
        self.require(delegated, application)?;
        if let Some(user_id) = self.caller.user_id() {
            let admin = directory.tenants[self.caller.tenant]
                .users
                .iter()
                .any(|u| u.id == user_id && u.admin);
            if !admin {
                return Err(self.denied());
            }
        }
        Ok(())
    }

    /// The 403 of directory calls.
    pub fn denied(&self) -> GraphError {
        self.error(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        )
    }

    /// The 404 of directory calls.
    pub fn not_found(&self, key: &str) -> GraphError {
        self.error(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            format!("Resource '{key}' does not exist or one of its queried reference-property objects are not present."),
        )
    }

    /// A query parameter (`$filter`, `$select`, …).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The JSON body as an object (400 when it is not one).
    pub fn json_body(&self) -> Result<Map<String, Value>, GraphError> {
        if self.body.is_empty() {
            return Err(self.error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "Empty Payload. JSON content expected.",
            ));
        }
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(self.error(StatusCode::BAD_REQUEST, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")),
        }
    }

    /// `@odata.context` for a path such as `applications` or `applications/$entity`.
    pub fn context(&self, fragment: &str) -> String {
        format!("{}/v1.0/$metadata#{fragment}", self.shared.endpoints.graph)
    }

    /// Answers one entity, honouring `$select`.
    pub fn entity(
        &self,
        status: StatusCode,
        context: &str,
        type_name: &str,
        object: Value,
    ) -> Result<Response, GraphError> {
        let mut object = self.select(type_name, object)?;
        if let Value::Object(map) = &mut object {
            let mut with_context = Map::new();
            with_context.insert("@odata.context".into(), json!(self.context(context)));
            with_context.extend(std::mem::take(map));
            *map = with_context;
        }
        Ok(graph_json(&self.ids, status, &object))
    }

    /// Answers a directory collection: `$filter`, then paging (`$top`, `$skiptoken`), then `$select`.
    pub fn collection(
        &self,
        context: &str,
        type_name: &str,
        items: Vec<Value>,
    ) -> Result<Response, GraphError> {
        self.collection_paged(context, type_name, items, Paging::Directory)
    }

    /// Answers a collection: `$filter`, then paging in the given style, then `$select`.
    pub fn collection_paged(
        &self,
        context: &str,
        type_name: &str,
        items: Vec<Value>,
        paging: Paging,
    ) -> Result<Response, GraphError> {
        let filtered = match self.param("$filter") {
            Some(filter) => {
                let clauses = parse_filter(filter).ok_or_else(|| {
                    self.error(
                        StatusCode::BAD_REQUEST,
                        "Request_UnsupportedQuery",
                        "Unsupported Query.",
                    )
                })?;
                let mut kept = Vec::new();
                for item in items {
                    let mut all = true;
                    for (property, value) in &clauses {
                        let Some(actual) = item.get(property) else {
                            return Err(self.error(
                                StatusCode::BAD_REQUEST,
                                "Request_BadRequest",
                                format!("Property '{property}' does not exist as a declared property or extension property."),
                            ));
                        };
                        let matches = match actual {
                            Value::String(text) => text.eq_ignore_ascii_case(value),
                            Value::Bool(flag) => flag.to_string() == *value,
                            _ => false,
                        };
                        all &= matches;
                    }
                    if all {
                        kept.push(item);
                    }
                }
                kept
            }
            None => items,
        };
        let (default_top, max_top) = match paging {
            Paging::Directory => (100, 999),
            Paging::Outlook => (10, 1000),
        };
        let top = match self.param("$top") {
            Some(top) => top
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max_top).contains(n))
                .ok_or_else(|| self.error(StatusCode::BAD_REQUEST, "Request_BadRequest", format!("Invalid page size specified: '{top}'. Must be between 1 and {max_top} inclusive.")))?,
            None => default_top,
        };
        let skip = match (paging, self.param("$skiptoken"), self.param("$skip")) {
            (Paging::Directory, Some(token), _) => token
                .strip_prefix("X'")
                .and_then(|t| t.strip_suffix('\''))
                .and_then(|t| usize::from_str_radix(t, 16).ok())
                .ok_or_else(|| self.error(StatusCode::BAD_REQUEST, "Directory_ExpiredPageToken", "The specified page token value has expired and can no longer be included in your request."))?,
            (Paging::Outlook, _, Some(skip)) => skip.parse::<usize>().map_err(|_| {
                self.error(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    format!("The query parameter '$skip' has an invalid value '{skip}'."),
                )
            })?,
            _ => 0,
        };
        let total = filtered.len();
        let mut page = Vec::new();
        for item in filtered.into_iter().skip(skip).take(top) {
            page.push(self.select(type_name, item)?);
        }
        let mut body = json!({"@odata.context": self.context(context), "value": page});
        if skip + top < total {
            let mut query = url::form_urlencoded::Serializer::new(String::new());
            let page_key = match paging {
                Paging::Directory => "$skiptoken",
                Paging::Outlook => "$skip",
            };
            for (key, value) in &self.query {
                if !key.eq_ignore_ascii_case(page_key) {
                    query.append_pair(key, value);
                }
            }
            if self.param("$top").is_none() {
                query.append_pair("$top", &top.to_string());
            }
            match paging {
                Paging::Directory => {
                    query.append_pair("$skiptoken", &format!("X'{:X}'", skip + top))
                }
                Paging::Outlook => query.append_pair("$skip", &(skip + top).to_string()),
            };
            body["@odata.nextLink"] = json!(format!(
                "{}{}?{}",
                self.shared.public_base(),
                self.path,
                query.finish()
            ));
        }
        Ok(graph_json(&self.ids, StatusCode::OK, &body))
    }

    /// Applies `$select` to an object of `microsoft.graph.{type_name}`.
    pub fn select(&self, type_name: &str, object: Value) -> Result<Value, GraphError> {
        let Some(select) = self.param("$select") else {
            return Ok(object);
        };
        let Value::Object(map) = object else {
            return Ok(object);
        };
        let mut selected = Map::new();
        if OUTLOOK_TYPES.contains(&type_name) {
            // Outlook items always come with their etag and id, whatever `$select` names.
            for key in ["@odata.etag", "id"] {
                if let Some(value) = map.get(key) {
                    selected.insert(key.to_owned(), value.clone());
                }
            }
        }
        for property in select.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match map
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(property))
            {
                Some((key, value)) => {
                    selected.insert(key.clone(), value.clone());
                }
                None => {
                    return Err(self.error(
                        StatusCode::BAD_REQUEST,
                        "BadRequest",
                        format!("Parsing OData Select and Expand failed: Could not find a property named '{property}' on type 'microsoft.graph.{type_name}'."),
                    ));
                }
            }
        }
        Ok(Value::Object(selected))
    }
}

/// How a collection pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// Directory objects: `$top` 1–999 (default 100), `@odata.nextLink` with `$skiptoken=X'…'`.
    Directory,
    /// Outlook items (events): `$top` 1–1000 (default 10), `@odata.nextLink` with `$skip=N`.
    Outlook,
}

/// Outlook entity types, whose `$select` always keeps `@odata.etag` and `id`.
const OUTLOOK_TYPES: &[&str] = &["event", "calendar"];

/// Parses `prop eq 'value' and prop2 eq 'value2'` (also unquoted booleans).
pub fn parse_filter(filter: &str) -> Option<Vec<(String, String)>> {
    let mut clauses = Vec::new();
    for clause in split_and(filter) {
        let clause = clause.trim();
        let (property, rest) = clause.split_once(char::is_whitespace)?;
        let rest = rest.trim_start();
        let value = rest.strip_prefix("eq")?.trim();
        let value =
            if let Some(quoted) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
                quoted.replace("''", "'")
            } else if value == "true" || value == "false" {
                value.to_owned()
            } else {
                return None;
            };
        clauses.push((property.to_owned(), value));
    }
    if clauses.is_empty() {
        None
    } else {
        Some(clauses)
    }
}

fn split_and(filter: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut in_quote = false;
    let tokens: Vec<&str> = filter.split(' ').collect();
    for token in tokens {
        if !in_quote && token == "and" {
            parts.push(std::mem::take(&mut current));
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(token);
        in_quote ^= token.matches('\'').count() % 2 == 1;
    }
    parts.push(current);
    parts
}

/// A path segment `name`, `name(key)` or `name(prop='key')`: (name, key).
pub fn split_key(segment: &str) -> (String, Option<(Option<String>, String)>) {
    let Some(open) = segment.find('(') else {
        return (segment.to_owned(), None);
    };
    let name = segment[..open].to_owned();
    let inner = segment[open + 1..].trim_end_matches(')');
    let (property, value) = match inner.split_once('=') {
        Some((property, value)) => (Some(property.trim().to_owned()), value.trim()),
        None => (None, inner.trim()),
    };
    let value = value.trim_matches('\'').to_owned();
    (name, Some((property, value)))
}

fn percent_decode(segment: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", segment.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, value)| value.into_owned())
        .unwrap_or_else(|| segment.to_owned())
}

fn unauthorized(ids: &GraphIds, message: &str) -> Box<Response> {
    let mut response = ids
        .error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        )
        .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(
            "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"",
        ),
    );
    Box::new(response)
}

/// Validates the bearer token: signature, lifetime, Graph audience, a tenant of the scenario.
fn authenticate(
    shared: &Shared,
    headers: &HeaderMap,
    ids: &GraphIds,
) -> Result<Caller, Box<Response>> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|token| !token.is_empty());
    let Some(token) = token else {
        return Err(unauthorized(ids, "Access token is empty."));
    };
    let claims = match shared.key.verify(token, ids.date.timestamp()) {
        Ok(claims) => claims,
        Err(TokenRejection::Expired) => {
            return Err(unauthorized(
                ids,
                "Lifetime validation failed, the token is expired.",
            ));
        }
        Err(TokenRejection::Invalid) => {
            let message = if token.split('.').count() != 3 {
                "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format."
            } else {
                "Access token validation failure."
            };
            return Err(unauthorized(ids, message));
        }
    };
    let text = |name: &str| {
        claims
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    if !permissions::is_graph_audience(&text("aud")) {
        return Err(unauthorized(
            ids,
            "Access token validation failure. Invalid audience.",
        ));
    }
    let directory = shared.directory();
    let Some(tenant) = directory.tenants.iter().position(|t| t.id == text("tid")) else {
        return Err(unauthorized(
            ids,
            "Access token validation failure. Invalid issuer.",
        ));
    };
    let kind = if text("idtyp") == "app" {
        let roles = claims
            .get("roles")
            .and_then(Value::as_array)
            .map(|roles| {
                roles
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        CallerKind::App { roles }
    } else {
        CallerKind::User {
            user_id: text("oid"),
            scopes: text("scp").split_whitespace().map(str::to_owned).collect(),
        }
    };
    Ok(Caller {
        tenant,
        app_id: text("appid"),
        kind,
    })
}

/// The single Graph handler: authenticates, then dispatches on the path.
pub async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = shared.clock.now();
    let ids = GraphIds::from_headers(&headers, shared.clock.utc());
    let caller = match authenticate(&shared, &headers, &ids) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let path = uri.path().to_owned();
    let segments: Vec<String> = path
        .trim_start_matches("/v1.0")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let query = uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let prefer = headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|p| p.trim().to_ascii_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    let call = Call {
        shared: &shared,
        ids,
        method,
        segments,
        query,
        path,
        body,
        prefer,
        caller,
        now,
    };
    match dispatch(&call) {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn dispatch(call: &Call<'_>) -> Result<Response, GraphError> {
    let Some(first) = call.segments.first() else {
        return Err(call.error(StatusCode::BAD_REQUEST, "BadRequest", "Invalid request."));
    };
    let (name, _) = split_key(first);
    match name.as_str() {
        "applications" => applications::route(call),
        "servicePrincipals" => service_principals::route(call),
        "oauth2PermissionGrants" => grants::route(call),
        "policies" => policies::route(call),
        "identityGovernance" => consent_requests::route(call),
        "users" | "me" => users::route(call),
        other => Err(call.error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("Resource not found for the segment '{other}'."),
        )),
    }
}

/// 405 for a method a path does not take.
pub fn method_not_allowed(call: &Call<'_>) -> GraphError {
    call.error(
        StatusCode::METHOD_NOT_ALLOWED,
        "Request_BadRequest",
        "Specified HTTP method is not allowed for the request uri.",
    )
}

/// Graph's timestamp format (`2024-03-05T13:14:55Z`).
pub fn graph_time(time: &chrono::DateTime<chrono::Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

//! Microsoft Graph v1.0 on `/v1.0/...`: routing of the subset the wizard uses, bearer-token validation
//! (401 InvalidAuthenticationToken), permission checks (403 as Microsoft answers), and the OData helpers:
//!
//! - `@odata.context` with Graph's own base (`https://graph.microsoft.com/v1.0/$metadata#…`, as Microsoft's
//!   recorded answers name it wherever the stand-in is reached), the `$select` list in it
//!   (`#applications(id,appId)/$entity`), and keys percent-encoded as Graph writes them
//!   (`users('ada%40contoso.com')/licenseDetails`, `servicePrincipals('appId%3D…')/appRoleAssignedTo`);
//! - `$select` on every entity and collection: only the properties named, in their declared spelling, and
//!   no `id` unless named (Outlook items keep `id` and `@odata.etag`);
//! - `$filter`: `eq` (strings case-insensitively, booleans, `null`), `startswith(…)` and `any(x:x eq '…')`
//!   joined by `and`; `ne` and `endswith(…)` only as advanced queries;
//! - advanced queries on directory objects (`ConsistencyLevel: eventual`): `$count=true` adds
//!   `@odata.count` (silently ignored without the header, as Graph does), the `/$count` segment answers
//!   the number as text (400 without the header), `$search="property:word"` (400 without the header);
//! - `$top` / `$skiptoken` paging with `@odata.nextLink` (Outlook items page with `$top` / `$skip` instead);
//! - segment names in any letter case, and bound actions also by their qualified name
//!   (`microsoft.graph.addPassword`).
//!
//! `/v1.0/$metadata` is served by [`metadata`]. The resources themselves live in [`applications`],
//! [`service_principals`], [`grants`], [`policies`], [`consent_requests`], [`users`] and [`mail`];
//! certificates written to an application's `keyCredentials` are read by [`key_credentials`].

pub mod applications;
pub mod consent_requests;
pub mod grants;
pub mod key_credentials;
pub mod mail;
pub mod metadata;
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
use crate::jwt::{TokenRejection, claim_text};
use crate::permissions;
use crate::server::Shared;
use crate::state::{Directory, Tenant};

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
    /// Whether the request asked for eventual consistency (`ConsistencyLevel: eventual`), which
    /// directory objects need for advanced queries (`$count`, `$search`, `ne`, `endswith`).
    pub eventual: bool,
    /// Whether the path ended with the `/$count` segment (removed from `segments`): the collection is
    /// answered with its number of items as text.
    pub count_only: bool,
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

    /// The 400 of a path segment the stand-in does not serve.
    pub fn unknown_segment(&self, segment: &str) -> GraphError {
        self.error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("Resource not found for the segment '{segment}'."),
        )
    }

    /// The key of an entity path (`/things/{id}` or `/things(key)`; `None` for the collection) and
    /// the name of the segment after it (an action or a navigation property).
    pub fn entity_path(&self) -> (Option<(Option<String>, String)>, Option<&str>) {
        let (_, inline) = split_key(&self.segments[0]);
        let (key, next) = match (inline, self.segments.get(1)) {
            (Some(key), _) => (Some(key), 1),
            (None, Some(id)) => (Some((None, id.clone())), 2),
            (None, None) => (None, 2),
        };
        (key, self.segments.get(next).map(String::as_str))
    }

    /// `read` on the caller's tenant, once the caller holds one of the permissions (403 otherwise).
    pub fn read_tenant<T>(
        &self,
        delegated: &[&str],
        application: &[&str],
        read: impl FnOnce(&Tenant) -> Result<T, GraphError>,
    ) -> Result<T, GraphError> {
        self.require(delegated, application)?;
        let directory = self.shared.directory();
        read(&directory.tenants[self.caller.tenant])
    }

    /// `write` on the caller's tenant, once the caller may write the directory (see
    /// [`Call::require_admin_write`]).
    pub fn write_tenant<T>(
        &self,
        delegated: &[&str],
        application: &[&str],
        write: impl FnOnce(&mut Tenant) -> Result<T, GraphError>,
    ) -> Result<T, GraphError> {
        let mut directory = self.shared.directory();
        self.require_admin_write(&directory, delegated, application)?;
        write(&mut directory.tenants[self.caller.tenant])
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

    /// `@odata.context` for a path such as `applications` or `applications/$entity`, on Graph's own base
    /// (as Microsoft names it, whatever address the stand-in is reached at).
    pub fn context(&self, fragment: &str) -> String {
        format!("{GRAPH_BASE}/v1.0/$metadata#{fragment}")
    }

    /// `@odata.context` naming the `$select` list, as Graph does: `applications(id,appId)/$entity`,
    /// `applications(id)`; the fragment itself when nothing is selected.
    fn context_selected(&self, fragment: &str, selected: Option<&[String]>) -> String {
        let Some(selected) = selected else {
            return self.context(fragment);
        };
        let list = selected.join(",");
        match fragment.strip_suffix("/$entity") {
            Some(path) => self.context(&format!("{path}({list})/$entity")),
            None => self.context(&format!("{fragment}({list})")),
        }
    }

    /// Answers one entity, honouring `$select`.
    pub fn entity(
        &self,
        status: StatusCode,
        context: &str,
        type_name: &str,
        object: Value,
    ) -> Result<Response, GraphError> {
        if self.count_only {
            return Err(self.error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "The request URI is not valid. The segment '$count' must be the last segment in the URI because it is one of the following: $ref, $batch, $count, $value, $metadata, a named media resource, an action, a noncomposable function, an action import, a noncomposable function import, an operation with void return type, or an operation import with void return type.",
            ));
        }
        let selected = self.selected_names(Some(&object));
        let mut object = self.select(type_name, object)?;
        if let Value::Object(map) = &mut object {
            let mut with_context = Map::new();
            with_context.insert(
                "@odata.context".into(),
                json!(self.context_selected(context, selected.as_deref())),
            );
            with_context.extend(std::mem::take(map));
            *map = with_context;
        }
        Ok(graph_json(&self.ids, status, &object))
    }

    /// Answers a directory collection: `$filter`, `$search`, then paging (`$top`, `$skiptoken`), then
    /// `$select`.
    pub fn collection(
        &self,
        context: &str,
        type_name: &str,
        items: Vec<Value>,
    ) -> Result<Response, GraphError> {
        self.collection_paged(context, type_name, items, Paging::Directory)
    }

    /// Whether the advanced query parameters are both there: `ConsistencyLevel: eventual` and
    /// `$count=true`.
    fn advanced(&self) -> bool {
        self.eventual && self.count_requested()
    }

    /// Whether `$count=true` was asked for.
    fn count_requested(&self) -> bool {
        self.param("$count")
            .is_some_and(|count| count.eq_ignore_ascii_case("true"))
    }

    /// Keeps the items `$filter` matches.
    fn filter(
        &self,
        type_name: &str,
        items: Vec<Value>,
        paging: Paging,
    ) -> Result<Vec<Value>, GraphError> {
        let Some(filter) = self.param("$filter") else {
            return Ok(items);
        };
        let clauses = parse_filter(filter).ok_or_else(|| {
            self.error(
                StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                "Unsupported Query.",
            )
        })?;
        if paging == Paging::Directory
            && !self.advanced()
            && let Some(operator) = clauses.iter().find_map(Clause::advanced_operator)
        {
            return Err(self.error(
                StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                format!("Operator '{operator}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information"),
            ));
        }
        let mut kept = Vec::new();
        for item in items {
            let mut all = true;
            for clause in &clauses {
                let Some(actual) = item.get(clause.property()) else {
                    return Err(self.error(
                        StatusCode::BAD_REQUEST,
                        "Request_BadRequest",
                        format!(
                            "Property '{}' does not exist as a declared property or extension property.",
                            clause.property()
                        ),
                    ));
                };
                match clause.matches(actual) {
                    Some(matches) => all &= matches,
                    None => {
                        return Err(self.error(
                            StatusCode::BAD_REQUEST,
                            "Request_UnsupportedQuery",
                            format!(
                                "Unsupported or invalid query filter clause specified for property '{}' of resource '{}'.",
                                clause.property(),
                                resource_name(type_name)
                            ),
                        ));
                    }
                }
            }
            if all {
                kept.push(item);
            }
        }
        Ok(kept)
    }

    /// Keeps the items `$search="property:word"` finds (directory objects, with `ConsistencyLevel:
    /// eventual` only): a word of the property starting with the searched one, in any letter case.
    fn search(&self, items: Vec<Value>, paging: Paging) -> Result<Vec<Value>, GraphError> {
        let Some(search) = self.param("$search") else {
            return Ok(items);
        };
        if paging == Paging::Outlook {
            return Ok(items);
        }
        if !self.eventual {
            return Err(self.error(
                StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
            ));
        }
        let unsupported = || {
            self.error(
                StatusCode::BAD_REQUEST,
                "Request_UnsupportedQuery",
                "Unsupported Query.",
            )
        };
        let (property, word) = search
            .trim()
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .and_then(|s| s.split_once(':'))
            .ok_or_else(unsupported)?;
        let word = word.trim().to_lowercase();
        Ok(items
            .into_iter()
            .filter(|item| {
                item.get(property.trim())
                    .and_then(Value::as_str)
                    .is_some_and(|text| {
                        text.to_lowercase()
                            .split(|c: char| !c.is_alphanumeric())
                            .any(|part| part.starts_with(&word))
                    })
            })
            .collect())
    }

    /// Answers a collection: `$filter` and `$search`, then paging in the given style, then `$select`;
    /// `@odata.count` when `$count=true` is honoured; the number alone for the `/$count` segment.
    pub fn collection_paged(
        &self,
        context: &str,
        type_name: &str,
        items: Vec<Value>,
        paging: Paging,
    ) -> Result<Response, GraphError> {
        let filtered = self.filter(type_name, items, paging)?;
        let filtered = self.search(filtered, paging)?;
        // Directory objects count only in advanced queries; Outlook items always.
        let counts = paging == Paging::Outlook || self.eventual;
        if self.count_only {
            if !counts {
                return Err(self.error(
                    StatusCode::BAD_REQUEST,
                    "Request_BadRequest",
                    "$count is not currently supported.",
                ));
            }
            let mut response = (StatusCode::OK, filtered.len().to_string()).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain;charset=utf-8"),
            );
            self.ids.add_headers(response.headers_mut());
            return Ok(response);
        }
        let (top, skip) = self.page_bounds(paging)?;
        let total = filtered.len();
        let page: Vec<Value> = filtered.into_iter().skip(skip).take(top).collect();
        self.page_response(context, type_name, page, total, (top, skip), paging)
    }

    /// Answers a directory collection of `total` items without `$filter` or `$search` by making only the
    /// items of the page asked for (`page` gets their index range): a list of many thousand objects costs
    /// one page's work per request. Falls back to [`collection`](Call::collection) when the query filters,
    /// searches or counts.
    pub fn collection_window(
        &self,
        context: &str,
        type_name: &str,
        total: usize,
        page: impl Fn(std::ops::Range<usize>) -> Vec<Value>,
    ) -> Result<Response, GraphError> {
        if self.count_only || self.param("$filter").is_some() || self.param("$search").is_some() {
            return self.collection(context, type_name, page(0..total));
        }
        let (top, skip) = self.page_bounds(Paging::Directory)?;
        let start = skip.min(total);
        let items = page(start..(skip.saturating_add(top)).min(total));
        self.page_response(
            context,
            type_name,
            items,
            total,
            (top, skip),
            Paging::Directory,
        )
    }

    /// `$top` (checked against the paging style's limit) and how many items to skip.
    fn page_bounds(&self, paging: Paging) -> Result<(usize, usize), GraphError> {
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
        Ok((top, skip))
    }

    /// One page of a collection: `$select` applied to its items, `@odata.count` when asked and honoured,
    /// `@odata.nextLink` when items remain after it.
    fn page_response(
        &self,
        context: &str,
        type_name: &str,
        items: Vec<Value>,
        total: usize,
        (top, skip): (usize, usize),
        paging: Paging,
    ) -> Result<Response, GraphError> {
        let counts = paging == Paging::Outlook || self.eventual;
        let selected = self.selected_names(items.first());
        let mut page = Vec::with_capacity(items.len());
        for item in items {
            page.push(self.select(type_name, item)?);
        }
        let mut body = json!({
            "@odata.context": self.context_selected(context, selected.as_deref()),
            "value": page,
        });
        if counts && self.count_requested() {
            body["@odata.count"] = json!(total);
        }
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

    /// The property names `$select` asks for, spelt as declared (`Id` → `id`), taken from an object of
    /// the type when there is one.
    fn selected_names(&self, sample: Option<&Value>) -> Option<Vec<String>> {
        let select = self.param("$select")?;
        let names = select
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|property| {
                sample
                    .and_then(Value::as_object)
                    .and_then(|map| {
                        map.keys()
                            .find(|key| key.eq_ignore_ascii_case(property))
                            .cloned()
                    })
                    .unwrap_or_else(|| lower_first(property))
            })
            .collect::<Vec<_>>();
        (!names.is_empty()).then_some(names)
    }

    /// Applies `$select` to an object of `microsoft.graph.{type_name}`: only the properties named (a
    /// directory object's `id` too only when named; Outlook items always keep `@odata.etag` and `id`).
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

/// A literal of a `$filter` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// A quoted string (`''` unescaped).
    Text(String),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

impl Literal {
    fn parse(text: &str) -> Option<Literal> {
        let text = text.trim();
        if let Some(quoted) = text.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            return Some(Literal::Text(quoted.replace("''", "'")));
        }
        match text {
            "true" => Some(Literal::Bool(true)),
            "false" => Some(Literal::Bool(false)),
            "null" => Some(Literal::Null),
            _ => None,
        }
    }

    /// Whether a property's value equals the literal (strings in any letter case); `None` when they
    /// cannot be compared.
    fn equals(&self, actual: &Value) -> Option<bool> {
        match (self, actual) {
            (Literal::Null, actual) => Some(actual.is_null()),
            (_, Value::Null) => Some(false),
            (Literal::Text(text), Value::String(actual)) => Some(text.eq_ignore_ascii_case(actual)),
            (Literal::Bool(flag), Value::Bool(actual)) => Some(flag == actual),
            _ => None,
        }
    }
}

/// One clause of a `$filter`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// `property eq literal`.
    Eq(String, Literal),
    /// `property ne literal` (an advanced query on directory objects).
    Ne(String, Literal),
    /// `startswith(property,'text')`.
    StartsWith(String, String),
    /// `endswith(property,'text')` (an advanced query on directory objects).
    EndsWith(String, String),
    /// `property/any(x:x eq 'text')` on a collection of strings.
    AnyEq(String, String),
}

impl Clause {
    /// The property the clause reads.
    pub fn property(&self) -> &str {
        match self {
            Clause::Eq(property, _)
            | Clause::Ne(property, _)
            | Clause::StartsWith(property, _)
            | Clause::EndsWith(property, _)
            | Clause::AnyEq(property, _) => property,
        }
    }

    /// The operator's name when only advanced queries take it.
    fn advanced_operator(&self) -> Option<&'static str> {
        match self {
            Clause::Ne(..) => Some("ne"),
            Clause::EndsWith(..) => Some("endsWith"),
            _ => None,
        }
    }

    /// Whether a property's value satisfies the clause; `None` when the clause does not apply to it.
    fn matches(&self, actual: &Value) -> Option<bool> {
        let text = |value: &Value| value.as_str().map(str::to_lowercase);
        match self {
            Clause::Eq(_, literal) => literal.equals(actual),
            Clause::Ne(_, literal) => literal.equals(actual).map(|equal| !equal),
            Clause::StartsWith(_, prefix) => match actual {
                Value::Null => Some(false),
                value => text(value).map(|t| t.starts_with(&prefix.to_lowercase())),
            },
            Clause::EndsWith(_, suffix) => match actual {
                Value::Null => Some(false),
                value => text(value).map(|t| t.ends_with(&suffix.to_lowercase())),
            },
            Clause::AnyEq(_, wanted) => actual.as_array().map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|item| item.eq_ignore_ascii_case(wanted))
            }),
        }
    }
}

/// A clause `name(property,'text')` for a function such as `startswith`, in any letter case.
fn function_clause(clause: &str, name: &str) -> Option<(String, String)> {
    let open = clause.find('(')?;
    if !clause[..open].trim().eq_ignore_ascii_case(name) {
        return None;
    }
    let inner = clause[open + 1..].strip_suffix(')')?;
    let (property, literal) = inner.split_once(',')?;
    match Literal::parse(literal)? {
        Literal::Text(text) => Some((property.trim().to_owned(), text)),
        _ => None,
    }
}

/// `property/any(x:x eq 'text')`, in any spacing.
fn any_clause(clause: &str) -> Option<(String, String)> {
    let lower = clause.to_ascii_lowercase();
    let at = lower.find("/any(")?;
    let property = clause[..at].trim().to_owned();
    let inner = clause[at + "/any(".len()..].strip_suffix(')')?;
    let (variable, condition) = inner.split_once(':')?;
    let rest = condition.trim().strip_prefix(variable.trim())?;
    let literal = rest.trim_start().strip_prefix("eq")?;
    match Literal::parse(literal)? {
        Literal::Text(text) => Some((property, text)),
        _ => None,
    }
}

fn parse_clause(clause: &str) -> Option<Clause> {
    let clause = clause.trim();
    if let Some((property, text)) = function_clause(clause, "startswith") {
        return Some(Clause::StartsWith(property, text));
    }
    if let Some((property, text)) = function_clause(clause, "endswith") {
        return Some(Clause::EndsWith(property, text));
    }
    if let Some((property, text)) = any_clause(clause) {
        return Some(Clause::AnyEq(property, text));
    }
    let (property, rest) = clause.split_once(char::is_whitespace)?;
    let rest = rest.trim_start();
    if let Some(literal) = rest.strip_prefix("eq ") {
        return Some(Clause::Eq(property.to_owned(), Literal::parse(literal)?));
    }
    if let Some(literal) = rest.strip_prefix("ne ") {
        return Some(Clause::Ne(property.to_owned(), Literal::parse(literal)?));
    }
    None
}

/// Parses a `$filter` of clauses joined by `and`: `prop eq 'value'` (also `true`, `false`, `null`),
/// `prop ne …`, `startswith(prop,'…')`, `endswith(prop,'…')`, `prop/any(x:x eq '…')`.
pub fn parse_filter(filter: &str) -> Option<Vec<Clause>> {
    let clauses = split_and(filter)
        .iter()
        .map(|clause| parse_clause(clause))
        .collect::<Option<Vec<_>>>()?;
    (!clauses.is_empty()).then_some(clauses)
}

/// A property name as Graph declares them: its first letter lower-case.
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The resource name Graph's filter errors use (`application` → `Application`).
fn resource_name(type_name: &str) -> String {
    let mut chars = type_name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The delegated permissions that read app registrations and service principals.
pub const APPS_READ_DELEGATED: &[&str] = &[
    "Application.Read.All",
    "Application.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];
/// The application permissions that read app registrations and service principals.
pub const APPS_READ_APPLICATION: &[&str] = &[
    "Application.Read.All",
    "Application.ReadWrite.All",
    "Application.ReadWrite.OwnedBy",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];
/// The delegated permissions that write app registrations and service principals.
pub const APPS_WRITE_DELEGATED: &[&str] = &["Application.ReadWrite.All", "Directory.ReadWrite.All"];
/// The application permissions that write app registrations and service principals.
pub const APPS_WRITE_APPLICATION: &[&str] = &[
    "Application.ReadWrite.All",
    "Application.ReadWrite.OwnedBy",
    "Directory.ReadWrite.All",
];

/// Graph's own base, which `@odata.context` always names (Microsoft's answers name it whatever the
/// address they were reached at).
pub const GRAPH_BASE: &str = "https://graph.microsoft.com";

/// Percent-encodes a key the way Graph writes it inside `('…')` in `@odata.context` and in absolute
/// URLs: everything but RFC 3986's unreserved characters (`ada@contoso.com` → `ada%40contoso.com`).
pub fn encode_key(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The key of a path as Graph names it in a context: `('{id}')`, and for an alternate key the
/// property and value together, percent-encoded (`appId='…'` → `('appId%3D…')`, as in Microsoft's
/// answer for `servicePrincipals/appId=…/endpoints`).
pub fn key_context(key: &(Option<String>, String)) -> String {
    let text = match &key.0 {
        Some(property) => format!("{property}={}", key.1),
        None => key.1.clone(),
    };
    format!("('{}')", encode_key(&text))
}

/// The segment names the stand-in serves, in their declared spelling: Graph takes them in any letter
/// case, and bound actions also by their qualified name (`microsoft.graph.addPassword`).
const SEGMENT_NAMES: &[&str] = &[
    "applications",
    "servicePrincipals",
    "oauth2PermissionGrants",
    "policies",
    "identityGovernance",
    "users",
    "me",
    "addPassword",
    "removePassword",
    "appManagementPolicies",
    "appRoleAssignedTo",
    "appRoleAssignments",
    "licenseDetails",
    "sendMail",
    "calendar",
    "events",
    "authorizationPolicy",
    "adminConsentRequestPolicy",
    "defaultAppManagementPolicy",
    "appConsent",
    "appConsentRequests",
    "userConsentRequests",
];

/// A path segment with its name in the declared spelling (its key, if any, untouched).
fn canonical_segment(segment: &str) -> String {
    let (name, rest) = match segment.find('(') {
        Some(open) => segment.split_at(open),
        None => (segment, ""),
    };
    let bare = name
        .get(..16)
        .filter(|prefix| prefix.eq_ignore_ascii_case("microsoft.graph."))
        .map_or(name, |_| &name[16..]);
    match SEGMENT_NAMES
        .iter()
        .find(|known| known.eq_ignore_ascii_case(bare))
    {
        Some(known) => format!("{known}{rest}"),
        None => segment.to_owned(),
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

/// The token of an `Authorization: Bearer …` header (`bearer` in either case), when one is sent.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|token| !token.is_empty())
}

/// Validates the bearer token at `now`: signature, lifetime, Graph audience, a tenant of the
/// scenario. Why it is refused: the message of Graph's 401 ([`GraphIds::unauthorized`]).
fn authenticate(shared: &Shared, headers: &HeaderMap, now: i64) -> Result<Caller, &'static str> {
    let token = bearer_token(headers).ok_or("Access token is empty.")?;
    let claims = shared
        .key
        .verify(token, now)
        .map_err(|rejection| match rejection {
            TokenRejection::Expired => "Lifetime validation failed, the token is expired.",
            TokenRejection::Invalid if token.split('.').count() != 3 => {
                "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format."
            }
            TokenRejection::Invalid => "Access token validation failure.",
        })?;
    let text = |name: &str| claim_text(&claims, name);
    if !permissions::is_graph_audience(&text("aud")) {
        return Err("Access token validation failure. Invalid audience.");
    }
    let directory = shared.directory();
    let Some(tenant) = directory.tenants.iter().position(|t| t.id == text("tid")) else {
        return Err("Access token validation failure. Invalid issuer.");
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
    let caller = match authenticate(&shared, &headers, ids.date.timestamp()) {
        Ok(caller) => caller,
        Err(message) => return ids.unauthorized(message),
    };
    let path = uri.path().to_owned();
    let mut segments: Vec<String> = path
        .trim_start_matches("/v1.0")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .map(|segment| canonical_segment(&segment))
        .collect();
    let count_only = segments.len() > 1 && segments.last().is_some_and(|last| last == "$count");
    if count_only {
        segments.pop();
    }
    let eventual = headers
        .get_all("consistencylevel")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.trim().eq_ignore_ascii_case("eventual"));
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
        eventual,
        count_only,
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
        other => Err(call.unknown_segment(other)),
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

/// Merges `patch` into `target`: objects property by property, anything else replaced.
pub fn merge(target: &mut Value, patch: &Map<String, Value>) {
    let Value::Object(map) = target else {
        *target = Value::Object(patch.clone());
        return;
    };
    for (key, value) in patch {
        match (map.get_mut(key), value) {
            (Some(existing @ Value::Object(_)), Value::Object(inner)) => merge(existing, inner),
            _ => {
                map.insert(key.clone(), value.clone());
            }
        }
    }
}

/// A created object's answer with the `Location` Graph gives it (an address on Graph's own base).
pub fn with_location(mut response: Response, location: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Graph's timestamp format (`2024-03-05T13:14:55Z`).
pub fn graph_time(time: &chrono::DateTime<chrono::Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

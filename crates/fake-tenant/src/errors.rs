//! The two error shapes Microsoft answers with, and the response headers that go with them.
//!
//! * The identity platform (ESTS): `error`, `error_description` (current one-line wording ending in
//!   `Trace ID: … Correlation ID: … Timestamp: …`), `error_codes`, `timestamp`, `trace_id`, `correlation_id`,
//!   `error_uri`, optionally `suberror` — with ESTS's cache and cookie headers.
//! * Microsoft Graph: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`
//!   with the `request-id` / `client-request-id` headers.

use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::state::new_guid;

/// The ESTS build string sent in `x-ms-ests-server`.
pub const ESTS_SERVER: &str = "2.1.21874.6 - NEULR1 ProdSlices";

fn set(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(HeaderName::from_static(name), value);
    }
}

/// The caching headers of an ESTS answer that may be cached (a day, open to browsers' CORS).
const CACHEABLE: [(HeaderName, &str); 3] = [
    (header::CACHE_CONTROL, "max-age=86400, private"),
    (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
    (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, OPTIONS"),
];

/// The caching headers of an ESTS answer that may not be cached.
const NOT_CACHEABLE: [(HeaderName, &str); 3] = [
    (header::CACHE_CONTROL, "no-store, no-cache"),
    (header::PRAGMA, "no-cache"),
    (header::EXPIRES, "-1"),
];

/// The transport-security headers of every ESTS answer.
const ESTS_SECURITY: [(HeaderName, &str); 2] = [
    (
        header::STRICT_TRANSPORT_SECURITY,
        "max-age=31536000; includeSubDomains",
    ),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
];

/// Adds the headers every ESTS answer carries (recordings in conformance/recordings).
pub fn add_ests_headers(headers: &mut HeaderMap, request_id: &str, cacheable: bool) {
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    let caching = if cacheable { CACHEABLE } else { NOT_CACHEABLE };
    for (name, value) in caching.into_iter().chain(ESTS_SECURITY) {
        headers.insert(name, HeaderValue::from_static(value));
    }
    set(headers, "p3p", "CP=\"DSP CUR OTPi IND OTRi ONL FIN\"");
    set(headers, "x-ms-request-id", request_id);
    set(headers, "x-ms-ests-server", ESTS_SERVER);
    headers.append(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "x-ms-gateway-slice=estsfd; path=/; secure; samesite=none; httponly",
        ),
    );
    headers.append(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "stsservicecookie=estsfd; path=/; secure; samesite=none; httponly",
        ),
    );
}

/// A JSON answer of the identity platform with ESTS's headers.
pub fn ests_json(status: StatusCode, body: &Value, cacheable: bool) -> Response {
    let mut response = (status, body.to_string()).into_response();
    add_ests_headers(response.headers_mut(), &new_guid(), cacheable);
    response
}

/// An error of the identity platform (an AADSTS code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("AADSTS{code}: {message}")]
pub struct AadError {
    /// HTTP status.
    pub status: StatusCode,
    /// The OAuth `error` value.
    pub error: &'static str,
    /// The AADSTS number.
    pub code: u32,
    /// The message after `AADSTSnnn: `.
    pub message: String,
    /// Optional `suberror`.
    pub suberror: Option<&'static str>,
}

impl AadError {
    /// A 400 error.
    pub fn bad_request(error: &'static str, code: u32, message: impl Into<String>) -> AadError {
        AadError {
            status: StatusCode::BAD_REQUEST,
            error,
            code,
            message: message.into(),
            suberror: None,
        }
    }

    /// A 401 `invalid_client` error.
    pub fn invalid_client(code: u32, message: impl Into<String>) -> AadError {
        AadError {
            status: StatusCode::UNAUTHORIZED,
            error: "invalid_client",
            code,
            message: message.into(),
            suberror: None,
        }
    }

    /// Adds a `suberror`.
    pub fn with_suberror(mut self, suberror: &'static str) -> AadError {
        self.suberror = Some(suberror);
        self
    }

    /// The JSON body with these trace and correlation IDs, stamped `now`.
    pub fn body(&self, trace_id: &str, correlation_id: &str, now: DateTime<Utc>) -> Value {
        let timestamp = now.format("%Y-%m-%d %H:%M:%SZ").to_string();
        let mut body = json!({
            "error": self.error,
            "error_description": self.description(trace_id, correlation_id, &timestamp),
            "error_codes": [self.code],
            "timestamp": timestamp,
            "trace_id": trace_id,
            "correlation_id": correlation_id,
            "error_uri": format!("https://login.microsoftonline.com/error?code={}", self.code),
        });
        if let Some(suberror) = self.suberror {
            body["suberror"] = json!(suberror);
        }
        body
    }

    /// The one-line `error_description`.
    pub fn description(&self, trace_id: &str, correlation_id: &str, timestamp: &str) -> String {
        format!(
            "AADSTS{}: {} Trace ID: {trace_id} Correlation ID: {correlation_id} Timestamp: {timestamp}",
            self.code, self.message
        )
    }

    /// The answer ESTS sends for this error at `now` (the stand-in's clock), with fresh trace and
    /// correlation IDs.
    pub fn response(&self, now: DateTime<Utc>) -> Response {
        let trace_id = new_guid();
        let body = self.body(&trace_id, &new_guid(), now);
        let mut response = (self.status, body.to_string()).into_response();
        add_ests_headers(response.headers_mut(), &trace_id, false);
        response
    }
}

/// Request IDs of one Graph call, and when it was answered.
#[derive(Debug, Clone)]
pub struct GraphIds {
    /// `request-id`.
    pub request_id: String,
    /// `client-request-id` (the caller's, or the request ID).
    pub client_request_id: String,
    /// When the call was answered (the stand-in's clock): an error's `innerError.date`.
    pub date: DateTime<Utc>,
}

impl GraphIds {
    /// IDs for a request with these headers, answered at `date`.
    pub fn from_headers(headers: &HeaderMap, date: DateTime<Utc>) -> GraphIds {
        let request_id = new_guid();
        let client_request_id = headers
            .get("client-request-id")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_else(|| request_id.clone());
        GraphIds {
            request_id,
            client_request_id,
            date,
        }
    }

    /// Adds Graph's response headers.
    pub fn add_headers(&self, headers: &mut HeaderMap) {
        set(headers, "request-id", &self.request_id);
        set(headers, "client-request-id", &self.client_request_id);
        set(
            headers,
            "x-ms-ags-diagnostic",
            r#"{"ServerInfo":{"DataCenter":"North Europe","Slice":"E","Ring":"4","ScaleUnit":"003","RoleInstance":"DB1PEPF00005E2C"}}"#,
        );
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }

    /// Graph's 401 `InvalidAuthenticationToken` for a bearer token it refuses, with its
    /// `WWW-Authenticate` challenge.
    pub fn unauthorized(&self, message: &str) -> Response {
        let mut response = self
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
        response
    }

    /// A Graph error carrying these IDs.
    pub fn error(&self, status: StatusCode, code: &str, message: impl Into<String>) -> GraphError {
        GraphError(Box::new(GraphErrorDetail {
            status,
            code: code.to_owned(),
            message: message.into(),
            details: None,
            retry_after: None,
            ids: self.clone(),
        }))
    }
}

/// A Microsoft Graph error answer (boxed: it travels in `Result`s through every handler).
#[derive(Debug, Clone, thiserror::Error)]
#[error(transparent)]
pub struct GraphError(pub Box<GraphErrorDetail>);

impl std::ops::Deref for GraphError {
    type Target = GraphErrorDetail;
    fn deref(&self) -> &GraphErrorDetail {
        &self.0
    }
}

impl std::ops::DerefMut for GraphError {
    fn deref_mut(&mut self) -> &mut GraphErrorDetail {
        &mut self.0
    }
}

/// What a Graph error says.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct GraphErrorDetail {
    /// HTTP status.
    pub status: StatusCode,
    /// `error.code`.
    pub code: String,
    /// `error.message`.
    pub message: String,
    /// Optional `error.details`.
    pub details: Option<Value>,
    /// Optional `Retry-After`.
    pub retry_after: Option<String>,
    /// The request's IDs.
    pub ids: GraphIds,
}

impl GraphError {
    /// Adds `error.details`.
    pub fn with_details(mut self, details: Value) -> GraphError {
        self.0.details = Some(details);
        self
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut error = json!({
            "code": self.code,
            "message": self.message,
            "innerError": {
                "date": self.ids.date.format("%Y-%m-%dT%H:%M:%S").to_string(),
                "request-id": self.ids.request_id,
                "client-request-id": self.ids.client_request_id,
            }
        });
        if let Some(details) = &self.details {
            error["details"] = details.clone();
        }
        json!({ "error": error })
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body().to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(retry_after) = &self.retry_after {
            set(headers, "retry-after", retry_after);
        }
        self.ids.add_headers(headers);
        response
    }
}

/// A successful Graph JSON answer.
pub fn graph_json(ids: &GraphIds, status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"),
    );
    ids.add_headers(headers);
    response
}

/// A successful Graph answer with no body (202, 204).
pub fn graph_empty(ids: &GraphIds, status: StatusCode) -> Response {
    let mut response = status.into_response();
    ids.add_headers(response.headers_mut());
    response
}

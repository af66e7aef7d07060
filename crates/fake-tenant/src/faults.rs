//! Fault and latency injection (`faults[]`, `latency_ms` of the scenario) for HTTP, as an axum middleware,
//! plus the matching used by the SMTP server.
//!
//! A fault's `match` is `METHOD /path` with `*` wildcards (tried against the path and against the path with
//! its query) or `SMTP`. Each match uses up one of its `times`. Kinds: `status` (Microsoft's error shape for
//! that service, with `Retry-After`), `malformed` (the real answer, cut in half), `reset` (the connection is
//! closed without an answer) and `hang` (no answer for `seconds`, then the real one). With `after`, the
//! request is carried out first and only its answer is lost that way: the write Microsoft made whose reply
//! never reached the caller.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use crate::errors::{AadError, GraphIds};
use crate::scenario::{FaultKind, FaultSpec};
use crate::server::{ConnectionKill, Shared};
use crate::state::Directory;

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let Some(rest) = text.strip_prefix(parts[0]) else {
        return false;
    };
    let mut rest = rest;
    let last = parts[parts.len() - 1];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(index) => rest = &rest[index + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Takes the first fault matching `method path` (or `SMTP`), using up one of its `times`.
pub fn take_fault(
    directory: &mut Directory,
    method: &str,
    path: &str,
    path_and_query: &str,
) -> Option<FaultSpec> {
    for fault in &mut directory.faults {
        if fault.remaining == Some(0) {
            continue;
        }
        let hit = if method == "SMTP" {
            fault.spec.matches == "SMTP"
        } else {
            match fault.spec.matches.split_once(' ') {
                Some((fault_method, pattern)) => {
                    (fault_method == "*" || fault_method.eq_ignore_ascii_case(method))
                        && (wildcard_match(pattern, path)
                            || wildcard_match(pattern, path_and_query))
                }
                None => false,
            }
        };
        if hit {
            if let Some(remaining) = fault.remaining.as_mut() {
                *remaining -= 1;
            }
            return Some(fault.spec.clone());
        }
    }
    None
}

/// The middleware: the request counted, latency, then the fault (if any), then the real answer.
pub async fn inject(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    shared.requests.count(&path);
    let path_and_query = request
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| path.clone());
    let fault = take_fault(&mut shared.directory(), &method, &path, &path_and_query);
    let latency = shared.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let Some(fault) = fault else {
        return next.run(request).await;
    };
    if fault.after {
        return after_the_fact(&shared, &fault, &path, request, next).await;
    }
    match fault.kind {
        FaultKind::Status => status_answer(&fault, &path, &request, shared.clock.utc()),
        FaultKind::Reset => {
            if let Some(kill) = request.extensions().get::<ConnectionKill>() {
                kill.0.notify_one();
            }
            std::future::pending::<Response>().await
        }
        FaultKind::Hang => {
            tokio::time::sleep(Duration::from_secs_f64(fault.seconds.unwrap_or(0.0))).await;
            next.run(request).await
        }
        FaultKind::Malformed => truncated(next.run(request).await).await,
    }
}

/// A fault with `after`: the request is carried out, then its answer is lost as `fault` says.
async fn after_the_fact(
    shared: &Shared,
    fault: &FaultSpec,
    path: &str,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers().clone();
    let kill = request.extensions().get::<ConnectionKill>().cloned();
    let done = next.run(request).await;
    match fault.kind {
        FaultKind::Status => {
            let mut answered = Request::new(Body::empty());
            *answered.headers_mut() = headers;
            status_answer(fault, path, &answered, shared.clock.utc())
        }
        FaultKind::Reset => {
            if let Some(kill) = kill {
                kill.0.notify_one();
            }
            std::future::pending::<Response>().await
        }
        FaultKind::Hang => {
            tokio::time::sleep(Duration::from_secs_f64(fault.seconds.unwrap_or(0.0))).await;
            done
        }
        FaultKind::Malformed => truncated(done).await,
    }
}

/// `response` with its body cut in half (an empty one becomes `{"`).
async fn truncated(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let cut = if bytes.len() > 1 { bytes.len() / 2 } else { 0 };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    let truncated = if bytes.is_empty() {
        b"{\"".to_vec()
    } else {
        bytes[..cut].to_vec()
    };
    Response::from_parts(parts, Body::from(truncated))
}

fn status_answer(fault: &FaultSpec, path: &str, request: &Request, now: DateTime<Utc>) -> Response {
    let status = StatusCode::from_u16(fault.status.unwrap_or(503))
        .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let retry_after = fault.retry_after.as_ref().map(|r| r.header_value());
    let mut response = if path.starts_with("/v1.0") {
        let ids = GraphIds::from_headers(request.headers(), now);
        let (code, message) = match status.as_u16() {
            429 => ("TooManyRequests", "Please retry again later."),
            503 => (
                "serviceNotAvailable",
                "The service is temporarily unavailable. Please retry later.",
            ),
            504 => (
                "GatewayTimeout",
                "The gateway did not receive a response in time.",
            ),
            500 => ("InternalServerError", "An internal server error occurred."),
            401 => (
                "InvalidAuthenticationToken",
                "Access token validation failure.",
            ),
            403 => (
                "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.",
            ),
            404 => (
                "Request_ResourceNotFound",
                "The requested resource does not exist.",
            ),
            _ => ("BadRequest", "The request could not be processed."),
        };
        let mut error = ids.error(status, code, message);
        error.retry_after = retry_after.clone();
        error.into_response()
    } else {
        let error = if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            AadError {
                status,
                error: "temporarily_unavailable",
                code: 90033,
                message: "A transient error has occurred. Please try again.".to_owned(),
                suberror: None,
            }
        } else {
            AadError {
                status,
                error: "invalid_request",
                code: 9002313,
                message: "Invalid request. Request is malformed or invalid.".to_owned(),
                suberror: None,
            }
        };
        error.response(now)
    };
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

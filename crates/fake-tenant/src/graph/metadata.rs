//! `GET /v1.0/$metadata`: Microsoft's own CSDL for the part of Graph v1.0 the stand-in serves, as
//! Microsoft publishes it (`data/graph-v1.0-subset.csdl.xml`, a copy of the subset of Microsoft's
//! `cleanMetadata` kept in shared/conformance/graph-description), served as `application/xml` with no
//! token needed, as Graph serves its metadata document.
//!
//! It does not describe the whole of Graph: only the types, entity sets and navigation properties the
//! stand-in answers for.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::errors::GraphIds;
use crate::server::Shared;

/// The CSDL document served at `/v1.0/$metadata`.
pub const CSDL: &str = include_str!("../../data/graph-v1.0-subset.csdl.xml");

/// Answers `/v1.0/$metadata` with the CSDL document and Graph's request-id headers.
pub async fn metadata(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let ids = GraphIds::from_headers(&headers, shared.clock.utc());
    let mut response = (StatusCode::OK, CSDL).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml;charset=utf-8"),
    );
    ids.add_headers(response.headers_mut());
    response
}

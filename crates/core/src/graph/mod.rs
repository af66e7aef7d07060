//! A small typed Microsoft Graph v1.0 client: the requests the checks and repairs make, Graph's
//! error body, and its classification into cause ids.
//!
//! Requests go through [`crate::http::Http`], so throttling, 5xx and network faults are retried
//! and end as `Unavailable`. Only the calls the product makes exist here; each is checked against
//! Graph's published metadata by the conformance tests ([`request_templates`]).
//!
//! Typed reads, one file per resource family: [`applications`], [`service_principals`],
//! [`grants`], [`policies`], [`consent_requests`], [`app_management`], [`users`]; GUID ↔ name of Graph permissions in [`permission_ids`].
//! Each read answers its typed struct or a [`ReadError`]: transient (`Unavailable`), 404
//! (`NotFound`) or another refusal carrying Graph's error (`Refused`).
//!
//! The repairs' writes (create and `PATCH` the application, `addPassword`, the service
//! principal, admin consent) are in [`write`], answering a [`WriteError`] the same way. Every
//! write's body, theirs and the test message's, is a typed struct of [`bodies`] that the request
//! serialises; the conformance tests walk each against Graph's metadata.

pub mod app_management;
pub mod applications;
pub mod bodies;
pub mod consent_requests;
mod error;
pub mod grants;
pub mod permission_ids;
pub mod policies;
mod read;
pub mod service_principals;
mod templates;
pub mod users;
pub mod write;

pub use applications::application_by_app_id;
pub use bodies::RequestBody;
pub use consent_requests::pending_consent_requests;
pub use error::{GraphError, GraphErrorBody};
pub use grants::grants_for_client;
pub use permission_ids::{
    ApiResource, EXCHANGE_ONLINE_APP_ID, GRAPH_APP_ID, PermissionCatalog, PermissionKind,
};
pub use policies::{admin_consent_request_policy, authorization_policy};
pub use read::{MAX_PAGES, ReadError, Reader, odata_string};
pub use service_principals::{
    app_role_assignments, graph_permissions, service_principal_by_app_id,
};
pub use templates::{CALENDAR_EVENTS_SELECT, RequestTemplate, request_templates};
pub use users::{license_details, user};
pub use write::{AddedPassword, AdminGrant, WriteError};

use url::Url;

use crate::endpoints::Endpoints;
use crate::http::{Answer, Http, Unavailable};
use crate::secret::Secret;

/// A Graph GET with a bearer token: `path` is relative to `/v1.0/` (e.g.
/// `users/adele@contoso.com/calendar/events`), `query` its parameters.
pub async fn get(
    http: &Http,
    endpoints: &Endpoints,
    token: &Secret,
    path: &[&str],
    query: &[(&str, &str)],
    what: &str,
) -> Result<Answer, Unavailable> {
    let url = url(endpoints, path, query);
    http.send(what, |c| {
        c.get(url.clone())
            .bearer_auth(token.expose())
            .header("Accept", "application/json")
    })
    .await
}

/// A Graph POST of a typed body ([`bodies`]) with a bearer token: `path` is relative to `/v1.0/`
/// (e.g. `me/sendMail`). Throttling and 5xx answers are retried like every request (Graph did not
/// act on them).
pub async fn post<B: RequestBody>(
    http: &Http,
    endpoints: &Endpoints,
    token: &Secret,
    path: &[&str],
    body: &B,
    what: &str,
) -> Result<Answer, Unavailable> {
    let url = url(endpoints, path, &[]);
    http.send(what, |c| {
        c.post(url.clone())
            .bearer_auth(token.expose())
            .header("Accept", "application/json")
            .json(body)
    })
    .await
}

/// The URL of a Graph v1.0 resource.
pub fn url(endpoints: &Endpoints, path: &[&str], query: &[(&str, &str)]) -> Url {
    let mut url = endpoints.graph.clone();
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty().push("v1.0").extend(path);
    }
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Cloud;

    #[test]
    fn urls_escape_their_segments() {
        let endpoints = Endpoints::for_cloud(Cloud::Global);
        let url = url(
            &endpoints,
            &["users", "adele@contoso.com", "calendar", "events"],
            &[("$top", "1")],
        );
        assert_eq!(
            url.as_str(),
            "https://graph.microsoft.com/v1.0/users/adele@contoso.com/calendar/events?%24top=1"
        );
    }
}

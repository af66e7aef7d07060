//! A small typed Microsoft Graph v1.0 client: the requests the checks and repairs make, Graph's
//! error body, and its classification into cause ids.
//!
//! Requests go through [`crate::http::Http`], so throttling, 5xx and network faults are retried
//! and end as `Unavailable`. Only the calls the product makes exist here; each is checked against
//! Graph's published metadata by the conformance tests.

mod error;

pub use error::{GraphError, GraphErrorBody};

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

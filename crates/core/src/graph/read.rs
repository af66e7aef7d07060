//! The shared machinery of Graph reads: who reads ([`Reader`]: client, endpoints, bearer token),
//! what can go wrong ([`ReadError`]: transient, not found, refused) and how a single entity or a
//! paged collection is fetched and parsed into typed structs.
//!
//! Paging follows `@odata.nextLink` only while it points at the same Graph host the reader was
//! given (the bearer token is never sent anywhere else), up to [`MAX_PAGES`] pages.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::{GraphError, url};
use crate::cause::Cause;
use crate::endpoints::Endpoints;
use crate::http::{Answer, Http, Unavailable};
use crate::secret::Secret;

/// The most pages one collection read follows.
pub const MAX_PAGES: usize = 50;

/// Who reads Graph: the HTTP client, the endpoints and the bearer token.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    /// The HTTP client.
    pub http: &'a Http,
    /// Where Graph is.
    pub endpoints: &'a Endpoints,
    /// The bearer token (an administrator's delegated token for the directory reads).
    pub token: &'a Secret,
}

/// Why a read gave no data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    /// Microsoft could not be asked (network, throttling, 5xx, a truncated answer).
    #[error(transparent)]
    Unavailable(Unavailable),
    /// 404: the object does not exist.
    #[error("not found: {}", .0.code)]
    NotFound(GraphError),
    /// Any other error answer (401, 403, 400, …), with Graph's error.
    #[error("Graph refused the read ({status} {})", .error.code)]
    Refused {
        /// The HTTP status.
        status: u16,
        /// Graph's error body.
        error: GraphError,
    },
}

impl ReadError {
    /// Evidence for a result built from this error.
    pub fn evidence(&self) -> serde_json::Value {
        match self {
            ReadError::Unavailable(fault) => serde_json::json!({ "detail": fault.detail }),
            ReadError::NotFound(error) => {
                let mut evidence = error.evidence();
                evidence["status"] = 404.into();
                evidence
            }
            ReadError::Refused { status, error } => {
                let mut evidence = error.evidence();
                evidence["status"] = (*status).into();
                evidence
            }
        }
    }
}

/// One page of a collection.
#[derive(Debug, Deserialize)]
struct Page<T> {
    value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    next_link: Option<String>,
}

impl Reader<'_> {
    /// GET one entity at `path` with `$select` (and any further query), parsed as `T`.
    pub async fn one<T: DeserializeOwned>(
        &self,
        path: &[&str],
        select: &[&str],
        query: &[(&str, &str)],
        what: &str,
    ) -> Result<T, ReadError> {
        let url = self.url(path, select, query);
        let answer = self.send(&url, what).await?;
        answer.json(what).map_err(ReadError::Unavailable)
    }

    /// GET every item of a collection at `path`, following `@odata.nextLink`.
    pub async fn all<T: DeserializeOwned>(
        &self,
        path: &[&str],
        select: &[&str],
        query: &[(&str, &str)],
        what: &str,
    ) -> Result<Vec<T>, ReadError> {
        let mut items = Vec::new();
        self.each_page(path, select, query, what, |page| items.extend(page))
            .await?;
        Ok(items)
    }

    /// GET a collection at `path` page by page, following `@odata.nextLink`: `on_page` gets each
    /// page's items and the page is dropped before the next is read, so memory stays flat however
    /// large the collection.
    pub async fn each_page<T: DeserializeOwned>(
        &self,
        path: &[&str],
        select: &[&str],
        query: &[(&str, &str)],
        what: &str,
        mut on_page: impl FnMut(Vec<T>),
    ) -> Result<(), ReadError> {
        let mut next = Some(self.url(path, select, query));
        let mut pages = 0;
        while let Some(url) = next.take() {
            let answer = self.send(&url, what).await?;
            let page: Page<T> = answer.json(what).map_err(ReadError::Unavailable)?;
            drop(answer);
            on_page(page.value);
            pages += 1;
            next = match page.next_link {
                Some(link) if pages < MAX_PAGES => Some(self.same_host(&link, what)?),
                Some(_) => {
                    return Err(ReadError::Unavailable(Unavailable {
                        cause: Cause::NetworkError,
                        detail: format!("{what}: more than {MAX_PAGES} pages"),
                        retry_after: None,
                    }));
                }
                None => None,
            };
        }
        Ok(())
    }

    fn url(&self, path: &[&str], select: &[&str], query: &[(&str, &str)]) -> Url {
        let select = select.join(",");
        let mut pairs: Vec<(&str, &str)> = query.to_vec();
        if !select.is_empty() {
            pairs.push(("$select", &select));
        }
        url(self.endpoints, path, &pairs)
    }

    /// A next link, accepted only on the Graph host this reader talks to.
    fn same_host(&self, link: &str, what: &str) -> Result<Url, ReadError> {
        let graph = &self.endpoints.graph;
        match Url::parse(link) {
            Ok(url) if url.origin() == graph.origin() => Ok(url),
            _ => Err(ReadError::Unavailable(Unavailable {
                cause: Cause::NetworkError,
                detail: format!("{what}: the next page link points away from Graph ({link})"),
                retry_after: None,
            })),
        }
    }

    async fn send(&self, url: &Url, what: &str) -> Result<Answer, ReadError> {
        let answer = self
            .http
            .send(what, |c| {
                c.get(url.clone())
                    .bearer_auth(self.token.expose())
                    .header("Accept", "application/json")
            })
            .await
            .map_err(ReadError::Unavailable)?;
        if answer.status.is_success() {
            return Ok(answer);
        }
        let status = answer.status.as_u16();
        match GraphError::parse(&answer.body) {
            Some(error) if status == 404 => Err(ReadError::NotFound(error)),
            Some(error) => Err(ReadError::Refused { status, error }),
            None => Err(ReadError::Unavailable(Unavailable {
                cause: Cause::NetworkError,
                detail: format!("{what}: Graph answered {status} without an error body"),
                retry_after: None,
            })),
        }
    }
}

/// A `$filter` string literal: single quotes doubled, as OData wants.
pub fn odata_string(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_literals_double_their_quotes() {
        assert_eq!(odata_string("o'neil"), "'o''neil'");
    }
}

//! The one HTTP client every live check uses: rustls, timeouts, no redirects followed (a
//! redirect from an identity endpoint is never something to follow blindly), and bounded retries
//! of throttling (429 with `Retry-After`, which may be a decimal), 5xx answers and network faults.
//!
//! When retries run out the caller gets [`Unavailable`], whose cause is `throttled`,
//! `service_unavailable` or `network_error`: a check turns it into `unverified`, never into a
//! verdict. Every other answer, success or error, is handed back for the caller to interpret.
//!
//! Every attempt is logged (`tracing`, at `info`): method, host, path with query values elided,
//! status, milliseconds, Microsoft's `request-id` / `client-request-id` / `x-ms-request-id`, and
//! for an error answer its codes (`error`, the AADSTS numbers of `error_codes`, Graph's
//! `error.code`) — never a body, a header value that carries a credential, or a query value.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::cause::Cause;
use crate::logging::request_target;

/// How patient the client is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// The longest `Retry-After` to wait out; a longer one ends the attempts at once.
    pub max_wait: Duration,
    /// The wait before a retry when the answer says nothing (doubled each time).
    pub backoff: Duration,
    /// Each request's time limit, connection included.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            max_wait: Duration::from_secs(10),
            backoff: Duration::from_millis(500),
            timeout: Duration::from_secs(20),
        }
    }
}

/// Whether a request may be sent again after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// A read, or a request whose repetition changes nothing (token requests, a `PATCH` that sets
    /// whole values, a `DELETE`): retried after any transient failure.
    Safe,
    /// A write that would act twice (a `POST` that creates or adds): retried only when Microsoft
    /// surely did not act — no connection was made, or it answered 429 or 503, which Microsoft
    /// documents as not processed. After any other failure the outcome is unknown: the caller
    /// gets cause `write_outcome_unknown` and must read the directory to learn what happened.
    Unsafe,
}

/// An answer: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON of type `T`, or [`Unavailable`] with `network_error` when it is not
    /// (a truncated or malformed answer is a fault of the connection, not a verdict).
    pub fn json<T: serde::de::DeserializeOwned>(&self, what: &str) -> Result<T, Unavailable> {
        serde_json::from_slice(&self.body).map_err(|e| Unavailable {
            cause: Cause::NetworkError,
            detail: format!("{what}: the answer was not the JSON expected ({e})"),
            retry_after: None,
        })
    }
}

/// Microsoft could not be asked: throttled, unavailable, or the network failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{detail}")]
pub struct Unavailable {
    /// `throttled`, `service_unavailable` or `network_error`.
    pub cause: Cause,
    /// What happened, for people.
    pub detail: String,
    /// How long Microsoft asked to wait, when it said.
    pub retry_after: Option<Duration>,
}

/// The HTTP client.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    policy: RetryPolicy,
    /// When set, at most this many requests are in flight at once (1 = one after another).
    in_flight: Option<std::sync::Arc<tokio::sync::Semaphore>>,
}

/// The HTTP client could not be built (the TLS back end failed to start).
#[derive(Debug, thiserror::Error)]
#[error("the HTTP client could not start")]
pub struct HttpSetupError(#[source] reqwest::Error);

impl Http {
    /// A client with the given patience.
    pub fn new(policy: RetryPolicy) -> Result<Http, HttpSetupError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("entra-setup/", env!("CARGO_PKG_VERSION")))
            .https_only(false) // plain http is refused earlier, for every non-loopback endpoint
            .build()
            .map_err(HttpSetupError)?;
        Ok(Http {
            client,
            policy,
            in_flight: None,
        })
    }

    /// The same client with at most `limit` requests in flight at once: 1 runs every request
    /// one after another (what the benchmark compares the concurrent checks against, and a
    /// gentler pace for a tenant that throttles).
    pub fn with_request_limit(mut self, limit: usize) -> Http {
        self.in_flight = Some(std::sync::Arc::new(tokio::sync::Semaphore::new(
            limit.max(1),
        )));
        self
    }

    /// Each request's time limit (`--timeout`): the SMTP probe keeps the same.
    pub fn timeout(&self) -> Duration {
        self.policy.timeout
    }

    /// The underlying client, to build requests with.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Send the request `build` makes, retrying throttling, 5xx and network faults within the
    /// policy. `what` names the request in messages ("OpenID discovery"). For reads and requests
    /// safe to repeat; a write that would act twice goes through [`Http::send_write`].
    pub async fn send(
        &self,
        what: &str,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Answer, Unavailable> {
        self.send_with(what, Repeat::Safe, build).await
    }

    /// Send a write that would act twice if repeated ([`Repeat::Unsafe`]): retried only when
    /// Microsoft surely did not act; after an ambiguous failure the answer is [`Unavailable`] with
    /// cause `write_outcome_unknown`.
    pub async fn send_write(
        &self,
        what: &str,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Answer, Unavailable> {
        self.send_with(what, Repeat::Unsafe, build).await
    }

    async fn send_with(
        &self,
        what: &str,
        repeat: Repeat,
        build: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<Answer, Unavailable> {
        let mut attempt = 0;
        loop {
            let outcome = self.attempt(what, build(&self.client), attempt).await;
            let (unavailable, not_acted) = match outcome {
                Ok(answer) => match transient_cause(answer.status) {
                    None => return Ok(answer),
                    Some(cause) => (
                        Unavailable {
                            cause,
                            detail: format!("{what}: Microsoft answered {}", answer.status),
                            retry_after: retry_after(&answer.headers),
                        },
                        matches!(
                            answer.status,
                            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
                        ),
                    ),
                },
                Err(failed) => (failed.unavailable, !failed.sent),
            };
            if repeat == Repeat::Unsafe && !not_acted {
                tracing::warn!(
                    request = what,
                    "the write's answer was lost; it is not sent again: {}",
                    unavailable.detail
                );
                return Err(Unavailable {
                    cause: Cause::WriteOutcomeUnknown,
                    detail: format!(
                        "{}; Microsoft may have made the change, so it was not sent again",
                        unavailable.detail
                    ),
                    retry_after: None,
                });
            }
            let wait = unavailable
                .retry_after
                .unwrap_or(self.policy.backoff * 2u32.pow(attempt));
            if attempt >= self.policy.max_retries || wait > self.policy.max_wait {
                tracing::warn!(
                    request = what,
                    cause = unavailable.cause.as_str(),
                    attempts = attempt + 1,
                    "giving up: {}",
                    unavailable.detail
                );
                return Err(unavailable);
            }
            tracing::info!(
                request = what,
                cause = unavailable.cause.as_str(),
                wait_ms = wait.as_millis() as u64,
                "retrying"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn attempt(
        &self,
        what: &str,
        request: reqwest::RequestBuilder,
        attempt: u32,
    ) -> Result<Answer, Failed> {
        let _turn = match &self.in_flight {
            Some(limit) => limit.acquire().await.ok(),
            None => None,
        };
        let network = |e: reqwest::Error| Unavailable {
            cause: Cause::NetworkError,
            detail: format!("{what}: {}", describe_network_error(&e)),
            retry_after: None,
        };
        let (client, request) = request.build_split();
        let request = request.map_err(|e| Failed {
            unavailable: network(e),
            sent: false,
        })?;
        let method = request.method().clone();
        let (host, path) = request_target(request.url());
        let started = Instant::now();
        let outcome = async {
            let response = client.execute(request).await?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await?.to_vec();
            Ok::<_, reqwest::Error>(Answer {
                status,
                headers,
                body,
            })
        }
        .await;
        let ms = started.elapsed().as_millis() as u64;
        match &outcome {
            Ok(answer) => {
                let ids = RequestIds::of(&answer.headers);
                let codes = (!answer.status.is_success())
                    .then(|| error_codes(&answer.body))
                    .flatten();
                tracing::info!(
                    request = what,
                    ms,
                    attempt,
                    request_id = ids.request_id,
                    client_request_id = ids.client_request_id,
                    x_ms_request_id = ids.x_ms_request_id,
                    error = codes.as_deref(),
                    "HTTP {method} {host}{path} → {}",
                    answer.status.as_u16()
                );
            }
            Err(e) => tracing::warn!(
                request = what,
                ms,
                attempt,
                "HTTP {method} {host}{path} → no answer: {}",
                describe_network_error(e)
            ),
        }
        outcome.map_err(|e| Failed {
            // A connection that was never made carried nothing to Microsoft.
            sent: !e.is_connect(),
            unavailable: network(e),
        })
    }
}

/// A request that got no whole answer, and whether it may have reached Microsoft.
struct Failed {
    unavailable: Unavailable,
    sent: bool,
}

/// Microsoft's identifiers of one request, as its answer's headers carry them: what Microsoft's
/// support asks for.
#[derive(Debug, Default, PartialEq, Eq)]
struct RequestIds {
    request_id: Option<String>,
    client_request_id: Option<String>,
    x_ms_request_id: Option<String>,
}

impl RequestIds {
    fn of(headers: &HeaderMap) -> RequestIds {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .filter(|v| v.len() <= 100 && v.chars().all(|c| c.is_ascii_graphic()))
                .map(str::to_string)
        };
        RequestIds {
            request_id: header("request-id"),
            client_request_id: header("client-request-id"),
            x_ms_request_id: header("x-ms-request-id"),
        }
    }
}

/// An error answer's codes, for the log: the identity platform's `error` and `error_codes`
/// (`invalid_client AADSTS7000215`) or Graph's `error.code`. Never the description, which may
/// quote what was sent.
fn error_codes(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let mut parts = Vec::new();
    match value.get("error") {
        Some(serde_json::Value::String(error)) => parts.push(error.clone()),
        Some(serde_json::Value::Object(graph)) => {
            if let Some(code) = graph.get("code").and_then(|c| c.as_str()) {
                parts.push(code.to_string());
            }
        }
        _ => {}
    }
    if let Some(codes) = value.get("error_codes").and_then(|c| c.as_array()) {
        parts.extend(
            codes
                .iter()
                .filter_map(|c| c.as_u64())
                .map(|c| format!("AADSTS{c}")),
        );
    }
    // Codes are short words and numbers; anything else is not logged.
    parts.retain(|p| {
        p.len() <= 80
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    });
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The transient cause an HTTP status means, if any.
fn transient_cause(status: StatusCode) -> Option<Cause> {
    if status == StatusCode::TOO_MANY_REQUESTS {
        Some(Cause::Throttled)
    } else if status.is_server_error() {
        Some(Cause::ServiceUnavailable)
    } else {
        None
    }
}

/// `Retry-After` in seconds, decimals allowed (Graph sends `2.128` at times), or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = date.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

fn describe_network_error(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer in time (timeout)".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else if e.is_body() || e.is_decode() {
        "the connection broke while reading the answer".into()
    } else {
        let mut text = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_accepts_decimals_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2.128"));
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(2128)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }

    #[test]
    fn error_codes_are_the_codes_and_never_the_description() {
        let aad = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. secret=abc","error_codes":[7000215]}"#;
        assert_eq!(
            error_codes(aad).as_deref(),
            Some("invalid_client AADSTS7000215")
        );
        let graph = br#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}"#;
        assert_eq!(
            error_codes(graph).as_deref(),
            Some("Authorization_RequestDenied")
        );
        assert_eq!(error_codes(b"<html>"), None);
        assert_eq!(error_codes(br#"{"error":"has spaces and = signs"}"#), None);
    }

    #[test]
    fn request_ids_are_read_from_microsofts_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_static("7f3c"));
        headers.insert("x-ms-request-id", HeaderValue::from_static("ab12"));
        let ids = RequestIds::of(&headers);
        assert_eq!(ids.request_id.as_deref(), Some("7f3c"));
        assert_eq!(ids.client_request_id, None);
        assert_eq!(ids.x_ms_request_id.as_deref(), Some("ab12"));
    }

    #[test]
    fn only_429_and_5xx_are_transient() {
        assert_eq!(
            transient_cause(StatusCode::TOO_MANY_REQUESTS),
            Some(Cause::Throttled)
        );
        assert_eq!(
            transient_cause(StatusCode::SERVICE_UNAVAILABLE),
            Some(Cause::ServiceUnavailable)
        );
        assert_eq!(transient_cause(StatusCode::UNAUTHORIZED), None);
        assert_eq!(transient_cause(StatusCode::BAD_REQUEST), None);
    }
}

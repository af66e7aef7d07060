//! The `oauth2` crate set up for the Microsoft identity platform: a client of a tenant's
//! endpoints whose error type is [`AadError`] (so `error_codes` and the rest of Microsoft's body
//! survive), client ID and secret sent in the form (`client_secret_post`, as Microsoft documents
//! the requests), and every request sent through the core's own [`Http`] — its retries of
//! throttling and 5xx, its timeouts and its log line with Microsoft's request IDs — by
//! implementing the crate's [`AsyncHttpClient`] (no second HTTP client is built).
//!
//! Not here: the flows themselves (client credentials, browser, device code, refresh, each in its
//! module) and the device-code poll, which the crate would read with its own error type
//! (see [`super::device_code`]).

use std::future::Future;
use std::pin::Pin;

use oauth2::basic::{BasicTokenIntrospectionResponse, BasicTokenResponse};
use oauth2::{
    AsyncHttpClient, AuthType, ClientId, EndpointNotSet, EndpointSet, HttpRequest, HttpResponse,
    RequestTokenError, StandardRevocableToken, TokenResponse, TokenUrl,
};

use crate::cause::Cause;
use crate::endpoints::Endpoints;
use crate::http::{Http, Unavailable};
use crate::secret::Secret;

use super::sign_in::{UserTokens, token_url};
use super::{AadError, TokenClaims};

/// An `oauth2` client of one tenant's endpoints, with Microsoft's error type. `HasAuthUrl` and
/// `HasDeviceAuthUrl` say whether the authorization and device-authorization endpoints are set
/// (the token endpoint always is).
pub(super) type MicrosoftClient<HasAuthUrl = EndpointNotSet, HasDeviceAuthUrl = EndpointNotSet> =
    oauth2::Client<
        AadError,
        BasicTokenResponse,
        BasicTokenIntrospectionResponse,
        StandardRevocableToken,
        // Token revocation is not a Microsoft endpoint; its error type is never used.
        oauth2::basic::BasicRevocationErrorResponse,
        HasAuthUrl,
        HasDeviceAuthUrl,
        EndpointNotSet,
        EndpointNotSet,
        EndpointSet,
    >;

/// How a request made through the crate failed.
pub(super) type OAuthFailure = RequestTokenError<Unavailable, AadError>;

/// A client of `{login}/{tenant}/oauth2/v2.0/token` for `client_id`.
pub(super) fn client(
    endpoints: &Endpoints,
    tenant: &str,
    client_id: &str,
) -> Result<MicrosoftClient, Unavailable> {
    let token_url = token_url(endpoints, tenant)?;
    Ok(oauth2::Client::new(ClientId::new(client_id.to_owned()))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::from_url(token_url)))
}

/// What a failed request means: Microsoft's refusal, or [`Unavailable`] (the request could not
/// be made, retries ran out, or the answer was not what the endpoint answers).
pub(super) fn refusal(failure: OAuthFailure, what: &str) -> Result<AadError, Unavailable> {
    let broken = |detail: String| Unavailable {
        cause: Cause::NetworkError,
        detail: format!("{what}: {detail}"),
        retry_after: None,
    };
    match failure {
        RequestTokenError::ServerResponse(error) => Ok(error),
        RequestTokenError::Request(unavailable) => Err(unavailable),
        // The body is not quoted: an answer that is not an error may hold a token.
        RequestTokenError::Parse(error, _) => Err(broken(format!(
            "the answer was not the JSON expected ({})",
            error.path()
        ))),
        RequestTokenError::Other(detail) => Err(broken(detail)),
    }
}

/// A person's tokens, as the core keeps them.
pub(super) fn user_tokens(token: &BasicTokenResponse) -> UserTokens {
    let access_token = token.access_token().secret();
    UserTokens {
        claims: TokenClaims::read(access_token).unwrap_or_default(),
        access_token: Secret::new(access_token.as_str()),
        refresh_token: token
            .refresh_token()
            .map(|refresh| Secret::new(refresh.secret().as_str())),
    }
}

/// The core's [`Http`] as the crate's HTTP client, naming its requests `what` in the log and in
/// messages ("token request").
pub(super) struct Sender<'a> {
    http: &'a Http,
    what: &'static str,
}

impl<'a> Sender<'a> {
    /// Send the crate's requests through `http`.
    pub(super) fn new(http: &'a Http, what: &'static str) -> Sender<'a> {
        Sender { http, what }
    }
}

impl<'c> AsyncHttpClient<'c> for Sender<'_> {
    type Error = Unavailable;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Unavailable>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let (head, body) = request.into_parts();
            let url = reqwest::Url::parse(&head.uri.to_string()).map_err(|e| Unavailable {
                cause: Cause::NetworkError,
                detail: format!("{}: the address cannot be used ({e})", self.what),
                retry_after: None,
            })?;
            // Token and device-code requests are safe to repeat: a repeated request at most
            // issues another token or code, never a second change in the directory.
            let answer = self
                .http
                .send(self.what, |c| {
                    c.request(head.method.clone(), url.clone())
                        .headers(head.headers.clone())
                        .body(body.clone())
                })
                .await?;
            let mut response = HttpResponse::new(answer.body);
            *response.status_mut() = answer.status;
            *response.headers_mut() = answer.headers;
            Ok(response)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_refusals_only_when_microsoft_answered_one() {
        let aad = AadError::parse(br#"{"error":"invalid_grant","error_codes":[50173]}"#)
            .expect("error body");
        assert_eq!(
            refusal(
                RequestTokenError::ServerResponse(aad.clone()),
                "token refresh"
            ),
            Ok(aad)
        );
        let other = refusal(
            RequestTokenError::Other("server returned empty error response".into()),
            "token refresh",
        )
        .expect_err("not a refusal");
        assert_eq!(other.cause, Cause::NetworkError);
        assert!(other.detail.starts_with("token refresh: "), "{other}");
    }

    /// An answer that is neither a token nor an error body is a broken answer, and what it held
    /// is not repeated in the message.
    #[tokio::test]
    async fn a_body_that_is_no_error_is_not_quoted() {
        let endpoints = Endpoints::for_cloud(crate::endpoints::Cloud::Global);
        let client = client(&endpoints, "contoso.com", "app").expect("client");
        let answer = |_: HttpRequest| async {
            Ok::<_, Unavailable>(
                oauth2::http::Response::builder()
                    .status(400)
                    .body(br#"{"access_token":"eyJ.secret.sig"}"#.to_vec())
                    .expect("response"),
            )
        };
        let failure = client
            .exchange_client_credentials()
            .request_async(&answer)
            .await
            .expect_err("not a token");
        let RequestTokenError::Parse(..) = failure else {
            panic!("{failure:?}");
        };
        let broken = refusal(failure, "token request").expect_err("not a refusal");
        assert!(!broken.detail.contains("eyJ"), "{broken}");
    }
}

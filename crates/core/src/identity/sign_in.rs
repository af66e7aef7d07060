//! What every sign-in flow shares: the person's tokens, the errors a sign-in can end with, the
//! tenant's addresses, and a second token for another resource from the refresh token (a v2.0
//! refresh token works across resources, so the mailbox owner signs in once for Graph and SMTP),
//! redeemed with the `oauth2` crate's refresh request ([`super::oauth`]).

use oauth2::{RefreshToken, Scope};
use url::Url;

use crate::cause::Cause;
use crate::endpoints::Endpoints;
use crate::http::{Answer, Http, Unavailable};
use crate::secret::Secret;

use super::oauth::{self, OAuthFailure, Sender};
use super::{AadError, TokenClaims, cause_of};

/// The public client that signs people in when none is configured: Microsoft Graph Command Line
/// Tools, a first-party Microsoft app present in every tenant (reference/microsoft-wire.md §3.3).
pub const DEFAULT_SIGN_IN_CLIENT: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

/// A signed-in person's tokens.
#[derive(Debug, Clone)]
pub struct UserTokens {
    /// The access token.
    pub access_token: Secret,
    /// The refresh token, when one was issued (`offline_access`).
    pub refresh_token: Option<Secret>,
    /// What the access token says (who, which scopes).
    pub claims: TokenClaims,
}

/// A sign-in that did not end with tokens.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SignInError {
    /// The person declined.
    #[error("the sign-in was declined")]
    Declined,
    /// The code or the sign-in page expired before the person finished.
    #[error("the sign-in code expired before the sign-in finished")]
    Expired,
    /// The browser came back with an answer that was not for the sign-in this program started
    /// (its `state` differs or is missing): refused whatever it says, as a forged or stale
    /// redirect may be.
    #[error(
        "the sign-in answer did not carry the state this program sent, so it was refused (a stale or forged redirect); start the sign-in again"
    )]
    StateMismatch,
    /// Microsoft refused; the codes say why (consent required, conditional access, MFA, …).
    #[error("Microsoft refused the sign-in: {}", .0.label())]
    Rejected(AadError),
    /// Microsoft could not be asked.
    #[error(transparent)]
    Unavailable(Unavailable),
}

impl SignInError {
    /// The cause id that explains it, when there is one.
    pub fn cause(&self) -> Option<Cause> {
        match self {
            SignInError::Declined | SignInError::Expired | SignInError::StateMismatch => None,
            SignInError::Rejected(error) => cause_of(error),
            SignInError::Unavailable(fault) => Some(fault.cause),
        }
    }

    /// A request made with the `oauth2` crate that did not end with tokens.
    pub(super) fn from_failure(failure: OAuthFailure, what: &str) -> SignInError {
        match oauth::refusal(failure, what) {
            Ok(error) => SignInError::Rejected(error),
            Err(fault) => SignInError::Unavailable(fault),
        }
    }

    /// A hand-made request's answer that was not a success.
    pub(super) fn from_answer(answer: &Answer) -> SignInError {
        match AadError::parse(&answer.body) {
            Some(error) => SignInError::Rejected(error),
            None => SignInError::Unavailable(Unavailable {
                cause: Cause::NetworkError,
                detail: format!(
                    "the sign-in endpoint answered {} without an error body",
                    answer.status
                ),
                retry_after: None,
            }),
        }
    }
}

/// `{login}/{tenant}/…` with the segments escaped.
pub(super) fn tenant_url(
    endpoints: &Endpoints,
    tenant: &str,
    path: &[&str],
) -> Result<Url, Unavailable> {
    let mut url = endpoints.login.clone();
    url.path_segments_mut()
        .map_err(|()| Unavailable {
            cause: Cause::NetworkError,
            detail: "the sign-in endpoint cannot take a path".into(),
            retry_after: None,
        })?
        .pop_if_empty()
        .push(tenant)
        .extend(path);
    Ok(url)
}

/// The tenant's token endpoint.
pub(super) fn token_url(endpoints: &Endpoints, tenant: &str) -> Result<Url, Unavailable> {
    tenant_url(endpoints, tenant, &["oauth2", "v2.0", "token"])
}

/// A token for other scopes (another resource) from a refresh token, without a new sign-in.
pub async fn token_for_scopes(
    http: &Http,
    endpoints: &Endpoints,
    tenant: &str,
    client_id: &str,
    refresh_token: &Secret,
    scopes: &[String],
) -> Result<UserTokens, SignInError> {
    const WHAT: &str = "token refresh";
    let client = oauth::client(endpoints, tenant, client_id)?;
    let refresh_token = RefreshToken::new(refresh_token.expose().to_owned());
    let token = client
        .exchange_refresh_token(&refresh_token)
        .add_scopes(scopes.iter().cloned().map(Scope::new))
        .request_async(&Sender::new(http, WHAT))
        .await
        .map_err(|failure| SignInError::from_failure(failure, WHAT))?;
    Ok(oauth::user_tokens(&token))
}

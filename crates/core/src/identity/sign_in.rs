//! What every sign-in flow shares: the person's tokens, the errors a sign-in can end with, the
//! token request, and a second token for another resource from the refresh token (a v2.0
//! refresh token works across resources, so the mailbox owner signs in once for Graph and SMTP).

use serde::Deserialize;
use url::Url;

use crate::cause::Cause;
use crate::endpoints::Endpoints;
use crate::http::{Answer, Http, Unavailable};
use crate::secret::Secret;

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

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
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

/// POST a form to the token endpoint and read a user token or the error.
pub(super) async fn token_request(
    http: &Http,
    url: &Url,
    form: &[(&str, &str)],
    what: &str,
) -> Result<UserTokens, SignInError> {
    let answer = http.send(what, |c| c.post(url.clone()).form(form)).await?;
    if !answer.status.is_success() {
        return Err(SignInError::from_answer(&answer));
    }
    let token: TokenAnswer = answer.json(what)?;
    Ok(UserTokens {
        claims: TokenClaims::read(&token.access_token).unwrap_or_default(),
        access_token: Secret::new(token.access_token),
        refresh_token: token.refresh_token.map(Secret::new),
    })
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
    let url = token_url(endpoints, tenant)?;
    let scope = scopes.join(" ");
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", client_id),
        ("refresh_token", refresh_token.expose()),
        ("scope", scope.as_str()),
    ];
    token_request(http, &url, &form, "token refresh").await
}

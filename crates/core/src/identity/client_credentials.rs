//! The client-credentials grant: `POST {login}/{tenant}/oauth2/v2.0/token` with the app's own
//! ID and secret. One request tells whether the app exists, is enabled, and whether the secret is
//! its value, current and valid — and the token's `roles` claim tells which application
//! permissions are consented.
//!
//! With a certificate credential ([`client_credentials_with_certificate`]) the secret is replaced
//! by a client assertion the certificate signs (`client_assertion_type` and `client_assertion`
//! as extra form parameters; the client has no secret, so none is sent).
//!
//! Made with the `oauth2` crate's client-credentials request ([`super::oauth`]): its error type
//! is [`AadError`], so a refusal keeps Microsoft's `error_codes`.

use oauth2::{ClientSecret, Scope, TokenResponse};

use crate::cause::Cause;
use crate::credentials::{ASSERTION_TYPE, Certificate, CertificateError};
use crate::endpoints::Endpoints;
use crate::http::{Http, Unavailable};
use crate::secret::Secret;

use super::oauth::{self, OAuthFailure, Sender};
use super::{AadError, TokenClaims};

/// What a client-credentials request is called in what it reports.
const WHAT: &str = "token request";

/// An app-only access token and what it says.
#[derive(Debug, Clone)]
pub struct AppToken {
    /// The token itself.
    pub access_token: Secret,
    /// Seconds until it expires.
    pub expires_in: u64,
    /// Its claims.
    pub claims: TokenClaims,
}

/// The token request failed with an answer from Microsoft.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TokenError {
    /// Microsoft refused: the codes say why.
    #[error("Microsoft refused the token request: {}", .0.label())]
    Rejected(AadError),
    /// Microsoft could not be asked.
    #[error(transparent)]
    Unavailable(#[from] Unavailable),
}

/// Ask for an app-only token for `scope` (a resource's `/.default`).
pub async fn client_credentials(
    http: &Http,
    endpoints: &Endpoints,
    tenant: &str,
    client_id: &str,
    secret: &Secret,
    scope: &str,
) -> Result<AppToken, TokenError> {
    let client = oauth::client(endpoints, tenant, client_id)?
        .set_client_secret(ClientSecret::new(secret.expose().to_owned()));
    let answer = client
        .exchange_client_credentials()
        .add_scope(Scope::new(scope.to_owned()))
        .request_async(&Sender::new(http, WHAT))
        .await;
    answer.map(|token| app_token(&token)).map_err(token_error)
}

/// Ask for an app-only token for `scope` (a resource's `/.default`), proving the client with a
/// client assertion that `certificate` signs (RS256, `x5t#S256`), issued now.
pub async fn client_credentials_with_certificate(
    http: &Http,
    endpoints: &Endpoints,
    tenant: &str,
    client_id: &str,
    certificate: &Certificate,
    scope: &str,
) -> Result<AppToken, TokenError> {
    let audience = super::sign_in::token_url(endpoints, tenant)?;
    // A certificate is checked when it is read (an RSA key of 2048 bits or more that belongs to
    // it), so signing fails only inside the crypto library: nothing is sent then.
    let assertion = certificate
        .client_assertion(audience.as_str(), client_id, chrono::Utc::now())
        .map_err(|e: CertificateError| Unavailable {
            cause: Cause::CertificateAssertionInvalid,
            detail: format!("{WHAT}: {e}"),
            retry_after: None,
        })?;
    let client = oauth::client(endpoints, tenant, client_id)?;
    let answer = client
        .exchange_client_credentials()
        .add_scope(Scope::new(scope.to_owned()))
        .add_extra_param("client_assertion_type", ASSERTION_TYPE)
        .add_extra_param("client_assertion", assertion.expose())
        .request_async(&Sender::new(http, WHAT))
        .await;
    answer.map(|token| app_token(&token)).map_err(token_error)
}

/// Why a client-credentials request got no token: Microsoft refused (its error kept), or could
/// not be asked.
fn token_error(failure: OAuthFailure) -> TokenError {
    match oauth::refusal(failure, WHAT) {
        Ok(error) => TokenError::Rejected(error),
        Err(fault) => TokenError::Unavailable(fault),
    }
}

/// The token answered, as the core keeps it.
fn app_token(token: &oauth2::basic::BasicTokenResponse) -> AppToken {
    let access_token = token.access_token().secret();
    AppToken {
        claims: TokenClaims::read(access_token).unwrap_or_default(),
        access_token: Secret::new(access_token.as_str()),
        expires_in: token.expires_in().map_or(0, |lifetime| lifetime.as_secs()),
    }
}

//! The client-credentials grant: `POST {login}/{tenant}/oauth2/v2.0/token` with the app's own
//! ID and secret. One request tells whether the app exists, is enabled, and whether the secret is
//! its value, current and valid — and the token's `roles` claim tells which application
//! permissions are consented.

use serde::Deserialize;

use crate::endpoints::Endpoints;
use crate::http::{Http, Unavailable};
use crate::secret::Secret;

use super::{AadError, TokenClaims};

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

#[derive(Debug, Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: u64,
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
    let url = super::sign_in::token_url(endpoints, tenant)?;
    let answer = http
        .send("token request", |c| {
            c.post(url.clone()).form(&[
                ("client_id", client_id),
                ("scope", scope),
                ("client_secret", secret.expose()),
                ("grant_type", "client_credentials"),
            ])
        })
        .await?;
    if !answer.status.is_success() {
        return Err(match AadError::parse(&answer.body) {
            Some(error) => TokenError::Rejected(error),
            None => unavailable(&format!(
                "the token endpoint answered {} without an error body",
                answer.status
            ))
            .into(),
        });
    }
    let token: TokenAnswer = answer.json("token request")?;
    let claims = TokenClaims::read(&token.access_token).unwrap_or_default();
    Ok(AppToken {
        access_token: Secret::new(token.access_token),
        expires_in: token.expires_in,
        claims,
    })
}

fn unavailable(detail: &str) -> Unavailable {
    Unavailable {
        cause: crate::cause::Cause::NetworkError,
        detail: detail.to_string(),
        retry_after: None,
    }
}

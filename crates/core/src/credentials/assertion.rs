//! The client assertion a certificate proves itself with (RFC 7523, as Microsoft documents it for
//! certificate credentials): a JWT signed RS256 with the certificate's key, its header naming the
//! certificate by its SHA-256 thumbprint (`x5t#S256`, and the SHA-1 `x5t` older validators read),
//! its claims `aud` the token endpoint, `iss` = `sub` the client ID, a random `jti`, and
//! `nbf`/`iat`/`exp` spanning ten minutes.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Certificate, CertificateError, signing_key};
use crate::secret::Secret;

/// The form's `client_assertion_type` for a JWT assertion.
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long an assertion is valid for.
pub const ASSERTION_LIFETIME_SECONDS: i64 = 600;

/// The assertion's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Header {
    pub alg: String,
    pub typ: String,
    pub x5t: String,
    #[serde(rename = "x5t#S256")]
    pub x5t_s256: String,
}

/// The assertion's claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssertionClaims {
    /// The token endpoint the assertion is for.
    pub aud: String,
    /// The client ID.
    pub iss: String,
    /// The client ID again.
    pub sub: String,
    /// A random identifier, never reused.
    pub jti: String,
    /// Not valid before (Unix seconds).
    pub nbf: i64,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds).
    pub exp: i64,
}

/// Sign an assertion for `client_id` at `audience` with `certificate`'s key.
pub(super) fn sign(
    certificate: &Certificate,
    audience: &str,
    client_id: &str,
    now: DateTime<Utc>,
) -> Result<Secret, CertificateError> {
    let header = Header {
        alg: "RS256".into(),
        typ: "JWT".into(),
        x5t: certificate.x5t(),
        x5t_s256: certificate.x5t_s256(),
    };
    let issued = now.timestamp();
    let claims = AssertionClaims {
        aud: audience.to_owned(),
        iss: client_id.to_owned(),
        sub: client_id.to_owned(),
        jti: uuid::Uuid::new_v4().to_string(),
        nbf: issued,
        iat: issued,
        exp: issued + ASSERTION_LIFETIME_SECONDS,
    };
    let signed = format!("{}.{}", part(&header), part(&claims));
    let pair = signing_key(&certificate.key)?;
    let mut signature = vec![0; pair.public_modulus_len()];
    pair.sign(
        &aws_lc_rs::signature::RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        signed.as_bytes(),
        &mut signature,
    )
    .map_err(|_| CertificateError::Signing)?;
    Ok(Secret::new(format!(
        "{signed}.{}",
        URL_SAFE_NO_PAD.encode(signature)
    )))
}

/// A JWT part: the value's JSON in base64url.
fn part(value: &impl Serialize) -> String {
    // Structs of strings and integers always serialise.
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap_or_default())
}

//! The token-signing key, RS256 JWTs and the JWKS served at each tenant's `jwks_uri`.
//!
//! One RSA-2048 key per running stand-in (generated with aws-lc-rs, which is fast even in debug builds),
//! a self-signed certificate for the `x5c` member, and `kid` = `x5t` = base64url(SHA-1(certificate)) as
//! Microsoft publishes them. Signing and verification go through `jsonwebtoken`.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Map, Value, json};

/// Why the signing key could not be made.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// RSA key generation or encoding failed.
    #[error("cannot generate the token-signing key: {0}")]
    Generate(String),
}

/// Why a token was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenRejection {
    /// Not three base64url parts, bad JSON, or a bad signature.
    #[error("the token is malformed or its signature is invalid")]
    Invalid,
    /// `exp` is in the past.
    #[error("the token is expired")]
    Expired,
}

/// The stand-in's token-signing key.
pub struct SigningKey {
    encoding: EncodingKey,
    decoding: DecodingKey,
    kid: String,
    n: String,
    e: String,
    x5c: String,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Generates a fresh RSA-2048 key and its self-signed certificate.
    pub fn generate() -> Result<SigningKey, KeyError> {
        use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
        use aws_lc_rs::signature::KeyPair as _;

        let failed = |what: &str| KeyError::Generate(what.to_owned());
        let key_pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048)
            .map_err(|_| failed("RSA key"))?;
        let pkcs8: Pkcs8V1Der<'static> =
            key_pair.as_der().map_err(|_| failed("PKCS#8 encoding"))?;
        let pkcs8 = pkcs8.as_ref().to_vec();
        let components =
            aws_lc_rs::rsa::PublicKeyComponents::<Vec<u8>>::from(key_pair.public_key());
        let n = URL_SAFE_NO_PAD.encode(strip_leading_zeros(&components.n));
        let e = URL_SAFE_NO_PAD.encode(strip_leading_zeros(&components.e));

        let pem = pem_wrap("PRIVATE KEY", &pkcs8);
        let encoding = EncodingKey::from_rsa_pem(pem.as_bytes())
            .map_err(|error| KeyError::Generate(error.to_string()))?;
        let decoding = DecodingKey::from_rsa_components(&n, &e)
            .map_err(|error| KeyError::Generate(error.to_string()))?;

        let rcgen_key = rcgen::KeyPair::from_pkcs8_der_and_sign_algo(
            &tokio_rustls::rustls::pki_types::PrivatePkcs8KeyDer::from(pkcs8.as_slice()),
            &rcgen::PKCS_RSA_SHA256,
        )
        .map_err(|error| KeyError::Generate(error.to_string()))?;
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new())
            .map_err(|error| KeyError::Generate(error.to_string()))?;
        params.distinguished_name = rcgen::DistinguishedName::new();
        params.distinguished_name.push(
            rcgen::DnType::CommonName,
            "accounts.accesscontrol.windows.net",
        );
        let cert = params
            .self_signed(&rcgen_key)
            .map_err(|error| KeyError::Generate(error.to_string()))?;
        let der = cert.der().to_vec();
        let thumbprint =
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &der);
        let kid = URL_SAFE_NO_PAD.encode(thumbprint.as_ref());
        Ok(SigningKey {
            encoding,
            decoding,
            kid,
            n,
            e,
            x5c: STANDARD.encode(&der),
        })
    }

    /// The key ID (`kid`, also `x5t`).
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Signs `claims` as an RS256 JWT with `typ`, `alg`, `x5t` and `kid` in the header.
    pub fn sign(&self, claims: &Map<String, Value>) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        header.x5t = Some(self.kid.clone());
        // Signing with a valid RSA key and serialisable claims cannot fail.
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap_or_default()
    }

    /// Verifies the signature of a JWT this key signed and its lifetime at `now` (seconds since the Unix
    /// epoch, the stand-in's clock), and returns its claims.
    pub fn verify(&self, token: &str, now: i64) -> Result<Map<String, Value>, TokenRejection> {
        let mut validation = Validation::new(Algorithm::RS256);
        validation.validate_aud = false;
        // The lifetime is checked below against the stand-in's clock, not the system's.
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["exp"]);
        let claims = jsonwebtoken::decode::<Map<String, Value>>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|_| TokenRejection::Invalid)?;
        match claims.get("exp").and_then(Value::as_i64) {
            Some(exp) if exp > now => Ok(claims),
            Some(_) => Err(TokenRejection::Expired),
            None => Err(TokenRejection::Invalid),
        }
    }

    /// The JWKS document, with `issuer` as Microsoft shows it (`{login}/{tenantid}/v2.0` template).
    pub fn jwks(&self, issuer: &str) -> Value {
        json!({"keys": [{
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "x5t": self.kid,
            "n": self.n,
            "e": self.e,
            "x5c": [self.x5c],
            "issuer": issuer,
        }]})
    }
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes
        .iter()
        .position(|byte| *byte != 0)
        .unwrap_or(bytes.len().saturating_sub(1));
    &bytes[first..]
}

/// Wraps DER bytes in a PEM block.
pub fn pem_wrap(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for chunk in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

//! The token-signing key, RS256 JWTs and the JWKS served at each tenant's `jwks_uri`.
//!
//! One RSA-2048 key per running stand-in (generated with aws-lc-rs, which is fast even in debug builds),
//! a self-signed certificate for the `x5c` member, and `kid` = `x5t` = base64url(SHA-1(certificate)) as
//! Microsoft publishes them. The RS256 signature itself goes through `jsonwebtoken`'s primitives; the
//! header is written here, in Microsoft's member order (`typ`, [`nonce`], `alg`, `x5t`, `kid`).
//!
//! Microsoft Graph access tokens carry a `nonce` member in their header, and Microsoft signs them over a
//! header in which that nonce is replaced by base64url(SHA-256(nonce)) — so a third party that checks
//! the signature of a Graph token as sent finds it invalid; only Graph itself (which knows to hash the
//! nonce first) accepts it. [`SigningKey::sign_with_nonce`] issues tokens that way, and
//! [`SigningKey::verify`] — what the stand-in's Graph and SMTP do — hashes the nonce back before checking.
//! A client must never try to verify a Graph token it holds (the wizard's core only reads its claims).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
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
        let header = self.header(None);
        self.sign_parts(&header, &header, claims)
    }

    /// Signs `claims` as Microsoft signs Graph access tokens: the header sent carries a fresh random
    /// `nonce`, the signature covers the same header with base64url(SHA-256(nonce)) in its place — so the
    /// token does not verify as sent (module documentation).
    pub fn sign_with_nonce(&self, claims: &Map<String, Value>) -> String {
        let mut nonce = [0u8; 32];
        // The system RNG does not fail on supported platforms; a zeroed nonce is still well-formed.
        let _ = aws_lc_rs::rand::fill(&mut nonce);
        let nonce = URL_SAFE_NO_PAD.encode(nonce);
        let sent = self.header(Some(&nonce));
        let signed = self.header(Some(&hash_nonce(&nonce)));
        self.sign_parts(&sent, &signed, claims)
    }

    /// The header's JSON text, in the member order Microsoft uses.
    fn header(&self, nonce: Option<&str>) -> String {
        let quote = |text: &str| Value::from(text).to_string();
        let nonce = nonce
            .map(|nonce| format!(",\"nonce\":{}", quote(nonce)))
            .unwrap_or_default();
        format!(
            "{{\"typ\":\"JWT\"{nonce},\"alg\":\"RS256\",\"x5t\":{kid},\"kid\":{kid}}}",
            kid = quote(&self.kid)
        )
    }

    /// `sent_header.claims.signature`, the signature computed over `signed_header.claims`.
    fn sign_parts(
        &self,
        sent_header: &str,
        signed_header: &str,
        claims: &Map<String, Value>,
    ) -> String {
        let payload = URL_SAFE_NO_PAD.encode(Value::Object(claims.clone()).to_string());
        let message = format!("{}.{payload}", URL_SAFE_NO_PAD.encode(signed_header));
        // Signing with a valid RSA key cannot fail.
        let signature =
            jsonwebtoken::crypto::sign(message.as_bytes(), &self.encoding, Algorithm::RS256)
                .unwrap_or_default();
        format!(
            "{}.{payload}.{signature}",
            URL_SAFE_NO_PAD.encode(sent_header)
        )
    }

    /// Verifies the signature of a JWT this key signed — hashing a header `nonce` first, as Graph does —
    /// and its lifetime at `now` (seconds since the Unix epoch, the stand-in's clock), and returns its
    /// claims.
    pub fn verify(&self, token: &str, now: i64) -> Result<Map<String, Value>, TokenRejection> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenRejection::Invalid);
        };
        let header_text = URL_SAFE_NO_PAD
            .decode(header)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or(TokenRejection::Invalid)?;
        let header_json: Map<String, Value> =
            serde_json::from_str(&header_text).map_err(|_| TokenRejection::Invalid)?;
        if header_json.get("alg").and_then(Value::as_str) != Some("RS256") {
            return Err(TokenRejection::Invalid);
        }
        let signed_header = match header_json.get("nonce").and_then(Value::as_str) {
            Some(nonce) => {
                let sent = format!("\"nonce\":{}", Value::from(nonce));
                let hashed = format!("\"nonce\":{}", Value::from(hash_nonce(nonce)));
                URL_SAFE_NO_PAD.encode(header_text.replacen(&sent, &hashed, 1))
            }
            None => header.to_owned(),
        };
        let message = format!("{signed_header}.{payload}");
        let valid = jsonwebtoken::crypto::verify(
            signature,
            message.as_bytes(),
            &self.decoding,
            Algorithm::RS256,
        )
        .unwrap_or(false);
        if !valid {
            return Err(TokenRejection::Invalid);
        }
        let claims: Map<String, Value> = URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(TokenRejection::Invalid)?;
        // The lifetime is checked against the stand-in's clock, not the system's.
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

/// A text claim of verified `claims`, or the empty string when there is none.
pub fn claim_text(claims: &Map<String, Value>, name: &str) -> String {
    claims
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// base64url(SHA-256(nonce)): what the signature of a Graph token covers in place of its `nonce`.
pub fn hash_nonce(nonce: &str) -> String {
    URL_SAFE_NO_PAD
        .encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, nonce.as_bytes()).as_ref())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Map<String, Value> {
        let mut claims = Map::new();
        claims.insert("aud".into(), json!("https://graph.microsoft.com"));
        claims.insert("exp".into(), json!(exp));
        claims
    }

    fn header_of(token: &str) -> Value {
        let header = token.split('.').next().expect("header");
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).expect("base64url")).expect("json")
    }

    /// What a third party does: check the signature of the token as sent.
    fn verifies_as_sent(key: &SigningKey, token: &str) -> bool {
        let mut validation = jsonwebtoken::Validation::new(Algorithm::RS256);
        validation.validate_aud = false;
        validation.validate_exp = false;
        jsonwebtoken::decode::<Value>(token, &key.decoding, &validation).is_ok()
    }

    #[test]
    fn plain_tokens_verify_anywhere_and_expire_on_the_given_clock() {
        let key = SigningKey::generate().expect("key");
        let token = key.sign(&claims(1_000));
        let header = header_of(&token);
        assert_eq!(header["typ"], "JWT");
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["kid"], key.kid());
        assert_eq!(header["x5t"], key.kid());
        assert!(header.get("nonce").is_none());
        assert!(verifies_as_sent(&key, &token));
        assert_eq!(key.verify(&token, 999).expect("valid")["exp"], 1_000);
        assert_eq!(key.verify(&token, 1_000), Err(TokenRejection::Expired));
    }

    #[test]
    fn graph_tokens_carry_a_nonce_that_only_a_verifier_who_hashes_it_accepts() {
        let key = SigningKey::generate().expect("key");
        let token = key.sign_with_nonce(&claims(1_000));
        let header = header_of(&token);
        let nonce = header["nonce"].as_str().expect("nonce");
        assert_eq!(nonce.len(), 43, "32 random bytes, base64url");
        let order: Vec<&str> = header
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(order.len(), 5, "{order:?}");
        assert!(!verifies_as_sent(&key, &token), "as with Microsoft's");
        assert!(key.verify(&token, 999).is_ok());
        assert_ne!(
            key.sign_with_nonce(&claims(1_000)).split('.').next(),
            token.split('.').next(),
            "a fresh nonce each time"
        );
    }

    #[test]
    fn tampered_or_malformed_tokens_are_invalid() {
        let key = SigningKey::generate().expect("key");
        let token = key.sign_with_nonce(&claims(1_000));
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(json!({"aud": "x", "exp": 5_000}).to_string());
        parts[1] = &forged;
        assert_eq!(
            key.verify(&parts.join("."), 0),
            Err(TokenRejection::Invalid)
        );
        for bad in ["", "a.b", "a.b.c.d", "!!.??.**"] {
            assert_eq!(key.verify(bad, 0), Err(TokenRejection::Invalid), "{bad}");
        }
        let other = SigningKey::generate().expect("key");
        assert_eq!(
            other.verify(&key.sign(&claims(1_000)), 0),
            Err(TokenRejection::Invalid)
        );
    }
}

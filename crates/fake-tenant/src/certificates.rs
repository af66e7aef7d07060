//! Certificates registered on an application (`keyCredentials`) and the JWTs signed with them: client
//! assertions at the token endpoint and the `proof` of Graph's `addKey` / `removeKey`.
//!
//! Only what that needs of X.509 is read (the DER of the `tbsCertificate` up to its subject public key):
//! the SHA-1 and SHA-256 thumbprints a JWT names its key by (`x5t`, `x5t#S256`), the subject as Windows
//! writes it, the validity, and the RSA public key that checks an RS256 or PS256 signature. The certificate
//! itself is not verified (self-signed ones are what applications register). A parsed certificate is kept
//! behind an [`Arc`], so that many registrations may share one (the scenario's generated applications).

use std::sync::Arc;
use std::time::Instant;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Map, Value};

/// The OID of `rsaEncryption` (1.2.840.113549.1.1.1), as DER contents.
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// What is read of one X.509 certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The certificate's DER.
    pub der: Vec<u8>,
    /// SHA-1 of the DER (the thumbprint Windows and Graph show; a JWT's `x5t`).
    pub sha1: [u8; 20],
    /// SHA-256 of the DER (a JWT's `x5t#S256`).
    pub sha256: [u8; 32],
    /// The subject as Windows writes it (`CN=…, O=…, C=…`, last part first).
    pub subject: String,
    /// Start of the certificate's validity.
    pub not_before: DateTime<Utc>,
    /// End of the certificate's validity.
    pub not_after: DateTime<Utc>,
    /// The PKCS#1 `RSAPublicKey` when the key is RSA (Entra takes only RSA keys for assertions).
    pub rsa_public_key: Option<Vec<u8>>,
}

impl CertificateInfo {
    /// Reads a DER certificate; `None` when it is not one.
    pub fn from_der(der: &[u8]) -> Option<CertificateInfo> {
        let (certificate, rest) = element(der)?;
        if certificate.tag != 0x30 || !rest.is_empty() {
            return None;
        }
        let parts = children(certificate.contents)?;
        let tbs = children(parts.first()?.contents)?;
        // An explicit version ([0]) comes first when present; then serial, signature, issuer,
        // validity, subject, subject public key info.
        let skip = usize::from(tbs.first()?.tag == 0xa0);
        let validity = children(tbs.get(skip + 3)?.contents)?;
        let subject = tbs.get(skip + 4)?;
        let spki = children(tbs.get(skip + 5)?.contents)?;
        let algorithm = children(spki.first()?.contents)?;
        let key_bits = spki.get(1)?;
        let rsa_public_key = (algorithm.first()?.contents == RSA_ENCRYPTION
            && key_bits.tag == 0x03
            && key_bits.contents.first() == Some(&0))
        .then(|| key_bits.contents[1..].to_vec());
        let sha1 = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, der);
        let sha256 = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der);
        Some(CertificateInfo {
            der: der.to_vec(),
            sha1: sha1.as_ref().try_into().ok()?,
            sha256: sha256.as_ref().try_into().ok()?,
            subject: distinguished_name(subject.contents)?,
            not_before: der_time(validity.first()?)?,
            not_after: der_time(validity.get(1)?)?,
            rsa_public_key,
        })
    }

    /// Reads the first `CERTIFICATE` block of a PEM text.
    pub fn from_pem(pem: &str) -> Option<CertificateInfo> {
        let body = pem
            .split("-----BEGIN CERTIFICATE-----")
            .nth(1)?
            .split("-----END CERTIFICATE-----")
            .next()?;
        let text: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        CertificateInfo::from_der(&STANDARD.decode(text).ok()?)
    }

    /// The SHA-1 thumbprint in upper-case hex, as Graph's `customKeyIdentifier` and Entra's errors show it.
    pub fn thumbprint_hex(&self) -> String {
        self.sha1.iter().map(|b| format!("{b:02X}")).collect()
    }
}

/// A certificate registered on an application (one entry of `keyCredentials`).
#[derive(Debug, Clone)]
pub struct KeyCredential {
    /// `keyId`.
    pub key_id: String,
    /// `displayName` (the subject unless the writer named it).
    pub display_name: String,
    /// The certificate, shared between registrations that hold the same one.
    pub certificate: Arc<CertificateInfo>,
    /// `startDateTime`.
    pub start: DateTime<Utc>,
    /// `endDateTime`: after it, assertions signed with the key fail as expired.
    pub end: DateTime<Utc>,
    /// `type` (`AsymmetricX509Cert`).
    pub kind: String,
    /// `usage` (`Verify`).
    pub usage: String,
    /// When other calls see it.
    pub visible_at: Instant,
}

impl KeyCredential {
    /// Whether a JWT naming its key by `thumbprint` names this certificate.
    pub fn matches(&self, thumbprint: &Thumbprint) -> bool {
        match thumbprint {
            Thumbprint::Sha256(bytes) => self.certificate.sha256.as_slice() == bytes.as_slice(),
            Thumbprint::Sha1(bytes) => self.certificate.sha1.as_slice() == bytes.as_slice(),
        }
    }
}

/// How a JWT header names the certificate that signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Thumbprint {
    /// `x5t#S256`: SHA-256 of the certificate.
    Sha256(Vec<u8>),
    /// `x5t`: SHA-1 of the certificate (the older header).
    Sha1(Vec<u8>),
}

impl Thumbprint {
    /// Upper-case hex, as Entra's errors print the thumbprint a client used.
    pub fn hex(&self) -> String {
        let bytes = match self {
            Thumbprint::Sha256(bytes) | Thumbprint::Sha1(bytes) => bytes,
        };
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }
}

/// A compact JWS as sent: its header and claims decoded, its signature not yet checked.
#[derive(Debug, Clone)]
pub struct SignedJwt {
    /// The protected header.
    pub header: Map<String, Value>,
    /// The claims.
    pub claims: Map<String, Value>,
    signing_input: String,
    signature: Vec<u8>,
}

impl SignedJwt {
    /// Splits and decodes a compact JWS; `None` when it is not three base64url parts of JSON objects.
    pub fn parse(token: &str) -> Option<SignedJwt> {
        let mut parts = token.trim().split('.');
        let (header, claims, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let object = |part: &str| -> Option<Map<String, Value>> {
            match serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()? {
                Value::Object(map) => Some(map),
                _ => None,
            }
        };
        Some(SignedJwt {
            header: object(header)?,
            claims: object(claims)?,
            signing_input: format!("{header}.{claims}"),
            signature: URL_SAFE_NO_PAD.decode(signature).ok()?,
        })
    }

    /// A header parameter as text.
    pub fn header_text(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    /// A claim as text.
    pub fn claim_text(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// A numeric date claim (seconds since the epoch).
    pub fn claim_time(&self, name: &str) -> Option<i64> {
        let value = self.claims.get(name)?;
        value
            .as_i64()
            .or_else(|| value.as_f64().map(|f| f as i64))
            .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
    }

    /// The certificate the header names: `x5t#S256` first, else `x5t`.
    pub fn thumbprint(&self) -> Option<Thumbprint> {
        let decode = |name: &str| {
            self.header_text(name)
                .and_then(|t| URL_SAFE_NO_PAD.decode(t.trim_end_matches('=')).ok())
        };
        decode("x5t#S256")
            .map(Thumbprint::Sha256)
            .or_else(|| decode("x5t").map(Thumbprint::Sha1))
    }

    /// Whether `alg` is one Entra accepts for a certificate credential (RS256 or PS256).
    pub fn algorithm_accepted(&self) -> bool {
        matches!(self.header_text("alg"), Some("RS256" | "PS256"))
    }

    /// Whether the signature verifies with the certificate's RSA public key under the header's `alg`.
    pub fn verifies_with(&self, certificate: &CertificateInfo) -> bool {
        let Some(key) = &certificate.rsa_public_key else {
            return false;
        };
        let algorithm: &dyn aws_lc_rs::signature::VerificationAlgorithm =
            match self.header_text("alg") {
                Some("RS256") => &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
                Some("PS256") => &aws_lc_rs::signature::RSA_PSS_2048_8192_SHA256,
                _ => return false,
            };
        aws_lc_rs::signature::UnparsedPublicKey::new(algorithm, key)
            .verify(self.signing_input.as_bytes(), &self.signature)
            .is_ok()
    }
}

/// One DER element: its tag and contents.
struct Element<'a> {
    tag: u8,
    contents: &'a [u8],
}

/// Reads one DER element from the front of `input`; the rest after it.
fn element(input: &[u8]) -> Option<(Element<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let length = rest[..count]
            .iter()
            .fold(0usize, |length, b| (length << 8) | usize::from(*b));
        (length, &rest[count..])
    };
    if rest.len() < length {
        return None;
    }
    Some((
        Element {
            tag,
            contents: &rest[..length],
        },
        &rest[length..],
    ))
}

/// The elements inside a constructed element's contents.
fn children(contents: &[u8]) -> Option<Vec<Element<'_>>> {
    let mut items = Vec::new();
    let mut rest = contents;
    while !rest.is_empty() {
        let (item, after) = element(rest)?;
        items.push(item);
        rest = after;
    }
    Some(items)
}

/// UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`).
fn der_time(element: &Element<'_>) -> Option<DateTime<Utc>> {
    let text = std::str::from_utf8(element.contents).ok()?;
    let text = text.strip_suffix('Z')?;
    let full = match element.tag {
        0x17 => {
            let year: u32 = text.get(..2)?.parse().ok()?;
            let century = if year >= 50 { "19" } else { "20" };
            format!("{century}{text}")
        }
        0x18 => text.to_owned(),
        _ => return None,
    };
    NaiveDateTime::parse_from_str(&full, "%Y%m%d%H%M%S")
        .ok()
        .map(|t| t.and_utc())
}

/// A Name as Windows writes it: its parts last first, `TYPE=value` joined by `, `.
fn distinguished_name(contents: &[u8]) -> Option<String> {
    let mut parts = Vec::new();
    for set in children(contents)? {
        for pair in children(set.contents)? {
            let pair = children(pair.contents)?;
            let oid = pair.first()?.contents;
            let value = String::from_utf8_lossy(pair.get(1)?.contents).into_owned();
            parts.push(format!("{}={value}", attribute_name(oid)));
        }
    }
    parts.reverse();
    Some(parts.join(", "))
}

/// The short name Windows gives an attribute type, or its dotted OID.
fn attribute_name(oid: &[u8]) -> String {
    const NAMES: &[(&[u8], &str)] = &[
        (&[0x55, 0x04, 0x03], "CN"),
        (&[0x55, 0x04, 0x05], "SERIALNUMBER"),
        (&[0x55, 0x04, 0x06], "C"),
        (&[0x55, 0x04, 0x07], "L"),
        (&[0x55, 0x04, 0x08], "S"),
        (&[0x55, 0x04, 0x09], "STREET"),
        (&[0x55, 0x04, 0x0a], "O"),
        (&[0x55, 0x04, 0x0b], "OU"),
        (&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01], "E"),
        (
            &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19],
            "DC",
        ),
    ];
    if let Some((_, name)) = NAMES.iter().find(|(known, _)| *known == oid) {
        return (*name).to_owned();
    }
    dotted(oid)
}

/// An OID's dotted form.
fn dotted(oid: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value = 0u64;
    for byte in oid {
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_attribute_types_are_named_by_their_oid() {
        assert_eq!(
            dotted(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]),
            "1.2.840.113549"
        );
        assert_eq!(attribute_name(&[0x55, 0x04, 0x2a]), "2.5.4.42");
    }

    #[test]
    fn what_is_not_a_certificate_is_not_read() {
        assert_eq!(CertificateInfo::from_der(b"not a cert"), None);
        assert_eq!(CertificateInfo::from_pem("no pem here"), None);
    }

    #[test]
    fn a_jwt_names_its_key_by_sha256_before_sha1() {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","x5t":"AQ","x5t#S256":"Ag"}"#);
        let claims = URL_SAFE_NO_PAD.encode(br#"{"iss":"a"}"#);
        let jwt = SignedJwt::parse(&format!("{header}.{claims}.AA")).expect("parsed");
        assert_eq!(jwt.thumbprint(), Some(Thumbprint::Sha256(vec![2])));
        assert!(jwt.algorithm_accepted());
        assert!(SignedJwt::parse("a.b").is_none());
    }
}

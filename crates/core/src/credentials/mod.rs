//! Certificate credentials: a registration's self-signed RSA certificate, made here or read from
//! a file, its thumbprints (SHA-1 as Graph's `customKeyIdentifier`, SHA-256 as the assertion's
//! `x5t#S256`), where its private key is kept (the OS keychain, beside the client secrets; never a
//! plain file) and the client assertion it signs (RS256 JWT) in place of a client secret.
//!
//! The private key is a [`PrivateKey`]: redacted `Debug`, no `Serialize`, zeroed on drop, and
//! [`Certificate`]'s own `Debug` shows only the thumbprint and validity. A key file is read only
//! when the key in it is encrypted (encrypted PKCS#8 in PEM, or PKCS#12) — or plain PKCS#8 when
//! the admin's own tooling wrote it — and this module writes one only encrypted
//! ([`Certificate::to_encrypted_pem`], [`Certificate::to_pfx`]).
//!
//! Not here: uploading the public key to the registration and rotating it (`fix`), the checks
//! that prove it (`verify`), the token request itself ([`crate::identity`]).

mod assertion;
mod der;
mod file;
mod keychain;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

pub use assertion::{ASSERTION_LIFETIME_SECONDS, ASSERTION_TYPE, AssertionClaims};
pub use keychain::{KeychainCertificateError, certificate_key, store_certificate};

use crate::secret::Secret;

/// A kind of credential an app proves itself with.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Deserialize,
    serde::Serialize,
)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CredentialType {
    /// A client secret (password credential).
    #[default]
    Secret,
    /// A certificate (key credential) proved with a signed client assertion.
    Certificate,
}

impl CredentialType {
    /// Whether this is a client secret (what a reminder recorded before certificates were is).
    pub fn is_secret(&self) -> bool {
        *self == CredentialType::Secret
    }

    /// The name as written in profiles and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialType::Secret => "secret",
            CredentialType::Certificate => "certificate",
        }
    }
}

/// The smallest RSA key Microsoft Entra accepts for a certificate credential.
pub const MIN_RSA_BITS: usize = 2048;

/// A private key (PKCS#8 DER): redacted `Debug`, no `Serialize`, zeroed on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey(Zeroizing<Vec<u8>>);

impl PrivateKey {
    /// Wrap a PKCS#8 DER private key.
    pub fn from_pkcs8_der(der: Vec<u8>) -> PrivateKey {
        PrivateKey(Zeroizing::new(der))
    }

    /// The key's PKCS#8 DER: only to sign with or to keep in the keychain.
    fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKey([redacted])")
    }
}

/// Why a certificate could not be made or read. Never carries key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    /// The key pair or the certificate could not be made.
    #[error("the certificate could not be made: {0}")]
    Generation(String),
    /// The file could not be read.
    #[error("the certificate file {path} cannot be read: {reason}")]
    File {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The file's contents are not what is expected.
    #[error("{0}")]
    Format(String),
    /// The key is encrypted and no password was given, or the password does not open it.
    #[error("{0}")]
    Password(String),
    /// The private key does not belong to the certificate.
    #[error("the private key does not belong to the certificate")]
    KeyMismatch,
    /// Not an RSA key of at least 2048 bits.
    #[error(
        "the key must be RSA of at least {MIN_RSA_BITS} bits (Microsoft Entra accepts no other)"
    )]
    WeakKey,
    /// The key refused to sign.
    #[error("the client assertion could not be signed")]
    Signing,
}

/// A certificate credential: the certificate (public) and its private key.
#[derive(Clone)]
pub struct Certificate {
    der: Vec<u8>,
    key: PrivateKey,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
    sha1: Vec<u8>,
    sha256: Vec<u8>,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("thumbprint", &self.thumbprint())
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .field("key", &self.key)
            .finish()
    }
}

impl Certificate {
    /// Make a self-signed certificate with a new RSA 2048 key, named `CN={common_name}`, valid
    /// from five minutes before `now` (clocks differ) for exactly `days` days from then (a
    /// lifetime policy measures end minus start).
    pub fn generate(
        common_name: &str,
        now: DateTime<Utc>,
        days: u32,
    ) -> Result<Certificate, CertificateError> {
        let failed = |e: rcgen::Error| CertificateError::Generation(e.to_string());
        let key_pair =
            rcgen::KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
                .map_err(failed)?;
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).map_err(failed)?;
        let mut name = rcgen::DistinguishedName::new();
        name.push(rcgen::DnType::CommonName, common_name);
        params.distinguished_name = name;
        // rcgen takes the `time` crate's times: counted from the Unix epoch.
        let epoch = rcgen::date_time_ymd(1970, 1, 1);
        let start = now - chrono::Duration::minutes(5);
        params.not_before = epoch + since_epoch(start)?;
        params.not_after = epoch + since_epoch(start + chrono::Duration::days(i64::from(days)))?;
        let certificate = params.self_signed(&key_pair).map_err(failed)?;
        Certificate::from_parts(
            certificate.der().to_vec(),
            PrivateKey::from_pkcs8_der(key_pair.serialize_der()),
        )
    }

    /// A certificate (DER) with its private key: refused when the key is not RSA of at least
    /// 2048 bits or does not belong to the certificate.
    pub fn from_parts(der: Vec<u8>, key: PrivateKey) -> Result<Certificate, CertificateError> {
        let facts = der::read(&der)
            .ok_or_else(|| CertificateError::Format("the certificate is not X.509 DER".into()))?;
        let pair = signing_key(&key)?;
        if aws_lc_rs::signature::KeyPair::public_key(&pair).as_ref() != facts.public_key.as_slice()
        {
            return Err(CertificateError::KeyMismatch);
        }
        let digest = |algorithm| aws_lc_rs::digest::digest(algorithm, &der).as_ref().to_vec();
        Ok(Certificate {
            sha1: digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY),
            sha256: digest(&aws_lc_rs::digest::SHA256),
            not_before: facts.not_before,
            not_after: facts.not_after,
            der,
            key,
        })
    }

    /// Read a certificate and its private key from a file: PEM (a `CERTIFICATE` and an
    /// `ENCRYPTED PRIVATE KEY`, or a `PRIVATE KEY`) or PKCS#12 (`.pfx`/`.p12`). `password` opens
    /// an encrypted key or the PKCS#12 file.
    pub fn from_file(
        path: &std::path::Path,
        password: Option<&Secret>,
    ) -> Result<Certificate, CertificateError> {
        file::read(path, password)
    }

    /// Read a certificate and its private key from PEM text (see [`Certificate::from_file`]).
    pub fn from_pem(
        text: &str,
        password: Option<&Secret>,
    ) -> Result<Certificate, CertificateError> {
        file::from_pem(text, password)
    }

    /// The certificate of the registration `client_id` in tenant `tenant_id` kept in the
    /// keychain ([`store_certificate`]); `None` when there is none.
    pub fn from_keychain(
        store: &dyn crate::secrets::SecretStore,
        tenant_id: &str,
        client_id: &str,
    ) -> Result<Option<Certificate>, keychain::KeychainCertificateError> {
        keychain::read(store, tenant_id, client_id)
    }

    /// The certificate in DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The certificate in base64, as Graph's `keyCredential.key` takes it.
    pub fn key_base64(&self) -> String {
        STANDARD.encode(&self.der)
    }

    /// The certificate in PEM (public: no key).
    pub fn certificate_pem(&self) -> String {
        pem::encode(&pem::Pem::new("CERTIFICATE", self.der.clone()))
    }

    /// The SHA-1 thumbprint in upper-case hex, as the Entra admin center and Graph's
    /// `customKeyIdentifier` show it.
    pub fn thumbprint(&self) -> String {
        self.sha1.iter().map(|b| format!("{b:02X}")).collect()
    }

    /// The SHA-1 thumbprint's bytes.
    pub fn thumbprint_bytes(&self) -> &[u8] {
        &self.sha1
    }

    /// The SHA-256 thumbprint, base64url without padding: the assertion's `x5t#S256`.
    pub fn x5t_s256(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.sha256)
    }

    /// The SHA-1 thumbprint, base64url without padding: the assertion's `x5t`.
    pub fn x5t(&self) -> String {
        URL_SAFE_NO_PAD.encode(&self.sha1)
    }

    /// Start of validity.
    pub fn not_before(&self) -> DateTime<Utc> {
        self.not_before
    }

    /// End of validity.
    pub fn not_after(&self) -> DateTime<Utc> {
        self.not_after
    }

    /// Whether Graph's `customKeyIdentifier` of a key credential names this certificate: its
    /// SHA-1 thumbprint in hex (as Graph shows an uploaded certificate) or in base64.
    pub fn is_named_by(&self, custom_key_identifier: &str) -> bool {
        names_thumbprint(custom_key_identifier, &self.thumbprint())
    }

    /// A client assertion for `client_id` at the token endpoint `audience`, issued at `now`, with
    /// a random `jti`: the value of the token request's `client_assertion`.
    pub fn client_assertion(
        &self,
        audience: &str,
        client_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Secret, CertificateError> {
        assertion::sign(self, audience, client_id, now)
    }

    /// The certificate and its private key as PEM text, the key encrypted (PKCS#8, scrypt and
    /// AES-256-CBC) under `password`: what a certificate file may hold, never a plain key.
    pub fn to_encrypted_pem(&self, password: &Secret) -> Result<Secret, CertificateError> {
        file::encrypted_pem(self, password)
    }

    /// The certificate and its private key as PKCS#12 (a `.pfx`), encrypted under `password`:
    /// what Windows and most products import.
    pub fn to_pfx(&self, password: &Secret) -> Result<Zeroizing<Vec<u8>>, CertificateError> {
        file::pfx(self, password)
    }

    /// The certificate and its private key as PEM text, for the keychain only.
    fn keychain_text(&self) -> Secret {
        let key = Zeroizing::new(pem::encode(&pem::Pem::new(
            "PRIVATE KEY",
            self.key.expose().to_vec(),
        )));
        Secret::new(format!("{}{}", self.certificate_pem(), key.as_str()))
    }
}

/// Whether Graph's `customKeyIdentifier` of a key credential names the certificate whose SHA-1
/// thumbprint is `thumbprint` (hex): the same hex, in any case, or base64 of its bytes (or of the
/// hex text, as some tools upload it).
pub fn names_thumbprint(custom_key_identifier: &str, thumbprint: &str) -> bool {
    let (text, thumbprint) = (custom_key_identifier.trim(), thumbprint.trim());
    if thumbprint.is_empty() {
        return false;
    }
    let hex: String = thumbprint.to_ascii_uppercase();
    text.eq_ignore_ascii_case(&hex)
        || STANDARD.decode(text).is_ok_and(|bytes| {
            let as_hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
            as_hex == hex || bytes.eq_ignore_ascii_case(hex.as_bytes())
        })
}

/// The RSA key pair of a private key, refused unless RSA of at least [`MIN_RSA_BITS`].
fn signing_key(key: &PrivateKey) -> Result<aws_lc_rs::rsa::KeyPair, CertificateError> {
    let pair =
        aws_lc_rs::rsa::KeyPair::from_pkcs8(key.expose()).map_err(|_| CertificateError::WeakKey)?;
    if pair.public_modulus_len() * 8 < MIN_RSA_BITS {
        return Err(CertificateError::WeakKey);
    }
    Ok(pair)
}

/// How long after the Unix epoch `at` is.
fn since_epoch(at: DateTime<Utc>) -> Result<std::time::Duration, CertificateError> {
    u64::try_from(at.timestamp())
        .map(std::time::Duration::from_secs)
        .map_err(|_| CertificateError::Generation(format!("{at} is before 1970")))
}

#[cfg(test)]
mod tests;

//! Reading a certificate credential the admin already has: a PEM file holding the certificate
//! and its private key — encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`, opened with the password
//! from `--certificate-password-env`) or plain PKCS#8 (`PRIVATE KEY`, as the keychain entry holds
//! it), or PKCS#12 (`.pfx`, `.p12`, as Windows and the Azure portal export one; its password
//! likewise).
//!
//! Writing one is only ever encrypted: the key as encrypted PKCS#8 (PBES2, scrypt and
//! AES-256-CBC, as OpenSSL reads it) in PEM ([`encrypted_pem`]), or PKCS#12 ([`pfx`]), under a
//! password the admin chose.

use std::path::Path;

use pkcs8::EncryptedPrivateKeyInfo;
use pkcs8::der::Decode as _;

use super::{Certificate, CertificateError, PrivateKey};
use crate::secret::Secret;

/// Read the file at `path`.
pub(super) fn read(
    path: &Path,
    password: Option<&Secret>,
) -> Result<Certificate, CertificateError> {
    let failed = |reason: String| CertificateError::File {
        path: path.display().to_string(),
        reason,
    };
    let bytes = zeroize::Zeroizing::new(std::fs::read(path).map_err(|e| failed(e.to_string()))?);
    let pkcs12 = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pfx") || e.eq_ignore_ascii_case("p12"));
    if pkcs12 || bytes.first() == Some(&0x30) {
        return from_pfx(&bytes, password);
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| failed("it is not PEM text".into()))?;
    from_pem(text, password)
}

/// Read a certificate and its key from PKCS#12 (DER) opened with `password` (none: the empty
/// password some exports use).
pub(super) fn from_pfx(
    bytes: &[u8],
    password: Option<&Secret>,
) -> Result<Certificate, CertificateError> {
    let store = p12_keystore::KeyStore::from_pkcs12(
        bytes,
        password.map_or("", Secret::expose),
        p12_keystore::Pkcs12ImportPolicy::Strict,
    )
    .map_err(|e| match password {
        None => CertificateError::Password(format!(
            "the PKCS#12 file cannot be opened without its password ({e}): give it with --certificate-password-env"
        )),
        Some(_) => CertificateError::Password(format!(
            "the PKCS#12 file cannot be opened with the password given ({e})"
        )),
    })?;
    let (_, chain) = store.private_key_chain().ok_or_else(|| {
        CertificateError::Format(
            "the PKCS#12 file holds no private key with its certificate".into(),
        )
    })?;
    let certificate = chain.certs().first().ok_or_else(|| {
        CertificateError::Format("the PKCS#12 file holds no certificate for its key".into())
    })?;
    Certificate::from_parts(
        certificate.as_der().to_vec(),
        PrivateKey::from_pkcs8_der(chain.key().as_der().to_vec()),
    )
}

/// The certificate and its private key as PKCS#12 (DER), encrypted under `password` (PBES2 with
/// AES-256 and a SHA-256 MAC, the library's default).
pub(super) fn pfx(
    certificate: &Certificate,
    password: &Secret,
) -> Result<zeroize::Zeroizing<Vec<u8>>, CertificateError> {
    if password.is_blank() {
        return Err(CertificateError::Password(
            "a PKCS#12 file needs a password that is not empty".into(),
        ));
    }
    let failed = |e: p12_keystore::error::Error| {
        CertificateError::Format(format!("the PKCS#12 file could not be made: {e}"))
    };
    let key = p12_keystore::PrivateKey::from_der(certificate.key.expose()).map_err(failed)?;
    let public = p12_keystore::Certificate::from_der(certificate.der()).map_err(failed)?;
    let chain = p12_keystore::PrivateKeyChain::new(certificate.thumbprint_bytes(), key, [public]);
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry(
        &certificate.thumbprint(),
        p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
    );
    store
        .writer(password.expose())
        .write()
        .map(zeroize::Zeroizing::new)
        .map_err(failed)
}

/// The certificate and its private key as PEM, the key encrypted under `password`.
pub(super) fn encrypted_pem(
    certificate: &Certificate,
    password: &Secret,
) -> Result<Secret, CertificateError> {
    use aws_lc_rs::rand::SecureRandom as _;
    if password.is_blank() {
        return Err(CertificateError::Password(
            "an encrypted key needs a password that is not empty".into(),
        ));
    }
    let (mut salt, mut iv) = ([0u8; 16], [0u8; 16]);
    let random = aws_lc_rs::rand::SystemRandom::new();
    random
        .fill(&mut salt)
        .and_then(|()| random.fill(&mut iv))
        .map_err(|_| CertificateError::Signing)?;
    let info = pkcs8::PrivateKeyInfo::try_from(certificate.key.expose())
        .map_err(|_| CertificateError::WeakKey)?;
    let params = pkcs8::pkcs5::pbes2::Parameters::scrypt_aes256cbc(Default::default(), &salt, &iv)
        .map_err(|_| CertificateError::Signing)?;
    let encrypted = info
        .encrypt_with_params(params, password.expose())
        .map_err(|_| CertificateError::Signing)?;
    Ok(Secret::new(format!(
        "{}{}",
        certificate.certificate_pem(),
        pem::encode(&pem::Pem::new(
            "ENCRYPTED PRIVATE KEY",
            encrypted.as_bytes().to_vec()
        ))
    )))
}

/// Read a certificate and its key from PEM text.
pub(super) fn from_pem(
    text: &str,
    password: Option<&Secret>,
) -> Result<Certificate, CertificateError> {
    let blocks = pem::parse_many(text)
        .map_err(|_| CertificateError::Format("the PEM text cannot be read".into()))?;
    let certificate = blocks
        .iter()
        .find(|b| b.tag() == "CERTIFICATE")
        .ok_or_else(|| CertificateError::Format("the file holds no CERTIFICATE".into()))?;
    let key = if let Some(block) = blocks.iter().find(|b| b.tag() == "ENCRYPTED PRIVATE KEY") {
        let password = password.ok_or_else(|| {
            CertificateError::Password(
                "the private key is encrypted: give its password with --certificate-password-env"
                    .into(),
            )
        })?;
        let encrypted = EncryptedPrivateKeyInfo::from_der(block.contents()).map_err(|_| {
            CertificateError::Format("the encrypted private key cannot be read".into())
        })?;
        let document = encrypted.decrypt(password.expose()).map_err(|_| {
            CertificateError::Password("the password does not open the private key".into())
        })?;
        PrivateKey::from_pkcs8_der(document.as_bytes().to_vec())
    } else if let Some(block) = blocks.iter().find(|b| b.tag() == "PRIVATE KEY") {
        PrivateKey::from_pkcs8_der(block.contents().to_vec())
    } else {
        return Err(CertificateError::Format(
            "the file holds no PRIVATE KEY or ENCRYPTED PRIVATE KEY (PKCS#8)".into(),
        ));
    };
    Certificate::from_parts(certificate.contents().to_vec(), key)
}

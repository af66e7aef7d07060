//! Certificates made, read back, named and used to sign, and never shown.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::TimeZone as _;

use super::*;
use crate::secrets::{MemoryStore, SecretStore};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0)
        .single()
        .expect("time")
}

/// One certificate for the tests that only read it (an RSA key takes a moment to make).
fn made() -> &'static Certificate {
    static MADE: std::sync::OnceLock<Certificate> = std::sync::OnceLock::new();
    MADE.get_or_init(|| Certificate::generate("Contoso Intranet", now(), 365).expect("generate"))
}

/// The private key's PEM, as a leak would show it.
fn key_pem(certificate: &Certificate) -> String {
    pem::encode(&pem::Pem::new(
        "PRIVATE KEY",
        certificate.key.expose().to_vec(),
    ))
}

#[test]
fn a_generated_certificate_is_rsa_2048_and_valid_for_its_days() {
    let certificate = made();
    assert_eq!(
        certificate.not_before(),
        now() - chrono::Duration::minutes(5)
    );
    assert_eq!(
        certificate.not_after(),
        now() - chrono::Duration::minutes(5) + chrono::Duration::days(365)
    );
    let pair = signing_key(&certificate.key).expect("RSA key");
    assert_eq!(pair.public_modulus_len() * 8, 2048);
}

#[test]
fn thumbprints_are_the_digests_of_the_der() {
    let certificate = made();
    let sha1 = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
        certificate.der(),
    );
    let hex: String = sha1.as_ref().iter().map(|b| format!("{b:02X}")).collect();
    assert_eq!(certificate.thumbprint(), hex);
    assert_eq!(certificate.thumbprint().len(), 40);
    let sha256 = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, certificate.der());
    assert_eq!(
        URL_SAFE_NO_PAD
            .decode(certificate.x5t_s256())
            .expect("base64url"),
        sha256.as_ref()
    );
    assert!(certificate.is_named_by(&hex));
    assert!(certificate.is_named_by(&hex.to_lowercase()));
    assert!(certificate.is_named_by(&STANDARD.encode(sha1.as_ref())));
    assert!(!certificate.is_named_by("00FF"));
}

#[test]
fn debug_never_shows_the_key() {
    let certificate = made();
    let shown = format!(
        "{certificate:?} {:?} {:#?}",
        certificate.key,
        Some(certificate)
    );
    let pem = key_pem(certificate);
    let body: String = pem
        .lines()
        .nth(1)
        .expect("a line")
        .chars()
        .take(24)
        .collect();
    assert!(!shown.contains(&body), "{shown}");
    assert!(shown.contains("[redacted]"), "{shown}");
    assert!(shown.contains(&certificate.thumbprint()), "{shown}");
    let keychain = format!("{:?}", certificate.keychain_text());
    assert!(!keychain.contains(&body), "{keychain}");
}

#[test]
fn the_assertion_is_rs256_with_the_thumbprint_and_the_claims_microsoft_reads() {
    let certificate = made();
    let audience = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token";
    let client = "11111111-2222-3333-4444-555555555555";
    let jwt = certificate
        .client_assertion(audience, client, now())
        .expect("signed");
    let parts: Vec<&str> = jwt.expose().split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("header")).expect("json");
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["x5t#S256"], certificate.x5t_s256());
    assert_eq!(header["x5t"], certificate.x5t());
    let claims: AssertionClaims =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("claims")).expect("json");
    assert_eq!(claims.aud, audience);
    assert_eq!((claims.iss.as_str(), claims.sub.as_str()), (client, client));
    assert_eq!(claims.nbf, now().timestamp());
    assert_eq!(claims.iat, now().timestamp());
    assert_eq!(claims.exp, now().timestamp() + 600);
    assert!(uuid::Uuid::parse_str(&claims.jti).is_ok(), "{}", claims.jti);
    // The signature verifies with the certificate's public key.
    let pair = signing_key(&certificate.key).expect("key");
    let public = aws_lc_rs::signature::KeyPair::public_key(&pair)
        .as_ref()
        .to_vec();
    aws_lc_rs::signature::UnparsedPublicKey::new(
        &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
        public,
    )
    .verify(
        format!("{}.{}", parts[0], parts[1]).as_bytes(),
        &URL_SAFE_NO_PAD.decode(parts[2]).expect("signature"),
    )
    .expect("a valid signature");
    // Every assertion has its own jti.
    let again = certificate
        .client_assertion(audience, client, now())
        .expect("signed");
    assert_ne!(again.expose(), jwt.expose());
}

#[test]
fn the_keychain_keeps_the_certificate_beside_the_secrets() {
    let certificate = made();
    let store = MemoryStore::default();
    store_certificate(&store, "T-1", "C-1", "K-1", certificate).expect("kept");
    let back = Certificate::from_keychain(&store, "t-1", "c-1")
        .expect("read")
        .expect("kept");
    assert_eq!(back.thumbprint(), certificate.thumbprint());
    assert_eq!(back.not_after(), certificate.not_after());
    assert_eq!(
        certificate_key("T-1", "C-1", None).account(),
        "t-1/c-1/certificate"
    );
    assert_eq!(
        certificate_key("T-1", "C-1", Some("K-1")).account(),
        "t-1/c-1/certificate/k-1"
    );
    assert!(
        store
            .get(&certificate_key("t-1", "c-1", Some("k-1")))
            .expect("get")
            .is_some()
    );
    // A secret's entry is another entry.
    assert_eq!(
        crate::secrets::client_secret(&store, "t-1", "c-1").expect("get"),
        None
    );
    assert!(
        Certificate::from_keychain(&store, "t-1", "c-2")
            .expect("read")
            .is_none()
    );
}

#[test]
fn a_pem_file_with_an_encrypted_key_is_read_with_its_password() {
    let certificate = made();
    let info = pkcs8::PrivateKeyInfo::try_from(certificate.key.expose()).expect("pkcs8");
    let params = pkcs8::pkcs5::pbes2::Parameters::pbkdf2_sha256_aes256cbc(2048, &[7; 16], &[9; 16])
        .expect("params");
    let encrypted = info
        .encrypt_with_params(params, "correct horse")
        .expect("encrypt");
    let text = format!(
        "{}{}",
        certificate.certificate_pem(),
        pem::encode(&pem::Pem::new(
            "ENCRYPTED PRIVATE KEY",
            encrypted.as_bytes().to_vec()
        ))
    );
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("app.pem");
    std::fs::write(&path, &text).expect("write");
    let read = Certificate::from_file(&path, Some(&Secret::new("correct horse"))).expect("read");
    assert_eq!(read.thumbprint(), certificate.thumbprint());
    let no_password = Certificate::from_file(&path, None).expect_err("needs its password");
    assert!(
        matches!(no_password, CertificateError::Password(_)),
        "{no_password}"
    );
    let wrong = Certificate::from_file(&path, Some(&Secret::new("wrong"))).expect_err("wrong");
    assert!(matches!(wrong, CertificateError::Password(_)), "{wrong}");
    // What the core writes is encrypted, and reads back with its password only.
    let written = certificate
        .to_encrypted_pem(&Secret::new("another password"))
        .expect("encrypted");
    assert!(written.expose().contains("ENCRYPTED PRIVATE KEY"));
    assert!(!written.expose().contains("BEGIN PRIVATE KEY"));
    let back = Certificate::from_pem(written.expose(), Some(&Secret::new("another password")))
        .expect("read back");
    assert_eq!(back.thumbprint(), certificate.thumbprint());
    assert!(Certificate::from_pem(written.expose(), None).is_err());
    // PKCS#12, as written here and read back with its password only.
    let pfx = certificate
        .to_pfx(&Secret::new("pfx password"))
        .expect("pfx");
    let pfx_path = dir.path().join("app.pfx");
    std::fs::write(&pfx_path, pfx.as_slice()).expect("write");
    let read = Certificate::from_file(&pfx_path, Some(&Secret::new("pfx password"))).expect("pfx");
    assert_eq!(read.thumbprint(), certificate.thumbprint());
    let wrong = Certificate::from_file(&pfx_path, Some(&Secret::new("nope"))).expect_err("wrong");
    assert!(matches!(wrong, CertificateError::Password(_)), "{wrong}");
    let none = Certificate::from_file(&pfx_path, None).expect_err("needs its password");
    assert!(
        none.to_string().contains("--certificate-password-env"),
        "{none}"
    );
    std::fs::write(&pfx_path, [0x30, 0x82, 0x01]).expect("write");
    assert!(Certificate::from_file(&pfx_path, Some(&Secret::new("x"))).is_err());
}

#[test]
fn a_key_of_another_certificate_or_no_rsa_key_is_refused() {
    let certificate = made();
    let other = Certificate::generate("Other", now(), 30).expect("generate");
    assert_eq!(
        Certificate::from_parts(certificate.der().to_vec(), other.key.clone())
            .expect_err("mismatch"),
        CertificateError::KeyMismatch
    );
    let not_a_key = PrivateKey::from_pkcs8_der(vec![0x30, 0x00]);
    assert_eq!(
        Certificate::from_parts(certificate.der().to_vec(), not_a_key).expect_err("no key"),
        CertificateError::WeakKey
    );
    let missing = Certificate::from_pem(&certificate.certificate_pem(), None).expect_err("no key");
    assert!(matches!(missing, CertificateError::Format(_)), "{missing}");
}

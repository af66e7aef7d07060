//! Certificates and the JWTs signed with them, for the tests: RSA 2048 self-signed certificates (the key
//! made with aws-lc-rs, the certificate with rcgen, as Entra takes only RSA keys for client assertions),
//! client assertions as MSAL builds them, and `addKey` / `removeKey` proofs.

use std::sync::OnceLock;

use aws_lc_rs::encoding::AsDer as _;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// A certificate and its private key.
pub struct TestCertificate {
    /// The certificate's DER.
    pub der: Vec<u8>,
    /// The certificate, PEM.
    pub pem: String,
    key: aws_lc_rs::rsa::KeyPair,
}

impl TestCertificate {
    /// A self-signed RSA 2048 certificate `CN={name}` valid between the two dates (`(year, month, day)`).
    pub fn new(name: &str, not_before: (i32, u8, u8), not_after: (i32, u8, u8)) -> TestCertificate {
        let key = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).expect("rsa");
        let pkcs8 = key.as_der().expect("pkcs8");
        let signer = rcgen::KeyPair::try_from(pkcs8.as_ref()).expect("rcgen key");
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        let mut subject = rcgen::DistinguishedName::new();
        subject.push(rcgen::DnType::CommonName, name);
        params.distinguished_name = subject;
        params.not_before = rcgen::date_time_ymd(not_before.0, not_before.1, not_before.2);
        params.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
        let certificate = params.self_signed(&signer).expect("certificate");
        TestCertificate {
            der: certificate.der().to_vec(),
            pem: certificate.pem(),
            key,
        }
    }

    /// The DER in base64, as Graph's `key` takes it.
    pub fn base64(&self) -> String {
        STANDARD.encode(&self.der)
    }

    /// `x5t#S256`: base64url of the SHA-256 of the DER.
    pub fn x5t_s256(&self) -> String {
        URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(
            &aws_lc_rs::digest::SHA256,
            &self.der,
        ))
    }

    /// `x5t`: base64url of the SHA-1 of the DER.
    pub fn x5t(&self) -> String {
        URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(
            &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
            &self.der,
        ))
    }

    /// The SHA-1 thumbprint in upper-case hex.
    pub fn thumbprint(&self) -> String {
        aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &self.der)
            .as_ref()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }

    /// A compact JWS of `header` and `claims`, signed RS256 or PS256 as the header's `alg` says.
    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let padding: &'static dyn aws_lc_rs::signature::RsaEncoding = match header["alg"].as_str() {
            Some("PS256") => &aws_lc_rs::signature::RSA_PSS_SHA256,
            _ => &aws_lc_rs::signature::RSA_PKCS1_SHA256,
        };
        let mut signature = vec![0u8; self.key.public_modulus_len()];
        self.key
            .sign(
                padding,
                &aws_lc_rs::rand::SystemRandom::new(),
                input.as_bytes(),
                &mut signature,
            )
            .expect("sign");
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    /// A client assertion as MSAL builds it: RS256 with `x5t#S256`, `aud` the token endpoint,
    /// `iss` = `sub` = the client, a new `jti`, valid ten minutes from `now`.
    pub fn assertion(&self, client_id: &str, audience: &str, now: DateTime<Utc>) -> String {
        self.sign(
            &json!({"alg": "RS256", "typ": "JWT", "x5t#S256": self.x5t_s256()}),
            &assertion_claims(client_id, audience, now),
        )
    }

    /// An `addKey` / `removeKey` proof for the application with object ID `object_id`.
    pub fn proof(&self, object_id: &str, now: DateTime<Utc>) -> String {
        let at = now.timestamp();
        self.sign(
            &json!({"alg": "RS256", "typ": "JWT", "x5t": self.x5t()}),
            &json!({
                "aud": "00000002-0000-0000-c000-000000000000",
                "iss": object_id,
                "nbf": at,
                "exp": at + 600,
            }),
        )
    }
}

/// Claims as a JWT's middle part.
pub fn encode_claims(claims: &Value) -> String {
    URL_SAFE_NO_PAD.encode(claims.to_string())
}

/// The claims of a client assertion valid ten minutes from `now`.
pub fn assertion_claims(client_id: &str, audience: &str, now: DateTime<Utc>) -> Value {
    let at = now.timestamp();
    json!({
        "aud": audience,
        "iss": client_id,
        "sub": client_id,
        "jti": uuid::Uuid::new_v4().to_string(),
        "nbf": at,
        "iat": at,
        "exp": at + 600,
    })
}

/// A certificate valid 2020–2049 (made once per test run: RSA key generation is slow).
pub fn registered() -> &'static TestCertificate {
    static CERTIFICATE: OnceLock<TestCertificate> = OnceLock::new();
    CERTIFICATE.get_or_init(|| TestCertificate::new("Registered", (2020, 1, 1), (2049, 12, 31)))
}

/// Another certificate valid 2020–2049, registered nowhere unless a test adds it.
pub fn other() -> &'static TestCertificate {
    static CERTIFICATE: OnceLock<TestCertificate> = OnceLock::new();
    CERTIFICATE.get_or_init(|| TestCertificate::new("Other", (2020, 1, 1), (2049, 12, 31)))
}

/// A certificate whose validity ended in 2021.
pub fn expired() -> &'static TestCertificate {
    static CERTIFICATE: OnceLock<TestCertificate> = OnceLock::new();
    CERTIFICATE.get_or_init(|| TestCertificate::new("Expired", (2020, 1, 1), (2021, 1, 1)))
}

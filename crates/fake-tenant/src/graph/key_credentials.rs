//! Certificates in an application's `keyCredentials` (`POST`/`PATCH /applications`, `addKey`), read from
//! what a client writes and shown back as Graph shows them: `customKeyIdentifier` the certificate's SHA-1
//! thumbprint in upper-case hex, `displayName` its subject as Windows writes it (`CN=…, O=…, S=…, C=…`,
//! last part first), `key` null, the validity given or else the certificate's own, `keyId` given or new.
//!
//! The certificate is read by [`crate::certificates`]; the token endpoint accepts client assertions signed
//! with the private key of any certificate kept here.

use std::sync::Arc;
use std::time::Instant;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::graph_time;
use crate::certificates::{CertificateInfo, KeyCredential};
use crate::state::new_guid;

/// Why a key credential was refused (Graph answers 400 for each).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyCredentialError {
    /// Not an object, or a property of the wrong type.
    #[error("a key credential is not an object of keyCredential")]
    Shape,
    /// `key` is not base64 of a DER certificate.
    #[error("the key is not a certificate")]
    Key,
}

/// A key credential as written, kept from `visible_at`. An entry without `key` that names an existing
/// credential by `keyId` keeps that one (Graph never shows `key`, so a client rewriting the list can only
/// name the certificates it keeps).
pub fn parse(
    written: &Value,
    existing: &[KeyCredential],
    visible_at: Instant,
) -> Result<KeyCredential, KeyCredentialError> {
    let written = written.as_object().ok_or(KeyCredentialError::Shape)?;
    let text = |name: &str| -> Result<Option<String>, KeyCredentialError> {
        match written.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(KeyCredentialError::Shape),
        }
    };
    let time = |name: &str| -> Result<Option<DateTime<Utc>>, KeyCredentialError> {
        text(name)?
            .map(|t| {
                DateTime::parse_from_rfc3339(&t)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| KeyCredentialError::Shape)
            })
            .transpose()
    };
    let key_id = text("keyId")?;
    let Some(key) = text("key")? else {
        return key_id
            .and_then(|id| existing.iter().find(|k| k.key_id.eq_ignore_ascii_case(&id)))
            .cloned()
            .ok_or(KeyCredentialError::Key);
    };
    let der = STANDARD
        .decode(key.trim())
        .map_err(|_| KeyCredentialError::Key)?;
    let certificate = CertificateInfo::from_der(&der).ok_or(KeyCredentialError::Key)?;
    let kind = text("type")?.unwrap_or_else(|| "AsymmetricX509Cert".to_owned());
    let usage = text("usage")?.unwrap_or_else(|| "Verify".to_owned());
    if kind != "AsymmetricX509Cert" && kind != "X509CertAndPassword" {
        return Err(KeyCredentialError::Shape);
    }
    if usage != "Verify" && usage != "Sign" {
        return Err(KeyCredentialError::Shape);
    }
    let start = time("startDateTime")?.unwrap_or(certificate.not_before);
    let end = time("endDateTime")?.unwrap_or(certificate.not_after);
    if end <= start {
        return Err(KeyCredentialError::Shape);
    }
    Ok(KeyCredential {
        key_id: key_id
            .map(|id| id.to_ascii_lowercase())
            .unwrap_or_else(new_guid),
        display_name: text("displayName")?.unwrap_or_else(|| certificate.subject.clone()),
        certificate: Arc::new(certificate),
        start,
        end,
        kind,
        usage,
        visible_at,
    })
}

/// A written `keyCredentials` list: each parsed, or the first refusal.
pub fn parse_all(
    written: &Value,
    existing: &[KeyCredential],
    visible_at: Instant,
) -> Result<Vec<KeyCredential>, KeyCredentialError> {
    written
        .as_array()
        .ok_or(KeyCredentialError::Shape)?
        .iter()
        .map(|item| parse(item, existing, visible_at))
        .collect()
}

/// One certificate as Graph shows it (`key` always null on reads).
pub fn to_json(credential: &KeyCredential) -> Value {
    json!({
        "customKeyIdentifier": credential.certificate.thumbprint_hex(),
        "displayName": credential.display_name,
        "endDateTime": graph_time(&credential.end),
        "key": null,
        "keyId": credential.key_id,
        "startDateTime": graph_time(&credential.start),
        "type": credential.kind,
        "usage": credential.usage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A self-signed certificate made for the test, with a subject of several parts.
    fn certificate() -> (String, Vec<u8>) {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
        let mut name = rcgen::DistinguishedName::new();
        name.push(rcgen::DnType::CountryName, "AU");
        name.push(rcgen::DnType::StateOrProvinceName, "Some-State");
        name.push(rcgen::DnType::OrganizationName, "Internet Widgits Pty Ltd");
        params.distinguished_name = name;
        params.not_before = rcgen::date_time_ymd(2020, 7, 22);
        params.not_after = rcgen::date_time_ymd(2047, 12, 8);
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = params.self_signed(&key).expect("cert");
        let der = cert.der().to_vec();
        (STANDARD.encode(&der), der)
    }

    fn shown(written: &Value) -> Result<Value, KeyCredentialError> {
        parse(written, &[], Instant::now()).map(|k| to_json(&k))
    }

    #[test]
    fn a_certificate_is_shown_with_its_thumbprint_subject_and_validity() {
        let (key, der) = certificate();
        let shown = shown(&json!({"type": "AsymmetricX509Cert", "usage": "Verify", "key": key}))
            .expect("shown");
        let thumbprint =
            aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &der)
                .as_ref()
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect::<String>();
        assert_eq!(shown["customKeyIdentifier"], thumbprint);
        assert_eq!(
            shown["displayName"],
            "O=Internet Widgits Pty Ltd, S=Some-State, C=AU"
        );
        assert_eq!(shown["startDateTime"], "2020-07-22T00:00:00Z");
        assert_eq!(shown["endDateTime"], "2047-12-08T00:00:00Z");
        assert_eq!(shown["key"], Value::Null);
        assert!(shown["keyId"].as_str().is_some_and(|id| id.len() == 36));
    }

    #[test]
    fn what_the_writer_gives_wins_over_the_certificate() {
        let (key, _) = certificate();
        let shown = shown(&json!({
            "type": "AsymmetricX509Cert", "usage": "Verify", "key": key, "displayName": "CN=mine",
            "keyId": "0042d742-d4ef-411d-83c7-ed6dfbb1d653",
            "startDateTime": "2022-06-09T05:55:05Z", "endDateTime": "2023-06-08T05:55:05Z"
        }))
        .expect("shown");
        assert_eq!(shown["displayName"], "CN=mine");
        assert_eq!(shown["keyId"], "0042d742-d4ef-411d-83c7-ed6dfbb1d653");
        assert_eq!(shown["startDateTime"], "2022-06-09T05:55:05Z");
        assert_eq!(shown["endDateTime"], "2023-06-08T05:55:05Z");
    }

    #[test]
    fn a_key_that_is_not_a_certificate_is_refused() {
        assert_eq!(
            shown(
                &json!({"type": "AsymmetricX509Cert", "usage": "Verify", "key": "bm90IGEgY2VydA=="})
            ),
            Err(KeyCredentialError::Key)
        );
        assert_eq!(shown(&json!("x")), Err(KeyCredentialError::Shape));
        assert!(parse_all(&json!([]), &[], Instant::now()).is_ok_and(|list| list.is_empty()));
    }

    #[test]
    fn an_entry_without_key_keeps_the_credential_it_names() {
        let (key, _) = certificate();
        let kept = parse(&json!({"key": key}), &[], Instant::now()).expect("parsed");
        let again = parse(
            &json!({"keyId": kept.key_id}),
            std::slice::from_ref(&kept),
            Instant::now(),
        )
        .expect("kept");
        assert_eq!(again.certificate, kept.certificate);
        assert_eq!(
            parse(&json!({"keyId": new_guid()}), &[kept], Instant::now()).err(),
            Some(KeyCredentialError::Key)
        );
    }
}

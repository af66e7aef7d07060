//! Certificates written to an application's `keyCredentials` (`POST`/`PATCH /applications`), shown back as
//! Graph shows them: `customKeyIdentifier` the certificate's SHA-1 thumbprint in upper-case hex,
//! `displayName` its subject as Windows writes it (`CN=…, O=…, S=…, C=…`, last part first), `key` null,
//! the validity given or else the certificate's own, `keyId` given or new.
//!
//! Only what that needs of X.509 is read here (the DER of the `tbsCertificate` up to its subject); the
//! certificate is not verified and nothing signs in with it — the stand-in's clients use secrets.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Value, json};

use super::graph_time;
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

/// One certificate as Graph shows it, from a key credential as written.
pub fn shown(written: &Value) -> Result<Value, KeyCredentialError> {
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
    let der = text("key")?
        .and_then(|key| STANDARD.decode(key.trim()).ok())
        .ok_or(KeyCredentialError::Key)?;
    let certificate = Certificate::read(&der).ok_or(KeyCredentialError::Key)?;
    let thumbprint = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, &der)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<String>();
    let start = time("startDateTime")?.unwrap_or(certificate.not_before);
    let end = time("endDateTime")?.unwrap_or(certificate.not_after);
    Ok(json!({
        "customKeyIdentifier": thumbprint,
        "displayName": text("displayName")?.unwrap_or(certificate.subject),
        "endDateTime": graph_time(&end),
        "key": null,
        "keyId": text("keyId")?.unwrap_or_else(new_guid),
        "startDateTime": graph_time(&start),
        "type": text("type")?.unwrap_or_else(|| "AsymmetricX509Cert".to_owned()),
        "usage": text("usage")?.unwrap_or_else(|| "Verify".to_owned()),
    }))
}

/// The key credentials of a write, each as Graph shows it.
pub fn shown_all(written: &Value) -> Result<Value, KeyCredentialError> {
    let items = written.as_array().ok_or(KeyCredentialError::Shape)?;
    items
        .iter()
        .map(shown)
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// What is read of a certificate.
struct Certificate {
    subject: String,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
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

impl Certificate {
    fn read(der: &[u8]) -> Option<Certificate> {
        let (certificate, _) = element(der)?;
        let parts = children(certificate.contents)?;
        let tbs = children(parts.first()?.contents)?;
        // An explicit version ([0]) comes first when present; then serial, signature, issuer,
        // validity, subject.
        let skip = usize::from(tbs.first()?.tag == 0xa0);
        let validity = children(tbs.get(skip + 3)?.contents)?;
        let subject = tbs.get(skip + 4)?;
        Some(Certificate {
            subject: distinguished_name(subject.contents)?,
            not_before: der_time(validity.first()?)?,
            not_after: der_time(validity.get(1)?)?,
        })
    }
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
        assert_eq!(shown_all(&json!([])), Ok(json!([])));
    }

    #[test]
    fn unknown_attribute_types_are_named_by_their_oid() {
        assert_eq!(
            dotted(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]),
            "1.2.840.113549"
        );
        assert_eq!(attribute_name(&[0x55, 0x04, 0x2a]), "2.5.4.42");
    }
}

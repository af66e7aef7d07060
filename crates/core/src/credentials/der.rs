//! The little of X.509's DER that a certificate credential needs: its validity and the RSA
//! public key of its `subjectPublicKeyInfo` (to see that a key file's private key belongs to its
//! certificate). Nothing here verifies a certificate; Microsoft does that with the public key the
//! registration holds.

use chrono::{DateTime, NaiveDateTime, Utc};

/// What is read of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CertificateFacts {
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// The public key's bits (an RSA key: its PKCS#1 `RSAPublicKey`).
    pub public_key: Vec<u8>,
}

/// One DER element: its tag and contents.
struct Element<'a> {
    tag: u8,
    contents: &'a [u8],
}

/// One DER element from the front of `input`, and the rest after it.
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

/// Read a DER certificate's validity and public key; `None` when it is not one.
pub(super) fn read(der: &[u8]) -> Option<CertificateFacts> {
    let (certificate, rest) = element(der)?;
    if certificate.tag != 0x30 || !rest.is_empty() {
        return None;
    }
    let parts = children(certificate.contents)?;
    let tbs = children(parts.first()?.contents)?;
    // An explicit version ([0]) comes first when present; then serial, signature, issuer,
    // validity, subject, subjectPublicKeyInfo.
    let skip = usize::from(tbs.first()?.tag == 0xa0);
    let validity = children(tbs.get(skip + 3)?.contents)?;
    let spki = children(tbs.get(skip + 5)?.contents)?;
    let bits = spki.get(1).filter(|bits| bits.tag == 0x03)?;
    // A BIT STRING's first byte counts the unused bits of its last byte: none for a key.
    let (&unused, public_key) = bits.contents.split_first()?;
    if unused != 0 {
        return None;
    }
    Some(CertificateFacts {
        not_before: der_time(validity.first()?)?,
        not_after: der_time(validity.get(1)?)?,
        public_key: public_key.to_vec(),
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_a_certificate_reads_as_none() {
        assert_eq!(read(b""), None);
        assert_eq!(read(&[0x30, 0x03, 0x02, 0x01, 0x01]), None);
        assert_eq!(read(&[0x30, 0x82, 0xff]), None);
    }
}

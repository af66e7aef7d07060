//! AADSTS codes and OAuth `error` values mapped to cause ids (contracts/causes.md). The
//! identity platform's answers are classified here and nowhere else.

use crate::cause::Cause;

use super::AadError;

/// The cause an AADSTS code means, when it is one the product knows.
pub fn cause_for_code(code: u32) -> Option<Cause> {
    Some(match code {
        90002 => Cause::TenantNotFound,
        900023 => Cause::TenantIdMalformed,
        90038 | 900381 | 900382 => Cause::WrongCloud,
        50194 => Cause::SingleTenantAppOnCommon,
        700016 => Cause::ClientIdNotFound,
        7000112 => Cause::AppDisabled,
        7000218 => Cause::SecretMissing,
        7000215 => Cause::SecretInvalid,
        7000222 => Cause::SecretExpired,
        700025 => Cause::PublicClientSentSecret,
        700027 => Cause::CertificateAssertionInvalid,
        50011 => Cause::RedirectUriMismatch,
        50020 => Cause::UserNotInTenant,
        65001 | 65004 | 90094 => Cause::ConsentRequired,
        70011 | 1002012 | 700022 => Cause::ScopeInvalid,
        500011 => Cause::ResourceNotFound,
        53003 | 530035 => Cause::ConditionalAccessBlocked,
        50076 | 50079 => Cause::MfaRequired,
        _ => return None,
    })
}

/// The cause of an identity error: its first known code, else its OAuth `error` value.
pub fn cause_of(error: &AadError) -> Option<Cause> {
    error
        .error_codes
        .iter()
        .find_map(|c| cause_for_code(*c))
        .or(match error.error.as_str() {
            "temporarily_unavailable" => Some(Cause::ServiceUnavailable),
            "invalid_tenant" => Some(Cause::TenantNotFound),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_causes() {
        assert_eq!(cause_for_code(7000215), Some(Cause::SecretInvalid));
        assert_eq!(cause_for_code(1002012), Some(Cause::ScopeInvalid));
        assert_eq!(cause_for_code(1), None);
        let e = AadError::parse(br#"{"error":"temporarily_unavailable","error_codes":[]}"#)
            .expect("body");
        assert_eq!(cause_of(&e), Some(Cause::ServiceUnavailable));
    }
}

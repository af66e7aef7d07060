//! AADSTS codes and OAuth `error` values mapped to cause ids (contracts/causes.md). The
//! identity platform's answers are classified here and nowhere else.

use crate::cause::Cause;

use super::AadError;

/// AADSTS codes and their causes: every code of contracts/causes.md's "from" column, plus a few
/// close relatives with the same remedy.
const CODES: &[(u32, Cause)] = &[
    (90002, Cause::TenantNotFound),
    (900023, Cause::TenantIdMalformed),
    (90038, Cause::WrongCloud),
    (900381, Cause::WrongCloud),
    (900382, Cause::WrongCloud),
    // A confidential client or a tenant of one cloud asked for at another cloud's endpoints.
    (900432, Cause::WrongCloud),
    (900440, Cause::WrongCloud),
    (50194, Cause::SingleTenantAppOnCommon),
    (700016, Cause::ClientIdNotFound),
    (7000112, Cause::AppDisabled),
    (7000218, Cause::SecretMissing),
    (7000215, Cause::SecretInvalid),
    (7000222, Cause::SecretExpired),
    (700025, Cause::PublicClientSentSecret),
    (700027, Cause::CertificateAssertionInvalid),
    // The client assertion is no valid JWT (no certificate thumbprint in its header).
    (50027, Cause::CertificateAssertionInvalid),
    // The assertion's issuer and subject differ or are not the client, it is outside its
    // validity (clock skew), or its jti was used before. (An assertion whose certificate is
    // not registered also answers 700027; the certificate check tells it apart by reading the
    // registration's key credentials.)
    (50048, Cause::CertificateAssertionInvalid),
    (700021, Cause::CertificateAssertionInvalid),
    (700024, Cause::CertificateAssertionInvalid),
    (7000274, Cause::CertificateAssertionInvalid),
    (50011, Cause::RedirectUriMismatch),
    // No reply address is registered for the application.
    (500113, Cause::RedirectUriMismatch),
    // Cross-origin redemption only for the SPA platform / SPA tokens only cross-origin.
    (9002326, Cause::RedirectPlatformWrong),
    (9002327, Cause::RedirectPlatformWrong),
    // The implicit grant (ID or access token from the authorization endpoint) is not enabled for
    // the platform the app is registered under.
    (70005, Cause::RedirectPlatformWrong),
    (700054, Cause::RedirectPlatformWrong),
    // The app accepts personal Microsoft accounts only.
    (9002331, Cause::AccountTypeMismatch),
    (50020, Cause::UserNotInTenant),
    (16000, Cause::UserNotInTenant),
    (50034, Cause::UserNotInTenant),
    (90072, Cause::UserNotInTenant),
    (65001, Cause::ConsentRequired),
    (65004, Cause::ConsentRequired),
    (90094, Cause::ConsentRequired),
    // Only an administrator may consent (application permissions, or the operation itself).
    (90093, Cause::ConsentRequired),
    (900941, Cause::ConsentRequired),
    // The admin consent workflow asks the user to request approval.
    (90095, Cause::UserConsentBlocked),
    // The requested resource is not in the app's required permissions.
    (65005, Cause::PermissionMissing),
    (650056, Cause::PermissionMissing),
    (650057, Cause::PermissionMissing),
    (70011, Cause::ScopeInvalid),
    (1002012, Cause::ScopeInvalid),
    (700022, Cause::ScopeInvalid),
    // A scope the resource does not offer.
    (650053, Cause::ScopeInvalid),
    (500011, Cause::ResourceNotFound),
    (53003, Cause::ConditionalAccessBlocked),
    (530035, Cause::ConditionalAccessBlocked),
    (53000, Cause::ConditionalAccessBlocked),
    (53001, Cause::ConditionalAccessBlocked),
    (50076, Cause::MfaRequired),
    (50079, Cause::MfaRequired),
    (50072, Cause::MfaRequired),
    (50074, Cause::MfaRequired),
    // Refresh token expired or revoked: the stored sign-in must be renewed.
    (70008, Cause::TokenInvalid),
    (700082, Cause::TokenInvalid),
    (50173, Cause::TokenInvalid),
    // The directory service is unavailable.
    (90033, Cause::ServiceUnavailable),
];

/// The cause an AADSTS code means, when it is one the product knows.
pub fn cause_for_code(code: u32) -> Option<Cause> {
    CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, cause)| *cause)
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
    fn no_code_is_listed_twice() {
        let mut codes: Vec<u32> = CODES.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        let count = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), count, "a code is listed twice");
    }

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

//! Client assertions (`client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`):
//! checked as Entra checks a certificate credential, each failure with its AADSTS code.
//!
//! | Failure | Code | `error` |
//! |---|---|---|
//! | not a signed JWT, or without `exp` / `jti` | 50027 | invalid_request (400) |
//! | `alg` other than RS256 / PS256 | 700027 | invalid_client (401) |
//! | `iss` ≠ `sub` | 50048 | invalid_client (401) |
//! | `iss` / `sub` ≠ the client ID | 700021 | invalid_client (401) |
//! | `aud` not this tenant's token endpoint (v2 or v1 form, by tenant ID, domain or the path's name) | 700023 | invalid_client (401) |
//! | now outside `nbf` … `exp` (five minutes' skew) | 700024 | invalid_client (401) |
//! | the header's thumbprint not among the app's `keyCredentials` | 700027 | invalid_client (401) |
//! | the certificate's end date passed | 700027 | invalid_client (401) |
//! | the signature does not verify with the certificate's key | 700027 | invalid_client (401) |
//! | a `jti` accepted before, within its lifetime | 7000274 | invalid_client (401) |
//!
//! The 700027 "key was not found" wording follows the recorded answers
//! (conformance/recordings: azure-sdk-for-go, azure-sdk-for-net); 700024, 700023 and 50048 follow
//! answers quoted in public issues. No captured answer to a replayed `jti` exists: its code is the
//! stand-in's choice and is named here so that it can be changed in one place.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::certificates::SignedJwt;
use crate::errors::AadError;
use crate::state::{ClientView, Tenant};

/// The only `client_assertion_type` Entra takes.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Clock skew Entra tolerates on an assertion's `nbf` and `exp`.
pub const SKEW_SECONDS: i64 = 300;

/// The code answered for a replayed `jti` (inferred; see the module documentation).
pub const REPLAYED_JTI: u32 = 7_000_274;

/// Where the certificate-credential documentation lives (named by Entra's assertion errors).
const DOCS: &str = "https://learn.microsoft.com/entra/identity-platform/certificate-credentials";

/// What an assertion is checked against.
#[derive(Debug)]
pub struct Expected<'a> {
    /// The client the request names.
    pub client: &'a ClientView,
    /// The tenant asked.
    pub tenant: &'a Tenant,
    /// The tenant as it appears in the request path (a GUID, a domain, `organizations`…).
    pub segment: &'a str,
    /// The base URL the stand-in names itself by (its token endpoint's origin: `public_url` when set).
    pub login_base: &'a str,
    /// The address the stand-in listens on (also accepted when `public_url` names another).
    pub listen_base: &'a str,
    /// Now.
    pub now: DateTime<Utc>,
}

/// The client ID an assertion names (`iss`), for requests that send no `client_id`.
pub fn issuer(assertion: &str) -> Option<String> {
    SignedJwt::parse(assertion).and_then(|jwt| jwt.claim_text("iss").map(str::to_owned))
}

/// Checks a client assertion; on success its `jti` is remembered until the assertion expires.
pub fn verify(
    assertion: &str,
    expected: &Expected<'_>,
    used: &mut HashMap<(String, String), DateTime<Utc>>,
) -> Result<(), AadError> {
    let malformed = || {
        AadError::bad_request(
            "invalid_request",
            50027,
            "JWT token is invalid or malformed.",
        )
    };
    let jwt = SignedJwt::parse(assertion).ok_or_else(malformed)?;
    let app_id = &expected.client.app_id;
    if !jwt.algorithm_accepted() {
        return Err(signature_error(
            app_id,
            "The signing algorithm is not supported; use RS256 or PS256.",
            jwt.thumbprint().map(|t| t.hex()).unwrap_or_default(),
        ));
    }
    let (iss, sub) = (jwt.claim_text("iss"), jwt.claim_text("sub"));
    if iss != sub {
        return Err(AadError::invalid_client(
            50048,
            "Subject mismatches Issuer claim in the client assertion.",
        ));
    }
    if !iss.is_some_and(|iss| iss.eq_ignore_ascii_case(app_id)) {
        return Err(AadError::invalid_client(
            700021,
            format!(
                "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at {DOCS} ."
            ),
        ));
    }
    if !audience_accepted(&jwt, expected) {
        return Err(AadError::invalid_client(
            700023,
            format!(
                "Client assertion audience claim does not match Realm issuer. Review the documentation at {DOCS} ."
            ),
        ));
    }
    let (Some(exp), Some(jti)) = (jwt.claim_time("exp"), jwt.claim_text("jti")) else {
        return Err(malformed());
    };
    let nbf = jwt.claim_time("nbf").unwrap_or(0);
    let now = expected.now.timestamp();
    if now + SKEW_SECONDS < nbf || exp + SKEW_SECONDS <= now {
        return Err(AadError::invalid_client(
            700024,
            format!(
                "Client assertion is not within its valid time range. Current time: {}, assertion valid from {}, expiry time of assertion {}. Review the documentation at {DOCS} .",
                precise(expected.now),
                precise(from_seconds(nbf)),
                precise(from_seconds(exp)),
            ),
        ));
    }
    let thumbprint = jwt.thumbprint();
    let used_hex = thumbprint.as_ref().map(|t| t.hex()).unwrap_or_default();
    let Some(key) = thumbprint.as_ref().and_then(|thumbprint| {
        expected
            .client
            .certificates
            .iter()
            .find(|key| key.matches(thumbprint))
    }) else {
        return Err(signature_error(app_id, "The key was not found.", used_hex));
    };
    let found = format!(
        "Found key 'Start={}, End={}'",
        key.start.format("%m/%d/%Y %H:%M:%S"),
        key.end.format("%m/%d/%Y %H:%M:%S")
    );
    if key.end <= expected.now {
        return Err(signature_error(
            app_id,
            &format!("The key used is expired., {found}"),
            used_hex,
        ));
    }
    if !jwt.verifies_with(&key.certificate) {
        return Err(signature_error(
            app_id,
            &format!(
                "The provided signature value did not match the expected signature value., {found}"
            ),
            used_hex,
        ));
    }
    let at = expected.now;
    used.retain(|_, until| *until > at);
    let remembered = (app_id.to_ascii_lowercase(), jti.to_owned());
    if used.contains_key(&remembered) {
        return Err(AadError::invalid_client(
            REPLAYED_JTI,
            format!(
                "The client assertion with jti '{jti}' was already used. Each assertion is accepted once; sign a new one with a new jti. Review the documentation at {DOCS} ."
            ),
        ));
    }
    used.insert(remembered, from_seconds(exp + SKEW_SECONDS));
    Ok(())
}

/// Whether `aud` is this tenant's token endpoint: the v2 (`/oauth2/v2.0/token`) or v1
/// (`/oauth2/token`) path, under the stand-in's own base or Microsoft's, naming the tenant as the
/// request did, by its ID or by one of its domains.
fn audience_accepted(jwt: &SignedJwt, expected: &Expected<'_>) -> bool {
    let auds: Vec<&str> = match jwt.claims.get("aud") {
        Some(serde_json::Value::String(aud)) => vec![aud.as_str()],
        Some(serde_json::Value::Array(auds)) => {
            auds.iter().filter_map(serde_json::Value::as_str).collect()
        }
        _ => Vec::new(),
    };
    let bases = [
        expected.login_base.trim_end_matches('/'),
        expected.listen_base.trim_end_matches('/'),
        "https://login.microsoftonline.com",
    ];
    let tenants = std::iter::once(expected.segment)
        .chain(std::iter::once(expected.tenant.id.as_str()))
        .chain(expected.tenant.domains.iter().map(String::as_str));
    let mut accepted = Vec::new();
    for tenant in tenants {
        for base in bases {
            for path in ["oauth2/v2.0/token", "oauth2/token"] {
                accepted.push(format!("{base}/{tenant}/{path}"));
            }
        }
    }
    auds.iter().any(|aud| {
        let aud = aud.trim_end_matches('/');
        accepted.iter().any(|a| a.eq_ignore_ascii_case(aud))
    })
}

/// AADSTS700027 with Entra's wording around a reason.
fn signature_error(app_id: &str, reason: &str, thumbprint: String) -> AadError {
    AadError::invalid_client(
        700027,
        format!(
            "Client assertion contains an invalid signature. [Reason - {reason}, Thumbprint of key used by client: '{thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '{app_id}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/{app_id}']"
        ),
    )
}

/// A time in seconds since the epoch.
fn from_seconds(seconds: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(seconds, 0).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// A time as Entra prints it in assertion errors: seven fractional digits.
fn precise(at: DateTime<Utc>) -> String {
    format!(
        "{}.{:07}Z",
        at.format("%Y-%m-%dT%H:%M:%S"),
        at.timestamp_subsec_nanos() / 100
    )
}

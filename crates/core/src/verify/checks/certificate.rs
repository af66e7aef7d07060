//! The certificate checks, for a registration proved with a certificate instead of a secret:
//! `client_certificate` from one client-credentials request with a client assertion the
//! certificate signs (with `client_id` from the same answer), and `certificate_expiry` from the
//! registration's `keyCredentials`, the certificate in use found by its thumbprint.
//!
//! Microsoft answers AADSTS700027 both for a certificate it does not know and for an expired one;
//! since the assertion is signed here with the certificate's own key, the certificate's end date
//! tells the two apart (`certificate_expired` or `certificate_not_registered`).

use chrono::{DateTime, Utc};
use serde_json::json;

use super::app_credentials::Credentials;
use super::secret_expiry::EXPIRING_SOON_DAYS;
use crate::cause::Cause;
use crate::check::CheckId;
use crate::credentials::{Certificate, names_thumbprint};
use crate::endpoints::Cloud;
use crate::graph::applications::{Application, KeyCredential};
use crate::identity::{self, TokenError};
use crate::portal::{self, AppPage};
use crate::verify::Context;
use crate::verify::outcome::{downstream, fail, pass, unverified, warn};

/// Ask for an app token with a client assertion signed by `certificate`.
pub async fn run(
    ctx: &Context,
    tenant_id: &str,
    client_id: &str,
    certificate: &Certificate,
) -> Credentials {
    let cloud = ctx.endpoints.cloud;
    let credentials_page = Some(portal::app_registration(
        cloud,
        client_id,
        AppPage::Credentials,
    ));
    let scope = ctx.endpoints.graph_default_scope();
    let outcome = identity::client_credentials_with_certificate(
        &ctx.http,
        &ctx.endpoints,
        tenant_id,
        client_id,
        certificate,
        &scope,
    )
    .await;
    let thumbprint = certificate.thumbprint();
    let app_found = || {
        pass(
            CheckId::ClientId,
            format!("The app {client_id} is registered in the tenant and enabled."),
            json!({ "client_id": client_id }),
        )
    };
    let refused_app = |cause: Cause, message: String, evidence| {
        let id = fail(CheckId::ClientId, cause, message, evidence).with_link(Some(
            portal::app_registration(cloud, client_id, AppPage::Overview),
        ));
        let certificate = downstream(CheckId::ClientCertificate, &id);
        Credentials {
            client_id: id,
            client_secret: certificate,
            token: None,
        }
    };
    match outcome {
        Ok(token) => {
            let evidence = json!({
                "thumbprint": thumbprint,
                "not_after": certificate.not_after(),
                "roles": token.claims.roles,
                "expires_in": token.expires_in,
            });
            Credentials {
                client_id: app_found(),
                client_secret: pass(
                    CheckId::ClientCertificate,
                    format!(
                        "The certificate {thumbprint} is valid: Microsoft issued a token for an assertion it signed."
                    ),
                    evidence,
                ),
                token: Some(token),
            }
        }
        Err(TokenError::Unavailable(fault)) => Credentials {
            client_id: unverified(CheckId::ClientId, &fault),
            client_secret: unverified(CheckId::ClientCertificate, &fault),
            token: None,
        },
        Err(TokenError::Rejected(error)) => {
            let mut evidence = error.evidence();
            if let Some(fields) = evidence.as_object_mut() {
                fields.insert("thumbprint".into(), json!(thumbprint));
            }
            match identity::cause_of(&error) {
                Some(Cause::ClientIdNotFound) => refused_app(
                    Cause::ClientIdNotFound,
                    format!(
                        "No app with the ID {client_id} exists in this tenant ({}).",
                        error.label()
                    ),
                    evidence,
                ),
                Some(Cause::AppDisabled) => refused_app(
                    Cause::AppDisabled,
                    format!(
                        "The app {client_id} exists but is disabled ({}).",
                        error.label()
                    ),
                    evidence,
                ),
                Some(cause) if cause.is_transient() => {
                    let fault = crate::http::Unavailable {
                        cause,
                        detail: error.label(),
                        retry_after: None,
                    };
                    Credentials {
                        client_id: unverified(CheckId::ClientId, &fault),
                        client_secret: unverified(CheckId::ClientCertificate, &fault),
                        token: None,
                    }
                }
                other => {
                    let (cause, message) = match other {
                        Some(Cause::CertificateAssertionInvalid)
                            if error.error_codes.contains(&700027) =>
                        {
                            if certificate.not_after() <= ctx.now {
                                (
                                    Cause::CertificateExpired,
                                    format!(
                                        "The certificate {thumbprint} ended on {} ({}).",
                                        certificate.not_after().format("%Y-%m-%d"),
                                        error.label()
                                    ),
                                )
                            } else {
                                (
                                    Cause::CertificateNotRegistered,
                                    format!(
                                        "The certificate {thumbprint} is not registered on the app {client_id} ({}).",
                                        error.label()
                                    ),
                                )
                            }
                        }
                        Some(cause) => (
                            cause,
                            format!(
                                "Microsoft refused the assertion signed with the certificate {thumbprint} ({}).",
                                error.label()
                            ),
                        ),
                        None => (
                            Cause::CertificateAssertionInvalid,
                            format!(
                                "Microsoft refused the assertion signed with the certificate {thumbprint} ({}).",
                                error.label()
                            ),
                        ),
                    };
                    Credentials {
                        client_id: app_found(),
                        client_secret: fail(CheckId::ClientCertificate, cause, message, evidence)
                            .with_link(credentials_page),
                        token: None,
                    }
                }
            }
        }
    }
}

/// Judge the certificate in use: the key credential named by `thumbprint` (hex SHA-1) when one is
/// given, else the one that ends last.
pub fn judge_certificate_expiry(
    cloud: Cloud,
    app: &Application,
    thumbprint: Option<&str>,
    now: DateTime<Utc>,
) -> crate::verify::CheckResult {
    let id = CheckId::CertificateExpiry;
    let link = Some(portal::app_registration(
        cloud,
        &app.app_id,
        AppPage::Credentials,
    ));
    let certificates = &app.key_credentials;
    fn latest(list: Vec<&KeyCredential>) -> Option<&KeyCredential> {
        list.into_iter()
            .max_by_key(|c| c.end_date_time.unwrap_or(DateTime::<Utc>::MAX_UTC))
    }
    let chosen = match thumbprint {
        Some(thumbprint) => latest(
            certificates
                .iter()
                .filter(|c| {
                    c.custom_key_identifier
                        .as_deref()
                        .is_some_and(|named| names_thumbprint(named, thumbprint))
                })
                .collect(),
        ),
        None => latest(certificates.iter().collect()),
    };
    let Some(certificate) = chosen else {
        let message = match thumbprint {
            Some(thumbprint) => format!(
                "No certificate with the thumbprint {thumbprint} is registered on the app ({} other certificates).",
                certificates.len()
            ),
            None => "The registration has no certificate.".to_owned(),
        };
        return fail(
            id,
            Cause::CertificateNotRegistered,
            message,
            json!({ "thumbprint": thumbprint, "certificates": certificates.len() }),
        )
        .with_link(link);
    };
    let days_left = certificate.end_date_time.map(|end| (end - now).num_days());
    let evidence = json!({
        "key_id": certificate.key_id,
        "thumbprint": certificate.custom_key_identifier,
        "display_name": certificate.display_name,
        "end_date_time": certificate.end_date_time,
        "days_left": days_left,
        "chosen_by": if thumbprint.is_some() { "thumbprint" } else { "latest_end" },
        "certificates": certificates.len(),
    });
    let which = match thumbprint {
        Some(thumbprint) => format!("The certificate in use ({thumbprint})"),
        None => format!("The certificate that ends last ({})", certificate.key_id),
    };
    let Some(end) = certificate.end_date_time else {
        return pass(id, format!("{which} has no end date."), evidence);
    };
    let date = end.format("%Y-%m-%d");
    if end <= now {
        return fail(
            id,
            Cause::CertificateExpired,
            format!("{which} ended on {date}."),
            evidence,
        )
        .with_link(link);
    }
    let days = days_left.unwrap_or_default();
    if days < EXPIRING_SOON_DAYS {
        return warn(
            id,
            Cause::CertificateExpiringSoon,
            format!("{which} ends on {date}, in {days} days."),
            evidence,
        )
        .with_link(link);
    }
    pass(
        id,
        format!("{which} ends on {date}, in {days} days."),
        evidence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::Status;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
            .single()
            .expect("date")
    }

    fn key(id: &str, thumbprint: &str, end: (i32, u32, u32)) -> KeyCredential {
        KeyCredential {
            key_id: id.into(),
            custom_key_identifier: Some(thumbprint.into()),
            display_name: Some("CN=Intranet".into()),
            key: None,
            kind: Some("AsymmetricX509Cert".into()),
            usage: Some("Verify".into()),
            start_date_time: None,
            end_date_time: Utc.with_ymd_and_hms(end.0, end.1, end.2, 0, 0, 0).single(),
        }
    }

    fn app(keys: Vec<KeyCredential>) -> Application {
        Application {
            id: "c".into(),
            app_id: "b".into(),
            display_name: None,
            sign_in_audience: None,
            web: None,
            spa: None,
            public_client: None,
            required_resource_access: vec![],
            password_credentials: vec![],
            key_credentials: keys,
        }
    }

    fn judge(app: &Application, thumbprint: Option<&str>) -> crate::verify::CheckResult {
        judge_certificate_expiry(Cloud::Global, app, thumbprint, now())
    }

    #[test]
    fn the_certificate_in_use_is_found_by_its_thumbprint() {
        let app = app(vec![
            key("old", "AA11", (2026, 3, 10)),
            key("new", "BB22", (2028, 1, 1)),
        ]);
        let soon = judge(&app, Some("aa11"));
        assert_eq!(
            (soon.status, soon.cause),
            (Status::Warn, Some(Cause::CertificateExpiringSoon))
        );
        assert_eq!(soon.evidence["key_id"], "old");
        let latest = judge(&app, None);
        assert_eq!(latest.status, Status::Pass);
        assert_eq!(latest.evidence["key_id"], "new");
    }

    #[test]
    fn an_ended_or_unregistered_certificate_fails() {
        let app = app(vec![key("k", "AA11", (2025, 6, 30))]);
        let ended = judge(&app, Some("AA11"));
        assert_eq!(
            (ended.status, ended.cause),
            (Status::Fail, Some(Cause::CertificateExpired))
        );
        assert!(ended.message.contains("2025-06-30"), "{}", ended.message);
        let other = judge(&app, Some("CC33"));
        assert_eq!(
            (other.status, other.cause),
            (Status::Fail, Some(Cause::CertificateNotRegistered))
        );
        let none = judge(&super::tests::app(vec![]), None);
        assert_eq!(none.cause, Some(Cause::CertificateNotRegistered));
    }
}

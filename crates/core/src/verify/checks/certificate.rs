//! The certificate checks, for a registration proved with a certificate instead of a secret:
//! `client_certificate` from one client-credentials request with a client assertion the
//! certificate signs (with `client_id` from the same answer), and `certificate_expiry` from the
//! registration's `keyCredentials`, the certificate in use found by its thumbprint.
//!
//! Microsoft answers AADSTS700027 both for a certificate it does not know and for an expired one;
//! since the assertion is signed here with the certificate's own key, the certificate's end date
//! tells the two apart (`certificate_expired` or `certificate_not_registered`).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::app_credentials::{Answer, Credentials};
use super::secret_expiry::{InUse, days_left, ending_last};
use crate::cause::Cause;
use crate::check::CheckId;
use crate::credentials::{Certificate, names_thumbprint};
use crate::endpoints::Cloud;
use crate::graph::applications::{Application, KeyCredential};
use crate::identity::{self, AadError, AppToken};
use crate::portal::{self, AppPage};
use crate::verify::Context;
use crate::verify::outcome::{fail, pass};

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
    let accepted = |token: &AppToken| {
        pass(
            CheckId::ClientCertificate,
            format!(
                "The certificate {thumbprint} is valid: Microsoft issued a token for an assertion it signed."
            ),
            json!({
                "thumbprint": thumbprint,
                "not_after": certificate.not_after(),
                "roles": token.claims.roles,
                "expires_in": token.expires_in,
            }),
        )
    };
    let with_thumbprint = |mut evidence: Value| {
        if let Some(fields) = evidence.as_object_mut() {
            fields.insert("thumbprint".into(), json!(thumbprint));
        }
        evidence
    };
    let refused = |error: &AadError, cause: Option<Cause>, evidence| {
        let (cause, message) = match cause {
            Some(Cause::CertificateAssertionInvalid) if error.error_codes.contains(&700027) => {
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
            cause => (
                cause.unwrap_or(Cause::CertificateAssertionInvalid),
                format!(
                    "Microsoft refused the assertion signed with the certificate {thumbprint} ({}).",
                    error.label()
                ),
            ),
        };
        fail(CheckId::ClientCertificate, cause, message, evidence).with_link(credentials_page)
    };
    let overview = portal::app_registration(cloud, client_id, AppPage::Overview);
    let answer = Answer {
        client_id,
        proof: CheckId::ClientCertificate,
        unknown_app_link: overview.clone(),
        disabled_app_link: Some(overview),
    };
    answer.judge(outcome, with_thumbprint, accepted, refused)
}

/// Judge the certificate in use: the key credential named by `thumbprint` (hex SHA-1) when one is
/// given, else the one that ends last.
pub fn judge_certificate_expiry<'a>(
    cloud: Cloud,
    app: &'a Application,
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
    let latest = |list: Vec<&'a KeyCredential>| ending_last(list, |c| c.end_date_time);
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
    let evidence = json!({
        "key_id": certificate.key_id,
        "thumbprint": certificate.custom_key_identifier,
        "display_name": certificate.display_name,
        "end_date_time": certificate.end_date_time,
        "days_left": days_left(certificate.end_date_time, now),
        "chosen_by": if thumbprint.is_some() { "thumbprint" } else { "latest_end" },
        "certificates": certificates.len(),
    });
    let which = match thumbprint {
        Some(thumbprint) => format!("The certificate in use ({thumbprint})"),
        None => format!("The certificate that ends last ({})", certificate.key_id),
    };
    let in_use = InUse {
        id,
        which,
        end: certificate.end_date_time,
        evidence,
        link,
    };
    in_use.judge(
        now,
        Cause::CertificateExpired,
        Cause::CertificateExpiringSoon,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::Status;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        "2026-03-01T00:00:00Z".parse().expect("date")
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
        let mut app: Application =
            serde_json::from_value(json!({ "id": "c", "appId": "b" })).expect("application");
        app.key_credentials = keys;
        app
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

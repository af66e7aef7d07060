//! Certificate credentials against the stand-in tenant served in-process: `register` with a
//! certificate keeps its private key in the keychain, uploads its public key and then verifies
//! with a client assertion; a certificate the registration does not have fails
//! `certificate_not_registered`; with no keychain nothing is uploaded; rotating adds a second
//! certificate beside the first, and the first is removed only while the second works; an
//! expired certificate fails `certificate_expired`; the tenant's certificate lifetime policy caps
//! a new certificate.
//!
//! These tests are the specification of the stand-in's client assertions and `keyCredentials`
//! writes as much as of the core.

#[path = "support/repair.rs"]
mod repair;
mod support;

use std::sync::Arc;

use entra_setup_core::cause::Cause;
use entra_setup_core::check::CheckId;
use entra_setup_core::credentials::Certificate;
use entra_setup_core::fix::{
    self, CertificateRequest, ChangeKind, FixError, Registered, RegistrationInputs,
};
use entra_setup_core::graph::bodies::{ApplicationBody, KeyCredentialBody};
use entra_setup_core::identity::TokenClaims;
use entra_setup_core::profile::Catalog;
use entra_setup_core::secrets::{MemoryStore, SecretStore};
use entra_setup_core::verify::{self, Inputs, Report, Sessions, Status};
use serde_json::{Value, json};

use repair::{StandIn, applications, start};

const REDIRECT: &str = "https://intranet.contoso.com/oauth2/callback";

fn no_apps(scenario: &mut Value) {
    scenario["tenants"][0]["applications"] = json!([]);
}

fn tenant_id(stand_in: &StandIn) -> String {
    TokenClaims::read(stand_in.admin.expose())
        .and_then(|c| c.tid)
        .expect("tid")
}

async fn register(
    stand_in: &StandIn,
    client_id: Option<&str>,
    store: Arc<dyn SecretStore>,
    new_certificate: bool,
) -> Result<Registered, FixError> {
    let catalog = Catalog::shipped();
    let profile = catalog.get("custom").expect("custom profile");
    let inputs = RegistrationInputs {
        tenant: "contoso.com".into(),
        client_id: client_id.map(str::to_string),
        redirect_uri: Some(REDIRECT.into()),
        app_name: Some("Certificate test".into()),
    };
    let request = CertificateRequest {
        new_certificate,
        days: Some(90),
        store,
    };
    fix::register_with_certificate(profile, &inputs, &request, &stand_in.session()).await
}

async fn verify_with(stand_in: &StandIn, client_id: &str, certificate: &Certificate) -> Report {
    let catalog = Catalog::shipped();
    let profile = catalog.get("custom").expect("custom profile");
    let inputs = Inputs {
        tenant: "contoso.com".into(),
        client_id: Some(client_id.into()),
        secret: None,
        redirect_uri: Some(REDIRECT.into()),
        mailbox: None,
        test_recipient: None,
        sessions: Sessions {
            admin_graph: Some(stand_in.admin.clone()),
            ..Sessions::default()
        },
    };
    verify::verify_with_certificate(profile, &inputs, certificate, &stand_in.ctx, &|_| {}).await
}

fn result(report: &Report, id: CheckId) -> (Status, Option<Cause>) {
    let check = report
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} in {report:#?}"));
    (check.status, check.cause)
}

#[tokio::test]
async fn a_registered_certificate_verifies_and_an_unregistered_one_does_not() {
    let stand_in = start("contoso", no_apps).await;
    let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::default());
    let registered = register(&stand_in, None, Arc::clone(&store), false)
        .await
        .expect("registered with a certificate");
    assert!(registered.created && registered.secret.is_none());
    let made = registered.certificate.as_ref().expect("a certificate");
    assert!(
        registered
            .changes
            .iter()
            .any(|c| c.kind == ChangeKind::CertificateAdded
                && c.description.contains(&made.thumbprint)),
        "{:?}",
        registered.changes
    );
    // The private key is kept, under the tenant's GUID.
    let kept =
        Certificate::from_keychain(store.as_ref(), &tenant_id(&stand_in), &registered.client_id)
            .expect("read")
            .expect("kept");
    assert_eq!(kept.thumbprint(), made.thumbprint);
    // Graph shows the certificate by its thumbprint.
    let apps = applications(&stand_in).await;
    let app = apps
        .iter()
        .find(|a| a["appId"] == registered.client_id.as_str())
        .expect("the app");
    assert_eq!(
        app["keyCredentials"][0]["customKeyIdentifier"],
        made.thumbprint.as_str()
    );

    let report = verify_with(&stand_in, &registered.client_id, &kept).await;
    assert_eq!(
        result(&report, CheckId::ClientCertificate),
        (Status::Pass, None)
    );
    assert_eq!(
        result(&report, CheckId::CertificateExpiry),
        (Status::Pass, None)
    );
    assert!(
        report
            .checks
            .iter()
            .all(|c| c.id != CheckId::ClientSecret && c.id != CheckId::SecretExpiry)
    );

    let stranger = Certificate::generate("Stranger", stand_in.ctx.now, 30).expect("generate");
    let report = verify_with(&stand_in, &registered.client_id, &stranger).await;
    assert_eq!(
        result(&report, CheckId::ClientCertificate),
        (Status::Fail, Some(Cause::CertificateNotRegistered))
    );
    assert_eq!(
        result(&report, CheckId::CertificateExpiry),
        (Status::Fail, Some(Cause::CertificateNotRegistered))
    );

    // Registering again with the certificate kept changes nothing.
    let again = register(
        &stand_in,
        Some(&registered.client_id),
        Arc::clone(&store),
        false,
    )
    .await
    .expect("again");
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    assert_eq!(
        again.kept_certificate.as_ref().map(Certificate::thumbprint),
        Some(made.thumbprint.clone())
    );
}

#[tokio::test]
async fn without_a_keychain_no_certificate_is_uploaded() {
    let stand_in = start("contoso", no_apps).await;
    let error = register(&stand_in, None, Arc::new(MemoryStore::unavailable()), false)
        .await
        .expect_err("no keychain");
    let (client_id, _) = error
        .created_registration()
        .expect("the registration was created");
    assert!(error.to_string().contains("keychain"), "{error}");
    let apps = applications(&stand_in).await;
    let app = apps
        .iter()
        .find(|a| a["appId"] == client_id)
        .expect("the app");
    assert_eq!(app["keyCredentials"], json!([]));
}

#[tokio::test]
async fn a_seed_product_takes_no_certificate() {
    let stand_in = start("contoso", no_apps).await;
    let catalog = Catalog::shipped();
    let profile = catalog.get("axero-outlook-calendar").expect("profile");
    let inputs = RegistrationInputs {
        tenant: "contoso.com".into(),
        client_id: None,
        redirect_uri: Some("https://intranet.contoso.com/oauth2/outlook/callback".into()),
        app_name: None,
    };
    let request = CertificateRequest {
        new_certificate: false,
        days: None,
        store: Arc::new(MemoryStore::default()),
    };
    let error = fix::register_with_certificate(profile, &inputs, &request, &stand_in.session())
        .await
        .expect_err("refused");
    assert!(
        matches!(error, FixError::CertificateNotAccepted { .. }),
        "{error}"
    );
    assert!(
        applications(&stand_in).await.is_empty(),
        "nothing was written"
    );
}

#[tokio::test]
async fn rotation_keeps_both_until_the_old_one_is_removed() {
    let stand_in = start("contoso", no_apps).await;
    let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::default());
    let registered = register(&stand_in, None, Arc::clone(&store), false)
        .await
        .expect("registered");
    let old = registered.certificate.expect("a certificate");
    let session = stand_in.session();
    let rotated = fix::rotate_certificate(
        "contoso.com",
        &tenant_id(&stand_in),
        &registered.client_id,
        60,
        Arc::clone(&store),
        &session,
    )
    .await
    .expect("rotated");
    assert!(
        rotated.confirmation.is_accepted(),
        "{:?}",
        rotated.confirmation
    );
    let new = &rotated.certificate;
    let apps = applications(&stand_in).await;
    let app = apps
        .iter()
        .find(|a| a["appId"] == registered.client_id.as_str())
        .expect("the app");
    let thumbprints: Vec<&str> = app["keyCredentials"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|k| k["customKeyIdentifier"].as_str())
        .collect();
    assert_eq!(thumbprints.len(), 2, "{thumbprints:?}");
    assert!(
        thumbprints.contains(&old.thumbprint.as_str())
            && thumbprints.contains(&new.thumbprint.as_str())
    );
    // Both work until the old one is removed.
    for certificate in [&old.certificate, &new.certificate] {
        let report = verify_with(&stand_in, &registered.client_id, certificate).await;
        assert_eq!(
            result(&report, CheckId::ClientCertificate),
            (Status::Pass, None)
        );
    }
    // The new one cannot be removed while it is the one given as kept.
    let refused = fix::remove_certificate(
        "contoso.com",
        &registered.client_id,
        &new.key_id,
        Some(&new.certificate),
        &session,
    )
    .await
    .expect_err("the kept one stays");
    assert!(
        matches!(refused, FixError::RemovalRefused { .. }),
        "{refused}"
    );
    let removal = fix::remove_certificate(
        "contoso.com",
        &registered.client_id,
        &old.key_id,
        Some(&new.certificate),
        &session,
    )
    .await
    .expect("removed");
    assert!(removal.removed);
    assert_eq!(removal.kept.as_deref(), Some(new.key_id.as_str()));
    let report = verify_with(&stand_in, &registered.client_id, &old.certificate).await;
    assert_eq!(
        result(&report, CheckId::ClientCertificate),
        (Status::Fail, Some(Cause::CertificateNotRegistered))
    );
    let report = verify_with(&stand_in, &registered.client_id, &new.certificate).await;
    assert_eq!(
        result(&report, CheckId::ClientCertificate),
        (Status::Pass, None)
    );
    // The last one that works is not removed.
    let last = fix::remove_certificate(
        "contoso.com",
        &registered.client_id,
        &new.key_id,
        None,
        &session,
    )
    .await
    .expect_err("the only one");
    assert!(matches!(last, FixError::RemovalRefused { .. }), "{last}");
}

#[tokio::test]
async fn an_expired_certificate_fails_certificate_expired() {
    let stand_in = start("contoso", no_apps).await;
    let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::default());
    let registered = register(&stand_in, None, Arc::clone(&store), false)
        .await
        .expect("registered");
    // A certificate that ended ten days ago, written beside the registration's own.
    let now = stand_in.ctx.now;
    let expired =
        Certificate::generate("Expired", now - chrono::Duration::days(40), 30).expect("generate");
    let apps = applications(&stand_in).await;
    let app = apps
        .iter()
        .find(|a| a["appId"] == registered.client_id.as_str())
        .expect("the app");
    let object_id = app["id"].as_str().expect("object id");
    let kept = app["keyCredentials"][0]["keyId"].as_str().expect("key id");
    let body = ApplicationBody {
        key_credentials: Some(vec![
            KeyCredentialBody {
                key_id: kept.into(),
                kind: KeyCredentialBody::CERTIFICATE.into(),
                usage: KeyCredentialBody::VERIFY.into(),
                ..KeyCredentialBody::default()
            },
            KeyCredentialBody {
                display_name: Some("CN=Expired".into()),
                end_date_time: Some(expired.not_after()),
                key: Some(expired.key_base64()),
                key_id: uuid::Uuid::new_v4().to_string(),
                start_date_time: Some(expired.not_before()),
                kind: KeyCredentialBody::CERTIFICATE.into(),
                usage: KeyCredentialBody::VERIFY.into(),
            },
        ]),
        ..ApplicationBody::default()
    };
    let graph = stand_in.session().graph();
    entra_setup_core::graph::write::update_application(&graph, object_id, &body)
        .await
        .expect("written");
    let report = verify_with(&stand_in, &registered.client_id, &expired).await;
    assert_eq!(
        result(&report, CheckId::ClientCertificate),
        (Status::Fail, Some(Cause::CertificateExpired))
    );
    assert_eq!(
        result(&report, CheckId::CertificateExpiry),
        (Status::Fail, Some(Cause::CertificateExpired))
    );
    // The registration's own certificate still works.
    let own = registered.certificate.expect("its certificate");
    let report = verify_with(&stand_in, &registered.client_id, &own.certificate).await;
    assert_eq!(
        result(&report, CheckId::ClientCertificate),
        (Status::Pass, None)
    );
}

#[tokio::test]
async fn the_tenants_certificate_lifetime_policy_caps_a_new_certificate() {
    let stand_in = start("contoso", |scenario| {
        no_apps(scenario);
        scenario["tenants"][0]["certificate_max_lifetime_days"] = json!(30);
    })
    .await;
    let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::default());
    // 90 days asked for, 30 allowed.
    let registered = register(&stand_in, None, Arc::clone(&store), false)
        .await
        .expect("registered within the policy");
    let made = registered.certificate.expect("a certificate");
    assert_eq!((made.days, made.capped_from), (30, Some(90)));
    assert!(
        made.change.description.contains("capped from 90 days"),
        "{}",
        made.change.description
    );
    let report = verify_with(&stand_in, &registered.client_id, &made.certificate).await;
    assert_eq!(
        result(&report, CheckId::ClientCertificate),
        (Status::Pass, None)
    );
    // 30 days left warns.
    assert_eq!(
        result(&report, CheckId::CertificateExpiry),
        (Status::Warn, Some(Cause::CertificateExpiringSoon))
    );
}

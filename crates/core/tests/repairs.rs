//! The repairs (`fix`) against the stand-in tenant served in-process, with the administrator's
//! device-code token carrying the read scopes and the repair scopes: every shipped profile is
//! registered from nothing on a tenant without apps and then verifies; registering again changes
//! nothing; the broken scenarios (wrong redirect URI, wrong account type, missing consent) are
//! repaired; a tenant's secret lifetime policy is respected; directory replication is waited out.

#[path = "support/repair.rs"]
mod repair;
mod support;

use entra_setup_core::cause::Cause;
use entra_setup_core::check::CheckId;
use entra_setup_core::fix::{self, ChangeKind, FixError, SecretRequest};
use entra_setup_core::identity::TokenClaims;
use entra_setup_core::profile::Catalog;
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::{self, MemoryStore};
use entra_setup_core::verify::{Report, SkipReason, Status};
use serde_json::{Value, json};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const CONNECTOR: &str = "bbbbbbbb-0000-0000-0000-000000000002";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const AXERO_CALENDAR_REDIRECT: &str = "https://intranet.contoso.com/oauth2/outlook/callback";
const AXERO_EMAIL_REDIRECT: &str = "https://intranet.contoso.com/oauth2/sharepoint/callback";
const ODOO_REDIRECT: &str = "https://odoo.contoso.com/microsoft_account/authentication";

use repair::start;

/// Every check passes, or is skipped for want of a mailbox (the owner's checks).
fn assert_passes_without_mailbox(report: &Report) {
    for check in &report.checks {
        let ok = check.status == Status::Pass
            || (check.status == Status::Skipped
                && matches!(
                    check.reason,
                    Some(SkipReason::MissingInput | SkipReason::DependsOnFailed)
                )
                && matches!(
                    check.id,
                    CheckId::Mailbox
                        | CheckId::SmtpAuth
                        | CheckId::TestEmail
                        | CheckId::CalendarAccess
                ));
        assert!(ok, "{}: {check:#?}", check.id);
    }
}

fn no_apps(scenario: &mut Value) {
    scenario["tenants"][0]["applications"] = json!([]);
}

async fn register_from_nothing(profile: &str, redirect: Option<&str>) {
    let stand_in = start("contoso", no_apps).await;
    let first = stand_in
        .register(profile, None, redirect, SecretRequest::default())
        .await
        .unwrap_or_else(|e| panic!("{profile}: {e}"));
    assert!(first.created);
    let kinds: Vec<ChangeKind> = first.changes.iter().map(|c| c.kind).collect();
    for kind in [
        ChangeKind::RegistrationCreated,
        ChangeKind::ServicePrincipalCreated,
        ChangeKind::AdminConsentGranted,
        ChangeKind::SecretAdded,
    ] {
        assert!(kinds.contains(&kind), "{profile}: {kind:?} in {kinds:?}");
    }
    let secret = first.secret.as_ref().expect("a new secret");
    assert!(!format!("{secret:?}").contains(secret.value.expose()));
    let report = stand_in
        .verify(profile, &first.client_id, secret.value.clone(), redirect)
        .await;
    assert_passes_without_mailbox(&report);

    // Run again with the new secret kept in the keychain: nothing changes, the kept secret is
    // found by its ID.
    let keychain = std::sync::Arc::new(MemoryStore::default());
    let tenant_id = TokenClaims::read(stand_in.admin.expose())
        .and_then(|c| c.tid)
        .expect("tid");
    secrets::store_client_secret(
        keychain.as_ref(),
        &tenant_id,
        &first.client_id,
        &secret.key_id,
        &secret.value,
    )
    .expect("kept");
    let kept = SecretRequest {
        kept_in: Some(keychain),
        ..SecretRequest::default()
    };
    let again = stand_in
        .register(profile, Some(&first.client_id), redirect, kept)
        .await
        .expect("register again");
    assert!(!again.created);
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    assert!(again.secret.is_none());
    assert_eq!(
        again.kept_secret.as_ref().map(Secret::expose),
        Some(secret.value.expose())
    );

    // Without the secret at hand (another machine, a run that stopped before keeping it), a run
    // again finishes the job with a new secret.
    let finished = stand_in
        .register(
            profile,
            Some(&first.client_id),
            redirect,
            SecretRequest::default(),
        )
        .await
        .expect("register without the secret at hand");
    let added = finished.secret.as_ref().expect("a secret is added");
    assert_eq!(finished.changes.len(), 1, "{:?}", finished.changes);
    assert_eq!(finished.changes[0].kind, ChangeKind::SecretAdded);
    assert_ne!(added.key_id, secret.key_id);
    stand_in.shutdown().await;
}

#[tokio::test]
async fn axero_calendar_from_nothing() {
    register_from_nothing("axero-outlook-calendar", Some(AXERO_CALENDAR_REDIRECT)).await;
}

#[tokio::test]
async fn axero_email_from_nothing() {
    register_from_nothing("axero-m365-email", Some(AXERO_EMAIL_REDIRECT)).await;
}

#[tokio::test]
async fn odoo_from_nothing() {
    register_from_nothing("odoo-outlook-calendar", Some(ODOO_REDIRECT)).await;
}

#[tokio::test]
async fn exchange_connector_from_nothing() {
    register_from_nothing("exchange-calendar-connector", None).await;
}

/// Repair `client_id` on scenario `name` for `profile`: the changes of `kind` are made, the
/// `check` passes afterwards, and a second run changes nothing.
async fn repair(
    name: &str,
    profile: &str,
    client_id: &str,
    redirect: Option<&str>,
    kind: ChangeKind,
    check: CheckId,
) {
    let stand_in = start(name, |_| {}).await;
    let before = stand_in
        .verify(profile, client_id, Secret::new(APP_SECRET), redirect)
        .await;
    assert_ne!(before.check(check).map(|c| c.status), Some(Status::Pass));
    // The administrator has the registration's secret: a repair adds none.
    let given = SecretRequest {
        given: true,
        ..SecretRequest::default()
    };
    let repaired = stand_in
        .register(profile, Some(client_id), redirect, given.clone())
        .await
        .expect("repair");
    assert!(!repaired.created);
    assert!(repaired.secret.is_none(), "a repair adds no secret");
    assert!(
        repaired.changes.iter().any(|c| c.kind == kind),
        "{:?}",
        repaired.changes
    );
    let after = stand_in
        .verify(profile, client_id, Secret::new(APP_SECRET), redirect)
        .await;
    assert_eq!(
        after.check(check).map(|c| c.status),
        Some(Status::Pass),
        "{after:#?}"
    );
    let again = stand_in
        .register(profile, Some(client_id), redirect, given)
        .await
        .expect("repair again");
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    stand_in.shutdown().await;
}

#[tokio::test]
async fn repairs_a_wrong_redirect_uri() {
    repair(
        "wrong-redirect-uri",
        "axero-outlook-calendar",
        APP,
        Some(AXERO_CALENDAR_REDIRECT),
        ChangeKind::RedirectUriAdded,
        CheckId::RedirectUri,
    )
    .await;
}

#[tokio::test]
async fn repairs_a_wrong_account_type() {
    repair(
        "wrong-account-type",
        "odoo-outlook-calendar",
        APP,
        Some(ODOO_REDIRECT),
        ChangeKind::AccountTypeSet,
        CheckId::AccountType,
    )
    .await;
}

#[tokio::test]
async fn repairs_missing_delegated_consent() {
    repair(
        "missing-consent",
        "axero-outlook-calendar",
        APP,
        Some(AXERO_CALENDAR_REDIRECT),
        ChangeKind::AdminConsentGranted,
        CheckId::AdminConsent,
    )
    .await;
}

#[tokio::test]
async fn repairs_missing_application_consent() {
    repair(
        "missing-consent",
        "exchange-calendar-connector",
        CONNECTOR,
        None,
        ChangeKind::AdminConsentGranted,
        CheckId::AdminConsent,
    )
    .await;
}

#[tokio::test]
async fn a_secret_lifetime_policy_read_from_graph_caps_the_secret() {
    let stand_in = start("contoso", |s| {
        no_apps(s);
        s["tenants"][0]["secret_max_lifetime_days"] = json!(90);
    })
    .await;
    let registered = stand_in
        .register(
            "axero-outlook-calendar",
            None,
            Some(AXERO_CALENDAR_REDIRECT),
            SecretRequest::default(),
        )
        .await
        .expect("capped within the policy");
    let secret = registered.secret.as_ref().expect("a secret");
    assert_eq!((secret.days, secret.capped_from), (90, Some(365)));
    assert!(secret.expires <= chrono::Utc::now() + chrono::Duration::days(90));
    assert!(
        secret.change.description.contains("capped from 365 days"),
        "{}",
        secret.change.description
    );
    let report = stand_in
        .verify(
            "axero-outlook-calendar",
            &registered.client_id,
            secret.value.clone(),
            Some(AXERO_CALENDAR_REDIRECT),
        )
        .await;
    assert_passes_without_mailbox(&report);
    stand_in.shutdown().await;
}

#[tokio::test]
async fn an_unreadable_lifetime_policy_is_explained_from_the_refusal() {
    let stand_in = start("contoso", |s| {
        no_apps(s);
        s["tenants"][0]["secret_max_lifetime_days"] = json!(90);
        s["tenants"][0]["app_management_policy_readable"] = json!(false);
    })
    .await;
    let refused = stand_in
        .register(
            "axero-outlook-calendar",
            None,
            Some(AXERO_CALENDAR_REDIRECT),
            SecretRequest::default(),
        )
        .await
        .expect_err("365 days is over the policy");
    assert_eq!(refused.cause(), Cause::SecretLifetimePolicy, "{refused}");
    // The registration was created before the secret was refused: the error names it.
    let (named, _) = refused
        .created_registration()
        .expect("the new registration is named");
    let named = named.to_string();
    let FixError::StoppedAfterCreate { source, .. } = refused else {
        panic!("{refused:?}");
    };
    let FixError::SecretLifetimePolicy { requested_days, .. } = *source else {
        panic!("{source:?}");
    };
    assert_eq!(requested_days, 365);

    // The registration exists now (the secret came last): ask again within the policy.
    let stand_in_app = {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-outlook-calendar").expect("profile");
        let reader = entra_setup_core::graph::Reader {
            http: &stand_in.ctx.http,
            endpoints: &stand_in.ctx.endpoints,
            token: &stand_in.admin,
        };
        let apps: Vec<Value> = reader
            .all(&["applications"], &["appId", "displayName"], &[], "list")
            .await
            .expect("list");
        let app = apps
            .iter()
            .find(|a| a["displayName"] == profile.registration.suggested_name.as_str())
            .expect("the new registration");
        app["appId"].as_str().expect("appId").to_string()
    };
    let within = stand_in
        .register(
            "axero-outlook-calendar",
            Some(&stand_in_app),
            Some(AXERO_CALENDAR_REDIRECT),
            SecretRequest {
                new_secret: true,
                days: Some(90),
                ..SecretRequest::default()
            },
        )
        .await
        .expect("90 days is within the policy");
    let secret = within.secret.expect("a secret");
    assert_eq!(secret.days, 90);
    assert_eq!(stand_in_app, named);
    assert!(secret.expires <= chrono::Utc::now() + chrono::Duration::days(90));
    let report = stand_in
        .verify(
            "axero-outlook-calendar",
            &stand_in_app,
            secret.value.clone(),
            Some(AXERO_CALENDAR_REDIRECT),
        )
        .await;
    assert_passes_without_mailbox(&report);
    stand_in.shutdown().await;
}

#[tokio::test]
async fn replication_delay_is_waited_out() {
    let stand_in = start("contoso", |s| {
        no_apps(s);
        s["replication_delay_ms"] = json!(3000);
    })
    .await;
    let registered = stand_in
        .register(
            "axero-outlook-calendar",
            None,
            Some(AXERO_CALENDAR_REDIRECT),
            SecretRequest::default(),
        )
        .await
        .expect("register despite replication");
    let secret = registered.secret.expect("a secret");
    let report = stand_in
        .verify(
            "axero-outlook-calendar",
            &registered.client_id,
            secret.value.clone(),
            Some(AXERO_CALENDAR_REDIRECT),
        )
        .await;
    assert_passes_without_mailbox(&report);
    stand_in.shutdown().await;
}

const OLD_KEY: &str = "dddddddd-0000-0000-0000-000000000001";

#[tokio::test]
async fn a_rotated_secret_works_beside_the_old_one_until_it_is_removed() {
    let stand_in = start("contoso", |_| {}).await;
    let session = stand_in.session();
    let rotated = fix::rotate_secret("contoso.com", APP, 30, &session)
        .await
        .expect("rotate");
    assert_eq!(rotated.confirmation, fix::SecretConfirmation::Accepted);
    assert_eq!(rotated.secret.days, 30);
    assert_eq!(rotated.changes[0].kind, ChangeKind::SecretAdded);
    let new_value = rotated.secret.value.clone();
    let old = Secret::new(APP_SECRET);
    for secret in [&old, &new_value] {
        assert_eq!(
            fix::confirm_secret(&session, "contoso.com", APP, secret).await,
            fix::SecretConfirmation::Accepted
        );
    }

    let refused = fix::remove_secret("contoso.com", APP, OLD_KEY, Some(&old), &session)
        .await
        .expect_err("the value given is the one removed");
    assert!(refused.to_string().contains(OLD_KEY), "{refused}");
    let wrong = Secret::new("Abc7Q~not-the-value-of-any-secret-at-all-000");
    let refused = fix::remove_secret("contoso.com", APP, OLD_KEY, Some(&wrong), &session)
        .await
        .expect_err("a value that belongs to no secret");
    assert!(
        matches!(refused, FixError::RemovalRefused { .. }),
        "{refused:?}"
    );

    let removal = fix::remove_secret("contoso.com", APP, OLD_KEY, Some(&new_value), &session)
        .await
        .expect("remove the old one");
    assert!(removal.removed);
    assert_eq!(
        removal.kept.as_deref(),
        Some(rotated.secret.key_id.as_str())
    );
    assert_eq!(removal.changes[0].kind, ChangeKind::SecretRemoved);
    assert!(matches!(
        fix::confirm_secret(&session, "contoso.com", APP, &old).await,
        fix::SecretConfirmation::Rejected(Cause::SecretInvalid)
    ));

    let again = fix::remove_secret("contoso.com", APP, OLD_KEY, None, &session)
        .await
        .expect("idempotent");
    assert!(!again.removed && again.changes.is_empty());

    let last = fix::remove_secret("contoso.com", APP, &rotated.secret.key_id, None, &session)
        .await
        .expect_err("the only secret that works stays");
    assert_eq!(last.cause(), Cause::SecretMissing);
    assert!(last.to_string().contains(&rotated.secret.key_id), "{last}");
    stand_in.shutdown().await;
}

#[tokio::test]
async fn rotating_an_unknown_client_id_changes_nothing() {
    let stand_in = start("contoso", |_| {}).await;
    let error = fix::rotate_secret(
        "contoso.com",
        "bbbbbbbb-0000-0000-0000-00000000ffff",
        30,
        &stand_in.session(),
    )
    .await
    .expect_err("no such registration");
    assert_eq!(error.cause(), Cause::ClientIdNotFound);
    stand_in.shutdown().await;
}

#[tokio::test]
async fn a_step_failing_after_the_create_names_the_new_registration() {
    let stand_in = start("contoso", |s| {
        no_apps(s);
        s["faults"] = json!([
            {"match": "POST /v1.0/servicePrincipals", "kind": "status", "status": 403, "times": 1}
        ]);
    })
    .await;
    let error = stand_in
        .register(
            "axero-outlook-calendar",
            None,
            Some(AXERO_CALENDAR_REDIRECT),
            SecretRequest::default(),
        )
        .await
        .expect_err("the enterprise application cannot be made");
    assert_eq!(error.cause(), Cause::InsufficientAdminRights, "{error}");
    let (client_id, object_id) = error.created_registration().expect("named");
    let (client_id, object_id) = (client_id.to_string(), object_id.to_string());
    assert!(error.to_string().contains(&client_id), "{error}");
    assert!(error.to_string().contains(&object_id), "{error}");

    let repaired = stand_in
        .register(
            "axero-outlook-calendar",
            Some(&client_id),
            Some(AXERO_CALENDAR_REDIRECT),
            SecretRequest {
                new_secret: true,
                days: None,
                ..SecretRequest::default()
            },
        )
        .await
        .expect("repaired with the named client ID");
    assert_eq!(repaired.object_id, object_id);
    let kinds: Vec<ChangeKind> = repaired.changes.iter().map(|c| c.kind).collect();
    assert!(
        kinds.contains(&ChangeKind::ServicePrincipalCreated),
        "{kinds:?}"
    );
    let secret = repaired.secret.expect("a secret");
    let report = stand_in
        .verify(
            "axero-outlook-calendar",
            &client_id,
            secret.value.clone(),
            Some(AXERO_CALENDAR_REDIRECT),
        )
        .await;
    assert_passes_without_mailbox(&report);
    stand_in.shutdown().await;
}

#[tokio::test]
async fn a_multi_tenant_registration_carries_the_admin_consent_link() {
    let stand_in = start("contoso", no_apps).await;
    let registered = stand_in
        .register(
            "odoo-outlook-calendar",
            None,
            Some(ODOO_REDIRECT),
            SecretRequest::default(),
        )
        .await
        .expect("register");
    assert_eq!(
        registered.sign_in_audience,
        "AzureADandPersonalMicrosoftAccount"
    );
    let link = registered.admin_consent_url.expect("a link");
    let expected = fix::admin_consent_url(
        &stand_in.ctx.endpoints,
        None,
        &registered.client_id,
        ODOO_REDIRECT,
    )
    .expect("link");
    assert_eq!(link, expected.as_str());
    assert!(
        link.contains("/organizations/v2.0/adminconsent?client_id="),
        "{link}"
    );
    let single = stand_in
        .register(
            "axero-outlook-calendar",
            None,
            Some(AXERO_CALENDAR_REDIRECT),
            SecretRequest::default(),
        )
        .await
        .expect("register");
    assert_eq!(single.admin_consent_url, None);
    stand_in.shutdown().await;
}

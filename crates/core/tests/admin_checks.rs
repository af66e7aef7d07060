//! The administrator's checks (`redirect_uri`, `account_type`, `api_permissions`,
//! `admin_consent`, `secret_expiry`, `consent_policy`, `mailbox`) against the stand-in tenant
//! served in-process: the administrator's Graph token is obtained the way a public client obtains
//! it (device code with the Graph Command Line Tools client ID, approved on the first poll by the
//! scenario's `sign_in.as`), then `verify::verify` runs the profile and each check's status and
//! cause are checked, scenario by scenario.

mod support;

use chrono::TimeZone;
use entra_fake_tenant::FakeTenant;
use entra_setup_core::cause::Cause;
use entra_setup_core::check::CheckId;
use entra_setup_core::profile::Catalog;
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::{
    self, CheckResult, Context, Inputs, Report, Sessions, SkipReason, Status,
};
use serde_json::{Value, json};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const CONNECTOR_WITHOUT_CONSENT: &str = "bbbbbbbb-0000-0000-0000-000000000002";
const VENDOR_APP: &str = "ffffffff-0000-0000-0000-000000000001";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const MAILBOX: &str = "intranet@contoso.com";
const AXERO_CALENDAR_REDIRECT: &str = "https://intranet.contoso.com/oauth2/outlook/callback";
const AXERO_EMAIL_REDIRECT: &str = "https://intranet.contoso.com/oauth2/sharepoint/callback";
const ODOO_REDIRECT: &str = "https://odoo.contoso.com/microsoft_account/authentication";

/// A running stand-in and a verification context pointed at it.
struct StandIn {
    fake: Option<FakeTenant>,
    ctx: Context,
    _ca_dir: tempfile::TempDir,
}

/// Serve the shipped scenario `name`, signing the administrator in, after `change` edits it.
async fn start(name: &str, change: impl FnOnce(&mut Value)) -> StandIn {
    // Some scenarios sign a plain user in first (user-consent-disabled): here the admin signs in.
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
        .single()
        .expect("date");
    let support::Served { fake, ctx, ca_dir } =
        support::serve_scenario(name, "admin@contoso.com", change, now).await;
    StandIn {
        fake: Some(fake),
        ctx,
        _ca_dir: ca_dir,
    }
}

impl StandIn {
    /// The administrator's Graph token for `scope`, by the device-code flow.
    async fn admin_token(&self, scope: &str) -> Secret {
        support::admin_token(&self.ctx, scope).await
    }

    async fn verify(&self, profile: &str, inputs: &Inputs) -> Report {
        let catalog = Catalog::shipped();
        let profile = catalog.get(profile).expect("shipped profile");
        verify::verify(profile, inputs, &self.ctx, &|_| {}).await
    }

    async fn shutdown(mut self) {
        if let Some(fake) = self.fake.take() {
            fake.shutdown().await;
        }
    }
}

fn inputs(client_id: &str, redirect: Option<&str>, admin: Secret) -> Inputs {
    Inputs {
        tenant: "contoso.com".into(),
        client_id: Some(client_id.into()),
        secret: Some(Secret::new(APP_SECRET)),
        redirect_uri: redirect.map(str::to_string),
        mailbox: Some(MAILBOX.into()),
        test_recipient: None,
        sessions: Sessions {
            admin_graph: Some(admin),
            ..Sessions::default()
        },
    }
}

fn check(report: &Report, id: CheckId) -> &CheckResult {
    let found: Vec<&CheckResult> = report.checks.iter().filter(|c| c.id == id).collect();
    assert_eq!(found.len(), 1, "{id} appears once in {report:#?}");
    found[0]
}

/// Assert (status, cause) per check; every fail and warn carries a portal link.
fn expect(report: &Report, expected: &[(CheckId, Status, Option<Cause>)]) {
    for (id, status, cause) in expected {
        let result = check(report, *id);
        assert_eq!(
            (result.status, result.cause),
            (*status, *cause),
            "{id}: {result:#?}"
        );
        if matches!(result.status, Status::Fail | Status::Warn) {
            assert!(
                result.portal_link.is_some(),
                "{id} has no link: {result:#?}"
            );
        }
    }
}

/// Run `profile` against scenario `name` as the administrator.
async fn admin_report(
    name: &str,
    profile: &str,
    client_id: &str,
    redirect: Option<&str>,
    change: impl FnOnce(&mut Value),
) -> Report {
    let stand_in = start(name, change).await;
    let token = stand_in.admin_token(support::ADMIN_READ_SCOPES).await;
    let report = stand_in
        .verify(profile, &inputs(client_id, redirect, token))
        .await;
    stand_in.shutdown().await;
    report
}

use CheckId::*;

#[tokio::test]
async fn healthy_axero_calendar_passes_every_admin_check() {
    let report = admin_report(
        "axero-outlook-calendar",
        "axero-outlook-calendar",
        APP,
        Some(AXERO_CALENDAR_REDIRECT),
        |_| {},
    )
    .await;
    expect(
        &report,
        &[
            (Tenant, Status::Pass, None),
            (ClientId, Status::Pass, None),
            (ClientSecret, Status::Pass, None),
            (SecretExpiry, Status::Pass, None),
            (RedirectUri, Status::Pass, None),
            (AccountType, Status::Pass, None),
            (ApiPermissions, Status::Pass, None),
            (AdminConsent, Status::Pass, None),
            (Mailbox, Status::Pass, None),
        ],
    );
    let expiry = check(&report, SecretExpiry);
    assert_eq!(
        expiry.evidence["key_id"],
        "dddddddd-0000-0000-0000-000000000001"
    );
    assert_eq!(expiry.evidence["hint"], "Xy7");
    assert_eq!(expiry.evidence["chosen_by"], "hint");
    assert_eq!(
        check(&report, ApiPermissions).evidence["names_from"],
        "tenant"
    );
    assert_eq!(
        check(&report, SmtpAuth).reason,
        Some(SkipReason::NeedsSignIn)
    );
}

#[tokio::test]
async fn healthy_axero_email_passes_every_admin_check() {
    let report = admin_report(
        "axero-m365-email",
        "axero-m365-email",
        APP,
        Some(AXERO_EMAIL_REDIRECT),
        |_| {},
    )
    .await;
    expect(
        &report,
        &[
            (SecretExpiry, Status::Pass, None),
            (RedirectUri, Status::Pass, None),
            (AccountType, Status::Pass, None),
            (ApiPermissions, Status::Pass, None),
            (AdminConsent, Status::Pass, None),
            (Mailbox, Status::Pass, None),
        ],
    );
}

#[tokio::test]
async fn healthy_odoo_passes_with_the_portal_default_user_read_not_counted_as_extra() {
    let report = admin_report(
        "odoo-outlook-calendar",
        "odoo-outlook-calendar",
        APP,
        Some(ODOO_REDIRECT),
        |_| {},
    )
    .await;
    expect(
        &report,
        &[
            (SecretExpiry, Status::Pass, None),
            (RedirectUri, Status::Pass, None),
            (AccountType, Status::Pass, None),
            (ApiPermissions, Status::Pass, None),
            (ConsentPolicy, Status::Pass, None),
        ],
    );
}

/// The Odoo app without admin consent, in a tenant whose `user_consent` is `setting`.
async fn odoo_unconsented(setting: &str) -> Report {
    admin_report(
        "odoo-outlook-calendar",
        "odoo-outlook-calendar",
        APP,
        Some(ODOO_REDIRECT),
        |json| {
            json["tenants"][0]["user_consent"] = json!(setting);
            json["tenants"][0]["applications"][0]["consented"]["delegated"] = json!([]);
        },
    )
    .await
}

#[tokio::test]
async fn every_spelling_of_the_user_consent_setting_is_judged_for_odoo() {
    let blocked = (Status::Fail, Some(Cause::UserConsentBlocked));
    let allowed = (Status::Pass, None);
    for (setting, expected) in [
        ("legacy", allowed),
        (
            "ManagePermissionGrantsForSelf.microsoft-user-default-legacy",
            allowed,
        ),
        (
            "managePermissionGrantsForSelf.microsoft-user-default-legacy",
            allowed,
        ),
        ("low", blocked),
        (
            "ManagePermissionGrantsForSelf.microsoft-user-default-low",
            blocked,
        ),
        (
            "managePermissionGrantsForSelf.microsoft-user-default-low",
            blocked,
        ),
        // Microsoft's managed setting keeps Calendars.ReadWrite for administrators.
        ("recommended", blocked),
        (
            "ManagePermissionGrantsForSelf.microsoft-user-default-recommended",
            blocked,
        ),
        (
            "ManagePermissionGrantsForSelf.contoso-approved-apps",
            (Status::Warn, Some(Cause::ConsentPolicyUnrecognised)),
        ),
    ] {
        let report = odoo_unconsented(setting).await;
        let policy = check(&report, ConsentPolicy);
        assert_eq!(
            (policy.status, policy.cause),
            expected,
            "{setting}: {policy:#?}"
        );
        if policy.status != Status::Pass {
            assert!(policy.portal_link.is_some(), "{setting}: {policy:#?}");
        }
        if setting.ends_with("recommended") {
            assert!(
                policy.message.contains("Calendars.ReadWrite"),
                "{policy:#?}"
            );
        }
        if setting.contains("contoso") {
            assert!(policy.message.contains(setting), "{policy:#?}");
        }
    }
}

#[tokio::test]
async fn odoo_with_user_consent_off_says_so_and_points_at_admin_consent() {
    let report = odoo_unconsented("none").await;
    expect(
        &report,
        &[(ConsentPolicy, Status::Fail, Some(Cause::UserConsentBlocked))],
    );
    let policy = check(&report, ConsentPolicy);
    assert!(policy.message.contains("may not consent"), "{policy:#?}");
    assert!(
        policy
            .fix
            .as_deref()
            .is_some_and(|f| f.contains("Grant admin consent")),
        "{policy:#?}"
    );
    assert!(
        policy
            .portal_link
            .as_deref()
            .is_some_and(|l| l.contains("/CallAnAPI/appId/") && l.contains(APP)),
        "{policy:#?}"
    );
    assert_eq!(policy.evidence["admin_consented"], false);
    // Once an administrator has granted consent for the organisation, the setting is no obstacle.
    let consented = admin_report(
        "odoo-outlook-calendar",
        "odoo-outlook-calendar",
        APP,
        Some(ODOO_REDIRECT),
        |json| json["tenants"][0]["user_consent"] = json!("none"),
    )
    .await;
    expect(&consented, &[(ConsentPolicy, Status::Pass, None)]);
}

#[tokio::test]
async fn pending_requests_for_the_vendor_app_wait_for_a_reviewer() {
    let report = admin_report(
        "vendor-app-requested",
        "vendor-app-consent",
        VENDOR_APP,
        None,
        |_| {},
    )
    .await;
    expect(
        &report,
        &[
            (ClientId, Status::Fail, Some(Cause::ClientIdNotFound)),
            (ConsentPolicy, Status::Fail, Some(Cause::UserConsentBlocked)),
            (
                AdminConsent,
                Status::Warn,
                Some(Cause::ConsentRequestPending),
            ),
        ],
    );
    let consent = check(&report, AdminConsent);
    assert_eq!(consent.evidence["pending_requests"], 2);
    assert_eq!(
        consent.evidence["consent_requests"][0]["requested_by"],
        "bob@contoso.com"
    );
    assert_eq!(
        consent.evidence["consent_requests"][0]["scopes"],
        json!(["User.Read", "Calendars.ReadWrite", "offline_access"])
    );
    assert_eq!(
        consent.evidence["consent_request_reviewers"],
        json!(["user aaaaaaaa-0000-0000-0000-000000000001"])
    );
    assert!(
        consent.message.contains("intranet@contoso.com"),
        "{consent:#?}"
    );
    assert!(
        consent
            .portal_link
            .as_deref()
            .is_some_and(|l| l.ends_with("/AccessRequests")),
        "{consent:#?}"
    );
}

#[tokio::test]
async fn without_consent_request_read_all_the_requests_are_unread_and_nothing_fails_for_it() {
    let stand_in = start("vendor-app-requested", |_| {}).await;
    let scopes = support::ADMIN_READ_SCOPES
        .replace(" https://graph.microsoft.com/ConsentRequest.Read.All", "");
    let token = stand_in.admin_token(&scopes).await;
    let report = stand_in
        .verify("vendor-app-consent", &inputs(VENDOR_APP, None, token))
        .await;
    stand_in.shutdown().await;
    expect(
        &report,
        &[(AdminConsent, Status::Fail, Some(Cause::AdminConsentMissing))],
    );
    let consent = check(&report, AdminConsent);
    assert_eq!(consent.evidence["pending_requests"], json!(null));
    assert!(
        consent.evidence["pending_requests_error"]
            .as_str()
            .is_some_and(|e| e.contains("ConsentRequest.Read.All")),
        "{consent:#?}"
    );
}

#[tokio::test]
async fn an_own_app_missing_consent_with_a_pending_request_warns() {
    let report = admin_report(
        "missing-consent",
        "axero-outlook-calendar",
        APP,
        Some(AXERO_CALENDAR_REDIRECT),
        |json| {
            json["tenants"][0]["admin_consent_workflow"] = json!(true);
            json["tenants"][0]["consent_requests"] = json!([{
                "app_id": APP, "app_display_name": "Intranet Outlook Calendar",
                "requested_by": "bob@contoso.com", "reason": "My calendar in the intranet",
                "created": "2026-05-20T09:30:00Z"
            }]);
        },
    )
    .await;
    expect(
        &report,
        &[(
            AdminConsent,
            Status::Warn,
            Some(Cause::ConsentRequestPending),
        )],
    );
    assert_eq!(check(&report, AdminConsent).evidence["pending_requests"], 1);
}

#[tokio::test]
async fn healthy_connector_is_judged_from_the_registration_with_the_token_as_evidence() {
    let report = admin_report(
        "exchange-calendar-connector",
        "exchange-calendar-connector",
        APP,
        None,
        |_| {},
    )
    .await;
    expect(
        &report,
        &[
            (SecretExpiry, Status::Pass, None),
            (ApiPermissions, Status::Pass, None),
            (AdminConsent, Status::Pass, None),
            (CalendarAccess, Status::Pass, None),
        ],
    );
    let consent = check(&report, AdminConsent);
    assert_eq!(
        consent.evidence["roles_in_token"],
        json!(["Calendars.Read"])
    );
    assert_eq!(
        consent.evidence["app_role_assignments"][0]["app_role"],
        "Calendars.Read"
    );
}

#[tokio::test]
async fn healthy_vendor_app_is_approved() {
    let report = admin_report(
        "vendor-app-consent",
        "vendor-app-consent",
        VENDOR_APP,
        None,
        |_| {},
    )
    .await;
    expect(
        &report,
        &[
            (ClientId, Status::Pass, None),
            (ConsentPolicy, Status::Pass, None),
            (AdminConsent, Status::Pass, None),
        ],
    );
    let grants = &check(&report, AdminConsent).evidence["grants"];
    assert_eq!(grants[0]["consent_type"], "AllPrincipals");
    assert!(
        grants[0]["scope"]
            .as_str()
            .is_some_and(|s| s.contains("Calendars.ReadWrite")),
        "{grants}"
    );
}

#[tokio::test]
async fn a_redirect_uri_differing_in_case_and_slash_is_a_mismatch() {
    let report = admin_report(
        "wrong-redirect-uri",
        "axero-outlook-calendar",
        APP,
        Some(AXERO_CALENDAR_REDIRECT),
        |_| {},
    )
    .await;
    expect(
        &report,
        &[(RedirectUri, Status::Fail, Some(Cause::RedirectUriMismatch))],
    );
    let redirect = check(&report, RedirectUri);
    assert!(
        redirect.message.contains("letter case"),
        "{}",
        redirect.message
    );
    assert!(redirect.message.contains("slash"), "{}", redirect.message);
    assert_eq!(
        redirect.evidence["web"],
        json!(["https://intranet.contoso.com/oauth2/Outlook/callback/"])
    );
}

#[tokio::test]
async fn a_redirect_uri_under_spa_is_on_the_wrong_platform() {
    let report = admin_report(
        "axero-outlook-calendar",
        "axero-outlook-calendar",
        APP,
        Some(AXERO_CALENDAR_REDIRECT),
        |json| {
            let app = &mut json["tenants"][0]["applications"][0];
            app["spa_redirect_uris"] = app["web_redirect_uris"].take();
            app["web_redirect_uris"] = json!([]);
        },
    )
    .await;
    expect(
        &report,
        &[(
            RedirectUri,
            Status::Fail,
            Some(Cause::RedirectPlatformWrong),
        )],
    );
}

#[tokio::test]
async fn odoo_registered_single_tenant_is_the_wrong_account_type() {
    let report = admin_report(
        "wrong-account-type",
        "odoo-outlook-calendar",
        APP,
        Some(ODOO_REDIRECT),
        |_| {},
    )
    .await;
    expect(
        &report,
        &[
            (AccountType, Status::Fail, Some(Cause::AccountTypeMismatch)),
            (RedirectUri, Status::Pass, None),
        ],
    );
    assert!(
        check(&report, AccountType)
            .message
            .contains("personal Microsoft accounts")
    );
}

#[tokio::test]
async fn configured_but_not_consented_delegated_permissions() {
    let report = admin_report(
        "missing-consent",
        "axero-outlook-calendar",
        APP,
        Some(AXERO_CALENDAR_REDIRECT),
        |_| {},
    )
    .await;
    expect(
        &report,
        &[
            (ApiPermissions, Status::Pass, None),
            (AdminConsent, Status::Fail, Some(Cause::AdminConsentMissing)),
        ],
    );
}

#[tokio::test]
async fn configured_but_not_consented_application_permissions_are_told_apart() {
    let report = admin_report(
        "missing-consent",
        "exchange-calendar-connector",
        CONNECTOR_WITHOUT_CONSENT,
        None,
        |_| {},
    )
    .await;
    expect(
        &report,
        &[
            (ApiPermissions, Status::Pass, None),
            (AdminConsent, Status::Fail, Some(Cause::AdminConsentMissing)),
            (CalendarAccess, Status::Skipped, None),
        ],
    );
    assert_eq!(
        check(&report, CalendarAccess).reason,
        Some(SkipReason::DependsOnFailed)
    );
    assert_eq!(
        check(&report, ApiPermissions).evidence["roles_in_token"],
        json!([])
    );
}

#[tokio::test]
async fn a_missing_permission_and_a_delegated_one_for_a_connector() {
    let report = admin_report(
        "exchange-calendar-connector",
        "exchange-calendar-connector",
        APP,
        None,
        |json| {
            let app = &mut json["tenants"][0]["applications"][0];
            app["permissions"] = json!({ "delegated": ["Calendars.Read"], "application": [] });
            app["consented"] = json!({ "delegated": [], "application": [] });
        },
    )
    .await;
    expect(
        &report,
        &[(
            ApiPermissions,
            Status::Fail,
            Some(Cause::WrongPermissionType),
        )],
    );
}

#[tokio::test]
async fn an_ended_secret_fails_expiry_from_the_registration() {
    let report = admin_report(
        "expired-secret",
        "axero-outlook-calendar",
        APP,
        Some(AXERO_CALENDAR_REDIRECT),
        |_| {},
    )
    .await;
    expect(
        &report,
        &[
            (ClientSecret, Status::Fail, Some(Cause::SecretExpired)),
            (SecretExpiry, Status::Fail, Some(Cause::SecretExpired)),
        ],
    );
    let expiry = check(&report, SecretExpiry);
    assert!(
        expiry.evidence["end_date_time"]
            .as_str()
            .is_some_and(|d| d.starts_with("2025-06-30"))
    );
}

#[tokio::test]
async fn a_secret_ending_within_thirty_days_warns() {
    let report = admin_report(
        "axero-outlook-calendar",
        "axero-outlook-calendar",
        APP,
        Some(AXERO_CALENDAR_REDIRECT),
        |json| {
            json["tenants"][0]["applications"][0]["secrets"][0]["end"] =
                json!("2026-06-15T00:00:00Z");
        },
    )
    .await;
    expect(
        &report,
        &[(SecretExpiry, Status::Warn, Some(Cause::SecretExpiringSoon))],
    );
    assert_eq!(check(&report, SecretExpiry).evidence["days_left"], 14);
}

#[tokio::test]
async fn a_shared_mailbox_with_sign_in_blocked_and_no_licence_is_named_shared() {
    let report = admin_report(
        "shared-mailbox",
        "axero-m365-email",
        APP,
        Some(AXERO_EMAIL_REDIRECT),
        |_| {},
    )
    .await;
    expect(
        &report,
        &[(Mailbox, Status::Fail, Some(Cause::MailboxIsShared))],
    );
    let mailbox = check(&report, Mailbox);
    assert!(
        mailbox.message.contains("shared mailbox"),
        "{}",
        mailbox.message
    );
}

#[tokio::test]
async fn an_unlicensed_mailbox_is_unavailable() {
    let report = admin_report(
        "unlicensed-mailbox",
        "axero-m365-email",
        APP,
        Some(AXERO_EMAIL_REDIRECT),
        |_| {},
    )
    .await;
    expect(
        &report,
        &[(Mailbox, Status::Fail, Some(Cause::MailboxUnavailable))],
    );
    assert_eq!(
        check(&report, Mailbox).evidence["exchange_plans"],
        json!([])
    );
}

#[tokio::test]
async fn an_unknown_mailbox_is_not_found() {
    let stand_in = start("axero-m365-email", |_| {}).await;
    let token = stand_in.admin_token(support::ADMIN_READ_SCOPES).await;
    let mut inputs = inputs(APP, Some(AXERO_EMAIL_REDIRECT), token);
    inputs.mailbox = Some("nobody@contoso.com".into());
    let report = stand_in.verify("axero-m365-email", &inputs).await;
    stand_in.shutdown().await;
    expect(
        &report,
        &[(Mailbox, Status::Fail, Some(Cause::ObjectNotFound))],
    );
}

#[tokio::test]
async fn user_consent_off_blocks_the_unapproved_vendor_app() {
    let report = admin_report(
        "user-consent-disabled",
        "vendor-app-consent",
        VENDOR_APP,
        None,
        |_| {},
    )
    .await;
    expect(
        &report,
        &[
            // The unapproved vendor app has no service principal here, so the token endpoint
            // does not know it (AADSTS700016); the consent checks still run and say why.
            (ClientId, Status::Fail, Some(Cause::ClientIdNotFound)),
            (ConsentPolicy, Status::Fail, Some(Cause::UserConsentBlocked)),
            (AdminConsent, Status::Fail, Some(Cause::AdminConsentMissing)),
        ],
    );
    let policy = check(&report, ConsentPolicy);
    assert_eq!(
        policy.evidence["permission_grant_policies_assigned"],
        json!([])
    );
    assert_eq!(policy.evidence["admin_consent_request_enabled"], false);
}

#[tokio::test]
async fn an_approved_vendor_app_with_user_consent_off_and_no_requests_warns() {
    let report = admin_report(
        "vendor-app-consent",
        "vendor-app-consent",
        VENDOR_APP,
        None,
        |json| json["tenants"][0]["user_consent"] = json!("none"),
    )
    .await;
    expect(
        &report,
        &[
            (
                ConsentPolicy,
                Status::Warn,
                Some(Cause::AdminConsentWorkflowDisabled),
            ),
            (AdminConsent, Status::Pass, None),
        ],
    );
}

#[tokio::test]
async fn a_wrong_client_id_blocks_what_reads_the_app_but_not_the_mailbox() {
    let report = admin_report(
        "wrong-client-id",
        "axero-outlook-calendar",
        APP,
        Some(AXERO_CALENDAR_REDIRECT),
        |_| {},
    )
    .await;
    expect(
        &report,
        &[
            (ClientId, Status::Fail, Some(Cause::ClientIdNotFound)),
            (Mailbox, Status::Pass, None),
        ],
    );
    for id in [
        RedirectUri,
        AccountType,
        ApiPermissions,
        AdminConsent,
        SecretExpiry,
    ] {
        let result = check(&report, id);
        assert_eq!(
            (result.status, result.reason),
            (Status::Skipped, Some(SkipReason::DependsOnFailed)),
            "{id}: {result:#?}"
        );
    }
}

#[tokio::test]
async fn an_admin_without_the_read_permission_gets_insufficient_admin_rights() {
    let stand_in = start("axero-outlook-calendar", |_| {}).await;
    let token = stand_in
        .admin_token("https://graph.microsoft.com/User.Read offline_access")
        .await;
    let report = stand_in
        .verify(
            "axero-outlook-calendar",
            &inputs(APP, Some(AXERO_CALENDAR_REDIRECT), token),
        )
        .await;
    stand_in.shutdown().await;
    expect(
        &report,
        &[
            (
                AccountType,
                Status::Fail,
                Some(Cause::InsufficientAdminRights),
            ),
            (
                AdminConsent,
                Status::Fail,
                Some(Cause::InsufficientAdminRights),
            ),
            (Mailbox, Status::Fail, Some(Cause::InsufficientAdminRights)),
        ],
    );
    assert!(
        check(&report, AccountType)
            .message
            .contains("Application Administrator")
    );
}

#[tokio::test]
async fn graph_outages_leave_the_admin_checks_unverified() {
    let report = admin_report(
        "axero-outlook-calendar",
        "axero-outlook-calendar",
        APP,
        Some(AXERO_CALENDAR_REDIRECT),
        |json| {
            json["faults"] = json!([
                {"match": "GET /v1.0/applications*", "kind": "status", "status": 503},
                {"match": "GET /v1.0/oauth2PermissionGrants*", "kind": "malformed"},
                {"match": "GET /v1.0/users/*", "kind": "status", "status": 429, "retry_after": "0.1"}
            ]);
        },
    )
    .await;
    for (id, cause) in [
        (RedirectUri, Cause::ServiceUnavailable),
        (AccountType, Cause::ServiceUnavailable),
        (ApiPermissions, Cause::ServiceUnavailable),
        (SecretExpiry, Cause::ServiceUnavailable),
        (AdminConsent, Cause::NetworkError),
        (Mailbox, Cause::Throttled),
    ] {
        let result = check(&report, id);
        assert_eq!(
            (result.status, result.cause),
            (Status::Unverified, Some(cause)),
            "{id}: {result:#?}"
        );
    }
}

#[tokio::test]
async fn without_a_client_id_only_the_mailbox_is_read() {
    let stand_in = start("axero-m365-email", |_| {}).await;
    let token = stand_in.admin_token(support::ADMIN_READ_SCOPES).await;
    let mut inputs = inputs(APP, Some(AXERO_EMAIL_REDIRECT), token);
    inputs.client_id = None;
    let report = stand_in.verify("axero-m365-email", &inputs).await;
    stand_in.shutdown().await;
    expect(&report, &[(Mailbox, Status::Pass, None)]);
    for id in [RedirectUri, AccountType, ApiPermissions, AdminConsent] {
        assert_eq!(
            check(&report, id).reason,
            Some(SkipReason::MissingInput),
            "{id}"
        );
    }
}

//! A profile written as data that needs what mail products need — two redirect URIs, the Office
//! 365 Exchange Online delegated scope IMAP.AccessAsUser.All beside Microsoft Graph's, a mailbox
//! setting and user assignment — registered from nothing against the stand-in and verified with
//! an administrator signed in (device code, the scenario's `sign_in.as`): every check passes and a
//! second run changes nothing. Broken afterwards (one redirect URI removed, the Exchange Online
//! grant deleted), the redirect URI check and the admin consent check fail, each naming what is
//! missing.

#[path = "support/repair.rs"]
mod repair;
mod support;

use entra_setup_core::cause::Cause;
use entra_setup_core::check::CheckId;
use entra_setup_core::fix::{self, ChangeKind, Registered, RegistrationInputs, SecretRequest};
use entra_setup_core::profile::Profile;
use entra_setup_core::verify::{self, Inputs, Report, Sessions, Status};
use serde_json::{Value, json};

const SITE: &str = "https://mail.contoso.com";
const MAIN_REDIRECT: &str = "https://mail.contoso.com/oauth/microsoft/callback";
const SECOND_REDIRECT: &str = "https://mail.contoso.com/admin/mailbox/callback";
const MAILBOX: &str = "intranet@contoso.com";
const EXCHANGE_ONLINE: &str = "00000002-0000-0ff1-ce00-000000000000";
const IMAP_SCOPE_ID: &str = "195adc35-e27b-454b-a7ed-1ecdffa1c09f";

/// The test's own profile: what an IMAP mail product needs.
const PROFILE: &str = r#"
id = "imap-mail-test"
title = "IMAP mailbox (test)"
product = "Mail product"
kind = "delegated_web"
summary = "Reads a shared support mailbox over IMAP with the mailbox owner's token."
estimated_minutes = 15
checks = ["tenant", "client_id", "client_secret", "secret_expiry", "redirect_uri", "account_type", "api_permissions", "admin_consent", "mailbox"]

[needs]

[registration]
account_types = ["AzureADMyOrg"]
default_account_type = "AzureADMyOrg"
suggested_name = "Mail product IMAP"

[registration.redirect]
platform = "web"
template = "{site}/oauth/microsoft/callback"
site_hint = "The mail product's address"

[[registration.more_redirects]]
platform = "web"
template = "{site}/admin/mailbox/callback"

[registration.permissions]
delegated = ["offline_access", "User.Read"]

[registration.resource_permissions.exchange_online]
delegated = ["IMAP.AccessAsUser.All"]

[registration.user_assignment]
required = true
assign = ["administrator"]

[secret]
required = true
default_days = 180
max_days = 730
lead_days = 14
advice = "Keep the value in the product's settings."

[[settings]]
name = "Client ID"
source = "client_id"
location = "Mail settings"

[[settings]]
name = "Mailbox"
source = "mailbox"
location = "Mail settings"
"#;

fn profile() -> Profile {
    let profile: Profile = toml::from_str(PROFILE).expect("the test profile parses");
    profile.validate().expect("the test profile is valid");
    profile
}

fn no_apps(scenario: &mut Value) {
    scenario["tenants"][0]["applications"] = json!([]);
}

async fn register(stand_in: &repair::StandIn, client_id: Option<&str>) -> Registered {
    let inputs = RegistrationInputs {
        tenant: "contoso.com".into(),
        client_id: client_id.map(str::to_string),
        redirect_uri: Some(MAIN_REDIRECT.into()),
        app_name: None,
    };
    let request = SecretRequest {
        given: client_id.is_some(),
        ..SecretRequest::default()
    };
    fix::register(&profile(), &inputs, &request, &stand_in.session())
        .await
        .expect("register")
}

async fn verify(
    stand_in: &repair::StandIn,
    client_id: &str,
    secret: &entra_setup_core::secret::Secret,
) -> Report {
    let inputs = Inputs {
        tenant: "contoso.com".into(),
        client_id: Some(client_id.into()),
        secret: Some(secret.clone()),
        redirect_uri: profile().redirect_uri_for(SITE),
        mailbox: Some(MAILBOX.into()),
        test_recipient: None,
        sessions: Sessions {
            admin_graph: Some(stand_in.admin.clone()),
            ..Sessions::default()
        },
    };
    verify::verify(&profile(), &inputs, &stand_in.ctx, &|_| {}).await
}

fn check(report: &Report, id: CheckId) -> &verify::CheckResult {
    report
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} in the report"))
}

/// Graph's answer to the administrator's GET of `path` (under `/v1.0/`).
async fn get(stand_in: &repair::StandIn, path: &str) -> Value {
    let mut url = stand_in.ctx.endpoints.graph.clone();
    url.set_path(&format!("/v1.0/{path}"));
    reqwest::Client::new()
        .get(url)
        .bearer_auth(stand_in.admin.expose())
        .send()
        .await
        .expect("Graph answers")
        .json()
        .await
        .expect("JSON")
}

/// Send a write to Graph as the administrator: its status.
async fn write(
    stand_in: &repair::StandIn,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> u16 {
    let mut url = stand_in.ctx.endpoints.graph.clone();
    url.set_path(&format!("/v1.0/{path}"));
    let mut request = reqwest::Client::new()
        .request(method, url)
        .bearer_auth(stand_in.admin.expose());
    if let Some(body) = body {
        request = request.json(&body);
    }
    request
        .send()
        .await
        .expect("Graph answers")
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_mail_profile_registers_from_nothing_and_every_check_passes() {
    let stand_in = repair::start("contoso", no_apps).await;
    let first = register(&stand_in, None).await;
    assert!(first.created);
    let said: Vec<&str> = first
        .changes
        .iter()
        .map(|c| c.description.as_str())
        .collect();
    for expected in [
        format!("added redirect URI {MAIN_REDIRECT} (Web)"),
        format!("added redirect URI {SECOND_REDIRECT} (Web)"),
        "added Microsoft Graph permissions: delegated offline_access User.Read".into(),
        "added Office 365 Exchange Online permissions: delegated IMAP.AccessAsUser.All".into(),
        "granted admin consent for offline_access User.Read".into(),
        "granted admin consent for Office 365 Exchange Online IMAP.AccessAsUser.All".into(),
        "assigned admin@contoso.com to the enterprise application".into(),
    ] {
        assert!(said.contains(&expected.as_str()), "{expected} in {said:#?}");
    }
    let kinds: Vec<ChangeKind> = first.changes.iter().map(|c| c.kind).collect();
    assert!(
        kinds.contains(&ChangeKind::UserAssignmentRequired),
        "{kinds:?}"
    );

    // As Microsoft keeps it: an entry per resource, the grant on Exchange Online's service
    // principal, assignment required on the enterprise application.
    let app = get(
        &stand_in,
        &format!("applications(appId='{}')", first.client_id),
    )
    .await;
    assert_eq!(
        app["web"]["redirectUris"],
        json!([MAIN_REDIRECT, SECOND_REDIRECT])
    );
    let exchange_entry = app["requiredResourceAccess"]
        .as_array()
        .expect("list")
        .iter()
        .find(|e| e["resourceAppId"] == EXCHANGE_ONLINE)
        .cloned()
        .expect("an Exchange Online entry");
    assert_eq!(
        exchange_entry["resourceAccess"],
        json!([{"id": IMAP_SCOPE_ID, "type": "Scope"}])
    );
    let exchange = get(
        &stand_in,
        &format!("servicePrincipals(appId='{EXCHANGE_ONLINE}')"),
    )
    .await;
    let client = get(
        &stand_in,
        &format!("servicePrincipals(appId='{}')", first.client_id),
    )
    .await;
    assert_eq!(client["appRoleAssignmentRequired"], true);
    let grants = get(
        &stand_in,
        &format!(
            "servicePrincipals/{}/oauth2PermissionGrants",
            client["id"].as_str().expect("id")
        ),
    )
    .await;
    let on_exchange: Vec<&Value> = grants["value"]
        .as_array()
        .expect("grants")
        .iter()
        .filter(|g| g["resourceId"] == exchange["id"])
        .collect();
    assert_eq!(on_exchange.len(), 1, "{grants}");
    assert_eq!(on_exchange[0]["scope"], "IMAP.AccessAsUser.All");
    assert_eq!(on_exchange[0]["consentType"], "AllPrincipals");

    let secret = first.secret.as_ref().expect("a new secret").value.clone();
    let report = verify(&stand_in, &first.client_id, &secret).await;
    for result in &report.checks {
        assert_eq!(result.status, Status::Pass, "{}: {result:#?}", result.id);
    }
    let redirect = check(&report, CheckId::RedirectUri);
    assert!(
        redirect.message.contains(SECOND_REDIRECT),
        "{}",
        redirect.message
    );
    let permissions = check(&report, CheckId::ApiPermissions);
    assert!(
        permissions
            .message
            .contains("IMAP.AccessAsUser.All (Office 365 Exchange Online, delegated)"),
        "{}",
        permissions.message
    );
    let mailbox = check(&report, CheckId::Mailbox);
    assert_eq!(
        mailbox.evidence["user_id"],
        "aaaaaaaa-0000-0000-0000-000000000002"
    );

    // A second run finds everything in place.
    let again = register(&stand_in, Some(&first.client_id)).await;
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    stand_in.shutdown().await;
}

#[tokio::test]
async fn a_missing_redirect_uri_and_an_unconsented_exchange_scope_fail_their_checks() {
    let stand_in = repair::start("contoso", no_apps).await;
    let first = register(&stand_in, None).await;
    let secret = first.secret.as_ref().expect("a new secret").value.clone();
    let app = get(
        &stand_in,
        &format!("applications(appId='{}')", first.client_id),
    )
    .await;
    let object_id = app["id"].as_str().expect("id").to_string();
    assert_eq!(
        write(
            &stand_in,
            reqwest::Method::PATCH,
            &format!("applications/{object_id}"),
            Some(json!({"web": {"redirectUris": [MAIN_REDIRECT]}})),
        )
        .await,
        204
    );
    let exchange = get(
        &stand_in,
        &format!("servicePrincipals(appId='{EXCHANGE_ONLINE}')"),
    )
    .await;
    let client = get(
        &stand_in,
        &format!("servicePrincipals(appId='{}')", first.client_id),
    )
    .await;
    let grants = get(
        &stand_in,
        &format!(
            "servicePrincipals/{}/oauth2PermissionGrants",
            client["id"].as_str().expect("id")
        ),
    )
    .await;
    let exchange_grant = grants["value"]
        .as_array()
        .expect("grants")
        .iter()
        .find(|g| g["resourceId"] == exchange["id"])
        .and_then(|g| g["id"].as_str())
        .expect("the Exchange Online grant")
        .to_string();
    assert_eq!(
        write(
            &stand_in,
            reqwest::Method::DELETE,
            &format!("oauth2PermissionGrants/{exchange_grant}"),
            None,
        )
        .await,
        204
    );

    let report = verify(&stand_in, &first.client_id, &secret).await;
    let redirect = check(&report, CheckId::RedirectUri);
    assert_eq!(redirect.status, Status::Fail, "{redirect:#?}");
    assert_eq!(redirect.cause, Some(Cause::RedirectUriMismatch));
    assert!(
        redirect.message.contains(SECOND_REDIRECT),
        "{}",
        redirect.message
    );
    let consent = check(&report, CheckId::AdminConsent);
    assert_eq!(consent.status, Status::Fail, "{consent:#?}");
    assert_eq!(consent.cause, Some(Cause::AdminConsentMissing));
    assert!(
        consent
            .message
            .contains("IMAP.AccessAsUser.All (Office 365 Exchange Online, delegated)"),
        "{}",
        consent.message
    );
    // The Graph side is whole: its permissions are configured and consented.
    assert!(
        !consent.message.contains("User.Read"),
        "{}",
        consent.message
    );
    assert_eq!(check(&report, CheckId::ApiPermissions).status, Status::Pass);

    // The repair puts both back.
    let repaired = register(&stand_in, Some(&first.client_id)).await;
    let kinds: Vec<ChangeKind> = repaired.changes.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ChangeKind::RedirectUriAdded,
            ChangeKind::AdminConsentGranted
        ],
        "{:?}",
        repaired.changes
    );
    let report = verify(&stand_in, &first.client_id, &secret).await;
    for result in &report.checks {
        assert_eq!(result.status, Status::Pass, "{}: {result:#?}", result.id);
    }
    stand_in.shutdown().await;
}

#[tokio::test]
async fn the_mailbox_owner_is_assigned_when_the_profile_lists_them() {
    let stand_in = repair::start("contoso", no_apps).await;
    let text = PROFILE.replace(
        "assign = [\"administrator\"]",
        "assign = [\"administrator\", \"mailbox_owner\"]",
    );
    let profile: Profile = toml::from_str(&text).expect("profile");
    profile.validate().expect("valid");
    let inputs = RegistrationInputs {
        tenant: "contoso.com".into(),
        client_id: None,
        redirect_uri: Some(MAIN_REDIRECT.into()),
        app_name: None,
    };
    let registered = fix::register(
        &profile,
        &inputs,
        &SecretRequest::default(),
        &stand_in.session(),
    )
    .await
    .expect("register");
    let changes = fix::assign_mailbox_owner(
        &profile,
        &registered.client_id,
        MAILBOX,
        &stand_in.session(),
    )
    .await
    .expect("assign");
    let said: Vec<&str> = changes.iter().map(|c| c.description.as_str()).collect();
    assert_eq!(
        said,
        ["assigned intranet@contoso.com to the enterprise application"]
    );
    let client = get(
        &stand_in,
        &format!("servicePrincipals(appId='{}')", registered.client_id),
    )
    .await;
    let assigned = get(
        &stand_in,
        &format!(
            "servicePrincipals/{}/appRoleAssignedTo",
            client["id"].as_str().expect("id")
        ),
    )
    .await;
    let users: Vec<&str> = assigned["value"]
        .as_array()
        .expect("assignments")
        .iter()
        .filter(|a| a["principalType"] == "User")
        .filter_map(|a| a["principalId"].as_str())
        .collect();
    assert_eq!(
        users,
        [
            "aaaaaaaa-0000-0000-0000-000000000001",
            "aaaaaaaa-0000-0000-0000-000000000002"
        ]
    );
    let again = fix::assign_mailbox_owner(
        &profile,
        &registered.client_id,
        MAILBOX,
        &stand_in.session(),
    )
    .await
    .expect("assign again");
    assert!(again.is_empty(), "{again:?}");
    stand_in.shutdown().await;
}

/// An app-only mail product: Exchange Online's application permissions, no redirect.
const APP_ONLY: &str = r#"
id = "imap-app-only-test"
title = "IMAP app-only (test)"
product = "Mail service"
kind = "app_only"
summary = "Reads and sends mail as itself over IMAP and SMTP."
estimated_minutes = 15
checks = ["tenant", "client_id", "client_secret", "secret_expiry", "api_permissions", "admin_consent"]

[needs]

[registration]
account_types = ["AzureADMyOrg"]
default_account_type = "AzureADMyOrg"
suggested_name = "Mail service"

[registration.resource_permissions.exchange_online]
application = ["IMAP.AccessAsApp", "SMTP.SendAsApp"]

[secret]
required = true
default_days = 180
max_days = 730
lead_days = 14
advice = "Keep the value in the service's settings."
"#;

#[tokio::test]
async fn exchange_online_application_permissions_are_granted_on_its_service_principal() {
    let stand_in = repair::start("contoso", no_apps).await;
    let profile: Profile = toml::from_str(APP_ONLY).expect("profile");
    profile.validate().expect("valid");
    let inputs = RegistrationInputs {
        tenant: "contoso.com".into(),
        client_id: None,
        redirect_uri: None,
        app_name: None,
    };
    let registered = fix::register(
        &profile,
        &inputs,
        &SecretRequest::default(),
        &stand_in.session(),
    )
    .await
    .expect("register");
    let said: Vec<&str> = registered
        .changes
        .iter()
        .map(|c| c.description.as_str())
        .collect();
    assert!(
        said.contains(
            &"granted admin consent for the Office 365 Exchange Online application permission IMAP.AccessAsApp SMTP.SendAsApp"
        ),
        "{said:#?}"
    );
    let exchange = get(
        &stand_in,
        &format!("servicePrincipals(appId='{EXCHANGE_ONLINE}')"),
    )
    .await;
    let assigned = get(
        &stand_in,
        &format!(
            "servicePrincipals/{}/appRoleAssignedTo",
            exchange["id"].as_str().expect("id")
        ),
    )
    .await;
    assert_eq!(
        assigned["value"].as_array().map(Vec::len),
        Some(2),
        "{assigned}"
    );

    // The app's own token for the Outlook resource carries the roles.
    let secret = registered.secret.as_ref().expect("secret").value.clone();
    let token = support::form(
        &stand_in.ctx,
        &support::token_url(&stand_in.ctx),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &registered.client_id),
            ("client_secret", secret.expose()),
            ("scope", "https://outlook.office365.com/.default"),
        ],
    )
    .await;
    let claims = entra_setup_core::identity::TokenClaims::read(
        token["access_token"].as_str().expect("access_token"),
    )
    .expect("claims");
    let mut roles = claims.roles.clone();
    roles.sort();
    assert_eq!(roles, ["IMAP.AccessAsApp", "SMTP.SendAsApp"]);

    let inputs = Inputs {
        tenant: "contoso.com".into(),
        client_id: Some(registered.client_id.clone()),
        secret: Some(secret),
        redirect_uri: None,
        mailbox: None,
        test_recipient: None,
        sessions: Sessions {
            admin_graph: Some(stand_in.admin.clone()),
            ..Sessions::default()
        },
    };
    let report = verify::verify(&profile, &inputs, &stand_in.ctx, &|_| {}).await;
    for result in &report.checks {
        assert_eq!(result.status, Status::Pass, "{}: {result:#?}", result.id);
    }
    stand_in.shutdown().await;
}

//! Approving a vendor's multi-tenant app (profile `vendor-app-consent`) against the stand-in
//! tenant served in-process: the verification first finds the app unapproved, the tenant's
//! admin-consent link is handed out, an administrator's browser opens it on the stand-in (which
//! approves the app: service principal and `AllPrincipals` grant), the wait sees the approval,
//! and the verification then passes; asking again finds it approved. Nobody approving ends the
//! wait with a clear timeout; a refusal to read ends it at once.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use entra_setup_core::cause::Cause;
use entra_setup_core::check::CheckId;
use entra_setup_core::fix::{
    self, ApprovalWait, ChangeKind, FixError, Patience, Readiness, RepairSession,
};
use entra_setup_core::http::Http;
use entra_setup_core::profile::Catalog;
use entra_setup_core::verify::{self, Inputs, Report, Sessions, Status};
use serde_json::{Value, json};
use url::Url;

const VENDOR_APP: &str = "ffffffff-0000-0000-0000-000000000001";
const TENANT_ID: &str = "11111111-2222-3333-4444-555555555555";

/// A running stand-in, a context pointed at it and the administrator's token.
type StandIn = support::SignedIn;

/// Serve the shipped scenario `name` after `change` edits it, and sign the administrator in.
async fn start(name: &str, change: impl FnOnce(&mut Value)) -> StandIn {
    // Only reads: the approval itself is given on the stand-in's consent page.
    StandIn::start(name, change, |_| support::ADMIN_READ_SCOPES.to_string()).await
}

/// An administrator's browser: GET `link`, following redirects while they stay on the stand-in
/// (as a browser would), and answer where it was sent off it (the vendor's redirect URI).
async fn administrator_opens(http: Http, link: Url) -> Url {
    let mut at = link.clone();
    for _ in 0..10 {
        let answer = http.client().get(at.clone()).send().await.expect("answer");
        assert!(
            answer.status().is_redirection(),
            "{at}: {} {}",
            answer.status(),
            answer.text().await.unwrap_or_default()
        );
        let location = answer
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .expect("Location");
        let next = at.join(location).expect("redirect URL");
        if next.origin() != link.origin() {
            return next;
        }
        at = next;
    }
    panic!("too many redirects from {link}");
}

impl StandIn {
    fn session<'a>(&'a self, progress: &'a (dyn Fn(&str) + Send + Sync)) -> RepairSession<'a> {
        RepairSession {
            ctx: &self.ctx,
            admin_token: &self.admin,
            patience: Patience::default(),
            progress,
        }
    }

    async fn verify(&self) -> Report {
        let catalog = Catalog::shipped();
        let profile = catalog.get("vendor-app-consent").expect("shipped profile");
        let inputs = Inputs {
            tenant: "contoso.com".into(),
            client_id: Some(VENDOR_APP.into()),
            secret: None,
            redirect_uri: None,
            mailbox: None,
            test_recipient: None,
            sessions: Sessions {
                admin_graph: Some(self.admin.clone()),
                ..Sessions::default()
            },
        };
        verify::verify(profile, &inputs, &self.ctx, &|_| {}).await
    }
}

fn quick(timeout: Duration) -> ApprovalWait {
    ApprovalWait {
        timeout,
        interval: Duration::from_millis(100),
        reminder: Duration::from_millis(300),
    }
}

fn status_of(report: &Report, id: CheckId) -> Status {
    report
        .checks
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.status)
        .expect("check")
}

#[tokio::test]
async fn an_unapproved_vendor_app_is_approved_through_the_link_then_verifies() {
    let stand_in = start("vendor-app-unapproved", |_| {}).await;
    let before = stand_in.verify().await;
    assert_eq!(
        fix::readiness(&before),
        Readiness::NeedsApproval,
        "{before:#?}"
    );
    assert_eq!(before.tenant_id.as_deref(), Some(TENANT_ID));

    let landed: Arc<Mutex<Option<tokio::task::JoinHandle<Url>>>> = Arc::default();
    let http = stand_in.ctx.http.clone();
    let browser = landed.clone();
    let show_link = move |url: &Url| {
        let task = tokio::spawn(administrator_opens(http.clone(), url.clone()));
        *browser.lock().expect("lock") = Some(task);
    };
    let told = Mutex::new(Vec::<String>::new());
    let progress = |m: &str| told.lock().expect("lock").push(m.to_string());
    let approved = fix::approve_vendor_app(
        &stand_in.session(&progress),
        TENANT_ID,
        VENDOR_APP,
        None,
        quick(Duration::from_secs(20)),
        &show_link,
    )
    .await
    .expect("approved");

    // The link: this tenant's GUID and the app (every permission it asks for); never `common`.
    let link = Url::parse(&approved.admin_consent_url).expect("link");
    assert_eq!(link.path(), format!("/{TENANT_ID}/adminconsent"));
    let query: Vec<(String, String)> = link.query_pairs().into_owned().collect();
    assert!(query.contains(&("client_id".into(), VENDOR_APP.into())));
    assert_eq!(query.len(), 1, "only the app: {link}");
    // The administrator's browser ended on the vendor's page, approved.
    let task = landed
        .lock()
        .expect("lock")
        .take()
        .expect("the link was shown");
    let vendor_page = task.await.expect("browser");
    assert_eq!(vendor_page.host_str(), Some("app.vendor.example"));
    let answer: Vec<(String, String)> = vendor_page.query_pairs().into_owned().collect();
    assert!(
        answer.contains(&("admin_consent".into(), "True".into())),
        "{vendor_page}"
    );
    assert!(!answer.iter().any(|(k, _)| k == "error"), "{vendor_page}");

    assert_eq!(approved.changes.len(), 1);
    assert_eq!(approved.changes[0].kind, ChangeKind::AdminConsentGranted);
    assert!(
        approved.changes[0]
            .description
            .contains("for the organisation"),
        "{:?}",
        approved.changes
    );

    let after = stand_in.verify().await;
    for check in &after.checks {
        assert_eq!(check.status, Status::Pass, "{check:#?}");
    }
    assert_eq!(fix::readiness(&after), Readiness::AlreadyApproved);
    stand_in.shutdown().await;
}

#[tokio::test]
async fn with_user_consent_and_requests_off_the_approved_app_only_warns_about_requests() {
    let stand_in = start("user-consent-disabled", |_| {}).await;
    let before = stand_in.verify().await;
    assert_eq!(fix::readiness(&before), Readiness::NeedsApproval);
    let http = stand_in.ctx.http.clone();
    let show_link = move |url: &Url| {
        tokio::spawn(administrator_opens(http.clone(), url.clone()));
    };
    fix::approve_vendor_app(
        &stand_in.session(&|_| {}),
        TENANT_ID,
        VENDOR_APP,
        None,
        quick(Duration::from_secs(20)),
        &show_link,
    )
    .await
    .expect("approved");
    let after = stand_in.verify().await;
    assert_eq!(status_of(&after, CheckId::AdminConsent), Status::Pass);
    assert_eq!(status_of(&after, CheckId::ClientId), Status::Pass);
    let policy = after
        .checks
        .iter()
        .find(|c| c.id == CheckId::ConsentPolicy)
        .expect("consent_policy");
    assert_eq!(
        (policy.status, policy.cause),
        (Status::Warn, Some(Cause::AdminConsentWorkflowDisabled))
    );
    stand_in.shutdown().await;
}

#[tokio::test]
async fn nobody_approving_ends_the_wait_with_a_clear_timeout() {
    let stand_in = start("vendor-app-unapproved", |_| {}).await;
    let shown = Mutex::new(None::<String>);
    let show_link = |url: &Url| *shown.lock().expect("lock") = Some(url.to_string());
    let told = Mutex::new(Vec::<String>::new());
    let progress = |m: &str| told.lock().expect("lock").push(m.to_string());
    let error = fix::approve_vendor_app(
        &stand_in.session(&progress),
        TENANT_ID,
        VENDOR_APP,
        None,
        quick(Duration::from_secs(1)),
        &show_link,
    )
    .await
    .expect_err("nobody approves");
    assert!(
        matches!(&error, FixError::ApprovalTimeout { client_id, .. } if client_id == VENDOR_APP),
        "{error:?}"
    );
    assert_eq!(error.cause(), Cause::AdminConsentMissing);
    let message = error.to_string();
    assert!(
        message.contains(VENDOR_APP) && message.contains("1 seconds"),
        "{message}"
    );
    assert!(
        shown.lock().expect("lock").is_some(),
        "the link was shown first"
    );
    assert!(
        told.lock()
            .expect("lock")
            .iter()
            .any(|m| m.contains("Still waiting")),
        "a progress message while waiting"
    );
    // Nothing appeared in the directory.
    let after = stand_in.verify().await;
    assert_eq!(fix::readiness(&after), Readiness::NeedsApproval);
    stand_in.shutdown().await;
}

#[tokio::test]
async fn a_refused_read_ends_the_wait_at_once() {
    let stand_in = start("vendor-app-unapproved", |json| {
        json["faults"] = json!([{
            "match": "GET /v1.0/servicePrincipals*",
            "kind": "status",
            "status": 403
        }]);
    })
    .await;
    let started = std::time::Instant::now();
    let error = fix::wait_for_approval(
        &stand_in.session(&|_| {}),
        VENDOR_APP,
        quick(Duration::from_secs(20)),
    )
    .await
    .expect_err("refused");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(error.cause(), Cause::InsufficientAdminRights, "{error:?}");
    stand_in.shutdown().await;
}

#[tokio::test]
async fn an_outage_while_waiting_is_transient_not_a_failure() {
    let stand_in = start("vendor-app-unapproved", |json| {
        json["faults"] = json!([{
            "match": "GET /v1.0/servicePrincipals*",
            "kind": "status",
            "status": 503
        }]);
    })
    .await;
    let error = fix::wait_for_approval(
        &stand_in.session(&|_| {}),
        VENDOR_APP,
        quick(Duration::from_secs(2)),
    )
    .await
    .expect_err("unavailable");
    assert!(error.cause().is_transient(), "{error:?}");
    stand_in.shutdown().await;
}

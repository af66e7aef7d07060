//! The SMTP AUTH probe and the mailbox owner's checks (`smtp_auth`, `test_email`) against the
//! stand-in tenant served in-process: the mailbox owner's tokens are obtained the way a public
//! client obtains them (device code, then a refresh token for the second resource), then
//! `verify::verify` runs the profile and the statuses, causes, fixes and evidence are checked.

mod support;

use std::time::Duration;

use entra_fake_tenant::FakeTenant;
use entra_setup_core::cause::Cause;
use entra_setup_core::check::CheckId;
use entra_setup_core::endpoints::SmtpEndpoint;
use entra_setup_core::profile::Catalog;
use entra_setup_core::secret::Secret;
use entra_setup_core::smtp::{self, ProbeError, ProbeOptions, Stage};
use entra_setup_core::verify::{
    self, CheckResult, Context, Inputs, Report, Sessions, SkipReason, Status,
};
use serde_json::{Value, json};
use support::PUBLIC_CLIENT;

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const MAILBOX: &str = "intranet@contoso.com";
const RECIPIENT: &str = "admin@contoso.com";

/// A running stand-in and a verification context pointed at it.
struct StandIn {
    fake: FakeTenant,
    ctx: Context,
    _ca_dir: tempfile::TempDir,
}

/// Serve the shipped scenario `name` with the mailbox user signing in, after `change` edits it.
async fn start(name: &str, change: impl FnOnce(&mut Value)) -> StandIn {
    let support::Served { fake, ctx, ca_dir } =
        support::serve_scenario(name, MAILBOX, change, chrono::Utc::now()).await;
    StandIn {
        fake,
        ctx,
        _ca_dir: ca_dir,
    }
}

/// Add a fault on SMTP connections.
fn smtp_fault(fault: Value) -> impl FnOnce(&mut Value) {
    move |json| {
        let mut fault = fault;
        fault["match"] = json!("SMTP");
        json["faults"] = json!([fault]);
    }
}

impl StandIn {
    /// Sign the mailbox owner in with the device-code flow for `scope`: (access, refresh) token.
    async fn device_code(&self, scope: &str) -> (Secret, Secret) {
        let token = support::device_code_sign_in(&self.ctx, scope).await;
        let access = token["access_token"].as_str().expect("access_token");
        let refresh = token["refresh_token"].as_str().expect("refresh_token");
        (Secret::new(access), Secret::new(refresh))
    }

    /// A token for another resource from the refresh token.
    async fn refresh(&self, refresh_token: &Secret, scope: &str) -> Secret {
        let token = support::form(
            &self.ctx,
            &support::token_url(&self.ctx),
            &[
                ("grant_type", "refresh_token"),
                ("client_id", PUBLIC_CLIENT),
                ("refresh_token", refresh_token.expose()),
                ("scope", scope),
            ],
        )
        .await;
        Secret::new(token["access_token"].as_str().expect("access_token"))
    }

    /// The mailbox owner's two sessions: Outlook `SMTP.Send` and Graph `Mail.Send`.
    async fn mailbox_sessions(&self) -> Sessions {
        let outlook = &self.ctx.endpoints.outlook_resource;
        let (smtp_token, refresh) = self
            .device_code(&format!("{outlook}/SMTP.Send offline_access"))
            .await;
        let graph_token = self
            .refresh(&refresh, "https://graph.microsoft.com/Mail.Send")
            .await;
        Sessions {
            mailbox_graph: Some(graph_token),
            mailbox_outlook: Some(smtp_token),
            ..Sessions::default()
        }
    }

    fn smtp_endpoint(&self) -> SmtpEndpoint {
        self.ctx
            .endpoints
            .smtp
            .clone()
            .expect("the stand-in serves SMTP")
    }

    async fn verify(&self, profile: &str, inputs: &Inputs) -> Report {
        let catalog = Catalog::shipped();
        let profile = catalog.get(profile).expect("shipped profile");
        verify::verify(profile, inputs, &self.ctx, &|_| {}).await
    }
}

fn inputs(sessions: Sessions) -> Inputs {
    Inputs {
        tenant: "contoso.com".into(),
        client_id: Some(APP.into()),
        secret: Some(Secret::new(APP_SECRET)),
        redirect_uri: None,
        mailbox: Some(MAILBOX.into()),
        test_recipient: Some(RECIPIENT.into()),
        sessions,
    }
}

fn check(report: &Report, id: CheckId) -> &CheckResult {
    let found: Vec<&CheckResult> = report.checks.iter().filter(|c| c.id == id).collect();
    assert_eq!(found.len(), 1, "{id} appears once in {report:#?}");
    found[0]
}

/// Run the email profile as the mailbox owner of scenario `name` and return the report.
async fn email_report(name: &str, change: impl FnOnce(&mut Value)) -> (StandIn, Report, Sessions) {
    let stand_in = start(name, change).await;
    let sessions = stand_in.mailbox_sessions().await;
    let report = stand_in
        .verify("axero-m365-email", &inputs(sessions.clone()))
        .await;
    (stand_in, report, sessions)
}

/// Neither token appears anywhere in what the report shows.
fn assert_no_token(report: &Report, sessions: &Sessions) {
    let shown = format!(
        "{} {report:?}",
        serde_json::to_string(report).expect("JSON")
    );
    for token in [&sessions.mailbox_outlook, &sessions.mailbox_graph]
        .into_iter()
        .flatten()
    {
        assert!(
            !shown.contains(token.expose()),
            "a token leaked into the report"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_mailbox_authenticates_and_sends_the_test_email_through_graph() {
    let (stand_in, report, sessions) = email_report("axero-m365-email", |_| {}).await;
    let smtp = check(&report, CheckId::SmtpAuth);
    assert_eq!(smtp.status, Status::Pass, "{smtp:#?}");
    assert_eq!(smtp.evidence["code"], 235);
    assert_eq!(smtp.evidence["enhanced_status"], "2.7.0");
    assert_eq!(smtp.evidence["mailbox"], MAILBOX);
    let mail = check(&report, CheckId::TestEmail);
    assert_eq!(mail.status, Status::Pass, "{mail:#?}");
    assert_eq!(mail.evidence["recipient"], RECIPIENT);
    assert!(mail.evidence["sent_at"].is_string());

    let sent = stand_in.fake.sent_mail();
    assert_eq!(
        sent.len(),
        1,
        "exactly the test email, and the probe sent none: {sent:?}"
    );
    assert_eq!(sent[0].via, "graph");
    assert_eq!(sent[0].from, MAILBOX);
    assert_eq!(sent[0].to, vec![RECIPIENT.to_string()]);
    assert_eq!(sent[0].subject, "Entra Setup Wizard test message");
    assert_no_token(&report, &sessions);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_auth_off_for_the_tenant_names_set_transportconfig() {
    let (stand_in, report, sessions) = email_report("smtp-auth-off-tenant", |_| {}).await;
    let smtp = check(&report, CheckId::SmtpAuth);
    assert_eq!(smtp.status, Status::Fail, "{smtp:#?}");
    assert_eq!(smtp.cause, Some(Cause::SmtpAuthDisabledTenant));
    let fix = smtp.fix.as_deref().expect("fix");
    assert!(
        fix.contains("Set-TransportConfig -SmtpClientAuthenticationDisabled $false"),
        "{fix}"
    );
    assert!(smtp.portal_link.is_some());
    assert_eq!(smtp.evidence["code"], 535);
    assert_eq!(smtp.evidence["enhanced_status"], "5.7.139");
    assert!(
        smtp.evidence["text"]
            .as_str()
            .is_some_and(|t| t.contains("disabled for the Tenant")),
        "{}",
        smtp.evidence
    );
    // Graph sendMail does not depend on SMTP AUTH.
    assert_eq!(check(&report, CheckId::TestEmail).status, Status::Pass);
    assert_eq!(stand_in.fake.sent_mail().len(), 1);
    assert_no_token(&report, &sessions);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_auth_off_for_the_mailbox_names_set_casmailbox_for_it() {
    let (_stand_in, report, sessions) = email_report("smtp-auth-off-mailbox", |_| {}).await;
    let smtp = check(&report, CheckId::SmtpAuth);
    assert_eq!(smtp.status, Status::Fail, "{smtp:#?}");
    assert_eq!(smtp.cause, Some(Cause::SmtpAuthDisabledMailbox));
    let fix = smtp.fix.as_deref().expect("fix");
    assert!(
        fix.contains(
            "Set-CASMailbox -Identity intranet@contoso.com -SmtpClientAuthenticationDisabled $false"
        ),
        "{fix}"
    );
    assert!(fix.contains("Authenticated SMTP"), "{fix}");
    assert!(
        smtp.portal_link
            .as_deref()
            .is_some_and(|l| l.starts_with("https://admin.microsoft.com")),
        "{smtp:#?}"
    );
    assert_eq!(smtp.evidence["enhanced_status"], "5.7.139");
    assert_eq!(check(&report, CheckId::TestEmail).status, Status::Pass);
    assert_no_token(&report, &sessions);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unlicensed_mailbox_fails_both_checks() {
    let (stand_in, report, sessions) = email_report("unlicensed-mailbox", |_| {}).await;
    let smtp = check(&report, CheckId::SmtpAuth);
    assert_eq!(smtp.status, Status::Fail, "{smtp:#?}");
    assert_eq!(smtp.cause, Some(Cause::SmtpAuthFailed));
    assert_eq!(smtp.evidence["enhanced_status"], "5.7.3");
    let mail = check(&report, CheckId::TestEmail);
    assert_eq!(mail.status, Status::Fail, "{mail:#?}");
    assert_eq!(mail.cause, Some(Cause::MailboxUnavailable));
    assert_eq!(mail.evidence["code"], "MailboxNotEnabledForRESTAPI");
    assert!(stand_in.fake.sent_mail().is_empty());
    assert_no_token(&report, &sessions);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_mailbox_cannot_sign_in_for_the_mailbox_checks() {
    // Exchange creates shared mailboxes with sign-in blocked: the owner's sign-in is refused
    // (AADSTS50057), so SMTP AUTH and the test email cannot act as it; the `mailbox` check names
    // the shared mailbox.
    let stand_in = start("shared-mailbox", |_| {}).await;
    let outcome = entra_setup_core::identity::sign_in_with_device_code(
        &stand_in.ctx.http,
        &stand_in.ctx.endpoints,
        "contoso.com",
        PUBLIC_CLIENT,
        &["https://outlook.office.com/SMTP.Send".to_string()],
        &|_| {},
    )
    .await;
    match outcome {
        Err(entra_setup_core::identity::SignInError::Rejected(error)) => {
            assert_eq!(error.code(), Some(50057), "{error:?}")
        }
        other => panic!("the shared mailbox signed in: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_faults_leave_the_check_unverified() {
    for (fault, cause) in [
        (
            json!({"kind": "status", "status": 421}),
            Cause::ServiceUnavailable,
        ),
        (json!({"kind": "reset"}), Cause::NetworkError),
        (json!({"kind": "malformed"}), Cause::NetworkError),
    ] {
        let (_stand_in, report, sessions) =
            email_report("axero-m365-email", smtp_fault(fault.clone())).await;
        let smtp = check(&report, CheckId::SmtpAuth);
        assert_eq!(smtp.status, Status::Unverified, "{fault}: {smtp:#?}");
        assert_eq!(smtp.cause, Some(cause), "{fault}: {smtp:#?}");
        assert_eq!(smtp.evidence["stage"], "greeting", "{fault}");
        assert_eq!(check(&report, CheckId::TestEmail).status, Status::Pass);
        assert_no_token(&report, &sessions);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_smtp_server_that_hangs_leaves_the_check_unverified() {
    // The engine's probe waits 20 s for each reply; the stand-in stays silent for longer.
    let (_stand_in, report, _) = email_report(
        "axero-m365-email",
        smtp_fault(json!({"kind": "hang", "seconds": 40})),
    )
    .await;
    let smtp = check(&report, CheckId::SmtpAuth);
    assert_eq!(smtp.status, Status::Unverified, "{smtp:#?}");
    assert_eq!(smtp.cause, Some(Cause::NetworkError));
    assert!(
        smtp.message.contains("no answer within"),
        "{}",
        smtp.message
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calendar_profile_probes_smtp_auth_too() {
    let stand_in = start("axero-outlook-calendar", |_| {}).await;
    let sessions = stand_in.mailbox_sessions().await;
    let report = stand_in
        .verify("axero-outlook-calendar", &inputs(sessions))
        .await;
    assert_eq!(check(&report, CheckId::SmtpAuth).status, Status::Pass);
    assert!(report.checks.iter().all(|c| c.id != CheckId::TestEmail));
    assert!(stand_in.fake.sent_mail().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_inputs_and_sign_ins_are_skipped_with_their_reasons() {
    let stand_in = start("axero-m365-email", |_| {}).await;

    let report = stand_in
        .verify("axero-m365-email", &inputs(Sessions::default()))
        .await;
    for id in [CheckId::SmtpAuth, CheckId::TestEmail] {
        let result = check(&report, id);
        assert_eq!(result.status, Status::Skipped, "{result:#?}");
        assert_eq!(result.reason, Some(SkipReason::NeedsSignIn), "{result:#?}");
    }

    let sessions = stand_in.mailbox_sessions().await;
    let mut without = inputs(sessions);
    without.mailbox = None;
    without.test_recipient = None;
    let report = stand_in.verify("axero-m365-email", &without).await;
    for id in [CheckId::SmtpAuth, CheckId::TestEmail] {
        let result = check(&report, id);
        assert_eq!(result.status, Status::Skipped, "{result:#?}");
        assert_eq!(result.reason, Some(SkipReason::MissingInput), "{result:#?}");
    }

    // No client ID: the mailbox owner's checks still run.
    let mut no_app = inputs(stand_in.mailbox_sessions().await);
    no_app.client_id = None;
    let report = stand_in.verify("axero-m365-email", &no_app).await;
    assert_eq!(check(&report, CheckId::SmtpAuth).status, Status::Pass);
    assert_eq!(check(&report, CheckId::TestEmail).status, Status::Pass);
    assert!(stand_in.fake.sent_mail().len() == 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_refuses_a_certificate_it_cannot_trust() {
    let stand_in = start("axero-m365-email", |_| {}).await;
    let sessions = stand_in.mailbox_sessions().await;
    let token = sessions.mailbox_outlook.expect("token");
    let mut endpoint = stand_in.smtp_endpoint();
    endpoint.ca_pem = None;
    let error = smtp::probe(&endpoint, MAILBOX, &token, &ProbeOptions::default())
        .await
        .expect_err("the stand-in's CA is not a public root");
    assert_eq!(error.cause(), Cause::SmtpUnreachable, "{error}");
    assert_eq!(error.stage(), Some(Stage::TlsHandshake));
    assert!(error.to_string().contains("certificate"), "{error}");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(token.expose()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_reports_a_closed_port_as_unreachable() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let endpoint = SmtpEndpoint {
        host: "127.0.0.1".into(),
        port,
        ca_pem: None,
    };
    let error = smtp::probe(
        &endpoint,
        MAILBOX,
        &Secret::new("t"),
        &ProbeOptions::default(),
    )
    .await
    .expect_err("nothing listens");
    assert_eq!(error.cause(), Cause::SmtpUnreachable, "{error}");
    assert_eq!(error.stage(), Some(Stage::Connect));
    assert!(error.unavailable("x").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_with_the_graph_token_or_as_another_user_is_refused() {
    let stand_in = start("axero-m365-email", |_| {}).await;
    let sessions = stand_in.mailbox_sessions().await;
    let endpoint = stand_in.smtp_endpoint();
    let graph_token = sessions.mailbox_graph.expect("graph token");
    let error = smtp::probe(&endpoint, MAILBOX, &graph_token, &ProbeOptions::default())
        .await
        .expect_err("a Graph-audience token is not accepted by SMTP");
    assert_eq!(error.cause(), Cause::SmtpAuthFailed, "{error}");
    assert_eq!(error.reply().map(|r| r.code), Some(535));
    assert!(matches!(
        error,
        ProbeError::Refused {
            stage: Stage::Auth,
            ..
        }
    ));
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(graph_token.expose()));

    let outlook = sessions.mailbox_outlook.expect("outlook token");
    let error = smtp::probe(
        &endpoint,
        "bob@contoso.com",
        &outlook,
        &ProbeOptions::default(),
    )
    .await
    .expect_err("a token for another user");
    assert_eq!(error.cause(), Cause::SmtpAuthFailed, "{error}");
    assert!(stand_in.fake.sent_mail().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_gives_up_on_a_silent_server_within_its_time_limit() {
    let stand_in = start(
        "axero-m365-email",
        smtp_fault(json!({"kind": "hang", "seconds": 30})),
    )
    .await;
    let options = ProbeOptions {
        connect_timeout: Duration::from_secs(2),
        reply_timeout: Duration::from_millis(500),
    };
    let started = std::time::Instant::now();
    let error = smtp::probe(
        &stand_in.smtp_endpoint(),
        MAILBOX,
        &Secret::new("t"),
        &options,
    )
    .await
    .expect_err("no banner in time");
    assert!(started.elapsed() < Duration::from_secs(10));
    let fault = error.unavailable("stand-in").expect("transient");
    assert_eq!(fault.cause, Cause::NetworkError);
    assert_eq!(error.stage(), Some(Stage::Greeting));
}

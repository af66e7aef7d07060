//! The IMAP probe and the `imap_auth` check against the stand-in tenant served in-process: the
//! mailbox owner's Outlook token is obtained the way a public client obtains it (device code),
//! then the probe, the check and `verify::verify` (a shipped profile with `imap_auth` added) run
//! and the statuses, causes, fixes and evidence are checked. The stand-in answers with Exchange
//! Online's real IMAP lines (crates/fake-tenant/conformance/imap).

mod support;

use entra_fake_tenant::FakeTenant;
use entra_setup_core::cause::Cause;
use entra_setup_core::check::CheckId;
use entra_setup_core::endpoints::ImapEndpoint;
use entra_setup_core::imap::{self, ProbeOptions, Stage, Status as ReplyStatus};
use entra_setup_core::profile::{Catalog, Profile};
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::checks::imap_auth;
use entra_setup_core::verify::{
    self, CheckResult, Context, Inputs, Needed, Report, Sessions, SkipReason, Status,
};
use serde_json::{Value, json};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const MAILBOX: &str = "intranet@contoso.com";

/// A running stand-in and a verification context pointed at it.
struct StandIn {
    _fake: FakeTenant,
    ctx: Context,
    _ca_dir: tempfile::TempDir,
}

/// Serve `axero-m365-email` with the mailbox owner signing in, after `change` edits it.
async fn start(change: impl FnOnce(&mut Value)) -> StandIn {
    let support::Served { fake, ctx, ca_dir } =
        support::serve_scenario("axero-m365-email", MAILBOX, change, chrono::Utc::now()).await;
    StandIn {
        _fake: fake,
        ctx,
        _ca_dir: ca_dir,
    }
}

impl StandIn {
    /// The mailbox owner's access token for the Outlook resource's `scopes` (space-separated
    /// names).
    async fn outlook_token(&self, scopes: &str) -> Secret {
        let outlook = &self.ctx.endpoints.outlook_resource;
        let scope: Vec<String> = scopes
            .split_whitespace()
            .map(|s| format!("{outlook}/{s}"))
            .chain(["offline_access".to_string()])
            .collect();
        let token = support::device_code_sign_in(&self.ctx, &scope.join(" ")).await;
        Secret::new(token["access_token"].as_str().expect("access_token"))
    }

    fn imap_endpoint(&self) -> ImapEndpoint {
        self.ctx
            .endpoints
            .imap
            .clone()
            .expect("the stand-in serves IMAP")
    }
}

fn inputs(sessions: Sessions) -> Inputs {
    Inputs {
        tenant: "contoso.com".into(),
        client_id: Some(APP.into()),
        secret: Some(Secret::new(APP_SECRET)),
        redirect_uri: None,
        mailbox: Some(MAILBOX.into()),
        test_recipient: None,
        sessions,
    }
}

fn owner(token: &Secret) -> Sessions {
    Sessions {
        mailbox_outlook: Some(token.clone()),
        ..Sessions::default()
    }
}

/// The shipped email profile with `imap_auth` beside its `smtp_auth`.
fn email_profile_with_imap() -> Profile {
    let catalog = Catalog::shipped();
    let mut profile = catalog
        .get("axero-m365-email")
        .expect("shipped profile")
        .clone();
    profile.checks.push(CheckId::ImapAuth);
    profile
}

fn check(report: &Report, id: CheckId) -> &CheckResult {
    let found: Vec<&CheckResult> = report.checks.iter().filter(|c| c.id == id).collect();
    assert_eq!(found.len(), 1, "{id} appears once in {report:#?}");
    found[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owners_token_signs_in_and_opens_the_inbox() {
    let stand_in = start(|_| {}).await;
    let token = stand_in.outlook_token("IMAP.AccessAsUser.All").await;
    let done = imap::probe(
        &stand_in.imap_endpoint(),
        MAILBOX,
        &token,
        &ProbeOptions::default(),
    )
    .await
    .expect("authenticated");
    assert_eq!(done.reply.to_string(), "A1 OK AUTHENTICATE completed.");
    assert_eq!(done.mailbox_reply.status, ReplyStatus::Ok);

    let result = imap_auth::check(&stand_in.ctx, &inputs(owner(&token))).await;
    assert_eq!(result.status, Status::Pass, "{result:#?}");
    assert_eq!(result.evidence["mailbox"], MAILBOX);
    assert_eq!(result.evidence["reply"], "A1 OK AUTHENTICATE completed.");
    let shown = serde_json::to_string(&result).expect("JSON");
    assert!(!shown.contains(token.expose()), "the token leaked: {shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_outlook_token_serves_smtp_and_imap_in_the_mailbox_owner_stage() {
    let stand_in = start(|_| {}).await;
    let profile = email_profile_with_imap();
    let (graph, outlook) =
        verify::sign_in::mailbox_scopes(&profile, &inputs(Sessions::default()), &stand_in.ctx);
    assert!(graph.is_empty(), "{graph:?}");
    assert_eq!(
        outlook,
        [
            "https://outlook.office.com/SMTP.Send",
            "https://outlook.office.com/IMAP.AccessAsUser.All"
        ]
    );
    let token = stand_in
        .outlook_token("SMTP.Send IMAP.AccessAsUser.All")
        .await;
    let report = verify::verify(&profile, &inputs(owner(&token)), &stand_in.ctx, &|_| {}).await;
    let imap = check(&report, CheckId::ImapAuth);
    assert_eq!(imap.status, Status::Pass, "{imap:#?}");
    let smtp = check(&report, CheckId::SmtpAuth);
    assert_eq!(smtp.status, Status::Pass, "{smtp:#?}");
    let shown = serde_json::to_string(&report).expect("JSON");
    assert!(!shown.contains(token.expose()), "the token leaked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imap_off_for_the_mailbox_fails_with_set_casmailbox() {
    let stand_in = start(|json| {
        json["tenants"][0]["users"][1]["imap_enabled"] = json!(false);
    })
    .await;
    let token = stand_in.outlook_token("IMAP.AccessAsUser.All").await;
    let error = imap::probe(
        &stand_in.imap_endpoint(),
        MAILBOX,
        &token,
        &ProbeOptions::default(),
    )
    .await
    .expect_err("not connected");
    assert_eq!(error.cause(), Cause::ImapDisabledMailbox);
    assert_eq!(error.stage(), Some(Stage::Examine));

    let result = imap_auth::check(&stand_in.ctx, &inputs(owner(&token))).await;
    assert_eq!(result.status, Status::Fail, "{result:#?}");
    assert_eq!(result.cause, Some(Cause::ImapDisabledMailbox));
    let fix = result.fix.as_deref().expect("fix");
    assert!(
        fix.contains("Set-CASMailbox -Identity intranet@contoso.com -ImapEnabled $true"),
        "{fix}"
    );
    assert!(result.portal_link.is_some());
    assert_eq!(result.evidence["stage"], "examine");
    assert_eq!(
        result.evidence["reply"],
        "A2 BAD User is authenticated but not connected."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_exchange_refuses_is_imap_auth_failed() {
    let stand_in = start(|_| {}).await;
    // An Outlook token without IMAP.AccessAsUser.All.
    let smtp_only = stand_in.outlook_token("SMTP.Send").await;
    let result = imap_auth::check(&stand_in.ctx, &inputs(owner(&smtp_only))).await;
    assert_eq!(result.status, Status::Fail, "{result:#?}");
    assert_eq!(result.cause, Some(Cause::ImapAuthFailed));
    assert_eq!(result.evidence["stage"], "authenticate");
    assert_eq!(result.evidence["reply"], "A1 NO AUTHENTICATE failed.");
    let fix = result.fix.as_deref().expect("fix");
    assert!(fix.contains("IMAP.AccessAsUser.All"), "{fix}");
    assert!(
        fix.contains("Set-CASMailbox -Identity intranet@contoso.com -ImapEnabled $true"),
        "{fix}"
    );

    // The owner's IMAP token presented for another mailbox.
    let token = stand_in.outlook_token("IMAP.AccessAsUser.All").await;
    let error = imap::probe(
        &stand_in.imap_endpoint(),
        "bob@contoso.com",
        &token,
        &ProbeOptions::default(),
    )
    .await
    .expect_err("another user's token");
    assert_eq!(error.cause(), Cause::ImapAuthFailed);
    assert_eq!(error.stage(), Some(Stage::Authenticate));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_is_gone_leaves_the_check_unverified() {
    let stand_in = start(|_| {}).await;
    let token = stand_in.outlook_token("IMAP.AccessAsUser.All").await;
    // A port nobody listens on any more.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let mut ctx = stand_in.ctx.clone();
    ctx.endpoints.imap = Some(ImapEndpoint {
        port,
        ..stand_in.imap_endpoint()
    });
    let result = imap_auth::check(&ctx, &inputs(owner(&token))).await;
    assert_eq!(result.status, Status::Unverified, "{result:#?}");
    assert_eq!(result.cause, Some(Cause::NetworkError));
    assert_eq!(result.evidence["stage"], "connect");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_mailbox_a_token_or_an_endpoint_the_check_is_skipped() {
    let stand_in = start(|_| {}).await;
    let no_mailbox = Inputs {
        mailbox: None,
        ..inputs(Sessions::default())
    };
    let result = imap_auth::check(&stand_in.ctx, &no_mailbox).await;
    assert_eq!(
        (result.status, result.reason),
        (Status::Skipped, Some(SkipReason::MissingInput))
    );
    assert_eq!(result.needs, [Needed::Mailbox]);

    let result = imap_auth::check(&stand_in.ctx, &inputs(Sessions::default())).await;
    assert_eq!(
        (result.status, result.reason),
        (Status::Skipped, Some(SkipReason::NeedsSignIn))
    );
    assert_eq!(result.needs, [Needed::MailboxOwnerSignIn]);
    assert!(
        result.message.contains("IMAP.AccessAsUser.All"),
        "{}",
        result.message
    );

    let mut ctx = stand_in.ctx.clone();
    ctx.endpoints.imap = None;
    let token = Secret::new("unused");
    let result = imap_auth::check(&ctx, &inputs(owner(&token))).await;
    assert_eq!(
        (result.status, result.reason),
        (Status::Skipped, Some(SkipReason::MissingInput))
    );

    // Not run at all, the engine says whose sign-in it waits for.
    let report = verify::verify(
        &email_profile_with_imap(),
        &inputs(Sessions::default()),
        &stand_in.ctx,
        &|_| {},
    )
    .await;
    let imap = check(&report, CheckId::ImapAuth);
    assert_eq!(imap.status, Status::Skipped, "{imap:#?}");
    assert_eq!(imap.reason, Some(SkipReason::NeedsSignIn));
}

//! `verify::verify_signing_in`: people sign in while the checks run, against the stand-in served
//! in-process. The administrator's token reaches the administrator's checks, the mailbox owner's
//! the owner's checks (the owner asked only once the administrator has their code), a failed
//! administrator sign-in is answered with its reason, and nothing acts as the mailbox owner for a
//! client ID that failed (no test email is sent).

mod support;

use std::sync::Mutex;

use entra_setup_core::check::CheckId;
use entra_setup_core::profile::Catalog;
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::sign_in::{Person, SignInWith};
use entra_setup_core::verify::{self, Inputs, Report, Sessions, Status};
use serde_json::json;

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const MAILBOX: &str = "intranet@contoso.com";

fn email_inputs(client_id: &str) -> Inputs {
    Inputs {
        tenant: "contoso.com".into(),
        client_id: Some(client_id.into()),
        secret: Some(Secret::new(APP_SECRET)),
        redirect_uri: Some("https://intranet.contoso.com/oauth2/sharepoint/callback".into()),
        mailbox: Some(MAILBOX.into()),
        test_recipient: Some("bob@contoso.com".into()),
        sessions: Sessions::default(),
    }
}

fn status(report: &Report, id: CheckId) -> Status {
    report
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no {id} in {report:#?}"))
        .status
}

/// Verify the email profile on `scenario` (the administrator, then the mailbox owner signing in
/// without a page), recording who was shown a device code, in order; and how many emails the
/// stand-in accepted.
async fn verify_email(
    scenario: &str,
    client_id: &str,
    change: impl FnOnce(&mut serde_json::Value),
) -> (verify::SignedIn, Vec<Person>, usize) {
    let served = support::serve_scenario(
        scenario,
        "admin@contoso.com",
        |s| {
            s["sign_in"] = json!({ "as": ["admin@contoso.com", MAILBOX] });
            change(s);
        },
        chrono::Utc::now(),
    )
    .await;
    let catalog = Catalog::shipped();
    let profile = catalog.get("axero-m365-email").expect("shipped profile");
    let shown = Mutex::new(Vec::new());
    let show = |person: &Person, _: &entra_setup_core::identity::DevicePrompt| {
        shown.lock().expect("lock").push(person.clone())
    };
    let signed_in = verify::verify_signing_in(
        profile,
        &email_inputs(client_id),
        None,
        &served.ctx,
        SignInWith::device_code(support::PUBLIC_CLIENT, &show),
        &|_| {},
    )
    .await;
    let sent = served.fake.sent_mail().len();
    served.fake.shutdown().await;
    (signed_in, shown.into_inner().expect("lock"), sent)
}

#[tokio::test]
async fn the_administrator_and_the_mailbox_owner_sign_in_beside_the_checks_and_every_check_passes()
{
    let (signed_in, shown, sent) = verify_email("axero-m365-email", APP, |_| {}).await;
    assert_eq!(sent, 1, "the test email");
    let report = &signed_in.report;
    let not_passing: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.status != Status::Pass)
        .collect();
    assert!(not_passing.is_empty(), "{not_passing:#?}");
    assert_eq!(
        shown,
        vec![Person::Administrator, Person::MailboxOwner(MAILBOX.into())],
        "the administrator is given a code first, then the mailbox owner"
    );
    assert!(signed_in.failure.is_none());
    assert!(signed_in.admin_graph.is_some(), "the administrator's token");
}

#[tokio::test]
async fn a_failed_administrator_sign_in_is_answered_and_the_owner_is_not_asked() {
    // No public client is known to the tenant: the administrator's device code is refused.
    let (signed_in, shown, sent) =
        verify_email("axero-m365-email", APP, |s| s["public_clients"] = json!([])).await;
    assert_eq!(sent, 0);
    let failure = signed_in
        .failure
        .expect("the administrator's sign-in failed");
    assert_eq!(failure.person, Person::Administrator);
    assert!(shown.is_empty(), "nobody was given a code: {shown:?}");
    assert!(signed_in.admin_graph.is_none());
    let report = &signed_in.report;
    assert_eq!(status(report, CheckId::ClientSecret), Status::Pass);
    for id in [CheckId::RedirectUri, CheckId::SmtpAuth, CheckId::TestEmail] {
        assert_eq!(status(report, id), Status::Skipped, "{id}");
    }
}

#[tokio::test]
async fn nothing_acts_as_the_mailbox_owner_for_an_unknown_client_id() {
    let (signed_in, _, sent) = verify_email(
        "axero-m365-email",
        "bbbbbbbb-0000-0000-0000-0000000000ff",
        |_| {},
    )
    .await;
    let report = &signed_in.report;
    assert_eq!(status(report, CheckId::ClientId), Status::Fail);
    for id in [CheckId::SmtpAuth, CheckId::TestEmail] {
        let check = report.checks.iter().find(|c| c.id == id).expect("check");
        assert_ne!(check.status, Status::Pass, "{id} builds on the client ID");
    }
    assert!(signed_in.failure.is_none());
    assert_eq!(sent, 0, "no test email for an app that is not there");
}

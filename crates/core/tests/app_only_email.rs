//! The test email of a product that sends as the application (application `Mail.Send`, as
//! GitLab's Microsoft Graph mailer does): sent with the app's own token from the mailbox it will
//! send from, nobody signing in; a mailbox an Exchange application access policy keeps the app
//! out of fails with `mailbox_access_policy_denied`; without the permission consented it is not
//! sent at all.

mod support;

use entra_setup_core::cause::Cause;
use entra_setup_core::check::CheckId;
use entra_setup_core::profile::{Catalog, Profile};
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::{self, CheckResult, Inputs, Sessions, Status};
use serde_json::{Value, json};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const MAILBOX: &str = "intranet@contoso.com";

/// A product that sends as the application: the connector's profile with `Mail.Send` in place
/// of `Calendars.Read` and the test email among its checks.
fn mailer() -> Profile {
    let catalog = Catalog::shipped();
    let mut profile = catalog
        .get("exchange-calendar-connector")
        .expect("shipped profile")
        .clone();
    profile.registration.permissions.application = vec!["Mail.Send".into()];
    profile.checks.retain(|id| *id != CheckId::CalendarAccess);
    profile.checks.push(CheckId::TestEmail);
    profile
}

/// The connector's scenario with the app granted `consented` application permissions and
/// `change` applied.
async fn verify(consented: &[&str], change: impl FnOnce(&mut Value)) -> (CheckResult, usize) {
    let served = support::serve_scenario(
        "exchange-calendar-connector",
        "admin@contoso.com",
        |s| {
            let app = &mut s["tenants"][0]["applications"][0];
            app["permissions"]["application"] = json!(["Mail.Send"]);
            app["consented"]["application"] = json!(consented);
            change(s);
        },
        chrono::Utc::now(),
    )
    .await;
    let inputs = Inputs {
        tenant: "contoso.com".into(),
        client_id: Some(APP.into()),
        secret: Some(Secret::new(APP_SECRET)),
        redirect_uri: None,
        mailbox: Some(MAILBOX.into()),
        test_recipient: Some("bob@contoso.com".into()),
        sessions: Sessions::default(),
    };
    let report = verify::verify(&mailer(), &inputs, &served.ctx, &|_| {}).await;
    let sent = served.fake.sent_mail();
    served.fake.shutdown().await;
    let result = report
        .checks
        .into_iter()
        .find(|c| c.id == CheckId::TestEmail)
        .expect("test_email");
    let from_mailbox = sent.iter().filter(|m| m.from == MAILBOX).count();
    (result, from_mailbox)
}

#[tokio::test]
async fn the_app_sends_the_test_email_from_the_mailbox_with_its_own_token() {
    let (result, sent) = verify(&["Mail.Send"], |_| {}).await;
    assert_eq!(result.status, Status::Pass, "{result:#?}");
    assert_eq!(result.evidence["sent_as"], "application");
    assert_eq!(sent, 1, "one message from {MAILBOX}");
}

#[tokio::test]
async fn a_mailbox_the_access_policy_keeps_the_app_out_of_fails_with_its_cause() {
    let (result, sent) = verify(&["Mail.Send"], |s| {
        s["tenants"][0]["application_access_policies"] = json!([{
            "app_id": APP, "access_right": "RestrictAccess",
            "mailboxes": ["bob@contoso.com"], "description": null
        }]);
    })
    .await;
    assert_eq!(result.status, Status::Fail, "{result:#?}");
    assert_eq!(result.cause, Some(Cause::MailboxAccessPolicyDenied));
    assert_eq!(sent, 0);
}

#[tokio::test]
async fn without_mail_send_consented_no_test_email_is_sent() {
    let (result, sent) = verify(&[], |_| {}).await;
    assert_ne!(result.status, Status::Pass, "{result:#?}");
    assert_eq!(sent, 0);
}

//! The wizard's mailbox-owner sign-in (its mailbox step) is the verification's: one device-code
//! sign-in of the owner for the Graph scopes of the test email, and the Outlook token for the
//! SMTP AUTH probe from its refresh token; nothing to sign in for when no check needs the owner.

mod support;

use std::sync::Mutex;

use entra_setup_core::identity::TokenClaims;
use entra_setup_core::profile::Catalog;
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::{Inputs, Sessions};
use entra_setup_core::wizard;

const MAILBOX: &str = "intranet@contoso.com";

fn inputs(mailbox: Option<&str>) -> Inputs {
    Inputs {
        tenant: "contoso.com".into(),
        client_id: None,
        secret: None,
        redirect_uri: None,
        mailbox: mailbox.map(str::to_string),
        test_recipient: Some("someone@example.com".into()),
        sessions: Sessions::default(),
    }
}

fn claims(token: &Option<Secret>) -> TokenClaims {
    TokenClaims::read(token.as_ref().expect("token").expose()).expect("claims")
}

#[tokio::test]
async fn the_owner_signs_in_once_for_the_test_email_and_smtp() {
    let served = support::serve_scenario("contoso", MAILBOX, |_| {}, chrono::Utc::now()).await;
    let catalog = Catalog::shipped();
    let profile = catalog.get("axero-m365-email").expect("shipped profile");
    let prompts = Mutex::new(0);
    let sessions = wizard::sign_in::mailbox_owner(
        profile,
        &inputs(Some(MAILBOX)),
        &served.ctx,
        support::PUBLIC_CLIENT,
        &|_| *prompts.lock().expect("lock") += 1,
    )
    .await
    .expect("signed in");

    assert_eq!(*prompts.lock().expect("lock"), 1, "one device code shown");
    let graph = claims(&sessions.mailbox_graph);
    assert_eq!(graph.upn.as_deref(), Some(MAILBOX));
    assert!(
        graph.aud.as_deref().is_some_and(|a| a.contains("graph")),
        "{graph:?}"
    );
    let outlook = claims(&sessions.mailbox_outlook);
    assert_eq!(outlook.upn.as_deref(), Some(MAILBOX));
    assert!(
        outlook
            .aud
            .as_deref()
            .is_some_and(|a| a.contains("outlook")),
        "{outlook:?}"
    );
    assert!(
        sessions.admin_graph.is_none(),
        "the administrator is not asked again"
    );
    served.fake.shutdown().await;
}

#[tokio::test]
async fn without_a_mailbox_nobody_is_asked() {
    let served = support::serve_scenario("contoso", MAILBOX, |_| {}, chrono::Utc::now()).await;
    let catalog = Catalog::shipped();
    let profile = catalog.get("axero-m365-email").expect("shipped profile");
    let sessions = wizard::sign_in::mailbox_owner(
        profile,
        &inputs(None),
        &served.ctx,
        support::PUBLIC_CLIENT,
        &|_| panic!("no device code expected"),
    )
    .await
    .expect("nothing to do");
    assert!(sessions.mailbox_graph.is_none() && sessions.mailbox_outlook.is_none());
    served.fake.shutdown().await;
}

//! The browser sign-in (authorization code, PKCE, loopback redirect) against the stand-in tenant
//! served in-process. The test plays the browser: its `open` callback GETs the sign-in page
//! without following redirects (the scenario's `sign_in.as` answers at once with a redirect),
//! then GETs the `Location` — which reaches the sign-in's loopback listener.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::TimeZone;
use entra_fake_tenant::FakeTenant;
use entra_setup_core::check::CheckId;
use entra_setup_core::identity::{self, SignInError, TokenClaims};
use entra_setup_core::profile::Catalog;
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::sign_in::{Person, SignInWith};
use entra_setup_core::verify::{self, Context, Inputs, Sessions, Status};
use url::Url;

/// Microsoft Graph Command Line Tools, the public client the stand-in's scenarios list.
const PUBLIC_CLIENT: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
const MAILBOX: &str = "intranet@contoso.com";

struct StandIn {
    fake: FakeTenant,
    ctx: Context,
    _ca_dir: tempfile::TempDir,
}

async fn start() -> StandIn {
    let json = support::scenario("contoso");
    let support::Served { fake, ctx, ca_dir } = support::serve(
        json,
        chrono::Utc
            .with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
            .single()
            .expect("date"),
    )
    .await;
    StandIn {
        fake,
        ctx,
        _ca_dir: ca_dir,
    }
}

/// What the fake browser saw: every sign-in page's address, and each loopback page's text.
#[derive(Default)]
struct Seen {
    urls: Vec<Url>,
    pages: Vec<String>,
}

/// A browser that follows the sign-in page's redirect to the loopback listener, after `tamper`
/// edits the authorize URL (before) and the redirect (after).
fn browser(
    client: reqwest::Client,
    seen: Arc<Mutex<Seen>>,
    tamper_authorize: fn(&mut Url),
    tamper_redirect: fn(&mut Url),
) -> impl Fn(&Url) -> std::io::Result<()> + Send + Sync {
    move |url: &Url| {
        seen.lock().expect("lock").urls.push(url.clone());
        let mut authorize = url.clone();
        tamper_authorize(&mut authorize);
        let client = client.clone();
        let seen = seen.clone();
        tokio::spawn(async move {
            let answer = client.get(authorize).send().await.expect("sign-in page");
            assert!(answer.status().is_redirection(), "{}", answer.status());
            let location = answer
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .expect("Location");
            let mut back = Url::parse(location).expect("redirect URL");
            tamper_redirect(&mut back);
            let page = client.get(back).send().await.expect("loopback answers");
            assert_eq!(page.status(), 200);
            let text = page.text().await.expect("page");
            seen.lock().expect("lock").pages.push(text);
        });
        Ok(())
    }
}

fn untouched(_: &mut Url) {}

/// The first `n` loopback pages the fake browser read (the sign-in may return before the
/// browser has finished reading the page).
async fn pages(seen: &Mutex<Seen>, n: usize) -> Vec<String> {
    for _ in 0..100 {
        let pages = seen.lock().expect("lock").pages.clone();
        if pages.len() >= n {
            return pages;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the browser never read {n} pages");
}

fn scopes() -> Vec<String> {
    vec![
        "https://graph.microsoft.com/User.Read.All".into(),
        "offline_access".into(),
    ]
}

fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn the_administrator_and_the_mailbox_owner_sign_in_in_the_browser() {
    let stand_in = start().await;
    let seen = Arc::new(Mutex::new(Seen::default()));
    let open = browser(
        stand_in.ctx.http.client().clone(),
        seen.clone(),
        untouched,
        untouched,
    );
    let admin = identity::sign_in_with_browser(
        &stand_in.ctx.http,
        &stand_in.ctx.endpoints,
        "contoso.com",
        PUBLIC_CLIENT,
        &scopes(),
        None,
        &open,
        Duration::from_secs(30),
    )
    .await
    .expect("the administrator signs in");
    assert_eq!(admin.claims.upn.as_deref(), Some("admin@contoso.com"));
    assert_eq!(
        admin.claims.scp.as_deref(),
        Some("User.Read.All"),
        "{:?}",
        admin.claims
    );
    assert!(admin.refresh_token.is_some(), "offline_access gives one");

    let owner = identity::sign_in_with_browser(
        &stand_in.ctx.http,
        &stand_in.ctx.endpoints,
        "contoso.com",
        PUBLIC_CLIENT,
        &["https://graph.microsoft.com/Mail.Send".into()],
        Some(MAILBOX),
        &open,
        Duration::from_secs(30),
    )
    .await
    .expect("the mailbox owner signs in");
    assert_eq!(owner.claims.upn.as_deref(), Some(MAILBOX));
    assert_eq!(owner.claims.scp.as_deref(), Some("Mail.Send"));

    let pages = pages(&seen, 2).await;
    let urls = seen.lock().expect("lock").urls.clone();
    let (first, second) = (&urls[0], &urls[1]);
    assert_eq!(first.path(), "/contoso.com/oauth2/v2.0/authorize");
    for (name, value) in [
        ("client_id", PUBLIC_CLIENT),
        ("response_type", "code"),
        ("response_mode", "query"),
        ("code_challenge_method", "S256"),
        ("prompt", "select_account"),
    ] {
        assert_eq!(param(first, name).as_deref(), Some(value), "{name}");
    }
    assert_eq!(param(first, "login_hint"), None);
    assert_eq!(param(second, "login_hint").as_deref(), Some(MAILBOX));
    assert_eq!(param(second, "prompt"), None);
    let redirect = Url::parse(&param(first, "redirect_uri").expect("redirect_uri")).expect("url");
    assert_eq!(redirect.host_str(), Some("localhost"));
    assert_eq!(redirect.path(), "/");
    assert_eq!(param(first, "code_challenge").expect("challenge").len(), 43);
    assert_ne!(param(first, "state"), param(second, "state"));
    assert!(
        pages
            .iter()
            .all(|p| p.contains("You can close this tab and return to Entra Setup Wizard.")),
        "{pages:?}"
    );
    stand_in.fake.shutdown().await;
}

#[tokio::test]
async fn the_verification_signs_both_people_in_with_the_browser() {
    let stand_in = start().await;
    let seen = Arc::new(Mutex::new(Seen::default()));
    let open = browser(
        stand_in.ctx.http.client().clone(),
        seen.clone(),
        untouched,
        untouched,
    );
    let shown = Mutex::new(Vec::new());
    let catalog = Catalog::shipped();
    let profile = catalog.get("axero-m365-email").expect("shipped profile");
    let inputs = Inputs {
        tenant: "contoso.com".into(),
        client_id: None,
        secret: None,
        redirect_uri: None,
        mailbox: Some(MAILBOX.into()),
        test_recipient: Some("someone@example.com".into()),
        sessions: Sessions::default(),
    };
    let show_url = |person: &Person, url: &url::Url| {
        shown
            .lock()
            .expect("lock")
            .push((person.clone(), url.clone()))
    };
    let signed_in = verify::verify_signing_in(
        profile,
        &inputs,
        None,
        &stand_in.ctx,
        SignInWith::browser(PUBLIC_CLIENT, &open, &show_url),
        &|_| {},
    )
    .await;
    assert!(signed_in.failure.is_none());
    let upn = |token: &Option<Secret>| {
        TokenClaims::read(token.as_ref().expect("token").expose())
            .and_then(|c| c.upn)
            .expect("upn")
    };
    assert_eq!(upn(&signed_in.admin_graph), "admin@contoso.com");
    // The owner's Outlook token (SMTP AUTH) and Graph token (the test email, from the refresh
    // token) reached their checks.
    for id in [CheckId::SmtpAuth, CheckId::TestEmail] {
        let check = signed_in
            .report
            .checks
            .iter()
            .find(|c| c.id == id)
            .expect("check");
        assert_eq!(check.status, Status::Pass, "{check:#?}");
    }
    let shown = shown.into_inner().expect("lock");
    assert_eq!(shown.len(), 2);
    assert_eq!(shown[0].0, Person::Administrator);
    assert_eq!(shown[1].0, Person::MailboxOwner(MAILBOX.into()));
    assert_eq!(shown[0].1, seen.lock().expect("lock").urls[0]);
    stand_in.fake.shutdown().await;
}

#[tokio::test]
async fn a_redirect_with_another_state_is_refused() {
    let stand_in = start().await;
    let seen = Arc::new(Mutex::new(Seen::default()));
    let open = browser(
        stand_in.ctx.http.client().clone(),
        seen.clone(),
        untouched,
        |url| {
            let kept: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(k, _)| k != "state")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            url.query_pairs_mut()
                .clear()
                .extend_pairs(kept)
                .append_pair("state", "forged");
        },
    );
    let refused = identity::sign_in_with_browser(
        &stand_in.ctx.http,
        &stand_in.ctx.endpoints,
        "contoso.com",
        PUBLIC_CLIENT,
        &scopes(),
        None,
        &open,
        Duration::from_secs(30),
    )
    .await
    .expect_err("a forged state is never accepted");
    assert_eq!(refused, SignInError::StateMismatch);
    assert_eq!(refused.cause(), None);
    assert!(refused.to_string().contains("state"), "{refused}");
    let pages = pages(&seen, 1).await;
    assert!(pages[0].contains("was refused"), "{pages:?}");
    assert!(
        !pages[0].contains("1.A"),
        "the code never appears on the page"
    );
    stand_in.fake.shutdown().await;
}

#[tokio::test]
async fn a_cancelled_page_is_a_decline_and_an_error_redirect_is_a_refusal() {
    let stand_in = start().await;
    let seen = Arc::new(Mutex::new(Seen::default()));
    let cancel = browser(
        stand_in.ctx.http.client().clone(),
        seen.clone(),
        |url| {
            url.query_pairs_mut().append_pair("fake_cancel", "1");
        },
        untouched,
    );
    let declined = identity::sign_in_with_browser(
        &stand_in.ctx.http,
        &stand_in.ctx.endpoints,
        "contoso.com",
        PUBLIC_CLIENT,
        &scopes(),
        None,
        &cancel,
        Duration::from_secs(30),
    )
    .await
    .expect_err("cancelled");
    assert_eq!(declined, SignInError::Declined);

    // Two resources in one scope: the sign-in page redirects back with invalid_scope AADSTS70011.
    let open = browser(
        stand_in.ctx.http.client().clone(),
        seen.clone(),
        untouched,
        untouched,
    );
    let rejected = identity::sign_in_with_browser(
        &stand_in.ctx.http,
        &stand_in.ctx.endpoints,
        "contoso.com",
        PUBLIC_CLIENT,
        &[
            "https://graph.microsoft.com/Mail.Send".into(),
            "https://outlook.office.com/SMTP.Send".into(),
        ],
        Some(MAILBOX),
        &open,
        Duration::from_secs(30),
    )
    .await
    .expect_err("refused");
    match rejected {
        SignInError::Rejected(error) => {
            assert_eq!(error.error, "invalid_scope");
            assert_eq!(error.label(), "AADSTS70011");
        }
        other => panic!("{other:?}"),
    }
    let pages = pages(&seen, 2).await;
    assert!(pages[0].contains("cancelled"), "{pages:?}");
    assert!(pages[1].contains("AADSTS70011"), "{pages:?}");
    stand_in.fake.shutdown().await;
}

#[tokio::test]
async fn a_sign_in_nobody_finishes_expires_and_frees_the_port() {
    let stand_in = start().await;
    let opened: Arc<Mutex<Option<Url>>> = Arc::default();
    let remember = opened.clone();
    let open = move |url: &Url| {
        *remember.lock().expect("lock") = Some(url.clone());
        Err(std::io::Error::other("no browser here"))
    };
    let expired = identity::sign_in_with_browser(
        &stand_in.ctx.http,
        &stand_in.ctx.endpoints,
        "contoso.com",
        PUBLIC_CLIENT,
        &scopes(),
        None,
        &open,
        Duration::from_millis(300),
    )
    .await
    .expect_err("nobody signed in");
    assert_eq!(expired, SignInError::Expired);
    let url = opened
        .lock()
        .expect("lock")
        .clone()
        .expect("the page was opened");
    let redirect = Url::parse(&param(&url, "redirect_uri").expect("redirect_uri")).expect("url");
    let port = redirect.port().expect("port");
    tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("the port is released");
    stand_in.fake.shutdown().await;
}

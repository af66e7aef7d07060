//! Every shipped profile walked to a green summary on the demo tenant: "create it for me" for
//! the registrations the wizard makes, the paste-it-yourself path for an existing registration
//! and a vendor's app. Each step is photographed in light and dark and scanned with axe-core.

use anyhow::{Context as _, Result, ensure};
use entra_setup_tests::desktop::Desktop;

use crate::driver::*;

/// The site of the demo tenant's products.
const SITE: &str = "https://intranet.contoso.com";

/// The profiles whose product sends its mail as the application.
const SENDS_AS_APP: &[&str] = &["gitlab-graph-mailer"];

/// A product users sign in to through its Web redirect, with a mailbox step.
const WEB_WITH_MAILBOX: &[&str] = &[
    "site",
    "tenant",
    "sign_in",
    "registration",
    "secret",
    "permissions",
    "mailbox",
    "summary",
];

/// A product users sign in to through its Web redirect, without a mailbox.
const WEB: &[&str] = &[
    "site",
    "tenant",
    "sign_in",
    "registration",
    "secret",
    "permissions",
    "summary",
];

/// A background service with its own token (no redirect), and the step it checks a mailbox on.
const APP_ONLY_WITH_MAILBOX: &[&str] = &[
    "tenant",
    "sign_in",
    "registration",
    "secret",
    "permissions",
    "mailbox",
    "summary",
];
const APP_ONLY_WITH_CALENDAR: &[&str] = &[
    "tenant",
    "sign_in",
    "registration",
    "secret",
    "permissions",
    "calendar",
    "summary",
];

/// Every profile "create it for me" walks, with its steps.
const WALKS: &[(&str, &[&str])] = &[
    ("axero-outlook-calendar", WEB_WITH_MAILBOX),
    ("axero-m365-email", WEB_WITH_MAILBOX),
    ("odoo-outlook-calendar", WEB),
    ("exchange-calendar-connector", APP_ONLY_WITH_CALENDAR),
    ("gitlab-graph-mailer", APP_ONLY_WITH_MAILBOX),
    ("nextcloud-mail-microsoft", WEB_WITH_MAILBOX),
    ("freescout-microsoft", WEB_WITH_MAILBOX),
    ("odoo-outlook-mail", WEB_WITH_MAILBOX),
    ("zammad-microsoft365", WEB_WITH_MAILBOX),
    ("glpi-oauthimap", WEB_WITH_MAILBOX),
    ("wordpress-wpo365-mailer", WEB_WITH_MAILBOX),
    ("moodle-microsoft-oauth", WEB),
];

/// Walk `profile` with "create it for me" on the healthy demo tenant.
async fn create_for_me(desktop: &Desktop, profile: &str, steps: &[&str]) -> Result<()> {
    start_demo(desktop, profile).await?;
    for step in steps {
        on_step(desktop, step).await?;
        match *step {
            "site" => {
                let site = if profile.starts_with("odoo") {
                    "https://odoo.contoso.com"
                } else {
                    SITE
                };
                type_into(desktop, "input-site_url", site).await?;
                find(desktop, "redirect-uri").await?;
            }
            "tenant" => {
                type_into(desktop, "input-tenant", "contoso.com").await?;
                click(desktop, "check-again").await?;
                expect_check(desktop, "tenant", "pass").await?;
            }
            "sign_in" => {
                click(desktop, "sign-in-button").await?;
                find(desktop, "signed-in").await?;
            }
            "registration" => {
                click(desktop, "create-registration").await?;
                find(desktop, "create-registration-done").await?;
                expect_check(desktop, "client_id", "pass").await?;
            }
            "secret" => {
                find(desktop, "secret-created").await?;
                expect_check(desktop, "client_secret", "pass").await?;
                click(desktop, "reveal-secret").await?;
                find(desktop, "secret-value").await?;
            }
            "permissions" => {
                find(desktop, "permissions-table").await?;
                for id in ["api_permissions", "admin_consent", "consent_policy"] {
                    if shows(desktop, &format!("check-{id}")).await? {
                        expect_check(desktop, id, "pass").await?;
                    }
                }
            }
            "mailbox" if SENDS_AS_APP.contains(&profile) => {
                // The test email goes with the app's own token: nobody else signs in.
                type_into(desktop, "input-mailbox", "intranet@contoso.com").await?;
                type_into(desktop, "input-test_recipient", "bob@contoso.com").await?;
                ensure!(
                    !shows(desktop, "mailbox-sign-in-button").await?,
                    "{profile} offers a mailbox owner's sign-in it does not need"
                );
                click(desktop, "check-again").await?;
                expect_check(desktop, "test_email", "pass").await?;
            }
            "mailbox" => {
                type_into(desktop, "input-mailbox", "intranet@contoso.com").await?;
                if shows(desktop, "input-test_recipient").await? {
                    type_into(desktop, "input-test_recipient", "bob@contoso.com").await?;
                }
                click(desktop, "mailbox-sign-in-button").await?;
                find(desktop, "mailbox-signed-in").await?;
                expect_check(desktop, "mailbox", "pass").await?;
                for id in ["smtp_auth", "imap_auth"] {
                    if shows(desktop, &format!("check-{id}")).await? {
                        expect_check(desktop, id, "pass").await?;
                    }
                }
            }
            "calendar" => {
                type_into(desktop, "input-mailbox", "intranet@contoso.com").await?;
                click(desktop, "check-again").await?;
                expect_check(desktop, "calendar_access", "pass").await?;
            }
            "summary" => {
                find(desktop, "summary-all-passed").await?;
            }
            other => anyhow::bail!("no walk for step {other}"),
        }
        capture(desktop, &format!("{profile}-{step}")).await?;
        if *step != "summary" {
            click(desktop, "continue-button").await?;
        }
    }
    Ok(())
}

#[tokio::test]
async fn every_profile_reaches_a_green_summary_on_the_demo_tenant() -> Result<()> {
    let desktop = Desktop::start().await?;
    let result = walk_all(&desktop).await;
    let result = match result {
        Err(error) => {
            let saved = desktop.save_failure("walk-failure", &error).await;
            Err(error.context(format!("see {}", saved.display())))
        }
        ok => ok,
    };
    desktop.stop().await?;
    result
}

async fn walk_all(desktop: &Desktop) -> Result<()> {
    find(desktop, "start-screen").await?;
    capture(desktop, "start").await?;
    troubleshoot(desktop).await?;
    for (profile, steps) in WALKS {
        create_for_me(desktop, profile, steps).await?;
    }
    vendor_app(desktop).await?;
    log_holds_the_walk(desktop).await?;
    Ok(())
}

/// The app's log file holds the requests and checks of the walk, with Microsoft's request IDs,
/// and no secret, token or code; "Copy support log" (its command) answers the same text.
async fn log_holds_the_walk(desktop: &Desktop) -> Result<()> {
    let dir = desktop.home.path().join("entra-setup/logs");
    let mut text = String::new();
    for entry in
        std::fs::read_dir(&dir).with_context(|| format!("no log folder {}", dir.display()))?
    {
        text.push_str(&std::fs::read_to_string(entry?.path())?);
    }
    for expected in [
        "Entra Setup Wizard started",
        "demo tenant started",
        "check started",
        "check client_secret: pass",
        "check admin_consent: pass",
        "HTTP POST",
        "x_ms_request_id=",
        "request_id=",
        "changed in the tenant",
        "signed in",
    ] {
        ensure!(text.contains(expected), "the app's log has no {expected:?}");
    }
    for secret_shape in [
        "eyJ",
        "Bearer ",
        "client_secret=",
        "code_verifier",
        "device_code=",
        "refresh_token",
    ] {
        ensure!(
            !text.contains(secret_shape),
            "the app's log holds {secret_shape:?}"
        );
    }
    let copied = desktop
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             window.__TAURI_INTERNALS__.invoke('support_log_text').then(done, (e) => done({ failed: e }));",
            vec![],
        )
        .await?;
    let copied = copied
        .as_str()
        .with_context(|| format!("support_log_text answered {copied}"))?;
    ensure!(
        copied.contains("check client_secret: pass"),
        "the support log is not the app's log"
    );
    Ok(())
}

/// The vendor's app: its client ID pasted, its approval checked.
async fn vendor_app(desktop: &Desktop) -> Result<()> {
    start_demo(desktop, "vendor-app-consent").await?;
    scenario(desktop, "vendor-app-consent").await?;
    on_step(desktop, "tenant").await?;
    type_into(desktop, "input-tenant", "contoso.com").await?;
    click(desktop, "check-again").await?;
    expect_check(desktop, "tenant", "pass").await?;
    next(desktop, "sign_in").await?;
    click(desktop, "sign-in-button").await?;
    find(desktop, "signed-in").await?;
    next(desktop, "registration").await?;
    type_into(desktop, "input-client_id", VENDOR_APP).await?;
    click(desktop, "check-again").await?;
    expect_check(desktop, "client_id", "pass").await?;
    capture(desktop, "vendor-app-consent-registration").await?;
    next(desktop, "permissions").await?;
    expect_check(desktop, "admin_consent", "pass").await?;
    expect_check(desktop, "consent_policy", "pass").await?;
    capture(desktop, "vendor-app-consent-permissions").await?;
    next(desktop, "summary").await?;
    find(desktop, "summary-all-passed").await?;
    capture(desktop, "vendor-app-consent-summary").await?;
    Ok(())
}

/// Troubleshoot: pasted error text explained.
async fn troubleshoot(desktop: &Desktop) -> Result<()> {
    click(desktop, "troubleshoot-button").await?;
    type_into(
        desktop,
        "diagnose-input",
        "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID",
    )
    .await?;
    click(desktop, "diagnose-button").await?;
    desktop
        .wait_for("[data-testid='diagnose-findings'] [data-cause='secret_invalid']")
        .await?;
    capture(desktop, "troubleshoot").await?;
    click(desktop, "troubleshoot-back").await?;
    find(desktop, "start-screen").await?;
    Ok(())
}

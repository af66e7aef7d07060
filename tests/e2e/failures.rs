//! The failures the vendor guides warn about, one test per scenario, each shown with the right message on the right
//! step of the wizard on a broken demo tenant, and a network fault shown as "couldn't check"
//! whose retry works. Also: the app killed mid-wizard opens again on the same step, asking for
//! the secret again (it is never saved).

use std::time::Duration;

use anyhow::{Result, bail};
use entra_setup_tests::desktop::Desktop;

use crate::driver::*;

/// Start `profile` on the demo tenant playing `scenario`, with the tenant entered and checked.
async fn begin(
    desktop: &Desktop,
    profile: &str,
    scenario_name: &str,
    site: Option<&str>,
) -> Result<()> {
    start_demo(desktop, profile).await?;
    scenario(desktop, scenario_name).await?;
    if let Some(site) = site {
        on_step(desktop, "site").await?;
        type_into(desktop, "input-site_url", site).await?;
        find(desktop, "redirect-uri").await?;
        next(desktop, "tenant").await?;
    } else {
        on_step(desktop, "tenant").await?;
    }
    type_into(desktop, "input-tenant", "contoso.com").await?;
    click(desktop, "check-again").await?;
    expect_check(desktop, "tenant", "pass").await
}

async fn sign_in(desktop: &Desktop) -> Result<()> {
    go(desktop, "sign_in").await?;
    click(desktop, "sign-in-button").await?;
    find(desktop, "signed-in").await?;
    Ok(())
}

async fn paste_client_id(desktop: &Desktop, client_id: &str) -> Result<()> {
    go(desktop, "registration").await?;
    click(desktop, "mode-portal").await?;
    type_into(desktop, "input-client_id", client_id).await?;
    click(desktop, "check-again").await
}

async fn paste_secret(desktop: &Desktop, secret: &str) -> Result<()> {
    go(desktop, "secret").await?;
    click(desktop, "secret-mode-paste").await?;
    type_into(desktop, "secret-input", secret).await
}

const CALENDAR: &str = "axero-outlook-calendar";
const SITE: Option<&str> = Some("https://intranet.contoso.com");
/// Each scenario's time limit, its app's start included.
const LIMIT: Duration = Duration::from_secs(180);

/// One end-to-end test per scenario, sharing the [`with_desktop`] fixture.
macro_rules! scenario_test {
    ($test:ident, $steps:ident) => {
        #[tokio::test]
        async fn $test() -> Result<()> {
            with_desktop(stringify!($test), LIMIT, |d| Box::pin($steps(d))).await
        }
    };
}

scenario_test!(secret_id_pasted_is_caught_as_typed, secret_id_pasted);
scenario_test!(
    wrong_client_id_fails_on_the_registration_step,
    wrong_client_id
);
scenario_test!(expired_secret_fails_on_the_secret_step, expired_secret);
scenario_test!(missing_consent_is_fixed_in_place, missing_consent);
scenario_test!(redirect_uri_with_a_trailing_slash_fails, wrong_redirect_uri);
scenario_test!(
    single_tenant_odoo_app_fails_the_account_type,
    wrong_account_type
);
scenario_test!(
    smtp_auth_off_for_the_mailbox_fails_with_its_fix,
    smtp_auth_off
);
scenario_test!(
    network_fault_is_couldnt_check_and_retry_works,
    network_fault
);
scenario_test!(
    app_killed_mid_wizard_resumes_on_the_same_step,
    resume_after_a_crash
);

/// The secret ID pasted instead of its value: caught as it is pasted, before anything is asked.
async fn secret_id_pasted(desktop: &mut Desktop) -> Result<()> {
    begin(desktop, CALENDAR, "secret-id-pasted", SITE).await?;
    paste_client_id(desktop, APP).await?;
    expect_check(desktop, "client_id", "pass").await?;
    paste_secret(desktop, SECRET_ID).await?;
    let issues = find(desktop, "issues-secret").await?;
    let shown = issues.text().await?;
    if !shown.to_lowercase().contains("secret id") {
        bail!("the secret ID is not named as the mistake: {shown}");
    }
    desktop
        .wait_for("[data-testid='issues-secret'] [data-cause='secret_is_secret_id']")
        .await?;
    capture(desktop, "failure-secret-id-pasted").await
}

/// A client ID of another organisation's app.
async fn wrong_client_id(desktop: &mut Desktop) -> Result<()> {
    begin(desktop, CALENDAR, "wrong-client-id", SITE).await?;
    paste_client_id(desktop, APP).await?;
    expect_cause(desktop, "client_id", "fail", "client_id_not_found").await?;
    capture(desktop, "failure-wrong-client-id").await
}

/// An expired secret.
async fn expired_secret(desktop: &mut Desktop) -> Result<()> {
    begin(desktop, CALENDAR, "expired-secret", SITE).await?;
    paste_client_id(desktop, APP).await?;
    expect_check(desktop, "client_id", "pass").await?;
    paste_secret(desktop, SECRET).await?;
    click(desktop, "check-again").await?;
    expect_cause(desktop, "client_secret", "fail", "secret_expired").await?;
    capture(desktop, "failure-expired-secret").await
}

/// Admin consent missing: the permissions step says so and its fix grants it.
async fn missing_consent(desktop: &mut Desktop) -> Result<()> {
    begin(desktop, CALENDAR, "missing-consent", SITE).await?;
    sign_in(desktop).await?;
    paste_client_id(desktop, APP).await?;
    go(desktop, "permissions").await?;
    expect_cause(desktop, "admin_consent", "fail", "admin_consent_missing").await?;
    capture(desktop, "failure-missing-consent").await?;
    click(desktop, "fix-Calendars.ReadWrite").await?;
    expect_check(desktop, "admin_consent", "pass").await
}

/// The registered redirect URI has a trailing slash (and other letter case).
async fn wrong_redirect_uri(desktop: &mut Desktop) -> Result<()> {
    begin(desktop, CALENDAR, "wrong-redirect-uri", SITE).await?;
    sign_in(desktop).await?;
    paste_client_id(desktop, APP).await?;
    expect_cause(desktop, "redirect_uri", "fail", "redirect_uri_mismatch").await?;
    capture(desktop, "failure-redirect-uri").await
}

/// The Odoo app registered for one organisation only.
async fn wrong_account_type(desktop: &mut Desktop) -> Result<()> {
    begin(
        desktop,
        "odoo-outlook-calendar",
        "wrong-account-type",
        Some("https://odoo.contoso.com"),
    )
    .await?;
    sign_in(desktop).await?;
    paste_client_id(desktop, APP).await?;
    expect_cause(desktop, "account_type", "fail", "account_type_mismatch").await?;
    capture(desktop, "failure-account-type").await
}

/// SMTP AUTH off for the sending mailbox.
async fn smtp_auth_off(desktop: &mut Desktop) -> Result<()> {
    begin(desktop, "axero-m365-email", "smtp-auth-off-mailbox", SITE).await?;
    sign_in(desktop).await?;
    paste_client_id(desktop, APP).await?;
    go(desktop, "mailbox").await?;
    type_into(desktop, "input-mailbox", "intranet@contoso.com").await?;
    type_into(desktop, "input-test_recipient", "bob@contoso.com").await?;
    click(desktop, "mailbox-sign-in-button").await?;
    find(desktop, "mailbox-signed-in").await?;
    expect_cause(desktop, "smtp_auth", "fail", "smtp_auth_disabled_mailbox").await?;
    find(desktop, "powershell").await?;
    capture(desktop, "failure-smtp-auth-mailbox").await
}

/// Microsoft cannot be reached: "couldn't check", not a failure, and the retry works.
async fn network_fault(desktop: &mut Desktop) -> Result<()> {
    start_demo(desktop, CALENDAR).await?;
    scenario(desktop, "network-fault").await?;
    go(desktop, "tenant").await?;
    type_into(desktop, "input-tenant", "contoso.com").await?;
    click(desktop, "check-again").await?;
    expect_check(desktop, "tenant", "unverified").await?;
    capture(desktop, "failure-network").await?;
    click(desktop, "check-tenant-retry").await?;
    expect_check(desktop, "tenant", "pass").await
}

/// Kill the app on the secret step of a pasted registration; it opens on the same step, with
/// the inputs kept and the secret asked for again.
async fn resume_after_a_crash(desktop: &mut Desktop) -> Result<()> {
    begin(
        desktop,
        "axero-m365-email",
        "axero-m365-email",
        Some("https://intranet.contoso.com"),
    )
    .await?;
    paste_client_id(desktop, APP).await?;
    expect_check(desktop, "client_id", "pass").await?;
    paste_secret(desktop, SECRET).await?;
    click(desktop, "check-again").await?;
    expect_check(desktop, "client_secret", "pass").await?;

    desktop.restart().await?;
    on_step(desktop, "secret").await?;
    find(desktop, "demo-banner").await?;
    let value = find(desktop, "secret-input")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    if !value.is_empty() {
        bail!("the secret came back after a restart");
    }
    go(desktop, "registration").await?;
    click(desktop, "mode-portal").await?;
    let client_id = find(desktop, "input-client_id")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    if client_id != APP {
        bail!("the client ID was not kept: {client_id:?}");
    }
    go(desktop, "secret").await?;
    click(desktop, "secret-mode-paste").await?;
    type_into(desktop, "secret-input", SECRET).await?;
    click(desktop, "check-again").await?;
    expect_check(desktop, "client_secret", "pass").await?;

    // The paste-it-yourself path goes on to a green summary.
    sign_in(desktop).await?;
    go(desktop, "registration").await?;
    for id in ["client_id", "redirect_uri", "account_type"] {
        expect_check(desktop, id, "pass").await?;
    }
    go(desktop, "permissions").await?;
    expect_check(desktop, "admin_consent", "pass").await?;
    go(desktop, "mailbox").await?;
    type_into(desktop, "input-mailbox", "intranet@contoso.com").await?;
    type_into(desktop, "input-test_recipient", "bob@contoso.com").await?;
    click(desktop, "mailbox-sign-in-button").await?;
    find(desktop, "mailbox-signed-in").await?;
    expect_check(desktop, "test_email", "pass").await?;
    next(desktop, "summary").await?;
    find(desktop, "summary-all-passed").await?;
    capture(desktop, "pasted-axero-m365-email-summary").await
}

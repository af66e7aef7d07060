//! The hand-over on the demo tenant: a setup walked to its summary, the configuration bundle
//! exported to a typed path and its entries checked, the bundle opened again from the start
//! screen (the wizard resumes on the step the core computes), the reminders page showing the
//! exported secret, and the start screen's alert for a secret that expires in 5 days (seeded
//! before launch; the start-up check records its announced stage).

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use entra_setup_core::bundle;
use entra_setup_core::profile::Catalog;
use entra_setup_core::wizard::resume;
use entra_setup_tests::desktop::Desktop;

use crate::driver;
use fantoccini::Locator;

const PROFILE: &str = "axero-outlook-calendar";
const SEEDED_KEY: &str = "5eed0000-0000-0000-0000-000000000005";

#[tokio::test]
async fn export_reopen_and_remind_on_the_demo_tenant() -> Result<()> {
    let home = Desktop::new_home()?;
    seed_reminder(&home.path().join("entra-setup"))?;
    let desktop = Desktop::start_in(home).await?;
    let result = tokio::time::timeout(Duration::from_secs(240), walk(&desktop))
        .await
        .unwrap_or_else(|_| Err(anyhow::anyhow!("the walk did not finish within 4 minutes")));
    let result = match result {
        Err(error) => {
            let saved = desktop.save_failure("keep-failure", &error).await;
            Err(error.context(format!("see {}", saved.display())))
        }
        ok => ok,
    };
    desktop.stop().await?;
    result
}

/// A reminder for a secret expiring in 5 days, as the registry writes it.
fn seed_reminder(config: &std::path::Path) -> Result<()> {
    std::fs::create_dir_all(config)?;
    let expires = chrono::Utc::now() + chrono::Duration::days(5) + chrono::Duration::hours(2);
    let registry = serde_json::json!({
        "format": "entra-setup-reminders",
        "version": 1,
        "secrets": [{
            "tenant": "contoso.com",
            "client_id": "11111111-0000-0000-0000-0000000000aa",
            "key_id": SEEDED_KEY,
            "expires": expires.to_rfc3339(),
            "name": "Payroll sync",
            "source": "add"
        }]
    });
    std::fs::write(
        config.join("reminders.json"),
        serde_json::to_vec_pretty(&registry)?,
    )?;
    Ok(())
}

/// The test id in a `[data-testid='…']` selector.
fn test_id(css: &str) -> &str {
    css.trim_start_matches("[data-testid='")
        .trim_end_matches("']")
}

/// The element a `[data-testid='…']` selector names, waited for.
async fn find(desktop: &Desktop, css: &str) -> Result<fantoccini::elements::Element> {
    driver::find(desktop, test_id(css)).await
}

/// Click it once it is enabled (a button waits for an input saved a moment after typing).
async fn click(desktop: &Desktop, css: &str) -> Result<()> {
    eprintln!("click {css}");
    driver::click(desktop, test_id(css)).await
}

async fn type_into(desktop: &Desktop, css: &str, text: &str) -> Result<()> {
    eprintln!("type into {css}");
    driver::type_into(desktop, test_id(css), text).await
}

async fn on_step(desktop: &Desktop, step: &str) -> Result<()> {
    eprintln!("on step {step}");
    driver::on_step(desktop, step).await
}

/// Scroll an element into view before a screenshot.
async fn show(desktop: &Desktop, test_id: &str) -> Result<()> {
    desktop
        .client
        .execute(
            &format!("document.querySelector(\"[data-testid='{test_id}']\").scrollIntoView({{block: 'end'}})"),
            vec![],
        )
        .await?;
    Ok(())
}

async fn theme(desktop: &Desktop, choice: &str) -> Result<()> {
    driver::set_theme(desktop, choice).await
}

async fn walk(desktop: &Desktop) -> Result<()> {
    let config = desktop.home.path().join("entra-setup");

    // The seeded secret is announced at start and listed in the start screen's alert.
    let banner = find(desktop, "[data-testid='due-banner']")
        .await?
        .text()
        .await?;
    ensure!(banner.contains("Payroll sync"), "banner: {banner}");
    ensure!(banner.contains("in 5 days"), "banner: {banner}");
    let notified = std::fs::read_to_string(config.join("notified.json"))
        .context("the start-up check records what it announced")?;
    ensure!(notified.contains(SEEDED_KEY), "notified: {notified}");
    desktop.screenshot("keep-start-light").await?;
    theme(desktop, "dark").await?;
    desktop.screenshot("keep-start-dark").await?;
    theme(desktop, "light").await?;

    // Walk the profile on the demo tenant: site, tenant, sign-in, registration, secret.
    driver::start_demo(desktop, PROFILE).await?;
    on_step(desktop, "site").await?;
    type_into(
        desktop,
        "[data-testid='input-site_url']",
        "https://intranet.contoso.com",
    )
    .await?;
    click(desktop, "[data-testid='continue-button']").await?;
    on_step(desktop, "tenant").await?;
    type_into(desktop, "[data-testid='input-tenant']", "contoso.com").await?;
    click(desktop, "[data-testid='continue-button']").await?;
    on_step(desktop, "sign_in").await?;
    click(desktop, "[data-testid='sign-in-button']").await?;
    find(desktop, "[data-testid='signed-in']").await?;
    click(desktop, "[data-testid='continue-button']").await?;
    on_step(desktop, "registration").await?;
    click(desktop, "[data-testid='create-registration']").await?;
    find(desktop, "[data-testid='create-registration-done']").await?;
    click(desktop, "[data-testid='continue-button']").await?;
    on_step(desktop, "secret").await?;
    click(desktop, "[data-testid='create-secret']").await?;
    let made = find(desktop, "[data-testid='create-secret-done']")
        .await?
        .text()
        .await?;
    ensure!(made.contains("reminder is kept"), "changes: {made}");
    click(desktop, "[data-testid='reveal-secret']").await?;
    let value = find(desktop, "[data-testid='secret-value']")
        .await?
        .text()
        .await?
        .trim()
        .to_string();
    ensure!(value.len() > 8, "the secret's value is shown once");

    // The summary: export to a typed path.
    click(desktop, "[data-testid='step-nav-summary']").await?;
    on_step(desktop, "summary").await?;
    let out = desktop.home.path().join("contoso-bundle.zip");
    type_into(
        desktop,
        "[data-testid='export-path']",
        &out.display().to_string(),
    )
    .await?;
    click(desktop, "[data-testid='export-button']").await?;
    let done = find(desktop, "[data-testid='export-done']")
        .await?
        .text()
        .await?;
    ensure!(done.contains("contoso-bundle.zip"), "export: {done}");
    show(desktop, "export-done").await?;
    desktop.screenshot("keep-export-light").await?;
    theme(desktop, "dark").await?;
    show(desktop, "export-done").await?;
    desktop.screenshot("keep-export-dark").await?;
    theme(desktop, "light").await?;

    // The zip, read from the test: the entries, and the secret's value in none of them.
    let opened = bundle::open(&out)?;
    for entry in [
        bundle::BUNDLE_JSON,
        bundle::SETTINGS_TXT,
        bundle::REPORT_HTML,
        bundle::ROTATION_ICS,
    ] {
        ensure!(
            opened.entries.iter().any(|e| e == entry),
            "{entry} in {:?}",
            opened.entries
        );
    }
    ensure!(
        !opened.has_encrypted_secret(),
        "no secret.age without protection"
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out)?)?;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let mut text = String::new();
        std::io::Read::read_to_string(&mut entry, &mut text)?;
        ensure!(
            !text.contains(&value),
            "{} holds the secret's value",
            entry.name()?
        );
    }
    let key_id = opened
        .record
        .secret
        .key_id
        .clone()
        .context("the bundle names the secret")?;

    // Reopen it from the start screen: the wizard resumes where the core says.
    click(desktop, "[data-testid='close-wizard']").await?;
    type_into(
        desktop,
        "[data-testid='open-bundle-path']",
        &out.display().to_string(),
    )
    .await?;
    click(desktop, "[data-testid='open-bundle-demo']").await?;
    click(desktop, "[data-testid='open-bundle-button']").await?;
    let catalog = Catalog::shipped();
    let profile = catalog.get(PROFILE).context("profile")?;
    let expected = resume::from_bundle(&opened.record, profile, None).step;
    let step = serde_json::to_value(expected)?;
    on_step(desktop, step.as_str().context("step name")?).await?;
    desktop.screenshot("keep-reopened").await?;

    // A file that is not a bundle is refused with a message.
    click(desktop, "[data-testid='close-wizard']").await?;
    let not_bundle = desktop.home.path().join("notes.zip");
    std::fs::write(&not_bundle, b"not a zip")?;
    type_into(
        desktop,
        "[data-testid='open-bundle-path']",
        &not_bundle.display().to_string(),
    )
    .await?;
    click(desktop, "[data-testid='open-bundle-button']").await?;
    let refused = find(desktop, "[data-testid='open-bundle-error']")
        .await?
        .text()
        .await?;
    ensure!(
        refused.contains("not an Entra Setup Wizard bundle"),
        "refusal: {refused}"
    );

    // The reminders page: the exported secret and the seeded one, with its urgency in words.
    click(desktop, "[data-testid='reminders-button']").await?;
    find(desktop, &format!("[data-testid='reminder-row-{key_id}']")).await?;
    let seeded = find(
        desktop,
        &format!("[data-testid='reminder-row-{SEEDED_KEY}']"),
    )
    .await?
    .text()
    .await?;
    ensure!(seeded.contains("Within 7 days"), "seeded row: {seeded}");
    desktop.screenshot("keep-reminders-light").await?;
    theme(desktop, "dark").await?;
    desktop.screenshot("keep-reminders-dark").await?;
    theme(desktop, "light").await?;

    // A reminder added by hand with a bad field is refused, naming the field.
    type_into(desktop, "[data-testid='reminder-tenant']", "contoso.com").await?;
    type_into(desktop, "[data-testid='reminder-client_id']", "not-a-guid").await?;
    click(desktop, "[data-testid='reminder-add']").await?;
    let refused = find(desktop, "[data-testid='reminder-form-error']")
        .await?
        .text()
        .await?;
    ensure!(refused.starts_with("client_id"), "refusal: {refused}");

    // Removing asks first.
    click(
        desktop,
        &format!("[data-testid='reminder-remove-{SEEDED_KEY}']"),
    )
    .await?;
    click(desktop, "[data-testid='reminder-remove-confirm']").await?;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        // The row may vanish while it is being looked up (a stale element): look again.
        let rows = desktop
            .client
            .find_all(Locator::Css(&format!(
                "[data-testid='reminder-row-{SEEDED_KEY}']"
            )))
            .await;
        if rows.is_ok_and(|rows| rows.is_empty()) {
            return Ok(());
        }
    }
    anyhow::bail!("the removed reminder is still listed")
}

//! The sign-in step names the public client the app signs in with and where it came from: a
//! `sign_in_client` in `config.toml` (the file the CLI reads) is used, and another one chosen on
//! the step is kept there; the demo tenant knows the client, so the sign-in then works.

use std::time::Duration;

use anyhow::{Result, ensure};
use entra_setup_tests::desktop::Desktop;

use crate::driver::{click, find, next, on_step, start_demo, type_into, with_desktop_in};

const FROM_CONFIG: &str = "0a1b2c3d-0000-4000-8000-00000000000c";
const CHOSEN: &str = "0a1b2c3d-0000-4000-8000-00000000000d";

#[tokio::test]
async fn the_sign_in_step_names_the_client_set_in_config_toml() -> Result<()> {
    let home = Desktop::new_home()?;
    let config = home.path().join("entra-setup").join("config.toml");
    std::fs::create_dir_all(config.parent().expect("folder"))?;
    std::fs::write(
        &config,
        format!("# chosen by IT\nsign_in_client = \"{FROM_CONFIG}\"\n"),
    )?;
    with_desktop_in(
        "sign-in-client",
        home,
        Duration::from_secs(120),
        |desktop| Box::pin(steps(desktop)),
    )
    .await
}

async fn steps(desktop: &mut Desktop) -> Result<()> {
    start_demo(desktop, "axero-outlook-calendar").await?;
    on_step(desktop, "site").await?;
    next(desktop, "tenant").await?;
    type_into(desktop, "input-tenant", "contoso.com").await?;
    next(desktop, "sign_in").await?;
    let shown = find(desktop, "sign-in-client-id").await?.text().await?;
    ensure!(shown == FROM_CONFIG, "the client from config.toml: {shown}");
    let origin = find(desktop, "sign-in-client-origin").await?.text().await?;
    ensure!(
        origin.contains("config.toml"),
        "where it came from: {origin}"
    );

    click(desktop, "sign-in-client-change").await?;
    type_into(desktop, "sign-in-client-input", CHOSEN).await?;
    click(desktop, "sign-in-client-save").await?;
    // The view answers once config.toml holds the new client.
    desktop
        .wait_for(&format!(
            "[data-testid='sign-in-client-id'][data-client-id='{CHOSEN}']"
        ))
        .await?;
    let config = desktop.home.path().join("entra-setup").join("config.toml");
    let kept = std::fs::read_to_string(&config)?;
    ensure!(
        kept.contains(CHOSEN) && kept.contains("# chosen by IT"),
        "config.toml keeps the new client and its comment: {kept}"
    );

    click(desktop, "sign-in-button").await?;
    find(desktop, "signed-in").await?;
    Ok(())
}

//! The first screen: what the app is for, and the integration profiles as the core lists them.

use entra_setup_core::profile::Catalog;
use entra_setup_tests::desktop::Desktop;
use fantoccini::Locator;

#[tokio::test]
async fn start_screen_lists_the_profiles_from_core() -> anyhow::Result<()> {
    let desktop = Desktop::start().await?;
    let result = check_start_screen(&desktop).await;
    desktop.screenshot("start-screen").await?;
    desktop.stop().await?;
    result
}

async fn check_start_screen(desktop: &Desktop) -> anyhow::Result<()> {
    let heading = desktop.wait_for("h1").await?.text().await?;
    assert!(heading.contains("Entra Setup Wizard"), "heading: {heading}");

    desktop
        .wait_for("[data-testid='profile-list'] [data-testid^='profile-card-']")
        .await?;
    let cards = desktop
        .client
        .find_all(Locator::Css("[data-testid^='profile-card-']"))
        .await?;
    let mut shown = Vec::new();
    for card in &cards {
        let id = card.attr("data-testid").await?.unwrap_or_default();
        shown.push(id.trim_start_matches("profile-card-").to_string());
    }
    let expected: Vec<String> = Catalog::shipped()
        .profiles()
        .map(|p| p.id.clone())
        .collect();
    assert_eq!(
        shown, expected,
        "the cards are the core's profiles, in its order"
    );

    for profile in Catalog::shipped().profiles() {
        let card = desktop
            .client
            .find(Locator::Css(&format!(
                "[data-testid='profile-card-{}']",
                profile.id
            )))
            .await?;
        let text = card.text().await?;
        assert!(
            text.contains(&profile.title),
            "card {} shows its title: {text}",
            profile.id
        );
    }
    Ok(())
}

//! The harness's click waits for an element to stop moving: a button carried along by an
//! animation is clicked only once it is still, and the click lands on it.

use std::time::Duration;

use anyhow::{Result, bail};
use entra_setup_tests::desktop::Desktop;

use crate::driver::*;

#[tokio::test]
async fn a_moving_button_is_clicked_only_once_it_stops() -> Result<()> {
    with_desktop("actionability", Duration::from_secs(90), |d| {
        Box::pin(moving_button(d))
    })
    .await
}

async fn moving_button(desktop: &mut Desktop) -> Result<()> {
    find(desktop, "start-screen").await?;
    // A button that slides 400 px over 40 frames, then stays; it records where each click lands.
    desktop
        .client
        .execute(
            "const b = document.createElement('button');
             b.textContent = 'moving';
             b.dataset.testid = 'e2e-moving';
             b.style.cssText = 'position: fixed; top: 100px; left: 20px; z-index: 99999;';
             window.e2eClicks = [];
             window.e2eStopped = false;
             b.addEventListener('click', () => window.e2eClicks.push(window.e2eStopped));
             document.body.appendChild(b);
             let frame = 0;
             const step = () => {
               frame += 1;
               b.style.left = (20 + frame * 10) + 'px';
               if (frame < 40) requestAnimationFrame(step); else window.e2eStopped = true;
             };
             requestAnimationFrame(step);
             return true;",
            vec![],
        )
        .await?;
    click(desktop, "e2e-moving").await?;
    let clicks = desktop
        .client
        .execute("return window.e2eClicks;", vec![])
        .await?;
    if clicks != serde_json::json!([true]) {
        bail!(
            "the moving button took clicks {clicks} (true = after it stopped); expected one after it stopped"
        );
    }
    Ok(())
}

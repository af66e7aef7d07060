//! Driving the wizard like an administrator: choose an integration, type into fields, press
//! buttons, wait for live checks to settle, switch the demo scenario and the theme, and take a
//! screenshot of a step in light and dark with an accessibility scan (axe-core) of each.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use entra_setup_tests::desktop::Desktop;
use entra_setup_tests::paths;
use fantoccini::Locator;
use fantoccini::elements::Element;

/// The demo tenant's registered app, secret and secret ID (test data of the stand-in).
pub const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
pub const SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
pub const SECRET_ID: &str = "dddddddd-0000-0000-0000-000000000001";
pub const VENDOR_APP: &str = "ffffffff-0000-0000-0000-000000000001";

/// The steps of one end-to-end test, given the app to drive.
pub type Steps = for<'a> fn(&'a mut Desktop) -> Pin<Box<dyn Future<Output = Result<()>> + 'a>>;

/// The fixture every end-to-end test shares: a fresh app on its own display, bus, keychain and
/// home folder, `steps` run on it within `limit`, and on failure the screenshot, page text,
/// scroll position and logs saved as `target/e2e-screenshots/NAME-failure.*` (the error names
/// the file). The app is stopped either way.
pub async fn with_desktop(name: &str, limit: Duration, steps: Steps) -> Result<()> {
    with_desktop_in(name, Desktop::new_home()?, limit, steps).await
}

/// [`with_desktop`] with a home folder filled beforehand (a `config.toml`, saved progress).
pub async fn with_desktop_in(
    name: &str,
    home: tempfile::TempDir,
    limit: Duration,
    steps: Steps,
) -> Result<()> {
    let mut desktop = Desktop::start_in(home).await?;
    let result = match tokio::time::timeout(limit, steps(&mut desktop)).await {
        Ok(result) => result,
        Err(_) => Err(anyhow::anyhow!("{name} did not finish within {limit:?}")),
    };
    let result = match result {
        Ok(()) => Ok(()),
        Err(error) => {
            let saved = desktop
                .save_failure(&format!("{name}-failure"), &error)
                .await;
            Err(error.context(format!("{name} failed; see {}", saved.display())))
        }
    };
    let stopped = desktop.stop().await;
    result.and(stopped)
}

fn css(test_id: &str) -> String {
    format!("[data-testid='{test_id}']")
}

/// The element with `data-testid`, waited for.
pub async fn find(desktop: &Desktop, test_id: &str) -> Result<Element> {
    desktop.wait_for(&css(test_id)).await
}

/// Whether an element with `data-testid` is on screen now.
pub async fn shows(desktop: &Desktop, test_id: &str) -> Result<bool> {
    Ok(desktop
        .client
        .find(Locator::Css(&css(test_id)))
        .await
        .is_ok())
}

/// Click the element with `data-testid` once it can take the click, as a person would: it is
/// enabled, scrolled into view, its bounding box is the same across two animation frames (a
/// button carried along by a scroll or a transition is not clicked where it was a moment ago),
/// and it is the element at its own centre (nothing covers it).
pub async fn click(desktop: &Desktop, test_id: &str) -> Result<()> {
    let element = find(desktop, test_id).await?;
    // A button waits for what it needs (an input saved a moment after typing).
    let start = Instant::now();
    while !element.is_enabled().await? {
        if start.elapsed() > Duration::from_secs(10) {
            bail!("{test_id} stays disabled");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    wait_until_actionable(desktop, &element, test_id).await?;
    tokio::time::timeout(Duration::from_secs(30), element.click())
        .await
        .with_context(|| format!("clicking {test_id} did not return within 30 s"))?
        .with_context(|| format!("click {test_id}"))
}

/// Wait until `element` is in view, still across two animation frames and not covered; fail
/// naming what it is doing instead after 10 s.
pub async fn wait_until_actionable(desktop: &Desktop, element: &Element, what: &str) -> Result<()> {
    let verdict = desktop
        .client
        .execute_async(
            "const [el, done] = [arguments[0], arguments[arguments.length - 1]];
             const box = () => { const r = el.getBoundingClientRect();
                                 return [r.x, r.y, r.width, r.height].join(','); };
             const deadline = performance.now() + 10000;
             el.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
             let last = box(), still = 0;
             const frame = () => {
               const now = box();
               still = now === last ? still + 1 : 0;
               last = now;
               const r = el.getBoundingClientRect();
               const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
               const free = hit !== null && (hit === el || el.contains(hit));
               if (still >= 2 && r.width > 0 && r.height > 0 && free) return done('ok');
               if (performance.now() > deadline) {
                 return done(still < 2 ? 'still moving: ' + now
                   : !free ? 'covered by ' + (hit ? hit.outerHTML.slice(0, 120) : 'nothing')
                   : 'has no size');
               }
               requestAnimationFrame(frame);
             };
             requestAnimationFrame(frame);",
            vec![serde_json::to_value(element)?],
        )
        .await
        .with_context(|| format!("wait until {what} can be clicked"))?;
    match verdict.as_str() {
        Some("ok") => Ok(()),
        other => bail!("{what} cannot be clicked: {}", other.unwrap_or("no answer")),
    }
}

/// Type into the input with `data-testid`.
pub async fn type_into(desktop: &Desktop, test_id: &str, text: &str) -> Result<()> {
    let input = find(desktop, test_id).await?;
    input.clear().await.ok();
    input
        .send_keys(text)
        .await
        .with_context(|| format!("type into {test_id}"))
}

/// Choose `value` in the `<select>` with `data-testid`.
pub async fn choose(desktop: &Desktop, test_id: &str, value: &str) -> Result<()> {
    find(desktop, test_id)
        .await?
        .select_by_value(value)
        .await
        .with_context(|| format!("choose {value} in {test_id}"))
}

/// Wait until the wizard shows `step`.
pub async fn on_step(desktop: &Desktop, step: &str) -> Result<()> {
    desktop
        .wait_for(&format!(
            "[data-testid='wizard-screen'][data-step='{step}']"
        ))
        .await
        .map(|_| ())
        .with_context(|| format!("the wizard does not show the {step} step"))
}

/// Go to `step` with the step list.
pub async fn go(desktop: &Desktop, step: &str) -> Result<()> {
    click(desktop, &format!("step-nav-{step}")).await?;
    on_step(desktop, step).await
}

/// Press Continue and wait for `step`.
pub async fn next(desktop: &Desktop, step: &str) -> Result<()> {
    click(desktop, "continue-button").await?;
    on_step(desktop, step).await
}

/// Wait until the check `id` shows `status`; on timeout say what it shows instead.
pub async fn expect_check(desktop: &Desktop, id: &str, status: &str) -> Result<()> {
    let selector = format!("[data-testid='check-{id}']");
    let start = Instant::now();
    loop {
        if let Ok(item) = desktop.client.find(Locator::Css(&selector)).await
            && item.attr("data-status").await?.as_deref() == Some(status)
        {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(30) {
            let shown = match desktop.client.find(Locator::Css(&selector)).await {
                Ok(item) => format!(
                    "{:?}: {}",
                    item.attr("data-status").await?,
                    item.text().await?
                ),
                Err(_) => "no such check on screen".into(),
            };
            bail!("check {id} is not {status} after 30 s; it shows {shown}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Wait until check `id` shows `status` with cause `cause`.
pub async fn expect_cause(desktop: &Desktop, id: &str, status: &str, cause: &str) -> Result<()> {
    expect_check(desktop, id, status).await?;
    let shown = find(desktop, &format!("check-{id}-cause"))
        .await?
        .text()
        .await?;
    if shown.trim() != cause {
        bail!("check {id} names cause {shown}, expected {cause}");
    }
    Ok(())
}

/// Start `profile` on the demo tenant from the start screen (leaving any setup under way).
pub async fn start_demo(desktop: &Desktop, profile: &str) -> Result<()> {
    if desktop
        .client
        .find(Locator::Css(&css("close-wizard")))
        .await
        .is_ok()
    {
        click(desktop, "close-wizard").await?;
    }
    click(desktop, &format!("profile-card-{profile}")).await?;
    desktop
        .wait_for(&format!(
            "[data-testid='profile-card-{profile}'][aria-checked='true']"
        ))
        .await
        .with_context(|| format!("clicking the {profile} card did not select it"))?;
    click(desktop, "demo-button").await?;
    // The click had its effect: the rehearsal started, or the start screen says why not.
    desktop
        .wait_for("[data-testid='demo-banner'], [data-testid='start-error']")
        .await
        .context("clicking \"Rehearse on a demo tenant\" started nothing")?;
    if shows(desktop, "start-error").await? {
        let why = find(desktop, "start-error").await?.text().await?;
        bail!("the demo tenant did not start: {why}");
    }
    Ok(())
}

/// Play another demo scenario.
pub async fn scenario(desktop: &Desktop, name: &str) -> Result<()> {
    // The picker lists the scenarios once the shell has sent them.
    desktop
        .wait_for(&format!(
            "[data-testid='demo-scenario'] option[value='{name}']"
        ))
        .await?;
    choose(desktop, "demo-scenario", name).await?;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        let value = find(desktop, "demo-scenario")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        let described = find(desktop, "demo-description").await?.text().await?;
        if value == name && !described.is_empty() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("the demo tenant did not switch to {name}")
}

/// Screenshot the screen as `name` in light and in dark, and scan each with axe-core: no
/// serious or critical violation.
pub async fn capture(desktop: &Desktop, name: &str) -> Result<()> {
    for theme in ["light", "dark"] {
        set_theme(desktop, theme).await?;
        desktop.screenshot(&format!("{name}-{theme}")).await?;
        accessibility_scan(desktop, &format!("{name} ({theme})")).await?;
    }
    set_theme(desktop, "light").await
}

/// Choose the `light` or `dark` theme and wait until the page shows it: the app marks its root
/// with the theme it renders, and the colour transitions it starts (Fluent's buttons fade
/// theirs) have finished.
pub async fn set_theme(desktop: &Desktop, theme: &str) -> Result<()> {
    choose(desktop, "theme-choice", theme).await?;
    desktop
        .wait_for(&format!("[data-theme='{theme}']"))
        .await
        .with_context(|| format!("the app does not turn {theme}"))?;
    settle(desktop)
        .await
        .with_context(|| format!("the {theme} theme does not settle"))
}

/// Wait until no finite CSS transition or animation runs, two animation frames in a row (a
/// spinner that turns for ever does not count); fail naming what still moves after 10 s.
pub async fn settle(desktop: &Desktop) -> Result<()> {
    let verdict = desktop
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const deadline = performance.now() + 10000;
             const moving = () => document.getAnimations().filter((a) =>
               a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity);
             let still = 0;
             const frame = () => {
               const now = moving();
               still = now.length === 0 ? still + 1 : 0;
               if (still >= 2) return done('ok');
               if (performance.now() > deadline) {
                 return done('still moving: ' + now.map((a) =>
                   (a.transitionProperty || a.animationName || 'animation') + ' on ' +
                   (a.effect?.target?.outerHTML ?? '?').slice(0, 80)).join('; '));
               }
               requestAnimationFrame(frame);
             };
             requestAnimationFrame(frame);",
            vec![],
        )
        .await?;
    match verdict.as_str() {
        Some("ok") => Ok(()),
        other => bail!("{}", other.unwrap_or("no answer")),
    }
}

/// Run axe-core on the page at rest; fail on serious or critical violations. While axe runs,
/// transitions are off and animations paused: a change the page makes meanwhile (a button
/// enabled when a check ends, which Fluent fades in) shows its final colours at once, so colour
/// contrast is never measured halfway through a fade.
pub async fn accessibility_scan(desktop: &Desktop, what: &str) -> Result<()> {
    let loaded = desktop
        .client
        .execute("return typeof window.axe !== 'undefined';", vec![])
        .await?;
    if loaded != serde_json::Value::Bool(true) {
        let axe = std::fs::read_to_string(
            paths::workspace_root().join("ui/node_modules/axe-core/axe.min.js"),
        )
        .context("ui/node_modules/axe-core/axe.min.js (npm ci in ui/)")?;
        desktop.client.execute(&axe, vec![]).await?;
    }
    let result = desktop
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const still = document.createElement('style');
             still.textContent = '*, *::before, *::after { transition: none !important; ' +
               'animation-play-state: paused !important; }';
             document.head.append(still);
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                              nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })))
               .catch(e => [{ id: 'axe-error', help: String(e) }])
               .then(found => { still.remove(); done(found); });",
            vec![],
        )
        .await?;
    let violations = result.as_array().cloned().unwrap_or_default();
    if !violations.is_empty() {
        bail!(
            "accessibility violations on {what}: {}",
            serde_json::to_string_pretty(&violations)?
        );
    }
    Ok(())
}

//! Desktop notifications before client secrets expire: at start and then daily while the app
//! runs, the core says which secrets reached a new stage (30, 14, 7, 1 days, expired) since it
//! last told, and each is shown once as a notification (tauri-plugin-notification).
//!
//! "Daily" is the wall clock's (the core's `daily_check_due`), looked at every
//! `WAKE_INTERVAL`: a timer's own clock stops while a laptop sleeps, so a daily timer alone would
//! check a day after waking instead of at once.

use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

use entra_setup_core::reminders::{WAKE_INTERVAL, daily_check_due};

use crate::state::AppState;

/// Check now and then daily, for as long as the app runs.
pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut interval = tokio::time::interval(WAKE_INTERVAL);
        let mut last = None;
        loop {
            interval.tick().await;
            let now = match app.try_state::<AppState>() {
                Some(state) => state.safekeeping.now(),
                None => continue,
            };
            if !daily_check_due(last, now) {
                continue;
            }
            last = Some(now);
            // Reading the registry and showing notifications block (D-Bus on Linux): they run
            // on the blocking pool, never on the runtime's workers.
            let app = app.clone();
            let _ = tauri::async_runtime::spawn_blocking(move || check(&app)).await;
        }
    });
}

/// Announce what reached a new stage.
fn check(app: &AppHandle) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    let keep = &state.safekeeping;
    let announced = keep
        .registry()
        .list()
        .and_then(|list| keep.notified().announce(&list, keep.now()));
    match announced {
        Ok(announcements) => {
            for a in announcements {
                if let Err(e) = app
                    .notification()
                    .builder()
                    .title(&a.title)
                    .body(&a.body)
                    .show()
                {
                    eprintln!(
                        "Entra Setup Wizard: a reminder could not be shown as a notification: {e}"
                    );
                }
            }
        }
        Err(e) => eprintln!(
            "Entra Setup Wizard: the reminders could not be checked: {}",
            entra_setup_core::error_text::with_sources(&e)
        ),
    }
}

//! Desktop notifications before client secrets expire: at start and then daily while the app
//! runs, the core says which secrets reached a new stage (30, 14, 7, 1 days, expired) since it
//! last told, and each is shown once as a notification (tauri-plugin-notification).

use std::time::Duration;

use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;

const DAILY: Duration = Duration::from_secs(24 * 60 * 60);

/// Check now and then daily, for as long as the app runs.
pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut interval = tokio::time::interval(DAILY);
        loop {
            interval.tick().await;
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
        Err(e) => eprintln!("Entra Setup Wizard: the reminders could not be checked: {e}"),
    }
}

//! The progress display on stderr while checks run (hidden with `--no-progress`, and by
//! itself when stderr is not a terminal).

use entra_setup_core::verify::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar over the profile's checks.
pub struct Display {
    bar: ProgressBar,
}

impl Display {
    /// A bar for `total` checks.
    pub fn new(total: usize, hidden: bool) -> Display {
        let target = if hidden {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(total as u64), target);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Display { bar }
    }

    /// Show an event.
    pub fn on(&self, event: &Progress) {
        match event {
            Progress::Started { id } => self.bar.set_message(format!("checking {id}…")),
            Progress::Finished { result } => {
                self.bar.inc(1);
                self.bar
                    .set_message(format!("{} {}", result.id, result.status));
            }
        }
    }

    /// Print something else on stderr (a sign-in prompt) without the bar drawing over it.
    pub fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        self.bar.suspend(print)
    }

    /// Remove the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

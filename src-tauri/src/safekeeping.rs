//! Where the desktop app keeps what outlives a setup: client secrets in the OS keychain, the
//! reminders registry, the announced reminder stages and the desktop settings — all the core's,
//! reached through one [`Safekeeping`] value built by one constructor that tests reuse with
//! their own folder and an in-memory keychain.
//!
//! The secret the wizard made in this run is remembered here by its key id, hint and expiry
//! (never its value, which stays in [`crate::state::Memory`]).

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use entra_setup_core::desktop_settings::{DesktopSettings, DesktopSettingsFile};
use entra_setup_core::paths::AppPaths;
use entra_setup_core::reminders::{self, Clock, Notified, Registry};
use entra_setup_core::secrets::{KeyringStore, SecretStore};
use entra_setup_core::wizard::export::MadeSecret;

/// Secrets, reminders and settings.
pub struct Safekeeping {
    store: Arc<dyn SecretStore>,
    registry: Registry,
    notified: Notified,
    settings: DesktopSettingsFile,
    clock: Box<dyn Clock>,
    made: Mutex<Option<MadeSecret>>,
}

impl std::fmt::Debug for Safekeeping {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Safekeeping")
            .field("registry", &self.registry)
            .finish_non_exhaustive()
    }
}

impl Safekeeping {
    /// Over `paths`' config folder with `store` and `clock`.
    pub fn new(paths: &AppPaths, store: Arc<dyn SecretStore>, clock: Box<dyn Clock>) -> Self {
        let dir = paths.config_dir();
        Safekeeping {
            store,
            registry: Registry::new(paths),
            notified: Notified::at(dir),
            settings: DesktopSettingsFile::at(dir),
            clock,
            made: Mutex::new(None),
        }
    }

    /// Over `paths`, the OS keychain and the clock of `ENTRA_SETUP_NOW` (or the system's).
    pub fn from_paths(paths: &AppPaths) -> Self {
        let clock = reminders::clock_from_env().unwrap_or_else(|problem| {
            eprintln!("Entra Setup Wizard: {problem}; using the system clock");
            Box::new(reminders::SystemClock)
        });
        Self::new(paths, Arc::new(KeyringStore::default()), clock)
    }

    /// The keychain (its calls block: run them with `spawn_blocking`).
    pub fn store(&self) -> Arc<dyn SecretStore> {
        Arc::clone(&self.store)
    }

    /// The reminders.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The announced stages.
    pub fn notified(&self) -> &Notified {
        &self.notified
    }

    /// Now, by the injected clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The desktop settings.
    pub fn settings(&self) -> DesktopSettings {
        self.settings.load()
    }

    /// Save the desktop settings.
    pub fn save_settings(&self, settings: &DesktopSettings) -> std::io::Result<()> {
        self.settings.save(settings)
    }

    /// The secret made in this run, if any.
    pub fn made(&self) -> Option<MadeSecret> {
        self.made
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Remember (or forget) the secret made in this run.
    pub fn set_made(&self, made: Option<MadeSecret>) {
        *self
            .made
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = made;
    }
}

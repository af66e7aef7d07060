//! The wizard's state on disk: `wizard.json` in the config folder, written atomically — a
//! temporary file beside it, written and fsynced, renamed over the old one, then the folder
//! fsynced — so a crash at any moment leaves either the old state or the new one, never half.
//!
//! A file that cannot be used (damaged, or written by another version) is never deleted nor
//! silently ignored: [`WizardStore::load_or_set_aside`] renames it beside itself
//! (`wizard.json.set-aside-…`) and says so, so that the admin can start over without losing it.

use std::path::{Path, PathBuf};

use super::state::{STATE_VERSION, WizardState};
use crate::paths::AppPaths;

/// The file's name in the config folder.
pub const STATE_FILE: &str = "wizard.json";

/// Why the state could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum WizardStoreError {
    /// The file or its folder cannot be read or written.
    #[error("cannot {action} the wizard's progress file {}", .path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// Which file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a wizard state (damaged, or from another version).
    #[error("the wizard's progress file {} is damaged", .path.display())]
    Damaged {
        /// Which file.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: serde_json::Error,
    },
}

/// A saved state that could not be used, kept under another name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    /// Where it is now.
    pub path: PathBuf,
    /// Why it could not be used, for people.
    pub reason: String,
}

/// What [`WizardStore::load_or_set_aside`] found.
#[derive(Debug)]
pub enum Loaded {
    /// No saved state.
    Nothing,
    /// The saved state, to resume.
    Resumed(Box<WizardState>),
    /// A saved state that could not be used, now kept as [`SetAside::path`].
    SetAside(SetAside),
}

/// Where the state lives.
#[derive(Debug, Clone)]
pub struct WizardStore {
    path: PathBuf,
}

impl WizardStore {
    /// The store in `paths`' config folder.
    pub fn new(paths: &AppPaths) -> WizardStore {
        WizardStore {
            path: paths.config_dir().join(STATE_FILE),
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved state; `None` when there is none or it is of another version.
    pub fn load(&self) -> Result<Option<WizardState>, WizardStoreError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(self.io("read", source)),
        };
        let damaged = |source| WizardStoreError::Damaged {
            path: self.path.clone(),
            source,
        };
        // The version first: another version's state need not parse as this one's.
        let raw: serde_json::Value = serde_json::from_str(&text).map_err(damaged)?;
        match raw.get("version").and_then(serde_json::Value::as_u64) {
            Some(version) if version != u64::from(STATE_VERSION) => return Ok(None),
            _ => {}
        }
        let state: WizardState = serde_json::from_value(raw).map_err(damaged)?;
        Ok(Some(state))
    }

    /// The saved state, or — when it cannot be used (damaged, or of another version) — the file
    /// renamed to `wizard.json.set-aside-<now>` and why, so that a new setup does not overwrite it.
    pub fn load_or_set_aside(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Loaded, WizardStoreError> {
        let reason = match self.load() {
            Ok(Some(state)) => return Ok(Loaded::Resumed(Box::new(state))),
            Ok(None) if !self.path.exists() => return Ok(Loaded::Nothing),
            Ok(None) => "it was saved by another version of Entra Setup Wizard".to_string(),
            Err(WizardStoreError::Damaged { source, .. }) => {
                format!("it is damaged ({source})")
            }
            Err(other) => return Err(other),
        };
        let mut name = self.path.as_os_str().to_owned();
        name.push(format!(".set-aside-{}", now.format("%Y%m%dT%H%M%SZ")));
        let aside = PathBuf::from(name);
        std::fs::rename(&self.path, &aside).map_err(|e| self.io("set aside", e))?;
        Ok(Loaded::SetAside(SetAside {
            path: aside,
            reason,
        }))
    }

    /// Save `state` atomically.
    pub fn save(&self, state: &WizardState) -> Result<(), WizardStoreError> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| self.io("create the folder of", e))?;
        let text =
            serde_json::to_vec_pretty(state).map_err(|source| WizardStoreError::Damaged {
                path: self.path.clone(),
                source,
            })?;
        // A temporary file of its own per save (two saves at once must not share one).
        let written = crate::atomic_file::write(&self.path, &text);
        written.map_err(|e| self.io("write", e))
    }

    /// Forget the saved state (a new setup).
    pub fn clear(&self) -> Result<(), WizardStoreError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.io("remove", e)),
        }
    }

    fn io(&self, action: &'static str, source: std::io::Error) -> WizardStoreError {
        WizardStoreError::Io {
            action,
            path: self.path.clone(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_or_foreign_file_is_set_aside_not_lost() {
        let dir = tempfile::tempdir().expect("dir");
        let store = WizardStore::new(&AppPaths::under(dir.path()));
        let now = chrono::DateTime::parse_from_rfc3339("2026-12-07T06:30:00Z")
            .expect("time")
            .with_timezone(&chrono::Utc);
        assert!(matches!(
            store.load_or_set_aside(now).expect("nothing"),
            Loaded::Nothing
        ));
        std::fs::create_dir_all(store.path().parent().expect("folder")).expect("folder");
        for (text, why) in [
            ("{\"version\": 1, \"profile\":", "damaged"),
            ("{\"version\": 999999}", "another version"),
        ] {
            std::fs::write(store.path(), text).expect("write");
            let Loaded::SetAside(aside) = store.load_or_set_aside(now).expect("set aside") else {
                panic!("{text} was not set aside");
            };
            assert!(aside.reason.contains(why), "{}", aside.reason);
            assert_eq!(std::fs::read_to_string(&aside.path).expect("kept"), text);
            assert!(
                aside
                    .path
                    .to_string_lossy()
                    .ends_with("wizard.json.set-aside-20261207T063000Z")
            );
            assert!(!store.path().exists(), "a new setup starts afresh");
            std::fs::remove_file(&aside.path).expect("clean");
        }
    }
    use crate::check::CheckId;
    use crate::profile::{Catalog, WizardStep};
    use crate::wizard::InputField;

    fn sample() -> WizardState {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-m365-email").expect("profile");
        let mut state = WizardState::new(profile, Some("contoso".into()));
        state.set_input(InputField::Tenant, "contoso.com");
        state.set_input(InputField::SiteUrl, "https://intranet.contoso.com");
        assert!(state.go(profile, WizardStep::Secret));
        state.record(&[crate::verify::outcome::pass(
            CheckId::Tenant,
            "found",
            serde_json::json!({"tenant_id": "11111111-2222-3333-4444-555555555555"}),
        )]);
        state
    }

    #[test]
    fn nothing_saved_is_none() {
        let home = tempfile::tempdir().expect("temp");
        let store = WizardStore::new(&AppPaths::under(home.path()));
        assert!(store.load().expect("load").is_none());
    }

    #[test]
    fn a_saved_state_loads_back_on_the_same_step() {
        let home = tempfile::tempdir().expect("temp");
        let store = WizardStore::new(&AppPaths::under(home.path().join("deeper")));
        let state = sample();
        store.save(&state).expect("save");
        let loaded = store.load().expect("load").expect("saved state");
        assert_eq!(loaded, state);
        assert_eq!(loaded.step, WizardStep::Secret);
    }

    #[test]
    fn saving_leaves_no_temporary_file_and_replaces_the_old_state() {
        let home = tempfile::tempdir().expect("temp");
        let store = WizardStore::new(&AppPaths::under(home.path()));
        let mut state = sample();
        store.save(&state).expect("save");
        state.step = WizardStep::Permissions;
        store.save(&state).expect("save again");
        let names: Vec<String> = std::fs::read_dir(home.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [STATE_FILE]);
        assert_eq!(
            store.load().expect("load").map(|s| s.step),
            Some(WizardStep::Permissions)
        );
    }

    #[test]
    fn a_damaged_file_is_an_error_naming_it() {
        let home = tempfile::tempdir().expect("temp");
        let store = WizardStore::new(&AppPaths::under(home.path()));
        std::fs::write(store.path(), "{ half").expect("write");
        let error = store.load().expect_err("damaged");
        assert!(error.to_string().contains(STATE_FILE), "{error}");
    }

    #[test]
    fn another_version_is_not_resumed_and_clear_forgets() {
        let home = tempfile::tempdir().expect("temp");
        let store = WizardStore::new(&AppPaths::under(home.path()));
        let mut state = sample();
        state.version = STATE_VERSION + 1;
        store.save(&state).expect("save");
        assert!(store.load().expect("load").is_none());
        store.clear().expect("clear");
        store.clear().expect("clear twice");
        assert!(!store.path().exists());
    }

    #[test]
    fn the_saved_file_holds_no_secret_field() {
        let home = tempfile::tempdir().expect("temp");
        let store = WizardStore::new(&AppPaths::under(home.path()));
        store.save(&sample()).expect("save");
        let text = std::fs::read_to_string(store.path()).expect("read");
        let json: serde_json::Value = serde_json::from_str(&text).expect("json");
        let inputs = json["inputs"].as_object().expect("inputs");
        assert!(inputs.keys().all(|k| !k.contains("secret")), "{inputs:?}");
        assert!(!text.contains("Xy7Q~"));
    }
}

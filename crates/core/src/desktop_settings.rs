//! The desktop app's own settings: whether closing the window keeps it in the tray, and whether
//! it starts at login. Both are off until the admin turns them on. Kept in `desktop.json` in the
//! config folder, written atomically; a missing or unreadable file means the defaults.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic_file;

/// The settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DesktopSettings {
    /// Closing the window keeps the app running in the tray (reminders keep being checked).
    #[serde(default)]
    pub keep_in_tray: bool,
    /// The app starts when the admin logs in.
    #[serde(default)]
    pub start_at_login: bool,
}

/// Where the settings are kept.
#[derive(Debug, Clone)]
pub struct DesktopSettingsFile {
    file: PathBuf,
}

impl DesktopSettingsFile {
    /// The file in `dir` (the config folder).
    pub fn at(dir: &Path) -> DesktopSettingsFile {
        DesktopSettingsFile {
            file: dir.join("desktop.json"),
        }
    }

    /// The settings, the defaults when none are saved.
    pub fn load(&self) -> DesktopSettings {
        std::fs::read_to_string(&self.file)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Save the settings atomically.
    pub fn save(&self, settings: &DesktopSettings) -> std::io::Result<()> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?;
        atomic_file::write(&self.file, &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_until_turned_on_and_kept_across_loads() {
        let dir = tempfile::tempdir().expect("dir");
        let file = DesktopSettingsFile::at(dir.path());
        assert_eq!(file.load(), DesktopSettings::default());
        let on = DesktopSettings {
            keep_in_tray: true,
            start_at_login: false,
        };
        file.save(&on).expect("save");
        assert_eq!(DesktopSettingsFile::at(dir.path()).load(), on);
    }
}

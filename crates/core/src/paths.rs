//! Where the program keeps its files: saved progress, reminders, logs and the admin's own profiles.
//!
//! `ENTRA_SETUP_HOME=DIR` puts every file under DIR (contracts/cli.md); otherwise the platform's
//! config and data folders are used. This module only computes paths; creating and writing the
//! files belongs to the modules that own them.

use std::path::{Path, PathBuf};

/// The environment variable that moves every file the program keeps under one folder.
pub const HOME_ENV: &str = "ENTRA_SETUP_HOME";

/// The folders the program keeps its files in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    config: PathBuf,
    data: PathBuf,
}

/// The platform gave no folder for application files (no home directory).
#[derive(Debug, thiserror::Error)]
#[error("no folder for the program's files: set {HOME_ENV} to a folder")]
pub struct NoHomeFolder;

impl AppPaths {
    /// Every file under `home`, as `ENTRA_SETUP_HOME` asks.
    pub fn under(home: impl Into<PathBuf>) -> Self {
        let home = home.into();
        AppPaths {
            config: home.clone(),
            data: home,
        }
    }

    /// From `ENTRA_SETUP_HOME` when set and not empty, otherwise the platform's folders
    /// (`~/.config/entra-setup` and `~/.local/share/entra-setup` on Linux, the Application
    /// Support folder on macOS, `%APPDATA%` on Windows).
    pub fn from_env() -> Result<Self, NoHomeFolder> {
        match std::env::var_os(HOME_ENV) {
            Some(home) if !home.is_empty() => Ok(AppPaths::under(home)),
            _ => {
                let dirs =
                    directories::ProjectDirs::from("", "", "entra-setup").ok_or(NoHomeFolder)?;
                Ok(AppPaths {
                    config: dirs.config_dir().to_path_buf(),
                    data: dirs.data_dir().to_path_buf(),
                })
            }
        }
    }

    /// The configuration folder (settings, the admin's own profiles).
    pub fn config_dir(&self) -> &Path {
        &self.config
    }

    /// The data folder (saved progress, reminders, logs).
    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    /// The desktop app's log files (`logs/` in the data folder).
    pub fn logs_dir(&self) -> PathBuf {
        self.data.join("logs")
    }

    /// The settings file (`config.toml` in the configuration folder), e.g. `sign_in_client`.
    pub fn config_file(&self) -> PathBuf {
        self.config.join("config.toml")
    }

    /// Where the admin puts their own integration profiles (`*.toml`).
    pub fn user_profiles_dir(&self) -> PathBuf {
        self.config.join("profiles")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_holds_everything() {
        let paths = AppPaths::under("/tmp/es-home");
        assert_eq!(paths.config_dir(), Path::new("/tmp/es-home"));
        assert_eq!(paths.data_dir(), Path::new("/tmp/es-home"));
        assert_eq!(
            paths.user_profiles_dir(),
            Path::new("/tmp/es-home/profiles")
        );
    }
}

//! The app's state: what every command may use, built once at start by one constructor that
//! tests reuse with their own folders.

use entra_setup_core::paths::{AppPaths, NoHomeFolder};
use entra_setup_core::profile::{Catalog, CatalogError, ProfileSummary};

/// Everything the commands share.
#[derive(Debug)]
pub struct AppState {
    paths: AppPaths,
}

impl AppState {
    /// State over the given folders.
    pub fn new(paths: AppPaths) -> Self {
        AppState { paths }
    }

    /// State over `ENTRA_SETUP_HOME` or the platform's folders.
    pub fn from_env() -> Result<Self, NoHomeFolder> {
        Ok(AppState::new(AppPaths::from_env()?))
    }

    /// The shipped profiles and the admin's own, read afresh so that a profile the admin just
    /// added appears without a restart.
    pub fn profile_summaries(&self) -> Result<Vec<ProfileSummary>, CatalogError> {
        Ok(Catalog::with_user_dir(&self.paths.user_profiles_dir())?.summaries())
    }
}

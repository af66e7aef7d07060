//! The app's state: what every command may use, built once at start by one constructor that
//! tests reuse with their own folders.
//!
//! The wizard's state is the core's [`WizardState`], saved through the core's [`WizardStore`]
//! after every change. What must never be saved — the client secret, the signed-in people's
//! tokens — lives only here, in memory, as the core's [`Secret`].

use std::sync::{Mutex, MutexGuard};

use entra_setup_core::endpoints::{Cloud, Endpoints};
use entra_setup_core::http::{Http, RetryPolicy};
use entra_setup_core::paths::{AppPaths, NoHomeFolder};
use entra_setup_core::profile::{Catalog, CatalogError, Profile, ProfileSummary};
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::{Context, Sessions};
use entra_setup_core::wizard::{WizardState, WizardStore};

use crate::demo::DemoTenant;
use crate::ipc_error::{IpcError, IpcErrorCode};
use crate::safekeeping::Safekeeping;

/// A secret the wizard created, as shown (never the value).
#[derive(Debug, Clone)]
pub struct CreatedSecret {
    /// The value's first three characters.
    pub hint: String,
    /// When it stops working.
    pub expires: chrono::DateTime<chrono::Utc>,
    /// Whether the admin already had it shown once.
    pub revealed: bool,
}

/// What lives only in memory: the secret and the sign-ins.
#[derive(Debug, Default)]
pub struct Memory {
    /// The client secret's value (pasted or created).
    pub secret: Option<Secret>,
    /// The secret the wizard created in this run.
    pub created: Option<CreatedSecret>,
    /// The administrator's Graph token (read and repair scopes) and who they are.
    pub admin: Option<(Secret, String)>,
    /// The mailbox owner's tokens and who they are.
    pub mailbox: Option<(Sessions, String)>,
}

impl Memory {
    /// The verification's sessions from the sign-ins so far.
    pub fn sessions(&self) -> Sessions {
        let mut sessions = self
            .mailbox
            .as_ref()
            .map(|(s, _)| s.clone())
            .unwrap_or_default();
        sessions.admin_graph = self.admin.as_ref().map(|(token, _)| token.clone());
        sessions
    }
}

/// Everything the commands share.
pub struct AppState {
    paths: AppPaths,
    store: WizardStore,
    wizard: Mutex<Option<WizardState>>,
    memory: Mutex<Memory>,
    http: Http,
    endpoints: Endpoints,
    /// The running demo tenant, when rehearsing.
    pub demo: tokio::sync::Mutex<Option<DemoTenant>>,
    /// The keychain, the reminders and the desktop settings.
    pub safekeeping: Safekeeping,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("paths", &self.paths)
            .finish_non_exhaustive()
    }
}

/// A lock that survives a panic in another command (the data is still consistent: every
/// change is a single assignment).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    /// State over the given folders, against Microsoft's global cloud.
    pub fn new(paths: AppPaths) -> Self {
        Self::with_endpoints(paths, Endpoints::for_cloud(Cloud::Global))
    }

    /// State over the given folders and endpoints.
    pub fn with_endpoints(paths: AppPaths, endpoints: Endpoints) -> Self {
        let http = Http::new(RetryPolicy::default()).unwrap_or_else(|_| {
            // Building the client fails only without a TLS backend, which rustls always has.
            Http::new(RetryPolicy::default()).expect("HTTP client")
        });
        AppState {
            safekeeping: Safekeeping::from_paths(&paths),
            store: WizardStore::new(&paths),
            paths,
            wizard: Mutex::new(None),
            memory: Mutex::new(Memory::default()),
            http,
            endpoints,
            demo: tokio::sync::Mutex::new(None),
        }
    }

    /// State over `ENTRA_SETUP_HOME` (or the platform's folders) and `ENTRA_SETUP_ENDPOINTS`
    /// (or Microsoft's global cloud).
    pub fn from_env() -> Result<Self, NoHomeFolder> {
        let paths = AppPaths::from_env()?;
        let endpoints = std::env::var_os("ENTRA_SETUP_ENDPOINTS")
            .and_then(|file| Endpoints::from_file(std::path::Path::new(&file)).ok())
            .unwrap_or_else(|| Endpoints::for_cloud(Cloud::Global));
        Ok(Self::with_endpoints(paths, endpoints))
    }

    /// The shipped profiles and the admin's own, read afresh so that a profile the admin just
    /// added appears without a restart.
    pub fn profile_summaries(&self) -> Result<Vec<ProfileSummary>, CatalogError> {
        Ok(self.catalog()?.summaries())
    }

    /// The catalogue of profiles.
    pub fn catalog(&self) -> Result<Catalog, CatalogError> {
        Catalog::with_user_dir(&self.paths.user_profiles_dir())
    }

    /// The same state with another keychain, reminders and settings (tests).
    pub fn with_safekeeping(mut self, safekeeping: Safekeeping) -> Self {
        self.safekeeping = safekeeping;
        self
    }

    /// The profile `id`.
    pub fn profile(&self, id: &str) -> Result<Profile, IpcError> {
        self.catalog()?.get(id).cloned().ok_or_else(|| {
            IpcError::new(
                IpcErrorCode::InvalidInput,
                format!("profile: no integration named '{id}'"),
            )
        })
    }

    /// The wizard's store.
    pub fn store(&self) -> &WizardStore {
        &self.store
    }

    /// The wizard in memory, loaded from disk the first time.
    pub fn wizard(&self) -> Result<Option<WizardState>, IpcError> {
        let mut wizard = lock(&self.wizard);
        if wizard.is_none() {
            *wizard = self.store.load()?;
        }
        Ok(wizard.clone())
    }

    /// The wizard, or an error when none is under way.
    pub fn current(&self) -> Result<WizardState, IpcError> {
        self.wizard()?.ok_or_else(|| {
            IpcError::new(
                IpcErrorCode::NoWizard,
                "No setup is under way: choose an integration first.",
            )
        })
    }

    /// Change the wizard with `change`, then save it (atomically) before answering.
    pub fn update(&self, change: impl FnOnce(&mut WizardState)) -> Result<WizardState, IpcError> {
        let mut state = self.current()?;
        change(&mut state);
        self.store.save(&state)?;
        *lock(&self.wizard) = Some(state.clone());
        Ok(state)
    }

    /// Replace the wizard (a new setup), saved.
    pub fn replace(&self, state: Option<WizardState>) -> Result<(), IpcError> {
        match &state {
            Some(state) => self.store.save(state)?,
            None => self.store.clear()?,
        }
        *lock(&self.wizard) = state;
        *lock(&self.memory) = Memory::default();
        Ok(())
    }

    /// The secret and sign-ins.
    pub fn memory(&self) -> MutexGuard<'_, Memory> {
        lock(&self.memory)
    }

    /// Where checks run: the demo tenant's endpoints when rehearsing, Microsoft's otherwise.
    pub async fn context(&self) -> Context {
        let endpoints = match self.demo.lock().await.as_ref() {
            Some(demo) => demo.endpoints().clone(),
            None => self.endpoints.clone(),
        };
        Context {
            http: self.http.clone(),
            endpoints,
            now: chrono::Utc::now(),
        }
    }
}

//! The app's state: what every command may use, built once at start by one constructor that
//! tests reuse with their own folders.
//!
//! The wizard under way is one [`Session`]: the core's [`WizardState`], saved through the core's
//! [`WizardStore`] after every change, with what must never be saved — the client secret, the
//! certificate's private key, the signed-in people's tokens, as the core's [`Secret`] and
//! [`Certificate`] — held beside it in [`Memory`]. Each session
//! has an identity of its own ([`SessionId`], new whenever a wizard starts, opens from a bundle or
//! is resumed at launch); it lives here, in memory, because no command outlives the process.
//!
//! Every change goes through one async lock held across read → change → save, so two changes at
//! once never lose one another. A long command takes a [`Session`] when it starts, runs its work
//! through [`Session::unless_ended`] (closing or replacing the wizard ends the session, and the
//! work is dropped at once), and records what it found with [`AppState::record`], which applies
//! it only while that session is still the current one.

use std::future::Future;

use entra_setup_core::credentials::Certificate;
use entra_setup_core::endpoints::EndpointsError;
use entra_setup_core::endpoints::{Cloud, Endpoints};
use entra_setup_core::http::HttpSetupError;
use entra_setup_core::http::{Http, RetryPolicy};
use entra_setup_core::identity::{
    SIGN_IN_CLIENT_ENV, SignInClient, SignInClientError, resolve_sign_in_client,
};
use entra_setup_core::paths::{AppPaths, NoHomeFolder};
use entra_setup_core::profile::{Catalog, CatalogError, Profile, ProfileSummary};
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::{Context, Sessions};
use entra_setup_core::wizard::{Loaded, SetAside, WizardState, WizardStore};
use tokio_util::sync::CancellationToken;

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

/// What lives only in memory: the secret, the certificate and the sign-ins.
#[derive(Debug, Default, Clone)]
pub struct Memory {
    /// The client secret's value (pasted or created).
    pub secret: Option<Secret>,
    /// The secret the wizard created in this run.
    pub created: Option<CreatedSecret>,
    /// The certificate with its private key (made in this run or read from the OS keychain),
    /// when the app proves itself with one; its `Debug` shows only the thumbprint and dates.
    pub certificate: Option<Certificate>,
    /// Whether that certificate was made in this run.
    pub certificate_made: bool,
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

/// The identity of one wizard session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId(uuid::Uuid);

impl SessionId {
    fn new() -> SessionId {
        SessionId(uuid::Uuid::new_v4())
    }
}

impl std::fmt::Display for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One wizard session as a command sees it: its identity, the wizard and what is held in memory
/// for it, as they were when the command took it.
#[derive(Debug, Clone)]
pub struct Session {
    /// Its identity.
    pub id: SessionId,
    /// The wizard.
    pub wizard: WizardState,
    /// The secret and the sign-ins held for it.
    pub memory: Memory,
    ended: CancellationToken,
}

impl Session {
    fn new(wizard: WizardState) -> Session {
        Session {
            id: SessionId::new(),
            wizard,
            memory: Memory::default(),
            ended: CancellationToken::new(),
        }
    }

    /// Run `work` unless the session ends first (the wizard closed or replaced): then `work` is
    /// dropped at once and the answer is [`IpcErrorCode::SessionEnded`]. The work is held on the
    /// heap: a verification's or a sign-in's future is large, and the runtime's worker threads
    /// have small stacks (a debug build overflowed them).
    pub async fn unless_ended<F: Future>(&self, work: F) -> Result<F::Output, IpcError> {
        let work = Box::pin(work);
        tokio::select! {
            biased;
            () = self.ended.cancelled() => Err(IpcError::session_ended()),
            done = work => Ok(done),
        }
    }

    /// Whether the session has ended.
    pub fn has_ended(&self) -> bool {
        self.ended.is_cancelled()
    }
}

/// The wizard under way, behind the state's one lock.
#[derive(Debug, Default)]
struct Current {
    /// Whether the saved wizard was read from disk (the first use does it).
    loaded: bool,
    /// The session, when a wizard is under way.
    session: Option<Session>,
    /// A saved wizard that could not be used and was set aside, until the admin has been told.
    set_aside: Option<SetAside>,
}

/// The environment variable that names an endpoints file (the stand-in's ready line).
pub const ENDPOINTS_ENV: &str = "ENTRA_SETUP_ENDPOINTS";

/// Why the app cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// No folder to keep the app's files in.
    #[error(transparent)]
    NoHomeFolder(#[from] NoHomeFolder),
    /// The endpoints file named in the environment cannot be used.
    #[error("{variable}")]
    Endpoints {
        /// The environment variable.
        variable: &'static str,
        /// Why the file cannot be used.
        #[source]
        source: EndpointsError,
    },
}

/// Everything the commands share.
pub struct AppState {
    paths: AppPaths,
    store: WizardStore,
    current: tokio::sync::Mutex<Current>,
    /// The HTTP client, built on first use: its TLS setup stays out of the launch.
    http: std::sync::OnceLock<Http>,
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

impl AppState {
    /// State over the given folders, against Microsoft's global cloud.
    pub fn new(paths: AppPaths) -> Result<Self, StartupError> {
        Self::with_endpoints(paths, Endpoints::for_cloud(Cloud::Global))
    }

    /// State over the given folders and endpoints.
    pub fn with_endpoints(paths: AppPaths, endpoints: Endpoints) -> Result<Self, StartupError> {
        Ok(AppState {
            safekeeping: Safekeeping::from_paths(&paths),
            store: WizardStore::new(&paths),
            paths,
            current: tokio::sync::Mutex::new(Current::default()),
            http: std::sync::OnceLock::new(),
            endpoints,
            demo: tokio::sync::Mutex::new(None),
        })
    }

    /// State over `ENTRA_SETUP_HOME` (or the platform's folders) and `ENTRA_SETUP_ENDPOINTS`
    /// (or Microsoft's global cloud). An endpoints file that cannot be used stops the start, as
    /// it stops the CLI: the app never talks to Microsoft's cloud when another was asked for.
    pub fn from_env() -> Result<Self, StartupError> {
        let paths = AppPaths::from_env()?;
        let file = std::env::var_os(ENDPOINTS_ENV).map(std::path::PathBuf::from);
        let endpoints = Endpoints::load(file.as_deref(), Cloud::Global).map_err(|source| {
            StartupError::Endpoints {
                variable: ENDPOINTS_ENV,
                source,
            }
        })?;
        Self::with_endpoints(paths, endpoints)
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

    /// The public client the app signs people in with, resolved as the CLI resolves it (without
    /// an option): `ENTRA_SETUP_SIGN_IN_CLIENT`, then `sign_in_client` in `config.toml`, then the
    /// distributor's default, then Microsoft Graph Command Line Tools.
    pub fn sign_in_client(&self) -> Result<SignInClient, SignInClientError> {
        let environment = std::env::var(SIGN_IN_CLIENT_ENV).ok();
        resolve_sign_in_client(None, environment.as_deref(), &self.paths.config_file())
    }

    /// `config.toml`, where the sign-in client is kept.
    pub fn config_file(&self) -> std::path::PathBuf {
        self.paths.config_file()
    }

    /// Where the app keeps its files.
    pub fn paths(&self) -> &AppPaths {
        &self.paths
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

    /// The lock over the wizard under way, with the saved wizard read from disk the first time
    /// (a session of its own: commands of an earlier launch cannot reach it).
    async fn lock(&self) -> Result<tokio::sync::MutexGuard<'_, Current>, IpcError> {
        let mut current = self.current.lock().await;
        if !current.loaded {
            match self.store.load_or_set_aside(self.safekeeping.now())? {
                Loaded::Nothing => {}
                Loaded::Resumed(state) => current.session = Some(Session::new(*state)),
                Loaded::SetAside(aside) => {
                    tracing::warn!(
                        path = %aside.path.display(),
                        reason = %aside.reason,
                        "the saved progress could not be used and was set aside"
                    );
                    current.set_aside = Some(aside);
                }
            }
            current.loaded = true;
        }
        Ok(current)
    }

    /// The session under way, if any.
    pub async fn session(&self) -> Result<Option<Session>, IpcError> {
        Ok(self.lock().await?.session.clone())
    }

    /// A saved wizard set aside at launch because it could not be used, once: the admin is told
    /// when the app resumes.
    pub async fn take_set_aside(&self) -> Result<Option<SetAside>, IpcError> {
        Ok(self.lock().await?.set_aside.take())
    }

    /// The session under way, or an error when none is.
    pub async fn current(&self) -> Result<Session, IpcError> {
        self.session().await?.ok_or_else(no_wizard)
    }

    /// Change the wizard under way (and what is held for it) with `change`, then save it
    /// (atomically) before answering — all under the one lock, so a change made at the same
    /// time waits for this one and then sees it. For commands that change at once what they
    /// ask for; a command that first waited on something records with [`AppState::record`].
    pub async fn update(
        &self,
        change: impl FnOnce(&mut WizardState, &mut Memory),
    ) -> Result<Session, IpcError> {
        self.change(None, change).await
    }

    /// Record what a command found into the session `id` it started in, saved, as
    /// [`AppState::update`] does — only while that session is the current one: once it was
    /// closed or replaced, nothing is changed and the answer is [`IpcErrorCode::SessionEnded`].
    pub async fn record(
        &self,
        id: SessionId,
        change: impl FnOnce(&mut WizardState, &mut Memory),
    ) -> Result<Session, IpcError> {
        self.change(Some(id), change).await
    }

    async fn change(
        &self,
        expected: Option<SessionId>,
        change: impl FnOnce(&mut WizardState, &mut Memory),
    ) -> Result<Session, IpcError> {
        let mut current = self.lock().await?;
        let session = match (current.session.as_mut(), expected) {
            (None, None) => return Err(no_wizard()),
            (None, Some(id)) => {
                tracing::info!(session = %id, "a result for a closed setup was dropped");
                return Err(IpcError::session_ended());
            }
            (Some(session), Some(id)) if session.id != id => {
                tracing::info!(session = %id, current = %session.id, "a result for a replaced setup was dropped");
                return Err(IpcError::session_ended());
            }
            (Some(session), _) => session,
        };
        let mut wizard = session.wizard.clone();
        let mut memory = session.memory.clone();
        change(&mut wizard, &mut memory);
        // Saved under the lock, and not on another thread: the file is small, and a command
        // dropped half-way cannot leave a save in flight that an older state could overtake.
        if wizard != session.wizard {
            self.store.save(&wizard)?;
        }
        session.wizard = wizard;
        session.memory = memory;
        Ok(session.clone())
    }

    /// Start a new session with `wizard` (a new setup, a bundle opened, a rotation), saved; the
    /// session it replaces ends, with its secret, its sign-ins and every command still running
    /// in it.
    pub async fn start(&self, wizard: WizardState) -> Result<Session, IpcError> {
        let mut current = self.lock().await?;
        self.store.save(&wizard)?;
        let session = Session::new(wizard);
        tracing::info!(session = %session.id, profile = %session.wizard.profile, demo = session.wizard.demo.as_deref(), "setup started");
        if let Some(old) = current.session.replace(session.clone()) {
            tracing::info!(session = %old.id, "setup replaced; what still ran in it ends");
            old.ended.cancel();
        }
        Ok(session)
    }

    /// Close the session under way: its saved progress is forgotten, and it ends with its
    /// secret, its sign-ins and every command still running in it.
    pub async fn close(&self) -> Result<(), IpcError> {
        let mut current = self.lock().await?;
        self.store.clear()?;
        if let Some(old) = current.session.take() {
            tracing::info!(session = %old.id, "setup closed; what still ran in it ends");
            old.ended.cancel();
        }
        Ok(())
    }

    /// The HTTP client, built the first time it is needed (a TLS backend that cannot be set up
    /// is said then, as a failure to reach Microsoft).
    fn http(&self) -> Result<Http, IpcError> {
        if let Some(http) = self.http.get() {
            return Ok(http.clone());
        }
        let built = Http::new(RetryPolicy::default()).map_err(|e: HttpSetupError| {
            IpcError::new(
                IpcErrorCode::Unavailable,
                format!("No connection to Microsoft can be made: {e}"),
            )
        })?;
        Ok(self.http.get_or_init(|| built).clone())
    }

    /// The endpoints checks run against: the demo tenant's when rehearsing, Microsoft's otherwise.
    pub async fn endpoints(&self) -> Endpoints {
        match self.demo.lock().await.as_ref() {
            Some(demo) => demo.endpoints().clone(),
            None => self.endpoints.clone(),
        }
    }

    /// Where checks run ([`AppState::endpoints`]) and with which client; the time is the app's
    /// one clock, the one its reminders read (the system clock, or the injected one of a test).
    pub async fn context(&self) -> Result<Context, IpcError> {
        Ok(Context {
            http: self.http()?,
            endpoints: self.endpoints().await,
            now: self.safekeeping.now(),
        })
    }
}

fn no_wizard() -> IpcError {
    IpcError::new(
        IpcErrorCode::NoWizard,
        "No setup is under way: choose an integration first.",
    )
}

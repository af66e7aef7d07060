//! The running stand-in: listeners, the HTTP accept loop, the SMTP and IMAP listeners, the ready-line endpoints, the
//! public base of the URLs it names (the scenario's `public_url`, else its listen address) and the handle
//! ([`FakeTenant`]) the binary, the tests and the desktop app's demo tenant hold.
//!
//! HTTP connections are served one task each with hyper so that a `reset` fault can close exactly the
//! connection it hit. Dropping the handle, or calling [`FakeTenant::shutdown`], stops every task.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::jwt::{KeyError, SigningKey};
use crate::scenario::Scenario;
use crate::smtp::{SmtpTls, TlsError};
use crate::state::Directory;

/// Where the stand-in listens: exactly the ready line and the endpoints file of contracts/cli.md.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoints {
    /// Base URL of the identity platform (`http://127.0.0.1:PORT`).
    pub login: String,
    /// Base URL of Microsoft Graph (`http://127.0.0.1:PORT`; paths start with `/v1.0`).
    pub graph: String,
    /// SMTP submission address (`127.0.0.1:PORT`).
    pub smtp: String,
    /// Absolute path of the PEM certificate to trust for STARTTLS.
    pub smtp_ca_pem: String,
    /// IMAP address, TLS from the first byte (`127.0.0.1:PORT`).
    pub imap: String,
    /// Absolute path of the PEM certificate to trust for IMAP's TLS (the same CA as SMTP's).
    pub imap_ca_pem: String,
}

impl Endpoints {
    /// The ready line: one line of JSON.
    pub fn ready_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// How to start the stand-in.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// HTTP port on 127.0.0.1 (0 = any free port).
    pub port: u16,
    /// SMTP port on 127.0.0.1 (0 = any free port).
    pub smtp_port: u16,
    /// IMAP port on 127.0.0.1 (0 = any free port).
    pub imap_port: u16,
    /// Overrides the scenario's `latency_ms`.
    pub latency_ms: Option<u64>,
    /// Where to write `ca.pem` (default: a temporary directory removed on shutdown).
    pub ca_dir: Option<PathBuf>,
    /// Where the stand-in reads the time (default: the system clock; tests pass a manual one).
    pub clock: Clock,
}

/// Why the stand-in could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A port could not be bound.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The port asked for.
        port: u16,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The signing key could not be made.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The STARTTLS certificate could not be made or written.
    #[error(transparent)]
    Tls(#[from] TlsError),
}

/// What every handler shares.
#[derive(Debug)]
pub struct Shared {
    directory: Mutex<Directory>,
    /// The scenario's `public_url` without its trailing slash (a lock of its own, so that it can be read
    /// while the directory is locked).
    public_url: RwLock<Option<String>>,
    /// The token-signing key.
    pub key: SigningKey,
    /// The endpoints.
    pub endpoints: Endpoints,
    /// `--latency-ms`, overriding the scenario's.
    pub latency_override: Option<Duration>,
    /// Where every handler reads the time.
    pub clock: Clock,
    /// HTTP requests received so far, by service (scale benches count them).
    pub requests: RequestCounter,
}

/// How many HTTP requests the stand-in has received: Graph's (`/v1.0/…`) and the identity
/// platform's (everything else on the HTTP port), faulted ones included.
#[derive(Debug, Default)]
pub struct RequestCounter {
    graph: AtomicU64,
    login: AtomicU64,
}

/// A reading of [`RequestCounter`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestCounts {
    /// Requests to Microsoft Graph (`/v1.0/…`).
    pub graph: u64,
    /// Requests to the identity platform (tokens, discovery, sign-in pages).
    pub login: u64,
}

impl RequestCounter {
    /// Counts one request to `path`.
    pub fn count(&self, path: &str) {
        let counter = if path == "/v1.0" || path.starts_with("/v1.0/") {
            &self.graph
        } else {
            &self.login
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The counts so far.
    pub fn read(&self) -> RequestCounts {
        RequestCounts {
            graph: self.graph.load(Ordering::Relaxed),
            login: self.login.load(Ordering::Relaxed),
        }
    }
}

impl Shared {
    /// Locks the directory (a poisoned lock is recovered: the state stays usable).
    pub fn directory(&self) -> MutexGuard<'_, Directory> {
        self.directory
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Latency to add to each answer.
    pub fn latency(&self) -> Duration {
        self.latency_override
            .unwrap_or_else(|| self.directory().latency)
    }

    /// The base of every absolute URL the stand-in names — discovery's endpoints and issuer, the `iss` of
    /// ID tokens, `@odata.nextLink`, the pages it redirects to: the scenario's `public_url` (without a
    /// trailing slash) when it has one, otherwise the address it listens on. Never locks the directory.
    pub fn public_base(&self) -> String {
        self.public_url
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
            .unwrap_or_else(|| self.endpoints.login.clone())
    }

    /// The host of [`public_base`](Shared::public_base), without its port (as instance discovery names
    /// hosts).
    pub fn public_host(&self) -> String {
        url::Url::parse(&self.public_base())
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_else(|| "127.0.0.1".to_owned())
    }

    fn set_public_url(&self, scenario: &Scenario) {
        *self
            .public_url
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = public_base_of(scenario);
    }
}

/// The scenario's `public_url` as a base to append paths to (its trailing slash removed).
fn public_base_of(scenario: &Scenario) -> Option<String> {
    scenario
        .public_url
        .as_deref()
        .map(|url| url.trim_end_matches('/').to_owned())
}

/// A running stand-in tenant. Dropping it stops the servers.
#[derive(Debug)]
pub struct FakeTenant {
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    _ca_dir: Option<tempfile::TempDir>,
}

/// Marks the connection a request came on, so a `reset` fault can close it.
#[derive(Debug, Clone)]
pub struct ConnectionKill(pub Arc<Notify>);

impl FakeTenant {
    /// Starts the HTTP (identity + Graph), SMTP and IMAP servers for `scenario` on 127.0.0.1.
    pub async fn start(
        scenario: Scenario,
        options: StartOptions,
    ) -> Result<FakeTenant, StartError> {
        let http = TcpListener::bind(("127.0.0.1", options.port))
            .await
            .map_err(|source| StartError::Bind {
                port: options.port,
                source,
            })?;
        let smtp = TcpListener::bind(("127.0.0.1", options.smtp_port))
            .await
            .map_err(|source| StartError::Bind {
                port: options.smtp_port,
                source,
            })?;
        let imap = TcpListener::bind(("127.0.0.1", options.imap_port))
            .await
            .map_err(|source| StartError::Bind {
                port: options.imap_port,
                source,
            })?;
        let http_addr = local_addr(&http, options.port)?;
        let smtp_addr = local_addr(&smtp, options.smtp_port)?;
        let imap_addr = local_addr(&imap, options.imap_port)?;

        let (ca_dir, ca_path) = match &options.ca_dir {
            Some(dir) => (None, dir.clone()),
            None => {
                let dir = tempfile::Builder::new()
                    .prefix("entra-fake-tenant-")
                    .tempdir()
                    .map_err(|error| TlsError::Write(error.to_string()))?;
                let path = dir.path().to_owned();
                (Some(dir), path)
            }
        };
        let tls = Arc::new(SmtpTls::generate(&ca_path)?);
        let key = tokio::task::spawn_blocking(SigningKey::generate)
            .await
            .map_err(|error| KeyError::Generate(error.to_string()))??;

        let base = format!("http://{http_addr}");
        let endpoints = Endpoints {
            login: base.clone(),
            graph: base,
            smtp: smtp_addr.to_string(),
            smtp_ca_pem: tls.ca_pem_path.to_string_lossy().into_owned(),
            imap: imap_addr.to_string(),
            imap_ca_pem: tls.ca_pem_path.to_string_lossy().into_owned(),
        };
        let shared = Arc::new(Shared {
            directory: Mutex::new(Directory::from_scenario(&scenario, &options.clock)),
            public_url: RwLock::new(public_base_of(&scenario)),
            key,
            endpoints,
            latency_override: options.latency_ms.map(Duration::from_millis),
            clock: options.clock,
            requests: RequestCounter::default(),
        });
        let (shutdown, shutdown_rx) = watch::channel(false);
        let router = crate::routes::router(shared.clone());
        let tasks = vec![
            tokio::spawn(serve_http(http, router, shutdown_rx.clone())),
            tokio::spawn(crate::smtp::serve(
                smtp,
                shared.clone(),
                tls.clone(),
                shutdown_rx.clone(),
            )),
            tokio::spawn(crate::imap::serve(imap, shared.clone(), tls, shutdown_rx)),
        ];
        Ok(FakeTenant {
            shared,
            shutdown,
            tasks,
            _ca_dir: ca_dir,
        })
    }

    /// Where it listens (the same JSON as the ready line).
    pub fn endpoints(&self) -> &Endpoints {
        &self.shared.endpoints
    }

    /// The base of the absolute URLs it names: the scenario's `public_url`, else where it listens.
    pub fn public_base(&self) -> String {
        self.shared.public_base()
    }

    /// Replaces the scenario of the running server: the directory is rebuilt from it (sign-ins, codes and
    /// fault counters start afresh); the ports, the signing key and the certificate stay.
    pub fn replace_scenario(&self, scenario: &Scenario) {
        *self.shared.directory() = Directory::from_scenario(scenario, &self.shared.clock);
        self.shared.set_public_url(scenario);
    }

    /// The clock the stand-in reads; a test that started it with a manual clock advances it here
    /// (`tenant.clock().as_manual()`).
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// Each fault's `match` and how many of its `times` are left (`None`: unlimited), in the
    /// scenario's order: a test sees that the fault it set up was met.
    pub fn faults_left(&self) -> Vec<(String, Option<u32>)> {
        self.shared
            .directory()
            .faults
            .iter()
            .map(|f| (f.spec.matches.clone(), f.remaining))
            .collect()
    }

    /// Revokes the sign-in sessions of the user `upn` (what Graph's `revokeSignInSessions` does): their
    /// refresh tokens are refused from now on with AADSTS50173. Returns how many were revoked, `None`
    /// when no tenant has that user.
    pub fn revoke_sign_in_sessions(&self, upn: &str) -> Option<usize> {
        let now = self.shared.clock.utc();
        let mut directory = self.shared.directory();
        let t = directory.tenant_of_upn(upn)?;
        let user_id = directory.tenants[t].user_by_upn(upn)?.id.clone();
        Some(directory.revoke_sign_in_sessions(&user_id, now))
    }

    /// The HTTP requests received since it started (a scale bench's request count).
    pub fn requests(&self) -> RequestCounts {
        self.shared.requests.read()
    }

    /// Mail accepted so far through Graph sendMail and SMTP, oldest first.
    pub fn sent_mail(&self) -> Vec<crate::state::SentMail> {
        self.shared.directory().sent_mail.clone()
    }

    /// Stops the servers and waits for them to finish.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }
}

impl Drop for FakeTenant {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}

fn local_addr(listener: &TcpListener, port: u16) -> Result<SocketAddr, StartError> {
    listener
        .local_addr()
        .map_err(|source| StartError::Bind { port, source })
}

async fn serve_http(
    listener: TcpListener,
    router: axum::Router,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let router = router.clone();
                let mut shutdown = shutdown.clone();
                connections.spawn(async move {
                    let kill = Arc::new(Notify::new());
                    let marker = ConnectionKill(kill.clone());
                    let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                        request.extensions_mut().insert(marker.clone());
                        let router = router.clone();
                        async move {
                            use tower::ServiceExt as _;
                            router.oneshot(request.map(axum::body::Body::new)).await
                        }
                    });
                    let connection = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                    tokio::select! {
                        _ = connection => {}
                        _ = kill.notified() => {}
                        _ = shutdown.changed() => {}
                    }
                });
            }
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.abort_all();
}

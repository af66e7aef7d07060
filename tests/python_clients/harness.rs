//! One test's rig: the test's certificates, the HTTPS front, the real `entra-fake-tenant` program
//! serving this suite's scenario with `public_url` naming the front, and `clients.py` run with the
//! virtual environment's python against it.
//!
//! The scenario is written here rather than taken from the shipped examples, so that every ID the
//! assertions name is visible next to them: one tenant, a daemon app with a valid and an expired
//! secret and two consented application permissions, and Microsoft's first-party public client
//! for the delegated flows, signing the admin in without a page (`sign_in.as`).

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

use entra_setup_tests::paths;
use serde_json::{Value, json};

use crate::front::{Certificates, Front};

/// The scenario's tenant.
pub const TENANT_ID: &str = "7a1c5d3e-2b4f-4a6e-8c9d-0e1f2a3b4c5d";
/// The tenant's initial domain (an authority may name it instead of the GUID).
pub const TENANT_DOMAIN: &str = "fabrikam.onmicrosoft.com";
/// The admin `sign_in.as` signs in.
pub const ADMIN_UPN: &str = "admin@fabrikam.com";
/// The admin's object ID (`oid`, and `uid` in `client_info`).
pub const ADMIN_ID: &str = "a1a1a1a1-0000-4000-8000-000000000001";
/// The daemon app (client credentials).
pub const DAEMON_APP_ID: &str = "d1d1d1d1-0000-4000-8000-000000000001";
/// The daemon's valid secret value.
pub const DAEMON_SECRET: &str = "Qm8Q~validsecretvalue0123456789abcdefghij";
/// The valid secret's ID (what admins paste by mistake instead of its value).
pub const DAEMON_SECRET_ID: &str = "5ec0e7a1-0000-4000-8000-000000000001";
/// The daemon's expired secret value.
pub const EXPIRED_SECRET: &str = "Ex9Q~expiredsecretvalue0123456789abcdefg";
/// The application permissions consented for the daemon (the `roles` of its tokens).
pub const DAEMON_ROLES: [&str; 2] = ["Mail.Send", "User.Read.All"];
/// Microsoft Graph Command Line Tools: a first-party public client, as the product signs in with.
pub const PUBLIC_CLIENT_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
/// A client ID no tenant knows.
pub const UNKNOWN_APP_ID: &str = "0badc1e0-0000-4000-8000-000000000000";
/// A tenant GUID the stand-in does not serve.
pub const UNKNOWN_TENANT_ID: &str = "0badd0e5-0000-4000-8000-000000000000";

/// Where the Python environment is: `PYTHON_CLIENTS_VENV` (set by `make python-clients`), else
/// `target/python-clients/venv`.
pub fn venv_python() -> PathBuf {
    let venv = std::env::var_os("PYTHON_CLIENTS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            paths::build_dir()
                .parent()
                .expect("target folder")
                .join("python-clients/venv")
        });
    let python = venv.join("bin/python");
    assert!(
        python.is_file(),
        "{} is missing: `make python-clients` creates the virtual environment with MSAL and \
         azure-identity (tests/python_clients/requirements.txt) and runs these tests",
        python.display()
    );
    python
}

/// The scenario this suite serves, reached at `public_url`.
fn scenario(public_url: &str) -> Value {
    json!({
        "tenants": [{
            "id": TENANT_ID,
            "display_name": "Fabrikam",
            "domains": [TENANT_DOMAIN, "fabrikam.com"],
            "cloud": "global",
            "smtp_auth_enabled": false,
            "user_consent": "legacy",
            "admin_consent_workflow": false,
            "secret_max_lifetime_days": null,
            "users": [
                {"id": ADMIN_ID, "upn": ADMIN_UPN, "display_name": "Ada Admin", "admin": true,
                 "account_enabled": true, "mailbox": "user", "exchange_license": true, "smtp_auth": null},
                {"id": "a1a1a1a1-0000-4000-8000-000000000002", "upn": "bob@fabrikam.com",
                 "display_name": "Bob Builder", "admin": false, "account_enabled": true,
                 "mailbox": "user", "exchange_license": true, "smtp_auth": null}
            ],
            "applications": [{
                "app_id": DAEMON_APP_ID,
                "object_id": "d2d2d2d2-0000-4000-8000-000000000001",
                "display_name": "Fabrikam nightly export",
                "sign_in_audience": "AzureADMyOrg",
                "web_redirect_uris": [],
                "spa_redirect_uris": [],
                "public_client_redirect_uris": [],
                "allow_public_client_flows": false,
                "enabled": true,
                "permissions": {"delegated": [], "application": DAEMON_ROLES},
                "secrets": [
                    {"key_id": DAEMON_SECRET_ID, "display_name": "export",
                     "value": DAEMON_SECRET, "start": "2020-01-01T00:00:00Z", "end": "2099-01-01T00:00:00Z"},
                    {"key_id": "5ec0e7a1-0000-4000-8000-000000000002", "display_name": "export (old)",
                     "value": EXPIRED_SECRET, "start": "2020-01-01T00:00:00Z", "end": "2021-01-01T00:00:00Z"}
                ],
                "service_principal": true,
                "consented": {"delegated": [], "application": DAEMON_ROLES}
            }]
        }],
        "public_clients": [PUBLIC_CLIENT_ID],
        "sign_in": {"as": ADMIN_UPN},
        "public_url": public_url,
    })
}

/// The running front and stand-in of one test.
pub struct Rig {
    /// `https://127.0.0.1:PORT`, the front (and the scenario's `public_url`).
    pub front: String,
    stand_in: Child,
    // Kept open: the stand-in's stdout, after its ready line.
    _stdout: BufReader<ChildStdout>,
    // Serves the front; dropped (and with it every relay) after the stand-in is stopped.
    _runtime: tokio::runtime::Runtime,
    ca_pem: PathBuf,
    dir: tempfile::TempDir,
}

impl Rig {
    /// Makes the certificates, binds the front, starts `entra-fake-tenant` on the scenario (its
    /// ready line says where it listens) and then serves the front.
    pub fn start() -> Rig {
        // Without the environment nothing here can run: say so before starting anything.
        venv_python();
        let dir = tempfile::tempdir().expect("temp dir");
        let certificates = Certificates::generate();
        let ca_pem = certificates.write_ca(dir.path());
        let front = Front::bind();
        let front_url = front.url();

        let scenario_path = dir.path().join("scenario.json");
        std::fs::write(&scenario_path, scenario(&front_url).to_string()).expect("scenario file");
        let stderr = std::fs::File::create(dir.path().join("stand-in.log")).expect("log file");
        let mut stand_in = Command::new(paths::program("entra-fake-tenant"))
            .arg("--scenario")
            .arg(&scenario_path)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start entra-fake-tenant");
        let mut stdout = BufReader::new(stand_in.stdout.take().expect("stand-in stdout"));
        let mut ready = String::new();
        stdout.read_line(&mut ready).expect("read the ready line");
        if ready.trim().is_empty() {
            let status = stand_in.wait().expect("stand-in status");
            panic!(
                "entra-fake-tenant ended ({status}) without its ready line:\n{}",
                read_log(dir.path())
            );
        }
        std::fs::write(dir.path().join("endpoints.json"), ready.trim()).expect("endpoints file");
        let ready: Value = serde_json::from_str(&ready).expect("the ready line is JSON");
        let login = ready["login"].as_str().expect("ready line: login");
        let upstream: SocketAddr = login
            .strip_prefix("http://")
            .and_then(|address| address.parse().ok())
            .unwrap_or_else(|| panic!("ready line: login is not http://ADDRESS:PORT: {login}"));

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        front.serve(&runtime, &certificates, upstream);
        Rig {
            front: front_url,
            stand_in,
            _stdout: stdout,
            _runtime: runtime,
            ca_pem,
            dir,
        }
    }

    /// The stand-in's own endpoints file (its ready line: plain HTTP on loopback), for a program
    /// that talks to it directly rather than through the front (the `cli_vs_msal` bench; these
    /// tests talk through the front only).
    #[allow(dead_code)]
    pub fn endpoints_file(&self) -> PathBuf {
        self.dir.path().join("endpoints.json")
    }

    /// The CA certificate (PEM) the front's certificate is issued by.
    pub fn ca_pem(&self) -> &Path {
        &self.ca_pem
    }

    /// The `environment` of MSAL's cache entries: the authority's host name, without its port.
    pub fn environment(&self) -> &str {
        let host_and_port = self.front.trim_start_matches("https://");
        host_and_port
            .rsplit_once(':')
            .map_or(host_and_port, |(host, _)| host)
    }

    /// Runs `clients.py CASE` and returns what it observed. Panics with its output (and the
    /// stand-in's log) when it does not print its document or reports a crash.
    pub fn run(&self, case: &str) -> Value {
        let config = json!({
            "front": self.front,
            "tenant_id": TENANT_ID,
            "tenant_domain": TENANT_DOMAIN,
            "daemon_client_id": DAEMON_APP_ID,
            "daemon_secret": DAEMON_SECRET,
            "daemon_secret_key_id": DAEMON_SECRET_ID,
            "expired_secret": EXPIRED_SECRET,
            "unknown_client_id": UNKNOWN_APP_ID,
            "unknown_tenant_id": UNKNOWN_TENANT_ID,
            "public_client_id": PUBLIC_CLIENT_ID,
        });
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python_clients/clients.py");
        let output = Command::new(venv_python())
            .arg(&script)
            .arg(case)
            .arg(config.to_string())
            .env("REQUESTS_CA_BUNDLE", self.ca_pem())
            .env("SSL_CERT_FILE", self.ca_pem())
            // Loopback is never proxied, whatever the machine's proxy settings say.
            .env("NO_PROXY", "127.0.0.1,localhost")
            .env("no_proxy", "127.0.0.1,localhost")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONHASHSEED", "0")
            .stdin(Stdio::null())
            .output()
            .expect("run the venv's python");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let document: Value = serde_json::from_str(&stdout).unwrap_or_else(|error| {
            panic!(
                "clients.py {case} ({}) printed no JSON document ({error}).\nstdout:\n{stdout}\n\
                 stderr:\n{stderr}\nstand-in log:\n{}",
                output.status,
                read_log(self.dir.path())
            )
        });
        if let Some(crash) = document.get("crashed") {
            panic!(
                "clients.py {case} failed:\n{}\nstand-in log:\n{}",
                crash.as_str().unwrap_or_default(),
                read_log(self.dir.path())
            );
        }
        // Shown with a failure (the test harness keeps a passing test's output to itself).
        eprintln!(
            "clients.py {case} observed:\n{}",
            serde_json::to_string_pretty(&document).unwrap_or_default()
        );
        document["observed"].clone()
    }
}

impl Drop for Rig {
    fn drop(&mut self) {
        let pid = nix::unistd::Pid::from_raw(self.stand_in.id() as i32);
        if nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).is_err() {
            let _ = self.stand_in.kill();
        }
        let _ = self.stand_in.wait();
    }
}

fn read_log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("stand-in.log")).unwrap_or_default()
}

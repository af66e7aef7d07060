//! `make bench`: the CLI's whole-process time next to a script doing the same with MSAL Python.
//!
//! The same work on both sides: read the tenant's OpenID configuration, then get an app token by
//! client credentials — what `entra-setup verify` does for the tenant and client-secret checks
//! when nobody signs in (`verify --profile exchange-calendar-connector` without a mailbox; its
//! permission judgement reads the token it already has). MSAL Python
//! (tests/benches/msal_client_credentials.py, from the `make python-clients` environment) talks
//! to the stand-in through the python-clients suite's loopback HTTPS front, as MSAL accepts only
//! an https authority; the CLI talks to the same stand-in directly over loopback HTTP, so the
//! Python figure includes a TLS handshake to the front (about a millisecond here). Each is timed
//! from spawn to exit, with its start-up alone beside it (`entra-setup --version`, `python -c
//! "import msal"`). Printed, never asserted.

#[path = "../python_clients/front.rs"]
#[allow(dead_code)]
mod front;
#[path = "../python_clients/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use entra_setup_tests::paths;
use harness::{DAEMON_APP_ID, DAEMON_SECRET, Rig, TENANT_DOMAIN};
use serde_json::{Value, json};

const ROUNDS: usize = 9;

/// Runs `command` (writing `stdin` to it) and times it from spawn to exit.
fn timed(mut command: Command, stdin: &str) -> Result<(Duration, Output)> {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("start")?;
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(stdin.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    Ok((started.elapsed(), output))
}

fn cli(program: &Path, rig: &Rig, home: &Path) -> Command {
    let mut command = Command::new(program);
    command
        .env("ENTRA_SETUP_HOME", home)
        .arg("--endpoints")
        .arg(rig.endpoints_file())
        .args([
            "--no-progress",
            "verify",
            "--profile",
            "exchange-calendar-connector",
            "--tenant",
            TENANT_DOMAIN,
            "--client-id",
            DAEMON_APP_ID,
            "--secret-stdin",
            "--json",
        ]);
    command
}

fn python(rig: &Rig) -> Command {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/msal_client_credentials.py");
    let config = json!({ "front": rig.front, "tenant": TENANT_DOMAIN, "client_id": DAEMON_APP_ID });
    let mut command = Command::new(harness::venv_python());
    command
        .arg(script)
        .arg(config.to_string())
        .env("BENCH_CLIENT_SECRET", DAEMON_SECRET)
        .env("REQUESTS_CA_BUNDLE", rig.ca_pem())
        .env("SSL_CERT_FILE", rig.ca_pem())
        .env("NO_PROXY", "127.0.0.1,localhost")
        .env("no_proxy", "127.0.0.1,localhost");
    command
}

/// Median and min–max, in ms.
fn spread(mut ms: Vec<f64>) -> String {
    ms.sort_by(f64::total_cmp);
    format!(
        "{:>5.0} ms ({:.0}–{:.0})",
        ms[ms.len() / 2],
        ms[0],
        ms[ms.len() - 1]
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> Result<()> {
    // Benches build into target/release, next to the release CLI and stand-in (`cargo build
    // --release -p entra-setup-cli -p entra-fake-tenant`, which `make bench` runs first).
    let program = paths::build_dir().join(format!("entra-setup{}", std::env::consts::EXE_SUFFIX));
    ensure!(
        program.is_file(),
        "{} is not built: cargo build --release -p entra-setup-cli",
        program.display()
    );
    let rig = Rig::start();
    let home = tempfile::tempdir()?;
    let (mut ours, mut theirs, mut our_start, mut their_start) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let (wall, output) = timed(cli(&program, &rig, home.path()), DAEMON_SECRET)?;
        let report: Value = serde_json::from_slice(&output.stdout)
            .with_context(|| String::from_utf8_lossy(&output.stderr).into_owned())?;
        let secret = report["checks"]
            .as_array()
            .and_then(|checks| checks.iter().find(|c| c["id"] == "client_secret"))
            .context("client_secret check")?;
        ensure!(secret["status"] == "pass", "the CLI got no token: {secret}");
        ours.push(ms(wall));

        let (wall, output) = timed(python(&rig), "")?;
        let result: Value = serde_json::from_slice(&output.stdout)
            .with_context(|| String::from_utf8_lossy(&output.stderr).into_owned())?;
        ensure!(result["token"] == true, "MSAL got no token: {result}");
        theirs.push(ms(wall));

        let mut version = Command::new(&program);
        version.arg("--version");
        our_start.push(ms(timed(version, "")?.0));
        let mut import = Command::new(harness::venv_python());
        import.args(["-c", "import msal"]);
        their_start.push(ms(timed(import, "")?.0));
    }
    println!(
        "Tenant discovery + client-credentials token, whole process (release CLI against MSAL Python, median and min–max of {ROUNDS}):"
    );
    println!(
        "  entra-setup verify (no sign-in)   {}   start-up alone (--version) {}",
        spread(ours.clone()),
        spread(our_start)
    );
    println!(
        "  MSAL Python script                {}   start-up alone (import msal) {}",
        spread(theirs.clone()),
        spread(their_start)
    );
    let ratios: Vec<f64> = theirs.iter().zip(&ours).map(|(t, o)| t / o).collect();
    let mut sorted = ratios.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "  MSAL Python takes {:.1}× the CLI's time ({:.1}–{:.1}, round by round)",
        sorted[sorted.len() / 2],
        sorted[0],
        sorted[sorted.len() - 1]
    );
    Ok(())
}

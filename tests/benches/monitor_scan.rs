//! `make bench`: `entra-setup monitor scan` (the release binary, as a schedule runs it) over
//! tenants of 20,000 generated app registrations each (one secret and one certificate apiece,
//! every tenth due within 30 days), served by the stand-in in this process. For one tenant and
//! for two tenants scanned concurrently it prints the wall time (median and min–max over a few
//! rounds), the HTTP requests the stand-in received during one scan (Graph and token requests,
//! counted by the stand-in itself) and the scan process's peak resident memory: `VmHWM` from
//! `/proc/PID/status`, the kernel's high-water mark of the process's RSS, read every 2 ms while
//! it runs (the last reading is the peak unless memory grew in the final 2 ms). Printed, never
//! asserted.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use chrono::Utc;
use entra_fake_tenant::{FakeTenant, RequestCounts, Scenario, StartOptions};
use entra_setup_tests::paths;
use serde_json::{Value, json};

const GENERATED: usize = 20_000;
const ROUNDS: usize = 5;
const MONITOR: &str = "99999999-0000-0000-0000-000000000001";
/// The stand-in's monitor secret: a made-up value of this bench's own scenario.
const MONITOR_SECRET: &str = "Mon~itorbenchvalue0123456789abcdefghijk";

/// A tenant of `GENERATED` registrations where the monitor app is registered (`home`, with its
/// secret) or approved as another organisation's app.
fn tenant(id: &str, domain: &str, n: u8, home: bool) -> Value {
    let far = (Utc::now() + chrono::Duration::days(700)).to_rfc3339();
    let monitor = json!({
        "app_id": MONITOR, "object_id": format!("cccccccc-0000-0000-000{n}-000000000001"),
        "display_name": "Entra setup monitor", "sign_in_audience": "AzureADMultipleOrgs",
        "web_redirect_uris": [], "spa_redirect_uris": [], "public_client_redirect_uris": [],
        "allow_public_client_flows": false, "enabled": true,
        "permissions": {"delegated": [], "application": ["Application.Read.All"]},
        "service_principal": true,
        "consented": {"delegated": [], "application": ["Application.Read.All"]},
    });
    let (applications, vendor_apps) = if home {
        let mut app = monitor;
        app["secrets"] = json!([{
            "key_id": format!("eeeeeeee-000{n}-0000-0000-000000000001"), "display_name": "monitor",
            "value": MONITOR_SECRET, "start": "2025-01-01T00:00:00Z", "end": far,
        }]);
        (json!([app]), json!([]))
    } else {
        (json!([]), json!([monitor]))
    };
    json!({
        "id": id, "display_name": domain, "domains": [domain], "cloud": "global",
        "smtp_auth_enabled": true, "user_consent": "legacy", "admin_consent_workflow": false,
        "secret_max_lifetime_days": null,
        "users": [{
            "id": format!("aaaaaaaa-0000-0000-0000-00000000000{n}"), "upn": format!("admin@{domain}"),
            "display_name": "Admin", "admin": true, "account_enabled": true, "mailbox": "user",
            "exchange_license": true, "smtp_auth": null
        }],
        "applications": applications,
        "vendor_apps": vendor_apps,
        "generated_applications": {
            "count": GENERATED, "secrets_each": 1, "certificates_each": 1,
            "expiring_within_days": 30
        },
    })
}

struct Sample {
    wall: Duration,
    requests: RequestCounts,
    peak_kib: u64,
    due: usize,
    registrations: u64,
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
}

/// One `monitor scan --json` over `tenants_file`, timed from spawn to exit.
fn scan(
    program: &Path,
    tenant: &FakeTenant,
    endpoints_file: &Path,
    home: &Path,
    tenants_file: &Path,
) -> Result<Sample> {
    let before = tenant.requests();
    let started = Instant::now();
    let mut child = Command::new(program)
        .env("ENTRA_SETUP_HOME", home)
        .env("BENCH_MONITOR_SECRET", MONITOR_SECRET)
        .arg("--endpoints")
        .arg(endpoints_file)
        .args([
            "--no-progress",
            "--timeout",
            "60",
            "monitor",
            "scan",
            "--tenants",
        ])
        .arg(tenants_file)
        .args([
            "--client-id",
            MONITOR,
            "--secret-env",
            "BENCH_MONITOR_SECRET",
            "--json",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("start entra-setup")?;
    let pid = child.id();
    let mut stdout = child.stdout.take().context("stdout")?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        stdout.read_to_string(&mut text).map(|_| text)
    });
    let mut peak_kib = 0;
    let status = loop {
        if let Some(kib) = vm_hwm_kib(pid) {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let wall = started.elapsed();
    let stdout = reader
        .join()
        .map_err(|_| anyhow::anyhow!("stdout reader"))??;
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_string(&mut stderr)?;
    }
    let after = tenant.requests();
    // Exit 1: something is due (every tenth registration's credentials).
    ensure!(status.code() == Some(1), "{status}: {stdout}\n{stderr}");
    let report: Value = serde_json::from_str(&stdout).context("the scan's JSON")?;
    let tenants = report["tenants"].as_array().context("tenants")?;
    ensure!(
        tenants.iter().all(|t| t["status"] == "ok"),
        "every tenant read: {stderr}"
    );
    Ok(Sample {
        wall,
        requests: RequestCounts {
            graph: after.graph - before.graph,
            login: after.login - before.login,
        },
        peak_kib,
        due: tenants
            .iter()
            .map(|t| t["due"].as_array().map_or(0, Vec::len))
            .sum(),
        registrations: tenants
            .iter()
            .map(|t| t["registrations"].as_u64().unwrap_or(0))
            .sum(),
    })
}

fn report(name: &str, samples: &[Sample]) {
    let mut ms: Vec<f64> = samples
        .iter()
        .map(|s| s.wall.as_secs_f64() * 1000.0)
        .collect();
    ms.sort_by(f64::total_cmp);
    let peak: Vec<u64> = samples.iter().map(|s| s.peak_kib).collect();
    let (min_peak, max_peak) = (
        peak.iter().min().copied().unwrap_or(0),
        peak.iter().max().copied().unwrap_or(0),
    );
    let first = &samples[0];
    println!(
        "{name:<34} wall {:>6.0} ms median ({:.0}–{:.0} ms, {} rounds)   requests: {} Graph + {} token/login   peak RSS (VmHWM) {:.1}–{:.1} MiB   {} registrations read, {} credentials due",
        ms[ms.len() / 2],
        ms[0],
        ms[ms.len() - 1],
        samples.len(),
        first.requests.graph,
        first.requests.login,
        min_peak as f64 / 1024.0,
        max_peak as f64 / 1024.0,
        first.registrations,
        first.due,
    );
}

fn main() -> Result<()> {
    // Benches build into target/release, next to the release CLI (`cargo build --release -p
    // entra-setup-cli`, which `make bench` runs first).
    let program = paths::build_dir().join(format!("entra-setup{}", std::env::consts::EXE_SUFFIX));
    ensure!(
        program.is_file(),
        "{} is not built: cargo build --release -p entra-setup-cli",
        program.display()
    );
    let scenario = json!({"tenants": [
        tenant("11111111-2222-3333-4444-555555555555", "contoso.com", 1, true),
        tenant("4a7d1e2b-8c3f-4b6a-9d2e-5f1c7b3a9e80", "fabrikam.com", 2, false),
    ]});
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let dir = tempfile::tempdir()?;
    let started = Instant::now();
    let tenant = runtime.block_on(FakeTenant::start(
        Scenario::from_json(&scenario.to_string())?,
        StartOptions {
            ca_dir: Some(dir.path().to_path_buf()),
            ..StartOptions::default()
        },
    ))?;
    println!(
        "stand-in started with 2 tenants of {GENERATED} generated registrations in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let endpoints_file = dir.path().join("endpoints.json");
    std::fs::write(&endpoints_file, tenant.endpoints().ready_line())?;
    let one = dir.path().join("one-tenant.txt");
    std::fs::write(&one, "contoso.com\n")?;
    let two = dir.path().join("two-tenants.txt");
    std::fs::write(&two, "contoso.com\nfabrikam.com\n")?;

    println!(
        "entra-setup monitor scan --json (release build), stand-in in process, no added latency:"
    );
    for (name, file) in [
        ("1 tenant, 20,000 registrations", &one),
        ("2 tenants concurrently, 40,000", &two),
    ] {
        let mut samples = Vec::new();
        for _ in 0..ROUNDS {
            let home = tempfile::tempdir()?;
            samples.push(scan(&program, &tenant, &endpoints_file, home.path(), file)?);
        }
        report(name, &samples);
    }
    runtime.block_on(tenant.shutdown());
    Ok(())
}

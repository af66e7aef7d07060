//! `make bench`: how many round trips to Microsoft a whole `entra-setup verify --sign-in
//! device-code` takes for each seed profile, sign-ins included, as an administrator runs it: the
//! release CLI against the stand-in in this process, once with every answer (HTTP and SMTP)
//! delayed 150 ms and once with none. The difference, divided by 150 ms, is the number of round
//! trips on the critical path (its fraction is the stand-in's timers overshooting, about a
//! millisecond a delay, so the count is that rounded); the requests the stand-in counted show
//! nothing was saved by asking less. The goals (issue: verification in the fewest round trips): the email profile in 8
//! at most, the calendar profile in 4. Printed, never asserted.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use entra_fake_tenant::{FakeTenant, RequestCounts, Scenario, StartOptions, builtin};
use entra_setup_tests::paths;
use serde_json::{Value, json};

const LATENCY_MS: u64 = 150;
const ROUNDS: usize = 5;
const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const VENDOR_APP: &str = "ffffffff-0000-0000-0000-000000000001";
/// The example scenarios' secret (a made-up value of the stand-in's examples).
const SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";

/// A profile, its example scenario, the options verified with, and the goal in round trips.
struct Case {
    label: &'static str,
    profile: &'static str,
    options: &'static [&'static str],
    secret: bool,
    goal: Option<u32>,
}

const CASES: &[Case] = &[
    // The administrator only: no mailbox, so no mailbox owner signs in and the mailbox checks
    // are skipped (the measure of the calendar profile).
    Case {
        label: "calendar, administrator",
        profile: "axero-outlook-calendar",
        options: &[
            "--client-id",
            APP,
            "--site-url",
            "https://intranet.contoso.com",
        ],
        secret: true,
        goal: Some(4),
    },
    Case {
        label: "calendar, + mailbox owner",
        profile: "axero-outlook-calendar",
        options: &[
            "--client-id",
            APP,
            "--site-url",
            "https://intranet.contoso.com",
            "--mailbox",
            "intranet@contoso.com",
        ],
        secret: true,
        goal: None,
    },
    Case {
        label: "email, + mailbox owner",
        profile: "axero-m365-email",
        options: &[
            "--client-id",
            APP,
            "--site-url",
            "https://intranet.contoso.com",
            "--mailbox",
            "intranet@contoso.com",
            "--test-recipient",
            "bob@contoso.com",
        ],
        secret: true,
        goal: Some(8),
    },
    Case {
        label: "odoo calendar, administrator",
        profile: "odoo-outlook-calendar",
        options: &["--client-id", APP, "--site-url", "https://odoo.contoso.com"],
        secret: true,
        goal: None,
    },
    Case {
        label: "connector, administrator",
        profile: "exchange-calendar-connector",
        options: &["--client-id", APP, "--mailbox", "intranet@contoso.com"],
        secret: true,
        goal: None,
    },
    Case {
        label: "vendor app, administrator",
        profile: "vendor-app-consent",
        options: &["--client-id", VENDOR_APP],
        secret: false,
        goal: None,
    },
];

/// The profile's example scenario, the administrator then the mailbox owner signing in without
/// a page.
fn scenario(profile: &str) -> Result<Scenario> {
    let text = builtin::SCENARIOS
        .iter()
        .find(|(name, _)| *name == profile)
        .with_context(|| format!("no example scenario {profile}"))?
        .1;
    let mut json: Value = serde_json::from_str(text)?;
    json["sign_in"] = json!({ "as": ["admin@contoso.com", "intranet@contoso.com"] });
    Ok(Scenario::from_json(&json.to_string())?)
}

struct Sample {
    wall: Duration,
    requests: RequestCounts,
}

/// One `verify --json`, timed from spawn to exit, against a fresh stand-in answering after
/// `latency_ms`.
fn verify(program: &Path, case: &Case, latency_ms: u64) -> Result<Sample> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let dir = tempfile::tempdir()?;
    let tenant = runtime.block_on(FakeTenant::start(
        scenario(case.profile)?,
        StartOptions {
            ca_dir: Some(dir.path().to_path_buf()),
            latency_ms: Some(latency_ms),
            ..StartOptions::default()
        },
    ))?;
    let endpoints = dir.path().join("endpoints.json");
    std::fs::write(&endpoints, tenant.endpoints().ready_line())?;
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home)?;

    let mut command = Command::new(program);
    command
        .env("ENTRA_SETUP_HOME", &home)
        .arg("--endpoints")
        .arg(&endpoints)
        .args(["--no-progress", "verify", "--profile", case.profile])
        .args([
            "--tenant",
            "contoso.com",
            "--sign-in",
            "device-code",
            "--json",
        ])
        .args(case.options);
    if case.secret {
        command.arg("--secret-stdin");
    }
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("start entra-setup")?;
    if let Some(mut stdin) = child.stdin.take()
        && case.secret
    {
        stdin.write_all(SECRET.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    let wall = started.elapsed();
    let requests = tenant.requests();
    runtime.block_on(tenant.shutdown());

    let report: Value = serde_json::from_slice(&output.stdout).with_context(|| {
        format!(
            "{}: verify's JSON; stderr: {}",
            case.profile,
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let not_passing: Vec<&Value> = report["checks"]
        .as_array()
        .context("checks")?
        .iter()
        .filter(|c| c["status"] != "pass" && c["status"] != "skipped")
        .collect();
    ensure!(
        not_passing.is_empty() && output.status.success(),
        "{}: every check run passes on its healthy scenario, but: {not_passing:#?}",
        case.profile
    );
    Ok(Sample { wall, requests })
}

fn median(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    (
        values[values.len() / 2],
        values[0],
        values[values.len() - 1],
    )
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
    println!(
        "entra-setup verify --sign-in device-code (release build), administrator and mailbox owner signing in, \
         every answer delayed {LATENCY_MS} ms against none; median and min–max of {ROUNDS} rounds:"
    );
    for case in CASES {
        let (mut slow, mut fast) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            fast.push(verify(&program, case, 0)?);
            slow.push(verify(&program, case, LATENCY_MS)?);
        }
        let trips: Vec<f64> = slow
            .iter()
            .zip(&fast)
            .map(|(s, f)| {
                (s.wall.as_secs_f64() - f.wall.as_secs_f64()) * 1000.0 / LATENCY_MS as f64
            })
            .collect();
        let (trips, trips_min, trips_max) = median(trips);
        let (wall, _, _) = median(slow.iter().map(|s| s.wall.as_secs_f64() * 1000.0).collect());
        let (bare, bare_min, bare_max) =
            median(fast.iter().map(|s| s.wall.as_secs_f64() * 1000.0).collect());
        let requests = &slow[0].requests;
        let count = trips.round() as u32;
        let goal = case
            .goal
            .map(|g| {
                format!(
                    "   goal ≤ {g}: {}",
                    if count <= g { "met" } else { "NOT met" }
                )
            })
            .unwrap_or_default();
        println!(
            "  {:<30} {count:>2} round trips ({trips:.2}; {trips_min:.2}–{trips_max:.2}), {wall:.0} ms at {LATENCY_MS} ms, \
             {bare:.0} ms ({bare_min:.0}–{bare_max:.0}) with none; {} HTTP requests ({} login){goal}",
            case.label,
            requests.graph + requests.login,
            requests.login,
        );
    }
    Ok(())
}

//! `make bench`: how long the app takes from launch to its first interactive screen (the start
//! screen with the integrations listed) and how much memory its process tree holds (the app and
//! its WebKit web and network processes, resident set), next to a minimal Tauri window
//! (`src-tauri/examples/minimal_window.rs`) measured the same way in the same run. Each is
//! launched over WebDriver under Xvfb, as in the end-to-end tests; the timings include the
//! WebDriver session's start, which is the same for both. Printed, never asserted.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use entra_setup_tests::desktop::Desktop;
use entra_setup_tests::paths;

const RUNS: usize = 3;

struct Sample {
    ready: Duration,
    rss_kib: u64,
    processes: usize,
}

fn ppid_and_rss(pid: u32) -> Option<(u32, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    Some((field("PPid:")? as u32, field("VmRSS:").unwrap_or(0)))
}

/// The resident memory of `program`'s process and all its descendants.
fn tree_rss(program: &Path) -> (u64, usize) {
    let pids: Vec<u32> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    let root = pids.iter().copied().find(|pid| {
        std::fs::read_link(format!("/proc/{pid}/exe"))
            .map(|exe| exe == program)
            .unwrap_or(false)
    });
    let Some(root) = root else { return (0, 0) };
    let table: Vec<(u32, u32, u64)> = pids
        .iter()
        .filter_map(|pid| ppid_and_rss(*pid).map(|(ppid, rss)| (*pid, ppid, rss)))
        .collect();
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            table
                .iter()
                .filter(|(_, ppid, _)| *ppid == parent)
                .map(|(pid, _, _)| *pid),
        );
        i += 1;
    }
    let rss = table
        .iter()
        .filter(|(pid, _, _)| tree.contains(pid))
        .map(|(_, _, rss)| rss)
        .sum();
    (rss, tree.len())
}

async fn measure(program: &Path, ready_css: &str) -> Result<Sample> {
    let start = Instant::now();
    let desktop = Desktop::start_program(program.to_path_buf()).await?;
    desktop.wait_for(ready_css).await?;
    let ready = start.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (rss_kib, processes) = tree_rss(program);
    desktop.stop().await?;
    Ok(Sample {
        ready,
        rss_kib,
        processes,
    })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn report(name: &str, samples: &[Sample]) {
    let ready = median(
        samples
            .iter()
            .map(|s| s.ready.as_secs_f64() * 1000.0)
            .collect(),
    );
    let rss = median(samples.iter().map(|s| s.rss_kib as f64 / 1024.0).collect());
    let processes = samples.iter().map(|s| s.processes).max().unwrap_or(0);
    println!(
        "{name:<28} launch to first interactive screen {ready:>7.0} ms   memory {rss:>6.1} MiB in {processes} processes   (median of {})",
        samples.len()
    );
}

fn main() -> Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    // Benches build into target/release; the programs measured are the debug builds the
    // end-to-end tests use (`cargo build -p entra-setup-app --bin entra-setup-app --example minimal_window`).
    let debug: PathBuf = paths::build_dir()
        .parent()
        .context("target folder")?
        .join("debug");
    let app = debug.join("entra-setup-app");
    let minimal = debug.join("examples/minimal_window");
    anyhow::ensure!(
        app.exists(),
        "build the app first: cargo build -p entra-setup-app"
    );
    anyhow::ensure!(
        minimal.exists(),
        "build the baseline first: cargo build -p entra-setup-app --example minimal_window"
    );
    let (mut ours, mut baseline) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        baseline.push(
            runtime
                .block_on(measure(&minimal, "#ready"))
                .context("minimal window")?,
        );
        ours.push(
            runtime
                .block_on(measure(
                    &app,
                    "[data-testid='profile-list'] [data-testid^='profile-card-']",
                ))
                .context("Entra Setup Wizard")?,
        );
    }
    println!("Launch and memory under Xvfb (debug builds, WebDriver session start included):");
    report("minimal Tauri window", &baseline);
    report("Entra Setup Wizard", &ours);
    Ok(())
}

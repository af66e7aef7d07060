//! `make bench`: how long the app takes from launch to its first interactive screen (the start
//! screen with the integrations listed), how much memory its process tree holds at that moment
//! and how much CPU it spent getting there, next to a bare Tauri window
//! (`src-tauri/examples/minimal_window.rs`) measured the same way in the same run, in turns.
//!
//! Both are release builds, launched under Xvfb through WebDriver (as the end-to-end tests do),
//! but WebDriver's cost is left out: the clock starts when the program's process appears (a
//! thread watches `/proc` every millisecond) and stops at the page's own `first-screen` User
//! Timing mark (`performance.timeOrigin + mark.startTime`, the same wall clock), which the app
//! sets when its cards are in the page and the bare window when its heading is. Memory is the
//! proportional set size (`Pss` of `/proc/PID/smaps_rollup`) summed over the program and the
//! WebKit processes it started; CPU is their user and system time. Each figure is the median of
//! the rounds with its spread (min–max), and each ratio is taken round by round. Printed, never
//! asserted.
//!
//! To compare a variant (another build of the app), `LAUNCH_APP=/path/to/program` measures that
//! program in the app's place, and `LAUNCH_ROUNDS=N` sets the number of rounds (7 by default);
//! `LAUNCH_TIMELINE=1` prints the page's timeline up to the mark.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use entra_setup_tests::desktop::Desktop;
use entra_setup_tests::paths;

const ROUNDS: usize = 7;
/// Milliseconds per clock tick of `/proc/PID/stat` (Linux reports them at USER_HZ, 100 a second).
const TICK_MS: f64 = 10.0;

/// One launch's figures.
struct Sample {
    /// Process start → the `first-screen` mark.
    launch_ms: f64,
    /// Process start → the page's navigation start (the native side: Tauri, WebKit's processes,
    /// the app's own setup).
    native_ms: f64,
    /// Navigation start → DOMContentLoaded (the page's scripts loaded and run).
    document_ms: f64,
    /// Proportional set size of the process tree at the mark, MiB.
    pss_mib: f64,
    /// CPU time of the process tree at the mark, ms.
    cpu_ms: f64,
    processes: usize,
    /// PSS of each process of the tree by its name, MiB.
    by_process: Vec<(String, f64)>,
}

/// Every process id in `/proc`.
fn pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect()
}

fn runs(pid: u32, program: &Path) -> bool {
    std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe == program)
}

/// Watches `/proc` from now until a process of `program` appears: its pid and when it appeared.
struct SpawnWatch {
    found: Arc<Mutex<Option<(u32, SystemTime)>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SpawnWatch {
    fn start(program: &Path) -> SpawnWatch {
        let found = Arc::new(Mutex::new(None));
        let stop = Arc::new(AtomicBool::new(false));
        let before: Vec<u32> = pids().into_iter().filter(|p| runs(*p, program)).collect();
        let (program, found_in, stop_in) = (program.to_path_buf(), found.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !stop_in.load(Ordering::Relaxed) {
                if let Some(pid) = pids()
                    .into_iter()
                    .find(|p| !before.contains(p) && runs(*p, &program))
                {
                    *found_in.lock().expect("watch lock") = Some((pid, SystemTime::now()));
                    return;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        SpawnWatch {
            found,
            stop,
            thread: Some(thread),
        }
    }

    fn result(mut self) -> Option<(u32, SystemTime)> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        *self.found.lock().expect("watch lock")
    }
}

/// `pid` and every process below it.
fn tree(root: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = pids()
        .into_iter()
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let ppid = stat_fields(&stat).get(1)?.parse().ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|(_, ppid)| *ppid == parent)
                .map(|(pid, _)| *pid),
        );
        i += 1;
    }
    tree
}

/// The fields of `/proc/PID/stat` after the command name (state is the first).
fn stat_fields(stat: &str) -> Vec<&str> {
    stat.rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default()
}

/// `Pss` of `/proc/PID/smaps_rollup`, KiB.
fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|rollup| {
            rollup
                .lines()
                .find(|l| l.starts_with("Pss:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// User and system CPU time of `pid`, clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .map(|stat| {
            let fields = stat_fields(&stat);
            // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
            [11, 12]
                .iter()
                .filter_map(|i| fields.get(*i)?.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0)
}

fn epoch_ms(at: SystemTime) -> f64 {
    at.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// Waits in the page for the `first-screen` mark and answers the page's clock readings.
const READ_MARK: &str = r#"
const done = arguments[arguments.length - 1];
const read = () => {
  const mark = performance.getEntriesByName("first-screen", "mark")[0];
  if (!mark) { requestAnimationFrame(read); return; }
  const nav = performance.getEntriesByType("navigation")[0];
  done({
    origin: performance.timeOrigin,
    mark: mark.startTime,
    dcl: nav ? nav.domContentLoadedEventEnd : mark.startTime,
    entries: performance.getEntries()
      .filter((e) => e.startTime <= mark.startTime)
      .map((e) => `${e.startTime.toFixed(0).padStart(5)} +${e.duration.toFixed(0).padStart(4)} ms  ${e.entryType} ${e.name}`),
  });
};
read();
"#;

async fn measure(program: &Path, ready_css: &str) -> Result<Sample> {
    let watch = SpawnWatch::start(program);
    let desktop = Desktop::start_program(program.to_path_buf()).await?;
    // The WebDriver session may begin on a page the window then leaves: the mark is read on
    // the page that shows the ready content.
    desktop.wait_for(ready_css).await?;
    let page = desktop
        .client
        .execute_async(READ_MARK, vec![])
        .await
        .context("read the first-screen mark")?;
    let Some((pid, spawned)) = watch.result() else {
        desktop.stop().await?;
        bail!("{} did not appear in /proc", program.display());
    };
    let processes = tree(pid);
    let pss: u64 = processes.iter().map(|p| pss_kib(*p)).sum();
    let by_process = processes
        .iter()
        .map(|p| {
            let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
            (name.trim().to_string(), pss_kib(*p) as f64 / 1024.0)
        })
        .collect();
    let ticks: u64 = processes.iter().map(|p| cpu_ticks(*p)).sum();
    desktop.stop().await?;

    let number = |name: &str| {
        page.get(name)
            .and_then(serde_json::Value::as_f64)
            .with_context(|| format!("the page's {name}"))
    };
    let (origin, mark, dcl) = (number("origin")?, number("mark")?, number("dcl")?);
    if std::env::var_os("LAUNCH_TIMELINE").is_some() {
        // The page's timeline up to the mark (scripts, styles, IPC calls, marks), for finding
        // where the time goes.
        println!(
            "timeline of {} (ms from navigation start):",
            program.display()
        );
        for entry in page["entries"].as_array().into_iter().flatten() {
            println!("  {}", entry.as_str().unwrap_or_default());
        }
    }
    let start = epoch_ms(spawned);
    Ok(Sample {
        launch_ms: origin + mark - start,
        native_ms: origin - start,
        document_ms: dcl,
        pss_mib: pss as f64 / 1024.0,
        cpu_ms: ticks as f64 * TICK_MS,
        processes: processes.len(),
        by_process,
    })
}

/// Median, min and max.
struct Spread {
    median: f64,
    min: f64,
    max: f64,
}

fn spread(mut values: Vec<f64>) -> Spread {
    values.sort_by(|a, b| a.total_cmp(b));
    Spread {
        median: values[values.len() / 2],
        min: values[0],
        max: values[values.len() - 1],
    }
}

fn show(unit: &str, s: &Spread) -> String {
    format!("{:.0} {unit} ({:.0}–{:.0})", s.median, s.min, s.max)
}

fn report(name: &str, samples: &[Sample]) {
    let of = |f: fn(&Sample) -> f64| spread(samples.iter().map(f).collect());
    println!("{name}");
    println!(
        "  launch to first interactive screen {}: process start to page {}, page to DOMContentLoaded {}",
        show("ms", &of(|s| s.launch_ms)),
        show("ms", &of(|s| s.native_ms)),
        show("ms", &of(|s| s.document_ms)),
    );
    let pss = of(|s| s.pss_mib);
    println!(
        "  memory (PSS) {:.1} MiB ({:.1}–{:.1}) in {} processes, CPU {}",
        pss.median,
        pss.min,
        pss.max,
        samples.iter().map(|s| s.processes).max().unwrap_or(0),
        show("ms", &of(|s| s.cpu_ms)),
    );
    let mut names: Vec<&str> = samples
        .iter()
        .flat_map(|s| s.by_process.iter().map(|(n, _)| n.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    let parts: Vec<String> = names
        .iter()
        .map(|name| {
            let each = spread(
                samples
                    .iter()
                    .map(|s| {
                        s.by_process
                            .iter()
                            .filter(|(n, _)| n == name)
                            .map(|(_, mib)| mib)
                            .sum()
                    })
                    .collect(),
            );
            format!("{name} {:.1}", each.median)
        })
        .collect();
    println!("  PSS by process, MiB: {}", parts.join(", "));
}

fn ratio(name: &str, ours: &[Sample], base: &[Sample], f: fn(&Sample) -> f64) {
    let r = spread(ours.iter().zip(base).map(|(o, b)| f(o) / f(b)).collect());
    println!("  {name:<10} {:.2}× ({:.2}–{:.2})", r.median, r.min, r.max);
}

fn main() -> Result<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    // The release builds: `cargo build --release -p entra-setup-app --bin entra-setup-app
    // --example minimal_window` (make bench).
    let release: PathBuf = paths::workspace_root().join("target/release");
    let release = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| PathBuf::from(dir).join("release"))
        .unwrap_or(release);
    let app = std::env::var_os("LAUNCH_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| release.join("entra-setup-app"));
    let rounds = match std::env::var("LAUNCH_ROUNDS") {
        Ok(n) => n
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .with_context(|| format!("LAUNCH_ROUNDS: {n:?} is not a number of rounds"))?,
        Err(_) => ROUNDS,
    };
    let minimal = release.join("examples/minimal_window");
    for (program, build) in [
        (&app, "cargo build --release -p entra-setup-app"),
        (
            &minimal,
            "cargo build --release -p entra-setup-app --example minimal_window",
        ),
    ] {
        anyhow::ensure!(program.exists(), "build it first: {build}");
    }
    let (mut ours, mut baseline) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // In turns, each going first every other round, so that neither always finds the
        // page cache warm.
        let order = if round % 2 == 0 {
            [&minimal, &app]
        } else {
            [&app, &minimal]
        };
        for program in order {
            let ready_css = if program == &app {
                "[data-testid='profile-list'] [data-testid^='profile-card-']"
            } else {
                "#ready"
            };
            let sample = runtime
                .block_on(measure(program, ready_css))
                .with_context(|| format!("{}", program.display()))?;
            if program == &app {
                ours.push(sample);
            } else {
                baseline.push(sample);
            }
        }
    }
    println!(
        "Launch under Xvfb, release builds, WebDriver's cost left out (median and min–max of {rounds} rounds):"
    );
    report("bare Tauri window", &baseline);
    report("Entra Setup Wizard", &ours);
    println!("Ratios, round by round (the goal: 1.15× or less):");
    ratio("launch", &ours, &baseline, |s| s.launch_ms);
    ratio("memory", &ours, &baseline, |s| s.pss_mib);
    ratio("CPU", &ours, &baseline, |s| s.cpu_ms);
    Ok(())
}

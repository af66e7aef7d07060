//! The real desktop app, driven over WebDriver.
//!
//! [`Desktop::start`] starts a virtual display (`Xvfb`), a private D-Bus session
//! (`dbus-run-session`, which the app's single-instance lock and the Secret Service need) with an
//! unlocked gnome-keyring and `tauri-driver`, all with a temporary `HOME`, and opens a WebDriver
//! session that launches the built app. Dropping it ends the session and stops `tauri-driver`
//! with SIGTERM (SIGKILL would leave `WebKitWebDriver` holding its port), then the bus and the
//! display.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::{Client, ClientBuilder, Locator};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::paths;

/// A running app with a WebDriver session on it.
pub struct Desktop {
    /// The WebDriver session.
    pub client: Client,
    /// The temporary home folder the app runs with (`HOME` and `ENTRA_SETUP_HOME`).
    pub home: tempfile::TempDir,
    driver: Child,
    display: Child,
    port: u16,
    app: PathBuf,
}

impl Desktop {
    /// Start the app built at `target/<profile>/entra-setup-app`.
    pub async fn start() -> Result<Desktop> {
        Self::start_in(Self::new_home()?).await
    }

    /// A temporary home folder, to fill before [`Desktop::start_in`] (the app's config folder is
    /// `HOME/entra-setup`).
    pub fn new_home() -> Result<tempfile::TempDir> {
        Ok(tempfile::Builder::new()
            .prefix("entra-setup-e2e-")
            .tempdir()?)
    }

    /// Start the app with `home` as its home folder.
    pub async fn start_in(home: tempfile::TempDir) -> Result<Desktop> {
        let desktop = Self::start_program_in(paths::program("entra-setup-app"), home).await?;
        desktop.keep_rendering().await?;
        Ok(desktop)
    }

    /// Start the Tauri program at `app` (the app, or another Tauri binary to compare with).
    pub async fn start_program(app: PathBuf) -> Result<Desktop> {
        Self::start_program_in(app, Self::new_home()?).await
    }

    /// Start the Tauri program at `app` with `home` as its home folder.
    async fn start_program_in(app: PathBuf, home: tempfile::TempDir) -> Result<Desktop> {
        let (display, display_number) = start_display()?;
        let port = free_port()?;
        let native_port = free_port()?;
        // The driver, WebKit and the session bus are chatty: their output goes to a log file
        // beside the screenshots rather than into the test report.
        let log_path = paths::screenshot_dir().join("tauri-driver.log");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)?;
        // The session has its own unlocked keychain (gnome-keyring's Secret Service), as an
        // administrator's desktop does: the app keeps the secrets it makes there at once
        // instead of waiting on a keychain that would ask for a password nobody can type.
        let driver = Command::new("dbus-run-session")
            .args([
                "--",
                "sh",
                "-c",
                "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
                 exec tauri-driver --port \"$0\" --native-port \"$1\"",
                &port.to_string(),
                &native_port.to_string(),
            ])
            .env("DISPLAY", format!(":{display_number}"))
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .env("XDG_DATA_HOME", home.path().join(".local/share"))
            .env("XDG_CACHE_HOME", home.path().join(".cache"))
            .env("ENTRA_SETUP_HOME", home.path().join("entra-setup"))
            // WebKit's GPU paths need a real GPU; the virtual display has none.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("start dbus-run-session with gnome-keyring and tauri-driver (scripts/install-deps.sh test)")?;
        let mut desktop_parts = Parts {
            driver: Some(driver),
            display: Some(display),
        };
        wait_for_port(port, Duration::from_secs(30))
            .await
            .context("tauri-driver did not start listening")?;
        let client = connect(port, &app).await?;
        let (driver, display) = desktop_parts.take();
        Ok(Desktop {
            client,
            home,
            driver,
            display,
            port,
            app,
        })
    }

    /// WebKitWebDriver waits for the page's next rendering update before a screenshot or a click;
    /// on a virtual display a page that does not change produces none, and the driver would wait
    /// forever. A one-pixel, nearly transparent element animating in a corner keeps updates
    /// coming; it is hidden from assistive technology.
    async fn keep_rendering(&self) -> Result<()> {
        self.wait_for("#root > *").await?;
        self.client
            .execute(
                "const style = document.createElement('style');
                 style.textContent = '@keyframes e2e-tick { from { opacity: 0.02 } to { opacity: 0.03 } } \
                   #e2e-tick { position: fixed; right: 0; bottom: 0; width: 1px; height: 1px; \
                   background: #888; animation: e2e-tick 0.2s infinite alternate; pointer-events: none; }';
                 document.head.appendChild(style);
                 const tick = document.createElement('div');
                 tick.id = 'e2e-tick';
                 tick.setAttribute('aria-hidden', 'true');
                 document.body.appendChild(tick);
                 return true;",
                vec![],
            )
            .await
            .context("keep the page rendering")?;
        Ok(())
    }

    /// End the app abruptly (the WebDriver session's end kills its process) and launch it again
    /// with the same home folder, as after a crash.
    pub async fn restart(&mut self) -> Result<()> {
        let _ = self.client.clone().close().await;
        self.client = connect(self.port, &self.app).await?;
        self.keep_rendering().await
    }

    /// Wait until an element matching the CSS selector exists, and return it. An element the
    /// page replaces while WebDriver looks it up (a stale reference) is not there yet: the wait
    /// goes on, within the same 30 s.
    pub async fn wait_for(&self, css: &str) -> Result<fantoccini::elements::Element> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self
                .client
                .wait()
                .at_most(left)
                .for_element(Locator::Css(css))
                .await
            {
                Err(e) if e.is_stale_element_reference() && !left.is_zero() => {}
                found => {
                    return found.with_context(|| format!("no element matches {css} within 30 s"));
                }
            }
        }
    }

    /// Save a screenshot as `target/e2e-screenshots/NAME.png` and return its path.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self.client.screenshot().await?;
        let path = paths::screenshot_dir().join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// What a failed test leaves for the person reading it, under `target/e2e-screenshots/`:
    /// `NAME.png` (the window, and `NAME-page.png`, the whole page where the driver can take
    /// it) and `NAME.txt` with the error, `window.scrollY`, the page's text (an error message at
    /// the top included) and the end of the app's and the driver's log. Each part is taken on
    /// its own with a time limit, so a stuck page still leaves the rest.
    pub async fn save_failure(&self, name: &str, error: &anyhow::Error) -> PathBuf {
        let limit = Duration::from_secs(10);
        let mut report = format!("{name} failed: {error:#}\n\n");
        if let Err(e) = tokio::time::timeout(limit, self.screenshot(name)).await {
            report.push_str(&format!("(no screenshot: {e})\n"));
        }
        if let Ok(Ok(root)) =
            tokio::time::timeout(limit, self.client.find(Locator::Css("#root"))).await
            && let Ok(Ok(png)) = tokio::time::timeout(limit, root.screenshot()).await
        {
            let _ = std::fs::write(
                paths::screenshot_dir().join(format!("{name}-page.png")),
                png,
            );
        }
        let page = tokio::time::timeout(
            limit,
            self.client.execute(
                "return { scrollY: window.scrollY, text: document.body.innerText };",
                vec![],
            ),
        )
        .await;
        match page {
            Ok(Ok(page)) => report.push_str(&format!(
                "window.scrollY: {}\n\npage text:\n{}\n",
                page["scrollY"],
                page["text"].as_str().unwrap_or("")
            )),
            Ok(Err(e)) => report.push_str(&format!("(page not readable: {e})\n")),
            Err(_) => report.push_str("(page not readable within 10 s)\n"),
        }
        for log in [
            self.home.path().join("entra-setup/logs"),
            paths::screenshot_dir().join("tauri-driver.log"),
        ] {
            report.push_str(&format!("\n--- {} (last 200 lines)\n", log.display()));
            report.push_str(&log_tail(&log, 200));
        }
        let path = paths::screenshot_dir().join(format!("{name}.txt"));
        let _ = std::fs::write(&path, report);
        path
    }

    /// End the WebDriver session (which closes the app), then stop the driver and the display.
    pub async fn stop(self) -> Result<()> {
        let Desktop {
            client,
            home,
            driver,
            display,
            ..
        } = self;
        let closed = client.close().await;
        drop(Parts {
            driver: Some(driver),
            display: Some(display),
        });
        drop(home);
        closed.context("end the WebDriver session")
    }
}

/// The last `lines` lines of a log file, or of every file in a log folder, in name order.
fn log_tail(path: &Path, lines: usize) -> String {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(_) => vec![path.to_path_buf()],
    };
    files.sort();
    let text: String = files
        .iter()
        .filter_map(|f| std::fs::read(f).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    if text.is_empty() {
        return "(nothing)\n".into();
    }
    let all: Vec<&str> = text.lines().collect();
    let mut tail = all[all.len().saturating_sub(lines)..].join("\n");
    tail.push('\n');
    tail
}

/// The processes behind a [`Desktop`], stopped in order when dropped (also when a test fails
/// half-way through starting).
struct Parts {
    driver: Option<Child>,
    display: Option<Child>,
}

impl Parts {
    fn take(&mut self) -> (Child, Child) {
        (
            self.driver.take().expect("driver"),
            self.display.take().expect("display"),
        )
    }
}

impl Drop for Parts {
    fn drop(&mut self) {
        if let Some(mut driver) = self.driver.take() {
            // tauri-driver runs as dbus-run-session's child: SIGTERM it, and dbus-run-session
            // then ends the bus and exits by itself.
            for pid in children(driver.id()) {
                let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
            }
            if !wait_exit(&mut driver, Duration::from_secs(10)) {
                let _ = kill(Pid::from_raw(driver.id() as i32), Signal::SIGTERM);
                wait_exit(&mut driver, Duration::from_secs(5));
            }
        }
        if let Some(mut display) = self.display.take() {
            let _ = kill(Pid::from_raw(display.id() as i32), Signal::SIGTERM);
            wait_exit(&mut display, Duration::from_secs(5));
        }
    }
}

fn wait_exit(child: &mut Child, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Ok(Some(_)) = child.try_wait() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// The direct children of a process (Linux `/proc`).
fn children(pid: u32) -> Vec<i32> {
    let path = format!("/proc/{pid}/task/{pid}/children");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// Start `Xvfb` on a display number it picks itself, and return it with the number.
fn start_display() -> Result<(Child, u32)> {
    use std::io::Read;
    let (mut reader, writer) = std::io::pipe()?;
    let display = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x860x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(writer)
        .stderr(Stdio::null())
        .spawn()
        .context("start Xvfb (apt install xvfb)")?;
    let mut number = String::new();
    let mut byte = [0u8; 1];
    while reader.read(&mut byte)? == 1 && byte[0] != b'\n' {
        number.push(byte[0] as char);
    }
    let number = number
        .trim()
        .parse()
        .with_context(|| format!("Xvfb printed no display number: {number:?}"))?;
    Ok((display, number))
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn wait_for_port(port: u16, limit: Duration) -> Result<()> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("nothing listens on port {port} after {limit:?}")
}

async fn connect(port: u16, app: &Path) -> Result<Client> {
    // Two crypto providers are compiled in (fantoccini's and reqwest's); pick one. An error only
    // means a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), "wry".into());
    // The app never navigates; without this WebKitWebDriver may wait forever for a navigation
    // it believes pending (after a click whose handler calls the shell).
    capabilities.insert("pageLoadStrategy".into(), "none".into());
    capabilities.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app.display().to_string() }),
    );
    ClientBuilder::rustls()?
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .context("open a WebDriver session on the app")
}

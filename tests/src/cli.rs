//! Running the real `entra-setup` binary with a home folder of its own, optionally against a
//! stand-in, with stdin and extra environment; the exit code, stdout and stderr; or started and
//! read line by line while it runs ([`spawn_entra_setup`]). Also the reminders a home folder
//! keeps ([`reminders_list`]).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::paths::program;
use crate::stand_in::StandIn;

/// What a run printed and how it ended.
#[derive(Debug, Clone)]
pub struct Run {
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Standard output as one JSON document (panics with both streams otherwise).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is one JSON document ({e}): {}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// `entra-setup [--endpoints FILE] --no-progress --timeout 5` with `ENTRA_SETUP_HOME=home`,
/// pointed at `stand_in` when given; a sign-in client set in the caller's environment is not
/// inherited.
fn command(home: &Path, stand_in: Option<&StandIn>) -> Command {
    let mut command = Command::new(program("entra-setup"));
    command
        .env("ENTRA_SETUP_HOME", home)
        .env_remove("ENTRA_SETUP_SIGN_IN_CLIENT");
    if let Some(stand_in) = stand_in {
        command.arg("--endpoints").arg(stand_in.endpoints_file());
    }
    command.args(["--no-progress", "--timeout", "5"]);
    command
}

/// Run `entra-setup --no-progress --timeout 5 ARGS` with `ENTRA_SETUP_HOME=home`, pointed at
/// `stand_in` when given, `stdin` written to its standard input (closed otherwise) and `env`
/// added to its environment. A sign-in client set in the caller's environment is not inherited.
pub fn run(
    home: &Path,
    stand_in: Option<&StandIn>,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Run {
    let mut child = command(home, stand_in)
        .envs(env.iter().copied())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start entra-setup");
    if let Some(text) = stdin {
        feed(&mut child, text);
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().expect("wait for entra-setup");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Write `text` and a newline to `child`'s standard input. A command that refuses its options
/// exits without reading its input, so the pipe may be closed already: that is not the test's
/// failure (the command's exit code and output say what happened).
pub fn feed(child: &mut std::process::Child, text: &str) {
    let mut input = child.stdin.take().expect("stdin");
    match writeln!(input, "{text}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.expect("write stdin"),
    }
}

/// `entra-setup reminders list --json` with `ENTRA_SETUP_HOME=home`: the reminders kept there.
pub fn reminders_list(home: &Path) -> Value {
    run(home, None, &["reminders", "list", "--json"], None, &[]).json()
}

/// [`run`] against a stand-in on a machine without a keychain (no Secret Service on the session
/// bus, unless `env` names another bus): secrets are only shown, never kept.
pub fn entra_setup(
    stand_in: &StandIn,
    home: &Path,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Run {
    let mut all = vec![NO_KEYCHAIN];
    all.extend_from_slice(env);
    run(home, Some(stand_in), args, stdin, &all)
}

/// A session bus address where nothing answers: the keychain is unavailable.
pub const NO_KEYCHAIN: (&str, &str) = ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");

/// Every file under `dir`, recursively, as (path, bytes).
pub fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            found.push((path, bytes));
        }
    }
    found
}

/// A running `entra-setup` whose standard error is read line by line while it runs (to act on
/// what it prints while it waits, such as an admin-consent link).
pub struct Running {
    child: std::process::Child,
    stderr_lines: std::sync::mpsc::Receiver<String>,
    stderr_seen: Vec<String>,
    stdout: std::thread::JoinHandle<String>,
}

/// Start `entra-setup --endpoints … --no-progress --timeout 5 ARGS` with `ENTRA_SETUP_HOME=home`
/// and standard input closed.
pub fn spawn_entra_setup(stand_in: &StandIn, home: &Path, args: &[&str]) -> Running {
    use std::io::{BufRead, BufReader, Read};
    let mut child = command(home, Some(stand_in))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run entra-setup");
    let stderr = child.stderr.take().expect("stderr");
    let (send, stderr_lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let mut out = child.stdout.take().expect("stdout");
    let stdout = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = out.read_to_string(&mut text);
        text
    });
    Running {
        child,
        stderr_lines,
        stderr_seen: Vec::new(),
        stdout,
    }
}

impl Running {
    /// The first line of standard error that `wanted` accepts, within `timeout`; panics with
    /// everything printed so far otherwise.
    pub fn stderr_line(
        &mut self,
        wanted: impl Fn(&str) -> bool,
        timeout: std::time::Duration,
    ) -> String {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.stderr_lines.recv_timeout(left) {
                Ok(line) => {
                    self.stderr_seen.push(line.clone());
                    if wanted(&line) {
                        return line;
                    }
                }
                Err(_) => {
                    let _ = self.child.kill();
                    panic!(
                        "no such line on stderr within {timeout:?}:\n{}",
                        self.stderr_seen.join("\n")
                    );
                }
            }
        }
    }

    /// Send SIGINT, as Ctrl-C at a terminal does.
    pub fn interrupt(&self) {
        let pid = i32::try_from(self.child.id()).expect("pid");
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGINT,
        )
        .expect("SIGINT");
    }

    /// Wait for the program to end: its exit code, stdout and all of its stderr.
    pub fn finish(mut self) -> Run {
        let status = self.child.wait().expect("wait for entra-setup");
        let stdout = self.stdout.join().expect("stdout reader");
        while let Ok(line) = self
            .stderr_lines
            .recv_timeout(std::time::Duration::from_secs(5))
        {
            self.stderr_seen.push(line);
        }
        Run {
            code: status.code(),
            stdout,
            stderr: self.stderr_seen.join("\n"),
        }
    }
}

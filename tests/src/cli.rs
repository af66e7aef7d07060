//! Running the real `entra-setup` binary with a home folder of its own, optionally against a
//! stand-in, with stdin and extra environment; the exit code, stdout and stderr.

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
    let mut command = Command::new(program("entra-setup"));
    command
        .env("ENTRA_SETUP_HOME", home)
        .env_remove("ENTRA_SETUP_SIGN_IN_CLIENT")
        .envs(env.iter().copied());
    if let Some(stand_in) = stand_in {
        command.arg("--endpoints").arg(stand_in.endpoints_file());
    }
    let mut child = command
        .args(["--no-progress", "--timeout", "5"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start entra-setup");
    if let Some(text) = stdin {
        writeln!(child.stdin.take().expect("stdin"), "{text}").expect("write stdin");
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().expect("wait for entra-setup");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
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

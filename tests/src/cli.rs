//! Running the real `entra-setup` binary against a stand-in: any command, with a given home
//! folder, standard input and environment, keeping its exit code, stdout and stderr.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::paths::program;
use crate::stand_in::StandIn;

/// What one run of `entra-setup` left.
#[derive(Debug, Clone)]
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Stdout as one JSON document (panics with both streams otherwise).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is one JSON document ({e}): {}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Run `entra-setup --endpoints … --no-progress --timeout 5 ARGS` with `ENTRA_SETUP_HOME=home`,
/// `stdin` written to standard input (closed otherwise) and the extra environment `env`.
pub fn entra_setup(
    stand_in: &StandIn,
    home: &Path,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Run {
    let mut command = Command::new(program("entra-setup"));
    command
        .env("ENTRA_SETUP_HOME", home)
        .env_remove("ENTRA_SETUP_SIGN_IN_CLIENT")
        .envs(env.iter().copied())
        .arg("--endpoints")
        .arg(stand_in.endpoints_file())
        .args(["--no-progress", "--timeout", "5"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("run entra-setup");
    if let Some(text) = stdin {
        writeln!(child.stdin.take().expect("stdin"), "{text}").expect("write stdin");
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().expect("wait for entra-setup");
    Run {
        code: output.status.code().expect("exit code"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Every file under `dir`, recursively, as (path, bytes).
pub fn files_under(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
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

//! Running the real `entra-setup` binary with a home folder of its own, optionally against a
//! stand-in, with stdin and extra environment; the exit code, stdout and stderr.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::paths::program;
use crate::stand_in::StandIn;

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Standard output as one JSON document.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is one JSON document ({e}): {}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Run `entra-setup ARGS` with `ENTRA_SETUP_HOME=home`, pointed at `stand_in` when given,
/// `stdin` written to its standard input and `env` added to its environment.
pub fn run(
    home: &Path,
    stand_in: Option<&StandIn>,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Run {
    let mut command = Command::new(program("entra-setup"));
    command.env("ENTRA_SETUP_HOME", home);
    for (name, value) in env {
        command.env(name, value);
    }
    if let Some(stand_in) = stand_in {
        command.arg("--endpoints").arg(stand_in.endpoints_file());
    }
    command
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
    let output = child.wait_with_output().expect("wait");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

//! One module per command; each calls the core and prints what it answers.

mod diagnose;
mod profiles;
pub mod register;
pub mod verify;

use std::path::PathBuf;

use crate::args::{Cli, Command};
use crate::exit::ExitStatus;

/// The options every command takes.
#[derive(Debug, Clone)]
pub struct Globals {
    /// `--endpoints FILE` / `ENTRA_SETUP_ENDPOINTS`.
    pub endpoints: Option<PathBuf>,
    /// `--cloud`.
    pub cloud: String,
    /// `--timeout` in seconds.
    pub timeout: u64,
    /// `--no-progress`.
    pub no_progress: bool,
}

/// Run the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let Cli {
        endpoints,
        cloud,
        timeout,
        no_progress,
        command,
    } = cli;
    let globals = Globals {
        endpoints,
        cloud,
        timeout,
        no_progress,
    };
    match command {
        Command::Profiles { json } => profiles::run(json),
        Command::Verify(args) => verify::run(&globals, *args),
        Command::Diagnose { json } => diagnose::run(json),
        Command::Register(args) => register::run(&globals, *args),
    }
}

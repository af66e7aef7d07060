//! One module per command; each calls the core and prints what it answers.

mod admin;
pub mod bundle;
mod diagnose;
mod keychain;
mod profiles;
pub mod register;
pub mod reminders;
pub mod rotate_secret;
pub mod verify;

use std::path::PathBuf;

use entra_setup_core::endpoints::{Cloud, Endpoints};
use entra_setup_core::validate::{self, Field, FieldContext};

use crate::args::{Cli, Command};
use crate::exit::{ExitStatus, UsageError};

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
        Command::RotateSecret(args) => rotate_secret::run(&globals, *args),
        Command::Bundle { command } => bundle::run(&globals, command),
        Command::Reminders { command } => reminders::run(&globals, command),
    }
}

/// Refuse an input that breaks an offline rule: exit 64 naming the option and why.
pub(crate) fn refuse_errors(field: Field, value: &str) -> Result<(), UsageError> {
    match validate::issues(field, value, &FieldContext::default())
        .into_iter()
        .find(|i| i.is_error())
    {
        Some(issue) => Err(UsageError(format!(
            "{}: {}",
            field.cli_option(),
            issue.message
        ))),
        None => Ok(()),
    }
}

/// Microsoft's endpoints for `--cloud`, or the `--endpoints` file (the stand-in's ready line).
pub(crate) fn endpoints(globals: &Globals) -> Result<Endpoints, UsageError> {
    match &globals.endpoints {
        Some(path) => {
            Endpoints::from_file(path).map_err(|e| UsageError(format!("--endpoints: {e}")))
        }
        None => {
            let cloud: Cloud = globals
                .cloud
                .parse()
                .map_err(|_| UsageError(format!("--cloud: unknown cloud '{}'", globals.cloud)))?;
            Ok(Endpoints::for_cloud(cloud))
        }
    }
}

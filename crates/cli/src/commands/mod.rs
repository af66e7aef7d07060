//! One module per command; each calls the core and prints what it answers.

mod profiles;

use crate::args::{Cli, Command};
use crate::exit::ExitStatus;

/// Run the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Profiles { json } => profiles::run(json),
    }
}

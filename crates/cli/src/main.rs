//! `entra-setup`: the headless front end of Entra Setup Wizard (contracts/cli.md).
//!
//! This binary parses the command line, calls the core and prints the result; every decision is
//! the core's. Exit statuses follow the contract: `0` pass, `1` failed, `2` unverified, `64` bad
//! usage or input.

mod args;
mod commands;
mod exit;
mod logging;
mod options;
mod output;

use clap::Parser;

use crate::exit::ExitStatus;

fn main() {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors; every other parse failure is bad usage.
            let status = if e.use_stderr() {
                ExitStatus::Usage
            } else {
                ExitStatus::Ok
            };
            let _ = e.print();
            std::process::exit(status.code());
        }
    };
    logging::install(cli.verbose);
    let status = match commands::run(cli) {
        Ok(status) => status,
        Err(e) => {
            eprintln!("entra-setup: {e:#}");
            // Bad usage, and a damaged file of ours (named in the message, never rewritten while
            // damaged), are 64: a cron line must not read them as "a secret needs rotating".
            let damaged = matches!(
                e.downcast_ref::<entra_setup_core::reminders::RegistryError>(),
                Some(entra_setup_core::reminders::RegistryError::Unreadable { .. })
            );
            if damaged || e.downcast_ref::<exit::UsageError>().is_some() {
                ExitStatus::Usage
            } else {
                ExitStatus::Failed
            }
        }
    };
    std::process::exit(status.code());
}

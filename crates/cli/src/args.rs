//! The command line, as contracts/cli.md defines it.

use clap::{Parser, Subcommand};

/// Register and verify Entra ID apps for third-party integrations.
#[derive(Debug, Parser)]
#[command(name = "entra-setup", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the integration profiles: the shipped ones and your own (profiles/*.toml in the
    /// config folder).
    Profiles {
        /// Print one JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
}

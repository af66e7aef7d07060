//! The command line, as contracts/cli.md defines it.

use clap::{Parser, Subcommand};

use crate::options::CloudOption;

/// Register and verify Entra ID apps for third-party integrations.
#[derive(Debug, Parser)]
#[command(name = "entra-setup", version, about, long_about = None)]
pub struct Cli {
    /// Where Microsoft is, as a JSON file {"login","graph","smtp","smtp_ca_pem"} (what
    /// entra-fake-tenant prints when ready). Plain http:// only for loopback addresses.
    #[arg(
        long,
        global = true,
        env = "ENTRA_SETUP_ENDPOINTS",
        value_name = "FILE"
    )]
    pub endpoints: Option<std::path::PathBuf>,
    /// Microsoft's national cloud, when no endpoints file is given.
    #[arg(long, global = true, value_enum, default_value_t = CloudOption::Global)]
    pub cloud: CloudOption,
    /// The time limit of each request to Microsoft, in seconds.
    #[arg(long, global = true, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=600), value_name = "SECONDS")]
    pub timeout: u64,
    /// Do not show the progress display on stderr.
    #[arg(long, global = true)]
    pub no_progress: bool,
    /// Log to stderr what is done: each request to Microsoft (status, milliseconds, Microsoft's
    /// request IDs) and each check; repeat for more detail (-vv, -vvv). RUST_LOG works too.
    /// Never a secret, token or code.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
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
    /// Verify every checkpoint of an integration live against Microsoft.
    Verify(Box<crate::commands::verify::VerifyArgs>),
    /// Create the app registration a profile needs, or repair an existing one (--client-id):
    /// account type, redirect URI, permissions, enterprise application, admin consent and a new
    /// secret; then verify it.
    Register(Box<crate::commands::register::RegisterArgs>),
    /// Add a new client secret to a registration beside the old ones and confirm it works; or,
    /// with --remove KEY_ID, remove an old one while another that works remains.
    RotateSecret(Box<crate::commands::rotate_secret::RotateSecretArgs>),
    /// Explain an error: reads any error text on stdin (an AADSTS message or JSON body, a Graph
    /// error, an SMTP reply, a product's error screen) and prints what it means and what to do.
    Diagnose {
        /// The integration the error comes from: its own findings come first, in its words.
        #[arg(long, value_name = "ID")]
        profile: Option<String>,
        /// Print one JSON document on stdout: {"findings": [...]}.
        #[arg(long)]
        json: bool,
    },
    /// Export the configuration bundle (.zip: settings, report, calendar, encrypted secret) or
    /// inspect one.
    Bundle {
        /// export or inspect.
        #[command(subcommand)]
        command: crate::commands::bundle::BundleCommand,
    },
    /// Reminders before client secrets expire: list, check (for cron), add, remove.
    Reminders {
        /// list, check, add or remove.
        #[command(subcommand)]
        command: crate::commands::reminders::RemindersCommand,
    },
    /// The unattended monitor: register the wizard's own monitor app (setup), scan every
    /// tenant's app credentials with no person signing in and alert (scan), print a daily
    /// schedule (schedule).
    Monitor {
        /// setup, scan or schedule.
        #[command(subcommand)]
        command: crate::commands::monitor::MonitorCommand,
    },
}

//! `entra-setup reminders list|check|add|remove` (contracts/cli.md): the registry of secrets
//! and their expiry in the config folder. `check` exits 1 when a secret expires within N days
//! (default 14) or has expired, for cron, Task Scheduler or a monitoring agent.
//!
//! For testing, `ENTRA_SETUP_NOW=RFC3339` sets the time `check` and `list` judge by.

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use entra_setup_core::paths::AppPaths;
use entra_setup_core::printable::printable;
use entra_setup_core::reminders::{self, DEFAULT_WITHIN_DAYS, Registry, Stage, Standing};
use entra_setup_core::validate::Field;
use serde_json::json;

use super::{Globals, admin, connect, keychain, refuse_errors, refuse_errors_as};
use crate::exit::{ExitStatus, UsageError};
use crate::options::{AdminSignIn, field_option};
use crate::output::print_json;

/// `reminders` subcommands.
#[derive(Debug, Subcommand)]
pub enum RemindersCommand {
    /// List every secret the reminders know, soonest expiry first.
    List {
        /// Print one JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Exit 1 when a secret expires within N days or has expired, 0 otherwise.
    Check {
        /// The window in days.
        #[arg(long, default_value_t = DEFAULT_WITHIN_DAYS, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=3650))]
        within_days: u32,
        /// Print one JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Remember a secret until it expires.
    Add(AddArgs),
    /// Forget a secret.
    Remove {
        /// The secret's ID (key id).
        #[arg(long, value_name = "GUID")]
        key_id: String,
    },
    /// Sign in as an administrator and list every app registration's secrets and certificates
    /// that expire within N days; exit 1 when there is one. --add keeps them (secrets and
    /// certificates) in the reminders.
    Scan(ScanArgs),
}

/// `reminders scan`'s options.
#[derive(Debug, Args)]
#[command(mut_arg("sign_in_client", |a| a.help(
    "The public client that signs people in (default: Microsoft Graph Command Line Tools)"
)))]
pub struct ScanArgs {
    /// The tenant: its Directory (tenant) ID or one of its domains.
    #[arg(long)]
    pub tenant: String,
    /// `--sign-in` and `--sign-in-client`.
    #[command(flatten)]
    pub sign_in: AdminSignIn,
    /// The window in days.
    #[arg(long, default_value_t = 30, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=3650))]
    pub within_days: u32,
    /// Keep the client secrets and certificates found in the reminders.
    #[arg(long)]
    pub add: bool,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `reminders add`'s options.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The tenant: its Directory (tenant) ID or one of its domains.
    #[arg(long)]
    pub tenant: String,
    /// The Application (client) ID.
    #[arg(long, value_name = "GUID")]
    pub client_id: String,
    /// The secret's ID (key id, shown under Certificates & secrets).
    #[arg(long, value_name = "GUID")]
    pub key_id: String,
    /// When the secret expires (RFC 3339, e.g. 2027-03-01T00:00:00Z).
    #[arg(long, value_name = "RFC3339")]
    pub expires: String,
    /// A name for people (the app or the integration).
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,
}

/// Run a `reminders` subcommand.
pub fn run(globals: &Globals, command: RemindersCommand) -> anyhow::Result<ExitStatus> {
    let paths = AppPaths::from_env()?;
    let registry = Registry::new(&paths);
    let now = || -> Result<DateTime<Utc>, UsageError> {
        reminders::clock_from_env()
            .map(|clock| clock.now())
            .map_err(UsageError)
    };
    match command {
        RemindersCommand::List { json } => {
            let standings = reminders::due(&registry.list()?, now()?, DEFAULT_WITHIN_DAYS);
            print(&standings, json, None)?;
            Ok(ExitStatus::Ok)
        }
        RemindersCommand::Check { within_days, json } => {
            let standings = reminders::due(&registry.list()?, now()?, within_days);
            print(&standings, json, Some(within_days))?;
            Ok(if standings.iter().any(|s| s.due) {
                ExitStatus::Failed
            } else {
                ExitStatus::Ok
            })
        }
        RemindersCommand::Add(args) => {
            // The core's rules for a hand-entered reminder (the app's form uses the same); the
            // field it names is worded here as this command's option.
            let entry = reminders::manual::reminder(&reminders::manual::ManualEntry {
                tenant: &args.tenant,
                client_id: &args.client_id,
                key_id: &args.key_id,
                expires: &args.expires,
                name: args.name.as_deref().unwrap_or_default(),
            })
            .map_err(|e| UsageError(format!("{}: {}", add_option(e.field), e.problem)))?;
            let reminder = registry.record_secret(
                &entry.tenant,
                &entry.client_id,
                &entry.key_id,
                entry.expires,
                entry.name.as_deref(),
                "add",
            )?;
            eprintln!(
                "Reminder kept for secret {} of {} (expires {}) in {}.",
                reminder.key_id,
                reminder.client_id,
                reminder.expires.format("%Y-%m-%d"),
                registry.path().display()
            );
            Ok(ExitStatus::Ok)
        }
        RemindersCommand::Scan(args) => scan(globals, &registry, &args, now()?),
        RemindersCommand::Remove { key_id } => {
            if registry.remove(&key_id)? {
                eprintln!("Reminder for secret {} removed.", key_id.trim());
                Ok(ExitStatus::Ok)
            } else {
                Err(UsageError(format!(
                    "--key-id: no reminder for the secret '{}'",
                    key_id.trim()
                ))
                .into())
            }
        }
    }
}

fn print(standings: &[Standing], json: bool, within_days: Option<u32>) -> anyhow::Result<()> {
    if json {
        let mut document = json!({
            "secrets": standings,
            "due": standings.iter().filter(|s| s.due).count(),
        });
        if let Some(days) = within_days {
            document["within_days"] = json!(days);
        }
        print_json(&document)?;
        return Ok(());
    }
    if standings.is_empty() {
        println!(
            "No secrets to remind of (entra-setup register, bundle export and reminders add record them)."
        );
        return Ok(());
    }
    for s in standings {
        let r = &s.reminder;
        let when = match s.stage {
            Stage::Expired => format!("EXPIRED {} days ago", -s.days_left),
            _ => format!("expires in {} days", s.days_left),
        };
        let mark = if s.due && within_days.is_some() {
            "DUE  "
        } else {
            "     "
        };
        println!(
            "{mark}{}  {when} ({})  client {}  {} {}  tenant {}",
            printable(r.name.as_deref().unwrap_or("(unnamed)")),
            r.expires.format("%Y-%m-%d"),
            printable(&r.client_id),
            r.kind.as_str(),
            printable(&r.key_id),
            printable(&r.tenant)
        );
    }
    Ok(())
}

/// The option of `reminders add` that carries the field a hand-entered reminder's rules name.
fn add_option(field: &str) -> &str {
    match field {
        "tenant" => field_option(Field::Tenant),
        "client_id" => field_option(Field::ClientId),
        "key_id" => "--key-id",
        "expires" => "--expires",
        "name" => "--name",
        other => other,
    }
}

/// `reminders scan`: sign in, read every registration's credentials, print those expiring.
fn scan(
    globals: &Globals,
    registry: &Registry,
    args: &ScanArgs,
    now: DateTime<Utc>,
) -> anyhow::Result<ExitStatus> {
    use entra_setup_core::graph::Reader;
    use entra_setup_core::identity::DEFAULT_SIGN_IN_CLIENT;

    refuse_errors(Field::Tenant, &args.tenant)?;
    let sign_in_client = match &args.sign_in.client.id {
        Some(client) => {
            refuse_errors_as("--sign-in-client", Field::ClientId, client)?;
            client.trim().to_ascii_lowercase()
        }
        None => DEFAULT_SIGN_IN_CLIENT.to_string(),
    };
    let (context, runtime) = connect(globals, now)?;
    let tenant = args.tenant.trim();
    let scopes = entra_setup_core::verify::sign_in::admin_scopes(&context);
    let signed_in = admin::sign_in_token(
        &runtime,
        &context,
        tenant,
        &sign_in_client,
        &scopes,
        args.sign_in.sign_in,
    );
    let token = match signed_in {
        Ok(token) => token,
        Err(error) => {
            eprintln!("entra-setup: the administrator's sign-in failed: {error}");
            return Ok(match error.cause() {
                Some(cause) if cause.is_transient() => ExitStatus::Unverified,
                _ => ExitStatus::Failed,
            });
        }
    };
    let reader = Reader {
        http: &context.http,
        endpoints: &context.endpoints,
        token: &token,
    };
    let found = match runtime.block_on(reminders::scan(&reader, now, args.within_days)) {
        Ok(found) => found,
        Err(error) => {
            eprintln!("entra-setup: cannot read the app registrations: {error}");
            return Ok(match error {
                entra_setup_core::graph::ReadError::Unavailable(_) => ExitStatus::Unverified,
                _ => ExitStatus::Failed,
            });
        }
    };
    let mut added = 0;
    if args.add {
        let tenant_id = keychain::tenant_guid(&runtime, &context, tenant)?;
        for credential in &found {
            let record = match credential.kind {
                reminders::CredentialKind::Secret => Registry::record_secret,
                reminders::CredentialKind::Certificate => Registry::record_certificate,
            };
            record(
                registry,
                &tenant_id,
                &credential.client_id,
                &credential.key_id,
                credential.expires,
                credential.app_name.as_deref(),
                "scan",
            )?;
            added += 1;
        }
    }
    if args.json {
        print_json(&json!({
            "within_days": args.within_days,
            "credentials": found,
            "added": added,
        }))?;
    } else if found.is_empty() {
        println!(
            "No secret or certificate expires within {} days.",
            args.within_days
        );
    } else {
        for c in &found {
            let when = if c.days_left < 0 {
                format!("EXPIRED {} days ago", -c.days_left)
            } else {
                format!("expires in {} days", c.days_left)
            };
            println!(
                "{}  {:?}  {when} ({})  client {}  key {}",
                printable(c.app_name.as_deref().unwrap_or("(unnamed)")),
                c.kind,
                c.expires.format("%Y-%m-%d"),
                printable(&c.client_id),
                printable(&c.key_id)
            );
        }
        if args.add {
            eprintln!("{added} client secrets kept in the reminders.");
        }
    }
    Ok(if found.is_empty() {
        ExitStatus::Ok
    } else {
        ExitStatus::Failed
    })
}

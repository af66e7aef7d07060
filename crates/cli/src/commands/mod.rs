//! One module per command; each calls the core and prints what it answers. Here: the options
//! every command takes, and what several commands share — refusing an input that breaks an
//! offline rule, Microsoft's endpoints, the context and runtime a command works with, the
//! profile `--profile` names, and what the checks after a change to a registration are given.

mod admin;
pub mod bundle;
mod diagnose;
mod keychain;
pub mod monitor;
mod profiles;
pub mod register;
mod register_vendor;
pub mod reminders;
pub mod rotate_secret;
pub mod verify;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use entra_setup_core::endpoints::{Cloud, Endpoints};
use entra_setup_core::http::{Http, RetryPolicy};
use entra_setup_core::paths::AppPaths;
use entra_setup_core::profile::{Catalog, Profile};
use entra_setup_core::secret::Secret;
use entra_setup_core::validate::{self, Field, FieldContext, InputIssue};
use entra_setup_core::verify::{Context, Inputs, Sessions};

use crate::args::{Cli, Command};
use crate::exit::{ExitStatus, UsageError};
use crate::options::field_option;

/// The options every command takes.
#[derive(Debug, Clone)]
pub struct Globals {
    /// `--endpoints FILE` / `ENTRA_SETUP_ENDPOINTS`.
    pub endpoints: Option<PathBuf>,
    /// `--cloud`.
    pub cloud: Cloud,
    /// `--timeout` in seconds.
    pub timeout: u64,
    /// `--no-progress`, or a log on stderr (`-v`), which a redrawn progress line would garble.
    pub no_progress: bool,
}

/// Run the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let Cli {
        endpoints,
        cloud,
        timeout,
        no_progress,
        verbose,
        command,
    } = cli;
    let globals = Globals {
        endpoints,
        cloud: cloud.into(),
        timeout,
        no_progress: no_progress || verbose > 0,
    };
    match command {
        Command::Profiles { json } => profiles::run(json),
        Command::Verify(args) => verify::run(&globals, *args),
        Command::Diagnose { profile, json } => diagnose::run(profile.as_deref(), json),
        Command::Register(args) => register::run(&globals, *args),
        Command::RotateSecret(args) => rotate_secret::run(&globals, *args),
        Command::Bundle { command } => bundle::run(&globals, command),
        Command::Reminders { command } => reminders::run(&globals, command),
        Command::Monitor { command } => monitor::run(&globals, command),
    }
}

/// The first rule `value`, given as `field`, breaks offline (an error, not a warning).
pub(crate) fn first_error(field: Field, value: &str) -> Option<InputIssue> {
    validate::issues(field, value, &FieldContext::default())
        .into_iter()
        .find(|i| i.is_error())
}

/// Refuse an input that breaks an offline rule: exit 64 naming its option and why.
pub(crate) fn refuse_errors(field: Field, value: &str) -> Result<(), UsageError> {
    refuse_errors_as(field_option(field), field, value)
}

/// Refuse a value that `option` gives for the core's `field` (`--sign-in-client` gives a client
/// ID) when it breaks an offline rule: exit 64 naming `option` and why.
pub(crate) fn refuse_errors_as(option: &str, field: Field, value: &str) -> Result<(), UsageError> {
    match first_error(field, value) {
        Some(issue) => Err(UsageError(format!("{option}: {}", issue.message))),
        None => Ok(()),
    }
}

/// Refuse, before any sign-in or request, a tenant, redirect URI or display name that a repair
/// would not write (the core's [`entra_setup_core::fix::refuse_before_writing`]): exit 64 naming
/// the option and why.
pub(crate) fn refuse_unwritable(
    profile: Option<&Profile>,
    tenant: &str,
    redirect_uri: Option<&str>,
    app_name: Option<&str>,
) -> Result<(), UsageError> {
    entra_setup_core::fix::refuse_before_writing(profile, tenant, redirect_uri, app_name)
        .map_err(|issue| UsageError(format!("{}: {}", field_option(issue.field), issue.message)))
}

/// Microsoft's endpoints for `--cloud`, or the `--endpoints` file (the stand-in's ready line).
pub(crate) fn endpoints(globals: &Globals) -> Result<Endpoints, UsageError> {
    Endpoints::load(globals.endpoints.as_deref(), globals.cloud)
        .map_err(|e| UsageError(format!("--endpoints: {e}")))
}

/// What a command that asks Microsoft works with: the context (an HTTP client with `--timeout`,
/// the endpoints, the clock at `now`) and the runtime the core's calls run on.
pub(crate) fn connect(
    globals: &Globals,
    now: DateTime<Utc>,
) -> anyhow::Result<(Context, tokio::runtime::Runtime)> {
    let context = Context {
        http: Http::new(RetryPolicy {
            timeout: std::time::Duration::from_secs(globals.timeout),
            ..RetryPolicy::default()
        })?,
        endpoints: endpoints(globals)?,
        now,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    Ok((context, runtime))
}

/// The profile `--profile ID` names, among the shipped ones and the user's own; an unknown ID is
/// refused with the known ones listed.
pub(crate) fn find_profile(paths: &AppPaths, id: &str) -> Result<Profile, UsageError> {
    let catalog = Catalog::with_user_dir(&paths.user_profiles_dir())
        .map_err(|e| UsageError(entra_setup_core::error_text::with_sources(&e)))?;
    catalog.get(id).cloned().ok_or_else(|| {
        let known: Vec<String> = catalog.profiles().map(|p| p.id.clone()).collect();
        UsageError(format!(
            "--profile: no profile '{id}' (known: {})",
            known.join(", ")
        ))
    })
}

/// What the checks after a change to a registration are given: the tenant, the registration, the
/// credential at hand (a secret; none for a certificate, which is passed beside, or for a vendor's
/// app), the redirect URI, and the administrator's token.
pub(crate) fn registration_inputs(
    tenant: &str,
    client_id: &str,
    secret: Option<Secret>,
    redirect_uri: Option<String>,
    admin_token: &Secret,
) -> Inputs {
    Inputs {
        tenant: tenant.to_string(),
        client_id: Some(client_id.to_string()),
        secret,
        redirect_uri,
        mailbox: None,
        test_recipient: None,
        sessions: Sessions {
            admin_graph: Some(admin_token.clone()),
            ..Sessions::default()
        },
    }
}

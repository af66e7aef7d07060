//! `entra-setup verify`: every checkpoint of a profile, live (contracts/cli.md).
//!
//! Inputs are validated offline first (exit 64 naming the option); the secret comes from stdin,
//! an environment variable or the keychain — never from the command line.

use clap::Args;
use entra_setup_core::diagnose::describe;
use entra_setup_core::http::{Http, RetryPolicy};
use entra_setup_core::identity::DevicePrompt;
use entra_setup_core::paths::AppPaths;
use entra_setup_core::profile::{Catalog, Profile};
use entra_setup_core::secret::Secret;
use entra_setup_core::validate::Field;
use entra_setup_core::verify::sign_in::{self, Person, SessionError};
use entra_setup_core::verify::{self, Context, Inputs, Report};

use super::{Globals, endpoints, keychain, refuse_errors};
use crate::exit::{ExitStatus, UsageError};
use crate::output::{progress, report};

/// `verify`'s options.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The integration profile (see `entra-setup profiles`).
    #[arg(long)]
    pub profile: String,
    /// The tenant: its Directory (tenant) ID or one of its domains.
    #[arg(long)]
    pub tenant: String,
    /// The Application (client) ID of the registration.
    #[arg(long)]
    pub client_id: Option<String>,
    /// Read the client secret from the first line of standard input.
    #[arg(long, group = "secret")]
    pub secret_stdin: bool,
    /// Read the client secret from this environment variable.
    #[arg(long, group = "secret", value_name = "VAR")]
    pub secret_env: Option<String>,
    /// Use the secret that `register` stored in the OS keychain.
    #[arg(long, group = "secret")]
    pub secret_from_keyring: bool,
    /// The product's address; the redirect URI is computed from it.
    #[arg(long, conflicts_with = "redirect_uri", value_name = "URL")]
    pub site_url: Option<String>,
    /// The redirect URI the product sends, exactly.
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
    /// The mailbox the integration sends from or reads (UPN).
    #[arg(long, value_name = "UPN")]
    pub mailbox: Option<String>,
    /// Where the test email goes.
    #[arg(long, value_name = "ADDR")]
    pub test_recipient: Option<String>,
    /// Sign an administrator in to read the registration, consent, policies and licences.
    #[arg(long, default_value = "none", value_parser = ["none", "device-code", "browser"])]
    pub sign_in: String,
    /// The public client that signs people in (else ENTRA_SETUP_SIGN_IN_CLIENT, then
    /// sign_in_client in config.toml, then Microsoft Graph Command Line Tools).
    #[arg(long, value_name = "GUID")]
    pub sign_in_client: Option<String>,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Run the checks and print the report.
pub fn run(globals: &Globals, args: VerifyArgs) -> anyhow::Result<ExitStatus> {
    let paths = AppPaths::from_env()?;
    let catalog = Catalog::with_user_dir(&paths.user_profiles_dir())
        .map_err(|e| UsageError(e.to_string()))?;
    let profile = catalog.get(&args.profile).ok_or_else(|| {
        let known: Vec<String> = catalog.profiles().map(|p| p.id.clone()).collect();
        UsageError(format!(
            "--profile: no profile '{}' (known: {})",
            args.profile,
            known.join(", ")
        ))
    })?;
    let report = match verify_with(globals, &args, profile)? {
        Verified::Report(done) => done.report,
        Verified::Stopped(status) => return Ok(status),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report::render(&report));
    }
    Ok(exit_status(&report))
}

/// A verification that ran, with what it was given.
pub struct Verification {
    /// The report.
    pub report: Report,
    /// The client secret it used.
    pub secret: Option<Secret>,
    /// The redirect URI it checked.
    pub redirect_uri: Option<String>,
    /// Where Microsoft was.
    pub endpoints: entra_setup_core::endpoints::Endpoints,
    /// The signed-in administrator's Graph token, when there was a sign-in.
    pub admin_graph: Option<Secret>,
}

/// How a verification ended.
pub enum Verified {
    /// It ran: the report.
    Report(Box<Verification>),
    /// A sign-in failed before it could run (already explained on stderr): the exit status.
    Stopped(ExitStatus),
}

/// Validate the inputs, read the secret, sign in as asked and run every checkpoint: what
/// `verify` prints and `bundle export` packs.
pub fn verify_with(
    globals: &Globals,
    args: &VerifyArgs,
    profile: &Profile,
) -> anyhow::Result<Verified> {
    let paths = AppPaths::from_env()?;
    refuse_errors(Field::Tenant, &args.tenant)?;
    // The sign-in client is resolved only when someone signs in (a bad config file does not stop
    // a verification without sign-in), but a bad --sign-in-client is always refused.
    let sign_in_client = if args.sign_in == "none" && args.sign_in_client.is_none() {
        None
    } else {
        Some(super::admin::sign_in_client(
            &paths,
            args.sign_in_client.as_deref(),
        )?)
    };
    if let Some(client_id) = &args.client_id {
        refuse_errors(Field::ClientId, client_id)?;
    }
    let redirect_uri = match (&args.site_url, &args.redirect_uri) {
        (Some(site), _) => {
            refuse_errors(Field::SiteUrl, site)?;
            profile.redirect_uri_for(site)
        }
        (None, Some(uri)) => Some(uri.clone()),
        (None, None) => None,
    };
    let secret = super::admin::read_secret(args.secret_stdin, args.secret_env.as_deref())?;
    let endpoints = endpoints(globals)?;

    let mut inputs = Inputs {
        tenant: args.tenant.trim().to_string(),
        client_id: args
            .client_id
            .as_deref()
            .map(|c| c.trim().to_ascii_lowercase()),
        secret,
        redirect_uri,
        mailbox: args.mailbox.clone(),
        test_recipient: args.test_recipient.clone(),
        sessions: verify::Sessions::default(),
    };
    let context = Context {
        http: Http::new(RetryPolicy {
            timeout: std::time::Duration::from_secs(globals.timeout),
            ..RetryPolicy::default()
        })?,
        endpoints,
        now: chrono::Utc::now(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if args.secret_from_keyring {
        let client_id = inputs.client_id.clone().ok_or_else(|| {
            UsageError(
                "--secret-from-keyring: give --client-id, the keychain entry is per client".into(),
            )
        })?;
        let tenant_id = keychain::tenant_guid(&runtime, &context, &inputs.tenant)?;
        inputs.secret = Some(keychain::read_secret(&tenant_id, &client_id)?);
    }
    if let Some(client) = sign_in_client.as_ref().filter(|_| args.sign_in != "none") {
        eprintln!("{}", client.describe());
        let sign_in_client = client.client_id.as_str();
        let signed_in = if args.sign_in == "browser" {
            runtime.block_on(sign_in::sign_in_with_browser(
                profile,
                &inputs,
                &context,
                sign_in_client,
                &|url| open::that(url.as_str()),
                &show_sign_in_url,
            ))
        } else {
            runtime.block_on(sign_in::sign_in_with_device_code(
                profile,
                &inputs,
                &context,
                sign_in_client,
                &show_device_prompt,
            ))
        };
        match signed_in {
            Ok(sessions) => inputs.sessions = sessions,
            Err(failure) => return Ok(Verified::Stopped(report_sign_in_failure(&failure))),
        }
    }
    let display = progress::Display::new(profile.checks.len(), globals.no_progress);
    let report: Report = runtime.block_on(verify::verify(profile, &inputs, &context, &|event| {
        display.on(&event)
    }));
    display.finish();
    Ok(Verified::Report(Box::new(Verification {
        report,
        secret: inputs.secret,
        redirect_uri: inputs.redirect_uri,
        endpoints: context.endpoints,
        admin_graph: inputs.sessions.admin_graph,
    })))
}

/// Tell the person at the screen how to sign in (on stderr: stdout is the report).
fn show_device_prompt(person: &Person, prompt: &DevicePrompt) {
    let who = match person {
        Person::Administrator => "an administrator of the tenant".to_string(),
        Person::MailboxOwner(upn) => format!("the mailbox owner, {upn}"),
    };
    eprintln!(
        "Sign in as {who}: open {} and enter the code {} (valid for {} minutes).",
        prompt.verification_uri,
        prompt.user_code,
        prompt.expires_in / 60
    );
}

/// Give the sign-in page's address (on stderr), always: the browser may not open, or be on
/// another machine.
fn show_sign_in_url(person: &Person, url: &url::Url) {
    let who = match person {
        Person::Administrator => "an administrator of the tenant".to_string(),
        Person::MailboxOwner(upn) => format!("the mailbox owner, {upn}"),
    };
    eprintln!(
        "Sign in as {who}. Opening the sign-in page in your browser. If it does not open, visit: {url}"
    );
}

/// Explain a failed sign-in; exit 2 when Microsoft could not be asked, 1 otherwise.
fn report_sign_in_failure(failure: &SessionError) -> ExitStatus {
    let who = match &failure.person {
        Person::Administrator => "The administrator's sign-in".to_string(),
        Person::MailboxOwner(upn) => format!("The sign-in of {upn}"),
    };
    match failure.error.cause() {
        Some(cause) => {
            let description = describe(cause);
            eprintln!(
                "entra-setup: {who} failed: {} ({cause}). {}",
                description.title, description.fix
            );
            if cause.is_transient() {
                ExitStatus::Unverified
            } else {
                ExitStatus::Failed
            }
        }
        None => {
            eprintln!("entra-setup: {who} did not finish: {}.", failure.error);
            ExitStatus::Failed
        }
    }
}

/// 1 when something failed, 2 when nothing failed but something could not be verified, else 0.
pub fn exit_status(report: &Report) -> ExitStatus {
    if report.summary.fail > 0 {
        ExitStatus::Failed
    } else if report.summary.unverified > 0 {
        ExitStatus::Unverified
    } else {
        ExitStatus::Ok
    }
}

//! `entra-setup verify`: every checkpoint of a profile, live (contracts/cli.md).
//!
//! Inputs are validated offline first (exit 64 naming the option); the secret comes from stdin,
//! an environment variable or the keychain — never from the command line. A certificate may take
//! its place (`--certificate-from-keyring`, `--certificate-file`): the checks then prove the app
//! with a client assertion and judge `client_certificate` and `certificate_expiry`. The checks with their
//! progress display ([`run_checks`]) also run after `register`'s and `rotate-secret`'s repairs.

use clap::Args;
use entra_setup_core::credentials::Certificate;
use entra_setup_core::paths::AppPaths;
use entra_setup_core::profile::{CredentialType, Profile};
use entra_setup_core::secret::Secret;
use entra_setup_core::validate::Field;
use entra_setup_core::verify::sign_in::{Person, SignInWith};
use entra_setup_core::verify::{self, Context, Inputs, Report};

use super::{Globals, admin, connect, find_profile, keychain, refuse_errors};
use crate::exit::{ExitStatus, UsageError};
use crate::options::{
    CertificateInput, Integration, SignIn, SignInClient, VerifySignIn, field_option,
};
use crate::output::{progress, report};

/// `verify`'s options.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The integration, its registration and the secret (shared with `register`).
    #[command(flatten)]
    pub integration: Integration,
    /// Use the secret that `register` stored in the OS keychain.
    #[arg(long, group = "secret")]
    pub secret_from_keyring: bool,
    /// `--certificate-from-keyring` or `--certificate-file` (with `--certificate-password-env`).
    #[command(flatten)]
    pub certificate: CertificateInput,
    /// The mailbox the integration sends from or reads (UPN).
    #[arg(long, value_name = "UPN")]
    pub mailbox: Option<String>,
    /// Where the test email goes.
    #[arg(long, value_name = "ADDR")]
    pub test_recipient: Option<String>,
    /// Sign an administrator in to read the registration, consent, policies and licences.
    #[arg(long, value_enum, default_value_t = VerifySignIn::None)]
    pub sign_in: VerifySignIn,
    /// `--sign-in-client`.
    #[command(flatten)]
    pub sign_in_client: SignInClient,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

impl VerifyArgs {
    /// Whether a client secret is given by any of the secret options.
    pub fn secret_given(&self) -> bool {
        self.integration.secret.given() || self.secret_from_keyring
    }

    /// Whether a certificate is given instead of a secret.
    pub fn certificate_given(&self) -> bool {
        self.certificate.given()
    }
}

/// Run the checks and print the report.
pub fn run(globals: &Globals, args: VerifyArgs) -> anyhow::Result<ExitStatus> {
    let paths = AppPaths::from_env()?;
    let profile = find_profile(&paths, &args.integration.profile)?;
    let done = verify_with(globals, &args, &profile)?;
    let report = &done.report;
    if args.json {
        println!("{}", serde_json::to_string_pretty(report)?);
    } else {
        print!("{}", report::render(report));
    }
    // A failed sign-in is never an all-clear, even when every check that ran without it passed.
    Ok(match (exit_status(report), done.sign_in_failed) {
        (ExitStatus::Ok, Some(status)) => status,
        (status, _) => status,
    })
}

/// A verification that ran, with what it was given.
pub struct Verification {
    /// The report.
    pub report: Report,
    /// The client secret it used.
    pub secret: Option<Secret>,
    /// The certificate it used (its `Debug` shows no key).
    pub certificate: Option<Certificate>,
    /// The redirect URI it checked.
    pub redirect_uri: Option<String>,
    /// Where Microsoft was.
    pub endpoints: entra_setup_core::endpoints::Endpoints,
    /// The signed-in administrator's Graph token, when there was a sign-in.
    pub admin_graph: Option<Secret>,
    /// When a sign-in failed (already explained on stderr): the exit status it means. The
    /// checks that needed it are `unverified` or `skipped` in the report, saying why.
    pub sign_in_failed: Option<ExitStatus>,
    /// When a sign-in failed: its cause (when known) and why, as the report says it.
    pub sign_in_failure: Option<(Option<entra_setup_core::cause::Cause>, String)>,
}

/// Validate the inputs, read the secret, sign in as asked and run every checkpoint: what
/// `verify` prints and `bundle export` packs.
pub fn verify_with(
    globals: &Globals,
    args: &VerifyArgs,
    profile: &Profile,
) -> anyhow::Result<Verification> {
    let paths = AppPaths::from_env()?;
    let integration = &args.integration;
    refuse_errors(Field::Tenant, &integration.tenant)?;
    // The sign-in client is resolved only when someone signs in (a bad config file does not stop
    // a verification without sign-in), but a bad --sign-in-client is always refused.
    let method = args.sign_in.method();
    let sign_in_client = if method.is_none() && args.sign_in_client.id.is_none() {
        None
    } else {
        Some(admin::sign_in_client(
            &paths,
            args.sign_in_client.id.as_deref(),
        )?)
    };
    if let Some(client_id) = &integration.client_id {
        refuse_errors(Field::ClientId, client_id)?;
    }
    let redirect_uri = integration.redirect.uri(profile)?;
    if let Some(mailbox) = &args.mailbox {
        refuse_errors(Field::Mailbox, mailbox)?;
    }
    if let Some(recipient) = &args.test_recipient {
        refuse_errors(Field::TestRecipient, recipient)?;
    }
    if args.certificate.given() && !profile.credentials.contains(&CredentialType::Certificate) {
        let option = if args.certificate.certificate_from_keyring {
            "--certificate-from-keyring"
        } else {
            "--certificate-file"
        };
        return Err(UsageError(format!(
            "{option}: the product of the profile '{}' takes a client secret, not a certificate",
            profile.id
        ))
        .into());
    }
    let secret = integration.secret.read()?;
    let mut certificate = args.certificate.read_file()?;

    let mut inputs = Inputs {
        tenant: integration.tenant.trim().to_string(),
        client_id: integration
            .client_id
            .as_deref()
            .map(|c| c.trim().to_ascii_lowercase()),
        secret,
        redirect_uri,
        mailbox: args.mailbox.clone(),
        test_recipient: args.test_recipient.clone(),
        sessions: verify::Sessions::default(),
    };
    let (context, runtime) = connect(globals, chrono::Utc::now())?;
    if args.secret_from_keyring {
        let client_id = inputs.client_id.clone().ok_or_else(|| {
            UsageError(format!(
                "--secret-from-keyring: give {}, the keychain entry is per client",
                field_option(Field::ClientId)
            ))
        })?;
        let tenant_id = keychain::tenant_guid(&runtime, &context, &inputs.tenant)?;
        inputs.secret = Some(keychain::read_secret(&tenant_id, &client_id)?);
    }
    if args.certificate.certificate_from_keyring {
        let client_id = inputs.client_id.clone().ok_or_else(|| {
            UsageError(format!(
                "--certificate-from-keyring: give {}, the keychain entry is per client",
                field_option(Field::ClientId)
            ))
        })?;
        let tenant_id = keychain::tenant_guid(&runtime, &context, &inputs.tenant)?;
        certificate = Some(keychain::read_certificate(&tenant_id, &client_id)?);
    }
    let mut failed_sign_in = None;
    let report = match (&sign_in_client, method) {
        (Some(client), Some(method)) => {
            // People sign in while the checks run: each check waits only for the token it needs.
            eprintln!("{}", client.describe());
            let sign_in_client = client.client_id.as_str();
            // The prompts are printed while the progress bar runs: it steps aside for them.
            let display = progress::Display::new(profile.checks.len(), globals.no_progress);
            let on = |event| display.on(&event);
            let open = |url: &url::Url| open::that(url.as_str());
            let show_url = |person: &Person, url: &url::Url| {
                display.suspend(|| admin::show_sign_in_url(&who(person), url))
            };
            let show_code = |person: &Person, prompt: &entra_setup_core::identity::DevicePrompt| {
                display.suspend(|| admin::show_device_prompt(&who(person), prompt))
            };
            let with = if method == SignIn::Browser {
                SignInWith::browser(sign_in_client, &open, &show_url)
            } else {
                SignInWith::device_code(sign_in_client, &show_code)
            };
            let signed_in = runtime.block_on(verify::verify_signing_in(
                profile,
                &inputs,
                certificate.as_ref(),
                &context,
                with,
                &on,
            ));
            display.finish();
            inputs.sessions.admin_graph = signed_in.admin_graph;
            if let Some(failure) = signed_in.failure {
                let whose = match &failure.person {
                    Person::Administrator => admin::ADMINISTRATOR_SIGN_IN.to_string(),
                    Person::MailboxOwner(upn) => format!("The sign-in of {upn}"),
                };
                let status = admin::report_sign_in_failure(&whose, &failure.error);
                failed_sign_in = Some((status, failure.error.cause(), failure.error.to_string()));
            }
            signed_in.report
        }
        _ => run_checks(
            &runtime,
            profile,
            &inputs,
            certificate.as_ref(),
            &context,
            globals.no_progress,
        ),
    };
    let mut report = report;
    if let Some((_, cause, why)) = &failed_sign_in {
        report.sign_in_failed(*cause, why);
    }
    Ok(Verification {
        sign_in_failed: failed_sign_in.as_ref().map(|(status, _, _)| *status),
        sign_in_failure: failed_sign_in.map(|(_, cause, why)| (cause, why.to_string())),
        report,
        secret: inputs.secret,
        certificate,
        redirect_uri: inputs.redirect_uri,
        endpoints: context.endpoints,
        admin_graph: inputs.sessions.admin_graph,
    })
}

/// Who is asked to sign in.
fn who(person: &Person) -> String {
    match person {
        Person::Administrator => admin::ADMINISTRATOR.to_string(),
        Person::MailboxOwner(upn) => format!("the mailbox owner, {upn}"),
    }
}

/// Run every checkpoint of `profile` with `inputs` (the app proved with `certificate` when one
/// is given, else with the secret), the progress shown on stderr unless `--no-progress`.
pub(crate) fn run_checks(
    runtime: &tokio::runtime::Runtime,
    profile: &Profile,
    inputs: &Inputs,
    certificate: Option<&Certificate>,
    context: &Context,
    no_progress: bool,
) -> Report {
    let display = progress::Display::new(profile.checks.len(), no_progress);
    let on = |event| display.on(&event);
    let report = match certificate {
        Some(certificate) => runtime.block_on(verify::verify_with_certificate(
            profile,
            inputs,
            certificate,
            context,
            &on,
        )),
        None => runtime.block_on(verify::verify(profile, inputs, context, &on)),
    };
    display.finish();
    report
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

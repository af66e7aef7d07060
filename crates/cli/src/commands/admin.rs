//! What the commands that sign an administrator in share: which public client signs in (the
//! core decides from the option, the environment, `config.toml` and the built-in default; this
//! says which one and where it came from), the administrator's sign-in itself (device code or
//! browser) and the words that tell a person how to sign in, a repair's progress lines, how a
//! failed sign-in or repair is explained and mapped to an exit status.

use entra_setup_core::printable::printable;

use entra_setup_core::diagnose::describe;
use entra_setup_core::fix::{FixError, Patience, RepairSession};
use entra_setup_core::identity::{
    self, DevicePrompt, SIGN_IN_CLIENT_ENV, SignInClient, SignInError, resolve_sign_in_client,
};
use entra_setup_core::paths::AppPaths;
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::Context;

use crate::exit::{ExitStatus, UsageError};
use crate::options::SignIn;

/// The sign-in client for `--sign-in-client` (if given), told on stderr.
pub(crate) fn sign_in_client(
    paths: &AppPaths,
    option: Option<&str>,
) -> Result<SignInClient, UsageError> {
    let environment = std::env::var(SIGN_IN_CLIENT_ENV).ok();
    resolve_sign_in_client(option, environment.as_deref(), &paths.config_file())
        .map_err(|e| UsageError(e.to_string()))
}

/// Sign the administrator in for `scopes` with `method`; a failed
/// sign-in is explained on stderr and answers the exit status to end with.
pub(crate) fn sign_in_admin(
    runtime: &tokio::runtime::Runtime,
    context: &Context,
    tenant: &str,
    client: &SignInClient,
    scopes: &[String],
    method: SignIn,
) -> Result<Secret, ExitStatus> {
    eprintln!("{}", client.describe());
    sign_in_token(runtime, context, tenant, &client.client_id, scopes, method)
        .map_err(|error| report_sign_in_failure(ADMINISTRATOR_SIGN_IN, &error))
}

/// Sign the administrator in with the public client `client_id`, telling them how on stderr:
/// in the browser (its address given too) or with a device code, as `method` says; answers
/// the access token.
pub(crate) fn sign_in_token(
    runtime: &tokio::runtime::Runtime,
    context: &Context,
    tenant: &str,
    client_id: &str,
    scopes: &[String],
    method: SignIn,
) -> Result<Secret, Box<SignInError>> {
    let signed_in = if method == SignIn::Browser {
        runtime.block_on(identity::sign_in_with_browser(
            &context.http,
            &context.endpoints,
            tenant,
            client_id,
            scopes,
            None,
            &|url| {
                show_sign_in_url(ADMINISTRATOR, url);
                open::that(url.as_str())
            },
            identity::BROWSER_SIGN_IN_TIMEOUT,
        ))
    } else {
        runtime.block_on(identity::sign_in_with_device_code(
            &context.http,
            &context.endpoints,
            tenant,
            client_id,
            scopes,
            &|prompt| show_device_prompt(ADMINISTRATOR, prompt),
        ))
    };
    signed_in
        .map(|tokens| tokens.access_token)
        .map_err(Box::new)
}

/// Who is asked to sign in as the tenant's administrator.
pub(crate) const ADMINISTRATOR: &str = "an administrator of the tenant";

/// Whose sign-in it was, when the administrator's fails.
pub(crate) const ADMINISTRATOR_SIGN_IN: &str = "The administrator's sign-in";

/// Tell `who` how to sign in with a device code (on stderr: stdout is the result).
pub(crate) fn show_device_prompt(who: &str, prompt: &DevicePrompt) {
    eprintln!(
        "Sign in as {who}: open {} and enter the code {} (valid for {} minutes).",
        prompt.verification_uri,
        prompt.user_code,
        prompt.expires_in / 60
    );
}

/// Give the sign-in page's address (on stderr), always: the browser may not open, or be on
/// another machine.
pub(crate) fn show_sign_in_url(who: &str, url: &url::Url) {
    eprintln!(
        "Sign in as {who}. Opening the sign-in page in your browser. If it does not open, visit: {url}"
    );
}

/// Explain a failed sign-in (`whose`: "The administrator's sign-in", "The sign-in of …"); exit
/// 2 when Microsoft could not be asked, 1 otherwise.
pub(crate) fn report_sign_in_failure(whose: &str, error: &SignInError) -> ExitStatus {
    match error.cause() {
        Some(cause) => {
            let description = describe(cause);
            eprintln!(
                "entra-setup: {whose} failed: {} ({cause}). {}",
                description.title, description.fix
            );
            if cause.is_transient() {
                ExitStatus::Unverified
            } else {
                ExitStatus::Failed
            }
        }
        None => {
            eprintln!(
                "entra-setup: {whose} did not finish: {}.",
                printable(&entra_setup_core::error_text::with_sources(error))
            );
            ExitStatus::Failed
        }
    }
}

/// The administrator's session for the repairs; their steps are said on stderr unless
/// `--no-progress`.
pub(crate) fn repair_session<'a>(
    context: &'a Context,
    admin_token: &'a Secret,
    no_progress: bool,
) -> RepairSession<'a> {
    fn say(message: &str) {
        eprintln!("{}", printable(message));
    }
    fn keep_quiet(_: &str) {}
    RepairSession {
        ctx: context,
        admin_token,
        patience: Patience::default(),
        progress: if no_progress { &keep_quiet } else { &say },
    }
}

/// A repair that stopped: with `--json` its JSON document on stdout, then the explanation on
/// stderr; the exit status to end with.
pub(crate) fn fix_failed(error: &FixError, json: bool) -> ExitStatus {
    if json {
        print_fix_failure_json(error);
    }
    report_fix_failure(error)
}

/// Explain a repair that stopped; exit 2 when Microsoft could not be asked, 1 otherwise. When
/// the registration was created before it stopped, its IDs are printed on their own line too.
fn report_fix_failure(error: &FixError) -> ExitStatus {
    let cause = error.cause();
    let description = describe(cause);
    match error {
        // These say why and what to do; the cause's general advice would not fit.
        FixError::RemovalRefused { .. } | FixError::ApprovalTimeout { .. } => {
            eprintln!(
                "entra-setup: {} ({cause}).",
                printable(&entra_setup_core::error_text::with_sources(error))
            );
            if matches!(error, FixError::RemovalRefused { .. }) {
                eprintln!(
                    "entra-setup: rotate-secret without --remove adds a new one (with --credential certificate for a certificate)."
                );
            }
        }
        _ => eprintln!(
            "entra-setup: the repair stopped: {}. {} ({cause}). {}",
            printable(&entra_setup_core::error_text::with_sources(error)),
            description.title,
            description.fix
        ),
    }
    if let Some((client_id, object_id)) = error.created_registration() {
        eprintln!(
            "entra-setup: the new app registration exists: client ID {client_id}, object ID {object_id}. \
             Run `entra-setup register --client-id {client_id}` with the same options to finish it."
        );
    }
    if cause.is_transient() {
        ExitStatus::Unverified
    } else {
        ExitStatus::Failed
    }
}

/// With `--json`, a repair that stopped still answers one JSON document on stdout:
/// `{"error": {"cause", "message"}}`, with `client_id`, `object_id` and `created: true` when the
/// registration was created before it stopped.
fn print_fix_failure_json(error: &FixError) {
    let mut document = serde_json::json!({
        "error": { "cause": error.cause().as_str(), "message": entra_setup_core::error_text::with_sources(error) },
    });
    if let Some((client_id, object_id)) = error.created_registration() {
        document["client_id"] = client_id.into();
        document["object_id"] = object_id.into();
        document["created"] = true.into();
    }
    if let Ok(text) = serde_json::to_string_pretty(&document) {
        println!("{text}");
    }
}

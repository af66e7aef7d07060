//! What the commands that sign an administrator in share: which public client signs in (the
//! core decides from the option, the environment, `config.toml` and the built-in default; this
//! says which one and where it came from), the administrator's sign-in itself (device code or
//! browser), and how a failed sign-in or repair is explained and mapped to an exit status.

use std::io::{BufRead, IsTerminal};

use entra_setup_core::diagnose::describe;
use entra_setup_core::fix::FixError;
use entra_setup_core::identity::{
    self, DevicePrompt, SIGN_IN_CLIENT_ENV, SignInClient, SignInError, resolve_sign_in_client,
};
use entra_setup_core::paths::AppPaths;
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::Context;

use crate::exit::{ExitStatus, UsageError};

/// The sign-in client for `--sign-in-client` (if given), told on stderr.
pub(crate) fn sign_in_client(
    paths: &AppPaths,
    option: Option<&str>,
) -> Result<SignInClient, UsageError> {
    let environment = std::env::var(SIGN_IN_CLIENT_ENV).ok();
    resolve_sign_in_client(option, environment.as_deref(), &paths.config_file())
        .map_err(|e| UsageError(e.to_string()))
}

/// Sign the administrator in for `scopes` with `method` (`browser` or `device-code`); a failed
/// sign-in is explained on stderr and answers the exit status to end with.
pub(crate) fn sign_in_admin(
    runtime: &tokio::runtime::Runtime,
    context: &Context,
    tenant: &str,
    client: &SignInClient,
    scopes: &[String],
    method: &str,
) -> Result<Secret, ExitStatus> {
    eprintln!("{}", client.describe());
    let signed_in = if method == "browser" {
        runtime.block_on(identity::sign_in_with_browser(
            &context.http,
            &context.endpoints,
            tenant,
            &client.client_id,
            scopes,
            None,
            &|url| {
                eprintln!(
                    "Sign in as an administrator of the tenant. Opening the sign-in page in your browser. If it does not open, visit: {url}"
                );
                open::that(url.as_str())
            },
            identity::BROWSER_SIGN_IN_TIMEOUT,
        ))
    } else {
        runtime.block_on(identity::sign_in_with_device_code(
            &context.http,
            &context.endpoints,
            tenant,
            &client.client_id,
            scopes,
            &show_device_prompt,
        ))
    };
    signed_in
        .map(|tokens| tokens.access_token)
        .map_err(|error| report_sign_in_failure(&error))
}

/// Tell the administrator how to sign in (on stderr: stdout is the result).
fn show_device_prompt(prompt: &DevicePrompt) {
    eprintln!(
        "Sign in as an administrator of the tenant: open {} and enter the code {} (valid for {} minutes).",
        prompt.verification_uri,
        prompt.user_code,
        prompt.expires_in / 60
    );
}

/// Explain a failed sign-in; exit 2 when Microsoft could not be asked, 1 otherwise.
fn report_sign_in_failure(error: &SignInError) -> ExitStatus {
    match error.cause() {
        Some(cause) => {
            let description = describe(cause);
            eprintln!(
                "entra-setup: The administrator's sign-in failed: {} ({cause}). {}",
                description.title, description.fix
            );
            if cause.is_transient() {
                ExitStatus::Unverified
            } else {
                ExitStatus::Failed
            }
        }
        None => {
            eprintln!("entra-setup: The administrator's sign-in did not finish: {error}.");
            ExitStatus::Failed
        }
    }
}

/// Explain a repair that stopped; exit 2 when Microsoft could not be asked, 1 otherwise. When
/// the registration was created before it stopped, its IDs are printed on their own line too.
pub(crate) fn report_fix_failure(error: &FixError) -> ExitStatus {
    let cause = error.cause();
    let description = describe(cause);
    match error {
        // The refusal says why and what to do; the cause's general advice would not fit.
        FixError::RemovalRefused { .. } => eprintln!("entra-setup: {error} ({cause})."),
        _ => eprintln!(
            "entra-setup: the repair stopped: {error}. {} ({cause}). {}",
            description.title, description.fix
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
pub(crate) fn print_fix_failure_json(error: &FixError) {
    let mut document = serde_json::json!({
        "error": { "cause": error.cause().as_str(), "message": error.to_string() },
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

/// A client secret from `--secret-stdin` (the first line; asked without echo at a terminal) or
/// `--secret-env VAR`; `None` when neither is given.
pub(crate) fn read_secret(stdin: bool, env: Option<&str>) -> Result<Option<Secret>, UsageError> {
    if stdin {
        // At a terminal, ask without echoing; from a pipe, take the first line.
        let line = zeroize::Zeroizing::new(if std::io::stdin().is_terminal() {
            rpassword::prompt_password(
                "Client secret (the Value, not the Secret ID; input hidden): ",
            )
            .map_err(|e| UsageError(format!("--secret-stdin: cannot read the secret ({e})")))?
        } else {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line).map_err(|e| {
                UsageError(format!("--secret-stdin: cannot read standard input ({e})"))
            })?;
            line
        });
        let secret = Secret::new(line.trim_end_matches(['\r', '\n']));
        if secret.is_blank() {
            return Err(UsageError(
                "--secret-stdin: the first line of standard input is empty".into(),
            ));
        }
        return Ok(Some(secret));
    }
    if let Some(var) = env {
        let value = std::env::var(var).map_err(|_| {
            UsageError(format!(
                "--secret-env: the environment variable {var} is not set"
            ))
        })?;
        let secret = Secret::new(value.trim());
        if secret.is_blank() {
            return Err(UsageError(format!(
                "--secret-env: the environment variable {var} is empty"
            )));
        }
        return Ok(Some(secret));
    }
    Ok(None)
}

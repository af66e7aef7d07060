//! `entra-setup register` for a vendor's multi-tenant app (the `vendor-app-consent` profile):
//! nothing is registered in this tenant, so the repair is the organisation's approval.
//!
//! The administrator signs in with the read scopes only (this program writes nothing: the
//! approval is given on Microsoft's consent screen). A verification first says whether the
//! tenant answers and whether the app is already approved (then nothing changes and it says so).
//! Otherwise the tenant's admin-consent link is printed on stderr — always, also with
//! `--no-progress`, and answered as `admin_consent_url` with `--json` — and opened in the system
//! browser with `--sign-in browser`; then the program waits (`--wait-seconds`, default 10
//! minutes; Ctrl-C stops waiting) until Graph shows the approval, verifies again and reports the
//! change. Secrets do not apply: `--secret-days`, `--show-secret` and `--new-secret` are refused,
//! as are `--site-url` and `--app-name` (exit 64, naming the option).

use std::time::Duration;

use entra_setup_core::fix::{self, ApprovalWait, Readiness};
use entra_setup_core::identity::SignInClient;
use entra_setup_core::profile::Profile;
use entra_setup_core::validate::Field;
use entra_setup_core::verify::{self, Report};
use serde_json::{Value, json};

use super::register::RegisterArgs;
use super::verify::run_checks;
use super::{Globals, admin, connect, refuse_errors, registration_inputs};
use crate::exit::{ExitStatus, UsageError};
use crate::options::{SignIn, field_option};
use crate::output::{print_json, report};

/// The options that make no sense for a vendor's app, and why.
fn refuse_inapplicable(profile: &Profile, args: &RegisterArgs) -> Result<(), UsageError> {
    let no_secret =
        "no client secret is ever created for a vendor's app: the vendor keeps its own credentials";
    let refused = [
        (args.secret_days.is_some(), "--secret-days", no_secret),
        (args.show_secret, "--show-secret", no_secret),
        (args.new_secret, "--new-secret", no_secret),
        (
            args.integration.redirect.site_url.is_some(),
            field_option(Field::SiteUrl),
            "the vendor's app has its own redirect URIs in the vendor's registration",
        ),
        (
            args.app_name.is_some(),
            field_option(Field::AppName),
            "the vendor's app keeps the name its vendor gave it",
        ),
    ];
    match refused.iter().find(|(given, _, _)| *given) {
        Some((_, option, why)) => Err(UsageError(format!(
            "{option}: does not apply to the profile '{}' ({why})",
            profile.id
        ))),
        None => Ok(()),
    }
}

/// Approve the vendor's app `--client-id` for the organisation, then verify and print.
pub fn run(
    globals: &Globals,
    args: &RegisterArgs,
    profile: &Profile,
    sign_in_client: &SignInClient,
) -> anyhow::Result<ExitStatus> {
    refuse_inapplicable(profile, args)?;
    let Some(client_id) = args.integration.client_id.as_deref().map(str::trim) else {
        return Err(UsageError(format!(
            "{}: the profile '{}' approves a vendor's app: give its Application (client) ID (from the vendor, \
             the approval screen or the pending request)",
            field_option(Field::ClientId),
            profile.id
        ))
        .into());
    };
    refuse_errors(Field::ClientId, client_id)?;
    let client_id = client_id.to_ascii_lowercase();
    let redirect_uri = match &args.integration.redirect.redirect_uri {
        Some(uri) => {
            refuse_errors(Field::RedirectUri, uri)?;
            Some(uri.trim().to_string())
        }
        None => None,
    };
    let wait = ApprovalWait {
        timeout: Duration::from_secs(args.wait_seconds.unwrap_or(600)),
        ..ApprovalWait::default()
    };

    let (context, runtime) = connect(globals, chrono::Utc::now())?;
    let tenant = args.integration.tenant.trim().to_string();
    // Only reads: the approval itself is given on Microsoft's consent screen.
    let scopes = verify::sign_in::admin_scopes(&context);
    let admin = match admin::sign_in_admin(
        &runtime,
        &context,
        &tenant,
        sign_in_client,
        &scopes,
        args.sign_in.sign_in,
    ) {
        Ok(token) => token,
        Err(status) => return Ok(status),
    };
    let verify_inputs = registration_inputs(&tenant, &client_id, None, None, &admin);
    let run_verify = || {
        run_checks(
            &runtime,
            profile,
            &verify_inputs,
            None,
            &context,
            globals.no_progress,
        )
    };

    let before = run_verify();
    let tenant_id = match (fix::readiness(&before), before.tenant_id.clone()) {
        (Readiness::NeedsApproval, Some(tenant_id)) => tenant_id,
        (Readiness::AlreadyApproved, _) => {
            eprintln!(
                "The vendor's app {client_id} is already approved for the organisation: nothing to change."
            );
            return finish(args.json, &Outcome::unchanged(&client_id), &before);
        }
        _ => {
            eprintln!(
                "entra-setup: the approval was not asked for: the verification found something else in the way (see below)."
            );
            return finish(args.json, &Outcome::unchanged(&client_id), &before);
        }
    };

    let session = admin::repair_session(&context, &admin, globals.no_progress);
    let browser = args.sign_in.sign_in == SignIn::Browser;
    let how_long = match wait.timeout.as_secs() {
        seconds @ 0..60 => format!("{seconds} seconds"),
        seconds => format!("{} minutes", seconds.div_ceil(60)),
    };
    let app = client_id.clone();
    let show_link = move |url: &url::Url| {
        eprintln!("The vendor's app {app} is not approved for this organisation yet.");
        eprintln!("Admin-consent link for this organisation: {url}");
        eprintln!(
            "An administrator who may grant consent opens it, reviews what the vendor's app asks for and accepts. \
             Microsoft then sends the browser on to the vendor's own page, which this program cannot see: it watches \
             the directory instead, for up to {how_long} (Ctrl-C stops waiting)."
        );
        if browser && let Err(error) = open::that(url.as_str()) {
            eprintln!("The browser could not be opened ({error}); open the link above yourself.");
        }
    };
    let approval = runtime.block_on(async {
        // Ctrl-C is listened for before the link is shown (`biased`: that branch is polled
        // first), so stopping the wait is always this program's own orderly end.
        tokio::select! {
            biased;
            _ = tokio::signal::ctrl_c() => None,
            approved = fix::approve_vendor_app(
                &session,
                &tenant_id,
                &client_id,
                redirect_uri.as_deref(),
                wait,
                &show_link,
            ) => Some(approved),
        }
    });
    let approved = match approval {
        Some(Ok(approved)) => approved,
        Some(Err(error)) => return Ok(admin::fix_failed(&error, args.json)),
        None => return Ok(cancelled(args.json, &client_id)),
    };
    let after = run_verify();
    let outcome = Outcome {
        client_id: client_id.clone(),
        service_principal_id: Some(approved.service_principal_id.clone()),
        admin_consent_url: Some(approved.admin_consent_url.clone()),
        changes: approved
            .changes
            .iter()
            .map(|c| c.description.clone())
            .collect(),
    };
    finish(args.json, &outcome, &after)
}

/// Ctrl-C while waiting: nothing was changed by this program.
fn cancelled(json: bool, client_id: &str) -> ExitStatus {
    let message = format!(
        "stopped waiting for the approval of the app {client_id} (Ctrl-C); this program changed nothing. \
         The admin-consent link stays valid; once an administrator approves the app, `entra-setup verify` shows it"
    );
    eprintln!("entra-setup: {message}.");
    if json {
        let document = json!({
            "error": { "cause": "admin_consent_missing", "message": message },
        });
        if let Ok(text) = serde_json::to_string_pretty(&document) {
            println!("{text}");
        }
    }
    ExitStatus::Failed
}

/// What `register` did for a vendor's app.
struct Outcome {
    client_id: String,
    service_principal_id: Option<String>,
    admin_consent_url: Option<String>,
    changes: Vec<String>,
}

impl Outcome {
    fn unchanged(client_id: &str) -> Outcome {
        Outcome {
            client_id: client_id.to_string(),
            service_principal_id: None,
            admin_consent_url: None,
            changes: Vec::new(),
        }
    }
}

/// Print the result and the verification; the exit status is the verification's.
fn finish(json: bool, outcome: &Outcome, report: &Report) -> anyhow::Result<ExitStatus> {
    if json {
        print_json(&to_json(outcome, report)?)?;
    } else {
        print!("{}", summary(outcome));
        print!("{}", report::render(report));
    }
    Ok(super::verify::exit_status(report))
}

/// The JSON of contracts/cli.md for a vendor's app: no registration of this tenant's own
/// (`object_id` null), never a secret.
fn to_json(outcome: &Outcome, report: &Report) -> anyhow::Result<Value> {
    Ok(json!({
        "client_id": outcome.client_id,
        "object_id": null,
        "service_principal_id": outcome.service_principal_id,
        "created": false,
        "changes": outcome.changes,
        "secret": null,
        "sign_in_audience": null,
        "admin_consent_url": outcome.admin_consent_url,
        "verify": serde_json::to_value(report)?,
    }))
}

/// The readable summary printed before the verification report.
fn summary(outcome: &Outcome) -> String {
    let mut text = format!("Vendor's app: client ID {}\n", outcome.client_id);
    if outcome.changes.is_empty() {
        text.push_str("Nothing changed.\n");
    } else {
        text.push_str("Changes:\n");
        for change in &outcome.changes {
            text.push_str(&format!("  - {change}\n"));
        }
        text.push_str(
            "Users must reconnect their Microsoft account in the vendor's service now.\n",
        );
    }
    text.push('\n');
    text
}

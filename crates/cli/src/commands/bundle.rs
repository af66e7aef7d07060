//! `entra-setup bundle export|inspect` (contracts/bundle.md, contracts/cli.md).
//!
//! `export` verifies the integration (the same checks as `verify`, so `checks` is live), then
//! writes the zip atomically and records the secret in the reminders. The secret's value goes
//! only into `secret.age`, and only with `--recipient` or `--passphrase-env`. With a certificate
//! (`--certificate-from-keyring`, `--certificate-file`), the bundle names its thumbprint, its
//! calendar and reminder follow the certificate's end date, and with `--recipient` or
//! `--passphrase-env` the certificate with its private key goes into `certificate.pfx.age`
//! (PKCS#12 encrypted with age; see the core's `bundle` module for its password). `inspect`
//! validates a bundle's format and version and shows its record.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use entra_setup_core::bundle::{self, CertificateFacts, ExportRequest, Protection, SecretFacts};
use entra_setup_core::check::CheckId;
use entra_setup_core::credentials::CredentialType;
use entra_setup_core::paths::AppPaths;
use entra_setup_core::printable::printable;
use entra_setup_core::reminders::Registry;
use entra_setup_core::secret::Secret;
use entra_setup_core::validate::Field;

use super::verify::{VerifyArgs, exit_status, verify_with};
use super::{Globals, find_profile};
use crate::exit::{ExitStatus, UsageError};
use crate::options::{env_value, field_option, not_blank};
use crate::output::print_json;

/// For testing only: abort the process once the bundle's temporary file is complete, before
/// it is renamed (proves a crash leaves no partial bundle).
pub const CRASH_BEFORE_RENAME_ENV: &str = "ENTRA_SETUP_TEST_CRASH_BEFORE_RENAME";

/// `bundle` subcommands.
#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Verify the integration and write its configuration bundle (.zip).
    Export(Box<ExportArgs>),
    /// Check a bundle's format and version and show what it holds.
    Inspect {
        /// The bundle.
        #[arg(value_name = "FILE.zip")]
        file: PathBuf,
        /// Print bundle.json (and the entries) as one JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
}

/// `bundle export`'s options.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to verify (the options of `verify`).
    #[command(flatten)]
    pub verify: VerifyArgs,
    /// Encrypt the secret into secret.age (a certificate with its key into certificate.pfx.age)
    /// for this age public key (age1…); repeatable.
    #[arg(long = "recipient", value_name = "AGE_PUBLIC_KEY")]
    pub recipients: Vec<String>,
    /// Encrypt the secret into secret.age (a certificate with its key into certificate.pfx.age)
    /// with the passphrase in this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with = "recipients")]
    pub passphrase_env: Option<String>,
    /// The registration's display name, for the report and the calendar.
    #[arg(long, value_name = "NAME")]
    pub app_name: Option<String>,
    /// Where to write the bundle.
    #[arg(long, value_name = "FILE.zip")]
    pub out: PathBuf,
    /// When the secret expires, as Certificates & secrets shows it (RFC 3339 or YYYY-MM-DD): for
    /// the calendar and the reminder when no administrator is signed in to read it.
    #[arg(long, value_name = "DATE")]
    pub secret_expires: Option<String>,
}

/// Run a `bundle` subcommand.
pub fn run(globals: &Globals, command: BundleCommand) -> anyhow::Result<ExitStatus> {
    match command {
        BundleCommand::Export(args) => export(globals, *args),
        BundleCommand::Inspect { file, json } => inspect(&file, json),
    }
}

fn export(globals: &Globals, args: ExportArgs) -> anyhow::Result<ExitStatus> {
    let paths = AppPaths::from_env()?;
    let profile = &find_profile(&paths, &args.verify.integration.profile)?;
    // Refused before anything is asked, like every other bad value.
    let given_expiry = args
        .secret_expires
        .as_deref()
        .map(|text| {
            entra_setup_core::reminders::manual::parse_expiry(text).ok_or_else(|| {
                UsageError(format!(
                    "--secret-expires: '{}' is not a date such as 2027-03-01 (or a time such as \
                     2027-03-01T00:00:00Z)",
                    text.trim()
                ))
            })
        })
        .transpose()?;
    let Some(client_id) = args
        .verify
        .integration
        .client_id
        .as_deref()
        .map(|c| c.trim().to_ascii_lowercase())
    else {
        return Err(UsageError(format!(
            "{}: a bundle is for one app registration; give its Application (client) ID",
            field_option(Field::ClientId)
        ))
        .into());
    };
    // The core's rules for where a bundle goes (the app's export panel applies the same), on
    // the path made absolute from the working folder.
    let out = std::path::absolute(&args.out)
        .map_err(|e| UsageError(format!("--out: '{}': {e}", args.out.display())))?;
    let out = &entra_setup_core::wizard::export::bundle_path(&out.to_string_lossy())
        .map_err(|e| UsageError(format!("--out: {}", e.problem)))?;
    let protection = if !args.recipients.is_empty() {
        bundle::parse_recipients(&args.recipients)
            .map_err(|e| UsageError(format!("--recipient: {e}")))?;
        Protection::Recipients(args.recipients.clone())
    } else if let Some(var) = &args.passphrase_env {
        let option = "--passphrase-env";
        let passphrase = Secret::new(env_value(option, var)?);
        Protection::Passphrase(not_blank(option, var, passphrase)?)
    } else {
        Protection::None
    };
    let wants_value = !matches!(protection, Protection::None);
    let with_certificate = args.verify.certificate_given();
    if with_certificate && args.secret_expires.is_some() {
        return Err(UsageError(
            "--secret-expires: a certificate carries its own end date, which the calendar and the \
             reminder use; give --secret-expires only with a client secret"
                .into(),
        )
        .into());
    }
    if wants_value && !with_certificate && !args.verify.secret_given() {
        let option = if args.recipients.is_empty() {
            "--passphrase-env"
        } else {
            "--recipient"
        };
        return Err(UsageError(format!(
            "{option}: secret.age needs the secret's value: add --secret-stdin, --secret-env VAR or --secret-from-keyring"
        ))
        .into());
    }

    let done = verify_with(globals, &args.verify, profile)?;
    // A bundle is made from a whole verification only: a failed sign-in stops it. With --json
    // the answer is still one document: the checks that ran, and why no bundle was written.
    if let Some(status) = done.sign_in_failed {
        eprintln!("entra-setup: no bundle was written: the sign-in did not finish.");
        if args.verify.json {
            let (cause, why) = done.sign_in_failure.clone().unwrap_or_default();
            print_json(&serde_json::json!({
                "out": null,
                "entries": [],
                "bundle": null,
                "error": {
                    "cause": cause.map(|c| c.as_str()),
                    "message": format!("no bundle was written: {why}"),
                },
                "verify": done.report,
            }))?;
        }
        return Ok(status);
    }
    let report = &done.report;
    let registry = Registry::new(&paths);
    let known = registry.latest_for_client(&client_id).ok().flatten();
    let certificate = done.certificate.as_ref().map(|certificate| {
        // The reminder `register` kept for this very certificate (same client, same end) names
        // its key id when nobody signed in to read it.
        let kept = registry.list().ok().and_then(|list| {
            list.into_iter()
                .filter(|r| {
                    r.kind == CredentialType::Certificate
                        && r.client_id.eq_ignore_ascii_case(&client_id)
                        && r.expires == certificate.not_after()
                })
                .max_by_key(|r| r.expires)
        });
        CertificateFacts::gather(
            certificate,
            report
                .check(CheckId::CertificateExpiry)
                .map(|c| &c.evidence),
            kept.as_ref(),
            wants_value,
            args.verify.certificate.certificate_from_keyring,
        )
    });
    // A certificate stands in the secret's place: no secret's facts are guessed from an older
    // reminder then.
    let secret = if certificate.is_some() {
        SecretFacts::default()
    } else {
        SecretFacts::gather(
            report.check(CheckId::SecretExpiry).map(|c| &c.evidence),
            given_expiry,
            known.as_ref(),
            done.secret.as_ref(),
            if wants_value {
                done.secret.clone()
            } else {
                None
            },
            args.verify.secret_from_keyring,
        )
    };
    let request = ExportRequest {
        profile: profile.clone(),
        report: report.clone(),
        tenant: args.verify.integration.tenant.trim().to_string(),
        cloud: done.endpoints.cloud,
        login: done
            .endpoints
            .login
            .as_str()
            .trim_end_matches('/')
            .to_string(),
        client_id: client_id.clone(),
        display_name: args
            .app_name
            .clone()
            .or_else(|| registered_name(globals, &done, &client_id))
            .or_else(|| known.as_ref().and_then(|r| r.name.clone())),
        redirect_uri: done.redirect_uri.clone(),
        secret,
        certificate,
        protection,
        now: chrono::Utc::now(),
    };
    let crash = std::env::var_os(CRASH_BEFORE_RENAME_ENV).is_some_and(|v| !v.is_empty());
    let abort = |_: &std::path::Path| std::process::abort();
    let hook: Option<&dyn Fn(&std::path::Path)> = if crash { Some(&abort) } else { None };
    let exported =
        bundle::export_and_remind(&request, out, hook, &registry).map_err(|e| match e {
            bundle::BundleError::Encrypt(_)
            | bundle::BundleError::NoSecretToEncrypt
            | bundle::BundleError::NoCertificateToEncrypt => {
                anyhow::Error::new(UsageError(e.to_string()))
            }
            other => anyhow::Error::new(other),
        })?;
    match &exported.reminder {
        bundle::ExportReminder::Failed(e) => eprintln!(
            "entra-setup: the bundle is written, but the reminder could not be kept: {}",
            entra_setup_core::error_text::with_sources(e)
        ),
        bundle::ExportReminder::Nothing => eprintln!(
            "entra-setup: no reminder was made and the bundle has no calendar file: the secret's \
             expiry is not known. Give --secret-expires DATE (as Certificates & secrets shows it), \
             or sign in with --sign-in device-code so it can be read."
        ),
        bundle::ExportReminder::Kept(_) => {}
    }
    let (record, entries) = (exported.record, exported.entries);
    match &record.certificate {
        Some(certificate) => eprintln!(
            "Bundle written: {} ({}; certificate {}, private key: {}).",
            out.display(),
            entries.join(", "),
            certificate.thumbprint,
            certificate.storage
        ),
        None => eprintln!(
            "Bundle written: {} ({}; secret value: {}).",
            out.display(),
            entries.join(", "),
            record.secret.storage
        ),
    }
    if args.verify.json {
        print_json(&serde_json::json!({
            "out": out,
            "entries": entries,
            "bundle": record,
        }))?;
    }
    Ok(exit_status(report))
}

/// The app's display name, read with the administrator's sign-in when there was one.
fn registered_name(
    globals: &Globals,
    done: &super::verify::Verification,
    client_id: &str,
) -> Option<String> {
    let token = done.admin_graph.as_ref()?;
    let http = entra_setup_core::http::Http::new(entra_setup_core::http::RetryPolicy {
        timeout: std::time::Duration::from_secs(globals.timeout),
        ..entra_setup_core::http::RetryPolicy::default()
    })
    .ok()?;
    let reader = entra_setup_core::graph::Reader {
        http: &http,
        endpoints: &done.endpoints,
        token,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    runtime.block_on(async {
        // The registration in this tenant, or else a vendor app's enterprise application.
        match entra_setup_core::graph::application_by_app_id(&reader, client_id).await {
            Ok(app) => app.display_name,
            Err(_) => {
                entra_setup_core::graph::service_principal_by_app_id(&reader, client_id)
                    .await
                    .ok()?
                    .display_name
            }
        }
    })
}

fn inspect(file: &std::path::Path, json: bool) -> anyhow::Result<ExitStatus> {
    let opened = bundle::open(file).map_err(|e| UsageError(e.to_string()))?;
    if json {
        print_json(&serde_json::json!({
            "entries": opened.entries,
            "bundle": opened.record,
        }))?;
        return Ok(ExitStatus::Ok);
    }
    // Everything below comes from the file: shown, never acted on by the terminal.
    let p = |text: &str| printable(text).into_owned();
    let record = &opened.record;
    println!(
        "{} (profile {})",
        p(&record.profile.title),
        p(&record.profile.id)
    );
    println!("Made: {}", record.created.format("%Y-%m-%d %H:%M UTC"));
    println!(
        "Tenant: {} {}",
        p(record.tenant.id.as_deref().unwrap_or("unknown")),
        record
            .tenant
            .domain
            .as_deref()
            .map(|d| format!("({})", p(d)))
            .unwrap_or_default()
    );
    println!(
        "Application (client) ID: {}",
        p(&record.application.client_id)
    );
    // An app that proves itself with a certificate has no secret to show.
    let secret_known = record.secret.key_id.is_some()
        || record.secret.expires.is_some()
        || record.secret.storage != bundle::SecretStorage::None;
    if record.certificate.is_none() || secret_known {
        println!(
            "Secret: {} expires {} (value: {})",
            p(record.secret.key_id.as_deref().unwrap_or("unknown")),
            record
                .secret
                .expires
                .map_or_else(|| "unknown".into(), |e| e.format("%Y-%m-%d").to_string()),
            p(&record.secret.storage.to_string())
        );
    }
    if let Some(certificate) = &record.certificate {
        println!(
            "Certificate: {} ID {} expires {} (private key: {})",
            p(&certificate.thumbprint),
            p(certificate.key_id.as_deref().unwrap_or("unknown")),
            certificate
                .expires
                .map_or_else(|| "unknown".into(), |e| e.format("%Y-%m-%d").to_string()),
            p(&certificate.storage.to_string())
        );
    }
    println!("Settings:");
    for (name, value) in &record.settings {
        println!(
            "  {}: {}",
            p(name),
            p(value.as_deref().unwrap_or("(see settings.txt)"))
        );
    }
    println!("Checks:");
    for check in &record.checks {
        println!(
            "  {:<16} {}",
            p(check["id"].as_str().unwrap_or_default()),
            p(check["status"].as_str().unwrap_or_default())
        );
    }
    let entries: Vec<String> = opened.entries.iter().map(|e| p(e)).collect();
    println!("Entries: {}", entries.join(", "));
    Ok(ExitStatus::Ok)
}

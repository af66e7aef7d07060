//! `entra-setup monitor setup|scan|schedule` (contracts/cli.md, December 2026 additions): the
//! unattended monitor of every tenant's app credentials.
//!
//! - `setup` signs an administrator in once and registers the wizard's own multi-tenant monitor
//!   app with the core's registration repair (application `Application.Read.All`, `Mail.Send`
//!   with `--mail-from`, admin consent) and a certificate whose private key goes to the OS
//!   keychain; its IDs go to `monitor.json` in the config folder; it prints the consent link
//!   for other tenants.
//! - `scan` signs nobody in: the monitor app's own token in each tenant of the tenants file,
//!   what expires within N days, one webhook message and/or a mail; exit 0 nothing due, 1
//!   something due, 2 a tenant could not be read. Its report is kept as the monitor's last scan
//!   (`monitor-last-scan.json` in the data folder) for the desktop app's Reminders page.
//! - `schedule --print cron|systemd|windows` prints a daily schedule of that scan.
//!
//! The webhook URL is read from the environment variable `--webhook-env` names and never printed
//! or logged (its host only). For testing, `ENTRA_SETUP_NOW=RFC3339` sets the time `scan`
//! judges by.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use entra_setup_core::credentials::Certificate;
use entra_setup_core::fix::CertificateRequest;
use entra_setup_core::monitor::alert::mail::{self, MailRoute};
use entra_setup_core::monitor::alert::webhook::{self, Patience, WebhookUrl};
use entra_setup_core::monitor::schedule::{self, ScheduledScan, Scheduler};
use entra_setup_core::monitor::setup::{self, MonitorConfig, default_tenants_file};
use entra_setup_core::monitor::{
    self, AlertReport, CertificateCredential, DEFAULT_CONCURRENCY, DEFAULT_WITHIN_DAYS,
    MonitorCredential, Outcome, ScanOptions, SecretCredential, TenantReport, TenantStatus,
};
use entra_setup_core::paths::AppPaths;
use entra_setup_core::printable::printable;
use entra_setup_core::reminders::{self, CredentialKind, Stage};
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::{self, KeyringStore};
use entra_setup_core::validate::Field;
use entra_setup_core::verify::Context;
use serde_json::json;

use super::{Globals, admin, connect, keychain, refuse_errors, refuse_errors_as};
use crate::exit::{ExitStatus, UsageError};
use crate::options::{AdminSignIn, env_client_secret, env_name, env_value};
use crate::output::{change_lines, print_json};

/// `monitor` subcommands.
#[derive(Debug, Subcommand)]
pub enum MonitorCommand {
    /// Register the wizard's own multi-tenant monitor app (application Application.Read.All,
    /// admin consent; its credential kept in the OS keychain) and print the consent link other
    /// tenants' administrators open.
    Setup(SetupArgs),
    /// With no person signing in, list every app registration's secrets and certificates that
    /// expire within N days in each tenant of the tenants file, and alert by webhook or mail;
    /// exit 0 nothing due, 1 something due, 2 a tenant could not be read.
    Scan(ScanArgs),
    /// Print a ready-made daily schedule of `monitor scan` (crontab line, systemd service and
    /// timer, Windows Task Scheduler XML).
    Schedule(ScheduleArgs),
}

/// `monitor setup`'s options.
#[derive(Debug, Args)]
#[command(mut_arg("sign_in_client", |a| a.help(
    "The public client that signs the administrator in (default: Microsoft Graph Command Line Tools)"
)))]
pub struct SetupArgs {
    /// The tenant the monitor app is registered in: its Directory (tenant) ID or one of its domains.
    #[arg(long)]
    pub tenant: String,
    /// Repair this existing monitor registration instead of creating one.
    #[arg(long, value_name = "GUID")]
    pub client_id: Option<String>,
    /// Alerts will go out by mail from this mailbox: also ask for Mail.Send, and explain how to
    /// limit it to that mailbox.
    #[arg(long, value_name = "UPN")]
    pub mail_from: Option<String>,
    /// The new certificate's lifetime in days (capped by the tenant's app management policy).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=730))]
    pub cert_days: Option<u32>,
    /// Add a new certificate even when the keychain keeps one that works (never removes one).
    #[arg(long)]
    pub new_certificate: bool,
    /// `--sign-in` and `--sign-in-client`.
    #[command(flatten)]
    pub sign_in: AdminSignIn,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// How the monitor app proves itself, when not with what `monitor setup` kept in the keychain.
#[derive(Debug, Args)]
pub struct MonitorCredentialArgs {
    /// The monitor app's Application (client) ID (default: the one `monitor setup` registered).
    #[arg(long, value_name = "GUID")]
    pub client_id: Option<String>,
    /// The monitor app's certificate with its private key (PEM).
    #[arg(long, value_name = "PATH", group = "credential")]
    pub certificate_file: Option<PathBuf>,
    /// The environment variable holding the password of --certificate-file's encrypted key.
    #[arg(long, value_name = "VAR", requires = "certificate_file")]
    pub certificate_password_env: Option<String>,
    /// The environment variable holding the monitor app's client secret.
    #[arg(long, value_name = "VAR", group = "credential")]
    pub secret_env: Option<String>,
}

/// `monitor scan`'s options.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// `--tenants`, `--within-days`, `--webhook-env`, `--mail-from` and `--mail-to`.
    #[command(flatten)]
    pub scan: ScanSettingsArgs,
    /// How many tenants are read at once.
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY as u32, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=32))]
    pub concurrency: u32,
    /// The monitor app and its credential.
    #[command(flatten)]
    pub credential: MonitorCredentialArgs,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// What a scan reads and where its alert goes, for `monitor scan` and the scan `monitor
/// schedule` prints.
#[derive(Debug, Args)]
pub struct ScanSettingsArgs {
    /// The tenants to scan, one a line (GUID or domain; # comments). Default: monitor-tenants.txt
    /// in the config folder, else the tenant `monitor setup` registered the app in.
    #[arg(long, value_name = "FILE")]
    pub tenants: Option<PathBuf>,
    /// The window in days.
    #[arg(long, default_value_t = DEFAULT_WITHIN_DAYS, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=3650))]
    pub within_days: u32,
    /// Post the alert to the webhook whose URL (a secret) this environment variable holds.
    #[arg(long, value_name = "VAR")]
    pub webhook_env: Option<String>,
    /// `--mail-from` and `--mail-to`.
    #[command(flatten)]
    pub mail: MailAlertArgs,
}

/// The alert by mail, for `monitor scan` and the scan `monitor schedule` prints.
#[derive(Debug, Args)]
pub struct MailAlertArgs {
    /// Send the alert by mail from this mailbox (with --mail-to).
    #[arg(long, value_name = "UPN", requires = "mail_to")]
    pub mail_from: Option<String>,
    /// Who gets the alert mail (repeat for several).
    #[arg(long, value_name = "ADDR", requires = "mail_from", num_args = 1..)]
    pub mail_to: Vec<String>,
}

impl MailAlertArgs {
    /// Where the alert mail goes, when `--mail-from` is given; a malformed address is refused.
    fn route(&self) -> Result<Option<MailRoute>, UsageError> {
        mail_route(self.mail_from.as_deref(), &self.mail_to)
    }
}

/// The schedulers `--print` knows.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchedulerOption {
    /// A crontab line.
    Cron,
    /// A systemd .service and .timer pair (user units).
    Systemd,
    /// A Windows Task Scheduler task (XML for schtasks /Create /XML).
    Windows,
}

/// `monitor schedule`'s options.
#[derive(Debug, Args)]
#[command(
    mut_arg("tenants", |a| a.help(
        "The tenants file the scan reads (default: monitor-tenants.txt in the config folder)"
    )),
    mut_arg("webhook_env", |a| a.help(
        "The environment variable that will hold the webhook URL (named, never written out)"
    )),
)]
pub struct ScheduleArgs {
    /// The scheduler to print for.
    #[arg(long, value_enum, value_name = "SCHEDULER")]
    pub print: SchedulerOption,
    /// `--tenants`, `--within-days`, `--webhook-env`, `--mail-from` and `--mail-to`.
    #[command(flatten)]
    pub scan: ScanSettingsArgs,
}

/// Run a `monitor` subcommand.
pub fn run(globals: &Globals, command: MonitorCommand) -> anyhow::Result<ExitStatus> {
    let paths = AppPaths::from_env()?;
    match command {
        MonitorCommand::Setup(args) => run_setup(globals, &paths, &args),
        MonitorCommand::Scan(args) => run_scan(globals, &paths, &args),
        MonitorCommand::Schedule(args) => run_schedule(&paths, &args),
    }
}

/// A mail address as `option` gives it.
fn mail_address(option: &str, value: &str) -> Result<String, UsageError> {
    let value = value.trim();
    match value.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && domain.contains('.')
                && !value.contains(char::is_whitespace) =>
        {
            Ok(value.to_owned())
        }
        _ => Err(UsageError(format!(
            "{option}: '{}' is not a mail address",
            printable(value)
        ))),
    }
}

fn mail_route(from: Option<&str>, to: &[String]) -> Result<Option<MailRoute>, UsageError> {
    let Some(from) = from else {
        return Ok(None);
    };
    Ok(Some(MailRoute {
        from: mail_address("--mail-from", from)?,
        to: to
            .iter()
            .map(|t| mail_address("--mail-to", t))
            .collect::<Result<_, _>>()?,
    }))
}

fn now() -> Result<DateTime<Utc>, UsageError> {
    reminders::clock_from_env()
        .map(|clock| clock.now())
        .map_err(UsageError)
}

/// The tenants to scan: `--tenants`, else the default tenants file when it exists, else the
/// monitor app's home tenant.
fn tenants(
    paths: &AppPaths,
    given: Option<&PathBuf>,
    config: Option<&MonitorConfig>,
) -> Result<Vec<String>, UsageError> {
    let default = default_tenants_file(paths);
    let file = match given {
        Some(file) => Some(file.clone()),
        None => default.exists().then_some(default.clone()),
    };
    let Some(file) = file else {
        return match config {
            Some(config) => Ok(vec![config.home_tenant_id.clone()]),
            None => Err(UsageError(format!(
                "--tenants: give the tenants file (one tenant a line), or write it to {} (none is there, and monitor setup has not been run)",
                default.display()
            ))),
        };
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| UsageError(format!("--tenants: cannot read {}: {e}", file.display())))?;
    let tenants = monitor::parse_tenants(&text)
        .map_err(|e| UsageError(format!("--tenants: {}: {e}", file.display())))?;
    if tenants.is_empty() {
        return Err(UsageError(format!(
            "--tenants: {} lists no tenant",
            file.display()
        )));
    }
    Ok(tenants)
}

/// The monitor app's credential: the options' when given, else the certificate, then the secret,
/// that `monitor setup` kept in the keychain.
fn credential(
    context: &Context,
    args: &MonitorCredentialArgs,
    config: Option<&MonitorConfig>,
) -> Result<MonitorCredential, UsageError> {
    if let Some(client_id) = &args.client_id {
        refuse_errors_as("--client-id", Field::ClientId, client_id)?;
    }
    let client_id = match (&args.client_id, config) {
        (Some(client_id), _) => client_id.trim().to_ascii_lowercase(),
        (None, Some(config)) => config.client_id.clone(),
        (None, None) => {
            return Err(UsageError(
                "--client-id: no monitor app is known: run entra-setup monitor setup, or give --client-id with --certificate-file or --secret-env".into(),
            ));
        }
    };
    let (http, endpoints) = (context.http.clone(), context.endpoints.clone());
    if let Some(path) = &args.certificate_file {
        let password = match &args.certificate_password_env {
            Some(var) => {
                env_name("--certificate-password-env", var)?;
                Some(Secret::new(env_value("--certificate-password-env", var)?))
            }
            None => None,
        };
        let certificate = Certificate::from_file(path, password.as_ref()).map_err(|e| {
            UsageError(format!(
                "--certificate-file: {}: {}",
                path.display(),
                entra_setup_core::error_text::with_sources(&e)
            ))
        })?;
        return Ok(MonitorCredential::Certificate(CertificateCredential::new(
            http,
            endpoints,
            &client_id,
            certificate,
        )));
    }
    if let Some(var) = &args.secret_env {
        env_name("--secret-env", var)?;
        let secret = env_client_secret(var)?;
        return Ok(MonitorCredential::Secret(SecretCredential::new(
            http, endpoints, &client_id, secret,
        )));
    }
    let Some(config) = config.filter(|c| c.client_id == client_id) else {
        return Err(UsageError(format!(
            "--certificate-file: the keychain keeps credentials only for the monitor app monitor setup registered; give the credential of {client_id} with --certificate-file or --secret-env"
        )));
    };
    let store = KeyringStore::default();
    let kept = |e: &dyn std::fmt::Display| {
        UsageError(format!(
            "--certificate-file: the monitor's credential cannot be read from the OS keychain ({e}); give it with --certificate-file or --secret-env"
        ))
    };
    if let Some(certificate) =
        Certificate::from_keychain(&store, &config.home_tenant_id, &client_id)
            .map_err(|e| kept(&e))?
    {
        return Ok(MonitorCredential::Certificate(CertificateCredential::new(
            http,
            endpoints,
            &client_id,
            certificate,
        )));
    }
    match secrets::client_secret(&store, &config.home_tenant_id, &client_id) {
        Ok(Some(secret)) => Ok(MonitorCredential::Secret(SecretCredential::new(
            http, endpoints, &client_id, secret,
        ))),
        Ok(None) => Err(UsageError(format!(
            "--certificate-file: the OS keychain keeps no credential of the monitor app {client_id} (run entra-setup monitor setup on this machine, or give --certificate-file or --secret-env)"
        ))),
        Err(e) => Err(kept(&e)),
    }
}

/// `monitor scan`.
fn run_scan(globals: &Globals, paths: &AppPaths, args: &ScanArgs) -> anyhow::Result<ExitStatus> {
    let now = now()?;
    let config = MonitorConfig::load(paths).map_err(|e| UsageError(e.to_string()))?;
    let tenants = tenants(paths, args.scan.tenants.as_ref(), config.as_ref())?;
    let webhook = match &args.scan.webhook_env {
        Some(var) => {
            env_name("--webhook-env", var)?;
            let value = env_value("--webhook-env", var)?;
            Some(WebhookUrl::parse(Secret::new(value)).map_err(|e| {
                UsageError(format!(
                    "--webhook-env: the URL in {var} cannot be used: {e}"
                ))
            })?)
        }
        None => None,
    };
    let route = args.scan.mail.route()?;
    let (context, runtime) = connect(globals, now)?;
    let tokens = Arc::new(credential(&context, &args.credential, config.as_ref())?);
    let options = ScanOptions {
        now,
        within_days: args.scan.within_days,
        concurrency: args.concurrency as usize,
    };
    let reports = runtime.block_on(monitor::scan_tenants(
        &context.http,
        &context.endpoints,
        tokens.clone(),
        &tenants,
        options,
    ));
    let mut alerts: Vec<AlertReport> = Vec::new();
    if monitor::alert::worth_alerting(&reports) {
        if let Some(webhook) = &webhook {
            let message = webhook::message(&reports, args.scan.within_days);
            alerts.push(runtime.block_on(webhook::post(
                &context.http,
                webhook,
                &message,
                Patience::default(),
            )));
        }
        if let Some(route) = &route {
            alerts.push(runtime.block_on(mail::send(
                &context.http,
                &context.endpoints,
                tokens.as_ref(),
                route,
                &reports,
                args.scan.within_days,
            )));
        }
    }
    // A failed alert is said on stderr too, which cron mails even when stdout is dropped.
    for alert in alerts
        .iter()
        .filter(|a| a.status == monitor::AlertStatus::Failed)
    {
        eprintln!(
            "entra-setup: the {} alert was not delivered: {} ({})",
            match alert.channel {
                monitor::AlertChannel::Webhook => "webhook",
                monitor::AlertChannel::Mail => "mail",
            },
            printable(alert.detail.as_deref().unwrap_or("")),
            alert.cause.map(|c| c.as_str()).unwrap_or("")
        );
    }
    // Kept for the desktop app's Reminders page; a scan whose report cannot be kept still
    // reports and exits as it found.
    if let Err(error) =
        monitor::last_scan::record(paths, now, args.scan.within_days, &reports, &alerts)
    {
        eprintln!(
            "entra-setup: this scan could not be kept as the monitor's last scan: {}",
            printable(&error.to_string())
        );
    }
    if args.json {
        print_json(&json!({
            "within_days": args.scan.within_days,
            "tenants": reports,
            "alerts": alerts,
        }))?;
    } else {
        print_table(
            &reports,
            &alerts,
            args.scan.within_days,
            webhook.as_ref(),
            now,
        );
    }
    Ok(match monitor::outcome(&reports) {
        Outcome::Clear => ExitStatus::Ok,
        Outcome::Due => ExitStatus::Failed,
        Outcome::Unreadable => ExitStatus::Unverified,
    })
}

fn kind_word(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::Secret => "secret",
        CredentialKind::Certificate => "certificate",
    }
}

fn stage_words(stage: Stage, days_left: i64, expires: DateTime<Utc>, now: DateTime<Utc>) -> String {
    match stage {
        // Whole days since it expired (days left round down, so they would say one more).
        Stage::Expired => format!("EXPIRED {} days ago", (now - expires).num_days()),
        Stage::Due { lead_days } => format!("in {days_left} days ({lead_days}-day stage)"),
        Stage::Later => format!("in {days_left} days"),
    }
}

/// The readable table: one line per credential due, one per tenant that could not be read.
fn print_table(
    reports: &[TenantReport],
    alerts: &[AlertReport],
    within_days: u32,
    webhook: Option<&WebhookUrl>,
    now: DateTime<Utc>,
) {
    let rows: Vec<[String; 6]> = reports
        .iter()
        .flat_map(|report| {
            let tenant = printable(&report.tenant).into_owned();
            let mut rows = Vec::new();
            if report.status == TenantStatus::Unreadable {
                rows.push([
                    tenant.clone(),
                    "UNREADABLE".into(),
                    report.cause.map(|c| c.as_str()).unwrap_or("").into(),
                    String::new(),
                    String::new(),
                    printable(report.detail.as_deref().unwrap_or("")).into_owned(),
                ]);
            }
            for due in &report.due {
                rows.push([
                    tenant.clone(),
                    printable(due.display_name.as_deref().unwrap_or("(unnamed)")).into_owned(),
                    format!("{} {}", kind_word(due.kind), printable(&due.key_id)),
                    printable(&due.client_id).into_owned(),
                    due.expires.format("%Y-%m-%d").to_string(),
                    stage_words(due.stage, due.days_left, due.expires, now),
                ]);
            }
            rows
        })
        .collect();
    let read: usize = reports.iter().map(|r| r.registrations).sum();
    if rows.is_empty() {
        println!(
            "Nothing expires within {within_days} days in {} tenant{} ({read} registrations read).",
            reports.len(),
            if reports.len() == 1 { "" } else { "s" }
        );
    } else {
        let header = [
            "TENANT",
            "APP",
            "CREDENTIAL",
            "CLIENT ID",
            "EXPIRES",
            "WHEN",
        ];
        let mut widths = header.map(str::len);
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: &[&str]| {
            cells
                .iter()
                .zip(widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_owned()
        };
        println!("{}", line(&header));
        for row in &rows {
            println!("{}", line(&row.each_ref().map(String::as_str)));
        }
    }
    for alert in alerts {
        let channel = match alert.channel {
            monitor::AlertChannel::Webhook => {
                format!("webhook ({})", webhook.map_or("", |w| w.host()))
            }
            monitor::AlertChannel::Mail => "mail".to_owned(),
        };
        match alert.status {
            monitor::AlertStatus::Sent => println!("Alert sent: {channel}."),
            monitor::AlertStatus::Failed => println!(
                "Alert FAILED: {channel} after {} attempt{}: {} ({}).",
                alert.attempts,
                if alert.attempts == 1 { "" } else { "s" },
                printable(alert.detail.as_deref().unwrap_or("")),
                alert.cause.map(|c| c.as_str()).unwrap_or("")
            ),
        }
    }
}

/// `monitor setup`.
fn run_setup(globals: &Globals, paths: &AppPaths, args: &SetupArgs) -> anyhow::Result<ExitStatus> {
    refuse_errors(Field::Tenant, &args.tenant)?;
    if let Some(client_id) = &args.client_id {
        refuse_errors(Field::ClientId, client_id)?;
    }
    let mail_from = args
        .mail_from
        .as_deref()
        .map(|from| mail_address("--mail-from", from))
        .transpose()?;
    let sign_in_client = admin::sign_in_client(paths, args.sign_in.client.id.as_deref())?;
    // The monitor runs unattended with a certificate whose private key only the keychain keeps:
    // settled before anyone signs in.
    keychain::available().map_err(|e| {
        UsageError(format!(
            "--tenant: the monitor's certificate is kept in the OS keychain of the machine that runs the scan, and it is not available: {e}. Start or unlock the keychain"
        ))
    })?;
    let (context, runtime) = connect(globals, Utc::now())?;
    let tenant = args.tenant.trim();
    let scopes = entra_setup_core::fix::repair_scopes(&context);
    let admin_token = match admin::sign_in_admin(
        &runtime,
        &context,
        tenant,
        &sign_in_client,
        &scopes,
        args.sign_in.sign_in,
    ) {
        Ok(token) => token,
        Err(status) => return Ok(status),
    };
    let request = CertificateRequest {
        new_certificate: args.new_certificate,
        days: args.cert_days,
        store: Arc::new(KeyringStore::default()),
    };
    let session = admin::repair_session(&context, &admin_token, globals.no_progress);
    let done = match runtime.block_on(setup::set_up(
        tenant,
        args.client_id.as_deref(),
        mail_from.is_some(),
        &request,
        &session,
    )) {
        Ok(done) => done,
        Err(error) => return Ok(admin::fix_failed(&error, args.json)),
    };
    let registered = &done.registered;
    // The monitor's own certificate is reminded of like any other.
    if let Some(made) = &registered.certificate {
        keychain::remind_certificate(
            &runtime,
            &context,
            paths,
            tenant,
            &registered.client_id,
            made,
            Some("Entra setup monitor"),
            "monitor setup",
        );
    }
    let home_tenant_id = keychain::tenant_guid(&runtime, &context, tenant)?;
    let previous = MonitorConfig::load(paths).ok().flatten();
    let config = MonitorConfig {
        client_id: registered.client_id.clone(),
        home_tenant_id: home_tenant_id.clone(),
        key_id: registered
            .certificate
            .as_ref()
            .map(|c| c.key_id.clone())
            .or_else(|| {
                previous
                    .filter(|p| p.client_id == registered.client_id)
                    .and_then(|p| p.key_id)
            }),
    };
    config.save(paths)?;
    let consent_link = done.consent_link.as_ref().map(|u| u.to_string());
    if args.json {
        print_json(&json!({
            "client_id": registered.client_id,
            "object_id": registered.object_id,
            "tenant_id": home_tenant_id,
            "created": registered.created,
            "changes": registered.changes.iter().map(|c| c.description.clone()).collect::<Vec<_>>(),
            "certificate": registered.certificate.as_ref().map(|c| json!({
                "thumbprint": c.thumbprint, "key_id": c.key_id, "expires": c.expires,
                "keychain_account": c.keychain_account,
            })),
            "consent_link": consent_link,
            "config": MonitorConfig::path(paths),
            "mail": mail_from.as_ref().map(|from| json!({"from": from, "permission": setup::MAIL_SEND})),
        }))?;
    } else {
        println!(
            "Monitor app {} ({}) in tenant {}.",
            registered.client_id,
            if registered.created {
                "created"
            } else {
                "repaired"
            },
            home_tenant_id
        );
        print!("{}", change_lines(&registered.changes));
        match (&registered.certificate, &registered.kept_certificate) {
            (Some(made), _) => println!(
                "Its certificate {} (thumbprint {}, expires {}) is registered; its private key is kept in the OS keychain (account {}).",
                made.key_id,
                made.thumbprint,
                made.expires.format("%Y-%m-%d"),
                made.keychain_account
            ),
            (None, Some(kept)) => println!(
                "Its certificate (thumbprint {}, expires {}) is already kept in the OS keychain: none added.",
                kept.thumbprint(),
                kept.not_after().format("%Y-%m-%d")
            ),
            (None, None) => {}
        }
        if let Some(link) = &consent_link {
            println!(
                "\nFor every other tenant to watch, an administrator of it (Global Administrator or Privileged Role Administrator) opens:\n  {link}\n(replace 'organizations' with the tenant's domain to name it), then add the tenant to {}.",
                default_tenants_file(paths).display()
            );
        }
        println!(
            "\nRun daily with: entra-setup monitor schedule --print cron|systemd|windows [--webhook-env VAR]"
        );
        if let Some(from) = &mail_from {
            println!("\n{}", mail::mail_requirements(&registered.client_id, from));
        }
    }
    Ok(ExitStatus::Ok)
}

/// `monitor schedule --print`.
fn run_schedule(paths: &AppPaths, args: &ScheduleArgs) -> anyhow::Result<ExitStatus> {
    if let Some(var) = &args.scan.webhook_env {
        env_name("--webhook-env", var)?;
    }
    let mut extra = Vec::new();
    if let Some(route) = args.scan.mail.route()? {
        extra.push("--mail-from".to_owned());
        extra.push(route.from);
        for to in route.to {
            extra.push("--mail-to".to_owned());
            extra.push(to);
        }
    }
    let program = std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "entra-setup".to_owned());
    let tenants_file = args
        .scan
        .tenants
        .clone()
        .unwrap_or_else(|| default_tenants_file(paths));
    let scan = ScheduledScan {
        program,
        tenants_file: tenants_file.display().to_string(),
        within_days: args.scan.within_days,
        webhook_env: args.scan.webhook_env.clone(),
        extra,
    };
    let scheduler = match args.print {
        SchedulerOption::Cron => Scheduler::Cron,
        SchedulerOption::Systemd => Scheduler::Systemd,
        SchedulerOption::Windows => Scheduler::Windows,
    };
    print!("{}", schedule::render(scheduler, &scan));
    Ok(ExitStatus::Ok)
}

//! `entra-setup register`: create the registration a profile needs, or repair an existing one
//! (`--client-id`), then verify it (contracts/cli.md).
//!
//! The administrator signs in once with the read scopes verification needs plus the repair
//! scopes (asked only here, when repairing). A new secret is made for a new registration, with
//! `--new-secret`, or when no secret of the registration is at hand (`--secret-stdin` /
//! `--secret-env` not given, none kept in the keychain), so that running `register --client-id`
//! again after a stop finishes the job; it goes into the OS keychain and the reminders, and
//! `--show-secret` also prints it once. Without a keychain it is made only with `--show-secret` — a secret is never made and
//! then lost: the refusal comes before anything is created. When a step after the create fails,
//! the new registration's IDs are printed (and, with `--json`, answered) so `register
//! --client-id` can finish it. A registration other organisations may use also gets the
//! admin-consent link their administrators open (`admin_consent_url`).
//! A vendor's app (the `vendor-app-consent` profile) is approved rather than registered:
//! [`super::register_vendor`].
//!
//! With `--credential certificate` (for a product whose profile takes one) a self-signed
//! certificate takes the secret's place: refused before signing in unless the keychain can keep
//! its private key (never a plain file), uploaded to `keyCredentials`, its thumbprint printed, and
//! the verification proves it with a client assertion.

use clap::Args;
use entra_setup_core::fix::{
    self, CertificateRequest, Registered, RegistrationInputs, SecretRequest,
};
use entra_setup_core::identity::SignInClient;
use entra_setup_core::paths::AppPaths;
use entra_setup_core::profile::{CredentialType, Profile};
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::KeyringStore;
use entra_setup_core::validate::Field;
use entra_setup_core::verify::{self, Context, Report};
use serde_json::{Value, json};

use super::verify::run_checks;
use super::{
    Globals, admin, connect, find_profile, keychain, refuse_errors, refuse_unwritable,
    registration_inputs,
};
use crate::exit::{ExitStatus, UsageError};
use crate::options::{AdminSignIn, CredentialOption, Integration, field_option};
use crate::output::{change_lines, new_certificate_line, print_json, report};

/// `register`'s options.
#[derive(Debug, Args)]
#[command(
    mut_arg("client_id", |a| a.help("Repair this existing registration instead of creating one")),
    mut_arg("secret_stdin", |a| a.requires("client_id").help(
        "The existing registration's secret, from the first line of standard input (used to \
         verify it; without it or --secret-env, a secret the keychain keeps for the registration \
         is used, else a new one is added)"
    )),
    mut_arg("secret_env", |a| a.requires("client_id").help(
        "The existing registration's secret, from this environment variable"
    )),
)]
pub struct RegisterArgs {
    /// The integration, the registration to repair and its secret (shared with `verify`).
    #[command(flatten)]
    pub integration: Integration,
    /// The display name of a new registration (default: the profile's suggestion).
    #[arg(long, value_name = "NAME")]
    pub app_name: Option<String>,
    /// The new secret's lifetime in days (capped at the profile's maximum).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub secret_days: Option<u32>,
    /// Add a new secret (or, with --credential certificate, a new certificate) to an existing
    /// registration (never removes one).
    #[arg(long)]
    pub new_secret: bool,
    /// What the registration proves itself with: a client secret, or a certificate (only for a
    /// product whose profile takes one).
    #[arg(long, value_enum, default_value_t = CredentialOption::Secret)]
    pub credential: CredentialOption,
    /// The new certificate's lifetime in days (with --credential certificate; capped at the
    /// profile's maximum and the tenant's policy).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub cert_days: Option<u32>,
    /// `--sign-in` and `--sign-in-client`.
    #[command(flatten)]
    pub sign_in: AdminSignIn,
    /// Print the new secret's value once (on stdout; with --json as `secret.value`).
    #[arg(long)]
    pub show_secret: bool,
    /// A vendor's app (profile vendor-app-consent): how long to wait for the administrator's
    /// approval, in seconds (default 600).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub wait_seconds: Option<u64>,
    /// The mailbox the product uses (UPN): when the profile requires user assignment of its
    /// owner, the owner is assigned to the enterprise application.
    #[arg(long, value_name = "UPN")]
    pub mailbox: Option<String>,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Register or repair, then verify and print.
pub fn run(globals: &Globals, args: RegisterArgs) -> anyhow::Result<ExitStatus> {
    let paths = AppPaths::from_env()?;
    let integration = &args.integration;
    let profile = &find_profile(&paths, &integration.profile)?;
    refuse_errors(Field::Tenant, &integration.tenant)?;
    let sign_in_client = admin::sign_in_client(&paths, args.sign_in.client.id.as_deref())?;
    if !fix::registers_an_app(profile) {
        return super::register_vendor::run(globals, &args, profile, &sign_in_client);
    }
    if args.wait_seconds.is_some() {
        return Err(UsageError(format!(
            "--wait-seconds: only a vendor's app (profile vendor-app-consent) is waited for; the profile '{}' registers its own app",
            profile.id
        ))
        .into());
    }
    if let Some(client_id) = &integration.client_id {
        refuse_errors(Field::ClientId, client_id)?;
    }
    if let Some(mailbox) = &args.mailbox {
        refuse_errors(Field::Mailbox, mailbox)?;
    }
    let redirect_uri = integration
        .redirect
        .uri(profile)?
        .map(|uri| uri.trim().to_string());
    refuse_unwritable(
        Some(profile),
        &integration.tenant,
        redirect_uri.as_deref(),
        args.app_name.as_deref(),
    )?;
    if profile.registration.redirect.is_some() && redirect_uri.is_none() {
        return Err(UsageError(format!(
            "{site}: the profile '{}' needs a redirect URI; give {site} URL ({}) or {redirect} URI",
            profile.id,
            profile
                .registration
                .redirect
                .as_ref()
                .map_or("", |r| r.site_hint.as_str()),
            site = field_option(Field::SiteUrl),
            redirect = field_option(Field::RedirectUri),
        ))
        .into());
    }
    let inputs = RegistrationInputs {
        tenant: integration.tenant.trim().to_string(),
        client_id: integration
            .client_id
            .as_deref()
            .map(|c| c.trim().to_ascii_lowercase()),
        redirect_uri: redirect_uri.clone(),
        app_name: args.app_name.clone(),
    };
    if args.new_secret && !profile.secret.required {
        return Err(UsageError(format!(
            "--new-secret: the profile '{}' uses no client secret of its own",
            profile.id
        ))
        .into());
    }
    if args.credential == CredentialOption::Certificate {
        return run_with_certificate(globals, &args, &paths, profile, &sign_in_client, inputs);
    }
    if args.cert_days.is_some() {
        return Err(UsageError(
            "--cert-days: only with --credential certificate (a secret's lifetime is --secret-days)"
                .into(),
        )
        .into());
    }
    let given = integration.secret.read()?;
    let mut request = SecretRequest {
        new_secret: args.new_secret,
        days: args.secret_days,
        given: given.is_some(),
        kept_in: None,
    };
    // Whether a new secret can be kept is settled before anything is written.
    let keychain_ready = if fix::may_add_secret(profile, &inputs, &request) {
        match keychain::available() {
            Ok(()) => true,
            Err(e) if !args.show_secret => {
                let why = if inputs.client_id.is_some() && !args.new_secret {
                    format!(
                        "--secret-stdin: the registration's client secret is needed to verify it, and without a keychain ({e}) \
                         none kept by an earlier run can be found. Give it with --secret-stdin or --secret-env VAR, \
                         or add --show-secret to have a new one added and printed once"
                    )
                } else {
                    format!(
                        "--show-secret: this will create a client secret, and it cannot be kept: {e}. \
                         Start or unlock the keychain, or add --show-secret to have its value printed once (copy it into the product), so it is not lost"
                    )
                };
                return Err(UsageError(why).into());
            }
            Err(e) => {
                eprintln!("A new client secret will not be kept in the keychain: {e}.");
                false
            }
        }
    } else {
        false
    };
    if keychain_ready {
        request.kept_in = Some(std::sync::Arc::new(KeyringStore::default()));
    }

    let (context, runtime) = connect(globals, chrono::Utc::now())?;

    let admin = match sign_in_to_repair(&runtime, &context, &inputs.tenant, &sign_in_client, &args)
    {
        Ok(token) => token,
        Err(status) => return Ok(status),
    };

    let session = admin::repair_session(&context, &admin, globals.no_progress);
    let mut registered = match runtime.block_on(fix::register(profile, &inputs, &request, &session))
    {
        Ok(registered) => registered,
        Err(error) => return Ok(admin::fix_failed(&error, args.json)),
    };
    if let Some(mailbox) = &args.mailbox {
        match runtime.block_on(fix::assign_mailbox_owner(
            profile,
            &registered.client_id,
            mailbox.trim(),
            &session,
        )) {
            Ok(changes) => registered.changes.extend(changes),
            Err(error) => return Ok(admin::fix_failed(&error, args.json)),
        }
    }

    // Kept at once, before the verification: a secret is never made and then lost.
    let mut stored = false;
    if let Some(secret) = &registered.secret {
        stored = keychain::keep_new_secret(
            &runtime,
            &context,
            &paths,
            &inputs.tenant,
            &registered.client_id,
            secret,
            keychain_ready,
            Some(
                args.app_name
                    .as_deref()
                    .unwrap_or(&profile.registration.suggested_name),
            ),
            "register",
        );
    }

    let secret = registered
        .secret
        .as_ref()
        .map(|s| s.value.clone())
        .or_else(|| registered.kept_secret.clone())
        .or(given);
    let verify_inputs = registration_inputs(
        &inputs.tenant,
        &registered.client_id,
        secret,
        redirect_uri,
        &admin,
    );
    let report = run_checks(
        &runtime,
        profile,
        &verify_inputs,
        None,
        &context,
        globals.no_progress,
    );
    print_registered(&registered, &report, args.json, args.show_secret, stored)?;
    let status = super::verify::exit_status(&report);
    if status == ExitStatus::Ok && report.missing_credential() {
        eprintln!(
            "entra-setup: the client secret was not checked (none is at hand): give it with --secret-stdin or --secret-env to verify the registration."
        );
        return Ok(ExitStatus::Unverified);
    }
    Ok(status)
}

/// `register --credential certificate`: the keychain must keep the private key (settled before
/// signing in), the profile's product must take a certificate; then register, remind, verify
/// with the certificate and print its thumbprint.
fn run_with_certificate(
    globals: &Globals,
    args: &RegisterArgs,
    paths: &AppPaths,
    profile: &Profile,
    sign_in_client: &SignInClient,
    inputs: RegistrationInputs,
) -> anyhow::Result<ExitStatus> {
    if !profile.credentials.contains(&CredentialType::Certificate) {
        return Err(UsageError(format!(
            "--credential: the product of the profile '{}' takes a client secret, not a certificate (use --credential secret)",
            profile.id
        ))
        .into());
    }
    for (used, option) in [
        (
            args.integration.secret.given(),
            "--secret-stdin / --secret-env",
        ),
        (args.show_secret, "--show-secret"),
        (args.secret_days.is_some(), "--secret-days"),
    ] {
        if used {
            return Err(UsageError(format!(
                "{option}: not used with --credential certificate (its lifetime is --cert-days)"
            ))
            .into());
        }
    }
    // The private key is kept only in the keychain: settled before anything is signed in to.
    keychain::ready_for_new_certificate("--credential")?;
    let (context, runtime) = connect(globals, chrono::Utc::now())?;
    let admin = match sign_in_to_repair(&runtime, &context, &inputs.tenant, sign_in_client, args) {
        Ok(token) => token,
        Err(status) => return Ok(status),
    };
    let session = admin::repair_session(&context, &admin, globals.no_progress);
    let request = CertificateRequest {
        new_certificate: args.new_secret,
        days: args.cert_days,
        store: std::sync::Arc::new(KeyringStore::default()),
    };
    let registered = match runtime.block_on(fix::register_with_certificate(
        profile, &inputs, &request, &session,
    )) {
        Ok(registered) => registered,
        Err(error) => return Ok(admin::fix_failed(&error, args.json)),
    };
    let name = args
        .app_name
        .as_deref()
        .unwrap_or(&profile.registration.suggested_name);
    if let Some(made) = &registered.certificate {
        keychain::remind_certificate(
            &runtime,
            &context,
            paths,
            &inputs.tenant,
            &registered.client_id,
            made,
            Some(name),
            "register",
        );
    }
    let certificate = registered
        .certificate
        .as_ref()
        .map(|made| &made.certificate)
        .or(registered.kept_certificate.as_ref());
    let verify_inputs = registration_inputs(
        &inputs.tenant,
        &registered.client_id,
        None,
        inputs.redirect_uri.clone(),
        &admin,
    );
    let report = run_checks(
        &runtime,
        profile,
        &verify_inputs,
        certificate,
        &context,
        globals.no_progress,
    );
    print_registered(&registered, &report, args.json, false, false)?;
    Ok(super::verify::exit_status(&report))
}

/// Sign the administrator in once for a registration and its repairs: the read scopes the
/// verification needs and the repairs' write scopes. A failed sign-in answers the exit status
/// to end with.
fn sign_in_to_repair(
    runtime: &tokio::runtime::Runtime,
    context: &Context,
    tenant: &str,
    sign_in_client: &SignInClient,
    args: &RegisterArgs,
) -> Result<Secret, ExitStatus> {
    let mut scopes = verify::sign_in::admin_scopes(context);
    for scope in fix::repair_scopes(context) {
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    admin::sign_in_admin(
        runtime,
        context,
        tenant,
        sign_in_client,
        &scopes,
        args.sign_in.sign_in,
    )
}

/// Print what `register` did and the verification: one JSON document with `--json` (the new
/// secret's `storage` said, `stored` in the keychain or not), else the summary and the report.
fn print_registered(
    registered: &Registered,
    report: &Report,
    json: bool,
    show_secret: bool,
    stored: bool,
) -> anyhow::Result<()> {
    if json {
        let mut document = to_json(registered, report, show_secret)?;
        if registered.secret.is_some() {
            document["secret"]["storage"] = json!(if stored { "keyring" } else { "none" });
        }
        print_json(&document)?;
    } else {
        print!("{}", summary(registered, show_secret));
        print!("{}", report::render(report));
    }
    Ok(())
}

/// The JSON of contracts/cli.md: the secret's value only with `--show-secret`.
fn to_json(registered: &Registered, report: &Report, show_secret: bool) -> anyhow::Result<Value> {
    let secret = registered.secret.as_ref().map(|s| {
        let mut secret = json!({
            "key_id": s.key_id,
            "hint": s.hint,
            "expires": s.expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        });
        if show_secret {
            secret["value"] = json!(s.value.expose());
        }
        secret
    });
    Ok(json!({
        "client_id": registered.client_id,
        "object_id": registered.object_id,
        "created": registered.created,
        "changes": registered.changes.iter().map(|c| c.description.as_str()).collect::<Vec<_>>(),
        "secret": secret,
        "certificate": registered.certificate.as_ref().map(|c| json!({
            "thumbprint": c.thumbprint,
            "key_id": c.key_id,
            "expires": c.expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "storage": "keyring",
            "keychain_account": c.keychain_account,
        })),
        "sign_in_audience": registered.sign_in_audience,
        "admin_consent_url": registered.admin_consent_url,
        "verify": serde_json::to_value(report)?,
    }))
}

/// The readable summary printed before the verification report.
fn summary(registered: &Registered, show_secret: bool) -> String {
    let mut text = String::new();
    let verb = if registered.created {
        "Created"
    } else {
        "Checked"
    };
    text.push_str(&format!(
        "{verb} app registration: client ID {} (object ID {})\n",
        registered.client_id, registered.object_id
    ));
    if registered.changes.is_empty() {
        text.push_str("Nothing to change: the registration already matches the profile.\n");
    } else {
        text.push_str("Changes:\n");
        text.push_str(&change_lines(&registered.changes));
    }
    if let Some(secret) = &registered.secret {
        text.push_str(&format!(
            "New client secret: ID {}, starts with {}, expires {}\n",
            secret.key_id,
            secret.hint,
            secret.expires.format("%Y-%m-%d")
        ));
        if show_secret {
            text.push_str(&format!(
                "Client secret value (shown once, copy it now): {}\n",
                secret.value.expose()
            ));
        }
    }
    if let Some(certificate) = &registered.certificate {
        text.push_str(&new_certificate_line(
            certificate,
            &format!(
                " (service entra-setup, account {}), use --certificate-from-keyring to use it",
                certificate.keychain_account
            ),
        ));
    }
    if let Some(link) = &registered.admin_consent_url {
        text.push_str(&format!(
            "Other organisations can use this app: an administrator of each one approves it at {link}\n"
        ));
    }
    text.push('\n');
    text
}

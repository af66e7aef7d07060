//! `entra-setup rotate-secret`: add a new client secret beside the old ones and confirm it
//! works, or — a separate, explicit step — remove an old one (`--remove KEY_ID`) while another
//! that works remains (contracts/cli.md).
//!
//! The administrator signs in with the read scopes and `Application.ReadWrite.All`. A new secret
//! goes into the OS keychain and the reminders (`--show-secret` also prints it once); without a
//! keychain it is made only with `--show-secret`, and refused before anything is created
//! otherwise. Removing a secret also forgets its reminder. After adding,
//! the secret checks (tenant, client ID, secret, expiry) are verified with the new value, or
//! every check of `--profile ID` when given.
//!
//! `--credential certificate` does the same for certificates: a new self-signed certificate
//! beside the registration's others (its private key kept in the keychain first, its reminder
//! recorded), confirmed with a client assertion; `--remove KEY_ID` removes one while another in
//! force remains, the certificate the product keeps given with `--certificate-from-keyring` or
//! `--certificate-file`.

use clap::Args;
use entra_setup_core::credentials::Certificate;
use entra_setup_core::fix::{self, Removal, Rotated, SecretConfirmation};
use entra_setup_core::paths::AppPaths;
use entra_setup_core::printable::printable;
use entra_setup_core::profile::Profile;
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::KeyringStore;
use entra_setup_core::validate::Field;
use entra_setup_core::verify::{self, Inputs, Report, Sessions};
use serde_json::{Value, json};

use super::verify::run_checks;
use super::{
    Globals, admin, connect, find_profile, first_error, keychain, refuse_errors, refuse_unwritable,
};
use crate::exit::{ExitStatus, UsageError};
use crate::options::{AdminSignIn, CertificateInput, CredentialOption, Redirect, SecretInput};
use crate::output::report;

/// `rotate-secret`'s options.
#[derive(Debug, Args)]
#[command(
    after_help = "Removing a secret (--remove KEY_ID) is refused unless another secret \
of the registration still works: it must not have expired, and when you give the value of the \
secret the product keeps (--secret-stdin or --secret-env VAR), Microsoft must issue a token for \
it and it must not be the one removed. Removing a secret that has already expired is always \
allowed; removing a secret ID the registration does not have changes nothing.",
    mut_arg("site_url", |a| a.requires("profile").help(
        "With --profile: the product's address; the redirect URI is computed from it"
    )),
    mut_arg("redirect_uri", |a| a.requires("profile").help(
        "With --profile: the redirect URI the product sends, exactly"
    )),
    mut_arg("secret_stdin", |a| a.requires("remove").help(
        "With --remove: read the value of the secret the product keeps from standard input, to \
         confirm it works before the other is removed"
    )),
    mut_arg("secret_env", |a| a.requires("remove").help(
        "With --remove: read the value of the secret the product keeps from this variable"
    )),
)]
pub struct RotateSecretArgs {
    /// The tenant: its Directory (tenant) ID or one of its domains.
    #[arg(long)]
    pub tenant: String,
    /// The Application (client) ID of the registration.
    #[arg(long, value_name = "GUID")]
    pub client_id: String,
    /// The new secret's lifetime in days (default: the profile's, else 180; at most the
    /// profile's maximum, else 730, and the tenant's app management policy).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650), conflicts_with = "remove")]
    pub secret_days: Option<u32>,
    /// Verify every check of this profile afterwards (default: only the secret's checks).
    #[arg(long, value_name = "ID")]
    pub profile: Option<String>,
    /// With `--profile`: `--site-url` or `--redirect-uri`.
    #[command(flatten)]
    pub redirect: Redirect,
    /// Remove the client secret with this secret ID instead of adding one.
    #[arg(long, value_name = "KEY_ID")]
    pub remove: Option<String>,
    /// With `--remove`: the secret the product keeps.
    #[command(flatten)]
    pub kept_secret: SecretInput,
    /// A client secret (default) or a certificate: what is added, or removed with --remove.
    #[arg(long, value_enum, default_value_t = CredentialOption::Secret)]
    pub credential: CredentialOption,
    /// With --credential certificate: the new certificate's lifetime in days.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3650), conflicts_with = "remove")]
    pub cert_days: Option<u32>,
    /// With --credential certificate --remove: the certificate the product keeps.
    #[command(flatten)]
    pub kept_certificate: CertificateInput,
    /// `--sign-in` and `--sign-in-client`.
    #[command(flatten)]
    pub sign_in: AdminSignIn,
    /// Print the new secret's value once (on stdout; with --json as `secret.value`).
    #[arg(long, conflicts_with = "remove")]
    pub show_secret: bool,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Rotate or remove, then verify and print.
pub fn run(globals: &Globals, args: RotateSecretArgs) -> anyhow::Result<ExitStatus> {
    let paths = AppPaths::from_env()?;
    let profile = match &args.profile {
        Some(id) => Some(find_profile(&paths, id)?),
        None => None,
    };
    refuse_errors(Field::Tenant, &args.tenant)?;
    refuse_unwritable(None, &args.tenant, None, None)?;
    refuse_errors(Field::ClientId, &args.client_id)?;
    let tenant = args.tenant.trim().to_string();
    let client_id = args.client_id.trim().to_ascii_lowercase();
    // --site-url and --redirect-uri come only with --profile.
    let redirect_uri = match &profile {
        Some(profile) => args
            .redirect
            .uri(profile)?
            .map(|uri| uri.trim().to_string()),
        None => None,
    };
    let removing = match &args.remove {
        Some(key_id) => {
            // A secret ID is a GUID, as a client ID is: the same rules.
            if let Some(issue) = first_error(Field::ClientId, key_id) {
                return Err(UsageError(format!(
                    "--remove: '{key_id}' is not a secret ID (a GUID such as the Secret ID column of Certificates & secrets): {}",
                    issue.message
                ))
                .into());
            }
            Some(key_id.trim().to_ascii_lowercase())
        }
        None => None,
    };
    if args.credential == CredentialOption::Certificate {
        return run_certificate(globals, &args, &paths, profile, redirect_uri, removing);
    }
    for (used, option) in [
        (args.cert_days.is_some(), "--cert-days"),
        (
            args.kept_certificate.given(),
            "--certificate-from-keyring / --certificate-file",
        ),
    ] {
        if used {
            return Err(UsageError(format!("{option}: only with --credential certificate")).into());
        }
    }
    let kept = args.kept_secret.read()?;
    let days = if removing.is_none() {
        Some(
            fix::rotation_days(profile.as_ref(), args.secret_days).map_err(|e| {
                UsageError(format!(
                    "--profile: {e} ('{}')",
                    args.profile.as_deref().unwrap_or_default()
                ))
            })?,
        )
    } else {
        None
    };
    // Refused before anything is made when the new secret could be neither kept nor shown.
    let keychain_ready = removing.is_none() && keychain::ready_for_new_secret(args.show_secret)?;
    let sign_in_client = admin::sign_in_client(&paths, args.sign_in.client.id.as_deref())?;

    let (context, runtime) = connect(globals, chrono::Utc::now())?;
    // Read scopes for the verification, and the one write scope a secret needs.
    let mut scopes = verify::sign_in::admin_scopes(&context);
    scopes.push(format!(
        "{}/Application.ReadWrite.All",
        context.endpoints.graph_resource()
    ));
    let admin_token = match admin::sign_in_admin(
        &runtime,
        &context,
        &tenant,
        &sign_in_client,
        &scopes,
        args.sign_in.sign_in,
    ) {
        Ok(token) => token,
        Err(status) => return Ok(status),
    };
    let session = admin::repair_session(&context, &admin_token, globals.no_progress);
    let checks = match profile {
        Some(profile) => profile,
        None => fix::secret_checks_profile()
            .ok_or_else(|| anyhow::anyhow!("the shipped profile 'custom' is missing"))?,
    };
    let verify_with = |secret: Option<Secret>| -> Report {
        let inputs = registration_inputs(&tenant, &client_id, secret, &redirect_uri, &admin_token);
        run_checks(
            &runtime,
            &checks,
            &inputs,
            None,
            &context,
            globals.no_progress,
        )
    };

    if let Some(key_id) = removing {
        let removal = match runtime.block_on(fix::remove_secret(
            &tenant,
            &client_id,
            &key_id,
            kept.as_ref(),
            &session,
        )) {
            Ok(removal) => removal,
            Err(error) => return Ok(admin::fix_failed(&error, args.json)),
        };
        if removal.removed {
            keychain::forget_removed_secret(&paths, &removal.key_id);
        }
        let report = verify_with(kept);
        return print_removal(&removal, &report, args.json, "client secret");
    }

    let days = days.unwrap_or(fix::rotation_days(None, None)?);
    let rotated = match runtime.block_on(fix::rotate_secret(&tenant, &client_id, days, &session)) {
        Ok(rotated) => rotated,
        Err(error) => return Ok(admin::fix_failed(&error, args.json)),
    };
    let stored = keychain::keep_new_secret(
        &runtime,
        &context,
        &paths,
        &tenant,
        &client_id,
        &rotated.secret,
        keychain_ready,
        None,
        "rotate-secret",
    );
    eprintln!("The old secrets still work until you remove them (rotate-secret --remove KEY_ID).");
    let report = verify_with(Some(rotated.secret.value.clone()));
    if args.json {
        let document = rotation_json(&rotated, &report, args.show_secret, stored)?;
        println!("{}", serde_json::to_string_pretty(&document)?);
    } else {
        print!("{}", rotation_summary(&rotated, args.show_secret));
        print!("{}", report::render(&report));
    }
    let status = super::verify::exit_status(&report);
    Ok(match (&rotated.confirmation, status) {
        (SecretConfirmation::Rejected(_), _) => ExitStatus::Failed,
        (SecretConfirmation::Unavailable(_), ExitStatus::Ok) => ExitStatus::Unverified,
        (_, status) => status,
    })
}

/// `rotate-secret --credential certificate`: add a certificate beside the others (or remove one
/// with `--remove`), then verify with it.
fn run_certificate(
    globals: &Globals,
    args: &RotateSecretArgs,
    paths: &AppPaths,
    profile: Option<Profile>,
    redirect_uri: Option<String>,
    removing: Option<String>,
) -> anyhow::Result<ExitStatus> {
    for (used, option) in [
        (args.kept_secret.given(), "--secret-stdin / --secret-env"),
        (args.show_secret, "--show-secret"),
        (args.secret_days.is_some(), "--secret-days"),
    ] {
        if used {
            return Err(
                UsageError(format!("{option}: not used with --credential certificate")).into(),
            );
        }
    }
    if removing.is_none() && args.kept_certificate.given() {
        return Err(UsageError(
            "--certificate-from-keyring / --certificate-file: only with --remove (the certificate the product keeps)"
                .into(),
        )
        .into());
    }
    let days = match removing {
        None => Some(
            fix::certificate_days(profile.as_ref(), args.cert_days)
                .map_err(|e| UsageError(format!("--credential: {e}")))?,
        ),
        Some(_) => None,
    };
    if removing.is_none() {
        keychain::ready_for_new_certificate("--credential")?;
    }
    let tenant = args.tenant.trim().to_string();
    let client_id = args.client_id.trim().to_ascii_lowercase();
    let mut kept = args.kept_certificate.read_file()?;
    let sign_in_client = admin::sign_in_client(paths, args.sign_in.client.id.as_deref())?;
    let (context, runtime) = connect(globals, chrono::Utc::now())?;
    let tenant_id = keychain::tenant_guid(&runtime, &context, &tenant)?;
    if args.kept_certificate.certificate_from_keyring {
        kept = Some(keychain::read_certificate(&tenant_id, &client_id)?);
    }
    let mut scopes = verify::sign_in::admin_scopes(&context);
    scopes.push(format!(
        "{}/Application.ReadWrite.All",
        context.endpoints.graph_resource()
    ));
    let admin_token = match admin::sign_in_admin(
        &runtime,
        &context,
        &tenant,
        &sign_in_client,
        &scopes,
        args.sign_in.sign_in,
    ) {
        Ok(token) => token,
        Err(status) => return Ok(status),
    };
    let session = admin::repair_session(&context, &admin_token, globals.no_progress);
    let checks = match profile {
        Some(profile) => profile,
        None => fix::secret_checks_profile()
            .ok_or_else(|| anyhow::anyhow!("the shipped profile 'custom' is missing"))?,
    };
    let verify_with = |certificate: Option<&Certificate>| -> Report {
        let inputs = registration_inputs(&tenant, &client_id, None, &redirect_uri, &admin_token);
        run_checks(
            &runtime,
            &checks,
            &inputs,
            certificate,
            &context,
            globals.no_progress,
        )
    };
    if let Some(key_id) = removing {
        let removal = match runtime.block_on(fix::remove_certificate(
            &tenant,
            &client_id,
            &key_id,
            kept.as_ref(),
            &session,
        )) {
            Ok(removal) => removal,
            Err(error) => return Ok(admin::fix_failed(&error, args.json)),
        };
        if removal.removed {
            keychain::forget_removed_secret(paths, &removal.key_id);
        }
        let report = verify_with(kept.as_ref());
        return print_removal(&removal, &report, args.json, "certificate");
    }
    let days = days.unwrap_or(fix::CERTIFICATE_DEFAULT_DAYS);
    let store: std::sync::Arc<dyn entra_setup_core::secrets::SecretStore> =
        std::sync::Arc::new(KeyringStore::default());
    let rotated = match runtime.block_on(fix::rotate_certificate(
        &tenant, &tenant_id, &client_id, days, store, &session,
    )) {
        Ok(rotated) => rotated,
        Err(error) => return Ok(admin::fix_failed(&error, args.json)),
    };
    keychain::remind_certificate(
        &runtime,
        &context,
        paths,
        &tenant,
        &client_id,
        &rotated.certificate,
        None,
        "rotate-secret",
    );
    eprintln!(
        "The old certificates still work until you remove them (rotate-secret --credential certificate --remove KEY_ID)."
    );
    let made = &rotated.certificate;
    let report = verify_with(Some(&made.certificate));
    if args.json {
        let document = json!({
            "client_id": rotated.client_id,
            "object_id": rotated.object_id,
            "created": false,
            "changes": rotated.changes.iter().map(|c| c.description.as_str()).collect::<Vec<_>>(),
            "secret": Value::Null,
            "certificate": {
                "thumbprint": made.thumbprint,
                "key_id": made.key_id,
                "expires": made.expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "days": made.days,
                "capped_from_days": made.capped_from,
                "confirmed": rotated.confirmation.is_accepted(),
                "storage": "keyring",
                "keychain_account": made.keychain_account,
            },
            "verify": serde_json::to_value(&report)?,
        });
        println!("{}", serde_json::to_string_pretty(&document)?);
    } else {
        let mut text = format!(
            "App registration: client ID {} (object ID {})\nChanges:\n",
            rotated.client_id, rotated.object_id
        );
        for change in &rotated.changes {
            text.push_str(&format!("  - {}\n", printable(&change.description)));
        }
        text.push_str(&format!(
            "New certificate: thumbprint {}, ID {}, expires {}; its private key is kept in the OS keychain (account {})\n",
            made.thumbprint,
            made.key_id,
            made.expires.format("%Y-%m-%d"),
            made.keychain_account
        ));
        text.push_str(if rotated.confirmation.is_accepted() {
            "Microsoft issues tokens for the new certificate.\n\n"
        } else {
            "Microsoft does not accept the new certificate yet; verify it later.\n\n"
        });
        print!("{text}");
        print!("{}", report::render(&report));
    }
    let status = super::verify::exit_status(&report);
    Ok(match (&rotated.confirmation, status) {
        (SecretConfirmation::Rejected(_), _) => ExitStatus::Failed,
        (SecretConfirmation::Unavailable(_), ExitStatus::Ok) => ExitStatus::Unverified,
        (_, status) => status,
    })
}

/// The JSON of contracts/cli.md (as `register`): the value only with `--show-secret`.
fn rotation_json(
    rotated: &Rotated,
    report: &Report,
    show_secret: bool,
    stored: bool,
) -> anyhow::Result<Value> {
    let s = &rotated.secret;
    let mut secret = json!({
        "key_id": s.key_id,
        "hint": s.hint,
        "expires": s.expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "days": s.days,
        "capped_from_days": s.capped_from,
        "confirmed": rotated.confirmation.is_accepted(),
        "storage": if stored { "keyring" } else { "none" },
    });
    if show_secret {
        secret["value"] = json!(s.value.expose());
    }
    Ok(json!({
        "client_id": rotated.client_id,
        "object_id": rotated.object_id,
        "created": false,
        "changes": rotated.changes.iter().map(|c| c.description.as_str()).collect::<Vec<_>>(),
        "secret": secret,
        "verify": serde_json::to_value(report)?,
    }))
}

/// The readable summary printed before the verification report.
fn rotation_summary(rotated: &Rotated, show_secret: bool) -> String {
    let s = &rotated.secret;
    let mut text = format!(
        "App registration: client ID {} (object ID {})\nChanges:\n",
        rotated.client_id, rotated.object_id
    );
    for change in &rotated.changes {
        text.push_str(&format!("  - {}\n", printable(&change.description)));
    }
    text.push_str(&format!(
        "New client secret: ID {}, starts with {}, expires {}\n",
        s.key_id,
        s.hint,
        s.expires.format("%Y-%m-%d")
    ));
    text.push_str(match &rotated.confirmation {
        SecretConfirmation::Accepted => "Microsoft issues tokens for the new secret.\n",
        SecretConfirmation::Rejected(_) => {
            "Microsoft does not accept the new secret yet; it may need a few more minutes.\n"
        }
        SecretConfirmation::Unavailable(_) => {
            "Microsoft could not be asked whether the new secret works; verify it later.\n"
        }
    });
    if show_secret {
        text.push_str(&format!(
            "Client secret value (shown once, copy it now): {}\n",
            s.value.expose()
        ));
    }
    text.push('\n');
    text
}

/// Print what `--remove` did; exit by the verification that follows.
fn print_removal(
    removal: &Removal,
    report: &Report,
    json: bool,
    what: &str,
) -> anyhow::Result<ExitStatus> {
    if json {
        let document = json!({
            "client_id": removal.client_id,
            "object_id": removal.object_id,
            "created": false,
            "changes": removal.changes.iter().map(|c| c.description.as_str()).collect::<Vec<_>>(),
            "secret": Value::Null,
            "removed": removal.removed,
            "key_id": removal.key_id,
            "kept": removal.kept,
            "verify": serde_json::to_value(report)?,
        });
        println!("{}", serde_json::to_string_pretty(&document)?);
    } else {
        let mut text = format!(
            "App registration: client ID {} (object ID {})\n",
            removal.client_id, removal.object_id
        );
        if removal.removed {
            for change in &removal.changes {
                text.push_str(&format!("Removed: {}\n", change.description));
            }
            if let Some(kept) = &removal.kept {
                text.push_str(&format!("The {what} {kept} keeps working.\n"));
            }
        } else {
            text.push_str(&format!(
                "The registration has no {what} with ID {}; nothing changed.\n",
                removal.key_id
            ));
        }
        text.push('\n');
        print!("{text}");
        print!("{}", report::render(report));
    }
    Ok(super::verify::exit_status(report))
}

/// What the checks after a rotation are given: the registration, the credential at hand (a
/// secret, or none for a certificate, which is passed beside), and the administrator's token.
fn registration_inputs(
    tenant: &str,
    client_id: &str,
    secret: Option<Secret>,
    redirect_uri: &Option<String>,
    admin_token: &Secret,
) -> Inputs {
    Inputs {
        tenant: tenant.to_string(),
        client_id: Some(client_id.to_string()),
        secret,
        redirect_uri: redirect_uri.clone(),
        mailbox: None,
        test_recipient: None,
        sessions: Sessions {
            admin_graph: Some(admin_token.clone()),
            ..Sessions::default()
        },
    }
}

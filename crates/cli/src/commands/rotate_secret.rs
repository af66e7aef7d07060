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
use entra_setup_core::fix::{self, Change, Removal, RepairSession, Rotated, SecretConfirmation};
use entra_setup_core::identity::SignInClient;
use entra_setup_core::paths::AppPaths;
use entra_setup_core::profile::Profile;
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::KeyringStore;
use entra_setup_core::validate::Field;
use entra_setup_core::verify::{self, Context, Report};
use serde_json::{Value, json};

use super::verify::run_checks;
use super::{
    Globals, admin, connect, find_profile, first_error, keychain, refuse_errors, refuse_unwritable,
    registration_inputs,
};
use crate::exit::{ExitStatus, UsageError};
use crate::options::{AdminSignIn, CertificateInput, CredentialOption, Redirect, SecretInput};
use crate::output::{change_lines, new_certificate_line, print_json, report};

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
    let mut credential = match args.credential {
        CredentialOption::Secret => secret_options(&args, profile.as_ref(), removing.is_none())?,
        CredentialOption::Certificate => {
            certificate_options(&args, profile.as_ref(), removing.is_none())?
        }
    };
    let sign_in_client = admin::sign_in_client(&paths, args.sign_in.client.id.as_deref())?;
    let (context, runtime) = connect(globals, chrono::Utc::now())?;
    if let Credential::Certificate {
        kept,
        from_keyring,
        tenant_id,
        ..
    } = &mut credential
    {
        // The keychain keeps a certificate under the tenant's GUID.
        let guid = keychain::tenant_guid(&runtime, &context, &tenant)?;
        if *from_keyring {
            *kept = Some(keychain::read_certificate(&guid, &client_id)?);
        }
        *tenant_id = guid;
    }
    let target = Target {
        tenant,
        client_id,
        redirect_uri,
    };
    let signed = match sign_in_to_rotate(
        globals,
        &args,
        (context, runtime),
        target,
        &sign_in_client,
        profile,
    )? {
        Ok(signed) => signed,
        Err(status) => return Ok(status),
    };
    match removing {
        Some(key_id) => signed.remove(&key_id, &credential, &paths),
        None => match credential {
            Credential::Secret {
                days,
                keychain_ready,
                ..
            } => signed.add_secret(days, keychain_ready, &paths),
            Credential::Certificate {
                days, tenant_id, ..
            } => signed.add_certificate(days, &tenant_id, &paths),
        },
    }
}

/// What `--credential` works with: what is needed to add a new one, or the one the product keeps
/// while another is removed.
enum Credential {
    /// A client secret.
    Secret {
        /// With `--remove`: the value of the secret the product keeps, when given.
        kept: Option<Secret>,
        /// The new secret's lifetime (when adding).
        days: Option<u32>,
        /// Whether the OS keychain can keep the new secret.
        keychain_ready: bool,
    },
    /// A certificate.
    Certificate {
        /// With `--remove`: the certificate the product keeps, when given.
        kept: Option<Certificate>,
        /// Whether the kept certificate is read from the keychain once the tenant is known.
        from_keyring: bool,
        /// The new certificate's lifetime (when adding).
        days: Option<u32>,
        /// The tenant's GUID, which the keychain keeps a certificate under (once connected).
        tenant_id: String,
    },
}

/// `--credential secret` (the default): the certificate's options refused; the kept secret read,
/// the new one's lifetime decided and the keychain's readiness settled before anything is made.
fn secret_options(
    args: &RotateSecretArgs,
    profile: Option<&Profile>,
    adding: bool,
) -> anyhow::Result<Credential> {
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
    let days = if adding {
        Some(fix::rotation_days(profile, args.secret_days).map_err(|e| {
            UsageError(format!(
                "--profile: {e} ('{}')",
                args.profile.as_deref().unwrap_or_default()
            ))
        })?)
    } else {
        None
    };
    // Refused before anything is made when the new secret could be neither kept nor shown.
    let keychain_ready = adding && keychain::ready_for_new_secret(args.show_secret)?;
    Ok(Credential::Secret {
        kept,
        days,
        keychain_ready,
    })
}

/// `--credential certificate`: the secret's options refused, the kept certificate only with
/// `--remove`; a new one's lifetime decided and the keychain's readiness settled before anything
/// is made.
fn certificate_options(
    args: &RotateSecretArgs,
    profile: Option<&Profile>,
    adding: bool,
) -> anyhow::Result<Credential> {
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
    if adding && args.kept_certificate.given() {
        return Err(UsageError(
            "--certificate-from-keyring / --certificate-file: only with --remove (the certificate the product keeps)"
                .into(),
        )
        .into());
    }
    let days = if adding {
        Some(
            fix::certificate_days(profile, args.cert_days)
                .map_err(|e| UsageError(format!("--credential: {e}")))?,
        )
    } else {
        None
    };
    if adding {
        keychain::ready_for_new_certificate("--credential")?;
    }
    Ok(Credential::Certificate {
        kept: args.kept_certificate.read_file()?,
        from_keyring: args.kept_certificate.certificate_from_keyring,
        days,
        tenant_id: String::new(),
    })
}

/// Who and what a rotation or a removal is about: the tenant, the registration's client ID and
/// the redirect URI the checks afterwards are given.
struct Target {
    tenant: String,
    client_id: String,
    redirect_uri: Option<String>,
}

/// The administrator signed in to add or remove a credential, and what the checks afterwards
/// are run with.
struct Signed<'a> {
    globals: &'a Globals,
    args: &'a RotateSecretArgs,
    context: Context,
    runtime: tokio::runtime::Runtime,
    target: Target,
    admin_token: Secret,
    checks: Profile,
}

/// Sign the administrator in with the read scopes and `Application.ReadWrite.All` (the one
/// write scope a credential needs); the checks afterwards are the profile's, else the secret's
/// (the shipped profile `custom`). A failed sign-in answers the exit status to end with.
fn sign_in_to_rotate<'a>(
    globals: &'a Globals,
    args: &'a RotateSecretArgs,
    (context, runtime): (Context, tokio::runtime::Runtime),
    target: Target,
    sign_in_client: &SignInClient,
    profile: Option<Profile>,
) -> anyhow::Result<Result<Signed<'a>, ExitStatus>> {
    let mut scopes = verify::sign_in::admin_scopes(&context);
    scopes.push(format!(
        "{}/Application.ReadWrite.All",
        context.endpoints.graph_resource()
    ));
    let admin_token = match admin::sign_in_admin(
        &runtime,
        &context,
        &target.tenant,
        sign_in_client,
        &scopes,
        args.sign_in.sign_in,
    ) {
        Ok(token) => token,
        Err(status) => return Ok(Err(status)),
    };
    let checks = match profile {
        Some(profile) => profile,
        None => fix::secret_checks_profile()
            .ok_or_else(|| anyhow::anyhow!("the shipped profile 'custom' is missing"))?,
    };
    Ok(Ok(Signed {
        globals,
        args,
        context,
        runtime,
        target,
        admin_token,
        checks,
    }))
}

impl Signed<'_> {
    /// The administrator's session for the repair.
    fn session(&self) -> RepairSession<'_> {
        admin::repair_session(&self.context, &self.admin_token, self.globals.no_progress)
    }

    /// Run the checks with the credential at hand: a secret, or a certificate.
    fn verify(&self, secret: Option<Secret>, certificate: Option<&Certificate>) -> Report {
        let inputs = registration_inputs(
            &self.target.tenant,
            &self.target.client_id,
            secret,
            self.target.redirect_uri.clone(),
            &self.admin_token,
        );
        run_checks(
            &self.runtime,
            &self.checks,
            &inputs,
            certificate,
            &self.context,
            self.globals.no_progress,
        )
    }

    /// `--remove KEY_ID`: remove it while another that works remains, forget its reminder, then
    /// verify with the one the product keeps (when given) and print what was done.
    fn remove(
        &self,
        key_id: &str,
        credential: &Credential,
        paths: &AppPaths,
    ) -> anyhow::Result<ExitStatus> {
        let session = self.session();
        let (tenant, client_id) = (&self.target.tenant, &self.target.client_id);
        let (removal, what) = self.runtime.block_on(async {
            match credential {
                Credential::Secret { kept, .. } => (
                    fix::remove_secret(tenant, client_id, key_id, kept.as_ref(), &session).await,
                    "client secret",
                ),
                Credential::Certificate { kept, .. } => (
                    fix::remove_certificate(tenant, client_id, key_id, kept.as_ref(), &session)
                        .await,
                    "certificate",
                ),
            }
        });
        let removal = match removal {
            Ok(removal) => removal,
            Err(error) => return Ok(admin::fix_failed(&error, self.args.json)),
        };
        if removal.removed {
            keychain::forget_removed_secret(paths, &removal.key_id);
        }
        let report = match credential {
            Credential::Secret { kept, .. } => self.verify(kept.clone(), None),
            Credential::Certificate { kept, .. } => self.verify(None, kept.as_ref()),
        };
        print_removal(&removal, &report, self.args.json, what)
    }

    /// Add a client secret valid for `days` (else the default) beside the others, keep it in the
    /// keychain when `keychain_ready`, then verify with it and print.
    fn add_secret(
        &self,
        days: Option<u32>,
        keychain_ready: bool,
        paths: &AppPaths,
    ) -> anyhow::Result<ExitStatus> {
        let args = self.args;
        let days = days.unwrap_or(fix::rotation_days(None, None)?);
        let (tenant, client_id) = (&self.target.tenant, &self.target.client_id);
        let rotated = match self.runtime.block_on(fix::rotate_secret(
            tenant,
            client_id,
            days,
            &self.session(),
        )) {
            Ok(rotated) => rotated,
            Err(error) => return Ok(admin::fix_failed(&error, args.json)),
        };
        let stored = keychain::keep_new_secret(
            &self.runtime,
            &self.context,
            paths,
            tenant,
            client_id,
            &rotated.secret,
            keychain_ready,
            None,
            "rotate-secret",
        );
        eprintln!(
            "The old secrets still work until you remove them (rotate-secret --remove KEY_ID)."
        );
        let report = self.verify(Some(rotated.secret.value.clone()), None);
        if args.json {
            let document = rotation_json(&rotated, &report, args.show_secret, stored)?;
            print_json(&document)?;
        } else {
            print!("{}", rotation_summary(&rotated, args.show_secret));
            print!("{}", report::render(&report));
        }
        Ok(rotation_status(&rotated.confirmation, &report))
    }

    /// Add a self-signed certificate valid for `days` (else the default) beside the others, its
    /// private key kept in the keychain under `tenant_id` and its reminder recorded, then verify
    /// with it and print.
    fn add_certificate(
        &self,
        days: Option<u32>,
        tenant_id: &str,
        paths: &AppPaths,
    ) -> anyhow::Result<ExitStatus> {
        let days = days.unwrap_or(fix::CERTIFICATE_DEFAULT_DAYS);
        let (tenant, client_id) = (&self.target.tenant, &self.target.client_id);
        let store: std::sync::Arc<dyn entra_setup_core::secrets::SecretStore> =
            std::sync::Arc::new(KeyringStore::default());
        let rotated = match self.runtime.block_on(fix::rotate_certificate(
            tenant,
            tenant_id,
            client_id,
            days,
            store,
            &self.session(),
        )) {
            Ok(rotated) => rotated,
            Err(error) => return Ok(admin::fix_failed(&error, self.args.json)),
        };
        keychain::remind_certificate(
            &self.runtime,
            &self.context,
            paths,
            tenant,
            client_id,
            &rotated.certificate,
            None,
            "rotate-secret",
        );
        eprintln!(
            "The old certificates still work until you remove them (rotate-secret --credential certificate --remove KEY_ID)."
        );
        let made = &rotated.certificate;
        let report = self.verify(None, Some(&made.certificate));
        if self.args.json {
            let certificate = json!({
                "thumbprint": made.thumbprint,
                "key_id": made.key_id,
                "expires": made.expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "days": made.days,
                "capped_from_days": made.capped_from,
                "confirmed": rotated.confirmation.is_accepted(),
                "storage": "keyring",
                "keychain_account": made.keychain_account,
            });
            let mut document = rotation_document(
                &rotated.client_id,
                &rotated.object_id,
                &rotated.changes,
                Value::Null,
                &report,
            )?;
            document["certificate"] = certificate;
            print_json(&document)?;
        } else {
            let mut text =
                changes_summary(&rotated.client_id, &rotated.object_id, &rotated.changes);
            text.push_str(&new_certificate_line(
                made,
                &format!(" (account {})", made.keychain_account),
            ));
            text.push_str(if rotated.confirmation.is_accepted() {
                "Microsoft issues tokens for the new certificate.\n\n"
            } else {
                "Microsoft does not accept the new certificate yet; verify it later.\n\n"
            });
            print!("{text}");
            print!("{}", report::render(&report));
        }
        Ok(rotation_status(&rotated.confirmation, &report))
    }
}

/// How a rotation ends: failed when Microsoft refuses the new credential, unverified when it
/// could not be asked and the checks passed, else as the checks say.
fn rotation_status(confirmation: &SecretConfirmation, report: &Report) -> ExitStatus {
    match (confirmation, super::verify::exit_status(report)) {
        (SecretConfirmation::Rejected(_), _) => ExitStatus::Failed,
        (SecretConfirmation::Unavailable(_), ExitStatus::Ok) => ExitStatus::Unverified,
        (_, status) => status,
    }
}

/// The JSON document of a rotation (contracts/cli.md, as `register`): the registration, its
/// changes, the new secret (`null` for a certificate) and the verification.
fn rotation_document(
    client_id: &str,
    object_id: &str,
    changes: &[Change],
    secret: Value,
    report: &Report,
) -> anyhow::Result<Value> {
    Ok(json!({
        "client_id": client_id,
        "object_id": object_id,
        "created": false,
        "changes": changes.iter().map(|c| c.description.as_str()).collect::<Vec<_>>(),
        "secret": secret,
        "verify": serde_json::to_value(report)?,
    }))
}

/// The first lines of a rotation's readable summary: the registration and its changes.
fn changes_summary(client_id: &str, object_id: &str, changes: &[Change]) -> String {
    format!(
        "App registration: client ID {client_id} (object ID {object_id})\nChanges:\n{}",
        change_lines(changes)
    )
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
    rotation_document(
        &rotated.client_id,
        &rotated.object_id,
        &rotated.changes,
        secret,
        report,
    )
}

/// The readable summary printed before the verification report.
fn rotation_summary(rotated: &Rotated, show_secret: bool) -> String {
    let s = &rotated.secret;
    let mut text = changes_summary(&rotated.client_id, &rotated.object_id, &rotated.changes);
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
        print_json(&document)?;
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

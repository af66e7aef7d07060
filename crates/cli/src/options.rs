//! What the commands' options have in common: the closed sets of values an option takes (clap
//! `ValueEnum`s, spelled as contracts/cli.md spells them and mapped here onto the core's types),
//! the groups of options several commands share (flattened into each with
//! `#[command(flatten)]`), and how an input the core names ([`Field`]) is worded as the option
//! that carries it — the core names inputs, never options.

use std::io::{BufRead, IsTerminal};

use clap::{Args, ValueEnum};
use entra_setup_core::credentials::Certificate;
use entra_setup_core::endpoints::Cloud;
use entra_setup_core::profile::{CredentialType, Profile};
use entra_setup_core::secret::Secret;
use entra_setup_core::validate::Field;

use crate::commands::refuse_errors;
use crate::exit::UsageError;

/// The option that carries the core's input `field`, as a message about it names it.
pub fn field_option(field: Field) -> &'static str {
    match field {
        Field::ClientId => "--client-id",
        Field::Tenant => "--tenant",
        Field::ClientSecret => "--secret-stdin / --secret-env",
        Field::SiteUrl => "--site-url",
        Field::RedirectUri => "--redirect-uri",
        Field::Mailbox => "--mailbox",
        Field::TestRecipient => "--test-recipient",
        Field::AppName => "--app-name",
    }
}

/// `--cloud`: Microsoft's national cloud, when no endpoints file is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CloudOption {
    /// The global (commercial) cloud, also GCC Moderate: login.microsoftonline.com and
    /// graph.microsoft.com.
    #[value(name = "global")]
    Global,
    /// US Government (GCC High): login.microsoftonline.us and graph.microsoft.us.
    #[value(name = "usgov")]
    Usgov,
    /// China, operated by 21Vianet: login.partner.microsoftonline.cn and
    /// microsoftgraph.chinacloudapi.cn.
    #[value(name = "china")]
    China,
}

impl From<CloudOption> for Cloud {
    fn from(cloud: CloudOption) -> Cloud {
        match cloud {
            CloudOption::Global => Cloud::Global,
            CloudOption::Usgov => Cloud::Usgov,
            CloudOption::China => Cloud::China,
        }
    }
}

/// `--sign-in` of the commands an administrator must sign in to: how they sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignIn {
    /// Enter a code at Microsoft's device login page, in a browser on any device.
    #[value(name = "device-code")]
    DeviceCode,
    /// Sign in in this machine's browser, which comes back to this program; the sign-in address
    /// is printed on stderr too, for a machine without a browser.
    #[value(name = "browser")]
    Browser,
}

/// `verify --sign-in`: whether an administrator signs in, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VerifySignIn {
    /// Nobody signs in: the checks that need an administrator are skipped (needs_sign_in).
    #[value(name = "none")]
    None,
    /// Enter a code at Microsoft's device login page, in a browser on any device.
    #[value(name = "device-code")]
    DeviceCode,
    /// Sign in in this machine's browser, which comes back to this program; the sign-in address
    /// is printed on stderr too, for a machine without a browser.
    #[value(name = "browser")]
    Browser,
}

impl VerifySignIn {
    /// How the administrator signs in; `None` when nobody does.
    pub fn method(self) -> Option<SignIn> {
        match self {
            VerifySignIn::None => None,
            VerifySignIn::DeviceCode => Some(SignIn::DeviceCode),
            VerifySignIn::Browser => Some(SignIn::Browser),
        }
    }
}

/// The integration and its registration: what `verify`, `register` and `bundle export` are
/// about.
#[derive(Debug, Args)]
pub struct Integration {
    /// The integration profile (see `entra-setup profiles`).
    #[arg(long, value_name = "ID")]
    pub profile: String,
    /// The tenant: its Directory (tenant) ID or one of its domains.
    #[arg(long)]
    pub tenant: String,
    /// The Application (client) ID of the registration.
    #[arg(long, value_name = "GUID")]
    pub client_id: Option<String>,
    /// `--site-url` or `--redirect-uri`.
    #[command(flatten)]
    pub redirect: Redirect,
    /// `--secret-stdin` or `--secret-env`.
    #[command(flatten)]
    pub secret: SecretInput,
}

/// `--site-url URL | --redirect-uri URI`: the redirect URI the product sends.
#[derive(Debug, Args)]
pub struct Redirect {
    /// The product's address; the redirect URI is computed from it.
    #[arg(long, conflicts_with = "redirect_uri", value_name = "URL")]
    pub site_url: Option<String>,
    /// The redirect URI the product sends, exactly.
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
}

impl Redirect {
    /// The redirect URI: computed by `profile` from `--site-url` (refused with exit 64 when the
    /// core's rules refuse the address), else `--redirect-uri` as given.
    pub fn uri(&self, profile: &Profile) -> Result<Option<String>, UsageError> {
        match (&self.site_url, &self.redirect_uri) {
            (Some(site), _) => {
                refuse_errors(Field::SiteUrl, site)?;
                Ok(profile.redirect_uri_for(site))
            }
            (None, uri) => Ok(uri.clone()),
        }
    }
}

/// `--secret-stdin | --secret-env VAR`: a client secret, never as a command-line argument
/// (others can read those from the process list).
#[derive(Debug, Args)]
pub struct SecretInput {
    /// Read the client secret from the first line of standard input.
    #[arg(long, group = "secret")]
    pub secret_stdin: bool,
    /// Read the client secret from this environment variable.
    #[arg(long, group = "secret", value_name = "VAR")]
    pub secret_env: Option<String>,
}

impl SecretInput {
    /// Whether a secret is given.
    pub fn given(&self) -> bool {
        self.secret_stdin || self.secret_env.is_some()
    }

    /// The secret given, read now: the first line of standard input (asked without echo at a
    /// terminal) or the environment variable; `None` when neither option is given.
    pub fn read(&self) -> Result<Option<Secret>, UsageError> {
        if self.secret_stdin {
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
        if let Some(var) = &self.secret_env {
            return env_client_secret(var).map(Some);
        }
        Ok(None)
    }
}

/// `--credential`: what the registration proves itself with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CredentialOption {
    /// A client secret, kept in the OS keychain.
    #[default]
    #[value(name = "secret")]
    Secret,
    /// A self-signed certificate: its public key uploaded to the registration, its private key
    /// kept in the OS keychain (only for a product whose profile takes one).
    #[value(name = "certificate")]
    Certificate,
}

impl From<CredentialOption> for CredentialType {
    fn from(option: CredentialOption) -> CredentialType {
        match option {
            CredentialOption::Secret => CredentialType::Secret,
            CredentialOption::Certificate => CredentialType::Certificate,
        }
    }
}

/// `--certificate-from-keyring | --certificate-file PATH [--certificate-password-env VAR]`: a
/// certificate with its private key, proved with a client assertion instead of a secret.
#[derive(Debug, Args)]
pub struct CertificateInput {
    /// Use the certificate that `register --credential certificate` kept in the OS keychain
    /// (instead of a secret).
    #[arg(long, group = "certificate", conflicts_with = "secret")]
    pub certificate_from_keyring: bool,
    /// Use this certificate with its private key instead of a secret: PEM (CERTIFICATE and
    /// ENCRYPTED PRIVATE KEY) or PKCS#12 (.pfx, .p12).
    #[arg(
        long,
        group = "certificate",
        conflicts_with = "secret",
        value_name = "PATH.pem|.pfx"
    )]
    pub certificate_file: Option<std::path::PathBuf>,
    /// The environment variable holding the password of --certificate-file's encrypted key or
    /// PKCS#12 file.
    #[arg(long, value_name = "VAR", requires = "certificate_file")]
    pub certificate_password_env: Option<String>,
}

impl CertificateInput {
    /// Whether a certificate is given by either option.
    pub fn given(&self) -> bool {
        self.certificate_from_keyring || self.certificate_file.is_some()
    }

    /// The certificate of `--certificate-file`, read now (`None` without it); the keychain's is
    /// read by the command, which knows the tenant's GUID.
    pub fn read_file(&self) -> Result<Option<Certificate>, UsageError> {
        let Some(path) = &self.certificate_file else {
            return Ok(None);
        };
        let password = self
            .certificate_password_env
            .as_deref()
            .map(|var| env_secret("--certificate-password-env", var))
            .transpose()?;
        Certificate::from_file(path, password.as_ref())
            .map(Some)
            .map_err(|e| UsageError(format!("--certificate-file: {e}")))
    }
}

/// The value of the environment variable `var` named by `option`, as a secret.
pub fn env_secret(option: &str, var: &str) -> Result<Secret, UsageError> {
    env_name(option, var)?;
    not_blank(option, var, Secret::new(env_value(option, var)?))
}

/// A client secret from the environment variable `var` (`--secret-env`), without the white
/// space around it.
pub fn env_client_secret(var: &str) -> Result<Secret, UsageError> {
    let option = "--secret-env";
    not_blank(option, var, Secret::new(env_value(option, var)?.trim()))
}

/// Refuse (exit 64) a `var` that `option` gives which is not an environment variable's name.
pub fn env_name(option: &str, var: &str) -> Result<(), UsageError> {
    let named = !var.is_empty()
        && !var.starts_with(|c: char| c.is_ascii_digit())
        && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if named {
        Ok(())
    } else {
        Err(UsageError(format!(
            "{option}: '{}' is not an environment variable's name (letters, digits and _)",
            entra_setup_core::printable::printable(var)
        )))
    }
}

/// The value of the environment variable `var` that `option` names; refused (exit 64) when it is
/// not set.
pub fn env_value(option: &str, var: &str) -> Result<String, UsageError> {
    std::env::var(var).map_err(|_| {
        UsageError(format!(
            "{option}: the environment variable {var} is not set"
        ))
    })
}

/// `secret`, read from the environment variable `var` that `option` names; refused (exit 64)
/// when it is blank.
pub fn not_blank(option: &str, var: &str, secret: Secret) -> Result<Secret, UsageError> {
    if secret.is_blank() {
        return Err(UsageError(format!(
            "{option}: the environment variable {var} is empty"
        )));
    }
    Ok(secret)
}

/// `--sign-in-client GUID`: the public client that signs people in.
#[derive(Debug, Args)]
pub struct SignInClient {
    /// The public client that signs people in (else ENTRA_SETUP_SIGN_IN_CLIENT, then
    /// sign_in_client in config.toml, then Microsoft Graph Command Line Tools).
    #[arg(long = "sign-in-client", id = "sign_in_client", value_name = "GUID")]
    pub id: Option<String>,
}

/// `--sign-in device-code|browser` and `--sign-in-client`: how the administrator the command
/// needs signs in.
#[derive(Debug, Args)]
pub struct AdminSignIn {
    /// How the administrator signs in.
    #[arg(long, value_enum, default_value_t = SignIn::DeviceCode)]
    pub sign_in: SignIn,
    /// `--sign-in-client`.
    #[command(flatten)]
    pub client: SignInClient,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cloud_is_spelled_as_the_core_spells_it() {
        for cloud in CloudOption::value_variants() {
            let value = cloud.to_possible_value().expect("every cloud is offered");
            assert_eq!(Cloud::from(*cloud).to_string(), value.get_name());
        }
    }

    #[test]
    fn verify_signs_in_as_the_other_commands_do_unless_told_none() {
        assert_eq!(VerifySignIn::None.method(), None);
        for method in SignIn::value_variants() {
            let name = method.to_possible_value().expect("offered");
            let verify = VerifySignIn::from_str(name.get_name(), false).expect("verify has it");
            assert_eq!(verify.method(), Some(*method));
        }
    }
}

//! Which public client signs people in, and where that choice came from.
//!
//! In order of precedence: the `--sign-in-client` option (or the GUI's field), the
//! `ENTRA_SETUP_SIGN_IN_CLIENT` environment variable, `sign_in_client = "GUID"` in `config.toml`
//! in the config folder ([`crate::paths::AppPaths::config_file`]), a default built in by whoever
//! distributes the program (`ENTRA_SETUP_DEFAULT_SIGN_IN_CLIENT` at build time), and finally
//! Microsoft Graph Command Line Tools ([`DEFAULT_SIGN_IN_CLIENT`]). The first one given wins; a
//! value that is not a client ID is refused naming where it came from, never skipped. A
//! config file that cannot be parsed is refused naming the file and the field. Other settings in
//! the file are left to the modules that own them.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::DEFAULT_SIGN_IN_CLIENT;
use crate::validate::{self, Field, FieldContext};

/// The environment variable that names the sign-in client.
pub const SIGN_IN_CLIENT_ENV: &str = "ENTRA_SETUP_SIGN_IN_CLIENT";

/// The field of `config.toml` that names the sign-in client.
pub const SIGN_IN_CLIENT_FIELD: &str = "sign_in_client";

/// The sign-in client the distributor built in, if any.
pub const DISTRIBUTOR_SIGN_IN_CLIENT: Option<&str> =
    option_env!("ENTRA_SETUP_DEFAULT_SIGN_IN_CLIENT");

/// Where the sign-in client came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInClientSource {
    /// The `--sign-in-client` option (or the GUI's field).
    Option,
    /// The `ENTRA_SETUP_SIGN_IN_CLIENT` environment variable.
    Environment,
    /// `sign_in_client` in this config file.
    ConfigFile(PathBuf),
    /// The default built into this copy of the program by its distributor.
    Distributor,
    /// Nothing configured: Microsoft Graph Command Line Tools.
    MicrosoftGraphCommandLineTools,
}

/// The public client that signs people in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInClient {
    /// Its application (client) ID, lower case.
    pub client_id: String,
    /// Where it came from.
    pub source: SignInClientSource,
}

impl SignInClient {
    /// One sentence for people: which client, and why this one.
    pub fn describe(&self) -> String {
        let id = &self.client_id;
        match &self.source {
            SignInClientSource::Option => {
                format!("Signing in with the client {id} given by --sign-in-client.")
            }
            SignInClientSource::Environment => {
                format!(
                    "Signing in with the client {id} from the environment variable {SIGN_IN_CLIENT_ENV}."
                )
            }
            SignInClientSource::ConfigFile(file) => format!(
                "Signing in with the client {id} from {SIGN_IN_CLIENT_FIELD} in {}.",
                file.display()
            ),
            SignInClientSource::Distributor => {
                format!(
                    "Signing in with the client {id} built into this copy of Entra Setup Wizard."
                )
            }
            SignInClientSource::MicrosoftGraphCommandLineTools => format!(
                "Signing in with Microsoft Graph Command Line Tools ({id}), Microsoft's public client; \
                 use --sign-in-client GUID, {SIGN_IN_CLIENT_ENV} or {SIGN_IN_CLIENT_FIELD} in config.toml to sign in with your own."
            ),
        }
    }
}

impl SignInClient {
    /// Where it came from, in words for a screen ("the environment variable …", "sign_in_client in
    /// FILE", …).
    pub fn origin(&self) -> String {
        match &self.source {
            SignInClientSource::Option => "chosen for this sign-in".into(),
            SignInClientSource::Environment => {
                format!("the environment variable {SIGN_IN_CLIENT_ENV}")
            }
            SignInClientSource::ConfigFile(file) => {
                format!("{SIGN_IN_CLIENT_FIELD} in {}", file.display())
            }
            SignInClientSource::Distributor => {
                "the client built into this copy of Entra Setup Wizard".into()
            }
            SignInClientSource::MicrosoftGraphCommandLineTools => {
                "nothing set: Microsoft Graph Command Line Tools, Microsoft's public client".into()
            }
        }
    }
}

/// A sign-in client that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInClientError {
    /// A value given is not a client ID.
    #[error("{origin}: '{value}' is not an application (client) ID: {problem}")]
    NotAClientId {
        /// Where it came from (`--sign-in-client`, `ENTRA_SETUP_SIGN_IN_CLIENT`, the file and field).
        origin: String,
        /// The value.
        value: String,
        /// Why not.
        problem: String,
    },
    /// The config file cannot be read or parsed.
    #[error("{}: field {field}: {problem}", .file.display())]
    MalformedConfig {
        /// The file.
        file: PathBuf,
        /// The field at fault (or the line and column when the file is not TOML at all).
        field: String,
        /// What is wrong.
        problem: String,
    },
}

#[derive(Deserialize)]
struct ConfigFile {
    #[serde(default)]
    sign_in_client: Option<toml::Value>,
}

/// Resolve the sign-in client: `option` (`--sign-in-client`), then `environment` (the value of
/// [`SIGN_IN_CLIENT_ENV`], if set), then `config_file` (if it exists), then the distributor's
/// default, then Microsoft Graph Command Line Tools.
pub fn resolve_sign_in_client(
    option: Option<&str>,
    environment: Option<&str>,
    config_file: &Path,
) -> Result<SignInClient, SignInClientError> {
    if let Some(value) = option {
        return checked(value, "--sign-in-client".into(), SignInClientSource::Option);
    }
    if let Some(value) = environment.filter(|v| !v.trim().is_empty()) {
        return checked(
            value,
            format!("the environment variable {SIGN_IN_CLIENT_ENV}"),
            SignInClientSource::Environment,
        );
    }
    if let Some(value) = from_config_file(config_file)? {
        return checked(
            &value,
            format!("{} (field {SIGN_IN_CLIENT_FIELD})", config_file.display()),
            SignInClientSource::ConfigFile(config_file.to_path_buf()),
        );
    }
    if let Some(value) = DISTRIBUTOR_SIGN_IN_CLIENT.filter(|v| !v.trim().is_empty()) {
        return checked(
            value,
            "the sign-in client built into this program (ENTRA_SETUP_DEFAULT_SIGN_IN_CLIENT)"
                .into(),
            SignInClientSource::Distributor,
        );
    }
    Ok(SignInClient {
        client_id: DEFAULT_SIGN_IN_CLIENT.to_string(),
        source: SignInClientSource::MicrosoftGraphCommandLineTools,
    })
}

/// `sign_in_client` of the config file, when the file exists and sets it.
fn from_config_file(file: &Path) -> Result<Option<String>, SignInClientError> {
    let malformed = |field: &str, problem: String| SignInClientError::MalformedConfig {
        file: file.to_path_buf(),
        field: field.to_string(),
        problem,
    };
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(malformed(
                SIGN_IN_CLIENT_FIELD,
                format!("cannot read the file ({error})"),
            ));
        }
    };
    let parsed: ConfigFile = toml::from_str(&text).map_err(|error| {
        let place = error
            .span()
            .map(|span| {
                let line = text[..span.start.min(text.len())].lines().count().max(1);
                format!("(not TOML, line {line})")
            })
            .unwrap_or_else(|| "(not TOML)".into());
        malformed(&place, error.message().to_string())
    })?;
    match parsed.sign_in_client {
        None => Ok(None),
        Some(toml::Value::String(value)) => Ok(Some(value)),
        Some(other) => Err(malformed(
            SIGN_IN_CLIENT_FIELD,
            format!(
                "expected a quoted client ID (sign_in_client = \"GUID\"), found a {}",
                other.type_str()
            ),
        )),
    }
}

/// Keep `client_id` as `sign_in_client` in `config_file` (`None` removes the setting). The file's
/// other settings and its comments are kept; it is written to a temporary file and renamed. A
/// file that cannot be parsed is refused naming it, and left as it is; a value that is not a
/// client ID is refused. Answers the client ID as kept (lower case).
pub fn save_sign_in_client(
    config_file: &Path,
    client_id: Option<&str>,
) -> Result<Option<String>, SignInClientError> {
    let origin = format!("{} (field {SIGN_IN_CLIENT_FIELD})", config_file.display());
    let kept = match client_id.map(str::trim).filter(|v| !v.is_empty()) {
        Some(value) => Some(checked(value, origin, SignInClientSource::Option)?.client_id),
        None => None,
    };
    let malformed = |field: &str, problem: String| SignInClientError::MalformedConfig {
        file: config_file.to_path_buf(),
        field: field.to_string(),
        problem,
    };
    let text = match std::fs::read_to_string(config_file) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => {
            return Err(malformed(
                SIGN_IN_CLIENT_FIELD,
                format!("cannot read the file ({error})"),
            ));
        }
    };
    let mut document: toml_edit::DocumentMut = text
        .trim_start_matches('\u{feff}')
        .parse()
        .map_err(|e: toml_edit::TomlError| malformed("(not TOML)", e.message().to_string()))?;
    match &kept {
        Some(id) => document[SIGN_IN_CLIENT_FIELD] = toml_edit::value(id.as_str()),
        None => {
            document.remove(SIGN_IN_CLIENT_FIELD);
        }
    }
    if let Some(folder) = config_file.parent() {
        std::fs::create_dir_all(folder).map_err(|e| {
            malformed(
                SIGN_IN_CLIENT_FIELD,
                format!("cannot create {} ({e})", folder.display()),
            )
        })?;
    }
    crate::atomic_file::write(config_file, document.to_string().as_bytes())
        .map_err(|e| malformed(SIGN_IN_CLIENT_FIELD, format!("cannot write the file ({e})")))?;
    Ok(kept)
}

/// `value` as a client ID, or why not.
fn checked(
    value: &str,
    origin: String,
    source: SignInClientSource,
) -> Result<SignInClient, SignInClientError> {
    if let Some(issue) = validate::issues(Field::ClientId, value, &FieldContext::default())
        .into_iter()
        .find(|i| i.is_error())
    {
        return Err(SignInClientError::NotAClientId {
            origin,
            value: value.to_string(),
            problem: issue.message,
        });
    }
    Ok(SignInClient {
        client_id: value.trim().to_ascii_lowercase(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_keeps_other_settings_and_comments_and_refuses_a_damaged_file() {
        let (_dir, file) = config("# chosen by IT\nother = 1 # kept\n");
        let kept = save_sign_in_client(&file, Some(&MINE.to_ascii_uppercase())).expect("saved");
        assert_eq!(kept.as_deref(), Some(MINE));
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(
            text.contains("# chosen by IT") && text.contains("other = 1 # kept"),
            "{text}"
        );
        let chosen = resolve_sign_in_client(None, None, &file).expect("resolved");
        assert_eq!(chosen.client_id, MINE);
        assert!(
            chosen.origin().contains("config.toml"),
            "{}",
            chosen.origin()
        );

        assert_eq!(save_sign_in_client(&file, None).expect("removed"), None);
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(
            !text.contains(SIGN_IN_CLIENT_FIELD) && text.contains("other = 1"),
            "{text}"
        );

        assert!(matches!(
            save_sign_in_client(&file, Some("not a guid")),
            Err(SignInClientError::NotAClientId { .. })
        ));
        let (_dir, damaged) = config("sign_in_client = [unclosed\n");
        assert!(matches!(
            save_sign_in_client(&damaged, Some(MINE)),
            Err(SignInClientError::MalformedConfig { .. })
        ));
        assert_eq!(
            std::fs::read_to_string(&damaged).expect("read"),
            "sign_in_client = [unclosed\n",
            "a damaged file is never rewritten"
        );

        let dir = tempfile::tempdir().expect("dir");
        let fresh = dir.path().join("new").join("config.toml");
        save_sign_in_client(&fresh, Some(FILE)).expect("a new file in a new folder");
        assert_eq!(
            resolve_sign_in_client(None, None, &fresh)
                .expect("read")
                .client_id,
            FILE
        );
    }

    const MINE: &str = "0a1b2c3d-0000-4000-8000-00000000000a";
    const ENV: &str = "0a1b2c3d-0000-4000-8000-00000000000b";
    const FILE: &str = "0a1b2c3d-0000-4000-8000-00000000000c";

    fn config(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("config.toml");
        std::fs::write(&file, text).expect("write");
        (dir, file)
    }

    #[test]
    fn the_option_wins_then_the_environment_then_the_file() {
        let (_dir, file) = config(&format!("sign_in_client = \"{FILE}\"\n"));
        let chosen = resolve_sign_in_client(Some(MINE), Some(ENV), &file).expect("option");
        assert_eq!(
            (chosen.client_id.as_str(), chosen.source),
            (MINE, SignInClientSource::Option)
        );
        let chosen = resolve_sign_in_client(None, Some(ENV), &file).expect("env");
        assert_eq!(chosen.source, SignInClientSource::Environment);
        let chosen = resolve_sign_in_client(None, Some(""), &file).expect("file");
        assert_eq!(chosen.client_id, FILE);
        assert_eq!(chosen.source, SignInClientSource::ConfigFile(file.clone()));
        assert!(
            chosen.describe().contains("config.toml"),
            "{}",
            chosen.describe()
        );
    }

    #[test]
    fn nothing_configured_is_microsoft_graph_command_line_tools() {
        let dir = tempfile::tempdir().expect("dir");
        let chosen =
            resolve_sign_in_client(None, None, &dir.path().join("config.toml")).expect("default");
        if DISTRIBUTOR_SIGN_IN_CLIENT.is_none() {
            assert_eq!(chosen.client_id, DEFAULT_SIGN_IN_CLIENT);
            assert!(
                chosen
                    .describe()
                    .contains("Microsoft Graph Command Line Tools")
            );
        }
        let (_dir, file) = config("# other settings only\n[reminders]\nlead_days = 14\n");
        assert!(resolve_sign_in_client(None, None, &file).is_ok());
    }

    #[test]
    fn bad_values_are_refused_naming_where_they_came_from() {
        let (_dir, file) = config("sign_in_client = \"my-app\"\n");
        let error = resolve_sign_in_client(None, None, &file).expect_err("not a GUID");
        let text = error.to_string();
        assert!(
            text.contains("config.toml") && text.contains("sign_in_client"),
            "{text}"
        );
        let (_dir, file) = config("sign_in_client = 42\n");
        let error = resolve_sign_in_client(None, None, &file).expect_err("a number");
        assert!(
            matches!(&error, SignInClientError::MalformedConfig { field, .. } if field == "sign_in_client"),
            "{error}"
        );
        let (_dir, file) = config("sign_in_client = \"unterminated\n");
        let error = resolve_sign_in_client(None, None, &file).expect_err("not TOML");
        assert!(error.to_string().contains("config.toml"), "{error}");
        let error = resolve_sign_in_client(None, Some("nope"), &file).expect_err("env");
        assert!(error.to_string().contains(SIGN_IN_CLIENT_ENV), "{error}");
        let error = resolve_sign_in_client(Some("nope"), None, &file).expect_err("option");
        assert!(error.to_string().starts_with("--sign-in-client"), "{error}");
    }
}

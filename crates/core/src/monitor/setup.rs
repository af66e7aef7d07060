//! `monitor setup`: the wizard's own monitor app registered with the registration repair the
//! `register` command uses ([`fix::register`]) and a built-in profile (`entra-setup-monitor`,
//! data in `entra-setup-monitor.toml` beside this file: multi-tenant, application
//! `Application.Read.All`, plus `Mail.Send` when alerts go out by mail), admin consent in the
//! home tenant, a certificate in place of a secret ([`fix::register_with_certificate`]: its
//! private key kept in the keychain, its public key in `keyCredentials`), and the
//! admin-consent link other tenants' administrators open.
//!
//! The profile is not part of the integration catalogue (`entra-setup profiles`, the wizard):
//! it is the product's own app, not a third party's integration.
//!
//! The scan finds the certificate in the keychain by the IDs kept in [`MonitorConfig`].

use serde::{Deserialize, Serialize};
use url::Url;

use crate::endpoints::Endpoints;
use crate::fix::{
    self, CertificateRequest, ConsentLinkError, FixError, Registered, RegistrationInputs,
    RepairSession,
};
use crate::profile::Profile;

/// The monitor profile as shipped (TOML).
pub const MONITOR_PROFILE_TOML: &str = include_str!("entra-setup-monitor.toml");

/// The monitor profile's id.
pub const MONITOR_PROFILE_ID: &str = "entra-setup-monitor";

/// The application permission mail alerts need.
pub const MAIL_SEND: &str = "Mail.Send";

/// The monitor profile, with `Mail.Send` among its application permissions when `mail`.
pub fn monitor_profile(mail: bool) -> Profile {
    let mut profile: Profile =
        toml::from_str(MONITOR_PROFILE_TOML).expect("the built-in monitor profile parses");
    profile
        .validate()
        .expect("the built-in monitor profile keeps the profile rules");
    if mail {
        profile
            .registration
            .permissions
            .application
            .push(MAIL_SEND.to_owned());
    }
    profile
}

/// What the scan needs to know of the monitor app, kept by the front end after setup (no secret
/// in it: the credential itself is in the keychain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitorConfig {
    /// The monitor app's application (client) ID.
    pub client_id: String,
    /// The GUID of the tenant it is registered in (its keychain entries are keyed by it).
    pub home_tenant_id: String,
    /// The key ID of its certificate kept in the keychain, when one was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
}

/// Why the monitor's configuration could not be read or kept.
#[derive(Debug, thiserror::Error)]
pub enum MonitorConfigError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// What failed.
        #[source]
        source: std::io::Error,
    },
    /// The file is not the configuration.
    #[error("{path} is damaged ({message}); run entra-setup monitor setup again")]
    Damaged {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl MonitorConfig {
    /// Where it is kept: `monitor.json` in the config folder.
    pub fn path(paths: &crate::paths::AppPaths) -> std::path::PathBuf {
        paths.config_dir().join("monitor.json")
    }

    /// The configuration `monitor setup` kept, `None` when there is none.
    pub fn load(
        paths: &crate::paths::AppPaths,
    ) -> Result<Option<MonitorConfig>, MonitorConfigError> {
        let path = Self::path(paths);
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|e| MonitorConfigError::Damaged {
                        path,
                        message: e.to_string(),
                    })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(MonitorConfigError::Io { path, source }),
        }
    }

    /// Keep it (written whole or not at all).
    pub fn save(&self, paths: &crate::paths::AppPaths) -> Result<(), MonitorConfigError> {
        let path = Self::path(paths);
        let io = |source| MonitorConfigError::Io {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let text = serde_json::to_vec_pretty(self).unwrap_or_default();
        crate::atomic_file::write(&path, &text).map_err(io)
    }
}

/// The tenants file `monitor scan` and `monitor schedule` use when `--tenants` is not given:
/// `monitor-tenants.txt` in the config folder.
pub fn default_tenants_file(paths: &crate::paths::AppPaths) -> std::path::PathBuf {
    paths.config_dir().join("monitor-tenants.txt")
}

/// What `monitor setup` did.
#[derive(Debug, Clone)]
pub struct MonitorSetup {
    /// The registration repair's outcome (IDs, changes, the new certificate if one was made).
    pub registered: Registered,
    /// The link other tenants' administrators open to approve the monitor (none only when the
    /// login endpoint cannot take a path).
    pub consent_link: Option<Url>,
}

/// Register (or repair, with `client_id`) the monitor app in the tenant the session's
/// administrator signed in to, with admin consent there and a certificate (none added when the
/// keychain keeps one that is registered and unexpired, unless `request` asks for one).
pub async fn set_up(
    tenant: &str,
    client_id: Option<&str>,
    mail: bool,
    request: &CertificateRequest,
    session: &RepairSession<'_>,
) -> Result<MonitorSetup, FixError> {
    let profile = monitor_profile(mail);
    let inputs = RegistrationInputs {
        tenant: tenant.trim().to_owned(),
        client_id: client_id.map(|c| c.trim().to_ascii_lowercase()),
        redirect_uri: None,
        app_name: None,
    };
    let registered = fix::register_with_certificate(&profile, &inputs, request, session).await?;
    let consent_link = consent_link(&session.ctx.endpoints, None, &registered.client_id).ok();
    Ok(MonitorSetup {
        registered,
        consent_link,
    })
}

/// The admin-consent link for the monitor app: for `tenant` (a GUID or domain) or, without one,
/// for any organisation (`organizations`). It asks for every permission of the registration
/// (`/.default`).
pub fn consent_link(
    endpoints: &Endpoints,
    tenant: Option<&str>,
    client_id: &str,
) -> Result<Url, ConsentLinkError> {
    fix::setup_admin_consent_url(
        endpoints,
        tenant.unwrap_or("organizations"),
        client_id,
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Cloud;
    use crate::profile::AccountType;

    #[test]
    fn the_monitor_profile_reads_applications_across_tenants() {
        let profile = monitor_profile(false);
        assert_eq!(profile.id, MONITOR_PROFILE_ID);
        assert_eq!(
            profile.registration.default_account_type,
            AccountType::MultiTenant
        );
        assert_eq!(
            profile.registration.permissions.application,
            ["Application.Read.All"]
        );
        assert!(profile.registration.permissions.delegated.is_empty());
        assert!(profile.registration.redirect.is_none());
        assert_eq!(
            profile.credentials,
            [crate::profile::CredentialType::Certificate]
        );
        let with_mail = monitor_profile(true);
        assert_eq!(
            with_mail.registration.permissions.application,
            ["Application.Read.All", "Mail.Send"]
        );
    }

    #[test]
    fn the_consent_link_is_for_any_organisation_or_one() {
        let endpoints = Endpoints::for_cloud(Cloud::Global);
        let any =
            consent_link(&endpoints, None, "99999999-0000-0000-0000-000000000001").expect("link");
        assert!(
            any.as_str().starts_with("https://login.microsoftonline.com/organizations/v2.0/adminconsent?client_id=99999999-0000-0000-0000-000000000001&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"),
            "{any}"
        );
        let one = consent_link(
            &endpoints,
            Some("fabrikam.com"),
            "99999999-0000-0000-0000-000000000001",
        )
        .expect("link");
        assert!(
            one.as_str().contains("/fabrikam.com/v2.0/adminconsent"),
            "{one}"
        );
    }
}

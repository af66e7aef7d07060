//! The target product's settings: their values for `bundle.json` (the secret's is `null`) and
//! `settings.txt`, one `Name: value` line each, grouped under where in the product they go.

use std::collections::BTreeMap;

use crate::profile::{Profile, SettingSource};

use super::record::SecretStorage;

/// What the settings are computed from.
pub struct SettingInputs<'a> {
    /// The profile (its settings list).
    pub profile: &'a Profile,
    /// The tenant GUID.
    pub tenant_id: Option<&'a str>,
    /// The client ID.
    pub client_id: &'a str,
    /// The redirect URI.
    pub redirect_uri: Option<&'a str>,
    /// Where the secret's value is.
    pub storage: SecretStorage,
    /// The keychain entry's account name, when it is there.
    pub keychain_account: Option<&'a str>,
}

/// One setting's value; `None` for the secret and for what is not known.
fn value(
    inputs: &SettingInputs<'_>,
    source: SettingSource,
    literal: Option<&str>,
) -> Option<String> {
    match source {
        SettingSource::ClientId => Some(inputs.client_id.to_string()),
        SettingSource::ClientSecret => None,
        SettingSource::TenantId => inputs.tenant_id.map(str::to_string),
        SettingSource::Scopes => Some(inputs.profile.registration.permissions.delegated.join(" ")),
        SettingSource::RedirectUri => inputs.redirect_uri.map(str::to_string),
        SettingSource::Literal => literal.map(str::to_string),
    }
}

/// The settings by the product's names, for `bundle.json`.
pub fn values(inputs: &SettingInputs<'_>) -> BTreeMap<String, Option<String>> {
    inputs
        .profile
        .settings
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                value(inputs, s.source, s.literal.as_deref()),
            )
        })
        .collect()
}

/// Where the secret is, for its line in `settings.txt`.
fn secret_placeholder(inputs: &SettingInputs<'_>) -> String {
    match (inputs.storage, inputs.keychain_account) {
        (SecretStorage::Age, _) => {
            "(not in this file: decrypt secret.age in this bundle with `age --decrypt`)".into()
        }
        (SecretStorage::Keyring, Some(account)) => format!(
            "(not in this file: in the OS keychain of the exporting computer, service entra-setup, account {account})"
        ),
        _ => "(not in this file: paste the client secret's Value you copied when it was created)"
            .into(),
    }
}

/// `settings.txt`.
pub fn text(inputs: &SettingInputs<'_>) -> String {
    let profile = inputs.profile;
    let mut out = format!(
        "# {} — settings for {}\n# Paste each value into the setting of the same name, at the place named above it.\n",
        profile.title, profile.product
    );
    if profile.settings.is_empty() {
        out.push_str("#\n# This integration has no settings to paste into the product.\n");
    }
    let mut location: Option<&str> = None;
    for setting in &profile.settings {
        if location != Some(setting.location.as_str()) {
            out.push_str(&format!("\n# Where: {}\n", setting.location));
            location = Some(setting.location.as_str());
        }
        let shown = match setting.source {
            SettingSource::ClientSecret => secret_placeholder(inputs),
            source => value(inputs, source, setting.literal.as_deref())
                .unwrap_or_else(|| "(not known yet)".into()),
        };
        out.push_str(&format!("{}: {shown}\n", setting.name));
    }
    out.replace('\n', "\r\n")
}

//! The target product's settings: their values for `bundle.json` (the secret's is `null`) and
//! `settings.txt`, one `Name: value` line each, grouped under where in the product they go.
//! For an app that proves itself with a certificate, a last group names its thumbprint
//! (`Certificate thumbprint: …`: no shipped profile has a setting of its own for it) and says how
//! to take the certificate with its private key out of `certificate.pfx.age`. The mailbox and its
//! owner's user ID come from what the `mailbox` check read ([`MailboxFacts`]).

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
    /// The certificate the app proves itself with, when it does.
    pub certificate: Option<CertificateLines<'a>>,
    /// The mailbox the product uses, when the verification read it.
    pub mailbox: Option<MailboxFacts>,
}

/// The mailbox the product uses, as the `mailbox` check read it from the directory.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MailboxFacts {
    /// Its address (`mail`, else the user principal name).
    pub address: Option<String>,
    /// The owner's user ID (object ID).
    pub user_id: Option<String>,
}

impl MailboxFacts {
    /// What the `mailbox` check's evidence says of the mailbox, when it read the user.
    pub fn from_report(report: &crate::verify::Report) -> Option<MailboxFacts> {
        let check = report
            .checks
            .iter()
            .find(|c| c.id == crate::check::CheckId::Mailbox)?;
        let text = |key: &str| {
            check
                .evidence
                .get(key)
                .and_then(serde_json::Value::as_str)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let facts = MailboxFacts {
            address: text("mail").or_else(|| text("user_principal_name")),
            user_id: text("user_id"),
        };
        (facts != MailboxFacts::default()).then_some(facts)
    }
}

/// What `settings.txt` says of a certificate.
pub struct CertificateLines<'a> {
    /// Its SHA-1 thumbprint (hex).
    pub thumbprint: &'a str,
    /// Where its private key is.
    pub storage: SecretStorage,
    /// What the password of the `.pfx` inside `certificate.pfx.age` is, in words.
    pub pfx_password: &'a str,
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
        SettingSource::Scopes => Some(scopes(inputs.profile)),
        SettingSource::RedirectUri => inputs.redirect_uri.map(str::to_string),
        SettingSource::Mailbox => inputs.mailbox.as_ref().and_then(|m| m.address.clone()),
        SettingSource::MailboxUserId => inputs.mailbox.as_ref().and_then(|m| m.user_id.clone()),
        SettingSource::Literal => literal.map(str::to_string),
    }
}

/// The delegated scopes, space-separated: Microsoft Graph's by name, then Office 365 Exchange
/// Online's with the Outlook resource in front (`https://outlook.office.com/IMAP.AccessAsUser.All`),
/// as a product asks for them.
fn scopes(profile: &Profile) -> String {
    let registration = &profile.registration;
    registration
        .permissions
        .delegated
        .iter()
        .cloned()
        .chain(
            registration
                .resource_permissions
                .exchange_online
                .delegated
                .iter()
                .map(|name| format!("{}/{name}", OUTLOOK_RESOURCE)),
        )
        .collect::<Vec<_>>()
        .join(" ")
}

/// The Outlook resource's identifier as products ask for its scopes.
const OUTLOOK_RESOURCE: &str = "https://outlook.office.com";

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
    if inputs.certificate.is_some() && inputs.storage == SecretStorage::None {
        return "(none: the app proves itself with the certificate named at the end of this file)"
            .into();
    }
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
    if let Some(certificate) = &inputs.certificate {
        out.push_str(
            "\n# Certificate: the app proves itself with it in place of a client secret\n",
        );
        let key = match certificate.storage {
            SecretStorage::Age => format!(
                "# Its private key is in certificate.pfx.age in this bundle, with the certificate (PKCS#12).\n\
                 # Decrypt it: age --decrypt -i KEYFILE -o certificate.pfx certificate.pfx.age\n\
                 # (with a passphrase: age --decrypt -o certificate.pfx certificate.pfx.age, then type it).\n\
                 # The .pfx's own password is {}. Import certificate.pfx into {}, then delete it.\n",
                certificate.pfx_password, profile.product
            ),
            SecretStorage::Keyring => "# Its private key is not in this file: it is in the OS keychain of the exporting computer (service entra-setup).\n".into(),
            SecretStorage::None => "# Its private key is not in this bundle: use the certificate file you gave.\n".into(),
        };
        out.push_str(&key);
        out.push_str(&format!(
            "Certificate thumbprint: {}\n",
            certificate.thumbprint
        ));
    }
    out.replace('\n', "\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Catalog;

    fn inputs<'a>(
        profile: &'a Profile,
        storage: SecretStorage,
        account: Option<&'a str>,
    ) -> SettingInputs<'a> {
        SettingInputs {
            profile,
            tenant_id: Some("3f2b8c1e-6a4d-4e2b-9c7f-1a2b3c4d5e6f"),
            client_id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
            redirect_uri: Some("https://intranet.contoso.com/oauth2/outlook/callback"),
            storage,
            keychain_account: account,
            certificate: None,
            mailbox: None,
        }
    }

    #[test]
    fn mailbox_settings_come_from_the_mailbox_check() {
        let text = r#"
id = "imap-mail"
title = "IMAP mail"
product = "Mail"
kind = "delegated_web"
summary = "Reads a mailbox over IMAP."
estimated_minutes = 10
checks = ["tenant", "client_id", "mailbox"]
[needs]
[registration]
account_types = ["AzureADMyOrg"]
default_account_type = "AzureADMyOrg"
suggested_name = "IMAP mail"
[registration.permissions]
delegated = ["offline_access"]
[registration.resource_permissions.exchange_online]
delegated = ["IMAP.AccessAsUser.All"]
[secret]
required = true
default_days = 180
max_days = 730
lead_days = 14
advice = "Keep it."
[[settings]]
name = "Mailbox"
source = "mailbox"
location = "Mail settings"
[[settings]]
name = "User ID"
source = "mailbox_user_id"
location = "Mail settings"
[[settings]]
name = "Scopes"
source = "scopes"
location = "Mail settings"
"#;
        let profile: Profile = toml::from_str(text).expect("profile");
        profile.validate().expect("valid");
        let mut with = inputs(&profile, SecretStorage::None, None);
        let unknown = values(&with);
        assert_eq!(unknown["Mailbox"], None);
        with.mailbox = Some(MailboxFacts {
            address: Some("support@contoso.com".into()),
            user_id: Some("aaaaaaaa-0000-0000-0000-000000000002".into()),
        });
        let known = values(&with);
        assert_eq!(known["Mailbox"].as_deref(), Some("support@contoso.com"));
        assert_eq!(
            known["User ID"].as_deref(),
            Some("aaaaaaaa-0000-0000-0000-000000000002")
        );
        assert_eq!(
            known["Scopes"].as_deref(),
            Some("offline_access https://outlook.office.com/IMAP.AccessAsUser.All")
        );
    }

    #[test]
    fn axero_settings_use_the_products_names_and_never_the_secret() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-outlook-calendar").expect("profile");
        let values = values(&inputs(profile, SecretStorage::Age, None));
        assert_eq!(values["OutlookApiClientSecret"], None);
        assert_eq!(
            values["OutlookApiAuthorizationScopes"].as_deref(),
            Some("Calendars.ReadWrite offline_access openid User.Read")
        );
        assert_eq!(values["UseSAMLTenantIDForOutlook"].as_deref(), Some("true"));
        assert_eq!(
            values["SAMLTenantID"].as_deref(),
            Some("3f2b8c1e-6a4d-4e2b-9c7f-1a2b3c4d5e6f")
        );
        let text = text(&inputs(profile, SecretStorage::Keyring, Some("t/c")));
        assert!(
            text.contains("\r\n# Where: Axero: Control Panel > System > System Properties\r\n")
        );
        assert!(text.contains("OutlookApiClientSecret: (not in this file: in the OS keychain"));
        assert!(text.contains("account t/c"));
        assert!(!text.replace("\r\n", "").contains('\n'), "CRLF only");
    }

    #[test]
    fn each_storage_says_where_the_secret_is() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("odoo-outlook-calendar").expect("profile");
        let line = |storage| {
            text(&inputs(profile, storage, Some("t/c")))
                .lines()
                .find(|l| l.starts_with("Client Secret: "))
                .expect("secret line")
                .to_string()
        };
        assert!(line(SecretStorage::Age).contains("secret.age"));
        assert!(line(SecretStorage::Keyring).contains("keychain"));
        assert!(line(SecretStorage::None).contains("copied when it was created"));
    }
}

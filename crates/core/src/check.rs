//! Checkpoint ids: the names of the things the wizard verifies (contracts/cli.md, "Check ids").
//!
//! Only the ids and their order live here; how each one is verified belongs to the verification
//! engine, and which ones apply to an integration belongs to its profile.

use serde::{Deserialize, Serialize};

/// One checkpoint of an integration, as named in the CLI's JSON and in profiles.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CheckId {
    /// The tenant exists, resolves to its GUID and lives in the expected cloud.
    Tenant,
    /// The application (client) ID belongs to an enabled app in the tenant.
    ClientId,
    /// The client secret is the value (not its ID), valid and not expired.
    ClientSecret,
    /// The secret in use does not expire soon.
    SecretExpiry,
    /// The certificate given proves the app (a client assertion gets a token) and is registered.
    ClientCertificate,
    /// The certificate in use does not expire soon.
    CertificateExpiry,
    /// The registration has the exact redirect URI under the right platform.
    RedirectUri,
    /// The supported account type fits the integration.
    AccountType,
    /// The required permissions are configured with the right type.
    ApiPermissions,
    /// The permissions are consented for the whole organisation.
    AdminConsent,
    /// The tenant's user-consent and admin-consent-request settings.
    ConsentPolicy,
    /// The mailbox exists, is licensed for Exchange Online and is not shared.
    Mailbox,
    /// SMTP AUTH works for the mailbox with OAuth.
    SmtpAuth,
    /// IMAP works for the mailbox with the owner's OAuth token.
    ImapAuth,
    /// A test email is accepted by Microsoft Graph.
    TestEmail,
    /// The app can read a mailbox calendar with its own token.
    CalendarAccess,
}

impl CheckId {
    /// The id as written in JSON and profiles (`client_secret`, …).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn json_names_are_the_contract_ids() {
        let all: Vec<CheckId> = CheckId::iter().collect();
        assert_eq!(all.len(), 16);
        for id in all {
            let json = serde_json::to_string(&id).expect("serialise");
            assert_eq!(json, format!("\"{}\"", id.as_str()));
            assert_eq!(id.as_str().parse::<CheckId>().expect("parse"), id);
        }
    }
}

//! Cause ids: why a check failed, warned or could not be verified (contracts/causes.md).
//!
//! The ids are a contract shared by the GUI, the CLI's JSON, the bundle report and the tests, so
//! the serialised names never change. Explanations and fixes for each cause belong to the
//! diagnosis and verification code, not here.

use serde::{Deserialize, Serialize};

/// Why a check did not pass, or what a diagnosed error means.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
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
pub enum Cause {
    // Tenant and cloud
    /// From: AADSTS90002; discovery answers 400 'invalid_tenant'
    TenantNotFound,
    /// From: AADSTS900023; neither a GUID nor a DNS name
    TenantIdMalformed,
    /// From: AADSTS90038, 900381, 900382; the tenant lives in another national cloud (US Gov, China)
    WrongCloud,
    /// From: AADSTS50194
    SingleTenantAppOnCommon,
    /// From: a value still holds a template placeholder: 'your_client_id', 'Enter_the_Application_Id_here', '{tenant}', '<tenant-id>', 'YOUR_AXERO_URL', 'your-site.com', 'yourdbname.odoo.com', …
    PlaceholderNotReplaced,
    // Application and credential
    /// From: not a GUID
    ClientIdMalformed,
    /// From: AADSTS700016
    ClientIdNotFound,
    /// From: AADSTS7000112
    AppDisabled,
    /// From: AADSTS7000218
    SecretMissing,
    /// From: a GUID given where the secret *value* belongs (the seed's "not the Secret ID")
    SecretIsSecretId,
    /// From: AADSTS7000215
    SecretInvalid,
    /// From: AADSTS7000222; 'passwordCredentials[].endDateTime' in the past
    SecretExpired,
    /// From: (warn) the secret in use ends within 30 days
    SecretExpiringSoon,
    /// From: Graph 400 'CredentialInvalidLifetimeAsPerAppPolicy'; tenant app-management policy caps or forbids secrets
    SecretLifetimePolicy,
    /// From: AADSTS700025
    PublicClientSentSecret,
    /// From: AADSTS700027
    CertificateAssertionInvalid,
    /// From: 'keyCredentials[].endDateTime' in the past; AADSTS700027 for an expired certificate
    CertificateExpired,
    /// From: (warn) the certificate in use ends within 30 days
    CertificateExpiringSoon,
    /// From: AADSTS700027 / 700024-style: the assertion's certificate (x5t) is not among the
    /// app's key credentials
    CertificateNotRegistered,
    // Redirect URI and account type
    /// From: offline rules: not HTTPS (localhost aside), trailing slash, spaces, query string with personal accounts, placeholder host
    RedirectUriInvalid,
    /// From: AADSTS50011; the registration lacks the exact URI (path and case)
    RedirectUriMismatch,
    /// From: the URI is registered under SPA or public client where the product needs Web
    RedirectPlatformWrong,
    /// From: 'signInAudience' does not fit the profile
    AccountTypeMismatch,
    /// From: AADSTS50020
    UserNotInTenant,
    /// From: the browser is signed in to several Microsoft accounts and the consent or sign-in
    /// went to the wrong one (AADSTS50020 and the seeds' "routes to the wrong tenant")
    MultipleAccountsSignedIn,
    // Permissions and consent
    /// From: a required permission is not in 'requiredResourceAccess'; Graph 403 'Authorization_RequestDenied' / 'ErrorAccessDenied' for the app's own token
    PermissionMissing,
    /// From: delegated configured where application is needed, or the reverse
    WrongPermissionType,
    /// From: configured but not consented: no 'AllPrincipals' grant / no app role assignment / app token without 'roles'; Graph 'NoPermissionsInAccessToken'
    AdminConsentMissing,
    /// From: AADSTS65001, AADSTS65004, AADSTS90094
    ConsentRequired,
    /// From: (warn) permissions beyond what the profile needs
    ExcessPermissions,
    /// From: AADSTS70011, AADSTS1002012 (client credentials need '/.default'), AADSTS700022
    ScopeInvalid,
    /// From: AADSTS500011
    ResourceNotFound,
    /// From: tenant authorization policy lets users consent to nothing (or only low-impact) and the product needs user consent
    UserConsentBlocked,
    /// From: (warn) users cannot request admin approval
    AdminConsentWorkflowDisabled,
    /// From: the signed-in admin's token cannot read or change what the check needs (Graph 403 on the admin's token)
    InsufficientAdminRights,
    /// From: (warn) the tenant assigns a user-consent policy the wizard cannot judge (a custom
    /// policy id): what users may consent to is not known
    ConsentPolicyUnrecognised,
    /// From: (warn) users have asked for admin consent to this app and the requests wait for a
    /// reviewer
    ConsentRequestPending,
    // Sign-in policy
    /// From: AADSTS53003, AADSTS530035 (security defaults)
    ConditionalAccessBlocked,
    /// From: AADSTS50076, AADSTS50079
    MfaRequired,
    // Graph, mailbox, calendar
    /// From: Graph 401 'InvalidAuthenticationToken' with an audience complaint
    TokenWrongAudience,
    /// From: Graph 401 'InvalidAuthenticationToken' otherwise (expired, malformed)
    TokenInvalid,
    /// From: Graph 404 'MailboxNotEnabledForRESTAPI'; no Exchange Online service plan in 'licenseDetails'
    MailboxUnavailable,
    /// From: the sending mailbox is a shared mailbox (the seed requires a licensed user mailbox)
    MailboxIsShared,
    /// From: Graph 403 'ErrorAccessDenied' "[RAOP] … AppOnly AccessPolicy"
    MailboxAccessPolicyDenied,
    /// From: Graph 404 'Request_ResourceNotFound', 'ErrorInvalidUser', 'ErrorItemNotFound'
    ObjectNotFound,
    /// From: a user of the product has not connected their own account yet (Axero: "Default
    /// Outlook account has not been set up"); nothing is wrong in Entra
    UserNotConnected,
    // SMTP AUTH
    /// From: '535 5.7.139 … SmtpClientAuthentication is disabled for the Tenant'
    SmtpAuthDisabledTenant,
    /// From: '535 5.7.139 … SmtpClientAuthentication is disabled for the Mailbox'
    SmtpAuthDisabledMailbox,
    /// From: '535 5.7.139 … basic authentication is disabled'
    SmtpBasicAuthBlocked,
    /// From: '535 5.7.3 Authentication unsuccessful' (token for another user, wrong audience, no SMTP.Send)
    SmtpAuthFailed,
    /// From: connection, STARTTLS or certificate failure on port 587
    SmtpUnreachable,
    // IMAP
    /// From: IMAP 'AUTHENTICATE XOAUTH2' answered 'NO AUTHENTICATE failed'
    ImapAuthFailed,
    /// From: IMAP is turned off for the mailbox ('Set-CASMailbox -ImapEnabled $false')
    ImapDisabledMailbox,
    // Transient (status `unverified`, never `fail`)
    /// From: HTTP 429 (honour 'Retry-After')
    Throttled,
    /// From: HTTP 5xx; 'temporarily_unavailable'
    ServiceUnavailable,
    /// From: DNS, connect, TLS, timeout, malformed or truncated response
    NetworkError,
    /// From: a mailbox or recipient typed that is not an email address (ours: refused offline)
    AddressMalformed,
    /// From: an app registration's display name that is empty, too long or holds control
    /// characters (ours: refused offline)
    DisplayNameInvalid,
    // Writes
    /// From: a change was sent to Microsoft and the answer was lost; the wizard re-read the
    /// directory and says what it found
    WriteOutcomeUnknown,
}

impl Cause {
    /// The id as written in JSON (`secret_expired`, …).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether this cause means "could not be verified" rather than a verdict: such a check is
    /// `unverified` and offers a retry, never `fail`.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            Cause::Throttled
                | Cause::ServiceUnavailable
                | Cause::NetworkError
                | Cause::WriteOutcomeUnknown
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    /// The contract's table, in its order; the December 2026 additions sit in their groups.
    const CONTRACT: &[&str] = &[
        "tenant_not_found",
        "tenant_id_malformed",
        "wrong_cloud",
        "single_tenant_app_on_common",
        "placeholder_not_replaced",
        "client_id_malformed",
        "client_id_not_found",
        "app_disabled",
        "secret_missing",
        "secret_is_secret_id",
        "secret_invalid",
        "secret_expired",
        "secret_expiring_soon",
        "secret_lifetime_policy",
        "public_client_sent_secret",
        "certificate_assertion_invalid",
        "certificate_expired",
        "certificate_expiring_soon",
        "certificate_not_registered",
        "redirect_uri_invalid",
        "redirect_uri_mismatch",
        "redirect_platform_wrong",
        "account_type_mismatch",
        "user_not_in_tenant",
        "multiple_accounts_signed_in",
        "permission_missing",
        "wrong_permission_type",
        "admin_consent_missing",
        "consent_required",
        "excess_permissions",
        "scope_invalid",
        "resource_not_found",
        "user_consent_blocked",
        "admin_consent_workflow_disabled",
        "insufficient_admin_rights",
        "consent_policy_unrecognised",
        "consent_request_pending",
        "conditional_access_blocked",
        "mfa_required",
        "token_wrong_audience",
        "token_invalid",
        "mailbox_unavailable",
        "mailbox_is_shared",
        "mailbox_access_policy_denied",
        "object_not_found",
        "user_not_connected",
        "smtp_auth_disabled_tenant",
        "smtp_auth_disabled_mailbox",
        "smtp_basic_auth_blocked",
        "smtp_auth_failed",
        "smtp_unreachable",
        "imap_auth_failed",
        "imap_disabled_mailbox",
        "throttled",
        "service_unavailable",
        "network_error",
        // Ours, then the December 2026 additions
        "address_malformed",
        "display_name_invalid",
        "write_outcome_unknown",
    ];

    #[test]
    fn every_contract_id_round_trips() {
        let ours: Vec<&str> = Cause::iter().map(Cause::as_str).collect();
        assert_eq!(ours, CONTRACT);
        for id in CONTRACT {
            let cause: Cause = id.parse().expect("parse");
            let json = serde_json::to_string(&cause).expect("serialise");
            assert_eq!(json, format!("\"{id}\""));
        }
    }

    #[test]
    fn only_the_transient_group_is_transient() {
        let transient: Vec<Cause> = Cause::iter().filter(|c| c.is_transient()).collect();
        assert_eq!(
            transient,
            [
                Cause::Throttled,
                Cause::ServiceUnavailable,
                Cause::NetworkError,
                Cause::WriteOutcomeUnknown
            ]
        );
    }
}

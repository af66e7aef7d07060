//! A title, an explanation and a fix for every cause id, in our own words.
//!
//! The `match` is exhaustive, so a cause added to `Cause` does not compile until it is described
//! here. Diagnosis uses these texts for findings recognised from a Microsoft code; the verification
//! engine reuses them for failed checks. Profile-specific wording (the product's own setting
//! names) lives in the profiles' troubleshooting entries, not here.

use crate::cause::Cause;

/// What a cause means and what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Description {
    /// A short headline.
    pub title: &'static str,
    /// Why it happens, in plain words.
    pub explanation: &'static str,
    /// What to do, with the place in the admin center or the command.
    pub fix: &'static str,
}

const fn d(title: &'static str, explanation: &'static str, fix: &'static str) -> Description {
    Description {
        title,
        explanation,
        fix,
    }
}

/// The description of `cause`.
pub fn describe(cause: Cause) -> Description {
    match cause {
        // Tenant and cloud
        Cause::TenantNotFound => d(
            "Tenant not found",
            "Microsoft has no tenant with the ID or domain that was used. Usually a character is wrong, the domain is not verified in any tenant, or the tenant lives in another Microsoft cloud.",
            "Copy the Directory (tenant) ID from the Entra admin center (Identity > Overview) or use your organisation's .onmicrosoft.com domain, and make sure the sign-in goes to the cloud your tenant is in.",
        ),
        Cause::TenantIdMalformed => d(
            "Tenant value is neither an ID nor a domain",
            "The value given as the tenant is not a GUID and not a valid domain name, so Microsoft cannot even look it up.",
            "Enter the Directory (tenant) ID (a GUID from Identity > Overview in the Entra admin center) or a domain such as yourcompany.onmicrosoft.com, without spaces, https:// or slashes.",
        ),
        Cause::WrongCloud => d(
            "Tenant belongs to another Microsoft cloud",
            "The tenant is hosted in a national cloud (Microsoft Cloud for US Government or the China cloud operated by 21Vianet), but the request went to the global sign-in service, or the reverse. Each cloud has its own sign-in and Graph addresses.",
            "Use the endpoints of the tenant's cloud: login.microsoftonline.us and graph.microsoft.us for US Government, login.partner.microsoftonline.cn and microsoftgraph.chinacloudapi.cn for China (choose that cloud in this tool). Register the app in that cloud's admin center.",
        ),
        Cause::SingleTenantAppOnCommon => d(
            "Single-tenant app signed in through the shared endpoint",
            "The app registration accepts accounts from its own tenant only, but the sign-in was sent to /common (or /organizations), which only multi-tenant apps may use.",
            "Configure the product with your Directory (tenant) ID so it signs in at login.microsoftonline.com/<tenant ID>. If users from other organisations must connect, change Authentication > Supported account types to multiple tenants instead.",
        ),
        Cause::PlaceholderNotReplaced => d(
            "A placeholder from a guide was left in",
            "A value still holds sample text from a setup guide (such as your_client_id, {tenant}, <tenant-id> or your-site.com) instead of your own value.",
            "Replace the placeholder with the real value: the Application (client) ID and Directory (tenant) ID from the app registration's Overview page, or your product's own web address.",
        ),
        // Application and credential
        Cause::ClientIdMalformed => d(
            "Client ID is not a GUID",
            "An Application (client) ID is always a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301. The value given has another shape, so it is something else (a name, a secret, or a partial copy).",
            "Open the Entra admin center > Identity > Applications > App registrations > your app > Overview and copy the Application (client) ID with its copy button.",
        ),
        Cause::ClientIdNotFound => d(
            "Application not found in the tenant",
            "No app with this Application (client) ID exists in the tenant the request went to. Either the ID is wrong (often the Secret ID or the Object ID was copied instead), or the request went to another tenant, or a multi-tenant app has not been approved in that tenant yet.",
            "Copy the Application (client) ID again from the app registration's Overview page (not the Object ID, not a Secret ID) and check the tenant ID next to it. For a vendor's multi-tenant app, have a Global Administrator of this tenant grant consent first.",
        ),
        Cause::AppDisabled => d(
            "The application is disabled",
            "The app exists, but sign-in for it has been switched off in this tenant, so Microsoft issues no tokens for it.",
            "In the Entra admin center open Identity > Applications > Enterprise applications > the app > Properties and set Enabled for users to sign in? to Yes, then save.",
        ),
        Cause::SecretMissing => d(
            "No client secret was sent",
            "Microsoft expected a client secret (or certificate) with the token request but received none. Either the product's secret field is empty, or an app that should be a public client is registered as a confidential (Web) app.",
            "Create a secret under the app registration's Certificates & secrets > New client secret, and paste its Value into the product. If the tool signing in is a desktop or device-code client, turn on Authentication > Allow public client flows instead.",
        ),
        Cause::SecretIsSecretId => d(
            "The Secret ID was used instead of the secret's value",
            "Certificates & secrets shows two things per secret: a Value (about 40 characters, usually with a ~) and a Secret ID (a GUID). Only the Value works as the password; the Secret ID merely names the secret.",
            "Copy the Value column for the secret. It is only displayed right after the secret is created; if it is hidden now, create a new client secret and copy its Value immediately.",
        ),
        Cause::SecretInvalid => d(
            "The client secret is wrong",
            "Microsoft rejected the secret: it is not the current value of any secret of this app. Typical reasons are the Secret ID pasted instead of the Value, a truncated copy, a secret of another app, or a secret that has since been deleted.",
            "In the app registration open Certificates & secrets, create a new client secret, copy its Value (not the Secret ID) straight away and paste it into the product; then remove secrets nobody uses.",
        ),
        Cause::SecretExpired => d(
            "The client secret has expired",
            "Every client secret has an end date. Once it passes, Microsoft refuses the secret, which is why an integration that worked for months suddenly stops for everyone at once.",
            "Create a new client secret under Certificates & secrets, put its Value into the product, confirm it works, then delete the expired one. Note the new end date and set a reminder two weeks before it (entra-setup reminders add).",
        ),
        Cause::SecretExpiringSoon => d(
            "The client secret expires soon",
            "The secret in use reaches its end date within 30 days. When it does, the integration stops working until a new secret is in place.",
            "Add a second secret now under Certificates & secrets, put its Value into the product and confirm it works, then delete the old secret. Both work side by side, so nobody is disconnected (entra-setup rotate-secret does this).",
        ),
        Cause::SecretLifetimePolicy => d(
            "A tenant policy limits client secrets",
            "The tenant's application management policy caps how long a secret may live, or forbids secrets altogether, so the secret as requested was refused.",
            "Create the secret with a shorter end date that fits the policy (ask your security team for the limit, or look in the Entra admin center under Identity > Applications > App registrations > the app, or the tenant-wide app management policy). If secrets are forbidden, use a certificate or ask for an exemption for this app.",
        ),
        Cause::PublicClientSentSecret => d(
            "A public client sent a secret",
            "The app is treated as a public client (desktop, mobile or device-code flow), and such clients must not present a secret or certificate. The token request included one anyway.",
            "If the product runs on a server and keeps a secret, register its redirect URI under the Web platform and turn off Authentication > Allow public client flows. If it really is a desktop client, remove the secret from its configuration.",
        ),
        Cause::CertificateAssertionInvalid => d(
            "The certificate assertion was rejected",
            "The app signed in with a certificate, but Microsoft could not validate the signed assertion: the certificate is not uploaded to this app, has expired, or the assertion was built for another app or tenant.",
            "Upload the certificate's public part (.cer) under the app registration's Certificates & secrets > Certificates, check its dates and thumbprint, and make sure the product signs with the matching private key.",
        ),
        Cause::CertificateExpired => d(
            "The certificate has expired",
            "A certificate credential works only between its start and end dates. Past its end date Microsoft refuses every assertion it signs, so the integration stops the day it ends.",
            "Make a new certificate, upload its public key beside the old one and switch the product to it; once it works, remove the expired certificate (entra-setup rotate-secret --credential certificate does this).",
        ),
        Cause::CertificateExpiringSoon => d(
            "The certificate expires soon",
            "The certificate in use reaches its end date within 30 days. When it does, the integration stops signing in until a new certificate is registered and in use.",
            "Add a second certificate now (both work side by side), move the product to it and confirm it works, then remove the old one (entra-setup rotate-secret --credential certificate).",
        ),
        Cause::CertificateNotRegistered => d(
            "The certificate is not registered on this app",
            "The assertion names its certificate by thumbprint, and no certificate with that thumbprint is among the app registration's certificates: it was never uploaded, was uploaded to another app, or has been removed.",
            "Upload the certificate's public key under the app registration's Certificates & secrets > Certificates (entra-setup register --credential certificate does it), check that the thumbprint shown there matches the one the product uses, and sign with that certificate's private key.",
        ),
        // Redirect URI and account type
        Cause::RedirectUriInvalid => d(
            "The redirect URI breaks Microsoft's rules",
            "Microsoft only accepts a Web redirect URI that is https:// (plain http:// only for localhost), has no spaces, no fragment, no wildcard, and no query string when personal accounts are allowed. The vendor guides also require no trailing slash, because the product sends the address without one.",
            "Compute the redirect URI from the product's https:// address plus its callback path, with no trailing slash or spaces, and enter it under the app registration's Authentication > Web > Redirect URIs.",
        ),
        Cause::RedirectUriMismatch => d(
            "The redirect URI does not match the registration",
            "The product asked Microsoft to send the user back to an address that is not registered for the app. Microsoft compares the two character for character: scheme, host, path, letter case and a trailing slash all count.",
            "In the Entra admin center open the app registration > Authentication, and under Web > Redirect URIs add exactly the address the product sends (the error page shows it), without a trailing slash, then save.",
        ),
        Cause::RedirectPlatformWrong => d(
            "The redirect URI is registered under the wrong platform",
            "The address is registered as a Single-page application or Mobile and desktop redirect, but the product redeems the sign-in on its server with a secret, which needs the Web platform (or the reverse).",
            "Under the app registration's Authentication, remove the URI from the Single-page application or Mobile and desktop section and add it under Web (Add a platform > Web).",
        ),
        Cause::AccountTypeMismatch => d(
            "The supported account types do not fit the product",
            "The app's Supported account types (its sign-in audience) differ from what the product needs: for example it accepts personal Microsoft accounts only, or only your own tenant when users from other organisations must connect.",
            "Change the app registration's Authentication > Supported account types to the type the product needs (single tenant for your own users, multiple tenants for other organisations). Users who already connected may have to reconnect.",
        ),
        Cause::UserNotInTenant => d(
            "The account is not a member of the tenant",
            "The user signed in with an account that does not exist in the tenant the app belongs to, often a personal Microsoft account or another organisation's account picked by the browser.",
            "Sign out of every Microsoft account in the browser (or use a private window) and sign in with the work account of this tenant. If outside users must connect, invite them as guests or make the app multi-tenant.",
        ),
        Cause::MultipleAccountsSignedIn => d(
            "The browser used another of the user's Microsoft accounts",
            "The browser holds sessions for more than one Microsoft account (a personal one, another organisation's, or the computer's own sign-in), and the sign-in or consent was completed with the wrong one, so Microsoft looked for that account in a tenant where it does not exist and the request went to the wrong organisation. The app registration itself can be fine.",
            "Have the user sign out of every Microsoft account in the browser, or open a private window, sign in with only the account meant for this integration and connect again. Choosing Use another account on Microsoft's account picker works too.",
        ),
        // Permissions and consent
        Cause::PermissionMissing => d(
            "A required permission is missing",
            "The app's token does not carry a permission the call needs: it is not in the app's API permissions, or it was added as the other type (delegated instead of application). Microsoft Graph therefore refused the request.",
            "In the app registration open API permissions > Add a permission > Microsoft Graph, pick the permission the product needs (Delegated or Application as its guide says), add it and choose Grant admin consent.",
        ),
        Cause::WrongPermissionType => d(
            "The permission has the wrong type",
            "Microsoft Graph has two kinds of permission with the same names: delegated (the app acts as a signed-in user) and application (the app acts as itself). The product uses one kind, but the other is configured.",
            "Under the app registration's API permissions, remove the permission of the wrong type, add the same name under Microsoft Graph > Delegated permissions or Application permissions as the product needs, and grant admin consent.",
        ),
        Cause::AdminConsentMissing => d(
            "Admin consent has not been granted",
            "The permissions are configured on the app but nobody has approved them for the organisation, so tokens are issued without them (for an application permission the token carries no roles at all).",
            "As a Global Administrator, Privileged Role Administrator or Cloud Application Administrator, open the app registration > API permissions and choose Grant admin consent for your organisation; every row should show a green tick.",
        ),
        Cause::ConsentRequired => d(
            "Consent is required",
            "The user or an administrator has not agreed to let the app use the permissions it asks for, or consent was declined. Until someone consents, Microsoft does not issue the token.",
            "Grant admin consent under the app registration's API permissions (Grant admin consent for your organisation), or send a Global Administrator the admin-consent link https://login.microsoftonline.com/<tenant ID>/adminconsent?client_id=<client ID>, then try again.",
        ),
        Cause::ExcessPermissions => d(
            "The app has more permissions than it needs",
            "The registration holds permissions the product does not use. They widen what a leaked secret could do without adding anything.",
            "Under the app registration's API permissions, remove the permissions the product does not need (choose the … menu > Remove permission), then revoke their admin consent.",
        ),
        Cause::ScopeInvalid => d(
            "The requested scope is invalid",
            "The token request asked for scopes Microsoft cannot issue together: a client-credentials request must ask for one resource's /.default (e.g. https://graph.microsoft.com/.default), and one request cannot mix scopes of several resources.",
            "Configure the product's scope: for app-only access use https://graph.microsoft.com/.default; for delegated access list the Graph scopes by name (e.g. Calendars.ReadWrite offline_access openid), all for the same resource.",
        ),
        Cause::ResourceNotFound => d(
            "The requested API does not exist in the tenant",
            "The token was requested for a resource (API) that has no service principal in this tenant, often a typo in the resource address or an API belonging to another tenant.",
            "Check the resource in the product's scope (https://graph.microsoft.com for Microsoft Graph, https://outlook.office365.com for Exchange). For a vendor's API, have an administrator consent to that vendor's app in this tenant first.",
        ),
        Cause::UserConsentBlocked => d(
            "Users are not allowed to consent",
            "The tenant's consent settings do not let ordinary users approve this app, so each user sees an approval request instead of a consent screen.",
            "Either grant admin consent for the whole organisation (Enterprise applications > the app > Permissions > Grant admin consent), or relax Enterprise applications > Consent and permissions > User consent settings if your policy allows it.",
        ),
        Cause::AdminConsentWorkflowDisabled => d(
            "Users cannot ask for admin approval",
            "The admin consent workflow is off, so a user who needs an app approved gets a dead end instead of a request form that reaches an administrator.",
            "In the Entra admin center open Identity > Applications > Enterprise applications > Admin consent settings, set Users can request admin consent to apps they are unable to consent to to Yes, pick the reviewers, and save.",
        ),
        Cause::InsufficientAdminRights => d(
            "The signed-in administrator lacks a role",
            "The administrator's account can sign in but does not hold a role that may read or change this setting, so Microsoft refused the request.",
            "Sign in with an account that holds the needed role (Application Administrator or Cloud Application Administrator for registrations, Privileged Role Administrator or Global Administrator for admin consent to application permissions, Exchange Administrator for mailbox settings), or have one activated in Privileged Identity Management.",
        ),
        Cause::ConsentPolicyUnrecognised => d(
            "User consent follows a policy of the tenant's own",
            "Users consent to apps under a permission grant policy the organisation wrote itself rather than one of Microsoft's built-in settings. Its conditions decide which permissions users may grant, so whether they can approve this app themselves cannot be told from here.",
            "Look at the policy's included and excluded conditions (Graph: GET /policies/permissionGrantPolicies/{id}/includes and /excludes), or grant admin consent for the organisation so that users never need to consent themselves.",
        ),
        Cause::ConsentRequestPending => d(
            "Requests for admin consent are waiting for a reviewer",
            "Users who could not approve the app themselves asked an administrator through the admin consent workflow. Nothing changes for them until a reviewer acts on the request.",
            "In the Microsoft Entra admin center open Enterprise apps > Admin consent requests > My Pending, select the app, choose Review permissions and consent, check what it asks for and accept (or deny with a reason); then ask the users to connect again.",
        ),
        // Sign-in policy
        Cause::ConditionalAccessBlocked => d(
            "Blocked by Conditional Access or security defaults",
            "A Conditional Access policy or the tenant's security defaults refused this sign-in, for example because of the location, the device or a legacy sign-in method.",
            "In the Entra admin center open Protection > Conditional Access > Sign-in logs (or Monitoring > Sign-in logs, the failed entry > Conditional Access tab) to see which policy applied, then sign in from a compliant device or location, or have the policy owner exclude this app or service account.",
        ),
        Cause::MfaRequired => d(
            "Multi-factor authentication is required",
            "The tenant requires a second factor for this account, and the sign-in method used cannot complete it (or the user has not registered a method yet).",
            "Use an interactive sign-in (browser or device code) so the user can complete MFA, and have the user register a method at https://aka.ms/mysecurityinfo if prompted. Background services should use application permissions instead of a user's password.",
        ),
        // Graph, mailbox, calendar
        Cause::TokenWrongAudience => d(
            "The token was issued for another service",
            "The access token is valid but meant for a different resource, for example a Microsoft Graph token sent to Exchange SMTP, or an Exchange token sent to Graph. Each service only accepts tokens issued for itself.",
            "Request the token with the scope of the service being called: https://graph.microsoft.com/.default (or Graph scope names) for Graph, https://outlook.office.com/SMTP.Send for SMTP AUTH.",
        ),
        Cause::TokenInvalid => d(
            "The access token is invalid or expired",
            "Microsoft Graph could not accept the token: it has expired, was cut short when copied, or was revoked (for example after a password reset), so the caller must get a new one.",
            "Sign in again or let the product request a fresh token; if a user's link keeps breaking, have them disconnect and reconnect their Microsoft account in the product.",
        ),
        Cause::MailboxUnavailable => d(
            "The user has no usable Exchange Online mailbox",
            "Microsoft Graph cannot reach the mailbox: the user has no Exchange Online licence, is a guest, or the mailbox is on-premises, inactive or soft-deleted.",
            "Assign a licence that includes Exchange Online in the Microsoft 365 admin center (Users > Active users > the user > Licenses and apps), wait for the mailbox to be created, and use a cloud mailbox for the integration.",
        ),
        Cause::MailboxIsShared => d(
            "The mailbox is a shared mailbox",
            "Shared mailboxes have no password or licence of their own and cannot sign in, so they cannot authenticate for SMTP AUTH or as the connecting user.",
            "Use a licensed user mailbox for the integration, or convert the shared mailbox to a regular one and assign it a licence (Exchange admin center > Recipients > Mailboxes > the mailbox > Convert to regular mailbox).",
        ),
        Cause::MailboxAccessPolicyDenied => d(
            "An application access policy keeps the app out of this mailbox",
            "Exchange Online restricts which mailboxes this app may read (an application access policy or RBAC for Applications), and this mailbox is outside the allowed group. Policy changes can take an hour or more to apply.",
            "Check in Exchange Online PowerShell: Test-ApplicationAccessPolicy -Identity <mailbox> -AppId <client ID>. If the mailbox should be allowed, add it to the policy's mail-enabled security group, then wait for the change to apply.",
        ),
        Cause::ObjectNotFound => d(
            "The user, mailbox or item was not found",
            "Microsoft Graph found no object with the given ID or address: a mistyped user principal name, a distribution list instead of a mailbox, a deleted item, or an object in another tenant.",
            "Check the address or ID (Microsoft 365 admin center > Users > Active users shows the user principal name) and that it is a user mailbox in this tenant.",
        ),
        Cause::UserNotConnected => d(
            "The user has not connected their account yet",
            "Nothing is wrong with the app registration: this user of the product has not yet linked their own Microsoft account (or no default account is set up for users who have not), so the product has no mailbox or calendar to work with for them.",
            "Ask the user to connect their Microsoft account from their own settings in the product (for Axero: My Calendar > Connect to Outlook), or have an administrator set up the product's default account; then try again.",
        ),
        // SMTP AUTH
        Cause::SmtpAuthDisabledTenant => d(
            "SMTP AUTH is turned off for the organisation",
            "Exchange Online refuses authenticated SMTP submission because it is disabled tenant-wide. This applies to OAuth (XOAUTH2) as well as to passwords.",
            "An Exchange Administrator runs in Exchange Online PowerShell: Set-TransportConfig -SmtpClientAuthenticationDisabled $false. Alternatively leave it off for the organisation and enable it for the sending mailbox only: Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false.",
        ),
        Cause::SmtpAuthDisabledMailbox => d(
            "SMTP AUTH is turned off for this mailbox",
            "The mailbox's own setting disables authenticated SMTP submission, which overrides the organisation-wide setting, so Exchange refuses even a valid OAuth token.",
            "Run in Exchange Online PowerShell: Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false, or in the Microsoft 365 admin center open Users > Active users > the user > Mail > Manage email apps and tick Authenticated SMTP. Changes can take up to an hour.",
        ),
        Cause::SmtpBasicAuthBlocked => d(
            "Password (basic) authentication was refused",
            "The client signed in to SMTP with a user name and password. Exchange Online no longer accepts basic authentication for SMTP, so the product must use OAuth (XOAUTH2) instead.",
            "Switch the product to Microsoft 365 OAuth sign-in for email (XOAUTH2 with the SMTP.Send permission). If it cannot do OAuth, send through Microsoft Graph or a relay connector instead of SMTP AUTH.",
        ),
        Cause::SmtpAuthFailed => d(
            "SMTP authentication failed",
            "Exchange Online rejected the XOAUTH2 login: the token was issued for another user than the one named in the login, for the wrong resource (a Graph token instead of an Outlook one), lacks SMTP.Send, or has expired.",
            "Request the token with the scope https://outlook.office.com/SMTP.Send for the same mailbox you log in as, make sure SMTP.Send is granted under API permissions, and check that SMTP AUTH is enabled for that mailbox (Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false).",
        ),
        Cause::SmtpUnreachable => d(
            "Cannot reach the SMTP server",
            "The connection to smtp.office365.com on port 587 failed before authentication: a firewall or DNS problem, STARTTLS not used, or a TLS interception device presenting an untrusted certificate.",
            "Allow outbound TCP 587 to smtp.office365.com, connect with STARTTLS (TLS 1.2 or later), and if a proxy inspects TLS, exclude this host or trust its certificate.",
        ),
        // IMAP
        Cause::ImapAuthFailed => d(
            "IMAP sign-in with OAuth failed",
            "Exchange Online refused the XOAUTH2 sign-in to IMAP without saying why: the token belongs to another user than the one named in the sign-in, was issued for another resource (a Graph token instead of an Outlook one), lacks IMAP.AccessAsUser.All, has expired, or IMAP is turned off for the mailbox.",
            "Request the token with the scope https://outlook.office.com/IMAP.AccessAsUser.All as the mailbox owner, sign in to IMAP with that same address, and make sure IMAP is on for the mailbox: Set-CASMailbox -Identity <mailbox> -ImapEnabled $true.",
        ),
        Cause::ImapDisabledMailbox => d(
            "IMAP is turned off for this mailbox",
            "Exchange Online accepted the OAuth token but would not open the mailbox over IMAP. The usual reason is that IMAP access is disabled in the mailbox's own settings, which no token can override.",
            "Run in Exchange Online PowerShell: Set-CASMailbox -Identity <mailbox> -ImapEnabled $true, or in the Microsoft 365 admin center open Users > Active users > the user > Mail > Manage email apps and tick IMAP. Changes can take up to an hour.",
        ),
        // Transient
        Cause::Throttled => d(
            "Microsoft is throttling requests",
            "Too many requests were sent in a short time, so Microsoft asked the caller to slow down. Nothing is misconfigured.",
            "Wait for the time given in the Retry-After header (or a minute) and try again; reduce how often the product polls if it keeps happening.",
        ),
        Cause::ServiceUnavailable => d(
            "Microsoft's service is temporarily unavailable",
            "The Microsoft service answered with a temporary server error. It says nothing about your configuration.",
            "Try again in a few minutes; if it persists, check the Microsoft 365 admin center > Health > Service health.",
        ),
        Cause::NetworkError => d(
            "Network problem",
            "The request never got a complete answer from Microsoft: a DNS failure, a refused or timed-out connection, a TLS problem, or a response cut short.",
            "Check the machine's internet access, DNS and any proxy or firewall rules for login.microsoftonline.com and graph.microsoft.com, then try again.",
        ),
        Cause::AddressMalformed => d(
            "Not an email address",
            "The mailbox or recipient is not a whole email address: it needs one @ between a name and a domain, with no spaces.",
            "Enter the mailbox's full address (its user principal name), such as intranet@yourcompany.com.",
        ),
        Cause::WriteOutcomeUnknown => d(
            "A change may or may not have been made",
            "A change was sent to Microsoft but its answer never arrived. The wizard read the directory to see whether Microsoft made it and carried on from what it found; it stops with this only when it still cannot tell, rather than risk making the change twice.",
            "Run the same command again: it finds what the first run made instead of making it twice. If a client secret whose value you never saw is named, delete it under the app's Certificates & secrets.",
        ),
        Cause::DisplayNameInvalid => d(
            "The app's name cannot be used",
            "The name for the new app registration is empty, longer than 256 characters, or holds a line break or another control character, which would be sent to Microsoft as part of the name.",
            "Enter a plain name on one line, such as the product's name and what it is for.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn every_cause_has_a_full_description() {
        for cause in Cause::iter() {
            let description = describe(cause);
            for (part, text) in [
                ("title", description.title),
                ("explanation", description.explanation),
                ("fix", description.fix),
            ] {
                assert!(text.len() >= 15, "{cause}: {part} too short");
                assert!(!text.contains("TODO"), "{cause}: {part}");
            }
            assert!(
                description.explanation.ends_with('.') && description.fix.ends_with('.'),
                "{cause}: sentences end with a full stop"
            );
        }
    }

    #[test]
    fn titles_are_distinct() {
        let mut titles: Vec<&str> = Cause::iter().map(|c| describe(c).title).collect();
        titles.sort_unstable();
        let count = titles.len();
        titles.dedup();
        assert_eq!(titles.len(), count);
    }

    #[test]
    fn smtp_fixes_give_the_exact_powershell() {
        assert!(
            describe(Cause::SmtpAuthDisabledTenant)
                .fix
                .contains("Set-TransportConfig -SmtpClientAuthenticationDisabled $false")
        );
        assert!(describe(Cause::SmtpAuthDisabledMailbox).fix.contains(
            "Set-CASMailbox -Identity <mailbox> -SmtpClientAuthenticationDisabled $false"
        ));
    }
}

//! Exchange Online PowerShell for what Microsoft Graph cannot change, shown with a copy button and
//! never run by the wizard: SMTP AUTH for the organisation and a mailbox, and — for an app-only
//! calendar connector — RBAC for Applications, which limits the app to the mailboxes it needs.
//!
//! RBAC for Applications replaces application access policies (`New-ApplicationAccessPolicy`),
//! which Microsoft asks not to create any more; existing ones keep working and their refusals
//! (`[RAOP]`) are still explained by the checks. The role assignment grants `Application
//! Calendars.Read` on a management scope (the members of a mail-enabled security group), and
//! `Test-ServicePrincipalAuthorization` shows whether a mailbox is in scope. Grants add up: while
//! the app also holds Calendars.Read with admin consent in Microsoft Entra ID it still reads every
//! mailbox, which the script says.
//!
//! [`for_profile`] decides which script a profile's mailbox or calendar step shows.

use crate::check::CheckId;
use crate::profile::{Profile, ProfileKind};

/// The example mailbox when none was entered.
pub const EXAMPLE_MAILBOX: &str = "mailbox@yourdomain.com";
/// The example mail-enabled security group that holds the mailboxes an app may read.
pub const EXAMPLE_GROUP: &str = "calendar-connector@yourdomain.com";

/// What is known about the app when the script is made.
#[derive(Debug, Clone, Copy, Default)]
pub struct AppFacts<'a> {
    /// The Application (client) ID.
    pub client_id: Option<&'a str>,
    /// The object ID of its enterprise application (service principal), once read.
    pub service_principal_id: Option<&'a str>,
    /// Its display name.
    pub display_name: Option<&'a str>,
}

impl<'a> AppFacts<'a> {
    /// What the verification so far tells about the app `client_id` of `profile`: the enterprise
    /// application's object ID from the `admin_consent` check's evidence, once it ran.
    pub fn from_results(
        profile: &'a Profile,
        client_id: Option<&'a str>,
        results: &'a [crate::verify::CheckResult],
    ) -> AppFacts<'a> {
        AppFacts {
            client_id,
            service_principal_id: results
                .iter()
                .find(|r| r.id == CheckId::AdminConsent)
                .and_then(|r| r.evidence["service_principal_id"].as_str()),
            display_name: Some(&profile.registration.suggested_name),
        }
    }
}

/// The script the mailbox or calendar step of `profile` shows: SMTP AUTH for a profile that
/// sends mail with it, RBAC for Applications for an app-only profile that reads calendars;
/// `None` for the others. `mailbox` is the one entered (an example when empty).
pub fn for_profile(profile: &Profile, app: AppFacts<'_>, mailbox: &str) -> Option<String> {
    let mailbox = if mailbox.trim().is_empty() {
        EXAMPLE_MAILBOX
    } else {
        mailbox
    };
    if profile.checks.contains(&CheckId::SmtpAuth) {
        Some(enable_smtp_auth(mailbox))
    } else if profile.checks.contains(&CheckId::CalendarAccess)
        && profile.kind == ProfileKind::AppOnly
    {
        Some(scope_calendar_access(app, mailbox))
    } else {
        None
    }
}

/// Turn SMTP AUTH on for the organisation and for `mailbox`.
pub fn enable_smtp_auth(mailbox: &str) -> String {
    let mailbox = quoted(mailbox);
    format!(
        "Connect-ExchangeOnline\n\
         Set-TransportConfig -SmtpClientAuthenticationDisabled $false\n\
         Set-CASMailbox -Identity {mailbox} -SmtpClientAuthenticationDisabled $false\n\
         Get-CASMailbox -Identity {mailbox} | Format-List SmtpClientAuthenticationDisabled"
    )
}

/// Limit the app to the members of a mail-enabled security group with RBAC for Applications,
/// then test it against `mailbox`.
pub fn scope_calendar_access(app: AppFacts<'_>, mailbox: &str) -> String {
    let client_id = quoted(app.client_id.unwrap_or("<Application (client) ID>"));
    let name = quoted(app.display_name.unwrap_or("Calendar connector"));
    let mailbox = quoted(mailbox);
    let group = quoted(EXAMPLE_GROUP);
    let find_sp = match app.service_principal_id {
        Some(id) => format!("$sp = {}\n", quoted(id)),
        None => format!(
            "# The object ID of the app's enterprise application (Entra admin center > Enterprise applications > the app > Object ID):\n\
             Connect-MgGraph -Scopes Application.Read.All\n\
             $sp = (Get-MgServicePrincipal -Filter \"appId eq {client_id}\").Id\n"
        ),
    };
    format!(
        "# RBAC for Applications in Exchange Online: the connector reads only the calendars of the\n\
         # members of one mail-enabled security group. Run as an Exchange Administrator.\n\
         {find_sp}\
         Connect-ExchangeOnline\n\
         New-ServicePrincipal -AppId {client_id} -ObjectId $sp -DisplayName {name}\n\
         $group = Get-DistributionGroup -Identity {group}\n\
         New-ManagementScope -Name 'Calendar connector mailboxes' -RecipientRestrictionFilter \"MemberOfGroup -eq '$($group.DistinguishedName)'\"\n\
         New-ManagementRoleAssignment -Name 'Calendar connector - Calendars.Read' -App $sp -Role 'Application Calendars.Read' -CustomResourceScope 'Calendar connector mailboxes'\n\
         # InScope is True for a mailbox of the group, False for any other:\n\
         Test-ServicePrincipalAuthorization -Identity $sp -Resource {mailbox} | Format-Table\n\
         # Grants add up: while the app also holds Calendars.Read with admin consent in Microsoft Entra ID,\n\
         # it still reads every mailbox. Once the test above is right, remove that consent\n\
         # (Enterprise applications > the app > Permissions) so that only this role assignment grants access."
    )
}

/// A single-quoted PowerShell string (quotes doubled).
fn quoted(value: &str) -> String {
    format!("'{}'", value.trim().replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Catalog;

    const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
    const SP: &str = "cccccccc-0000-0000-0000-000000000009";

    #[test]
    fn names_the_mailbox_quoted() {
        let script = enable_smtp_auth("intranet@contoso.com");
        assert!(script.contains("Set-CASMailbox -Identity 'intranet@contoso.com'"));
        assert!(enable_smtp_auth("o'neil@contoso.com").contains("'o''neil@contoso.com'"));
    }

    #[test]
    fn the_connector_is_scoped_with_rbac_for_applications() {
        let app = AppFacts {
            client_id: Some(APP),
            service_principal_id: Some(SP),
            display_name: Some("Exchange calendar synchronization"),
        };
        let script = scope_calendar_access(app, "room@contoso.com");
        for line in [
            format!("$sp = '{SP}'"),
            format!("New-ServicePrincipal -AppId '{APP}' -ObjectId $sp"),
            "New-ManagementScope -Name 'Calendar connector mailboxes' -RecipientRestrictionFilter".into(),
            "-App $sp -Role 'Application Calendars.Read' -CustomResourceScope 'Calendar connector mailboxes'".into(),
            "Test-ServicePrincipalAuthorization -Identity $sp -Resource 'room@contoso.com'".into(),
        ] {
            assert!(script.contains(&line), "{line}\n{script}");
        }
        assert!(!script.contains("New-ApplicationAccessPolicy"), "{script}");
        assert!(script.contains("Grants add up"), "{script}");

        let unknown = scope_calendar_access(
            AppFacts {
                client_id: Some(APP),
                ..AppFacts::default()
            },
            EXAMPLE_MAILBOX,
        );
        assert!(
            unknown.contains(&format!(
                "Get-MgServicePrincipal -Filter \"appId eq '{APP}'\""
            )),
            "{unknown}"
        );
    }

    #[test]
    fn each_profile_gets_the_script_of_its_step() {
        let catalog = Catalog::shipped();
        let script = |id: &str| {
            let profile = catalog.get(id).expect("profile");
            for_profile(profile, AppFacts::default(), "")
        };
        assert!(
            script("axero-m365-email").is_some_and(|s| s.contains("Set-CASMailbox")),
            "SMTP AUTH for the mail profile"
        );
        assert!(
            script("exchange-calendar-connector")
                .is_some_and(|s| s.contains("New-ManagementRoleAssignment")),
            "RBAC for Applications for the connector"
        );
        assert_eq!(script("odoo-outlook-calendar"), None);
    }
}

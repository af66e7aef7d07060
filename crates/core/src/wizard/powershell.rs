//! Exchange Online PowerShell for what Microsoft Graph cannot change: SMTP AUTH for the
//! organisation and a mailbox, and an application access policy that limits an app-only
//! connector to the mailboxes it needs. Shown with a copy button; never run by the wizard.

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

/// Limit the app `client_id` to the members of a mail-enabled security group, then test it
/// against `mailbox`.
pub fn restrict_calendar_access(client_id: &str, mailbox: &str) -> String {
    let app = quoted(client_id);
    let mailbox = quoted(mailbox);
    format!(
        "Connect-ExchangeOnline\n\
         New-ApplicationAccessPolicy -AppId {app} -PolicyScopeGroupId 'calendar-connector@yourdomain' -AccessRight RestrictAccess -Description 'Calendar connector mailboxes'\n\
         Test-ApplicationAccessPolicy -AppId {app} -Identity {mailbox}"
    )
}

/// A single-quoted PowerShell string (quotes doubled).
fn quoted(value: &str) -> String {
    format!("'{}'", value.trim().replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_mailbox_quoted() {
        let script = enable_smtp_auth("intranet@contoso.com");
        assert!(script.contains("Set-CASMailbox -Identity 'intranet@contoso.com'"));
        assert!(enable_smtp_auth("o'neil@contoso.com").contains("'o''neil@contoso.com'"));
    }

    #[test]
    fn the_policy_names_the_app() {
        let script = restrict_calendar_access("bbbbbbbb-0000-0000-0000-000000000001", "a@b.c");
        assert!(script.contains("-AppId 'bbbbbbbb-0000-0000-0000-000000000001'"));
    }
}

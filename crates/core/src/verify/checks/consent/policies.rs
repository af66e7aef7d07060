//! What the tenant's user-consent policies let users grant to this product: each
//! `ManagePermissionGrantsForSelf.*` entry of `permissionGrantPoliciesAssigned` read as one of
//! Microsoft's built-in policies, or as a policy of the tenant's own, and judged against the
//! product's delegated permissions.
//!
//! Microsoft's documentation ("Configure how users consent to applications", "Manage app consent
//! policies") is the source of the rules encoded here:
//! - `microsoft-user-default-legacy` ("Allow user consent for apps"): any permission that does not
//!   need an administrator, for any app.
//! - `microsoft-user-default-low` ("…from verified publishers, for selected permissions"): only the
//!   permissions the tenant classifies as low impact, for apps of verified publishers or registered
//!   in the tenant. The classification is the tenant's; the wizard assumes the one the admin center
//!   proposes ([`LOW_IMPACT`]).
//! - `microsoft-user-default-recommended` ("Let Microsoft manage your consent settings", the default
//!   of new tenants): any permission that does not need an administrator, except the ones Microsoft
//!   keeps for administrators ([`KEPT_FOR_ADMINISTRATORS`], the list Microsoft published in January
//!   2026). Microsoft changes that list without notice, so a pass under it says so.
//! - `microsoft-user-default-allow-consent-apps` (Microsoft's mail-client policy, also spelled
//!   `microsoft-user-allow-default-consent-apps` in Microsoft's text): mail permissions for six
//!   named mail apps only ([`MAIL_CLIENT_APPS`]); it never covers a product's own registration.
//! - Any other id is the tenant's own policy, whose conditions the wizard does not read: what it
//!   allows is not known.
//!
//! The prefix and the built-in ids are compared without regard to letter case (tenants return
//! `managePermissionGrantsForSelf.…` too). The `ManagePermissionGrantsForOwnedResource.*` (Teams)
//! entries are not about users consenting for themselves and are left out.

use crate::graph::PermissionCatalog;

/// Delegated permissions the `low` setting lets users grant: the classification the admin center
/// proposes as low impact.
pub const LOW_IMPACT: &[&str] = &["openid", "profile", "email", "offline_access", "User.Read"];

/// Delegated permissions Microsoft's managed policy (`microsoft-user-default-recommended`) keeps
/// for administrators although users could otherwise grant them, as Microsoft publishes the list
/// (Microsoft Graph's, then Office 365 Exchange Online's).
pub const KEPT_FOR_ADMINISTRATORS: &[&str] = &[
    "Files.Read.All",
    "Files.ReadWrite.All",
    "Sites.Read.All",
    "Sites.ReadWrite.All",
    "Mail.Read",
    "Mail.ReadWrite",
    "Mail.ReadBasic",
    "Mail.Read.Shared",
    "Mail.ReadBasic.Shared",
    "Mail.ReadWrite.Shared",
    "MailboxItem.Read",
    "Calendars.Read",
    "Calendars.ReadBasic",
    "Calendars.ReadWrite",
    "Calendars.Read.Shared",
    "Calendars.ReadWrite.Shared",
    "Chat.Read",
    "Chat.ReadWrite",
    "OnlineMeetings.Read",
    "OnlineMeetings.ReadWrite",
    "MailboxFolder.Read",
    "MailboxFolder.ReadWrite",
    "MailboxSettings.Read",
    "MailboxSettings.ReadWrite",
    "Contacts.ReadWrite",
    "Contacts.Read.Shared",
    "Contacts.ReadWrite.Shared",
    "Tasks.Read",
    "Tasks.Read.Shared",
    "Tasks.ReadWrite",
    "Tasks.ReadWrite.Shared",
    "People.Read",
    "EAS.AccessAsUser.All",
    "EWS.AccessAsUser.All",
    "IMAP.AccessAsUser.All",
    "POP.AccessAsUser.All",
];

/// The mail apps Microsoft's mail-client policy lets users approve (Apple Mail, Spark Email,
/// eM Client, Android-Samsung, Android-Mail, Thunderbird).
pub const MAIL_CLIENT_APPS: &[&str] = &[
    "f8d98a96-0999-43f5-8af3-69971c7bb423",
    "b50c1dbd-1855-4e54-b07c-d3c3029e93d3",
    "e9a7fea1-1cc0-4cd9-a31b-9137ca5deedd",
    "8acd33ea-7197-4a96-bc33-d7cc7101262f",
    "2cee05de-2b8f-45a2-8289-2a06ca32c4c8",
    "9e5f94bc-e8a4-4e73-b8be-63364c29d753",
];

const FOR_SELF: &str = "managepermissiongrantsforself.";

/// One policy under which users consent for themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserConsentPolicy {
    /// `microsoft-user-default-legacy`.
    Legacy,
    /// `microsoft-user-default-low`.
    LowImpact,
    /// `microsoft-user-default-recommended`.
    MicrosoftManaged,
    /// `microsoft-user-default-allow-consent-apps`.
    MailClients,
    /// A policy of the tenant's own: its id as assigned.
    Custom(String),
}

impl UserConsentPolicy {
    /// A short name for evidence.
    pub fn label(&self) -> &str {
        match self {
            UserConsentPolicy::Legacy => "legacy",
            UserConsentPolicy::LowImpact => "low",
            UserConsentPolicy::MicrosoftManaged => "recommended",
            UserConsentPolicy::MailClients => "mail_clients",
            UserConsentPolicy::Custom(_) => "custom",
        }
    }
}

/// The user-consent policies among `permissionGrantPoliciesAssigned`, with the id each came from.
pub fn user_consent_policies(assigned: &[String]) -> Vec<(String, UserConsentPolicy)> {
    assigned
        .iter()
        .filter_map(|id| {
            let lower = id.trim().to_ascii_lowercase();
            let rest = lower.strip_prefix(FOR_SELF)?;
            let policy = match rest {
                "microsoft-user-default-legacy" => UserConsentPolicy::Legacy,
                "microsoft-user-default-low" => UserConsentPolicy::LowImpact,
                "microsoft-user-default-recommended" => UserConsentPolicy::MicrosoftManaged,
                "microsoft-user-default-allow-consent-apps"
                | "microsoft-user-allow-default-consent-apps" => UserConsentPolicy::MailClients,
                _ => UserConsentPolicy::Custom(id.trim().to_string()),
            };
            Some((id.clone(), policy))
        })
        .collect()
}

/// What one policy means for the product's users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Users may grant everything the product asks for.
    Allows,
    /// Users may not; why.
    Blocks(String),
    /// It cannot be known from here; why.
    Unknown(String),
}

/// What the judgement of one policy needs to know about the product.
#[derive(Debug, Clone, Copy)]
pub struct Asking<'a> {
    /// The delegated permissions users would grant; `None` for a vendor's app, whose permissions
    /// the wizard does not know.
    pub delegated: Option<&'a [String]>,
    /// The app's client ID.
    pub client_id: &'a str,
    /// The Graph permission catalogue (which permissions only an administrator may grant).
    pub catalog: &'a PermissionCatalog,
}

fn names(list: &[&String]) -> String {
    list.iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The permissions among `delegated` that only an administrator may grant.
fn only_for_administrators<'a>(
    delegated: &'a [String],
    catalog: &PermissionCatalog,
) -> Vec<&'a String> {
    delegated
        .iter()
        .filter(|n| catalog.scope_needs_admin(n) == Some(true))
        .collect()
}

/// The judgement of `policy` for what the product asks.
pub fn verdict(policy: &UserConsentPolicy, asking: &Asking<'_>) -> Verdict {
    let needs_admin = |delegated| only_for_administrators(delegated, asking.catalog);
    match (policy, asking.delegated) {
        (UserConsentPolicy::Custom(id), _) => Verdict::Unknown(format!(
            "the tenant's own policy {id} decides, and the wizard cannot read what it allows"
        )),
        (UserConsentPolicy::MailClients, _)
            if MAIL_CLIENT_APPS
                .iter()
                .any(|a| a.eq_ignore_ascii_case(asking.client_id)) =>
        {
            Verdict::Allows
        }
        (UserConsentPolicy::MailClients, _) => Verdict::Blocks(
            "Microsoft's mail-client policy covers only six mail apps Microsoft names, not this one"
                .into(),
        ),
        (UserConsentPolicy::Legacy, None) => Verdict::Allows,
        (UserConsentPolicy::LowImpact, None) => Verdict::Unknown(
            "users may grant only low-impact permissions to apps of verified publishers, and the vendor's app likely asks for more"
                .into(),
        ),
        (UserConsentPolicy::MicrosoftManaged, None) => Verdict::Unknown(
            "under Microsoft's managed setting users may grant most permissions, but not mail, calendar, contacts, tasks, files, sites, chats or meetings, which vendors' apps often ask for"
                .into(),
        ),
        (UserConsentPolicy::Legacy, Some(delegated)) => {
            let admin = needs_admin(delegated);
            if admin.is_empty() {
                Verdict::Allows
            } else {
                Verdict::Blocks(format!(
                    "only an administrator may grant {}",
                    names(&admin)
                ))
            }
        }
        (UserConsentPolicy::LowImpact, Some(delegated)) => {
            let beyond: Vec<&String> = delegated
                .iter()
                .filter(|n| !LOW_IMPACT.iter().any(|l| l.eq_ignore_ascii_case(n)))
                .collect();
            if beyond.is_empty() {
                Verdict::Allows
            } else {
                Verdict::Blocks(format!(
                    "users may grant only low-impact permissions ({}), and {} are not among them",
                    LOW_IMPACT.join(", "),
                    names(&beyond)
                ))
            }
        }
        (UserConsentPolicy::MicrosoftManaged, Some(delegated)) => {
            let kept: Vec<&String> = delegated
                .iter()
                .filter(|n| {
                    KEPT_FOR_ADMINISTRATORS
                        .iter()
                        .any(|k| k.eq_ignore_ascii_case(n))
                })
                .collect();
            let admin = needs_admin(delegated);
            let unknown: Vec<&String> = delegated
                .iter()
                .filter(|n| asking.catalog.scope_needs_admin(n).is_none())
                .collect();
            if !kept.is_empty() {
                Verdict::Blocks(format!(
                    "Microsoft's managed setting keeps {} for administrators",
                    names(&kept)
                ))
            } else if !admin.is_empty() {
                Verdict::Blocks(format!(
                    "only an administrator may grant {}",
                    names(&admin)
                ))
            } else if !unknown.is_empty() {
                Verdict::Unknown(format!(
                    "whether users may grant {} is not known (Microsoft Graph's permission list does not name it)",
                    names(&unknown)
                ))
            } else {
                Verdict::Allows
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(ids: &[&str]) -> Vec<UserConsentPolicy> {
        let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        user_consent_policies(&ids)
            .into_iter()
            .map(|(_, p)| p)
            .collect()
    }

    #[test]
    fn built_in_ids_are_read_in_any_letter_case() {
        assert_eq!(
            read(&[
                "ManagePermissionGrantsForSelf.microsoft-user-default-legacy",
                "managePermissionGrantsForSelf.microsoft-user-default-low",
                "MANAGEPERMISSIONGRANTSFORSELF.Microsoft-User-Default-Recommended",
                "ManagePermissionGrantsForSelf.microsoft-user-default-allow-consent-apps",
                "ManagePermissionGrantsForSelf.contoso-policy",
                "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team",
            ]),
            [
                UserConsentPolicy::Legacy,
                UserConsentPolicy::LowImpact,
                UserConsentPolicy::MicrosoftManaged,
                UserConsentPolicy::MailClients,
                UserConsentPolicy::Custom("ManagePermissionGrantsForSelf.contoso-policy".into()),
            ]
        );
    }

    fn judge(policy: &UserConsentPolicy, delegated: Option<&[&str]>) -> Verdict {
        let owned: Option<Vec<String>> =
            delegated.map(|d| d.iter().map(|s| s.to_string()).collect());
        let catalog = PermissionCatalog::builtin();
        verdict(
            policy,
            &Asking {
                delegated: owned.as_deref(),
                client_id: "bbbbbbbb-0000-0000-0000-000000000001",
                catalog: &catalog,
            },
        )
    }

    #[test]
    fn microsofts_managed_setting_keeps_calendar_access_for_administrators() {
        let odoo = ["Calendars.ReadWrite", "offline_access", "openid"];
        assert!(matches!(
            judge(&UserConsentPolicy::MicrosoftManaged, Some(&odoo)),
            Verdict::Blocks(why) if why.contains("Calendars.ReadWrite") && !why.contains("openid")
        ));
        assert_eq!(
            judge(
                &UserConsentPolicy::MicrosoftManaged,
                Some(&["Mail.Send", "offline_access"])
            ),
            Verdict::Allows
        );
        assert!(matches!(
            judge(&UserConsentPolicy::MicrosoftManaged, Some(&["ApprovalSolution.Read"])),
            Verdict::Unknown(why) if why.contains("ApprovalSolution.Read")
        ));
        assert!(matches!(
            judge(&UserConsentPolicy::MicrosoftManaged, None),
            Verdict::Unknown(_)
        ));
    }

    #[test]
    fn the_other_built_in_policies() {
        let calendar = ["Calendars.ReadWrite", "offline_access"];
        assert_eq!(
            judge(&UserConsentPolicy::Legacy, Some(&calendar)),
            Verdict::Allows
        );
        assert!(matches!(
            judge(&UserConsentPolicy::LowImpact, Some(&calendar)),
            Verdict::Blocks(_)
        ));
        assert_eq!(
            judge(
                &UserConsentPolicy::LowImpact,
                Some(&["openid", "User.Read"])
            ),
            Verdict::Allows
        );
        assert!(matches!(
            judge(&UserConsentPolicy::MailClients, Some(&calendar)),
            Verdict::Blocks(_)
        ));
        assert!(matches!(
            judge(&UserConsentPolicy::Custom("x".into()), Some(&calendar)),
            Verdict::Unknown(why) if why.contains('x')
        ));
    }
}

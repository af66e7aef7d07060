//! The Microsoft Graph permission catalogue the stand-in serves on the Graph service principal: names, the
//! real permission GUIDs (reference/microsoft-wire.md §4.2) and whether admin consent is needed.
//!
//! Also the well-known first-party resources (Microsoft Graph, Office 365 Exchange Online) and which
//! delegated permissions count as "low impact" for the `low` user-consent setting, and which ones
//! Microsoft's managed (`recommended`) setting keeps for administrators.

/// The Microsoft Graph resource application ID.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
/// The Office 365 Exchange Online resource application ID.
pub const EXCHANGE_APP_ID: &str = "00000002-0000-0ff1-ce00-000000000000";
/// The tenant that owns Microsoft's first-party apps.
pub const MICROSOFT_SERVICES_TENANT: &str = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

/// One permission of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permission {
    /// The `value` (e.g. `Calendars.Read`).
    pub value: &'static str,
    /// The permission GUID.
    pub id: &'static str,
    /// Delegated: whether only an admin may consent (`type: "Admin"`).
    pub admin_only: bool,
    /// The display name shown on consent screens.
    pub display_name: &'static str,
}

const fn p(
    value: &'static str,
    id: &'static str,
    admin_only: bool,
    display_name: &'static str,
) -> Permission {
    Permission {
        value,
        id,
        admin_only,
        display_name,
    }
}

/// Microsoft Graph delegated permissions (`oauth2PermissionScopes`).
pub const GRAPH_DELEGATED: &[Permission] = &[
    p(
        "Calendars.Read",
        "465a38f9-76ea-45b9-9f34-9e8b0d4b0b42",
        false,
        "Read user calendars",
    ),
    p(
        "Calendars.ReadWrite",
        "1ec239c2-d7c9-4623-a91a-a9775856bb36",
        false,
        "Have full access to user calendars",
    ),
    p(
        "Calendars.Read.Shared",
        "2b9c4092-424d-4249-948d-b43879977640",
        false,
        "Read user and shared calendars",
    ),
    p(
        "Calendars.ReadWrite.Shared",
        "12466101-c9b8-439a-8589-dd09ee67e8e9",
        false,
        "Read and write user and shared calendars",
    ),
    p(
        "Mail.Send",
        "e383f46e-2787-4529-855e-0e479a3ffac0",
        false,
        "Send mail as a user",
    ),
    p(
        "Mail.Send.Shared",
        "a367ab51-6b49-43bf-a716-a1fb06d2a174",
        false,
        "Send mail on behalf of others",
    ),
    p(
        "Mail.Read",
        "570282fd-fa5c-430d-a7fd-fc8dc98a9dca",
        false,
        "Read user mail",
    ),
    p(
        "Mail.ReadWrite",
        "024d486e-b451-40bb-833d-3e66d98c5c73",
        false,
        "Read and write access to user mail",
    ),
    p(
        "MailboxSettings.Read",
        "87f447af-9fa4-4c32-9dfa-4a57a73d18ce",
        false,
        "Read user mailbox settings",
    ),
    p(
        "offline_access",
        "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
        false,
        "Maintain access to data you have given it access to",
    ),
    p(
        "openid",
        "37f7f235-527c-4136-accd-4a02d197296e",
        false,
        "Sign users in",
    ),
    p(
        "profile",
        "14dad69e-099b-42c9-810b-d002981feec1",
        false,
        "View users' basic profile",
    ),
    p(
        "email",
        "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
        false,
        "View users' email address",
    ),
    p(
        "User.Read",
        "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
        false,
        "Sign in and read user profile",
    ),
    p(
        "User.ReadBasic.All",
        "b340eb25-3456-403f-be2f-af7a0d370277",
        false,
        "Read all users' basic profiles",
    ),
    p(
        "User.Read.All",
        "a154be20-db9c-4678-8ab7-66f6cc099a59",
        true,
        "Read all users' full profiles",
    ),
    p(
        "SMTP.Send",
        "258f6531-6087-4cc4-bb90-092c5fb3ed3f",
        false,
        "Send emails from mailboxes using SMTP AUTH.",
    ),
    p(
        "IMAP.AccessAsUser.All",
        "652390e4-393a-48de-9484-05f9b1212954",
        false,
        "Read and write access to mailboxes via IMAP.",
    ),
    p(
        "POP.AccessAsUser.All",
        "d7b7f2d9-0f45-4ea1-9d42-e50810c06991",
        false,
        "Read and write access to mailboxes via POP.",
    ),
    p(
        "EWS.AccessAsUser.All",
        "9769c687-087d-48ac-9cb3-c37dde652038",
        false,
        "Access mailboxes as the signed-in user via Exchange Web Services",
    ),
    p(
        "Application.Read.All",
        "c79f8feb-a9db-4090-85f9-90d820caa0eb",
        true,
        "Read applications",
    ),
    p(
        "Application.ReadWrite.All",
        "bdfbf15f-ee85-4955-8675-146e8e5296b5",
        true,
        "Read and write all applications",
    ),
    p(
        "AppRoleAssignment.ReadWrite.All",
        "84bccea3-f856-4a8a-967b-dbe0a3d53a64",
        true,
        "Manage app permission grants and app role assignments",
    ),
    p(
        "ConsentRequest.Read.All",
        "f3bfad56-966e-4590-a536-82ecf548ac1e",
        true,
        "Read consent requests",
    ),
    p(
        "ConsentRequest.ReadWrite.All",
        "497d9dfa-3bd1-481a-baab-90895e54568c",
        true,
        "Read and write consent requests",
    ),
    p(
        "DelegatedPermissionGrant.Read.All",
        "a197cdc4-a8e8-4d49-9d35-4ca7c83887b4",
        true,
        "Read delegated permission grants",
    ),
    p(
        "DelegatedPermissionGrant.ReadWrite.All",
        "41ce6ca6-6826-4807-84f1-1c82854f7ee5",
        true,
        "Manage all delegated permission grants",
    ),
    p(
        "Directory.Read.All",
        "06da0dbc-49e2-44d2-8312-53f166ab848a",
        true,
        "Read directory data",
    ),
    p(
        "Directory.ReadWrite.All",
        "c5366453-9fb0-48a5-a156-24f0c49a4b84",
        true,
        "Read and write directory data",
    ),
    p(
        "Policy.Read.All",
        "572fea84-0151-49b2-9301-11cb16974376",
        true,
        "Read your organization's policies",
    ),
    p(
        "Policy.ReadWrite.Authorization",
        "edd3c878-b384-41fd-95ad-e7407dd775be",
        true,
        "Read and write your organization's authorization policy",
    ),
    p(
        "Policy.ReadWrite.PermissionGrant",
        "2672f8bb-fd5e-42e0-85e1-ec764dd2614e",
        true,
        "Manage consent and permission grant policies",
    ),
];

/// Microsoft Graph application permissions (`appRoles`).
pub const GRAPH_APPLICATION: &[Permission] = &[
    p(
        "Calendars.Read",
        "798ee544-9d2d-430c-a058-570e29e34338",
        true,
        "Read calendars in all mailboxes",
    ),
    p(
        "Calendars.ReadWrite",
        "ef54d2bf-783f-4e0f-bca1-3210c0444d99",
        true,
        "Read and write calendars in all mailboxes",
    ),
    p(
        "Mail.Send",
        "b633e1c5-b582-4048-a93e-9f11b44c7e96",
        true,
        "Send mail as any user",
    ),
    p(
        "Mail.Read",
        "810c84a8-4a9e-49e6-bf7d-12d183f40d01",
        true,
        "Read mail in all mailboxes",
    ),
    p(
        "Mail.ReadWrite",
        "e2a3a72e-5f79-4c64-b1b1-878b674786c9",
        true,
        "Read and write mail in all mailboxes",
    ),
    p(
        "MailboxSettings.Read",
        "40f97065-3a51-4b93-8ddf-c9e8b9e1b73c",
        true,
        "Read all user mailbox settings",
    ),
    p(
        "Application.Read.All",
        "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
        true,
        "Read all applications",
    ),
    p(
        "Application.ReadWrite.All",
        "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
        true,
        "Read and write all applications",
    ),
    p(
        "Application.ReadWrite.OwnedBy",
        "18a4783c-866b-4cc7-a460-3d5e5662c884",
        true,
        "Manage apps that this app creates or owns",
    ),
    p(
        "AppRoleAssignment.ReadWrite.All",
        "06b708a9-e830-4db3-a914-8e69da51d44f",
        true,
        "Manage app permission grants and app role assignments",
    ),
    p(
        "ConsentRequest.Read.All",
        "1260ad83-98fb-4785-abbb-d6cc1806fd41",
        true,
        "Read all consent requests",
    ),
    p(
        "ConsentRequest.ReadWrite.All",
        "9f1b81a7-0223-4428-bfa4-0bcb5535f27d",
        true,
        "Read and write all consent requests",
    ),
    p(
        "DelegatedPermissionGrant.Read.All",
        "81b4724a-58aa-41c1-8a55-84ef97466587",
        true,
        "Read all delegated permission grants",
    ),
    p(
        "DelegatedPermissionGrant.ReadWrite.All",
        "8e8e4742-1d95-4f68-9d56-6ee75648c72a",
        true,
        "Manage all delegated permission grants",
    ),
    p(
        "Directory.Read.All",
        "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
        true,
        "Read directory data",
    ),
    p(
        "Directory.ReadWrite.All",
        "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
        true,
        "Read and write directory data",
    ),
    p(
        "Policy.Read.All",
        "246dd0d5-5bd0-4def-940b-0421030a5b68",
        true,
        "Read your organization's policies",
    ),
    p(
        "User.Read.All",
        "df021288-bdef-4463-88db-98f22de89214",
        true,
        "Read all users' full profiles",
    ),
    p(
        "User.ReadBasic.All",
        "97235f07-e226-4f63-ace3-39588e11d3a1",
        true,
        "Read all users' basic profiles",
    ),
];

/// Delegated permissions a user may consent to under the `low` setting.
pub const LOW_IMPACT: &[&str] = &["openid", "profile", "email", "offline_access", "User.Read"];

/// Delegated permissions Microsoft's managed user-consent policy (`microsoft-user-default-recommended`,
/// "Let Microsoft manage your consent settings") keeps for administrators although users could
/// otherwise grant them: the list Microsoft publishes in "Manage app consent policies" (January 2026),
/// Microsoft Graph's and Exchange Online's together. Names compare case-insensitively.
pub const RECOMMENDED_EXCLUDED: &[&str] = &[
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

/// Delegated permissions that belong to Exchange Online (tokens for `https://outlook.office.com`).
pub const EXCHANGE_SCOPES: &[&str] = &[
    "SMTP.Send",
    "IMAP.AccessAsUser.All",
    "POP.AccessAsUser.All",
    "EWS.AccessAsUser.All",
];

/// OpenID Connect scopes that never appear in an access token's `scp` for a resource of their own.
pub const OIDC_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access"];

/// Looks up a delegated Graph permission by name.
pub fn delegated(value: &str) -> Option<&'static Permission> {
    GRAPH_DELEGATED
        .iter()
        .find(|permission| permission.value == value)
}

/// Looks up an application Graph permission by name.
pub fn application(value: &str) -> Option<&'static Permission> {
    GRAPH_APPLICATION
        .iter()
        .find(|permission| permission.value == value)
}

/// Looks up any Graph permission by GUID: `(permission, is_application)`.
pub fn by_id(id: &str) -> Option<(&'static Permission, bool)> {
    GRAPH_DELEGATED
        .iter()
        .find(|permission| permission.id.eq_ignore_ascii_case(id))
        .map(|permission| (permission, false))
        .or_else(|| {
            GRAPH_APPLICATION
                .iter()
                .find(|permission| permission.id.eq_ignore_ascii_case(id))
                .map(|p| (p, true))
        })
}

/// A resource (API) a token can be issued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// Microsoft Graph.
    Graph,
    /// Office 365 Exchange Online (SMTP, IMAP, EWS).
    Exchange,
}

impl Resource {
    /// The resource's application ID.
    pub fn app_id(self) -> &'static str {
        match self {
            Resource::Graph => GRAPH_APP_ID,
            Resource::Exchange => EXCHANGE_APP_ID,
        }
    }

    /// The display name of its service principal.
    pub fn display_name(self) -> &'static str {
        match self {
            Resource::Graph => "Microsoft Graph",
            Resource::Exchange => "Office 365 Exchange Online",
        }
    }

    /// Resolves a resource identifier (URI or app ID) to a known resource and the canonical `aud` value.
    pub fn from_identifier(identifier: &str) -> Option<(Resource, String)> {
        let trimmed = identifier.trim_end_matches('/');
        let lower = trimmed.to_ascii_lowercase();
        match lower.as_str() {
            "https://graph.microsoft.com" | "https://graph.microsoft.com/v1.0" => {
                Some((Resource::Graph, "https://graph.microsoft.com".to_owned()))
            }
            GRAPH_APP_ID => Some((Resource::Graph, GRAPH_APP_ID.to_owned())),
            "https://outlook.office.com" => {
                Some((Resource::Exchange, "https://outlook.office.com".to_owned()))
            }
            "https://outlook.office365.com" => Some((
                Resource::Exchange,
                "https://outlook.office365.com".to_owned(),
            )),
            EXCHANGE_APP_ID => Some((Resource::Exchange, EXCHANGE_APP_ID.to_owned())),
            _ => None,
        }
    }
}

/// Whether the `aud` of a token names Microsoft Graph.
pub fn is_graph_audience(aud: &str) -> bool {
    matches!(Resource::from_identifier(aud), Some((Resource::Graph, _)))
}

/// Whether the `aud` of a token names Exchange Online.
pub fn is_exchange_audience(aud: &str) -> bool {
    matches!(
        Resource::from_identifier(aud),
        Some((Resource::Exchange, _))
    )
}

/// Delegated permissions of `resource` among `names`: Graph tokens carry every consented Graph scope (as
/// real ones do, OIDC scopes and SMTP.Send included); Exchange tokens carry only the mail-protocol scopes.
pub fn delegated_for(resource: Resource, names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter(|name| match resource {
            Resource::Exchange => EXCHANGE_SCOPES.contains(&name.as_str()),
            Resource::Graph => true,
        })
        .cloned()
        .collect()
}

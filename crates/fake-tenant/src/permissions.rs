//! The permissions the stand-in knows, as its identity platform and Graph see them: Microsoft's
//! whole Graph catalogue and the Office 365 Exchange Online permissions of `entra-graph-catalogue`
//! (real IDs, real `type`), the well-known first-party resources, and the lists behind the user
//! consent settings — which delegated permissions count as "low impact" for `low`, and which ones
//! Microsoft's managed (`recommended`) setting keeps for administrators.
//!
//! Who may consent to a delegated permission follows its `type`: `Admin` ones need an administrator
//! whatever the tenant's setting ([`Permission::admin_only`]). No public source states the `type`
//! of Exchange Online's delegated permissions; the stand-in gives each the `type` of Microsoft
//! Graph's permission of the same name, and `Admin` where Graph has none ([`exchange_scope_type`]).

use entra_graph_catalogue::{self as catalogue, ConsentType, Kind};

/// The Microsoft Graph resource application ID.
pub const GRAPH_APP_ID: &str = catalogue::GRAPH_APP_ID;
/// The Office 365 Exchange Online resource application ID.
pub const EXCHANGE_APP_ID: &str = catalogue::EXCHANGE_ONLINE_APP_ID;
/// The tenant that owns Microsoft's first-party apps.
pub const MICROSOFT_SERVICES_TENANT: &str = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

/// One Microsoft Graph permission, as the stand-in's consent and token code use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permission {
    /// The `value` (e.g. `Calendars.Read`).
    pub value: &'static str,
    /// The permission GUID.
    pub id: &'static str,
    /// Only an admin may consent: an application permission, or a delegated one of `type` `Admin`.
    pub admin_only: bool,
    /// The display name shown on consent screens.
    pub display_name: &'static str,
}

impl Permission {
    fn of(entry: &'static catalogue::Permission) -> Permission {
        Permission {
            value: entry.value,
            id: entry.id,
            admin_only: entry.kind == Kind::Role || entry.consent_type != Some(ConsentType::User),
            display_name: entry.display_name,
        }
    }
}

/// Looks up a delegated Graph permission by name.
pub fn delegated(value: &str) -> Option<Permission> {
    catalogue::MICROSOFT_GRAPH
        .find(Kind::Scope, value)
        .map(Permission::of)
}

/// Looks up an application Graph permission by name.
pub fn application(value: &str) -> Option<Permission> {
    catalogue::MICROSOFT_GRAPH
        .find(Kind::Role, value)
        .map(Permission::of)
}

/// Looks up a delegated Graph permission by GUID.
pub fn scope_by_id(id: &str) -> Option<Permission> {
    catalogue::MICROSOFT_GRAPH
        .by_id(Kind::Scope, id)
        .map(Permission::of)
}

/// Looks up an application Graph permission by GUID.
pub fn role_by_id(id: &str) -> Option<Permission> {
    catalogue::MICROSOFT_GRAPH
        .by_id(Kind::Role, id)
        .map(Permission::of)
}

/// Looks up any Graph permission by GUID: `(permission, is_application)`. The one GUID Microsoft
/// gives both kinds (`User.Export.All`) resolves to the application permission; look it up with
/// [`scope_by_id`] or [`role_by_id`] when the kind is known.
pub fn by_id(id: &str) -> Option<(Permission, bool)> {
    role_by_id(id)
        .map(|permission| (permission, true))
        .or_else(|| scope_by_id(id).map(|permission| (permission, false)))
}

/// How a scenario names an Office 365 Exchange Online permission in `permissions` and `consented`:
/// `exchange_online:IMAP.AccessAsUser.All`. A name without it is Microsoft Graph's.
pub const EXCHANGE_PREFIX: &str = "exchange_online:";

/// The resource a scenario's permission name belongs to, and the bare name.
pub fn split_resource(name: &str) -> (Resource, &str) {
    match name.strip_prefix(EXCHANGE_PREFIX) {
        Some(bare) => (Resource::Exchange, bare),
        None => (Resource::Graph, name),
    }
}

/// A permission name as a scenario writes it: Exchange Online's with [`EXCHANGE_PREFIX`].
pub fn scenario_name(resource: Resource, name: &str) -> String {
    match resource {
        Resource::Graph => name.to_owned(),
        Resource::Exchange => format!("{EXCHANGE_PREFIX}{name}"),
    }
}

/// Looks up a delegated permission of `resource` by name. Exchange Online's take the `type`
/// [`exchange_scope_type`] gives them.
pub fn delegated_of(resource: Resource, value: &str) -> Option<Permission> {
    let entry = resource.catalogue().find(Kind::Scope, value)?;
    let mut permission = Permission::of(entry);
    if resource == Resource::Exchange {
        permission.admin_only = exchange_scope_type(entry) == ConsentType::Admin;
    }
    Some(permission)
}

/// Looks up an application permission of `resource` by name.
pub fn application_of(resource: Resource, value: &str) -> Option<Permission> {
    resource
        .catalogue()
        .find(Kind::Role, value)
        .map(Permission::of)
}

/// Whether `resource` has a delegated permission named exactly `value`.
pub fn is_scope_of(resource: Resource, value: &str) -> bool {
    resource.catalogue().find(Kind::Scope, value).is_some()
}

/// The `type` the stand-in gives an Exchange Online delegated permission: the catalogue's when it
/// states one, else that of Microsoft Graph's permission of the same name, else `Admin`.
pub fn exchange_scope_type(scope: &catalogue::Permission) -> ConsentType {
    scope.consent_type.unwrap_or_else(|| {
        catalogue::MICROSOFT_GRAPH
            .find(Kind::Scope, scope.value)
            .and_then(|graph| graph.consent_type)
            .unwrap_or(ConsentType::Admin)
    })
}

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
        self.catalogue().display_name()
    }

    /// Its permissions: the `appRoles` and `oauth2PermissionScopes` its service principal serves.
    pub fn catalogue(self) -> &'static catalogue::Resource {
        match self {
            Resource::Graph => &catalogue::MICROSOFT_GRAPH,
            Resource::Exchange => &catalogue::EXCHANGE_ONLINE,
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

/// Delegated permissions of `resource` among `names` (what was consented on that resource, and for
/// Exchange Online also the mail-protocol scopes consented under Microsoft Graph's names, which the
/// admin center offers there too): Graph tokens carry every consented Graph scope (as real ones do,
/// OIDC scopes and SMTP.Send included); Exchange tokens carry its own scopes.
pub fn delegated_for(resource: Resource, names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter(|name| match resource {
            Resource::Exchange => {
                EXCHANGE_SCOPES.contains(&name.as_str()) || is_scope_of(Resource::Exchange, name)
            }
            Resource::Graph => true,
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_names_carry_their_resource() {
        assert_eq!(
            split_resource("exchange_online:IMAP.AccessAsUser.All"),
            (Resource::Exchange, "IMAP.AccessAsUser.All")
        );
        assert_eq!(split_resource("Mail.Send"), (Resource::Graph, "Mail.Send"));
        assert_eq!(
            scenario_name(Resource::Exchange, "SMTP.Send"),
            "exchange_online:SMTP.Send"
        );
        let imap = delegated_of(Resource::Exchange, "IMAP.AccessAsUser.All").expect("scope");
        assert_eq!(imap.id, "195adc35-e27b-454b-a7ed-1ecdffa1c09f");
        assert!(!imap.admin_only);
        assert!(
            application_of(Resource::Exchange, "full_access_as_app")
                .expect("role")
                .admin_only
        );
        assert_eq!(delegated_of(Resource::Exchange, "Files.Read"), None);
    }

    #[test]
    fn who_may_consent_follows_the_catalogues_type() {
        let user_type = delegated("Files.Read").expect("Files.Read");
        let admin_type = delegated("Group.Read.All").expect("Group.Read.All");
        assert!(!user_type.admin_only);
        assert!(admin_type.admin_only);
        assert!(application("Files.Read.All").expect("role").admin_only);
        assert_eq!(delegated("Files.Reed"), None);
    }

    #[test]
    fn the_guid_both_kinds_share_resolves_by_kind() {
        let id = "405A51B5-8D8D-430B-9842-8BE4B0E9F324";
        assert_eq!(
            by_id(id).map(|(p, is_app)| (p.value, is_app)),
            Some(("User.Export.All", true))
        );
        assert_eq!(scope_by_id(id).map(|p| p.value), Some("User.Export.All"));
        assert_eq!(
            by_id("e1fe6dd8-ba31-4d61-89e7-88639da4683d").map(|(p, is_app)| (p.value, is_app)),
            Some(("User.Read", false))
        );
    }

    #[test]
    fn exchange_scopes_take_graphs_type_or_admin() {
        let exchange = Resource::Exchange.catalogue();
        let scope = |name| exchange.find(Kind::Scope, name).expect(name);
        assert_eq!(
            exchange_scope_type(scope("IMAP.AccessAsUser.All")),
            ConsentType::User
        );
        assert_eq!(
            exchange_scope_type(scope("Exchange.Manage")),
            ConsentType::Admin
        );
        assert_eq!(
            Resource::Exchange.display_name(),
            "Office 365 Exchange Online"
        );
    }
}

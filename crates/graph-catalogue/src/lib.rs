//! Microsoft's permission catalogues as data, for the stand-in tenant (which serves them) and for
//! the core (whose offline fallback resolves names and IDs with them).
//!
//! - [`MICROSOFT_GRAPH`]: every application permission (`appRoles`, 337) and delegated permission
//!   (`oauth2PermissionScopes`, 403) of the Microsoft Graph service principal (appId
//!   `00000003-0000-0000-c000-000000000000`), with their real IDs, display names, descriptions and,
//!   for delegated ones, their `type` (`User`: users may consent for themselves where the tenant's
//!   user consent setting allows; `Admin`: only an administrator can). Source:
//!   `data/microsoft-graph-2023-02.json`, a byte-for-byte copy of
//!   `shared/conformance/graph-service-principal/microsoft-graph-2023-02.json`: the service
//!   principal as `GET /v1.0/servicePrincipals(appId='00000003-…')` returned it in February 2023,
//!   sorted by `value`, from a snapshot taken with Graph PowerShell and kept in the Apache-2.0
//!   licensed repository adamedx/autographps-sdk (`src/common/DefaultScopeData.ps1`, commit
//!   77951fa); only its JSON was kept, and single-element `allowedMemberTypes` restored to arrays.
//!   The data itself is Microsoft's. Permissions added after February 2023 are missing; Microsoft
//!   never reuses or changes an ID. One ID is shared by an application and a delegated permission
//!   (`User.Export.All`), so look IDs up with their kind. Later permissions this product uses are
//!   added from `data/microsoft-graph-additions.json`, each entry citing its source
//!   (`DelegatedPermissionGrant.Read.All`, application and delegated).
//! - [`EXCHANGE_ONLINE`]: the Office 365 Exchange Online permissions mail and calendar integrations
//!   use (`full_access_as_app`, `IMAP.AccessAsApp`, `SMTP.SendAsApp`, `EWS.AccessAsUser.All`, …),
//!   from `data/exchange-online.json`, where each entry names the public source of its ID. No source
//!   states the `type` of its delegated permissions, so [`Permission::consent_type`] is `None` there.
//!
//! `build.rs` turns the JSON into static tables sorted by `value` (and an index sorted by ID), so
//! every lookup is a binary search and nothing is parsed at run time. What this crate does not do:
//! decide anything (who may consent, which permission a profile needs) — its users do.

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

use std::cmp::Ordering;

/// The Microsoft Graph resource application ID.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
/// The Office 365 Exchange Online resource application ID.
pub const EXCHANGE_ONLINE_APP_ID: &str = "00000002-0000-0ff1-ce00-000000000000";

/// A delegated permission (`oauth2PermissionScopes`) or an application permission (`appRoles`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Delegated: `type: "Scope"` in `requiredResourceAccess`.
    Scope,
    /// Application: `type: "Role"` in `requiredResourceAccess`.
    Role,
}

impl Kind {
    /// The `type` of a `requiredResourceAccess` entry: `Scope` or `Role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Scope => "Scope",
            Kind::Role => "Role",
        }
    }
}

/// Who may consent to a delegated permission: its `type` on the service principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsentType {
    /// Users may consent for themselves, where the tenant's user consent setting allows.
    User,
    /// Only an administrator may consent.
    Admin,
}

impl ConsentType {
    /// The `type` value as Graph serves it: `User` or `Admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentType::User => "User",
            ConsentType::Admin => "Admin",
        }
    }
}

/// One permission of a resource, as its service principal lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Permission {
    /// The name (`value`), e.g. `Calendars.Read`.
    pub value: &'static str,
    /// The permission ID (lower case), the same in every tenant.
    pub id: &'static str,
    /// Delegated or application.
    pub kind: Kind,
    /// Delegated permissions: their `type`. `None` for application permissions (only an
    /// administrator grants those) and where the source does not state it.
    pub consent_type: Option<ConsentType>,
    /// `displayName` of an app role, `adminConsentDisplayName` of a scope.
    pub display_name: &'static str,
    /// `description` of an app role, `adminConsentDescription` of a scope.
    pub description: &'static str,
    /// `userConsentDisplayName` of a scope, when known.
    pub user_consent_display_name: Option<&'static str>,
    /// `userConsentDescription` of a scope, when known.
    pub user_consent_description: Option<&'static str>,
    /// Where the ID was read, for permissions not taken from the 2023 snapshot of Microsoft Graph's
    /// service principal (Graph's later additions, Exchange Online's); `None` for the snapshot's.
    pub source: Option<&'static str>,
}

/// A resource (API) and its permissions.
#[derive(Debug)]
pub struct Resource {
    app_id: &'static str,
    display_name: &'static str,
    roles: &'static [Permission],
    roles_by_id: &'static [u16],
    scopes: &'static [Permission],
    scopes_by_id: &'static [u16],
}

/// Microsoft Graph: the 337 application and 403 delegated permissions of February 2023, and the
/// later ones of `data/microsoft-graph-additions.json`.
pub static MICROSOFT_GRAPH: Resource = Resource {
    app_id: GRAPH_APP_ID_DATA,
    display_name: GRAPH_DISPLAY_NAME_DATA,
    roles: &GRAPH_ROLES,
    roles_by_id: &GRAPH_ROLES_BY_ID,
    scopes: &GRAPH_SCOPES,
    scopes_by_id: &GRAPH_SCOPES_BY_ID,
};

/// Office 365 Exchange Online: the permissions mail and calendar integrations use.
pub static EXCHANGE_ONLINE: Resource = Resource {
    app_id: EXCHANGE_APP_ID_DATA,
    display_name: EXCHANGE_DISPLAY_NAME_DATA,
    roles: &EXCHANGE_ROLES,
    roles_by_id: &EXCHANGE_ROLES_BY_ID,
    scopes: &EXCHANGE_SCOPES,
    scopes_by_id: &EXCHANGE_SCOPES_BY_ID,
};

/// The resource with application ID `app_id` (compared case-insensitively), if catalogued.
pub fn resource(app_id: &str) -> Option<&'static Resource> {
    [&MICROSOFT_GRAPH, &EXCHANGE_ONLINE]
        .into_iter()
        .find(|resource| resource.app_id.eq_ignore_ascii_case(app_id))
}

/// Compares ASCII case-insensitively, as lower case.
fn cmp_ignore_ascii_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

impl Resource {
    /// The resource's application ID.
    pub fn app_id(&self) -> &'static str {
        self.app_id
    }

    /// The display name of its service principal.
    pub fn display_name(&self) -> &'static str {
        self.display_name
    }

    /// Its application permissions (`appRoles`), sorted by value.
    pub fn app_roles(&self) -> &'static [Permission] {
        self.roles
    }

    /// Its delegated permissions (`oauth2PermissionScopes`), sorted by value.
    pub fn scopes(&self) -> &'static [Permission] {
        self.scopes
    }

    /// Its permissions of `kind`, sorted by value.
    pub fn permissions(&self, kind: Kind) -> &'static [Permission] {
        match kind {
            Kind::Scope => self.scopes,
            Kind::Role => self.roles,
        }
    }

    /// All its permissions: application permissions first, then delegated ones.
    pub fn all(&self) -> impl Iterator<Item = &'static Permission> + use<> {
        self.roles.iter().chain(self.scopes.iter())
    }

    /// The permission of `kind` named exactly `value`.
    pub fn find(&self, kind: Kind, value: &str) -> Option<&'static Permission> {
        let table = self.permissions(kind);
        table
            .binary_search_by(|permission| permission.value.cmp(value))
            .ok()
            .map(|index| &table[index])
    }

    /// The permission of `kind` named `value`, compared case-insensitively (as Entra compares
    /// scope names); an exact match wins.
    pub fn find_ignore_case(&self, kind: Kind, value: &str) -> Option<&'static Permission> {
        self.find(kind, value).or_else(|| {
            self.permissions(kind)
                .iter()
                .find(|permission| permission.value.eq_ignore_ascii_case(value))
        })
    }

    /// The permission of `kind` with ID `id` (compared case-insensitively).
    pub fn by_id(&self, kind: Kind, id: &str) -> Option<&'static Permission> {
        let (table, index) = match kind {
            Kind::Scope => (self.scopes, self.scopes_by_id),
            Kind::Role => (self.roles, self.roles_by_id),
        };
        index
            .binary_search_by(|&i| cmp_ignore_ascii_case(table[usize::from(i)].id, id))
            .ok()
            .map(|position| &table[usize::from(index[position])])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_by_value_and_by_id_agree_for_every_permission() {
        for resource in [&MICROSOFT_GRAPH, &EXCHANGE_ONLINE] {
            for permission in resource.all() {
                assert_eq!(
                    resource.find(permission.kind, permission.value),
                    Some(permission)
                );
                assert_eq!(
                    resource.by_id(permission.kind, &permission.id.to_ascii_uppercase()),
                    Some(permission)
                );
            }
        }
    }

    #[test]
    fn the_same_name_resolves_per_kind() {
        let role = MICROSOFT_GRAPH
            .find(Kind::Role, "Calendars.Read")
            .expect("role");
        let scope = MICROSOFT_GRAPH
            .find(Kind::Scope, "Calendars.Read")
            .expect("scope");
        assert_eq!(role.id, "798ee544-9d2d-430c-a058-570e29e34338");
        assert_eq!(scope.id, "465a38f9-76ea-45b9-9f34-9e8b0d4b0b42");
        assert_eq!(scope.consent_type, Some(ConsentType::User));
        assert_eq!(role.consent_type, None);
        assert_eq!(
            MICROSOFT_GRAPH
                .find_ignore_case(Kind::Scope, "calendars.read")
                .map(|p| p.id),
            Some(scope.id)
        );
        assert_eq!(MICROSOFT_GRAPH.find(Kind::Scope, "calendars.read"), None);
        assert_eq!(MICROSOFT_GRAPH.find(Kind::Role, "Not.A.Permission"), None);
    }

    #[test]
    fn resources_are_found_by_app_id() {
        assert_eq!(
            resource("00000003-0000-0000-C000-000000000000").map(Resource::display_name),
            Some("Microsoft Graph")
        );
        assert_eq!(
            resource(EXCHANGE_ONLINE_APP_ID).map(Resource::display_name),
            Some("Office 365 Exchange Online")
        );
        assert!(resource("00000000-0000-0000-0000-000000000000").is_none());
    }
}

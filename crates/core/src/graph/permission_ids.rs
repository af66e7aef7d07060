//! Microsoft Graph permission names ↔ GUIDs.
//!
//! The truth is the Graph service principal of the tenant (`appRoles` for application
//! permissions, `oauth2PermissionScopes` for delegated ones), read at run time with
//! [`super::graph_permissions`]. When that read is not possible, [`PermissionCatalog::builtin`]
//! holds the common GUIDs cross-checked in reference/microsoft-wire.md §4.2 as the fallback.
//! Other resources (Office 365 Exchange Online, …) are not resolved here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::service_principals::ResourcePermissions;

/// The Microsoft Graph resource application ID.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// A delegated permission (scope) or an application permission (app role).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PermissionKind {
    /// Delegated: `type: "Scope"` in `requiredResourceAccess`.
    Scope,
    /// Application: `type: "Role"`.
    Role,
}

impl PermissionKind {
    /// How the admin center calls it.
    pub fn label(self) -> &'static str {
        match self {
            PermissionKind::Scope => "delegated",
            PermissionKind::Role => "application",
        }
    }
}

/// The common Graph permissions (reference/microsoft-wire.md §4.2).
const BUILTIN: &[(&str, PermissionKind, &str)] = &[
    (
        "Calendars.ReadWrite",
        PermissionKind::Scope,
        "1ec239c2-d7c9-4623-a91a-a9775856bb36",
    ),
    (
        "Calendars.Read",
        PermissionKind::Scope,
        "465a38f9-76ea-45b9-9f34-9e8b0d4b0b42",
    ),
    (
        "Calendars.Read",
        PermissionKind::Role,
        "798ee544-9d2d-430c-a058-570e29e34338",
    ),
    (
        "Calendars.ReadWrite",
        PermissionKind::Role,
        "ef54d2bf-783f-4e0f-bca1-3210c0444d99",
    ),
    (
        "Mail.Send",
        PermissionKind::Scope,
        "e383f46e-2787-4529-855e-0e479a3ffac0",
    ),
    (
        "Mail.Send",
        PermissionKind::Role,
        "b633e1c5-b582-4048-a93e-9f11b44c7e96",
    ),
    (
        "Mail.Send.Shared",
        PermissionKind::Scope,
        "a367ab51-6b49-43bf-a716-a1fb06d2a174",
    ),
    (
        "offline_access",
        PermissionKind::Scope,
        "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
    ),
    (
        "openid",
        PermissionKind::Scope,
        "37f7f235-527c-4136-accd-4a02d197296e",
    ),
    (
        "profile",
        PermissionKind::Scope,
        "14dad69e-099b-42c9-810b-d002981feec1",
    ),
    (
        "email",
        PermissionKind::Scope,
        "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
    ),
    (
        "User.Read",
        PermissionKind::Scope,
        "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
    ),
    (
        "SMTP.Send",
        PermissionKind::Scope,
        "258f6531-6087-4cc4-bb90-092c5fb3ed3f",
    ),
    (
        "IMAP.AccessAsUser.All",
        PermissionKind::Scope,
        "652390e4-393a-48de-9484-05f9b1212954",
    ),
    (
        "Application.Read.All",
        PermissionKind::Role,
        "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
    ),
    (
        "Application.ReadWrite.All",
        PermissionKind::Role,
        "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
    ),
    (
        "Policy.Read.All",
        PermissionKind::Role,
        "246dd0d5-5bd0-4def-940b-0421030a5b68",
    ),
    (
        "Directory.Read.All",
        PermissionKind::Role,
        "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
    ),
    (
        "User.Read.All",
        PermissionKind::Role,
        "df021288-bdef-4463-88db-98f22de89214",
    ),
];

/// Where a catalogue came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogSource {
    /// The tenant's Graph service principal.
    Tenant,
    /// The built-in table (the service principal could not be read).
    Builtin,
}

/// Graph permission names and GUIDs, per kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionCatalog {
    /// GUID (lower case) → name, per kind.
    by_id: BTreeMap<(PermissionKind, String), String>,
    /// Delegated permission name (lower case) → whether only an administrator may consent to it.
    scope_needs_admin: BTreeMap<String, bool>,
    /// Where the names came from.
    pub source: CatalogSource,
}

impl PermissionCatalog {
    /// The built-in table.
    pub fn builtin() -> PermissionCatalog {
        PermissionCatalog {
            by_id: BUILTIN
                .iter()
                .map(|(name, kind, id)| ((*kind, id.to_string()), name.to_string()))
                .collect(),
            // Every delegated permission of the built-in table is one users may grant (`type`
            // `User` on Microsoft Graph's service principal).
            scope_needs_admin: BUILTIN
                .iter()
                .filter(|(_, kind, _)| *kind == PermissionKind::Scope)
                .map(|(name, _, _)| (name.to_ascii_lowercase(), false))
                .collect(),
            source: CatalogSource::Builtin,
        }
    }

    /// The tenant's Graph service principal, with the built-in table for anything it lacks.
    pub fn from_graph(graph: &ResourcePermissions) -> PermissionCatalog {
        let mut catalog = PermissionCatalog::builtin();
        catalog.source = CatalogSource::Tenant;
        let entries = graph
            .app_roles
            .iter()
            .map(|e| (PermissionKind::Role, e))
            .chain(
                graph
                    .oauth2_permission_scopes
                    .iter()
                    .map(|e| (PermissionKind::Scope, e)),
            );
        for (kind, entry) in entries {
            if let Some(value) = &entry.value {
                catalog
                    .by_id
                    .insert((kind, entry.id.to_ascii_lowercase()), value.clone());
                if kind == PermissionKind::Scope
                    && let Some(consent_type) = &entry.consent_type
                {
                    catalog.scope_needs_admin.insert(
                        value.to_ascii_lowercase(),
                        consent_type.eq_ignore_ascii_case("Admin"),
                    );
                }
            }
        }
        catalog
    }

    /// Whether only an administrator may consent to the delegated permission `name` (Graph's
    /// `type` `Admin`); `None` when the catalogue does not say.
    pub fn scope_needs_admin(&self, name: &str) -> Option<bool> {
        self.scope_needs_admin
            .get(&name.to_ascii_lowercase())
            .copied()
    }

    /// The name of a permission GUID of `kind`.
    pub fn name_of(&self, kind: PermissionKind, id: &str) -> Option<&str> {
        self.by_id
            .get(&(kind, id.to_ascii_lowercase()))
            .map(String::as_str)
    }

    /// The GUID of a permission name of `kind` (names compare case-insensitively).
    pub fn id_of(&self, kind: PermissionKind, name: &str) -> Option<&str> {
        self.by_id
            .iter()
            .find(|((k, _), n)| *k == kind && n.eq_ignore_ascii_case(name))
            .map(|((_, id), _)| id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::service_principals::PermissionEntry;

    #[test]
    fn builtin_resolves_both_kinds_of_the_same_name() {
        let catalog = PermissionCatalog::builtin();
        assert_eq!(
            catalog.id_of(PermissionKind::Role, "Calendars.Read"),
            Some("798ee544-9d2d-430c-a058-570e29e34338")
        );
        assert_eq!(
            catalog.id_of(PermissionKind::Scope, "calendars.read"),
            Some("465a38f9-76ea-45b9-9f34-9e8b0d4b0b42")
        );
        assert_eq!(
            catalog.name_of(
                PermissionKind::Scope,
                "E383F46E-2787-4529-855E-0E479A3FFAC0"
            ),
            Some("Mail.Send")
        );
        assert_eq!(
            catalog.name_of(PermissionKind::Role, "e383f46e-2787-4529-855e-0e479a3ffac0"),
            None
        );
    }

    #[test]
    fn the_tenant_catalogue_wins_and_adds() {
        let graph = ResourcePermissions {
            id: "sp".into(),
            app_roles: vec![PermissionEntry {
                id: "11111111-0000-0000-0000-000000000000".into(),
                value: Some("Sites.Selected".into()),
                consent_type: None,
            }],
            oauth2_permission_scopes: vec![PermissionEntry {
                id: "f3bfad56-966e-4590-a536-82ecf548ac1e".into(),
                value: Some("ConsentRequest.Read.All".into()),
                consent_type: Some("Admin".into()),
            }],
        };
        let catalog = PermissionCatalog::from_graph(&graph);
        assert_eq!(catalog.source, CatalogSource::Tenant);
        assert_eq!(
            catalog.name_of(PermissionKind::Role, "11111111-0000-0000-0000-000000000000"),
            Some("Sites.Selected")
        );
        assert_eq!(
            catalog.id_of(PermissionKind::Scope, "openid"),
            Some("37f7f235-527c-4136-accd-4a02d197296e")
        );
        assert_eq!(
            catalog.scope_needs_admin("consentrequest.read.all"),
            Some(true)
        );
        assert_eq!(
            catalog.scope_needs_admin("Calendars.ReadWrite"),
            Some(false)
        );
        assert_eq!(catalog.scope_needs_admin("Chat.Read"), None);
    }
}

//! Microsoft Graph permission names ↔ GUIDs.
//!
//! The truth is the Graph service principal of the tenant (`appRoles` for application
//! permissions, `oauth2PermissionScopes` for delegated ones), read at run time with
//! [`super::graph_permissions`]. When that read is not possible, [`PermissionCatalog::builtin`]
//! falls back on Microsoft's whole Graph catalogue as `entra-graph-catalogue` generates it at build
//! time (the service principal as Microsoft served it in February 2023, and later permissions
//! the wizard uses), with each delegated permission's `type`; a tenant's catalogue is consulted
//! first and the built-in one fills what it lacks. The Office 365 Exchange Online resource
//! ([`ApiResource::ExchangeOnline`]) is resolved the same way, from its own service principal and
//! its catalogue in `entra-graph-catalogue` ([`PermissionCatalog::builtin_for`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use entra_graph_catalogue::{self as catalogue, MICROSOFT_GRAPH};

use super::service_principals::ResourcePermissions;

/// The Microsoft Graph resource application ID.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
/// The Office 365 Exchange Online resource application ID.
pub const EXCHANGE_ONLINE_APP_ID: &str = catalogue::EXCHANGE_ONLINE_APP_ID;

/// A resource (API) whose permissions a profile may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiResource {
    /// Microsoft Graph (`00000003-0000-0000-c000-000000000000`).
    MicrosoftGraph,
    /// Office 365 Exchange Online (`00000002-0000-0ff1-ce00-000000000000`): the Outlook resource
    /// whose tokens IMAP, POP, SMTP and EWS take.
    ExchangeOnline,
}

impl ApiResource {
    /// Every resource, Microsoft Graph first.
    pub const ALL: [ApiResource; 2] = [ApiResource::MicrosoftGraph, ApiResource::ExchangeOnline];

    /// The resource's application ID (`resourceAppId` in `requiredResourceAccess`).
    pub fn app_id(self) -> &'static str {
        match self {
            ApiResource::MicrosoftGraph => GRAPH_APP_ID,
            ApiResource::ExchangeOnline => EXCHANGE_ONLINE_APP_ID,
        }
    }

    /// The name the Entra admin center shows for it.
    pub fn display_name(self) -> &'static str {
        self.catalogue().display_name()
    }

    /// Microsoft's permission catalogue of the resource.
    pub fn catalogue(self) -> &'static catalogue::Resource {
        match self {
            ApiResource::MicrosoftGraph => &MICROSOFT_GRAPH,
            ApiResource::ExchangeOnline => &catalogue::EXCHANGE_ONLINE,
        }
    }

    /// The resource with application ID `app_id` (any letter case).
    pub fn from_app_id(app_id: &str) -> Option<ApiResource> {
        ApiResource::ALL
            .into_iter()
            .find(|r| r.app_id().eq_ignore_ascii_case(app_id))
    }
}

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

impl From<PermissionKind> for catalogue::Kind {
    fn from(kind: PermissionKind) -> catalogue::Kind {
        match kind {
            PermissionKind::Scope => catalogue::Kind::Scope,
            PermissionKind::Role => catalogue::Kind::Role,
        }
    }
}

/// Where a catalogue came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogSource {
    /// The tenant's Graph service principal.
    Tenant,
    /// The built-in catalogue (the service principal could not be read).
    Builtin,
}

/// A resource's permission names and GUIDs, per kind: the tenant's, then the built-in catalogue
/// (Microsoft Graph unless made for another resource).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionCatalog {
    /// The resource whose permissions these are.
    resource: ApiResource,
    /// The tenant's: GUID (lower case) → name, per kind. Empty for the built-in catalogue.
    by_id: BTreeMap<(PermissionKind, String), String>,
    /// The tenant's: delegated permission name (lower case) → whether only an administrator may
    /// consent to it.
    scope_needs_admin: BTreeMap<String, bool>,
    /// Where the names came from.
    pub source: CatalogSource,
}

impl PermissionCatalog {
    /// The built-in catalogue: Microsoft Graph's permissions from `entra-graph-catalogue`.
    pub fn builtin() -> PermissionCatalog {
        PermissionCatalog::builtin_for(ApiResource::MicrosoftGraph)
    }

    /// The built-in catalogue of `resource`, from `entra-graph-catalogue`.
    pub fn builtin_for(resource: ApiResource) -> PermissionCatalog {
        PermissionCatalog {
            resource,
            by_id: BTreeMap::new(),
            scope_needs_admin: BTreeMap::new(),
            source: CatalogSource::Builtin,
        }
    }

    /// The tenant's Graph service principal, with the built-in table for anything it lacks.
    pub fn from_graph(graph: &ResourcePermissions) -> PermissionCatalog {
        PermissionCatalog::from_resource(ApiResource::MicrosoftGraph, graph)
    }

    /// The tenant's service principal of `resource`, with the built-in table for anything it
    /// lacks.
    pub fn from_resource(resource: ApiResource, graph: &ResourcePermissions) -> PermissionCatalog {
        let mut catalog = PermissionCatalog::builtin_for(resource);
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
            .or_else(|| {
                self.resource
                    .catalogue()
                    .find_ignore_case(catalogue::Kind::Scope, name)
                    .and_then(|scope| scope.consent_type)
                    .map(|consent| consent == catalogue::ConsentType::Admin)
            })
    }

    /// The name of a permission GUID of `kind`.
    pub fn name_of(&self, kind: PermissionKind, id: &str) -> Option<&str> {
        self.by_id
            .get(&(kind, id.to_ascii_lowercase()))
            .map(String::as_str)
            .or_else(|| {
                self.resource
                    .catalogue()
                    .by_id(kind.into(), id)
                    .map(|p| p.value)
            })
    }

    /// The GUID of a permission name of `kind` (names compare case-insensitively).
    pub fn id_of(&self, kind: PermissionKind, name: &str) -> Option<&str> {
        self.by_id
            .iter()
            .find(|((k, _), n)| *k == kind && n.eq_ignore_ascii_case(name))
            .map(|((_, id), _)| id.as_str())
            .or_else(|| {
                self.resource
                    .catalogue()
                    .find_ignore_case(kind.into(), name)
                    .map(|p| p.id)
            })
    }

    /// The resource whose permissions these are.
    pub fn resource(&self) -> ApiResource {
        self.resource
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
        assert_eq!(catalog.scope_needs_admin("Chat.Read"), Some(false));
        assert_eq!(catalog.scope_needs_admin("Not.A.Permission"), None);
    }

    #[test]
    fn the_fallback_is_microsofts_whole_graph_catalogue() {
        let catalog = PermissionCatalog::builtin();
        assert_eq!(catalog.source, CatalogSource::Builtin);
        for permission in MICROSOFT_GRAPH.all() {
            let kind = match permission.kind {
                catalogue::Kind::Scope => PermissionKind::Scope,
                catalogue::Kind::Role => PermissionKind::Role,
            };
            assert_eq!(catalog.id_of(kind, permission.value), Some(permission.id));
            assert_eq!(catalog.name_of(kind, permission.id), Some(permission.value));
        }
        // Beyond the common ones: files, sites, groups, and what the wizard's admin sign-in asks for.
        assert_eq!(
            catalog.id_of(PermissionKind::Scope, "Files.Read"),
            Some("10465720-29dd-4523-a11a-6a75c743c9d9")
        );
        assert_eq!(
            catalog.id_of(PermissionKind::Role, "Sites.Selected"),
            Some("883ea226-0bf2-4a8f-9f9d-92c9162a727d")
        );
        assert_eq!(
            catalog.id_of(PermissionKind::Scope, "DelegatedPermissionGrant.Read.All"),
            Some("a197cdc4-a8e8-4d49-9d35-4ca7c83887b4")
        );
        // The one GUID Microsoft gives both kinds resolves per kind.
        let shared = "405a51b5-8d8d-430b-9842-8be4b0e9f324";
        assert_eq!(
            catalog.name_of(PermissionKind::Role, shared),
            Some("User.Export.All")
        );
        assert_eq!(
            catalog.name_of(PermissionKind::Scope, shared),
            Some("User.Export.All")
        );
    }

    #[test]
    fn exchange_onlines_catalogue_resolves_its_own_ids() {
        let exchange = PermissionCatalog::builtin_for(ApiResource::ExchangeOnline);
        assert_eq!(exchange.resource(), ApiResource::ExchangeOnline);
        assert_eq!(
            exchange.id_of(PermissionKind::Scope, "IMAP.AccessAsUser.All"),
            Some("195adc35-e27b-454b-a7ed-1ecdffa1c09f")
        );
        assert_eq!(
            exchange.id_of(PermissionKind::Role, "full_access_as_app"),
            Some("dc890d15-9560-4a4c-9b7f-a736ec74ec40")
        );
        assert_eq!(exchange.id_of(PermissionKind::Scope, "Files.Read"), None);
        assert_eq!(
            ApiResource::from_app_id("00000002-0000-0FF1-CE00-000000000000"),
            Some(ApiResource::ExchangeOnline)
        );
        assert_eq!(
            ApiResource::ExchangeOnline.display_name(),
            "Office 365 Exchange Online"
        );
    }

    #[test]
    fn the_fallback_knows_who_may_consent() {
        let catalog = PermissionCatalog::builtin();
        assert_eq!(catalog.scope_needs_admin("Files.Read"), Some(false));
        assert_eq!(catalog.scope_needs_admin("user.read"), Some(false));
        assert_eq!(catalog.scope_needs_admin("Group.Read.All"), Some(true));
        assert_eq!(catalog.scope_needs_admin("User.Read.All"), Some(true));
        assert_eq!(
            catalog.scope_needs_admin("DelegatedPermissionGrant.Read.All"),
            Some(true)
        );
        assert_eq!(catalog.scope_needs_admin("Files.Reed"), None);
    }
}

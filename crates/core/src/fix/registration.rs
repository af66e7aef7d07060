//! The app registration a profile needs: created from nothing — by upsert under a `uniqueName`
//! derived from the profile, the display name and the redirect URI ([`unique_name`]), so a
//! lost answer or a second run never leaves two registrations — or an existing one brought in
//! line by a `PATCH` of only what the profile owns — each of the profile's redirect URIs added
//! beside the others under its platform, the account type set when the product does not accept
//! the current one, the missing permissions of each resource (Microsoft Graph, Office 365
//! Exchange Online) added to that resource's entry (other permissions and other resources kept;
//! Graph replaces `requiredResourceAccess` as a whole, so the whole list is sent). Nothing to do:
//! no `PATCH`.
//!
//! Permission names become GUIDs through each resource's service principal in the tenant, with
//! the built-in table when it cannot be read. Both writes send a [`bodies::ApplicationBody`].

use super::replication::retry_while_replicating;
use super::{Change, ChangeKind, FixError, RepairSession};
use crate::graph::applications::{Application, application_by_unique_name};
use crate::graph::bodies::{self, ApiApplication, ApplicationBody};
use crate::graph::write::Upserted;
use crate::graph::{
    self, ApiResource, PermissionCatalog, PermissionKind, ReadError, application_by_app_id,
};
use crate::profile::{AccountType, Profile, RedirectPlatform};

/// One permission the profile needs: its resource, kind, GUID and name.
type Needed = (ApiResource, PermissionKind, String, String);

/// What the registration is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationInputs {
    /// The tenant (GUID or domain), for messages.
    pub tenant: String,
    /// The registration to repair; `None` creates one.
    pub client_id: Option<String>,
    /// The redirect URI the product sends (profiles with a redirect need it).
    pub redirect_uri: Option<String>,
    /// The display name of a new registration (default: the profile's suggested name).
    pub app_name: Option<String>,
}

/// What [`ensure_registration`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct RegistrationOutcome {
    /// The registration (as read or created; not re-read after a `PATCH`).
    pub application: Application,
    /// Whether it was created now.
    pub created: bool,
    /// What changed.
    pub changes: Vec<Change>,
}

/// Create the registration the profile needs, or repair the one `inputs.client_id` names.
pub async fn ensure_registration(
    profile: &Profile,
    inputs: &RegistrationInputs,
    session: &RepairSession<'_>,
) -> Result<RegistrationOutcome, FixError> {
    // The main redirect URI as the product sends it, then the product's others on its site.
    let redirects = match (&profile.registration.redirect, &inputs.redirect_uri) {
        (None, _) => Vec::new(),
        (Some(_), Some(uri)) => profile.redirect_uris_from(uri),
        (Some(_), None) => return Err(FixError::RedirectUriMissing),
    };
    let needed = needed_permissions(profile, session).await?;
    let graph = session.graph();
    match &inputs.client_id {
        None => {
            let name = inputs
                .app_name
                .clone()
                .unwrap_or_else(|| profile.registration.suggested_name.clone());
            let unique = unique_name(
                profile,
                &name,
                redirects.first().map(|(_, uri)| uri.as_str()),
            );
            // An earlier run with the same options may have created it and then stopped (or lost
            // Microsoft's answer): finish that one rather than make a second.
            match application_by_unique_name(&graph, &unique).await {
                Ok(application) => {
                    (session.progress)(&format!(
                        "Found the app registration \"{}\" (client ID {}) that an earlier run with these options created; finishing it instead of creating another.",
                        application.display_name.as_deref().unwrap_or(&name),
                        application.app_id
                    ));
                    return repair(profile, application, &redirects, &needed, session).await;
                }
                Err(ReadError::NotFound(_)) => {}
                Err(source) => {
                    return Err(FixError::Read {
                        what: "app registration read",
                        source,
                    });
                }
            }
            let audience = profile.registration.default_account_type;
            let mut body = ApplicationBody {
                api: needs_v2_tokens(audience).then(ApiApplication::v2_tokens),
                display_name: Some(name.clone()),
                required_resource_access: (!needed.is_empty()).then(|| access_list(&needed)),
                sign_in_audience: Some(audience.sign_in_audience().to_owned()),
                ..ApplicationBody::default()
            };
            for platform in PLATFORMS {
                let uris: Vec<String> = redirects
                    .iter()
                    .filter(|(p, _)| *p == platform)
                    .map(|(_, uri)| uri.clone())
                    .collect();
                if !uris.is_empty() {
                    set_redirect_uris(&mut body, platform, uris);
                }
            }
            let what = "app registration create";
            let application = match graph::write::upsert_application(&graph, &unique, &body).await {
                Ok(Upserted::Created(application)) => *application,
                // An attempt whose answer was lost created it: read it back (it may still be
                // replicating).
                Ok(Upserted::Updated) => {
                    retry_while_replicating(session, true, what, || async {
                        application_by_unique_name(&graph, &unique)
                            .await
                            .map_err(graph::WriteError::from)
                    })
                    .await?
                }
                Err(source) => return Err(FixError::Write { what, source }),
            };
            let mut changes = vec![Change::new(
                ChangeKind::RegistrationCreated,
                format!(
                    "created app registration \"{name}\" (client ID {})",
                    application.app_id
                ),
            )];
            changes.push(Change::new(
                ChangeKind::AccountTypeSet,
                format!("set account type {}", describe_audience(audience)),
            ));
            for (platform, uri) in &redirects {
                changes.push(Change::new(
                    ChangeKind::RedirectUriAdded,
                    format!("added redirect URI {uri} ({})", platform_label(*platform)),
                ));
            }
            changes.extend(permissions_changes(&needed));
            Ok(RegistrationOutcome {
                application,
                created: true,
                changes,
            })
        }
        Some(client_id) => {
            let application = match application_by_app_id(&graph, client_id).await {
                Ok(app) => app,
                Err(ReadError::NotFound(_)) => {
                    return Err(FixError::ClientIdNotFound {
                        client_id: client_id.clone(),
                    });
                }
                Err(source) => {
                    return Err(FixError::Read {
                        what: "app registration read",
                        source,
                    });
                }
            };
            repair(profile, application, &redirects, &needed, session).await
        }
    }
}

const PLATFORMS: [RedirectPlatform; 3] = [
    RedirectPlatform::Web,
    RedirectPlatform::Spa,
    RedirectPlatform::PublicClient,
];

/// Bring an existing registration in line with the profile (a `PATCH` of only what is missing).
async fn repair(
    profile: &Profile,
    application: Application,
    redirects: &[(RedirectPlatform, String)],
    needed: &[Needed],
    session: &RepairSession<'_>,
) -> Result<RegistrationOutcome, FixError> {
    let (patch, changes) = repairs_of(profile, &application, redirects, needed);
    if !changes.is_empty() {
        graph::write::update_application(&session.graph(), &application.id, &patch)
            .await
            .map_err(|source| FixError::Write {
                what: "app registration update",
                source,
            })?;
    }
    Ok(RegistrationOutcome {
        application,
        created: false,
        changes,
    })
}

/// The `uniqueName` a new registration is created under: the same for the same profile, display
/// name and redirect URI, so that running `register` again after a stop or a lost answer finds
/// the registration made before instead of creating a second one.
pub fn unique_name(profile: &Profile, display_name: &str, redirect_uri: Option<&str>) -> String {
    let mut hasher = ring::digest::Context::new(&ring::digest::SHA256);
    for part in [
        profile.id.as_str(),
        display_name.trim(),
        redirect_uri.unwrap_or_default().trim(),
    ] {
        hasher.update(&(part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finish();
    let hex: String = digest.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let id: String = profile
        .id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(60)
        .collect();
    format!("entra-setup-{id}-{hex}")
}

/// The profile's permissions as (resource, kind, GUID, name), each resource's resolved through
/// its service principal in the tenant (the built-in table when it cannot be read).
async fn needed_permissions(
    profile: &Profile,
    session: &RepairSession<'_>,
) -> Result<Vec<Needed>, FixError> {
    let mut needed = Vec::new();
    for (resource, permissions) in profile.registration.all_permissions() {
        let catalog =
            match graph::service_principals::resource_permissions(&session.graph(), resource).await
            {
                Ok(read) => PermissionCatalog::from_resource(resource, &read),
                Err(_) => PermissionCatalog::builtin_for(resource),
            };
        let wanted = permissions
            .delegated
            .iter()
            .map(|n| (PermissionKind::Scope, n))
            .chain(
                permissions
                    .application
                    .iter()
                    .map(|n| (PermissionKind::Role, n)),
            );
        for (kind, name) in wanted {
            let id = catalog
                .id_of(kind, name)
                .ok_or_else(|| FixError::UnknownPermission {
                    resource: resource.display_name(),
                    kind: kind.label(),
                    name: name.clone(),
                })?;
            needed.push((resource, kind, id.to_string(), name.clone()));
        }
    }
    Ok(needed)
}

/// The `PATCH` body and the changes that bring `app` in line with the profile.
fn repairs_of(
    profile: &Profile,
    app: &Application,
    redirects: &[(RedirectPlatform, String)],
    needed: &[Needed],
) -> (ApplicationBody, Vec<Change>) {
    let mut patch = ApplicationBody::default();
    let mut changes = Vec::new();

    let accepted = app.sign_in_audience.as_deref().is_some_and(|a| {
        profile
            .registration
            .account_types
            .iter()
            .any(|t| t.sign_in_audience() == a)
    });
    if !accepted {
        let audience = profile.registration.default_account_type;
        patch.sign_in_audience = Some(audience.sign_in_audience().to_owned());
        patch.api = needs_v2_tokens(audience).then(ApiApplication::v2_tokens);
        changes.push(Change::new(
            ChangeKind::AccountTypeSet,
            format!(
                "set account type {} (was {})",
                describe_audience(audience),
                app.sign_in_audience.as_deref().unwrap_or("not set")
            ),
        ));
    }

    for platform in PLATFORMS {
        let existing = match platform {
            RedirectPlatform::Web => app.web_uris(),
            RedirectPlatform::Spa => app.spa_uris(),
            RedirectPlatform::PublicClient => app.public_client_uris(),
        };
        let mut uris = existing.to_vec();
        for (_, uri) in redirects.iter().filter(|(p, _)| *p == platform) {
            if !uris.iter().any(|u| u == uri) {
                uris.push(uri.clone());
                changes.push(Change::new(
                    ChangeKind::RedirectUriAdded,
                    format!("added redirect URI {uri} ({})", platform_label(platform)),
                ));
            }
        }
        if uris.len() != existing.len() {
            set_redirect_uris(&mut patch, platform, uris);
        }
    }

    let entry_of = |resource: ApiResource| {
        app.required_resource_access
            .iter()
            .find(|r| r.resource_app_id.eq_ignore_ascii_case(resource.app_id()))
    };
    let missing: Vec<Needed> = needed
        .iter()
        .filter(|(resource, kind, id, _)| {
            !entry_of(*resource).is_some_and(|entry| {
                entry
                    .resource_access
                    .iter()
                    .any(|a| a.kind == *kind && a.id.eq_ignore_ascii_case(id))
            })
        })
        .cloned()
        .collect();
    if !missing.is_empty() {
        // Graph replaces the list as a whole: every entry goes back, the missing ones added to
        // their resource's entry (or a new entry for a resource not asked for yet).
        let mut list: Vec<bodies::RequiredResourceAccess> = app
            .required_resource_access
            .iter()
            .map(|r| {
                let mut entry = bodies::RequiredResourceAccess::from(r);
                if let Some(resource) = ApiResource::from_app_id(&r.resource_app_id) {
                    entry.resource_access.extend(
                        access_of(resource, &missing)
                            .map(|a| a.resource_access)
                            .unwrap_or_default(),
                    );
                }
                entry
            })
            .collect();
        for resource in ApiResource::ALL {
            if entry_of(resource).is_none()
                && let Some(entry) = access_of(resource, &missing)
            {
                list.push(entry);
            }
        }
        patch.required_resource_access = Some(list);
        changes.extend(permissions_changes(&missing));
    }
    (patch, changes)
}

/// `resource`'s entry of `requiredResourceAccess` asking for its permissions among `needed`, if
/// any.
fn access_of(resource: ApiResource, needed: &[Needed]) -> Option<bodies::RequiredResourceAccess> {
    let mine: Vec<(PermissionKind, &str)> = needed
        .iter()
        .filter(|(r, ..)| *r == resource)
        .map(|(_, kind, id, _)| (*kind, id.as_str()))
        .collect();
    (!mine.is_empty()).then(|| bodies::RequiredResourceAccess::of(resource.app_id(), mine))
}

/// `requiredResourceAccess` asking for `needed`: one entry per resource, Microsoft Graph first.
fn access_list(needed: &[Needed]) -> Vec<bodies::RequiredResourceAccess> {
    ApiResource::ALL
        .into_iter()
        .filter_map(|resource| access_of(resource, needed))
        .collect()
}

/// One change per resource whose permissions were added.
fn permissions_changes(permissions: &[Needed]) -> Vec<Change> {
    let mut changes = Vec::new();
    for resource in ApiResource::ALL {
        let mut parts = Vec::new();
        for kind in [PermissionKind::Scope, PermissionKind::Role] {
            let names: Vec<&str> = permissions
                .iter()
                .filter(|(r, k, ..)| *r == resource && *k == kind)
                .map(|(.., n)| n.as_str())
                .collect();
            if !names.is_empty() {
                parts.push(format!("{} {}", kind.label(), names.join(" ")));
            }
        }
        if !parts.is_empty() {
            changes.push(Change::new(
                ChangeKind::PermissionsAdded,
                format!(
                    "added {} permissions: {}",
                    resource.display_name(),
                    parts.join("; ")
                ),
            ));
        }
    }
    changes
}

/// Personal Microsoft accounts need v2 access tokens (Graph refuses the audience otherwise).
fn needs_v2_tokens(audience: AccountType) -> bool {
    matches!(
        audience,
        AccountType::MultiTenantAndPersonal | AccountType::PersonalOnly
    )
}

fn describe_audience(audience: AccountType) -> String {
    format!(
        "{} ({})",
        audience.sign_in_audience(),
        audience.portal_label()
    )
}

/// The platform's whole list of redirect URIs becomes `uris`.
fn set_redirect_uris(body: &mut ApplicationBody, platform: RedirectPlatform, uris: Vec<String>) {
    let slot = match platform {
        RedirectPlatform::Web => &mut body.web,
        RedirectPlatform::Spa => &mut body.spa,
        RedirectPlatform::PublicClient => &mut body.public_client,
    };
    *slot = Some(bodies::RedirectUris {
        redirect_uris: uris,
    });
}

fn platform_label(platform: RedirectPlatform) -> &'static str {
    match platform {
        RedirectPlatform::Web => "Web",
        RedirectPlatform::Spa => "Single-page application",
        RedirectPlatform::PublicClient => "Mobile and desktop applications",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::profile::Catalog;

    fn app(json: Value) -> Application {
        serde_json::from_value(json).expect("application")
    }

    #[test]
    fn a_healthy_registration_needs_no_patch() {
        let catalog = Catalog::shipped();
        let profile = catalog.get("axero-outlook-calendar").expect("profile");
        let builtin = PermissionCatalog::builtin();
        let needed: Vec<_> = profile
            .registration
            .permissions
            .delegated
            .iter()
            .map(|n| {
                let id = builtin.id_of(PermissionKind::Scope, n).expect("id");
                (
                    ApiResource::MicrosoftGraph,
                    PermissionKind::Scope,
                    id.to_string(),
                    n.clone(),
                )
            })
            .collect();
        let uri = "https://intranet.contoso.com/oauth2/outlook/callback";
        let healthy = app(
            json!({"id": "o", "appId": "a", "signInAudience": "AzureADMyOrg",
            "web": {"redirectUris": [uri]},
            "requiredResourceAccess": access_list(&needed)}),
        );
        let (_, changes) = repairs_of(
            profile,
            &healthy,
            &[(RedirectPlatform::Web, uri.into())],
            &needed,
        );
        assert!(changes.is_empty(), "{changes:?}");

        let broken = app(
            json!({"id": "o", "appId": "a", "signInAudience": "AzureADandPersonalMicrosoftAccount",
            "web": {"redirectUris": ["https://other/cb"]},
            "requiredResourceAccess": [{"resourceAppId": "00000002-0000-0ff1-ce00-000000000000",
                "resourceAccess": [{"id": "x", "type": "Role"}]}]}),
        );
        let (patch, changes) = repairs_of(
            profile,
            &broken,
            &[(RedirectPlatform::Web, uri.into())],
            &needed,
        );
        assert_eq!(changes.len(), 3, "{changes:?}");
        let patch = serde_json::to_value(&patch).expect("json");
        assert_eq!(patch["signInAudience"], "AzureADMyOrg");
        assert_eq!(
            patch["web"]["redirectUris"],
            json!(["https://other/cb", uri])
        );
        let list = patch["requiredResourceAccess"].as_array().expect("list");
        assert_eq!(list.len(), 2, "the other resource is kept");
        assert_eq!(list[1]["resourceAccess"].as_array().map(Vec::len), Some(4));
    }

    #[test]
    fn every_redirect_and_each_resources_permissions_are_added_beside_what_is_there() {
        let text = include_str!("../../profiles/axero-m365-email.toml")
            .replace("id = \"axero-m365-email\"", "id = \"mail-two\"")
            .replace(
                "[registration.permissions]",
                "[[registration.more_redirects]]\nplatform = \"spa\"\ntemplate = \"{site}/spa/callback\"\n\n[registration.resource_permissions.exchange_online]\ndelegated = [\"IMAP.AccessAsUser.All\"]\n\n[registration.permissions]",
            );
        let profile: Profile = toml::from_str(&text).expect("profile");
        profile.validate().expect("valid");
        let redirects =
            profile.redirect_uris_from("https://intranet.contoso.com/oauth2/sharepoint/callback");
        assert_eq!(
            redirects,
            [
                (
                    RedirectPlatform::Web,
                    "https://intranet.contoso.com/oauth2/sharepoint/callback".to_string()
                ),
                (
                    RedirectPlatform::Spa,
                    "https://intranet.contoso.com/spa/callback".to_string()
                ),
            ]
        );
        let exchange = PermissionCatalog::builtin_for(ApiResource::ExchangeOnline);
        let imap = exchange
            .id_of(PermissionKind::Scope, "IMAP.AccessAsUser.All")
            .expect("id")
            .to_string();
        let needed = vec![(
            ApiResource::ExchangeOnline,
            PermissionKind::Scope,
            imap.clone(),
            "IMAP.AccessAsUser.All".to_string(),
        )];
        let existing = app(
            json!({"id": "o", "appId": "a", "signInAudience": "AzureADMyOrg",
            "web": {"redirectUris": ["https://intranet.contoso.com/oauth2/sharepoint/callback"]},
            "requiredResourceAccess": [{"resourceAppId": GRAPH_APP,
                "resourceAccess": [{"id": "e383f46e-2787-4529-855e-0e479a3ffac0", "type": "Scope"}]}]}),
        );
        let (patch, changes) = repairs_of(&profile, &existing, &redirects, &needed);
        let patch = serde_json::to_value(&patch).expect("json");
        assert_eq!(
            patch["spa"]["redirectUris"],
            json!(["https://intranet.contoso.com/spa/callback"])
        );
        assert!(patch.get("web").is_none(), "{patch}");
        let list = patch["requiredResourceAccess"].as_array().expect("list");
        assert_eq!(list.len(), 2, "{list:?}");
        assert_eq!(
            list[1]["resourceAppId"],
            "00000002-0000-0ff1-ce00-000000000000"
        );
        assert_eq!(
            list[1]["resourceAccess"],
            json!([{"id": imap, "type": "Scope"}])
        );
        let said: Vec<&str> = changes.iter().map(|c| c.description.as_str()).collect();
        assert_eq!(
            said,
            [
                "added redirect URI https://intranet.contoso.com/spa/callback (Single-page application)",
                "added Office 365 Exchange Online permissions: delegated IMAP.AccessAsUser.All",
            ]
        );
    }

    const GRAPH_APP: &str = "00000003-0000-0000-c000-000000000000";
}

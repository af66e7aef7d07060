//! The app registration a profile needs: created from nothing — by upsert under a `uniqueName`
//! derived from the profile, the display name and the redirect URI ([`unique_name`]), so a
//! lost answer or a second run never leaves two registrations — or an existing one brought in
//! line by a `PATCH` of only what the profile owns — the redirect URI added beside the others,
//! the account type set when the product does not accept the current one, the missing Graph
//! permissions added (other permissions and other resources kept; Graph replaces
//! `requiredResourceAccess` as a whole, so the whole list is sent). Nothing to do: no `PATCH`.
//!
//! Permission names become GUIDs through the tenant's Microsoft Graph service principal, with
//! the built-in table when it cannot be read. Both writes send a [`bodies::ApplicationBody`].

use super::replication::retry_while_replicating;
use super::{Change, ChangeKind, FixError, RepairSession};
use crate::graph::applications::{Application, application_by_unique_name};
use crate::graph::bodies::{self, ApiApplication, ApplicationBody};
use crate::graph::write::Upserted;
use crate::graph::{
    self, GRAPH_APP_ID, PermissionCatalog, PermissionKind, ReadError, application_by_app_id,
};
use crate::profile::{AccountType, Profile, RedirectPlatform};

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
    let redirect = match (&profile.registration.redirect, &inputs.redirect_uri) {
        (None, _) => None,
        (Some(r), Some(uri)) => Some((r.platform, uri.trim().to_string())),
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
                redirect.as_ref().map(|(_, uri)| uri.as_str()),
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
                    return repair(profile, application, redirect, &needed, session).await;
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
                required_resource_access: (!needed.is_empty()).then(|| vec![graph_access(&needed)]),
                sign_in_audience: Some(audience.sign_in_audience().to_owned()),
                ..ApplicationBody::default()
            };
            if let Some((platform, uri)) = &redirect {
                set_redirect_uris(&mut body, *platform, vec![uri.clone()]);
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
            if let Some((platform, uri)) = &redirect {
                changes.push(Change::new(
                    ChangeKind::RedirectUriAdded,
                    format!("added redirect URI {uri} ({})", platform_label(*platform)),
                ));
            }
            if !needed.is_empty() {
                changes.push(permissions_change(&needed));
            }
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
            repair(profile, application, redirect, &needed, session).await
        }
    }
}

/// Bring an existing registration in line with the profile (a `PATCH` of only what is missing).
async fn repair(
    profile: &Profile,
    application: Application,
    redirect: Option<(RedirectPlatform, String)>,
    needed: &[(PermissionKind, String, String)],
    session: &RepairSession<'_>,
) -> Result<RegistrationOutcome, FixError> {
    let (patch, changes) = repairs_of(profile, &application, redirect, needed);
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

/// The profile's Graph permissions as (kind, GUID, name), resolved through the tenant's Graph
/// service principal (the built-in table when it cannot be read).
async fn needed_permissions(
    profile: &Profile,
    session: &RepairSession<'_>,
) -> Result<Vec<(PermissionKind, String, String)>, FixError> {
    let permissions = &profile.registration.permissions;
    if permissions.delegated.is_empty() && permissions.application.is_empty() {
        return Ok(Vec::new());
    }
    let catalog = match graph::graph_permissions(&session.graph()).await {
        Ok(graph) => PermissionCatalog::from_graph(&graph),
        Err(_) => PermissionCatalog::builtin(),
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
    wanted
        .map(|(kind, name)| {
            catalog
                .id_of(kind, name)
                .map(|id| (kind, id.to_string(), name.clone()))
                .ok_or_else(|| FixError::UnknownPermission {
                    kind: kind.label(),
                    name: name.clone(),
                })
        })
        .collect()
}

/// The `PATCH` body and the changes that bring `app` in line with the profile.
fn repairs_of(
    profile: &Profile,
    app: &Application,
    redirect: Option<(RedirectPlatform, String)>,
    needed: &[(PermissionKind, String, String)],
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

    if let Some((platform, uri)) = redirect {
        let existing = match platform {
            RedirectPlatform::Web => app.web_uris(),
            RedirectPlatform::Spa => app.spa_uris(),
            RedirectPlatform::PublicClient => app.public_client_uris(),
        };
        if !existing.iter().any(|u| u == &uri) {
            let mut uris = existing.to_vec();
            uris.push(uri.clone());
            set_redirect_uris(&mut patch, platform, uris);
            changes.push(Change::new(
                ChangeKind::RedirectUriAdded,
                format!("added redirect URI {uri} ({})", platform_label(platform)),
            ));
        }
    }

    let graph_entry = app
        .required_resource_access
        .iter()
        .find(|r| r.resource_app_id.eq_ignore_ascii_case(GRAPH_APP_ID));
    let missing: Vec<(PermissionKind, String, String)> = needed
        .iter()
        .filter(|(kind, id, _)| {
            !graph_entry.is_some_and(|g| {
                g.resource_access
                    .iter()
                    .any(|a| a.kind == *kind && a.id.eq_ignore_ascii_case(id))
            })
        })
        .cloned()
        .collect();
    if !missing.is_empty() {
        let mut list: Vec<bodies::RequiredResourceAccess> = app
            .required_resource_access
            .iter()
            .map(|r| {
                let mut entry = bodies::RequiredResourceAccess::from(r);
                if r.resource_app_id.eq_ignore_ascii_case(GRAPH_APP_ID) {
                    entry
                        .resource_access
                        .extend(graph_access(&missing).resource_access);
                }
                entry
            })
            .collect();
        if graph_entry.is_none() {
            list.push(graph_access(&missing));
        }
        patch.required_resource_access = Some(list);
        changes.push(permissions_change(&missing));
    }
    (patch, changes)
}

/// The Microsoft Graph entry of `requiredResourceAccess` asking for `permissions`.
fn graph_access(
    permissions: &[(PermissionKind, String, String)],
) -> bodies::RequiredResourceAccess {
    bodies::RequiredResourceAccess::graph(permissions.iter().map(|(k, id, _)| (*k, id.as_str())))
}

fn permissions_change(permissions: &[(PermissionKind, String, String)]) -> Change {
    let mut parts = Vec::new();
    for kind in [PermissionKind::Scope, PermissionKind::Role] {
        let names: Vec<&str> = permissions
            .iter()
            .filter(|(k, _, _)| *k == kind)
            .map(|(_, _, n)| n.as_str())
            .collect();
        if !names.is_empty() {
            parts.push(format!("{} {}", kind.label(), names.join(" ")));
        }
    }
    Change::new(
        ChangeKind::PermissionsAdded,
        format!("added Microsoft Graph permissions: {}", parts.join("; ")),
    )
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
                (PermissionKind::Scope, id.to_string(), n.clone())
            })
            .collect();
        let uri = "https://intranet.contoso.com/oauth2/outlook/callback";
        let healthy = app(
            json!({"id": "o", "appId": "a", "signInAudience": "AzureADMyOrg",
            "web": {"redirectUris": [uri]},
            "requiredResourceAccess": [graph_access(&needed)]}),
        );
        let (_, changes) = repairs_of(
            profile,
            &healthy,
            Some((RedirectPlatform::Web, uri.into())),
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
            Some((RedirectPlatform::Web, uri.into())),
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
}

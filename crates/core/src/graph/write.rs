//! The Graph writes the repairs make, with the administrator's delegated token: create the
//! application by upsert (`PATCH /applications(uniqueName='…')` with `Prefer: create-if-missing`,
//! so sending it twice never makes two) and `PATCH` it, `addPassword` and `removePassword`, create the service principal, create or extend the
//! delegated admin-consent grant, assign an application permission
//! (reference/microsoft-wire.md §4.3), and make an enterprise application require user assignment
//! and assign users to it.
//!
//! Each request serialises its typed body from [`super::bodies`]; nothing here builds JSON by
//! hand. Each write answers its typed result or a [`WriteError`]: transient (`Unavailable`, after the
//! client's bounded retries; a `POST` whose answer was lost after it was sent is not repeated and
//! answers cause `write_outcome_unknown`), 404 (`NotFound`, often directory replication right after a
//! create) or another refusal carrying Graph's error (`Refused`). Nothing here decides what to
//! write: that is [`crate::fix`]. A new secret's value comes back as a [`Secret`] only.

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};

use super::applications::Application;
pub use super::bodies::graph_time;
use super::bodies::{
    AddPassword, ApplicationBody, AssignmentRequired, GrantScope, NewAppRoleAssignment,
    NewPasswordCredential, NewPermissionGrant, NewServicePrincipal, NewUserAssignment,
    RemovePassword, RequestBody,
};
use super::read::{ReadError, Reader, odata_string};
use super::service_principals::ServicePrincipal;
use super::{GraphError, url};
use crate::cause::Cause;
use crate::http::{Answer, Unavailable};
use crate::secret::Secret;

/// The properties [`admin_grants_for_client`] selects (the grant's `id`, to extend its scope).
pub const GRANT_WITH_ID_SELECT: &[&str] = &["id", "clientId", "consentType", "resourceId", "scope"];
/// The properties [`admin_grants_for_client`] filters on.
pub const GRANT_WITH_ID_FILTER: &[&str] = &["clientId", "consentType"];
/// Why a write did not happen (or may not have).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WriteError {
    /// Microsoft could not be asked (network, throttling, 5xx, a truncated answer).
    #[error(transparent)]
    Unavailable(Unavailable),
    /// 404: the object written to (or one it refers to) is not there, or not yet replicated.
    #[error("not found: {}", .0.code)]
    NotFound(GraphError),
    /// Any other error answer (400, 401, 403, 409, …), with Graph's error.
    #[error("Graph refused the change ({status} {}: {})", .error.code, .error.message)]
    Refused {
        /// The HTTP status.
        status: u16,
        /// Graph's error body.
        error: GraphError,
    },
}

impl WriteError {
    /// The cause id this error means for a write made with the administrator's token.
    pub fn cause(&self) -> Cause {
        match self {
            WriteError::Unavailable(fault) => fault.cause,
            WriteError::NotFound(_) => Cause::ObjectNotFound,
            WriteError::Refused { error, .. }
                if error.code == "CredentialInvalidLifetimeAsPerAppPolicy" =>
            {
                Cause::SecretLifetimePolicy
            }
            WriteError::Refused { status: 401, .. } => Cause::TokenInvalid,
            WriteError::Refused { status: 403, .. } => Cause::InsufficientAdminRights,
            WriteError::Refused { error, status } => error.cause_for_app(*status),
        }
    }

    /// Evidence for a report built from this error.
    pub fn evidence(&self) -> Value {
        match self {
            WriteError::Unavailable(fault) => json!({ "detail": fault.detail }),
            WriteError::NotFound(error) => {
                let mut evidence = error.evidence();
                evidence["status"] = 404.into();
                evidence
            }
            WriteError::Refused { status, error } => {
                let mut evidence = error.evidence();
                evidence["status"] = (*status).into();
                evidence
            }
        }
    }
}

impl From<ReadError> for WriteError {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::Unavailable(fault) => WriteError::Unavailable(fault),
            ReadError::NotFound(error) => WriteError::NotFound(error),
            ReadError::Refused { status, error } => WriteError::Refused { status, error },
        }
    }
}

/// A delegated permission grant, with its id.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminGrant {
    /// The grant's id (what `PATCH` addresses).
    pub id: String,
    /// The client service principal's object ID.
    pub client_id: String,
    /// `AllPrincipals` (admin consent) or `Principal`.
    pub consent_type: String,
    /// The resource service principal's object ID.
    pub resource_id: String,
    /// The granted scopes, space-separated.
    #[serde(default)]
    pub scope: Option<String>,
}

impl AdminGrant {
    /// The granted scopes.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.as_deref().unwrap_or_default().split_whitespace()
    }
}

/// A new client secret: its metadata and, once, its value.
#[derive(Debug, Clone)]
pub struct AddedPassword {
    /// The secret ID.
    pub key_id: String,
    /// The value's first three characters.
    pub hint: Option<String>,
    /// When it stops working.
    pub end_date_time: DateTime<Utc>,
    /// The value itself (never logged; shown once at most).
    pub secret_text: Secret,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PasswordAnswer {
    key_id: String,
    #[serde(default)]
    hint: Option<String>,
    end_date_time: DateTime<Utc>,
    secret_text: Option<String>,
}

/// What [`upsert_application`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Upserted {
    /// 201: there was no application by that unique name; this one was created.
    Created(Box<Application>),
    /// 204: an application by that unique name was there already (made by an earlier attempt
    /// whose answer was lost); it was updated with the body.
    Updated,
}

/// `PATCH /applications(uniqueName='{unique_name}')` with `Prefer: create-if-missing`: creates the
/// registration when none has that unique name, otherwise updates that one. Idempotent, so it is
/// retried like a read: a lost answer cannot leave a second registration behind.
pub async fn upsert_application(
    graph: &Reader<'_>,
    unique_name: &str,
    body: &ApplicationBody,
) -> Result<Upserted, WriteError> {
    let what = "app registration create";
    let key = format!("applications(uniqueName={})", odata_string(unique_name));
    let answer = send_with(
        graph,
        Method::PATCH,
        &[&key],
        body,
        Some("create-if-missing"),
        what,
    )
    .await?;
    if answer.status == reqwest::StatusCode::CREATED {
        return answer
            .json(what)
            .map(|app| Upserted::Created(Box::new(app)))
            .map_err(WriteError::Unavailable);
    }
    Ok(Upserted::Updated)
}

/// `PATCH /applications/{object_id}` with only the properties set in `body`.
pub async fn update_application(
    graph: &Reader<'_>,
    object_id: &str,
    body: &ApplicationBody,
) -> Result<(), WriteError> {
    send(
        graph,
        Method::PATCH,
        &["applications", object_id],
        body,
        "app registration update",
    )
    .await
    .map(drop)
}

/// `POST /applications/{object_id}/addPassword` with an explicit start and end date.
pub async fn add_password(
    graph: &Reader<'_>,
    object_id: &str,
    display_name: &str,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<AddedPassword, WriteError> {
    let body = AddPassword {
        password_credential: NewPasswordCredential {
            display_name: display_name.to_owned(),
            end_date_time: end,
            start_date_time: start,
        },
    };
    let what = "client secret create";
    let answer = send(
        graph,
        Method::POST,
        &["applications", object_id, "addPassword"],
        &body,
        what,
    )
    .await?;
    let parsed: PasswordAnswer = answer.json(what).map_err(WriteError::Unavailable)?;
    let secret_text = parsed.secret_text.map(Secret::new).ok_or_else(|| {
        WriteError::Unavailable(Unavailable {
            cause: Cause::NetworkError,
            detail: format!("{what}: the answer carried no secretText"),
            retry_after: None,
        })
    })?;
    Ok(AddedPassword {
        key_id: parsed.key_id,
        hint: parsed.hint,
        end_date_time: parsed.end_date_time,
        secret_text,
    })
}

/// `POST /applications/{object_id}/removePassword {"keyId"}`: remove one client secret (Graph
/// answers 204 with no body).
pub async fn remove_password(
    graph: &Reader<'_>,
    object_id: &str,
    key_id: &str,
) -> Result<(), WriteError> {
    send(
        graph,
        Method::POST,
        &["applications", object_id, "removePassword"],
        &RemovePassword {
            key_id: key_id.to_owned(),
        },
        "client secret remove",
    )
    .await
    .map(drop)
}

/// `POST /servicePrincipals {"appId"}`: the app's enterprise application in this tenant.
pub async fn create_service_principal(
    graph: &Reader<'_>,
    app_id: &str,
) -> Result<ServicePrincipal, WriteError> {
    let what = "enterprise application create";
    let answer = send(
        graph,
        Method::POST,
        &["servicePrincipals"],
        &NewServicePrincipal {
            app_id: app_id.to_owned(),
        },
        what,
    )
    .await?;
    answer.json(what).map_err(WriteError::Unavailable)
}

/// The `AllPrincipals` delegated grants of the client service principal `sp_id`, with their ids.
pub async fn admin_grants_for_client(
    graph: &Reader<'_>,
    sp_id: &str,
) -> Result<Vec<AdminGrant>, ReadError> {
    let filter = format!(
        "clientId eq {} and consentType eq 'AllPrincipals'",
        odata_string(sp_id)
    );
    let grants: Vec<AdminGrant> = graph
        .all(
            &["oauth2PermissionGrants"],
            GRANT_WITH_ID_SELECT,
            &[("$filter", &filter)],
            "delegated permission grants read",
        )
        .await?;
    // A directory that ignores part of the filter must not make a user's grant look like admin
    // consent.
    Ok(grants
        .into_iter()
        .filter(|g| g.consent_type.eq_ignore_ascii_case("AllPrincipals") && g.client_id == sp_id)
        .collect())
}

/// `POST /oauth2PermissionGrants`: admin consent (`AllPrincipals`) for `scope` of the resource.
pub async fn create_admin_grant(
    graph: &Reader<'_>,
    client_sp_id: &str,
    resource_sp_id: &str,
    scope: &str,
) -> Result<(), WriteError> {
    send(
        graph,
        Method::POST,
        &["oauth2PermissionGrants"],
        &NewPermissionGrant::admin_consent(client_sp_id, resource_sp_id, scope),
        "admin consent grant create",
    )
    .await
    .map(drop)
}

/// `PATCH /oauth2PermissionGrants/{id} {"scope"}`: the grant's scopes become `scope`.
pub async fn update_grant_scope(
    graph: &Reader<'_>,
    grant_id: &str,
    scope: &str,
) -> Result<(), WriteError> {
    send(
        graph,
        Method::PATCH,
        &["oauth2PermissionGrants", grant_id],
        &GrantScope {
            scope: scope.to_owned(),
        },
        "admin consent grant update",
    )
    .await
    .map(drop)
}

/// `POST /servicePrincipals/{resource_sp_id}/appRoleAssignedTo`: grant the application
/// permission `app_role_id` of the resource to the client service principal.
pub async fn assign_app_role(
    graph: &Reader<'_>,
    resource_sp_id: &str,
    client_sp_id: &str,
    app_role_id: &str,
) -> Result<(), WriteError> {
    let body = NewAppRoleAssignment {
        app_role_id: app_role_id.to_owned(),
        principal_id: client_sp_id.to_owned(),
        resource_id: resource_sp_id.to_owned(),
    };
    send(
        graph,
        Method::POST,
        &["servicePrincipals", resource_sp_id, "appRoleAssignedTo"],
        &body,
        "application permission grant",
    )
    .await
    .map(drop)
}

/// `PATCH /servicePrincipals/{sp_id} {"appRoleAssignmentRequired": true}`: only assigned users
/// and groups may sign in to the app.
pub async fn require_user_assignment(graph: &Reader<'_>, sp_id: &str) -> Result<(), WriteError> {
    send(
        graph,
        Method::PATCH,
        &["servicePrincipals", sp_id],
        &AssignmentRequired {
            app_role_assignment_required: true,
        },
        "enterprise application update",
    )
    .await
    .map(drop)
}

/// `POST /servicePrincipals/{sp_id}/appRoleAssignedTo`: assign the user `user_id` to the
/// enterprise application (default access).
pub async fn assign_user(graph: &Reader<'_>, sp_id: &str, user_id: &str) -> Result<(), WriteError> {
    send(
        graph,
        Method::POST,
        &["servicePrincipals", sp_id, "appRoleAssignedTo"],
        &NewUserAssignment {
            app_role_id: super::bodies::DEFAULT_ACCESS_ROLE.to_owned(),
            principal_id: user_id.to_owned(),
            resource_id: sp_id.to_owned(),
        },
        "user assignment",
    )
    .await
    .map(drop)
}

/// Send one write with its typed body; a success answers, an error body becomes a
/// [`WriteError`].
async fn send<B: RequestBody>(
    graph: &Reader<'_>,
    method: Method,
    path: &[&str],
    body: &B,
    what: &str,
) -> Result<Answer, WriteError> {
    send_with(graph, method, path, body, None, what).await
}

/// [`send`] with a `Prefer` header.
async fn send_with<B: RequestBody>(
    graph: &Reader<'_>,
    method: Method,
    path: &[&str],
    body: &B,
    prefer: Option<&str>,
    what: &str,
) -> Result<Answer, WriteError> {
    let url = url(graph.endpoints, path, &[]);
    let build = |c: &reqwest::Client| {
        let mut request = c
            .request(method.clone(), url.clone())
            .bearer_auth(graph.token.expose())
            .header("Accept", "application/json");
        if let Some(prefer) = prefer {
            request = request.header("Prefer", prefer);
        }
        request.json(body)
    };
    // A POST creates or adds: sent again only when Graph surely did not act. A PATCH here sets
    // whole values (or upserts by unique name) and a DELETE removes, so repeating them changes
    // nothing.
    let sent = if method == Method::POST {
        graph.http.send_write(what, build).await
    } else {
        graph.http.send(what, build).await
    };
    let answer = sent.map_err(WriteError::Unavailable)?;
    if answer.status.is_success() {
        return Ok(answer);
    }
    let status = answer.status.as_u16();
    match GraphError::parse(&answer.body) {
        Some(error) if status == 404 => Err(WriteError::NotFound(error)),
        Some(error) => Err(WriteError::Refused { status, error }),
        None => Err(WriteError::Unavailable(Unavailable {
            cause: Cause::NetworkError,
            detail: format!("{what}: Graph answered {status} without an error body"),
            retry_after: None,
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_map_to_causes() {
        let policy = WriteError::Refused {
            status: 400,
            error: GraphError {
                code: "CredentialInvalidLifetimeAsPerAppPolicy".into(),
                message: "Credential lifetime exceeds the max value allowed".into(),
                inner_error: None,
            },
        };
        assert_eq!(policy.cause(), Cause::SecretLifetimePolicy);
        let denied = WriteError::Refused {
            status: 403,
            error: GraphError {
                code: "Authorization_RequestDenied".into(),
                message: "Insufficient privileges to complete the operation.".into(),
                inner_error: None,
            },
        };
        assert_eq!(denied.cause(), Cause::InsufficientAdminRights);
    }
}

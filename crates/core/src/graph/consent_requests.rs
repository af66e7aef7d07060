//! Users' requests for admin consent (the admin consent workflow):
//! `GET /identityGovernance/appConsent/appConsentRequests?$filter=appId eq '{appId}'` finds the
//! app's `appConsentRequest` (Graph keeps one per app), then
//! `GET …/appConsentRequests/{id}/userConsentRequests?$filter=status eq 'InProgress'` the requests
//! that still wait for a reviewer — who asked, why and when. Both need `ConsentRequest.Read.All`
//! (a 403 otherwise, which the caller reports rather than fails on). Graph offers no way to approve
//! a request through the API; approving is the admin center's, or an admin-consent grant's.

use serde::Deserialize;

use super::read::{ReadError, Reader, odata_string};

/// The properties [`pending_consent_requests`] selects on `appConsentRequest`.
pub const APP_CONSENT_REQUEST_SELECT: &[&str] = &["id", "appId", "appDisplayName", "pendingScopes"];
/// The properties it filters `appConsentRequest` on.
pub const APP_CONSENT_REQUEST_FILTER: &[&str] = &["appId"];
/// The properties it selects on `userConsentRequest`.
pub const USER_CONSENT_REQUEST_SELECT: &[&str] =
    &["id", "status", "reason", "createdDateTime", "createdBy"];
/// The properties it filters `userConsentRequest` on.
pub const USER_CONSENT_REQUEST_FILTER: &[&str] = &["status"];

/// The status of a user's request that waits for a reviewer.
pub const IN_PROGRESS: &str = "InProgress";

/// An `appConsentRequest`: what users asked an administrator to approve for one app.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppConsentRequest {
    /// Its ID.
    pub id: String,
    /// The app asked for.
    pub app_id: String,
    /// The app's display name.
    #[serde(default)]
    pub app_display_name: Option<String>,
    /// The permissions waiting for approval.
    #[serde(default)]
    pub pending_scopes: Vec<RequestScope>,
}

/// One permission of a request (`appConsentRequestScope`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestScope {
    /// The permission's name.
    #[serde(default)]
    pub display_name: Option<String>,
}

/// A `userConsentRequest`: one user's request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserConsentRequest {
    /// Its ID.
    pub id: String,
    /// `Initializing`, `InProgress`, `Expired` or `Completed`.
    #[serde(default)]
    pub status: Option<String>,
    /// The user's reason.
    #[serde(default)]
    pub reason: Option<String>,
    /// When it was made (ISO 8601).
    #[serde(default)]
    pub created_date_time: Option<String>,
    /// Who made it.
    #[serde(default)]
    pub created_by: Option<IdentitySet>,
}

/// Graph's `identitySet`, as far as a request's author goes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IdentitySet {
    /// The user.
    #[serde(default)]
    pub user: Option<Identity>,
}

/// A user identity (`identity`, or `userIdentity` with the UPN).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    /// The object ID.
    #[serde(default)]
    pub id: Option<String>,
    /// The display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The UPN (on `userIdentity`).
    #[serde(default)]
    pub user_principal_name: Option<String>,
}

/// A request that waits for a reviewer, with the permissions its app asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRequest {
    /// The user's request.
    pub request: UserConsentRequest,
    /// The permissions of the app's `appConsentRequest`.
    pub scopes: Vec<String>,
}

impl PendingRequest {
    /// Who asked: the UPN, else the display name, else the object ID.
    pub fn requested_by(&self) -> Option<&str> {
        let user = self.request.created_by.as_ref()?.user.as_ref()?;
        user.user_principal_name
            .as_deref()
            .or(user.display_name.as_deref())
            .or(user.id.as_deref())
    }
}

/// The requests for admin consent to `app_id` that wait for a reviewer, oldest first.
pub async fn pending_consent_requests(
    reader: &Reader<'_>,
    app_id: &str,
) -> Result<Vec<PendingRequest>, ReadError> {
    let filter = format!("appId eq {}", odata_string(app_id));
    let apps: Vec<AppConsentRequest> = reader
        .all(
            &["identityGovernance", "appConsent", "appConsentRequests"],
            APP_CONSENT_REQUEST_SELECT,
            &[("$filter", &filter)],
            "admin consent requests read",
        )
        .await?;
    let waiting = format!("status eq {}", odata_string(IN_PROGRESS));
    let mut pending = Vec::new();
    for app in apps
        .iter()
        .filter(|a| a.app_id.eq_ignore_ascii_case(app_id))
    {
        let requests: Vec<UserConsentRequest> = reader
            .all(
                &[
                    "identityGovernance",
                    "appConsent",
                    "appConsentRequests",
                    &app.id,
                    "userConsentRequests",
                ],
                USER_CONSENT_REQUEST_SELECT,
                &[("$filter", &waiting)],
                "users' admin consent requests read",
            )
            .await?;
        let scopes: Vec<String> = app
            .pending_scopes
            .iter()
            .filter_map(|s| s.display_name.clone())
            .collect();
        pending.extend(
            requests
                .into_iter()
                .filter(|r| {
                    r.status
                        .as_deref()
                        .is_none_or(|s| s.eq_ignore_ascii_case(IN_PROGRESS))
                })
                .map(|request| PendingRequest {
                    request,
                    scopes: scopes.clone(),
                }),
        );
    }
    pending.sort_by(|a, b| {
        a.request
            .created_date_time
            .cmp(&b.request.created_date_time)
    });
    Ok(pending)
}

//! `/v1.0/identityGovernance/appConsent/appConsentRequests`: the tenant's `consent_requests[]` as
//! Microsoft shapes them — one `appConsentRequest` per app (`id`, `appId`, `appDisplayName`,
//! `pendingScopes[].displayName`), its `userConsentRequests` (`id`, `status`, `reason`,
//! `createdDateTime`, `createdBy.user` (a `userIdentity`), `approvalId`, `completedDateTime`, `customData`) at
//! `…/appConsentRequests/{id}/userConsentRequests`, or inline with `$expand=userConsentRequests`.
//! `$filter` takes `eq` on either collection (`appId eq '…'`, `status eq 'InProgress'`); the lambda
//! filters Microsoft also accepts (`userConsentRequests/any(…)`) are answered 400 as unsupported.
//!
//! Reading needs `ConsentRequest.Read.All` or `ConsentRequest.ReadWrite.All` (delegated: by an
//! administrator); otherwise 403 `Authorization_RequestDenied`, as Graph refuses it. Read-only: the
//! stand-in offers no way to approve or deny a request (Graph has none either).

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

use super::{Call, graph_time, key_context, method_not_allowed};
use crate::errors::GraphError;
use crate::state::{AppConsentRequest, UserConsentRequest};

const READ: &[&str] = &["ConsentRequest.Read.All", "ConsentRequest.ReadWrite.All"];

fn user_request_json(request: &UserConsentRequest) -> Value {
    let completed = (request.status == "Completed").then(|| graph_time(&request.created));
    json!({
        "id": request.id,
        "approvalId": request.id,
        "status": request.status,
        "reason": request.reason,
        "createdDateTime": graph_time(&request.created),
        "completedDateTime": completed,
        "customData": null,
        "createdBy": {
            "user": {
                "@odata.type": "#microsoft.graph.userIdentity",
                "id": request.user_id,
                "displayName": request.user_display_name,
                "userPrincipalName": request.user_upn,
            }
        },
    })
}

fn app_request_json(request: &AppConsentRequest, expand: bool) -> Value {
    let mut object = json!({
        "id": request.id,
        "appId": request.app_id,
        "appDisplayName": request.app_display_name,
        "pendingScopes": request
            .pending_scopes
            .iter()
            .map(|scope| json!({ "displayName": scope }))
            .collect::<Vec<_>>(),
    });
    if expand {
        object["userConsentRequests"] = request
            .user_requests
            .iter()
            .map(user_request_json)
            .collect();
    }
    object
}

/// Routes `/identityGovernance/…`.
pub fn route(call: &Call<'_>) -> Result<Response, GraphError> {
    let segments: Vec<&str> = call.segments.iter().map(String::as_str).collect();
    let (id, nested) = match segments.as_slice() {
        ["identityGovernance", "appConsent", "appConsentRequests"] => (None, None),
        ["identityGovernance", "appConsent", "appConsentRequests", id] => (Some(*id), None),
        [
            "identityGovernance",
            "appConsent",
            "appConsentRequests",
            id,
            "userConsentRequests",
        ] => (Some(*id), Some(None)),
        [
            "identityGovernance",
            "appConsent",
            "appConsentRequests",
            id,
            "userConsentRequests",
            user,
        ] => (Some(*id), Some(Some(*user))),
        _ => {
            let last = segments.last().copied().unwrap_or("identityGovernance");
            return Err(call.error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                format!("Resource not found for the segment '{last}'."),
            ));
        }
    };
    if call.method != Method::GET {
        return Err(method_not_allowed(call));
    }
    let directory = call.shared.directory();
    call.require_admin_write(&directory, READ, READ)?;
    let tenant = &directory.tenants[call.caller.tenant];
    let expand = call
        .param("$expand")
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("userConsentRequests"));
    let base = "identityGovernance/appConsent/appConsentRequests";
    let Some(id) = id else {
        let items = tenant
            .consent_requests
            .iter()
            .map(|r| app_request_json(r, expand))
            .collect();
        return call.collection(base, "appConsentRequest", items);
    };
    let request = tenant
        .consent_requests
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| call.not_found(id))?;
    match nested {
        None => call.entity(
            StatusCode::OK,
            &format!("{base}/$entity"),
            "appConsentRequest",
            app_request_json(request, expand),
        ),
        Some(None) => call.collection(
            &format!(
                "{base}{}/userConsentRequests",
                key_context(&(None, id.to_owned()))
            ),
            "userConsentRequest",
            request
                .user_requests
                .iter()
                .map(user_request_json)
                .collect(),
        ),
        Some(Some(user)) => {
            let found = request
                .user_requests
                .iter()
                .find(|u| u.id.eq_ignore_ascii_case(user))
                .ok_or_else(|| call.not_found(user))?;
            call.entity(
                StatusCode::OK,
                &format!(
                    "{base}{}/userConsentRequests/$entity",
                    key_context(&(None, id.to_owned()))
                ),
                "userConsentRequest",
                user_request_json(found),
            )
        }
    }
}

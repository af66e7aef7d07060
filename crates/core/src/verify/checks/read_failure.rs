//! What a failed Graph read on the administrator's token means for a check.
//!
//! - Transient (network, throttling, 5xx, a truncated answer): `unverified`, as everywhere.
//! - 403: `fail` with `insufficient_admin_rights`, naming the role that can read it. This is a
//!   verdict on the sign-in rather than on the integration, but it is not transient (so not
//!   `unverified`, which the contract keeps for network, throttling and outages) and the check
//!   was attempted (so not `skipped`); causes.md defines `insufficient_admin_rights` for exactly
//!   this ("Graph 403 on the admin's token"), and a failing status makes the admin act on it.
//! - 401: `fail` with `token_invalid` / `token_wrong_audience`: the admin signs in again.
//! - 404 of the object the check is about: decided by the check itself (see `not_found`).
//! - Any other refusal (400, 409, …): `unverified` with `service_unavailable` — Graph did not
//!   answer the question, and calling that a verdict would be a false `fail`.

use serde_json::json;

use crate::cause::Cause;
use crate::check::CheckId;
use crate::endpoints::Cloud;
use crate::graph::ReadError;
use crate::http::Unavailable;
use crate::portal;
use crate::verify::CheckResult;
use crate::verify::outcome::{fail, unverified};

/// The roles that read app registrations, enterprise apps and grants.
pub const APP_READER_ROLES: &str =
    "Application Administrator, Cloud Application Administrator or Global Reader";
/// The roles that read the consent policies.
pub const POLICY_READER_ROLES: &str = "Global Reader, Cloud Application Administrator, Application Administrator or Global Administrator";
/// The roles that read users' licences.
pub const USER_READER_ROLES: &str = "User Administrator, License Administrator or Global Reader";

/// The result of a check whose read failed; `what` names what was read ("the app
/// registration"), `roles` who may read it. A 404 is treated like any other refusal here; checks
/// that give 404 a meaning match it before calling this.
pub fn read_failure(
    cloud: Cloud,
    id: CheckId,
    error: &ReadError,
    what: &str,
    roles: &str,
) -> CheckResult {
    let roles_link = Some(portal::admin_roles(cloud));
    match error {
        ReadError::Unavailable(fault) => unverified(id, fault),
        ReadError::Refused { status: 403, error } => fail(
            id,
            Cause::InsufficientAdminRights,
            format!(
                "The signed-in administrator may not read {what} (Graph 403 {}): sign in with an account that holds {roles}.",
                error.code
            ),
            json!({ "status": 403, "code": error.code, "message": error.message, "needs_role": roles }),
        )
        .with_link(roles_link),
        ReadError::Refused { status: 401, error } => {
            let cause = error.cause_for_app(401);
            fail(
                id,
                cause,
                format!(
                    "Graph did not accept the administrator's sign-in while reading {what} ({}): sign in again.",
                    error.code
                ),
                json!({ "status": 401, "code": error.code, "message": error.message }),
            )
            .with_link(roles_link)
        }
        ReadError::Refused { status, error } => other_refusal(id, what, *status, &error.code),
        ReadError::NotFound(error) => other_refusal(id, what, 404, &error.code),
    }
}

fn other_refusal(id: CheckId, what: &str, status: u16, code: &str) -> CheckResult {
    let fault = Unavailable {
        cause: Cause::ServiceUnavailable,
        detail: format!("reading {what}: Graph answered {status} {code}"),
        retry_after: None,
    };
    unverified(id, &fault)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::GraphError;
    use crate::verify::Status;

    fn refused(status: u16, code: &str) -> ReadError {
        ReadError::Refused {
            status,
            error: GraphError {
                code: code.into(),
                message: "Insufficient privileges to complete the operation.".into(),
                inner_error: None,
            },
        }
    }

    /// The mailbox check's result when reading the user failed with `error`.
    fn user_read_failure(error: &ReadError) -> CheckResult {
        read_failure(
            Cloud::Global,
            CheckId::Mailbox,
            error,
            "the user",
            USER_READER_ROLES,
        )
    }

    #[test]
    fn forbidden_is_insufficient_admin_rights() {
        let result = read_failure(
            Cloud::Global,
            CheckId::AccountType,
            &refused(403, "Authorization_RequestDenied"),
            "the app registration",
            APP_READER_ROLES,
        );
        assert_eq!(result.status, Status::Fail);
        assert_eq!(result.cause, Some(Cause::InsufficientAdminRights));
        assert!(result.message.contains("Application Administrator"));
        assert!(result.portal_link.is_some());
    }

    #[test]
    fn transient_and_odd_answers_are_unverified() {
        let throttled = ReadError::Unavailable(Unavailable {
            cause: Cause::Throttled,
            detail: "x".into(),
            retry_after: None,
        });
        let result = user_read_failure(&throttled);
        assert_eq!(
            (result.status, result.cause),
            (Status::Unverified, Some(Cause::Throttled))
        );
        let odd = user_read_failure(&refused(400, "BadRequest"));
        assert_eq!(odd.status, Status::Unverified);
        let expired = user_read_failure(&refused(401, "InvalidAuthenticationToken"));
        assert_eq!(
            (expired.status, expired.cause),
            (Status::Fail, Some(Cause::TokenInvalid))
        );
    }
}

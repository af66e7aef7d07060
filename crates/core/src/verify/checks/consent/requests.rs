//! Users' pending requests for admin consent, added to the `admin_consent` result.
//!
//! When users may not approve an app themselves and the admin consent workflow is on, they send a
//! request that waits for a reviewer. For a vendor's app (profile kind `vendor_consent`), and for
//! any app whose admin consent is missing, the `admin_consent` evidence says how many requests
//! wait (`pending_requests`), who sent them and why (`consent_requests`) and who reviews them
//! (`consent_request_reviewers`). When some wait and the only thing wrong is the missing consent
//! (or nothing is wrong), the check warns with `consent_request_pending` and points at the admin
//! center's list of requests: the next step is a reviewer's, and the wizard says whose. A request
//! read that Microsoft refuses (no `ConsentRequest.Read.All` in the sign-in) or cannot answer
//! changes no verdict; the evidence says the requests could not be read.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::cause::Cause;
use crate::endpoints::Cloud;
use crate::graph::ReadError;
use crate::graph::consent_requests::PendingRequest;
use crate::graph::policies::ReviewerScope;
use crate::portal;
use crate::profile::ProfileKind;
use crate::verify::outcome::warn;
use crate::verify::{CheckResult, Status};

/// One pending request, as the evidence and the desktop app show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConsentRequestEntry {
    /// Who asked (UPN, else display name).
    pub requested_by: Option<String>,
    /// The reason they gave.
    pub reason: Option<String>,
    /// When (ISO 8601, as Graph gave it).
    pub created: Option<String>,
    /// The permissions the app asks for.
    pub scopes: Vec<String>,
}

impl From<&PendingRequest> for ConsentRequestEntry {
    fn from(pending: &PendingRequest) -> Self {
        ConsentRequestEntry {
            requested_by: pending.requested_by().map(str::to_string),
            reason: pending.request.reason.clone(),
            created: pending.request.created_date_time.clone(),
            scopes: pending.scopes.clone(),
        }
    }
}

/// What was read about the requests.
#[derive(Debug, Clone, Copy)]
pub struct RequestReads<'a> {
    /// The pending requests for the app, or why they could not be read.
    pub requests: &'a Result<Vec<PendingRequest>, ReadError>,
    /// The workflow's reviewers, when the admin consent request policy was read.
    pub reviewers: Option<&'a [ReviewerScope]>,
}

/// Why the requests could not be read, in words.
fn unreadable(error: &ReadError) -> String {
    match error {
        ReadError::Refused { status: 401 | 403, .. } => "Microsoft refused to list the admin consent requests: the sign-in lacks ConsentRequest.Read.All, or the account holds no role that may read them (Global Reader, Cloud Application Administrator, Application Administrator). Sign in again to include them.".into(),
        other => format!("The admin consent requests could not be read ({other})."),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `result` (the `admin_consent` verdict) with what the pending requests add to it.
pub fn with_pending_requests(
    mut result: CheckResult,
    cloud: Cloud,
    kind: ProfileKind,
    reads: RequestReads<'_>,
) -> CheckResult {
    let consent_missing =
        result.status == Status::Fail && result.cause == Some(Cause::AdminConsentMissing);
    if kind != ProfileKind::VendorConsent && !consent_missing {
        return result;
    }
    let reviewers: Option<Vec<String>> = reads
        .reviewers
        .map(|r| r.iter().map(ReviewerScope::describe).collect());
    result.evidence["consent_request_reviewers"] = json!(reviewers);
    let pending = match reads.requests {
        Ok(pending) => pending,
        Err(error) => {
            result.evidence["pending_requests"] = json!(null);
            result.evidence["pending_requests_error"] = json!(unreadable(error));
            return result;
        }
    };
    let entries: Vec<ConsentRequestEntry> = pending.iter().map(ConsentRequestEntry::from).collect();
    result.evidence["pending_requests"] = json!(entries.len());
    result.evidence["consent_requests"] = json!(entries);
    if entries.is_empty() || !(consent_missing || result.status == Status::Pass) {
        return result;
    }
    let mut who: Vec<&str> = entries
        .iter()
        .filter_map(|e| e.requested_by.as_deref())
        .collect();
    who.dedup();
    let asked = plural(entries.len(), "request", "requests");
    let by = if who.is_empty() {
        String::new()
    } else {
        format!(" from {}", who.join(", "))
    };
    let message = if consent_missing {
        format!(
            "{asked} for admin consent{by} wait for a reviewer. Nobody has approved the app for the organisation yet; those users can connect once a reviewer accepts."
        )
    } else {
        format!(
            "The app is approved for the organisation, but {asked} for admin consent{by} still wait for a reviewer; they may ask for permissions beyond those granted."
        )
    };
    let reviewed_by = match &reviewers {
        Some(list) if !list.is_empty() => format!(" The workflow's reviewers: {}.", list.join("; ")),
        Some(_) => " The workflow names no reviewer: choose reviewers under Enterprise apps > Consent and permissions > Admin consent settings.".to_string(),
        None => String::new(),
    };
    let mut warned = warn(
        result.id,
        Cause::ConsentRequestPending,
        message,
        result.evidence.clone(),
    )
    .with_link(Some(portal::admin_consent_requests(cloud)));
    warned.fix = Some(format!(
        "A reviewer opens Enterprise apps > Admin consent requests > My Pending in the Microsoft Entra admin center, selects the app, chooses Review permissions and consent, checks what it asks for and accepts (or denies with a reason); the users then connect again.{reviewed_by}"
    ));
    warned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckId;
    use crate::graph::GraphError;
    use crate::graph::consent_requests::{Identity, IdentitySet, UserConsentRequest};
    use crate::verify::outcome::{fail, pass};

    fn request(upn: &str) -> PendingRequest {
        PendingRequest {
            request: UserConsentRequest {
                id: "r1".into(),
                status: Some("InProgress".into()),
                reason: Some("calendar".into()),
                created_date_time: Some("2026-05-20T09:30:00Z".into()),
                created_by: Some(IdentitySet {
                    user: Some(Identity {
                        id: Some("u1".into()),
                        display_name: Some("Bob".into()),
                        user_principal_name: Some(upn.into()),
                    }),
                }),
            },
            scopes: vec!["Calendars.ReadWrite".into()],
        }
    }

    fn missing() -> CheckResult {
        fail(
            CheckId::AdminConsent,
            Cause::AdminConsentMissing,
            "not approved",
            json!({ "service_principal": null }),
        )
    }

    fn reviewer() -> Vec<ReviewerScope> {
        vec![ReviewerScope {
            query: Some("/users/aaaaaaaa-0000-0000-0000-000000000001".into()),
            query_type: Some("MicrosoftGraph".into()),
        }]
    }

    #[test]
    fn waiting_requests_turn_missing_consent_into_a_warning_that_names_them() {
        let requests = Ok(vec![request("bob@contoso.com")]);
        let reviewers = reviewer();
        let result = with_pending_requests(
            missing(),
            Cloud::Global,
            ProfileKind::VendorConsent,
            RequestReads {
                requests: &requests,
                reviewers: Some(&reviewers),
            },
        );
        assert_eq!(
            (result.status, result.cause),
            (Status::Warn, Some(Cause::ConsentRequestPending))
        );
        assert_eq!(result.evidence["pending_requests"], 1);
        assert_eq!(
            result.evidence["consent_requests"][0]["requested_by"],
            "bob@contoso.com"
        );
        assert_eq!(result.evidence["service_principal"], json!(null));
        assert!(result.message.contains("bob@contoso.com"), "{result:?}");
        assert!(
            result
                .fix
                .as_deref()
                .is_some_and(|f| f.contains("user aaaaaaaa-0000-0000-0000-000000000001"))
        );
        assert_eq!(
            result.portal_link.as_deref(),
            Some(portal::admin_consent_requests(Cloud::Global).as_str())
        );
    }

    #[test]
    fn no_requests_or_an_unreadable_list_change_nothing_but_the_evidence() {
        let none = Ok(Vec::new());
        let result = with_pending_requests(
            missing(),
            Cloud::Global,
            ProfileKind::VendorConsent,
            RequestReads {
                requests: &none,
                reviewers: None,
            },
        );
        assert_eq!(result.status, Status::Fail);
        assert_eq!(result.evidence["pending_requests"], 0);
        let refused = Err(ReadError::Refused {
            status: 403,
            error: GraphError {
                code: "Authorization_RequestDenied".into(),
                message: "Insufficient privileges to complete the operation.".into(),
                inner_error: None,
            },
        });
        let result = with_pending_requests(
            missing(),
            Cloud::Global,
            ProfileKind::DelegatedWeb,
            RequestReads {
                requests: &refused,
                reviewers: None,
            },
        );
        assert_eq!(
            (result.status, result.cause),
            (Status::Fail, Some(Cause::AdminConsentMissing))
        );
        assert_eq!(result.evidence["pending_requests"], json!(null));
        assert!(
            result.evidence["pending_requests_error"]
                .as_str()
                .is_some_and(|e| e.contains("ConsentRequest.Read.All"))
        );
    }

    #[test]
    fn an_app_with_its_consent_keeps_its_pass_unless_it_is_a_vendors() {
        let requests = Ok(vec![request("bob@contoso.com")]);
        let reads = RequestReads {
            requests: &requests,
            reviewers: None,
        };
        let granted = || pass(CheckId::AdminConsent, "granted", json!({}));
        let own = with_pending_requests(granted(), Cloud::Global, ProfileKind::DelegatedWeb, reads);
        assert_eq!(own.status, Status::Pass);
        assert!(own.evidence.get("pending_requests").is_none());
        let vendor =
            with_pending_requests(granted(), Cloud::Global, ProfileKind::VendorConsent, reads);
        assert_eq!(
            (vendor.status, vendor.cause),
            (Status::Warn, Some(Cause::ConsentRequestPending))
        );
    }
}

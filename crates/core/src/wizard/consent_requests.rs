//! The pending requests for admin consent the permissions step lists: read back from the latest
//! `admin_consent` result's evidence (`pending_requests`, `consent_requests`,
//! `consent_request_reviewers`, `pending_requests_error`), with the Entra admin center page where
//! a reviewer approves them. Nothing is shown when the check has not read requests (no
//! administrator signed in, or an app that holds its consent).

use serde::Serialize;

use crate::check::CheckId;
use crate::endpoints::Cloud;
use crate::portal;
use crate::verify::CheckResult;
use crate::verify::checks::consent::ConsentRequestEntry;

/// Users' requests for admin consent to the app, as the permissions step shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PendingConsentRequests {
    /// How many wait for a reviewer; `None` when they could not be read.
    pub count: Option<u32>,
    /// The requests, oldest first.
    pub requests: Vec<ConsentRequestEntry>,
    /// Who reviews them, in words (empty when not known).
    pub reviewers: Vec<String>,
    /// Why they could not be read, when they could not.
    pub unreadable: Option<String>,
    /// Enterprise apps > Admin consent requests in the Entra admin center.
    pub review_link: String,
}

/// The pending requests the latest `admin_consent` result read, if it read any.
pub fn pending_consent_requests(
    results: &[CheckResult],
    cloud: Cloud,
) -> Option<PendingConsentRequests> {
    let evidence = &results
        .iter()
        .find(|r| r.id == CheckId::AdminConsent)?
        .evidence;
    let count = evidence.get("pending_requests")?;
    let requests: Vec<ConsentRequestEntry> = evidence
        .get("consent_requests")
        .and_then(|r| serde_json::from_value(r.clone()).ok())
        .unwrap_or_default();
    let reviewers: Vec<String> = evidence
        .get("consent_request_reviewers")
        .and_then(|r| serde_json::from_value(r.clone()).ok())
        .unwrap_or_default();
    Some(PendingConsentRequests {
        count: count.as_u64().and_then(|n| u32::try_from(n).ok()),
        requests,
        reviewers,
        unreadable: evidence["pending_requests_error"]
            .as_str()
            .map(str::to_string),
        review_link: portal::admin_consent_requests(cloud),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cause::Cause;
    use crate::verify::outcome::{pass, warn};
    use serde_json::json;

    #[test]
    fn the_requests_are_read_back_from_the_admin_consent_evidence() {
        let waiting = warn(
            CheckId::AdminConsent,
            Cause::ConsentRequestPending,
            "2 requests wait",
            json!({
                "pending_requests": 1,
                "consent_requests": [{"requested_by": "bob@contoso.com", "reason": "calendar",
                                      "created": "2026-05-20T09:30:00Z", "scopes": ["User.Read"]}],
                "consent_request_reviewers": ["user aaaa"],
            }),
        );
        let shown = pending_consent_requests(&[waiting], Cloud::Global).expect("shown");
        assert_eq!(shown.count, Some(1));
        assert_eq!(
            shown.requests[0].requested_by.as_deref(),
            Some("bob@contoso.com")
        );
        assert_eq!(shown.reviewers, ["user aaaa"]);
        assert!(shown.review_link.ends_with("/AccessRequests"));

        let unread = warn(
            CheckId::AdminConsent,
            Cause::AdminConsentMissing,
            "missing",
            json!({ "pending_requests": null, "pending_requests_error": "refused" }),
        );
        let shown = pending_consent_requests(&[unread], Cloud::Global).expect("shown");
        assert_eq!(
            (shown.count, shown.unreadable.as_deref()),
            (None, Some("refused"))
        );

        let granted = pass(CheckId::AdminConsent, "granted", json!({ "grants": [] }));
        assert_eq!(pending_consent_requests(&[granted], Cloud::Global), None);
        assert_eq!(pending_consent_requests(&[], Cloud::Global), None);
    }
}

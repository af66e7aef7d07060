//! Graph's error body, `{"error":{"code","message","innerError":{"date","request-id",…}}}`
//! (`innererror` accepted too), and what it means as a cause id.

use serde::Deserialize;

use crate::cause::Cause;

/// The body of a Graph error.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GraphErrorBody {
    /// The error.
    pub error: GraphError,
}

/// A Graph error.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GraphError {
    /// `ErrorAccessDenied`, `MailboxNotEnabledForRESTAPI`, …
    pub code: String,
    /// Microsoft's message (shown as evidence; only the RAOP and audience wording is read).
    #[serde(default)]
    pub message: String,
    /// Request ids for a support case.
    #[serde(default, alias = "innererror", rename = "innerError")]
    pub inner_error: Option<serde_json::Value>,
}

impl GraphError {
    /// Parse an error body; `None` when it is not one.
    pub fn parse(body: &[u8]) -> Option<GraphError> {
        serde_json::from_slice::<GraphErrorBody>(body)
            .ok()
            .map(|b| b.error)
    }

    /// The cause this error means for a request made with the app's own token.
    pub fn cause_for_app(&self, status: u16) -> Cause {
        match self.code.as_str() {
            "MailboxNotEnabledForRESTAPI" => Cause::MailboxUnavailable,
            "ErrorAccessDenied" if self.is_access_policy_denial() => {
                Cause::MailboxAccessPolicyDenied
            }
            "NoPermissionsInAccessToken" => Cause::AdminConsentMissing,
            "ErrorAccessDenied" | "Authorization_RequestDenied" | "AccessDenied" => {
                Cause::PermissionMissing
            }
            "InvalidAuthenticationToken" if self.complains_of_audience() => {
                Cause::TokenWrongAudience
            }
            "InvalidAuthenticationToken" => Cause::TokenInvalid,
            "Request_ResourceNotFound"
            | "ErrorInvalidUser"
            | "ErrorItemNotFound"
            | "ResourceNotFound" => Cause::ObjectNotFound,
            "CredentialInvalidLifetimeAsPerAppPolicy" => Cause::SecretLifetimePolicy,
            _ if status == 403 => Cause::PermissionMissing,
            _ if status == 404 => Cause::ObjectNotFound,
            _ => Cause::TokenInvalid,
        }
    }

    /// An Exchange application access policy (RAOP) denied the mailbox.
    pub fn is_access_policy_denial(&self) -> bool {
        let m = self.message.to_ascii_lowercase();
        m.contains("[raop]") || m.contains("accesspolicy") || m.contains("access policy")
    }

    fn complains_of_audience(&self) -> bool {
        self.message.to_ascii_lowercase().contains("audience")
    }

    /// Evidence: the code, the message and the request id.
    pub fn evidence(&self) -> serde_json::Value {
        serde_json::json!({
            "code": self.code,
            "message": self.message,
            "request_id": self.inner_error.as_ref().and_then(|i| i.get("request-id")).cloned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_real_shapes() {
        let raop = br#"{"error":{"code":"ErrorAccessDenied","message":"Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.","innerError":{"request-id":"r"}}}"#;
        assert_eq!(
            GraphError::parse(raop).expect("body").cause_for_app(403),
            Cause::MailboxAccessPolicyDenied
        );
        let mailbox = br#"{"error":{"code":"MailboxNotEnabledForRESTAPI","message":"The mailbox is either inactive, soft-deleted, or is hosted on-premise.","innererror":{}}}"#;
        assert_eq!(
            GraphError::parse(mailbox).expect("body").cause_for_app(404),
            Cause::MailboxUnavailable
        );
        let audience =
            br#"{"error":{"code":"InvalidAuthenticationToken","message":"Invalid audience."}}"#;
        assert_eq!(
            GraphError::parse(audience)
                .expect("body")
                .cause_for_app(401),
            Cause::TokenWrongAudience
        );
        assert!(GraphError::parse(b"{}").is_none());
    }
}

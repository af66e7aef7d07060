//! The identity platform's error body: `error`, `error_description`, `error_codes`,
//! `timestamp`, `trace_id`, `correlation_id`, `error_uri`, and sometimes `suberror`.

use serde::{Deserialize, Serialize};

/// An error answered by the identity platform.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct AadError {
    /// The OAuth error (`invalid_client`, `unauthorized_client`, …).
    pub error: String,
    /// The AADSTS numbers, most specific first.
    #[serde(default)]
    pub error_codes: Vec<u32>,
    /// Microsoft's description (for people and evidence only; never parsed for decisions).
    #[serde(default)]
    pub error_description: Option<String>,
    /// Microsoft's trace id, for a support case.
    #[serde(default)]
    pub trace_id: Option<String>,
    /// Microsoft's correlation id, for a support case.
    #[serde(default)]
    pub correlation_id: Option<String>,
    /// A finer reason (`consent_required`, `message_only`, …), when given.
    #[serde(default)]
    pub suberror: Option<String>,
}

impl AadError {
    /// Parse an error body; `None` when it is not one.
    pub fn parse(body: &[u8]) -> Option<AadError> {
        serde_json::from_slice::<AadError>(body)
            .ok()
            .filter(|e| !e.error.is_empty())
    }

    /// The first AADSTS code, when there is one.
    pub fn code(&self) -> Option<u32> {
        self.error_codes.first().copied()
    }

    /// `AADSTS7000215` (or the OAuth error when there is no code).
    pub fn label(&self) -> String {
        self.code()
            .map_or_else(|| self.error.clone(), |c| format!("AADSTS{c}"))
    }

    /// The evidence a check keeps: codes and ids, and the description's first sentence.
    pub fn evidence(&self) -> serde_json::Value {
        let first_sentence = self.error_description.as_deref().map(|d| {
            let d = d.split(['\r', '\n']).next().unwrap_or(d);
            d.split(" Trace ID:").next().unwrap_or(d).trim().to_string()
        });
        serde_json::json!({
            "error": self.error,
            "error_codes": self.error_codes,
            "description": first_sentence,
            "trace_id": self.trace_id,
            "correlation_id": self.correlation_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_real_body_and_keeps_only_the_first_sentence() {
        let body = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Trace ID: 1 Correlation ID: 2 Timestamp: 2025-08-18 15:26:14Z","error_codes":[7000215],"timestamp":"2025-08-18 15:26:14Z","trace_id":"1","correlation_id":"2","error_uri":"https://login.microsoftonline.com/error?code=7000215"}"#;
        let e = AadError::parse(body).expect("error body");
        assert_eq!(e.code(), Some(7000215));
        assert_eq!(e.label(), "AADSTS7000215");
        assert_eq!(
            e.evidence()["description"],
            "AADSTS7000215: Invalid client secret provided."
        );
        assert!(AadError::parse(b"<html>").is_none());
        assert!(AadError::parse(br#"{"error":""}"#).is_none());
    }
}

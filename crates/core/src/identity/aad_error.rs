//! The identity platform's error body: `error`, `error_description`, `error_codes`,
//! `timestamp`, `trace_id`, `correlation_id`, `error_uri`, sometimes `suberror` — and the body
//! itself, as answered.
//!
//! [`AadError`] is also the `oauth2` crate's error type for every request the core makes through
//! it ([`oauth2::ErrorResponse`]): the crate's standard error keeps only `error`,
//! `error_description` and `error_uri`, and the product classifies by the AADSTS numbers of
//! `error_codes`. A body without an `error` is not an error body (the crate then reports a parse
//! failure, which the core treats as a broken answer, not a refusal).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// An error answered by the identity platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AadError {
    /// The OAuth error (`invalid_client`, `unauthorized_client`, …).
    pub error: String,
    /// The AADSTS numbers, most specific first.
    pub error_codes: Vec<u32>,
    /// Microsoft's description (for people and evidence only; never parsed for decisions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// A finer reason (`consent_required`, `message_only`, …), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suberror: Option<String>,
    /// Microsoft's trace id, for a support case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// Microsoft's correlation id, for a support case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// When Microsoft answered (`2025-08-18 15:26:14Z`), for a support case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Microsoft's page about the error (`…/error?code=7000215`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_uri: Option<String>,
    /// What was answered, whole: the JSON body of a back-channel answer, or the query of the
    /// browser's redirect less its `state` and `code`. Fields Microsoft adds later are here.
    #[serde(skip)]
    pub raw: String,
}

/// The fields of an error body, as read before the body itself is kept beside them.
#[derive(Deserialize)]
struct Fields {
    error: String,
    #[serde(default)]
    error_codes: Vec<u32>,
    #[serde(default)]
    error_description: Option<String>,
    #[serde(default)]
    suberror: Option<String>,
    #[serde(default)]
    trace_id: Option<String>,
    #[serde(default)]
    correlation_id: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
    #[serde(default)]
    error_uri: Option<String>,
}

impl<'de> Deserialize<'de> for AadError {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let raw = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
        let fields: Fields = serde_json::from_str(raw.get()).map_err(D::Error::custom)?;
        if fields.error.is_empty() {
            return Err(D::Error::custom("an error body without an `error`"));
        }
        Ok(AadError {
            error: fields.error,
            error_codes: fields.error_codes,
            error_description: fields.error_description,
            suberror: fields.suberror,
            trace_id: fields.trace_id,
            correlation_id: fields.correlation_id,
            timestamp: fields.timestamp,
            error_uri: fields.error_uri,
            raw: raw.get().to_owned(),
        })
    }
}

/// `invalid_client AADSTS7000215`: the codes only (the description is for people, and long).
impl fmt::Display for AadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.error)?;
        for code in &self.error_codes {
            write!(f, " AADSTS{code}")?;
        }
        Ok(())
    }
}

impl oauth2::ErrorResponse for AadError {}

impl AadError {
    /// Parse an error body; `None` when it is not one.
    pub fn parse(body: &[u8]) -> Option<AadError> {
        serde_json::from_slice::<AadError>(body).ok()
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

    const BODY: &str = r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Trace ID: 1 Correlation ID: 2 Timestamp: 2025-08-18 15:26:14Z","error_codes":[7000215],"timestamp":"2025-08-18 15:26:14Z","trace_id":"1","correlation_id":"2","error_uri":"https://login.microsoftonline.com/error?code=7000215","claims":"{}"}"#;

    #[test]
    fn parses_a_real_body_and_keeps_only_the_first_sentence() {
        let e = AadError::parse(BODY.as_bytes()).expect("error body");
        assert_eq!(e.code(), Some(7000215));
        assert_eq!(e.label(), "AADSTS7000215");
        assert_eq!(
            e.evidence()["description"],
            "AADSTS7000215: Invalid client secret provided."
        );
        assert!(AadError::parse(b"<html>").is_none());
        assert!(AadError::parse(br#"{"error":""}"#).is_none());
        assert!(AadError::parse(br#"{"error_codes":[50011]}"#).is_none());
    }

    #[test]
    fn every_field_and_the_body_are_kept() {
        let e = AadError::parse(BODY.as_bytes()).expect("error body");
        assert_eq!(e.timestamp.as_deref(), Some("2025-08-18 15:26:14Z"));
        assert_eq!(e.trace_id.as_deref(), Some("1"));
        assert_eq!(e.correlation_id.as_deref(), Some("2"));
        assert_eq!(
            e.error_uri.as_deref(),
            Some("https://login.microsoftonline.com/error?code=7000215")
        );
        assert_eq!(e.raw, BODY, "a field the type does not name is kept too");
        assert_eq!(e.to_string(), "invalid_client AADSTS7000215");
        let with_suberror = AadError::parse(
            br#"{"error":"invalid_grant","error_codes":[65001],"suberror":"consent_required"}"#,
        )
        .expect("error body");
        assert_eq!(with_suberror.suberror.as_deref(), Some("consent_required"));
    }

    /// The `oauth2` crate reads the error bodies of the requests made through it as `AadError`
    /// (through `serde_path_to_error`): nothing of Microsoft's body is lost on that path either.
    #[tokio::test]
    async fn the_oauth2_crate_keeps_the_codes() {
        use oauth2::{HttpRequest, RequestTokenError};
        let endpoints = crate::endpoints::Endpoints::for_cloud(crate::endpoints::Cloud::Global);
        let client = super::super::oauth::client(&endpoints, "contoso.com", "app").expect("client");
        let answer = |_: HttpRequest| async {
            Ok::<_, std::io::Error>(
                oauth2::http::Response::builder()
                    .status(401)
                    .header("content-type", "application/json; charset=utf-8")
                    .body(BODY.as_bytes().to_vec())
                    .expect("response"),
            )
        };
        let refused = client
            .exchange_client_credentials()
            .request_async(&answer)
            .await
            .expect_err("refused");
        let RequestTokenError::ServerResponse(error) = refused else {
            panic!("{refused:?}");
        };
        assert_eq!(error, AadError::parse(BODY.as_bytes()).expect("body"));
    }
}

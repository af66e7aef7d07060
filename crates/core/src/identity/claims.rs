//! What a token says about itself: the claims in its payload (`roles`, `scp`, `tid`, `aud`,
//! `appid`). The signature is not checked — the wizard reads its own fresh tokens to see what was
//! granted; it never trusts a token it was handed for a security decision.

use base64::Engine;
use serde::Deserialize;

/// The claims the checks read.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct TokenClaims {
    /// Application permissions granted (app tokens).
    #[serde(default)]
    pub roles: Vec<String>,
    /// Delegated permissions granted, space-separated (user tokens).
    #[serde(default)]
    pub scp: Option<String>,
    /// The tenant GUID.
    #[serde(default)]
    pub tid: Option<String>,
    /// The audience (resource).
    #[serde(default)]
    pub aud: Option<String>,
    /// The client the token was issued to (v1 tokens).
    #[serde(default)]
    pub appid: Option<String>,
    /// The client the token was issued to (v2 tokens).
    #[serde(default)]
    pub azp: Option<String>,
    /// `app` for app-only tokens.
    #[serde(default)]
    pub idtyp: Option<String>,
    /// Who signed in (user tokens).
    #[serde(default)]
    pub upn: Option<String>,
}

impl TokenClaims {
    /// Read the payload of a JWT. `None` when it is not one.
    pub fn read(token: &str) -> Option<TokenClaims> {
        let payload = token.split('.').nth(1)?;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The delegated scopes, one per item.
    pub fn scopes(&self) -> Vec<String> {
        self.scp
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &serde_json::Value) -> String {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.sig",
            engine.encode(b"{\"alg\":\"RS256\"}"),
            engine.encode(payload.to_string())
        )
    }

    #[test]
    fn reads_roles_and_scopes() {
        let claims = TokenClaims::read(&jwt(&serde_json::json!({
            "roles": ["Calendars.Read"], "tid": "t", "aud": "https://graph.microsoft.com", "idtyp": "app"
        })))
        .expect("claims");
        assert_eq!(claims.roles, ["Calendars.Read"]);
        assert_eq!(claims.idtyp.as_deref(), Some("app"));
        let claims = TokenClaims::read(&jwt(&serde_json::json!({"scp": "Mail.Send User.Read"})))
            .expect("claims");
        assert_eq!(claims.scopes(), ["Mail.Send", "User.Read"]);
        assert!(TokenClaims::read("not-a-token").is_none());
    }
}

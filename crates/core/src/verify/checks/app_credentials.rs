//! `client_id` and `client_secret` from one client-credentials request: Microsoft's answer tells
//! apart an unknown app (AADSTS700016), a disabled one (7000112), a wrong secret (7000215 — and
//! the secret's ID pasted instead of its value, recognised by its GUID shape), an expired one
//! (7000222) and a public client that must not send one (700025). Without a secret the same
//! request still tells whether the app exists (7000218 means it does).

use serde_json::{Value, json};

use crate::cause::Cause;
use crate::check::CheckId;
use crate::identity::{self, AadError, AppToken, TokenError};
use crate::portal::{self, AppPage};
use crate::secret::Secret;
use crate::validate::is_guid;
use crate::verify::outcome::{downstream, fail, pass, skipped, unverified};
use crate::verify::{CheckResult, Context, SkipReason};

/// What the request decided.
pub struct Credentials {
    /// The `client_id` result.
    pub client_id: CheckResult,
    /// The `client_secret` result (`client_certificate` when a certificate proved the app).
    pub client_secret: CheckResult,
    /// The app token, when the secret (or certificate) works.
    pub token: Option<AppToken>,
}

/// Ask for an app token with the given ID and secret.
pub async fn run(
    ctx: &Context,
    tenant_id: &str,
    client_id: &str,
    secret: Option<&Secret>,
) -> Credentials {
    let cloud = ctx.endpoints.cloud;
    let overview = Some(portal::app_registration(
        cloud,
        client_id,
        AppPage::Overview,
    ));
    let credentials_page = Some(portal::app_registration(
        cloud,
        client_id,
        AppPage::Credentials,
    ));
    let scope = ctx.endpoints.graph_default_scope();
    let empty = Secret::new("");
    let sent = secret.unwrap_or(&empty);
    let outcome = identity::client_credentials(
        &ctx.http,
        &ctx.endpoints,
        tenant_id,
        client_id,
        sent,
        &scope,
    )
    .await;
    let accepted = |token: &AppToken| {
        pass(
            CheckId::ClientSecret,
            format!(
                "The secret starting '{}' is valid: Microsoft issued a token with it.",
                sent.hint()
            ),
            json!({ "hint": sent.hint(), "roles": token.claims.roles, "expires_in": token.expires_in }),
        )
    };
    let refused = |error: &AadError, cause: Option<Cause>, evidence| {
        if cause == Some(Cause::SecretMissing) && secret.is_none() {
            return skipped(
                CheckId::ClientSecret,
                SkipReason::MissingInput,
                "No client secret was given.",
            )
            .with_needs(&[crate::verify::Needed::ClientSecret]);
        }
        let cause = match cause {
            Some(Cause::SecretInvalid) if is_guid(sent.expose().trim()) => Cause::SecretIsSecretId,
            Some(cause) => cause,
            None => Cause::SecretInvalid,
        };
        let message = match cause {
            Cause::SecretIsSecretId => format!(
                "What was given as the secret is a GUID: the secret's ID, not its value ({}).",
                error.label()
            ),
            Cause::SecretExpired => format!(
                "The secret starting '{}' has expired ({}).",
                sent.hint(),
                error.label()
            ),
            Cause::SecretInvalid => format!(
                "Microsoft does not accept the secret starting '{}' for this app ({}).",
                sent.hint(),
                error.label()
            ),
            _ => format!("Microsoft refused the app's sign-in ({}).", error.label()),
        };
        fail(CheckId::ClientSecret, cause, message, evidence).with_link(credentials_page)
    };
    let answer = Answer {
        client_id,
        proof: CheckId::ClientSecret,
        unknown_app_link: portal::app_registrations(cloud),
        disabled_app_link: overview,
    };
    answer.judge(outcome, |evidence| evidence, accepted, refused)
}

/// What Microsoft's answer to a client-credentials request says, for a secret and a certificate
/// alike: the app found (a token, or a refusal of its credential), unknown or disabled (the
/// credential's check then stands downstream), or Microsoft unavailable (both unverified, also
/// for a refusal whose cause is transient).
pub(super) struct Answer<'a> {
    /// The app asked for.
    pub client_id: &'a str,
    /// The credential's check: `client_secret` or `client_certificate`.
    pub proof: CheckId,
    /// The portal page linked when no app has the client ID.
    pub unknown_app_link: String,
    /// The portal page linked when the app is disabled.
    pub disabled_app_link: Option<String>,
}

impl Answer<'_> {
    /// Judge `outcome`: `accepted` judges the credential when a token was issued; a refusal's
    /// evidence is `evidence` of Microsoft's, and `refused` judges a refusal of the credential
    /// itself (with its cause, when Microsoft names a known one).
    pub fn judge(
        self,
        outcome: Result<AppToken, TokenError>,
        evidence: impl FnOnce(Value) -> Value,
        accepted: impl FnOnce(&AppToken) -> CheckResult,
        refused: impl FnOnce(&AadError, Option<Cause>, Value) -> CheckResult,
    ) -> Credentials {
        let client_id = self.client_id;
        let app_found = || {
            pass(
                CheckId::ClientId,
                format!("The app {client_id} is registered in the tenant and enabled."),
                json!({ "client_id": client_id }),
            )
        };
        let unavailable = |fault: &crate::http::Unavailable| Credentials {
            client_id: unverified(CheckId::ClientId, fault),
            client_secret: unverified(self.proof, fault),
            token: None,
        };
        let error = match outcome {
            Ok(token) => {
                return Credentials {
                    client_id: app_found(),
                    client_secret: accepted(&token),
                    token: Some(token),
                };
            }
            Err(TokenError::Unavailable(fault)) => return unavailable(&fault),
            Err(TokenError::Rejected(error)) => error,
        };
        let evidence = evidence(error.evidence());
        let (cause, message, link) = match identity::cause_of(&error) {
            Some(Cause::ClientIdNotFound) => (
                Cause::ClientIdNotFound,
                format!(
                    "No app with the ID {client_id} exists in this tenant ({}).",
                    error.label()
                ),
                Some(self.unknown_app_link),
            ),
            Some(Cause::AppDisabled) => (
                Cause::AppDisabled,
                format!(
                    "The app {client_id} exists but is disabled ({}).",
                    error.label()
                ),
                self.disabled_app_link,
            ),
            Some(cause) if cause.is_transient() => {
                return unavailable(&crate::http::Unavailable {
                    cause,
                    detail: error.label(),
                    retry_after: None,
                });
            }
            other => {
                return Credentials {
                    client_id: app_found(),
                    client_secret: refused(&error, other, evidence),
                    token: None,
                };
            }
        };
        let id = fail(CheckId::ClientId, cause, message, evidence).with_link(link);
        Credentials {
            client_secret: downstream(self.proof, &id),
            client_id: id,
            token: None,
        }
    }
}

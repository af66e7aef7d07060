//! `client_id` and `client_secret` from one client-credentials request: Microsoft's answer tells
//! apart an unknown app (AADSTS700016), a disabled one (7000112), a wrong secret (7000215 — and
//! the secret's ID pasted instead of its value, recognised by its GUID shape), an expired one
//! (7000222) and a public client that must not send one (700025). Without a secret the same
//! request still tells whether the app exists (7000218 means it does).

use serde_json::json;

use crate::cause::Cause;
use crate::check::CheckId;
use crate::identity::{self, AppToken, TokenError};
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
    let app_found = || {
        pass(
            CheckId::ClientId,
            format!("The app {client_id} is registered in the tenant and enabled."),
            json!({ "client_id": client_id }),
        )
    };
    match outcome {
        Ok(token) => {
            let evidence = json!({ "hint": sent.hint(), "roles": token.claims.roles, "expires_in": token.expires_in });
            Credentials {
                client_id: app_found(),
                client_secret: pass(
                    CheckId::ClientSecret,
                    format!(
                        "The secret starting '{}' is valid: Microsoft issued a token with it.",
                        sent.hint()
                    ),
                    evidence,
                ),
                token: Some(token),
            }
        }
        Err(TokenError::Unavailable(fault)) => Credentials {
            client_id: unverified(CheckId::ClientId, &fault),
            client_secret: unverified(CheckId::ClientSecret, &fault),
            token: None,
        },
        Err(TokenError::Rejected(error)) => {
            let evidence = error.evidence();
            let cause = identity::cause_of(&error);
            match cause {
                Some(Cause::ClientIdNotFound) => {
                    let id = fail(
                        CheckId::ClientId,
                        Cause::ClientIdNotFound,
                        format!(
                            "No app with the ID {client_id} exists in this tenant ({}).",
                            error.label()
                        ),
                        evidence,
                    )
                    .with_link(Some(portal::app_registrations(cloud)));
                    let secret = downstream(CheckId::ClientSecret, &id);
                    Credentials {
                        client_id: id,
                        client_secret: secret,
                        token: None,
                    }
                }
                Some(Cause::AppDisabled) => {
                    let id = fail(
                        CheckId::ClientId,
                        Cause::AppDisabled,
                        format!(
                            "The app {client_id} exists but is disabled ({}).",
                            error.label()
                        ),
                        evidence,
                    )
                    .with_link(overview);
                    let secret = downstream(CheckId::ClientSecret, &id);
                    Credentials {
                        client_id: id,
                        client_secret: secret,
                        token: None,
                    }
                }
                Some(cause) if cause.is_transient() => {
                    let fault = crate::http::Unavailable {
                        cause,
                        detail: error.label(),
                        retry_after: None,
                    };
                    Credentials {
                        client_id: unverified(CheckId::ClientId, &fault),
                        client_secret: unverified(CheckId::ClientSecret, &fault),
                        token: None,
                    }
                }
                Some(Cause::SecretMissing) if secret.is_none() => Credentials {
                    client_id: app_found(),
                    client_secret: skipped(
                        CheckId::ClientSecret,
                        SkipReason::MissingInput,
                        "No client secret was given.",
                    )
                    .with_needs(&[crate::verify::Needed::ClientSecret]),
                    token: None,
                },
                other => {
                    let cause = match other {
                        Some(Cause::SecretInvalid) if is_guid(sent.expose().trim()) => {
                            Cause::SecretIsSecretId
                        }
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
                    Credentials {
                        client_id: app_found(),
                        client_secret: fail(CheckId::ClientSecret, cause, message, evidence)
                            .with_link(credentials_page),
                        token: None,
                    }
                }
            }
        }
    }
}

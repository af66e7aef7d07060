//! Signing a person in with the device-code flow: the program shows a code and a web address,
//! the person signs in on any device, and the program polls the token endpoint until they have
//! (`authorization_pending`), declined (`authorization_declined`) or the code expired
//! (`expired_token`). `slow_down` adds five seconds to the interval, as RFC 8628 says.
//!
//! The device authorization request is the `oauth2` crate's ([`super::oauth`]). The poll is
//! written here, on the shared [`Http`] client, because the crate's poll reads every error with
//! its own `DeviceCodeErrorResponse` (whatever error type the client has), which drops
//! Microsoft's `error_codes` — the AADSTS numbers a refused sign-in is classified by — and it
//! would retry network faults on its own beside [`Http`]'s retries. The poll is small: one form,
//! the four RFC 8628 answers, everything else a refusal with its codes.

use std::time::{Duration, Instant};

use oauth2::basic::BasicTokenResponse;
use oauth2::{DeviceAuthorizationUrl, ExtraDeviceAuthorizationFields, Scope};
use serde::{Deserialize, Serialize};

use crate::endpoints::Endpoints;
use crate::http::{Http, Unavailable};

use super::oauth::{self, Sender};
use super::sign_in::{SignInError, UserTokens, tenant_url, token_url};

/// What the person must do: open `verification_uri` and enter `user_code`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DevicePrompt {
    /// The code to enter.
    pub user_code: String,
    /// Where to enter it.
    pub verification_uri: String,
    /// Microsoft's instructions, in the sign-in language.
    #[serde(default)]
    pub message: Option<String>,
    /// Seconds the code is valid.
    pub expires_in: u64,
}

/// What Microsoft's device authorization answer adds to RFC 8628's: the instructions.
#[derive(Debug, Deserialize, Serialize)]
struct MicrosoftDeviceFields {
    #[serde(default)]
    message: Option<String>,
}

impl ExtraDeviceAuthorizationFields for MicrosoftDeviceFields {}

/// Sign a person in with a device code; `show` is called once with what to tell them.
#[tracing::instrument(name = "device_code_sign_in", skip_all, fields(tenant, client_id))]
pub async fn sign_in_with_device_code(
    http: &Http,
    endpoints: &Endpoints,
    tenant: &str,
    client_id: &str,
    scopes: &[String],
    show: &(dyn Fn(&DevicePrompt) + Send + Sync),
) -> Result<UserTokens, SignInError> {
    const WHAT: &str = "device code request";
    tracing::Span::current()
        .record("tenant", tenant)
        .record("client_id", client_id);
    let device_url = tenant_url(endpoints, tenant, &["oauth2", "v2.0", "devicecode"])?;
    let client = oauth::client(endpoints, tenant, client_id)?
        .set_device_authorization_url(DeviceAuthorizationUrl::from_url(device_url));
    let code: oauth2::DeviceAuthorizationResponse<MicrosoftDeviceFields> = client
        .exchange_device_code()
        .add_scopes(scopes.iter().cloned().map(Scope::new))
        .request_async(&Sender::new(http, WHAT))
        .await
        .map_err(|failure| SignInError::from_failure(failure, WHAT))?;
    let prompt = DevicePrompt {
        user_code: code.user_code().secret().clone(),
        verification_uri: code.verification_uri().to_string(),
        message: code.extra_fields().message.clone(),
        expires_in: code.expires_in().as_secs(),
    };
    tracing::info!(
        expires_in_s = prompt.expires_in,
        interval_s = code.interval().as_secs(),
        "device code shown; waiting for the sign-in"
    );
    show(&prompt);

    let token_url = token_url(endpoints, tenant)?;
    let deadline = Instant::now() + Duration::from_secs(prompt.expires_in.max(1));
    let mut interval = code.interval().max(Duration::from_secs(1));
    // The first poll goes out at once: a person who already signed in elsewhere (or a stand-in
    // that signs in without a page) need not wait an interval.
    let mut first = true;
    loop {
        if !first {
            if Instant::now() + interval > deadline {
                return Err(SignInError::Expired);
            }
            tokio::time::sleep(interval).await;
        }
        first = false;
        let form = [
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("client_id", client_id),
            ("device_code", code.device_code().secret().as_str()),
        ];
        let outcome = match poll(http, &token_url, &form).await {
            Ok(tokens) => Ok(tokens),
            Err(SignInError::Rejected(error)) => match error.error.as_str() {
                "authorization_pending" => continue,
                "slow_down" => {
                    interval += Duration::from_secs(5);
                    continue;
                }
                "authorization_declined" | "access_denied" => Err(SignInError::Declined),
                "expired_token" => Err(SignInError::Expired),
                _ => Err(SignInError::Rejected(error)),
            },
            Err(other) => Err(other),
        };
        match &outcome {
            Ok(_) => tracing::info!("signed in"),
            Err(e) => tracing::warn!(cause = e.cause().map(|c| c.as_str()), "sign-in ended: {e}"),
        }
        return outcome;
    }
}

/// One poll of the token endpoint: the tokens, or Microsoft's error with its codes.
async fn poll(
    http: &Http,
    token_url: &url::Url,
    form: &[(&str, &str)],
) -> Result<UserTokens, SignInError> {
    const WHAT: &str = "device code sign-in";
    let answer = http
        .send(WHAT, |c| c.post(token_url.clone()).form(form))
        .await?;
    if !answer.status.is_success() {
        return Err(SignInError::from_answer(&answer));
    }
    let token: BasicTokenResponse = answer.json(WHAT)?;
    Ok(oauth::user_tokens(&token))
}

impl From<Unavailable> for SignInError {
    fn from(fault: Unavailable) -> Self {
        SignInError::Unavailable(fault)
    }
}

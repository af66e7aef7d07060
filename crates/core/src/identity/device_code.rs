//! Signing a person in with the device-code flow: the program shows a code and a web address,
//! the person signs in on any device, and the program polls the token endpoint until they have
//! (`authorization_pending`), declined (`authorization_declined`) or the code expired
//! (`expired_token`). `slow_down` adds five seconds to the interval, as RFC 8628 says.
//!
//! Written on the shared [`Http`] client rather than with the `oauth2` crate because Microsoft's
//! error bodies carry `error_codes` (the AADSTS numbers the product classifies by), which the
//! crate's standard error types drop.

use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::endpoints::Endpoints;
use crate::http::{Http, Unavailable};

use super::sign_in::{SignInError, UserTokens, tenant_url, token_request, token_url};

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

#[derive(Debug, Deserialize)]
struct DeviceCodeAnswer {
    device_code: String,
    #[serde(default = "default_interval")]
    interval: u64,
    #[serde(flatten)]
    prompt: DevicePrompt,
}

fn default_interval() -> u64 {
    5
}

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
    tracing::Span::current()
        .record("tenant", tenant)
        .record("client_id", client_id);
    let url = tenant_url(endpoints, tenant, &["oauth2", "v2.0", "devicecode"])?;
    let scope = scopes.join(" ");
    let answer = http
        .send("device code request", |c| {
            c.post(url.clone())
                .form(&[("client_id", client_id), ("scope", &scope)])
        })
        .await?;
    if !answer.status.is_success() {
        return Err(SignInError::from_answer(&answer));
    }
    let code: DeviceCodeAnswer = answer.json("device code request")?;
    tracing::info!(
        expires_in_s = code.prompt.expires_in,
        interval_s = code.interval,
        "device code shown; waiting for the sign-in"
    );
    show(&code.prompt);

    let token_url = token_url(endpoints, tenant)?;
    let deadline = Instant::now() + Duration::from_secs(code.prompt.expires_in.max(1));
    let mut interval = Duration::from_secs(code.interval.max(1));
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
            ("device_code", code.device_code.as_str()),
        ];
        let outcome = match token_request(http, &token_url, &form, "device code sign-in").await {
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

impl From<Unavailable> for SignInError {
    fn from(fault: Unavailable) -> Self {
        SignInError::Unavailable(fault)
    }
}

//! What the core's integration tests share: a shipped example scenario of the stand-in tenant,
//! served in-process on loopback, and a verification context pointed at it; and a person's
//! sign-in on it the way a public client signs in (device code with the Graph Command Line Tools
//! client ID, approved on the first poll by the scenario's `sign_in.as`), and a stand-in with its
//! administrator signed in so.

// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::time::Duration;

use chrono::{DateTime, Utc};
use entra_fake_tenant::{FakeTenant, Scenario, StartOptions, builtin};
use entra_setup_core::endpoints::Endpoints;
use entra_setup_core::http::{Http, RetryPolicy};
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::Context;
use serde_json::{Value, json};

/// Microsoft Graph Command Line Tools, the public client the stand-in's scenarios list.
pub const PUBLIC_CLIENT: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

/// The read scopes of the administrator's checks.
pub const ADMIN_READ_SCOPES: &str = "https://graph.microsoft.com/Application.Read.All https://graph.microsoft.com/Policy.Read.All https://graph.microsoft.com/User.Read.All https://graph.microsoft.com/DelegatedPermissionGrant.Read.All https://graph.microsoft.com/ConsentRequest.Read.All offline_access";

/// A running stand-in and a context pointed at it.
pub struct Served {
    /// The stand-in.
    pub fake: FakeTenant,
    /// Where and when the checks run.
    pub ctx: Context,
    /// Holds the stand-in's SMTP certificate until the test ends.
    pub ca_dir: tempfile::TempDir,
}

/// A running stand-in with the administrator signed in: a context pointed at it and the
/// administrator's Graph token.
pub struct SignedIn {
    /// The stand-in.
    pub fake: FakeTenant,
    /// Where and when the checks and repairs run.
    pub ctx: Context,
    /// The administrator's Graph token.
    pub admin: Secret,
    /// Holds the stand-in's SMTP certificate until the test ends.
    pub ca_dir: tempfile::TempDir,
}

impl SignedIn {
    /// Serve the shipped scenario `name` now, after `change` edits it, and sign its
    /// administrator (admin@contoso.com) in by the device-code flow for the scopes `scope` names
    /// (given the context pointed at the stand-in).
    pub async fn start(
        name: &str,
        change: impl FnOnce(&mut Value),
        scope: impl FnOnce(&Context) -> String,
    ) -> SignedIn {
        let Served { fake, ctx, ca_dir } =
            serve_scenario(name, "admin@contoso.com", change, Utc::now()).await;
        let admin = admin_token(&ctx, &scope(&ctx)).await;
        SignedIn {
            fake,
            ctx,
            admin,
            ca_dir,
        }
    }

    /// Stop the stand-in.
    pub async fn shutdown(self) {
        self.fake.shutdown().await;
    }
}

/// The JSON of the shipped example scenario `name` (crates/fake-tenant/scenarios/NAME.json).
pub fn scenario(name: &str) -> Value {
    let text = builtin::SCENARIOS
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("no example scenario {name}"))
        .1;
    serde_json::from_str(text).expect("scenario JSON")
}

/// Serve `scenario`; the checks run as if it were `now`, with short retry back-offs.
pub async fn serve(scenario: Value, now: DateTime<Utc>) -> Served {
    let scenario = Scenario::from_json(&scenario.to_string()).expect("valid scenario");
    let ca_dir = tempfile::tempdir().expect("temp dir");
    let options = StartOptions {
        ca_dir: Some(ca_dir.path().to_path_buf()),
        ..StartOptions::default()
    };
    let fake = FakeTenant::start(scenario, options)
        .await
        .expect("start the stand-in");
    let endpoints = Endpoints::from_json(&fake.endpoints().ready_line()).expect("endpoints");
    let http = Http::new(RetryPolicy {
        backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    })
    .expect("http");
    Served {
        fake,
        ctx: Context {
            http,
            endpoints,
            now,
        },
        ca_dir,
    }
}

/// Serve the shipped scenario `name` as if it were `now`, with `who` signing in (its
/// `sign_in.as`), after `change` edits it.
pub async fn serve_scenario(
    name: &str,
    who: &str,
    change: impl FnOnce(&mut Value),
    now: DateTime<Utc>,
) -> Served {
    let mut json = scenario(name);
    json["sign_in"] = json!({ "as": who });
    change(&mut json);
    serve(json, now).await
}

/// POST `fields` as a form to the identity platform at `url`: its JSON answer.
pub async fn form(ctx: &Context, url: &str, fields: &[(&str, &str)]) -> Value {
    let answer = ctx
        .http
        .client()
        .post(url)
        .form(fields)
        .send()
        .await
        .expect("identity platform answers");
    answer.json().await.expect("JSON answer")
}

/// The token endpoint of the tenant `contoso.com`.
pub fn token_url(ctx: &Context) -> String {
    format!("{}contoso.com/oauth2/v2.0/token", ctx.endpoints.login)
}

/// Sign the scenario's person in for `scope` with the device-code flow: the token answer.
pub async fn device_code_sign_in(ctx: &Context, scope: &str) -> Value {
    let code = form(
        ctx,
        &format!("{}contoso.com/oauth2/v2.0/devicecode", ctx.endpoints.login),
        &[("client_id", PUBLIC_CLIENT), ("scope", scope)],
    )
    .await;
    let device_code = code["device_code"]
        .as_str()
        .expect("device_code")
        .to_string();
    for _ in 0..50 {
        let token = form(
            ctx,
            &token_url(ctx),
            &[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("client_id", PUBLIC_CLIENT),
                ("device_code", &device_code),
            ],
        )
        .await;
        if token["access_token"].is_string() {
            return token;
        }
        assert_eq!(token["error"], "authorization_pending", "{token}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the device code was never approved");
}

/// The administrator's Graph token for `scope`, by the device-code flow.
pub async fn admin_token(ctx: &Context, scope: &str) -> Secret {
    let token = device_code_sign_in(ctx, scope).await;
    Secret::new(token["access_token"].as_str().expect("access_token"))
}

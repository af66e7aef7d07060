//! The repairs' side of the shared test support: a stand-in whose administrator signed in with
//! the repair scopes, a repair session on it, `register` and `verify` for contoso.com, and the
//! tenant's applications as Graph lists them. Included by the test binaries that repair
//! (`#[path = "support/repair.rs"] mod repair;`), beside `mod support;`.

// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::time::Duration;

use entra_setup_core::fix::{
    self, FixError, Patience, Registered, RegistrationInputs, RepairSession, SecretRequest,
};
use entra_setup_core::profile::Catalog;
use entra_setup_core::secret::Secret;
use entra_setup_core::verify::{self, Inputs, Report, Sessions};
use serde_json::Value;

/// A running stand-in, a context pointed at it and the administrator's token.
pub type StandIn = crate::support::SignedIn;

/// Serve the shipped scenario `name` after `change` edits it, and sign the administrator in.
pub async fn start(name: &str, change: impl FnOnce(&mut Value)) -> StandIn {
    StandIn::start(name, change, |ctx| {
        let mut scopes: Vec<String> = crate::support::ADMIN_READ_SCOPES
            .split(' ')
            .map(str::to_string)
            .collect();
        scopes.extend(fix::repair_scopes(ctx));
        scopes.join(" ")
    })
    .await
}

impl StandIn {
    /// A repair session with a patience of 30 s (first wait 200 ms).
    pub fn session(&self) -> RepairSession<'_> {
        RepairSession {
            ctx: &self.ctx,
            admin_token: &self.admin,
            patience: Patience {
                total: Duration::from_secs(30),
                first_wait: Duration::from_millis(200),
                max_wait: Duration::from_secs(1),
            },
            progress: &|_| {},
        }
    }

    /// `register` `profile` for contoso.com.
    pub async fn register(
        &self,
        profile: &str,
        client_id: Option<&str>,
        redirect: Option<&str>,
        request: SecretRequest,
    ) -> Result<Registered, FixError> {
        let catalog = Catalog::shipped();
        let profile = catalog.get(profile).expect("shipped profile");
        let inputs = RegistrationInputs {
            tenant: "contoso.com".into(),
            client_id: client_id.map(str::to_string),
            redirect_uri: redirect.map(str::to_string),
            app_name: None,
        };
        fix::register(profile, &inputs, &request, &self.session()).await
    }

    /// Verify `profile` for contoso.com with `secret`, the administrator signed in.
    pub async fn verify(
        &self,
        profile: &str,
        client_id: &str,
        secret: Secret,
        redirect: Option<&str>,
    ) -> Report {
        let catalog = Catalog::shipped();
        let profile = catalog.get(profile).expect("shipped profile");
        let inputs = Inputs {
            tenant: "contoso.com".into(),
            client_id: Some(client_id.into()),
            secret: Some(secret),
            redirect_uri: redirect.map(str::to_string),
            mailbox: None,
            test_recipient: None,
            sessions: Sessions {
                admin_graph: Some(self.admin.clone()),
                ..Sessions::default()
            },
        };
        verify::verify(profile, &inputs, &self.ctx, &|_| {}).await
    }
}

/// The applications of the stand-in's tenant, as Graph lists them to the administrator.
pub async fn applications(stand_in: &StandIn) -> Vec<Value> {
    list(stand_in, "applications").await
}

/// The stand-in's Graph collection `path` (under `/v1.0/`) as the administrator reads it.
pub async fn list(stand_in: &StandIn, path: &str) -> Vec<Value> {
    let mut url = stand_in.ctx.endpoints.graph.clone();
    url.set_path(&format!("/v1.0/{path}"));
    let listed: Value = reqwest::Client::new()
        .get(url)
        .bearer_auth(stand_in.admin.expose())
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    listed["value"].as_array().cloned().unwrap_or_default()
}

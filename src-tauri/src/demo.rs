//! The demo tenant: the stand-in for Microsoft (`entra-fake-tenant`) embedded on loopback with
//! one of its built-in scenarios — the healthy Contoso organisation or one of its broken
//! variants — so the whole setup can be rehearsed with no Microsoft tenant. The core gets the
//! stand-in's endpoints and works exactly as against Microsoft.
//!
//! In the demo the administrator, then the mailbox owner, sign in without a page (the scenario's
//! `sign_in.as` lists `admin@contoso.com`, then `intranet@contoso.com`).

use serde::Serialize;

/// A scenario the demo tenant can play.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct DemoScenario {
    /// Its name (the built-in scenario's file name).
    pub name: String,
    /// What it shows, in a few words.
    pub title: String,
    /// What is set up and what goes wrong.
    pub description: String,
    /// Whether everything is set up correctly.
    pub healthy: bool,
}

/// The scenarios the picker offers, healthy first: `(name, title, description, healthy)`.
const SCENARIOS: &[(&str, &str, &str, bool)] = &[
    (
        "contoso",
        "Contoso, healthy",
        "A working Outlook calendar app, a licensed mailbox and SMTP AUTH on. Create new apps here for any integration.",
        true,
    ),
    (
        "axero-m365-email",
        "Axero email, healthy",
        "The Axero email app, a licensed user mailbox with SMTP AUTH on.",
        true,
    ),
    (
        "odoo-outlook-calendar",
        "Odoo calendar, healthy",
        "The Odoo app for organisational and personal accounts.",
        true,
    ),
    (
        "exchange-calendar-connector",
        "Calendar connector, healthy",
        "An app-only connector with Calendars.Read, consented.",
        true,
    ),
    (
        "vendor-app-consent",
        "Vendor app, approved",
        "A vendor's multi-tenant app already approved for the organisation.",
        true,
    ),
    (
        "wrong-client-id",
        "Wrong client ID",
        "The client ID belongs to an app of another organisation.",
        false,
    ),
    (
        "secret-id-pasted",
        "Secret ID pasted",
        "The registration is fine; paste its secret ID to see the mistake caught.",
        false,
    ),
    (
        "expired-secret",
        "Expired secret",
        "The app's only secret expired.",
        false,
    ),
    (
        "missing-consent",
        "Admin consent missing",
        "The permissions are configured but nobody granted admin consent.",
        false,
    ),
    (
        "wrong-redirect-uri",
        "Redirect URI differs",
        "The registered redirect URI has a trailing slash and other letter case.",
        false,
    ),
    (
        "wrong-account-type",
        "Wrong account type",
        "The Odoo app is single tenant, but Odoo signs in through /common.",
        false,
    ),
    (
        "smtp-auth-off-tenant",
        "SMTP AUTH off (organisation)",
        "SMTP AUTH is turned off for the whole organisation.",
        false,
    ),
    (
        "smtp-auth-off-mailbox",
        "SMTP AUTH off (mailbox)",
        "SMTP AUTH is turned off for the sending mailbox only.",
        false,
    ),
    (
        "shared-mailbox",
        "Shared mailbox",
        "The sending address is a shared mailbox without a licence.",
        false,
    ),
    (
        "unlicensed-mailbox",
        "Unlicensed mailbox",
        "The mailbox has no Exchange Online licence.",
        false,
    ),
    (
        "user-consent-disabled",
        "User consent off",
        "Users may not consent and cannot ask for approval.",
        false,
    ),
    (
        "vendor-app-requested",
        "Vendor app, approval requested",
        "Users asked for approval of a vendor's app; their requests wait for a reviewer.",
        false,
    ),
    (
        "access-policy-denied",
        "Access policy blocks the mailbox",
        "An Exchange application access policy keeps the connector out of the mailbox.",
        false,
    ),
    (
        "throttling",
        "Microsoft throttles",
        "The first requests are throttled; checks wait and go through.",
        false,
    ),
    (
        NETWORK_FAULT,
        "Network fault",
        "Contoso, but the first three tenant look-ups fail: the check cannot be made, then works on retry.",
        false,
    ),
];

/// A scenario made here: Contoso whose first tenant look-ups fail with 503.
const NETWORK_FAULT: &str = "network-fault";

/// The scenarios the picker offers.
pub fn scenarios() -> Vec<DemoScenario> {
    SCENARIOS
        .iter()
        .map(|(name, title, description, healthy)| DemoScenario {
            name: (*name).into(),
            title: (*title).into(),
            description: (*description).into(),
            healthy: *healthy,
        })
        .collect()
}

/// The scenario named `name`, described.
pub fn describe(name: &str) -> Option<DemoScenario> {
    scenarios().into_iter().find(|s| s.name == name)
}

#[cfg(feature = "demo")]
mod running {
    use entra_fake_tenant::{FakeTenant, Scenario, StartOptions, builtin};
    use entra_setup_core::endpoints::Endpoints;

    use crate::ipc_error::{IpcError, IpcErrorCode};

    /// The scenario's JSON with the demo's sign-ins (and, for the network fault, the faults);
    /// the public client the app signs in with is one the demo tenant knows.
    fn scenario(name: &str, sign_in_client: &str) -> Result<Scenario, IpcError> {
        let base = if name == super::NETWORK_FAULT {
            "contoso"
        } else {
            name
        };
        let text = builtin::SCENARIOS
            .iter()
            .find(|(n, _)| *n == base)
            .map(|(_, text)| *text)
            .ok_or_else(|| {
                IpcError::new(
                    IpcErrorCode::InvalidInput,
                    format!("demo scenario: there is no scenario named '{name}'"),
                )
            })?;
        let mut json: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| IpcError::new(IpcErrorCode::DemoUnavailable, e.to_string()))?;
        if name != "user-consent-disabled" {
            json["sign_in"] =
                serde_json::json!({ "as": ["admin@contoso.com", "intranet@contoso.com"] });
        }
        if let Some(clients) = json["public_clients"].as_array_mut()
            && !clients.iter().any(|c| c.as_str() == Some(sign_in_client))
        {
            clients.push(serde_json::json!(sign_in_client));
        } else if json.get("public_clients").is_none() {
            json["public_clients"] = serde_json::json!([
                entra_fake_tenant::scenario::GRAPH_CLI_CLIENT_ID,
                sign_in_client
            ]);
        }
        if name == super::NETWORK_FAULT {
            json["faults"] = serde_json::json!([{
                "match": "GET /*/v2.0/.well-known/openid-configuration",
                "kind": "status", "status": 503, "times": 3
            }]);
        }
        Scenario::from_json(&json.to_string())
            .map_err(|e| IpcError::new(IpcErrorCode::DemoUnavailable, e.to_string()))
    }

    /// The stand-in, running.
    pub struct DemoTenant {
        tenant: FakeTenant,
        endpoints: Endpoints,
        scenario: String,
    }

    impl DemoTenant {
        /// Start the stand-in on loopback with the scenario `name`, knowing `sign_in_client`.
        pub async fn start(name: &str, sign_in_client: &str) -> Result<DemoTenant, IpcError> {
            let tenant =
                FakeTenant::start(scenario(name, sign_in_client)?, StartOptions::default())
                    .await
                    .map_err(|e| IpcError::new(IpcErrorCode::DemoUnavailable, e.to_string()))?;
            let endpoints = Endpoints::from_json(&tenant.endpoints().ready_line())
                .map_err(|e| IpcError::new(IpcErrorCode::DemoUnavailable, e.to_string()))?;
            Ok(DemoTenant {
                tenant,
                endpoints,
                scenario: name.into(),
            })
        }

        /// Play another scenario (what was created in the old one is gone).
        pub fn switch(&mut self, name: &str, sign_in_client: &str) -> Result<(), IpcError> {
            self.tenant
                .replace_scenario(&scenario(name, sign_in_client)?);
            self.scenario = name.into();
            Ok(())
        }

        /// Where it answers.
        pub fn endpoints(&self) -> &Endpoints {
            &self.endpoints
        }

        /// The scenario it plays.
        pub fn scenario(&self) -> &str {
            &self.scenario
        }
    }
}

#[cfg(feature = "demo")]
pub use running::DemoTenant;

#[cfg(not(feature = "demo"))]
mod absent {
    use entra_setup_core::endpoints::Endpoints;

    use crate::ipc_error::{IpcError, IpcErrorCode};

    /// Built without the demo tenant: it cannot start.
    pub enum DemoTenant {}

    impl DemoTenant {
        /// Always refused.
        pub async fn start(_name: &str, _sign_in_client: &str) -> Result<DemoTenant, IpcError> {
            Err(IpcError::new(
                IpcErrorCode::DemoUnavailable,
                "This build has no demo tenant.",
            ))
        }

        /// Never called: no value exists.
        pub fn switch(&mut self, _name: &str, _sign_in_client: &str) -> Result<(), IpcError> {
            match *self {}
        }

        /// Never called: no value exists.
        pub fn endpoints(&self) -> &Endpoints {
            match *self {}
        }

        /// Never called: no value exists.
        pub fn scenario(&self) -> &str {
            match *self {}
        }
    }
}

#[cfg(not(feature = "demo"))]
pub use absent::DemoTenant;

#[cfg(all(test, feature = "demo"))]
mod tests {
    #[test]
    fn every_offered_scenario_is_built_in_or_made_here() {
        let names = entra_fake_tenant::builtin::names();
        for scenario in super::scenarios() {
            assert!(
                scenario.name == super::NETWORK_FAULT || names.contains(&scenario.name.as_str()),
                "{}",
                scenario.name
            );
        }
    }
}

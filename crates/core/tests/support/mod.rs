//! What the core's integration tests share: a shipped example scenario of the stand-in tenant,
//! served in-process on loopback, and a verification context pointed at it.

// Each test binary uses its own part of this module.
#![allow(dead_code)]

use std::time::Duration;

use chrono::{DateTime, Utc};
use entra_fake_tenant::{FakeTenant, Scenario, StartOptions, builtin};
use entra_setup_core::endpoints::Endpoints;
use entra_setup_core::http::{Http, RetryPolicy};
use entra_setup_core::verify::Context;
use serde_json::Value;

/// A running stand-in and a context pointed at it.
pub struct Served {
    /// The stand-in.
    pub fake: FakeTenant,
    /// Where and when the checks run.
    pub ctx: Context,
    /// Holds the stand-in's SMTP certificate until the test ends.
    pub ca_dir: tempfile::TempDir,
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

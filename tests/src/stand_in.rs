//! The stand-in tenant for acceptance tests: a shipped example scenario (optionally changed,
//! e.g. with faults added), served in-process on loopback, with the endpoints file the CLI takes.

use std::path::PathBuf;

use entra_fake_tenant::{FakeTenant, Scenario, StartOptions, builtin};

/// A running stand-in and its endpoints file.
pub struct StandIn {
    tenant: Option<FakeTenant>,
    runtime: tokio::runtime::Runtime,
    dir: tempfile::TempDir,
}

impl StandIn {
    /// Serve the shipped example scenario `name` (crates/fake-tenant/scenarios/NAME.json).
    pub fn start(name: &str) -> StandIn {
        StandIn::start_with(name, |_| {})
    }

    /// Serve the example scenario `name` after `change` edits its JSON.
    pub fn start_with(name: &str, change: impl FnOnce(&mut serde_json::Value)) -> StandIn {
        let text = builtin::SCENARIOS
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("no example scenario {name}"))
            .1;
        let mut json: serde_json::Value = serde_json::from_str(text).expect("scenario JSON");
        change(&mut json);
        let scenario = Scenario::from_json(&json.to_string()).expect("valid scenario");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let dir = tempfile::tempdir().expect("temp dir");
        let options = StartOptions {
            ca_dir: Some(dir.path().to_path_buf()),
            ..StartOptions::default()
        };
        let tenant = runtime
            .block_on(FakeTenant::start(scenario, options))
            .expect("start the stand-in");
        std::fs::write(
            dir.path().join("endpoints.json"),
            tenant.endpoints().ready_line(),
        )
        .expect("endpoints file");
        StandIn {
            tenant: Some(tenant),
            runtime,
            dir,
        }
    }

    /// The endpoints file (`--endpoints FILE`).
    pub fn endpoints_file(&self) -> PathBuf {
        self.dir.path().join("endpoints.json")
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        if let Some(tenant) = self.tenant.take() {
            self.runtime.block_on(tenant.shutdown());
        }
    }
}

//! The files the program reads back from its own folder, which a person, another version or a
//! crash may have left in any state: the reminders registry (`Registry::list`, then what is
//! due), the endpoints file (`Endpoints::from_file`), the wizard's saved progress
//! (`WizardStore::load`, then the report made from it) and the desktop settings. Every file is
//! read into a value or a typed error, never a panic.

use std::path::Path;

use chrono::TimeZone;
use entra_setup_core::desktop_settings::{DesktopSettings, DesktopSettingsFile};
use entra_setup_core::endpoints::Endpoints;
use entra_setup_core::paths::AppPaths;
use entra_setup_core::profile::Catalog;
use entra_setup_core::reminders::{self, Registry, Reminder};
use entra_setup_core::verify::{CheckResult, Status};
use entra_setup_core::wizard::state::{InputField, WizardState};
use entra_setup_core::wizard::store::WizardStore;

use crate::harness::{self, Material};

/// JSON's delimiters and values at the edges of their types, and the fields these files hold.
const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"\\",
    b"\\u0000",
    b"\xef\xbb\xbf",
    b":",
    b",",
    b"null",
    b"true",
    b"-1",
    b"4294967296",
    b"1e999",
    b"\"+262142-12-31T23:59:59Z\"",
    b"\"-262143-01-01T00:00:00Z\"",
    b"\"9999-12-31T23:59:59.999999999+14:00\"",
    b"\"expires\":",
    b"\"version\":",
    b"\"format\":",
    b"\"secrets\":[",
    b"\"step\":",
    b"\"results\":[",
    b"\"login\":\"",
    b"http://127.0.0.1:0",
    b"https://[::1]:65535/",
    b"javascript:",
    b"\"smtp\":\"",
    b"[::1]:587",
    b":99999",
    "\u{202e}".as_bytes(),
];

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 6, 1, 9, 30, 0)
        .single()
        .expect("date")
}

/// Write `bytes` as the file at `path`.
fn put(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write the input: {e}"))
}

#[test]
fn reminders_registry_takes_any_file() {
    let dir = tempfile::tempdir().expect("dir");
    let registry = Registry::at(dir.path());
    for (i, name) in [
        None,
        Some("Axero calendar sync"),
        Some("\u{202e}évil\x1b[2J"),
    ]
    .into_iter()
    .enumerate()
    {
        registry
            .add(Reminder {
                tenant: "contoso.onmicrosoft.com".into(),
                client_id: "bbbbbbbb-0000-0000-0000-000000000001".into(),
                key_id: format!("dddddddd-0000-0000-0000-00000000000{i}"),
                kind: entra_setup_core::credentials::CredentialType::Secret,
                expires: now() + chrono::Duration::days(7 * i as i64 - 3),
                name: name.map(str::to_string),
                source: Some("add".into()),
            })
            .expect("a real registry");
    }
    let real = std::fs::read(registry.path()).expect("the registry file");
    let material = Material::new("reminders_registry", vec![real], TOKENS, 16 * 1024);
    harness::fuzz("reminders_registry", material.inputs(), |bytes| {
        put(registry.path(), bytes)?;
        let Ok(list) = registry.list() else {
            return Ok(false);
        };
        for within in [0, reminders::DEFAULT_WITHIN_DAYS, u32::MAX] {
            reminders::due(&list, now(), within);
        }
        Ok(true)
    });
}

#[test]
fn endpoints_file_takes_any_file() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("endpoints.json");
    let material = Material::new("endpoints_file", Vec::new(), TOKENS, 16 * 1024);
    harness::fuzz("endpoints_file", material.inputs(), |bytes| {
        put(&file, bytes)?;
        let Ok(endpoints) = Endpoints::from_file(&file) else {
            return Ok(false);
        };
        endpoints.graph_default_scope();
        endpoints.graph_resource();
        Ok(true)
    });
}

#[test]
fn wizard_state_takes_any_file() {
    let dir = tempfile::tempdir().expect("dir");
    let store = WizardStore::new(&AppPaths::under(dir.path()));
    let catalog = Catalog::shipped();
    let mut real = Vec::new();
    for profile in catalog.profiles() {
        let mut state = WizardState::new(profile, Some("contoso".into()));
        state.set_input(InputField::Tenant, "contoso.onmicrosoft.com");
        state.set_input(InputField::ClientId, "bbbbbbbb-0000-0000-0000-000000000001");
        state.set_input(InputField::SiteUrl, "https://intranet.contoso.com");
        let results: Vec<CheckResult> = profile
            .checks
            .iter()
            .map(|id| CheckResult {
                id: *id,
                status: Status::Pass,
                cause: None,
                reason: None,
                message: "Checked.".into(),
                fix: None,
                portal_link: None,
                evidence: serde_json::json!({ "tenant_id": "b1e7c4a2-93d5-4c6e-8f0a-2d9b7e51c3f4" }),
                needs: Vec::new(),
            })
            .collect();
        state.record(&results);
        store.save(&state).expect("a real wizard state");
        real.push(std::fs::read(store.path()).expect("the state file"));
    }
    let material = Material::new("wizard_state", real, TOKENS, 32 * 1024);
    harness::fuzz("wizard_state", material.inputs(), |bytes| {
        put(store.path(), bytes)?;
        let Ok(Some(state)) = store.load() else {
            return Ok(false);
        };
        if let Some(profile) = catalog.get(&state.profile) {
            entra_setup_core::wizard::export::report(profile, &state);
            entra_setup_core::wizard::plan(profile);
        }
        Ok(true)
    });
}

#[test]
fn desktop_settings_take_any_file() {
    let dir = tempfile::tempdir().expect("dir");
    let settings = DesktopSettingsFile::at(dir.path());
    settings
        .save(&DesktopSettings {
            keep_in_tray: true,
            start_at_login: false,
        })
        .expect("real settings");
    let file = dir.path().join("desktop.json");
    let real = std::fs::read(&file).expect("the settings file");
    let material = Material::new("desktop_settings", vec![real], TOKENS, 4 * 1024);
    harness::fuzz("desktop_settings", material.inputs(), |bytes| {
        put(&file, bytes)?;
        Ok(settings.load() != DesktopSettings::default())
    });
}

//! Every command is declared in all three places it must be: the typed IPC builder (bindings),
//! `build.rs` (which generates its `allow-…` permission) and the main window's capability.

use std::collections::BTreeSet;
use std::path::Path;

fn manifest_file(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).expect(name)
}

/// The quoted names in `build.rs`'s command list.
fn build_rs_commands() -> BTreeSet<String> {
    let text = manifest_file("build.rs");
    let list = text
        .split("&[")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .expect("command list in build.rs");
    list.split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The commands the generated bindings invoke.
fn bindings_commands() -> BTreeSet<String> {
    let text = manifest_file("../ui/src/bindings.ts");
    text.split("TAURI_INVOKE(\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or_default().to_string())
        .collect()
}

/// The app-command permissions the capability grants, as command names.
fn capability_commands() -> BTreeSet<String> {
    let capability: serde_json::Value =
        serde_json::from_str(&manifest_file("capabilities/default.json")).expect("capability JSON");
    capability["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect()
}

#[test]
fn commands_are_declared_everywhere() {
    let bindings = bindings_commands();
    assert!(!bindings.is_empty());
    assert_eq!(
        build_rs_commands(),
        bindings,
        "build.rs and the bindings disagree"
    );
    assert_eq!(
        capability_commands(),
        bindings,
        "the capability and the bindings disagree"
    );
}

#[test]
fn capability_grants_only_app_commands_and_opening_microsoft_pages() {
    let capability: serde_json::Value =
        serde_json::from_str(&manifest_file("capabilities/default.json")).expect("capability JSON");
    for permission in capability["permissions"].as_array().expect("permissions") {
        if let Some(name) = permission.as_str() {
            assert!(name.starts_with("allow-"), "unexpected permission {name}");
            continue;
        }
        assert_eq!(permission["identifier"], "opener:allow-open-url");
        for scope in permission["allow"].as_array().expect("opener scope") {
            let url = scope["url"].as_str().expect("url");
            let microsoft = url.starts_with("https://")
                && [
                    ".microsoft.com",
                    ".microsoft.us",
                    ".microsoftonline.com",
                    ".microsoftonline.cn",
                    "microsoft.com/",
                ]
                .iter()
                .any(|host| url.contains(host));
            // The demo tenant's sign-in page is on loopback.
            let loopback = url.starts_with("http://127.0.0.1:");
            assert!(microsoft || loopback, "opener may open {url}");
        }
    }
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
}

#[test]
fn csp_forbids_remote_content() {
    let config: serde_json::Value =
        serde_json::from_str(&manifest_file("tauri.conf.json")).expect("tauri.conf.json");
    let csp = &config["app"]["security"]["csp"];
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["script-src"], "'self'");
    for (directive, value) in csp.as_object().expect("csp map") {
        let value = value.as_str().expect("directive value");
        assert!(
            !value.contains("http://") || value.contains("ipc.localhost"),
            "{directive} allows {value}"
        );
        assert!(
            !value.contains("https:") && !value.contains('*'),
            "{directive} allows {value}"
        );
    }
}

//! The arrows of DESIGN.md point one way: the core depends on no GUI crate, and the stand-in
//! tenant does not depend on the core (so one misunderstanding cannot hide on both sides). The one
//! workspace crate both sides share is Microsoft's permission catalogue, which is data: it depends
//! on neither of them.

use std::process::Command;

use entra_setup_tests::paths::workspace_root;

/// The crate names in `cargo tree -p PACKAGE -e normal`.
fn normal_dependencies(package: &str) -> Vec<String> {
    dependencies(package, "normal")
}

/// The crate names in `cargo tree -p PACKAGE -e EDGES`.
fn dependencies(package: &str, edges: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-p",
            package,
            "-e",
            edges,
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(workspace_root())
        .output()
        .expect("run cargo tree");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn core_depends_on_no_gui_crate() {
    let deps = normal_dependencies("entra-setup-core");
    assert!(
        deps.iter().any(|d| d == "entra-setup-core"),
        "cargo tree listed the core itself: {deps:?}"
    );
    let gui: Vec<&String> = deps
        .iter()
        .filter(|d| {
            let d = d.as_str();
            d == "tauri"
                || d.starts_with("tauri-")
                || d == "wry"
                || d == "tao"
                || d == "gtk"
                || d.starts_with("gtk-")
                || d.starts_with("webkit2gtk")
        })
        .collect();
    assert!(
        gui.is_empty(),
        "entra-setup-core depends on GUI crates: {gui:?}"
    );
}

/// The workspace's own crates among `deps`.
fn workspace_crates(deps: &[String]) -> Vec<&str> {
    let mut own: Vec<&str> = deps
        .iter()
        .map(String::as_str)
        .filter(|d| d.starts_with("entra-"))
        .collect();
    own.sort_unstable();
    own.dedup();
    own
}

#[test]
fn fake_tenant_does_not_depend_on_core() {
    let deps = normal_dependencies("entra-fake-tenant");
    assert!(deps.iter().any(|d| d == "entra-fake-tenant"));
    assert!(
        !deps.iter().any(|d| d == "entra-setup-core"),
        "entra-fake-tenant depends on the core"
    );
    // Of the workspace, only the permission catalogue (data both sides read).
    assert_eq!(
        workspace_crates(&deps),
        ["entra-fake-tenant", "entra-graph-catalogue"]
    );
    let dev = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-p",
            "entra-fake-tenant",
            "-e",
            "dev",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(workspace_root())
        .output()
        .expect("run cargo tree");
    assert!(
        !String::from_utf8_lossy(&dev.stdout).contains("entra-setup-core"),
        "not even for its tests"
    );
}

#[test]
fn the_permission_catalogue_depends_on_neither_side() {
    // Its build script included: the tables are generated from data, not from either side's code.
    let deps = dependencies("entra-graph-catalogue", "normal,build");
    assert!(
        deps.iter().any(|d| d == "entra-graph-catalogue"),
        "cargo tree did not list the catalogue itself: {deps:?}"
    );
    assert_eq!(workspace_crates(&deps), ["entra-graph-catalogue"]);
    let core = normal_dependencies("entra-setup-core");
    assert!(
        core.iter().any(|d| d == "entra-graph-catalogue"),
        "the core's offline fallback comes from the catalogue"
    );
}

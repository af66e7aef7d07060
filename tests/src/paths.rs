//! Where things are: the workspace root, the build folder the tests were built into, and the
//! programs built there.

use std::path::{Path, PathBuf};

/// The workspace root (the folder with the top `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The profile folder the running test was built into (`target/debug`), found from the test
/// executable itself so that `CARGO_TARGET_DIR` is honoured.
pub fn build_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/debug/deps/acceptance-1234 → target/debug
    exe.parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps")
        .to_path_buf()
}

/// A program built in the same folder as the tests (`entra-setup`, `entra-setup-app`, …).
/// Panics with the command to build it when it is missing.
pub fn program(name: &str) -> PathBuf {
    let path = build_dir().join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is not built: they are built by `cargo test --workspace` (make test)",
        path.display()
    );
    path
}

/// Where end-to-end screenshots (and the driver's log) go: `target/e2e-screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    let dir = build_dir()
        .parent()
        .expect("target folder")
        .join("e2e-screenshots");
    std::fs::create_dir_all(&dir).expect("create screenshot folder");
    dir
}

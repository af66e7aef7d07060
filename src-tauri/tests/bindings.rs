//! The committed TypeScript bindings (`ui/src/bindings.ts`) are exactly what the Rust commands
//! and types generate. Run `make bindings` (or this test with `UPDATE_BINDINGS=1`) after changing
//! a command or a type the UI receives.

use std::path::Path;

#[test]
fn committed_bindings_match_the_rust_commands() {
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let dir = tempfile::tempdir().expect("temp dir");
    let fresh_path = dir.path().join("bindings.ts");
    entra_setup_app::ipc_builder()
        .export(entra_setup_app::bindings_format(), &fresh_path)
        .expect("export bindings");
    let fresh = std::fs::read_to_string(&fresh_path).expect("read fresh bindings");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&committed_path, &fresh).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/bindings.ts is out of date with the Rust commands: run `make bindings` and commit it"
    );
}

//! The state the commands use, over a temporary home folder.

use entra_setup_app::ipc_error::{IpcError, IpcErrorCode};
use entra_setup_app::state::AppState;
use entra_setup_core::paths::AppPaths;

#[test]
fn lists_the_shipped_profiles() {
    let home = tempfile::tempdir().expect("temp home");
    let state = AppState::new(AppPaths::under(home.path()));
    let ids: Vec<String> = state
        .profile_summaries()
        .expect("profiles")
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert!(
        ids.contains(&"axero-outlook-calendar".to_string()),
        "{ids:?}"
    );
    assert_eq!(ids.len(), 6);
}

#[test]
fn a_broken_user_profile_is_a_profile_invalid_error_naming_the_file() {
    let home = tempfile::tempdir().expect("temp home");
    let profiles = home.path().join("profiles");
    std::fs::create_dir_all(&profiles).expect("profiles dir");
    std::fs::write(profiles.join("mine.toml"), "id = \"mine\"\n").expect("write");
    let state = AppState::new(AppPaths::under(home.path()));
    let error: IpcError = state
        .profile_summaries()
        .expect_err("broken profile")
        .into();
    assert_eq!(error.code, IpcErrorCode::ProfileInvalid);
    assert!(error.message.contains("mine.toml"), "{}", error.message);
}

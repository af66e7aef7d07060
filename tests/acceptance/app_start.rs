//! The desktop app refuses to start on an endpoints file it cannot use, as the CLI refuses it:
//! it never falls back silently to Microsoft's cloud when another one was asked for. The app
//! stops before it opens any window, so no display is needed.

use std::process::Command;

use entra_setup_tests::paths::program;

#[test]
fn an_endpoints_file_that_cannot_be_used_stops_the_app() {
    let home = tempfile::tempdir().expect("home");
    let damaged = home.path().join("endpoints.json");
    std::fs::write(&damaged, "{\"login\": \"not a url\"").expect("write");
    for file in [damaged, home.path().join("missing.json")] {
        let output = Command::new(program("entra-setup-app"))
            .env("ENTRA_SETUP_HOME", home.path())
            .env("ENTRA_SETUP_ENDPOINTS", &file)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .expect("run the app");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}: {stderr}",
            file.display()
        );
        assert!(
            stderr.contains("ENTRA_SETUP_ENDPOINTS") && stderr.contains("cannot start"),
            "{stderr}"
        );
    }
}

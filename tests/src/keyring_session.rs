//! A test that needs the real OS keychain re-runs itself inside a private D-Bus session with an
//! unlocked gnome-keyring (the Secret Service), so it runs the same on a desktop, a server and
//! CI, and never touches the user's own keychain.

use std::process::Command;

/// Set in the environment of the re-run test, inside the private session.
pub const INSIDE: &str = "ENTRA_SETUP_TEST_INSIDE_KEYRING_SESSION";

/// Whether this process is the re-run inside the private session.
pub fn inside() -> bool {
    std::env::var_os(INSIDE).is_some()
}

/// Re-run the test `name` (its full path in this test binary, as `--exact` takes it) inside a
/// private session with a temporary home, and fail unless it ran there and passed.
pub fn rerun_inside(name: &str) {
    for tool in ["dbus-run-session", "gnome-keyring-daemon"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "{tool} is missing: scripts/install-deps.sh test installs it (dbus-daemon, gnome-keyring)"
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime_dir = dir.path().join("run");
    std::fs::create_dir_all(&runtime_dir).expect("runtime dir");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime_dir, std::fs::Permissions::from_mode(0o700))
            .expect("chmod");
    }
    let output = Command::new("dbus-run-session")
        .args([
            "--",
            "sh",
            "-c",
            "printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec \"$0\" \"$@\"",
        ])
        .arg(std::env::current_exe().expect("this test"))
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(INSIDE, "1")
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .output()
        .expect("run dbus-run-session");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "inside the session:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("1 passed"),
        "the test ran inside the session:\n{stdout}"
    );
}

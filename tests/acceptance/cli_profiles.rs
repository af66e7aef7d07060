//! `entra-setup profiles` as contracts/cli.md defines it, run as the real binary.

use std::process::Command;

use entra_setup_tests::paths::program;

fn entra_setup(home: &std::path::Path) -> Command {
    let mut command = Command::new(program("entra-setup"));
    command.env("ENTRA_SETUP_HOME", home);
    command
}

#[test]
fn profiles_json_lists_the_shipped_profiles_with_the_contract_fields() {
    let home = tempfile::tempdir().expect("home");
    let output = entra_setup(home.path())
        .args(["profiles", "--json"])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let profiles: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
    let profiles = profiles.as_array().expect("an array");
    let ids: Vec<&str> = profiles
        .iter()
        .map(|p| p["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [
            "axero-outlook-calendar",
            "axero-m365-email",
            "odoo-outlook-calendar",
            "exchange-calendar-connector",
            "vendor-app-consent",
            "gitlab-graph-mailer",
            "nextcloud-mail-microsoft",
            "freescout-microsoft",
            "odoo-outlook-mail",
            "zammad-microsoft365",
            "glpi-oauthimap",
            "moodle-microsoft-oauth",
            "wordpress-wpo365-mailer",
            "custom"
        ]
    );
    for profile in profiles {
        for field in ["title", "product", "kind"] {
            assert!(
                profile[field].as_str().is_some_and(|v| !v.is_empty()),
                "{field} in {profile}"
            );
        }
    }
}

#[test]
fn profiles_without_json_is_a_table() {
    let home = tempfile::tempdir().expect("home");
    let output = entra_setup(home.path())
        .arg("profiles")
        .output()
        .expect("run");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("ID"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("odoo-outlook-calendar ")),
        "{text}"
    );
}

#[test]
fn a_broken_user_profile_is_bad_input_naming_the_file() {
    let home = tempfile::tempdir().expect("home");
    std::fs::create_dir_all(home.path().join("profiles")).expect("mkdir");
    std::fs::write(home.path().join("profiles/mine.toml"), "id = 'mine'\n").expect("write");
    let output = entra_setup(home.path())
        .args(["profiles", "--json"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(64));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("mine.toml"), "{stderr}");
}

#[test]
fn unknown_options_are_bad_usage() {
    let home = tempfile::tempdir().expect("home");
    let output = entra_setup(home.path())
        .args(["profiles", "--jsno"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--jsno"));
}

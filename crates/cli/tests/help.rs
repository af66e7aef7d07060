//! The command line describes itself: `--help` lists every command of contracts/cli.md that this
//! version has, and `--version` answers — both with status 0.

use std::process::Command;

fn entra_setup(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_entra-setup"))
        .args(args)
        .output()
        .expect("run entra-setup")
}

#[test]
fn help_lists_the_commands() {
    let output = entra_setup(&["--help"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for command in [
        "profiles",
        "verify",
        "diagnose",
        "register",
        "rotate-secret",
        "bundle",
        "reminders",
    ] {
        assert!(text.contains(command), "--help lacks {command}: {text}");
    }
}

#[test]
fn verify_help_names_the_secret_options_and_no_secret_argument() {
    let output = entra_setup(&["verify", "--help"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for option in ["--secret-stdin", "--secret-env", "--sign-in"] {
        assert!(text.contains(option), "verify --help lacks {option}");
    }
    assert!(
        !text.contains("--secret "),
        "a secret must never be a command-line argument"
    );
}

#[test]
fn bundle_and_reminders_describe_their_subcommands() {
    for (command, subcommands) in [
        ("bundle", &["export", "inspect"][..]),
        ("reminders", &["list", "check", "add", "remove", "scan"][..]),
    ] {
        let output = entra_setup(&[command, "--help"]);
        assert!(output.status.success());
        let text = String::from_utf8_lossy(&output.stdout);
        for sub in subcommands {
            assert!(text.contains(sub), "{command} --help lacks {sub}: {text}");
        }
    }
    let output = entra_setup(&["bundle", "export", "--help"]);
    let text = String::from_utf8_lossy(&output.stdout);
    for option in [
        "--recipient",
        "--passphrase-env",
        "--secret-from-keyring",
        "--out",
    ] {
        assert!(text.contains(option), "bundle export --help lacks {option}");
    }
    assert!(
        !text.contains("--secret "),
        "a secret must never be a command-line argument"
    );
}

#[test]
fn version_answers() {
    let output = entra_setup(&["--version"]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("entra-setup "));
}

#[test]
fn rotate_secret_help_states_when_a_secret_may_be_removed() {
    let output = entra_setup(&["rotate-secret", "--help"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for option in [
        "--remove",
        "--show-secret",
        "--secret-stdin",
        "--secret-env",
        "--profile",
        "--secret-days",
    ] {
        assert!(text.contains(option), "rotate-secret --help lacks {option}");
    }
    assert!(text.contains("not have expired"), "{text}");
    assert!(!text.contains("--secret "), "a secret is never an argument");
}

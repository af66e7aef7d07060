//! The command line describes itself: `--help` lists every command of contracts/cli.md that this
//! version has, each command's `--help` every option it takes (never a secret as an argument) and
//! what each value of a closed option set means, and `--version` answers — all with status 0.

use std::process::Command;

fn entra_setup(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_entra-setup"))
        .args(args)
        .output()
        .expect("run entra-setup")
}

/// `entra-setup ARGS --help`: what it prints on stdout, having exited 0.
fn help(args: &[&str]) -> String {
    let output = entra_setup(&[args, &["--help"][..]].concat());
    assert!(output.status.success(), "{args:?} --help: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn help_lists_the_commands() {
    let text = help(&[]);
    for command in [
        "profiles",
        "verify",
        "diagnose",
        "register",
        "rotate-secret",
        "bundle",
        "reminders",
        "monitor",
    ] {
        assert!(text.contains(command), "--help lacks {command}: {text}");
    }
}

#[test]
fn bundle_and_reminders_describe_their_subcommands() {
    for (command, subcommands) in [
        ("bundle", &["export", "inspect"][..]),
        ("reminders", &["list", "check", "add", "remove", "scan"][..]),
        ("monitor", &["setup", "scan", "schedule"][..]),
    ] {
        let text = help(&[command]);
        for sub in subcommands {
            assert!(text.contains(sub), "{command} --help lacks {sub}: {text}");
        }
    }
}

#[test]
fn version_answers() {
    let output = entra_setup(&["--version"]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("entra-setup "));
}

#[test]
fn rotate_secret_help_states_when_a_secret_may_be_removed() {
    let text = help(&["rotate-secret"]);
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

/// Every option of contracts/cli.md (and the additions this version has) is listed by its
/// command's --help, the global ones too; a secret is never an argument.
#[test]
fn each_command_help_lists_every_option_of_the_contract() {
    let global = [
        "--endpoints",
        "--cloud",
        "--timeout",
        "--no-progress",
        "--verbose",
    ];
    let commands: &[(&[&str], &[&str])] = &[
        (&["profiles"], &["--json"]),
        (
            &["verify"],
            &[
                "--profile",
                "--tenant",
                "--client-id",
                "--secret-stdin",
                "--secret-env",
                "--secret-from-keyring",
                "--site-url",
                "--redirect-uri",
                "--mailbox",
                "--test-recipient",
                "--sign-in",
                "--sign-in-client",
                "--certificate-from-keyring",
                "--certificate-file",
                "--certificate-password-env",
                "--json",
            ],
        ),
        (&["diagnose"], &["--profile", "--json"]),
        (
            &["register"],
            &[
                "--profile",
                "--tenant",
                "--site-url",
                "--redirect-uri",
                "--app-name",
                "--client-id",
                "--secret-days",
                "--new-secret",
                "--secret-stdin",
                "--secret-env",
                "--sign-in",
                "--sign-in-client",
                "--show-secret",
                "--wait-seconds",
                "--credential",
                "--cert-days",
                "--json",
            ],
        ),
        (
            &["rotate-secret"],
            &[
                "--tenant",
                "--client-id",
                "--secret-days",
                "--profile",
                "--site-url",
                "--redirect-uri",
                "--remove",
                "--secret-stdin",
                "--secret-env",
                "--sign-in",
                "--sign-in-client",
                "--show-secret",
                "--json",
            ],
        ),
        (
            &["bundle", "export"],
            &[
                "--profile",
                "--tenant",
                "--client-id",
                "--secret-stdin",
                "--secret-env",
                "--secret-from-keyring",
                "--site-url",
                "--redirect-uri",
                "--sign-in",
                "--recipient",
                "--passphrase-env",
                "--app-name",
                "--out",
                "--secret-expires",
                "--certificate-from-keyring",
                "--certificate-file",
                "--certificate-password-env",
                "--json",
            ],
        ),
        (&["bundle", "inspect"], &["--json"]),
        (&["reminders", "list"], &["--json"]),
        (&["reminders", "check"], &["--within-days", "--json"]),
        (
            &["reminders", "add"],
            &["--tenant", "--client-id", "--key-id", "--expires", "--name"],
        ),
        (&["reminders", "remove"], &["--key-id"]),
        (
            &["reminders", "scan"],
            &[
                "--tenant",
                "--sign-in",
                "--sign-in-client",
                "--within-days",
                "--add",
                "--json",
            ],
        ),
        (&["monitor", "setup"], &["--tenant", "--sign-in", "--json"]),
        (
            &["monitor", "scan"],
            &[
                "--tenants",
                "--within-days",
                "--webhook-env",
                "--mail-from",
                "--mail-to",
                "--json",
            ],
        ),
        (&["monitor", "schedule"], &["--print"]),
    ];
    for (command, options) in commands {
        let text = help(command);
        let listed: Vec<&str> = text
            .lines()
            .filter_map(|line| {
                // An option's line starts with it, after its short form if it has one ("-v,").
                let mut words = line.split_whitespace();
                let first = words.next()?;
                let long = if first.starts_with("--") {
                    first
                } else if first.starts_with('-') {
                    words.next()?
                } else {
                    return None;
                };
                Some(long.trim_end_matches('.'))
            })
            .collect();
        assert!(
            !text.contains("--secret "),
            "{command:?}: a secret must never be a command-line argument"
        );
        for option in global.iter().chain(options.iter()) {
            assert!(
                listed.contains(option),
                "{command:?} --help lacks {option}: {text}"
            );
        }
    }
}

/// --cloud and --sign-in take one of a closed set of values, each described in --help.
#[test]
fn closed_option_sets_describe_each_value() {
    for (command, option, values) in [
        (
            &["verify"][..],
            "--cloud",
            &["global", "usgov", "china"][..],
        ),
        (
            &["verify"][..],
            "--sign-in",
            &["none", "device-code", "browser"][..],
        ),
        (
            &["register"][..],
            "--sign-in",
            &["device-code", "browser"][..],
        ),
        (
            &["rotate-secret"][..],
            "--sign-in",
            &["device-code", "browser"][..],
        ),
        (
            &["reminders", "scan"][..],
            "--sign-in",
            &["device-code", "browser"][..],
        ),
    ] {
        let text = help(command);
        let section: String = text
            .split("\n\n")
            .skip_while(|block| !block.trim_start().starts_with(option))
            .take(2)
            .collect::<Vec<_>>()
            .join("\n\n");
        for value in values {
            assert!(
                section.contains(&format!("- {value}:")),
                "{command:?} {option} does not describe {value}: {section}"
            );
        }
    }
}

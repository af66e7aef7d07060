//! No secret and no token leaks: after a full run of the real binary against the stand-in —
//! `register` from nothing, a repair, `verify --sign-in device-code` with the scenario's secret,
//! `rotate-secret`, and `rotate-secret --remove` proved with the new value — with the most
//! verbose logging asked for, neither the scenario's secret, nor any new secret value, nor any
//! issued token (a JWT: `eyJ…`) appears in any file under `ENTRA_SETUP_HOME`, on stderr, or on
//! stdout — except each new value, printed exactly once by the `--show-secret` that made it.

use entra_setup_tests::cli::{Run, entra_setup, files_under};
use entra_setup_tests::stand_in::StandIn;
use entra_setup_tests::verify_cli::AXERO_CALENDAR;
use serde_json::json;

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const OLD_KEY: &str = "dddddddd-0000-0000-0000-000000000001";
const APP_SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";

/// Every stand-in token is a signed JWT; its header starts `{"` → `eyJ` in base64url.
const JWT_PREFIX: &str = "eyJ";

#[test]
fn no_secret_or_token_appears_outside_the_one_printed_value() {
    let stand_in = StandIn::start_with("contoso", |s| {
        s["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let home = tempfile::tempdir().expect("home");
    let verbose = [("RUST_LOG", "trace"), ("RUST_BACKTRACE", "1")];
    let run = |args: &[&str], stdin: Option<&str>| -> Run {
        let run = entra_setup(&stand_in, home.path(), args, stdin, &verbose);
        assert!(run.code != Some(64), "{args:?}: {run:?}");
        run
    };
    let mut runs: Vec<(&str, Run)> = Vec::new();

    let created = run(
        &[
            "register",
            "--json",
            "--tenant",
            "contoso.com",
            "--profile",
            "exchange-calendar-connector",
            "--show-secret",
        ],
        None,
    );
    let registered_value = created.json()["secret"]["value"]
        .as_str()
        .expect("the new secret")
        .to_string();
    runs.push(("register (new)", created));
    runs.push((
        "register (repair)",
        run(
            &[
                "register",
                "--tenant",
                "contoso.com",
                "--profile",
                "axero-outlook-calendar",
                "--site-url",
                "https://intranet.contoso.com",
                "--client-id",
                APP,
                "--secret-stdin",
            ],
            Some(APP_SECRET),
        ),
    ));
    runs.push((
        "verify",
        run(
            &[
                &["verify", "--tenant", "contoso.com"],
                AXERO_CALENDAR,
                &["--sign-in", "device-code", "--secret-stdin"],
            ]
            .concat(),
            Some(APP_SECRET),
        ),
    ));
    let rotated = run(
        &[
            "rotate-secret",
            "--tenant",
            "contoso.com",
            "--client-id",
            APP,
            "--show-secret",
        ],
        None,
    );
    assert_eq!(rotated.code, Some(0), "{rotated:?}");
    let line = rotated
        .stdout
        .lines()
        .find(|l| l.starts_with("Client secret value"))
        .expect("the value line");
    let rotated_value = line.rsplit(' ').next().expect("value").to_string();
    runs.push(("rotate-secret", rotated));
    runs.push((
        "rotate-secret --remove",
        run(
            &[
                "rotate-secret",
                "--tenant",
                "contoso.com",
                "--client-id",
                APP,
                "--remove",
                OLD_KEY,
                "--secret-stdin",
            ],
            Some(&rotated_value),
        ),
    ));

    let secrets = [
        ("the scenario's secret", APP_SECRET),
        ("the registered secret", registered_value.as_str()),
        ("the rotated secret", rotated_value.as_str()),
    ];
    for (name, run) in &runs {
        for (what, value) in secrets {
            let printed_by_me = (*name == "register (new)" && value == registered_value)
                || (*name == "rotate-secret" && value == rotated_value);
            let expected = usize::from(printed_by_me);
            assert_eq!(
                run.stdout.matches(value).count(),
                expected,
                "{what} on the stdout of {name}"
            );
            assert!(
                !run.stderr.contains(value),
                "{what} on the stderr of {name}"
            );
        }
        for stream in [&run.stdout, &run.stderr] {
            assert!(
                !stream.contains(JWT_PREFIX),
                "a token in the output of {name}"
            );
            for shape in ["Bearer ", "code_verifier", "device_code=", "client_secret="] {
                assert!(!stream.contains(shape), "{shape:?} in the output of {name}");
            }
        }
        // The log was on: each run logged its requests, so the absence above means something.
        assert!(
            run.stderr.contains("HTTP POST") && run.stderr.contains("x_ms_request_id="),
            "no request log on the stderr of {name}: {}",
            run.stderr
        );
    }
    let verify_log = &runs[2].1.stderr;
    for expected in ["check started", "check client_secret: pass", "signed in"] {
        assert!(
            verify_log.contains(expected),
            "{expected:?} not logged by verify"
        );
    }
    for (path, bytes) in files_under(home.path()) {
        let text = String::from_utf8_lossy(&bytes);
        for (what, value) in secrets {
            assert!(!text.contains(value), "{what} in {}", path.display());
        }
        assert!(!text.contains(JWT_PREFIX), "a token in {}", path.display());
    }
}

//! No secret and no token leaks: after a full run of the real binary against the stand-in —
//! `register` from nothing, a repair, `verify --sign-in device-code` with the scenario's secret,
//! `rotate-secret`, and `rotate-secret --remove` proved with the new value — with the most
//! verbose logging asked for, neither the scenario's secret, nor any new secret value, nor any
//! issued token (a JWT: `eyJ…`) appears in any file under `ENTRA_SETUP_HOME`, on stderr, or on
//! stdout — except each new value, printed exactly once by the `--show-secret` that made it.
//! A certificate's private key, used by `verify --certificate-file` (its key encrypted, the
//! password in an environment variable), appears nowhere either, nor its client assertion; packed
//! by `bundle export --passphrase-env`, it is in `certificate.pfx.age` and in no plain entry.

use entra_setup_core::credentials::{Certificate, certificate_key, store_certificate};
use entra_setup_core::secret::Secret;
use entra_setup_core::secrets::{MemoryStore, SecretStore};
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

    // A certificate with its key encrypted in a file outside the home folder; its plain key, as
    // a leak would show it, read back through an in-memory keychain.
    let certificate = Certificate::generate("Leak test", chrono::Utc::now(), 30).expect("made");
    let store = MemoryStore::default();
    store_certificate(&store, "t", "c", "k", &certificate).expect("kept");
    let plain = store
        .get(&certificate_key("t", "c", None))
        .expect("read")
        .expect("kept");
    let key_lines: Vec<String> = plain
        .expose()
        .split("-----BEGIN PRIVATE KEY-----")
        .nth(1)
        .and_then(|rest| rest.split("-----END PRIVATE KEY-----").next())
        .expect("a key block")
        .lines()
        .map(str::trim)
        .filter(|line| line.len() >= 32)
        .map(str::to_string)
        .collect();
    assert!(!key_lines.is_empty());
    let files = tempfile::tempdir().expect("files");
    let certificate_file = files.path().join("app.pem");
    std::fs::write(
        &certificate_file,
        certificate
            .to_encrypted_pem(&Secret::new("pw-of-the-key"))
            .expect("encrypted")
            .expose(),
    )
    .expect("write");
    let with_password = [
        ("RUST_LOG", "trace"),
        ("RUST_BACKTRACE", "1"),
        ("CERT_PASSWORD", "pw-of-the-key"),
    ];
    let certificate_run = entra_setup(
        &stand_in,
        home.path(),
        &[
            "verify",
            "--tenant",
            "contoso.com",
            "--profile",
            "custom",
            "--client-id",
            APP,
            "--certificate-file",
            certificate_file.to_str().expect("utf-8"),
            "--certificate-password-env",
            "CERT_PASSWORD",
        ],
        None,
        &with_password,
    );
    assert!(certificate_run.code != Some(64), "{certificate_run:?}");
    assert!(
        certificate_run.stderr.contains("check client_certificate"),
        "{}",
        certificate_run.stderr
    );
    runs.push(("verify --certificate-file", certificate_run));
    // The same certificate packed into a bundle under a passphrase: its key goes only into
    // certificate.pfx.age (the bundle's plain entries are read below).
    let bundle_out = files.path().join("bundle.zip");
    let bundle_run = entra_setup(
        &stand_in,
        home.path(),
        &[
            "bundle",
            "export",
            "--tenant",
            "contoso.com",
            "--profile",
            "custom",
            "--client-id",
            APP,
            "--certificate-file",
            certificate_file.to_str().expect("utf-8"),
            "--certificate-password-env",
            "CERT_PASSWORD",
            "--passphrase-env",
            "BUNDLE_PASSPHRASE",
            "--out",
            bundle_out.to_str().expect("utf-8"),
        ],
        None,
        &[
            with_password.as_slice(),
            &[("BUNDLE_PASSPHRASE", "pw-of-the-bundle")],
        ]
        .concat(),
    );
    assert!(bundle_out.exists(), "{bundle_run:?}");
    runs.push(("bundle export --certificate-file", bundle_run));
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(&bundle_out).expect("bundle")).expect("zip");
    let mut plain_entries = Vec::new();
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).expect("entry");
        let name = entry.name().expect("name").into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read");
        if name != "certificate.pfx.age" {
            plain_entries.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    assert_eq!(
        plain_entries.len() + 1,
        zip.len(),
        "certificate.pfx.age is there"
    );
    for (name, text) in &plain_entries {
        assert!(
            !text.contains("PRIVATE KEY"),
            "a key in the bundle's {name}"
        );
        assert!(
            !text.contains("pw-of-the-"),
            "a password in the bundle's {name}"
        );
        for line in &key_lines {
            assert!(
                !text.contains(line.as_str()),
                "the private key in the bundle's {name}"
            );
        }
    }

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
        assert!(!text.contains("PRIVATE KEY"), "a key in {}", path.display());
        for line in &key_lines {
            assert!(
                !text.contains(line.as_str()),
                "the private key in {}",
                path.display()
            );
        }
    }
    for (name, run) in &runs {
        for stream in [&run.stdout, &run.stderr] {
            assert!(
                !stream.contains("PRIVATE KEY"),
                "a key in the output of {name}"
            );
            assert!(
                !stream.contains("pw-of-the-"),
                "the key's or the bundle's password in the output of {name}"
            );
            for line in &key_lines {
                assert!(
                    !stream.contains(line.as_str()),
                    "the private key in the output of {name}"
                );
            }
        }
    }
}

//! `entra-setup bundle export|inspect` (the real binary) against the stand-in: a bundle for every
//! shipped profile with each entry checked, the secret's value in no entry but `secret.age`
//! (decrypted here with the age identity, and with a passphrase), the calendar read by an
//! independent parser, a crash before the rename leaving no bundle, and `inspect` refusing
//! anything that is not a bundle of this version.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use entra_setup_tests::cli::{reminders_list, run};
use entra_setup_tests::stand_in::StandIn;
use serde_json::{Value, json};

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const SECRET: &str = "Xy7Q~abcdefghijklmnopqrstuvwxyz0123456789";
const VENDOR_APP: &str = "ffffffff-0000-0000-0000-000000000001";

/// Every shipped profile: the scenario it is exported from, its options, whether it has a secret.
const PROFILES: &[(&str, &str, &[&str], bool)] = &[
    (
        "axero-outlook-calendar",
        "axero-outlook-calendar",
        &[
            "--client-id",
            APP,
            "--site-url",
            "https://intranet.contoso.com",
            "--mailbox",
            "intranet@contoso.com",
        ],
        true,
    ),
    (
        "axero-m365-email",
        "axero-m365-email",
        &[
            "--client-id",
            APP,
            "--site-url",
            "https://intranet.contoso.com",
            "--mailbox",
            "intranet@contoso.com",
        ],
        true,
    ),
    (
        "odoo-outlook-calendar",
        "odoo-outlook-calendar",
        &["--client-id", APP, "--site-url", "https://odoo.contoso.com"],
        true,
    ),
    (
        "exchange-calendar-connector",
        "exchange-calendar-connector",
        &["--client-id", APP, "--mailbox", "intranet@contoso.com"],
        true,
    ),
    (
        "vendor-app-consent",
        "vendor-app-consent",
        &["--client-id", VENDOR_APP],
        false,
    ),
    (
        "contoso",
        "custom",
        &[
            "--client-id",
            APP,
            "--redirect-uri",
            "https://intranet.contoso.com/oauth2/outlook/callback",
        ],
        true,
    ),
];

/// The stand-in for `scenario`, approving the administrator's and the mailbox owner's sign-ins.
fn stand_in(scenario: &str) -> StandIn {
    StandIn::start_with(scenario, |s| {
        s["sign_in"] = json!({ "as": ["admin@contoso.com", "intranet@contoso.com"] });
    })
}

/// The entries of a zip by name.
fn entries(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(path).expect("open zip")).expect("a zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read entry");
        out.insert(entry.name().expect("entry name").into_owned(), bytes);
    }
    out
}

/// Export a bundle; returns the run and the bundle's path.
fn export(
    home: &Path,
    stand_in: &StandIn,
    profile: &str,
    args: &[&str],
    secret: bool,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (entra_setup_tests::cli::Run, std::path::PathBuf) {
    let out = home.join(format!("{profile}.zip"));
    let mut all = vec![
        "bundle",
        "export",
        "--json",
        "--profile",
        profile,
        "--tenant",
        "contoso.com",
        "--sign-in",
        "device-code",
    ];
    all.extend_from_slice(args);
    if secret {
        all.push("--secret-stdin");
    }
    all.extend_from_slice(extra);
    let out_text = out.to_str().expect("utf-8 path").to_string();
    all.extend_from_slice(&["--out", &out_text]);
    let result = run(home, Some(stand_in), &all, secret.then_some(SECRET), env);
    (result, out)
}

/// The checks every bundle passes, whatever its profile.
fn check_common(profile: &str, files: &BTreeMap<String, Vec<u8>>) -> Value {
    let record: Value = serde_json::from_slice(&files["bundle.json"]).expect("bundle.json");
    assert_eq!(record["format"], "entra-setup-bundle");
    assert_eq!(record["version"], 1);
    assert_eq!(record["profile"]["id"], profile);
    assert_eq!(
        record["tenant"]["id"],
        "11111111-2222-3333-4444-555555555555"
    );
    assert_eq!(record["tenant"]["domain"], "contoso.com");
    assert_eq!(record["tenant"]["cloud"], "global");
    assert!(
        record["application"]["admin_consent_url"]
            .as_str()
            .expect("url")
            .contains("/adminconsent?client_id=")
    );
    assert_eq!(record["reminder"]["lead_days"], json!([30, 14, 7, 1]));
    let checks = record["checks"].as_array().expect("checks");
    assert!(!checks.is_empty());
    for check in checks {
        assert!(
            check["id"].is_string()
                && check["status"].is_string()
                && check.get("evidence").is_some(),
            "{check}"
        );
    }
    let settings = String::from_utf8(files["settings.txt"].clone()).expect("settings.txt is text");
    for (name, value) in record["settings"].as_object().expect("settings") {
        let line = settings
            .lines()
            .find(|l| l.starts_with(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("{name} in settings.txt:\n{settings}"));
        match value.as_str() {
            Some(v) => assert_eq!(line, format!("{name}: {v}")),
            None => assert!(line.contains("not in this file"), "{line}"),
        }
    }
    let html = String::from_utf8(files["REPORT.html"].clone()).expect("REPORT.html is text");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@media print"));
    for forbidden in ["<script", "src=\"http", "<link", "@import"] {
        assert!(!html.contains(forbidden), "{forbidden} in REPORT.html");
    }
    for check in checks {
        assert!(html.contains(&format!(
            "<code>{}</code>",
            check["id"].as_str().expect("id")
        )));
    }
    assert!(html.contains("What is left to do"));
    record
}

/// The calendar, parsed by an independent parser: two all-day events with display alarms and
/// UIDs from the key id; CRLF and lines of at most 75 octets.
fn check_calendar(ics: &[u8], key_id: &str) {
    let text = std::str::from_utf8(ics).expect("utf-8");
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line over 75 octets: {line}");
        assert!(!line.contains('\n'), "bare LF");
    }
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics));
    let calendar = parser
        .next()
        .expect("one calendar")
        .expect("valid iCalendar");
    assert!(parser.next().is_none());
    let prop = |props: &[ical::property::Property], name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(prop(&calendar.properties, "VERSION"), "2.0");
    assert!(prop(&calendar.properties, "PRODID").contains("Entra Setup Wizard"));
    assert_eq!(calendar.events.len(), 2);
    let uids: Vec<String> = calendar
        .events
        .iter()
        .map(|e| prop(&e.properties, "UID"))
        .collect();
    assert_eq!(
        uids,
        vec![
            format!("{key_id}-rotate@entra-setup"),
            format!("{key_id}-expires@entra-setup")
        ]
    );
    for event in &calendar.events {
        let start = event
            .properties
            .iter()
            .find(|p| p.name == "DTSTART")
            .expect("DTSTART");
        let params = start.params.clone().unwrap_or_default();
        assert!(
            params
                .iter()
                .any(|(k, v)| k == "VALUE" && v == &vec!["DATE".to_string()]),
            "{start:?}"
        );
        assert_eq!(start.value.as_deref().map(str::len), Some(8));
        prop(&event.properties, "DTSTAMP");
        prop(&event.properties, "SUMMARY");
        prop(&event.properties, "DESCRIPTION");
        assert_eq!(event.alarms.len(), 1);
        assert_eq!(prop(&event.alarms[0].properties, "ACTION"), "DISPLAY");
        prop(&event.alarms[0].properties, "TRIGGER");
    }
}

#[test]
fn every_shipped_profile_exports_a_whole_bundle_with_the_secret_only_in_secret_age() {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    for (scenario, profile, args, secret) in PROFILES {
        let stand_in = stand_in(scenario);
        let home = tempfile::tempdir().expect("home");
        let extra: Vec<&str> = if *secret {
            vec!["--recipient", &recipient]
        } else {
            vec![]
        };
        let (result, out) = export(home.path(), &stand_in, profile, args, *secret, &extra, &[]);
        assert!(matches!(result.code, Some(0..=2)), "{profile}: {result:?}");
        assert!(
            !result.stdout.contains(SECRET) && !result.stderr.contains(SECRET),
            "{profile}: secret printed"
        );
        let printed = result.json();
        assert_eq!(printed["bundle"]["profile"]["id"], *profile);
        assert!(
            printed["bundle"]["application"]["display_name"].is_string(),
            "{profile}: the display name read with the administrator's sign-in"
        );
        let files = entries(&out);
        let record = check_common(profile, &files);
        for (name, bytes) in &files {
            if name != "secret.age" {
                assert!(
                    !String::from_utf8_lossy(bytes).contains(SECRET),
                    "{profile}: the secret is in {name}"
                );
            }
        }
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        if *secret {
            assert_eq!(
                names,
                vec![
                    "REPORT.html",
                    "bundle.json",
                    "secret-rotation.ics",
                    "secret.age",
                    "settings.txt"
                ],
                "{profile}"
            );
            assert_eq!(record["secret"]["storage"], "age");
            let key_id = record["secret"]["key_id"].as_str().expect("key id");
            assert!(record["secret"]["expires"].is_string());
            check_calendar(&files["secret-rotation.ics"], key_id);
            let plain = age::decrypt(&identity, &files["secret.age"]).expect("decrypt secret.age");
            assert_eq!(plain, SECRET.as_bytes(), "{profile}");
            let reminders = reminders_list(home.path());
            assert_eq!(
                reminders["secrets"][0]["key_id"], key_id,
                "{profile}: {reminders}"
            );
            let secret_settings: Vec<&Value> = record["settings"]
                .as_object()
                .expect("settings")
                .values()
                .filter(|v| v.is_null())
                .collect();
            assert!(
                !secret_settings.is_empty() || *profile == "vendor-app-consent",
                "{profile}: the secret setting is null"
            );
        } else {
            assert_eq!(
                names,
                vec!["REPORT.html", "bundle.json", "settings.txt"],
                "{profile}"
            );
            assert_eq!(record["secret"]["storage"], "none");
        }
        let inspected = run(
            home.path(),
            None,
            &["bundle", "inspect", out.to_str().expect("path"), "--json"],
            None,
            &[],
        );
        assert_eq!(inspected.code, Some(0), "{inspected:?}");
        assert_eq!(inspected.json()["bundle"], record);
    }
}

#[test]
fn a_passphrase_encrypts_the_secret_too() {
    let stand_in = stand_in("axero-outlook-calendar");
    let home = tempfile::tempdir().expect("home");
    let (_, profile, args, _) = PROFILES[0];
    let (result, out) = export(
        home.path(),
        &stand_in,
        profile,
        args,
        true,
        &["--passphrase-env", "BUNDLE_PASSPHRASE"],
        &[("BUNDLE_PASSPHRASE", "correct horse battery staple")],
    );
    assert_eq!(result.code, Some(0), "{result:?}");
    let files = entries(&out);
    let identity = age::scrypt::Identity::new(age::secrecy::SecretString::from(
        "correct horse battery staple".to_string(),
    ));
    let plain = age::decrypt(&identity, &files["secret.age"]).expect("decrypt with the passphrase");
    assert_eq!(plain, SECRET.as_bytes());
    let wrong = age::scrypt::Identity::new(age::secrecy::SecretString::from("wrong".to_string()));
    assert!(age::decrypt(&wrong, &files["secret.age"]).is_err());
}

#[test]
fn a_crash_before_the_rename_leaves_no_bundle_and_the_next_export_cleans_up() {
    let stand_in = stand_in("axero-outlook-calendar");
    let home = tempfile::tempdir().expect("home");
    let (_, profile, args, _) = PROFILES[0];
    let (crashed, out) = export(
        home.path(),
        &stand_in,
        profile,
        args,
        false,
        &[],
        &[("ENTRA_SETUP_TEST_CRASH_BEFORE_RENAME", "1")],
    );
    assert_eq!(
        crashed.code, None,
        "killed by the injected abort: {crashed:?}"
    );
    assert!(!out.exists(), "a partial bundle was left");
    let leftovers = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".zip.tmp-"))
            .collect()
    };
    assert_eq!(
        leftovers(home.path()).len(),
        1,
        "the temporary file is there until the next run"
    );
    let (again, out) = export(home.path(), &stand_in, profile, args, false, &[], &[]);
    assert_eq!(again.code, Some(0), "{again:?}");
    assert!(out.is_file());
    assert!(
        leftovers(home.path()).is_empty(),
        "the next export removed the leftover"
    );
}

#[test]
fn inspect_refuses_what_is_not_a_bundle_of_this_version() {
    let home = tempfile::tempdir().expect("home");
    let write_zip = |name: &str, json: &str| {
        let path = home.path().join(name);
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
        zip.start_file("bundle.json", zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(json.as_bytes()).expect("write");
        zip.finish().expect("finish");
        path
    };
    let not_zip = home.path().join("notes.zip");
    std::fs::write(&not_zip, "hello").expect("write");
    let cases = [
        (not_zip, "not a zip file"),
        (
            write_zip("other.zip", r#"{"format":"something-else","version":1}"#),
            "'something-else'",
        ),
        (
            write_zip(
                "future.zip",
                r#"{"format":"entra-setup-bundle","version":2}"#,
            ),
            "version 2",
        ),
        (
            write_zip(
                "broken.zip",
                r#"{"format":"entra-setup-bundle","version":1}"#,
            ),
            "does not match version 1",
        ),
        (home.path().join("missing.zip"), "cannot open it"),
    ];
    for (path, expected) in cases {
        let result = run(
            home.path(),
            None,
            &["bundle", "inspect", path.to_str().expect("path")],
            None,
            &[],
        );
        assert_eq!(result.code, Some(64), "{result:?}");
        assert!(
            result.stderr.contains(expected),
            "{expected}: {}",
            result.stderr
        );
        assert!(
            result
                .stderr
                .contains(path.file_name().and_then(|n| n.to_str()).expect("name"))
        );
    }
}

#[test]
fn bad_export_options_are_refused_naming_them() {
    let home = tempfile::tempdir().expect("home");
    let out = home.path().join("b.zip");
    let out = out.to_str().expect("path");
    let base = [
        "bundle",
        "export",
        "--profile",
        "odoo-outlook-calendar",
        "--tenant",
        "contoso.com",
        "--client-id",
        APP,
    ];
    let cases: &[(&[&str], &str)] = &[
        (
            &["--secret-stdin", "--recipient", "age1notakey", "--out", out],
            "--recipient",
        ),
        (
            &[
                "--recipient",
                "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
                "--out",
                out,
            ],
            "needs the secret's value",
        ),
        (
            &[
                "--secret-stdin",
                "--passphrase-env",
                "NOT_SET_ANYWHERE",
                "--out",
                out,
            ],
            "NOT_SET_ANYWHERE",
        ),
        (&["--out", "/no/such/folder/b.zip"], "does not exist"),
        (&["--out", "bundle.tar"], "end the name with .zip"),
    ];
    for (extra, expected) in cases {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let result = run(home.path(), None, &args, Some(SECRET), &[]);
        assert_eq!(result.code, Some(64), "{extra:?}: {result:?}");
        assert!(
            result.stderr.contains(expected),
            "{expected}: {}",
            result.stderr
        );
    }
}

/// The administrator's sign-in meets a 503 (more than the client retries): no bundle is written,
/// and `--json` still answers one document with the checks that ran and why; exit 2.
#[test]
fn a_failed_sign_in_writes_no_bundle_and_still_answers_json() {
    let stand_in = StandIn::start_with("axero-outlook-calendar", |s| {
        s["sign_in"] = json!({ "as": "admin@contoso.com" });
        s["faults"] = json!([
            {"match": "POST /*/oauth2/v2.0/devicecode", "kind": "status", "status": 503, "times": 3}
        ]);
    });
    let home = tempfile::tempdir().expect("home");
    let (_, profile, args, _) = PROFILES[0];
    let (result, out) = export(home.path(), &stand_in, profile, args, true, &[], &[]);
    assert_eq!(result.code, Some(2), "{result:?}");
    assert!(!out.exists(), "no bundle from a partial verification");
    let document = result.json();
    assert_eq!(document["bundle"], Value::Null);
    assert_eq!(
        document["error"]["cause"], "service_unavailable",
        "{document:#}"
    );
    let checks = document["verify"]["checks"].as_array().expect("checks");
    assert!(
        checks
            .iter()
            .any(|c| c["id"] == "client_secret" && c["status"] == "pass"),
        "{document:#}"
    );
}

/// `bundle export` with nobody signed in: the secret's ID and expiry cannot be read. With
/// `--secret-expires` (as Certificates & secrets shows it) the calendar and the reminder are made
/// from it; without it, the output says that no reminder was made.
#[test]
fn without_a_sign_in_the_expiry_the_admin_gives_makes_the_calendar_and_the_reminder() {
    let stand_in = stand_in("axero-outlook-calendar");
    let (_, profile, args, _) = PROFILES[0];
    let run_export = |home: &Path, extra: &[&str]| {
        let out = home.join("bundle.zip");
        let out_text = out.to_str().expect("utf-8 path").to_string();
        let mut all = vec![
            "bundle",
            "export",
            "--profile",
            profile,
            "--tenant",
            "contoso.com",
        ];
        all.extend_from_slice(args);
        all.push("--secret-stdin");
        all.extend_from_slice(extra);
        all.extend_from_slice(&["--out", &out_text]);
        (run(home, Some(&stand_in), &all, Some(SECRET), &[]), out)
    };

    let home = tempfile::tempdir().expect("home");
    let (result, out) = run_export(home.path(), &["--secret-expires", "2027-03-01"]);
    assert!(out.exists(), "{result:?}");
    let files = entries(&out);
    let ics = String::from_utf8(files["secret-rotation.ics"].clone()).expect("text");
    assert!(ics.contains("20270301"), "{ics}");
    let reminders = reminders_list(home.path());
    assert_eq!(
        reminders["secrets"].as_array().map(Vec::len),
        Some(1),
        "{reminders}"
    );
    assert_eq!(reminders["secrets"][0]["client_id"], APP, "{reminders}");
    assert_eq!(
        reminders["secrets"][0]["expires"], "2027-03-01T00:00:00Z",
        "{reminders}"
    );
    assert!(
        !result.stderr.contains("no reminder was made"),
        "{result:?}"
    );

    let home = tempfile::tempdir().expect("home");
    let (result, out) = run_export(home.path(), &[]);
    assert!(out.exists(), "{result:?}");
    assert!(!entries(&out).contains_key("secret-rotation.ics"));
    assert!(
        result.stderr.contains("no reminder was made")
            && result.stderr.contains("--secret-expires"),
        "{result:?}"
    );
    assert_eq!(
        reminders_list(home.path())["secrets"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );

    let home = tempfile::tempdir().expect("home");
    let (result, out) = run_export(home.path(), &["--secret-expires", "next March"]);
    assert_eq!(result.code, Some(64), "{result:?}");
    assert!(
        result.stderr.contains("--secret-expires: 'next March'"),
        "{result:?}"
    );
    assert!(!out.exists());
}

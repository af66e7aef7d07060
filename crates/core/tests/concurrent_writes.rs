//! Writers of one file at once, in threads and in processes: exports to one `out.zip` all
//! succeed and leave a whole bundle (the last rename wins); the next write of a file removes the
//! temporary files of crashed writes (of a bundle, of `reminders.json`) but never the one a live
//! writer is still filling.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use chrono::TimeZone;
use entra_setup_core::atomic_file;
use entra_setup_core::bundle::{self, ExportRequest, Protection, SecretFacts};
use entra_setup_core::profile::Catalog;
use entra_setup_core::reminders::Registry;
use entra_setup_core::verify;

const APP: &str = "bbbbbbbb-0000-0000-0000-000000000001";
const KEY_ID: &str = "dddddddd-0000-0000-0000-000000000001";

/// When set, the test binary is a child process of `processes_exporting_at_once_all_succeed`:
/// it exports to the path this variable names and exits.
const CHILD_OUT: &str = "ENTRA_SETUP_TEST_CONCURRENT_EXPORT_TO";

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 6, 1, 9, 30, 0)
        .single()
        .expect("date")
}

/// An export request whose display name tells the writers apart.
fn request(writer: &str) -> ExportRequest {
    let catalog = Catalog::shipped();
    let profile = catalog
        .get("odoo-outlook-calendar")
        .expect("profile")
        .clone();
    let report = verify::Report {
        profile: profile.id.clone(),
        tenant_id: Some("11111111-2222-3333-4444-555555555555".into()),
        client_id: Some(APP.into()),
        checks: vec![],
        summary: verify::Summary::default(),
    };
    ExportRequest {
        profile,
        report,
        tenant: "contoso.com".into(),
        cloud: entra_setup_core::endpoints::Cloud::Global,
        login: "https://login.microsoftonline.com".into(),
        client_id: APP.into(),
        display_name: Some(format!("Odoo {writer}")),
        redirect_uri: Some("https://odoo.contoso.com/microsoft_account/authentication".into()),
        secret: SecretFacts {
            key_id: Some(KEY_ID.into()),
            hint: Some("Xy7".into()),
            expires: Some(now() + chrono::Duration::days(365)),
            value: None,
            in_keychain: true,
        },
        certificate: None,
        protection: Protection::None,
        now: now(),
    }
}

fn temporaries(dir: &Path, of: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("{of}.tmp-"))
        })
        .map(|e| e.path())
        .collect()
}

/// A temporary file as a crashed writer leaves it: complete or not, locked by no one.
fn crashed_leftover(target: &Path) -> PathBuf {
    let (file, path) = atomic_file::temp_beside(target)
        .expect("temp")
        .keep()
        .expect("keep");
    std::fs::write(&path, b"half a file").expect("write");
    drop(file);
    path
}

#[test]
fn a_hundred_exports_to_one_file_at_once_all_succeed_and_leave_a_whole_bundle() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("out.zip");
    let requests: Vec<ExportRequest> = (0..100).map(|i| request(&format!("#{i}"))).collect();
    let succeeded = AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for request in &requests {
            let (out, succeeded, failures) = (&out, &succeeded, &failures);
            scope.spawn(move || match bundle::export(request, out, None) {
                Ok(_) => {
                    succeeded.fetch_add(1, Ordering::Relaxed);
                }
                Err(e) => failures.lock().expect("lock").push(e.to_string()),
            });
        }
    });
    let failures = failures.into_inner().expect("lock");
    assert!(
        failures.is_empty(),
        "{} failed: {failures:?}",
        failures.len()
    );
    assert_eq!(succeeded.into_inner(), 100);
    let opened = bundle::open(&out).expect("the last rename left a whole bundle");
    let name = opened
        .record
        .application
        .display_name
        .expect("display name");
    assert!(
        requests
            .iter()
            .any(|r| r.display_name.as_deref() == Some(&name)),
        "{name}"
    );
    assert!(temporaries(dir.path(), "out.zip").is_empty());
}

#[test]
fn an_export_while_another_is_still_writing_leaves_its_file_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("x.zip");
    let (reached, wait_reached) = mpsc::channel::<PathBuf>();
    let (go_on, wait_go_on) = mpsc::channel::<()>();
    let wait_go_on = std::sync::Mutex::new(wait_go_on);
    std::thread::scope(|scope| {
        // Owned here, so a failed assertion below drops it and the first export is released.
        let go_on = go_on;
        let first = scope.spawn(|| {
            let hook = |temp: &Path| {
                reached.send(temp.to_path_buf()).expect("send");
                let _ = wait_go_on.lock().expect("lock").recv();
            };
            bundle::export(&request("first"), &out, Some(&hook))
        });
        let first_temp = wait_reached.recv().expect("the first export is writing");
        let crashed = crashed_leftover(&out);

        bundle::export(&request("second"), &out, None).expect("the second export");
        assert!(
            !crashed.exists(),
            "the crashed export's leftover is removed"
        );
        assert!(first_temp.exists(), "the live export's file is not");
        assert_eq!(
            bundle::open(&out)
                .expect("the second bundle")
                .record
                .application
                .display_name
                .as_deref(),
            Some("Odoo second")
        );

        go_on.send(()).expect("send");
        first
            .join()
            .expect("no panic")
            .expect("the first export succeeds too");
    });
    assert_eq!(
        bundle::open(&out)
            .expect("whole")
            .record
            .application
            .display_name
            .as_deref(),
        Some("Odoo first"),
        "the last rename wins"
    );
    assert!(temporaries(dir.path(), "x.zip").is_empty());
}

#[test]
fn the_next_reminders_write_removes_a_crashed_writers_file_but_not_a_live_writers() {
    let dir = tempfile::tempdir().expect("dir");
    let registry = Registry::at(dir.path());
    let crashed = crashed_leftover(registry.path());
    let live = atomic_file::temp_beside(registry.path()).expect("a writer at work");
    assert!(
        crashed
            .file_name()
            .expect("name")
            .to_string_lossy()
            .starts_with("reminders.json.tmp-")
    );
    registry
        .record_secret("t", APP, KEY_ID, now(), None, "add")
        .expect("record");
    assert!(!crashed.exists(), "the crash's leftover is removed");
    assert!(live.path().exists(), "the live writer's file is kept");
    assert_eq!(registry.list().expect("list").len(), 1);
    drop(live);
    assert!(temporaries(dir.path(), "reminders.json").is_empty());
}

/// The child's part of `processes_exporting_at_once_all_succeed`: export a few times at once.
#[test]
fn child_process_exports() {
    let Some(out) = std::env::var_os(CHILD_OUT) else {
        return;
    };
    let out = PathBuf::from(out);
    std::thread::scope(|scope| {
        for i in 0..4 {
            let out = &out;
            scope.spawn(move || {
                bundle::export(
                    &request(&format!("process {} #{i}", std::process::id())),
                    out,
                    None,
                )
                .expect("export");
            });
        }
    });
}

#[test]
fn processes_exporting_at_once_all_succeed() {
    if std::env::var_os(CHILD_OUT).is_some() {
        return;
    }
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("out.zip");
    let me = std::env::current_exe().expect("this test binary");
    let children: Vec<std::process::Child> = (0..16)
        .map(|_| {
            std::process::Command::new(&me)
                .args(["--exact", "child_process_exports", "--test-threads", "1"])
                .env(CHILD_OUT, &out)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("wait");
        assert!(
            output.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let opened = bundle::open(&out).expect("a whole bundle");
    assert!(
        opened
            .record
            .application
            .display_name
            .expect("name")
            .starts_with("Odoo process ")
    );
    assert!(temporaries(dir.path(), "out.zip").is_empty());
}

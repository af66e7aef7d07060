//! `entra-setup monitor` (the real binary) against the stand-in over two tenants: `scan` with no
//! person signing in — the monitor app's own client-credentials token in each tenant: it is
//! registered once, in its home tenant, and approved as another organisation's app in the
//! second — finds every secret and certificate due within the window, posts one webhook message
//! to a receiver on loopback (the URL from the environment, never printed) and exits 1; a tenant
//! that has not approved the monitor is named unreadable (exit 2 when nothing is due); a bad
//! tenants file is refused naming its line; `schedule --print` prints each schedule; `setup`
//! (in a private keychain session) gives the monitor a certificate that `scan` then uses. Each
//! scan is kept as the monitor's last scan (the document `--json` prints, with when it ran; no
//! secret), replaced by the next.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use entra_setup_core::endpoints::Endpoints;
use entra_setup_core::http::Http;
use entra_setup_core::identity;
use entra_setup_core::secret::Secret;
use entra_setup_tests::cli::entra_setup;
use entra_setup_tests::keyring_session;
use entra_setup_tests::stand_in::StandIn;
use serde_json::{Value, json};

const MONITOR: &str = "99999999-0000-0000-0000-000000000001";
const SEEDER: &str = "99999999-0000-0000-0000-000000000002";
/// Each app's secret values are its prefix followed by the secret's index.
const MONITOR_SECRET: &str = "Mon~itorsecretvalue0123456789abcdefghij";
const SEEDER_SECRET: &str = "See~dersecretvalue0123456789abcdefghijk";

const TEST_CERTIFICATE_DER: &str = "MIIDDzCCAfegAwIBAgIUUonxhVYx81fAEJ/7YMZii4Edb1IwDQYJKoZIhvcNAQELBQAwFzEVMBMGA1UEAwwMbW9uaXRvci10ZXN0MB4XDTI2MTIwNzA5MDMyMVoXDTM2MTIwNDA5MDMyMVowFzEVMBMGA1UEAwwMbW9uaXRvci10ZXN0MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuZO9J5Pobh/iYyYJckYuiQkIqqKCWyUxz53Sq3MYf3LgVpPbHPsDx1yF9nNC4/k56vX/dKv2Wc3NKYnk6zQ/4YYeSQX/WUKY97HNqoZ84Y+wJ90tUb8egtrDmCkAtJiu2ETMYi0ExS8OOYLS23jM+06+nYvEp4IpJd9cdODSAMG7IQO7A8s9eaQ7Nn+MIVfhdWs+tuHVkqTZQNdLY6rxXaww2E0gt4FMOpXam/KBrxXoGznD9nHeZF/z4YOMyEgKJTLH1q0hwKEnWJqT6nzZ4F465SxSwvYNJQmJwAr7BpFePQqLNUkgg+dwxQm/UdEN8B91sWhf+IkohQUtLSK2OQIDAQABo1MwUTAdBgNVHQ4EFgQUscdxXNXEWDa9FY2NGg/OB5QP05UwHwYDVR0jBBgwFoAUscdxXNXEWDa9FY2NGg/OB5QP05UwDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAQIlKNvikLKeQrxAcFhoXGJr7kSkoIGWxtbSYPaADU0POGguZMWUVoYXKkNJaT1c8UeXtLPtl4SXmiLi6AKl7LrVpsfuosLJml0CPPHGJVeuR6ie9zQQn7GDcVlOvmqe/LI7a0mQ/szZ0hCYVQquaOA2pgb4JQoQdXs3s1AGPHaw+OnwCu6+Fw2xj8BdJ+b6n4zna17KdjgBpl27dLwQd1q8nmt4C2y0sWnTjugbPkgMn7EQ8bzHg4pPvaqNwJK7mLw26dM6jlQZyzKZIbu2xKU82GF6z4F0hzGDdQDgMMfOtUl7qMIjKk7Oimucbkkwv0ykz9pkGryaCZoinAzsU5g==";

fn app(
    app_id: &str,
    object_id: &str,
    name: &str,
    secrets: &[(&str, DateTime<Utc>)],
    value: &str,
    roles: &[&str],
) -> Value {
    json!({
        "app_id": app_id, "object_id": object_id, "display_name": name,
        "sign_in_audience": "AzureADMultipleOrgs",
        "web_redirect_uris": [], "spa_redirect_uris": [], "public_client_redirect_uris": [],
        "allow_public_client_flows": false, "enabled": true,
        "permissions": {"delegated": [], "application": roles},
        "secrets": secrets.iter().enumerate().map(|(i, (key, end))| json!({
            "key_id": key, "display_name": format!("secret {i}"), "value": format!("{value}{i}"),
            "start": "2025-01-01T00:00:00Z", "end": end.to_rfc3339(),
        })).collect::<Vec<_>>(),
        "service_principal": true,
        "consented": {"delegated": [], "application": roles},
    })
}

/// Where the monitor app stands in a tenant.
#[derive(Clone, Copy, PartialEq)]
enum Monitor {
    /// Registered here, with its secret.
    Home,
    /// Another organisation's app here, approved: an enterprise application with
    /// Application.Read.All consented (its credentials are the home registration's).
    Approved,
    /// Unknown here: nobody approved it.
    Absent,
}

fn tenant(id: &str, domain: &str, n: u8, mut apps: Vec<Value>, monitor: Monitor) -> Value {
    let far = Utc::now() + Duration::days(700);
    if monitor == Monitor::Home {
        apps.push(app(
            MONITOR,
            &format!("cccccccc-0000-0000-000{n}-000000000001"),
            "Entra setup monitor",
            &[(&format!("eeeeeeee-000{n}-0000-0000-000000000001"), far)],
            MONITOR_SECRET,
            &["Application.Read.All"],
        ));
    }
    if monitor != Monitor::Absent {
        apps.push(app(
            SEEDER,
            &format!("cccccccc-0000-0000-000{n}-000000000002"),
            "Seeder",
            &[(&format!("eeeeeeee-000{n}-0000-0000-000000000002"), far)],
            SEEDER_SECRET,
            &["Application.ReadWrite.All"],
        ));
    }
    let vendor_apps = if monitor == Monitor::Approved {
        json!([{
            "app_id": MONITOR, "object_id": format!("cccccccc-0000-0000-000{n}-0000000000f1"),
            "display_name": "Entra setup monitor", "sign_in_audience": "AzureADMultipleOrgs",
            "web_redirect_uris": [], "spa_redirect_uris": [], "public_client_redirect_uris": [],
            "allow_public_client_flows": false, "enabled": true,
            "permissions": {"delegated": [], "application": ["Application.Read.All"]},
            "service_principal": true,
            "consented": {"delegated": [], "application": ["Application.Read.All"]},
        }])
    } else {
        json!([])
    };
    json!({
        "id": id, "display_name": domain, "domains": [domain], "cloud": "global",
        "smtp_auth_enabled": true, "user_consent": "legacy", "admin_consent_workflow": false,
        "secret_max_lifetime_days": null,
        "users": [{
            "id": format!("aaaaaaaa-0000-0000-0000-00000000000{n}"), "upn": format!("admin@{domain}"),
            "display_name": "Admin", "admin": true, "account_enabled": true, "mailbox": "user",
            "exchange_license": true, "smtp_auth": null
        }],
        "applications": apps,
        "vendor_apps": vendor_apps,
    })
}

/// Contoso, the monitor's home, and Fabrikam, where it is approved, each with credentials due
/// and not; Northwind, where it is not approved.
fn scenario() -> Value {
    let days = |d: i64| Utc::now() + Duration::days(d);
    json!({"tenants": [
        tenant("11111111-2222-3333-4444-555555555555", "contoso.com", 1, vec![
            app("bbbbbbbb-0000-0000-0001-000000000001", "cccccccc-0000-0000-0001-000000000010", "Payroll sync",
                &[("dddddddd-0001-0000-0000-000000000001", days(10)), ("dddddddd-0001-0000-0000-000000000002", days(200))], "Pay~", &[]),
            app("bbbbbbbb-0000-0000-0001-000000000002", "cccccccc-0000-0000-0001-000000000011", "Old portal",
                &[("dddddddd-0001-0000-0000-000000000003", days(-3))], "Old~", &[]),
        ], Monitor::Home),
        tenant("4a7d1e2b-8c3f-4b6a-9d2e-5f1c7b3a9e80", "fabrikam.com", 2, vec![
            app("bbbbbbbb-0000-0000-0002-000000000001", "cccccccc-0000-0000-0002-000000000010", "Fabrikam CRM",
                &[("dddddddd-0002-0000-0000-000000000001", days(20))], "Crm~", &[]),
        ], Monitor::Approved),
        tenant("33333333-4444-5555-6666-777777777777", "northwind.com", 3, vec![], Monitor::Absent),
    ]})
}

/// The two-tenant stand-in, with a certificate due on one registration of each monitored tenant
/// (written through Graph with the test's seeder app).
fn stand_in() -> StandIn {
    let stand_in = StandIn::start_with("contoso", |json| *json = scenario());
    let endpoints = Endpoints::from_file(&stand_in.endpoints_file()).expect("endpoints");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let http = Http::new(Default::default()).expect("http");
        for (tenant, object_id, key_id, days) in [
            ("contoso.com", "cccccccc-0000-0000-0001-000000000010", "ffffffff-0001-0000-0000-000000000001", 25),
            ("fabrikam.com", "cccccccc-0000-0000-0002-000000000010", "ffffffff-0002-0000-0000-000000000001", 5),
        ] {
            let token = identity::client_credentials(&http, &endpoints, tenant, SEEDER, &Secret::new(format!("{SEEDER_SECRET}0")), &endpoints.graph_default_scope())
                .await
                .expect("the seeder's token");
            let body = json!({"keyCredentials": [{
                "keyId": key_id, "type": "AsymmetricX509Cert", "usage": "Verify", "key": TEST_CERTIFICATE_DER,
                "displayName": "CN=monitor-test", "startDateTime": "2025-01-01T00:00:00Z",
                "endDateTime": (Utc::now() + Duration::days(days)).to_rfc3339(),
            }]});
            let url = entra_setup_core::graph::url(&endpoints, &["applications", object_id], &[]);
            let answer = http.client().patch(url).bearer_auth(token.access_token.expose()).json(&body).send().await.expect("PATCH");
            assert!(answer.status().is_success(), "{:?}", answer.text().await);
        }
    });
    stand_in
}

/// A webhook receiver on loopback answering `status` to every POST; the bodies it got.
fn receiver(status: u16) -> (String, Arc<Mutex<Vec<Value>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "http://{}/services/T000/B000/SECRETPART",
        listener.local_addr().expect("addr")
    );
    let posts = Arc::new(Mutex::new(Vec::new()));
    let record = posts.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut data = Vec::new();
            let mut buf = [0u8; 4096];
            let body = loop {
                let n = stream.read(&mut buf).unwrap_or(0);
                if n == 0 {
                    break None;
                }
                data.extend_from_slice(&buf[..n]);
                let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
                    continue;
                };
                let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                if data.len() >= end + 4 + length {
                    break Some(data[end + 4..end + 4 + length].to_vec());
                }
            };
            let Some(body) = body else { continue };
            record
                .lock()
                .expect("lock")
                .push(serde_json::from_slice(&body).unwrap_or(Value::Null));
            let _ = stream.write_all(
                format!("HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                    .as_bytes(),
            );
        }
    });
    (url, posts)
}

fn tenants_file(dir: &std::path::Path, text: &str) -> String {
    let path = dir.join("tenants.txt");
    std::fs::write(&path, text).expect("tenants file");
    path.display().to_string()
}

fn monitor_secret() -> String {
    format!("{MONITOR_SECRET}0")
}

#[test]
fn scan_over_two_tenants_finds_every_credential_due_posts_once_and_exits_1() {
    let stand_in = stand_in();
    let home = tempfile::tempdir().expect("home");
    let file = tenants_file(
        home.path(),
        "# watched\ncontoso.com\n\n4a7d1e2b-8c3f-4b6a-9d2e-5f1c7b3a9e80  # Fabrikam\n",
    );
    let (url, posts) = receiver(200);
    let secret = monitor_secret();
    let env = [
        ("MONITOR_SECRET", secret.as_str()),
        ("TEAMS_WEBHOOK", url.as_str()),
    ];
    let args = [
        "monitor",
        "scan",
        "--tenants",
        &file,
        "--client-id",
        MONITOR,
        "--secret-env",
        "MONITOR_SECRET",
        "--webhook-env",
        "TEAMS_WEBHOOK",
    ];
    let result = entra_setup(
        &stand_in,
        home.path(),
        &[&args[..], &["--json", "-v"]].concat(),
        None,
        &env,
    );
    assert_eq!(result.code, Some(1), "{result:?}");
    let json = result.json();
    let tenants = json["tenants"].as_array().expect("tenants");
    assert_eq!(tenants.len(), 2);
    let due = |t: &Value| -> Vec<(String, String)> {
        t["due"]
            .as_array()
            .expect("due")
            .iter()
            .map(|d| {
                (
                    d["key_id"].as_str().unwrap_or("").to_owned(),
                    d["kind"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        (tenants[0]["tenant"].as_str(), tenants[0]["status"].as_str()),
        (Some("contoso.com"), Some("ok"))
    );
    assert_eq!(
        due(&tenants[0]),
        [
            (
                "dddddddd-0001-0000-0000-000000000003".into(),
                "secret".into()
            ),
            (
                "dddddddd-0001-0000-0000-000000000001".into(),
                "secret".into()
            ),
            (
                "ffffffff-0001-0000-0000-000000000001".into(),
                "certificate".into()
            ),
        ]
    );
    assert_eq!(tenants[1]["status"], "ok");
    assert_eq!(
        due(&tenants[1]),
        [
            (
                "ffffffff-0002-0000-0000-000000000001".into(),
                "certificate".into()
            ),
            (
                "dddddddd-0002-0000-0000-000000000001".into(),
                "secret".into()
            ),
        ]
    );
    let first = &tenants[0]["due"][0];
    for field in [
        "client_id",
        "display_name",
        "kind",
        "key_id",
        "expires",
        "stage",
    ] {
        assert!(!first[field].is_null(), "{field}: {first}");
    }
    assert_eq!(first["stage"]["state"], "expired");
    assert_eq!(tenants[1]["due"][0]["stage"]["lead_days"], 7);
    assert_eq!(
        json["alerts"],
        json!([{"channel": "webhook", "status": "sent", "attempts": 1}])
    );

    let posted = posts.lock().expect("lock").clone();
    assert_eq!(posted.len(), 1, "one webhook message");
    let text = posted[0]["text"].as_str().expect("text");
    for name in [
        "5 app credentials expire within 30 days",
        "Payroll sync",
        "Old portal",
        "Fabrikam CRM",
    ] {
        assert!(text.contains(name), "{name} in {text}");
    }
    // The webhook URL is a secret: neither printed nor logged; its host may be.
    for output in [&result.stdout, &result.stderr] {
        assert!(
            !output.contains("SECRETPART") && !output.contains("/services/"),
            "{output}"
        );
        assert!(!output.contains(&secret));
    }
    // The scan is kept as the monitor's last scan: the document printed, with when it ran; no
    // secret and no webhook URL in it; read back by the core as the desktop app reads it.
    let kept_path = home.path().join("monitor-last-scan.json");
    let kept_text = std::fs::read_to_string(&kept_path).expect("the last scan is kept");
    assert!(
        !kept_text.contains(&secret) && !kept_text.contains("SECRETPART"),
        "{kept_text}"
    );
    let mut kept: Value = serde_json::from_str(&kept_text).expect("JSON");
    let ran_at = kept
        .as_object_mut()
        .and_then(|o| o.remove("ran_at"))
        .expect("ran_at");
    assert!(
        ran_at
            .as_str()
            .and_then(|t| t.parse::<DateTime<Utc>>().ok())
            .is_some(),
        "{ran_at}"
    );
    assert_eq!(kept, json, "the document --json printed");
    let paths = entra_setup_core::paths::AppPaths::under(home.path());
    let last = entra_setup_core::monitor::last_scan(&paths)
        .expect("readable")
        .expect("kept");
    assert_eq!(
        (
            last.tenants.len(),
            last.due_count(),
            last.unreadable_count()
        ),
        (2, 5, 0)
    );

    // The readable table, and a narrower window with nothing due: exit 0, no alert posted.
    let table = entra_setup(&stand_in, home.path(), &args, None, &env);
    assert_eq!(table.code, Some(1), "{table:?}");
    for part in [
        "TENANT",
        "Payroll sync",
        "certificate ffffffff-0002-0000-0000-000000000001",
        "EXPIRED 3 days ago",
        "Alert sent: webhook (127.0.0.1).",
    ] {
        assert!(table.stdout.contains(part), "{part} in {}", table.stdout);
    }
    let only_fabrikam = tenants_file(home.path(), "fabrikam.com\n");
    let clear = entra_setup(
        &stand_in,
        home.path(),
        &[
            "monitor",
            "scan",
            "--tenants",
            &only_fabrikam,
            "--within-days",
            "2",
            "--client-id",
            MONITOR,
            "--secret-env",
            "MONITOR_SECRET",
            "--webhook-env",
            "TEAMS_WEBHOOK",
            "--json",
        ],
        None,
        &env,
    );
    assert_eq!(clear.code, Some(0), "{clear:?}");
    assert_eq!(clear.json()["alerts"], json!([]));
    assert_eq!(
        posts.lock().expect("lock").len(),
        2,
        "no message when nothing is due"
    );
    // Each scan replaces the last one kept.
    let last = entra_setup_core::monitor::last_scan(&paths)
        .expect("readable")
        .expect("kept");
    assert_eq!(
        (last.within_days, last.tenants.len(), last.due_count()),
        (2, 1, 0)
    );
}

#[test]
fn a_tenant_that_has_not_approved_the_monitor_is_named_and_a_failed_webhook_reported() {
    let stand_in = stand_in();
    let home = tempfile::tempdir().expect("home");
    let file = tenants_file(home.path(), "northwind.com\n");
    let secret = monitor_secret();
    let (url, posts) = receiver(404);
    let env = [("MONITOR_SECRET", secret.as_str()), ("HOOK", url.as_str())];
    let result = entra_setup(
        &stand_in,
        home.path(),
        &[
            "monitor",
            "scan",
            "--tenants",
            &file,
            "--client-id",
            MONITOR,
            "--secret-env",
            "MONITOR_SECRET",
            "--webhook-env",
            "HOOK",
            "--json",
        ],
        None,
        &env,
    );
    assert_eq!(result.code, Some(2), "{result:?}");
    let json = result.json();
    assert_eq!(json["tenants"][0]["status"], "unreadable");
    assert_eq!(json["tenants"][0]["cause"], "admin_consent_missing");
    assert_eq!(json["alerts"][0]["status"], "failed", "{json}");
    assert_eq!(json["alerts"][0]["cause"], "object_not_found");
    assert_eq!(posts.lock().expect("lock").len(), 1, "a 404 is not retried");
    assert!(
        result
            .stderr
            .contains("the webhook alert was not delivered")
            && result.stderr.contains("127.0.0.1"),
        "{}",
        result.stderr
    );
    assert!(!result.stderr.contains("SECRETPART"));
}

#[test]
fn bad_tenants_files_and_webhook_variables_are_refused_naming_them() {
    let stand_in = stand_in();
    let home = tempfile::tempdir().expect("home");
    let secret = monitor_secret();
    let env = [
        ("MONITOR_SECRET", secret.as_str()),
        ("PLAIN", "http://hooks.example.com/very-secret-path"),
    ];
    let bad = tenants_file(home.path(), "contoso.com\nnot a tenant!\n");
    let result = entra_setup(
        &stand_in,
        home.path(),
        &[
            "monitor",
            "scan",
            "--tenants",
            &bad,
            "--client-id",
            MONITOR,
            "--secret-env",
            "MONITOR_SECRET",
        ],
        None,
        &env,
    );
    assert_eq!(result.code, Some(64), "{result:?}");
    assert!(
        result.stderr.contains("--tenants") && result.stderr.contains("line 2"),
        "{}",
        result.stderr
    );

    let good = tenants_file(home.path(), "contoso.com\n");
    for (var, named) in [("UNSET_VAR", "is not set"), ("PLAIN", "https://")] {
        let result = entra_setup(
            &stand_in,
            home.path(),
            &[
                "monitor",
                "scan",
                "--tenants",
                &good,
                "--client-id",
                MONITOR,
                "--secret-env",
                "MONITOR_SECRET",
                "--webhook-env",
                var,
            ],
            None,
            &env,
        );
        assert_eq!(result.code, Some(64), "{result:?}");
        assert!(
            result.stderr.contains("--webhook-env") && result.stderr.contains(named),
            "{}",
            result.stderr
        );
        assert!(
            !result.stderr.contains("very-secret-path"),
            "{}",
            result.stderr
        );
    }
    let result = entra_setup(
        &stand_in,
        home.path(),
        &["monitor", "scan", "--tenants", &good],
        None,
        &env,
    );
    assert_eq!(result.code, Some(64), "{result:?}");
    assert!(result.stderr.contains("monitor setup"), "{}", result.stderr);
}

#[test]
fn schedule_prints_cron_systemd_and_windows_with_the_variable_named() {
    let home = tempfile::tempdir().expect("home");
    for (scheduler, expected) in [
        ("cron", "0 7 * * * "),
        ("systemd", "OnCalendar=*-*-* 07:00:00"),
        ("windows", "<CalendarTrigger>"),
    ] {
        let result = entra_setup_tests::cli::run(
            home.path(),
            None,
            &[
                "monitor",
                "schedule",
                "--print",
                scheduler,
                "--tenants",
                "/etc/entra/tenants.txt",
                "--webhook-env",
                "TEAMS_WEBHOOK",
            ],
            None,
            &[],
        );
        assert_eq!(result.code, Some(0), "{result:?}");
        assert!(
            result.stdout.contains(expected),
            "{scheduler}: {}",
            result.stdout
        );
        assert!(result.stdout.contains("monitor scan --tenants /etc/entra/tenants.txt --within-days 30 --webhook-env TEAMS_WEBHOOK"), "{scheduler}: {}", result.stdout);
        assert!(
            result
                .stdout
                .contains("TEAMS_WEBHOOK holds the webhook URL"),
            "{}",
            result.stdout
        );
    }
    let result = entra_setup_tests::cli::run(
        home.path(),
        None,
        &["monitor", "schedule", "--print", "launchd"],
        None,
        &[],
    );
    assert_eq!(result.code, Some(64), "{result:?}");
}

const SETUP_THEN_SCAN: &str =
    "cli_monitor::setup_keeps_the_monitors_credential_and_scan_uses_it_with_no_sign_in";

/// `monitor setup` needs the real OS keychain: the test re-executes itself in a private D-Bus
/// session with an unlocked gnome-keyring (as the keychain test does). Inside, `setup` registers
/// the monitor app with an administrator signed in, gives it a certificate whose private key the
/// keychain keeps and prints the consent link; then `scan` reads the home tenant with that
/// certificate and no sign-in.
#[test]
fn setup_keeps_the_monitors_credential_and_scan_uses_it_with_no_sign_in() {
    if keyring_session::inside() {
        setup_then_scan_inside_the_session();
        return;
    }
    keyring_session::rerun_inside(SETUP_THEN_SCAN);
}

fn setup_then_scan_inside_the_session() {
    use entra_setup_tests::cli::run;
    let stand_in = StandIn::start_with("contoso", |scenario| {
        scenario["sign_in"] = json!({ "as": "admin@contoso.com" });
    });
    let home = tempfile::tempdir().expect("home");
    let set_up = run(
        home.path(),
        Some(&stand_in),
        &[
            "monitor",
            "setup",
            "--tenant",
            "contoso.com",
            "--sign-in",
            "device-code",
            "--json",
        ],
        None,
        &[],
    );
    assert_eq!(set_up.code, Some(0), "{set_up:?}");
    let json = set_up.json();
    let client_id = json["client_id"].as_str().expect("client id").to_owned();
    assert_eq!(json["created"], true);
    let thumbprint = json["certificate"]["thumbprint"]
        .as_str()
        .expect("thumbprint");
    assert_eq!(thumbprint.len(), 40, "{json:#}");
    assert!(
        json["certificate"]["keychain_account"]
            .as_str()
            .is_some_and(|a| a.ends_with("/certificate")),
        "{json:#}"
    );
    assert!(
        json["consent_link"]
            .as_str()
            .is_some_and(|l| l.contains(&format!(
                "/organizations/v2.0/adminconsent?client_id={client_id}"
            ))),
        "{json:#}"
    );
    // Its certificate is reminded of like any other.
    let key_id = json["certificate"]["key_id"].as_str().expect("key id");
    let reminders = entra_setup_tests::cli::reminders_list(home.path());
    assert!(
        reminders["secrets"]
            .as_array()
            .expect("reminders")
            .iter()
            .any(|r| r["key_id"] == key_id && r["source"] == "monitor setup"),
        "{reminders:#}"
    );
    let config: Value = serde_json::from_slice(
        &std::fs::read(json["config"].as_str().expect("config path")).expect("monitor.json"),
    )
    .expect("config JSON");
    assert_eq!(config["client_id"], client_id.as_str());

    // No --tenants, no credential option, nobody signs in: the home tenant, the monitor proving
    // itself with the certificate the keychain keeps.
    let scanned = run(
        home.path(),
        Some(&stand_in),
        &["monitor", "scan", "--json"],
        None,
        &[],
    );
    let report = scanned.json();
    assert_eq!(report["tenants"][0]["status"], "ok", "{scanned:?}");
    assert!(
        report["tenants"][0]["registrations"].as_u64().unwrap_or(0) >= 2,
        "{report:#}"
    );
    assert!(matches!(scanned.code, Some(0 | 1)), "{scanned:?}");

    // Run again: the registration is repaired in place, no second certificate.
    let again = run(
        home.path(),
        Some(&stand_in),
        &[
            "monitor",
            "setup",
            "--tenant",
            "contoso.com",
            "--client-id",
            &client_id,
            "--json",
        ],
        None,
        &[],
    );
    assert_eq!(again.code, Some(0), "{again:?}");
    assert_eq!(again.json()["certificate"], Value::Null, "{again:?}");
    // No private key in any plain file under the program's home.
    for (path, bytes) in entra_setup_tests::cli::files_under(home.path()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("PRIVATE KEY"), "{}", path.display());
    }
}

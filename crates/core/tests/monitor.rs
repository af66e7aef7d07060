//! The unattended monitor against the stand-in over two tenants: the monitor app's own
//! client-credentials token in each (no person signs in), every registration's secrets and
//! certificates due within the window found per tenant with its stage, a tenant without the
//! monitor reported unreadable with its cause, throttling honoured; and the webhook alert posted
//! once to a receiver on loopback, retried after 500s and then reported failed; the monitor
//! proving itself with a certificate at home and in a tenant that approved it; thousands of
//! registrations read across next links; the mail alert sent through Graph or reported failed.

mod support;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use entra_setup_core::cause::Cause;
use entra_setup_core::endpoints::Endpoints;
use entra_setup_core::http::Http;
use entra_setup_core::identity;
use entra_setup_core::monitor::alert::webhook::{self, Patience, WebhookUrl};
use entra_setup_core::monitor::{
    self, AlertStatus, Outcome, ScanOptions, SecretCredential, TenantReport, TenantStatus,
};
use entra_setup_core::reminders::{CredentialKind, Stage};
use entra_setup_core::secret::Secret;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CONTOSO: &str = "11111111-2222-3333-4444-555555555555";
const FABRIKAM: &str = "22222222-3333-4444-5555-666666666666";
const MONITOR: &str = "99999999-0000-0000-0000-000000000001";
/// The monitor's secret values are this followed by their index.
const MONITOR_SECRET: &str = "Mon~itorsecretvalue0123456789abcdefghij";
const SEEDER: &str = "99999999-0000-0000-0000-000000000002";
const SEEDER_SECRET: &str = "See~dersecretvalue0123456789abcdefghijk";

const TEST_CERTIFICATE_DER: &str = "MIIDDzCCAfegAwIBAgIUUonxhVYx81fAEJ/7YMZii4Edb1IwDQYJKoZIhvcNAQELBQAwFzEVMBMGA1UEAwwMbW9uaXRvci10ZXN0MB4XDTI2MTIwNzA5MDMyMVoXDTM2MTIwNDA5MDMyMVowFzEVMBMGA1UEAwwMbW9uaXRvci10ZXN0MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuZO9J5Pobh/iYyYJckYuiQkIqqKCWyUxz53Sq3MYf3LgVpPbHPsDx1yF9nNC4/k56vX/dKv2Wc3NKYnk6zQ/4YYeSQX/WUKY97HNqoZ84Y+wJ90tUb8egtrDmCkAtJiu2ETMYi0ExS8OOYLS23jM+06+nYvEp4IpJd9cdODSAMG7IQO7A8s9eaQ7Nn+MIVfhdWs+tuHVkqTZQNdLY6rxXaww2E0gt4FMOpXam/KBrxXoGznD9nHeZF/z4YOMyEgKJTLH1q0hwKEnWJqT6nzZ4F465SxSwvYNJQmJwAr7BpFePQqLNUkgg+dwxQm/UdEN8B91sWhf+IkohQUtLSK2OQIDAQABo1MwUTAdBgNVHQ4EFgQUscdxXNXEWDa9FY2NGg/OB5QP05UwHwYDVR0jBBgwFoAUscdxXNXEWDa9FY2NGg/OB5QP05UwDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAQIlKNvikLKeQrxAcFhoXGJr7kSkoIGWxtbSYPaADU0POGguZMWUVoYXKkNJaT1c8UeXtLPtl4SXmiLi6AKl7LrVpsfuosLJml0CPPHGJVeuR6ie9zQQn7GDcVlOvmqe/LI7a0mQ/szZ0hCYVQquaOA2pgb4JQoQdXs3s1AGPHaw+OnwCu6+Fw2xj8BdJ+b6n4zna17KdjgBpl27dLwQd1q8nmt4C2y0sWnTjugbPkgMn7EQ8bzHg4pPvaqNwJK7mLw26dM6jlQZyzKZIbu2xKU82GF6z4F0hzGDdQDgMMfOtUl7qMIjKk7Oimucbkkwv0ykz9pkGryaCZoinAzsU5g==";

/// A registration of a scenario: `secrets` are (key id, end).
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

fn tenant(id: &str, name: &str, domain: &str, n: u8, apps: Vec<Value>) -> Value {
    json!({
        "id": id, "display_name": name, "domains": [domain], "cloud": "global",
        "smtp_auth_enabled": true, "user_consent": "legacy", "admin_consent_workflow": false,
        "secret_max_lifetime_days": null,
        "users": [{
            "id": format!("aaaaaaaa-0000-0000-0000-00000000000{n}"), "upn": format!("admin@{domain}"),
            "display_name": "Admin", "admin": true, "account_enabled": true, "mailbox": "user",
            "exchange_license": true, "smtp_auth": null
        }],
        "applications": apps,
    })
}

/// The monitor app and the test's seeder (which writes certificates) in a tenant: multi-tenant
/// registrations with their secrets (the stand-in takes a multi-tenant app's secret only in a
/// tenant that lists it).
fn monitor_apps(n: u8) -> Vec<Value> {
    let far = Utc::now() + Duration::days(700);
    vec![
        app(
            MONITOR,
            &format!("cccccccc-0000-0000-000{n}-000000000001"),
            "Entra setup monitor",
            &[(&format!("eeeeeeee-000{n}-0000-0000-000000000001"), far)],
            MONITOR_SECRET,
            &["Application.Read.All"],
        ),
        app(
            SEEDER,
            &format!("cccccccc-0000-0000-000{n}-000000000002"),
            "Seeder",
            &[(&format!("eeeeeeee-000{n}-0000-0000-000000000002"), far)],
            SEEDER_SECRET,
            &["Application.ReadWrite.All"],
        ),
    ]
}

/// Two tenants, each with registrations whose credentials are due and not, and a third tenant
/// where nobody approved the monitor.
fn scenario(now: DateTime<Utc>) -> Value {
    let days = |d: i64| now + Duration::days(d);
    let mut contoso = monitor_apps(1);
    contoso.push(app(
        "bbbbbbbb-0000-0000-0001-000000000001",
        "cccccccc-0000-0000-0001-000000000010",
        "Payroll sync",
        &[
            ("dddddddd-0001-0000-0000-000000000001", days(10)),
            ("dddddddd-0001-0000-0000-000000000002", days(200)),
        ],
        "Pay~",
        &[],
    ));
    contoso.push(app(
        "bbbbbbbb-0000-0000-0001-000000000002",
        "cccccccc-0000-0000-0001-000000000011",
        "Old portal",
        &[("dddddddd-0001-0000-0000-000000000003", days(-3))],
        "Old~",
        &[],
    ));
    let mut fabrikam = monitor_apps(2);
    fabrikam.push(app(
        "bbbbbbbb-0000-0000-0002-000000000001",
        "cccccccc-0000-0000-0002-000000000010",
        "Fabrikam CRM",
        &[("dddddddd-0002-0000-0000-000000000001", days(20))],
        "Crm~",
        &[],
    ));
    json!({
        "tenants": [
            tenant(CONTOSO, "Contoso", "contoso.com", 1, contoso),
            tenant(FABRIKAM, "Fabrikam", "fabrikam.com", 2, fabrikam),
            tenant("33333333-4444-5555-6666-777777777777", "Northwind", "northwind.com", 3, vec![]),
        ],
    })
}

/// A certificate on the registration `object_id` of `tenant`, ending at `end`, written through
/// Graph with the seeder's own token.
async fn add_certificate(
    http: &Http,
    endpoints: &Endpoints,
    tenant: &str,
    object_id: &str,
    key_id: &str,
    end: DateTime<Utc>,
) {
    let token = identity::client_credentials(
        http,
        endpoints,
        tenant,
        SEEDER,
        &Secret::new(format!("{}0", SEEDER_SECRET)),
        &endpoints.graph_default_scope(),
    )
    .await
    .expect("the seeder's token");
    let body = json!({"keyCredentials": [{
        "keyId": key_id, "type": "AsymmetricX509Cert", "usage": "Verify", "key": TEST_CERTIFICATE_DER,
        "displayName": "CN=monitor-test", "startDateTime": "2025-01-01T00:00:00Z", "endDateTime": end.to_rfc3339(),
    }]});
    let url = entra_setup_core::graph::url(endpoints, &["applications", object_id], &[]);
    let answer = http
        .client()
        .patch(url)
        .bearer_auth(token.access_token.expose())
        .json(&body)
        .send()
        .await
        .expect("PATCH");
    assert!(answer.status().is_success(), "{:?}", answer.text().await);
}

struct Stand {
    served: support::Served,
    tokens: Arc<SecretCredential>,
    now: DateTime<Utc>,
}

async fn stand(change: impl FnOnce(&mut Value)) -> Stand {
    let now = Utc::now();
    let mut json = scenario(now);
    change(&mut json);
    let served = support::serve(json, now).await;
    let (http, endpoints) = (&served.ctx.http, &served.ctx.endpoints);
    add_certificate(
        http,
        endpoints,
        "contoso.com",
        "cccccccc-0000-0000-0001-000000000010",
        "ffffffff-0001-0000-0000-000000000001",
        now + Duration::days(25),
    )
    .await;
    add_certificate(
        http,
        endpoints,
        "fabrikam.com",
        "cccccccc-0000-0000-0002-000000000010",
        "ffffffff-0002-0000-0000-000000000001",
        now + Duration::days(5),
    )
    .await;
    let tokens = Arc::new(SecretCredential::new(
        http.clone(),
        endpoints.clone(),
        MONITOR,
        Secret::new(format!("{}0", MONITOR_SECRET)),
    ));
    Stand {
        served,
        tokens,
        now,
    }
}

impl Stand {
    async fn scan(&self, tenants: &[&str], within_days: u32) -> Vec<TenantReport> {
        let tenants: Vec<String> = tenants.iter().map(|t| t.to_string()).collect();
        monitor::scan_tenants(
            &self.served.ctx.http,
            &self.served.ctx.endpoints,
            self.tokens.clone(),
            &tenants,
            ScanOptions {
                now: self.now,
                within_days,
                concurrency: 2,
            },
        )
        .await
    }
}

fn keys(report: &TenantReport) -> Vec<(&str, CredentialKind, &str)> {
    report
        .due
        .iter()
        .map(|d| {
            (
                d.key_id.as_str(),
                d.kind,
                d.display_name.as_deref().unwrap_or(""),
            )
        })
        .collect()
}

#[tokio::test]
async fn two_tenants_are_scanned_with_the_monitors_own_token() {
    let stand = stand(|_| {}).await;
    let reports = stand.scan(&["contoso.com", FABRIKAM], 30).await;
    assert_eq!(reports.len(), 2);
    let (contoso, fabrikam) = (&reports[0], &reports[1]);
    assert_eq!(
        (contoso.tenant.as_str(), contoso.status),
        ("contoso.com", TenantStatus::Ok),
        "{contoso:?}"
    );
    assert_eq!(contoso.registrations, 4);
    assert_eq!(
        keys(contoso),
        vec![
            (
                "dddddddd-0001-0000-0000-000000000003",
                CredentialKind::Secret,
                "Old portal"
            ),
            (
                "dddddddd-0001-0000-0000-000000000001",
                CredentialKind::Secret,
                "Payroll sync"
            ),
            (
                "ffffffff-0001-0000-0000-000000000001",
                CredentialKind::Certificate,
                "Payroll sync"
            ),
        ]
    );
    assert_eq!(contoso.due[0].stage, Stage::Expired);
    assert_eq!(contoso.due[1].stage, Stage::Due { lead_days: 14 });
    assert_eq!(contoso.due[2].stage, Stage::Due { lead_days: 30 });
    assert_eq!(
        contoso.due[1].client_id,
        "bbbbbbbb-0000-0000-0001-000000000001"
    );
    assert_eq!(fabrikam.status, TenantStatus::Ok);
    assert_eq!(
        keys(fabrikam),
        vec![
            (
                "ffffffff-0002-0000-0000-000000000001",
                CredentialKind::Certificate,
                "Fabrikam CRM"
            ),
            (
                "dddddddd-0002-0000-0000-000000000001",
                CredentialKind::Secret,
                "Fabrikam CRM"
            ),
        ]
    );
    assert_eq!(fabrikam.due[0].stage, Stage::Due { lead_days: 7 });
    assert_eq!(monitor::outcome(&reports), Outcome::Due);

    let json = serde_json::to_value(&reports[0]).expect("json");
    let due = &json["due"][1];
    for field in [
        "client_id",
        "display_name",
        "kind",
        "key_id",
        "expires",
        "stage",
    ] {
        assert!(!due[field].is_null(), "{field} in {due}");
    }
    assert_eq!(due["kind"], "secret");
    assert!(json.get("cause").is_none());

    // A shorter window finds less; nothing due in a window of none but the expired secret.
    let narrow = stand.scan(&["contoso.com"], 0).await;
    assert_eq!(keys(&narrow[0]).len(), 1);
    stand.served.fake.shutdown().await;
}

#[tokio::test]
async fn a_tenant_without_the_monitor_is_unreadable_and_the_others_are_still_read() {
    let stand = stand(|_| {}).await;
    let reports = stand.scan(&["northwind.com", "fabrikam.com"], 30).await;
    assert_eq!(reports[0].status, TenantStatus::Unreadable);
    assert_eq!(
        reports[0].cause,
        Some(Cause::AdminConsentMissing),
        "{:?}",
        reports[0]
    );
    assert!(reports[0].detail.as_deref().unwrap_or("").contains(MONITOR));
    assert_eq!(reports[1].status, TenantStatus::Ok);
    assert_eq!(monitor::outcome(&reports), Outcome::Due);
    assert_eq!(monitor::outcome(&reports[..1]), Outcome::Unreadable);
    let json = serde_json::to_value(&reports[0]).expect("json");
    assert_eq!(json["status"], "unreadable");
    assert_eq!(json["cause"], "admin_consent_missing");
    stand.served.fake.shutdown().await;
}

#[tokio::test]
async fn a_monitor_without_consent_to_read_applications_is_named() {
    let stand = stand(|s| {
        s["tenants"][1]["applications"][0]["consented"]["application"] = json!([]);
    })
    .await;
    let reports = stand.scan(&["fabrikam.com"], 30).await;
    assert_eq!(
        reports[0].status,
        TenantStatus::Unreadable,
        "{:?}",
        reports[0]
    );
    assert_eq!(reports[0].cause, Some(Cause::AdminConsentMissing));
    stand.served.fake.shutdown().await;
}

#[tokio::test]
async fn throttling_is_waited_out_and_lasting_throttling_is_unreadable() {
    let stand = stand(|s| {
        s["faults"] = json!([{"match": "GET /v1.0/applications*", "kind": "status", "status": 429, "retry_after": "0", "times": 1}]);
    })
    .await;
    let reports = stand.scan(&["contoso.com"], 30).await;
    assert_eq!(reports[0].status, TenantStatus::Ok, "{:?}", reports[0]);
    assert_eq!(reports[0].due.len(), 3);
    stand.served.fake.shutdown().await;

    let stand = stand_throttled().await;
    let reports = stand.scan(&["contoso.com", "fabrikam.com"], 30).await;
    assert_eq!(reports[0].status, TenantStatus::Unreadable);
    assert_eq!(reports[0].cause, Some(Cause::Throttled));
    assert_eq!(monitor::outcome(&reports), Outcome::Unreadable);
    stand.served.fake.shutdown().await;
}

async fn stand_throttled() -> Stand {
    stand(|s| {
        s["faults"] = json!([{"match": "GET /v1.0/applications*", "kind": "status", "status": 429, "retry_after": "0"}]);
    })
    .await
}

/// A webhook receiver on loopback: records each POST's JSON body, then answers with the next of
/// `statuses` (the last one repeated).
struct Receiver {
    url: String,
    posts: Arc<Mutex<Vec<Value>>>,
}

async fn receiver(statuses: &[u16]) -> Receiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://{}/workflows/abc/triggers/manual?sig=SECRETSIG",
        listener.local_addr().expect("addr")
    );
    let posts = Arc::new(Mutex::new(Vec::new()));
    let (record, statuses) = (posts.clone(), statuses.to_vec());
    tokio::spawn(async move {
        let mut answered = 0;
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut data = Vec::new();
            let mut buf = [0u8; 4096];
            let body = loop {
                let n = stream.read(&mut buf).await.unwrap_or(0);
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
            let status = statuses[answered.min(statuses.len() - 1)];
            answered += 1;
            let reply =
                format!("HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            let _ = stream.write_all(reply.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    });
    Receiver { url, posts }
}

#[tokio::test]
async fn one_webhook_message_carries_every_tenants_findings() {
    let stand = stand(|_| {}).await;
    let reports = stand
        .scan(&["contoso.com", "fabrikam.com", "northwind.com"], 30)
        .await;
    let receiver = receiver(&[200]).await;
    let url = WebhookUrl::parse(Secret::new(receiver.url.as_str())).expect("url");
    assert!(!format!("{url:?}").contains("SECRETSIG"));
    assert!(monitor::alert::worth_alerting(&reports));
    let message = webhook::message(&reports, 30);
    let sent = webhook::post(
        &stand.served.ctx.http,
        &url,
        &message,
        Patience::immediate(3),
    )
    .await;
    assert_eq!(
        (sent.status, sent.attempts),
        (AlertStatus::Sent, 1),
        "{sent:?}"
    );
    let posts = receiver.posts.lock().expect("lock").clone();
    assert_eq!(posts.len(), 1);
    let text = posts[0]["text"].as_str().expect("text for Slack and Teams");
    assert!(
        text.contains("5 app credentials expire within 30 days"),
        "{text}"
    );
    assert!(text.contains("1 tenant could not be read"), "{text}");
    for name in [
        "Payroll sync",
        "Old portal",
        "Fabrikam CRM",
        "northwind.com: could not be read (admin_consent_missing)",
    ] {
        assert!(text.contains(name), "{name} in {text}");
    }
    assert_eq!(posts[0]["entra_setup"]["due"], 5);
    assert_eq!(
        posts[0]["entra_setup"]["tenants"].as_array().map(Vec::len),
        Some(3)
    );
    stand.served.fake.shutdown().await;
}

#[tokio::test]
async fn a_webhook_answering_500_is_retried_then_reported_failed() {
    let receiver = receiver(&[500]).await;
    let http = Http::new(Default::default()).expect("http");
    let url = WebhookUrl::parse(Secret::new(receiver.url.as_str())).expect("url");
    let report = webhook::post(&http, &url, &json!({"text": "x"}), Patience::immediate(3)).await;
    assert_eq!(report.status, AlertStatus::Failed);
    assert_eq!(report.cause, Some(Cause::ServiceUnavailable));
    assert_eq!(report.attempts, 3);
    assert_eq!(receiver.posts.lock().expect("lock").len(), 3);
    let detail = report.detail.clone().unwrap_or_default();
    assert!(
        detail.contains("127.0.0.1")
            && !detail.contains("SECRETSIG")
            && !detail.contains("workflows"),
        "{detail}"
    );
    let json = serde_json::to_value(&report).expect("json");
    assert_eq!(
        (json["channel"].as_str(), json["status"].as_str()),
        (Some("webhook"), Some("failed"))
    );

    // A throttled receiver is retried, and one that then takes the message counts as sent.
    let receiver = self::receiver(&[429, 503, 200]).await;
    let url = WebhookUrl::parse(Secret::new(receiver.url.as_str())).expect("url");
    let report = webhook::post(&http, &url, &json!({"text": "x"}), Patience::immediate(3)).await;
    assert_eq!((report.status, report.attempts), (AlertStatus::Sent, 3));

    // A refusal that will not pass is not retried.
    let receiver = self::receiver(&[404]).await;
    let url = WebhookUrl::parse(Secret::new(receiver.url.as_str())).expect("url");
    let report = webhook::post(&http, &url, &json!({"text": "x"}), Patience::immediate(3)).await;
    assert_eq!(
        (report.status, report.attempts, report.cause),
        (AlertStatus::Failed, 1, Some(Cause::ObjectNotFound))
    );

    // Nobody listening: a network fault, retried, reported.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = closed.local_addr().expect("addr");
    drop(closed);
    let url = WebhookUrl::parse(Secret::new(format!("http://{address}/hook"))).expect("url");
    let report = webhook::post(&http, &url, &json!({"text": "x"}), Patience::immediate(2)).await;
    assert_eq!(
        (report.status, report.attempts, report.cause),
        (AlertStatus::Failed, 2, Some(Cause::NetworkError))
    );
}

#[test]
fn a_webhook_url_must_be_https_except_on_loopback() {
    assert!(WebhookUrl::parse(Secret::new("https://hooks.slack.com/services/T/B/X")).is_ok());
    assert!(WebhookUrl::parse(Secret::new("http://127.0.0.1:9/x")).is_ok());
    let refused = WebhookUrl::parse(Secret::new("http://hooks.example.com/secretpath"))
        .expect_err("plain http");
    assert!(!refused.to_string().contains("secretpath"));
    assert!(WebhookUrl::parse(Secret::new("not a url")).is_err());
}

/// The monitor as Entra has it: registered once, in Contoso (its home), with a certificate;
/// approved in Fabrikam, where it is another organisation's app (an enterprise application with
/// Application.Read.All consented, its credentials those of the home registration).
#[tokio::test]
async fn the_monitor_proves_itself_with_its_certificate_at_home_and_where_it_is_approved() {
    let now = Utc::now();
    let certificate =
        entra_setup_core::credentials::Certificate::generate("Entra setup monitor", now, 365)
            .expect("certificate");
    let pem = certificate.certificate_pem();
    let stand = stand(|s| {
        let monitor = &mut s["tenants"][0]["applications"][0];
        monitor["secrets"] = json!([]);
        monitor["certificates"] = json!([{
            "key_id": "eeeeeeee-0001-0000-0000-0000000000c1",
            "display_name": "CN=Entra setup monitor",
            "certificate_pem": pem,
        }]);
        let fabrikam = &mut s["tenants"][1];
        fabrikam["applications"]
            .as_array_mut()
            .expect("apps")
            .retain(|a| a["app_id"] != MONITOR);
        fabrikam["vendor_apps"] = json!([{
            "app_id": MONITOR, "object_id": "cccccccc-0000-0000-0002-0000000000f1",
            "display_name": "Entra setup monitor", "sign_in_audience": "AzureADMultipleOrgs",
            "web_redirect_uris": [], "spa_redirect_uris": [], "public_client_redirect_uris": [],
            "allow_public_client_flows": false, "enabled": true,
            "permissions": {"delegated": [], "application": ["Application.Read.All"]},
            "service_principal": true,
            "consented": {"delegated": [], "application": ["Application.Read.All"]},
            "publisher_tenant_id": CONTOSO,
        }]);
    })
    .await;
    let tokens = Arc::new(monitor::CertificateCredential::new(
        stand.served.ctx.http.clone(),
        stand.served.ctx.endpoints.clone(),
        MONITOR,
        certificate,
    ));
    let reports = monitor::scan_tenants(
        &stand.served.ctx.http,
        &stand.served.ctx.endpoints,
        tokens,
        &["contoso.com".to_string(), "fabrikam.com".to_string()],
        ScanOptions {
            now: stand.now,
            within_days: 30,
            concurrency: 4,
        },
    )
    .await;
    assert_eq!(reports[0].status, TenantStatus::Ok, "{:?}", reports[0]);
    assert_eq!(reports[1].status, TenantStatus::Ok, "{:?}", reports[1]);
    assert_eq!(reports[0].due.len(), 3);
    assert_eq!(reports[1].due.len(), 2);
    // Fabrikam's own registrations only: the monitor is not registered there.
    assert_eq!(reports[1].registrations, 2);
    stand.served.fake.shutdown().await;
}

/// Thousands of registrations are read a page of 999 at a time, following @odata.nextLink.
#[tokio::test]
async fn registrations_are_read_page_by_page_across_next_links() {
    let stand = stand(|s| {
        s["tenants"][1]["generated_applications"] = json!({
            "count": 2500, "secrets_each": 1, "certificates_each": 1, "expiring_within_days": 30
        });
    })
    .await;
    let reports = stand.scan(&["fabrikam.com"], 30).await;
    let fabrikam = &reports[0];
    assert_eq!(fabrikam.status, TenantStatus::Ok, "{fabrikam:?}");
    // 2,500 generated, the monitor, the seeder and Fabrikam CRM: three pages of at most 999.
    assert_eq!(fabrikam.registrations, 2503);
    let generated_due = fabrikam
        .due
        .iter()
        .filter(|d| {
            d.display_name
                .as_deref()
                .is_some_and(|n| n.starts_with("Generated app"))
        })
        .count();
    // Every tenth generated registration's secret and certificate are due.
    assert_eq!(generated_due, 2 * 250);
    stand.served.fake.shutdown().await;
}

/// The mail alert goes out through Graph as the chosen mailbox with the monitor's own token when
/// it holds Mail.Send, and is reported failed with the cause when it does not.
#[tokio::test]
async fn the_mail_alert_is_sent_as_the_mailbox_or_reported_failed() {
    use entra_setup_core::monitor::alert::mail::{self, MailRoute};
    let stand = stand(|s| {
        let monitor = &mut s["tenants"][0]["applications"][0];
        monitor["permissions"]["application"] = json!(["Application.Read.All", "Mail.Send"]);
        monitor["consented"]["application"] = json!(["Application.Read.All", "Mail.Send"]);
    })
    .await;
    let reports = stand.scan(&["contoso.com", "fabrikam.com"], 30).await;
    let route = MailRoute {
        from: "admin@contoso.com".into(),
        to: vec!["it-team@contoso.com".into(), "msp@example.net".into()],
    };
    let (http, endpoints) = (&stand.served.ctx.http, &stand.served.ctx.endpoints);
    let sent = mail::send(http, endpoints, stand.tokens.as_ref(), &route, &reports, 30).await;
    assert_eq!(sent.status, AlertStatus::Sent, "{sent:?}");
    let mails = stand.served.fake.sent_mail();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].from, "admin@contoso.com");
    assert_eq!(mails[0].to, ["it-team@contoso.com", "msp@example.net"]);
    assert!(
        mails[0]
            .subject
            .contains("5 app credentials expire within 30 days"),
        "{:?}",
        mails[0]
    );

    // Fabrikam's monitor has no Mail.Send: refused, reported with the cause.
    let route = MailRoute {
        from: "admin@fabrikam.com".into(),
        to: vec!["it-team@fabrikam.com".into()],
    };
    let refused = mail::send(http, endpoints, stand.tokens.as_ref(), &route, &reports, 30).await;
    assert_eq!(refused.status, AlertStatus::Failed, "{refused:?}");
    assert_eq!(refused.cause, Some(Cause::PermissionMissing));
    assert_eq!(stand.served.fake.sent_mail().len(), 1);
    stand.served.fake.shutdown().await;
}

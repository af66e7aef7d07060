//! SMTP submission with STARTTLS and XOAUTH2, driven by lettre and by a raw socket.

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::common::*;

const SMTP_SCOPE: &str = "https://outlook.office.com/SMTP.Send offline_access";

async fn send(
    tenant: &entra_fake_tenant::FakeTenant,
    user: &str,
    token: &str,
) -> Result<lettre::transport::smtp::response::Response, lettre::transport::smtp::Error> {
    let endpoints = tenant.endpoints();
    let (host, port) = endpoints.smtp.rsplit_once(':').expect("host:port");
    let pem = std::fs::read(&endpoints.smtp_ca_pem).expect("ca");
    let tls = TlsParameters::builder("localhost".to_owned())
        .add_root_certificate(Certificate::from_pem(&pem).expect("pem"))
        .build_rustls()
        .expect("tls");
    let mailer = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port.parse().expect("port"))
        .tls(Tls::Required(tls))
        .credentials(Credentials::new(user.to_owned(), token.to_owned()))
        .authentication(vec![Mechanism::Xoauth2])
        .build();
    let message = Message::builder()
        .from(user.parse::<Mailbox>().expect("from"))
        .to("someone@example.com".parse::<Mailbox>().expect("to"))
        .subject("SMTP test")
        .body("Hello".to_owned())
        .expect("message");
    mailer.send(message).await
}

async fn outlook_token(tenant: &entra_fake_tenant::FakeTenant, user: &str) -> String {
    delegated_token(tenant, Some(user), SMTP_SCOPE).await["access_token"]
        .as_str()
        .expect("token")
        .to_owned()
}

#[tokio::test]
async fn xoauth2_with_an_outlook_token_sends_mail() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = outlook_token(&tenant, "intranet@contoso.com").await;
    let claims = claims(&token);
    assert_eq!(claims["aud"], "https://outlook.office.com");
    assert_eq!(claims["scp"], "SMTP.Send");
    let response = send(&tenant, "intranet@contoso.com", &token)
        .await
        .expect("sent");
    assert_eq!(response.code().to_string(), "250");
    let sent = tenant.sent_mail();
    assert_eq!(sent[0].via, "smtp");
    assert_eq!(sent[0].subject, "SMTP test");
}

#[tokio::test]
async fn smtp_auth_disabled_for_the_tenant_or_the_mailbox() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["smtp_auth_enabled"] = json!(false)
    }))
    .await;
    let token = outlook_token(&tenant, "intranet@contoso.com").await;
    let error = send(&tenant, "intranet@contoso.com", &token)
        .await
        .expect_err("refused")
        .to_string();
    assert!(
        error.contains("5.7.139") && error.contains("disabled for the Tenant"),
        "{error}"
    );

    // The mailbox setting overrides the organisation's.
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["smtp_auth_enabled"] = json!(false);
        v["tenants"][0]["users"][1]["smtp_auth"] = json!(true);
    }))
    .await;
    let token = outlook_token(&tenant, "intranet@contoso.com").await;
    send(&tenant, "intranet@contoso.com", &token)
        .await
        .expect("mailbox override enables");

    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["users"][1]["smtp_auth"] = json!(false)
    }))
    .await;
    let token = outlook_token(&tenant, "intranet@contoso.com").await;
    let error = send(&tenant, "intranet@contoso.com", &token)
        .await
        .expect_err("refused")
        .to_string();
    assert!(
        error.contains("5.7.139") && error.contains("disabled for the Mailbox"),
        "{error}"
    );
}

#[tokio::test]
async fn wrong_user_or_audience_is_5_7_3() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = outlook_token(&tenant, "intranet@contoso.com").await;
    let error = send(&tenant, "bob@contoso.com", &token)
        .await
        .expect_err("other user")
        .to_string();
    assert!(error.contains("5.7.3"), "{error}");
    let graph = delegated_token(
        &tenant,
        Some("intranet@contoso.com"),
        "https://graph.microsoft.com/SMTP.Send",
    )
    .await;
    let error = send(
        &tenant,
        "intranet@contoso.com",
        graph["access_token"].as_str().expect("token"),
    )
    .await
    .expect_err("graph aud")
    .to_string();
    assert!(error.contains("5.7.3"), "{error}");
}

#[tokio::test]
async fn ehlo_offers_starttls_before_tls_and_refuses_auth() {
    let tenant = start(scenario_with(|_| {})).await;
    let stream = tokio::net::TcpStream::connect(&tenant.endpoints().smtp)
        .await
        .expect("connect");
    let mut stream = BufReader::new(stream);
    let mut line = String::new();
    stream.read_line(&mut line).await.expect("banner");
    assert!(
        line.starts_with("220 ") && line.contains("Microsoft ESMTP MAIL Service ready at"),
        "{line}"
    );
    stream
        .get_mut()
        .write_all(b"EHLO client.example\r\n")
        .await
        .expect("ehlo");
    let mut lines = Vec::new();
    loop {
        let mut l = String::new();
        stream.read_line(&mut l).await.expect("reply");
        let last = l.starts_with("250 ");
        lines.push(l.trim_end().to_owned());
        if last {
            break;
        }
    }
    assert!(lines.contains(&"250-STARTTLS".to_owned()), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("AUTH")));
    assert!(lines.contains(&"250-SIZE 157286400".to_owned()));
    stream
        .get_mut()
        .write_all(b"MAIL FROM:<a@contoso.com>\r\n")
        .await
        .expect("mail");
    let mut l = String::new();
    stream.read_line(&mut l).await.expect("reply");
    assert!(l.starts_with("530"), "{l}");
}

#[tokio::test]
async fn smtp_faults_reset_the_connection() {
    let tenant = start(scenario_with(|v| {
        v["faults"] = json!([{"match": "SMTP", "kind": "reset", "times": 1}])
    }))
    .await;
    let stream = tokio::net::TcpStream::connect(&tenant.endpoints().smtp)
        .await
        .expect("connect");
    let mut stream = BufReader::new(stream);
    let mut line = String::new();
    let read = stream.read_line(&mut line).await.unwrap_or(0);
    assert_eq!(read, 0, "closed without a banner: {line}");
    let token = outlook_token(&tenant, "intranet@contoso.com").await;
    send(&tenant, "intranet@contoso.com", &token)
        .await
        .expect("second connection works");
}

/// Reads one reply line from a raw connection (None at EOF).
async fn raw_line(stream: &mut BufReader<tokio::net::TcpStream>) -> Option<String> {
    let mut line = String::new();
    match stream.read_line(&mut line).await {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line),
    }
}

#[tokio::test]
async fn smtp_status_fault_answers_the_reply_line_and_closes() {
    let tenant =
        start(scenario_with(
            |v| {
                v["faults"] =
                    json!([{"match": "SMTP", "kind": "status", "status": 421, "times": 2}])
            },
        ))
        .await;
    let stream = tokio::net::TcpStream::connect(&tenant.endpoints().smtp)
        .await
        .expect("connect");
    let mut stream = BufReader::new(stream);
    let line = raw_line(&mut stream).await.expect("a reply line");
    // Office 365's busy front end: `421 4.3.2 Service not active [HOST.prod.outlook.com]`.
    assert!(line.ends_with("]\r\n"), "{line:?}");
    let line = line.trim_end();
    assert!(
        line.starts_with("421 4.3.2 Service not active [") && line.contains(".prod.outlook.com"),
        "{line}"
    );
    assert_eq!(raw_line(&mut stream).await, None, "closed after the 421");

    // A client sees a transient error, and the next connection (times: 2 used up) works.
    let token = outlook_token(&tenant, "intranet@contoso.com").await;
    let error = send(&tenant, "intranet@contoso.com", &token)
        .await
        .expect_err("421");
    assert!(error.is_transient(), "{error}");
    assert!(error.to_string().contains("Service not active"), "{error}");
    send(&tenant, "intranet@contoso.com", &token)
        .await
        .expect("the fault is used up");
}

#[tokio::test]
async fn smtp_status_fault_with_a_5xx_code_is_permanent() {
    let tenant =
        start(scenario_with(
            |v| {
                v["faults"] =
                    json!([{"match": "SMTP", "kind": "status", "status": 554, "times": 1}])
            },
        ))
        .await;
    let token = outlook_token(&tenant, "intranet@contoso.com").await;
    let error = send(&tenant, "intranet@contoso.com", &token)
        .await
        .expect_err("554");
    assert!(error.is_permanent(), "{error}");
    assert!(error.to_string().contains("5.3.2"), "{error}");
    // An SMTP status fault is a 4xx/5xx reply code.
    let mut value = contoso_json();
    value["faults"] = json!([{"match": "SMTP", "kind": "status", "status": 200}]);
    let error = entra_fake_tenant::Scenario::from_json(&value.to_string()).expect_err("refused");
    assert_eq!(error.field(), Some("faults[0].status"));
}

#[tokio::test]
async fn smtp_hang_fault_holds_the_banner_back() {
    let tenant =
        start(scenario_with(
            |v| {
                v["faults"] = json!([{"match": "SMTP", "kind": "hang", "seconds": 1.5, "times": 1}])
            },
        ))
        .await;
    let began = std::time::Instant::now();
    let stream = tokio::net::TcpStream::connect(&tenant.endpoints().smtp)
        .await
        .expect("connect");
    let mut stream = BufReader::new(stream);
    let mut line = String::new();
    let early = tokio::time::timeout(
        std::time::Duration::from_millis(500),
        stream.read_line(&mut line),
    )
    .await;
    assert!(early.is_err(), "nothing within 0.5 s: {line:?}");
    let line = tokio::time::timeout(std::time::Duration::from_secs(5), raw_line(&mut stream))
        .await
        .expect("the banner comes after the hang")
        .expect("banner");
    assert!(began.elapsed() >= std::time::Duration::from_millis(1500));
    assert!(line.starts_with("220 "), "{line}");

    // The session then goes on normally; the next connection is not held back.
    stream
        .get_mut()
        .write_all(b"EHLO client.example\r\n")
        .await
        .expect("ehlo");
    let reply = raw_line(&mut stream).await.expect("ehlo reply");
    assert!(reply.starts_with("250-"), "{reply}");
    let began = std::time::Instant::now();
    let token = outlook_token(&tenant, "intranet@contoso.com").await;
    send(&tenant, "intranet@contoso.com", &token)
        .await
        .expect("second connection works");
    assert!(began.elapsed() < std::time::Duration::from_millis(1500));
}

#[tokio::test]
async fn smtp_malformed_fault_sends_half_a_banner_and_closes() {
    let tenant = start(scenario_with(|v| {
        v["faults"] = json!([{"match": "SMTP", "kind": "malformed", "times": 2}])
    }))
    .await;
    let mut stream = tokio::net::TcpStream::connect(&tenant.endpoints().smtp)
        .await
        .expect("connect");
    let mut bytes = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(5),
        tokio::io::AsyncReadExt::read_to_end(&mut stream, &mut bytes),
    )
    .await
    .expect("closed")
    .expect("read");
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(text.starts_with("220 "), "{text:?}");
    assert!(!text.contains('\n'), "no complete line: {text:?}");
    assert!(
        !text.contains("Microsoft ESMTP MAIL Service ready at"),
        "truncated: {text:?}"
    );

    let token = outlook_token(&tenant, "intranet@contoso.com").await;
    let error = send(&tenant, "intranet@contoso.com", &token)
        .await
        .expect_err("a client cannot parse half a banner");
    assert!(!error.is_transient() && !error.is_permanent(), "{error}");
    send(&tenant, "intranet@contoso.com", &token)
        .await
        .expect("the fault is used up");
}

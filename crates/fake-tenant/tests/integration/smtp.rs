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

//! IMAP over TLS with XOAUTH2, driven by a raw TLS socket: the lines answered are Exchange Online's real
//! ones from conformance/imap.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore, crypto::ring};

use crate::common::*;

const IMAP_SCOPE: &str = "https://outlook.office.com/IMAP.AccessAsUser.All offline_access";

/// The real lines of conformance/imap marked confirmed.
fn confirmed_lines() -> Vec<String> {
    include_str!("../../conformance/imap/exchange-online-imap-replies.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("jsonl"))
        .filter(|r| r["confirmed"] == json!(true))
        .map(|r| r["server_line"].as_str().expect("line").to_owned())
        .collect()
}

/// A line as the conformance data has it, its tag replaced (`A00000001 NO …` → `A1 NO …`).
fn retagged(real: &str, tag: &str) -> String {
    let (_, rest) = real.split_once(' ').expect("tagged");
    format!("{tag} {rest}")
}

struct Client {
    stream: BufReader<TlsStream<TcpStream>>,
}

impl Client {
    async fn connect(tenant: &entra_fake_tenant::FakeTenant) -> Client {
        let endpoints = tenant.endpoints();
        let pem = std::fs::read(&endpoints.imap_ca_pem).expect("ca");
        let mut roots = RootCertStore::empty();
        roots
            .add_parsable_certificates(CertificateDer::pem_slice_iter(&pem).filter_map(Result::ok));
        let config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("tls versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        let tcp = TcpStream::connect(&endpoints.imap).await.expect("connect");
        let tls = TlsConnector::from(Arc::new(config))
            .connect(ServerName::try_from("127.0.0.1").expect("name"), tcp)
            .await
            .expect("TLS with the stand-in's CA");
        Client {
            stream: BufReader::new(tls),
        }
    }

    async fn line(&mut self) -> String {
        let mut line = String::new();
        self.stream.read_line(&mut line).await.expect("read");
        line.trim_end_matches(['\r', '\n']).to_owned()
    }

    /// Send `line`, then read until the line that starts with `tag` (or the connection ends).
    async fn command(&mut self, line: &str, tag: &str) -> Vec<String> {
        self.stream
            .get_mut()
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .expect("write");
        let mut lines = Vec::new();
        loop {
            let line = self.line().await;
            let done = line.is_empty() || line.starts_with(&format!("{tag} "));
            lines.push(line);
            if done {
                return lines;
            }
        }
    }
}

fn xoauth2(user: &str, token: &str) -> String {
    STANDARD.encode(format!("user={user}\x01auth=Bearer {token}\x01\x01"))
}

async fn imap_token(tenant: &entra_fake_tenant::FakeTenant, user: &str, scope: &str) -> String {
    delegated_token(tenant, Some(user), scope).await["access_token"]
        .as_str()
        .expect("token")
        .to_owned()
}

#[tokio::test]
async fn the_owner_signs_in_and_the_inbox_opens_with_exchanges_lines() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = imap_token(&tenant, "intranet@contoso.com", IMAP_SCOPE).await;
    assert_eq!(claims(&token)["scp"], "IMAP.AccessAsUser.All");
    let real = confirmed_lines();
    let mut client = Client::connect(&tenant).await;
    let greeting = client.line().await;
    assert!(
        greeting.starts_with("* OK The Microsoft Exchange IMAP4 service is ready. ["),
        "{greeting}"
    );
    let name = greeting
        .rsplit_once('[')
        .and_then(|(_, b)| b.strip_suffix(']'))
        .expect("bracketed name");
    let decoded: Vec<u16> = STANDARD
        .decode(name)
        .expect("base64")
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert!(
        String::from_utf16(&decoded)
            .expect("UTF-16")
            .ends_with(".PROD.OUTLOOK.COM")
    );

    let capability = client.command("A0 CAPABILITY", "A0").await;
    assert!(real.contains(&capability[0]), "{capability:?}");
    assert!(real.contains(&retagged(&capability[1], "A00000000")));

    let auth = client
        .command(
            &format!(
                "A1 AUTHENTICATE XOAUTH2 {}",
                xoauth2("intranet@contoso.com", &token)
            ),
            "A1",
        )
        .await;
    assert_eq!(
        auth,
        [retagged("A00000001 OK AUTHENTICATE completed.", "A1")]
    );
    assert!(real.contains(&"A00000001 OK AUTHENTICATE completed.".to_owned()));
    let after = client.command("A2 CAPABILITY", "A2").await;
    assert!(real.contains(&after[0]), "{after:?}");

    let examine = client.command("A3 EXAMINE INBOX", "A3").await;
    assert_eq!(
        examine.last().map(String::as_str),
        Some("A3 OK [READ-ONLY] EXAMINE completed.")
    );
    let logout = client.command("A4 LOGOUT", "A4").await;
    assert_eq!(
        logout,
        [
            "* BYE Microsoft Exchange Server IMAP4 server signing off.",
            "A4 OK LOGOUT completed."
        ]
    );
}

#[tokio::test]
async fn a_continuation_is_offered_without_an_initial_response() {
    let tenant = start(scenario_with(|_| {})).await;
    let token = imap_token(&tenant, "intranet@contoso.com", IMAP_SCOPE).await;
    let mut client = Client::connect(&tenant).await;
    client.line().await;
    let plus = client.command("A1 AUTHENTICATE XOAUTH2", "+").await;
    assert_eq!(plus, ["+ "]);
    let done = client
        .command(&xoauth2("intranet@contoso.com", &token), "A1")
        .await;
    assert_eq!(done, ["A1 OK AUTHENTICATE completed."]);
}

#[tokio::test]
async fn tokens_exchange_would_refuse_get_no_authenticate_failed() {
    let tenant = start(scenario_with(|_| {})).await;
    let imap = imap_token(&tenant, "intranet@contoso.com", IMAP_SCOPE).await;
    let smtp_only = imap_token(
        &tenant,
        "intranet@contoso.com",
        "https://outlook.office.com/SMTP.Send offline_access",
    )
    .await;
    let graph = imap_token(
        &tenant,
        "intranet@contoso.com",
        "https://graph.microsoft.com/IMAP.AccessAsUser.All",
    )
    .await;
    let refused = retagged(
        confirmed_lines()
            .iter()
            .find(|l| l.ends_with("NO AUTHENTICATE failed."))
            .expect("a real refusal"),
        "A1",
    );
    for (user, token, why) in [
        ("bob@contoso.com", imap.as_str(), "another user's token"),
        ("intranet@contoso.com", smtp_only.as_str(), "no IMAP scope"),
        ("intranet@contoso.com", graph.as_str(), "a Graph token"),
        ("intranet@contoso.com", "not-a-token", "garbage"),
    ] {
        let mut client = Client::connect(&tenant).await;
        client.line().await;
        let answer = client
            .command(
                &format!("A1 AUTHENTICATE XOAUTH2 {}", xoauth2(user, token)),
                "A1",
            )
            .await;
        assert_eq!(answer, std::slice::from_ref(&refused), "{why}");
    }
    let mut client = Client::connect(&tenant).await;
    client.line().await;
    let basic = client
        .command("A1 LOGIN intranet@contoso.com password", "A1")
        .await;
    assert_eq!(basic, ["A1 NO LOGIN failed."]);
}

#[tokio::test]
async fn imap_off_for_the_mailbox_signs_in_but_never_connects() {
    let tenant = start(scenario_with(|v| {
        v["tenants"][0]["users"][1]["imap_enabled"] = json!(false)
    }))
    .await;
    let token = imap_token(&tenant, "intranet@contoso.com", IMAP_SCOPE).await;
    let real = confirmed_lines();
    let mut client = Client::connect(&tenant).await;
    client.line().await;
    let auth = client
        .command(
            &format!(
                "A1 AUTHENTICATE XOAUTH2 {}",
                xoauth2("intranet@contoso.com", &token)
            ),
            "A1",
        )
        .await;
    assert_eq!(auth, ["A1 OK AUTHENTICATE completed."]);
    let examine = client.command("A2 EXAMINE INBOX", "A2").await;
    assert_eq!(
        examine,
        [retagged(
            "C00000003 BAD User is authenticated but not connected.",
            "A2"
        )]
    );
    assert!(real.contains(&"C00000003 BAD User is authenticated but not connected.".to_owned()));
    let list = client.command("A3 LIST \"\" \"INBOX\"", "A3").await;
    assert_eq!(list[0], "A3 BAD User is authenticated but not connected.");
    let bye = client.line().await;
    assert_eq!(bye, "* BYE Connection closed. 14");
    assert!(real.contains(&bye));
    assert_eq!(client.line().await, "", "the server closed the connection");
}

//! A tiny HTTP/1.1 server on loopback for the recordings tests. It keeps every request the core
//! sends — method, path and query, headers and body, exactly as they arrived — and answers it
//! either from a script of recorded answers ([`Wire::replay`]) or by forwarding it to the
//! stand-in tenant ([`Wire::forward`], with the stand-in's address in its answers rewritten to
//! this server's, so paging links stay on the host the core talks to).
//!
//! It speaks just enough HTTP for the core's client: `Content-Length` bodies (the core never
//! sends chunked ones), keep-alive connections, one request at a time per connection.

// Each test uses its own part of this module.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use entra_setup_core::endpoints::Endpoints;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::exchanges::{Exchange, form_fields};

/// One request as the core sent it.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The method.
    pub method: String,
    /// The request target: path and query, as sent.
    pub target: String,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Sent {
    /// The path, without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The query's parameters, decoded.
    pub fn query(&self) -> Vec<(String, String)> {
        self.target
            .split_once('?')
            .map(|(_, q)| form_fields(q))
            .unwrap_or_default()
    }

    /// One query parameter.
    pub fn query_value(&self, name: &str) -> Option<String> {
        self.query()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`null` when empty).
    pub fn json(&self) -> Value {
        if self.body.is_empty() {
            return Value::Null;
        }
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("{} {}: the body is not JSON: {e}", self.method, self.target)
        })
    }

    /// The body as form fields.
    pub fn form(&self) -> Vec<(String, String)> {
        form_fields(&String::from_utf8_lossy(&self.body))
    }

    /// `METHOD target`, for messages.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.target)
    }
}

/// An answer to send.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status.
    pub status: u16,
    /// Further headers (`content-type` among them).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Reply {
    /// The recorded answer of an exchange: its status, its content type and its body (JSON
    /// bodies written back as JSON, a recorded string as it was, nothing for `null`).
    pub fn recorded(exchange: &Exchange) -> Reply {
        let body = match &exchange.response_body {
            Value::Null => Vec::new(),
            Value::String(text) => text.clone().into_bytes(),
            json => serde_json::to_vec(json).expect("JSON"),
        };
        let content_type = exchange
            .response_header("content-type")
            .unwrap_or("application/json; charset=utf-8")
            .to_string();
        Reply {
            status: exchange.status,
            headers: vec![("content-type".into(), content_type)],
            body,
        }
    }

    /// A JSON answer.
    pub fn json(status: u16, body: &Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: serde_json::to_vec(body).expect("JSON"),
        }
    }
}

enum Answering {
    Script(Mutex<VecDeque<Reply>>),
    Forward {
        upstream: String,
        client: reqwest::Client,
    },
}

/// The server: where it listens and what it was sent.
pub struct Wire {
    base: String,
    sent: Arc<Mutex<Vec<Sent>>>,
    task: JoinHandle<()>,
}

impl Drop for Wire {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Wire {
    /// A server answering the requests in order with `replies`; a request beyond them gets a
    /// `418` naming itself (Graph never answers that, so the test fails visibly).
    pub async fn replay(replies: Vec<Reply>) -> Wire {
        Wire::start(Answering::Script(Mutex::new(replies.into()))).await
    }

    /// A server forwarding every request to `upstream` (`http://127.0.0.1:PORT`).
    pub async fn forward(upstream: &str) -> Wire {
        Wire::start(Answering::Forward {
            upstream: upstream.trim_end_matches('/').to_string(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("a client"),
        })
        .await
    }

    async fn start(answering: Answering) -> Wire {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let sent = Arc::new(Mutex::new(Vec::new()));
        let answering = Arc::new(answering);
        let task = {
            let sent = Arc::clone(&sent);
            let base = base.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let sent = Arc::clone(&sent);
                    let answering = Arc::clone(&answering);
                    let base = base.clone();
                    tokio::spawn(async move {
                        serve(stream, &sent, &answering, &base).await;
                    });
                }
            })
        };
        Wire { base, sent, task }
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Endpoints with the identity platform and Graph both at this server.
    pub fn endpoints(&self) -> Endpoints {
        Endpoints::from_json(
            &serde_json::json!({ "login": self.base, "graph": self.base }).to_string(),
        )
        .expect("endpoints")
    }

    /// Every request received so far, in order.
    pub fn sent(&self) -> Vec<Sent> {
        self.sent.lock().expect("lock").clone()
    }
}

/// Serve one connection until the client closes it.
async fn serve(
    stream: tokio::net::TcpStream,
    sent: &Mutex<Vec<Sent>>,
    answering: &Answering,
    base: &str,
) {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    loop {
        let Some(request) = read_request(&mut read).await else {
            return;
        };
        sent.lock().expect("lock").push(request.clone());
        let reply =
            match answering {
                Answering::Script(replies) => replies
                    .lock()
                    .expect("lock")
                    .pop_front()
                    .unwrap_or_else(|| {
                        Reply::json(
                            418,
                            &serde_json::json!({ "unexpected_request": request.line() }),
                        )
                    }),
                Answering::Forward { upstream, client } => {
                    forward(client, upstream, base, &request).await
                }
            };
        if write_reply(&mut write, &reply).await.is_err() {
            return;
        }
    }
}

async fn read_request(read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Option<Sent> {
    let mut line = String::new();
    if read.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.trim_end().splitn(3, ' ');
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if read.read_line(&mut header).await.ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    read.read_exact(&mut body).await.ok()?;
    Some(Sent {
        method,
        target,
        headers,
        body,
    })
}

async fn write_reply(
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    reply: &Reply,
) -> std::io::Result<()> {
    let reason = reqwest::StatusCode::from_u16(reply.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Answer");
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\ncontent-length: {}\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    write.write_all(head.as_bytes()).await?;
    write.write_all(&reply.body).await?;
    write.flush().await
}

/// Forward a request to the stand-in and bring its answer back, its address rewritten to ours.
async fn forward(client: &reqwest::Client, upstream: &str, base: &str, request: &Sent) -> Reply {
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).expect("a method");
    let mut outgoing = client.request(method, format!("{upstream}{}", request.target));
    for (name, value) in &request.headers {
        if !matches!(name.as_str(), "host" | "content-length" | "connection") {
            outgoing = outgoing.header(name, value);
        }
    }
    let answer = outgoing
        .body(request.body.clone())
        .send()
        .await
        .expect("the stand-in answers");
    let status = answer.status().as_u16();
    let headers: Vec<(String, String)> = answer
        .headers()
        .iter()
        .filter(|(name, _)| {
            matches!(
                name.as_str(),
                "content-type" | "location" | "retry-after" | "www-authenticate"
            )
        })
        .filter_map(|(name, value)| {
            Some((
                name.as_str().to_string(),
                value.to_str().ok()?.replace(upstream, base),
            ))
        })
        .collect();
    let body = answer.bytes().await.expect("the stand-in's body").to_vec();
    let body = match String::from_utf8(body) {
        Ok(text) => text.replace(upstream, base).into_bytes(),
        Err(raw) => raw.into_bytes(),
    };
    Reply {
        status,
        headers,
        body,
    }
}

//! Signing a person in with the authorization-code flow, PKCE (S256) and a loopback redirect
//! (reference/microsoft-wire.md §3.1): the program listens on `127.0.0.1` on an ephemeral port,
//! opens the sign-in page in the system browser with `redirect_uri=http://localhost:PORT/`
//! (Microsoft ignores the port of a `localhost` redirect for public clients), waits for the one
//! request the browser makes back to it, checks `state`, answers with a small page saying the tab
//! can be closed, and redeems the code with the verifier at the token endpoint.
//!
//! Written on the shared [`Http`] client, `ring` (already in the tree through rustls) providing
//! the CSPRNG and SHA-256, rather than with the `oauth2` crate, for the same reason as the
//! device-code flow: Microsoft's error bodies carry `error_codes`, which the crate drops.
//!
//! Errors on the redirect are classified from `error` and the AADSTS number, taken from
//! `error_codes` when present, else from `error_uri`'s `code` (Microsoft's front channel sends
//! no `error_codes`), else from the `AADSTSnnnn` that opens `error_description` — the number
//! only, never the wording. Dropping the future (or the timeout) closes the listener.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use url::Url;

use crate::cause::Cause;
use crate::endpoints::Endpoints;
use crate::http::{Http, Unavailable};
use crate::secret::Secret;

use super::AadError;
use super::sign_in::{SignInError, UserTokens, tenant_url, token_request, token_url};

/// How long the sign-in page may stay open before the sign-in ends as [`SignInError::Expired`].
pub const BROWSER_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

/// The most of a request the loopback listener reads (the request line and headers).
const MAX_REQUEST: usize = 16 * 1024;

/// How long one connection may take to send its request before it is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Sign a person in in the browser. `login_hint` pre-fills the account (the mailbox owner);
/// without one the page asks which account to use (`prompt=select_account`, for the
/// administrator). `open` is called once with the sign-in page's address (the CLI passes
/// `open::that`; a failure is not fatal: the caller has shown the address, and the listener keeps
/// waiting for it to be used); `timeout` bounds the
/// wait for the browser to come back ([`BROWSER_SIGN_IN_TIMEOUT`] is the usual value).
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(name = "browser_sign_in", skip_all, fields(tenant = tenant, client_id = client_id))]
pub async fn sign_in_with_browser(
    http: &Http,
    endpoints: &Endpoints,
    tenant: &str,
    client_id: &str,
    scopes: &[String],
    login_hint: Option<&str>,
    open: &(dyn Fn(&Url) -> std::io::Result<()> + Send + Sync),
    timeout: Duration,
) -> Result<UserTokens, SignInError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .map_err(|e| local_fault(format!("cannot listen on 127.0.0.1 for the sign-in ({e})")))?;
    let port = listener
        .local_addr()
        .map_err(|e| local_fault(format!("cannot read the sign-in listener's port ({e})")))?
        .port();
    // A browser may try `localhost` as ::1 first; listen there too when the system allows it.
    let listener_v6 = TcpListener::bind((Ipv6Addr::LOCALHOST, port)).await.ok();
    let redirect_uri = format!("http://localhost:{port}/");

    let random = SystemRandom::new();
    let verifier = Secret::new(random_text(&random, 32).map_err(|e| *e)?);
    let challenge = URL_SAFE_NO_PAD.encode(ring::digest::digest(
        &ring::digest::SHA256,
        verifier.expose().as_bytes(),
    ));
    let state = random_text(&random, 16).map_err(|e| *e)?;

    let scope = scopes.join(" ");
    let mut url = tenant_url(endpoints, tenant, &["oauth2", "v2.0", "authorize"])?;
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("client_id", client_id)
            .append_pair("response_type", "code")
            .append_pair("response_mode", "query")
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("scope", &scope)
            .append_pair("state", &state)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        match login_hint {
            Some(hint) => query.append_pair("login_hint", hint),
            None => query.append_pair("prompt", "select_account"),
        };
    }
    // A browser that does not open is not an error: the address was shown, and may be used.
    tracing::info!(
        port,
        "sign-in page opened; waiting for the browser on the loopback address"
    );
    if let Err(e) = open(&url) {
        tracing::warn!("the browser could not be opened ({e}); the address was shown instead");
    }

    let code = tokio::time::timeout(
        timeout,
        wait_for_redirect(&listener, listener_v6.as_ref(), &state),
    )
    .await
    .map_err(|_| SignInError::Expired)
    .flatten()
    .inspect_err(|e| tracing::warn!("the browser did not bring the sign-in back: {e}"))?;
    tracing::info!("the browser came back; redeeming the code");
    drop(listener_v6);
    drop(listener);

    let token_url = token_url(endpoints, tenant)?;
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("code", code.expose()),
        ("redirect_uri", redirect_uri.as_str()),
        ("code_verifier", verifier.expose()),
        ("scope", scope.as_str()),
    ];
    let outcome = token_request(http, &token_url, &form, "authorization code sign-in").await;
    match &outcome {
        Ok(_) => tracing::info!("signed in"),
        Err(e) => tracing::warn!(cause = e.cause().map(|c| c.as_str()), "sign-in ended: {e}"),
    }
    outcome
}

/// `bytes` random bytes from the system's CSPRNG, base64url without padding (RFC 7636's
/// unreserved characters: 32 bytes make a 43-character verifier).
fn random_text(random: &SystemRandom, bytes: usize) -> Result<String, Box<SignInError>> {
    let mut buffer = vec![0u8; bytes];
    random.fill(&mut buffer).map_err(|_| {
        Box::new(local_fault(
            "the system's random number generator failed".into(),
        ))
    })?;
    Ok(URL_SAFE_NO_PAD.encode(&buffer))
}

fn local_fault(detail: String) -> SignInError {
    SignInError::Unavailable(Unavailable {
        cause: Cause::NetworkError,
        detail,
        retry_after: None,
    })
}

/// Accept connections until one brings the request to the redirect path; every connection is
/// served on its own task (a browser may open idle connections ahead of time), and all of them
/// are dropped with this future.
async fn wait_for_redirect(
    v4: &TcpListener,
    v6: Option<&TcpListener>,
    state: &str,
) -> Result<Secret, SignInError> {
    let mut connections: JoinSet<Option<Result<Secret, SignInError>>> = JoinSet::new();
    loop {
        tokio::select! {
            accepted = v4.accept() => {
                if let Ok((stream, _)) = accepted {
                    connections.spawn(serve(stream, state.to_owned()));
                }
            }
            accepted = accept_optional(v6) => {
                if let Ok((stream, _)) = accepted {
                    connections.spawn(serve(stream, state.to_owned()));
                }
            }
            Some(done) = connections.join_next() => {
                if let Ok(Some(outcome)) = done {
                    return outcome;
                }
            }
        }
    }
}

async fn accept_optional(
    listener: Option<&TcpListener>,
) -> std::io::Result<(TcpStream, std::net::SocketAddr)> {
    match listener {
        Some(listener) => listener.accept().await,
        None => std::future::pending().await,
    }
}

/// Serve one connection: `None` when it was not the redirect (another path, a malformed or
/// idle request), else what the redirect said, after the page has been sent.
async fn serve(mut stream: TcpStream, state: String) -> Option<Result<Secret, SignInError>> {
    let target = tokio::time::timeout(READ_TIMEOUT, read_request_target(&mut stream))
        .await
        .ok()??;
    let url = Url::parse("http://localhost/").ok()?.join(&target).ok()?;
    if url.path() != "/" {
        respond(&mut stream, "404 Not Found", "Not found.").await;
        return None;
    }
    let outcome = read_redirect(&url, &state).map_err(|error| *error);
    let message = match &outcome {
        Ok(_) => "You can close this tab and return to Entra Setup Wizard.".to_string(),
        Err(error) => format!(
            "The sign-in did not finish: {}. You can close this tab and return to Entra Setup Wizard.",
            plain_words(error)
        ),
    };
    respond(&mut stream, "200 OK", &message).await;
    Some(outcome)
}

/// The request target of a `GET`, once the whole head has arrived.
async fn read_request_target(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() >= MAX_REQUEST {
            return None;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        head.extend_from_slice(&chunk[..read]);
    }
    let head = std::str::from_utf8(&head).ok()?;
    let mut parts = head.lines().next()?.split(' ');
    let (method, target) = (parts.next()?, parts.next()?);
    (method == "GET" && target.starts_with('/')).then(|| target.to_owned())
}

/// What the redirect's query says: the code when `state` is ours, else why not.
/// (The error is boxed: `SignInError` is large for a synchronous `Result`.)
fn read_redirect(url: &Url, expected_state: &str) -> Result<Secret, Box<SignInError>> {
    let get = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .filter(|v| !v.is_empty())
    };
    // The state is checked before anything else: an answer that is not for this request is
    // refused whatever it says.
    if get("state").as_deref() != Some(expected_state) {
        return Err(Box::new(SignInError::StateMismatch));
    }
    if let Some(error) = get("error") {
        let description = get("error_description");
        let codes = get("error_codes")
            .map(|codes| parse_codes(&codes))
            .filter(|codes| !codes.is_empty())
            .or_else(|| {
                get("error_uri")
                    .and_then(|uri| Url::parse(&uri).ok())
                    .and_then(|uri| {
                        uri.query_pairs()
                            .find(|(k, _)| k == "code")
                            .and_then(|(_, v)| v.parse().ok())
                    })
                    .map(|code| vec![code])
            })
            .or_else(|| {
                description
                    .as_deref()
                    .and_then(leading_code)
                    .map(|c| vec![c])
            })
            .unwrap_or_default();
        let suberror = get("error_subcode").or_else(|| get("suberror"));
        // Cancelling the page or declining consent (AADSTS65004) is a decline; an
        // `access_denied` with another code (conditional access, …) is a refusal.
        if error == "access_denied"
            && (codes.is_empty()
                || codes.first() == Some(&65004)
                || suberror.as_deref() == Some("cancel"))
        {
            return Err(Box::new(SignInError::Declined));
        }
        return Err(Box::new(SignInError::Rejected(AadError {
            error,
            error_codes: codes,
            error_description: description,
            trace_id: get("trace_id"),
            correlation_id: get("correlation_id"),
            suberror,
        })));
    }
    get("code").map(Secret::new).ok_or_else(|| {
        Box::new(SignInError::Rejected(AadError {
            error: "invalid_response".into(),
            error_codes: Vec::new(),
            error_description: Some(
                "The sign-in answer carried neither a code nor an error.".into(),
            ),
            trace_id: None,
            correlation_id: None,
            suberror: None,
        }))
    })
}

/// `[50011,50012]`, `50011,50012` or `50011`.
fn parse_codes(text: &str) -> Vec<u32> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect()
}

/// The number of an `AADSTS50011: …` description.
fn leading_code(description: &str) -> Option<u32> {
    let digits = description.trim_start().strip_prefix("AADSTS")?;
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    digits[..end].parse().ok()
}

/// The error in words for the page (never the code or a token).
fn plain_words(error: &SignInError) -> String {
    match error {
        SignInError::Declined => "the sign-in was cancelled".into(),
        SignInError::StateMismatch => {
            "this answer was not for the sign-in Entra Setup Wizard started, so it was refused"
                .into()
        }
        SignInError::Rejected(aad) => format!("Microsoft refused it ({})", aad.label()),
        other => other.to_string(),
    }
}

/// Send a small self-contained page and close the connection.
async fn respond(stream: &mut TcpStream, status: &str, message: &str) {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Entra Setup Wizard</title></head>\
         <body style=\"font-family:system-ui,sans-serif;margin:3em\"><p>{}</p></body></html>",
        crate::html::escape(message)
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // The browser may already be gone; the outcome does not depend on the page arriving.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect(query: &str) -> Url {
        Url::parse(&format!("http://localhost:1234/?{query}")).expect("url")
    }

    #[test]
    fn a_code_comes_back_only_with_our_state() {
        let code = read_redirect(&redirect("code=abc&state=s1"), "s1").expect("code");
        assert_eq!(code.expose(), "abc");
        for query in ["code=abc&state=s2", "code=abc", "code=abc&state="] {
            let refused = read_redirect(&redirect(query), "s1").expect_err(query);
            assert!(
                matches!(&*refused, SignInError::StateMismatch),
                "{query}: {refused:?}"
            );
        }
    }

    #[test]
    fn errors_are_classified_by_error_and_number() {
        let cancelled = read_redirect(
            &redirect("error=access_denied&error_description=the+user+canceled&state=s"),
            "s",
        );
        assert_eq!(*cancelled.expect_err("declined"), SignInError::Declined);
        let consent = read_redirect(
            &redirect("error=access_denied&error_description=AADSTS65004%3A+User+declined&state=s"),
            "s",
        );
        assert_eq!(*consent.expect_err("declined"), SignInError::Declined);
        let blocked = read_redirect(
            &redirect(
                "error=access_denied&error_uri=https%3A%2F%2Flogin.microsoftonline.com%2Ferror%3Fcode%3D53003&state=s",
            ),
            "s",
        );
        match *blocked.expect_err("refused") {
            SignInError::Rejected(e) => assert_eq!(e.error_codes, vec![53003]),
            other => panic!("{other:?}"),
        }
        let listed = read_redirect(
            &redirect("error=invalid_request&error_codes=%5B50011%5D&state=s"),
            "s",
        );
        match *listed.expect_err("refused") {
            SignInError::Rejected(e) => assert_eq!(e.label(), "AADSTS50011"),
            other => panic!("{other:?}"),
        }
        assert_eq!(leading_code("AADSTS70011: The scope"), Some(70011));
        assert_eq!(leading_code("the user canceled"), None);
    }
}

//! Signing a person in with the authorization-code flow, PKCE (S256) and a loopback redirect
//! (reference/microsoft-wire.md §3.1): the program listens on `127.0.0.1` on an ephemeral port,
//! opens the sign-in page in the system browser with `redirect_uri=http://localhost:PORT/`
//! (Microsoft ignores the port of a `localhost` redirect for public clients), waits for the one
//! request the browser makes back to it, checks `state`, answers with a small page saying the tab
//! can be closed, and redeems the code with the verifier at the token endpoint.
//!
//! The sign-in address, the PKCE verifier and challenge, the `state` (CSRF token) and the code's
//! redemption are the `oauth2` crate's ([`super::oauth`]; a refused redemption keeps Microsoft's
//! `error_codes`). The loopback listener serves HTTP/1.1 with `hyper`: one connection at a time
//! per task, a bounded head read in bounded time, no keep-alive.
//!
//! Errors on the redirect are classified from `error` and the AADSTS number, taken from
//! `error_codes` when present, else from `error_uri`'s `code` (Microsoft's front channel sends
//! no `error_codes`), else from the `AADSTSnnnn` that opens `error_description` — the number
//! only, never the wording. Dropping the future (or the timeout) closes the listener.

use std::convert::Infallible;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::body::Incoming;
use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use oauth2::{AuthUrl, AuthorizationCode, CsrfToken, PkceCodeChallenge, RedirectUrl, Scope};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use url::Url;

use crate::cause::Cause;
use crate::endpoints::Endpoints;
use crate::http::{Http, Unavailable};
use crate::secret::Secret;

use super::AadError;
use super::oauth::{self, Sender};
use super::sign_in::{SignInError, UserTokens, tenant_url};

/// How long the sign-in page may stay open before the sign-in ends as [`SignInError::Expired`].
pub const BROWSER_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(300);

/// The most of a request the loopback listener reads (the request line and headers).
const MAX_REQUEST: usize = 16 * 1024;

/// How long one connection may take to send its request before it is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// What the redirect brought: the code, or why there is none.
type Outcome = Result<Secret, SignInError>;

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
    const WHAT: &str = "authorization code sign-in";
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .map_err(|e| local_fault(format!("cannot listen on 127.0.0.1 for the sign-in ({e})")))?;
    let port = listener
        .local_addr()
        .map_err(|e| local_fault(format!("cannot read the sign-in listener's port ({e})")))?
        .port();
    // A browser may try `localhost` as ::1 first; listen there too when the system allows it.
    let listener_v6 = TcpListener::bind((Ipv6Addr::LOCALHOST, port)).await.ok();
    let redirect_uri = RedirectUrl::new(format!("http://localhost:{port}/"))
        .map_err(|e| local_fault(format!("cannot name the loopback address ({e})")))?;

    let authorize_url = tenant_url(endpoints, tenant, &["oauth2", "v2.0", "authorize"])?;
    let client = oauth::client(endpoints, tenant, client_id)?
        .set_auth_uri(AuthUrl::from_url(authorize_url))
        .set_redirect_uri(redirect_uri);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let request = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(scopes.iter().cloned().map(Scope::new))
        .set_pkce_challenge(challenge)
        .add_extra_param("response_mode", "query");
    let (url, state) = match login_hint {
        Some(hint) => request.add_extra_param("login_hint", hint),
        None => request.add_extra_param("prompt", "select_account"),
    }
    .url();

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
        wait_for_redirect(&listener, listener_v6.as_ref(), state.secret()),
    )
    .await
    .map_err(|_| SignInError::Expired)
    .flatten()
    .inspect_err(|e| tracing::warn!("the browser did not bring the sign-in back: {e}"))?;
    tracing::info!("the browser came back; redeeming the code");
    drop(listener_v6);
    drop(listener);

    // Microsoft takes the scopes again at redemption (they name the resource of the token).
    let scope = scopes.join(" ");
    let outcome = client
        .exchange_code(AuthorizationCode::new(code.expose().to_owned()))
        .set_pkce_verifier(verifier)
        .add_extra_param("scope", scope.as_str())
        .request_async(&Sender::new(http, WHAT))
        .await
        .map(|token| oauth::user_tokens(&token))
        .map_err(|failure| SignInError::from_failure(failure, WHAT));
    match &outcome {
        Ok(_) => tracing::info!("signed in"),
        Err(e) => tracing::warn!(cause = e.cause().map(|c| c.as_str()), "sign-in ended: {e}"),
    }
    outcome
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
    let state: Arc<str> = Arc::from(state);
    let mut connections: JoinSet<Option<Outcome>> = JoinSet::new();
    loop {
        tokio::select! {
            accepted = v4.accept() => {
                if let Ok((stream, _)) = accepted {
                    connections.spawn(serve(stream, state.clone()));
                }
            }
            accepted = accept_optional(v6) => {
                if let Ok((stream, _)) = accepted {
                    connections.spawn(serve(stream, state.clone()));
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

/// Serve one connection (one request: no keep-alive): `None` when it was not the redirect
/// (another path or method, a malformed or idle request), else what the redirect said, once the
/// page has been sent (or the browser has gone).
async fn serve(stream: TcpStream, state: Arc<str>) -> Option<Outcome> {
    let outcome: Arc<Mutex<Option<Outcome>>> = Arc::default();
    let kept = outcome.clone();
    let service = service_fn(move |request: Request<Incoming>| {
        let page = answer(&request, &state, &kept);
        std::future::ready(Ok::<_, Infallible>(page))
    });
    // The browser may already be gone; the outcome does not depend on the page arriving.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(READ_TIMEOUT)
        .max_buf_size(MAX_REQUEST)
        .keep_alive(false)
        .serve_connection(TokioIo::new(stream), service)
        .await;
    outcome.lock().ok()?.take()
}

/// The page for one request; the redirect's outcome is put in `outcome`.
fn answer(
    request: &Request<Incoming>,
    state: &str,
    outcome: &Mutex<Option<Outcome>>,
) -> Response<String> {
    if request.method() != Method::GET {
        return page(
            StatusCode::METHOD_NOT_ALLOWED,
            "Only the sign-in's redirect is answered here.",
        );
    }
    let target = request
        .uri()
        .path_and_query()
        .map_or("/", |target| target.as_str());
    let Some(url) = Url::parse("http://localhost/")
        .ok()
        .and_then(|base| base.join(target).ok())
    else {
        return page(StatusCode::BAD_REQUEST, "The address could not be read.");
    };
    if url.path() != "/" {
        return page(StatusCode::NOT_FOUND, "Not found.");
    }
    let result = read_redirect(&url, state).map_err(|error| *error);
    let message = match &result {
        Ok(_) => "You can close this tab and return to Entra Setup Wizard.".to_string(),
        Err(error) => format!(
            "The sign-in did not finish: {}. You can close this tab and return to Entra Setup Wizard.",
            plain_words(error)
        ),
    };
    if let Ok(mut slot) = outcome.lock() {
        *slot = Some(result);
    }
    page(StatusCode::OK, &message)
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
            suberror,
            trace_id: get("trace_id"),
            correlation_id: get("correlation_id"),
            timestamp: get("timestamp"),
            error_uri: get("error_uri"),
            raw: answered(url),
        })));
    }
    get("code").map(Secret::new).ok_or_else(|| {
        Box::new(SignInError::Rejected(AadError {
            error: "invalid_response".into(),
            error_codes: Vec::new(),
            error_description: Some(
                "The sign-in answer carried neither a code nor an error.".into(),
            ),
            suberror: None,
            trace_id: None,
            correlation_id: None,
            timestamp: None,
            error_uri: None,
            raw: answered(url),
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

/// The redirect's query as answered, less `state` and `code` (kept as an error's raw answer).
fn answered(url: &Url) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(
            url.query_pairs()
                .filter(|(k, _)| k != "state" && k != "code"),
        )
        .finish()
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

/// A small self-contained page; the connection closes after it.
fn page(status: StatusCode, message: &str) -> Response<String> {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Entra Setup Wizard</title></head>\
         <body style=\"font-family:system-ui,sans-serif;margin:3em\"><p>{}</p></body></html>",
        crate::html::escape(message)
    );
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
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

    /// The listener answers every request, and only the redirect to `/` with our state ends the
    /// wait: another path or method is answered and the wait goes on.
    #[tokio::test]
    async fn the_listener_waits_for_the_redirect_and_answers_everything_else() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .expect("listen");
        let base = format!(
            "http://127.0.0.1:{}",
            listener.local_addr().expect("port").port()
        );
        let browser = async {
            let client = reqwest::Client::new();
            let missing = client
                .get(format!("{base}/favicon.ico"))
                .send()
                .await
                .expect("answered");
            assert_eq!(missing.status(), 404);
            let posted = client
                .post(format!("{base}/"))
                .send()
                .await
                .expect("answered");
            assert_eq!(posted.status(), 405);
            let page = client
                .get(format!("{base}/?code=the-code&state=s1"))
                .send()
                .await
                .expect("answered");
            assert_eq!(page.status(), 200);
            assert_eq!(
                page.headers()
                    .get("cache-control")
                    .and_then(|v| v.to_str().ok()),
                Some("no-store")
            );
            let text = page.text().await.expect("page");
            assert!(text.contains("You can close this tab"), "{text}");
            assert!(!text.contains("the-code"), "{text}");
        };
        let (code, ()) = tokio::join!(wait_for_redirect(&listener, None, "s1"), browser);
        assert_eq!(code.expect("the code").expose(), "the-code");
    }
}

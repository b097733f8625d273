//! The shared transport against servers that misbehave in ways `http_faults.rs` does not
//! cover: a response dripped one byte at a time (body, or status line and headers), a
//! connection reset (TCP RST) half-way through the body, redirect loops, a redirect to
//! another port (which must not receive the token), and a TLS certificate that is
//! self-signed or made out for another name.
//!
//! Each test checks the error code, that the message says what went wrong, that the token
//! appears in neither the message nor the `Debug` output, and how long the failure took.
//! Time bounds are generous: CI runs on two busy cores.

#![allow(clippy::unwrap_used)]

mod fake_server;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use assay_trackers::{Auth, HttpClient, HttpConfig, TrackerError};
use fake_server::{FakeServer, Reply, fast_http_config};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_util::sync::CancellationToken;

const SECRET: &str = "s3cr3t-token-value";

/// Slack on top of the configured timeout for the error to arrive.
const MARGIN: Duration = Duration::from_millis(1500);

fn client_with(config: HttpConfig) -> HttpClient {
    HttpClient::new(
        config,
        Auth::Bearer(SECRET.into()),
        CancellationToken::new(),
    )
    .unwrap()
}

async fn get(client: &HttpClient, url: &str) -> Result<serde_json::Value, TrackerError> {
    client.get_json(url, &[("run_id", "r1".into())]).await
}

/// The error, checked for its code, for words that say what went wrong and for the token.
fn expect_error(
    result: Result<serde_json::Value, TrackerError>,
    code: &str,
    words: &[&str],
) -> TrackerError {
    let error = result.expect_err("expected an error");
    let text = error.to_string();
    assert_eq!(fake_server::kind(&error), code, "{text}");
    for word in words {
        assert!(text.contains(word), "{text:?} should mention {word:?}");
    }
    let shown = format!("{text} {error:?}");
    assert!(!shown.contains(SECRET), "token leaked: {shown}");
    assert!(
        !shown.contains("run_id"),
        "only host:port may be shown: {shown}"
    );
    error
}

fn assert_within(started: Instant, limit: Duration) -> Duration {
    let elapsed = started.elapsed();
    assert!(elapsed < limit, "took {elapsed:?}, limit {limit:?}");
    elapsed
}

// --- Slow drip -------------------------------------------------------------------------------

async fn drip(head_too: bool) -> (FakeServer, TrackerError, Duration) {
    let server = FakeServer::start(move |_, _| Reply::Drip {
        body: br#"{"run": {"info": {"run_id": "r1", "status": "FINISHED"}}}"#.to_vec(),
        every: Duration::from_millis(200),
        head_too,
    })
    .await;
    let timeout = Duration::from_millis(1500);
    let client = client_with(HttpConfig {
        timeout,
        ..fast_http_config()
    });
    let started = Instant::now();
    let result = get(&client, &format!("{}/api/2.0/mlflow/runs/get", server.url)).await;
    let error = expect_error(result, "timeout", &["no answer", "1500 ms"]);
    let elapsed = assert_within(started, timeout + MARGIN);
    // Deadlines never fire early: the whole request was bounded, not each read.
    assert!(elapsed >= timeout, "{elapsed:?}");
    (server, error, elapsed)
}

#[tokio::test]
async fn a_body_dripped_byte_by_byte_times_out_within_the_limit() {
    let (server, _, _) = drip(false).await;
    assert_eq!(server.hits(), 1, "a timeout is not retried");
    let dripped = server.streamed.load(Ordering::SeqCst);
    assert!(dripped >= 3, "only {dripped} body bytes went out");
}

#[tokio::test]
async fn a_status_line_dripped_byte_by_byte_times_out_within_the_limit() {
    let (server, _, _) = drip(true).await;
    assert_eq!(server.hits(), 1, "a timeout is not retried");
    let dripped = server.streamed.load(Ordering::SeqCst);
    assert!(dripped >= 3, "only {dripped} head bytes went out");
}

// --- Connection reset ------------------------------------------------------------------------

#[tokio::test]
async fn a_connection_reset_mid_body_fails_after_the_retries() {
    let server = FakeServer::start(|_, _| Reply::Reset {
        declared: 4096,
        body: br#"{"runs": [{"info": {"run_id": "#.to_vec(),
    })
    .await;
    let config = fast_http_config();
    let timeout = config.timeout;
    let started = Instant::now();
    let result = get(
        &client_with(config),
        &format!("{}/api/2.0/mlflow/runs/get", server.url),
    )
    .await;
    expect_error(result, "bad_response", &["127.0.0.1", "cut short", "reset"]);
    assert_eq!(server.hits(), 3, "the first attempt and two retries");
    assert_within(started, timeout + MARGIN);
}

// --- Redirects -------------------------------------------------------------------------------

/// Follows `route` (path to `Location`) from `/a` and expects the loop to be cut off.
async fn redirect_loop(route: fn(&str) -> &'static str, paths: &[&str]) {
    let server = FakeServer::start(move |request, _| {
        Reply::status(302, &[("Location", route(request.path()))])
    })
    .await;
    let config = fast_http_config();
    let timeout = config.timeout;
    let started = Instant::now();
    let result = get(&client_with(config), &format!("{}/a", server.url)).await;
    expect_error(result, "bad_response", &["127.0.0.1", "too many redirects"]);
    assert_within(started, timeout + MARGIN);
    // reqwest's default policy: the first request and ten redirects, then it stops.
    let seen: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(seen.len(), 11, "{seen:?}");
    for path in paths {
        assert!(
            seen.iter().any(|seen| seen == path),
            "{path} never asked: {seen:?}"
        );
    }
    assert!(
        seen.iter().all(|seen| paths.contains(&seen.as_str())),
        "{seen:?}"
    );
}

#[tokio::test]
async fn redirects_between_two_paths_stop_with_too_many_redirects() {
    redirect_loop(|path| if path == "/a" { "/b" } else { "/a" }, &["/a", "/b"]).await;
}

#[tokio::test]
async fn a_redirect_to_itself_stops_with_too_many_redirects() {
    redirect_loop(|_| "/a", &["/a"]).await;
}

#[tokio::test]
async fn the_token_follows_a_redirect_on_the_same_server_only() {
    let elsewhere = FakeServer::start(|_, _| Reply::json(200, json!({"landed": true}))).await;
    let away = format!("{}/landing", elsewhere.url);
    let server = FakeServer::start(move |request, _| match request.path() {
        "/start" => Reply::status(302, &[("Location", "/next")]),
        _ => Reply::status(302, &[("Location", away.as_str())]),
    })
    .await;
    let value = get(
        &client_with(fast_http_config()),
        &format!("{}/start", server.url),
    )
    .await
    .unwrap();
    assert_eq!(value, json!({"landed": true}));
    let bearer = format!("Bearer {SECRET}");
    let here = server.requests();
    assert_eq!(here.len(), 2);
    for request in &here {
        assert_eq!(request.header("authorization"), Some(bearer.as_str()));
    }
    let there = elsewhere.requests();
    assert_eq!(there.len(), 1);
    assert_eq!(there[0].path(), "/landing");
    for (name, value) in &there[0].headers {
        assert!(
            !value.contains(SECRET),
            "{name} carried the token to another port"
        );
    }
    assert_eq!(there[0].header("authorization"), None);
}

// --- TLS -------------------------------------------------------------------------------------

/// A TLS server whose certificate is made out for `wrong.example`; it counts the
/// handshakes begun and those completed.
struct TlsServer {
    url: String,
    certificate_pem: String,
    begun: Arc<AtomicUsize>,
    completed: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TlsServer {
    async fn start() -> TlsServer {
        let certified = rcgen::generate_simple_self_signed(vec!["wrong.example".into()]).unwrap();
        let key =
            rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![certified.cert.der().clone()], key)
            .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(tls));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("https://{}", listener.local_addr().unwrap());
        let begun = Arc::new(AtomicUsize::new(0));
        let completed = Arc::new(AtomicUsize::new(0));
        let counters = (begun.clone(), completed.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                counters.0.fetch_add(1, Ordering::SeqCst);
                let (acceptor, completed) = (acceptor.clone(), counters.1.clone());
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    completed.fetch_add(1, Ordering::SeqCst);
                    let mut request = [0u8; 4096];
                    let _ = tls.read(&mut request).await;
                    let reply =
                        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
                    let _ = tls.write_all(reply.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        TlsServer {
            url,
            certificate_pem: certified.cert.pem(),
            begun,
            completed,
            task,
        }
    }
}

/// Fails over TLS and checks that it failed at once, without retries or a request sent.
/// `trusted` adds the server's certificate to the trusted roots, leaving the name mismatch.
async fn tls_failure(trusted: bool, words: &[&str]) {
    let server = TlsServer::start().await;
    // Retries would show: each one waits a second or more.
    let config = HttpConfig {
        backoff_base: Duration::from_secs(2),
        max_backoff: Duration::from_secs(2),
        ca_cert_pem: trusted.then(|| server.certificate_pem.clone().into_bytes()),
        ..fast_http_config()
    };
    let started = Instant::now();
    let result = get(
        &client_with(config),
        &format!("{}/api/2.0/mlflow/runs/get", server.url),
    )
    .await;
    expect_error(result, "tls", words);
    assert_within(started, Duration::from_millis(900) + MARGIN);
    assert_eq!(
        server.begun.load(Ordering::SeqCst),
        1,
        "a certificate error is not retried"
    );
    assert_eq!(
        server.completed.load(Ordering::SeqCst),
        0,
        "no request may go out"
    );
}

#[tokio::test]
async fn an_untrusted_self_signed_certificate_fails_at_once() {
    tls_failure(
        false,
        &["127.0.0.1", "certificate", "not signed by a trusted"],
    )
    .await;
}

#[tokio::test]
async fn a_trusted_certificate_for_another_name_fails_at_once() {
    tls_failure(true, &["127.0.0.1", "certificate", "different host name"]).await;
}

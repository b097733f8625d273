#![allow(clippy::unwrap_used)]
//! The shared transport against a misbehaving server: each fault maps to one error code.

mod fake_server;

use std::time::{Duration, Instant};

use assay_trackers::{Auth, HttpClient, HttpConfig, TrackerError};
use fake_server::{FakeServer, Reply, fast_http_config};
use serde_json::json;
use tokio_util::sync::CancellationToken;

const SECRET: &str = "s3cr3t-token-value";

fn client_with(config: HttpConfig, auth: Auth) -> HttpClient {
    HttpClient::new(config, auth, CancellationToken::new()).unwrap()
}

fn client() -> HttpClient {
    client_with(fast_http_config(), Auth::Bearer(SECRET.into()))
}

async fn get(server: &FakeServer, client: &HttpClient) -> Result<serde_json::Value, TrackerError> {
    client
        .get_json(
            &format!("{}/api/2.0/mlflow/runs/get", server.url),
            &[("run_id", "r1".into())],
        )
        .await
}

fn assert_code(result: Result<impl std::fmt::Debug, TrackerError>, code: &str) -> TrackerError {
    let error = result.expect_err("expected an error");
    assert_eq!(fake_server::kind(&error), code, "{error}");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(SECRET), "secret leaked: {shown}");
    error
}

#[tokio::test]
async fn status_401_is_auth_failed_and_hides_the_token() {
    let server =
        FakeServer::start(|_, _| Reply::status(401, &[("WWW-Authenticate", "Basic")])).await;
    let error = assert_code(get(&server, &client()).await, "auth_failed");
    assert!(error.to_string().contains("127.0.0.1"));
    assert_eq!(server.hits(), 1, "401 is not retried");
    let sent = &server.requests()[0];
    assert_eq!(
        sent.header("authorization"),
        Some(format!("Bearer {SECRET}").as_str())
    );
}

#[tokio::test]
async fn basic_auth_is_sent_and_never_shown() {
    let server = FakeServer::start(|_, _| Reply::status(401, &[])).await;
    let auth = Auth::Basic {
        user: "admin".into(),
        password: SECRET.into(),
    };
    assert_code(
        get(&server, &client_with(fast_http_config(), auth)).await,
        "auth_failed",
    );
    let header = server.requests()[0]
        .header("authorization")
        .unwrap()
        .to_string();
    assert!(header.starts_with("Basic "), "{header}");
}

#[tokio::test]
async fn status_403_is_host_rejected() {
    let server = FakeServer::start(|_, _| Reply::raw(403, "Invalid Host header")).await;
    let error = assert_code(get(&server, &client()).await, "host_rejected");
    assert!(error.to_string().contains("host name"), "{error}");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn status_404_is_not_found_with_the_servers_words() {
    let server = FakeServer::start(|_, _| {
        Reply::json(
            404,
            json!({"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Run with id=r1 not found"}),
        )
    })
    .await;
    let error = assert_code(get(&server, &client()).await, "not_found");
    assert!(
        error.to_string().contains("Run with id=r1 not found"),
        "{error}"
    );
}

#[tokio::test]
async fn status_400_is_a_bad_response_with_a_short_detail() {
    let long = "x".repeat(5000);
    let server = FakeServer::start(move |_, _| {
        Reply::json(
            400,
            json!({"error_code": "INVALID_PARAMETER_VALUE", "message": long}),
        )
    })
    .await;
    let error = assert_code(get(&server, &client()).await, "bad_response");
    assert!(error.to_string().len() < 400, "{error}");
}

#[tokio::test]
async fn rate_limit_with_retry_after_is_retried_then_succeeds() {
    let server = FakeServer::start(|_, hit| match hit {
        0 => Reply::status(429, &[("Retry-After", "1")]),
        _ => Reply::json(200, json!({"ok": true})),
    })
    .await;
    // The hint (1 s) wins over the tiny configured backoff but stays under max_backoff.
    let patient = HttpConfig {
        max_backoff: Duration::from_secs(5),
        ..fast_http_config()
    };
    let started = Instant::now();
    let value = get(&server, &client_with(patient, Auth::None))
        .await
        .unwrap();
    assert_eq!(value, json!({"ok": true}));
    assert_eq!(server.hits(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn ratelimit_reset_is_honoured_and_capped() {
    let server = FakeServer::start(|_, hit| match hit {
        0 => Reply::status(429, &[("RateLimit-Reset", "3600")]),
        _ => Reply::json(200, json!({})),
    })
    .await;
    let started = Instant::now();
    get(&server, &client()).await.unwrap();
    // An hour-long hint is cut to max_backoff (50 ms here).
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn persistent_429_is_rate_limited() {
    let server = FakeServer::start(|_, _| Reply::status(429, &[("Retry-After", "0")])).await;
    let error = assert_code(get(&server, &client()).await, "rate_limited");
    assert_eq!(server.hits(), 3, "first attempt and two retries");
    assert!(error.to_string().contains("3 attempts"), "{error}");
}

#[tokio::test]
async fn status_500_is_a_server_error_after_retries() {
    let server = FakeServer::start(|_, _| Reply::raw(500, "<html>Traceback ...</html>")).await;
    let error = assert_code(get(&server, &client()).await, "server_error");
    assert_eq!(server.hits(), 3);
    assert!(!error.to_string().contains("Traceback"), "{error}");
}

#[tokio::test]
async fn a_slow_server_is_a_timeout_without_retries() {
    let server = FakeServer::start(|_, _| {
        Reply::After(
            Duration::from_secs(3),
            Box::new(Reply::json(200, json!({}))),
        )
    })
    .await;
    let short = HttpConfig {
        timeout: Duration::from_millis(300),
        ..fast_http_config()
    };
    let started = Instant::now();
    let error = assert_code(
        get(&server, &client_with(short, Auth::None)).await,
        "timeout",
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(error.to_string().contains("300 ms"), "{error}");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn truncated_json_is_a_bad_response() {
    let server =
        FakeServer::start(|_, _| Reply::raw(200, r#"{"runs": [{"info": {"run_id": "#)).await;
    let error = assert_code(get(&server, &client()).await, "bad_response");
    assert!(error.to_string().contains("truncated"), "{error}");
    assert_eq!(
        server.hits(),
        1,
        "a complete but malformed body is not retried"
    );
}

#[tokio::test]
async fn a_body_cut_short_by_the_connection_is_a_bad_response_after_retries() {
    let server = FakeServer::start(|_, _| Reply::CutShort {
        declared: 1000,
        body: br#"{"runs": ["#.to_vec(),
    })
    .await;
    let error = assert_code(get(&server, &client()).await, "bad_response");
    assert!(error.to_string().contains("cut short"), "{error}");
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn a_declared_100_mb_body_is_refused_up_front() {
    let server = FakeServer::start(|_, _| Reply::Huge {
        bytes: 100 << 20,
        chunked: false,
    })
    .await;
    let small = HttpConfig {
        max_body_bytes: 1 << 20,
        ..fast_http_config()
    };
    let error = assert_code(
        get(&server, &client_with(small, Auth::None)).await,
        "too_large",
    );
    assert!(error.to_string().contains("1048576"), "{error}");
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn a_streamed_100_mb_body_is_cut_off_at_the_limit() {
    let server = FakeServer::start(|_, _| Reply::Huge {
        bytes: 100 << 20,
        chunked: true,
    })
    .await;
    let small = HttpConfig {
        max_body_bytes: 1 << 20,
        ..fast_http_config()
    };
    let client = client_with(small, Auth::None);
    assert_code(
        client
            .get_bytes(&format!("{}/artifact", server.url), &[])
            .await,
        "too_large",
    );
    // Give the server a moment to notice the closed socket, then check it stopped early:
    // only the limit plus what socket buffers hold went out, not 100 MB.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = server.streamed.load(std::sync::atomic::Ordering::SeqCst);
    assert!(sent < 40 << 20, "server streamed {sent} bytes");
}

#[tokio::test]
async fn connection_refused_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let error = assert_code(
        client()
            .get_json(&format!("http://{address}/api/2.0/mlflow/runs/get"), &[])
            .await,
        "network",
    );
    let text = error.to_string();
    assert!(
        text.contains(&address.to_string()) && text.contains("refused"),
        "{text}"
    );
    assert!(
        !text.contains("/api/2.0"),
        "only host:port is named: {text}"
    );
}

#[tokio::test]
async fn cancelling_aborts_a_request_in_flight() {
    let server = FakeServer::start(|_, _| Reply::Silence).await;
    let cancel = CancellationToken::new();
    let client = HttpClient::new(fast_http_config(), Auth::None, cancel.clone()).unwrap();
    let started = Instant::now();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        cancel.cancel();
    });
    assert_code(get(&server, &client).await, "cancelled");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_code(get(&server, &client).await, "cancelled");
}

#[tokio::test]
async fn cancelling_aborts_a_backoff_wait() {
    let server = FakeServer::start(|_, _| Reply::status(503, &[("Retry-After", "30")])).await;
    let cancel = CancellationToken::new();
    let patient = HttpConfig {
        max_backoff: Duration::from_secs(60),
        ..fast_http_config()
    };
    let client = HttpClient::new(patient, Auth::None, cancel.clone()).unwrap();
    let started = Instant::now();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        cancel.cancel();
    });
    assert_code(get(&server, &client).await, "cancelled");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.hits(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_is_limited() {
    let server = FakeServer::start(|_, _| {
        Reply::After(
            Duration::from_millis(100),
            Box::new(Reply::json(200, json!({}))),
        )
    })
    .await;
    let two = HttpConfig {
        max_concurrency: 2,
        ..fast_http_config()
    };
    let client = client_with(two, Auth::None);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let (client, url) = (client.clone(), server.url.clone());
        tasks.spawn(async move { client.get_json(&format!("{url}/x"), &[]).await });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap().unwrap();
    }
    assert_eq!(server.hits(), 6);
    assert!(
        server.most_in_flight() <= 2,
        "{} in flight",
        server.most_in_flight()
    );
}

#[tokio::test]
async fn post_sends_json() {
    let server = FakeServer::start(|request, _| Reply::json(200, request.json())).await;
    let body = json!({"experiment_ids": ["1"], "max_results": 1000});
    let echoed = client()
        .post_json(&format!("{}/api/2.0/mlflow/runs/search", server.url), &body)
        .await;
    assert_eq!(echoed.unwrap(), body);
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.header("content-type"), Some("application/json"));
}

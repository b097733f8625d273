//! A tiny HTTP/1.1 server on 127.0.0.1 for fault tests. Every connection serves one request
//! and closes, so the replies can misbehave at the byte level (lie about their length, stop
//! half-way, never answer, stream without end).

#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the handler saw.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

pub enum Reply {
    /// A complete response with a correct Content-Length.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Wait, then send the reply.
    After(Duration, Box<Reply>),
    /// Keep the connection open without answering.
    Silence,
    /// Declare `declared` bytes, send `body`, close.
    CutShort { declared: usize, body: Vec<u8> },
    /// Stream `bytes` bytes of JSON-ish filler lazily, with or without Content-Length.
    Huge { bytes: u64, chunked: bool },
    /// A 200 with a correct Content-Length, written one byte every `every`: the whole
    /// response with `head_too`, else the body only (after the head, sent at once).
    Drip {
        body: Vec<u8>,
        every: Duration,
        head_too: bool,
    },
    /// Declare `declared` bytes, send `body`, pause, then reset the connection (TCP RST).
    Reset { declared: usize, body: Vec<u8> },
}

impl Reply {
    pub fn json(status: u16, value: serde_json::Value) -> Reply {
        Reply::Full {
            status,
            headers: vec![],
            body: value.to_string().into_bytes(),
        }
    }

    pub fn status(status: u16, headers: &[(&str, &str)]) -> Reply {
        let headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Reply::Full {
            status,
            headers,
            body: b"{}".to_vec(),
        }
    }

    pub fn raw(status: u16, body: &str) -> Reply {
        Reply::Full {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }
}

type Handler = dyn Fn(&Request, usize) -> Reply + Send + Sync;

pub struct FakeServer {
    pub url: String,
    hits: Arc<AtomicUsize>,
    in_flight: Arc<AtomicUsize>,
    most_in_flight: Arc<AtomicUsize>,
    /// Body bytes written by `Reply::Huge` (and bytes by `Reply::Drip`), to show a client
    /// stopped reading.
    pub streamed: Arc<AtomicU64>,
    seen: Arc<std::sync::Mutex<Vec<Request>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeServer {
    /// Serves `handler(request, hit_number_from_0)` on a free port.
    pub async fn start(
        handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static,
    ) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let handler: Arc<Handler> = Arc::new(handler);
        let hits = Arc::new(AtomicUsize::new(0));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let most_in_flight = Arc::new(AtomicUsize::new(0));
        let streamed = Arc::new(AtomicU64::new(0));
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let state = (
            hits.clone(),
            in_flight.clone(),
            most_in_flight.clone(),
            streamed.clone(),
            seen.clone(),
        );
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let handler = handler.clone();
                let (hits, in_flight, most, streamed, seen) = (
                    state.0.clone(),
                    state.1.clone(),
                    state.2.clone(),
                    state.3.clone(),
                    state.4.clone(),
                );
                tokio::spawn(async move {
                    let mut stream = stream;
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    let number = hits.fetch_add(1, Ordering::SeqCst);
                    seen.lock().unwrap().push(request.clone());
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    let mut reply = handler(&request, number);
                    // The request counts as in flight while the server "works" on it; it stops
                    // counting before the answer goes out, since a client may send its next
                    // request as soon as it has read this answer.
                    if let Reply::After(delay, inner) = reply {
                        tokio::time::sleep(delay).await;
                        reply = *inner;
                    }
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    send(stream, reply, &streamed).await;
                });
            }
        });
        FakeServer {
            url,
            hits,
            in_flight,
            most_in_flight,
            streamed,
            seen,
            task,
        }
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    pub fn most_in_flight(&self) -> usize {
        self.most_in_flight.load(Ordering::SeqCst)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn send(mut stream: TcpStream, reply: Reply, streamed: &AtomicU64) {
    let mut reply = reply;
    while let Reply::After(delay, next) = reply {
        tokio::time::sleep(delay).await;
        reply = *next;
    }
    match reply {
        Reply::After(..) => unreachable!(),
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                reason(status),
                body.len()
            );
            for (key, value) in headers {
                head.push_str(&format!("{key}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
        }
        Reply::Silence => tokio::time::sleep(Duration::from_secs(60)).await,
        Reply::CutShort { declared, body } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
        }
        Reply::Drip {
            body,
            every,
            head_too,
        } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let mut dripped = body;
            if head_too {
                dripped.splice(0..0, head.into_bytes());
            } else if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for byte in dripped {
                tokio::time::sleep(every).await;
                // Stops once the client has hung up.
                if stream.write_all(&[byte]).await.is_err() {
                    return;
                }
                streamed.fetch_add(1, Ordering::SeqCst);
            }
        }
        Reply::Reset { declared, body } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            // Let the client read what was sent, then close with RST instead of FIN.
            tokio::time::sleep(Duration::from_millis(100)).await;
            let _ = stream.set_zero_linger();
            return;
        }
        Reply::Huge { bytes, chunked } => {
            let framing = if chunked {
                "Transfer-Encoding: chunked".to_string()
            } else {
                format!("Content-Length: {bytes}")
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let block = vec![b' '; 64 * 1024];
            let mut left = bytes;
            while left > 0 {
                let size = left.min(block.len() as u64) as usize;
                let written = if chunked {
                    let mut framed = format!("{size:x}\r\n").into_bytes();
                    framed.extend_from_slice(&block[..size]);
                    framed.extend_from_slice(b"\r\n");
                    stream.write_all(&framed).await
                } else {
                    stream.write_all(&block[..size]).await
                };
                if written.is_err() {
                    return;
                }
                streamed.fetch_add(size as u64, Ordering::SeqCst);
                left -= size as u64;
            }
            if chunked {
                let _ = stream.write_all(b"0\r\n\r\n").await;
            }
        }
    }
    let _ = stream.shutdown().await;
}

/// Transport settings for tests: short limits, and retries that cost milliseconds.
pub fn fast_http_config() -> assay_trackers::HttpConfig {
    assay_trackers::HttpConfig {
        timeout: std::time::Duration::from_secs(5),
        connect_timeout: std::time::Duration::from_secs(2),
        max_retries: 2,
        backoff_base: std::time::Duration::from_millis(5),
        max_backoff: std::time::Duration::from_millis(50),
        ..assay_trackers::HttpConfig::default()
    }
}

/// A short name for the kind of a tracker failure, so the fault tests read as a table. The API
/// layer owns the error codes users see (`assay_api::ErrorCode`); these names happen to match.
pub fn kind(error: &assay_trackers::TrackerError) -> &'static str {
    use assay_trackers::TrackerError::*;
    match error {
        Auth { .. } => "auth_failed",
        HostRejected { .. } => "host_rejected",
        NotFound { .. } => "not_found",
        RateLimited { .. } => "rate_limited",
        Server { .. } => "server_error",
        Timeout { .. } => "timeout",
        BadResponse { .. } => "bad_response",
        TooLarge { .. } => "too_large",
        Network { .. } => "network",
        Tls { .. } => "tls",
        Cancelled => "cancelled",
        InvalidConfig(_) => "invalid_config",
    }
}

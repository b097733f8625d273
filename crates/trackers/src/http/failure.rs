//! How one HTTP attempt failed: the status and error mapping, the server's retry hints and
//! the short reasons errors may show.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::error::{TrackerError, excerpt};

/// How much of an error body is read to find the server's own message.
const ERROR_BODY_LIMIT: usize = 8 * 1024;

/// Why one attempt failed, and whether another attempt may help.
pub(super) enum Failure {
    Final(TrackerError),
    Transient {
        kind: Transient,
        retry_after: Option<Duration>,
    },
}

pub(super) enum Transient {
    RateLimited,
    Server(u16),
    Network(&'static str),
    /// The connection closed (or, with `reset`, was reset) before the body was complete.
    Truncated {
        reset: bool,
    },
}

/// The failure an HTTP status other than 2xx stands for.
pub(super) fn from_status(
    status: u16,
    path: &str,
    target: &str,
    attempts: u32,
    retry_after: Option<Duration>,
    message: Option<String>,
) -> Failure {
    let target = target.to_string();
    match status {
        401 => Failure::Final(TrackerError::Auth { target }),
        403 => Failure::Final(TrackerError::HostRejected { target }),
        404 => Failure::Final(TrackerError::NotFound {
            what: message.unwrap_or_else(|| format!("{path} on {target}")),
        }),
        429 => Failure::Transient {
            kind: Transient::RateLimited,
            retry_after,
        },
        500 | 502 | 503 | 504 => Failure::Transient {
            kind: Transient::Server(status),
            retry_after,
        },
        500.. => Failure::Final(TrackerError::Server {
            target,
            status,
            attempts,
        }),
        _ => Failure::Final(TrackerError::bad_response(match message {
            Some(message) => format!("the server refused the request (HTTP {status}): {message}"),
            None => format!("the server refused the request (HTTP {status})"),
        })),
    }
}

pub(super) fn give_up(kind: Transient, target: String, attempts: u32) -> TrackerError {
    match kind {
        Transient::RateLimited => TrackerError::RateLimited { target, attempts },
        Transient::Server(status) => TrackerError::Server {
            target,
            status,
            attempts,
        },
        Transient::Network(detail) => TrackerError::Network {
            target,
            detail: detail.to_string(),
        },
        Transient::Truncated { reset: false } => TrackerError::bad_response(format!(
            "the response from {target} was cut short (connection closed before the end)"
        )),
        Transient::Truncated { reset: true } => TrackerError::bad_response(format!(
            "the response from {target} was cut short (the connection was reset before the end)"
        )),
    }
}

pub(super) fn classify(error: &reqwest::Error, target: &str, timeout: Duration) -> Failure {
    let target = target.to_string();
    if error.is_timeout() && !error.is_connect() {
        return Failure::Final(TrackerError::Timeout {
            target,
            after: timeout,
        });
    }
    if error.is_builder() {
        return Failure::Final(TrackerError::InvalidConfig(
            "the request could not be built".into(),
        ));
    }
    if error.is_redirect() {
        // reqwest's own wording for its limit (10 redirects); its error type is private.
        let detail = if mentions(error, "too many redirects") {
            "sent too many redirects (more than 10: a redirect loop?)"
        } else {
            "redirected to an unusable address"
        };
        return Failure::Final(TrackerError::bad_response(format!("{target} {detail}")));
    }
    if error.is_body() || error.is_decode() {
        let reset = io_kinds(error).any(|kind| {
            matches!(
                kind,
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted
            )
        });
        return Failure::Transient {
            kind: Transient::Truncated { reset },
            retry_after: None,
        };
    }
    if let Some(detail) = certificate_problem(error) {
        // A rejected certificate stays rejected: no retries.
        return Failure::Final(TrackerError::Tls {
            target,
            detail: detail.to_string(),
        });
    }
    Failure::Transient {
        kind: Transient::Network(network_detail(error)),
        retry_after: None,
    }
}

/// The error and its sources, outermost first.
fn chain(error: &reqwest::Error) -> impl Iterator<Item = &(dyn std::error::Error + 'static)> {
    std::iter::successors(Some(error as &(dyn std::error::Error + 'static)), |e| {
        e.source()
    })
}

fn io_kinds(error: &reqwest::Error) -> impl Iterator<Item = std::io::ErrorKind> {
    chain(error).filter_map(|e| e.downcast_ref::<std::io::Error>().map(std::io::Error::kind))
}

/// Whether some error in the chain says `words` (lower case).
fn mentions(error: &reqwest::Error, words: &str) -> bool {
    chain(error).any(|e| e.to_string().to_ascii_lowercase().contains(words))
}

/// Why the server's TLS certificate was refused, when it was. rustls's error types do not
/// reach this crate, so this reads their wording ("invalid peer certificate: ...").
fn certificate_problem(error: &reqwest::Error) -> Option<&'static str> {
    let text = chain(error)
        .map(|e| e.to_string().to_ascii_lowercase())
        .find(|text| text.contains("invalid peer certificate"))?;
    let compact = text.replace([' ', '_'], "");
    Some(if compact.contains("notvalidforname") {
        "its certificate is made out for a different host name than the one in the server URL"
    } else if compact.contains("unknownissuer") || compact.contains("badsignature") {
        "its certificate is not signed by a trusted authority (self-signed or from a private \
         CA: a custom CA certificate can be configured)"
    } else if compact.contains("expired") || compact.contains("notvalidyet") {
        "its certificate has expired or is not valid yet (is the computer's clock right?)"
    } else if compact.contains("revoked") {
        "its certificate has been revoked"
    } else {
        "its certificate was rejected"
    })
}

/// A short reason for a connection failure, without the error chain's internals.
fn network_detail(error: &reqwest::Error) -> &'static str {
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(current) = source {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    return "connection refused (is the server running, is the port right?)";
                }
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                    return "the connection was reset";
                }
                std::io::ErrorKind::TimedOut => return "the connection timed out",
                _ => {}
            }
        }
        chain.push_str(&current.to_string().to_ascii_lowercase());
        chain.push(' ');
        source = current.source();
    }
    if error.is_timeout() {
        "the connection timed out"
    } else if error.is_dns() || chain.contains("dns") || chain.contains("lookup") {
        "the host name could not be resolved"
    } else if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake")
    {
        "the TLS handshake failed (is the certificate trusted? a custom CA can be configured)"
    } else if error.is_connect() {
        "the connection could not be opened"
    } else {
        "the connection closed before a complete response arrived"
    }
}

/// The server's own explanation from an error body (MLflow `message`, GraphQL `errors`),
/// shortened; `None` when there is none.
pub(super) async fn error_message(response: &mut reqwest::Response) -> Option<String> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() >= ERROR_BODY_LIMIT {
            return None;
        }
    }
    let value: serde_json::Value = serde_json::from_slice(&body).ok()?;
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    let message = text(&value["message"])
        .or_else(|| text(&value["errors"][0]["message"]))
        .or_else(|| text(&value["error"]))?;
    let message = match value["error_code"].as_str() {
        Some(code) => format!("{message} ({code})"),
        None => message,
    };
    Some(excerpt(&message))
}

/// A JSON response body, as every `get_json`/`post_json` reads it.
pub(crate) fn parse_json(body: &[u8]) -> Result<serde_json::Value, TrackerError> {
    serde_json::from_slice(body).map_err(|error| {
        if error.is_eof() {
            TrackerError::bad_response("the JSON ends early (truncated response)")
        } else {
            TrackerError::bad_response(format!("the body is not valid JSON ({error})"))
        }
    })
}

/// `Retry-After` (seconds or an HTTP date) or else `RateLimit-Reset` (seconds).
pub(super) fn retry_hint(headers: &HeaderMap) -> Option<Duration> {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(value) = header(RETRY_AFTER.as_str()) {
        if let Some(delay) = seconds(value) {
            return Some(delay);
        }
        if let Ok(date) = chrono::DateTime::parse_from_rfc2822(value) {
            let at = SystemTime::from(date);
            return Some(
                at.duration_since(SystemTime::now())
                    .unwrap_or(Duration::ZERO),
            );
        }
    }
    header("ratelimit-reset").and_then(seconds)
}

fn seconds(text: &str) -> Option<Duration> {
    let value: f64 = text.parse().ok()?;
    (value.is_finite() && value >= 0.0).then(|| Duration::from_secs_f64(value.min(86_400.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_hints_read_seconds_dates_and_reset() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_hint(&headers), None);
        headers.insert("ratelimit-reset", "7".parse().unwrap());
        assert_eq!(retry_hint(&headers), Some(Duration::from_secs(7)));
        headers.insert(RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(retry_hint(&headers), Some(Duration::from_secs(2)));
        headers.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(
            retry_hint(&headers),
            Some(Duration::ZERO),
            "a past date means now"
        );
        headers.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_hint(&headers), Some(Duration::from_secs(7)));
    }
}

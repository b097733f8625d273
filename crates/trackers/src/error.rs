//! What can go wrong talking to a tracker, in words a user can act on.
//!
//! Messages name the server as `host:port` only: never a full URL with its query, never a
//! credential, never a response body beyond a short excerpt.

use std::time::Duration;

/// A failed tracker request or import. The API layer gives each variant a stable error code
/// (`assay_api::ErrorCode`); the `Display` text is for people.
#[derive(Debug, thiserror::Error)]
pub enum TrackerError {
    /// HTTP 401.
    #[error(
        "{target} did not accept the credentials (HTTP 401): check the user name and password \
         or the token"
    )]
    Auth { target: String },

    /// HTTP 403. MLflow 3 answers 403 to a `Host` header it does not know.
    #[error(
        "{target} refused access (HTTP 403): the server rejects this host name or denies this \
         account; an MLflow 3 server must list the name under --allowed-hosts"
    )]
    HostRejected { target: String },

    /// HTTP 404, or an entity the import needs that the tracker does not have.
    #[error("not found: {what}")]
    NotFound { what: String },

    /// HTTP 429 on every attempt.
    #[error("{target} is still rate-limiting requests (HTTP 429) after {attempts} attempts")]
    RateLimited { target: String, attempts: u32 },

    /// HTTP 5xx on every attempt (or a 5xx that is not worth retrying).
    #[error("{target} failed with HTTP {status} after {attempts} attempt(s)")]
    Server {
        target: String,
        status: u16,
        attempts: u32,
    },

    /// No complete answer within the configured time.
    #[error("no answer from {target} within {} ms", .after.as_millis())]
    Timeout { target: String, after: Duration },

    /// The answer could not be read: not JSON, cut short, or not the expected shape.
    #[error("unexpected response: {detail}")]
    BadResponse { detail: String },

    /// The answer is larger than `HttpConfig::max_body_bytes`.
    #[error("the response is larger than the {limit}-byte limit")]
    TooLarge { limit: usize },

    /// The connection could not be made or broke down.
    #[error("could not reach {target}: {detail}")]
    Network { target: String, detail: String },

    /// The server's TLS certificate was refused (untrusted, for another name, expired).
    /// Not retried: it will not fix itself.
    #[error("could not connect securely to {target}: {detail}")]
    Tls { target: String, detail: String },

    /// The caller cancelled the import.
    #[error("cancelled")]
    Cancelled,

    /// The request could not be made as configured (bad URL, bad certificate, ...).
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
}

/// Longest excerpt of server text kept in an error.
const DETAIL_LIMIT: usize = 200;

impl TrackerError {
    /// A [`TrackerError::BadResponse`] whose detail is cut to a short, single-line excerpt.
    pub fn bad_response(detail: impl AsRef<str>) -> TrackerError {
        TrackerError::BadResponse {
            detail: excerpt(detail.as_ref()),
        }
    }

    /// Whether retrying the same request later might succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            TrackerError::RateLimited { .. }
                | TrackerError::Server { .. }
                | TrackerError::Timeout { .. }
                | TrackerError::Network { .. }
        )
    }
}

/// A short name per variant, so the unit tests' tables read well. The API layer owns the
/// error codes users see (`assay_api::ErrorCode`); these names happen to match.
#[cfg(test)]
impl TrackerError {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            TrackerError::Auth { .. } => "auth_failed",
            TrackerError::HostRejected { .. } => "host_rejected",
            TrackerError::NotFound { .. } => "not_found",
            TrackerError::RateLimited { .. } => "rate_limited",
            TrackerError::Server { .. } => "server_error",
            TrackerError::Timeout { .. } => "timeout",
            TrackerError::BadResponse { .. } => "bad_response",
            TrackerError::TooLarge { .. } => "too_large",
            TrackerError::Network { .. } => "network",
            TrackerError::Tls { .. } => "tls",
            TrackerError::Cancelled => "cancelled",
            TrackerError::InvalidConfig(_) => "invalid_config",
        }
    }
}

/// At most [`DETAIL_LIMIT`] characters of `text` on one line, marked when cut.
pub(crate) fn excerpt(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(DETAIL_LIMIT + 1)
        .collect();
    let flat = flat.trim();
    if flat.chars().count() > DETAIL_LIMIT {
        let cut: String = flat.chars().take(DETAIL_LIMIT).collect();
        format!("{cut}...")
    } else {
        flat.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_has_a_message() {
        let target = || "h:1".to_string();
        let all = [
            TrackerError::Auth { target: target() },
            TrackerError::HostRejected { target: target() },
            TrackerError::NotFound { what: "x".into() },
            TrackerError::RateLimited {
                target: target(),
                attempts: 2,
            },
            TrackerError::Server {
                target: target(),
                status: 500,
                attempts: 1,
            },
            TrackerError::Timeout {
                target: target(),
                after: Duration::ZERO,
            },
            TrackerError::bad_response("x"),
            TrackerError::TooLarge { limit: 1 },
            TrackerError::Network {
                target: target(),
                detail: "x".into(),
            },
            TrackerError::Tls {
                target: target(),
                detail: "x".into(),
            },
            TrackerError::Cancelled,
            TrackerError::InvalidConfig("x".into()),
        ];
        for error in all {
            assert!(!error.to_string().is_empty(), "{error:?}");
        }
    }

    #[test]
    fn excerpts_are_short_and_single_line() {
        let long = "line\n".repeat(500);
        let cut = excerpt(&long);
        assert!(cut.chars().count() <= DETAIL_LIMIT + 3);
        assert!(!cut.contains('\n'));
        assert!(cut.ends_with("..."));
        assert_eq!(excerpt(" short "), "short");
    }

    #[test]
    fn timeout_message_names_the_limit() {
        let error = TrackerError::Timeout {
            target: "h:1".into(),
            after: Duration::from_millis(300),
        };
        assert_eq!(error.to_string(), "no answer from h:1 within 300 ms");
    }
}

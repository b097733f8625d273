//! What every request passes before it reaches a handler: the Host and Origin headers must name
//! the room's own address (a page on another site, or a DNS name rebound to this address,
//! cannot drive the room), and joining is rate-limited per client address.

use std::collections::HashMap;
use std::net::IpAddr;

use axum::http::{HeaderMap, StatusCode, header};
use chrono::{DateTime, Duration, Utc};

use crate::api::Refusal;

/// Checks that the request is addressed to `host` ("192.168.1.20:8765") and, when it carries an
/// Origin, that it comes from a page of that same address.
pub(crate) fn same_origin(headers: &HeaderMap, host: &str) -> Result<(), Refusal> {
    let given = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if !given.eq_ignore_ascii_case(host) {
        return Err(Refusal::new(
            StatusCode::MISDIRECTED_REQUEST,
            "wrong_host",
            format!("this room answers only requests addressed to {host}"),
        ));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default();
        let ours = [format!("http://{host}"), format!("https://{host}")];
        if !ours.iter().any(|o| o.eq_ignore_ascii_case(origin)) {
            return Err(Refusal::new(
                StatusCode::FORBIDDEN,
                "wrong_origin",
                "requests from other sites are refused".to_owned(),
            ));
        }
    }
    Ok(())
}

/// The bearer token of a request, if any.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Join attempts per client address in a sliding minute.
#[derive(Debug)]
pub(crate) struct JoinLimiter {
    per_minute: usize,
    attempts: HashMap<IpAddr, Vec<DateTime<Utc>>>,
}

impl JoinLimiter {
    pub fn new(per_minute: usize) -> JoinLimiter {
        JoinLimiter {
            per_minute,
            attempts: HashMap::new(),
        }
    }

    /// Records an attempt from `client` at `now`; `false` when the client is over its limit.
    pub fn allow(&mut self, client: IpAddr, now: DateTime<Utc>) -> bool {
        let window = now - Duration::minutes(1);
        // Forget clients with nothing in the window, so the map cannot grow without bound.
        self.attempts
            .retain(|_, times| times.last().is_some_and(|t| *t > window));
        let times = self.attempts.entry(client).or_default();
        times.retain(|t| *t > window);
        if times.len() >= self.per_minute {
            return false;
        }
        times.push(now);
        true
    }
}

//! The HTTP transport shared by the tracker clients: timeouts, a body-size cap, retries
//! with backoff, a concurrency limit and cancellation, with errors mapped to
//! [`TrackerError`].

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::{Method, Url};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::error::TrackerError;

mod failure;

pub(crate) use failure::parse_json;
use failure::{Failure, classify, error_message, from_status, give_up, retry_hint};

/// How requests authenticate. `Debug` never shows the secret.
#[derive(Clone, Default)]
pub enum Auth {
    #[default]
    None,
    /// HTTP Basic (MLflow's basic-auth app; W&B uses user `api` and the API key).
    Basic { user: String, password: String },
    /// `Authorization: Bearer` (Databricks tokens, OIDC proxies).
    Bearer(String),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Basic { user, .. } => f
                .debug_struct("Basic")
                .field("user", user)
                .field("password", &"<redacted>")
                .finish(),
            Auth::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}

/// Transport limits. The defaults suit a tracker on a company network.
#[derive(Clone)]
pub struct HttpConfig {
    /// Whole request, body included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Larger bodies fail with [`TrackerError::TooLarge`] without being read to the end.
    pub max_body_bytes: usize,
    /// Retries after the first attempt, for 429, 500, 502, 503, 504 and broken connections.
    pub max_retries: u32,
    /// First backoff delay; doubled on every retry, with jitter.
    pub backoff_base: Duration,
    /// Upper bound of any wait, including a server's `Retry-After`.
    pub max_backoff: Duration,
    /// Requests in flight at once through one client (and its clones).
    pub max_concurrency: usize,
    /// Extra trusted root certificates (PEM, one or more), added to the system's.
    pub ca_cert_pem: Option<Vec<u8>>,
    /// Accept any server certificate. For test servers only.
    pub insecure_tls: bool,
}

impl Default for HttpConfig {
    fn default() -> HttpConfig {
        HttpConfig {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 64 * 1024 * 1024,
            max_retries: 4,
            backoff_base: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_concurrency: 4,
            ca_cert_pem: None,
            insecure_tls: false,
        }
    }
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpConfig")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_retries", &self.max_retries)
            .field("backoff_base", &self.backoff_base)
            .field("max_backoff", &self.max_backoff)
            .field("max_concurrency", &self.max_concurrency)
            .field(
                "ca_cert_pem_bytes",
                &self.ca_cert_pem.as_ref().map(Vec::len),
            )
            .field("insecure_tls", &self.insecure_tls)
            .finish()
    }
}

/// A tracker HTTP client. Cloning is cheap and clones share the concurrency limit and the
/// cancellation token.
#[derive(Clone, Debug)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    config: HttpConfig,
    auth: Auth,
    cancel: CancellationToken,
    permits: Semaphore,
}

const JSON: &str = "application/json";

impl HttpClient {
    pub fn new(
        config: HttpConfig,
        auth: Auth,
        cancel: CancellationToken,
    ) -> Result<HttpClient, TrackerError> {
        let invalid = |text: &str| Err(TrackerError::InvalidConfig(text.to_string()));
        if config.max_concurrency == 0 {
            return invalid("max_concurrency must be at least 1");
        }
        if config.max_body_bytes == 0 {
            return invalid("max_body_bytes must be at least 1");
        }
        if config.timeout.is_zero() || config.connect_timeout.is_zero() {
            return invalid("timeouts must be longer than zero");
        }
        let header_safe = |s: &str| s.chars().all(|c| !c.is_control());
        match &auth {
            Auth::Bearer(token) if token.is_empty() || !header_safe(token) => {
                return invalid("the token is empty or holds characters not allowed in a header");
            }
            Auth::Basic { user, .. } if user.contains(':') || !header_safe(user) => {
                return invalid("the user name may not contain ':' or control characters");
            }
            _ => {}
        }
        let mut builder = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("assay/", env!("CARGO_PKG_VERSION")))
            .tls_danger_accept_invalid_certs(config.insecure_tls);
        if let Some(pem) = &config.ca_cert_pem {
            let certificates = reqwest::Certificate::from_pem_bundle(pem).map_err(|_| {
                TrackerError::InvalidConfig("the CA certificate is not valid PEM".into())
            })?;
            if certificates.is_empty() {
                return invalid("the CA certificate file holds no certificate");
            }
            builder = builder.tls_certs_merge(certificates);
        }
        let client = builder.build().map_err(|_| {
            TrackerError::InvalidConfig("the HTTP client could not be set up (TLS settings)".into())
        })?;
        let permits = Semaphore::new(config.max_concurrency);
        Ok(HttpClient {
            inner: Arc::new(Inner {
                client,
                config,
                auth,
                cancel,
                permits,
            }),
        })
    }

    /// The token that cancels every request of this client and its clones.
    pub fn cancel_token(&self) -> &CancellationToken {
        &self.inner.cancel
    }

    pub async fn get_json(
        &self,
        url: &str,
        query: &[(&str, String)],
    ) -> Result<serde_json::Value, TrackerError> {
        let body = self.execute(Method::GET, url, query, None, JSON).await?;
        parse_json(&body)
    }

    pub async fn post_json(
        &self,
        url: &str,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, TrackerError> {
        let payload = serde_json::to_vec(body).map_err(|_| {
            TrackerError::InvalidConfig("the request body could not be encoded".into())
        })?;
        let body = self
            .execute(Method::POST, url, &[], Some(payload), JSON)
            .await?;
        parse_json(&body)
    }

    pub async fn get_bytes(
        &self,
        url: &str,
        query: &[(&str, String)],
    ) -> Result<Vec<u8>, TrackerError> {
        self.execute(Method::GET, url, query, None, "*/*").await
    }

    async fn execute(
        &self,
        method: Method,
        url: &str,
        query: &[(&str, String)],
        body: Option<Vec<u8>>,
        accept: &'static str,
    ) -> Result<Vec<u8>, TrackerError> {
        let url = request_url(url, query)?;
        let target = target_of(&url);
        let config = &self.inner.config;
        let mut retries = 0;
        loop {
            if self.inner.cancel.is_cancelled() {
                return Err(TrackerError::Cancelled);
            }
            let attempt =
                self.attempt(&method, &url, body.as_deref(), accept, &target, retries + 1);
            let (kind, retry_after) = match self.cancellable(attempt).await? {
                Ok(bytes) => return Ok(bytes),
                Err(Failure::Final(error)) => return Err(error),
                Err(Failure::Transient { kind, retry_after }) => (kind, retry_after),
            };
            if retries >= config.max_retries {
                return Err(give_up(kind, target, retries + 1));
            }
            let delay = self.delay(retries, retry_after);
            retries += 1;
            self.cancellable(tokio::time::sleep(delay)).await?;
        }
    }

    async fn attempt(
        &self,
        method: &Method,
        url: &Url,
        body: Option<&[u8]>,
        accept: &'static str,
        target: &str,
        attempts: u32,
    ) -> Result<Vec<u8>, Failure> {
        let inner = &self.inner;
        // The permit is held for the request only, not across backoff waits.
        let _permit = inner
            .permits
            .acquire()
            .await
            .map_err(|_| Failure::Final(TrackerError::Cancelled))?;
        let mut request = inner
            .client
            .request(method.clone(), url.clone())
            .header(ACCEPT, accept);
        request = match &inner.auth {
            Auth::None => request,
            Auth::Basic { user, password } => request.basic_auth(user, Some(password)),
            Auth::Bearer(token) => request.bearer_auth(token),
        };
        if let Some(body) = body {
            request = request.header(CONTENT_TYPE, JSON).body(body.to_vec());
        }
        let timeout = inner.config.timeout;
        let mut response = request
            .send()
            .await
            .map_err(|error| classify(&error, target, timeout))?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            return read_body(&mut response, inner.config.max_body_bytes, target, timeout).await;
        }
        let retry_after = retry_hint(response.headers());
        let message = error_message(&mut response).await;
        let path = url.path();
        Err(from_status(
            status,
            path,
            target,
            attempts,
            retry_after,
            message,
        ))
    }

    /// Exponential backoff with equal jitter, or the server's own hint; both capped.
    fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let config = &self.inner.config;
        if let Some(hint) = retry_after {
            return hint.min(config.max_backoff);
        }
        let exponential = config
            .backoff_base
            .saturating_mul(2u32.saturating_pow(retry))
            .min(config.max_backoff);
        let half = exponential / 2;
        half + half.mul_f64(fastrand::f64())
    }

    async fn cancellable<F: Future>(&self, future: F) -> Result<F::Output, TrackerError> {
        tokio::select! {
            biased;
            () = self.inner.cancel.cancelled() => Err(TrackerError::Cancelled),
            output = future => Ok(output),
        }
    }
}

fn request_url(raw: &str, query: &[(&str, String)]) -> Result<Url, TrackerError> {
    let invalid = |text: &str| TrackerError::InvalidConfig(text.to_string());
    // The URL itself is never echoed: it may carry credentials.
    let mut url = Url::parse(raw).map_err(|_| invalid("the server URL is not a valid URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(
            "the server URL must start with http:// or https://",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "the server URL contains credentials; enter them as authentication settings instead",
        ));
    }
    if url.host_str().is_none() {
        return Err(invalid("the server URL has no host name"));
    }
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (key, value) in query {
            pairs.append_pair(key, value);
        }
    }
    Ok(url)
}

/// `host:port`, the only part of a URL errors may show.
pub(crate) fn target_of(url: &Url) -> String {
    let host = url.host_str().unwrap_or("unknown host");
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

async fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
    target: &str,
    timeout: Duration,
) -> Result<Vec<u8>, Failure> {
    let too_large = || Failure::Final(TrackerError::TooLarge { limit });
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let capacity = declared
        .map_or(0, |length| length as usize)
        .min(1024 * 1024);
    let mut body = Vec::with_capacity(capacity);
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| classify(&error, target, timeout))?
    {
        if body.len() + chunk.len() > limit {
            // Dropping the response closes the connection: the rest is never read.
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_secrets() {
        let basic = Auth::Basic {
            user: "alice".into(),
            password: "hunter2".into(),
        };
        let bearer = Auth::Bearer("tok-123".into());
        let text = format!("{basic:?} {bearer:?}");
        assert!(text.contains("alice"));
        assert!(
            !text.contains("hunter2") && !text.contains("tok-123"),
            "{text}"
        );
        let client =
            HttpClient::new(HttpConfig::default(), bearer, CancellationToken::new()).unwrap();
        assert!(!format!("{client:?}").contains("tok-123"));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let config = HttpConfig {
            backoff_base: Duration::from_millis(100),
            max_backoff: Duration::from_millis(300),
            ..HttpConfig::default()
        };
        let client = HttpClient::new(config, Auth::None, CancellationToken::new()).unwrap();
        for retry in 0..10 {
            let delay = client.delay(retry, None);
            let full =
                Duration::from_millis(100 * 2u64.pow(retry.min(8))).min(Duration::from_millis(300));
            assert!(
                delay >= full / 2 && delay <= full,
                "retry {retry}: {delay:?}"
            );
        }
        assert_eq!(
            client.delay(0, Some(Duration::from_secs(60))),
            Duration::from_millis(300)
        );
    }

    #[test]
    fn urls_with_credentials_or_odd_schemes_are_refused() {
        for raw in ["http://u:p@h:1/x", "ftp://h/x", "not a url"] {
            let error = request_url(raw, &[]).unwrap_err();
            assert!(matches!(error, TrackerError::InvalidConfig(_)));
            assert!(!error.to_string().contains("u:p"));
        }
        let url = request_url("http://h:5000/a", &[("name", "a b&c".into())]).unwrap();
        assert_eq!(url.as_str(), "http://h:5000/a?name=a+b%26c");
        assert_eq!(target_of(&url), "h:5000");
    }

    #[test]
    fn bad_settings_are_invalid_config() {
        let zero = HttpConfig {
            max_concurrency: 0,
            ..HttpConfig::default()
        };
        let error = HttpClient::new(zero, Auth::None, CancellationToken::new()).unwrap_err();
        assert!(matches!(error, TrackerError::InvalidConfig(_)));
        let pem = HttpConfig {
            ca_cert_pem: Some(b"nonsense".to_vec()),
            ..HttpConfig::default()
        };
        let error = HttpClient::new(pem, Auth::None, CancellationToken::new()).unwrap_err();
        assert!(matches!(error, TrackerError::InvalidConfig(_)));
        let token = Auth::Bearer("bad\ntoken".into());
        let error = HttpClient::new(HttpConfig::default(), token, CancellationToken::new());
        assert!(!error.unwrap_err().to_string().contains("bad"));
    }
}

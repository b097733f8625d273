//! Types that exist only at the IPC boundary: command inputs that map onto API inputs, and
//! outputs the API has no type for. Everything else crosses as the API's own types.

use assay_api::{AuthKind, Credential, EvidenceRequest, TrackerTarget};
use serde::{Deserialize, Serialize};

/// The event `import_evidence` emits as an import advances.
pub const IMPORT_PROGRESS_EVENT: &str = "import-progress";

/// An import as the app asks for it. The secret is not part of it: it comes from the OS
/// keyring, where `set_token` put it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
pub struct ImportRequest {
    pub target: TrackerTarget,
    #[serde(default)]
    pub auth: AuthKind,
    /// For basic authentication: whose password to use.
    #[serde(default)]
    pub user: Option<String>,
    /// Seconds per request (default 30).
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// A PEM file with the CA that signed the server's certificate.
    #[serde(default)]
    pub ca_cert: Option<String>,
    /// Read everything again instead of what changed since the last import.
    #[serde(default)]
    pub full: bool,
    /// Link the evidence to this assessment scope, so its reports show it.
    #[serde(default)]
    pub scope: Option<String>,
}

impl ImportRequest {
    pub fn into_evidence_request(self, credential: Credential) -> EvidenceRequest {
        EvidenceRequest {
            target: self.target,
            credential,
            timeout: self
                .timeout_secs
                .map(|s| std::time::Duration::from_secs(s.max(1))),
            ca_cert: self.ca_cert.map(Into::into),
            full: self.full,
            scope: self.scope,
        }
    }
}

/// Payload of the `import-progress` event: how far one phase of the import has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportProgress {
    /// What is being read: `experiment`, `runs`, `artifacts`, `models`, ...
    pub phase: String,
    pub done: u64,
    /// `None` while the total is unknown (MLflow does not say how many runs match).
    pub total: Option<u64>,
}

//! Progress reports from a running import, for a progress bar or a log line.

use std::sync::Arc;

/// How far one phase of an import has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// What is being read: `"experiment"`, `"runs"`, `"artifacts"`, `"models"`, ...
    pub phase: &'static str,
    /// Items of this phase handled so far.
    pub done: u64,
    /// Items this phase will handle, when known in advance (MLflow's run search does not
    /// say how many runs match, so `"runs"` reports `None`).
    pub total: Option<u64>,
}

/// Receives progress reports. Called from the importing task, possibly often: keep it
/// cheap and non-blocking (send on a channel, update an atomic).
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// A [`ProgressFn`] that ignores every report.
pub fn ignore_progress() -> ProgressFn {
    Arc::new(|_| {})
}

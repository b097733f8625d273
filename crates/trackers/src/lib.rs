//! Clients that read lineage and fairness evidence from experiment trackers over HTTP and
//! turn it into an [`assay_evidence::Snapshot`].
//!
//! [`http`] is the transport every tracker client shares (timeouts, size cap, retries,
//! concurrency limit, cancellation); [`mlflow`] imports an MLflow experiment and [`wandb`] a
//! W&B project, each into a [`Fetched`].

pub mod error;
pub mod http;
mod import;
pub mod mlflow;
pub mod progress;
pub mod wandb;

pub use error::TrackerError;
pub use http::{Auth, HttpClient, HttpConfig};
pub use import::Fetched;
pub use progress::{Progress, ProgressFn, ignore_progress};

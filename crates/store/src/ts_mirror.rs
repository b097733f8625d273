//! TypeScript shapes of [`EvidenceImport`] and [`ImportCounts`] for the desktop app's bindings.
//!
//! They stand in for a `ts` derive on the originals in `evidence.rs`; the conversions below
//! destructure every field, so adding or renaming a field there fails to compile here until the
//! shape is updated. Swap them for `#[cfg_attr(feature = "ts", derive(ts_rs::TS))]` on the
//! originals when convenient.

use assay_evidence::Source;
use chrono::{DateTime, Utc};

use crate::{EvidenceImport, ImportCounts};

#[derive(Debug, ts_rs::TS)]
#[ts(rename = "EvidenceImport")]
pub struct EvidenceImportShape {
    pub id: i64,
    pub source: Source,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub incremental: bool,
    pub counts: ImportCountsShape,
    /// SHA-256 of the project's normalised evidence after this import.
    pub content_hash: String,
    pub watermark: Option<String>,
}

/// What one import found, against what the database already held.
#[derive(Debug, ts_rs::TS)]
#[ts(rename = "ImportCounts")]
pub struct ImportCountsShape {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub datasets: usize,
    pub runs: usize,
    pub model_versions: usize,
    pub edges: usize,
    pub bias_metrics: usize,
    pub unmatched: usize,
}

impl From<EvidenceImport> for EvidenceImportShape {
    fn from(import: EvidenceImport) -> Self {
        let EvidenceImport {
            id,
            source,
            started_at,
            finished_at,
            incremental,
            counts,
            content_hash,
            watermark,
        } = import;
        EvidenceImportShape {
            id,
            source,
            started_at,
            finished_at,
            incremental,
            counts: counts.into(),
            content_hash,
            watermark,
        }
    }
}

impl From<ImportCounts> for ImportCountsShape {
    fn from(counts: ImportCounts) -> Self {
        let ImportCounts {
            new,
            changed,
            unchanged,
            datasets,
            runs,
            model_versions,
            edges,
            bias_metrics,
            unmatched,
        } = counts;
        ImportCountsShape {
            new,
            changed,
            unchanged,
            datasets,
            runs,
            model_versions,
            edges,
            bias_metrics,
            unmatched,
        }
    }
}

//! What an import from any tracker hands back.

use assay_evidence::Snapshot;

/// The result of one import. `W` is the tracker's watermark ([`crate::mlflow::Watermark`],
/// [`crate::wandb::Watermark`]): each tracker pages its runs by its own cursor (MLflow by
/// start time in milliseconds, W&B by a one-second `createdAt` plus the runs seen in that
/// second), and the store keeps it as the JSON the next import of that tracker reads back.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched<W> {
    /// Normalised (sorted, de-duplicated).
    pub snapshot: Snapshot,
    pub watermark: W,
    /// Parts that could not be read but did not stop the import (a report artifact that is
    /// not JSON, an artifact store the server cannot reach, ...). Sorted, each once.
    pub warnings: Vec<String>,
}

impl<W> Fetched<W> {
    /// Normalises the snapshot and sorts the warnings, so that two imports of the same
    /// content compare (and hash) equal whichever tracker they came from. The watermark is
    /// taken from the normalised snapshot: W&B's lists its runs in that order.
    pub(crate) fn new(
        mut snapshot: Snapshot,
        mut warnings: Vec<String>,
        watermark: impl FnOnce(&Snapshot) -> W,
    ) -> Self {
        snapshot.normalise();
        warnings.sort();
        warnings.dedup();
        Fetched {
            watermark: watermark(&snapshot),
            snapshot,
            warnings,
        }
    }
}

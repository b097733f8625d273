//! The audit trail: reading it and checking its hash chain.

use std::collections::BTreeMap;

use assay_store::AuditEvent;
use serde::Serialize;

use crate::{ApiError, Assay, Result};

/// An audit trail that verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditTrail {
    pub events: usize,
    /// Rows whose state is what their last event recorded.
    pub rows_matching: usize,
    /// Rows last written by a bundle import.
    pub rows_from_bundles: usize,
    /// Rows no event describes, per kind: data from before the audit trail existed.
    pub rows_unrecorded: BTreeMap<String, usize>,
    /// Sign-offs whose recorded end of the trail is still in it.
    pub signoffs_checked: usize,
}

impl Assay {
    /// Walks the whole chain, then replays it against the data: a broken link, or a row that is
    /// not what its last event recorded, is an [`ApiError::Tampered`] naming the event or row.
    pub fn verify_audit_trail(&self) -> Result<AuditTrail> {
        let check = self.store.verify_audit_trail()?;
        let edited_banks = self.store.banks_with_wrong_digest()?;
        if !edited_banks.is_empty() {
            return Err(ApiError::Tampered(format!(
                "stored question bank {} was edited: its content no longer matches its SHA-256",
                edited_banks.join(", ")
            )));
        }
        if let Some((seq, problem)) = check.first_broken {
            return Err(ApiError::Tampered(format!(
                "the audit trail is broken: event {seq} of {} {problem}",
                check.events
            )));
        }
        let replay = self.store.replay_audit_trail()?;
        if let Some(mismatch) = replay.first_mismatch {
            return Err(ApiError::Tampered(format!(
                "the data was changed outside Assay: {mismatch}"
            )));
        }
        let signoffs_checked = self.verify_signoff_checkpoints()?;
        Ok(AuditTrail {
            events: check.events,
            signoffs_checked,
            rows_matching: replay.matching,
            rows_from_bundles: replay.from_bundles,
            rows_unrecorded: replay.unrecorded,
        })
    }

    /// The recorded changes to an assessment's answers and votes, oldest first.
    pub fn assessment_history(&self, assessment: &str) -> Result<Vec<AuditEvent>> {
        let current = self.assessment(assessment)?;
        Ok(self.store.audit_events(&format!("{}/", current.id))?)
    }
}

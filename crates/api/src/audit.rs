//! The audit trail: reading it and checking its hash chain.

use assay_store::AuditEvent;
use serde::Serialize;

use crate::{ApiError, Assay, Result};

/// An audit trail that verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditTrail {
    pub events: usize,
}

impl Assay {
    /// Walks the whole chain; a broken link is an [`ApiError::Tampered`] naming the event.
    pub fn verify_audit_trail(&self) -> Result<AuditTrail> {
        let check = self.store.verify_audit_trail()?;
        let edited_banks = self.store.banks_with_wrong_digest()?;
        if !edited_banks.is_empty() {
            return Err(ApiError::Tampered(format!(
                "stored question bank {} was edited: its content no longer matches its SHA-256",
                edited_banks.join(", ")
            )));
        }
        match check.first_broken {
            None => Ok(AuditTrail {
                events: check.events,
            }),
            Some((seq, problem)) => Err(ApiError::Tampered(format!(
                "the audit trail is broken: event {seq} of {} {problem}",
                check.events
            ))),
        }
    }

    /// The recorded changes to an assessment's answers and votes, oldest first.
    pub fn assessment_history(&self, assessment: &str) -> Result<Vec<AuditEvent>> {
        let current = self.assessment(assessment)?;
        Ok(self.store.audit_events(&format!("{}/", current.id))?)
    }
}

//! Sign-off: named, dated approvals of an assessment's report, bound to its data.

use assay_assessment::governance::{Decision, GovernanceError};
use assay_reports::model::{self, SignoffRow};
use assay_store::{SignoffRecord, TrailPoint};
use serde::Serialize;

use crate::actions::{optional_long_text, short_text};
use crate::{Assay, Result};

/// A sign-off with whether the data changed since it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignoffView {
    #[serde(flatten)]
    pub signoff: SignoffRecord,
    /// The decision as reports print it ("Approved with conditions").
    pub decision_label: String,
    pub stale: bool,
    /// Made on an earlier report format, whose data hash today's cannot be compared with; the
    /// sign-off counts as stale, but not because the data changed.
    pub earlier_format: bool,
}

impl SignoffView {
    /// `earlier_format`: given on a model version whose data hash cannot be derived again.
    fn new(signoff: SignoffRecord, stale: bool, earlier_format: bool) -> SignoffView {
        SignoffView {
            decision_label: signoff.decision.label().to_owned(),
            signoff,
            stale: stale || earlier_format,
            earlier_format,
        }
    }
}

impl Assay {
    /// Records a decision on the assessment's report as its data stands now.
    pub fn sign_off(
        &mut self,
        assessment: &str,
        name: &str,
        role: &str,
        decision: Decision,
        comment: &str,
    ) -> Result<SignoffView> {
        let comment = optional_long_text(comment, "comment")?.unwrap_or_default();
        if decision.needs_comment() && comment.is_empty() {
            return Err(GovernanceError::DecisionNeedsComment.into());
        }
        let hashed = self.report_model_unsigned(assessment)?;
        let now = self.clock.now();
        // The trail's end as it stands before this sign-off's own event.
        let facts = &hashed.document;
        let trail = self.trail_point(&facts.assessment_id, &facts.scope)?;
        let record = SignoffRecord {
            id: self.ids.next_id(),
            assessment_id: hashed.document.assessment_id.clone(),
            name: short_text(name, "name")?,
            role: short_text(role, "role")?,
            decision,
            comment,
            signed_on: now.date_naive(),
            data_hash: model::data_hash(&hashed),
            created_at: now,
            // A finalised assessment's kept model may be of an earlier version.
            model_version: hashed.model_version,
            trail,
        };
        self.store.add_signoff(&record, &self.actor)?;
        Ok(SignoffView::new(record, false, false))
    }

    /// The sign-offs of an assessment, oldest first, each marked stale if the data changed since.
    pub fn signoffs(&self, assessment: &str) -> Result<Vec<SignoffView>> {
        let unsigned = self.report_model_unsigned(assessment)?;
        let records = self.store.signoffs(&unsigned.document.assessment_id)?;
        Ok(records
            .into_iter()
            .map(|r| {
                let now = model::data_hash_as(&unsigned, r.model_version);
                let stale = now.as_deref() != Some(r.data_hash.as_str());
                SignoffView::new(r, stale, now.is_none())
            })
            .collect())
    }

    /// Sign-off rows for the report model, with when each was entered and by whom (from the
    /// audit trail).
    pub(crate) fn signoff_rows(&self, assessment_id: &str) -> Result<Vec<(SignoffRow, u32)>> {
        let events = self
            .store
            .audit_events(&format!("{assessment_id}/signoff/"))?;
        Ok(self
            .store
            .signoffs(assessment_id)?
            .into_iter()
            .map(|r| {
                let entity_id = format!("{assessment_id}/signoff/{}", r.id);
                let entered_by = events
                    .iter()
                    .find(|e| e.entity_id == entity_id)
                    .map(|e| e.actor.clone());
                let row = SignoffRow {
                    name: r.name,
                    role: r.role,
                    decision: r.decision.label().to_owned(),
                    date: r.signed_on,
                    comment: r.comment,
                    data_hash: r.data_hash,
                    stale: false,
                    entered_at: Some(r.created_at),
                    entered_by,
                    earlier_format: None,
                    trail: r.trail.map(trail_head),
                };
                (row, r.model_version)
            })
            .collect())
    }
}

/// A point of the trail as reports print it (the origin tells databases apart and is not
/// printed).
pub(crate) fn trail_head(point: TrailPoint) -> model::TrailHead {
    model::TrailHead {
        events: point.events,
        seq: point.seq,
        hash: point.hash,
    }
}

//! Point-in-time approval: finalising an assessment keeps its report model as it stands (so
//! later work in the scope cannot change it) and freezes its answers and votes; reopening is an
//! audited action that makes approvals of the final version visibly superseded.

use assay_reports::model::{self, Finalisation, ReportModel};
use assay_store::FinalState;

use crate::actions::{MAX_LONG_TEXT, check_text};
use crate::{ApiError, Assay, Result};

impl Assay {
    /// Finalises an assessment: its report model is kept as it is now and its answers, votes,
    /// participants and targets can no longer change until it is reopened.
    pub fn finalise_assessment(&mut self, assessment: &str) -> Result<FinalState> {
        let current = self.assessment(assessment)?;
        self.ensure_open(&current.id)?;
        let now = self.clock.now();
        let mut kept = self.report_model_unsigned(&current.id)?;
        kept.document.finalisation = Some(Finalisation {
            is_final: true,
            finalised_at: now,
            finalised_by: self.actor.clone(),
            reopened_at: None,
            reopened_by: None,
            reopen_reason: None,
        });
        let json = String::from_utf8(model::canonical_json(&kept))
            .map_err(|e| ApiError::Internal(format!("report model: {e}")))?;
        let hash = model::data_hash(&kept);
        self.store
            .finalise(&current.id, &json, &hash, now, &self.actor)?;
        self.store
            .final_state(&current.id)?
            .ok_or_else(|| ApiError::Internal("the finalisation was not stored".into()))
    }

    /// Reopens a finalised assessment, with the reason recorded in the audit trail.
    pub fn reopen_assessment(&mut self, assessment: &str, reason: &str) -> Result<FinalState> {
        let current = self.assessment(assessment)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ApiError::Invalid(
                "reopening a finalised assessment needs a reason".into(),
            ));
        }
        check_text(reason, "reason", MAX_LONG_TEXT)?;
        match self.store.final_state(&current.id)? {
            Some(state) if state.is_final => {}
            _ => {
                return Err(ApiError::Invalid(format!(
                    "assessment {} is not finalised, so there is nothing to reopen",
                    current.id
                )));
            }
        }
        self.store
            .reopen(&current.id, reason, self.clock.now(), &self.actor)?;
        self.store
            .final_state(&current.id)?
            .ok_or_else(|| ApiError::Internal("the reopening was not stored".into()))
    }

    /// Whether an assessment (id or unique prefix) is finalised or was reopened; `None` for a
    /// draft that was never finalised.
    pub fn final_state(&self, assessment: &str) -> Result<Option<FinalState>> {
        let current = self.assessment(assessment)?;
        Ok(self.store.final_state(&current.id)?)
    }

    /// Refuses a change to a finalised assessment.
    pub(crate) fn ensure_open(&self, assessment_id: &str) -> Result<()> {
        match self.store.final_state(assessment_id)? {
            Some(state) if state.is_final => Err(ApiError::Finalised(assessment_id.to_owned())),
            _ => Ok(()),
        }
    }

    /// The kept model of a finalised assessment, checked against the hash stored with it;
    /// `None` when the assessment is not final now.
    pub(crate) fn kept_model(&self, assessment_id: &str) -> Result<Option<ReportModel>> {
        let Some(state) = self.store.final_state(assessment_id)? else {
            return Ok(None);
        };
        if !state.is_final {
            return Ok(None);
        }
        let json = self.store.final_model(assessment_id)?.unwrap_or_default();
        let kept: ReportModel = serde_json::from_str(&json).map_err(|e| {
            ApiError::Tampered(format!(
                "the kept report of finalised assessment {assessment_id} cannot be read: {e}"
            ))
        })?;
        if model::data_hash(&kept) != state.model_sha256 {
            return Err(ApiError::Tampered(format!(
                "the kept report of finalised assessment {assessment_id} was edited: it no \
                 longer hashes to the SHA-256 recorded when it was finalised"
            )));
        }
        Ok(Some(kept))
    }
}

/// How a reopened assessment's live report states its finalisation.
pub(crate) fn reopened(state: &FinalState) -> Option<Finalisation> {
    let reopening = state.reopened.as_ref().filter(|_| !state.is_final)?;
    Some(Finalisation {
        is_final: false,
        finalised_at: state.finalised_at,
        finalised_by: state.finalised_by.clone(),
        reopened_at: Some(reopening.at),
        reopened_by: Some(reopening.by.clone()),
        reopen_reason: Some(reopening.reason.clone()),
    })
}

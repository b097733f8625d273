//! Sign-off: named, dated approvals of an assessment's report, bound to its data.

use assay_reports::model::{self, SignoffRow};
use assay_store::SignoffRecord;
use serde::Serialize;

use crate::actions::{optional_long_text, short_text};
use crate::{ApiError, Assay, Result};

const DECISIONS: &[&str] = &["approve", "approve_with_conditions", "reject"];

/// A sign-off with whether the data changed since it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignoffView {
    #[serde(flatten)]
    pub signoff: SignoffRecord,
    pub stale: bool,
}

fn decision_label(decision: &str) -> &'static str {
    match decision {
        "approve" => "Approved",
        "approve_with_conditions" => "Approved with conditions",
        _ => "Rejected",
    }
}

impl Assay {
    /// Records a decision on the assessment's report as its data stands now.
    pub fn sign_off(
        &mut self,
        assessment: &str,
        name: &str,
        role: &str,
        decision: &str,
        comment: &str,
    ) -> Result<SignoffView> {
        let decision = decision
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_");
        if !DECISIONS.contains(&decision.as_str()) {
            return Err(ApiError::Invalid(format!(
                "`{decision}` is not a decision: use approve, approve_with_conditions or reject"
            )));
        }
        let comment = optional_long_text(comment, "comment")?.unwrap_or_default();
        if decision != "approve" && comment.is_empty() {
            return Err(ApiError::Invalid(
                "a conditional approval or a rejection needs a comment".into(),
            ));
        }
        let hashed = self.report_model_unsigned(assessment)?;
        let now = self.clock.now();
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
        };
        self.store.add_signoff(&record, &self.actor)?;
        Ok(SignoffView {
            signoff: record,
            stale: false,
        })
    }

    /// The sign-offs of an assessment, oldest first, each marked stale if the data changed since.
    pub fn signoffs(&self, assessment: &str) -> Result<Vec<SignoffView>> {
        let unsigned = self.report_model_unsigned(assessment)?;
        let current = model::data_hash(&unsigned);
        let records = self.store.signoffs(&unsigned.document.assessment_id)?;
        Ok(records
            .into_iter()
            .map(|r| SignoffView {
                stale: r.data_hash != current,
                signoff: r,
            })
            .collect())
    }

    /// Sign-off rows for the report model.
    pub(crate) fn signoff_rows(&self, assessment_id: &str) -> Result<Vec<SignoffRow>> {
        Ok(self
            .store
            .signoffs(assessment_id)?
            .into_iter()
            .map(|r| SignoffRow {
                name: r.name,
                role: r.role,
                decision: decision_label(&r.decision).to_owned(),
                date: r.signed_on,
                comment: r.comment,
                data_hash: r.data_hash,
                stale: false,
            })
            .collect())
    }
}

//! The ISO/IEC 42001 Statement of Applicability of an assessment: built by the domain rule
//! (`assay_assessment::soa`) from the assessment, its bank's crosswalk, the scope's register
//! and the team's decisions, and exported as HTML, PDF or an Excel workbook.

mod xlsx;

use std::collections::BTreeMap;
use std::path::Path;

use assay_assessment::governance::{Decision, GovernanceError};
use assay_assessment::soa::{self, Driver, SoaDecision, StatementOfApplicability};
use assay_reports::soa::{SoaApproval, SoaDocument};
use assay_store::{ExportKind, SoaApprovalRecord, SoaDecisionRecord};
use serde::Serialize;

use crate::actions::{long_text, optional_long_text, short_text};
use crate::reports::write_atomically;
use crate::{ApiError, Assay, Result};

/// The formats a statement is exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SoaFormat {
    Html,
    Pdf,
    Xlsx,
}

impl SoaFormat {
    pub fn parse(text: &str) -> Result<SoaFormat> {
        match text.trim().to_ascii_lowercase().as_str() {
            "html" => Ok(SoaFormat::Html),
            "pdf" => Ok(SoaFormat::Pdf),
            "xlsx" => Ok(SoaFormat::Xlsx),
            _ => Err(ApiError::Invalid(format!(
                "`{text}` is not a format for the statement: use html, pdf or xlsx"
            ))),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            SoaFormat::Html => "html",
            SoaFormat::Pdf => "pdf",
            SoaFormat::Xlsx => "xlsx",
        }
    }
}

/// Where an exported statement went and the content hash it carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportedSoa {
    pub path: String,
    pub content_hash: String,
}

/// A management approval as the app lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SoaApprovalView {
    pub name: String,
    pub role: String,
    /// In words: "Approved", "Approved with conditions", "Rejected".
    pub decision: String,
    pub comment: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub signed_on: chrono::NaiveDate,
    /// Whether it was given for the statement as it stands now.
    pub current: bool,
}

impl Assay {
    /// The approvals of an assessment's statement, oldest first, each marked current when it
    /// was given for the content as it stands.
    pub fn soa_approvals(&self, assessment: &str) -> Result<Vec<SoaApprovalView>> {
        Ok(self
            .soa_document(assessment)?
            .approvals
            .into_iter()
            .map(|a| SoaApprovalView {
                name: a.name,
                role: a.role,
                decision: a.decision,
                comment: a.comment,
                signed_on: a.signed_on,
                current: a.current,
            })
            .collect())
    }

    /// The statement of an assessment as it stands.
    pub fn statement_of_applicability(&self, assessment: &str) -> Result<StatementOfApplicability> {
        Ok(self.soa_document(assessment)?.soa)
    }

    /// The statement with what identifies it, as the exports draw it.
    pub fn soa_document(&self, assessment: &str) -> Result<SoaDocument> {
        let current = self.assessment(assessment)?;
        let bank = self.bank_for(&current)?;
        let items = self.store.list_items(Some(&current.scope))?;
        let decisions = self
            .store
            .soa_decisions(&current.id)?
            .into_iter()
            .map(|(control, record)| Ok((control, decision_of(record)?)))
            .collect::<Result<BTreeMap<_, _>>>()?;
        let statement = soa::statement_of_applicability(&bank.bank, &current, &items, &decisions)
            .ok_or_else(|| {
            ApiError::Invalid(format!(
                "the bank {}@{} has no ISO/IEC 42001 catalogue to build a statement from",
                bank.bank.id, bank.bank.version
            ))
        })?;
        let mut doc = SoaDocument {
            assessment_id: current.id.clone(),
            scope: current.scope.clone(),
            title: current.title.clone(),
            assessed_on: current.assessed_on,
            bank: format!("{}@{}", bank.bank.id, bank.bank.version),
            rule: soa::rule_in_words(statement.threshold),
            soa: statement,
            approvals: Vec::new(),
            generated_at: self.clock.now(),
        };
        let hash = doc.content_hash();
        doc.approvals = self
            .store
            .soa_approvals(&current.id)?
            .into_iter()
            .map(|a| SoaApproval {
                current: a.content_sha256 == hash,
                decision: Decision::parse(&a.decision)
                    .map(|d| d.label().to_owned())
                    .unwrap_or(a.decision),
                name: a.name,
                role: a.role,
                comment: a.comment,
                signed_on: a.signed_on,
            })
            .collect();
        Ok(doc)
    }

    /// Records the team's decision for one control (`None`: back to Assay's proposal) and
    /// returns the statement as it now stands. An exclusion needs a justification.
    pub fn set_soa_decision(
        &mut self,
        assessment: &str,
        control: &str,
        decision: Option<SoaDecision>,
    ) -> Result<StatementOfApplicability> {
        let current = self.soa_document(assessment)?;
        self.ensure_open(&current.assessment_id)?;
        let control = current
            .soa
            .rows
            .iter()
            .find(|r| r.control.eq_ignore_ascii_case(control.trim()))
            .map(|r| r.control.clone())
            .ok_or_else(|| {
                ApiError::Invalid(format!(
                    "`{}` is not an ISO/IEC 42001 Annex A control of this bank's catalogue",
                    control.trim()
                ))
            })?;
        let record = decision.map(checked).transpose()?;
        self.store.set_soa_decision(
            &current.assessment_id,
            &control,
            record.as_ref(),
            self.clock.now(),
            &self.actor,
        )?;
        self.statement_of_applicability(&current.assessment_id)
    }

    /// Records management's approval of the statement as it stands now, bound to its content
    /// hash: a later change to the statement leaves the approval standing for the earlier
    /// content only. Returns the statement's document with the approval in it.
    pub fn approve_soa(
        &mut self,
        assessment: &str,
        name: &str,
        role: &str,
        decision: Decision,
        comment: &str,
    ) -> Result<SoaDocument> {
        let comment = optional_long_text(comment, "comment")?.unwrap_or_default();
        if decision.needs_comment() && comment.is_empty() {
            return Err(GovernanceError::DecisionNeedsComment.into());
        }
        let doc = self.soa_document(assessment)?;
        let now = self.clock.now();
        let record = SoaApprovalRecord {
            id: self.ids.next_id(),
            assessment_id: doc.assessment_id.clone(),
            name: short_text(name, "name")?,
            role: short_text(role, "role")?,
            decision: decision.as_str().to_owned(),
            comment,
            signed_on: now.date_naive(),
            content_sha256: doc.content_hash(),
            created_at: now,
        };
        self.store.add_soa_approval(&record, &self.actor)?;
        self.soa_document(&doc.assessment_id)
    }

    /// The file name an export of the statement is offered under:
    /// `<title> <date> Statement of Applicability.<ext>`.
    pub fn soa_file_name(&self, assessment: &str, format: SoaFormat) -> Result<String> {
        let assessment = self.assessment(assessment)?;
        let stem = crate::reports::file_stem(&format!(
            "{} {} Statement of Applicability",
            assessment.title, assessment.assessed_on
        ));
        Ok(format!("{stem}.{}", format.extension()))
    }

    /// Writes the statement to `out` (replaced only once complete).
    pub fn export_soa(
        &self,
        assessment: &str,
        format: SoaFormat,
        out: &Path,
    ) -> Result<ExportedSoa> {
        let doc = self.soa_document(assessment)?;
        let bytes = match format {
            SoaFormat::Html => assay_reports::soa::html::render(&doc)
                .map_err(|e| ApiError::Internal(e.to_string()))?
                .into_bytes(),
            SoaFormat::Pdf => assay_reports::soa::pdf::render(&doc)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
            SoaFormat::Xlsx => xlsx::write(&doc)?,
        };
        write_atomically(out, &bytes)?;
        let path = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        let content_hash = doc.content_hash();
        self.log_export(
            &doc.assessment_id,
            ExportKind::Soa,
            format.extension(),
            &path,
            &content_hash,
        )?;
        Ok(ExportedSoa {
            path: path.display().to_string(),
            content_hash,
        })
    }
}

/// A decision as typed, checked: texts within limits, an exclusion justified, drivers once.
fn checked(decision: SoaDecision) -> Result<SoaDecisionRecord> {
    let justification = if decision.included {
        crate::actions::optional_long_text(&decision.justification, "justification")?
            .unwrap_or_default()
    } else {
        long_text(&decision.justification, "the justification of an exclusion")?
    };
    let owner = match decision.owner.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(owner) => Some(short_text(owner, "owner")?),
    };
    let mut drivers = decision.drivers;
    drivers.sort_unstable();
    drivers.dedup();
    Ok(SoaDecisionRecord {
        included: decision.included,
        justification,
        drivers: serde_json::to_string(&drivers).map_err(|e| ApiError::Internal(e.to_string()))?,
        owner,
    })
}

fn decision_of(record: SoaDecisionRecord) -> Result<SoaDecision> {
    let drivers: Vec<Driver> = serde_json::from_str(&record.drivers).map_err(|e| {
        ApiError::Internal(format!("a stored statement decision is unreadable: {e}"))
    })?;
    Ok(SoaDecision {
        included: record.included,
        justification: record.justification,
        drivers,
        owner: record.owner,
    })
}

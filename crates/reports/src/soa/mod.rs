//! The ISO/IEC 42001 Statement of Applicability as a document: the rows the domain rule builds
//! (`assay_assessment::soa`), the assessment they belong to, and a content hash over both that
//! approvals are bound to. Rendered as self-contained HTML ([`html`]) and as PDF ([`pdf`]).

pub mod html;
pub mod pdf;

use crate::model::sha256_hex;
use assay_assessment::soa::StatementOfApplicability;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Everything the document shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoaDocument {
    pub assessment_id: String,
    pub scope: String,
    pub title: String,
    pub assessed_on: NaiveDate,
    /// `id@version` of the bank whose crosswalk maps questions to controls.
    pub bank: String,
    pub soa: StatementOfApplicability,
    /// The rule that built it, in words, printed with it.
    pub rule: Vec<String>,
    /// Approvals recorded for this content.
    pub approvals: Vec<SoaApproval>,
    /// When the file was made: carried with the data so that the file can be drawn again to
    /// verify it, but not part of the content hash.
    pub generated_at: DateTime<Utc>,
}

/// A management approval of the statement, bound to the content hash it was given for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoaApproval {
    pub name: String,
    pub role: String,
    pub decision: String,
    pub comment: String,
    pub signed_on: NaiveDate,
    /// Whether the content hash it was given for is this document's.
    pub current: bool,
}

impl SoaDocument {
    /// SHA-256 (hex) of the content: the assessment, bank and rows, not the approvals (they
    /// approve it) nor the time the file was made.
    pub fn content_hash(&self) -> String {
        #[derive(Serialize)]
        struct Content<'a> {
            assessment_id: &'a str,
            scope: &'a str,
            title: &'a str,
            assessed_on: NaiveDate,
            bank: &'a str,
            soa: &'a StatementOfApplicability,
        }
        let content = Content {
            assessment_id: &self.assessment_id,
            scope: &self.scope,
            title: &self.title,
            assessed_on: self.assessed_on,
            bank: &self.bank,
            soa: &self.soa,
        };
        // Struct fields serialise in declaration order and maps are ordered: the bytes are
        // canonical for the same content.
        let bytes = serde_json::to_vec(&content).unwrap_or_default();
        sha256_hex(&bytes)
    }
}

/// The text a reader of either format sees about what the document is and is not.
pub(crate) const LABELS_NOTE: &str = "Control ids are those of ISO/IEC 42001:2023 Annex A. The \
    short titles are Assay's own labels for each control's topic, not the standard's wording: \
    read the standard for what a control requires.";

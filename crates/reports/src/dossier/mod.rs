//! A draft of the technical documentation the EU AI Act asks of a high-risk AI system
//! (Regulation (EU) 2024/1689, Annex IV), pre-filled from what Assay holds about a scope: the
//! assessment and its answers, the tracker evidence (lineage, metrics, fairness figures), the
//! register, the history and audit trail, sign-offs and report exports, and the ISO/IEC 42001
//! Statement of Applicability. Every point Assay cannot know is marked for the provider.
//!
//! The document is built once from [`DossierFacts`] ([`build()`]) as sections of parts made of
//! generic blocks, so the two renderers ([`html`], [`pdf`]) draw the same content and neither
//! decides what goes where.

mod annex;
mod blocks;
mod build;
mod development;
pub mod html;
mod lifecycle;
pub mod pdf;
mod performance;

use crate::model::sha256_hex;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use build::{
    DossierFacts, ExportFact, ImportFact, SignoffFact, SoaFact, TrackerProject, TrailFacts, build,
};

/// The words that mark what only the provider can supply, wherever it is missing.
pub const PROVIDER: &str = "To be completed by the provider";

/// What the document is and is not, on its first page.
pub const DRAFT_NOTICE: &str = "DRAFT. Assay drew this document up from the records it holds \
    about the system. It is meant to support the technical documentation that the provider of \
    a high-risk AI system must draw up and keep current, not to replace it. Parts marked \"To be \
    completed by the provider\" need the provider's own content; the facts Assay filled in need \
    the provider's check before they are relied on.";

/// The running header and footer of every page say the same.
pub const DRAFT_RUNNING: &str = "DRAFT: supports, does not replace, the provider's documentation";

/// Everything the document shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DossierDocument {
    pub assessment_id: String,
    /// The AI system as Assay knows it: the assessment's scope.
    pub scope: String,
    pub title: String,
    pub assessed_on: NaiveDate,
    /// `id@version` of the assessment's bank.
    pub bank: String,
    /// The records the draft was drawn from, with the hashes that identify them.
    pub records: Vec<Fact>,
    /// The nine sections of Annex IV, in its order.
    pub sections: Vec<Section>,
    /// When the file was made: carried with the data so that the file can be drawn again to
    /// verify it, but not part of the content hash.
    pub generated_at: DateTime<Utc>,
}

/// One section of Annex IV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub number: u8,
    pub title: String,
    /// What the Annex asks for in this section, in Assay's words.
    pub asks: String,
    pub parts: Vec<Part>,
}

/// One point of a section: what Assay filled, where each fact came from, and what the
/// provider still has to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// The point of the Annex, e.g. `2(d)`; the part that lists the assessment's findings has
    /// the section's number alone.
    pub point: String,
    pub title: String,
    /// What Assay drew from its records, in reading order; empty when it holds nothing.
    pub filled: Vec<Block>,
    /// Where the facts above came from.
    pub sources: Vec<String>,
    /// What the provider must add; empty when Assay's records answer the point.
    pub provider: Vec<String>,
}

impl Part {
    /// Whether Assay put facts into this part (a note that it holds none does not count).
    pub fn has_facts(&self) -> bool {
        self.filled
            .iter()
            .any(|b| !matches!(b, Block::Nothing { .. }))
    }
}

/// A piece of filled content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A sentence that frames the facts after it.
    Text { text: String },
    /// Labelled values; a value Assay cannot know is `None` and shows as [`PROVIDER`].
    Facts { rows: Vec<Fact> },
    /// A table; `widths` are percentages of the text width, one per column.
    Table {
        columns: Vec<String>,
        widths: Vec<u8>,
        rows: Vec<Vec<String>>,
    },
    /// Assay holds nothing for this point, and why (with what would fill it).
    Nothing { text: String },
}

/// A labelled value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub label: String,
    pub value: Option<String>,
}

impl Fact {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Fact {
        Fact {
            label: label.into(),
            value: Some(value.into()),
        }
    }

    /// A field only the provider can fill.
    pub fn provider(label: impl Into<String>) -> Fact {
        Fact {
            label: label.into(),
            value: None,
        }
    }
}

/// One line of the overview: what a section holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub number: u8,
    pub title: String,
    /// Points Assay put facts into, e.g. `2(a), 2(d), 2(g), assessment findings`; empty when
    /// none.
    pub filled: String,
    /// How many items the provider must add.
    pub provider_items: usize,
}

impl DossierDocument {
    /// SHA-256 (hex) of the content: everything but the time the file was made.
    pub fn content_hash(&self) -> String {
        // Struct fields serialise in declaration order and every list is built in a fixed
        // order: the bytes are canonical for the same content.
        #[derive(Serialize)]
        struct Content<'a> {
            assessment_id: &'a str,
            scope: &'a str,
            title: &'a str,
            assessed_on: NaiveDate,
            bank: &'a str,
            records: &'a [Fact],
            sections: &'a [Section],
        }
        let content = Content {
            assessment_id: &self.assessment_id,
            scope: &self.scope,
            title: &self.title,
            assessed_on: self.assessed_on,
            bank: &self.bank,
            records: &self.records,
            sections: &self.sections,
        };
        sha256_hex(&serde_json::to_vec(&content).unwrap_or_default())
    }

    /// Per section, which points Assay filled and how much is left to the provider.
    pub fn overview(&self) -> Vec<Overview> {
        self.sections
            .iter()
            .map(|s| Overview {
                number: s.number,
                title: s.title.clone(),
                filled: {
                    let mut points: Vec<&str> = Vec::new();
                    for part in s.parts.iter().filter(|p| p.has_facts()) {
                        let point = if part.point.is_empty() {
                            "assessment findings"
                        } else {
                            part.point.as_str()
                        };
                        if !points.contains(&point) {
                            points.push(point);
                        }
                    }
                    points.join(", ")
                },
                provider_items: s.parts.iter().map(|p| p.provider.len()).sum(),
            })
            .collect()
    }

    /// Every item left to the provider, with its point, in the document's order.
    pub fn checklist(&self) -> Vec<(String, String)> {
        self.sections
            .iter()
            .flat_map(|s| &s.parts)
            .flat_map(|p| {
                p.provider
                    .iter()
                    .map(|item| (p.point.clone(), item.clone()))
            })
            .collect()
    }
}

//! Machine-readable audit deliverables in other tools' formats: a model card as a CycloneDX
//! ML-BOM (with a readable HTML rendering of the same card), and an assessment and its question
//! bank as NIST OSCAL assessment results and catalog.
//!
//! Every export is a pure function of the stored data and the clock: ids are name-based (v5)
//! UUIDs derived from stable ids, lists keep the order of the data they come from, and numbers
//! are written the one way Rust writes them, so the same data exports to the same bytes.

mod card_html;
mod cyclonedx;
mod model_card;
mod oscal;
mod oscal_catalog;
mod oscal_values;
mod text;

use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub use model_card::{
    APPROACH_TAGS, CardDataset, CardFairness, CardFormat, CardMetric, CardProvenance, CardRun,
    ModelCard, TASK_TAGS,
};
pub use oscal_values::OSCAL_VERSION;

use crate::{Assay, Result};

/// The namespace of the properties Assay adds to OSCAL documents (OSCAL asks for one on every
/// property it does not define itself). Assay has no web address of its own, so a URN names it
/// without claiming one.
pub const OSCAL_NAMESPACE: &str = "urn:assay:oscal";

/// A document written to a file: where, what it is, and what identifies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InteropExport {
    pub path: String,
    /// What was written, e.g. "CycloneDX 1.6 model card".
    pub kind: String,
    /// The document's own id: a CycloneDX serial number or an OSCAL document UUID.
    pub id: String,
    /// SHA-256 of the bytes written.
    pub sha256: String,
}

/// A rendered document before it is written anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteropDocument {
    pub text: String,
    pub kind: String,
    pub id: String,
}

impl InteropDocument {
    /// Writes the document to `out` (replacing a file only once the new one is complete).
    fn write(self, out: &Path) -> Result<InteropExport> {
        crate::reports::write_atomically(out, self.text.as_bytes())?;
        let path = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        Ok(InteropExport {
            path: path.display().to_string(),
            kind: self.kind,
            id: self.id,
            sha256: format!("{:x}", Sha256::digest(self.text.as_bytes())),
        })
    }
}

/// A name-based (v5) UUID for `name` within Assay's namespace: the same name always gives the
/// same UUID, which is what makes the exports reproducible.
pub(crate) fn stable_uuid(name: &str) -> Uuid {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, OSCAL_NAMESPACE.as_bytes());
    Uuid::new_v5(&namespace, name.as_bytes())
}

/// A time as both formats write it: RFC 3339 in UTC, to the second.
pub(crate) fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Documents are written as pretty JSON with a final newline. Serialising a tree of strings,
/// numbers and maps cannot fail.
pub(crate) fn pretty_json(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

impl Assay {
    /// The model card of one registered model version, read from the tracker evidence linked
    /// to `scope`, rendered as a CycloneDX 1.6 ML-BOM or as self-contained HTML.
    pub fn render_model_card(
        &self,
        scope: &str,
        model: &str,
        version: &str,
        format: CardFormat,
    ) -> Result<InteropDocument> {
        let card = self.model_card(scope, model, version)?;
        let bom = cyclonedx::bom(&card);
        match format {
            CardFormat::Json => Ok(InteropDocument {
                text: pretty_json(&bom),
                kind: "CycloneDX 1.6 model card".into(),
                id: card.serial,
            }),
            CardFormat::Html => Ok(InteropDocument {
                text: card_html::render(&card)?,
                kind: "HTML model card".into(),
                id: card.serial,
            }),
        }
    }

    /// The file name a model card is offered under: `<model> v<version> model card.<ext>`,
    /// with the characters that file systems refuse replaced. The version reads the same
    /// written with or without its leading `v`.
    pub fn model_card_file_name(model: &str, version: &str, format: CardFormat) -> String {
        let version = version.trim().trim_start_matches(['v', 'V']);
        let stem = crate::reports::file_stem(&format!("{} v{version} model card", model.trim()));
        format!("{stem}.{}", format.extension())
    }

    /// The file name an assessment's OSCAL results are offered under:
    /// `<title> <date> OSCAL assessment results.json`.
    pub fn oscal_results_file_name(&self, assessment: &str) -> Result<String> {
        let assessment = self.assessment(assessment)?;
        let stem = crate::reports::file_stem(&format!(
            "{} {} OSCAL assessment results",
            assessment.title, assessment.assessed_on
        ));
        Ok(format!("{stem}.json"))
    }

    /// [`Assay::render_model_card`], written to `out`.
    pub fn export_model_card(
        &self,
        scope: &str,
        model: &str,
        version: &str,
        format: CardFormat,
        out: &Path,
    ) -> Result<InteropExport> {
        self.render_model_card(scope, model, version, format)?
            .write(out)
    }

    /// [`Assay::render_oscal_results`], written to `out`.
    pub fn export_oscal_results(&self, assessment: &str, out: &Path) -> Result<InteropExport> {
        self.render_oscal_results(assessment)?.write(out)
    }

    /// [`Assay::render_oscal_catalog`], written to `out`.
    pub fn export_oscal_catalog(&self, bank: Option<&str>, out: &Path) -> Result<InteropExport> {
        self.render_oscal_catalog(bank)?.write(out)
    }
}

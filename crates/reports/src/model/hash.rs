//! The model's canonical JSON and the hashes drawn from it: the content hash a report carries,
//! and the data hash a sign-off binds to.

use sha2::{Digest, Sha256};

use super::schema::ReportModel;

/// The model with its SHA-256 content hash (hex).
#[derive(Debug, Clone, PartialEq)]
pub struct HashedModel {
    pub model: ReportModel,
    pub content_hash: String,
}

impl HashedModel {
    pub fn new(model: ReportModel) -> HashedModel {
        let content_hash = content_hash(&model);
        HashedModel {
            model,
            content_hash,
        }
    }

    /// "ASSAY-<first 8 of the assessment id>-<first 8 of the hash>", upper case.
    pub fn document_id(&self) -> String {
        let id: String = self
            .model
            .document
            .assessment_id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect();
        format!("ASSAY-{}-{}", id, &self.content_hash[..8]).to_ascii_uppercase()
    }
}

/// The canonical JSON of a model: compact, fields in declaration order.
pub fn canonical_json(model: &ReportModel) -> Vec<u8> {
    // Serialising plain structs, vectors and strings cannot fail.
    serde_json::to_vec(model).unwrap_or_default()
}

pub fn content_hash(model: &ReportModel) -> String {
    sha256_hex(&canonical_json(model))
}

/// SHA-256 of `bytes` in lowercase hex: every content hash a document carries.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The hash a sign-off binds to: the model's content without its sign-offs, so that signing
/// does not itself change what was signed, and without the audit trail's end, which belongs to
/// the database the report was made in: an assessment moved in a bundle keeps its approvals.
pub fn data_hash(model: &ReportModel) -> String {
    let mut unsigned = model.clone();
    unsigned.signoffs.clear();
    unsigned.document.trail = None;
    content_hash(&unsigned)
}

/// The data hash `model` would have had in the earlier model `version`, for a sign-off given
/// then: the same data without what later versions added. `None` when that version's data
/// cannot be derived (version 1 laid out findings differently).
pub fn data_hash_as(model: &ReportModel, version: u32) -> Option<String> {
    if version == model.model_version {
        return Some(data_hash(model));
    }
    if version < 2 || version > model.model_version {
        return None;
    }
    let mut earlier = model.clone();
    // Each step takes away what one version added, newest first.
    if earlier.model_version == 4 {
        earlier.model_version = 3;
        earlier.tracked = None;
        earlier.roadmap = None;
        earlier.stale_evidence = Vec::new();
        for framework in &mut earlier.crosswalk {
            framework.unmapped_clauses = None;
        }
    }
    if earlier.model_version == 3 && version == 2 {
        earlier.model_version = 2;
        earlier.document.facilitator = None;
        for finding in earlier
            .pillars
            .iter_mut()
            .flat_map(|p| p.areas.iter_mut())
            .flat_map(|a| a.findings.iter_mut())
        {
            finding.note_review = None;
        }
        if let Some(changes) = earlier.changes.as_mut() {
            changes.votes_cast = None;
            changes.notes_to_review = None;
        }
    }
    (earlier.model_version == version).then(|| data_hash(&earlier))
}

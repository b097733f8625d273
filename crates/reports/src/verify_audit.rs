//! Checking a Statement of Applicability or an Annex IV draft PDF against the data attached to
//! it, the way [`crate::verify`] checks a report: the data must hash to the content hash the
//! file records, and drawing the document again from that data must give the same bytes.

use serde_json::Value;

use crate::dossier::DossierDocument;
use crate::pdf::assemble;
use crate::soa::SoaDocument;
use crate::verify::VerifyError;

/// An audit document read back from its file.
#[derive(Debug, Clone, PartialEq)]
pub enum AuditDocument {
    Statement(Box<SoaDocument>),
    Dossier(Box<DossierDocument>),
}

impl AuditDocument {
    /// What the document is, in words.
    pub fn kind(&self) -> &'static str {
        match self {
            AuditDocument::Statement(_) => "Statement of Applicability",
            AuditDocument::Dossier(_) => "Annex IV draft",
        }
    }

    pub fn assessment_id(&self) -> &str {
        match self {
            AuditDocument::Statement(doc) => &doc.assessment_id,
            AuditDocument::Dossier(doc) => &doc.assessment_id,
        }
    }

    pub fn content_hash(&self) -> String {
        match self {
            AuditDocument::Statement(doc) => doc.content_hash(),
            AuditDocument::Dossier(doc) => doc.content_hash(),
        }
    }

    fn render_pdf(&self) -> Result<Vec<u8>, VerifyError> {
        let rendered = match self {
            AuditDocument::Statement(doc) => crate::soa::pdf::render(doc),
            AuditDocument::Dossier(doc) => crate::dossier::pdf::render(doc),
        };
        rendered.map_err(|e| VerifyError::Render(e.into()))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum AuditVerdict {
    /// The data matches its hash and the file is exactly what that data draws.
    Intact {
        content_hash: String,
        document: AuditDocument,
    },
    /// The attached data no longer matches the hash recorded with it.
    DataAltered {
        kind: &'static str,
        recorded: String,
        recomputed: String,
    },
    /// The data is intact but the rest of the file was changed after it was made.
    ContentAltered {
        kind: &'static str,
        content_hash: String,
    },
}

/// Verifies a PDF that carries a Statement of Applicability or an Annex IV draft; `None` when
/// the file is something else (a report, or not an Assay document), for [`crate::verify`] to
/// judge.
pub fn verify_audit_document(bytes: &[u8]) -> Result<Option<AuditVerdict>, VerifyError> {
    if !bytes.starts_with(b"%PDF-") {
        return Ok(None);
    }
    let Some(data) = assemble::read_report_data(bytes).map_err(VerifyError::BadData)? else {
        return Ok(None);
    };
    let Ok(value) = serde_json::from_slice::<Value>(&data.json) else {
        return Ok(None);
    };
    let bad = |e: serde_json::Error| VerifyError::BadData(e.to_string());
    let document = if value.get("soa").is_some() && value.get("rule").is_some() {
        AuditDocument::Statement(Box::new(serde_json::from_value(value).map_err(bad)?))
    } else if value.get("sections").is_some() && value.get("records").is_some() {
        AuditDocument::Dossier(Box::new(serde_json::from_value(value).map_err(bad)?))
    } else {
        return Ok(None);
    };
    let kind = document.kind();
    let recomputed = document.content_hash();
    if recomputed != data.content_hash {
        return Ok(Some(AuditVerdict::DataAltered {
            kind,
            recorded: data.content_hash,
            recomputed,
        }));
    }
    if document.render_pdf()? != bytes {
        return Ok(Some(AuditVerdict::ContentAltered {
            kind,
            content_hash: recomputed,
        }));
    }
    Ok(Some(AuditVerdict::Intact {
        content_hash: recomputed,
        document,
    }))
}

//! `assay dossier`: the EU AI Act Annex IV technical documentation draft of an assessment,
//! written as HTML or PDF.

use std::path::Path;

use assay_api::{ApiError, Assay, ReportFormat};

use crate::output::Output;

pub fn run(
    assay: &Assay,
    assessment: &str,
    format: Option<&str>,
    file: &Path,
    out: &mut Output,
) -> Result<(), ApiError> {
    let format = ReportFormat::parse(format.unwrap_or_else(|| {
        file.extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
    }))?;
    let exported = assay.export_dossier(assessment, format, file)?;
    out.line(&format!(
        "wrote {} (DRAFT Annex IV technical documentation, content SHA-256 {})",
        exported.path, exported.content_hash
    ))
}

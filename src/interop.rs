//! `assay model-card` and `assay oscal ...`: exports in other tools' formats, written to a file
//! or, without `--out`, to standard output so they can be piped.

use std::path::PathBuf;

use assay_api::{ApiError, Assay, CardFormat, InteropDocument, InteropExport};

use crate::args::OscalCommand;
use crate::output::Output;

pub fn model_card(
    assay: &Assay,
    scope: &str,
    model: &str,
    version: &str,
    format: &str,
    file: Option<PathBuf>,
    out: &mut Output,
) -> Result<(), ApiError> {
    let format = CardFormat::parse(format)?;
    match file {
        Some(file) => written(
            out,
            &assay.export_model_card(scope, model, version, format, &file)?,
        ),
        None => printed(out, assay.render_model_card(scope, model, version, format)?),
    }
}

pub fn oscal(assay: &Assay, command: OscalCommand, out: &mut Output) -> Result<(), ApiError> {
    match command {
        OscalCommand::Results {
            assessment,
            out: Some(file),
        } => written(out, &assay.export_oscal_results(&assessment, &file)?),
        OscalCommand::Results {
            assessment,
            out: None,
        } => printed(out, assay.render_oscal_results(&assessment)?),
        OscalCommand::Catalog {
            bank,
            out: Some(file),
        } => written(out, &assay.export_oscal_catalog(bank.as_deref(), &file)?),
        OscalCommand::Catalog { bank, out: None } => {
            printed(out, assay.render_oscal_catalog(bank.as_deref())?)
        }
    }
}

fn written(out: &mut Output, export: &InteropExport) -> Result<(), ApiError> {
    out.line(&format!(
        "wrote {} ({}, {}, SHA-256 {})",
        export.path, export.kind, export.id, export.sha256
    ))
}

/// The document exactly as it would be written to a file (it ends with its own newline).
fn printed(out: &mut Output, document: InteropDocument) -> Result<(), ApiError> {
    out.line(document.text.trim_end_matches('\n'))
}

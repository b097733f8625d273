//! The PDF report: the report model laid out section by section with [`super::layout`].
//!
//! The section order and titles are the HTML report's ([`crate::html::SECTIONS`]). The
//! contents page lists page numbers, so the document is laid out twice: once to learn on
//! which page each section starts, then for real (layout is cheap next to saving the file).

use std::collections::BTreeMap;

use crate::html::SECTIONS;
use crate::model::{HashedModel, Reading, ReportModel};

use super::assemble::ReportData;
use super::fonts::TextEngine;
use super::layout::{Document, DocumentInfo, PdfError, Running};
use super::sections;

/// Lays out and saves the PDF report; the same model always gives the same bytes.
pub fn render(hashed: &HashedModel) -> Result<Vec<u8>, PdfError> {
    render_with(hashed, TextEngine::default())
}

/// [`render`] with text set by `engine`: [`TextEngine::DejaVuOnly`] gives the bytes reports
/// had before the fallback font, for verifying those files.
pub fn render_with(hashed: &HashedModel, engine: TextEngine) -> Result<Vec<u8>, PdfError> {
    // What version 2 reports derive for the reader, once for both layout passes; version 1
    // reports have none and are laid out as they were.
    let reading = (hashed.model.model_version >= 2).then(|| Reading::of(&hashed.model));
    let reading = reading.as_ref();
    let first = compose(hashed, reading, &BTreeMap::new(), engine);
    let pages: BTreeMap<String, usize> = first
        .outline_pages()
        .into_iter()
        .filter_map(|(title, page)| {
            SECTIONS
                .iter()
                .find(|(_, t)| *t == title)
                .map(|(id, _)| ((*id).to_owned(), page))
        })
        .collect();
    compose(hashed, reading, &pages, engine).finish()
}

fn compose(
    hashed: &HashedModel,
    reading: Option<&Reading>,
    section_pages: &BTreeMap<String, usize>,
    engine: TextEngine,
) -> Document {
    let model = &hashed.model;
    let document_id = hashed.document_id();
    let running = running(model, &document_id);
    let mut doc = Document::with_engine(info(hashed), running, engine);
    sections::cover(&mut doc, hashed, &document_id, reading);
    sections::contents(&mut doc, section_pages);
    match reading {
        Some(reading) => sections::summary(&mut doc, model, reading),
        None => sections::v1::summary(&mut doc, model),
    }
    sections::method(&mut doc, model, reading);
    match reading {
        Some(reading) => sections::findings(&mut doc, model, reading),
        None => sections::v1::findings(&mut doc, model),
    }
    sections::evidence(&mut doc, model, reading);
    sections::governance(&mut doc, model);
    match reading {
        Some(_) => sections::crosswalk(&mut doc, model),
        None => sections::v1::crosswalk(&mut doc, model),
    }
    sections::signoff(&mut doc, model);
    sections::appendix(&mut doc, hashed, reading);
    doc
}

fn info(hashed: &HashedModel) -> DocumentInfo {
    let facts = &hashed.model.document;
    DocumentInfo {
        title: facts.title.clone(),
        author: hashed
            .model
            .participants
            .first()
            .map_or_else(|| facts.scope.clone(), |p| p.name.clone()),
        subject: format!(
            "{} - {} ({})",
            facts.scope, facts.assessment_title, facts.assessed_on
        ),
        keywords: vec![
            "MLOps".into(),
            "maturity assessment".into(),
            "audit".into(),
            facts.scope.clone(),
            format!("sha256:{}", hashed.content_hash),
        ],
        creator: facts.generator.clone(),
        producer: facts.generator.clone(),
        created: facts.created_at,
        modified: facts.updated_at,
        document_id: hashed.content_hash.clone(),
        report_data: Some(ReportData {
            json: crate::model::canonical_json(&hashed.model),
            content_hash: hashed.content_hash.clone(),
        }),
    }
}

fn running(model: &ReportModel, document_id: &str) -> Running {
    Running {
        header_left: model.document.title.clone(),
        header_right: model.document.assessed_on.to_string(),
        footer_left: document_id.to_owned(),
    }
}

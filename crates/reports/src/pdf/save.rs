//! Writing laid-out pages as a PDF file: printpdf turns the pages, fonts and metadata into a
//! document, then the last pass ([`super::assemble`]) adds the outline and the report's data
//! and compresses it. Nothing here reads the clock or a process-wide counter, so the same
//! pages give the same bytes.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use lopdf::{Object, StringFormat};
use printpdf::{OffsetDateTime, PdfDocument, PdfPage, PdfParseErrorSeverity, PdfSaveOptions};

use super::assemble::{self, ReportData};
use super::chart_ops;
use super::error::PdfError;
use super::fonts::FontHandles;
use super::page::Bookmark;

/// The document information dictionary and the trailer id.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentInfo {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    pub creator: String,
    pub producer: String,
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
    /// Hex digits (the report's content hash); becomes the trailer `/ID` and seeds the font
    /// subset tags.
    pub document_id: String,
    /// The report's data, attached to the file for `assay verify` (see [`super::assemble`]).
    pub report_data: Option<ReportData>,
}

/// The PDF of `pages` drawn with `fonts` (the fallback face only if `uses_fallback`):
/// `alphas` are the fill opacities (thousandths) the pages use, `outline` the bookmarks in
/// reading order.
pub(super) fn write(
    info: &DocumentInfo,
    pages: Vec<PdfPage>,
    fonts: &FontHandles,
    uses_fallback: bool,
    alphas: &BTreeSet<u16>,
    outline: &[Bookmark],
) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(&info.title);
    fonts.embed(&mut doc, uses_fallback)?;
    for &milli in alphas {
        let (id, gs) = (
            chart_ops::alpha_state_id(milli),
            chart_ops::alpha_state(milli),
        );
        doc.resources.extgstates.map.insert(id, gs);
    }
    let meta = &mut doc.metadata.info;
    meta.author = info.author.clone();
    meta.subject = info.subject.clone();
    meta.keywords = vec![info.keywords.join(", ")];
    meta.creator = info.creator.clone();
    meta.producer = info.producer.clone();
    meta.identifier = info.document_id.clone();
    meta.creation_date = pdf_date(info.created)?;
    meta.modification_date = pdf_date(info.modified)?;
    meta.metadata_date = meta.modification_date;
    doc.pages = pages;

    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    if let Some(e) = warnings
        .iter()
        .find(|w| w.severity == PdfParseErrorSeverity::Error)
    {
        return Err(PdfError::Render(e.msg.clone()));
    }
    // Transparency (ExtGState /ca) needs PDF 1.4.
    lo.version = "1.4".into();
    let id = Object::String(
        assemble::id_bytes(&info.document_id),
        StringFormat::Hexadecimal,
    );
    lo.trailer.set("ID", vec![id.clone(), id]);
    // printpdf writes an empty PDF/X version key; this document claims no PDF/X.
    if let Ok(info_id) = lo.trailer.get(b"Info").and_then(Object::as_reference)
        && let Ok(dict) = lo.get_object_mut(info_id).and_then(Object::as_dict_mut)
    {
        dict.remove(b"GTS_PDFXVersion");
    }
    assemble::add_outline(&mut lo, outline)?;
    if let Some(data) = &info.report_data {
        assemble::attach_report_data(&mut lo, data)?;
    }
    assemble::compress(&mut lo)?;
    let mut out = Vec::new();
    lo.save_to(&mut out)?;
    Ok(out)
}

fn pdf_date(d: DateTime<Utc>) -> Result<OffsetDateTime, PdfError> {
    OffsetDateTime::from_unix_timestamp(d.timestamp()).map_err(|_| PdfError::Date(d))
}

//! Audit-ready reports of an assessment.
//!
//! One [`model::ReportModel`] is built from the data; its canonical JSON is hashed (SHA-256) to
//! give the report's content hash. Two renderers draw that model: self-contained HTML through
//! handlebars templates ([`html`]), and PDF through printpdf's low-level operations with a small
//! layout module of our own ([`pdf`]). Charts are computed once as geometry ([`chart`]) and
//! written as SVG or as PDF paths, so both formats show the same picture; both take their
//! colours from one [`palette`]. Rendering is a pure
//! function of the model, which is what lets [`verify`] re-render a file to check it.

pub mod chart;
pub mod dossier;
pub mod figures;
pub mod html;
pub mod model;
pub mod palette;
pub mod pdf;
pub mod soa;
pub mod verify;
pub mod verify_audit;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("report template error: {0}")]
    Template(String),
    #[error("PDF error: {0}")]
    Pdf(#[from] pdf::PdfError),
}

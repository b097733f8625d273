//! What can go wrong building or saving a PDF.

use chrono::{DateTime, Utc};

use super::fonts::FontError;

/// Building or saving the PDF failed.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(transparent)]
    Font(#[from] FontError),
    #[error("the date {0} cannot be written into the PDF")]
    Date(DateTime<Utc>),
    #[error("printpdf reported an error while building the PDF: {0}")]
    Render(String),
    #[error("assembling the PDF failed: {0}")]
    Assemble(#[from] lopdf::Error),
    #[error("writing the PDF failed: {0}")]
    Write(#[from] std::io::Error),
}

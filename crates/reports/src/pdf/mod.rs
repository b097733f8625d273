//! PDF rendering: a small layout engine of our own over printpdf's low-level operations
//! ([`layout`], [`fonts`], [`chart_ops`]), a final pass with lopdf ([`assemble`]), and the
//! report composed with them ([`report`]).

pub mod assemble;
pub mod chart_ops;
pub mod fonts;
pub mod layout;
mod report;
mod sections;

pub use report::render;

use crate::model::HashedModel;
use crate::verify::{Verdict, VerifyError, judge, parse_model};

/// Verifies a PDF report (see [`crate::verify`]) from the data attached to it.
pub fn verify_pdf(bytes: &[u8]) -> Result<Verdict, VerifyError> {
    let data = assemble::read_report_data(bytes)
        .ok_or_else(|| VerifyError::NotAReport("the PDF carries no Assay report data".into()))?;
    let json = std::str::from_utf8(&data.json).map_err(|e| VerifyError::BadData(e.to_string()))?;
    let render_again =
        |hashed: &HashedModel| render(hashed).map_err(|e| VerifyError::Render(e.into()));
    judge(parse_model(json)?, data.content_hash, render_again, bytes)
}

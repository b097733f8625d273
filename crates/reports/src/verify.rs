//! Checking a report file against the data embedded in it.
//!
//! A report carries its model (canonical JSON) and the SHA-256 of that JSON. Verification
//! recomputes the hash from the embedded data, then renders the report again from that data and
//! compares the bytes: rendering is deterministic, so any edit to the visible content shows.

use crate::html::{DATA_END, DATA_START, HtmlRenderer};
use crate::model::{HashedModel, ReportModel, content_hash};
use crate::pdf::fonts::TextEngine;
use crate::pdf::{self, assemble};

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The data matches its hash and the file is exactly what that data renders to.
    Intact {
        document_id: String,
        content_hash: String,
        /// The data the report was made from.
        model: Box<ReportModel>,
    },
    /// The embedded data no longer matches the hash recorded with it.
    DataAltered {
        recorded: String,
        recomputed: String,
    },
    /// The data is intact but the rest of the file was changed after it was rendered.
    ContentAltered { content_hash: String },
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("not an Assay report: {0}")]
    NotAReport(String),
    /// The file is marked as an Assay report but its embedded data cannot be read back: it was
    /// damaged or edited.
    #[error("the report's embedded data is damaged or was edited: {0}")]
    BadData(String),
    #[error(transparent)]
    Render(#[from] crate::ReportError),
}

/// Verifies the bytes of an HTML or PDF report.
pub fn verify(bytes: &[u8]) -> Result<Verdict, VerifyError> {
    if bytes.starts_with(b"%PDF-") {
        return verify_pdf(bytes);
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| VerifyError::NotAReport("neither a PDF nor UTF-8 HTML".into()))?;
    let recorded = meta_content(text, "assay-content-hash")
        .ok_or_else(|| VerifyError::NotAReport("no content hash found".into()))?;
    let start = text
        .rfind(DATA_START)
        .ok_or_else(|| VerifyError::NotAReport("no embedded report data found".into()))?
        + DATA_START.len();
    let end = text[start..]
        .find(DATA_END)
        .ok_or_else(|| VerifyError::NotAReport("the embedded report data is cut off".into()))?;
    let model = parse_model(&text[start..start + end])?;
    judge(
        model,
        recorded,
        |hashed| Ok(HtmlRenderer::new()?.render(hashed)?.into_bytes()),
        bytes,
    )
}

/// Verifies a PDF report from the data attached to it.
fn verify_pdf(bytes: &[u8]) -> Result<Verdict, VerifyError> {
    let data = assemble::read_report_data(bytes)
        .map_err(VerifyError::BadData)?
        .ok_or_else(|| VerifyError::NotAReport("the PDF carries no Assay report data".into()))?;
    let json = std::str::from_utf8(&data.json).map_err(|e| VerifyError::BadData(e.to_string()))?;
    // A report whose text needed more than DejaVu was drawn differently before the fallback
    // font (replacement marks, right-to-left text in logical order); it still verifies
    // against that rendering. Text DejaVu draws left to right comes out the same either way.
    let render_again = |hashed: &HashedModel| {
        let now = pdf::render(hashed).map_err(|e| VerifyError::Render(e.into()))?;
        if now == bytes {
            return Ok(now);
        }
        pdf::render_with(hashed, TextEngine::DejaVuOnly).map_err(|e| VerifyError::Render(e.into()))
    };
    judge(parse_model(json)?, data.content_hash, render_again, bytes)
}

fn parse_model(json: &str) -> Result<ReportModel, VerifyError> {
    serde_json::from_str(json).map_err(|e| VerifyError::BadData(e.to_string()))
}

/// Compares the recorded hash with the data, then the file with a fresh rendering.
fn judge(
    model: ReportModel,
    recorded: String,
    render: impl FnOnce(&HashedModel) -> Result<Vec<u8>, VerifyError>,
    bytes: &[u8],
) -> Result<Verdict, VerifyError> {
    let recomputed = content_hash(&model);
    if recomputed != recorded {
        return Ok(Verdict::DataAltered {
            recorded,
            recomputed,
        });
    }
    let hashed = HashedModel::new(model);
    if render(&hashed)? != bytes {
        return Ok(Verdict::ContentAltered {
            content_hash: recomputed,
        });
    }
    Ok(Verdict::Intact {
        document_id: hashed.document_id(),
        content_hash: recomputed,
        model: Box::new(hashed.model),
    })
}

/// The `content` of `<meta name="NAME" content="...">` (our own attribute order).
fn meta_content(text: &str, name: &str) -> Option<String> {
    let marker = format!("<meta name=\"{name}\" content=\"");
    let start = text.find(&marker)? + marker.len();
    let end = text[start..].find('"')?;
    Some(text[start..start + end].to_owned())
}

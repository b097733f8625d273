//! What the sections share: a section's start, "none recorded" lines, number formats and
//! table columns and rows.

use crate::html::SECTIONS;
use crate::pdf::layout::{Align, Column, Document, Row, TextStyle};

/// Starts a section on a new page; a section with nothing recorded follows the previous one.
pub(super) fn section(doc: &mut Document, id: &str, has_content: bool) {
    let title = SECTIONS
        .iter()
        .find(|(key, _)| *key == id)
        .map_or(id, |(_, title)| *title);
    if has_content {
        doc.page_break();
    }
    doc.heading(1, title);
}

/// A muted line in place of a table that has nothing to show.
pub(super) fn none(doc: &mut Document, text: &str) {
    doc.paragraph(text, TextStyle::muted());
}

/// A score to two decimals, "-" when there is none.
pub(super) fn score(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.2}"))
}

/// The value, "-" when there is none.
pub(super) fn dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// Table columns from (title, share of the width, alignment).
pub(super) fn columns(spec: &[(&str, f32, Align)]) -> Vec<Column> {
    spec.iter()
        .map(|(title, width, align)| Column {
            title: (*title).to_owned(),
            width: *width,
            align: *align,
        })
        .collect()
}

/// A plain row: no fill, not bold.
pub(super) fn row(cells: Vec<String>) -> Row {
    Row {
        cells,
        ..Row::default()
    }
}

//! The contents page: each section with the page it starts on.

use std::collections::BTreeMap;

use crate::html::SECTIONS;
use crate::pdf::layout::{Align, Document, Table};

use super::common::{columns, row};

pub(in crate::pdf) fn contents(doc: &mut Document, section_pages: &BTreeMap<String, usize>) {
    doc.page_break();
    doc.heading(1, "Contents");
    let rows = SECTIONS
        .iter()
        .map(|(id, title)| {
            row(vec![
                (*title).to_owned(),
                section_pages
                    .get(*id)
                    .map_or_else(String::new, usize::to_string),
            ])
        })
        .collect();
    doc.table(&Table {
        columns: columns(&[("Section", 0.85, Align::Left), ("Page", 0.15, Align::Right)]),
        rows,
        zebra: false,
    });
}

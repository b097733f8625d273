//! The methodology: the bank, the level names, the scoring rule and the participants.

use crate::model::{Reading, ReportModel};
use crate::pdf::layout::{Align, Document, Table, TextStyle};

use super::common::{columns, none, row, section};

pub(in crate::pdf) fn method(doc: &mut Document, model: &ReportModel, reading: Option<&Reading>) {
    section(doc, "method", true);
    let facts = &model.document;
    doc.paragraph(
        &format!(
            "Question bank: {}, version {} ({}).",
            facts.bank_title, facts.bank_version, facts.bank_id
        ),
        TextStyle::body(),
    );
    let levels: Vec<(String, String)> = model
        .method
        .levels
        .iter()
        .map(|l| (format!("Level {}", l.level), l.name.clone()))
        .collect();
    doc.key_values(&levels);
    for paragraph in &model.method.paragraphs {
        doc.paragraph(paragraph, TextStyle::body());
        doc.spacer(1.5);
    }
    doc.paragraph(&model.method.crosswalk_rule, TextStyle::body());
    if let Some(framing) = reading.and_then(|r| r.framing.as_ref()) {
        doc.heading(2, "Colours and marks");
        doc.chart(&framing.key_chart(), 170.0);
    }
    doc.heading(2, "Participants");
    if model.participants.is_empty() {
        none(doc, "No participants recorded.");
    } else {
        let rows = model
            .participants
            .iter()
            .map(|p| row(vec![p.name.clone(), p.role.clone(), p.votes.to_string()]))
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Name", 0.35, Align::Left),
                ("Role", 0.5, Align::Left),
                ("Votes cast", 0.15, Align::Right),
            ]),
            rows,
            zebra: true,
        });
    }
}

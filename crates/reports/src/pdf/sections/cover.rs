//! The cover: the scope, the assessment, the facts that identify the data and the report.

use crate::chart::Shape;
use crate::model::LEGACY_KIND;
use crate::model::{HashedModel, Reading};
use crate::palette::ACCENT;
use crate::pdf::layout::{Document, TextStyle};

pub(in crate::pdf) fn cover(
    doc: &mut Document,
    hashed: &HashedModel,
    document_id: &str,
    reading: Option<&Reading>,
) {
    let facts = &hashed.model.document;
    // A full-width band behind the title block (shape coordinates in points).
    doc.shapes_at(
        &[Shape::Rect {
            x: 0.0,
            y: 0.0,
            w: 595.3,
            h: 6.0,
            fill: Some(ACCENT),
            stroke: None,
            width: 0.0,
        }],
        0.0,
        0.0,
        1.0,
    );
    doc.spacer(30.0);
    let kind = facts.kind.as_deref().unwrap_or(LEGACY_KIND).to_uppercase();
    doc.paragraph(
        &kind,
        TextStyle::strong().with_color(ACCENT).with_size(10.0),
    );
    doc.spacer(2.0);
    doc.paragraph(&facts.scope, TextStyle::title());
    doc.paragraph(&facts.assessment_title, TextStyle::subtitle());
    doc.spacer(12.0);
    let mut rows: Vec<(String, String)> = Vec::new();
    // Version 1 reports predate the approval state.
    if let Some(reading) = reading {
        rows.push(("Status".into(), reading.approval.label.to_owned()));
    }
    rows.extend([
        ("Assessed on".into(), facts.assessed_on.to_string()),
        (
            "Data as of".into(),
            facts.updated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
        (
            "Question bank".into(),
            format!(
                "{} {} ({})",
                facts.bank_title, facts.bank_version, facts.bank_id
            ),
        ),
        (
            "Participants".into(),
            hashed.model.participants.len().to_string(),
        ),
        ("Document id".into(), document_id.to_owned()),
        (
            "Content hash".into(),
            format!("SHA-256 {}", hashed.content_hash),
        ),
        ("Produced by".into(), facts.generator.clone()),
    ]);
    if let Some(framing) = reading.and_then(|r| r.framing.as_ref()) {
        rows.extend([
            ("Facilitator".into(), framing.facilitator.clone()),
            ("Scope".into(), framing.scope.clone()),
            ("Limits".into(), framing.limits.to_owned()),
        ]);
    }
    // Version 1 models carry no trail head, so their cover is unchanged.
    if let Some(trail) = &facts.trail {
        rows.push((
            "Audit trail".into(),
            format!(
                "{} events, the last #{} SHA-256 {}",
                trail.events, trail.seq, trail.hash
            ),
        ));
    }
    doc.key_values(&rows);
    doc.spacer(10.0);
    // Version 3 prints the command as text, not with Markdown backticks.
    let verify = if reading.is_some_and(|r| r.framing.is_some()) {
        "\u{201c}assay verify FILE\u{201d}"
    } else {
        "`assay verify FILE`"
    };
    doc.paragraph(
        &format!(
            "This report is generated from the assessment's data. The content hash identifies that \
             data; {verify} checks that this file still matches it."
        ),
        TextStyle::muted(),
    );
}

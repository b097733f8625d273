//! The appendix: raw answers, evidence provenance, the content hash and the characters the
//! fonts could not show.

use crate::model::{HashedModel, Reading};
use crate::palette::WARN;
use crate::pdf::fonts::TextEngine;
use crate::pdf::layout::{Align, Document, Row, Table, TextStyle};

use super::common::{columns, dash, none, row, section};

pub(in crate::pdf) fn appendix(
    doc: &mut Document,
    hashed: &HashedModel,
    reading: Option<&Reading>,
) {
    let model = &hashed.model;
    section(doc, "appendix", true);
    doc.heading(2, "Raw answers");
    let rows = model
        .pillars
        .iter()
        .flat_map(|p| &p.areas)
        .flat_map(|a| &a.findings)
        .map(|f| {
            let votes = f
                .votes
                .iter()
                .map(|v| format!("{} {}", v.participant, v.vote))
                .collect::<Vec<_>>()
                .join(", ");
            row(vec![
                f.id.clone(),
                f.short.clone(),
                votes,
                dash(f.confidence.as_deref()),
            ])
        })
        .collect();
    doc.table(&Table {
        columns: columns(&[
            ("Question", 0.12, Align::Left),
            ("Consensus", 0.15, Align::Center),
            ("Votes", 0.57, Align::Left),
            ("Confidence", 0.16, Align::Left),
        ]),
        rows,
        zebra: true,
    });
    doc.heading(2, "Evidence provenance");
    if model.evidence.is_empty() {
        none(doc, "No evidence links recorded.");
    } else {
        let rows = model
            .evidence
            .iter()
            .map(|e| {
                let reference = match e.added() {
                    Some(added) => format!("{}\n{added}", e.reference()),
                    None => e.reference(),
                };
                Row {
                    // Report format 1 printed links as text; its PDFs must not change.
                    link: (model.model_version >= 2)
                        .then(|| e.href().map(str::to_owned))
                        .flatten(),
                    ..row(vec![e.question.clone(), e.kind.clone(), reference])
                }
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Question", 0.14, Align::Left),
                ("Kind", 0.12, Align::Left),
                ("Reference", 0.74, Align::Left),
            ]),
            rows,
            zebra: true,
        });
    }
    doc.heading(2, "Content hash");
    let framing = reading.and_then(|r| r.framing.as_ref());
    let verify = if framing.is_some() {
        "\u{201c}assay verify FILE\u{201d}"
    } else {
        "`assay verify FILE`"
    };
    doc.paragraph(
        &format!(
            "The SHA-256 of this report's data (canonical JSON, embedded in the file) is {}. {verify} recomputes it and checks that the file still matches its data.",
            hashed.content_hash
        ),
        TextStyle::body(),
    );
    if let Some(framing) = framing {
        for paragraph in framing.hash_proves {
            doc.spacer(1.5);
            doc.paragraph(paragraph, TextStyle::body());
        }
    }
    let missing = doc.missing_glyphs().clone();
    if !missing.is_empty() {
        doc.heading(2, "Characters not shown");
        let list = missing
            .iter()
            .map(|c| format!("U+{:04X}", u32::from(*c)))
            .collect::<Vec<_>>()
            .join(", ");
        let text = match doc.text_engine() {
            TextEngine::DejaVuOnly => format!(
                "The embedded font has no glyph for these characters, which appear as a replacement mark in this PDF: {list}. The HTML report shows them."
            ),
            TextEngine::Unicode => format!(
                "No embedded font has a glyph for these characters: {list}. An emoji appears as its name in brackets, any other of these characters as a replacement mark. The HTML report shows them."
            ),
        };
        doc.paragraph(&text, TextStyle::body().with_color(WARN));
    }
}

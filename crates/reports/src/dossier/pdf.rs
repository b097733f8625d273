//! The draft as PDF, drawn with the report's layout engine: the draft notice on the cover and
//! in every page's header and footer, the sections as bookmarks, tables that break across
//! pages with their header repeated, and the draft's data attached with its content hash.

use crate::palette::{DISSENT_FILL, FAIL};
use crate::pdf::assemble::ReportData;
use crate::pdf::layout::{
    Align, Column, Document, DocumentInfo, PdfError, Row, Running, Table, TextStyle,
};

use super::html::{HOW_TO_READ, part_heading};
use super::{Block, DRAFT_NOTICE, DRAFT_RUNNING, DossierDocument, PROVIDER, Part};

/// Characters of the content hash in the running footer.
const FOOTER_HASH_CHARS: usize = 16;
/// Points kept on one page for a sentence, a table's header and its first rows.
const INTRO_WITH_TABLE: f32 = 150.0;
/// Points kept on one page for a box's title and its first lines.
const BOX_START: f32 = 60.0;
/// Points kept on one page for a point's heading and what follows it.
const PART_START: f32 = 115.0;
/// The same for a point that opens with a table, and the table's first rows.
const PART_WITH_TABLE: f32 = 190.0;
/// Points a section's heading and what the Annex asks take, about.
const SECTION_HEAD: f32 = 80.0;

fn column(title: &str, width: f32) -> Column {
    Column {
        title: title.to_owned(),
        width,
        align: Align::Left,
    }
}

/// A one-column box: a marked title over its lines, on the draft's warning fill.
fn boxed(pdf: &mut Document, title: &str, lines: Vec<String>) {
    // The title goes to the next page with the first lines rather than stay behind alone.
    pdf.keep_together(BOX_START);
    pdf.table(&Table {
        columns: vec![column(title, 1.0)],
        rows: lines
            .into_iter()
            .map(|line| Row {
                cells: vec![line],
                fill: Some(DISSENT_FILL),
                ..Row::default()
            })
            .collect(),
        zebra: false,
    });
}

/// The draft as PDF bytes; the same document always gives the same bytes.
pub fn render(doc: &DossierDocument) -> Result<Vec<u8>, PdfError> {
    let hash = doc.content_hash();
    let json = serde_json::to_vec(doc).unwrap_or_default();
    let info = DocumentInfo {
        title: format!("DRAFT Annex IV technical documentation: {}", doc.scope),
        author: doc.scope.clone(),
        subject: format!(
            "EU AI Act Annex IV draft from assessment {} ({})",
            doc.title, doc.assessed_on
        ),
        keywords: vec![
            "EU AI Act".into(),
            "Annex IV".into(),
            "technical documentation".into(),
            "draft".into(),
        ],
        creator: "Assay".into(),
        producer: "Assay".into(),
        created: doc.generated_at,
        modified: doc.generated_at,
        document_id: hash.clone(),
        report_data: Some(ReportData {
            json,
            content_hash: hash.clone(),
        }),
    };
    let running = Running {
        header_left: format!("DRAFT · Annex IV technical documentation: {}", doc.scope),
        header_right: doc.assessed_on.to_string(),
        footer_left: format!(
            "{DRAFT_RUNNING} · SHA-256 {}",
            &hash[..FOOTER_HASH_CHARS.min(hash.len())]
        ),
    };
    let mut pdf = Document::new(info, running);
    cover(&mut pdf, doc, &hash);
    for section in &doc.sections {
        // A section opens with its first point on the same page.
        let first = section.parts.first().map_or(PART_START, part_start);
        pdf.keep_together(SECTION_HEAD + first);
        pdf.heading(1, &format!("{}. {}", section.number, section.title));
        pdf.paragraph(
            &format!("Annex IV asks for: {}", section.asks),
            TextStyle::muted(),
        );
        for part in &section.parts {
            pdf.keep_together(part_start(part));
            pdf.heading(2, &part_heading(&part.point, &part.title));
            if part.has_facts() {
                pdf.paragraph(
                    "FILLED BY ASSAY",
                    TextStyle::new(7.5, true, crate::palette::PASS),
                );
            }
            for (i, block) in part.filled.iter().enumerate() {
                // A sentence that introduces a table goes to the next page with it rather
                // than stay behind alone.
                if matches!(block, Block::Text { .. })
                    && matches!(part.filled.get(i + 1), Some(Block::Table { .. }))
                {
                    pdf.keep_together(INTRO_WITH_TABLE);
                }
                draw_block(&mut pdf, block);
            }
            if !part.sources.is_empty() {
                pdf.paragraph(
                    &format!("Sources: {}", part.sources.join("; ")),
                    TextStyle::muted(),
                );
            }
            if !part.provider.is_empty() {
                boxed(
                    &mut pdf,
                    PROVIDER,
                    part.provider
                        .iter()
                        .map(|item| format!("☐ {item}"))
                        .collect(),
                );
            }
        }
    }
    pdf.page_break();
    pdf.heading(1, "Checklist for the provider");
    pdf.paragraph(
        "Every item above, in order: what the provider must add before this draft can become \
         the system's technical documentation.",
        TextStyle::body(),
    );
    pdf.table(&Table {
        columns: vec![
            column("Point", 0.1),
            column(PROVIDER, 0.8),
            column("Done", 0.1),
        ],
        rows: doc
            .checklist()
            .into_iter()
            .map(|(point, item)| Row {
                cells: vec![point, item, "☐".into()],
                ..Row::default()
            })
            .collect(),
        zebra: true,
    });
    pdf.finish()
}

fn cover(pdf: &mut Document, doc: &DossierDocument, hash: &str) {
    pdf.paragraph(
        "EU AI Act (Regulation (EU) 2024/1689) · Annex IV technical documentation",
        TextStyle::muted(),
    );
    pdf.paragraph("DRAFT", TextStyle::title().with_color(FAIL));
    pdf.outline_entry("Cover");
    pdf.paragraph(&doc.scope, TextStyle::title().with_size(17.0));
    boxed(
        pdf,
        "DRAFT: not the provider's technical documentation",
        vec![DRAFT_NOTICE.to_owned()],
    );
    pdf.heading(2, "Records this draft was drawn from");
    let mut rows: Vec<(String, String)> = doc
        .records
        .iter()
        .map(|f| {
            (
                f.label.clone(),
                f.value.clone().unwrap_or_else(|| PROVIDER.to_owned()),
            )
        })
        .collect();
    rows.push((
        "Made".into(),
        doc.generated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
    ));
    rows.push(("Content SHA-256".into(), hash.to_owned()));
    pdf.key_values(&rows);
    // The cover is the notice and the records; the guide to the sections opens the next page.
    pdf.page_break();
    pdf.heading(2, "How to read this draft");
    pdf.paragraph(HOW_TO_READ, TextStyle::body());
    pdf.table(&Table {
        columns: vec![
            column("Section of Annex IV", 0.5),
            column("Filled by Assay", 0.32),
            column("Items for the provider", 0.18),
        ],
        rows: doc
            .overview()
            .into_iter()
            .map(|o| Row {
                cells: vec![
                    format!("{} · {}", o.number, o.title),
                    if o.filled.is_empty() {
                        "nothing".into()
                    } else {
                        o.filled
                    },
                    o.provider_items.to_string(),
                ],
                ..Row::default()
            })
            .collect(),
        zebra: true,
    });
}

/// Points kept on one page for a point's heading and the start of what follows it.
fn part_start(part: &Part) -> f32 {
    let opens_with_table = matches!(
        part.filled.as_slice(),
        [Block::Text { .. }, Block::Table { .. }, ..] | [Block::Table { .. }, ..]
    );
    if opens_with_table {
        PART_WITH_TABLE
    } else {
        PART_START
    }
}

fn draw_block(pdf: &mut Document, block: &Block) {
    match block {
        Block::Text { text } => pdf.paragraph(text, TextStyle::body()),
        Block::Nothing { text } => pdf.paragraph(text, TextStyle::muted()),
        Block::Facts { rows } => pdf.key_values(
            &rows
                .iter()
                .map(|f| {
                    (
                        f.label.clone(),
                        f.value.clone().unwrap_or_else(|| PROVIDER.to_owned()),
                    )
                })
                .collect::<Vec<_>>(),
        ),
        Block::Table {
            columns,
            widths,
            rows,
        } => pdf.table(&Table {
            columns: columns
                .iter()
                .zip(widths)
                .map(|(title, width)| column(title, f32::from(*width) / 100.0))
                .collect(),
            rows: rows
                .iter()
                .map(|cells| Row {
                    cells: cells.clone(),
                    ..Row::default()
                })
                .collect(),
            zebra: true,
        }),
    }
}

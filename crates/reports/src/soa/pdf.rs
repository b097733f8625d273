//! The Statement of Applicability as PDF, drawn with the report's layout engine: the same
//! fonts, tables that break across pages with their header repeated, and the statement's data
//! attached to the file with its content hash.

use crate::pdf::assemble::ReportData;
use crate::pdf::layout::{
    Align, Column, Document, DocumentInfo, PdfError, Row, Running, Table, TextStyle,
};

use super::html::{counts, row_view};
use super::{LABELS_NOTE, SoaDocument};

/// The statement as PDF bytes; the same document always gives the same bytes.
pub fn render(doc: &SoaDocument) -> Result<Vec<u8>, PdfError> {
    let hash = doc.content_hash();
    let json = serde_json::to_vec(doc).unwrap_or_default();
    let info = DocumentInfo {
        title: format!("Statement of Applicability: {}", doc.scope),
        author: doc.scope.clone(),
        subject: format!(
            "{} - {} ({})",
            doc.soa.framework, doc.title, doc.assessed_on
        ),
        keywords: vec![
            "ISO/IEC 42001".into(),
            "Statement of Applicability".into(),
            "audit".into(),
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
        header_left: format!("Statement of Applicability: {}", doc.scope),
        header_right: doc.assessed_on.to_string(),
        footer_left: format!("SHA-256 {}", &hash[..16]),
    };
    let mut pdf = Document::new(info, running);
    pdf.paragraph(
        &format!("{} · Statement of Applicability", doc.soa.framework),
        TextStyle::muted(),
    );
    pdf.heading(1, &doc.scope);
    pdf.key_values(&[
        (
            "Assessment".into(),
            format!("{} ({}, {})", doc.title, doc.assessed_on, doc.assessment_id),
        ),
        (
            "Controls from".into(),
            format!(
                "{}; mapped through the crosswalk of bank {}",
                doc.soa.reference, doc.bank
            ),
        ),
        (
            "Made".into(),
            doc.generated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
        ("Content SHA-256".into(), hash.clone()),
    ]);
    pdf.paragraph(LABELS_NOTE, TextStyle::muted());

    pdf.heading(2, "Summary");
    pdf.key_values(
        &counts(&doc.soa)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_string()))
            .collect::<Vec<_>>(),
    );
    pdf.heading(2, "How this statement is built");
    for (i, line) in doc.rule.iter().enumerate() {
        pdf.paragraph(&format!("{}. {line}", i + 1), TextStyle::body());
    }

    pdf.page_break();
    pdf.outline_entry("Controls");
    pdf.heading(2, "Controls");
    let column = |title: &str, width: f32| Column {
        title: title.to_owned(),
        width,
        align: Align::Left,
    };
    // One table for every control, a bold row opening each group: a table per group would
    // start a page for each.
    let mut rows: Vec<Row> = Vec::new();
    let mut group: Option<&str> = None;
    for row in &doc.soa.rows {
        if group != Some(row.group.as_str()) {
            group = Some(&row.group);
            rows.push(Row {
                cells: vec![row.group.clone()],
                bold: true,
                fill: Some(crate::palette::GRID),
                ..Row::default()
            });
        }
        let view = row_view(row);
        let proposal = if row.decided { "" } else { " (proposal)" };
        let mut assessed = format!("{}\n{}", view.status, row.status_reason);
        if !view.questions_short.is_empty() {
            assessed.push_str(&format!("\nQuestions: {}", view.questions_short));
        }
        if !view.items.is_empty() {
            assessed.push_str(&format!("\nRegister: {}", view.items.join("; ")));
        }
        let evidence = if view.evidence.is_empty() {
            "Evidence: none linked".to_owned()
        } else {
            format!("Evidence: {}", view.evidence.join("; "))
        };
        rows.push(Row {
            cells: vec![
                format!("{}\n{}", row.control, row.title),
                format!("{}{proposal}\n{}", view.applicable, row.justification),
                assessed,
                format!(
                    "Owner: {}\nDrivers: {}\n{evidence}",
                    row.owner.as_deref().unwrap_or("none"),
                    view.drivers
                ),
            ],
            ..Row::default()
        });
    }
    pdf.table(&Table {
        columns: vec![
            column("Control", 0.17),
            column("Applicability and justification", 0.28),
            column("Status, how it was assessed", 0.31),
            column("Owner, drivers, evidence", 0.24),
        ],
        rows,
        zebra: false,
    });

    pdf.heading(2, "Management approval");
    pdf.paragraph(
        &format!(
            "An approval applies to the content whose SHA-256 is {hash}. Any change to an \
             inclusion, a justification, an answer or a register item behind this statement \
             gives a new hash, and earlier approvals no longer apply to it."
        ),
        TextStyle::body(),
    );
    if doc.approvals.is_empty() {
        pdf.paragraph("No approval recorded yet.", TextStyle::muted());
    } else {
        pdf.table(&Table {
            columns: vec![
                column("Name", 0.18),
                column("Role", 0.16),
                column("Decision", 0.16),
                column("Date", 0.12),
                column("Comment", 0.24),
                column("Applies to this content", 0.14),
            ],
            rows: doc
                .approvals
                .iter()
                .map(|a| Row {
                    cells: vec![
                        a.name.clone(),
                        a.role.clone(),
                        a.decision.clone(),
                        a.signed_on.to_string(),
                        a.comment.clone(),
                        if a.current {
                            "yes".into()
                        } else {
                            "no: given for earlier content".into()
                        },
                    ],
                    ..Row::default()
                })
                .collect(),
            zebra: false,
        });
    }
    pdf.finish()
}

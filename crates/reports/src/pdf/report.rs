//! The PDF report: the report model laid out section by section with [`super::layout`].
//!
//! The section order and titles are the HTML report's ([`crate::html::SECTIONS`]). The
//! contents page lists page numbers, so the document is laid out twice: once to learn on
//! which page each section starts, then for real (layout is cheap next to saving the file).

use std::collections::BTreeMap;

use crate::chart::Shape;
use crate::figures::figures;
use crate::html::SECTIONS;
use crate::model::{HashedModel, ReportModel};
use crate::palette::{ACCENT, FAIL, GAP_FILL, PASS};

use super::assemble::ReportData;
use super::layout::{
    Align, Column, Document, DocumentInfo, PdfError, Row, Running, Table, TextStyle,
};
use super::sections;

/// Lays out and saves the PDF report; the same model always gives the same bytes.
pub fn render(hashed: &HashedModel) -> Result<Vec<u8>, PdfError> {
    let first = compose(hashed, &BTreeMap::new());
    let pages: BTreeMap<String, usize> = first
        .outline_pages()
        .into_iter()
        .filter_map(|(title, page)| {
            SECTIONS
                .iter()
                .find(|(_, t)| *t == title)
                .map(|(id, _)| ((*id).to_owned(), page))
        })
        .collect();
    compose(hashed, &pages).finish()
}

fn compose(hashed: &HashedModel, section_pages: &BTreeMap<String, usize>) -> Document {
    let model = &hashed.model;
    let document_id = hashed.document_id();
    let mut doc = Document::new(info(hashed), running(model, &document_id));
    cover(&mut doc, hashed, &document_id);
    contents(&mut doc, section_pages);
    summary(&mut doc, model);
    method(&mut doc, model);
    sections::findings(&mut doc, model);
    sections::evidence_sections(&mut doc, model);
    sections::governance(&mut doc, model);
    sections::crosswalk(&mut doc, model);
    sections::signoff(&mut doc, model);
    sections::appendix(&mut doc, hashed);
    doc
}

fn info(hashed: &HashedModel) -> DocumentInfo {
    let facts = &hashed.model.document;
    DocumentInfo {
        title: facts.title.clone(),
        author: hashed
            .model
            .participants
            .first()
            .map_or_else(|| facts.scope.clone(), |p| p.name.clone()),
        subject: format!(
            "{} - {} ({})",
            facts.scope, facts.assessment_title, facts.assessed_on
        ),
        keywords: vec![
            "MLOps".into(),
            "maturity assessment".into(),
            "audit".into(),
            facts.scope.clone(),
            format!("sha256:{}", hashed.content_hash),
        ],
        creator: facts.generator.clone(),
        producer: facts.generator.clone(),
        created: facts.created_at,
        modified: facts.updated_at,
        document_id: hashed.content_hash.clone(),
        report_data: Some(ReportData {
            json: crate::model::canonical_json(&hashed.model),
            content_hash: hashed.content_hash.clone(),
        }),
    }
}

fn running(model: &ReportModel, document_id: &str) -> Running {
    Running {
        header_left: format!("MLOps maturity assessment: {}", model.document.scope),
        header_right: model.document.assessed_on.to_string(),
        footer_left: document_id.to_owned(),
    }
}

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

pub(super) fn none(doc: &mut Document, text: &str) {
    doc.paragraph(text, TextStyle::muted());
}

pub(super) fn score(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.2}"))
}

pub(super) fn dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

pub(super) fn columns(spec: &[(&str, f32, Align)]) -> Vec<Column> {
    spec.iter()
        .map(|(title, width, align)| Column {
            title: (*title).to_owned(),
            width: *width,
            align: *align,
        })
        .collect()
}

pub(super) fn row(cells: Vec<String>) -> Row {
    Row {
        cells,
        ..Row::default()
    }
}

fn cover(doc: &mut Document, hashed: &HashedModel, document_id: &str) {
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
    doc.paragraph(
        "MLOPS MATURITY ASSESSMENT",
        TextStyle::strong().with_color(ACCENT).with_size(10.0),
    );
    doc.spacer(2.0);
    doc.paragraph(&facts.scope, TextStyle::title());
    doc.paragraph(&facts.assessment_title, TextStyle::subtitle());
    doc.spacer(12.0);
    doc.key_values(&[
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
    doc.spacer(10.0);
    doc.paragraph(
        "This report is generated from the assessment's data. The content hash identifies that data; \
         `assay verify FILE` checks that this file still matches it.",
        TextStyle::muted(),
    );
}

fn contents(doc: &mut Document, section_pages: &BTreeMap<String, usize>) {
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

fn summary(doc: &mut Document, model: &ReportModel) {
    let s = &model.summary;
    section(doc, "summary", true);
    doc.paragraph(
        &format!("Level {}: {}", s.headline_level, s.headline_name),
        TextStyle::title().with_size(16.0),
    );
    doc.paragraph(
        "Headline on Google's MLOps scale: 0 manual process, 1 ML pipeline automation, 2 CI/CD pipeline automation.",
        TextStyle::muted(),
    );
    for check in &s.headline_checks {
        let text = if check.met {
            format!(
                "Level {} ({}): reached; {} are at level 3 or above.",
                check.level,
                check.name,
                check.requires.join(", ")
            )
        } else if check.blockers.is_empty() {
            format!(
                "Level {} ({}): not reached; every named question is N/A.",
                check.level, check.name
            )
        } else {
            format!(
                "Level {} ({}): not reached; blocked by {}.",
                check.level,
                check.name,
                check.blockers.join(", ")
            )
        };
        doc.paragraph(
            &text,
            TextStyle::body().with_color(if check.met { PASS } else { FAIL }),
        );
    }
    doc.spacer(2.0);
    doc.paragraph(
        &format!(
            "Overall score {} (mean of area scores); weakest area {} at {}. {} of {} questions answered, {} not applicable, {} unanswered; dissent on {}.",
            score(s.overall_mean),
            dash(s.weakest_area.as_deref()),
            score(s.overall_min),
            s.answered,
            s.questions,
            s.not_applicable,
            s.unanswered,
            s.dissent
        ),
        TextStyle::body(),
    );
    let charts = figures(model);
    doc.chart(&charts.radar, 150.0);
    doc.paragraph(
        "Area scores (filled) against targets (dashed).",
        TextStyle::muted(),
    );
    doc.chart(&charts.pillars, 160.0);
    doc.paragraph(
        "Pillar means, with the weakest area (tick) and the target (dashed).",
        TextStyle::muted(),
    );

    doc.heading(2, "Area scores");
    let mut rows = Vec::new();
    for pillar in &model.pillars {
        for area in &pillar.areas {
            let mut r = row(vec![
                pillar.name.clone(),
                area.name.clone(),
                score(area.mean),
                score(area.min),
                dash(area.target),
                area.answered.to_string(),
            ]);
            r.fill = area.below_target.then_some(GAP_FILL);
            rows.push(r);
        }
    }
    doc.table(&Table {
        columns: columns(&[
            ("Pillar", 0.15, Align::Left),
            ("Area", 0.43, Align::Left),
            ("Mean", 0.1, Align::Right),
            ("Min", 0.1, Align::Right),
            ("Target", 0.1, Align::Right),
            ("Answered", 0.12, Align::Right),
        ]),
        rows,
        zebra: true,
    });
    doc.heading(2, "Top gaps");
    if s.top_gaps.is_empty() {
        none(doc, "No answered question is below its target.");
    } else {
        gap_table(doc, &s.top_gaps);
    }
}

pub(super) fn gap_table(doc: &mut Document, gaps: &[crate::model::GapRow]) {
    let rows = gaps
        .iter()
        .map(|g| {
            row(vec![
                format!("{} {}", g.question, g.title),
                g.area.clone(),
                g.level.to_string(),
                g.target.to_string(),
                g.size.to_string(),
            ])
        })
        .collect();
    doc.table(&Table {
        columns: columns(&[
            ("Question", 0.42, Align::Left),
            ("Area", 0.28, Align::Left),
            ("Level", 0.1, Align::Right),
            ("Target", 0.1, Align::Right),
            ("Gap", 0.1, Align::Right),
        ]),
        rows,
        zebra: true,
    });
}

fn method(doc: &mut Document, model: &ReportModel) {
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

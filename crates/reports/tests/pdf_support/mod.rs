//! Shared by the PDF layout tests: a sample document and the external checking tools.

#![allow(dead_code)]

use std::process::Command;

use assay_reports::chart::{Anchor, Chart, Rgb, Shape};
use assay_reports::palette;
use assay_reports::pdf::layout::{
    Align, Column, Document, DocumentInfo, Row, Running, Table, TextStyle,
};
use chrono::{TimeZone, Utc};

pub const TITLE: &str = "MLOps maturity assessment — Fraud models";
pub const HEADER_LEFT: &str = "Assay · MLOps maturity report";
pub const FOOTER_LEFT: &str = "Confidential · report 3f2a9c1e";
pub const NON_ASCII: &str = "Größe, café, Ελληνικά, Кириллица, arrows → ← ↑, em dash —";
/// Characters no embedded font draws: an Egyptian hieroglyph and an emoji.
pub const MISSING: &str = "Hieroglyph \u{13000} and emoji 🚀";

pub fn info() -> DocumentInfo {
    DocumentInfo {
        title: TITLE.into(),
        author: "Ana Pereira".into(),
        subject: "MLOps maturity assessment".into(),
        keywords: vec!["MLOps".into(), "maturity".into(), "EU AI Act".into()],
        creator: "Assay 0.1.0".into(),
        producer: "Assay PDF layout (printpdf)".into(),
        created: Utc.with_ymd_and_hms(2026, 3, 5, 10, 30, 0).unwrap(),
        modified: Utc.with_ymd_and_hms(2026, 3, 6, 8, 15, 45).unwrap(),
        document_id: "3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c1e3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c1e".into(),
        report_data: None,
    }
}

pub fn running() -> Running {
    Running {
        header_left: HEADER_LEFT.into(),
        header_right: "Fraud models · 5 March 2026".into(),
        footer_left: FOOTER_LEFT.into(),
    }
}

/// A small radar-like chart using every shape kind.
pub fn chart() -> Chart {
    let accent = palette::ACCENT;
    let grey = Rgb(190, 196, 204);
    let (cx, cy, r) = (150.0_f32, 110.0_f32, 80.0_f32);
    let axis = |i: usize, f: f32| {
        let a = -std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::TAU / 5.0;
        (cx + r * f * a.cos(), cy + r * f * a.sin())
    };
    let mut shapes = vec![Shape::Rect {
        x: 0.5,
        y: 0.5,
        w: 299.0,
        h: 219.0,
        fill: None,
        stroke: Some(grey),
        width: 0.5,
    }];
    for level in 1..=4 {
        let f = level as f32 / 4.0;
        let mut ring: Vec<_> = (0..5).map(|i| axis(i, f)).collect();
        ring.push(ring[0]);
        shapes.push(Shape::Line {
            points: ring,
            stroke: grey,
            width: 0.5,
            dashed: level < 4,
        });
    }
    let values = [0.8, 0.55, 0.4, 0.7, 0.3];
    shapes.push(Shape::Polygon {
        points: values
            .iter()
            .enumerate()
            .map(|(i, v)| axis(i, *v))
            .collect(),
        fill: Some(accent),
        fill_opacity: 0.25,
        stroke: Some(accent),
        width: 1.5,
    });
    for (i, v) in values.iter().enumerate() {
        let (x, y) = axis(i, *v);
        shapes.push(Shape::Circle {
            cx: x,
            cy: y,
            r: 2.5,
            fill: accent,
        });
        let (lx, ly) = axis(i, 1.18);
        let anchor = if lx < cx - 5.0 {
            Anchor::End
        } else if lx > cx + 5.0 {
            Anchor::Start
        } else {
            Anchor::Middle
        };
        shapes.push(Shape::Text {
            x: lx,
            y: ly + 3.0,
            text: ["People", "Process", "Platform", "Data", "Governance"][i].into(),
            size: 8.0,
            anchor,
            color: palette::INK,
            bold: i == 0,
        });
    }
    Chart {
        title: "Radar".into(),
        width: 300.0,
        height: 220.0,
        shapes,
    }
}

pub fn findings_table(rows: usize) -> Table {
    let columns = vec![
        Column {
            title: "ID".into(),
            width: 0.1,
            align: Align::Left,
        },
        Column {
            title: "Area".into(),
            width: 0.17,
            align: Align::Left,
        },
        Column {
            title: "Finding and evidence".into(),
            width: 0.5,
            align: Align::Left,
        },
        Column {
            title: "Level".into(),
            width: 0.1,
            align: Align::Center,
        },
        Column {
            title: "Gap".into(),
            width: 0.13,
            align: Align::Right,
        },
    ];
    let areas = [
        "Governance",
        "Data engineering",
        "Model development",
        "Observability",
    ];
    let rows = (1..=rows)
        .map(|i| Row {
            cells: vec![
                format!("F-{i:04}"),
                areas[i % areas.len()].into(),
                format!(
                    "Finding {i}: the team keeps model cards for {} of its models; evidence is \
                     linked from the registry and reviewed {} — see ticket GOV-{i}.",
                    i % 7 + 1,
                    if i % 3 == 0 {
                        "quarterly by the risk office"
                    } else {
                        "ad hoc"
                    }
                ),
                format!("{}", i % 5),
                format!("{:.1}", (i % 4) as f32 * 0.5),
            ],
            fill: (i % 17 == 0).then_some(Rgb(253, 236, 234)),
            bold: i % 25 == 0,
            link: None,
        })
        .collect();
    Table {
        columns,
        rows,
        zebra: true,
    }
}

/// A multi-page sample report: cover, summary with chart, a long table, a row taller than a
/// page, non-ASCII and missing glyphs.
pub fn sample_document(table_rows: usize) -> Document {
    let mut doc = Document::new(info(), running());
    let band = vec![Shape::Rect {
        x: 0.0,
        y: 0.0,
        w: 595.28,
        h: 10.0,
        fill: Some(palette::ACCENT),
        stroke: None,
        width: 0.0,
    }];
    doc.shapes_at(&band, 0.0, 0.0, 1.0);
    doc.spacer(30.0);
    doc.paragraph(TITLE, TextStyle::title());
    doc.paragraph(
        "Scope: fraud detection models · assessed 5 March 2026",
        TextStyle::subtitle(),
    );
    doc.spacer(6.0);
    doc.key_values(&[
        ("Facilitator".into(), "Ana Pereira".into()),
        ("Participants".into(), "Ana Pereira (facilitator), Bo Chen (ML engineer), Chloé Dubois (data engineer), Dmitri Ivanov (platform)".into()),
        ("Headline level".into(), "1 — ML pipeline automation".into()),
        ("Content hash".into(), info().document_id),
    ]);
    doc.page_break();
    doc.heading(1, "1. Summary");
    doc.paragraph(
        "This report records the consensus answers, scores and gaps of the assessment. \
         Every question is cross-referenced to the EU AI Act, the NIST AI RMF and ISO/IEC 42001 \
         Annex A.\nA second line after a hard break.",
        TextStyle::body(),
    );
    doc.paragraph(NON_ASCII, TextStyle::body());
    doc.heading(2, "1.1 Scores by pillar");
    doc.chart(&chart(), 120.0);
    doc.paragraph("Figure 1: area scores (0–4).", TextStyle::muted());
    doc.heading(1, "2. Findings");
    doc.table(&findings_table(table_rows));
    doc.heading(1, "3. Long evidence");
    let long: String = (1..=150)
        .map(|i| format!("Evidence line {i} of the long cell.\n"))
        .collect();
    doc.table(&Table {
        columns: vec![
            Column {
                title: "Item".into(),
                width: 0.2,
                align: Align::Left,
            },
            Column {
                title: "Long evidence".into(),
                width: 0.8,
                align: Align::Left,
            },
        ],
        rows: vec![
            Row {
                cells: vec!["L-1".into(), long],
                fill: None,
                bold: false,
                link: None,
            },
            Row {
                cells: vec!["L-2".into(), "Short row after the long one.".into()],
                ..Row::default()
            },
        ],
        zebra: false,
    });
    doc.outline_entry("Appendix");
    doc.heading(3, "Glyph coverage");
    doc.paragraph(MISSING, TextStyle::small());
    doc
}

/// Runs an external checking tool; fails the test with a clear message if it is missing.
pub fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!(
            "`{name}` could not be run ({e}); the PDF tests need poppler-utils and qpdf: \
             apt-get install -y poppler-utils qpdf"
        )
    });
    assert!(
        out.status.success(),
        "`{name} {args:?}` failed with {}: {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

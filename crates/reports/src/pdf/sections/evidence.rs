//! The tracker evidence: lineage (with where it came from and the indicators drawn from it)
//! and bias metrics. Model version 4 shows them by model version ([`super::tracked`]); earlier
//! versions, which hold no `tracked` evidence, list every edge and figure.

use assay_evidence::display;

use crate::model::{Reading, ReportModel};
use crate::palette::GAP_FILL;
use crate::pdf::layout::{Align, Document, Row, Table, TextStyle};

use super::common::{columns, none, row, section};

pub(in crate::pdf) fn evidence(doc: &mut Document, model: &ReportModel, reading: Option<&Reading>) {
    let tracked = model
        .tracked
        .as_ref()
        .zip(reading.and_then(|r| r.evidence.as_ref()));
    section(
        doc,
        "lineage",
        !model.lineage.is_empty() || tracked.is_some(),
    );
    if !model.evidence_sources.is_empty() {
        doc.paragraph(
            "Imported from the experiment trackers below; each hash fingerprints the evidence as it \
             stood after the latest import.",
            TextStyle::body(),
        );
        let rows = model
            .evidence_sources
            .iter()
            .map(|s| {
                row(vec![
                    format!("{} {}\n{}", s.tracker, s.project, s.instance),
                    format!(
                        "{} ({} imports)",
                        s.imported_at.format("%Y-%m-%d %H:%M UTC"),
                        s.imports
                    ),
                    format!(
                        "{} runs, {} datasets, {} model versions, {} bias metrics",
                        s.runs, s.datasets, s.model_versions, s.bias_metrics
                    ),
                    s.content_hash.clone(),
                ])
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Source", 0.28, Align::Left),
                ("Imported", 0.18, Align::Left),
                ("Held", 0.24, Align::Left),
                ("Evidence SHA-256", 0.30, Align::Left),
            ]),
            rows,
            zebra: false,
        });
    }
    if let Some((tracked, reading)) = &tracked {
        super::tracked::lineage(doc, tracked, reading);
    } else if model.lineage.is_empty() {
        none(
            doc,
            "None recorded: no lineage has been imported from an experiment tracker for this assessment.",
        );
    } else {
        let rows = model
            .lineage
            .iter()
            .map(|l| row(vec![l.from.clone(), l.relation.clone(), l.to.clone()]))
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("From", 0.4, Align::Left),
                ("Relation", 0.2, Align::Left),
                ("To", 0.4, Align::Left),
            ]),
            rows,
            zebra: true,
        });
    }
    if !model.indicators.is_empty() {
        // Version 4 sets the lineage section in subsections, of which this is one.
        let level = if tracked.is_some() { 2 } else { 3 };
        doc.heading(level, "What the evidence suggests");
        doc.paragraph(
            "Suggested levels are a starting point for the assessors, drawn from the tracker \
             data; they never set an answer.",
            TextStyle::body(),
        );
        let rows = model
            .indicators
            .iter()
            .map(|i| {
                row(vec![
                    i.title.clone(),
                    i.basis.clone(),
                    i.questions.clone(),
                    i.suggested_level.map_or("-".into(), |l| l.to_string()),
                ])
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Indicator", 0.28, Align::Left),
                ("Basis", 0.38, Align::Left),
                ("Questions", 0.16, Align::Left),
                ("Suggested level", 0.18, Align::Right),
            ]),
            rows,
            zebra: true,
        });
    }
    section(doc, "bias", !model.bias.is_empty() || tracked.is_some());
    if let Some((tracked, reading)) = &tracked {
        super::tracked::bias(doc, tracked, reading);
    } else if model.bias.is_empty() {
        none(
            doc,
            "None recorded: no fairness metrics have been imported for this assessment.",
        );
    } else {
        let rows = model
            .bias
            .iter()
            .map(|b| Row {
                cells: vec![
                    b.metric.clone(),
                    b.feature.clone(),
                    b.run.clone(),
                    display::value_text(b.value),
                    b.threshold.clone(),
                    display::verdict_text(Some(b.passed)).into(),
                ],
                fill: (!b.passed).then_some(GAP_FILL),
                bold: !b.passed,
                link: None,
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Metric", 0.26, Align::Left),
                ("Sensitive feature", 0.17, Align::Left),
                ("Run", 0.17, Align::Left),
                ("Value", 0.1, Align::Right),
                ("Threshold", 0.18, Align::Left),
                ("Result", 0.12, Align::Left),
            ]),
            rows,
            zebra: true,
        });
    }
}

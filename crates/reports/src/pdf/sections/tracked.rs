//! Model version 4's tracker evidence ([`TrackedEvidence`]): in the lineage section, each
//! registered model version with its runs, datasets and fairness figures, then the lineage of
//! the other runs; in the bias section, one verdict per version and the other runs summed up,
//! with where the full detail is.

use assay_evidence::display;

use crate::model::{
    BiasRow, EvidenceReading, LineageRow, ModelEvidence, TrackedEvidence, VerdictLine, thousands,
};
use crate::palette::{DISSENT_FILL, FAIL, GAP_FILL, PASS, WARN};
use crate::pdf::layout::{Align, Document, Row, Table, TextStyle};

use super::common::{columns, row};

/// The model versions and the other runs' lineage, after the import provenance.
pub(super) fn lineage(doc: &mut Document, tracked: &TrackedEvidence, reading: &EvidenceReading) {
    doc.heading(2, "Model versions");
    doc.paragraph(&reading.models_intro, TextStyle::body());
    let (full, brief): (Vec<_>, Vec<_>) = tracked
        .models
        .iter()
        .zip(&reading.verdicts)
        .partition(|(m, _)| m.in_full);
    for (model, verdict) in full {
        model_block(doc, model, verdict);
    }
    if !brief.is_empty() {
        doc.heading(3, "Other registered versions");
        let rows = brief
            .iter()
            .map(|(m, v)| Row {
                cells: vec![
                    format!("{}\n{}", m.name, m.standing_text),
                    m.runs
                        .iter()
                        .map(|r| format!("run {}", r.name))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    thousands(m.datasets.len()),
                    v.text.clone(),
                ],
                fill: fill(v),
                ..Row::default()
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Version", 0.3, Align::Left),
                ("Runs", 0.2, Align::Left),
                ("Datasets", 0.12, Align::Right),
                ("Fairness", 0.38, Align::Left),
            ]),
            rows,
            zebra: true,
        });
    }

    let others = &tracked.other_runs;
    doc.heading(2, "Other runs");
    doc.paragraph(&reading.lineage_line, TextStyle::body());
    if !others.lineage_detail.is_empty() {
        lineage_table(doc, &others.lineage_detail);
    } else if !others.datasets.is_empty() {
        let rows = others
            .datasets
            .iter()
            .map(|d| row(vec![d.dataset.clone(), thousands(d.runs)]))
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Dataset", 0.7, Align::Left),
                ("Runs that read it", 0.3, Align::Right),
            ]),
            rows,
            zebra: true,
        });
    }
}

fn fill(verdict: &VerdictLine) -> Option<crate::palette::Rgb> {
    match verdict.state {
        "fail" => Some(GAP_FILL),
        "none" => Some(DISSENT_FILL),
        _ => None,
    }
}

/// One version: what it is, the runs behind it, its data and its fairness figures.
fn model_block(doc: &mut Document, model: &ModelEvidence, verdict: &VerdictLine) {
    doc.heading(3, &model.name);
    let runs = if model.runs.is_empty() {
        "None recorded: the tracker names no run behind this version.".to_owned()
    } else {
        model
            .runs
            .iter()
            .map(crate::model::SourceRun::text)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let runs_label = if model.runs.len() > 1 {
        "Source runs"
    } else {
        "Source run"
    };
    let facts = vec![
        ("Standing".to_owned(), model.standing_text.clone()),
        ("Project".to_owned(), model.project.clone()),
        (runs_label.to_owned(), runs),
    ];
    doc.key_values(&facts);
    let colour = match verdict.state {
        "fail" => FAIL,
        "none" => WARN,
        _ => PASS,
    };
    doc.paragraph(
        &format!("Fairness: {}", verdict.text),
        TextStyle::strong().with_color(colour),
    );
    if model.datasets.is_empty() {
        doc.paragraph(
            "Datasets: none recorded in the lineage of this version.",
            TextStyle::muted(),
        );
    } else {
        let rows = model
            .datasets
            .iter()
            .map(|d| {
                row(vec![
                    d.dataset.clone(),
                    d.relation.clone(),
                    d.location.clone().unwrap_or_else(|| "-".into()),
                ])
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Dataset", 0.26, Align::Left),
                ("How", 0.3, Align::Left),
                ("Location", 0.44, Align::Left),
            ]),
            rows,
            zebra: true,
        });
    }
    if !model.fairness.is_empty() {
        bias_table(doc, &model.fairness, Figures::OfModel);
    }
}

fn lineage_table(doc: &mut Document, rows: &[LineageRow]) {
    let rows = rows
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

/// Which columns a table of fairness figures has.
#[derive(Clone, Copy, PartialEq)]
enum Figures {
    /// A model version's own: the run is the version's.
    OfModel,
    /// The other runs' in full.
    OfRuns,
    /// The worst of one metric, which the title names.
    Worst,
}

/// Fairness figures, failing ones bold on red.
fn bias_table(doc: &mut Document, figures: &[BiasRow], kind: Figures) {
    let rows = figures
        .iter()
        .map(|b| {
            let mut cells = Vec::with_capacity(6);
            if kind == Figures::Worst {
                cells.push(b.run.clone());
            } else {
                cells.push(b.metric.clone());
            }
            cells.push(b.feature.clone());
            if kind == Figures::OfRuns {
                cells.push(b.run.clone());
            }
            cells.extend([
                display::value_text(b.value),
                b.threshold.clone(),
                display::verdict_text(Some(b.passed)).into(),
            ]);
            Row {
                cells,
                fill: (!b.passed).then_some(GAP_FILL),
                bold: !b.passed,
                link: None,
            }
        })
        .collect();
    let spec: &[(&str, f32, Align)] = match kind {
        Figures::OfModel => &[
            ("Metric", 0.36, Align::Left),
            ("Sensitive feature", 0.2, Align::Left),
            ("Value", 0.12, Align::Right),
            ("Threshold", 0.18, Align::Left),
            ("Result", 0.14, Align::Left),
        ],
        // Wide enough for a sweep's run names in bold ("xgb-sweep-0004") not to break.
        Figures::OfRuns => &[
            ("Metric", 0.3, Align::Left),
            ("Sensitive feature", 0.13, Align::Left),
            ("Run", 0.21, Align::Left),
            ("Value", 0.1, Align::Right),
            ("Threshold", 0.15, Align::Left),
            ("Result", 0.11, Align::Left),
        ],
        Figures::Worst => &[
            ("Run", 0.3, Align::Left),
            ("Sensitive feature", 0.22, Align::Left),
            ("Value", 0.14, Align::Right),
            ("Threshold", 0.2, Align::Left),
            ("Result", 0.14, Align::Left),
        ],
    };
    doc.table(&Table {
        columns: columns(spec),
        rows,
        zebra: true,
    });
}

/// One verdict per model version, then the other runs summed up.
pub(super) fn bias(doc: &mut Document, tracked: &TrackedEvidence, reading: &EvidenceReading) {
    if !tracked.models.is_empty() {
        doc.heading(2, "Model versions");
        let rows = tracked
            .models
            .iter()
            .zip(&reading.verdicts)
            .map(|(m, v)| Row {
                cells: vec![m.name.clone(), m.standing_text.clone(), v.text.clone()],
                fill: fill(v),
                bold: v.state == "fail",
                link: None,
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Version", 0.26, Align::Left),
                ("Standing", 0.3, Align::Left),
                ("Fairness", 0.44, Align::Left),
            ]),
            rows,
            zebra: true,
        });
    }
    let others = &tracked.other_runs;
    doc.heading(2, "Other runs");
    doc.paragraph(&reading.fairness_line, TextStyle::body());
    if !others.metrics.is_empty() {
        let rows = others
            .metrics
            .iter()
            .map(|m| Row {
                cells: vec![
                    m.metric.clone(),
                    m.threshold.clone(),
                    thousands(m.runs),
                    thousands(m.failing_runs),
                ],
                fill: (m.failing_runs > 0).then_some(GAP_FILL),
                ..Row::default()
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Metric", 0.4, Align::Left),
                ("Threshold", 0.2, Align::Left),
                ("Runs evaluated", 0.2, Align::Right),
                ("Runs failing", 0.2, Align::Right),
            ]),
            rows,
            zebra: true,
        });
    }
    if !others.bias_detail.is_empty() {
        bias_table(doc, &others.bias_detail, Figures::OfRuns);
    }
    for worst in &reading.worst {
        doc.heading(3, &worst.title);
        bias_table(doc, &worst.rows, Figures::Worst);
    }
    doc.paragraph(&reading.detail_note, TextStyle::muted());
}

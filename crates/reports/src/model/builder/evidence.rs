//! The tracker evidence parts of the model: lineage, bias metrics, indicators and where each
//! import came from.

use crate::model::schema::{BiasRow, IndicatorRow, LineageRow, ProvenanceRow, ReportModel};
use assay_evidence::indicators::Indicator;
use assay_evidence::{Snapshot, display};

/// One project's evidence as the report needs it.
#[derive(Debug, Clone)]
pub struct ProjectInput<'a> {
    pub snapshot: &'a Snapshot,
    pub indicators: &'a [Indicator],
    pub provenance: ProvenanceRow,
}

/// Adds the evidence of the scope's tracker projects; an import after the assessment's last
/// change moves the report's data date, as any other change to its data does.
pub fn with_evidence(mut model: ReportModel, projects: &[ProjectInput<'_>]) -> ReportModel {
    for project in projects {
        let snapshot = project.snapshot;
        if project.provenance.imported_at > model.document.updated_at {
            model.document.updated_at = project.provenance.imported_at;
        }
        model
            .lineage
            .extend(snapshot.edges.iter().map(|edge| LineageRow {
                from: display::entity_label(snapshot, &edge.from),
                relation: display::edge_label(edge),
                to: display::entity_label(snapshot, &edge.to),
            }));
        let start = model.bias.len();
        model.bias.extend(snapshot.bias.iter().filter_map(|b| {
            Some(BiasRow {
                metric: display::metric_label(&b.metric),
                feature: display::sensitive_feature_text(b),
                value: b.value,
                threshold: display::threshold_text(Some(&b.threshold?)),
                passed: b.passed?,
                run: display::run_name(snapshot, &b.run),
            })
        }));
        // A figure logged as a metric and again in a report is one finding, unless they differ.
        model.bias[start..].sort_by(|a, b| {
            (a.passed, &a.run, &a.feature, &a.metric)
                .cmp(&(b.passed, &b.run, &b.feature, &b.metric))
                .then(a.value.total_cmp(&b.value))
        });
        let mut kept: Vec<BiasRow> = Vec::new();
        for row in model.bias.drain(start..) {
            let same = kept.last().is_some_and(|k| {
                (&k.run, &k.feature, &k.metric) == (&row.run, &row.feature, &row.metric)
                    && (k.value - row.value).abs() < 1e-9
            });
            if !same {
                kept.push(row);
            }
        }
        model.bias.extend(kept);
        model
            .indicators
            .extend(project.indicators.iter().map(|i| IndicatorRow {
                title: i.title.clone(),
                basis: i.basis.clone(),
                questions: i.questions.join(", "),
                suggested_level: i.suggested_level,
            }));
        model.evidence_sources.push(project.provenance.clone());
    }
    if model.model_version >= 4 && !projects.is_empty() {
        model.tracked = Some(super::tracked::tracked(projects));
    }
    model
}

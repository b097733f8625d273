//! The tracker evidence parts of the model: lineage, bias metrics, indicators and where each
//! import came from.

use assay_evidence::indicators::Indicator;
use assay_evidence::{EntityKind, EntityRef, Snapshot, Threshold};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{BiasRow, LineageRow, ReportModel};

/// Where one tracker project's evidence came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvenanceRow {
    pub tracker: String,
    pub instance: String,
    pub project: String,
    pub imported_at: DateTime<Utc>,
    pub imports: usize,
    pub runs: usize,
    pub datasets: usize,
    pub model_versions: usize,
    pub bias_metrics: usize,
    /// SHA-256 of the project's normalised evidence at its latest import.
    pub content_hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub title: String,
    pub basis: String,
    pub questions: String,
    pub suggested_level: Option<u8>,
}

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
                from: label(snapshot, &edge.from),
                relation: match &edge.context {
                    Some(context) => {
                        format!("{} ({context})", edge.kind.as_str().replace('_', " "))
                    }
                    None => edge.kind.as_str().replace('_', " "),
                },
                to: label(snapshot, &edge.to),
            }));
        let start = model.bias.len();
        model.bias.extend(snapshot.bias.iter().filter_map(|b| {
            Some(BiasRow {
                metric: b.metric.replace('_', " "),
                feature: match &b.group {
                    Some(group) => format!(
                        "{} = {group}",
                        b.sensitive_feature.as_deref().unwrap_or("-")
                    ),
                    None => b.sensitive_feature.clone().unwrap_or_else(|| "-".into()),
                },
                value: b.value,
                threshold: threshold_text(&b.threshold?),
                passed: b.passed?,
                run: run_name(snapshot, &b.run),
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
    model
}

fn threshold_text(threshold: &Threshold) -> String {
    match threshold {
        Threshold::AbsAtMost { max } => format!("|x| ≤ {max}"),
        Threshold::RatioAtLeast {
            min,
            two_sided: false,
        } => format!("≥ {min}"),
        Threshold::RatioAtLeast {
            min,
            two_sided: true,
        } => {
            format!("{min} to {:.2}", 1.0 / min)
        }
    }
}

fn run_name(snapshot: &Snapshot, id: &str) -> String {
    snapshot
        .runs
        .iter()
        .find(|r| r.external_id == id)
        .map_or_else(|| id.to_owned(), |r| r.name.clone())
}

/// A person-readable name of an edge's end: dataset name and version, run name, model and
/// version with its aliases.
fn label(snapshot: &Snapshot, entity: &EntityRef) -> String {
    let id = &entity.external_id;
    match entity.kind {
        EntityKind::Dataset => snapshot
            .datasets
            .iter()
            .find(|d| &d.external_id == id)
            .map_or_else(
                || format!("dataset {id}"),
                |d| match (&d.version, &d.digest) {
                    (Some(v), _) => format!("dataset {} {v}", d.name),
                    (None, Some(digest)) => format!("dataset {} @{}", d.name, short(digest)),
                    (None, None) => format!("dataset {}", d.name),
                },
            ),
        EntityKind::Run => format!("run {}", run_name(snapshot, id)),
        EntityKind::ModelVersion => snapshot
            .model_versions
            .iter()
            .find(|m| &m.external_id == id)
            .map_or_else(
                || format!("model {id}"),
                |m| {
                    let aliases = if m.aliases.is_empty() {
                        String::new()
                    } else {
                        format!(" [{}]", m.aliases.join(", "))
                    };
                    format!(
                        "model {} v{}{aliases}",
                        m.registry_name,
                        m.version.trim_start_matches('v')
                    )
                },
            ),
    }
}

fn short(digest: &str) -> String {
    digest.chars().take(12).collect()
}

//! Tracker evidence as the app shows it: every name, relation, threshold, value and verdict
//! worded by [`assay_evidence::display`], as the reports word them, so no front end words them
//! its own way.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use assay_evidence::{BiasEvidence, EntityKind, EntityRef, Snapshot, display};
use serde::Serialize;

/// The labels of a project's evidence, beside its snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvidenceLabels {
    /// Each dataset, run and model version's name, by kind and external id.
    pub names: EntityNames,
    /// The lineage edges in the snapshot's order.
    pub lineage: Vec<LineageLabel>,
    /// The bias figures: failing first, then passing, then those without a threshold; each
    /// group by run, metric and group.
    pub bias: Vec<BiasLabel>,
}

/// Names by external id, one map per [`EntityKind`] (the fields are named as its values are
/// serialised, so a front end can look a name up by an edge end's `kind`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntityNames {
    /// "train.csv @1a2b3c4d"
    pub dataset: BTreeMap<String, String>,
    /// the run's name, or its id when it has none
    pub run: BTreeMap<String, String>,
    /// "fraud v3"
    pub model_version: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LineageLabel {
    pub from_kind: EntityKind,
    pub from: String,
    /// "used by", "produced", "registered as", "evaluated on".
    pub relation: String,
    pub to_kind: EntityKind,
    pub to: String,
    /// What the tracker says about the link (e.g. `training`).
    pub context: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BiasLabel {
    #[serde(flatten)]
    pub evidence: BiasEvidence,
    pub run_name: String,
    pub metric_text: String,
    pub feature_text: String,
    pub value_text: String,
    pub threshold_text: String,
    /// "pass", "fail" or "context only".
    pub verdict_text: String,
    pub source_text: String,
}

pub fn labels(snapshot: &Snapshot) -> EvidenceLabels {
    let name = |kind, id: &String| {
        let entity = EntityRef {
            kind,
            external_id: id.clone(),
        };
        (id.clone(), display::entity_name(snapshot, &entity))
    };
    let names = EntityNames {
        dataset: snapshot
            .datasets
            .iter()
            .map(|d| name(EntityKind::Dataset, &d.external_id))
            .collect(),
        run: snapshot
            .runs
            .iter()
            .map(|r| name(EntityKind::Run, &r.external_id))
            .collect(),
        model_version: snapshot
            .model_versions
            .iter()
            .map(|m| name(EntityKind::ModelVersion, &m.external_id))
            .collect(),
    };
    let lineage = snapshot
        .edges
        .iter()
        .map(|edge| LineageLabel {
            from_kind: edge.from.kind,
            from: display::entity_name(snapshot, &edge.from),
            relation: display::edge_kind_label(edge.kind).to_owned(),
            to_kind: edge.to.kind,
            to: display::entity_name(snapshot, &edge.to),
            context: edge.context.clone(),
        })
        .collect();
    let mut bias: Vec<BiasLabel> = snapshot
        .bias
        .iter()
        .map(|b| BiasLabel {
            run_name: display::run_name(snapshot, &b.run),
            metric_text: display::metric_label(&b.metric),
            feature_text: display::sensitive_feature_text(b),
            value_text: display::value_text(b.value),
            threshold_text: display::threshold_text(b.threshold.as_ref()),
            verdict_text: display::verdict_text(b.passed).to_owned(),
            source_text: display::source_text(&b.source),
            evidence: b.clone(),
        })
        .collect();
    bias.sort_by(findings_first);
    EvidenceLabels {
        names,
        lineage,
        bias,
    }
}

/// Failing figures first, then passing ones, then context; within each by run, metric, group.
fn findings_first(a: &BiasLabel, b: &BiasLabel) -> Ordering {
    let rank = |l: &BiasLabel| match l.evidence.passed {
        Some(false) => 0,
        Some(true) => 1,
        None => 2,
    };
    rank(a)
        .cmp(&rank(b))
        .then_with(|| a.run_name.cmp(&b.run_name))
        .then_with(|| a.evidence.metric.cmp(&b.evidence.metric))
        .then_with(|| a.evidence.group.cmp(&b.evidence.group))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bias(run: &str, passed: Option<bool>) -> BiasEvidence {
        serde_json::from_value(json!({
            "run": run, "metric": "demographic_parity_ratio", "raw_name": "dp_ratio",
            "value": 0.12, "sensitive_feature": "sex", "group": null, "reference_group": null,
            "threshold": {"rule": "ratio_at_least", "min": 0.8, "two_sided": true},
            "passed": passed, "tool": "fairlearn", "convention": "ratio_min_over_max",
            "bias_type": "independence",
            "source": {"kind": "artifact", "detail": "fairness/report.json"},
        }))
        .unwrap()
    }

    fn snapshot() -> Snapshot {
        let mut snapshot: Snapshot = serde_json::from_value(json!({
            "source": {"tracker": "mlflow", "instance": "http://127.0.0.1:5000", "project": "fraud"},
            "datasets": [{"external_id": "d1", "name": "transactions", "version": null,
                "digest": "abcdef123456", "source": null, "source_type": null, "context": null}],
            "runs": [{"external_id": "r1", "project": "fraud", "name": "train-7",
                "status": "FINISHED", "code_commit": null, "code_repo": null, "params": {},
                "metrics": {}, "tags": {}, "started_at": null, "ended_at": null}],
            "model_versions": [{"external_id": "m1", "registry_name": "fraud-model",
                "version": "3", "aliases": [], "stage": null, "source_run": "r1", "tags": {}}],
            "edges": [{"kind": "used_by", "from": {"kind": "dataset", "external_id": "d1"},
                "to": {"kind": "run", "external_id": "r1"}, "context": "training"}],
            "bias": [], "unmatched": [],
        }))
        .unwrap();
        snapshot.bias = vec![
            bias("r1", None),
            bias("r1", Some(true)),
            bias("zz-run", Some(false)),
            bias("r1", Some(false)),
        ];
        snapshot
    }

    #[test]
    fn failing_figures_come_first_then_passing_then_context() {
        let labels = labels(&snapshot());
        let order: Vec<_> = labels
            .bias
            .iter()
            .map(|b| (b.evidence.passed, b.run_name.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                (Some(false), "train-7"),
                (Some(false), "zz-run"),
                (Some(true), "train-7"),
                (None, "train-7"),
            ]
        );
    }

    #[test]
    fn everything_is_worded_as_the_reports_word_it() {
        let labels = labels(&snapshot());
        assert_eq!(labels.names.dataset["d1"], "transactions @abcdef123456");
        assert_eq!(labels.names.run["r1"], "train-7");
        assert_eq!(labels.names.model_version["m1"], "fraud-model v3");
        let edge = &labels.lineage[0];
        assert_eq!(
            (edge.from.as_str(), edge.relation.as_str(), edge.to.as_str()),
            ("transactions @abcdef123456", "used by", "train-7")
        );
        let failing = &labels.bias[0];
        assert_eq!(failing.threshold_text, "0.8 to 1.25");
        assert_eq!(failing.value_text, "0.120");
        assert_eq!(failing.verdict_text, "fail");
        assert_eq!(failing.source_text, "report fairness/report.json");
        assert_eq!(failing.feature_text, "sex");
        assert_eq!(labels.bias[3].verdict_text, "context only");
    }
}

//! Indicators on a hand-built snapshot, asserted exactly.

#![allow(clippy::unwrap_used)]

mod support;

use assay_evidence::indicators::{Indicator, compute, fairness_summary, level_for_share};
use assay_evidence::{
    BiasEvidence, BiasSource, BiasType, Convention, Dataset, EdgeKind, EntityRef, FairnessTool,
    LineageEdge, ModelVersion, Snapshot, Source, Threshold, Tracker,
};
use std::collections::BTreeMap;
use support::run;

const ABS_01: Threshold = Threshold::AbsAtMost { max: 0.1 };
const MIN_08: Threshold = Threshold::RatioAtLeast {
    min: 0.8,
    two_sided: false,
};

fn dataset(id: &str) -> Dataset {
    Dataset {
        external_id: id.into(),
        name: id.into(),
        version: None,
        digest: None,
        source: None,
        source_type: None,
        context: None,
    }
}

fn version(
    id: &str,
    source_run: Option<&str>,
    aliases: &[&str],
    stage: Option<&str>,
) -> ModelVersion {
    let (registry, number) = id.split_once('/').unwrap();
    ModelVersion {
        external_id: id.into(),
        registry_name: registry.into(),
        version: number.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        stage: stage.map(str::to_string),
        source_run: source_run.map(str::to_string),
        tags: BTreeMap::new(),
    }
}

fn edge(kind: EdgeKind, from: EntityRef, to: EntityRef) -> LineageEdge {
    LineageEdge {
        kind,
        from,
        to,
        context: None,
    }
}

fn bias(
    run: &str,
    metric: &str,
    value: f64,
    threshold: Option<Threshold>,
    source: BiasSource,
) -> BiasEvidence {
    let group = (metric == "selection_rate").then(|| "female".to_string());
    BiasEvidence {
        run: run.into(),
        metric: metric.into(),
        raw_name: format!("fairness.sex.{metric}"),
        value,
        sensitive_feature: Some("sex".into()),
        group,
        reference_group: None,
        threshold,
        passed: threshold.map(|t| t.passes(value)),
        tool: FairnessTool::Fairlearn,
        convention: match threshold {
            Some(Threshold::AbsAtMost { .. }) => Convention::DifferenceNonNegative,
            Some(Threshold::RatioAtLeast { .. }) => Convention::RatioMinOverMax,
            None => Convention::GroupValue,
        },
        bias_type: BiasType::Independence,
        source,
    }
}

fn snapshot() -> Snapshot {
    let source = Source {
        tracker: Tracker::Mlflow,
        instance: "http://127.0.0.1:5055".into(),
        project: "credit".into(),
    };
    let mut s = Snapshot::empty(source);
    s.datasets = vec![
        dataset("credit-train@b0d6b39e"),
        dataset("credit-eval@7c3cff4b"),
    ];
    let commit = |id: &str, commit: Option<&str>| {
        let mut r = run(id, &[], &[]);
        r.code_commit = commit.map(str::to_string);
        r
    };
    s.runs = vec![
        commit("r1", Some("3f2a9c1d")),
        commit("r2", Some("9b8c7d6e")),
        commit("r3", None),
        commit("r4", Some("  ")),
        commit("r5", Some("0a1b2c3d")),
    ];
    s.model_versions = vec![
        version("m/1", Some("r1"), &["baseline"], None),
        version("m/2", Some("r2"), &["champion"], None),
        version("m/3", None, &[], Some("Production")),
        version("m/4", Some("r-gone"), &["prod"], None),
        version("other/1", None, &[], Some("Staging")),
    ];
    let train = || EntityRef::dataset("credit-train@b0d6b39e");
    s.edges = vec![
        edge(EdgeKind::UsedBy, train(), EntityRef::run("r1")),
        edge(EdgeKind::UsedBy, train(), EntityRef::run("r2")),
        edge(
            EdgeKind::Produced,
            EntityRef::run("r3"),
            EntityRef::model_version("m/3"),
        ),
        edge(
            EdgeKind::EvaluatedOn,
            EntityRef::model_version("m/3"),
            EntityRef::dataset("credit-eval@7c3cff4b"),
        ),
        edge(
            EdgeKind::RegisteredAs,
            EntityRef::run("r2"),
            EntityRef::model_version("other/1"),
        ),
        // Wrong direction: not lineage for r5's versions (it has none anyway).
        edge(EdgeKind::UsedBy, EntityRef::run("r5"), train()),
    ];
    let artifact = || BiasSource::Artifact("fairness/fairness_report.json".into());
    s.bias = vec![
        bias(
            "r2",
            "demographic_parity_difference",
            0.04,
            Some(ABS_01),
            BiasSource::Metric,
        ),
        bias(
            "r2",
            "demographic_parity_difference",
            0.04,
            Some(ABS_01),
            artifact(),
        ),
        bias(
            "r2",
            "demographic_parity_ratio",
            0.93,
            Some(MIN_08),
            BiasSource::Metric,
        ),
        bias("r2", "selection_rate", 0.64, None, BiasSource::Metric),
        bias(
            "r3",
            "demographic_parity_difference",
            0.17,
            Some(ABS_01),
            BiasSource::Metric,
        ),
        // The report disagrees with the metric; the failing reading counts.
        bias(
            "r3",
            "demographic_parity_difference",
            0.05,
            Some(ABS_01),
            artifact(),
        ),
        bias(
            "r3",
            "demographic_parity_ratio",
            0.81,
            Some(MIN_08),
            BiasSource::Metric,
        ),
    ];
    s
}

fn indicator(
    id: &str,
    (n, d): (u64, u64),
    questions: &[&str],
    level: Option<u8>,
    basis: &str,
) -> Indicator {
    Indicator {
        id: id.into(),
        title: String::new(),
        numerator: n,
        denominator: d,
        share: (d > 0).then(|| n as f64 / d as f64),
        questions: questions.iter().map(|q| q.to_string()).collect(),
        suggested_level: level,
        basis: basis.into(),
    }
}

/// Compares everything but the title, which is prose.
fn untitled(mut list: Vec<Indicator>) -> Vec<Indicator> {
    for i in &mut list {
        assert!(!i.title.is_empty());
        i.title.clear();
    }
    list
}

#[test]
fn indicators_on_a_hand_built_snapshot() {
    let expected = vec![
        indicator(
            "model_versions_with_dataset_lineage",
            (4, 5),
            &["DEV-3", "SCALE-2"],
            Some(2),
            "4 of 5 registered model versions have dataset lineage (a dataset read by the source run, or an evaluation dataset)",
        ),
        indicator(
            "model_versions_with_fairness_evaluation",
            (3, 5),
            &["GOV-2"],
            Some(2),
            "3 of 5 registered model versions have fairness figures on their source run",
        ),
        indicator(
            "runs_with_code_commit",
            (3, 5),
            &["DEV-3", "SCALE-2"],
            Some(2),
            "3 of 5 runs record a code commit",
        ),
        indicator(
            "fairness_pass:m/2",
            (2, 2),
            &["GOV-2", "CICD-3"],
            Some(3),
            "2 of 2 thresholded fairness metrics pass on the source run of m/2",
        ),
        indicator(
            "fairness_pass:m/3",
            (1, 2),
            &["GOV-2", "CICD-3"],
            Some(1),
            "1 of 2 thresholded fairness metrics pass on the source run of m/3; failing: \
             fairness.sex.demographic_parity_difference = 0.17 (needs |x| <= 0.1)",
        ),
        indicator(
            "fairness_pass:m/4",
            (0, 0),
            &["GOV-2", "CICD-3"],
            None,
            "no thresholded fairness metrics on the source run of m/4",
        ),
    ];
    let computed = compute(&snapshot());
    assert_eq!(
        computed[3].title,
        "Fairness thresholds for production model m/2"
    );
    assert_eq!(untitled(computed), expected);
}

#[test]
fn empty_snapshot_has_no_levels() {
    let source = Source {
        tracker: Tracker::Wandb,
        instance: "https://api.wandb.ai".into(),
        project: "a/b".into(),
    };
    let computed = untitled(compute(&Snapshot::empty(source)));
    let rows: Vec<_> = computed
        .iter()
        .map(|i| {
            (
                i.id.as_str(),
                i.numerator,
                i.denominator,
                i.share,
                i.suggested_level,
                i.basis.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "model_versions_with_dataset_lineage",
                0,
                0,
                None,
                None,
                "no registered model versions in the snapshot"
            ),
            (
                "model_versions_with_fairness_evaluation",
                0,
                0,
                None,
                None,
                "no registered model versions in the snapshot"
            ),
            (
                "runs_with_code_commit",
                0,
                0,
                None,
                None,
                "no runs in the snapshot"
            ),
        ]
    );
}

#[test]
fn share_to_level() {
    let cases = [
        ((0, 0), None),
        ((0, 5), Some(0)),
        ((1, 5), Some(1)),
        ((1, 3), Some(1)),
        ((1, 2), Some(2)),
        ((89, 100), Some(2)),
        ((9, 10), Some(3)),
        ((10, 10), Some(3)),
        ((u64::MAX, u64::MAX), Some(3)),
    ];
    for ((n, d), level) in cases {
        assert_eq!(level_for_share(n, d), level, "{n}/{d}");
    }
}

#[test]
fn fairness_summary_per_run() {
    let summary = fairness_summary(&snapshot());
    let rows: Vec<_> = summary
        .iter()
        .map(|r| {
            (
                r.run.as_str(),
                r.model_versions.clone(),
                r.thresholded,
                r.passing,
                r.passed,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "r2",
                vec!["m/2".to_string(), "other/1".to_string()],
                2,
                2,
                Some(true)
            ),
            ("r3", vec!["m/3".to_string()], 2, 1, Some(false)),
        ]
    );
    assert!(summary[0].failing.is_empty());
    let failing = &summary[1].failing;
    assert_eq!(failing.len(), 1);
    assert_eq!(
        (
            failing[0].raw_name.as_str(),
            failing[0].value,
            failing[0].threshold,
            &failing[0].source
        ),
        (
            "fairness.sex.demographic_parity_difference",
            0.17,
            ABS_01,
            &BiasSource::Metric
        )
    );
}

#[test]
fn indicators_serialise_with_stable_fields() {
    let computed = compute(&snapshot());
    let json = serde_json::to_value(&computed[2]).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "id",
        "title",
        "numerator",
        "denominator",
        "share",
        "questions",
        "suggested_level",
        "basis",
    ];
    expected.sort();
    let mut keys = keys;
    keys.sort();
    assert_eq!(keys, expected);
    assert_eq!(json["share"], 0.6);
    let back: Indicator = serde_json::from_value(json).unwrap();
    assert_eq!(back, computed[2]);
}

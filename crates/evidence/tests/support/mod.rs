//! Builders shared by the integration tests.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;

use assay_evidence::fairness::{Extraction, extract};
use assay_evidence::{BiasEvidence, Run};

pub fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn run(id: &str, metrics: &[(&str, f64)], tag_pairs: &[(&str, &str)]) -> Run {
    Run {
        external_id: id.to_string(),
        project: "credit-scoring-governance".into(),
        name: format!("train-{id}"),
        status: "finished".into(),
        code_commit: None,
        code_repo: None,
        params: BTreeMap::new(),
        metrics: metrics.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        tags: tags(tag_pairs),
        started_at: None,
        ended_at: None,
    }
}

/// Extracts a single metric from an otherwise empty run.
pub fn single(name: &str, value: f64, tag_pairs: &[(&str, &str)]) -> Extraction {
    extract(&run("r", &[(name, value)], tag_pairs), &[])
}

/// The one piece of evidence a single metric yields; panics when there is none.
pub fn one(name: &str, value: f64, tag_pairs: &[(&str, &str)]) -> BiasEvidence {
    let found = single(name, value, tag_pairs);
    assert_eq!(found.bias.len(), 1, "{name}: {found:?}");
    found.bias.into_iter().next().unwrap()
}

/// Whether a single metric is reported as an unmatched candidate (and not as evidence).
pub fn candidate(name: &str, tag_pairs: &[(&str, &str)]) -> bool {
    let found = single(name, 0.5, tag_pairs);
    found.bias.is_empty() && found.unmatched.len() == 1 && found.unmatched[0].raw_name == name
}

/// Whether a single metric yields nothing at all.
pub fn ignored(name: &str, tag_pairs: &[(&str, &str)]) -> bool {
    let found = single(name, 0.5, tag_pairs);
    found.bias.is_empty() && found.unmatched.is_empty()
}

/// The seeder's tags on both runs, with the run's overall verdict.
pub fn seed_tags(passed: &str) -> Vec<(&'static str, &str)> {
    vec![
        (
            "mlflow.source.git.commit",
            "9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c",
        ),
        ("fairness.sensitive_features", "sex,age_group"),
        ("fairness.tool", "fairlearn"),
        ("fairness.threshold.demographic_parity_difference", "0.1"),
        ("fairness.threshold.equalized_odds_difference", "0.1"),
        ("fairness.threshold.demographic_parity_ratio", "0.8"),
        ("fairness.passed", passed),
    ]
}

/// Metrics of the seeded "train-mitigated" run (recorded MLflow 3.17.2 `runs/get`).
pub const MITIGATED: &[(&str, f64)] = &[
    ("train_loss", 0.45),
    ("eval_accuracy", 0.738),
    (
        "fairness.sex.demographic_parity_difference",
        0.0447563865449081,
    ),
    ("fairness.sex.demographic_parity_ratio", 0.9350955494091023),
    (
        "fairness.sex.equalized_odds_difference",
        0.017963099446616615,
    ),
    ("fairness.sex.equalized_odds_ratio", 0.9570963988423785),
    (
        "fairness.sex.equal_opportunity_difference",
        0.007411633269153062,
    ),
    ("fairness.sex.accuracy.female", 0.7286585365853658),
    ("fairness.sex.accuracy.male", 0.745260663507109),
    ("fairness.sex.selection_rate.female", 0.6448170731707317),
    ("fairness.sex.selection_rate.male", 0.6895734597156398),
    ("fairness.sex.true_positive_rate.female", 0.8232189973614775),
    ("fairness.sex.true_positive_rate.male", 0.8306306306306306),
    (
        "fairness.sex.false_positive_rate.female",
        0.4007220216606498,
    ),
    ("fairness.sex.false_positive_rate.male", 0.4186851211072664),
];

/// Metrics of the seeded "train-baseline" run (recorded `runs/search`, page 1).
pub const BASELINE: &[(&str, f64)] = &[
    ("train_loss", 0.45),
    ("eval_accuracy", 0.742),
    (
        "fairness.sex.demographic_parity_difference",
        0.17141081955843263,
    ),
    ("fairness.sex.demographic_parity_ratio", 0.7707278419852344),
    (
        "fairness.sex.equalized_odds_difference",
        0.16297952606398258,
    ),
    ("fairness.sex.equalized_odds_ratio", 0.6659497657270144),
    (
        "fairness.sex.equal_opportunity_difference",
        0.12298842377998054,
    ),
    ("fairness.sex.accuracy.female", 0.7240853658536586),
    ("fairness.sex.accuracy.male", 0.7559241706161137),
    ("fairness.sex.selection_rate.female", 0.5762195121951219),
    ("fairness.sex.selection_rate.male", 0.7476303317535545),
    ("fairness.sex.true_positive_rate.female", 0.7598944591029023),
    ("fairness.sex.true_positive_rate.male", 0.8828828828828829),
    (
        "fairness.sex.false_positive_rate.female",
        0.3249097472924188,
    ),
    ("fairness.sex.false_positive_rate.male", 0.48788927335640137),
];

pub const MITIGATED_ID: &str = "0fc73af51e154b219ea1e0364e4fa7f0";
pub const BASELINE_ID: &str = "441cfdbcfe3c41448955b044fe3144aa";

/// (canonical metric, sensitive feature, group) of the single piece of evidence.
pub fn parts(
    name: &str,
    value: f64,
    tag_pairs: &[(&str, &str)],
) -> (String, Option<String>, Option<String>) {
    let b = one(name, value, tag_pairs);
    (b.metric, b.sensitive_feature, b.group)
}

/// Owned form of an expected `(metric, feature, group)` row.
pub fn expect(
    metric: &str,
    feature: Option<&str>,
    group: Option<&str>,
) -> (String, Option<String>, Option<String>) {
    (
        metric.to_string(),
        feature.map(str::to_string),
        group.map(str::to_string),
    )
}

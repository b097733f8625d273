//! Fairness JSON report artifacts: the seeder's `fairness-report/v1`, other shapes, and
//! whatever else a report file might hold.

#![allow(clippy::unwrap_used)]

mod support;

use assay_evidence::fairness::from_report;
use assay_evidence::{BiasEvidence, BiasSource, Convention, FairnessTool, Threshold};
use proptest::prelude::*;
use serde_json::{Value, json};
use support::*;

const PATH: &str = "fairness/fairness_report.json";

/// The seeded report of the "train-mitigated" run, as the server returned it.
fn seeded() -> Value {
    serde_json::from_str(include_str!("fixtures/fairness_report_v1.json")).unwrap()
}

/// Sorted by raw name, so the order of JSON object keys does not matter.
fn read(report: &Value, tag_pairs: &[(&str, &str)]) -> Vec<BiasEvidence> {
    let mut found = from_report(MITIGATED_ID, PATH, report, &tags(tag_pairs));
    found.sort_by(|a, b| a.raw_name.cmp(&b.raw_name));
    found
}

/// serde_json's default float parser may land one ULP away from the shortest repr.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-15
}

fn find<'a>(found: &'a [BiasEvidence], raw: &str) -> &'a BiasEvidence {
    found
        .iter()
        .find(|b| b.raw_name == raw)
        .unwrap_or_else(|| panic!("{raw}: {found:?}"))
}

#[test]
fn seeded_report_reads_exactly() {
    let found = read(&seeded(), &[]);
    assert_eq!(found.len(), 13);
    assert!(
        found
            .iter()
            .all(|b| b.source == BiasSource::Artifact(PATH.into()))
    );
    assert!(found.iter().all(|b| b.run == MITIGATED_ID));
    assert!(
        found
            .iter()
            .all(|b| b.sensitive_feature.as_deref() == Some("sex"))
    );
    // The report names its tool; no run tag is needed.
    assert!(found.iter().all(|b| b.tool == FairnessTool::Fairlearn));

    let ratio = |min| {
        Some(Threshold::RatioAtLeast {
            min,
            two_sided: false,
        })
    };
    let rows = [
        (
            "demographic_parity_difference",
            0.0447563865449081,
            Some(Threshold::AbsAtMost { max: 0.1 }),
        ),
        ("demographic_parity_ratio", 0.9350955494091023, ratio(0.8)),
        (
            "equalized_odds_difference",
            0.017963099446616615,
            Some(Threshold::AbsAtMost { max: 0.1 }),
        ),
        // The report states no threshold here, so the default holds.
        ("equalized_odds_ratio", 0.9570963988423785, ratio(0.8)),
        (
            "equal_opportunity_difference",
            0.007411633269153062,
            Some(Threshold::AbsAtMost { max: 0.1 }),
        ),
    ];
    for (metric, value, threshold) in rows {
        let b = find(&found, &format!("sensitive_features.sex.overall.{metric}"));
        assert_eq!((b.metric.as_str(), b.threshold), (metric, threshold));
        assert!(close(b.value, value), "{metric}: {}", b.value);
        assert_eq!((b.group.as_deref(), b.passed), (None, Some(true)));
    }
    let b = find(
        &found,
        "sensitive_features.sex.overall.equal_opportunity_difference",
    );
    assert_eq!(b.convention, Convention::DifferenceNonNegative);

    let b = find(
        &found,
        "sensitive_features.sex.by_group.selection_rate.female",
    );
    assert_eq!(
        (b.metric.as_str(), b.group.as_deref()),
        ("selection_rate", Some("female"))
    );
    assert!(close(b.value, 0.6448170731707317));
    assert_eq!(
        (b.convention, b.threshold, b.passed),
        (Convention::GroupValue, None, None)
    );
    let b = find(
        &found,
        "sensitive_features.sex.by_group.false_positive_rate.male",
    );
    assert!(close(b.value, 0.4186851211072664));
    let groups = found.iter().filter(|b| b.group.is_some()).count();
    assert_eq!(groups, 8);
}

#[test]
fn report_and_metrics_agree_on_the_seeded_run() {
    let run = run(MITIGATED_ID, MITIGATED, &seed_tags("true"));
    let from_metrics = assay_evidence::fairness::extract(&run, &[]).bias;
    let from_file = from_report(MITIGATED_ID, PATH, &seeded(), &run.tags);
    let key = |b: &BiasEvidence| {
        let labels = (
            b.metric.clone(),
            b.sensitive_feature.clone(),
            b.group.clone(),
        );
        (
            labels,
            b.tool,
            b.convention,
            b.threshold.map(|t| t.to_string()),
            b.passed,
        )
    };
    let mut a: Vec<_> = from_metrics.iter().map(|b| (key(b), b.value)).collect();
    let mut b: Vec<_> = from_file.iter().map(|b| (key(b), b.value)).collect();
    a.sort_by(|x, y| x.0.cmp(&y.0));
    b.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(a.len(), b.len());
    for ((ka, va), (kb, vb)) in a.iter().zip(&b) {
        assert_eq!(ka, kb);
        assert!(close(*va, *vb), "{ka:?}: {va} vs {vb}");
    }
}

#[test]
fn report_thresholds_and_tags() {
    let mut report = seeded();
    report["sensitive_features"]["sex"]["overall"]["demographic_parity_difference"]["threshold"] =
        json!(0.04);
    let found = read(&report, &[]);
    let b = find(
        &found,
        "sensitive_features.sex.overall.demographic_parity_difference",
    );
    assert_eq!(
        (b.threshold, b.passed),
        (Some(Threshold::AbsAtMost { max: 0.04 }), Some(false))
    );
    // A run tag outranks the report.
    let found = read(
        &report,
        &[("fairness.threshold.demographic_parity_difference", "0.05")],
    );
    let b = find(
        &found,
        "sensitive_features.sex.overall.demographic_parity_difference",
    );
    assert_eq!(b.passed, Some(true));
    // The report's top-level map applies where an entry states nothing.
    report["thresholds"]["equalized_odds_ratio"] = json!(0.97);
    let found = read(&report, &[]);
    let b = find(
        &found,
        "sensitive_features.sex.overall.equalized_odds_ratio",
    );
    assert_eq!(
        (b.threshold, b.passed),
        (
            Some(Threshold::RatioAtLeast {
                min: 0.97,
                two_sided: false
            }),
            Some(false)
        )
    );
}

#[test]
fn other_report_shapes() {
    // AIF360-style figures, a reference group, groups by row (MetricFrame transposed).
    let report = json!({
        "tool": "aif360",
        "sensitive_features": {
            "race": {
                "privileged_groups": ["white"],
                "overall": {
                    "statistical_parity_difference": -0.12,
                    "disparate_impact": {"value": "0.83"},
                    "theil_index": 0.1,
                    "custom": 1.0,
                    "selection_rate": 0.5
                },
                "by_group": {"black": {"selection_rate": 0.4, "fpr": 0.2, "mystery": 1.0}, "white": {"selection_rate": 0.5}}
            }
        }
    });
    let found = read(&report, &[]);
    let rows: Vec<_> = found
        .iter()
        .map(|b| {
            (
                b.metric.as_str(),
                b.group.as_deref(),
                b.value,
                b.convention,
                b.passed,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "false_positive_rate",
                Some("black"),
                0.2,
                Convention::GroupValue,
                None
            ),
            (
                "selection_rate",
                Some("black"),
                0.4,
                Convention::GroupValue,
                None
            ),
            (
                "selection_rate",
                Some("white"),
                0.5,
                Convention::GroupValue,
                None
            ),
            (
                "demographic_parity_ratio",
                None,
                0.83,
                Convention::RatioUnprivilegedOverPrivileged,
                Some(true)
            ),
            (
                "demographic_parity_difference",
                None,
                -0.12,
                Convention::DifferenceSigned,
                Some(false)
            ),
            ("theil_index", None, 0.1, Convention::Index, None),
        ]
    );
    assert!(found.iter().all(|b| b.tool == FairnessTool::Aif360));
    assert_eq!(
        find(&found, "sensitive_features.race.by_group.black.fpr")
            .reference_group
            .as_deref(),
        Some("white")
    );
    assert_eq!(
        find(&found, "sensitive_features.race.overall.theil_index").reference_group,
        None
    );

    // Plain name -> value maps, nested or not.
    let report = json!({
        "demographic_parity_difference": 0.05,
        "sex": {"disparate_impact": 0.7, "selection_rate": {"female": 0.3}},
        "fairness/race/dpd": {"value": 0.2, "threshold": 0.25},
        "thresholds": {"demographic_parity_difference": 0.01},
        "accuracy": 0.9,
        "notes": "text"
    });
    let found = read(&report, &[]);
    let rows: Vec<_> = found
        .iter()
        .map(|b| {
            (
                b.raw_name.as_str(),
                b.metric.as_str(),
                b.sensitive_feature.as_deref(),
                b.passed,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "demographic_parity_difference",
                "demographic_parity_difference",
                None,
                Some(false)
            ),
            (
                "fairness/race/dpd",
                "demographic_parity_difference",
                Some("race"),
                Some(true)
            ),
            (
                "sex/disparate_impact",
                "demographic_parity_ratio",
                Some("sex"),
                Some(false)
            ),
            (
                "sex/selection_rate/female",
                "selection_rate",
                Some("sex"),
                None
            ),
        ]
    );
}

#[test]
fn odd_reports_are_skipped_not_fatal() {
    let odd = [
        json!(null),
        json!(42),
        json!("fairness"),
        json!([1, 2, 3]),
        json!({}),
        json!({"schema": "fairness-report/v1"}),
        json!({"sensitive_features": []}),
        json!({"sensitive_features": {"sex": 5, "race": null}}),
        json!({"sensitive_features": {"sex": {"overall": [], "by_group": 3}}}),
        json!({"sensitive_features": {"sex": {"overall": {"demographic_parity_difference": {"value": null}}}}}),
        json!({"sensitive_features": {"sex": {"overall": {"demographic_parity_difference": "high"}}}}),
        json!({"sensitive_features": {"sex": {"by_group": {"selection_rate": {"f": "x", "m": [1]}}}}}),
        json!({"sensitive_features": {"": {"overall": {"": 1.0}}}}),
    ];
    for report in odd {
        assert_eq!(read(&report, &[]), [], "{report}");
    }
    // Nesting far deeper than any report is cut off quietly.
    let mut deep = json!({"dpd_sex": 0.05});
    for _ in 0..200 {
        deep = json!({ "fairness": deep });
    }
    assert!(read(&deep, &[]).is_empty());
    // A threshold that cannot apply is ignored.
    let report = json!({"sensitive_features": {"sex": {"overall": {
        "demographic_parity_ratio": {"value": 0.9, "threshold": 7},
        "demographic_parity_difference": {"value": 0.05, "threshold": "loose"}
    }}}});
    let found = read(&report, &[]);
    let thresholds: Vec<_> = found.iter().map(|b| b.threshold).collect();
    let expected = [
        Some(Threshold::AbsAtMost { max: 0.1 }),
        Some(Threshold::RatioAtLeast {
            min: 0.8,
            two_sided: false,
        }),
    ];
    assert_eq!(thresholds, expected);
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        let key = prop_oneof![
            Just("sensitive_features".to_string()),
            Just("overall".to_string()),
            Just("by_group".to_string()),
            Just("value".to_string()),
            Just("threshold".to_string()),
            Just("thresholds".to_string()),
            Just("selection_rate".to_string()),
            Just("demographic_parity_difference".to_string()),
            Just("sex".to_string()),
            "\\PC{0,10}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key, inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn from_report_never_panics(report in json_value(), tool in "\\PC{0,10}") {
        let found = from_report("r", PATH, &report, &tags(&[("fairness.tool", &tool)]));
        for b in found {
            prop_assert_eq!(b.source, BiasSource::Artifact(PATH.into()));
            prop_assert_eq!(b.passed.is_some(), b.threshold.is_some());
        }
    }
}

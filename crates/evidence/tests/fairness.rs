//! Fairness metric recognition: the seeder's names and values, the naming styles, unmatched
//! candidates and hostile input.

#![allow(clippy::unwrap_used)]

mod support;

use assay_evidence::fairness::extract;
use assay_evidence::{BiasSource, BiasType, Convention, FairnessTool, Threshold};
use proptest::prelude::*;
use support::*;

const ABS_01: Option<Threshold> = Some(Threshold::AbsAtMost { max: 0.1 });
const MIN_08: Option<Threshold> = Some(Threshold::RatioAtLeast {
    min: 0.8,
    two_sided: false,
});

#[rustfmt::skip]
const SEEDED_AGGREGATES: &[(&str, f64, Convention, BiasType, Option<Threshold>)] = &[
    ("demographic_parity_difference", 0.0447563865449081, Convention::DifferenceNonNegative, BiasType::Independence, ABS_01),
    ("demographic_parity_ratio", 0.9350955494091023, Convention::RatioMinOverMax, BiasType::Independence, MIN_08),
    ("equalized_odds_difference", 0.017963099446616615, Convention::DifferenceNonNegative, BiasType::Separation, ABS_01),
    ("equalized_odds_ratio", 0.9570963988423785, Convention::RatioMinOverMax, BiasType::Separation, MIN_08),
    ("equal_opportunity_difference", 0.007411633269153062, Convention::DifferenceNonNegative, BiasType::Separation, ABS_01),
];

#[rustfmt::skip]
const SEEDED_GROUPS: &[(&str, &str, f64, BiasType)] = &[
    ("accuracy", "female", 0.7286585365853658, BiasType::PerformanceDisparity),
    ("accuracy", "male", 0.745260663507109, BiasType::PerformanceDisparity),
    ("selection_rate", "female", 0.6448170731707317, BiasType::Independence),
    ("selection_rate", "male", 0.6895734597156398, BiasType::Independence),
    ("true_positive_rate", "female", 0.8232189973614775, BiasType::Separation),
    ("true_positive_rate", "male", 0.8306306306306306, BiasType::Separation),
    ("false_positive_rate", "female", 0.4007220216606498, BiasType::Separation),
    ("false_positive_rate", "male", 0.4186851211072664, BiasType::Separation),
];

#[test]
fn seeded_mitigated_run_reads_exactly() {
    let found = extract(&run(MITIGATED_ID, MITIGATED, &seed_tags("true")), &[]);
    assert!(found.unmatched.is_empty(), "{:?}", found.unmatched);
    assert_eq!(found.bias.len(), 13);
    assert!(
        found
            .bias
            .iter()
            .all(|b| b.run == MITIGATED_ID && b.source == BiasSource::Metric)
    );
    assert!(
        found
            .bias
            .iter()
            .all(|b| b.sensitive_feature.as_deref() == Some("sex"))
    );
    assert!(found.bias.iter().all(|b| b.tool == FairnessTool::Fairlearn));
    assert!(found.bias.iter().all(|b| b.reference_group.is_none()));
    assert!(
        found
            .bias
            .iter()
            .all(|b| b.raw_name.starts_with("fairness.sex."))
    );

    for &(metric, value, convention, bias_type, threshold) in SEEDED_AGGREGATES {
        let raw = format!("fairness.sex.{metric}");
        let b = found.bias.iter().find(|b| b.raw_name == raw).unwrap();
        assert_eq!(
            (b.metric.as_str(), b.value, b.group.as_deref()),
            (metric, value, None)
        );
        assert_eq!(
            (b.convention, b.bias_type, b.threshold),
            (convention, bias_type, threshold)
        );
        assert_eq!(b.passed, Some(true), "{raw}");
    }
    for &(metric, group, value, bias_type) in SEEDED_GROUPS {
        let raw = format!("fairness.sex.{metric}.{group}");
        let b = found.bias.iter().find(|b| b.raw_name == raw).unwrap();
        assert_eq!(
            (b.metric.as_str(), b.group.as_deref(), b.value),
            (metric, Some(group), value)
        );
        assert_eq!(
            (b.convention, b.bias_type),
            (Convention::GroupValue, bias_type)
        );
        assert_eq!((b.threshold, b.passed), (None, None));
    }
}

#[test]
fn seeded_baseline_run_fails_every_threshold() {
    let found = extract(&run(BASELINE_ID, BASELINE, &seed_tags("false")), &[]);
    assert_eq!((found.bias.len(), found.unmatched.len()), (13, 0));
    let verdicts: Vec<(&str, f64, Option<bool>)> = found
        .bias
        .iter()
        .filter(|b| b.group.is_none())
        .map(|b| (b.raw_name.as_str(), b.value, b.passed))
        .collect();
    assert_eq!(
        verdicts,
        [
            (
                "fairness.sex.demographic_parity_difference",
                0.17141081955843263,
                Some(false)
            ),
            (
                "fairness.sex.demographic_parity_ratio",
                0.7707278419852344,
                Some(false)
            ),
            (
                "fairness.sex.equal_opportunity_difference",
                0.12298842377998054,
                Some(false)
            ),
            (
                "fairness.sex.equalized_odds_difference",
                0.16297952606398258,
                Some(false)
            ),
            (
                "fairness.sex.equalized_odds_ratio",
                0.6659497657270144,
                Some(false)
            ),
        ]
    );
}

/// (raw name, canonical metric, feature, group), read from a run without tags.
#[rustfmt::skip]
const STYLES: &[(&str, &str, Option<&str>, Option<&str>)] = &[
    // fairness.<feature>.<metric>[.<group>] and its separators
    ("fairness.race.equalized_odds_difference", "equalized_odds_difference", Some("race"), None),
    ("fairness:sex:selection_rate:female", "selection_rate", Some("sex"), Some("female")),
    ("fairness__age_group__selection_rate__18-30", "selection_rate", Some("age_group"), Some("18-30")),
    ("fairness.age_group.selection_rate.51_", "selection_rate", Some("age_group"), Some("51_")),
    ("fairness.income_band.selection_rate.1.5x", "selection_rate", Some("income_band"), Some("1.5x")),
    ("Fairness.Sex.Selection_Rate.Female", "selection_rate", Some("Sex"), Some("Female")),
    ("fairness.sex.tpr.female", "true_positive_rate", Some("sex"), Some("female")),
    ("fairness.sex.count.female", "count", Some("sex"), Some("female")),
    ("fairness.sex.base_rate.male", "base_rate", Some("sex"), Some("male")),
    // slash-grouped, W&B style
    ("fairness/sex/demographic_parity_difference", "demographic_parity_difference", Some("sex"), None),
    ("fairness/demographic_parity_difference", "demographic_parity_difference", None, None),
    ("eval/race/equalized_odds_difference", "equalized_odds_difference", Some("race"), None),
    ("test/fairness/sex/disparate_impact", "demographic_parity_ratio", Some("sex"), None),
    ("fairness/dpd/sex", "demographic_parity_difference", Some("sex"), None),
    ("fairness/sex/selection_rate/female", "selection_rate", Some("sex"), Some("female")),
    ("fairness/sex/female/selection_rate", "selection_rate", Some("sex"), Some("female")),
    ("eval/sex/accuracy/female", "accuracy", Some("sex"), Some("female")),
    ("eval/sex/by_group/false_negative_rate/male", "false_negative_rate", Some("sex"), Some("male")),
    // <metric>_<feature>, <feature>_<metric>
    ("dpd_sex", "demographic_parity_difference", Some("sex"), None),
    ("demographic_parity_difference_race", "demographic_parity_difference", Some("race"), None),
    ("equal_opportunity_ratio_age_group", "equal_opportunity_ratio", Some("age_group"), None),
    ("sex_disparate_impact", "demographic_parity_ratio", Some("sex"), None),
    ("eval_demographic_parity_difference", "demographic_parity_difference", None, None),
    ("selection_rate_difference_sex", "demographic_parity_difference", Some("sex"), None),
    ("disparate_impact_ratio_sex", "demographic_parity_ratio", Some("sex"), None),
    ("recall_score_group_min_sex", "recall_score_group_min", Some("sex"), None),
    ("accuracy_score_group_min", "accuracy_score_group_min", None, None),
    // a per-group rate with a suffix: the suffix is a group unless it starts with a feature
    ("selection_rate_female", "selection_rate", None, Some("female")),
    ("selection_rate_sex_female", "selection_rate", Some("sex"), Some("female")),
    ("base_rate_marital_status_single", "base_rate", Some("marital_status"), Some("single")),
    ("fairness.sex.selection_rate_female", "selection_rate", Some("sex"), Some("female")),
];

#[test]
fn naming_styles() {
    for &(name, metric, feature, group) in STYLES {
        assert_eq!(
            parts(name, 0.05, &[]),
            expect(metric, feature, group),
            "{name}"
        );
    }
}

#[test]
fn run_tags_fill_in_features() {
    let listed = [("fairness.sensitive_features", "zip_region")];
    let row = parts("dpd_zip_region", 0.05, &listed);
    assert_eq!(
        row,
        expect("demographic_parity_difference", Some("zip_region"), None)
    );
    let row = parts("selection_rate_zip_region_north", 0.5, &listed);
    assert_eq!(
        row,
        expect("selection_rate", Some("zip_region"), Some("north"))
    );
    // With one listed feature, names that do not say theirs get it.
    let row = parts(
        "selection_rate_female",
        0.6,
        &[("fairness.sensitive_features", "sex")],
    );
    assert_eq!(row, expect("selection_rate", Some("sex"), Some("female")));
    // Short aliases are trusted once the run's tags speak of fairness.
    let row = parts("dpd", 0.05, &[("fairness.sensitive_features", "sex")]);
    assert_eq!(
        row,
        expect("demographic_parity_difference", Some("sex"), None)
    );
}

#[test]
fn unmatched_candidates() {
    for name in [
        "fairness.sex.custom_gap",
        "fairness_score",
        "bias_score",
        "disparity_index",
        "fairness/sex/parity_gap",
        "equalized_odds_something",
        "dpd",
        "eval/di",
        "eval/spd_custom",
        "fairness.passes",
        "fairness",
        "selection_rate_sex",
        "fairness.sex.selection_rate",
        "fairness.sex.demographic_parity_difference.female",
    ] {
        assert!(candidate(name, &[]), "{name} should be a candidate");
    }
}

#[test]
fn plain_metrics_are_not_fairness() {
    for name in [
        "accuracy",
        "train_loss",
        "eval_auc",
        "eval_accuracy",
        "roc_auc",
        "precision_macro",
        "f1_micro",
        "accuracy_top5",
        "val/accuracy/top5",
        "eval/f1/macro",
        "eval/sex_ratio",
        "layer1.bias.grad_norm",
        "gradients/fc.bias",
        "di_loss",
        "consistency_loss",
        "fairness.threshold.demographic_parity_difference",
        "fairness.passed",
    ] {
        assert!(ignored(name, &[]), "{name} should be ignored");
    }
    // Even in a run that logs fairness, plain metrics stay plain.
    let found = extract(&run("r", MITIGATED, &seed_tags("true")), &[]);
    assert!(
        !found
            .bias
            .iter()
            .any(|b| b.raw_name == "train_loss" || b.raw_name == "eval_accuracy")
    );
}

#[test]
fn odd_names() {
    for name in [
        "",
        " ",
        "....",
        "////",
        "__",
        ":::",
        "_._/_",
        "fairness.",
        ".fairness.sex.",
    ] {
        let found = single(name, 0.1, &[]);
        assert!(found.bias.is_empty(), "{name:?}: {found:?}");
    }
    // Very long names are skipped whole rather than parsed.
    let long = format!(
        "fairness.sex.{}.demographic_parity_difference",
        "x".repeat(5000)
    );
    assert!(ignored(&long, &[]));
    // Many segments, each worth matching, still come back quickly.
    let many = "dpd_sex/".repeat(120);
    assert_eq!(
        single(&many, 0.05, &[]).bias.len() + single(&many, 0.05, &[]).unmatched.len(),
        1
    );
    let long_group = format!("fairness.sex.selection_rate.{}", "g".repeat(900));
    assert_eq!(one(&long_group, 0.5, &[]).group.map(|g| g.len()), Some(900));
    // Non-ASCII features and groups are kept as written.
    let row = parts("fairness.性别.selection_rate.女", 0.5, &[]);
    assert_eq!(row, expect("selection_rate", Some("性别"), Some("女")));
    let row = parts(
        "fairness.Geschlecht.demographic_parity_difference",
        0.05,
        &[],
    );
    assert_eq!(
        row,
        expect("demographic_parity_difference", Some("Geschlecht"), None)
    );
}

#[test]
fn odd_values() {
    // NaN and infinities never pass a threshold, and have no verdict without one.
    let b = one("fairness.sex.demographic_parity_difference", f64::NAN, &[]);
    assert!(b.value.is_nan());
    assert_eq!(b.passed, Some(false));
    assert_eq!(
        one("disparate_impact_sex", f64::INFINITY, &[]).passed,
        Some(false)
    );
    assert_eq!(one("dpr_sex", f64::INFINITY, &[]).passed, Some(false));
    assert_eq!(one("dpd_sex", f64::NEG_INFINITY, &[]).passed, Some(false));
    assert_eq!(
        one("fairness.sex.selection_rate.female", f64::NAN, &[]).passed,
        None
    );
    assert_eq!(
        one("fairness.sex.demographic_parity_difference", -0.0, &[]).passed,
        Some(true)
    );
    // Exactly on the threshold passes.
    assert_eq!(one("dpd_sex", 0.1, &[]).passed, Some(true));
    assert_eq!(one("dpr_sex", 0.8, &[]).passed, Some(true));
    assert_eq!(one("disparate_impact_sex", 1.25, &[]).passed, Some(true));

    // A NaN survives a JSON round trip (serde_json writes it as null).
    let b = one("dpd_sex", f64::NAN, &[]);
    let json = serde_json::to_string(&b).unwrap();
    let back: assay_evidence::BiasEvidence = serde_json::from_str(&json).unwrap();
    assert!(back.value.is_nan());
    assert_eq!(back.raw_name, b.raw_name);
}

fn name_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("fairness".to_string()),
        Just("sex".to_string()),
        Just("dpd".to_string()),
        Just("selection_rate".to_string()),
        Just("demographic_parity_difference".to_string()),
        Just("_group_min".to_string()),
        Just("__".to_string()),
        Just("threshold".to_string()),
        "[a-z_]{0,12}",
        "\\PC{0,6}",
        prop::sample::select(vec![".", "/", ":", "_", "é", "性", " ", "\u{0}"])
            .prop_map(String::from),
    ]
}

fn any_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        -2.0..2.0f64
    ]
}

proptest! {
    #[test]
    fn extract_never_panics(
        names in prop::collection::vec(
            prop_oneof![prop::collection::vec(name_piece(), 0..8).prop_map(|p| p.concat()), "\\PC*"],
            0..12,
        ),
        value in any_value(),
        threshold in "\\PC{0,8}",
        features in "\\PC{0,16}",
    ) {
        let metrics: Vec<(&str, f64)> = names.iter().map(|n| (n.as_str(), value)).collect();
        let tags = [
            ("fairness.sensitive_features", features.as_str()),
            ("fairness.threshold.demographic_parity_difference", threshold.as_str()),
            ("fairness.reference_group.sex", "male"),
        ];
        let run = run("r", &metrics, &tags);
        let found = extract(&run, &[]);
        // Each name yields at most one finding, never both kinds.
        for b in &found.bias {
            prop_assert!(run.metrics.contains_key(&b.raw_name));
            prop_assert!(!found.unmatched.iter().any(|u| u.raw_name == b.raw_name));
            prop_assert_eq!(b.passed.is_some(), b.threshold.is_some());
        }
        prop_assert!(found.bias.len() + found.unmatched.len() <= run.metrics.len());
    }
}

//! Fairness aliases and their conventions, thresholds and their overrides, reference groups
//! and user mapping rules.

#![allow(clippy::unwrap_used)]

mod support;

use assay_evidence::fairness::{
    FairnessError, MappingRule, canonical_metrics, extract, validate_rule,
};
use assay_evidence::{BiasType, Convention, FairnessTool, Threshold};
use support::*;

use Convention::*;
use FairnessTool::*;

const ABS_01: Option<Threshold> = Some(Threshold::AbsAtMost { max: 0.1 });
const MIN_08: Option<Threshold> = Some(Threshold::RatioAtLeast {
    min: 0.8,
    two_sided: false,
});
const DI_08: Option<Threshold> = Some(Threshold::RatioAtLeast {
    min: 0.8,
    two_sided: true,
});

type AliasRow = (
    &'static str,
    f64,
    &'static str,
    FairnessTool,
    Convention,
    Option<Threshold>,
    Option<bool>,
);

/// (name, value, canonical, tool, convention, threshold, passed), from a run without tags.
#[rustfmt::skip]
const ALIASES: &[AliasRow] = &[
    ("statistical_parity_difference_sex", -0.15, "demographic_parity_difference", Aif360, DifferenceSigned, ABS_01, Some(false)),
    ("spd_race", -0.05, "demographic_parity_difference", Aif360, DifferenceSigned, ABS_01, Some(true)),
    ("fairness.sex.mean_difference", -0.02, "demographic_parity_difference", Aif360, DifferenceSigned, ABS_01, Some(true)),
    ("fairness.sex.dp_diff", 0.02, "demographic_parity_difference", Fairlearn, DifferenceNonNegative, ABS_01, Some(true)),
    ("disparate_impact_sex", 1.3, "demographic_parity_ratio", Aif360, RatioUnprivilegedOverPrivileged, DI_08, Some(false)),
    ("disparate_impact_sex", 1.2, "demographic_parity_ratio", Aif360, RatioUnprivilegedOverPrivileged, DI_08, Some(true)),
    ("disparate_impact_ratio_sex", 0.75, "demographic_parity_ratio", Aif360, RatioUnprivilegedOverPrivileged, DI_08, Some(false)),
    ("fairness.sex.di", 0.9, "demographic_parity_ratio", Aif360, RatioUnprivilegedOverPrivileged, DI_08, Some(true)),
    ("dpr_sex", 0.85, "demographic_parity_ratio", Fairlearn, RatioMinOverMax, MIN_08, Some(true)),
    ("selection_rate_ratio_sex", 0.7, "demographic_parity_ratio", Fairlearn, RatioMinOverMax, MIN_08, Some(false)),
    ("eod_sex", 0.05, "equalized_odds_difference", Fairlearn, DifferenceNonNegative, ABS_01, Some(true)),
    ("true_positive_rate_difference_sex", 0.05, "equal_opportunity_difference", Unknown, DifferenceNonNegative, ABS_01, Some(true)),
    ("true_positive_rate_difference_sex", -0.05, "equal_opportunity_difference", Unknown, DifferenceSigned, ABS_01, Some(true)),
    ("true_positive_rate_ratio_sex", 0.9, "equal_opportunity_ratio", Unknown, RatioMinOverMax, MIN_08, Some(true)),
    ("fairness.sex.fpr_ratio", 1.3, "false_positive_rate_ratio", Unknown, RatioUnprivilegedOverPrivileged, DI_08, Some(false)),
    ("aif360/sex/false_positive_rate_difference", -0.2, "false_positive_rate_difference", Aif360, DifferenceSigned, ABS_01, Some(false)),
    ("fairlearn/sex/false_negative_rate_ratio", 0.9, "false_negative_rate_ratio", Fairlearn, RatioMinOverMax, MIN_08, Some(true)),
    ("average_odds_difference_sex", -0.08, "average_odds_difference", Aif360, DifferenceSigned, ABS_01, Some(true)),
    ("average_abs_odds_difference_sex", 0.12, "average_abs_odds_difference", Aif360, DifferenceNonNegative, ABS_01, Some(false)),
    ("true_negative_rate_ratio_sex", 0.95, "true_negative_rate_ratio", Fairlearn, RatioMinOverMax, MIN_08, Some(true)),
    ("zero_one_loss_difference_sex", 0.03, "error_rate_difference", Fairlearn, DifferenceNonNegative, ABS_01, Some(true)),
    ("zero_one_loss_ratio_sex", 0.7, "error_rate_ratio", Fairlearn, RatioMinOverMax, MIN_08, Some(false)),
    ("accuracy_score_ratio_sex", 0.97, "accuracy_ratio", Fairlearn, RatioMinOverMax, MIN_08, Some(true)),
    ("false_discovery_rate_difference_sex", 0.04, "false_discovery_rate_difference", Aif360, DifferenceSigned, ABS_01, Some(true)),
    ("false_omission_rate_ratio_sex", 0.9, "false_omission_rate_ratio", Aif360, RatioUnprivilegedOverPrivileged, DI_08, Some(true)),
    ("ppv_difference_sex", 0.02, "positive_predictive_value_difference", Unknown, DifferenceNonNegative, ABS_01, Some(true)),
    ("fairness/theil_index", 0.2, "theil_index", Aif360, Index, None, None),
    ("fairness/generalized_entropy_error", 0.2, "generalized_entropy_index", Aif360, Index, None, None),
    ("between_all_groups_theil_index", 0.01, "between_group_theil_index", Aif360, Index, None, None),
    ("fairness/consistency", 0.93, "consistency", Aif360, Index, None, None),
    ("accuracy_score_group_min", 0.61, "accuracy_score_group_min", Fairlearn, GroupExtreme, None, None),
    ("log_loss_group_max", 0.9, "log_loss_group_max", Fairlearn, GroupExtreme, None, None),
    ("fairness.sex.tpr.female", 0.8, "true_positive_rate", Unknown, GroupValue, None, None),
];

#[test]
fn aliases_carry_tool_and_convention() {
    for &(name, value, metric, tool, convention, threshold, passed) in ALIASES {
        let b = one(name, value, &[]);
        assert_eq!(
            (
                b.metric.as_str(),
                b.tool,
                b.convention,
                b.threshold,
                b.passed
            ),
            (metric, tool, convention, threshold, passed),
            "{name} = {value}"
        );
        assert_eq!(b.raw_name, name);
    }
    let bias_type = |name: &str| one(name, 0.5, &[]).bias_type;
    assert_eq!(bias_type("fairness/consistency"), BiasType::Individual);
    assert_eq!(
        bias_type("false_discovery_rate_difference_sex"),
        BiasType::Sufficiency
    );
    assert_eq!(
        bias_type("accuracy_score_group_min"),
        BiasType::PerformanceDisparity
    );
    assert_eq!(
        bias_type("fairness.sex.base_rate.male"),
        BiasType::DataRepresentation
    );
}

#[test]
fn tool_tag_settles_names_both_libraries_use() {
    let b = one(
        "true_positive_rate_difference_sex",
        0.05,
        &[("fairness.tool", "aif360")],
    );
    assert_eq!((b.tool, b.convention), (Aif360, DifferenceSigned));
    let b = one("fpr_ratio_sex", 0.9, &[("fairness.tool", "AIF360 0.6")]);
    assert_eq!(
        (b.convention, b.threshold),
        (RatioUnprivilegedOverPrivileged, DI_08)
    );
    // A name that says its library is not overruled by the tag.
    let b = one(
        "statistical_parity_difference_sex",
        0.05,
        &[("fairness.tool", "fairlearn")],
    );
    assert_eq!((b.tool, b.convention), (Aif360, DifferenceSigned));
    let b = one(
        "fairness.sex.tpr.female",
        0.8,
        &[("fairness.tool", "hand-computed")],
    );
    assert_eq!(b.tool, Unknown);
}

#[test]
fn threshold_tags_override_defaults() {
    let dpd = "fairness.sex.demographic_parity_difference";
    let with = |tags: &[(&str, &str)]| one(dpd, 0.17141081955843263, tags);
    let abs = |max: f64| Some(Threshold::AbsAtMost { max });

    let b = with(&[("fairness.threshold.demographic_parity_difference", "0.2")]);
    assert_eq!((b.threshold, b.passed), (abs(0.2), Some(true)));
    let b = with(&[(
        "fairness.threshold.sex.demographic_parity_difference",
        " 0.25 ",
    )]);
    assert_eq!(b.threshold, abs(0.25));
    let b = with(&[("Fairness.Threshold.Demographic_Parity_Difference", "0.2")]);
    assert_eq!(b.passed, Some(true));
    // The feature-specific key wins over the generic one, the raw name over the canonical.
    let b = with(&[
        ("fairness.threshold.demographic_parity_difference", "0.05"),
        (
            "fairness.threshold.sex.demographic_parity_difference",
            "0.3",
        ),
    ]);
    assert_eq!(b.threshold, abs(0.3));
    let raw_key = format!("fairness.threshold.{dpd}");
    let b = with(&[
        (&raw_key, "0.18"),
        ("fairness.threshold.demographic_parity_difference", "0.05"),
    ]);
    assert_eq!(b.threshold, abs(0.18));
    // Unreadable or senseless values keep the default.
    for bad in ["abc", "", "-0.2", "NaN", "inf", "0,2"] {
        let b = with(&[("fairness.threshold.demographic_parity_difference", bad)]);
        assert_eq!((b.threshold, b.passed), (ABS_01, Some(false)), "{bad:?}");
    }
    // ... and a readable one further down the list still applies.
    let b = with(&[
        (
            "fairness.threshold.sex.demographic_parity_difference",
            "oops",
        ),
        ("fairness.threshold.demographic_parity_difference", "0.2"),
    ]);
    assert_eq!(b.threshold, abs(0.2));

    // The alias as logged names the threshold too.
    let b = one("dpd_sex", 0.08, &[("fairness.threshold.dpd", "0.05")]);
    assert_eq!((b.threshold, b.passed), (abs(0.05), Some(false)));
    let b = one(
        "disparate_impact_sex",
        0.75,
        &[("fairness.threshold.disparate_impact", "0.7")],
    );
    let di_07 = Some(Threshold::RatioAtLeast {
        min: 0.7,
        two_sided: true,
    });
    assert_eq!((b.threshold, b.passed), (di_07, Some(true)));
    // Ratio bounds outside (0, 1] are ignored.
    for bad in ["1.25", "0", "-1"] {
        let b = one(
            "dpr_sex",
            0.85,
            &[("fairness.threshold.demographic_parity_ratio", bad)],
        );
        assert_eq!(b.threshold, MIN_08, "{bad}");
    }
    // Metrics without a default threshold do not take one from tags.
    let b = one(
        "fairness/theil_index",
        0.2,
        &[("fairness.threshold.theil_index", "0.1")],
    );
    assert_eq!((b.threshold, b.passed), (None, None));
}

#[test]
fn thresholds_read_in_words() {
    assert_eq!(ABS_01.unwrap().to_string(), "|x| <= 0.1");
    assert_eq!(MIN_08.unwrap().to_string(), ">= 0.8");
    assert_eq!(DI_08.unwrap().to_string(), "between 0.8 and 1.25");
}

/// The margin past a threshold ranks failing figures; it agrees with `passes` on every side of
/// every rule.
#[test]
fn margins_are_positive_exactly_when_a_figure_fails() {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    let abs = ABS_01.unwrap();
    assert!(close(abs.margin(0.25), 0.15) && close(abs.margin(-0.25), 0.15));
    assert!(close(abs.margin(0.04), -0.06));
    assert!(close(MIN_08.unwrap().margin(0.6), 0.2));
    assert!(
        close(MIN_08.unwrap().margin(3.0), -2.2),
        "one-sided: no upper bound"
    );
    assert!(close(DI_08.unwrap().margin(1.5), 0.25), "above 1 / 0.8");
    assert!(close(DI_08.unwrap().margin(0.7), 0.1));
    assert_eq!(abs.margin(f64::NAN), f64::INFINITY);
    for threshold in [abs, MIN_08.unwrap(), DI_08.unwrap()] {
        for value in [-0.3, -0.1, 0.0, 0.05, 0.1, 0.5, 0.8, 1.0, 1.25, 1.3, 2.0] {
            assert_eq!(
                threshold.passes(value),
                threshold.margin(value) <= 0.0,
                "{threshold} at {value}"
            );
        }
    }
}

#[test]
fn reference_group_from_tags() {
    let tags = [
        ("fairness.reference_group.sex", "male"),
        ("fairness.privileged_group", "white"),
    ];
    let reference = |name: &str, value: f64| one(name, value, &tags).reference_group;
    assert_eq!(
        reference("fairness.sex.selection_rate.female", 0.6).as_deref(),
        Some("male")
    );
    assert_eq!(
        reference("statistical_parity_difference_sex", -0.05).as_deref(),
        Some("male")
    );
    assert_eq!(
        reference("disparate_impact_race", 0.9).as_deref(),
        Some("white")
    );
    // fairlearn's max - min has no reference group.
    assert_eq!(
        reference("fairness.sex.demographic_parity_difference", 0.05),
        None
    );
}

fn rule(raw: &str, metric: &str, feature: Option<&str>, group: Option<&str>) -> MappingRule {
    MappingRule {
        raw_name: raw.to_string(),
        metric: metric.to_string(),
        sensitive_feature: feature.map(str::to_string),
        group: group.map(str::to_string),
    }
}

#[test]
fn mapping_rules_apply_before_recognition() {
    let metrics = [
        ("gap_custom", 0.12),
        ("fairness.sex.custom_gap", 0.02),
        ("fairness.sex.rate_f", 0.4),
        ("dpd_sex", 0.05),
        ("fairness.weird", 0.3),
    ];
    let rules = [
        rule(
            "gap_custom",
            "demographic_parity_difference",
            Some("sex"),
            None,
        ),
        rule(
            "fairness.sex.custom_gap",
            "equalized_odds_difference",
            Some("sex"),
            None,
        ),
        rule(
            "fairness.sex.rate_f",
            "selection_rate",
            Some("sex"),
            Some("female"),
        ),
        // Overrides what recognition would say.
        rule("dpd_sex", "demographic_parity_ratio", Some("gender"), None),
        // Ignored: not a canonical metric, and a per-group value without a group.
        rule("fairness.weird", "no_such_metric", None, None),
        rule("fairness.weird", "selection_rate", None, None),
    ];
    let found = extract(
        &run("r", &metrics, &[("fairness.tool", "fairlearn")]),
        &rules,
    );
    let unmatched: Vec<&str> = found
        .unmatched
        .iter()
        .map(|u| u.raw_name.as_str())
        .collect();
    assert_eq!(unmatched, ["fairness.weird"]);
    let rows: Vec<_> = found
        .bias
        .iter()
        .map(|b| {
            (
                b.raw_name.as_str(),
                b.metric.as_str(),
                b.sensitive_feature.as_deref(),
                b.group.as_deref(),
                b.passed,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "dpd_sex",
                "demographic_parity_ratio",
                Some("gender"),
                None,
                Some(false)
            ),
            (
                "fairness.sex.custom_gap",
                "equalized_odds_difference",
                Some("sex"),
                None,
                Some(true)
            ),
            (
                "fairness.sex.rate_f",
                "selection_rate",
                Some("sex"),
                Some("female"),
                None
            ),
            (
                "gap_custom",
                "demographic_parity_difference",
                Some("sex"),
                None,
                Some(false)
            ),
        ]
    );
    assert!(found.bias.iter().all(|b| b.tool == Fairlearn));
    // A rule's raw name is a threshold key too.
    let tags = [("fairness.threshold.gap_custom", "0.15")];
    let found = extract(&run("r", &metrics[..1], &tags), &rules);
    assert_eq!(found.bias[0].passed, Some(true));
}

#[test]
fn rules_are_validated_with_clear_messages() {
    let ok = rule("x", "demographic_parity_difference", None, None);
    assert_eq!(validate_rule(&ok), Ok(()));
    assert_eq!(
        validate_rule(&rule("x", "f1_score_group_min", None, None)),
        Ok(())
    );
    assert_eq!(
        validate_rule(&rule("x", "count", Some("sex"), Some("f"))),
        Ok(())
    );

    let cases = [
        (
            rule(" ", "theil_index", None, None),
            FairnessError::EmptyRawName,
        ),
        (
            rule("x", "theil_index", Some(""), None),
            FairnessError::EmptyField("sensitive feature"),
        ),
        (
            rule("x", "count", None, Some(" ")),
            FairnessError::EmptyField("group"),
        ),
        (
            rule("x", "bogus", None, None),
            FairnessError::UnknownMetric("bogus".into()),
        ),
        (
            rule("x", "selection_rate", Some("sex"), None),
            FairnessError::GroupRequired("selection_rate".into()),
        ),
        (
            rule("x", "DPD", None, None),
            FairnessError::AliasNotCanonical {
                given: "DPD".into(),
                canonical: "demographic_parity_difference".into(),
            },
        ),
    ];
    for (rule, error) in cases {
        assert_eq!(validate_rule(&rule), Err(error));
    }
    let message = validate_rule(&rule("x", "statistical_parity_difference", None, None))
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        "`statistical_parity_difference` is another name for `demographic_parity_difference`; \
         rules use the canonical name"
    );
    assert!(
        FairnessError::UnknownMetric("bogus".into())
            .to_string()
            .contains("`bogus`")
    );
}

#[test]
fn canonical_metrics_are_listed_once_and_all_valid() {
    let names = canonical_metrics();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len());
    for expected in [
        "demographic_parity_difference",
        "demographic_parity_ratio",
        "equalized_odds_difference",
        "equal_opportunity_ratio",
        "average_abs_odds_difference",
        "false_omission_rate_difference",
        "between_group_generalized_entropy_index",
        "consistency",
        "accuracy_score_group_min",
        "selection_rate",
    ] {
        assert!(names.contains(&expected), "{expected}");
    }
    for name in names {
        assert_eq!(
            validate_rule(&rule("x", name, Some("sex"), Some("g"))),
            Ok(()),
            "{name}"
        );
    }
}

//! The fairness metrics this crate knows: canonical names, the aliases they are logged under,
//! and how each is to be read.

use crate::{BiasType, Convention, FairnessTool};

/// The shape of a metric, which decides its convention and default threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Difference,
    Ratio,
    /// `<base>_group_min` / `<base>_group_max`.
    Extreme,
    Index,
    GroupValue,
}

struct Canonical {
    name: &'static str,
    kind: Kind,
    bias: BiasType,
}

const fn c(name: &'static str, kind: Kind, bias: BiasType) -> Canonical {
    Canonical { name, kind, bias }
}

use BiasType::{
    DataRepresentation as Data, Independence as Indep, Individual as Indiv,
    PerformanceDisparity as Perf, Separation as Sep, Sufficiency as Suff,
};
use Kind::{Difference as D, GroupValue as G, Index as I, Ratio as R};

const CANONICAL: &[Canonical] = &[
    c("demographic_parity_difference", D, Indep),
    c("demographic_parity_ratio", R, Indep),
    c("equalized_odds_difference", D, Sep),
    c("equalized_odds_ratio", R, Sep),
    c("equal_opportunity_difference", D, Sep),
    c("equal_opportunity_ratio", R, Sep),
    c("average_odds_difference", D, Sep),
    c("average_abs_odds_difference", D, Sep),
    c("false_positive_rate_difference", D, Sep),
    c("false_positive_rate_ratio", R, Sep),
    c("false_negative_rate_difference", D, Sep),
    c("false_negative_rate_ratio", R, Sep),
    c("true_negative_rate_difference", D, Sep),
    c("true_negative_rate_ratio", R, Sep),
    c("error_rate_difference", D, Perf),
    c("error_rate_ratio", R, Perf),
    // Not folded into error_rate_ratio: a ratio of accuracies is a different number from a
    // ratio of error rates (differences agree in size, ratios do not).
    c("accuracy_ratio", R, Perf),
    c("false_discovery_rate_difference", D, Suff),
    c("false_discovery_rate_ratio", R, Suff),
    c("false_omission_rate_difference", D, Suff),
    c("false_omission_rate_ratio", R, Suff),
    c("positive_predictive_value_difference", D, Suff),
    c("positive_predictive_value_ratio", R, Suff),
    c("theil_index", I, Indiv),
    c("generalized_entropy_index", I, Indiv),
    c("coefficient_of_variation", I, Indiv),
    c("between_group_theil_index", I, Indiv),
    c("between_group_generalized_entropy_index", I, Indiv),
    c("between_group_coefficient_of_variation", I, Indiv),
    c("consistency", I, Indiv),
    c("smoothed_empirical_differential_fairness", I, Indep),
    c("differential_fairness_bias_amplification", I, Indep),
    c("selection_rate", G, Indep),
    c("base_rate", G, Data),
    c("count", G, Data),
    c("num_positives", G, Data),
    c("num_negatives", G, Data),
    c("true_positive_rate", G, Sep),
    c("false_positive_rate", G, Sep),
    c("true_negative_rate", G, Sep),
    c("false_negative_rate", G, Sep),
    c("positive_predictive_value", G, Suff),
    c("negative_predictive_value", G, Suff),
    c("false_discovery_rate", G, Suff),
    c("false_omission_rate", G, Suff),
    c("accuracy", G, Perf),
    c("balanced_accuracy", G, Perf),
    c("error_rate", G, Perf),
    c("f1", G, Perf),
    c("roc_auc", G, Perf),
];

/// Common fairlearn derived metrics, listed so rules and reports can name them; any
/// `<base>_group_min` / `<base>_group_max` is recognised.
const GROUP_EXTREMES: &[&str] = &[
    "accuracy_score_group_min",
    "balanced_accuracy_score_group_min",
    "precision_score_group_min",
    "recall_score_group_min",
    "f1_score_group_min",
    "roc_auc_score_group_min",
    "r2_score_group_min",
    "selection_rate_group_min",
    "selection_rate_group_max",
    "zero_one_loss_group_max",
    "log_loss_group_max",
    "mean_absolute_error_group_max",
    "mean_squared_error_group_max",
];

/// A name a metric is logged under.
#[derive(Debug)]
pub(crate) struct Alias {
    pub name: &'static str,
    pub canonical: &'static str,
    /// `Unknown` when both libraries use the name; the run's tags may tell.
    pub tool: FairnessTool,
    /// Short or generic names that are only trusted with fairness context around them.
    pub weak: bool,
}

const fn a(name: &'static str, canonical: &'static str, tool: FairnessTool) -> Alias {
    Alias {
        name,
        canonical,
        tool,
        weak: false,
    }
}

const fn w(name: &'static str, canonical: &'static str, tool: FairnessTool) -> Alias {
    Alias {
        name,
        canonical,
        tool,
        weak: true,
    }
}

use FairnessTool::{Aif360 as A, Fairlearn as F, Unknown as U};

const ALIASES: &[Alias] = &[
    a(
        "demographic_parity_difference",
        "demographic_parity_difference",
        F,
    ),
    a(
        "demographic_parity_diff",
        "demographic_parity_difference",
        F,
    ),
    a("dp_difference", "demographic_parity_difference", F),
    w("dp_diff", "demographic_parity_difference", F),
    w("dpd", "demographic_parity_difference", F),
    a(
        "selection_rate_difference",
        "demographic_parity_difference",
        F,
    ),
    a(
        "statistical_parity_difference",
        "demographic_parity_difference",
        A,
    ),
    a(
        "statistical_parity_diff",
        "demographic_parity_difference",
        A,
    ),
    w("spd", "demographic_parity_difference", A),
    w("mean_difference", "demographic_parity_difference", A),
    a("demographic_parity_ratio", "demographic_parity_ratio", F),
    a("dp_ratio", "demographic_parity_ratio", F),
    w("dpr", "demographic_parity_ratio", F),
    a("selection_rate_ratio", "demographic_parity_ratio", F),
    a("disparate_impact", "demographic_parity_ratio", A),
    a("disparate_impact_ratio", "demographic_parity_ratio", A),
    w("di", "demographic_parity_ratio", A),
    a("equalized_odds_difference", "equalized_odds_difference", F),
    a("equalised_odds_difference", "equalized_odds_difference", F),
    a("equalized_odds_diff", "equalized_odds_difference", F),
    w("eo_diff", "equalized_odds_difference", F),
    w("eod", "equalized_odds_difference", F),
    a("equalized_odds_ratio", "equalized_odds_ratio", F),
    a("equalised_odds_ratio", "equalized_odds_ratio", F),
    w("eo_ratio", "equalized_odds_ratio", F),
    a(
        "equal_opportunity_difference",
        "equal_opportunity_difference",
        U,
    ),
    a("equal_opportunity_diff", "equal_opportunity_difference", U),
    a(
        "true_positive_rate_difference",
        "equal_opportunity_difference",
        U,
    ),
    a("tpr_difference", "equal_opportunity_difference", U),
    w("tpr_diff", "equal_opportunity_difference", U),
    a("recall_score_difference", "equal_opportunity_difference", F),
    a("equal_opportunity_ratio", "equal_opportunity_ratio", F),
    a("true_positive_rate_ratio", "equal_opportunity_ratio", U),
    a("tpr_ratio", "equal_opportunity_ratio", U),
    a("recall_score_ratio", "equal_opportunity_ratio", F),
    a("average_odds_difference", "average_odds_difference", A),
    a("avg_odds_difference", "average_odds_difference", A),
    w("aod", "average_odds_difference", A),
    a(
        "average_abs_odds_difference",
        "average_abs_odds_difference",
        A,
    ),
    w("aaod", "average_abs_odds_difference", A),
    a(
        "false_positive_rate_difference",
        "false_positive_rate_difference",
        U,
    ),
    a("fpr_difference", "false_positive_rate_difference", U),
    w("fpr_diff", "false_positive_rate_difference", U),
    a("false_positive_rate_ratio", "false_positive_rate_ratio", U),
    a("fpr_ratio", "false_positive_rate_ratio", U),
    a(
        "false_negative_rate_difference",
        "false_negative_rate_difference",
        U,
    ),
    a("fnr_difference", "false_negative_rate_difference", U),
    w("fnr_diff", "false_negative_rate_difference", U),
    a("false_negative_rate_ratio", "false_negative_rate_ratio", U),
    a("fnr_ratio", "false_negative_rate_ratio", U),
    a(
        "true_negative_rate_difference",
        "true_negative_rate_difference",
        F,
    ),
    a("tnr_difference", "true_negative_rate_difference", F),
    a("true_negative_rate_ratio", "true_negative_rate_ratio", F),
    a("tnr_ratio", "true_negative_rate_ratio", F),
    a("error_rate_difference", "error_rate_difference", A),
    a("zero_one_loss_difference", "error_rate_difference", F),
    a("accuracy_score_difference", "error_rate_difference", F),
    a("accuracy_difference", "error_rate_difference", U),
    a("error_rate_ratio", "error_rate_ratio", A),
    a("zero_one_loss_ratio", "error_rate_ratio", F),
    a("accuracy_ratio", "accuracy_ratio", U),
    a("accuracy_score_ratio", "accuracy_ratio", F),
    a(
        "false_discovery_rate_difference",
        "false_discovery_rate_difference",
        A,
    ),
    a("fdr_difference", "false_discovery_rate_difference", A),
    a(
        "false_discovery_rate_ratio",
        "false_discovery_rate_ratio",
        A,
    ),
    a(
        "false_omission_rate_difference",
        "false_omission_rate_difference",
        A,
    ),
    a("false_omission_rate_ratio", "false_omission_rate_ratio", A),
    a(
        "positive_predictive_value_difference",
        "positive_predictive_value_difference",
        U,
    ),
    a("ppv_difference", "positive_predictive_value_difference", U),
    a(
        "precision_difference",
        "positive_predictive_value_difference",
        U,
    ),
    a(
        "precision_score_difference",
        "positive_predictive_value_difference",
        F,
    ),
    a(
        "positive_predictive_value_ratio",
        "positive_predictive_value_ratio",
        U,
    ),
    a("ppv_ratio", "positive_predictive_value_ratio", U),
    a(
        "precision_score_ratio",
        "positive_predictive_value_ratio",
        F,
    ),
    a("theil_index", "theil_index", A),
    a("generalized_entropy_index", "generalized_entropy_index", A),
    a("generalized_entropy_error", "generalized_entropy_index", A),
    w("coefficient_of_variation", "coefficient_of_variation", A),
    a("between_group_theil_index", "between_group_theil_index", A),
    a(
        "between_all_groups_theil_index",
        "between_group_theil_index",
        A,
    ),
    a(
        "between_group_generalized_entropy_index",
        "between_group_generalized_entropy_index",
        A,
    ),
    a(
        "between_group_generalized_entropy_error",
        "between_group_generalized_entropy_index",
        A,
    ),
    a(
        "between_all_groups_generalized_entropy_index",
        "between_group_generalized_entropy_index",
        A,
    ),
    a(
        "between_group_coefficient_of_variation",
        "between_group_coefficient_of_variation",
        A,
    ),
    a(
        "between_all_groups_coefficient_of_variation",
        "between_group_coefficient_of_variation",
        A,
    ),
    w("consistency", "consistency", A),
    a("consistency_score", "consistency", A),
    a(
        "smoothed_empirical_differential_fairness",
        "smoothed_empirical_differential_fairness",
        A,
    ),
    a(
        "differential_fairness_bias_amplification",
        "differential_fairness_bias_amplification",
        A,
    ),
    a("selection_rate", "selection_rate", U),
    a("base_rate", "base_rate", U),
    a("count", "count", U),
    a("num_instances", "count", U),
    a("num_samples", "count", U),
    a("num_positives", "num_positives", U),
    a("num_negatives", "num_negatives", U),
    a("true_positive_rate", "true_positive_rate", U),
    a("tpr", "true_positive_rate", U),
    a("recall", "true_positive_rate", U),
    a("recall_score", "true_positive_rate", U),
    a("false_positive_rate", "false_positive_rate", U),
    a("fpr", "false_positive_rate", U),
    a("true_negative_rate", "true_negative_rate", U),
    a("tnr", "true_negative_rate", U),
    a("specificity", "true_negative_rate", U),
    a("false_negative_rate", "false_negative_rate", U),
    a("fnr", "false_negative_rate", U),
    a("positive_predictive_value", "positive_predictive_value", U),
    a("ppv", "positive_predictive_value", U),
    a("precision", "positive_predictive_value", U),
    a("precision_score", "positive_predictive_value", U),
    a("negative_predictive_value", "negative_predictive_value", U),
    a("npv", "negative_predictive_value", U),
    a("false_discovery_rate", "false_discovery_rate", U),
    a("fdr", "false_discovery_rate", U),
    a("false_omission_rate", "false_omission_rate", U),
    a("accuracy", "accuracy", U),
    a("accuracy_score", "accuracy", U),
    a("acc", "accuracy", U),
    a("balanced_accuracy", "balanced_accuracy", U),
    a("balanced_accuracy_score", "balanced_accuracy", U),
    a("error_rate", "error_rate", U),
    a("zero_one_loss", "error_rate", U),
    a("f1", "f1", U),
    a("f1_score", "f1", U),
    a("roc_auc", "roc_auc", U),
    a("roc_auc_score", "roc_auc", U),
    a("auc", "roc_auc", U),
];

/// What a recognised metric name means.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MetricInfo {
    pub canonical: String,
    pub kind: Kind,
    pub bias: BiasType,
    pub tool: FairnessTool,
    pub weak: bool,
}

/// All aliases, for prefix and suffix matching.
pub(crate) fn aliases() -> &'static [Alias] {
    ALIASES
}

pub(crate) fn info(alias: &Alias) -> Option<MetricInfo> {
    let canonical = CANONICAL.iter().find(|c| c.name == alias.canonical)?;
    Some(MetricInfo {
        canonical: canonical.name.to_string(),
        kind: canonical.kind,
        bias: canonical.bias,
        tool: alias.tool,
        weak: alias.weak,
    })
}

/// Looks up a lower-case name as an alias or a `<base>_group_min|max` metric.
pub(crate) fn lookup(name: &str) -> Option<MetricInfo> {
    match ALIASES.iter().find(|a| a.name == name) {
        Some(alias) => info(alias),
        None => extreme(name),
    }
}

/// `<base>_group_min` / `<base>_group_max`, fairlearn's worst-group figures.
pub(crate) fn extreme(name: &str) -> Option<MetricInfo> {
    let base = name
        .strip_suffix("_group_min")
        .or_else(|| name.strip_suffix("_group_max"))?;
    let plain = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
    if base.is_empty() || base.starts_with('_') || base.ends_with('_') || !base.chars().all(plain) {
        return None;
    }
    Some(MetricInfo {
        canonical: name.to_string(),
        kind: Kind::Extreme,
        bias: BiasType::PerformanceDisparity,
        tool: FairnessTool::Fairlearn,
        weak: false,
    })
}

/// The canonical metric of that exact name, as its own library logs it.
pub(crate) fn canonical(name: &str) -> Option<MetricInfo> {
    if CANONICAL.iter().any(|c| c.name == name) {
        lookup(name)
    } else {
        extreme(name)
    }
}

pub(crate) fn canonical_names() -> Vec<&'static str> {
    CANONICAL
        .iter()
        .map(|c| c.name)
        .chain(GROUP_EXTREMES.iter().copied())
        .collect()
}

/// How to read a value: the library decides where the name does; otherwise the value can
/// (a negative difference or a ratio above 1 only arises from AIF360's
/// unprivileged-vs-privileged reading), and fairlearn's reading is the fallback.
pub(crate) fn convention(info: &MetricInfo, tool: FairnessTool, value: f64) -> Convention {
    let aif360 = match tool {
        FairnessTool::Fairlearn => false,
        FairnessTool::Aif360 => true,
        FairnessTool::Unknown => match info.kind {
            Kind::Difference => value < 0.0,
            Kind::Ratio => value > 1.0,
            _ => false,
        },
    };
    match info.kind {
        // A mean of absolute gaps: AIF360's, but never negative.
        Kind::Difference if info.canonical == "average_abs_odds_difference" => {
            Convention::DifferenceNonNegative
        }
        Kind::Difference if aif360 => Convention::DifferenceSigned,
        Kind::Difference => Convention::DifferenceNonNegative,
        Kind::Ratio if aif360 => Convention::RatioUnprivilegedOverPrivileged,
        Kind::Ratio => Convention::RatioMinOverMax,
        Kind::Extreme => Convention::GroupExtreme,
        Kind::Index => Convention::Index,
        Kind::GroupValue => Convention::GroupValue,
    }
}

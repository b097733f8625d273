//! How evidence reads to a person: names of lineage entities, relations, thresholds, values,
//! verdicts and sources. The reports print these, so every view of the evidence uses the same
//! words and the same number formats.

use crate::{
    BiasEvidence, BiasSource, Dataset, EdgeKind, EntityKind, EntityRef, LineageEdge, ModelVersion,
    Snapshot, Threshold,
};

/// Characters of a dataset digest shown after its name.
const DIGEST_CHARS: usize = 12;

/// A readable name of a lineage entity of `snapshot`, with its kind: "dataset NAME VERSION"
/// (or its short digest), "run NAME", "model NAME vVERSION \[ALIASES\]". An entity the snapshot
/// does not hold is named by its kind and external id.
pub fn entity_label(snapshot: &Snapshot, entity: &EntityRef) -> String {
    let kind = match entity.kind {
        EntityKind::Dataset => "dataset",
        EntityKind::Run => "run",
        EntityKind::ModelVersion => "model",
    };
    format!("{kind} {}", entity_name(snapshot, entity))
}

/// [`entity_label`] without the kind, for views that show the kind apart (a column, a badge):
/// "NAME VERSION" or "NAME @DIGEST", "NAME", "NAME vVERSION \[ALIASES\]", else the external id.
pub fn entity_name(snapshot: &Snapshot, entity: &EntityRef) -> String {
    let id = &entity.external_id;
    match entity.kind {
        EntityKind::Dataset => snapshot
            .datasets
            .iter()
            .find(|d| &d.external_id == id)
            .map_or_else(|| id.clone(), dataset_name),
        EntityKind::Run => run_name(snapshot, id),
        EntityKind::ModelVersion => snapshot
            .model_versions
            .iter()
            .find(|m| &m.external_id == id)
            .map_or_else(|| id.clone(), model_version_name),
    }
}

/// A dataset as [`entity_name`] names it: "NAME VERSION", "NAME @DIGEST" or "NAME".
pub fn dataset_name(d: &Dataset) -> String {
    match (&d.version, &d.digest) {
        (Some(version), _) => format!("{} {version}", d.name),
        (None, Some(digest)) => {
            let digest: String = digest.chars().take(DIGEST_CHARS).collect();
            format!("{} @{digest}", d.name)
        }
        (None, None) => d.name.clone(),
    }
}

fn model_version_name(model: &ModelVersion) -> String {
    let aliases = if model.aliases.is_empty() {
        String::new()
    } else {
        format!(" [{}]", model.aliases.join(", "))
    };
    let version = model.version.trim_start_matches('v');
    format!("{} v{version}{aliases}", model.registry_name)
}

/// Why a registered model version matters to a reader, in words: "In production (alias
/// champion)", "In staging (stage Staging; alias challenger)", "Alias challenger (stage
/// Archived)", "Registered (stage Archived)". Production outranks staging, which outranks an
/// alias.
pub fn model_standing(model: &ModelVersion) -> String {
    let stage = model.stage.as_ref().map(|stage| format!("stage {stage}"));
    let aliases = (!model.aliases.is_empty()).then(|| {
        let noun = if model.aliases.len() == 1 {
            "alias"
        } else {
            "aliases"
        };
        format!("{noun} {}", model.aliases.join(", "))
    });
    let lead = if model.is_production() {
        "In production"
    } else if model.is_staging() {
        "In staging"
    } else if let Some(aliases) = &aliases {
        // The alias leads; a stage other than production or staging follows it.
        let mut text = aliases.replacen('a', "A", 1);
        if let Some(stage) = stage {
            text = format!("{text} ({stage})");
        }
        return text;
    } else {
        "Registered"
    };
    let marks: Vec<String> = stage.into_iter().chain(aliases).collect();
    if marks.is_empty() {
        lead.to_owned()
    } else {
        format!("{lead} ({})", marks.join("; "))
    }
}

/// The name of the run with external id `run_id`, or the id when the snapshot lacks the run.
pub fn run_name(snapshot: &Snapshot, run_id: &str) -> String {
    snapshot
        .runs
        .iter()
        .find(|r| r.external_id == run_id)
        .map_or_else(|| run_id.to_owned(), |r| r.name.clone())
}

/// The relation an edge kind names, in words: "used by", "produced", "registered as",
/// "evaluated on".
pub fn edge_kind_label(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::UsedBy => "used by",
        EdgeKind::Produced => "produced",
        EdgeKind::RegisteredAs => "registered as",
        EdgeKind::EvaluatedOn => "evaluated on",
    }
}

/// An edge's relation with the context the tracker gave it: "used by (training)".
pub fn edge_label(edge: &LineageEdge) -> String {
    let kind = edge_kind_label(edge.kind);
    match &edge.context {
        Some(context) => format!("{kind} ({context})"),
        None => kind.to_owned(),
    }
}

/// A threshold as a rule on the value `x`: "|x| ≤ 0.1", "≥ 0.8", "0.8 to 1.25" (a two-sided
/// ratio, bounded by `min` and `1 / min`); "no threshold" when the metric has none.
pub fn threshold_text(threshold: Option<&Threshold>) -> String {
    match threshold {
        None => "no threshold".to_owned(),
        Some(Threshold::AbsAtMost { max }) => format!("|x| ≤ {max}"),
        Some(Threshold::RatioAtLeast {
            min,
            two_sided: false,
        }) => format!("≥ {min}"),
        Some(Threshold::RatioAtLeast {
            min,
            two_sided: true,
        }) => format!("{min} to {:.2}", 1.0 / min),
    }
}

/// A metric's value to three decimals; "not a number" for NaN and infinities, which come from
/// an empty group or a division by zero.
pub fn value_text(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.3}")
    } else {
        "not a number".to_owned()
    }
}

/// A metric's result against its threshold: "pass", "fail", or "context only" for a metric
/// that has no threshold.
pub fn verdict_text(passed: Option<bool>) -> &'static str {
    match passed {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "context only",
    }
}

/// Where a bias figure was read: "run metric", or "report PATH" for a report artifact.
pub fn source_text(source: &BiasSource) -> String {
    match source {
        BiasSource::Metric => "run metric".to_owned(),
        BiasSource::Artifact(path) => format!("report {path}"),
    }
}

/// A canonical metric name in words: "demographic parity difference".
pub fn metric_label(metric: &str) -> String {
    metric.replace('_', " ")
}

/// The group a bias figure describes: "FEATURE = GROUP", the feature alone for an aggregate
/// over its groups, "-" when the tracker named no feature.
pub fn sensitive_feature_text(bias: &BiasEvidence) -> String {
    let feature = bias.sensitive_feature.as_deref().unwrap_or("-");
    match &bias.group {
        Some(group) => format!("{feature} = {group}"),
        None => feature.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::{BiasType, Convention, Dataset, FairnessTool, Run, Source, Tracker};

    fn snapshot() -> Snapshot {
        let mut snapshot = Snapshot::empty(Source {
            tracker: Tracker::Mlflow,
            instance: "http://localhost:5000".into(),
            project: "churn".into(),
        });
        let dataset = |id: &str, version: Option<&str>, digest: Option<&str>| Dataset {
            external_id: id.into(),
            name: "customers".into(),
            version: version.map(Into::into),
            digest: digest.map(Into::into),
            source: None,
            source_type: None,
            context: None,
        };
        snapshot.datasets = vec![
            dataset("d1", Some("v3"), Some("abc")),
            dataset("d2", None, Some("0123456789abcdef")),
            dataset("d3", None, None),
        ];
        snapshot.runs = vec![Run {
            external_id: "r1".into(),
            project: "churn".into(),
            name: "train-xgb".into(),
            status: "finished".into(),
            code_commit: None,
            code_repo: None,
            params: BTreeMap::new(),
            metrics: BTreeMap::new(),
            tags: BTreeMap::new(),
            started_at: None,
            ended_at: None,
        }];
        let model = |id: &str, version: &str, aliases: &[&str]| ModelVersion {
            external_id: id.into(),
            registry_name: "churn-model".into(),
            version: version.into(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            stage: None,
            source_run: None,
            tags: BTreeMap::new(),
        };
        snapshot.model_versions = vec![
            model("m1", "3", &["champion", "prod"]),
            model("m2", "v4", &[]),
        ];
        snapshot
    }

    fn bias(sensitive_feature: Option<&str>, group: Option<&str>) -> BiasEvidence {
        BiasEvidence {
            run: "r1".into(),
            metric: "demographic_parity_difference".into(),
            raw_name: "dpd".into(),
            value: 0.1,
            sensitive_feature: sensitive_feature.map(Into::into),
            group: group.map(Into::into),
            reference_group: None,
            threshold: None,
            passed: None,
            tool: FairnessTool::Fairlearn,
            convention: Convention::DifferenceNonNegative,
            bias_type: BiasType::Independence,
            source: BiasSource::Metric,
        }
    }

    #[test]
    fn entities_are_named_by_kind_name_and_version() {
        let s = snapshot();
        let label = |entity: EntityRef| entity_label(&s, &entity);
        assert_eq!(label(EntityRef::dataset("d1")), "dataset customers v3");
        assert_eq!(
            label(EntityRef::dataset("d2")),
            "dataset customers @0123456789ab"
        );
        assert_eq!(label(EntityRef::dataset("d3")), "dataset customers");
        assert_eq!(label(EntityRef::run("r1")), "run train-xgb");
        assert_eq!(
            label(EntityRef::model_version("m1")),
            "model churn-model v3 [champion, prod]"
        );
        assert_eq!(
            label(EntityRef::model_version("m2")),
            "model churn-model v4"
        );
    }

    #[test]
    fn model_versions_say_why_they_matter() {
        let s = snapshot();
        let standing = |aliases: &[&str], stage: Option<&str>| {
            let mut model = s.model_versions[1].clone();
            model.aliases = aliases.iter().map(|a| (*a).to_owned()).collect();
            model.stage = stage.map(str::to_owned);
            model_standing(&model)
        };
        assert_eq!(
            model_standing(&s.model_versions[0]),
            "In production (aliases champion, prod)"
        );
        assert_eq!(
            standing(&[], Some("Production")),
            "In production (stage Production)"
        );
        assert_eq!(
            standing(&["challenger"], Some("Staging")),
            "In staging (stage Staging; alias challenger)"
        );
        assert_eq!(standing(&["challenger"], None), "Alias challenger");
        assert_eq!(
            standing(&["a", "b"], Some("Archived")),
            "Aliases a, b (stage Archived)"
        );
        assert_eq!(
            standing(&[], Some("Archived")),
            "Registered (stage Archived)"
        );
        assert_eq!(standing(&[], None), "Registered");
    }

    #[test]
    fn entities_missing_from_the_snapshot_are_named_by_their_id() {
        let s = snapshot();
        let label = |entity: EntityRef| entity_label(&s, &entity);
        assert_eq!(label(EntityRef::dataset("gone")), "dataset gone");
        assert_eq!(label(EntityRef::run("gone")), "run gone");
        assert_eq!(label(EntityRef::model_version("gone")), "model gone");
        assert_eq!(run_name(&s, "gone"), "gone");
    }

    #[test]
    fn edges_read_as_relations_with_their_context() {
        assert_eq!(edge_kind_label(EdgeKind::UsedBy), "used by");
        assert_eq!(edge_kind_label(EdgeKind::Produced), "produced");
        assert_eq!(edge_kind_label(EdgeKind::RegisteredAs), "registered as");
        assert_eq!(edge_kind_label(EdgeKind::EvaluatedOn), "evaluated on");
        let mut edge = LineageEdge {
            kind: EdgeKind::UsedBy,
            from: EntityRef::dataset("d1"),
            to: EntityRef::run("r1"),
            context: Some("training".into()),
        };
        assert_eq!(edge_label(&edge), "used by (training)");
        edge.context = None;
        assert_eq!(edge_label(&edge), "used by");
    }

    #[test]
    fn thresholds_read_as_rules() {
        let text = |t: Threshold| threshold_text(Some(&t));
        assert_eq!(text(Threshold::AbsAtMost { max: 0.1 }), "|x| ≤ 0.1");
        let one_sided = Threshold::RatioAtLeast {
            min: 0.8,
            two_sided: false,
        };
        assert_eq!(text(one_sided), "≥ 0.8");
        let two_sided = Threshold::RatioAtLeast {
            min: 0.8,
            two_sided: true,
        };
        assert_eq!(text(two_sided), "0.8 to 1.25");
        assert_eq!(threshold_text(None), "no threshold");
    }

    #[test]
    fn values_have_three_decimals_and_non_numbers_say_so() {
        assert_eq!(value_text(0.1), "0.100");
        assert_eq!(value_text(-0.04567), "-0.046");
        assert_eq!(value_text(f64::NAN), "not a number");
        assert_eq!(value_text(f64::INFINITY), "not a number");
    }

    #[test]
    fn verdicts_and_sources_in_words() {
        assert_eq!(verdict_text(Some(true)), "pass");
        assert_eq!(verdict_text(Some(false)), "fail");
        assert_eq!(verdict_text(None), "context only");
        assert_eq!(source_text(&BiasSource::Metric), "run metric");
        let artifact = BiasSource::Artifact("fairness/report.json".into());
        assert_eq!(source_text(&artifact), "report fairness/report.json");
    }

    #[test]
    fn metrics_and_groups_in_words() {
        assert_eq!(
            metric_label("demographic_parity_difference"),
            "demographic parity difference"
        );
        assert_eq!(sensitive_feature_text(&bias(Some("sex"), None)), "sex");
        assert_eq!(
            sensitive_feature_text(&bias(Some("sex"), Some("female"))),
            "sex = female"
        );
        assert_eq!(
            sensitive_feature_text(&bias(None, Some("female"))),
            "- = female"
        );
        assert_eq!(sensitive_feature_text(&bias(None, None)), "-");
    }
}

//! The evidence model shared by the MLflow and W&B importers.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which experiment tracker the evidence came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Tracker {
    Mlflow,
    Wandb,
}

impl Tracker {
    pub fn as_str(self) -> &'static str {
        match self {
            Tracker::Mlflow => "mlflow",
            Tracker::Wandb => "wandb",
        }
    }

    pub fn parse(text: &str) -> Option<Tracker> {
        match text {
            "mlflow" => Some(Tracker::Mlflow),
            "wandb" => Some(Tracker::Wandb),
            _ => None,
        }
    }
}

/// Where one import read from: the tracker, its instance (base URL without credentials)
/// and the project (MLflow experiment name, or `entity/project` on W&B).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Source {
    pub tracker: Tracker,
    pub instance: String,
    pub project: String,
}

/// A dataset version a run read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dataset {
    /// Stable id within the tracker instance (MLflow: `name@digest`; W&B: artifact id).
    pub external_id: String,
    pub name: String,
    pub version: Option<String>,
    pub digest: Option<String>,
    /// Where the data lives (a URI), as the tracker recorded it.
    pub source: Option<String>,
    pub source_type: Option<String>,
    /// How the first run that used it used it (`training`, `evaluation`, ...).
    pub context: Option<String>,
}

/// One training or evaluation run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Run {
    pub external_id: String,
    /// Experiment name (MLflow) or project (W&B).
    pub project: String,
    pub name: String,
    /// Lower-case tracker status: `finished`, `running`, `failed`, `killed`, ...
    pub status: String,
    pub code_commit: Option<String>,
    pub code_repo: Option<String>,
    pub params: BTreeMap<String, String>,
    /// Latest value per metric.
    pub metrics: BTreeMap<String, f64>,
    pub tags: BTreeMap<String, String>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
}

impl Run {
    pub fn is_running(&self) -> bool {
        self.status == "running" || self.status == "scheduled"
    }
}

/// A version of a registered model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelVersion {
    /// `registry_name/version`.
    pub external_id: String,
    pub registry_name: String,
    pub version: String,
    /// Sorted, no duplicates.
    pub aliases: Vec<String>,
    /// Legacy MLflow stage (`Production`, `Staging`, ...), when one is set.
    pub stage: Option<String>,
    /// External id of the run that produced it, when known.
    pub source_run: Option<String>,
    pub tags: BTreeMap<String, String>,
}

impl ModelVersion {
    /// A version counts as in production when an alias or stage says so.
    pub fn is_production(&self) -> bool {
        const PRODUCTION: [&str; 4] = ["production", "prod", "champion", "live"];
        let named = |s: &str| PRODUCTION.contains(&s.to_ascii_lowercase().as_str());
        self.aliases.iter().any(|a| named(a)) || self.stage.as_deref().is_some_and(named)
    }

    /// A version counts as in staging when its (legacy MLflow) stage says so.
    pub fn is_staging(&self) -> bool {
        self.stage
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("staging"))
    }
}

/// What an edge's endpoints are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Dataset,
    Run,
    ModelVersion,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Dataset => "dataset",
            EntityKind::Run => "run",
            EntityKind::ModelVersion => "model_version",
        }
    }
}

/// A reference to an entity of the same snapshot.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntityRef {
    pub kind: EntityKind,
    pub external_id: String,
}

impl EntityRef {
    pub fn dataset(id: impl Into<String>) -> EntityRef {
        EntityRef {
            kind: EntityKind::Dataset,
            external_id: id.into(),
        }
    }
    pub fn run(id: impl Into<String>) -> EntityRef {
        EntityRef {
            kind: EntityKind::Run,
            external_id: id.into(),
        }
    }
    pub fn model_version(id: impl Into<String>) -> EntityRef {
        EntityRef {
            kind: EntityKind::ModelVersion,
            external_id: id.into(),
        }
    }
}

/// The lineage relations between datasets, runs and model versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// dataset -> run that read it
    UsedBy,
    /// run -> model version it produced
    Produced,
    /// logged model (run) -> registered model version
    RegisteredAs,
    /// model version -> dataset it was evaluated on
    EvaluatedOn,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::UsedBy => "used_by",
            EdgeKind::Produced => "produced",
            EdgeKind::RegisteredAs => "registered_as",
            EdgeKind::EvaluatedOn => "evaluated_on",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LineageEdge {
    pub kind: EdgeKind,
    pub from: EntityRef,
    pub to: EntityRef,
    /// `training`, `evaluation`, ... where the tracker says.
    pub context: Option<String>,
}

/// The fairness library whose conventions a metric follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FairnessTool {
    Fairlearn,
    Aif360,
    /// Named in a way both libraries (or neither) use.
    Unknown,
}

/// How a metric's value is to be read against its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Convention {
    /// Fairlearn `*_difference`: max - min over groups, never negative; ideal 0.
    DifferenceNonNegative,
    /// AIF360 differences: unprivileged - privileged, may be negative; ideal 0.
    DifferenceSigned,
    /// Fairlearn `*_ratio`: min / max over groups, at most 1; ideal 1.
    RatioMinOverMax,
    /// AIF360 disparate impact: unprivileged / privileged, may exceed 1; ideal 1.
    RatioUnprivilegedOverPrivileged,
    /// Worst-group performance (`*_group_min`/`*_group_max`): context, no pass/fail.
    GroupExtreme,
    /// Inequality or individual-fairness indices (Theil, consistency): reported only.
    Index,
    /// A per-group rate or count: context for the metrics above.
    GroupValue,
}

/// Which notion of bias a metric measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum BiasType {
    Independence,
    Separation,
    Sufficiency,
    Individual,
    PerformanceDisparity,
    DataRepresentation,
}

/// A threshold a metric is held to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Threshold {
    /// Pass when `|value| <= max`.
    AbsAtMost { max: f64 },
    /// Pass when `min <= value` (and `value <= 1 / min` for two-sided ratios).
    RatioAtLeast { min: f64, two_sided: bool },
}

impl Threshold {
    /// Whether `value` meets the threshold. A value that is not finite never passes: it comes
    /// from an empty group or a division by zero, and hides the disparity it should measure.
    pub fn passes(&self, value: f64) -> bool {
        if !value.is_finite() {
            return false;
        }
        match *self {
            Threshold::AbsAtMost { max } => value.abs() <= max,
            Threshold::RatioAtLeast { min, two_sided } => {
                value >= min && (!two_sided || value <= 1.0 / min)
            }
        }
    }

    /// How far `value` lies past the threshold, in the value's own units: positive when it
    /// fails, zero or less when it passes. Ranks failing figures from the worst; a value that
    /// is not finite counts as infinitely far.
    pub fn margin(&self, value: f64) -> f64 {
        if !value.is_finite() {
            return f64::INFINITY;
        }
        match *self {
            Threshold::AbsAtMost { max } => value.abs() - max,
            Threshold::RatioAtLeast { min, two_sided } => {
                let above = if two_sided {
                    value - 1.0 / min
                } else {
                    f64::NEG_INFINITY
                };
                (min - value).max(above)
            }
        }
    }
}

impl std::fmt::Display for Threshold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Threshold::AbsAtMost { max } => write!(f, "|x| <= {max}"),
            Threshold::RatioAtLeast {
                min,
                two_sided: false,
            } => write!(f, ">= {min}"),
            Threshold::RatioAtLeast {
                min,
                two_sided: true,
            } => {
                write!(f, "between {min} and {}", 1.0 / min)
            }
        }
    }
}

/// serde_json writes NaN and infinities as `null`; reading `null` back as NaN keeps a stored
/// snapshot with a failed (non-finite) metric loadable.
fn f64_or_nan<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(deserializer)?.unwrap_or(f64::NAN))
}

/// Where a bias figure was read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum BiasSource {
    /// A run metric (MLflow) or summary metric (W&B).
    Metric,
    /// A JSON report artifact at this path.
    Artifact(String),
}

/// One fairness figure, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BiasEvidence {
    /// External id of the run that logged it.
    pub run: String,
    /// Canonical metric name, e.g. `demographic_parity_difference`.
    pub metric: String,
    /// The name as the tracker had it.
    pub raw_name: String,
    #[serde(deserialize_with = "f64_or_nan")]
    pub value: f64,
    pub sensitive_feature: Option<String>,
    /// `None` for an aggregate over groups.
    pub group: Option<String>,
    pub reference_group: Option<String>,
    pub threshold: Option<Threshold>,
    /// `None` when the metric has no threshold (context or index metrics).
    pub passed: Option<bool>,
    pub tool: FairnessTool,
    pub convention: Convention,
    pub bias_type: BiasType,
    pub source: BiasSource,
}

/// A metric name that looks like fairness evidence but matched no known metric.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UnmatchedCandidate {
    pub run: String,
    pub raw_name: String,
}

/// Everything one import read, normalised; what the store freezes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Snapshot {
    pub source: Source,
    pub datasets: Vec<Dataset>,
    pub runs: Vec<Run>,
    pub model_versions: Vec<ModelVersion>,
    pub edges: Vec<LineageEdge>,
    pub bias: Vec<BiasEvidence>,
    pub unmatched: Vec<UnmatchedCandidate>,
}

impl Snapshot {
    pub fn empty(source: Source) -> Snapshot {
        Snapshot {
            source,
            datasets: Vec::new(),
            runs: Vec::new(),
            model_versions: Vec::new(),
            edges: Vec::new(),
            bias: Vec::new(),
            unmatched: Vec::new(),
        }
    }

    /// Sorts every list and drops exact duplicates, so equal content hashes equal. Values that
    /// are not finite numbers (NaN, infinities) have no JSON form and are dropped.
    pub fn normalise(&mut self) {
        for run in &mut self.runs {
            run.metrics.retain(|_, value| value.is_finite());
        }
        self.bias.retain(|b| b.value.is_finite());
        self.datasets
            .sort_by(|a, b| a.external_id.cmp(&b.external_id));
        self.datasets
            .dedup_by(|a, b| a.external_id == b.external_id);
        self.runs.sort_by(|a, b| a.external_id.cmp(&b.external_id));
        self.runs.dedup_by(|a, b| a.external_id == b.external_id);
        self.model_versions
            .sort_by(|a, b| a.external_id.cmp(&b.external_id));
        self.model_versions
            .dedup_by(|a, b| a.external_id == b.external_id);
        for version in &mut self.model_versions {
            version.aliases.sort();
            version.aliases.dedup();
        }
        self.edges.sort();
        self.edges.dedup();
        let bias_key = |b: &BiasEvidence| (b.run.clone(), b.raw_name.clone(), b.source.clone());
        self.bias.sort_by_key(bias_key);
        self.bias.dedup_by(|a, b| bias_key(a) == bias_key(b));
        self.unmatched.sort();
        self.unmatched.dedup();
    }

    /// SHA-256 (hex) of the normalised content, the fingerprint of a frozen import.
    pub fn content_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut copy = self.clone();
        copy.normalise();
        // Serialising plain structs of strings, numbers and maps cannot fail.
        let bytes = serde_json::to_vec(&copy).unwrap_or_default();
        format!("{:x}", Sha256::digest(bytes))
    }
}

//! What a model card says about one registered model version, gathered from the tracker
//! evidence of a scope: the runs that produced it, the datasets its lineage names, its metrics
//! and its fairness figures. The CycloneDX document and the HTML card are both drawn from this
//! one value, so they cannot disagree.

use std::collections::{BTreeMap, BTreeSet};

use assay_evidence::{
    BiasEvidence, BiasSource, EdgeKind, EntityKind, EntityRef, ModelVersion, Snapshot, Source,
    display,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::stable_uuid;
use super::text::one_line;
use crate::actions::short_text;
use crate::evidence::{BiasLabel, ProjectEvidence};
use crate::{ApiError, Assay, Result};

/// How a model card is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CardFormat {
    /// CycloneDX 1.6 JSON.
    Json,
    /// A self-contained page for people.
    Html,
}

impl CardFormat {
    pub fn parse(text: &str) -> Result<CardFormat> {
        match text.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(CardFormat::Json),
            "html" => Ok(CardFormat::Html),
            _ => Err(ApiError::Invalid(format!(
                "`{}` is not a model card format: use json or html",
                text.trim()
            ))),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            CardFormat::Json => "json",
            CardFormat::Html => "html",
        }
    }
}

/// The model card of one registered model version.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelCard {
    /// `urn:uuid:` and a UUID derived from the model version and the evidence it was read from:
    /// the same evidence gives the same serial number.
    pub serial: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub generated_at: DateTime<Utc>,
    /// "Assay 0.1.0".
    pub generator: String,
    pub scope: String,
    /// The tracker project the version was imported from.
    pub source: Source,
    pub model: ModelVersion,
    /// "fraud v3 \[champion\]", as the reports name it.
    pub model_name: String,
    /// The learning approach, when a tag names one CycloneDX knows (see [`APPROACH_TAGS`]).
    pub approach: Option<String>,
    /// The task, when a tag names one (see [`TASK_TAGS`]).
    pub task: Option<String>,
    /// The runs that produced the version.
    pub runs: Vec<CardRun>,
    /// The datasets its lineage names, with how each was used.
    pub datasets: Vec<CardDataset>,
    /// The producing runs' metrics, less those read as fairness figures.
    pub metrics: Vec<CardMetric>,
    /// The producing runs' fairness figures: failing first, then passing, then context.
    pub fairness: Vec<CardFairness>,
    pub provenance: CardProvenance,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CardRun {
    pub external_id: String,
    /// The run's name, or its id when the evidence does not hold the run.
    pub name: String,
    /// `None` when the run is not in the imported evidence (only its id is known).
    pub status: Option<String>,
    pub code_commit: Option<String>,
    pub code_repo: Option<String>,
    /// Hyper-parameters as the tracker logged them.
    pub params: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CardDataset {
    pub external_id: String,
    /// The dataset's name, or its id when the evidence does not hold the dataset.
    pub name: String,
    pub version: Option<String>,
    /// The tracker's digest of the data (MLflow's or W&B's own, not a plain file hash).
    pub digest: Option<String>,
    pub source: Option<String>,
    pub source_type: Option<String>,
    /// How the model used it: `training`, `evaluation`, ... as the tracker recorded it, else
    /// "input" (read by a producing run) or "evaluation" (the version was evaluated on it).
    pub usage: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CardMetric {
    /// The name of the run that logged it.
    pub run: String,
    pub name: String,
    pub value: f64,
    /// The value as Rust writes an `f64`: the shortest text that reads back as the same number.
    pub value_text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CardFairness {
    /// The name of the run that logged it.
    pub run: String,
    /// Canonical metric name, e.g. `demographic_parity_difference`.
    pub metric: String,
    pub metric_text: String,
    pub sensitive_feature: Option<String>,
    /// `None` for an aggregate over the feature's groups.
    pub group: Option<String>,
    pub reference_group: Option<String>,
    /// The slice the figure was computed on: "sex" for an aggregate over its groups, "sex=female"
    /// for one group, with " vs sex=male" when it is compared with a reference group.
    pub slice: String,
    pub value: f64,
    pub value_text: String,
    pub threshold_text: String,
    /// `None` for figures without a threshold (context only).
    pub passed: Option<bool>,
    /// "pass", "fail" or "context only".
    pub verdict_text: String,
    pub source_text: String,
}

/// Which import the card was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CardProvenance {
    /// When the latest import finished; `None` for evidence that came without an import log.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub imported_at: Option<DateTime<Utc>>,
    pub imports: usize,
    /// SHA-256 of the project's evidence as it stood after that import.
    pub content_hash: String,
}

/// Tags (on the model version, then on its runs) read as the learning approach. A value counts
/// only when it is one of CycloneDX's approach types; `_` and spaces read as `-`.
pub const APPROACH_TAGS: [&str; 2] = ["approach", "learning_type"];
/// Tags read as the model's task, e.g. "classification".
pub const TASK_TAGS: [&str; 2] = ["task", "model_type"];
const APPROACHES: [&str; 5] = [
    "supervised",
    "unsupervised",
    "reinforcement-learning",
    "semi-supervised",
    "self-supervised",
];

impl Assay {
    /// The model card of version `version` of registered model `model` in the tracker evidence
    /// linked to `scope`. The version may be written with or without a leading `v`.
    pub fn model_card(&self, scope: &str, model: &str, version: &str) -> Result<ModelCard> {
        let scope = short_text(scope, "scope")?;
        let model = short_text(model, "model name")?;
        let version = short_text(version, "model version")?;
        let projects = self.evidence(Some(&scope))?;
        // What the messages repeat of the input, on one line whatever it holds.
        let shown = |text: &str| one_line(text).unwrap_or_default();
        if projects.is_empty() {
            return Err(ApiError::Invalid(format!(
                "no tracker evidence is linked to the scope `{}`; import a project with that \
                 scope first",
                shown(&scope)
            )));
        }
        let bare = |v: &str| v.trim_start_matches(['v', 'V']).to_owned();
        let found: Vec<(&ProjectEvidence, &ModelVersion)> = projects
            .iter()
            .flat_map(|p| p.snapshot.model_versions.iter().map(move |m| (p, m)))
            .filter(|(_, m)| m.registry_name == model && bare(&m.version) == bare(&version))
            .collect();
        match found.as_slice() {
            [] => Err(ApiError::Invalid(format!(
                "the tracker evidence of scope `{}` holds no version {} of a model named `{}`",
                shown(&scope),
                shown(&version),
                shown(&model)
            ))),
            [(project, version)] => Ok(self.card_of(&scope, project, version)),
            several => Err(ApiError::Invalid(format!(
                "version {} of model `{}` is in the evidence of {} tracker projects of scope \
                 `{}` ({}); a model card describes one",
                shown(&version),
                shown(&model),
                several.len(),
                shown(&scope),
                several
                    .iter()
                    .map(|(p, _)| format!(
                        "{} {}",
                        p.source.tracker.as_str(),
                        shown(&p.source.project)
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    fn card_of(&self, scope: &str, project: &ProjectEvidence, model: &ModelVersion) -> ModelCard {
        let snapshot = &project.snapshot;
        let run_ids = producing_runs(snapshot, model);
        let runs: Vec<CardRun> = run_ids.iter().map(|id| card_run(snapshot, id)).collect();
        let fairness: Vec<CardFairness> = project
            .labels
            .bias
            .iter()
            .filter(|b| run_ids.contains(&b.evidence.run))
            .map(card_fairness)
            .collect();
        let last = project.imports.last();
        let content_hash = last.map_or_else(|| snapshot.content_hash(), |i| i.content_hash.clone());
        let source = &project.source;
        let serial = stable_uuid(&format!(
            "model-card\n{}\n{}\n{}\n{}\n{content_hash}",
            source.tracker.as_str(),
            source.instance,
            source.project,
            model.external_id
        ));
        let tagged = |keys: &[&str]| {
            let runs = snapshot
                .runs
                .iter()
                .filter(|r| run_ids.contains(&r.external_id));
            std::iter::once(&model.tags)
                .chain(runs.map(|r| &r.tags))
                .find_map(|tags| keys.iter().find_map(|k| tags.get(*k)))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let approach = tagged(&APPROACH_TAGS)
            .map(|v| v.to_ascii_lowercase().replace(['_', ' '], "-"))
            .filter(|v| APPROACHES.contains(&v.as_str()));
        ModelCard {
            serial: format!("urn:uuid:{serial}"),
            generated_at: self.clock.now(),
            generator: crate::generator(),
            scope: scope.to_owned(),
            source: source.clone(),
            model_name: display::entity_name(
                snapshot,
                &EntityRef::model_version(model.external_id.clone()),
            ),
            model: model.clone(),
            approach,
            task: tagged(&TASK_TAGS),
            datasets: card_datasets(snapshot, model, &run_ids),
            metrics: card_metrics(snapshot, &run_ids),
            runs,
            fairness,
            provenance: CardProvenance {
                imported_at: last.map(|i| i.finished_at),
                imports: project.imports.len(),
                content_hash,
            },
        }
    }
}

/// The runs that produced `model`: its source run and the runs with a "produced" or
/// "registered as" edge to it, by id.
fn producing_runs(snapshot: &Snapshot, model: &ModelVersion) -> BTreeSet<String> {
    let this = EntityRef::model_version(model.external_id.clone());
    let mut runs: BTreeSet<String> = model.source_run.iter().cloned().collect();
    for edge in &snapshot.edges {
        if matches!(edge.kind, EdgeKind::Produced | EdgeKind::RegisteredAs)
            && edge.to == this
            && edge.from.kind == EntityKind::Run
        {
            runs.insert(edge.from.external_id.clone());
        }
    }
    runs
}

fn card_run(snapshot: &Snapshot, id: &str) -> CardRun {
    match snapshot.runs.iter().find(|r| r.external_id == id) {
        Some(run) => CardRun {
            external_id: run.external_id.clone(),
            name: run.name.clone(),
            status: Some(run.status.clone()),
            code_commit: run.code_commit.clone(),
            code_repo: run.code_repo.clone(),
            params: run.params.clone(),
        },
        None => CardRun {
            external_id: id.to_owned(),
            name: id.to_owned(),
            status: None,
            code_commit: None,
            code_repo: None,
            params: BTreeMap::new(),
        },
    }
}

/// The datasets the producing runs read and those the version was evaluated on, each once per
/// use, by name.
fn card_datasets(
    snapshot: &Snapshot,
    model: &ModelVersion,
    runs: &BTreeSet<String>,
) -> Vec<CardDataset> {
    let this = EntityRef::model_version(model.external_id.clone());
    let mut uses: BTreeSet<(String, String)> = BTreeSet::new();
    for edge in &snapshot.edges {
        let (dataset, default_use) = match edge.kind {
            EdgeKind::UsedBy
                if edge.from.kind == EntityKind::Dataset
                    && edge.to.kind == EntityKind::Run
                    && runs.contains(&edge.to.external_id) =>
            {
                (&edge.from.external_id, "input")
            }
            EdgeKind::EvaluatedOn if edge.from == this && edge.to.kind == EntityKind::Dataset => {
                (&edge.to.external_id, "evaluation")
            }
            _ => continue,
        };
        let recorded = snapshot
            .datasets
            .iter()
            .find(|d| &d.external_id == dataset)
            .and_then(|d| d.context.clone());
        let usage = edge
            .context
            .clone()
            .or(recorded)
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| default_use.to_owned());
        uses.insert((dataset.clone(), usage));
    }
    let mut datasets: Vec<CardDataset> = uses
        .into_iter()
        .map(|(id, usage)| {
            let held = snapshot.datasets.iter().find(|d| d.external_id == id);
            CardDataset {
                name: held.map_or_else(|| id.clone(), |d| d.name.clone()),
                version: held.and_then(|d| d.version.clone()),
                digest: held.and_then(|d| d.digest.clone()),
                source: held.and_then(|d| d.source.clone()),
                source_type: held.and_then(|d| d.source_type.clone()),
                external_id: id,
                usage,
            }
        })
        .collect();
    datasets.sort_by(|a, b| {
        (&a.name, &a.external_id, &a.usage).cmp(&(&b.name, &b.external_id, &b.usage))
    });
    datasets
}

/// The producing runs' metrics by run and name; a metric the importer read as a fairness
/// figure is left to the fairness list, so no figure shows twice.
fn card_metrics(snapshot: &Snapshot, runs: &BTreeSet<String>) -> Vec<CardMetric> {
    let read_as_fairness: BTreeSet<(&str, &str)> = snapshot
        .bias
        .iter()
        .filter(|b| b.source == BiasSource::Metric)
        .map(|b| (b.run.as_str(), b.raw_name.as_str()))
        .collect();
    snapshot
        .runs
        .iter()
        .filter(|r| runs.contains(&r.external_id))
        .flat_map(|run| {
            run.metrics
                .iter()
                .filter(|(name, value)| {
                    value.is_finite()
                        && !read_as_fairness.contains(&(run.external_id.as_str(), name.as_str()))
                })
                .map(|(name, value)| CardMetric {
                    run: run.name.clone(),
                    name: name.clone(),
                    value: *value,
                    value_text: value.to_string(),
                })
        })
        .collect()
}

fn card_fairness(label: &BiasLabel) -> CardFairness {
    let b = &label.evidence;
    CardFairness {
        run: label.run_name.clone(),
        metric: b.metric.clone(),
        metric_text: label.metric_text.clone(),
        sensitive_feature: b.sensitive_feature.clone(),
        group: b.group.clone(),
        reference_group: b.reference_group.clone(),
        slice: slice(b),
        value: b.value,
        value_text: label.value_text.clone(),
        threshold_text: label.threshold_text.clone(),
        passed: b.passed,
        verdict_text: label.verdict_text.clone(),
        source_text: label.source_text.clone(),
    }
}

fn slice(b: &BiasEvidence) -> String {
    slice_of(
        b.sensitive_feature.as_deref(),
        b.group.as_deref(),
        b.reference_group.as_deref(),
    )
}

/// "sex" for an aggregate over a feature's groups, "sex=female" for one group, with
/// " vs sex=male" when it is compared with a reference group.
pub(super) fn slice_of(
    feature: Option<&str>,
    group: Option<&str>,
    reference: Option<&str>,
) -> String {
    let name = feature.unwrap_or("group");
    let mut slice = match (feature, group) {
        (_, Some(group)) => format!("{name}={group}"),
        (Some(feature), None) => feature.to_owned(),
        (None, None) => "all groups".to_owned(),
    };
    if let Some(reference) = reference {
        slice.push_str(&format!(" vs {name}={reference}"));
    }
    slice
}

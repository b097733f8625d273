//! Checklist-facing numbers drawn from a snapshot: how much of what the tracker holds carries
//! lineage, commits and fairness evaluations, and whether production models meet their
//! fairness thresholds.
//!
//! Coverage shares suggest a level (see [`level_for_share`]); the suggestion is a starting
//! point for the assessors, never an answer.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::{
    BiasEvidence, BiasSource, Convention, EdgeKind, EntityKind, EntityRef, ModelVersion, Snapshot,
    Threshold,
};

/// One number for the checklist, with the question ids it bears on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Indicator {
    /// Stable across imports, e.g. `runs_with_code_commit` or `fairness_pass:<version id>`.
    pub id: String,
    pub title: String,
    pub numerator: u64,
    pub denominator: u64,
    /// `numerator / denominator`; `None` when there is nothing to count.
    pub share: Option<f64>,
    /// Question-bank ids.
    pub questions: Vec<String>,
    /// Suggested maturity level 0-4; `None` when there is no data.
    pub suggested_level: Option<u8>,
    /// The numbers in words.
    pub basis: String,
}

/// Fairness verdict for one run that logged fairness figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RunFairness {
    pub run: String,
    /// Registered model versions produced by the run.
    pub model_versions: Vec<String>,
    /// Distinct metrics held to a threshold (a figure read from both a metric and a report
    /// counts once).
    pub thresholded: u64,
    pub passing: u64,
    /// `None` when no metric has a threshold.
    pub passed: Option<bool>,
    pub failing: Vec<FailingMetric>,
}

/// A metric that missed its threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FailingMetric {
    pub raw_name: String,
    pub metric: String,
    pub sensitive_feature: Option<String>,
    pub group: Option<String>,
    pub value: f64,
    pub threshold: Threshold,
    pub source: BiasSource,
}

/// Maps a coverage share to a suggested level: none covered -> 0, under 50% -> 1, under 90%
/// -> 2, 90% or more -> 3, and no data -> `None`.
///
/// The top is 3, not 4: tracker data shows how widely a practice is applied, while every
/// level-4 anchor asks for audits and reviews on a cadence, which no tracker records.
pub fn level_for_share(numerator: u64, denominator: u64) -> Option<u8> {
    if denominator == 0 {
        return None;
    }
    // Integer comparisons, so 9 of 10 is 90% exactly.
    let (n, d) = (u128::from(numerator), u128::from(denominator));
    Some(if n == 0 {
        0
    } else if n * 100 < d * 50 {
        1
    } else if n * 100 < d * 90 {
        2
    } else {
        3
    })
}

/// Level suggested for a production version's fairness verdict: 3 when every thresholded
/// metric passes (consistent with a gate), 1 when any fails (a breach reached production).
const LEVEL_FAIRNESS_PASS: u8 = 3;
const LEVEL_FAIRNESS_FAIL: u8 = 1;

/// The indicators for a snapshot: the three coverage shares, then one fairness verdict per
/// production model version (ordered by id).
pub fn compute(snapshot: &Snapshot) -> Vec<Indicator> {
    let graph = Graph::new(snapshot);
    let versions = &snapshot.model_versions;
    let mut out = Vec::new();

    let lineage = versions.iter().filter(|v| graph.has_lineage(v)).count();
    out.push(share(
        "model_versions_with_dataset_lineage",
        "Model versions with dataset lineage",
        lineage,
        versions.len(),
        &["DEV-3", "SCALE-2"],
        "registered model versions have dataset lineage (a dataset read by the source run, \
         or an evaluation dataset)",
        "no registered model versions in the snapshot",
    ));

    let evaluated = versions
        .iter()
        .filter(|v| !graph.bias_for(v).is_empty())
        .count();
    out.push(share(
        "model_versions_with_fairness_evaluation",
        "Model versions with a fairness evaluation",
        evaluated,
        versions.len(),
        &["GOV-2"],
        "registered model versions have fairness figures on their source run",
        "no registered model versions in the snapshot",
    ));

    let runs = &snapshot.runs;
    let committed = runs.iter().filter(|r| {
        r.code_commit
            .as_deref()
            .is_some_and(|c| !c.trim().is_empty())
    });
    out.push(share(
        "runs_with_code_commit",
        "Runs with a code commit",
        committed.count(),
        runs.len(),
        &["DEV-3", "SCALE-2"],
        "runs record a code commit",
        "no runs in the snapshot",
    ));

    let mut production: Vec<&ModelVersion> =
        versions.iter().filter(|v| v.is_production()).collect();
    production.sort_by(|a, b| a.external_id.cmp(&b.external_id));
    for version in production {
        let verdict = Verdict::of(graph.bias_for(version));
        let id = &version.external_id;
        let basis = if verdict.thresholded == 0 {
            format!("no thresholded fairness metrics on the source run of {id}")
        } else {
            let mut text = format!(
                "{} of {} thresholded fairness metrics pass on the source run of {id}",
                verdict.passing, verdict.thresholded
            );
            if !verdict.failing.is_empty() {
                let list: Vec<String> = verdict.failing.iter().map(describe).collect();
                text.push_str(&format!("; failing: {}", list.join(", ")));
            }
            text
        };
        out.push(Indicator {
            id: format!("fairness_pass:{id}"),
            title: format!("Fairness thresholds for production model {id}"),
            numerator: verdict.passing,
            denominator: verdict.thresholded,
            share: ratio(verdict.passing, verdict.thresholded),
            questions: vec!["GOV-2".into(), "CICD-3".into()],
            suggested_level: verdict.passed().map(|ok| {
                if ok {
                    LEVEL_FAIRNESS_PASS
                } else {
                    LEVEL_FAIRNESS_FAIL
                }
            }),
            basis,
        });
    }
    out
}

/// Pass/fail per run that logged fairness figures, ordered by run id.
pub fn fairness_summary(snapshot: &Snapshot) -> Vec<RunFairness> {
    let graph = Graph::new(snapshot);
    let mut by_run: BTreeMap<&str, Vec<&BiasEvidence>> = BTreeMap::new();
    for bias in &snapshot.bias {
        by_run.entry(bias.run.as_str()).or_default().push(bias);
    }
    by_run
        .into_iter()
        .map(|(run, bias)| {
            let verdict = Verdict::of(bias);
            RunFairness {
                run: run.to_string(),
                model_versions: graph.versions_of(run),
                thresholded: verdict.thresholded,
                passing: verdict.passing,
                passed: verdict.passed(),
                failing: verdict.failing,
            }
        })
        .collect()
}

fn ratio(numerator: u64, denominator: u64) -> Option<f64> {
    // Counts of snapshot items stay far below 2^53, so the conversion is exact.
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

fn share(
    id: &str,
    title: &str,
    numerator: usize,
    denominator: usize,
    questions: &[&str],
    what: &str,
    empty: &str,
) -> Indicator {
    let (n, d) = (numerator as u64, denominator as u64);
    Indicator {
        id: id.to_string(),
        title: title.to_string(),
        numerator: n,
        denominator: d,
        share: ratio(n, d),
        questions: questions.iter().map(|q| q.to_string()).collect(),
        suggested_level: level_for_share(n, d),
        basis: if d == 0 {
            empty.to_string()
        } else {
            format!("{n} of {d} {what}")
        },
    }
}

fn describe(failing: &FailingMetric) -> String {
    format!(
        "{} = {} (needs {})",
        failing.raw_name, failing.value, failing.threshold
    )
}

/// Thresholded metrics of some runs, each distinct figure counted once.
struct Verdict {
    thresholded: u64,
    passing: u64,
    failing: Vec<FailingMetric>,
}

impl Verdict {
    fn of(bias: Vec<&BiasEvidence>) -> Verdict {
        type Key<'a> = (
            &'a str,
            &'a str,
            Convention,
            Option<&'a str>,
            Option<&'a str>,
        );
        // Worst outcome per figure: a metric and a report disagreeing counts as failing.
        let mut figures: BTreeMap<Key<'_>, Option<&BiasEvidence>> = BTreeMap::new();
        for b in bias {
            let (Some(passed), Some(_)) = (b.passed, b.threshold) else {
                continue;
            };
            let key = (
                b.run.as_str(),
                b.metric.as_str(),
                b.convention,
                b.sensitive_feature.as_deref(),
                b.group.as_deref(),
            );
            let slot = figures.entry(key).or_insert(None);
            if !passed && slot.is_none() {
                *slot = Some(b);
            }
        }
        let failing: Vec<FailingMetric> = figures
            .values()
            .flatten()
            .filter_map(|b| {
                Some(FailingMetric {
                    raw_name: b.raw_name.clone(),
                    metric: b.metric.clone(),
                    sensitive_feature: b.sensitive_feature.clone(),
                    group: b.group.clone(),
                    value: b.value,
                    threshold: b.threshold?,
                    source: b.source.clone(),
                })
            })
            .collect();
        let thresholded = figures.len() as u64;
        Verdict {
            thresholded,
            passing: thresholded - failing.len() as u64,
            failing,
        }
    }

    fn passed(&self) -> Option<bool> {
        (self.thresholded > 0).then_some(self.failing.is_empty())
    }
}

/// Lineage lookups over one snapshot.
struct Graph<'a> {
    snapshot: &'a Snapshot,
    /// Runs that read at least one dataset.
    runs_with_data: BTreeSet<&'a str>,
    /// Versions with an evaluated_on edge.
    evaluated: BTreeSet<&'a str>,
}

impl<'a> Graph<'a> {
    fn new(snapshot: &'a Snapshot) -> Graph<'a> {
        let mut runs_with_data = BTreeSet::new();
        let mut evaluated = BTreeSet::new();
        for edge in &snapshot.edges {
            match (edge.kind, edge.from.kind, edge.to.kind) {
                (EdgeKind::UsedBy, EntityKind::Dataset, EntityKind::Run) => {
                    runs_with_data.insert(edge.to.external_id.as_str());
                }
                (EdgeKind::EvaluatedOn, EntityKind::ModelVersion, EntityKind::Dataset) => {
                    evaluated.insert(edge.from.external_id.as_str());
                }
                _ => {}
            }
        }
        Graph {
            snapshot,
            runs_with_data,
            evaluated,
        }
    }

    /// The version's own `source_run` and runs with a produced/registered_as edge to it.
    fn source_runs(&self, version: &'a ModelVersion) -> BTreeSet<&'a str> {
        let target = EntityRef::model_version(version.external_id.clone());
        let linked = self.snapshot.edges.iter().filter(|e| {
            matches!(e.kind, EdgeKind::Produced | EdgeKind::RegisteredAs)
                && e.from.kind == EntityKind::Run
                && e.to == target
        });
        version
            .source_run
            .as_deref()
            .into_iter()
            .chain(linked.map(|e| e.from.external_id.as_str()))
            .collect()
    }

    fn has_lineage(&self, version: &'a ModelVersion) -> bool {
        self.evaluated.contains(version.external_id.as_str())
            || self
                .source_runs(version)
                .iter()
                .any(|r| self.runs_with_data.contains(r))
    }

    fn bias_for(&self, version: &'a ModelVersion) -> Vec<&'a BiasEvidence> {
        let runs = self.source_runs(version);
        self.snapshot
            .bias
            .iter()
            .filter(|b| runs.contains(b.run.as_str()))
            .collect()
    }

    fn versions_of(&self, run: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .snapshot
            .model_versions
            .iter()
            .filter(|v| self.source_runs(v).contains(run))
            .map(|v| v.external_id.clone())
            .collect();
        ids.sort();
        ids
    }
}

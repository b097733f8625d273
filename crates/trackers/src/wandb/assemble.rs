//! The snapshot and watermark of one import, from the runs and the artifacts they used
//! and logged.

use std::collections::{BTreeMap, BTreeSet};

use assay_evidence::fairness::{self, MappingRule};
use assay_evidence::{
    Dataset, EdgeKind, EntityRef, LineageEdge, ModelVersion, Run, Snapshot, Source,
};

use chrono::{DateTime, Utc};

use super::map;
use super::nodes::{ArtifactNode, MembershipNode, RunNode};
use super::{Watermark, values};
use crate::error::TrackerError;

/// Builds the snapshot from the runs and what they used and logged, with warnings; both are
/// put in order by [`Fetched::new`](crate::Fetched).
pub(super) fn snapshot(
    source: Source,
    runs: Vec<Run>,
    artifacts: Vec<(Vec<ArtifactNode>, Vec<ArtifactNode>)>,
    links: &BTreeMap<String, Vec<MembershipNode>>,
    rules: &[MappingRule],
) -> (Snapshot, Vec<String>) {
    let fallback = source.project.clone();
    let mut snapshot = Snapshot::empty(source);
    let mut warnings = Vec::new();
    let mut datasets: BTreeMap<String, Dataset> = BTreeMap::new();
    let mut versions: BTreeMap<String, ModelVersion> = BTreeMap::new();
    let no_links = Vec::new();
    for (run, (inputs, outputs)) in runs.into_iter().zip(artifacts) {
        let run_ref = EntityRef::run(run.external_id.clone());
        let context = run.tags.get("wandb.job_type").cloned();
        let edge = |kind, from, to| LineageEdge {
            kind,
            from,
            to,
            context: context.clone(),
        };
        let mut used_datasets = Vec::new();
        let mut used_versions = Vec::new();
        for artifact in &inputs {
            let kind = artifact.kind();
            if map::DATASET_TYPES.contains(&kind.as_str()) {
                let dataset = map::dataset(artifact, &fallback);
                let dataset_ref = EntityRef::dataset(dataset.external_id.clone());
                snapshot
                    .edges
                    .push(edge(EdgeKind::UsedBy, dataset_ref.clone(), run_ref.clone()));
                used_datasets.push(dataset_ref);
                datasets
                    .entry(dataset.external_id.clone())
                    .or_insert(dataset);
            } else if map::MODEL_TYPES.contains(&kind.as_str()) {
                let found = links.get(&artifact.id).unwrap_or(&no_links);
                for version in map::registered_versions(artifact, found, None, &fallback) {
                    used_versions.push(EntityRef::model_version(version.external_id.clone()));
                    merge_version(&mut versions, version);
                }
            }
        }
        let mut logged_model = false;
        for artifact in &outputs {
            let kind = artifact.kind();
            if map::MODEL_TYPES.contains(&kind.as_str()) {
                logged_model = true;
                let found = links.get(&artifact.id).unwrap_or(&no_links);
                let producer = Some(run.external_id.as_str());
                for version in map::registered_versions(artifact, found, producer, &fallback) {
                    let to = EntityRef::model_version(version.external_id.clone());
                    snapshot
                        .edges
                        .push(edge(EdgeKind::Produced, run_ref.clone(), to));
                    merge_version(&mut versions, version);
                }
            } else if map::BIAS_REPORT_TYPES.contains(&kind.as_str()) {
                let path = map::artifact_address(artifact, &fallback);
                match map::bias_report(artifact) {
                    Ok(Some(report)) => snapshot.bias.extend(fairness::from_report(
                        &run.external_id,
                        &path,
                        &report,
                        &run.tags,
                    )),
                    Ok(None) => {}
                    Err(error) => warnings.push(format!("{path}: report skipped: {error}")),
                }
            }
        }
        if !logged_model {
            for version in &used_versions {
                for dataset in &used_datasets {
                    snapshot.edges.push(edge(
                        EdgeKind::EvaluatedOn,
                        version.clone(),
                        dataset.clone(),
                    ));
                }
            }
        }
        let extraction = fairness::extract(&run, rules);
        snapshot.bias.extend(extraction.bias);
        snapshot.unmatched.extend(extraction.unmatched);
        snapshot.runs.push(run);
    }
    snapshot.datasets = datasets.into_values().collect();
    snapshot.model_versions = versions.into_values().collect();
    (snapshot, warnings)
}

/// The same registered version met through several runs: keep the producer when known.
fn merge_version(versions: &mut BTreeMap<String, ModelVersion>, version: ModelVersion) {
    match versions.get_mut(&version.external_id) {
        Some(existing) => {
            if existing.source_run.is_none() {
                existing.source_run = version.source_run;
            }
        }
        None => {
            versions.insert(version.external_id.clone(), version);
        }
    }
}

/// The newest `createdAt` among listed runs.
pub(super) fn latest_created(nodes: &[RunNode]) -> Result<Option<DateTime<Utc>>, TrackerError> {
    let mut latest = None;
    for node in nodes {
        let created = values::timestamp("createdAt", node.created_at.as_deref())?;
        latest = latest.max(created);
    }
    Ok(latest)
}

pub(super) fn next_watermark(
    since: &Watermark,
    listed: Option<DateTime<Utc>>,
    runs: &[Run],
) -> Watermark {
    let latest = since.latest_created_at.max(listed);
    let mut at_latest: BTreeSet<String> = runs
        .iter()
        .filter(|r| latest.is_some() && r.started_at == latest)
        .map(|r| r.external_id.clone())
        .collect();
    if latest == since.latest_created_at {
        at_latest.extend(since.at_latest.iter().cloned());
    }
    let running = runs
        .iter()
        .filter(|r| matches!(r.status.as_str(), "running" | "pending" | "preempting"))
        .map(|r| r.external_id.clone())
        .collect();
    Watermark {
        latest_created_at: latest,
        at_latest: at_latest.into_iter().collect(),
        running,
    }
}

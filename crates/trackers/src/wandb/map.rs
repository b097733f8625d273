//! W&B nodes to the shared evidence model.

use std::collections::BTreeMap;

use assay_evidence::{Dataset, ModelVersion, Run};
use serde_json::Value;

use super::nodes::{ArtifactNode, MembershipNode, RunNode};
use super::values::{config_params, json_object, summary_metrics, timestamp};
use crate::error::TrackerError;

/// Artifact types read as datasets.
pub(crate) const DATASET_TYPES: [&str; 1] = ["dataset"];
/// Artifact types whose registry links become model versions.
pub(crate) const MODEL_TYPES: [&str; 1] = ["model"];
/// Artifact types whose metadata may carry a fairness report.
pub(crate) const BIAS_REPORT_TYPES: [&str; 2] = ["bias-audit", "fairness-report"];

/// Project names of W&B's registries: the W&B Registry (`wandb-registry-<name>`, in the
/// organization's entity) and the legacy Model Registry (`model-registry`, in the team).
pub(crate) fn is_registry_project(name: &str) -> bool {
    name.starts_with("wandb-registry-") || name == "model-registry"
}

/// A run of `project` (`entity/project`). Its id is the GraphQL `name` (stable, used in
/// URLs); its name is `displayName`. Tags: each W&B tag label with an empty value,
/// `wandb.group` / `wandb.job_type` when set, and config entries under `fairness.` (where
/// W&B teams keep thresholds and sensitive features, W&B having no key/value tags), so that
/// `fairness::extract` sees `fairness.threshold.<metric>` as it does on MLflow.
pub(crate) fn run(node: &RunNode, project: &str) -> Result<Run, TrackerError> {
    let config = json_object("config", Some(&node.config))?;
    let summary = json_object("summaryMetrics", Some(&node.summary_metrics))?;
    let params = config_params(&config);
    let status = node
        .state
        .as_deref()
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".to_string());
    let mut tags: BTreeMap<String, String> = node
        .tags
        .iter()
        .flatten()
        .map(|t| (t.clone(), String::new()))
        .collect();
    for (key, value) in [
        ("wandb.group", &node.group),
        ("wandb.job_type", &node.job_type),
    ] {
        if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
            tags.insert(key.to_string(), value.clone());
        }
    }
    for (key, value) in &params {
        if key.starts_with("fairness.") {
            tags.insert(key.clone(), value.clone());
        }
    }
    let started_at = timestamp("createdAt", node.created_at.as_deref())?;
    let heartbeat = timestamp("heartbeatAt", node.heartbeat_at.as_deref())?;
    // W&B has no end time; the last heartbeat of a run that stopped is the closest.
    let stopped = !matches!(
        status.as_str(),
        "running" | "pending" | "preempting" | "unknown"
    );
    let mut run = Run {
        external_id: node.name.clone(),
        project: project.to_string(),
        name: node
            .display_name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| node.name.clone()),
        status,
        code_commit: node.commit.clone().filter(|c| !c.trim().is_empty()),
        code_repo: None,
        params,
        metrics: summary_metrics(&summary),
        tags,
        started_at,
        ended_at: None,
    };
    if stopped {
        run.ended_at = heartbeat;
    }
    Ok(run)
}

/// `entity/project/name:vN`, the artifact's full name in W&B (`fallback` is the imported
/// project, for a sequence that does not name its own).
pub(crate) fn artifact_address(node: &ArtifactNode, fallback: &str) -> String {
    let (project, name) = match &node.artifact_sequence {
        Some(seq) => (
            seq.project
                .as_ref()
                .map_or_else(|| fallback.to_string(), |p| p.path()),
            seq.name.as_str(),
        ),
        None => (fallback.to_string(), node.id.as_str()),
    };
    match node.version_index {
        Some(index) => format!("{project}/{name}:v{index}"),
        None => format!("{project}/{name}"),
    }
}

/// A `dataset` artifact. The id is the artifact id (the same version keeps it wherever it
/// is used); `source` is its W&B address. W&B records no training/evaluation context: the
/// using run's job type goes on the `used_by` edge instead.
pub(crate) fn dataset(node: &ArtifactNode, fallback: &str) -> Dataset {
    Dataset {
        external_id: node.id.clone(),
        name: node
            .artifact_sequence
            .as_ref()
            .map_or_else(|| node.id.clone(), |s| s.name.clone()),
        version: node.version_index.map(|i| format!("v{i}")),
        digest: node.digest.clone().filter(|d| !d.is_empty()),
        source: Some(artifact_address(node, fallback)),
        source_type: Some("wandb_artifact".to_string()),
        context: None,
    }
}

/// The registered versions of a model artifact: one per link (portfolio membership) into a
/// registry project. Registry name = the registry collection's name, version = `v<index>`
/// within that collection, aliases = that link's aliases (per-collection in W&B; `vN`
/// aliases dropped as they repeat the version). Links into ordinary projects are skipped.
pub(crate) fn registered_versions(
    artifact: &ArtifactNode,
    memberships: &[MembershipNode],
    source_run: Option<&str>,
    fallback: &str,
) -> Vec<ModelVersion> {
    let mut versions = Vec::new();
    for membership in memberships {
        let Some(collection) = &membership.artifact_collection else {
            continue;
        };
        let Some(project) = &collection.project else {
            continue;
        };
        if collection.typename.as_deref() == Some("ArtifactSequence")
            || !is_registry_project(&project.name)
        {
            continue;
        }
        let Some(index) = membership.version_index else {
            continue;
        };
        let version = format!("v{index}");
        let aliases = membership
            .aliases
            .iter()
            .flatten()
            .map(|a| a.alias.clone())
            .filter(|a| !is_version_alias(a))
            .collect();
        let mut tags = BTreeMap::from([
            ("wandb.registry".to_string(), project.path()),
            (
                "wandb.artifact".to_string(),
                artifact_address(artifact, fallback),
            ),
            ("wandb.artifact_id".to_string(), artifact.id.clone()),
        ]);
        if let Some(digest) = artifact.digest.as_ref().filter(|d| !d.is_empty()) {
            tags.insert("wandb.digest".to_string(), digest.clone());
        }
        versions.push(ModelVersion {
            external_id: format!("{}/{version}", collection.name),
            registry_name: collection.name.clone(),
            version,
            aliases,
            stage: None,
            source_run: source_run.map(str::to_string),
            tags,
        });
    }
    versions
}

fn is_version_alias(alias: &str) -> bool {
    alias
        .strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The fairness report in a bias-audit artifact's metadata: under `report` or
/// `fairness_report` when present, else the whole metadata object; `None` when empty.
pub(crate) fn bias_report(node: &ArtifactNode) -> Result<Option<Value>, TrackerError> {
    let mut metadata = json_object("artifact metadata", Some(&node.metadata))?;
    for key in ["report", "fairness_report"] {
        if let Some(report @ Value::Object(_)) = metadata.remove(key) {
            return Ok(Some(report));
        }
    }
    Ok((!metadata.is_empty()).then_some(Value::Object(metadata)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run_node(value: Value) -> RunNode {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn runs_map_ids_names_times_and_fairness_config() {
        let node = run_node(json!({
            "name": "abc123", "displayName": "train", "state": "FINISHED",
            "tags": ["prod"], "group": "g", "jobType": "train", "commit": "",
            "createdAt": "2026-10-01T09:00:00", "heartbeatAt": "2026-10-01T09:10:00",
            "config": "{\"fairness.threshold.dpd\": {\"value\": 0.05}, \"lr\": {\"value\": 1}}",
            "summaryMetrics": "{\"acc\": 0.5}"
        }));
        let run = run(&node, "e/p").unwrap();
        assert_eq!(
            (run.external_id.as_str(), run.name.as_str()),
            ("abc123", "train")
        );
        assert_eq!(run.status, "finished");
        assert_eq!(run.code_commit, None);
        assert_eq!(run.tags["prod"], "");
        assert_eq!(run.tags["wandb.job_type"], "train");
        assert_eq!(run.tags["fairness.threshold.dpd"], "0.05");
        assert_eq!(run.params["lr"], "1");
        assert_eq!(run.metrics["acc"], 0.5);
        assert!(run.ended_at.is_some());
    }

    #[test]
    fn running_runs_have_no_end_and_bad_inner_json_fails() {
        let node = run_node(
            json!({"name": "r", "state": "running", "heartbeatAt": "2026-10-01T09:10:00"}),
        );
        let mapped = run(&node, "e/p").unwrap();
        assert_eq!(mapped.ended_at, None);
        assert_eq!(mapped.name, "r");
        let bad = run_node(json!({"name": "r", "config": "{\"lr\": "}));
        assert_eq!(run(&bad, "e/p").unwrap_err().kind(), "bad_response");
        let bad = run_node(json!({"name": "r", "summaryMetrics": "[1]"}));
        assert_eq!(run(&bad, "e/p").unwrap_err().kind(), "bad_response");
        let bad = run_node(json!({"name": "r", "createdAt": "not a time"}));
        assert_eq!(run(&bad, "e/p").unwrap_err().kind(), "bad_response");
    }

    #[test]
    fn only_registry_links_become_versions() {
        let artifact: ArtifactNode = serde_json::from_value(json!({
            "id": "QXJ0aWZhY3Q6NA==", "versionIndex": 1, "digest": "d1",
            "artifactType": {"name": "model"},
            "artifactSequence": {"__typename": "ArtifactSequence", "name": "m",
                                  "project": {"name": "p", "entity": {"name": "e"}}}
        }))
        .unwrap();
        let memberships: Vec<MembershipNode> = serde_json::from_value(json!([
            {"versionIndex": 1, "aliases": [{"alias": "latest"}],
             "artifactCollection": {"__typename": "ArtifactSequence", "name": "m",
                                    "project": {"name": "p", "entity": {"name": "e"}}}},
            {"versionIndex": 3, "aliases": [{"alias": "production"}, {"alias": "v3"}],
             "artifactCollection": {"__typename": "ArtifactPortfolio", "name": "credit",
                                    "project": {"name": "wandb-registry-model", "entity": {"name": "org"}}}},
            {"versionIndex": 0, "aliases": null,
             "artifactCollection": {"__typename": "ArtifactPortfolio", "name": "legacy",
                                    "project": {"name": "model-registry", "entity": {"name": "e"}}}},
            {"versionIndex": 0, "aliases": [],
             "artifactCollection": {"__typename": "ArtifactPortfolio", "name": "shortlist",
                                    "project": {"name": "p", "entity": {"name": "e"}}}},
            {"versionIndex": null, "aliases": [],
             "artifactCollection": {"__typename": "ArtifactPortfolio", "name": "x",
                                    "project": {"name": "wandb-registry-model", "entity": {"name": "org"}}}}
        ]))
        .unwrap();
        let versions = registered_versions(&artifact, &memberships, Some("run1"), "e/p");
        let ids: Vec<&str> = versions.iter().map(|v| v.external_id.as_str()).collect();
        assert_eq!(ids, ["credit/v3", "legacy/v0"]);
        assert_eq!(versions[0].aliases, ["production"]);
        assert_eq!(
            versions[0].tags["wandb.registry"],
            "org/wandb-registry-model"
        );
        assert_eq!(versions[0].tags["wandb.artifact"], "e/p/m:v1");
        assert_eq!(versions[1].source_run.as_deref(), Some("run1"));
    }

    #[test]
    fn bias_reports_are_found_in_metadata() {
        let node = |metadata: Value| -> ArtifactNode {
            serde_json::from_value(json!({"id": "a", "metadata": metadata})).unwrap()
        };
        let report =
            bias_report(&node(json!("{\"report\": {\"schema\": \"x\"}, \"k\": 1}"))).unwrap();
        assert_eq!(report, Some(json!({"schema": "x"})));
        let whole = bias_report(&node(json!("{\"dpd_sex\": 0.1}"))).unwrap();
        assert_eq!(whole, Some(json!({"dpd_sex": 0.1})));
        assert_eq!(bias_report(&node(json!("{}"))).unwrap(), None);
        assert_eq!(bias_report(&node(Value::Null)).unwrap(), None);
        assert_eq!(
            bias_report(&node(json!("{oops"))).unwrap_err().kind(),
            "bad_response"
        );
    }
}

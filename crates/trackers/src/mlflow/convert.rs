//! From MLflow's wire shapes to the evidence model. Pure functions, no I/O.

use std::collections::BTreeMap;

use assay_evidence::{Dataset, EdgeKind, EntityRef, LineageEdge, ModelVersion, Run};
use chrono::{DateTime, Utc};

use super::wire::{
    DatasetInput, KeyValue, LoggedModel, RegisteredModel, WireMetric, WireModelVersion, WireRun,
};

pub(crate) const TAG_COMMIT: &str = "mlflow.source.git.commit";
pub(crate) const TAG_REPO: &str = "mlflow.source.git.repoURL";
pub(crate) const TAG_RUN_NAME: &str = "mlflow.runName";
pub(crate) const TAG_CONTEXT: &str = "mlflow.data.context";

fn map(pairs: &[KeyValue]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|pair| (pair.key.clone(), pair.value.clone()))
        .collect()
}

fn time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.filter(|ms| *ms > 0)
        .and_then(DateTime::from_timestamp_millis)
}

fn non_empty(text: Option<&String>) -> Option<String> {
    text.map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The evidence run. Non-finite metric values are left out: they carry no evidence and
/// would not survive a JSON round trip.
pub(crate) fn run(wire: &WireRun, experiment: &str) -> Run {
    let tags = map(&wire.data.tags);
    let params = map(&wire.data.params);
    let metrics = wire
        .data
        .metrics
        .iter()
        .filter_map(|m| {
            m.value
                .filter(|v| v.is_finite())
                .map(|v| (m.key.clone(), v))
        })
        .collect();
    let name = Some(&wire.info.run_name)
        .filter(|n| !n.is_empty())
        .or_else(|| tags.get(TAG_RUN_NAME))
        .cloned()
        .unwrap_or_else(|| wire.id().to_string());
    Run {
        external_id: wire.id().to_string(),
        project: experiment.to_string(),
        name,
        status: wire.info.status.to_ascii_lowercase(),
        code_commit: non_empty(tags.get(TAG_COMMIT)),
        code_repo: non_empty(tags.get(TAG_REPO)),
        params,
        metrics,
        started_at: time(wire.info.start_time),
        ended_at: time(wire.info.end_time),
        tags,
    }
}

/// `name@digest`, MLflow's identity of a dataset version.
pub(crate) fn dataset_id(name: &str, digest: &str) -> String {
    if digest.is_empty() {
        name.to_string()
    } else {
        format!("{name}@{digest}")
    }
}

/// The dataset a run input names, with the input's context; `None` for a nameless input.
pub(crate) fn dataset(input: &DatasetInput) -> Option<Dataset> {
    let wire = &input.dataset;
    if wire.name.is_empty() {
        return None;
    }
    let digest = Some(wire.digest.clone()).filter(|d| !d.is_empty());
    let context = input
        .tags
        .iter()
        .find(|t| t.key == TAG_CONTEXT)
        .map(|t| t.value.clone());
    Some(Dataset {
        external_id: dataset_id(&wire.name, &wire.digest),
        name: wire.name.clone(),
        // MLflow has no dataset version numbers; the content digest identifies the version.
        version: digest.clone(),
        digest,
        source: source_uri(&wire.source),
        source_type: Some(wire.source_type.clone()).filter(|t| !t.is_empty()),
        context: context.filter(|c| !c.is_empty()),
    })
}

/// The location inside MLflow's dataset `source` JSON (`uri`, `url`, `path` or a table).
fn source_uri(source: &str) -> Option<String> {
    let source = source.trim();
    if source.is_empty() {
        return None;
    }
    match serde_json::from_str::<serde_json::Value>(source) {
        Ok(value) => [
            "uri",
            "url",
            "path",
            "table_name",
            "dataset_name",
            "repo_id",
        ]
        .iter()
        .find_map(|key| value[key].as_str().filter(|s| !s.is_empty()))
        .map(str::to_string),
        // Not JSON: keep a plain location as it is.
        Err(_) => (!source.starts_with('{')).then(|| source.to_string()),
    }
}

/// Datasets of `runs` (first context seen wins, in the order given) and their
/// `used_by` edges.
pub(crate) fn inputs(runs: &[WireRun]) -> (Vec<Dataset>, Vec<LineageEdge>) {
    let mut datasets: BTreeMap<String, Dataset> = BTreeMap::new();
    let mut edges = Vec::new();
    for run in runs {
        for input in &run.inputs.dataset_inputs {
            let Some(dataset) = dataset(input) else {
                continue;
            };
            edges.push(LineageEdge {
                kind: EdgeKind::UsedBy,
                from: EntityRef::dataset(&dataset.external_id),
                to: EntityRef::run(run.id()),
                context: dataset.context.clone(),
            });
            datasets
                .entry(dataset.external_id.clone())
                .or_insert(dataset);
        }
    }
    (datasets.into_values().collect(), edges)
}

/// The LoggedModel id of a `models:/m-…` source (MLflow 3).
pub(crate) fn logged_model_id(source: &str) -> Option<&str> {
    let id = source.strip_prefix("models:/")?.trim_end_matches('/');
    (id.starts_with("m-") && !id.contains('/')).then_some(id)
}

/// The run of a `runs:/<run>/<path>` source (MLflow 2 registrations).
pub(crate) fn source_run(source: &str) -> Option<&str> {
    let rest = source.strip_prefix("runs:/")?;
    rest.split('/').next().filter(|id| !id.is_empty())
}

/// The run a version records itself: its `run_id`, else the run of a `runs:/` source.
pub(crate) fn recorded_run(version: &WireModelVersion) -> Option<String> {
    Some(version.run_id.trim())
        .filter(|id| !id.is_empty())
        .or_else(|| source_run(&version.source))
        .map(str::to_string)
}

/// What the import learnt about a version's LoggedModel.
#[derive(Debug, Default, Clone)]
pub(crate) struct LoggedModelFacts {
    pub experiment_id: String,
    pub source_run_id: String,
    /// `(name, digest)` of every dataset a metric of the model names.
    pub evaluated_on: Vec<(String, String)>,
}

/// The facts of a LoggedModel the import keeps.
pub(crate) fn logged_model_facts(model: LoggedModel) -> LoggedModelFacts {
    LoggedModelFacts {
        evaluated_on: evaluated_on(&model.data.metrics),
        experiment_id: model.info.experiment_id,
        source_run_id: model.info.source_run_id,
    }
}

pub(crate) fn evaluated_on(metrics: &[WireMetric]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = metrics
        .iter()
        .filter(|m| !m.dataset_name.is_empty())
        .map(|m| (m.dataset_name.clone(), m.dataset_digest.clone()))
        .collect();
    pairs.sort();
    pairs.dedup();
    pairs
}

/// The evidence version and its edges:
/// * `produced`: run -> version, from the version's own run record, else from its
///   LoggedModel's `source_run_id`;
/// * `registered_as`: run -> version, when the version was registered from a LoggedModel
///   (`models:/m-…`) that run logged;
/// * `evaluated_on`: version -> dataset, for each dataset the LoggedModel's metrics name.
pub(crate) fn model_version(
    wire: &WireModelVersion,
    registered: &RegisteredModel,
    logged: Option<&LoggedModelFacts>,
) -> (ModelVersion, Vec<LineageEdge>) {
    let external_id = format!("{}/{}", wire.name, wire.version);
    let mut aliases: Vec<String> = registered
        .aliases
        .iter()
        .filter(|alias| alias.version == wire.version && !alias.alias.is_empty())
        .map(|alias| alias.alias.clone())
        .chain(wire.aliases.iter().cloned())
        .collect();
    aliases.sort();
    aliases.dedup();
    let logged_run = logged
        .map(|l| l.source_run_id.clone())
        .filter(|id| !id.is_empty());
    let producer = recorded_run(wire).or_else(|| logged_run.clone());
    let stage = Some(wire.current_stage.clone()).filter(|s| !s.is_empty() && s != "None");
    let version = ModelVersion {
        external_id: external_id.clone(),
        registry_name: wire.name.clone(),
        version: wire.version.clone(),
        aliases,
        stage,
        source_run: producer.clone(),
        tags: map(&wire.tags),
    };
    let target = || EntityRef::model_version(&external_id);
    let edge = |kind, from, to| LineageEdge {
        kind,
        from,
        to,
        context: None,
    };
    let mut edges = Vec::new();
    if let Some(run) = producer {
        edges.push(edge(EdgeKind::Produced, EntityRef::run(run), target()));
    }
    if let Some(run) = logged_run {
        edges.push(edge(EdgeKind::RegisteredAs, EntityRef::run(run), target()));
    }
    for (name, digest) in logged
        .map(|l| l.evaluated_on.as_slice())
        .unwrap_or_default()
    {
        edges.push(edge(
            EdgeKind::EvaluatedOn,
            target(),
            EntityRef::dataset(dataset_id(name, digest)),
        ));
    }
    (version, edges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mlflow::wire::decode;
    use serde_json::json;

    fn wire_run() -> WireRun {
        decode(
            "runs/get",
            json!({
                "info": {"run_id": "r1", "run_name": "", "status": "FINISHED",
                         "start_time": 1795329289113_i64, "end_time": 0},
                "data": {
                    "metrics": [{"key": "acc", "value": 0.5}, {"key": "bad", "value": "NaN"}],
                    "params": [{"key": "C", "value": "1.0"}],
                    "tags": [{"key": "mlflow.runName", "value": "train"},
                             {"key": "mlflow.source.git.commit", "value": "abc"}]
                },
                "inputs": {"dataset_inputs": [
                    {"tags": [{"key": "mlflow.data.context", "value": "training"}],
                     "dataset": {"name": "d", "digest": "12", "source_type": "s3",
                                 "source": "{\"uri\": \"s3://b/k\"}"}},
                    {"dataset": {"name": "", "digest": "x"}}
                ]}
            }),
        )
        .unwrap()
    }

    #[test]
    fn runs_take_names_statuses_times_and_code() {
        let run = run(&wire_run(), "exp");
        assert_eq!(run.name, "train");
        assert_eq!(run.status, "finished");
        assert_eq!(run.code_commit.as_deref(), Some("abc"));
        assert_eq!(run.code_repo, None);
        assert_eq!(run.metrics.len(), 1, "NaN is dropped");
        assert_eq!(run.started_at.unwrap().timestamp_millis(), 1795329289113);
        assert_eq!(run.ended_at, None);
    }

    #[test]
    fn inputs_give_datasets_and_used_by_edges() {
        let (datasets, edges) = inputs(&[wire_run()]);
        assert_eq!(datasets.len(), 1);
        assert_eq!(datasets[0].external_id, "d@12");
        assert_eq!(datasets[0].source.as_deref(), Some("s3://b/k"));
        assert_eq!(datasets[0].context.as_deref(), Some("training"));
        assert_eq!(edges.len(), 1);
        assert_eq!(edges[0].kind, EdgeKind::UsedBy);
        assert_eq!(edges[0].to, EntityRef::run("r1"));
    }

    #[test]
    fn sources_are_parsed() {
        assert_eq!(logged_model_id("models:/m-abc"), Some("m-abc"));
        assert_eq!(logged_model_id("models:/name/3"), None);
        assert_eq!(source_run("runs:/r9/model"), Some("r9"));
        assert_eq!(source_run("s3://x"), None);
        assert_eq!(source_uri("plain/path"), Some("plain/path".into()));
        assert_eq!(source_uri("{\"table_name\": \"t\"}"), Some("t".into()));
        assert_eq!(source_uri("{broken"), None);
    }

    #[test]
    fn versions_link_runs_and_evaluation_data() {
        let wire: WireModelVersion = decode(
            "model-versions/search",
            json!({"name": "m", "version": 2, "source": "models:/m-1", "run_id": "r1",
                   "current_stage": "None", "aliases": ["champion"]}),
        )
        .unwrap();
        let registered: RegisteredModel = decode(
            "registered-models/search",
            json!({"name": "m", "aliases": [{"alias": "champion", "version": "2"},
                                            {"alias": "old", "version": "1"}]}),
        )
        .unwrap();
        let facts = LoggedModelFacts {
            experiment_id: "1".into(),
            source_run_id: "r1".into(),
            evaluated_on: vec![("eval".into(), "ff".into())],
        };
        let (version, edges) = model_version(&wire, &registered, Some(&facts));
        assert_eq!(version.external_id, "m/2");
        assert_eq!(version.aliases, ["champion"]);
        assert_eq!(version.stage, None);
        assert_eq!(version.source_run.as_deref(), Some("r1"));
        let kinds: Vec<_> = edges.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                EdgeKind::Produced,
                EdgeKind::RegisteredAs,
                EdgeKind::EvaluatedOn
            ]
        );
        assert_eq!(edges[2].to, EntityRef::dataset("eval@ff"));

        let legacy: WireModelVersion = decode(
            "model-versions/search",
            json!({"name": "m", "version": "1", "source": "runs:/r0/model", "current_stage": "Production"}),
        )
        .unwrap();
        let (version, edges) = model_version(&legacy, &registered, None);
        assert_eq!(version.source_run.as_deref(), Some("r0"));
        assert_eq!(version.stage.as_deref(), Some("Production"));
        assert_eq!(version.aliases, ["old"]);
        assert_eq!(edges.len(), 1);
    }
}

//! Single MLflow responses read without a server: raw bytes in, the evidence an import takes
//! from them out, through the same decoding and conversion as [`fetch`](super::fetch).
//!
//! These exist for the fuzz targets (`fuzz/`), the corpus replay test and offline checks of
//! captured responses; an import itself never calls them. Which model versions belong to the
//! experiment, and which report artifacts are read, is decided by the import with further
//! requests and is not part of any one response, so it is not done here.

use std::collections::BTreeMap;

use assay_evidence::fairness::{self, MappingRule};
use assay_evidence::{BiasEvidence, LineageEdge, ModelVersion, Run, Snapshot, Source, Tracker};
use serde::de::DeserializeOwned;

use super::api::parse_report;
use super::convert::{self, LoggedModelFacts};
use super::wire::{self, RegisteredModel, decode};
use super::{Watermark, add_runs, next_watermark, tidy_runs};
use crate::error::TrackerError;
use crate::http::parse_json;

/// A response body decoded as the client decodes the endpoint's answer.
fn read<T: DeserializeOwned>(endpoint: &str, body: &[u8]) -> Result<T, TrackerError> {
    decode(endpoint, parse_json(body)?)
}

/// One `runs/search` page as the import reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunsPage {
    /// The page's runs of the experiment, the datasets they read with their `used_by` edges,
    /// and the fairness evidence and unmatched candidates of their metrics; normalised.
    /// `source.instance` is empty.
    pub snapshot: Snapshot,
    /// What a full import that read only this page would store for the next one.
    pub watermark: Watermark,
    pub next_page_token: Option<String>,
}

/// Reads a `runs/search` response body of experiment `experiment` (id `experiment_id`):
/// the JSON parse, the lenient decoding, the filtering and ordering of runs, their conversion
/// and the fairness metrics in them, exactly as [`fetch`](super::fetch) does with the runs of
/// all the pages it read.
pub fn parse_runs_page(
    body: &[u8],
    experiment_id: &str,
    experiment: &str,
    rules: &[MappingRule],
) -> Result<RunsPage, TrackerError> {
    let page: wire::RunsPage = read("runs/search", body)?;
    let mut runs = page.runs;
    tidy_runs(&mut runs, experiment_id);
    let source = Source {
        tracker: Tracker::Mlflow,
        instance: String::new(),
        project: experiment.to_string(),
    };
    let mut snapshot = Snapshot::empty(source);
    add_runs(&mut snapshot, &runs, rules);
    snapshot.normalise();
    Ok(RunsPage {
        snapshot,
        watermark: next_watermark(None, &runs),
        next_page_token: page.next_page_token,
    })
}

/// Reads a JSON fairness report artifact of `run` stored at `path`, as the import reads the
/// files under a run's `fairness/` folder: a body that is not JSON is a
/// [`TrackerError::BadResponse`] (the import skips it with a warning).
pub fn parse_fairness_report(
    body: &[u8],
    run: &Run,
    path: &str,
) -> Result<Vec<BiasEvidence>, TrackerError> {
    let document = parse_report(body)?;
    Ok(fairness::from_report(
        &run.external_id,
        path,
        &document,
        &run.tags,
    ))
}

/// A decoded `registered-models/search` page.
#[derive(Debug, Default)]
pub struct RegisteredModels {
    models: Vec<RegisteredModel>,
    pub next_page_token: Option<String>,
}

impl RegisteredModels {
    /// The registered models' names, in page order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.models.iter().map(|model| model.name.as_str())
    }
}

/// Reads a `registered-models/search` response body.
pub fn parse_registered_models_page(body: &[u8]) -> Result<RegisteredModels, TrackerError> {
    let page: wire::RegisteredModelsPage = read("registered-models/search", body)?;
    Ok(RegisteredModels {
        models: page.registered_models,
        next_page_token: page.next_page_token,
    })
}

/// What the import keeps of a decoded `logged-models/get` answer (MLflow 3).
#[derive(Debug)]
pub struct LoggedModel {
    id: String,
    facts: LoggedModelFacts,
}

impl LoggedModel {
    /// The LoggedModel's id (`m-…`), as a version's `models:/m-…` source names it.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// Reads a `logged-models/get` response body.
pub fn parse_logged_model(body: &[u8]) -> Result<LoggedModel, TrackerError> {
    let response: wire::LoggedModelResponse = read("logged-models/get", body)?;
    let id = response.model.info.model_id.clone();
    Ok(LoggedModel {
        id,
        facts: convert::logged_model_facts(response.model),
    })
}

/// The model versions of one `model-versions/search` page, converted.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelVersionsPage {
    pub versions: Vec<ModelVersion>,
    /// `produced`, `registered_as` and `evaluated_on` edges of the versions.
    pub edges: Vec<LineageEdge>,
    pub next_page_token: Option<String>,
}

/// Reads a `model-versions/search` response body and converts every version on it as the
/// import converts the versions it keeps: each with the aliases of the registered model of its
/// name in `registered` (none when that model is not there) and the LoggedModel among `logged`
/// that its `models:/m-…` source names.
pub fn parse_model_versions_page(
    body: &[u8],
    registered: &RegisteredModels,
    logged: &[LoggedModel],
) -> Result<ModelVersionsPage, TrackerError> {
    let page: wire::ModelVersionsPage = read("model-versions/search", body)?;
    let facts: BTreeMap<&str, &LoggedModelFacts> = logged
        .iter()
        .rev()
        .map(|model| (model.id.as_str(), &model.facts))
        .collect();
    let mut out = ModelVersionsPage {
        versions: Vec::new(),
        edges: Vec::new(),
        next_page_token: page.next_page_token,
    };
    for version in &page.model_versions {
        let unknown = RegisteredModel::default();
        let model = registered
            .models
            .iter()
            .find(|model| model.name == version.name)
            .unwrap_or(&unknown);
        let found = convert::logged_model_id(&version.source).and_then(|id| facts.get(id));
        let (converted, edges) = convert::model_version(version, model, found.copied());
        out.versions.push(converted);
        out.edges.extend(edges);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_read_from_bytes() {
        let body =
            br#"{"runs": [{"info": {"run_id": "r1", "experiment_id": "7", "status": "RUNNING",
            "start_time": "5"}, "data": {"metrics": [{"key": "dpd_sex", "value": 0.3}],
            "tags": [{"key": "fairness.sensitive_features", "value": "sex"}]}},
            {"info": {"run_id": "other", "experiment_id": "8"}},
            {"info": {"run_id": "bad id"}}], "next_page_token": "t"}"#;
        let page = parse_runs_page(body, "7", "exp", &[]).unwrap();
        let ids: Vec<&str> = page
            .snapshot
            .runs
            .iter()
            .map(|r| r.external_id.as_str())
            .collect();
        assert_eq!(ids, ["r1"]);
        assert_eq!(page.snapshot.bias.len(), 1);
        assert_eq!(page.snapshot.bias[0].passed, Some(false));
        assert_eq!(page.watermark.running, ["r1"]);
        assert_eq!(page.next_page_token.as_deref(), Some("t"));
        for bad in [&b"{"[..], b"[1, 2]", b"{\"runs\": 3}"] {
            let error = parse_runs_page(bad, "7", "exp", &[]).unwrap_err();
            assert!(matches!(error, TrackerError::BadResponse { .. }));
        }
    }

    #[test]
    fn versions_take_their_model_aliases_and_logged_model() {
        let registered = parse_registered_models_page(
            br#"{"registered_models": [{"name": "m", "aliases": [{"alias": "champion", "version": 2}]}]}"#,
        )
        .unwrap();
        assert_eq!(registered.names().collect::<Vec<_>>(), ["m"]);
        let logged = parse_logged_model(
            br#"{"model": {"info": {"model_id": "m-1", "source_run_id": "r1"}}}"#,
        )
        .unwrap();
        assert_eq!(logged.id(), "m-1");
        let page = parse_model_versions_page(
            br#"{"model_versions": [{"name": "m", "version": "2", "source": "models:/m-1"}]}"#,
            &registered,
            &[logged],
        )
        .unwrap();
        assert_eq!(page.versions[0].aliases, ["champion"]);
        assert_eq!(page.versions[0].source_run.as_deref(), Some("r1"));
        assert_eq!(page.edges.len(), 2);
    }
}

//! Import of one MLflow experiment: its runs, the datasets they read, the registered model
//! versions they produced, and the fairness evidence in their metrics and report artifacts.
//!
//! Lineage edges emitted (see `convert::model_version`):
//! * `used_by`: dataset -> run, one per dataset input, context from `mlflow.data.context`;
//! * `produced`: run -> model version, from the version's `run_id` (or a `runs:/` source),
//!   else from its LoggedModel's `source_run_id`;
//! * `registered_as`: run -> model version, when the version was registered from a
//!   LoggedModel (`models:/m-…`, MLflow 3) and that model's `source_run_id` is the run;
//! * `evaluated_on`: model version -> dataset, for each dataset (name and digest) that the
//!   LoggedModel's metrics were logged against.
//!
//! Only runs of the named experiment are read, and only model versions whose run belongs
//! to it. In an incremental import (`since`), `produced`/`registered_as` edges of older
//! versions point at runs of an earlier import.

mod api;
mod convert;
mod models;
mod offline;
mod reports;
mod wire;

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;

use assay_evidence::fairness::{self, MappingRule};
use assay_evidence::{Snapshot, Source, Tracker};
use reqwest::Url;
use serde::{Deserialize, Serialize};

use crate::Fetched;
use crate::error::TrackerError;
use crate::http::HttpClient;
use crate::progress::{Progress, ProgressFn};
use api::{Api, is_plain_id};
use models::{Scope, model_versions};
use reports::fairness_reports;
use wire::WireRun;

pub use offline::{
    LoggedModel, ModelVersionsPage, RegisteredModels, RunsPage, parse_fairness_report,
    parse_logged_model, parse_model_versions_page, parse_registered_models_page, parse_runs_page,
};

/// What to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MlflowImport {
    /// Tracking server URL, e.g. `https://mlflow.example.com` (no credentials in it).
    pub base_url: String,
    /// Experiment name.
    pub experiment: String,
    /// Watermark of the previous import; `None` imports every run.
    pub since: Option<Watermark>,
}

/// Where an import got to, for the next incremental import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watermark {
    /// Latest run start time seen (ms since the epoch); later runs are new.
    pub max_start_time_ms: Option<i64>,
    /// Runs that were still running (or scheduled) and must be read again. Sorted.
    pub running: Vec<String>,
}

/// How many run ids go into one `attributes.run_id IN (...)` filter.
const IDS_PER_FILTER: usize = 100;

/// Imports one experiment. Fails on anything that makes the snapshot untrustworthy
/// (authentication, network, malformed core responses); problems with individual report
/// artifacts become [`Fetched::warnings`].
pub async fn fetch(
    client: &HttpClient,
    request: &MlflowImport,
    rules: &[MappingRule],
    progress: &ProgressFn,
) -> Result<Fetched<Watermark>, TrackerError> {
    let base = base_url(&request.base_url)?;
    let api = Api::new(client.clone(), &base);
    let report = |phase, done: usize, total: Option<usize>| {
        progress(Progress {
            phase,
            done: done as u64,
            total: total.map(|t| t as u64),
        });
    };

    report("experiment", 0, Some(1));
    let experiment = api.experiment_by_name(&request.experiment).await?;
    report("experiment", 1, Some(1));

    let mut runs = search_runs(
        &api,
        &experiment.experiment_id,
        request.since.as_ref(),
        progress,
    )
    .await?;
    tidy_runs(&mut runs, &experiment.experiment_id);

    let source = Source {
        tracker: Tracker::Mlflow,
        instance: base.clone(),
        project: request.experiment.clone(),
    };
    let mut snapshot = Snapshot::empty(source);
    let mut warnings = Vec::new();
    add_runs(&mut snapshot, &runs, rules);
    let reports = fairness_reports(&api, &runs, progress, &mut warnings).await?;
    for (run_id, path, document) in reports {
        if let Some(run) = snapshot.runs.iter().find(|run| run.external_id == run_id) {
            snapshot
                .bias
                .extend(fairness::from_report(&run_id, &path, &document, &run.tags));
        }
    }

    let ours: BTreeSet<String> = runs.iter().map(|run| run.id().to_string()).collect();
    let scope = Scope {
        experiment_id: &experiment.experiment_id,
        ours: &ours,
    };
    model_versions(
        &api,
        scope,
        request.since.is_some(),
        progress,
        &mut snapshot,
    )
    .await?;

    let watermark = next_watermark(request.since.as_ref(), &runs);
    Ok(Fetched::new(snapshot, warnings, |_| watermark))
}

/// Keeps the runs of the experiment whose ids are plain MLflow ids, oldest first, each once.
fn tidy_runs(runs: &mut Vec<WireRun>, experiment_id: &str) {
    runs.retain(|run| {
        is_plain_id(run.id())
            && (run.info.experiment_id.is_empty() || run.info.experiment_id == experiment_id)
    });
    runs.sort_by(|a, b| (a.info.start_time, a.id()).cmp(&(b.info.start_time, b.id())));
    runs.dedup_by(|a, b| a.id() == b.id());
}

/// Adds `runs` to the snapshot of their experiment (`snapshot.source.project`): the runs, the
/// datasets they read with their `used_by` edges, and the fairness evidence in their metrics.
fn add_runs(snapshot: &mut Snapshot, runs: &[WireRun], rules: &[MappingRule]) {
    let (datasets, edges) = convert::inputs(runs);
    snapshot.datasets.extend(datasets);
    snapshot.edges.extend(edges);
    let experiment = snapshot.source.project.clone();
    for run in runs {
        let run = convert::run(run, &experiment);
        let found = fairness::extract(&run, rules);
        snapshot.bias.extend(found.bias);
        snapshot.unmatched.extend(found.unmatched);
        snapshot.runs.push(run);
    }
}

/// `scheme://host[:port][/path]` without credentials, query or trailing slash.
/// The instance key evidence from `url` is stored under: the URL normalised as an import
/// normalises it (lower-case host, default port and trailing slash dropped).
pub fn instance_of(url: &str) -> Result<String, TrackerError> {
    base_url(url)
}

fn base_url(raw: &str) -> Result<String, TrackerError> {
    let invalid = |text: &str| Err(TrackerError::InvalidConfig(text.to_string()));
    let Ok(url) = Url::parse(raw.trim()) else {
        return invalid("the MLflow URL is not a valid URL");
    };
    if !matches!(url.scheme(), "http" | "https") {
        return invalid("the MLflow URL must start with http:// or https://");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return invalid(
            "the MLflow URL contains credentials; enter them as authentication instead",
        );
    }
    let Some(host) = url.host_str() else {
        return invalid("the MLflow URL has no host name");
    };
    let port = url
        .port()
        .map(|port| format!(":{port}"))
        .unwrap_or_default();
    Ok(format!(
        "{}://{host}{port}{}",
        url.scheme(),
        url.path().trim_end_matches('/')
    ))
}

async fn search_runs(
    api: &Api,
    experiment_id: &str,
    since: Option<&Watermark>,
    progress: &ProgressFn,
) -> Result<Vec<WireRun>, TrackerError> {
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let on_page = |count: usize| {
        let done = seen.fetch_add(count, Ordering::Relaxed) + count;
        progress(Progress {
            phase: "runs",
            done: done as u64,
            total: None,
        });
    };
    let Some(since) = since else {
        return api.search_runs(experiment_id, None, &on_page).await;
    };
    // `>=`: a run that started in the same millisecond as the newest one seen last time is read
    // again rather than missed; the upsert counts it as unchanged.
    let newer = since
        .max_start_time_ms
        .map(|ms| format!("attributes.start_time >= {ms}"));
    let mut runs = api.search_runs(experiment_id, newer, &on_page).await?;
    let running: Vec<&String> = since.running.iter().filter(|id| is_plain_id(id)).collect();
    for ids in running.chunks(IDS_PER_FILTER) {
        let list: Vec<String> = ids.iter().map(|id| format!("'{id}'")).collect();
        let filter = format!("attributes.run_id IN ({})", list.join(", "));
        runs.extend(
            api.search_runs(experiment_id, Some(filter), &on_page)
                .await?,
        );
    }
    Ok(runs)
}

fn next_watermark(previous: Option<&Watermark>, runs: &[WireRun]) -> Watermark {
    let newest = runs.iter().filter_map(|run| run.info.start_time).max();
    let mut running: Vec<String> = runs
        .iter()
        .filter(|run| {
            matches!(
                run.info.status.to_ascii_uppercase().as_str(),
                "RUNNING" | "SCHEDULED"
            )
        })
        .map(|run| run.id().to_string())
        .collect();
    running.sort();
    running.dedup();
    Watermark {
        max_start_time_ms: newest.max(previous.and_then(|w| w.max_start_time_ms)),
        running,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised() {
        assert_eq!(
            base_url("http://127.0.0.1:5055/").unwrap(),
            "http://127.0.0.1:5055"
        );
        assert_eq!(
            base_url(" https://Host/mlflow/?x=1 ").unwrap(),
            "https://host/mlflow"
        );
        assert_eq!(base_url("https://host:443").unwrap(), "https://host");
        for bad in ["http://u:secret@h", "file:///x", "nonsense"] {
            let error = base_url(bad).unwrap_err();
            assert!(matches!(error, TrackerError::InvalidConfig(_)));
            assert!(!error.to_string().contains("secret"));
        }
    }

    #[test]
    fn watermarks_keep_the_latest_start_and_running_runs() {
        let run = |id: &str, start: i64, status: &str| {
            wire::decode::<WireRun>(
                "t",
                serde_json::json!({"info": {"run_id": id, "start_time": start, "status": status}}),
            )
            .unwrap()
        };
        let runs = [
            run("b", 5, "RUNNING"),
            run("a", 9, "FINISHED"),
            run("c", 7, "SCHEDULED"),
        ];
        let next = next_watermark(None, &runs);
        assert_eq!(
            next,
            Watermark {
                max_start_time_ms: Some(9),
                running: vec!["b".into(), "c".into()]
            }
        );
        let previous = Watermark {
            max_start_time_ms: Some(20),
            running: vec!["x".into()],
        };
        let next = next_watermark(Some(&previous), &[]);
        assert_eq!(
            next,
            Watermark {
                max_start_time_ms: Some(20),
                running: vec![]
            }
        );
    }
}

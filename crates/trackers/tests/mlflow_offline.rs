#![allow(clippy::unwrap_used)]
//! The MLflow import against a scripted fake server: paging, the lineage graph, model
//! membership, incremental filters, empty answers and malformed ones.

mod fake_server;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use assay_evidence::{BiasSource, EdgeKind, EntityRef, LineageEdge};
use assay_trackers::Fetched;
use assay_trackers::mlflow::{self, MlflowImport, Watermark};
use assay_trackers::{Auth, HttpClient, HttpConfig, Progress, ProgressFn, TrackerError};
use fake_server::{FakeServer, Reply, Request};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

fn run(id: &str, start: i64, status: &str) -> Value {
    json!({
        "info": {"run_id": id, "run_uuid": id, "experiment_id": "7", "run_name": format!("run-{id}"),
                 "status": status, "start_time": start, "end_time": start + 500,
                 "artifact_uri": format!("mlflow-artifacts:/7/{id}/artifacts")},
        "data": {"metrics": [{"key": "fairness.sex.demographic_parity_difference", "value": 0.25}],
                 "params": [{"key": "C", "value": "1.0"}],
                 "tags": [{"key": "mlflow.source.git.commit", "value": format!("c-{id}")},
                          {"key": "fairness.sensitive_features", "value": "sex"}]},
        "inputs": {"dataset_inputs": [
            {"tags": [{"key": "mlflow.data.context", "value": "training"}],
             "dataset": {"name": "train", "digest": "aa", "source_type": "s3",
                         "source": "{\"uri\": \"s3://b/train\"}"}}
        ]}
    })
}

fn report() -> Value {
    json!({"schema": "fairness-report/v1", "tool": "fairlearn",
           "thresholds": {"demographic_parity_difference": 0.1},
           "sensitive_features": {"sex": {"overall": {"demographic_parity_difference":
               {"value": 0.25, "threshold": 0.1, "passed": false}}}}})
}

/// The fake MLflow: experiment 7 with runs r1 (finished) and r2 (running) on two pages,
/// and model `m` with versions from r1 (LoggedModel), r2 (`runs:/`) and a foreign run.
fn mlflow(request: &Request, runs_search: &dyn Fn(&Value) -> Value) -> Reply {
    let query = request
        .target
        .split_once('?')
        .map_or("", |(_, q)| q)
        .to_string();
    match request.path() {
        "/api/2.0/mlflow/experiments/get-by-name" if query.contains("experiment_name=exp") => {
            Reply::json(
                200,
                json!({"experiment": {"experiment_id": "7", "name": "exp",
                                                   "lifecycle_stage": "active"}}),
            )
        }
        "/api/2.0/mlflow/experiments/get-by-name" => Reply::json(
            404,
            json!({"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Could not find experiment"}),
        ),
        "/api/2.0/mlflow/runs/search" => Reply::json(200, runs_search(&request.json())),
        "/api/2.0/mlflow/artifacts/list" if query.contains("run_id=r1") => Reply::json(
            200,
            json!({"root_uri": "x", "files": [
                {"path": "fairness/report.json", "is_dir": false, "file_size": 10},
                {"path": "fairness/notes.txt", "is_dir": false},
                {"path": "fairness/broken.json", "is_dir": false}]}),
        ),
        "/api/2.0/mlflow/artifacts/list" => Reply::json(200, json!({"root_uri": "x"})),
        "/api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/fairness/report.json" => {
            Reply::json(200, report())
        }
        "/api/2.0/mlflow-artifacts/artifacts/7/r1/artifacts/fairness/broken.json" => {
            Reply::raw(200, "not json at all")
        }
        "/api/2.0/mlflow/registered-models/search" => Reply::json(
            200,
            json!({"registered_models": [
                {"name": "m", "aliases": [{"alias": "champion", "version": "2"}]},
                {"name": "other"}]}),
        ),
        "/api/2.0/mlflow/model-versions/search" if query.contains("name%3D%27m%27") => Reply::json(
            200,
            json!({"model_versions": [
                {"name": "m", "version": "1", "source": "models:/m-1", "run_id": "r1",
                 "current_stage": "None"},
                {"name": "m", "version": "2", "source": "runs:/r2/model", "run_id": "r2"},
                {"name": "m", "version": "3", "source": "models:/m-9", "run_id": "elsewhere"}]}),
        ),
        "/api/2.0/mlflow/model-versions/search" => Reply::json(200, json!({})),
        "/api/2.0/mlflow/logged-models/m-1" => Reply::json(
            200,
            json!({"model": {"info": {"model_id": "m-1", "experiment_id": "7", "source_run_id": "r1"},
                             "data": {"metrics": [{"key": "acc", "value": 0.9,
                                                   "dataset_name": "eval", "dataset_digest": "ee"}]}}}),
        ),
        "/api/2.0/mlflow/logged-models/m-9" => Reply::json(
            200,
            json!({"model": {"info": {"model_id": "m-9", "experiment_id": "99",
                                      "source_run_id": "elsewhere"}}}),
        ),
        _ => Reply::json(
            404,
            json!({"message": format!("no route {}", request.path())}),
        ),
    }
}

/// Two pages: r1, then r2.
fn paged_runs(body: &Value) -> Value {
    match body["page_token"].as_str() {
        None => json!({"runs": [run("r1", 1000, "FINISHED")], "next_page_token": "p2"}),
        Some(_) => json!({"runs": [run("r2", 2000, "RUNNING")]}),
    }
}

async fn fake(runs_search: fn(&Value) -> Value) -> FakeServer {
    FakeServer::start(move |request, _| mlflow(request, &runs_search)).await
}

fn client() -> HttpClient {
    let config = HttpConfig {
        max_retries: 1,
        backoff_base: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        ..HttpConfig::default()
    };
    HttpClient::new(config, Auth::None, CancellationToken::new()).unwrap()
}

async fn import(
    server: &FakeServer,
    experiment: &str,
    since: Option<Watermark>,
) -> (Result<Fetched<Watermark>, TrackerError>, Vec<Progress>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let progress: ProgressFn = Arc::new(move |p| sink.lock().unwrap().push(p));
    let request = MlflowImport {
        base_url: format!("{}/", server.url),
        experiment: experiment.into(),
        since,
    };
    let result = mlflow::fetch(&client(), &request, &[], &progress).await;
    let seen = seen.lock().unwrap().clone();
    (result, seen)
}

fn edge(kind: EdgeKind, from: EntityRef, to: EntityRef, context: Option<&str>) -> LineageEdge {
    LineageEdge {
        kind,
        from,
        to,
        context: context.map(str::to_string),
    }
}

#[tokio::test]
async fn a_full_import_builds_the_lineage_graph() {
    let server = fake(paged_runs).await;
    let (result, progress) = import(&server, "exp", None).await;
    let fetched = result.unwrap();
    let snapshot = &fetched.snapshot;

    assert_eq!(snapshot.source.instance, server.url, "no trailing slash");
    assert_eq!(snapshot.source.project, "exp");
    let runs: Vec<_> = snapshot
        .runs
        .iter()
        .map(|r| (r.external_id.as_str(), r.status.as_str()))
        .collect();
    assert_eq!(
        runs,
        [("r1", "finished"), ("r2", "running")],
        "both pages were read"
    );
    assert_eq!(snapshot.runs[0].code_commit.as_deref(), Some("c-r1"));
    assert_eq!(snapshot.datasets.len(), 1);
    assert_eq!(snapshot.datasets[0].source.as_deref(), Some("s3://b/train"));

    let versions: Vec<_> = snapshot
        .model_versions
        .iter()
        .map(|v| v.external_id.as_str())
        .collect();
    assert_eq!(
        versions,
        ["m/1", "m/2"],
        "the foreign run's version is left out"
    );
    assert_eq!(snapshot.model_versions[1].aliases, ["champion"]);

    let (ds, run, mv) = (EntityRef::dataset, EntityRef::run, EntityRef::model_version);
    let mut expected = vec![
        edge(
            EdgeKind::UsedBy,
            ds("train@aa"),
            run("r1"),
            Some("training"),
        ),
        edge(
            EdgeKind::UsedBy,
            ds("train@aa"),
            run("r2"),
            Some("training"),
        ),
        edge(EdgeKind::Produced, run("r1"), mv("m/1"), None),
        edge(EdgeKind::RegisteredAs, run("r1"), mv("m/1"), None),
        edge(EdgeKind::EvaluatedOn, mv("m/1"), ds("eval@ee"), None),
        edge(EdgeKind::Produced, run("r2"), mv("m/2"), None),
    ];
    expected.sort();
    assert_eq!(snapshot.edges, expected);

    assert!(
        snapshot
            .bias
            .iter()
            .any(|b| b.source == BiasSource::Artifact("fairness/report.json".into())),
        "report evidence: {:?}",
        snapshot.bias
    );
    assert!(snapshot.bias.iter().any(|b| b.source == BiasSource::Metric));
    assert_eq!(fetched.warnings.len(), 1, "{:?}", fetched.warnings);
    assert!(fetched.warnings[0].contains("broken.json"));
    assert_eq!(
        fetched.watermark,
        Watermark {
            max_start_time_ms: Some(2000),
            running: vec!["r2".into()]
        }
    );

    let requested: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert!(
        !requested.iter().any(|p| p.ends_with("/m-9")),
        "foreign LoggedModel not fetched"
    );
    assert!(
        !requested.iter().any(|p| p.ends_with("notes.txt")),
        "only JSON files are read"
    );
    let phases: Vec<&str> = progress.iter().map(|p| p.phase).collect();
    for phase in ["experiment", "runs", "artifacts", "models", "logged_models"] {
        assert!(phases.contains(&phase), "{phase} missing from {phases:?}");
    }

    let (again, _) = import(&server, "exp", None).await;
    assert_eq!(
        again.unwrap().snapshot.content_hash(),
        snapshot.content_hash()
    );
}

#[tokio::test]
async fn an_incremental_import_asks_for_new_and_running_runs_only() {
    fn incremental(body: &Value) -> Value {
        match body["filter"].as_str() {
            Some("attributes.start_time >= 2000") => json!({}),
            Some("attributes.run_id IN ('r2')") => json!({"runs": [run("r2", 2000, "FINISHED")]}),
            other => json!({"runs": [], "unexpected_filter": other}),
        }
    }
    let server = fake(incremental).await;
    let since = Watermark {
        max_start_time_ms: Some(2000),
        running: vec!["r2".into(), "x'y".into()],
    };
    let (result, _) = import(&server, "exp", Some(since)).await;
    let fetched = result.unwrap();
    let runs: Vec<_> = fetched
        .snapshot
        .runs
        .iter()
        .map(|r| r.status.as_str())
        .collect();
    assert_eq!(runs, ["finished"]);
    assert_eq!(
        fetched.watermark,
        Watermark {
            max_start_time_ms: Some(2000),
            running: vec![]
        }
    );
    // Versions are listed again; r1's membership comes from its LoggedModel.
    let versions: Vec<_> = fetched
        .snapshot
        .model_versions
        .iter()
        .map(|v| v.external_id.as_str())
        .collect();
    assert_eq!(versions, ["m/1", "m/2"]);
    let searches = server
        .requests()
        .into_iter()
        .filter(|r| r.path().ends_with("runs/search"))
        .count();
    assert_eq!(searches, 2, "an unsafe id is not put into a filter");
}

#[tokio::test]
async fn an_empty_search_answer_is_an_empty_experiment() {
    let server = fake(|_| json!({})).await;
    let (result, _) = import(&server, "exp", None).await;
    let fetched = result.unwrap();
    assert!(fetched.snapshot.runs.is_empty() && fetched.snapshot.datasets.is_empty());
    assert!(
        fetched.snapshot.model_versions.is_empty(),
        "no run of ours, no version of ours"
    );
    assert_eq!(fetched.watermark, Watermark::default());
}

#[tokio::test]
async fn an_unknown_experiment_is_not_found_by_name() {
    let server = fake(paged_runs).await;
    let (result, _) = import(&server, "missing", None).await;
    let error = result.unwrap_err();
    assert_eq!(fake_server::kind(&error), "not_found");
    assert!(error.to_string().contains("'missing'"), "{error}");
}

#[tokio::test]
async fn a_malformed_search_answer_is_a_bad_response() {
    let server = fake(|_| json!({"runs": "not a list"})).await;
    let (result, _) = import(&server, "exp", None).await;
    let error = result.unwrap_err();
    assert_eq!(fake_server::kind(&error), "bad_response");
    assert!(error.to_string().contains("runs/search"), "{error}");
}

#[tokio::test]
async fn a_page_token_that_never_changes_is_a_bad_response() {
    let server = fake(|_| json!({"runs": [], "next_page_token": "same"})).await;
    let (result, _) = import(&server, "exp", None).await;
    assert_eq!(fake_server::kind(&result.unwrap_err()), "bad_response");
}

#[tokio::test]
async fn credentials_in_the_url_are_refused_without_echoing_them() {
    let request = MlflowImport {
        base_url: "http://admin:hunter2@127.0.0.1:1".into(),
        experiment: "exp".into(),
        since: None,
    };
    let progress: ProgressFn = Arc::new(|_| {});
    let error = mlflow::fetch(&client(), &request, &[], &progress)
        .await
        .unwrap_err();
    assert_eq!(fake_server::kind(&error), "invalid_config");
    assert!(!error.to_string().contains("hunter2"));
}

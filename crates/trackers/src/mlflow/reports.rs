//! Fairness report artifacts: the JSON files under each run's `fairness/` folder.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::task::JoinSet;

use super::api::{Api, parse_report};
use super::wire::WireRun;
use crate::error::TrackerError;
use crate::progress::{Progress, ProgressFn};

/// Artifact files looked at per run under `fairness/`.
const MAX_REPORT_FILES: usize = 50;
const REPORT_DIR: &str = "fairness";

/// Errors that spoil one artifact but not the import.
fn skippable(error: &TrackerError) -> bool {
    matches!(
        error,
        TrackerError::NotFound { .. }
            | TrackerError::BadResponse { .. }
            | TrackerError::TooLarge { .. }
            | TrackerError::Server { .. }
    )
}

pub(super) type Report = (String, String, serde_json::Value);

/// The JSON documents under each run's `fairness/` artifact folder.
pub(super) async fn fairness_reports(
    api: &Api,
    runs: &[WireRun],
    progress: &ProgressFn,
    warnings: &mut Vec<String>,
) -> Result<Vec<Report>, TrackerError> {
    // One server error on a listing usually means the artifact store is out of the
    // server's reach; the remaining runs would only repeat the slow retries.
    let unavailable = Arc::new(AtomicBool::new(false));
    let mut tasks = JoinSet::new();
    // Listing artifacts costs a request per run, which would dominate a large import. Only runs
    // tagged as fairness evaluations (`fairness.*` tags: thresholds, sensitive features, a
    // verdict) are looked at; plain metrics are read from the run itself either way.
    let runs: Vec<&WireRun> = runs
        .iter()
        .filter(|run| is_fairness_evaluation(run))
        .collect();
    for run in &runs {
        let (api, unavailable) = (api.clone(), unavailable.clone());
        let (run_id, uri) = (run.id().to_string(), run.info.artifact_uri.clone());
        tasks.spawn(async move { run_reports(&api, &run_id, &uri, &unavailable).await });
    }
    let total = runs.len();
    progress(Progress {
        phase: "artifacts",
        done: 0,
        total: Some(total as u64),
    });
    let mut reports = Vec::new();
    let mut done = 0;
    while let Some(joined) = tasks.join_next().await {
        let (found, problems) = joined.map_err(|_| TrackerError::Cancelled)??;
        reports.extend(found);
        warnings.extend(problems);
        done += 1;
        progress(Progress {
            phase: "artifacts",
            done,
            total: Some(total as u64),
        });
    }
    reports.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    Ok(reports)
}

async fn run_reports(
    api: &Api,
    run_id: &str,
    artifact_uri: &str,
    unavailable: &AtomicBool,
) -> Result<(Vec<Report>, Vec<String>), TrackerError> {
    let mut reports = Vec::new();
    let mut warnings = Vec::new();
    let mut folders = vec![REPORT_DIR.to_string()];
    let mut files = Vec::new();
    while let Some(folder) = folders.pop() {
        if unavailable.load(Ordering::Relaxed) || files.len() >= MAX_REPORT_FILES {
            break;
        }
        match api.list_artifacts(run_id, &folder).await {
            Ok(entries) => {
                for entry in entries {
                    if entry.is_dir && entry.path.matches('/').count() < 3 {
                        folders.push(entry.path);
                    } else if !entry.is_dir && entry.path.to_ascii_lowercase().ends_with(".json") {
                        files.push(entry.path);
                    }
                }
            }
            Err(error) if skippable(&error) => {
                if matches!(error, TrackerError::Server { .. }) {
                    unavailable.store(true, Ordering::Relaxed);
                }
                warnings.push(format!("run {run_id}: artifacts not listed: {error}"));
            }
            Err(error) => return Err(error),
        }
    }
    files.sort();
    files.truncate(MAX_REPORT_FILES);
    for path in files {
        let read = api.artifact(artifact_uri, run_id, &path).await;
        match read.and_then(|bytes| parse_report(&bytes)) {
            Ok(document) => reports.push((run_id.to_string(), path, document)),
            Err(error) if skippable(&error) => {
                warnings.push(format!("run {run_id}: report {path} skipped: {error}"));
            }
            Err(error) => return Err(error),
        }
    }
    Ok((reports, warnings))
}

fn is_fairness_evaluation(run: &WireRun) -> bool {
    run.data
        .tags
        .iter()
        .any(|tag| tag.key.to_ascii_lowercase().starts_with("fairness."))
}

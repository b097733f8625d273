//! Import from Weights & Biases through its public GraphQL API (`POST {base}/graphql`).
//!
//! Authentication is an API key sent as HTTP Basic with user `api`, as the W&B SDK does:
//! build the client with [`api_key_auth`]. A bad key answers HTTP 401; a project the key
//! cannot see reads as not found (W&B answers `project: null` for both).
//!
//! What one import reads, for one `entity/project`:
//! * every run (or, incrementally, the new ones and those last seen running), oldest first;
//! * per run, the artifacts it used and logged;
//! * per `model` artifact, the registries it is linked into.
//!
//! Mapping (see `map.rs` for the details):
//! * run -> [`assay_evidence::Run`]: id = GraphQL `name`, name = `displayName`,
//!   `commit` -> `code_commit`, state lower-cased, `createdAt` -> `started_at`,
//!   `heartbeatAt` -> `ended_at` once the run has stopped; config -> params and summary ->
//!   metrics, both flattened with `.` (see `values.rs`);
//! * used `dataset` artifact -> [`Dataset`](assay_evidence::Dataset) (id = artifact id,
//!   version `v<versionIndex>`) and a `used_by` edge dataset -> run, context = job type;
//! * logged `model` artifact linked into a registry (`wandb-registry-*`, or the legacy
//!   `model-registry`) -> one [`ModelVersion`](assay_evidence::ModelVersion) per link and a
//!   `produced` edge run -> version. `registered_as` is not emitted: the logged artifact is
//!   not an entity of its own here, so "produced" already says "this run's model became
//!   this registered version";
//! * a run that used a registered model and datasets but logged no model (an evaluation
//!   or audit run) -> `evaluated_on` edges model version -> each of those datasets;
//! * fairness: summary metrics through `fairness::extract`, and the metadata report of
//!   logged `bias-audit` / `fairness-report` artifacts through `fairness::from_report`.

mod assemble;
mod gql;
mod map;
mod nodes;
mod offline;
mod values;

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::sync::Arc;

use assay_evidence::fairness::MappingRule;
use assay_evidence::{Run, Source, Tracker};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::task::JoinSet;

use crate::Fetched;
use crate::error::TrackerError;
use crate::http::{Auth, HttpClient};
use crate::progress::{Progress, ProgressFn};
use gql::Operation;
use nodes::{ArtifactNode, MembershipNode, PageInfo, ProjectData, RunNode};

pub use offline::{
    ArtifactsPage, Memberships, RunsPage, assemble_import, parse_linked_artifacts,
    parse_run_artifacts_page, parse_runs_page,
};

/// W&B's hosted service. Dedicated Cloud and self-managed servers have their own.
pub const DEFAULT_BASE_URL: &str = "https://api.wandb.ai";
/// Runs and artifacts per page, as the SDK pages runs.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// Larger pages are cut to this: W&B pages slow down with config and summary in them.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Run and model look-ups started at once; the client's own limit still applies.
const IN_FLIGHT: usize = 4;
/// A guard against a server that never stops paging.
const MAX_PAGES: usize = 100_000;

/// The [`Auth`] for a W&B API key: HTTP Basic, user `api`, password = the key.
pub fn api_key_auth(key: impl Into<String>) -> Auth {
    Auth::Basic {
        user: "api".to_string(),
        password: key.into(),
    }
}

/// What to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WandbImport {
    /// Without `/graphql`; e.g. [`DEFAULT_BASE_URL`].
    pub base_url: String,
    /// User or team that owns the project.
    pub entity: String,
    pub project: String,
    /// The watermark of the previous import; `None` reads everything.
    pub since: Option<Watermark>,
    /// Runs and artifacts per request, cut to `1..=MAX_PAGE_SIZE`.
    pub page_size: u32,
}

impl WandbImport {
    /// A full import from the hosted service.
    pub fn new(entity: impl Into<String>, project: impl Into<String>) -> WandbImport {
        WandbImport {
            base_url: DEFAULT_BASE_URL.to_string(),
            entity: entity.into(),
            project: project.into(),
            since: None,
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

/// Where an import stopped, so the next one reads only what changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watermark {
    /// The newest run `createdAt` seen so far.
    pub latest_created_at: Option<DateTime<Utc>>,
    /// Ids of the runs created exactly at `latest_created_at`. The next import asks for
    /// runs created at or after it (W&B times have one-second resolution, so a strict `$gt`
    /// would miss a run created later in the same second) and skips these.
    pub at_latest: Vec<String>,
    /// Ids of runs that were still running (or pending): read again next time.
    pub running: Vec<String>,
}

/// Shared by the concurrent look-ups of one import.
#[derive(Debug)]
struct Ctx {
    client: HttpClient,
    endpoint: String,
    entity: String,
    project: String,
    /// `entity/project`.
    path: String,
    page_size: u32,
}

/// Imports runs, datasets, registered model versions, lineage and fairness evidence of one
/// W&B project. Progress phases: `runs`, `artifacts` (runs done), `models` (model
/// artifacts whose registry links were read).
pub async fn fetch(
    client: &HttpClient,
    request: &WandbImport,
    rules: &[MappingRule],
    progress: &ProgressFn,
) -> Result<Fetched<Watermark>, TrackerError> {
    let base = validate(request)?;
    let ctx = Arc::new(Ctx {
        client: client.clone(),
        endpoint: format!("{base}/graphql"),
        entity: request.entity.clone(),
        project: request.project.clone(),
        path: format!("{}/{}", request.entity, request.project),
        page_size: request.page_size.clamp(1, MAX_PAGE_SIZE),
    });
    let since = request.since.clone().unwrap_or_default();

    let mut nodes = list_runs(&ctx, &since, progress).await?;
    let listed_latest = assemble::latest_created(&nodes)?;
    let mut seen: BTreeSet<String> = nodes.iter().map(|n| n.name.clone()).collect();
    for name in &since.running {
        if seen.insert(name.clone())
            && let Some(node) = fetch_run(&ctx, name).await?
        {
            nodes.push(node);
        }
    }
    let runs = nodes
        .iter()
        .map(|n| map::run(n, &ctx.path))
        .collect::<Result<Vec<Run>, _>>()?;

    let names: Vec<String> = runs.iter().map(|r| r.external_id.clone()).collect();
    let total = names.len() as u64;
    let artifacts = in_parallel(names, progress, "artifacts", total, |name| {
        let ctx = Arc::clone(&ctx);
        async move {
            let inputs = run_artifacts(&ctx, gql::RUN_INPUTS, &name).await?;
            let outputs = run_artifacts(&ctx, gql::RUN_OUTPUTS, &name).await?;
            Ok((inputs, outputs))
        }
    })
    .await?;

    let model_ids = model_ids(
        artifacts
            .iter()
            .flat_map(|(inputs, outputs)| inputs.iter().chain(outputs)),
    );
    let total = model_ids.len() as u64;
    let linked = in_parallel(model_ids.clone(), progress, "models", total, |id| {
        let ctx = Arc::clone(&ctx);
        async move { memberships(&ctx, &id).await }
    })
    .await?;
    let links: BTreeMap<String, Vec<MembershipNode>> = model_ids.into_iter().zip(linked).collect();

    let source = Source {
        tracker: Tracker::Wandb,
        instance: base,
        project: ctx.path.clone(),
    };
    Ok(finish(
        source,
        runs,
        artifacts,
        &links,
        rules,
        &since,
        listed_latest,
    ))
}

/// The result of an import from what it read: the snapshot, its warnings and the watermark
/// after `since` given the newest `createdAt` listed.
fn finish(
    source: Source,
    runs: Vec<Run>,
    artifacts: Vec<(Vec<ArtifactNode>, Vec<ArtifactNode>)>,
    links: &BTreeMap<String, Vec<MembershipNode>>,
    rules: &[MappingRule],
    since: &Watermark,
    listed_latest: Option<DateTime<Utc>>,
) -> Fetched<Watermark> {
    let (snapshot, warnings) = assemble::snapshot(source, runs, artifacts, links, rules);
    Fetched::new(snapshot, warnings, |snapshot| {
        assemble::next_watermark(since, listed_latest, &snapshot.runs)
    })
}

/// The instance key evidence from `base_url` is stored under, as an import normalises it.
pub fn instance_of(base_url: &str) -> Result<String, TrackerError> {
    validate(&WandbImport {
        base_url: base_url.to_string(),
        ..WandbImport::new("e", "p")
    })
}

/// The trimmed base URL, after checking the request's names.
fn validate(request: &WandbImport) -> Result<String, TrackerError> {
    let base = request.base_url.trim().trim_end_matches('/');
    if base.is_empty() {
        return Err(TrackerError::InvalidConfig(
            "the W&B server URL is empty".into(),
        ));
    }
    for (what, name) in [("entity", &request.entity), ("project", &request.project)] {
        if name.is_empty() || name.contains('/') || name.chars().any(char::is_control) {
            return Err(TrackerError::InvalidConfig(format!(
                "the W&B {what} name must be non-empty, without '/' or control characters"
            )));
        }
    }
    Ok(base.to_string())
}

fn project_missing(path: &str) -> TrackerError {
    TrackerError::NotFound {
        what: format!("W&B project {path} (or no access to it)"),
    }
}

/// Runs in creation order; incrementally, those created at or after the watermark.
async fn list_runs(
    ctx: &Ctx,
    since: &Watermark,
    progress: &ProgressFn,
) -> Result<Vec<RunNode>, TrackerError> {
    // The `createdAt` filter key follows the SDK's examples and the W&B notes; it has not
    // been checked against the live service (its run filters are undocumented MongoDB-style
    // JSON). The order key `created_at` is the one the SDK documents.
    let filters = since
        .latest_created_at
        .map(|latest| json!({"createdAt": {"$gte": values::wandb_time(latest)}}).to_string());
    let mut nodes: Vec<RunNode> = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let variables = json!({
            "entity": ctx.entity, "project": ctx.project, "cursor": cursor,
            "perPage": ctx.page_size, "order": "+created_at", "filters": filters,
        });
        let data: ProjectData<nodes::RunsProject> =
            gql::query(&ctx.client, &ctx.endpoint, gql::RUNS, variables).await?;
        let page = runs_page(data, &ctx.path, cursor.as_deref())?;
        nodes.extend(page.nodes.into_iter().filter(|n| !skip_seen(n, since)));
        progress(Progress {
            phase: "runs",
            done: nodes.len() as u64,
            total: page.total,
        });
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(nodes),
        }
    }
    Err(TrackerError::bad_response(
        "W&B kept paging runs past any plausible count",
    ))
}

/// One page of the `Runs` query.
struct RunNodes {
    nodes: Vec<RunNode>,
    /// The project's run count, when the server gave one.
    total: Option<u64>,
    /// The cursor of the next page; `None` on the last.
    next: Option<String>,
}

/// The runs of one `Runs` answer for `path` (`entity/project`), read with `cursor`. A project
/// without a runs connection has no (more) runs.
fn runs_page(
    data: ProjectData<nodes::RunsProject>,
    path: &str,
    cursor: Option<&str>,
) -> Result<RunNodes, TrackerError> {
    let project = data.project.ok_or_else(|| project_missing(path))?;
    let total = nodes::lenient_count(&project.run_count);
    let Some(connection) = project.runs else {
        return Ok(RunNodes {
            nodes: Vec::new(),
            total,
            next: None,
        });
    };
    let page = connection.page_info.clone();
    let nodes = connection.into_nodes().collect();
    let next = next_cursor(page, cursor)?;
    Ok(RunNodes { nodes, total, next })
}

/// A run the previous import already read at the watermark's boundary second.
fn skip_seen(node: &RunNode, since: &Watermark) -> bool {
    since.at_latest.contains(&node.name)
        && values::timestamp("createdAt", node.created_at.as_deref())
            .ok()
            .flatten()
            == since.latest_created_at
}

fn next_cursor(
    page: Option<PageInfo>,
    previous: Option<&str>,
) -> Result<Option<String>, TrackerError> {
    match page {
        Some(PageInfo {
            has_next_page: true,
            end_cursor,
        }) => match end_cursor {
            Some(cursor) if Some(cursor.as_str()) != previous => Ok(Some(cursor)),
            _ => Err(TrackerError::bad_response(
                "W&B says more pages follow but gives no new cursor",
            )),
        },
        _ => Ok(None),
    }
}

/// One run by id; `None` when it no longer exists (deleted since the last import).
async fn fetch_run(ctx: &Ctx, name: &str) -> Result<Option<RunNode>, TrackerError> {
    let variables = json!({"entity": ctx.entity, "project": ctx.project, "name": name});
    let data: ProjectData<nodes::RunProject> =
        gql::query(&ctx.client, &ctx.endpoint, gql::RUN, variables).await?;
    Ok(data.project.ok_or_else(|| project_missing(&ctx.path))?.run)
}

async fn run_artifacts(
    ctx: &Ctx,
    operation: Operation,
    run: &str,
) -> Result<Vec<ArtifactNode>, TrackerError> {
    let mut artifacts = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let variables = json!({
            "entity": ctx.entity, "project": ctx.project, "run": run,
            "cursor": cursor, "perPage": ctx.page_size,
        });
        let data: ProjectData<nodes::ArtifactsProject> =
            gql::query(&ctx.client, &ctx.endpoint, operation, variables).await?;
        let (page, next) = artifacts_page(data, &ctx.path, run, cursor.as_deref())?;
        artifacts.extend(page);
        match next {
            Some(next) => cursor = Some(next),
            None => return Ok(artifacts),
        }
    }
    Err(TrackerError::bad_response(
        "W&B kept paging artifacts past any plausible count",
    ))
}

/// The artifacts of one `RunInputArtifacts`/`RunOutputArtifacts` answer for `run` of `path`,
/// read with `cursor`, and the next page's cursor.
fn artifacts_page(
    data: ProjectData<nodes::ArtifactsProject>,
    path: &str,
    run: &str,
    cursor: Option<&str>,
) -> Result<(Vec<ArtifactNode>, Option<String>), TrackerError> {
    let project = data.project.ok_or_else(|| project_missing(path))?;
    let run_node = project.run.ok_or_else(|| TrackerError::NotFound {
        what: format!("W&B run {run} in {path} (deleted during the import?)"),
    })?;
    let Some(connection) = run_node.artifacts else {
        return Ok((Vec::new(), None));
    };
    let page = connection.page_info.clone();
    let nodes = connection.into_nodes().collect();
    Ok((nodes, next_cursor(page, cursor)?))
}

/// The collections an artifact belongs to. Not paged: the SDK's query takes no arguments.
async fn memberships(ctx: &Ctx, id: &str) -> Result<Vec<MembershipNode>, TrackerError> {
    let data: nodes::LinkedData = gql::query(
        &ctx.client,
        &ctx.endpoint,
        gql::LINKED,
        json!({"artifactID": id}),
    )
    .await?;
    linked_memberships(data, id)
}

/// The memberships in one `FetchLinkedArtifacts` answer for artifact `id`.
fn linked_memberships(
    data: nodes::LinkedData,
    id: &str,
) -> Result<Vec<MembershipNode>, TrackerError> {
    let artifact = data.artifact.ok_or_else(|| TrackerError::NotFound {
        what: format!("W&B artifact {id}"),
    })?;
    Ok(artifact
        .artifact_memberships
        .map(|c| c.into_nodes().collect())
        .unwrap_or_default())
}

/// The ids of the `model` artifacts among `artifacts`, each once, sorted.
fn model_ids<'a>(artifacts: impl IntoIterator<Item = &'a ArtifactNode>) -> Vec<String> {
    let ids: BTreeSet<String> = artifacts
        .into_iter()
        .filter(|a| map::MODEL_TYPES.contains(&a.kind().as_str()))
        .map(|a| a.id.clone())
        .collect();
    ids.into_iter().collect()
}

/// Runs `task` over `items`, at most [`IN_FLIGHT`] at once, keeping the input order. The
/// first error stops the rest (dropping the set aborts the other tasks).
async fn in_parallel<I, T, F, Fut>(
    items: Vec<I>,
    progress: &ProgressFn,
    phase: &'static str,
    total: u64,
    task: F,
) -> Result<Vec<T>, TrackerError>
where
    I: Send + 'static,
    T: Send + 'static,
    F: Fn(I) -> Fut,
    Fut: Future<Output = Result<T, TrackerError>> + Send + 'static,
{
    let mut results: Vec<Option<T>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let mut pending = items.into_iter().enumerate();
    let mut set = JoinSet::new();
    let mut done = 0;
    loop {
        while set.len() < IN_FLIGHT {
            let Some((index, item)) = pending.next() else {
                break;
            };
            let future = task(item);
            set.spawn(async move { (index, future.await) });
        }
        let Some(joined) = set.join_next().await else {
            break;
        };
        let (index, result) = match joined {
            Ok(output) => output,
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(_) => return Err(TrackerError::Cancelled),
        };
        results[index] = Some(result?);
        done += 1;
        progress(Progress {
            phase,
            done,
            total: Some(total),
        });
    }
    Ok(results.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_validated() {
        let mut request = WandbImport::new("acme", "credit");
        request.base_url = "https://wandb.example.com/".into();
        assert_eq!(validate(&request).unwrap(), "https://wandb.example.com");
        for (entity, project) in [("", "p"), ("e", ""), ("a/b", "p"), ("e", "p\n")] {
            let request = WandbImport::new(entity, project);
            assert_eq!(validate(&request).unwrap_err().kind(), "invalid_config");
        }
        request.base_url = "  ".into();
        assert_eq!(validate(&request).unwrap_err().kind(), "invalid_config");
    }

    #[test]
    fn a_stuck_cursor_is_a_bad_response() {
        let page = |cursor: Option<&str>| {
            Some(PageInfo {
                end_cursor: cursor.map(str::to_string),
                has_next_page: true,
            })
        };
        assert_eq!(
            next_cursor(page(Some("a")), None).unwrap().as_deref(),
            Some("a")
        );
        assert_eq!(
            next_cursor(page(Some("a")), Some("a")).unwrap_err().kind(),
            "bad_response"
        );
        assert_eq!(
            next_cursor(page(None), None).unwrap_err().kind(),
            "bad_response"
        );
        let last = Some(PageInfo {
            end_cursor: Some("b".into()),
            has_next_page: false,
        });
        assert_eq!(next_cursor(last, Some("a")).unwrap(), None);
        assert_eq!(next_cursor(None, None).unwrap(), None);
    }

    #[test]
    fn api_keys_are_basic_auth_as_user_api() {
        match api_key_auth("k".repeat(40)) {
            Auth::Basic { user, password } => {
                assert_eq!((user.as_str(), password.len()), ("api", 40))
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

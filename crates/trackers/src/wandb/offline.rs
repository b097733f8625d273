//! Single W&B GraphQL responses read without a server: raw bytes in, what an import takes from
//! them out, through the same decoding (`data`/`errors`, the lenient node shapes) and mapping
//! as [`fetch`](super::fetch).
//!
//! These exist for the fuzz targets (`fuzz/`), the corpus replay test and offline checks of
//! captured responses; an import itself never calls them.

use std::collections::BTreeMap;

use assay_evidence::fairness::MappingRule;
use assay_evidence::{Run, Source};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use super::gql::{self, Operation};
use super::nodes::{self, ArtifactNode, MembershipNode, ProjectData};
use super::{
    Watermark, artifacts_page, assemble, finish, linked_memberships, map, model_ids, runs_page,
};
use crate::Fetched;
use crate::error::TrackerError;
use crate::http::parse_json;

/// Errors name the server as this.
const TARGET: &str = "W&B";

fn read<T: DeserializeOwned>(operation: Operation, body: &[u8]) -> Result<T, TrackerError> {
    gql::decode(parse_json(body)?, operation, TARGET)
}

/// The first page of the `Runs` query of one project, mapped.
#[derive(Debug, Clone, PartialEq)]
pub struct RunsPage {
    /// `entity/project`.
    pub path: String,
    /// The runs in page order.
    pub runs: Vec<Run>,
    /// The project's run count, when the server gave one.
    pub run_count: Option<u64>,
    /// The newest `createdAt` among the runs.
    pub latest_created_at: Option<DateTime<Utc>>,
    /// The next page's cursor; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// Reads the response body of the first page of the `Runs` query for `entity/project`: the
/// JSON, the GraphQL `errors`, the run nodes, their timestamps, config and summary, as
/// [`fetch`](super::fetch) reads every page.
pub fn parse_runs_page(body: &[u8], entity: &str, project: &str) -> Result<RunsPage, TrackerError> {
    let path = format!("{entity}/{project}");
    let data: ProjectData<nodes::RunsProject> = read(gql::RUNS, body)?;
    let page = runs_page(data, &path, None)?;
    let latest_created_at = assemble::latest_created(&page.nodes)?;
    let runs = page
        .nodes
        .iter()
        .map(|node| map::run(node, &path))
        .collect::<Result<Vec<Run>, _>>()?;
    Ok(RunsPage {
        path,
        runs,
        run_count: page.total,
        latest_created_at,
        next_cursor: page.next,
    })
}

/// The artifacts on one page of a run's used or logged artifacts, decoded.
#[derive(Debug, Clone, Default)]
pub struct ArtifactsPage {
    nodes: Vec<ArtifactNode>,
    pub next_cursor: Option<String>,
}

impl ArtifactsPage {
    /// How many artifacts the page holds.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The ids of the page's `model` artifacts (whose registry links an import reads), sorted.
    pub fn model_ids(&self) -> Vec<String> {
        model_ids(&self.nodes)
    }
}

/// Reads the response body of the first page of `RunInputArtifacts` (`used = true`) or
/// `RunOutputArtifacts` for run `run` of `entity/project`.
pub fn parse_run_artifacts_page(
    body: &[u8],
    used: bool,
    (entity, project): (&str, &str),
    run: &str,
) -> Result<ArtifactsPage, TrackerError> {
    let operation = if used {
        gql::RUN_INPUTS
    } else {
        gql::RUN_OUTPUTS
    };
    let data: ProjectData<nodes::ArtifactsProject> = read(operation, body)?;
    let (nodes, next_cursor) = artifacts_page(data, &format!("{entity}/{project}"), run, None)?;
    Ok(ArtifactsPage { nodes, next_cursor })
}

/// The collections one artifact is linked into, decoded.
#[derive(Debug, Clone, Default)]
pub struct Memberships {
    nodes: Vec<MembershipNode>,
}

impl Memberships {
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// Reads the response body of `FetchLinkedArtifacts` for artifact `artifact_id`.
pub fn parse_linked_artifacts(body: &[u8], artifact_id: &str) -> Result<Memberships, TrackerError> {
    let data: nodes::LinkedData = read(gql::LINKED, body)?;
    Ok(Memberships {
        nodes: linked_memberships(data, artifact_id)?,
    })
}

/// What a full import that read `runs` (one page), `artifacts` (used and logged, one pair per
/// run in the same order) and the registry `links` of model artifacts (by artifact id) makes
/// of them: the normalised snapshot with lineage and fairness evidence, its warnings and the
/// watermark for the next import. `source.project` should be `runs.path`.
pub fn assemble_import(
    source: Source,
    runs: RunsPage,
    artifacts: Vec<(ArtifactsPage, ArtifactsPage)>,
    links: BTreeMap<String, Memberships>,
    rules: &[MappingRule],
) -> Fetched<Watermark> {
    let artifacts = artifacts
        .into_iter()
        .map(|(used, logged)| (used.nodes, logged.nodes))
        .collect();
    let links = links
        .into_iter()
        .map(|(id, memberships)| (id, memberships.nodes))
        .collect();
    finish(
        source,
        runs.runs,
        artifacts,
        &links,
        rules,
        &Watermark::default(),
        runs.latest_created_at,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use assay_evidence::{EdgeKind, Tracker};

    #[test]
    fn a_project_read_from_bytes() {
        let body = br#"{"data": {"project": {"runCount": "2", "runs": {"edges": [
            {"node": {"name": "r1", "state": "finished", "createdAt": "2026-10-01T09:00:00",
                      "summaryMetrics": "{\"dpd_sex\": 0.3}"}}, null],
            "pageInfo": {"endCursor": "c1", "hasNextPage": true}}}}}"#;
        let runs = parse_runs_page(body, "e", "p").unwrap();
        assert_eq!(runs.runs.len(), 1);
        assert_eq!(runs.run_count, Some(2));
        assert_eq!(runs.next_cursor.as_deref(), Some("c1"));

        let artifacts = br#"{"data": {"project": {"run": {"artifacts": {"edges": [
            {"node": {"id": "d1", "artifactType": {"name": "dataset"}, "versionIndex": 0}},
            {"node": {"id": "m1", "artifactType": {"name": "model"}}}]}}}}}"#;
        let used = parse_run_artifacts_page(artifacts, true, ("e", "p"), "r1").unwrap();
        assert_eq!((used.len(), used.model_ids()), (2, vec!["m1".to_string()]));
        let linked = br#"{"data": {"artifact": {"artifactMemberships": {"edges": [{"node":
            {"versionIndex": 4, "artifactCollection": {"__typename": "ArtifactPortfolio",
             "name": "credit", "project": {"name": "wandb-registry-model"}}}}]}}}}"#;
        let links = BTreeMap::from([(
            "m1".to_string(),
            parse_linked_artifacts(linked, "m1").unwrap(),
        )]);
        let source = Source {
            tracker: Tracker::Wandb,
            instance: String::new(),
            project: runs.path.clone(),
        };
        let fetched = assemble_import(
            source,
            runs,
            vec![(used, ArtifactsPage::default())],
            links,
            &[],
        );
        let kinds: Vec<EdgeKind> = fetched.snapshot.edges.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [EdgeKind::UsedBy, EdgeKind::EvaluatedOn]);
        assert_eq!(fetched.snapshot.model_versions[0].external_id, "credit/v4");
        assert_eq!(fetched.snapshot.bias.len(), 1);
    }

    #[test]
    fn errors_and_missing_parts() {
        let code = |body: &[u8]| parse_runs_page(body, "e", "p").unwrap_err().kind();
        assert_eq!(code(b"{\"data\": {\"project\": null}}"), "not_found");
        assert_eq!(
            code(b"{\"errors\": [{\"message\": \"permission denied\"}]}"),
            "auth_failed"
        );
        assert_eq!(
            code(b"{\"data\": {\"project\": {\"runs\": 1}}}"),
            "bad_response"
        );
        let empty = parse_runs_page(b"{\"data\": {\"project\": {\"runs\": null}}}", "e", "p");
        assert!(
            empty.unwrap().runs.is_empty(),
            "no runs connection is no runs"
        );
        let missing =
            parse_run_artifacts_page(b"{\"data\": {\"project\": {}}}", false, ("e", "p"), "r");
        assert_eq!(missing.unwrap_err().kind(), "not_found");
    }
}

//! The response shapes of the operations in `queries/`, decoded leniently: W&B marks most
//! fields nullable, so nearly everything is optional and checked where it is used.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
pub(crate) struct ProjectData<T> {
    pub project: Option<T>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RunsProject {
    /// `Int`; kept as a raw value because some servers send 64-bit counts as strings.
    #[serde(default)]
    pub run_count: Value,
    pub runs: Option<Connection<RunNode>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RunProject {
    pub run: Option<RunNode>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ArtifactsProject {
    pub run: Option<RunArtifacts>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RunArtifacts {
    pub artifacts: Option<Connection<ArtifactNode>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct LinkedData {
    pub artifact: Option<LinkedArtifact>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LinkedArtifact {
    pub artifact_memberships: Option<Connection<MembershipNode>>,
}

/// A Relay connection.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Connection<T> {
    #[serde(default = "Vec::new")]
    pub edges: Vec<Option<Edge<T>>>,
    pub page_info: Option<PageInfo>,
}

impl<T> Connection<T> {
    pub fn into_nodes(self) -> impl Iterator<Item = T> {
        self.edges
            .into_iter()
            .flatten()
            .filter_map(|edge| edge.node)
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct Edge<T> {
    pub node: Option<T>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PageInfo {
    pub end_cursor: Option<String>,
    #[serde(default)]
    pub has_next_page: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RunNode {
    /// The run id of W&B URLs and `run(name:)`; the SDK's `run.id`.
    pub name: String,
    /// The human name; the SDK's `run.name`.
    pub display_name: Option<String>,
    pub state: Option<String>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    pub group: Option<String>,
    pub job_type: Option<String>,
    pub commit: Option<String>,
    pub created_at: Option<String>,
    pub heartbeat_at: Option<String>,
    /// `JSONString`.
    #[serde(default)]
    pub config: Value,
    /// `JSONString`.
    #[serde(default)]
    pub summary_metrics: Value,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ArtifactNode {
    pub id: String,
    pub artifact_sequence: Option<CollectionNode>,
    pub version_index: Option<i64>,
    pub artifact_type: Option<Named>,
    /// `JSONString`.
    #[serde(default)]
    pub metadata: Value,
    pub digest: Option<String>,
}

impl ArtifactNode {
    /// The artifact type, lower-case (`dataset`, `model`, `bias-audit`, ...).
    pub fn kind(&self) -> String {
        self.artifact_type
            .as_ref()
            .map(|t| t.name.to_ascii_lowercase())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MembershipNode {
    pub version_index: Option<i64>,
    #[serde(default)]
    pub aliases: Option<Vec<AliasNode>>,
    pub artifact_collection: Option<CollectionNode>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct AliasNode {
    pub alias: String,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct CollectionNode {
    /// `ArtifactSequence` (where an artifact was logged) or `ArtifactPortfolio` (a link).
    #[serde(rename = "__typename")]
    pub typename: Option<String>,
    pub name: String,
    pub project: Option<ProjectRef>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ProjectRef {
    pub name: String,
    pub entity: Option<Named>,
}

impl ProjectRef {
    /// `entity/project`, or the project name alone when the entity is not given.
    pub fn path(&self) -> String {
        match &self.entity {
            Some(entity) => format!("{}/{}", entity.name, self.name),
            None => self.name.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Named {
    pub name: String,
}

/// A count that may arrive as a number or a numeric string.
pub(crate) fn lenient_count(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

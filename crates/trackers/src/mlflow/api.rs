//! The MLflow REST endpoints the import calls (`/api/2.0/mlflow/...`).

use std::sync::Arc;

use reqwest::Url;
use serde_json::{Value, json};

use super::wire::{
    ArtifactFile, ArtifactList, Experiment, ExperimentResponse, LoggedModel, LoggedModelResponse,
    ModelVersionsPage, RegisteredModel, RegisteredModelsPage, RunResponse, RunsPage,
    WireModelVersion, WireRun, decode,
};
use crate::error::TrackerError;
use crate::http::HttpClient;

/// Page size for searches; MLflow's runs/search default and registered-models/search maximum.
const PAGE_SIZE: u32 = 1000;
/// A server that keeps handing out page tokens past this is not paging sensibly.
const MAX_PAGES: usize = 10_000;

#[derive(Clone, Debug)]
pub(crate) struct Api {
    client: HttpClient,
    /// Normalised base URL, no trailing slash.
    base: Arc<str>,
}

/// Ids go into URLs and filter strings; anything beyond these characters is not an MLflow
/// id and is left alone.
pub(crate) fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Calls `fetch` with each page token until the server stops returning one.
async fn all_pages<T, F, Fut>(endpoint: &str, mut fetch: F) -> Result<Vec<T>, TrackerError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), TrackerError>>,
{
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let (page, next) = fetch(token.clone()).await?;
        items.extend(page);
        match next.filter(|t| !t.is_empty()) {
            Some(next) if token.as_ref() == Some(&next) => {
                return Err(TrackerError::bad_response(format!(
                    "{endpoint}: the server returned the same page token twice"
                )));
            }
            Some(next) => token = Some(next),
            None => return Ok(items),
        }
    }
    Err(TrackerError::bad_response(format!(
        "{endpoint}: more than {MAX_PAGES} pages"
    )))
}

impl Api {
    pub fn new(client: HttpClient, base: &str) -> Api {
        Api {
            client,
            base: Arc::from(base),
        }
    }

    fn url(&self, endpoint: &str) -> String {
        format!("{}/api/2.0/mlflow/{endpoint}", self.base)
    }

    pub async fn experiment_by_name(&self, name: &str) -> Result<Experiment, TrackerError> {
        let query = [("experiment_name", name.to_string())];
        let found = self
            .client
            .get_json(&self.url("experiments/get-by-name"), &query)
            .await;
        let missing = || TrackerError::NotFound {
            what: format!("MLflow experiment '{name}'"),
        };
        let response: ExperimentResponse = match found {
            Err(TrackerError::NotFound { .. }) => return Err(missing()),
            other => decode("experiments/get-by-name", other?)?,
        };
        let experiment = response.experiment.ok_or_else(missing)?;
        if experiment.experiment_id.is_empty() {
            return Err(TrackerError::bad_response(
                "experiments/get-by-name: no experiment_id",
            ));
        }
        if experiment.lifecycle_stage == "deleted" {
            return Err(TrackerError::NotFound {
                what: format!("MLflow experiment '{name}' (it is deleted)"),
            });
        }
        Ok(experiment)
    }

    /// Active runs of one experiment, oldest first; `on_page` gets each page's size.
    pub async fn search_runs(
        &self,
        experiment_id: &str,
        filter: Option<String>,
        on_page: &(dyn Fn(usize) + Sync),
    ) -> Result<Vec<WireRun>, TrackerError> {
        let url = self.url("runs/search");
        all_pages("runs/search", |token| {
            let mut body = json!({
                "experiment_ids": [experiment_id],
                "max_results": PAGE_SIZE,
                "run_view_type": "ACTIVE_ONLY",
                "order_by": ["attributes.start_time ASC"],
            });
            if let Some(filter) = &filter {
                body["filter"] = json!(filter);
            }
            if let Some(token) = token {
                body["page_token"] = json!(token);
            }
            let url = url.clone();
            async move {
                let page: RunsPage =
                    decode("runs/search", self.client.post_json(&url, &body).await?)?;
                on_page(page.runs.len());
                Ok((page.runs, page.next_page_token))
            }
        })
        .await
    }

    /// One run, or `None` when the server does not know it.
    pub async fn run(&self, run_id: &str) -> Result<Option<WireRun>, TrackerError> {
        let query = [("run_id", run_id.to_string())];
        match self.client.get_json(&self.url("runs/get"), &query).await {
            Err(TrackerError::NotFound { .. }) => Ok(None),
            other => Ok(decode::<RunResponse>("runs/get", other?)?.run),
        }
    }

    pub async fn registered_models(&self) -> Result<Vec<RegisteredModel>, TrackerError> {
        let url = self.url("registered-models/search");
        all_pages("registered-models/search", |token| {
            let mut query = vec![("max_results", PAGE_SIZE.to_string())];
            query.extend(token.map(|t| ("page_token", t)));
            let url = url.clone();
            async move {
                let page: RegisteredModelsPage = decode(
                    "registered-models/search",
                    self.client.get_json(&url, &query).await?,
                )?;
                Ok((page.registered_models, page.next_page_token))
            }
        })
        .await
    }

    pub async fn model_versions(&self, model: &str) -> Result<Vec<WireModelVersion>, TrackerError> {
        // MLflow's filter grammar takes either quote; pick the one the name does not use.
        let filter = if model.contains('\'') {
            format!("name=\"{model}\"")
        } else {
            format!("name='{model}'")
        };
        let url = self.url("model-versions/search");
        all_pages("model-versions/search", |token| {
            let mut query = vec![
                ("filter", filter.clone()),
                ("max_results", PAGE_SIZE.to_string()),
            ];
            query.extend(token.map(|t| ("page_token", t)));
            let url = url.clone();
            async move {
                let page: ModelVersionsPage = decode(
                    "model-versions/search",
                    self.client.get_json(&url, &query).await?,
                )?;
                Ok((page.model_versions, page.next_page_token))
            }
        })
        .await
    }

    /// An MLflow 3 LoggedModel, or `None` when the server has none by that id (MLflow 2
    /// servers have no such endpoint at all).
    pub async fn logged_model(&self, model_id: &str) -> Result<Option<LoggedModel>, TrackerError> {
        if !is_plain_id(model_id) {
            return Ok(None);
        }
        match self
            .client
            .get_json(&self.url(&format!("logged-models/{model_id}")), &[])
            .await
        {
            Err(TrackerError::NotFound { .. }) => Ok(None),
            other => Ok(Some(
                decode::<LoggedModelResponse>("logged-models/get", other?)?.model,
            )),
        }
    }

    pub async fn list_artifacts(
        &self,
        run_id: &str,
        path: &str,
    ) -> Result<Vec<ArtifactFile>, TrackerError> {
        let query = [("run_id", run_id.to_string()), ("path", path.to_string())];
        let listing = self
            .client
            .get_json(&self.url("artifacts/list"), &query)
            .await?;
        Ok(decode::<ArtifactList>("artifacts/list", listing)?.files)
    }

    /// One artifact file: through the artifact proxy when the run's artifacts live in the
    /// server's proxied store (`mlflow-artifacts:`), otherwise through `get-artifact`, which
    /// works when the server itself can read the store.
    pub async fn artifact(
        &self,
        artifact_uri: &str,
        run_id: &str,
        path: &str,
    ) -> Result<Vec<u8>, TrackerError> {
        if let Some(url) = self.proxied_artifact_url(artifact_uri, path) {
            return self.client.get_bytes(&url, &[]).await;
        }
        let query = [("path", path.to_string()), ("run_uuid", run_id.to_string())];
        self.client
            .get_bytes(&format!("{}/get-artifact", self.base), &query)
            .await
    }

    fn proxied_artifact_url(&self, artifact_uri: &str, path: &str) -> Option<String> {
        let rest = artifact_uri.strip_prefix("mlflow-artifacts:")?;
        // Either `mlflow-artifacts:/1/<run>/artifacts` or `mlflow-artifacts://host:port/1/...`.
        let rest = match rest.strip_prefix("//") {
            Some(with_authority) => with_authority.split_once('/').map_or("", |(_, p)| p),
            None => rest,
        };
        let mut url = Url::parse(&self.base).ok()?;
        let segments = |text: &'static str| text.split('/');
        {
            let mut parts = url.path_segments_mut().ok()?;
            parts.pop_if_empty();
            parts.extend(segments("api/2.0/mlflow-artifacts/artifacts"));
            parts.extend(
                rest.split('/')
                    .chain(path.split('/'))
                    .filter(|s| !s.is_empty() && *s != "." && *s != ".."),
            );
        }
        Some(url.into())
    }
}

/// A JSON document from raw artifact bytes.
pub(crate) fn parse_report(bytes: &[u8]) -> Result<Value, TrackerError> {
    serde_json::from_slice(bytes)
        .map_err(|error| TrackerError::bad_response(format!("not a JSON document ({error})")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{Auth, HttpConfig};
    use tokio_util::sync::CancellationToken;

    fn api(base: &str) -> Api {
        let client =
            HttpClient::new(HttpConfig::default(), Auth::None, CancellationToken::new()).unwrap();
        Api::new(client, base)
    }

    #[test]
    fn proxied_artifact_urls_are_built_from_the_run_uri() {
        let api = api("http://h:5000/prefix");
        let url =
            api.proxied_artifact_url("mlflow-artifacts:/1/abc/artifacts", "fairness/r 1.json");
        assert_eq!(
            url.as_deref(),
            Some(
                "http://h:5000/prefix/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/fairness/r%201.json"
            )
        );
        let url = api.proxied_artifact_url("mlflow-artifacts://other:9/1/abc/artifacts", "../x");
        assert_eq!(
            url.as_deref(),
            Some("http://h:5000/prefix/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/x")
        );
        assert_eq!(api.proxied_artifact_url("s3://bucket/1/abc", "x"), None);
    }

    #[test]
    fn plain_ids_only() {
        assert!(is_plain_id("m-0fc73af51e154b219ea1e0364e4fa7f0"));
        assert!(!is_plain_id("a'b"));
        assert!(!is_plain_id(""));
    }
}

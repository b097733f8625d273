//! MLflow REST response shapes, as far as the import reads them.
//!
//! MLflow leaves out empty fields (an empty search is `{}`), so every field has a default.
//! Numbers arrive as JSON numbers, but proto3 JSON allows int64 as strings and doubles as
//! `"NaN"`, so those fields accept both.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::error::TrackerError;

/// Decodes a response into `T`, naming the endpoint in the error. `null` members count as
/// absent.
pub(crate) fn decode<T: DeserializeOwned>(
    endpoint: &str,
    mut value: Value,
) -> Result<T, TrackerError> {
    strip_nulls(&mut value);
    serde_json::from_value(value)
        .map_err(|error| TrackerError::bad_response(format!("{endpoint}: {error}")))
}

fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, member| !member.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ExperimentResponse {
    pub experiment: Option<Experiment>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Experiment {
    pub experiment_id: String,
    pub name: String,
    pub lifecycle_stage: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RunsPage {
    pub runs: Vec<WireRun>,
    pub next_page_token: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RunResponse {
    pub run: Option<WireRun>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireRun {
    pub info: RunInfo,
    pub data: RunData,
    pub inputs: RunInputs,
}

impl WireRun {
    /// `run_id`, or the older `run_uuid`.
    pub fn id(&self) -> &str {
        if self.info.run_id.is_empty() {
            &self.info.run_uuid
        } else {
            &self.info.run_id
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RunInfo {
    pub run_id: String,
    pub run_uuid: String,
    pub experiment_id: String,
    pub run_name: String,
    pub status: String,
    #[serde(deserialize_with = "lenient_i64")]
    pub start_time: Option<i64>,
    #[serde(deserialize_with = "lenient_i64")]
    pub end_time: Option<i64>,
    pub artifact_uri: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RunData {
    pub metrics: Vec<WireMetric>,
    pub params: Vec<KeyValue>,
    pub tags: Vec<KeyValue>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireMetric {
    pub key: String,
    #[serde(deserialize_with = "lenient_f64")]
    pub value: Option<f64>,
    pub dataset_name: String,
    pub dataset_digest: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct KeyValue {
    pub key: String,
    #[serde(deserialize_with = "lenient_string")]
    pub value: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RunInputs {
    pub dataset_inputs: Vec<DatasetInput>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DatasetInput {
    pub tags: Vec<KeyValue>,
    pub dataset: WireDataset,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireDataset {
    pub name: String,
    pub digest: String,
    pub source_type: String,
    /// A JSON document in a string, e.g. `{"uri": "s3://..."}`.
    pub source: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ArtifactList {
    pub files: Vec<ArtifactFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ArtifactFile {
    pub path: String,
    pub is_dir: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RegisteredModelsPage {
    pub registered_models: Vec<RegisteredModel>,
    pub next_page_token: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RegisteredModel {
    pub name: String,
    pub aliases: Vec<Alias>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Alias {
    pub alias: String,
    #[serde(deserialize_with = "lenient_string")]
    pub version: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ModelVersionsPage {
    pub model_versions: Vec<WireModelVersion>,
    pub next_page_token: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WireModelVersion {
    pub name: String,
    #[serde(deserialize_with = "lenient_string")]
    pub version: String,
    pub source: String,
    pub run_id: String,
    pub current_stage: String,
    pub tags: Vec<KeyValue>,
    pub aliases: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LoggedModelResponse {
    pub model: LoggedModel,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LoggedModel {
    pub info: LoggedModelInfo,
    pub data: LoggedModelData,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LoggedModelInfo {
    pub model_id: String,
    pub experiment_id: String,
    pub source_run_id: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LoggedModelData {
    pub metrics: Vec<WireMetric>,
}

/// A number, or a string holding one.
fn lenient_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Number(number) => number
            .as_i64()
            .or_else(|| number.as_f64().map(|f| f as i64)),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    })
}

/// A number, or `"NaN"`/`"Infinity"`/a numeric string (proto3 JSON spellings).
fn lenient_f64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    })
}

/// A string, or a number/bool written out (model versions are strings, but not always).
fn lenient_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) => text,
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        _ => String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn empty_search_is_an_empty_page() {
        let page: RunsPage = decode("runs/search", json!({})).unwrap();
        assert!(page.runs.is_empty() && page.next_page_token.is_none());
    }

    #[test]
    fn odd_spellings_are_accepted() {
        let run: WireRun = decode(
            "runs/get",
            json!({
                "info": {"run_uuid": "abc", "start_time": "17", "end_time": null, "status": "RUNNING"},
                "data": {"metrics": [{"key": "m", "value": "NaN"}, {"key": "n", "value": 2}],
                         "params": [{"key": "p", "value": 3}]},
                "unknown": {"anything": [1, 2]}
            }),
        )
        .unwrap();
        assert_eq!(run.id(), "abc");
        assert_eq!(run.info.start_time, Some(17));
        assert_eq!(run.info.end_time, None);
        assert!(run.data.metrics[0].value.is_some_and(f64::is_nan));
        assert_eq!(run.data.params[0].value, "3");
    }

    #[test]
    fn wrong_shapes_are_bad_responses() {
        let error =
            decode::<RunsPage>("runs/search", json!({"runs": {"not": "a list"}})).unwrap_err();
        assert!(matches!(error, TrackerError::BadResponse { .. }));
        assert!(error.to_string().contains("runs/search"));
        let error = decode::<RunsPage>("runs/search", json!([1, 2])).unwrap_err();
        assert!(matches!(error, TrackerError::BadResponse { .. }));
    }
}

//! W&B's `JSONString` fields (`config`, `summaryMetrics`, artifact `metadata`) and
//! timestamps, turned into plain maps and UTC times.
//!
//! Nested objects are flattened with `.`: that is how the W&B UI and its run filters
//! (`config.optimizer.lr`, `summary_metrics.eval.f1`) address nested values, and it matches
//! the `fairness.<feature>.<metric>` convention. A `/` stays part of a key as logged
//! (`fairness/sex/demographic_parity_difference`), since W&B uses it for panel sections.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Map, Value};

use crate::error::TrackerError;

/// Config keys W&B adds itself (the SDK's `WANDB_INTERNAL_KEYS`).
const INTERNAL_CONFIG_KEYS: [&str; 2] = ["_wandb", "wandb_version"];
/// Deeper nesting is kept as compact JSON rather than flattened further.
const MAX_DEPTH: usize = 16;

/// Parses a `JSONString` field into an object. `null`, absent or blank means empty; an
/// object already decoded is accepted as is. Anything else is a [`TrackerError::BadResponse`]
/// naming the field.
pub(crate) fn json_object(
    field: &str,
    raw: Option<&Value>,
) -> Result<Map<String, Value>, TrackerError> {
    let bad = |why: &str| TrackerError::bad_response(format!("W&B {field} {why}"));
    let parsed = match raw {
        None | Some(Value::Null) => return Ok(Map::new()),
        Some(Value::Object(map)) => return Ok(map.clone()),
        Some(Value::String(text)) if text.trim().is_empty() => return Ok(Map::new()),
        Some(Value::String(text)) => parse_lenient(text).ok_or_else(|| bad("is not valid JSON"))?,
        Some(_) => return Err(bad("is neither a JSON string nor an object")),
    };
    match parsed {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(bad("is not a JSON object")),
    }
}

/// Strict JSON first; failing that, the same text with the `NaN`/`Infinity` tokens that
/// Python's `json.dumps` writes (and W&B passes through) read as `null`.
fn parse_lenient(text: &str) -> Option<Value> {
    serde_json::from_str(text)
        .ok()
        .or_else(|| serde_json::from_str(&non_finite_as_null(text)?).ok())
}

/// Replaces bare `NaN`, `Infinity` and `-Infinity` outside strings with `null`; `None` when
/// there is none (so the strict error stands).
fn non_finite_as_null(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped, mut replaced) = (false, false, false);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if let Some(token) = ["NaN", "Infinity", "-Infinity"]
            .into_iter()
            .find(|t| rest.starts_with(t))
        {
            out.push_str("null");
            rest = &rest[token.len()..];
            replaced = true;
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    replaced.then_some(out)
}

/// Run config as parameters: values unwrapped from W&B's `{"value": ..., "desc": ...}`,
/// internal keys dropped, nested objects flattened, non-strings as compact JSON.
pub(crate) fn config_params(config: &Map<String, Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (key, entry) in config {
        if INTERNAL_CONFIG_KEYS.contains(&key.as_str()) {
            continue;
        }
        flatten_param(key.clone(), unwrap_value(entry), 0, &mut out);
    }
    out
}

/// `{"value": v}` or `{"value": v, "desc": d}` -> `v`; other shapes are taken as the value.
fn unwrap_value(entry: &Value) -> &Value {
    match entry {
        Value::Object(map)
            if map.contains_key("value") && map.keys().all(|k| k == "value" || k == "desc") =>
        {
            &map["value"]
        }
        other => other,
    }
}

fn flatten_param(key: String, value: &Value, depth: usize, out: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) if !map.is_empty() && depth < MAX_DEPTH => {
            for (sub, inner) in map {
                flatten_param(format!("{key}.{sub}"), inner, depth + 1, out);
            }
        }
        Value::String(text) => {
            out.insert(key, text.clone());
        }
        other => {
            out.insert(key, other.to_string());
        }
    }
}

/// Summary metrics as numbers: internal (`_`-prefixed) keys, media and tables (objects with
/// a `_type`), strings, booleans, lists and non-finite numbers are left out.
pub(crate) fn summary_metrics(summary: &Map<String, Value>) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    flatten_metrics(None, summary, 0, &mut out);
    out
}

fn flatten_metrics(
    prefix: Option<&str>,
    map: &Map<String, Value>,
    depth: usize,
    out: &mut BTreeMap<String, f64>,
) {
    if depth >= MAX_DEPTH || map.contains_key("_type") {
        return;
    }
    for (key, value) in map {
        if key.starts_with('_') {
            continue;
        }
        let name = prefix.map_or_else(|| key.clone(), |p| format!("{p}.{key}"));
        match value {
            Value::Number(number) => {
                if let Some(v) = number.as_f64().filter(|v| v.is_finite()) {
                    out.insert(name, v);
                }
            }
            Value::Object(inner) => flatten_metrics(Some(&name), inner, depth + 1, out),
            _ => {}
        }
    }
}

/// A W&B timestamp: ISO 8601 without a zone (UTC, as W&B writes them) or RFC 3339.
pub(crate) fn timestamp(
    field: &str,
    raw: Option<&str>,
) -> Result<Option<DateTime<Utc>>, TrackerError> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if let Ok(naive) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Ok(Some(naive.and_utc()));
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|_| TrackerError::bad_response(format!("W&B {field} is not a timestamp: {text}")))
}

/// The form W&B writes timestamps in, for run filters.
pub(crate) fn wandb_time(at: DateTime<Utc>) -> String {
    at.naive_utc().format("%Y-%m-%dT%H:%M:%S%.f").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(text: &str) -> Result<Map<String, Value>, TrackerError> {
        json_object("config", Some(&Value::String(text.to_string())))
    }

    #[test]
    fn config_values_are_unwrapped_and_flattened() {
        let config = parse(
            r#"{"lr": {"value": 0.01, "desc": null}, "model": {"value": {"depth": 6, "kind": "gbm"}},
                "layers": {"value": [64, 32]}, "name": {"value": "base"}, "none": {"value": null},
                "plain": 3, "_wandb": {"value": {"t": 1}}, "wandb_version": 1,
                "fairness": {"value": {"threshold": {"demographic_parity_difference": 0.1}}}}"#,
        )
        .unwrap();
        let params = config_params(&config);
        let want: BTreeMap<String, String> = [
            ("fairness.threshold.demographic_parity_difference", "0.1"),
            ("layers", "[64,32]"),
            ("lr", "0.01"),
            ("model.depth", "6"),
            ("model.kind", "gbm"),
            ("name", "base"),
            ("none", "null"),
            ("plain", "3"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(params, want);
    }

    #[test]
    fn summary_keeps_finite_numbers_only() {
        let summary = json_object(
            "summaryMetrics",
            Some(&json!(
                r#"{"acc": 0.9, "fairness/sex/dpd": 0.1, "eval": {"f1": 0.7, "_x": 1},
                "_runtime": 3.2, "_step": 9, "table": {"_type": "table-file", "nrows": 5},
                "label": "x", "ok": true, "hist": [1, 2], "bad": NaN, "big": -Infinity}"#
            )),
        )
        .unwrap();
        let metrics = summary_metrics(&summary);
        let keys: Vec<&str> = metrics.keys().map(String::as_str).collect();
        assert_eq!(keys, ["acc", "eval.f1", "fairness/sex/dpd"]);
        assert_eq!(metrics["eval.f1"], 0.7);
    }

    #[test]
    fn non_finite_tokens_inside_strings_are_left_alone() {
        let map = parse(r#"{"a": "NaN and Infinity \" NaN", "b": NaN}"#).unwrap();
        assert_eq!(map["a"], json!("NaN and Infinity \" NaN"));
        assert_eq!(map["b"], Value::Null);
    }

    #[test]
    fn hostile_json_strings_are_bad_responses_not_panics() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let deep_object = format!("{}1{}", r#"{"a":"#.repeat(5_000), "}".repeat(5_000));
        for text in [
            "{",
            r#"{"a": }"#,
            "[1, 2]",
            "42",
            r#""just a string""#,
            "{\"a\": 1} trailing",
            "\u{0}",
            "NaNa",
            r#"{"a": "unterminated"#,
            &deep,
            &deep_object,
        ] {
            let error = parse(text).unwrap_err();
            assert!(
                matches!(error, TrackerError::BadResponse { .. }),
                "{text:.40}"
            );
            assert!(error.to_string().contains("config"), "{error}");
        }
        for raw in [json!(1), json!([1]), json!(true)] {
            assert_eq!(
                json_object("metadata", Some(&raw)).unwrap_err().kind(),
                "bad_response"
            );
        }
    }

    #[test]
    fn empty_forms_are_empty_maps() {
        for raw in [
            None,
            Some(Value::Null),
            Some(json!("")),
            Some(json!("  ")),
            Some(json!("null")),
        ] {
            assert!(json_object("config", raw.as_ref()).unwrap().is_empty());
        }
        assert_eq!(
            json_object("config", Some(&json!({"a": 1}))).unwrap()["a"],
            json!(1)
        );
    }

    #[test]
    fn deep_nesting_is_cut_off_not_recursed_forever() {
        let mut value = json!(1);
        for _ in 0..40 {
            value = json!({ "a": value });
        }
        let map = value.as_object().unwrap().clone();
        let params = config_params(&map);
        assert_eq!(params.len(), 1);
        assert!(summary_metrics(&map).is_empty());
    }

    #[test]
    fn timestamps_without_zone_are_utc() {
        let at = timestamp("createdAt", Some("2026-10-01T09:00:00"))
            .unwrap()
            .unwrap();
        assert_eq!(at.to_rfc3339(), "2026-10-01T09:00:00+00:00");
        let frac = timestamp("createdAt", Some("2026-10-01T09:00:00.250"))
            .unwrap()
            .unwrap();
        assert_eq!(wandb_time(frac), "2026-10-01T09:00:00.250");
        assert_eq!(wandb_time(at), "2026-10-01T09:00:00");
        let zoned = timestamp("createdAt", Some("2026-10-01T11:00:00+02:00"))
            .unwrap()
            .unwrap();
        assert_eq!(zoned, at);
        assert_eq!(timestamp("createdAt", None).unwrap(), None);
        assert_eq!(
            timestamp("createdAt", Some("yesterday"))
                .unwrap_err()
                .kind(),
            "bad_response"
        );
    }
}

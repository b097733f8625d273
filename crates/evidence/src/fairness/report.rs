//! Fairness JSON report artifacts.
//!
//! `fairness-report/v1` (what the MLflow seed writes) has, per sensitive feature, an
//! `overall` map of `{value, threshold, passed}` entries and a `by_group` map of
//! metric -> group -> value. Any other JSON is read as nested name -> number maps whose joined
//! keys are metric names (`{"sex": {"dpd": 0.1}}` reads like `sex/dpd`). Whatever cannot be
//! read is skipped.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::catalog::{self, Kind};
use super::names::{self, Outcome, Parsed};
use super::{Env, Found, ReportHints, tool_named};
use crate::{BiasEvidence, BiasSource, FairnessTool};

/// Nesting deeper than this is not a report shape anyone writes.
const MAX_DEPTH: usize = 8;

/// Reads a fairness JSON report artifact (`fairness-report/v1` and plain name -> value maps).
pub fn from_report(
    run: &str,
    path: &str,
    report: &serde_json::Value,
    tags: &BTreeMap<String, String>,
) -> Vec<BiasEvidence> {
    let reader = Reader {
        run,
        env: Env::new(tags),
        tool: report
            .get("tool")
            .and_then(Value::as_str)
            .and_then(tool_named),
        thresholds: report.get("thresholds").and_then(Value::as_object),
        source: BiasSource::Artifact(path.to_string()),
    };
    let mut out = Vec::new();
    match report.get("sensitive_features").and_then(Value::as_object) {
        Some(features) => {
            for (feature, entry) in features {
                if let Some(entry) = entry.as_object() {
                    reader.feature(feature, entry, &mut out);
                }
            }
        }
        None => reader.flat(report, &mut Vec::new(), &mut out),
    }
    out
}

struct Reader<'a> {
    run: &'a str,
    env: Env,
    tool: Option<FairnessTool>,
    thresholds: Option<&'a Map<String, Value>>,
    source: BiasSource,
}

/// A number, or a string holding one (some writers quote numbers).
fn number(value: &Value) -> Option<f64> {
    value
        .as_f64()
        .or_else(|| value.as_str()?.trim().parse().ok())
}

/// A group name, which may have been written as a number.
fn label(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => items.first().and_then(label),
        _ => None,
    }
}

impl Reader<'_> {
    fn limits(&self, name: &str, canonical: &str, own: Option<f64>) -> Vec<f64> {
        let stated = |key: &str| self.thresholds.and_then(|t| t.get(key)).and_then(number);
        own.into_iter()
            .chain(stated(name))
            .chain(stated(canonical))
            .collect()
    }

    fn push(
        &self,
        out: &mut Vec<BiasEvidence>,
        raw_name: &str,
        value: f64,
        parsed: Parsed,
        hints: ReportHints,
    ) {
        let found = Found {
            raw_name,
            value,
            parsed,
            source: self.source.clone(),
        };
        out.push(self.env.evidence(self.run, found, &hints));
    }

    fn feature(&self, feature: &str, entry: &Map<String, Value>, out: &mut Vec<BiasEvidence>) {
        let reference = ["reference_group", "privileged_group", "privileged_groups"]
            .iter()
            .find_map(|k| entry.get(*k).and_then(label));
        let hints = |limits: Vec<f64>| ReportHints {
            tool: self.tool,
            limits,
            reference_group: reference.clone(),
        };
        let parsed = |info: catalog::MetricInfo, alias: &str, group: Option<String>| Parsed {
            info,
            alias: alias.to_string(),
            feature: Some(feature.to_string()),
            group,
            tool_hint: None,
        };

        for (name, item) in entry
            .get("overall")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let alias = name.trim().to_ascii_lowercase();
            let Some(info) = catalog::lookup(&alias).filter(|i| i.kind != Kind::GroupValue) else {
                continue;
            };
            let Some(value) = number(item).or_else(|| item.get("value").and_then(number)) else {
                continue;
            };
            let own = item.get("threshold").and_then(number);
            let limits = self.limits(name, &info.canonical, own);
            let raw = format!("sensitive_features.{feature}.overall.{name}");
            self.push(out, &raw, value, parsed(info, &alias, None), hints(limits));
        }

        // metric -> group -> value, or (MetricFrame transposed) group -> metric -> value.
        for (key, inner) in entry
            .get("by_group")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let Some(inner) = inner.as_object() else {
                continue;
            };
            let outer = catalog::lookup(&key.trim().to_ascii_lowercase())
                .filter(|i| i.kind == Kind::GroupValue);
            for (inner_key, value) in inner {
                let Some(value) = number(value) else { continue };
                let (metric, group) = match &outer {
                    Some(_) => (key, inner_key),
                    None => (inner_key, key),
                };
                let alias = metric.trim().to_ascii_lowercase();
                let Some(info) = catalog::lookup(&alias).filter(|i| i.kind == Kind::GroupValue)
                else {
                    continue;
                };
                let raw = format!("sensitive_features.{feature}.by_group.{key}.{inner_key}");
                let parsed = parsed(info, &alias, Some(group.clone()));
                self.push(out, &raw, value, parsed, hints(Vec::new()));
            }
        }
    }

    fn flat(&self, value: &Value, path: &mut Vec<String>, out: &mut Vec<BiasEvidence>) {
        if path.len() > MAX_DEPTH {
            return;
        }
        let (number, own) = match value {
            Value::Number(_) => (number(value), None),
            Value::Object(map) if map.contains_key("value") => (
                map.get("value").and_then(number),
                map.get("threshold").and_then(number),
            ),
            Value::Object(map) => {
                for (key, child) in map {
                    if key != "thresholds" {
                        path.push(key.clone());
                        self.flat(child, path, out);
                        path.pop();
                    }
                }
                return;
            }
            _ => return,
        };
        let (Some(value), false) = (number, path.is_empty()) else {
            return;
        };
        let raw = path.join("/");
        if let Outcome::Metric(parsed) = names::classify(&raw, &self.env.names) {
            let limits = self.limits(&parsed.alias, &parsed.info.canonical, own);
            let hints = ReportHints {
                tool: self.tool,
                limits,
                reference_group: None,
            };
            self.push(out, &raw, value, parsed, hints);
        }
    }
}

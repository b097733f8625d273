//! Recognising fairness metrics by name and judging them against thresholds.
//!
//! Names are read in three styles: `fairness.<feature>.<metric>[.<group>]` (the recommended
//! one), slash-grouped `fairness/<feature>/<metric>` or `eval/<feature>/<metric>`, and
//! `<metric>_<feature>` such as `dpd_sex`. Aliases are folded into canonical names, keeping
//! the library's reading: AIF360's `statistical_parity_difference` becomes a signed
//! `demographic_parity_difference`, its `disparate_impact` an unprivileged/privileged
//! `demographic_parity_ratio`.
//!
//! Default thresholds: differences pass when `|x| <= 0.1`, ratios when `x >= 0.8` (AIF360's
//! unprivileged/privileged ratios also need `x <= 1.25`); group extremes, indices and
//! per-group values have none. A threshold is taken from, first to last: a run tag
//! `fairness.threshold.<feature>.<metric>`, a tag `fairness.threshold.<metric>` (where
//! `<metric>` is the raw name, the alias as logged or the canonical name), the report's own
//! threshold, then the default. Unreadable or out-of-range values are skipped.

mod catalog;
mod names;
mod report;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    BiasEvidence, BiasSource, Convention, FairnessTool, Run, Threshold, UnmatchedCandidate,
};
use catalog::Kind;
use names::{NameContext, Outcome, Parsed};
pub use report::from_report;

/// A user's rule mapping a raw metric name that was not recognised to a canonical metric.
/// Persisted per tracker project.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MappingRule {
    /// The raw metric name exactly as the tracker reports it.
    pub raw_name: String,
    /// A canonical metric name known to [`canonical_metrics`].
    pub metric: String,
    pub sensitive_feature: Option<String>,
    pub group: Option<String>,
}

/// What was found in one run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    pub bias: Vec<BiasEvidence>,
    pub unmatched: Vec<UnmatchedCandidate>,
}

/// Why a mapping rule cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FairnessError {
    #[error("the rule has no raw metric name to match")]
    EmptyRawName,
    #[error("the rule's {0} is empty; leave it out instead")]
    EmptyField(&'static str),
    #[error("`{given}` is another name for `{canonical}`; rules use the canonical name")]
    AliasNotCanonical { given: String, canonical: String },
    #[error(
        "`{0}` is not a known fairness metric; use a canonical name such as \
         `demographic_parity_difference`, or `<metric>_group_min` / `<metric>_group_max`"
    )]
    UnknownMetric(String),
    #[error("`{0}` is a per-group value, so the rule needs a group")]
    GroupRequired(String),
}

/// Canonical metric names this module knows. Any `<metric>_group_min` or `<metric>_group_max`
/// is accepted too; the common ones are listed.
pub fn canonical_metrics() -> Vec<&'static str> {
    catalog::canonical_names()
}

/// Checks a mapping rule before it is stored; [`extract`] skips rules that fail this.
pub fn validate_rule(rule: &MappingRule) -> Result<(), FairnessError> {
    if rule.raw_name.trim().is_empty() {
        return Err(FairnessError::EmptyRawName);
    }
    if rule
        .sensitive_feature
        .as_deref()
        .is_some_and(|f| f.trim().is_empty())
    {
        return Err(FairnessError::EmptyField("sensitive feature"));
    }
    if rule.group.as_deref().is_some_and(|g| g.trim().is_empty()) {
        return Err(FairnessError::EmptyField("group"));
    }
    let Some(info) = catalog::canonical(&rule.metric) else {
        return Err(
            match catalog::lookup(&rule.metric.trim().to_ascii_lowercase()) {
                Some(info) => FairnessError::AliasNotCanonical {
                    given: rule.metric.clone(),
                    canonical: info.canonical,
                },
                None => FairnessError::UnknownMetric(rule.metric.clone()),
            },
        );
    };
    if info.kind == Kind::GroupValue && rule.group.is_none() {
        return Err(FairnessError::GroupRequired(rule.metric.clone()));
    }
    Ok(())
}

/// Finds the fairness metrics among a run's metrics; thresholds may be overridden by the run's
/// `fairness.threshold.<metric>` tags. Rules apply to their exact raw name before any
/// recognition; an invalid rule is skipped.
pub fn extract(run: &Run, rules: &[MappingRule]) -> Extraction {
    let env = Env::new(&run.tags);
    let mut by_name: BTreeMap<&str, &MappingRule> = BTreeMap::new();
    for rule in rules.iter().filter(|r| validate_rule(r).is_ok()) {
        by_name.entry(rule.raw_name.as_str()).or_insert(rule);
    }
    let mut out = Extraction::default();
    for (name, &value) in &run.metrics {
        let parsed = match by_name.get(name.as_str()) {
            Some(rule) => catalog::canonical(&rule.metric).map(|info| Parsed {
                alias: info.canonical.clone(),
                info,
                feature: rule.sensitive_feature.clone(),
                group: rule.group.clone(),
                tool_hint: None,
            }),
            None => match names::classify(name, &env.names) {
                Outcome::Metric(parsed) => Some(parsed),
                Outcome::Candidate => {
                    let raw_name = name.clone();
                    out.unmatched.push(UnmatchedCandidate {
                        run: run.external_id.clone(),
                        raw_name,
                    });
                    None
                }
                Outcome::Ignore => None,
            },
        };
        if let Some(parsed) = parsed {
            let found = Found {
                raw_name: name,
                value,
                parsed,
                source: BiasSource::Metric,
            };
            out.bias
                .push(env.evidence(&run.external_id, found, &ReportHints::default()));
        }
    }
    out
}

/// A metric recognised in a run or report, before it is judged.
struct Found<'a> {
    raw_name: &'a str,
    value: f64,
    parsed: Parsed,
    source: BiasSource,
}

/// What a report adds to the run's tags.
#[derive(Debug, Default)]
struct ReportHints {
    tool: Option<FairnessTool>,
    /// Thresholds the report states for this metric, most specific first.
    limits: Vec<f64>,
    reference_group: Option<String>,
}

/// A run's tags, read once.
#[derive(Debug)]
struct Env {
    /// Lower-case keys, trimmed values.
    tags: BTreeMap<String, String>,
    tool: Option<FairnessTool>,
    names: NameContext,
}

fn tool_named(text: &str) -> Option<FairnessTool> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("fairlearn") {
        Some(FairnessTool::Fairlearn)
    } else if lower.contains("aif360")
        || lower.contains("aif 360")
        || lower.contains("fairness 360")
    {
        Some(FairnessTool::Aif360)
    } else {
        None
    }
}

impl Env {
    fn new(tags: &BTreeMap<String, String>) -> Env {
        let tags: BTreeMap<String, String> = tags
            .iter()
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let sensitive = tags
            .get("fairness.sensitive_features")
            .map(|list| {
                list.split([',', ';'])
                    .map(|f| f.trim().to_ascii_lowercase())
                    .filter(|f| !f.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let fairness_run = tags.keys().any(|k| k.starts_with("fairness."));
        let tool = tags.get("fairness.tool").and_then(|t| tool_named(t));
        Env {
            tags,
            tool,
            names: NameContext {
                sensitive,
                fairness_run,
            },
        }
    }

    /// The numbers held by the tags among `keys`, in the order of `keys`.
    fn tag_number(&self, keys: &[String]) -> impl Iterator<Item = f64> {
        keys.iter()
            .filter_map(|k| self.tags.get(k)?.parse::<f64>().ok())
    }

    fn reference_group(&self, feature: Option<&str>) -> Option<String> {
        let feature = feature.map(str::to_ascii_lowercase);
        ["fairness.reference_group", "fairness.privileged_group"]
            .iter()
            .find_map(|base| {
                let specific = feature
                    .as_ref()
                    .and_then(|f| self.tags.get(&format!("{base}.{f}")));
                specific
                    .or_else(|| self.tags.get(*base))
                    .filter(|g| !g.is_empty())
                    .cloned()
            })
    }

    fn evidence(&self, run: &str, found: Found<'_>, hints: &ReportHints) -> BiasEvidence {
        let Found {
            raw_name,
            value,
            parsed,
            source,
        } = found;
        let info = parsed.info;
        let tool = match info.tool {
            FairnessTool::Unknown => parsed
                .tool_hint
                .or(hints.tool)
                .or(self.tool)
                .unwrap_or(FairnessTool::Unknown),
            named => named,
        };
        let convention = catalog::convention(&info, tool, value);
        let sensitive_feature = parsed
            .feature
            .or_else(|| match self.names.sensitive.as_slice() {
                [only] => Some(only.clone()),
                _ => None,
            });

        let mut keys = Vec::new();
        let names = [
            raw_name.to_ascii_lowercase(),
            parsed.alias,
            info.canonical.clone(),
        ];
        if let Some(f) = &sensitive_feature {
            let f = f.to_ascii_lowercase();
            keys.extend(
                names[1..]
                    .iter()
                    .map(|n| format!("fairness.threshold.{f}.{n}")),
            );
        }
        keys.extend(names.iter().map(|n| format!("fairness.threshold.{n}")));
        let threshold = default_threshold(convention).map(|default| {
            self.tag_number(&keys)
                .chain(hints.limits.iter().copied())
                .find_map(|limit| with_limit(default, limit))
                .unwrap_or(default)
        });

        let relative = matches!(
            convention,
            Convention::GroupValue
                | Convention::DifferenceSigned
                | Convention::RatioUnprivilegedOverPrivileged
        );
        let reference_group = if relative {
            hints
                .reference_group
                .clone()
                .or_else(|| self.reference_group(sensitive_feature.as_deref()))
        } else {
            None
        };
        BiasEvidence {
            run: run.to_string(),
            metric: info.canonical,
            raw_name: raw_name.to_string(),
            value,
            sensitive_feature,
            group: parsed.group,
            reference_group,
            threshold,
            passed: threshold.map(|t| t.passes(value)),
            tool,
            convention,
            bias_type: info.bias,
            source,
        }
    }
}

fn default_threshold(convention: Convention) -> Option<Threshold> {
    match convention {
        Convention::DifferenceNonNegative | Convention::DifferenceSigned => {
            Some(Threshold::AbsAtMost { max: 0.1 })
        }
        Convention::RatioMinOverMax => Some(Threshold::RatioAtLeast {
            min: 0.8,
            two_sided: false,
        }),
        Convention::RatioUnprivilegedOverPrivileged => Some(Threshold::RatioAtLeast {
            min: 0.8,
            two_sided: true,
        }),
        Convention::GroupExtreme | Convention::Index | Convention::GroupValue => None,
    }
}

/// The default's rule with another limit; `None` when the limit makes no sense for it
/// (a negative difference, a ratio bound outside (0, 1]).
fn with_limit(default: Threshold, limit: f64) -> Option<Threshold> {
    if !limit.is_finite() {
        return None;
    }
    match default {
        Threshold::AbsAtMost { .. } if limit >= 0.0 => Some(Threshold::AbsAtMost { max: limit }),
        Threshold::RatioAtLeast { two_sided, .. } if limit > 0.0 && limit <= 1.0 => {
            Some(Threshold::RatioAtLeast {
                min: limit,
                two_sided,
            })
        }
        _ => None,
    }
}

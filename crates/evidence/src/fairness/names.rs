//! Reading a metric name: which fairness metric it is, and for which feature and group.
//!
//! A name is lower-cased (ASCII only, so byte offsets stay valid and the feature and group
//! keep the case they were written in) and split into segments on `/`, `.`, `:` and `__`.
//! The metric is the segment matching an alias, exactly or as `<metric>_<feature>` /
//! `<feature>_<metric>`; segments before it give the feature, segments after it the group.

use std::ops::Range;

use super::catalog::{self, Kind, MetricInfo};
use crate::FairnessTool;

/// Longer keys are not metric names any tracker accepts (MLflow stops at 250 characters);
/// they are skipped rather than parsed.
pub(crate) const MAX_NAME_LEN: usize = 1024;

/// Leading or framing segments that say where a metric was logged, not what it is.
const NAMESPACES: &[&str] = &[
    "fairness",
    "fair",
    "fairlearn",
    "aif360",
    "bias",
    "bias_audit",
    "eval",
    "evaluation",
    "test",
    "val",
    "valid",
    "validation",
    "train",
    "holdout",
    "metrics",
    "metric",
    "summary",
    "overall",
    "by_group",
    "aggregate",
];

/// Underscore prefixes inside a segment that are namespaces too (`eval_dpd`).
const PREFIXES: &[&str] = &[
    "fairness_",
    "bias_",
    "eval_",
    "test_",
    "val_",
    "valid_",
    "validation_",
];

/// Attribute names common enough to count as a sensitive feature without a tag saying so.
const COMMON_FEATURES: &[&str] = &[
    "sex",
    "gender",
    "race",
    "ethnicity",
    "age",
    "age_group",
    "age_band",
    "age_bucket",
    "religion",
    "disability",
    "nationality",
    "national_origin",
    "marital_status",
    "sexual_orientation",
    "skin_tone",
    "colour",
    "color",
];

/// Words that put a name in a fairness context.
const FAIR_WORDS: &[&str] = &[
    "fairness",
    "fair",
    "unfair",
    "unfairness",
    "fairlearn",
    "aif360",
    "parity",
    "disparate",
    "disparity",
    "disparities",
    "odds",
    "opportunity",
    "equalized",
    "equalised",
    "privileged",
    "unprivileged",
    "theil",
    "demographic",
];

/// Abbreviations that make an unmatched name worth showing, though too short to trust alone.
const FAIR_ABBREVIATIONS: &[&str] = &["dpd", "spd", "dpr", "eod", "aod", "aaod"];

/// Next to `bias`, these mean a network's bias term, not a fairness figure.
const WEIGHT_WORDS: &[&str] = &[
    "grad",
    "grads",
    "gradient",
    "gradients",
    "parameters",
    "params",
    "weight",
    "weights",
    "layer",
];

/// What the run says about fairness, beyond the metric name.
#[derive(Debug, Default)]
pub(crate) struct NameContext {
    /// Lower-case sensitive features listed by the run.
    pub sensitive: Vec<String>,
    /// The run carries `fairness.*` tags, so short aliases can be trusted.
    pub fairness_run: bool,
}

impl NameContext {
    fn is_sensitive(&self, lower: &str) -> bool {
        self.sensitive.iter().any(|s| s == lower) || COMMON_FEATURES.contains(&lower)
    }
}

/// A recognised metric name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub info: MetricInfo,
    /// The alias as matched, lower-case, for threshold tags.
    pub alias: String,
    pub feature: Option<String>,
    pub group: Option<String>,
    /// A `fairlearn` or `aif360` segment in the name.
    pub tool_hint: Option<FairnessTool>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    Metric(Parsed),
    Candidate,
    Ignore,
}

#[derive(Debug)]
struct Segment {
    /// Byte range in the raw name.
    range: Range<usize>,
    lower: String,
}

fn segments(raw: &str) -> Vec<Segment> {
    // Underscores stay: `51_` is how a group `51+` was written.
    let trim = char::is_whitespace;
    let mut out = Vec::new();
    let mut push = |from: usize, to: usize| {
        let text = raw.get(from..to).unwrap_or("");
        let lead = text.len() - text.trim_start_matches(trim).len();
        let trail = text.len() - text.trim_end_matches(trim).len();
        if lead + trail < text.len() {
            let range = from + lead..to - trail;
            let lower = raw.get(range.clone()).unwrap_or("").to_ascii_lowercase();
            out.push(Segment { range, lower });
        }
    };
    // Separators are ASCII, so every cut falls on a character boundary.
    let bytes = raw.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let sep = match bytes[i] {
            b'/' | b'.' | b':' => 1,
            b'_' if bytes.get(i + 1) == Some(&b'_') => {
                bytes[i..].iter().take_while(|&&b| b == b'_').count()
            }
            _ => 0,
        };
        if sep > 0 {
            push(start, i);
            i += sep;
            start = i;
        } else {
            i += 1;
        }
    }
    push(start, bytes.len());
    out
}

fn words(lower: &str) -> Vec<&str> {
    lower.split(|c: char| !c.is_ascii_alphanumeric()).collect()
}

/// Whether the name itself speaks of fairness.
fn fair_context(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    let words = words(&lower);
    let any = |list: &[&str]| words.iter().any(|w| list.contains(w));
    lower.starts_with("fairness") || any(FAIR_WORDS) || (any(&["bias"]) && !any(WEIGHT_WORDS))
}

/// Whether an unmatched name reads as fairness evidence, to be shown as a candidate.
pub(crate) fn looks_fair(raw: &str) -> bool {
    let lower = raw.to_ascii_lowercase();
    fair_context(raw)
        || lower.contains("selection_rate")
        || words(&lower).iter().any(|w| FAIR_ABBREVIATIONS.contains(w))
}

/// A metric found in one segment, with what the segment itself says of feature and group.
struct SegMatch {
    info: MetricInfo,
    alias: String,
    /// Byte ranges in the raw name.
    feature: Option<Range<usize>>,
    group: Option<Range<usize>>,
    /// Exact strong match 4, affix strong 3, exact weak 2, affix weak 1.
    score: u8,
}

fn strip_prefixes(lower: &str) -> usize {
    let mut skip = 0;
    while let Some(p) = PREFIXES
        .iter()
        .find(|p| lower[skip..].starts_with(**p) && lower.len() > skip + p.len())
    {
        skip += p.len();
    }
    skip
}

fn match_segment(seg: &Segment, ctx: &NameContext) -> Option<SegMatch> {
    let skip = strip_prefixes(&seg.lower);
    let s = &seg.lower[skip..];
    let base = seg.range.start + skip;
    let at = |r: Range<usize>| base + r.start..base + r.end;
    if let Some(info) = catalog::lookup(s) {
        let score = if info.weak { 2 } else { 4 };
        return Some(SegMatch {
            info,
            alias: s.to_string(),
            feature: None,
            group: None,
            score,
        });
    }
    for marker in ["_group_min", "_group_max"] {
        if let Some(p) = s.find(marker) {
            let end = p + marker.len();
            let rest = &s[end..];
            if let (Some(info), Some(feature)) =
                (catalog::extreme(&s[..end]), rest.strip_prefix('_'))
                && !feature.is_empty()
            {
                let feature = Some(at(end + 1..s.len()));
                return Some(SegMatch {
                    info,
                    alias: s[..end].to_string(),
                    feature,
                    group: None,
                    score: 4,
                });
            }
        }
    }
    // `<metric>_<feature>` or `<feature>_<metric>`; the longest alias wins.
    let mut best: Option<SegMatch> = None;
    for alias in catalog::aliases() {
        let name = alias.name;
        if best.as_ref().is_some_and(|b| b.alias.len() >= name.len()) {
            continue;
        }
        let tail = s
            .strip_prefix(name)
            .and_then(|r| r.strip_prefix('_'))
            .filter(|r| !r.is_empty());
        let head = s
            .strip_suffix(name)
            .and_then(|h| h.strip_suffix('_'))
            .filter(|h| !h.is_empty());
        if tail.is_none() && head.is_none() {
            continue;
        }
        let Some(info) = catalog::info(alias) else {
            continue;
        };
        let per_group = info.kind == Kind::GroupValue;
        // Only rates that fairness tooling alone computes may carry a group suffix; others
        // (`accuracy_top5`, `precision_macro`) are ordinary metrics.
        if per_group && !matches!(alias.canonical, "selection_rate" | "base_rate") {
            continue;
        }
        let (feature, group) = match (tail, head) {
            (Some(rest), _) if per_group => split_feature_group(rest, name.len() + 1..s.len(), ctx),
            (Some(_), _) => (Some(name.len() + 1..s.len()), None),
            (None, Some(head)) if !per_group => (Some(0..head.len()), None),
            _ => continue,
        };
        // Short aliases only count next to a known sensitive feature (`dpd_sex`, not `di_loss`).
        let named_feature = feature
            .as_ref()
            .is_some_and(|f| ctx.is_sensitive(&s[f.clone()]));
        if alias.weak && !named_feature {
            continue;
        }
        best = Some(SegMatch {
            info,
            alias: name.to_string(),
            feature: feature.map(at),
            group: group.map(at),
            score: if alias.weak { 1 } else { 3 },
        });
    }
    best
}

/// `selection_rate_<rest>`: `rest` is a group, or `<feature>_<group>` when it starts with a
/// sensitive feature, or a feature alone (and then no group).
type Split = (Option<Range<usize>>, Option<Range<usize>>);
fn split_feature_group(rest: &str, at: Range<usize>, ctx: &NameContext) -> Split {
    if ctx.is_sensitive(rest) {
        return (Some(at), None);
    }
    for (i, _) in rest.match_indices('_') {
        if ctx.is_sensitive(&rest[..i]) && i + 1 < rest.len() {
            return (Some(at.start..at.start + i), Some(at.start + i + 1..at.end));
        }
    }
    (None, Some(at))
}

/// Classifies one metric name.
pub(crate) fn classify(raw: &str, ctx: &NameContext) -> Outcome {
    if raw.len() > MAX_NAME_LEN {
        return Outcome::Ignore;
    }
    let segs = segments(raw);
    // A logged threshold or verdict is configuration, not a measurement.
    if segs
        .iter()
        .any(|s| matches!(s.lower.as_str(), "threshold" | "thresholds" | "passed"))
    {
        return Outcome::Ignore;
    }
    let fallback = if looks_fair(raw) {
        Outcome::Candidate
    } else {
        Outcome::Ignore
    };
    let tool_hint = segs.iter().find_map(|s| match s.lower.as_str() {
        "fairlearn" => Some(FairnessTool::Fairlearn),
        "aif360" => Some(FairnessTool::Aif360),
        _ => None,
    });
    let first = segs
        .iter()
        .position(|s| !NAMESPACES.contains(&s.lower.as_str()));
    let Some(first) = first else { return fallback };

    // Aggregates first (best score, rightmost); per-group values only when none is found.
    let mut found: Option<(usize, SegMatch)> = None;
    for (j, seg) in segs.iter().enumerate().skip(first) {
        if let Some(m) = match_segment(seg, ctx)
            && m.info.kind != Kind::GroupValue
            && found.as_ref().is_none_or(|(_, f)| m.score >= f.score)
        {
            found = Some((j, m));
        }
    }
    if found.is_none() {
        for (j, seg) in segs.iter().enumerate().skip(first).rev() {
            if let Some(m) = match_segment(seg, ctx)
                && m.info.kind == Kind::GroupValue
            {
                found = Some((j, m));
                break;
            }
        }
    }
    let Some((j, m)) = found else { return fallback };

    let text = |r: &Range<usize>| raw.get(r.clone()).unwrap_or("").to_string();
    let context: Vec<&Segment> = segs[first..j]
        .iter()
        .filter(|s| !NAMESPACES.contains(&s.lower.as_str()))
        .collect();
    let after = &segs[j + 1..];
    let after_text = match (after.first(), after.last()) {
        (Some(a), Some(b)) => raw.get(a.range.start..b.range.end).map(str::to_string),
        _ => None,
    };
    let mut feature = m.feature.as_ref().map(text);
    let mut group = m.group.as_ref().map(text);

    if m.info.kind == Kind::GroupValue {
        if group.is_none() {
            if after_text.is_some() {
                group = after_text;
            } else if let [.., f, g] = context.as_slice() {
                feature = feature.or_else(|| raw.get(f.range.clone()).map(str::to_string));
                group = raw.get(g.range.clone()).map(str::to_string);
            } else {
                return fallback;
            }
        }
        if feature.is_none() {
            feature = context
                .last()
                .and_then(|s| raw.get(s.range.clone()))
                .map(str::to_string);
        }
    } else if let Some(text) = after_text {
        // `fairness/dpd/sex`; anything more after an aggregate cannot be placed.
        if feature.is_some() || !context.is_empty() || after.len() > 1 {
            return Outcome::Candidate;
        }
        feature = Some(text);
    } else if feature.is_none() {
        feature = context
            .last()
            .and_then(|s| raw.get(s.range.clone()))
            .map(str::to_string);
    }

    let sensitive = feature
        .as_deref()
        .is_some_and(|f| ctx.is_sensitive(&f.to_ascii_lowercase()));
    let context = fair_context(raw) || tool_hint.is_some() || sensitive;
    let trusted = if m.info.kind == Kind::GroupValue {
        // Rates only fairness tooling computes per group need no further context.
        context || matches!(m.info.canonical.as_str(), "selection_rate" | "base_rate")
    } else {
        !m.info.weak || context || ctx.fairness_run
    };
    if !trusted {
        return if m.info.kind == Kind::GroupValue {
            fallback
        } else {
            Outcome::Candidate
        };
    }
    Outcome::Metric(Parsed {
        info: m.info,
        alias: m.alias,
        feature,
        group,
        tool_hint,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_all_separators_and_keeps_offsets() {
        let segs = segments("Fairness/Sex.dpd:x__Y___z");
        let lower: Vec<&str> = segs.iter().map(|s| s.lower.as_str()).collect();
        assert_eq!(lower, ["fairness", "sex", "dpd", "x", "y", "z"]);
        assert_eq!(segs[1].range, 9..12);
    }

    #[test]
    fn every_alias_resolves() {
        for alias in catalog::aliases() {
            assert!(catalog::info(alias).is_some(), "{}", alias.name);
        }
        for name in catalog::canonical_names() {
            assert!(catalog::canonical(name).is_some(), "{name}");
        }
    }
}

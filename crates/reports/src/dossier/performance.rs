//! Sections 3 and 4: how the system performs, overall and for specific groups, the risks its
//! fairness figures point to, and the metrics on record; also the run metrics and fairness
//! figures point 2(g) shows.

use std::collections::{BTreeMap, BTreeSet};

use assay_evidence::{Run, display};

use super::Part;
use super::blocks::{
    BIAS_COLUMNS, Evidence, NO_EVIDENCE, Selected, bias_row, nothing, provider_part, table, text,
};

/// Metrics shown per run at most.
const MAX_METRICS: usize = 15;

/// Names of the run metrics that are fairness figures, so they are shown once, as such.
pub(super) fn fairness_names(p: &Selected<'_>) -> BTreeSet<(String, String)> {
    p.bias
        .iter()
        .map(|b| (b.run.clone(), b.raw_name.clone()))
        .collect()
}

/// The performance metrics of a run (fairness figures left out), as rows.
pub(super) fn run_metrics(
    p: &Selected<'_>,
    r: &Run,
    fairness: &BTreeSet<(String, String)>,
) -> Vec<Vec<String>> {
    r.metrics
        .iter()
        .filter(|(name, _)| !fairness.contains(&(r.external_id.clone(), (*name).clone())))
        .take(MAX_METRICS)
        .map(|(name, value)| {
            vec![
                p.run_label(&r.external_id),
                name.clone(),
                display::value_text(*value),
            ]
        })
        .collect()
}

/// Section 3: functioning, accuracy per group, risks, oversight, input data.
pub(super) fn functioning(evidence: &Evidence<'_>) -> Vec<Part> {
    let mut capability = Vec::new();
    let mut risks = Vec::new();
    for p in &evidence.projects {
        let fairness = fairness_names(p);
        let overall: Vec<Vec<String>> = p
            .models
            .iter()
            .filter(|m| m.is_production())
            .filter_map(|m| {
                let run = p
                    .runs
                    .iter()
                    .find(|r| Some(r.external_id.as_str()) == m.source_run.as_deref())?;
                let name = format!("{} v{}", m.registry_name, m.version.trim_start_matches('v'));
                Some(
                    run_metrics(p, run, &fairness)
                        .into_iter()
                        .map(move |mut row| {
                            row[0] = format!("{name}, run {}", row[0]);
                            row
                        }),
                )
            })
            .flatten()
            .collect();
        if !overall.is_empty() {
            capability.push(text("Overall figures of the model versions in production, from the runs that produced them:"));
            capability.push(table(
                &[("Model version and run", 40), ("Metric", 40), ("Value", 20)],
                overall,
            ));
        }
        let groups: Vec<Vec<String>> = p
            .bias
            .iter()
            .filter(|b| b.group.is_some())
            .map(|b| bias_row(p, b))
            .collect();
        if groups.is_empty() {
            capability.push(nothing(format!(
                "{} holds no figure for a specific group.",
                p.name
            )));
        } else {
            capability.push(text("Figures for specific groups of persons:"));
            capability.push(table(&BIAS_COLUMNS, groups));
        }
        let failing: Vec<Vec<String>> = p
            .bias
            .iter()
            .filter(|b| b.passed == Some(false))
            .map(|b| bias_row(p, b))
            .collect();
        if !failing.is_empty() {
            risks.push(text("Fairness figures that fail their threshold: each points to a foreseeable source of discriminatory outcomes."));
            risks.push(table(&BIAS_COLUMNS, failing));
        }
    }
    if evidence.is_empty() {
        capability.push(nothing(NO_EVIDENCE));
    }
    let sources = evidence.sources("Figures per group and model versions from the");
    vec![
        Part {
            point: "3(a)".into(),
            title: "Capabilities and limits of performance".into(),
            sources: sources.clone(),
            filled: capability,
            provider: vec![
                "State the accuracy to expect overall for the intended purpose, and for each \
                 specific person or group of persons the system is meant to be used on."
                    .into(),
            ],
        },
        Part {
            point: "3(b)".into(),
            title: "Foreseeable unintended outcomes and sources of risk".into(),
            sources: if risks.is_empty() {
                Vec::new()
            } else {
                sources
            },
            filled: risks,
            provider: vec![
                "Describe the unintended outcomes and the sources of risk to health, safety \
                 and fundamental rights, and of discrimination, that can be foreseen from the \
                 intended purpose."
                    .into(),
                "Go through each stage at which bias can enter: how the data came about, how it \
                 was sampled and measured, how the model was defined, trained and evaluated, and \
                 how it is used once deployed."
                    .into(),
            ],
        },
        provider_part(
            "3(c)",
            "Human oversight",
            &[
                "Describe the human oversight measures (Article 14), including the technical \
               measures that help deployers interpret the outputs.",
            ],
        ),
        provider_part(
            "3(d)",
            "Input data specifications",
            &[
                "Specify the input data the system expects (the data it was trained and \
               evaluated on is listed under 2(d)).",
            ],
        ),
    ]
}

/// Section 4: the metrics on record, for the provider to justify.
pub(super) fn metrics(evidence: &Evidence<'_>) -> Vec<Part> {
    // Metric name -> (kind, threshold, runs that logged it).
    let mut on_record: BTreeMap<String, (&str, String, BTreeSet<String>)> = BTreeMap::new();
    for p in &evidence.projects {
        let fairness = fairness_names(p);
        for r in &p.runs {
            for name in r.metrics.keys() {
                if !fairness.contains(&(r.external_id.clone(), name.clone())) {
                    on_record
                        .entry(name.clone())
                        .or_insert(("performance", "none recorded".into(), BTreeSet::new()))
                        .2
                        .insert(r.external_id.clone());
                }
            }
        }
        for b in &p.bias {
            on_record
                .entry(display::metric_label(&b.metric))
                .or_insert((
                    "fairness",
                    display::threshold_text(b.threshold.as_ref()),
                    BTreeSet::new(),
                ))
                .2
                .insert(b.run.clone());
        }
    }
    let filled = if on_record.is_empty() {
        vec![nothing(if evidence.is_empty() {
            NO_EVIDENCE
        } else {
            "The runs Assay holds logged no metric."
        })]
    } else {
        vec![
            text("The metrics the tracker holds for the system, for the provider to justify:"),
            table(
                &[
                    ("Metric", 30),
                    ("Kind", 14),
                    ("Threshold", 20),
                    ("Logged by runs", 36),
                ],
                on_record
                    .into_iter()
                    .map(|(name, (kind, threshold, runs))| {
                        vec![
                            name,
                            kind.to_owned(),
                            threshold,
                            runs.into_iter().collect::<Vec<_>>().join(", "),
                        ]
                    })
                    .collect(),
            ),
        ]
    };
    vec![Part {
        point: "4".into(),
        title: "Metrics on record".into(),
        sources: evidence.sources("Metric names and fairness thresholds from the"),
        filled,
        provider: vec![
            "Explain why each performance metric suits the system and its intended purpose, and \
             why each threshold is set where it is."
                .into(),
        ],
    }]
}

//! Sections 1 to 4: the system, how it was built and tested, how it performs, and its
//! metrics, filled from the tracker evidence where Assay holds it.

use std::collections::BTreeSet;

use assay_evidence::{EdgeKind, ModelVersion, Run, display};

use super::blocks::{
    BIAS_COLUMNS, Evidence, NO_EVIDENCE, Selected, bias_row, nothing, provider_part, table, text,
};
use super::build::DossierFacts;
use super::performance::{fairness_names, run_metrics};
use super::{Block, Fact, Part};

/// Parameters, tags or metrics shown per run at most.
const MAX_PER_RUN: usize = 15;

/// Section 1: general description.
pub(super) fn general(facts: &DossierFacts<'_>, evidence: &Evidence<'_>) -> Vec<Part> {
    let mut versions: Vec<Block> = vec![Block::Facts {
        rows: vec![
            Fact::new("AI system, as assessed", facts.assessment.scope.clone()),
            Fact::provider("Intended purpose"),
            Fact::provider("Provider: name and address"),
            Fact::provider("Version this documentation describes"),
        ],
    }];
    let mut code: Vec<Block> = Vec::new();
    for p in &evidence.projects {
        let rows: Vec<Vec<String>> = p
            .models
            .iter()
            .map(|m| {
                vec![
                    format!("{} v{}", m.registry_name, m.version.trim_start_matches('v')),
                    standing(m),
                    m.source_run
                        .as_deref()
                        .map_or_else(|| "not recorded".to_owned(), |r| p.run_label(r)),
                    m.external_id.clone(),
                ]
            })
            .collect();
        if rows.is_empty() {
            versions.push(nothing(format!(
                "{} holds no registered model version.",
                p.name
            )));
        } else {
            versions.push(text(format!("Registered model versions in {}:", p.name)));
            versions.push(table(
                &[
                    ("Model version", 24),
                    ("Standing", 24),
                    ("Produced by run", 28),
                    ("Registry id", 24),
                ],
                rows,
            ));
            versions.extend(p.models_left_out().map(text));
        }
        let rows: Vec<Vec<String>> = p
            .runs
            .iter()
            .filter(|r| r.code_repo.is_some() || r.code_commit.is_some())
            .map(|r| {
                vec![
                    p.run_label(&r.external_id),
                    r.code_repo.clone().unwrap_or_else(|| "not recorded".into()),
                    r.code_commit
                        .clone()
                        .unwrap_or_else(|| "not recorded".into()),
                ]
            })
            .collect();
        if !rows.is_empty() {
            code.push(text(format!(
                "Code the runs of {} were built from:",
                p.name
            )));
            code.push(table(
                &[("Run", 30), ("Code repository", 45), ("Commit", 25)],
                rows,
            ));
        }
    }
    if evidence.is_empty() {
        versions.push(nothing(NO_EVIDENCE));
    }
    vec![
        Part {
            point: "1(a)".into(),
            title: "Intended purpose, provider and versions".into(),
            filled: versions,
            sources: [format!("Scope of assessment {}", facts.assessment.id)]
                .into_iter()
                .chain(evidence.sources("Model versions from the registry of the"))
                .collect(),
            provider: vec![
                "State the intended purpose: what the system is for, the persons or groups of \
                 persons it is meant to be used on, and the setting it is used in."
                    .into(),
                "Name the provider and give their address.".into(),
                "Say which version of the system this documentation describes and how it \
                 relates to earlier versions (the registered versions above are what the \
                 tracker holds)."
                    .into(),
            ],
        },
        provider_part(
            "1(b)",
            "Interaction with other hardware, software and AI systems",
            &[
                "Describe how the system interacts, or can be used to interact, with hardware, \
               software and other AI systems that are not part of it.",
            ],
        ),
        Part {
            point: "1(c)".into(),
            title: "Versions of the software it relies on, and updates".into(),
            sources: if code.is_empty() {
                Vec::new()
            } else {
                evidence.sources("Code repositories and commits from the run records of the")
            },
            filled: code,
            provider: vec![
                "List the versions of the software and firmware the system relies on, and any \
                 requirement on how they are updated."
                    .into(),
            ],
        },
        provider_part(
            "1(d)",
            "Forms in which it is placed on the market or put into service",
            &[
                "Describe each form in which the system is supplied: for example a software \
               package, a download, an API, or embedded in hardware.",
            ],
        ),
        provider_part(
            "1(e)",
            "Hardware it is meant to run on",
            &["Describe the hardware the system is intended to run on."],
        ),
        provider_part(
            "1(f)",
            "Products it is a component of",
            &[
                "Where the system is part of a product, add photographs or illustrations of the \
               product's external features, markings and internal layout (or say it is not).",
            ],
        ),
        provider_part(
            "1(g)",
            "User interface for the deployer",
            &["Describe the user interface the deployer is given."],
        ),
        provider_part(
            "1(h)",
            "Instructions for use",
            &[
                "Attach the instructions for use given to the deployer, with installation \
               instructions where there are any.",
            ],
        ),
    ]
}

/// How a model version stands in the registry: "in production (stage Production; alias
/// champion)", "stage Archived", "registered".
fn standing(model: &ModelVersion) -> String {
    let mut marks = Vec::new();
    if let Some(stage) = &model.stage {
        marks.push(format!("stage {stage}"));
    }
    if !model.aliases.is_empty() {
        marks.push(format!("aliases {}", model.aliases.join(", ")));
    }
    match (model.is_production(), marks.is_empty()) {
        (true, _) => format!("in production ({})", marks.join("; ")),
        (false, true) => "registered".to_owned(),
        (false, false) => marks.join("; "),
    }
}

/// Section 2: elements and development.
pub(super) fn development(facts: &DossierFacts<'_>, evidence: &Evidence<'_>) -> Vec<Part> {
    let mut steps = Vec::new();
    let mut design = Vec::new();
    let mut data = Vec::new();
    let mut testing = Vec::new();
    let mut failing = 0;
    for p in &evidence.projects {
        steps.push(text(format!("Runs recorded by {}:", p.name)));
        steps.push(table(
            &[
                ("Run", 30),
                ("Status", 12),
                ("Ran", 30),
                ("Code commit", 28),
            ],
            p.runs.iter().map(|r| run_row(p, r)).collect(),
        ));
        steps.extend(p.runs_left_out().map(text));
        let lineage: Vec<Vec<String>> = p
            .edges
            .iter()
            .map(|e| {
                vec![
                    display::entity_label(p.snapshot, &e.from),
                    display::edge_label(e),
                    display::entity_label(p.snapshot, &e.to),
                ]
            })
            .collect();
        if lineage.is_empty() {
            steps.push(nothing(
                "The tracker recorded no lineage between these runs, datasets and model versions.",
            ));
        } else {
            steps.push(text(
                "Lineage the tracker recorded (dataset, run, model version):",
            ));
            steps.push(table(
                &[("From", 38), ("Relation", 24), ("To", 38)],
                lineage,
            ));
        }
        let rows: Vec<Vec<String>> = p
            .runs
            .iter()
            .filter(|r| !r.params.is_empty() || !r.tags.is_empty())
            .map(|r| {
                vec![
                    p.run_label(&r.external_id),
                    pairs(r.params.iter().map(|(k, v)| (k, v.clone()))),
                    pairs(r.tags.iter().map(|(k, v)| (k, v.clone()))),
                ]
            })
            .collect();
        if !rows.is_empty() {
            design.push(text(format!(
                "Parameters and tags of the runs of {}:",
                p.name
            )));
            design.push(table(
                &[("Run", 28), ("Parameters", 40), ("Tags", 32)],
                rows,
            ));
        }
        data.push(datasets(p));
        data.extend(p.datasets_left_out().map(text));
        testing.extend(validation(p));
        failing += p.bias.iter().filter(|b| b.passed == Some(false)).count();
    }
    if evidence.is_empty() {
        steps.push(nothing(super::blocks::NO_EVIDENCE));
        data.push(nothing(super::blocks::NO_EVIDENCE));
    }
    testing.extend(super::lifecycle::signoff_blocks(facts));
    let mut test_items = vec![
        "Describe the validation and testing procedures, and the data they used with its main \
         characteristics."
            .to_owned(),
        "Explain the metrics used for accuracy, robustness and potentially discriminatory \
         impacts."
            .to_owned(),
        "Attach the test logs and every test report, each dated and signed by the persons \
         responsible, including for changes planned in advance (the sign-offs above approve \
         Assay's assessment report, not the system's tests)."
            .to_owned(),
    ];
    if failing > 0 {
        test_items.push(format!(
            "Say what was done about the {failing} fairness figure{} above that fail{} the \
             threshold.",
            if failing == 1 { "" } else { "s" },
            if failing == 1 { "s" } else { "" },
        ));
    }
    vec![
        Part {
            point: "2(a)".into(),
            title: "Methods and steps of development".into(),
            sources: evidence.sources("Runs, run ids and lineage from the"),
            filled: steps,
            provider: vec![
                "Describe the methods and steps of development, including any pre-trained \
                 systems or third-party tools and how they were used, integrated or changed."
                    .into(),
            ],
        },
        Part {
            point: "2(b)".into(),
            title: "Design specifications".into(),
            sources: if design.is_empty() {
                Vec::new()
            } else {
                evidence.sources("Parameters and tags from the run records of the")
            },
            filled: design,
            provider: vec![
                "Describe the general logic and the algorithms; the key design choices with \
                 their rationale and assumptions, including about the persons or groups the \
                 system is meant for; the main classification choices; what the system is \
                 designed to optimise and how much each parameter weighs; the expected output \
                 and its quality; and the trade-offs made to meet the requirements for \
                 high-risk systems."
                    .into(),
            ],
        },
        provider_part(
            "2(c)",
            "System architecture and computing resources",
            &[
                "Describe the architecture: how the software components build on or feed into \
               each other and make up the whole system; and the computing resources used to \
               develop, train, test and validate it.",
            ],
        ),
        Part {
            point: "2(d)".into(),
            title: "Data requirements and datasheets".into(),
            sources: evidence.sources("Datasets, their versions, digests and sources from the"),
            filled: data,
            provider: vec![
                "Describe the training methods and techniques and the datasets used.".into(),
                "For each dataset, give its provenance, scope and main characteristics, and how \
                 it was obtained and selected."
                    .into(),
                "Describe the labelling procedures (for supervised learning) and the data \
                 cleaning methods, including outlier detection."
                    .into(),
            ],
        },
        provider_part(
            "2(e)",
            "Human oversight measures",
            &[
                "Assess the human oversight measures the system needs (Article 14), including \
               the technical measures that help deployers interpret its outputs.",
            ],
        ),
        provider_part(
            "2(f)",
            "Changes planned in advance",
            &[
                "Describe the changes to the system and its performance that were planned in \
               advance, and the technical solutions that keep it compliant as it changes (or \
               say there are none).",
            ],
        ),
        Part {
            point: "2(g)".into(),
            title: "Validation and testing".into(),
            sources: evidence
                .sources("Evaluation lineage, run metrics and fairness figures from the")
                .into_iter()
                .chain(super::lifecycle::signoff_sources(facts))
                .collect(),
            filled: testing,
            provider: test_items,
        },
        provider_part(
            "2(h)",
            "Cybersecurity measures",
            &["Describe the cybersecurity measures put in place."],
        ),
    ]
}

fn run_row(p: &Selected<'_>, r: &Run) -> Vec<String> {
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or_else(
            || "?".to_owned(),
            |t| t.format("%Y-%m-%d %H:%M").to_string(),
        )
    };
    let ran = match (r.started_at, r.ended_at) {
        (None, None) => "not recorded".to_owned(),
        (start, end) => format!("{} to {} UTC", when(start), when(end)),
    };
    vec![
        p.run_label(&r.external_id),
        r.status.clone(),
        ran,
        r.code_commit
            .clone()
            .unwrap_or_else(|| "not recorded".into()),
    ]
}

/// "k = v" lines, at most [`MAX_PER_RUN`], then how many more.
fn pairs<'k>(items: impl ExactSizeIterator<Item = (&'k String, String)>) -> String {
    let total = items.len();
    let mut lines: Vec<String> = items
        .take(MAX_PER_RUN)
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    if total > MAX_PER_RUN {
        lines.push(format!("and {} more", total - MAX_PER_RUN));
    }
    lines.join("\n")
}

fn datasets(p: &Selected<'_>) -> Block {
    if p.datasets.is_empty() {
        return nothing(format!("{} holds no dataset.", p.name));
    }
    let rows = p
        .datasets
        .iter()
        .map(|d| {
            // How the runs used it, as the lineage says, else as the tracker first saw it.
            let mut uses: BTreeSet<String> = p
                .edges_of(EdgeKind::UsedBy)
                .filter(|e| e.from.external_id == d.external_id)
                .map(|e| {
                    let how = e.context.as_deref().unwrap_or("used");
                    format!("{how} by {}", p.run_label(&e.to.external_id))
                })
                .collect();
            uses.extend(
                p.edges_of(EdgeKind::EvaluatedOn)
                    .filter(|e| e.to.external_id == d.external_id)
                    .map(|e| {
                        format!(
                            "evaluation of {}",
                            display::entity_name(p.snapshot, &e.from)
                        )
                    }),
            );
            if uses.is_empty() {
                uses.extend(d.context.clone());
            }
            let version = match (&d.version, &d.digest) {
                (Some(v), Some(digest)) => format!("{v}\ndigest {digest}"),
                (Some(v), None) => v.clone(),
                (None, Some(digest)) => format!("digest {digest}"),
                (None, None) => "not recorded".to_owned(),
            };
            let source = match (&d.source, &d.source_type) {
                (Some(s), Some(t)) => format!("{s} ({t})"),
                (Some(s), None) => s.clone(),
                (None, _) => "not recorded".to_owned(),
            };
            vec![
                format!("{}\n{}", d.name, d.external_id),
                version,
                source,
                uses.into_iter().collect::<Vec<_>>().join("\n"),
            ]
        })
        .collect();
    table(
        &[
            ("Dataset and id", 24),
            ("Version", 20),
            ("Where it lives", 28),
            ("How it was used", 28),
        ],
        rows,
    )
}

fn validation(p: &Selected<'_>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let evaluated: Vec<Vec<String>> = p
        .edges_of(EdgeKind::EvaluatedOn)
        .map(|e| {
            vec![
                display::entity_name(p.snapshot, &e.from),
                display::entity_name(p.snapshot, &e.to),
            ]
        })
        .collect();
    if !evaluated.is_empty() {
        blocks.push(text(format!("Evaluation data recorded by {}:", p.name)));
        blocks.push(table(
            &[("Model version", 50), ("Evaluated on", 50)],
            evaluated,
        ));
    }
    let fairness = fairness_names(p);
    let metrics: Vec<Vec<String>> = p
        .runs
        .iter()
        .flat_map(|r| run_metrics(p, r, &fairness))
        .collect();
    if metrics.is_empty() {
        blocks.push(nothing(format!("The runs of {} logged no metric.", p.name)));
    } else {
        blocks.push(text(format!("Metrics logged by the runs of {}:", p.name)));
        blocks.push(table(
            &[("Run", 40), ("Metric", 40), ("Value", 20)],
            metrics,
        ));
    }
    if p.bias.is_empty() {
        blocks.push(nothing(format!(
            "{} holds no fairness figure: Assay recognises Fairlearn and AIF360 metrics \
             logged by a run or in a report artifact.",
            p.name
        )));
    } else {
        blocks.push(text(
            "Fairness figures, overall and per group, with the threshold each is held to:",
        ));
        blocks.push(table(
            &BIAS_COLUMNS,
            p.bias.iter().map(|b| bias_row(p, b)).collect(),
        ));
    }
    blocks
}

//! Sections 5 to 9: risk management from the register, changes from the history, the audit
//! trail and the import log, the standards applied, the declaration, and post-market
//! monitoring from the assessment's answers. Also the sign-offs and report exports that section
//! 2 shows as dated, signed evidence.

use std::collections::BTreeSet;

use assay_assessment::governance::{GovernanceItem, ItemStatus};

use super::blocks::{
    Evidence, findings_part, nothing, provider_part, section_questions, table, text,
};
use super::build::{DossierFacts, tracker_name};
use super::{Block, Fact, Part};

/// The sign-offs and report exports of the assessment, for point 2(g).
pub(super) fn signoff_blocks(facts: &DossierFacts<'_>) -> Vec<Block> {
    let mut blocks = Vec::new();
    if facts.signoffs.is_empty() {
        blocks.push(nothing("No sign-off of the assessment report is recorded."));
    } else {
        blocks.push(text(
            "Sign-offs of Assay's assessment report. Each approves the report data whose SHA-256 \
             it names; none is a sign-off of the system's own test reports.",
        ));
        blocks.push(table(
            &[
                ("Name and role", 20),
                ("Decision", 13),
                ("Date", 13),
                ("Comment", 16),
                ("Report data SHA-256", 26),
                ("Holds for the data now", 12),
            ],
            facts
                .signoffs
                .iter()
                .map(|s| {
                    vec![
                        format!("{}\n{}", s.name, s.role),
                        s.decision.clone(),
                        s.signed_on.to_string(),
                        s.comment.clone(),
                        s.data_hash.clone(),
                        if s.current {
                            "yes"
                        } else {
                            "no: the data changed since"
                        }
                        .to_owned(),
                    ]
                })
                .collect(),
        ));
    }
    if !facts.exports.is_empty() {
        blocks.push(text(
            "Exports of the assessment report, with the content hash each carries:",
        ));
        blocks.push(table(
            &[
                ("Exported", 16),
                ("Format", 10),
                ("File", 24),
                ("Content SHA-256", 38),
                ("Current", 12),
            ],
            facts
                .exports
                .iter()
                .map(|e| {
                    vec![
                        e.exported_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                        e.format.to_uppercase(),
                        e.file.clone(),
                        e.content_hash.clone(),
                        if e.current { "yes" } else { "no: outdated" }.to_owned(),
                    ]
                })
                .collect(),
        ));
    }
    blocks
}

pub(super) fn signoff_sources(facts: &DossierFacts<'_>) -> Vec<String> {
    if facts.signoffs.is_empty() && facts.exports.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "Sign-offs and report exports of assessment {}, as Assay recorded them",
        facts.assessment.id
    )]
}

fn status_word(item: &GovernanceItem, facts: &DossierFacts<'_>) -> String {
    let word = match item.status {
        ItemStatus::Open => "open",
        ItemStatus::InProgress => "in progress",
        ItemStatus::Done => "done",
        ItemStatus::RiskAccepted => "risk accepted",
    };
    if item.is_overdue(facts.generated_at.date_naive()) {
        format!("{word}, overdue")
    } else {
        word.to_owned()
    }
}

fn item_rows<'i>(
    facts: &DossierFacts<'_>,
    items: impl Iterator<Item = &'i GovernanceItem>,
) -> Vec<Vec<String>> {
    items
        .map(|item| {
            let mut about = Vec::new();
            if !item.links.questions.is_empty() {
                about.push(format!("questions {}", item.links.questions.join(", ")));
            }
            // Clauses of the EU AI Act only: the other frameworks' are for their own documents.
            let clauses: Vec<&str> = item
                .links
                .clauses
                .iter()
                .map(String::as_str)
                .filter(|c| c.starts_with("Art.") || c.starts_with("Annex"))
                .collect();
            if !clauses.is_empty() {
                about.push(format!("EU AI Act {}", clauses.join(", ")));
            }
            let owner = item.owner.clone().unwrap_or_else(|| "no owner".into());
            let due = item
                .due_on
                .map_or_else(|| "no due date".to_owned(), |d| format!("due {d}"));
            let changes = facts.item_changes.get(&item.id).copied().unwrap_or(0);
            vec![
                format!("{}\n{}", item.title, item.id),
                format!(
                    "{}, {} priority\n{owner}, {due}\n{changes} change{} recorded",
                    status_word(item, facts),
                    item.priority.as_str(),
                    if changes == 1 { "" } else { "s" },
                ),
                if about.is_empty() {
                    "-".to_owned()
                } else {
                    about.join("\n")
                },
                item.acceptance.as_ref().map_or_else(
                    || "-".to_owned(),
                    |a| format!("accepted by {}: {}", a.accepted_by, a.reason),
                ),
            ]
        })
        .collect()
}

/// The item column is wide enough for an id on one line.
const ITEM_COLUMNS: [(&str, u8); 4] = [
    ("Item and id", 42),
    ("Status, owner, due", 22),
    ("About", 16),
    ("Risk acceptance", 20),
];

/// Section 5: the register, for the provider's risk management system.
pub(super) fn risk(facts: &DossierFacts<'_>) -> Vec<Part> {
    let filled = if facts.items.is_empty() {
        vec![nothing("The scope's register holds no item.")]
    } else {
        vec![
            text(
                "The register of the scope: gaps and risks raised from assessments, with who \
                 owns them, when they are due and who accepted a risk.",
            ),
            table(&ITEM_COLUMNS, item_rows(facts, facts.items.iter())),
        ]
    };
    vec![Part {
        point: "5".into(),
        title: "The risk management system".into(),
        sources: vec![format!(
            "Assay's register for the scope {} (item ids above); changes counted from the audit \
             trail",
            facts.assessment.scope
        )],
        filled,
        provider: vec![
            "Describe the risk management system (Article 9): who runs it, how risks to health, \
             safety and fundamental rights are identified, estimated, evaluated and treated, and \
             how often it is repeated over the system's life."
                .into(),
            "Say which of the register items above are such risks, and add those the register \
             does not hold (it records gaps in practice that assessments found)."
                .into(),
        ],
    }]
}

/// Section 6: the scope's assessments, model versions, imports and the audit trail.
pub(super) fn changes(facts: &DossierFacts<'_>, evidence: &Evidence<'_>) -> Vec<Part> {
    let bank = facts.bank;
    let level_name = |level: u8| {
        bank.headline
            .levels
            .iter()
            .find(|l| l.level == level)
            .map_or(bank.headline.base_name.as_str(), |l| l.name.as_str())
    };
    let history = table(
        &[
            ("Date", 14),
            ("Assessment and id", 46),
            ("Headline level", 26),
            ("Mean", 14),
        ],
        facts
            .trend
            .iter()
            .map(|t| {
                let this = if t.assessment_id == facts.assessment.id {
                    " (this draft)"
                } else {
                    ""
                };
                vec![
                    t.assessed_on.to_string(),
                    format!("{}{this}\n{}", t.title, t.assessment_id),
                    format!("{} {}", t.headline_level, level_name(t.headline_level)),
                    t.overall_mean
                        .map_or_else(|| "-".to_owned(), |m| format!("{m:.2}")),
                ]
            })
            .collect(),
    );
    let mut parts = vec![Part {
        point: "6".into(),
        title: "Assessments of this scope".into(),
        filled: vec![history],
        sources: vec![format!(
            "Assay's assessments of the scope {}, scored with bank {}@{}",
            facts.assessment.scope, bank.id, bank.version
        )],
        provider: vec![
            "Describe each relevant change made to the system over its life: what changed, \
             when, why, and its effect on performance and compliance."
                .into(),
        ],
    }];

    let mut versions = Vec::new();
    let mut imports = Vec::new();
    for p in &evidence.projects {
        let mut rows: Vec<(Option<chrono::DateTime<chrono::Utc>>, Vec<String>)> = p
            .models
            .iter()
            .map(|m| {
                let run = m
                    .source_run
                    .as_deref()
                    .and_then(|id| p.snapshot.runs.iter().find(|r| r.external_id == id));
                let ended = run.and_then(|r| r.ended_at.or(r.started_at));
                (
                    ended,
                    vec![
                        format!("{} v{}", m.registry_name, m.version.trim_start_matches('v')),
                        m.source_run
                            .as_deref()
                            .map_or_else(|| "not recorded".to_owned(), |r| p.run_label(r)),
                        ended.map_or_else(
                            || "not recorded".to_owned(),
                            |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
                        ),
                    ],
                )
            })
            .collect();
        rows.sort_by_key(|a| a.0);
        if !rows.is_empty() {
            versions.push(text(format!(
                "Model versions of {}, in the order their runs ended:",
                p.name
            )));
            versions.push(table(
                &[
                    ("Model version", 30),
                    ("Produced by run", 40),
                    ("Run ended", 30),
                ],
                rows.into_iter().map(|(_, row)| row).collect(),
            ));
        }
    }
    for project in &facts.projects {
        let source = &project.snapshot.source;
        for i in &project.imports {
            imports.push(vec![
                format!("{} {}", tracker_name(source.tracker), source.project),
                i.finished_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                if i.incremental { "incremental" } else { "full" }.to_owned(),
                format!(
                    "{} datasets, {} runs, {} model versions",
                    i.datasets, i.runs, i.model_versions
                ),
                i.content_hash.clone(),
            ]);
        }
    }
    if !versions.is_empty() {
        parts.push(Part {
            point: "6".into(),
            title: "Model versions on record".into(),
            sources: evidence.sources("Model versions and run times from the"),
            filled: versions,
            provider: Vec::new(),
        });
    }
    if !imports.is_empty() {
        parts.push(Part {
            point: "6".into(),
            title: "Evidence imports".into(),
            filled: vec![table(
                &[
                    ("Project", 16),
                    ("Imported", 17),
                    ("Kind", 11),
                    ("Held after it", 20),
                    ("Evidence SHA-256", 36),
                ],
                imports,
            )],
            sources: vec!["Assay's import log of the linked tracker projects".into()],
            provider: Vec::new(),
        });
    }
    parts.push(trail(facts));
    parts
}

fn trail(facts: &DossierFacts<'_>) -> Part {
    let t = &facts.trail;
    let mut rows = vec![Fact::new(
        "Events about the assessment",
        if t.kinds.is_empty() {
            "none recorded".to_owned()
        } else {
            t.kinds
                .iter()
                .map(|(kind, n)| format!("{n} {}", kind_label(kind)))
                .collect::<Vec<_>>()
                .join(", ")
        },
    )];
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
    };
    if let (Some(first), Some(last)) = (when(t.first), when(t.last)) {
        rows.push(Fact::new("Recorded between", format!("{first} and {last}")));
    }
    if let Some((events, seq, hash)) = &t.head {
        rows.push(Fact::new(
            "End of the trail",
            format!(
                "event {seq}, hash {hash} ({events} events about the assessment and its register)"
            ),
        ));
    }
    rows.push(Fact::new(
        "Assessment state",
        facts
            .finalisation
            .clone()
            .unwrap_or_else(|| "draft, open to changes".to_owned()),
    ));
    Part {
        point: "6".into(),
        title: "Audit trail".into(),
        filled: vec![
            Block::Facts { rows },
            text(
                "Every change to the assessment and its register is an event in Assay's \
                 hash-chained audit trail; the command assay verify checks the chain against \
                 the data.",
            ),
        ],
        sources: vec![format!(
            "Assay's audit trail, events about assessment {}",
            facts.assessment.id
        )],
        provider: Vec::new(),
    }
}

/// An audit event kind in words, plural.
fn kind_label(kind: &str) -> String {
    match kind {
        "answer" => "answer changes".to_owned(),
        "vote" => "votes".to_owned(),
        "signoff" => "sign-offs".to_owned(),
        "final" => "finalisations or reopenings".to_owned(),
        "soa" => "Statement of Applicability decisions".to_owned(),
        "soa_approval" => "Statement of Applicability approvals".to_owned(),
        other => format!("{} events", other.replace('_', " ")),
    }
}

/// Section 7: standards and other specifications.
pub(super) fn standards(facts: &DossierFacts<'_>) -> Vec<Part> {
    let mut filled = Vec::new();
    let mut provider = vec![
        "Where no harmonised standard was applied, describe the solutions adopted to meet the \
         requirements for high-risk systems, and list the other standards and technical \
         specifications applied."
            .to_owned(),
    ];
    match &facts.soa {
        None => filled.push(nothing(format!(
            "The bank {}@{} has no ISO/IEC 42001 catalogue, so Assay holds no Statement of \
             Applicability for this assessment.",
            facts.bank.id, facts.bank.version
        ))),
        Some(soa) => {
            filled.push(Block::Facts {
                rows: vec![
                    Fact::new(
                        "Statement of Applicability",
                        format!("{} (assessment {})", soa.framework, facts.assessment.id),
                    ),
                    Fact::new("Content SHA-256", soa.content_hash.clone()),
                    Fact::new(
                        "Controls",
                        format!(
                            "{} in all: {} included, {} implemented; {} still Assay's proposal",
                            soa.controls, soa.included, soa.implemented, soa.undecided
                        ),
                    ),
                ],
            });
            if soa.approvals.is_empty() {
                filled.push(nothing(
                    "No management approval of the statement is recorded.",
                ));
            } else {
                filled.push(text("Management approvals of the statement:"));
                filled.push(table(
                    &[
                        ("Name and role", 26),
                        ("Decision", 18),
                        ("Date", 13),
                        ("Comment", 27),
                        ("Given for this content", 16),
                    ],
                    soa.approvals
                        .iter()
                        .map(|a| {
                            vec![
                                format!("{}\n{}", a.name, a.role),
                                a.decision.clone(),
                                a.signed_on.to_string(),
                                a.comment.clone(),
                                if a.current {
                                    "yes"
                                } else {
                                    "no: earlier content"
                                }
                                .to_owned(),
                            ]
                        })
                        .collect(),
                ));
            }
            if soa.undecided > 0 {
                provider.push(format!(
                    "Decide the {} controls of the Statement of Applicability that still show \
                     Assay's proposal.",
                    soa.undecided
                ));
            }
            if !soa.approvals.iter().any(|a| a.current) {
                provider.push(
                    "Have management approve the Statement of Applicability as it stands (an \
                     approval holds for the content hash above only)."
                        .into(),
                );
            }
        }
    }
    filled.push(Block::Facts {
        rows: vec![Fact::new(
            "Maturity criteria",
            format!(
                "question bank {}@{} (SHA-256 {}), the criteria the assessment was rated on",
                facts.bank.id, facts.bank.version, facts.bank_digest
            ),
        )],
    });
    vec![
        provider_part(
            "7",
            "Harmonised standards applied",
            &[
                "List the harmonised standards applied, in full or in part, with their \
               references (or say that none were).",
            ],
        ),
        Part {
            point: "7".into(),
            title: "Other standards and specifications".into(),
            sources: vec![format!(
                "Assay's Statement of Applicability and question bank of assessment {}",
                facts.assessment.id
            )],
            filled,
            provider,
        },
    ]
}

/// Section 8: nothing Assay can hold.
pub(super) fn declaration() -> Vec<Part> {
    let mut part = provider_part(
        "8",
        "Copy of the EU declaration of conformity",
        &["Attach a copy of the EU declaration of conformity (Article 47) once it is drawn up."],
    );
    part.filled.push(nothing(
        "Assay does not draw up declarations of conformity.",
    ));
    vec![part]
}

/// Section 9: the monitoring practice the assessment found, and the plan only the provider
/// can write.
pub(super) fn post_market(facts: &DossierFacts<'_>) -> Vec<Part> {
    let mut parts = Vec::new();
    if let Some(mut found) =
        findings_part(facts, 9, "9", "Monitoring practice found by the assessment")
    {
        let questions: BTreeSet<&str> = section_questions(facts.bank, 9)
            .iter()
            .map(|q| q.id.as_str())
            .collect();
        let related: Vec<&GovernanceItem> = facts
            .items
            .iter()
            .filter(|i| {
                i.links
                    .questions
                    .iter()
                    .any(|q| questions.contains(q.as_str()))
            })
            .collect();
        if !related.is_empty() {
            found
                .filled
                .push(text("Register items raised on these practices:"));
            found
                .filled
                .push(table(&ITEM_COLUMNS, item_rows(facts, related.into_iter())));
        }
        parts.push(found);
    }
    parts.push(provider_part(
        "9",
        "Post-market monitoring system and plan",
        &[
            "Describe how the system's performance is evaluated once it is in use: what is \
             collected, from whom, how often, and who acts on it.",
            "Attach the post-market monitoring plan (Article 72).",
            "Describe how serious incidents are found and reported (Article 73).",
        ],
    ));
    parts
}

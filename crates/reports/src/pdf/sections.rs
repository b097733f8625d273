//! The PDF report's sections after the methodology: findings, evidence, governance,
//! crosswalk, sign-off and appendix.

use assay_evidence::display;

use crate::model::{CoverageStatus, Finding, HashedModel, ReportModel};
use crate::palette::{ACCENT, DISSENT_FILL, FAIL, GAP_FILL, WARN};

use super::layout::{Align, Document, Row, Table, TextStyle};
use super::report::{columns, dash, none, row, score, section};

pub(super) fn findings(doc: &mut Document, model: &ReportModel) {
    section(doc, "findings", true);
    for pillar in &model.pillars {
        doc.heading(
            2,
            &format!(
                "{}  (mean {}, weakest area {})",
                pillar.name,
                score(pillar.mean),
                dash(pillar.weakest_area.as_deref())
            ),
        );
        for area in &pillar.areas {
            let target = area
                .target
                .map_or_else(String::new, |t| format!(", target {t}"));
            doc.heading(
                3,
                &format!(
                    "{}  (mean {}, min {}{target})",
                    area.name,
                    score(area.mean),
                    score(area.min)
                ),
            );
            for finding in &area.findings {
                finding_block(doc, finding);
            }
        }
    }
}

fn finding_block(doc: &mut Document, f: &Finding) {
    let mut status = vec![f.consensus.clone()];
    status.extend(f.target.map(|t| format!("target {t}")));
    status.extend(f.gap.map(|g| format!("gap {g}")));
    status.extend(f.confidence.as_ref().map(|c| format!("confidence {c}")));
    if f.dissent {
        status.push("DISSENT: votes spread 2 or more levels".into());
    }
    let mut lines: Vec<(String, String)> = vec![
        ("Question".into(), f.text.clone()),
        ("Consensus".into(), status.join("  |  ")),
    ];
    if let Some(anchor) = &f.anchor {
        lines.push(("In practice".into(), anchor.clone()));
    }
    if let Some(justification) = &f.justification {
        lines.push(("N/A because".into(), justification.clone()));
    }
    if !f.votes.is_empty() {
        lines.push((
            "Votes".into(),
            f.votes
                .iter()
                .map(|v| format!("{} {}", v.participant, v.vote))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    if let Some(note) = &f.note {
        lines.push(("Note".into(), note.clone()));
    }
    for link in &f.evidence {
        let label = link
            .label
            .as_ref()
            .map_or_else(String::new, |l| format!("{l}: "));
        lines.push((
            format!("Evidence ({})", link.kind),
            format!("{label}{}", link.target),
        ));
    }
    lines.push(("Crosswalk".into(), f.crosswalk.join(", ")));
    let color = match (f.gap, f.dissent) {
        (_, true) => WARN,
        (Some(_), false) => FAIL,
        _ => ACCENT,
    };
    // The title, the question and the consensus stay together.
    doc.keep_together(90.0);
    doc.paragraph(
        &format!("{}  {}", f.id, f.title),
        TextStyle::strong().with_color(color),
    );
    if f.dissent {
        doc.table(&Table {
            columns: columns(&[("", 0.18, Align::Left), ("", 0.82, Align::Left)]),
            rows: lines
                .into_iter()
                .map(|(k, v)| Row {
                    cells: vec![k, v],
                    fill: Some(DISSENT_FILL),
                    bold: false,
                })
                .collect(),
            zebra: false,
        });
    } else {
        doc.key_values(&lines);
    }
    doc.spacer(2.5);
}

pub(super) fn evidence_sections(doc: &mut Document, model: &ReportModel) {
    section(doc, "lineage", !model.lineage.is_empty());
    if !model.evidence_sources.is_empty() {
        doc.paragraph(
            "Imported from the experiment trackers below; each hash fingerprints the evidence as it \
             stood after the latest import.",
            TextStyle::body(),
        );
        let rows = model
            .evidence_sources
            .iter()
            .map(|s| {
                row(vec![
                    format!("{} {}\n{}", s.tracker, s.project, s.instance),
                    format!(
                        "{} ({} imports)",
                        s.imported_at.format("%Y-%m-%d %H:%M UTC"),
                        s.imports
                    ),
                    format!(
                        "{} runs, {} datasets, {} model versions, {} bias metrics",
                        s.runs, s.datasets, s.model_versions, s.bias_metrics
                    ),
                    s.content_hash.clone(),
                ])
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Source", 0.28, Align::Left),
                ("Imported", 0.18, Align::Left),
                ("Held", 0.24, Align::Left),
                ("Evidence SHA-256", 0.30, Align::Left),
            ]),
            rows,
            zebra: false,
        });
    }
    if model.lineage.is_empty() {
        none(
            doc,
            "None recorded: no lineage has been imported from an experiment tracker for this assessment.",
        );
    } else {
        let rows = model
            .lineage
            .iter()
            .map(|l| row(vec![l.from.clone(), l.relation.clone(), l.to.clone()]))
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("From", 0.4, Align::Left),
                ("Relation", 0.2, Align::Left),
                ("To", 0.4, Align::Left),
            ]),
            rows,
            zebra: true,
        });
    }
    if !model.indicators.is_empty() {
        doc.heading(3, "What the evidence suggests");
        doc.paragraph(
            "Suggested levels are a starting point for the assessors, drawn from the tracker \
             data; they never set an answer.",
            TextStyle::body(),
        );
        let rows = model
            .indicators
            .iter()
            .map(|i| {
                row(vec![
                    i.title.clone(),
                    i.basis.clone(),
                    i.questions.clone(),
                    i.suggested_level.map_or("-".into(), |l| l.to_string()),
                ])
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Indicator", 0.28, Align::Left),
                ("Basis", 0.38, Align::Left),
                ("Questions", 0.16, Align::Left),
                ("Suggested level", 0.18, Align::Right),
            ]),
            rows,
            zebra: true,
        });
    }
    section(doc, "bias", !model.bias.is_empty());
    if model.bias.is_empty() {
        none(
            doc,
            "None recorded: no fairness metrics have been imported for this assessment.",
        );
    } else {
        let rows = model
            .bias
            .iter()
            .map(|b| Row {
                cells: vec![
                    b.metric.clone(),
                    b.feature.clone(),
                    b.run.clone(),
                    display::value_text(b.value),
                    b.threshold.clone(),
                    display::verdict_text(Some(b.passed)).into(),
                ],
                fill: (!b.passed).then_some(GAP_FILL),
                bold: !b.passed,
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Metric", 0.26, Align::Left),
                ("Sensitive feature", 0.17, Align::Left),
                ("Run", 0.17, Align::Left),
                ("Value", 0.1, Align::Right),
                ("Threshold", 0.18, Align::Left),
                ("Result", 0.12, Align::Left),
            ]),
            rows,
            zebra: true,
        });
    }
}

pub(super) fn governance(doc: &mut Document, model: &ReportModel) {
    section(doc, "register", !model.register.is_empty());
    if model.register.is_empty() {
        none(
            doc,
            "None recorded: the governance register holds no items for this scope.",
        );
    } else {
        let rows = model
            .register
            .iter()
            .map(|r| {
                let due = format!(
                    "{}{}",
                    dash(r.due),
                    if r.overdue { " (overdue)" } else { "" }
                );
                let title = match &r.acceptance {
                    Some(acceptance) => format!("{}\n{acceptance}", r.title),
                    None => r.title.clone(),
                };
                let owner = if r.owner.is_empty() {
                    "-".to_owned()
                } else {
                    r.owner.clone()
                };
                Row {
                    cells: vec![title, owner, r.priority.clone(), r.status.clone(), due],
                    fill: r.overdue.then_some(GAP_FILL),
                    bold: false,
                }
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Item", 0.44, Align::Left),
                ("Owner", 0.16, Align::Left),
                ("Priority", 0.11, Align::Left),
                ("Status", 0.12, Align::Left),
                ("Due", 0.17, Align::Left),
            ]),
            rows,
            zebra: true,
        });
    }
    section(
        doc,
        "changes",
        model.changes.is_some() || model.trend.len() > 1,
    );
    if let Some(trend) = crate::figures::trend(model) {
        doc.chart(&trend, 160.0);
        doc.paragraph(
            "Pillar means across the scope's assessments.",
            TextStyle::muted(),
        );
    }
    let Some(changes) = &model.changes else {
        none(
            doc,
            "None recorded: this is the first assessment of this scope.",
        );
        return;
    };
    doc.paragraph(&changes.summary(), TextStyle::body());
    if !changes.answers.is_empty() {
        let rows = changes
            .answers
            .iter()
            .map(|c| {
                row(vec![
                    format!("{} {}", c.question, c.title),
                    c.before.clone(),
                    c.after.clone(),
                ])
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Question", 0.6, Align::Left),
                ("Before", 0.2, Align::Center),
                ("After", 0.2, Align::Center),
            ]),
            rows,
            zebra: true,
        });
    }
}

pub(super) fn crosswalk(doc: &mut Document, model: &ReportModel) {
    section(doc, "crosswalk", true);
    doc.paragraph(&model.method.crosswalk_rule, TextStyle::body());
    for framework in &model.crosswalk {
        doc.heading(2, &format!("{} ({})", framework.name, framework.reference));
        doc.paragraph(
            &format!(
                "{} covered, {} partial, {} gap; {} clauses of the catalogue are not addressed by this question bank.",
                framework.covered, framework.partial, framework.gap, framework.unmapped
            ),
            TextStyle::muted(),
        );
        let rows = framework
            .clauses
            .iter()
            .map(|clause| {
                let questions = clause
                    .questions
                    .iter()
                    .map(|q| format!("{} {}", q.id, q.result))
                    .collect::<Vec<_>>()
                    .join("; ");
                let (label, fill) = match clause.status {
                    CoverageStatus::Covered => ("Covered", None),
                    CoverageStatus::Partial => ("Partial", Some(DISSENT_FILL)),
                    CoverageStatus::Gap => ("Gap", Some(GAP_FILL)),
                    CoverageStatus::NotApplicable => ("Not applicable", None),
                };
                Row {
                    cells: vec![
                        format!("{} {}", clause.id, clause.title),
                        questions,
                        clause.evidence_links.to_string(),
                        label.into(),
                    ],
                    fill,
                    bold: false,
                }
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Clause", 0.33, Align::Left),
                ("Questions (level / target)", 0.41, Align::Left),
                ("Links", 0.1, Align::Right),
                ("Status", 0.16, Align::Left),
            ]),
            rows,
            zebra: true,
        });
    }
}

pub(super) fn signoff(doc: &mut Document, model: &ReportModel) {
    section(doc, "signoff", !model.signoffs.is_empty());
    if model.signoffs.is_empty() {
        none(
            doc,
            "None recorded: no one has signed off this report version.",
        );
        return;
    }
    let rows = model
        .signoffs
        .iter()
        .map(|s| {
            let stale = if s.stale {
                " (stale: the data changed after signing)"
            } else {
                ""
            };
            let decision = format!("{}{stale}\ndata SHA-256 {}", s.decision, s.data_hash);
            row(vec![
                s.name.clone(),
                s.role.clone(),
                decision,
                s.date.to_string(),
                s.comment.clone(),
            ])
        })
        .collect();
    doc.table(&Table {
        columns: columns(&[
            ("Name", 0.18, Align::Left),
            ("Role", 0.17, Align::Left),
            ("Decision", 0.2, Align::Left),
            ("Date", 0.13, Align::Left),
            ("Comment", 0.32, Align::Left),
        ]),
        rows,
        zebra: true,
    });
}

pub(super) fn appendix(doc: &mut Document, hashed: &HashedModel) {
    let model = &hashed.model;
    section(doc, "appendix", true);
    doc.heading(2, "Raw answers");
    let rows = model
        .pillars
        .iter()
        .flat_map(|p| &p.areas)
        .flat_map(|a| &a.findings)
        .map(|f| {
            let votes = f
                .votes
                .iter()
                .map(|v| format!("{} {}", v.participant, v.vote))
                .collect::<Vec<_>>()
                .join(", ");
            row(vec![
                f.id.clone(),
                f.short.clone(),
                votes,
                dash(f.confidence.as_deref()),
            ])
        })
        .collect();
    doc.table(&Table {
        columns: columns(&[
            ("Question", 0.12, Align::Left),
            ("Consensus", 0.15, Align::Center),
            ("Votes", 0.57, Align::Left),
            ("Confidence", 0.16, Align::Left),
        ]),
        rows,
        zebra: true,
    });
    doc.heading(2, "Evidence provenance");
    if model.evidence.is_empty() {
        none(doc, "No evidence links recorded.");
    } else {
        let rows = model
            .evidence
            .iter()
            .map(|e| {
                row(vec![
                    e.question.clone(),
                    e.kind.clone(),
                    format!(
                        "{}{}",
                        e.label
                            .as_ref()
                            .map_or_else(String::new, |l| format!("{l}: ")),
                        e.target
                    ),
                ])
            })
            .collect();
        doc.table(&Table {
            columns: columns(&[
                ("Question", 0.14, Align::Left),
                ("Kind", 0.12, Align::Left),
                ("Reference", 0.74, Align::Left),
            ]),
            rows,
            zebra: true,
        });
    }
    doc.heading(2, "Content hash");
    doc.paragraph(
        &format!(
            "The SHA-256 of this report's data (canonical JSON, embedded in the file) is {}. `assay verify FILE` recomputes it and checks that the file still matches its data.",
            hashed.content_hash
        ),
        TextStyle::body(),
    );
    let missing = doc.missing_glyphs().clone();
    if !missing.is_empty() {
        doc.heading(2, "Characters not shown");
        let list = missing
            .iter()
            .map(|c| format!("U+{:04X}", u32::from(*c)))
            .collect::<Vec<_>>()
            .join(", ");
        doc.paragraph(
            &format!(
                "The embedded font has no glyph for these characters, which appear as a replacement mark in this PDF: {list}. The HTML report shows them."
            ),
            TextStyle::body().with_color(WARN),
        );
    }
}

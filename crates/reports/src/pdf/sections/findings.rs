//! Findings by area: a block for each question that needs attention (a gap with its target,
//! why it matters, the action and a recommendation; dissent; N/A; unanswered; carried over),
//! and one table per area for the questions at their target.

use crate::model::{Finding, Reading, ReportModel, recommendation};
use crate::palette::{ACCENT, DISSENT_FILL, FAIL, WARN};
use crate::pdf::layout::{Align, Document, Row, Table, TextStyle};

use super::common::{columns, dash, score, section};

pub(in crate::pdf) fn findings(doc: &mut Document, model: &ReportModel) {
    let reading = Reading::of(model);
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
            for finding in area.findings.iter().filter(|f| !f.is_routine()) {
                finding_block(doc, finding, &reading);
            }
            let routine: Vec<&Finding> = area.findings.iter().filter(|f| f.is_routine()).collect();
            if !routine.is_empty() {
                routine_table(doc, &routine);
            }
        }
    }
}

/// The questions at their target, agreed and reviewed: one row each.
fn routine_table(doc: &mut Document, findings: &[&Finding]) {
    doc.keep_together(40.0);
    doc.paragraph("At target", TextStyle::strong().with_color(ACCENT));
    let rows = findings
        .iter()
        .map(|f| Row {
            cells: vec![
                format!("{}  {}", f.id, f.title),
                f.short.clone(),
                dash(f.target),
                f.evidence.len().to_string(),
                f.note.clone().unwrap_or_default(),
            ],
            fill: None,
            bold: false,
        })
        .collect();
    doc.table(&Table {
        columns: columns(&[
            ("Question", 0.38, Align::Left),
            ("Level", 0.09, Align::Right),
            ("Target", 0.1, Align::Right),
            ("Evidence", 0.13, Align::Right),
            ("Note", 0.3, Align::Left),
        ]),
        rows,
        zebra: true,
    });
    doc.spacer(2.5);
}

fn finding_block(doc: &mut Document, f: &Finding, reading: &Reading) {
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
    if let (Some(anchor), Some(level)) = (&f.anchor, f.level) {
        lines.push((format!("Level {level} is defined as"), anchor.clone()));
    }
    if let (Some(required), Some(target)) = (&f.target_anchor, f.target) {
        lines.push((format!("Target {target} requires"), required.clone()));
    }
    if let Some(level) = f.blocks_level {
        lines.push((
            "Holds back".into(),
            format!("headline level {level}: this question must reach level 3"),
        ));
    }
    if let Some(why) = &f.why {
        lines.push(("Why it matters".into(), why.clone()));
    }
    if f.gap.is_some() {
        let actions = reading.actions.get(&f.id).cloned().unwrap_or_default();
        let text = if actions.is_empty() {
            "None in the governance register yet.".to_owned()
        } else {
            actions.join("; ")
        };
        lines.push(("Action".into(), text));
    }
    if let Some(advice) = recommendation(f) {
        lines.push(("Recommendation".into(), advice));
    }
    if let Some(carried) = &f.carried {
        lines.push(("Carried over".into(), carried.clone()));
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
    // A gap outranks dissent: it is the finding, the dissent a caveat on it.
    let color = match (f.gap, f.dissent) {
        (Some(_), _) => FAIL,
        (None, true) => WARN,
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

//! Findings by area: each question's consensus, votes, notes, evidence and crosswalk.

use crate::model::{Finding, ReportModel};
use crate::palette::{ACCENT, DISSENT_FILL, FAIL, WARN};
use crate::pdf::layout::{Align, Document, Row, Table, TextStyle};

use super::super::common::{columns, dash, score, section};

pub(in crate::pdf) fn findings(doc: &mut Document, model: &ReportModel) {
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
                    link: None,
                })
                .collect(),
            zebra: false,
        });
    } else {
        doc.key_values(&lines);
    }
    doc.spacer(2.5);
}

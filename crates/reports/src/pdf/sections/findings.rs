//! Findings by area: a block for each question that needs attention (a gap with its target,
//! why it matters, the action and a recommendation; dissent; N/A; unanswered; carried over),
//! and one table per area for the questions at their target.

use crate::model::{AreaSection, Finding, Reading, ReportModel, recommendation};
use crate::palette::{ACCENT, DISSENT_FILL, FAIL, WARN};
use crate::pdf::layout::{Align, Document, Row, Table, TextStyle};

use super::common::{columns, dash, score, section};

pub(in crate::pdf) fn findings(doc: &mut Document, model: &ReportModel, reading: &Reading) {
    section(doc, "findings", true);
    for pillar in &model.pillars {
        // The pillar's heading goes with its first area's heading and first block.
        if let Some(area) = pillar.areas.first() {
            let first = first_block_height(doc, area, reading);
            doc.keep_together(keep_height(
                PILLAR_HEADING_HEIGHT + AREA_HEADING_HEIGHT,
                first,
            ));
        }
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
            let blocks: Vec<&Finding> = area.findings.iter().filter(|f| !f.is_routine()).collect();
            let routine: Vec<&Finding> = area.findings.iter().filter(|f| f.is_routine()).collect();
            // The area's heading goes with its first block or table.
            let first = first_block_height(doc, area, reading);
            doc.keep_together(keep_height(AREA_HEADING_HEIGHT, first));
            doc.heading(
                3,
                &format!(
                    "{}  (mean {}, min {}{target})",
                    area.name,
                    score(area.mean),
                    score(area.min)
                ),
            );
            for finding in blocks {
                finding_block(doc, finding, reading);
            }
            if !routine.is_empty() {
                routine_table(doc, &routine);
            }
        }
    }
}

/// About how tall a pillar heading is, with the space above it.
const PILLAR_HEADING_HEIGHT: f32 = 32.0;
/// About how tall an area heading is, with the space above it.
const AREA_HEADING_HEIGHT: f32 = 26.0;
/// About how tall a finding's title line is.
const TITLE_HEIGHT: f32 = 9.0 * 1.4 + 6.0;

/// About how tall the table of `rows` questions at target is (most rows take two lines).
fn routine_height(rows: usize) -> f32 {
    TITLE_HEIGHT + 20.0 + rows as f32 * 24.0
}

/// What to keep together: the headings above a block and the block, unless that is more than
/// a page (then the block is split anyway, and the headings start the page).
fn keep_height(headings: f32, block: f32) -> f32 {
    let whole = headings + block;
    if whole <= Document::page_text_height() {
        whole
    } else {
        headings + 90.0
    }
}

/// The height of an area's first block or table.
fn first_block_height(doc: &mut Document, area: &AreaSection, reading: &Reading) -> f32 {
    match area.findings.iter().find(|f| !f.is_routine()) {
        Some(f) => block_height(doc, &finding_lines(f, reading)),
        None => routine_height(area.findings.len()),
    }
}

/// How tall a finding block of `lines` is.
fn block_height(doc: &mut Document, lines: &[(String, String)]) -> f32 {
    TITLE_HEIGHT + doc.key_values_height(lines)
}

/// The questions at their target, agreed and reviewed: one row each.
fn routine_table(doc: &mut Document, findings: &[&Finding]) {
    doc.keep_together(keep_height(0.0, routine_height(findings.len())));
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
            link: None,
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

/// A finding's rows: label and text.
fn finding_lines(f: &Finding, reading: &Reading) -> Vec<(String, String)> {
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
    if let Some(review) = &f.note_review {
        lines.push(("Note to review".into(), review.clone()));
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
    lines
}

fn finding_block(doc: &mut Document, f: &Finding, reading: &Reading) {
    let lines = finding_lines(f, reading);
    // Evidence rows, in the order `finding_lines` lists them, link to their web address.
    let mut hrefs = f.evidence.iter().map(|link| link.href.clone());
    let links: Vec<Option<String>> = lines
        .iter()
        .map(|(key, _)| {
            key.starts_with("Evidence (")
                .then(|| hrefs.next().flatten())
                .flatten()
        })
        .collect();
    // A gap outranks dissent: it is the finding, the dissent a caveat on it.
    let color = match (f.gap, f.dissent) {
        (Some(_), _) => FAIL,
        (None, true) => WARN,
        _ => ACCENT,
    };
    // A finding stays on one page unless it is longer than a page; then at least its title,
    // question and consensus stay together.
    let height = block_height(doc, &lines);
    doc.keep_together(if height <= Document::page_text_height() {
        height
    } else {
        90.0
    });
    doc.paragraph(
        &format!("{}  {}", f.id, f.title),
        TextStyle::strong().with_color(color),
    );
    // Model version 3 draws a gap with dissent like every other gap: the amber box is for
    // dissent alone (version 2 reports keep theirs).
    let amber_box = f.dissent && !(f.gap.is_some() && reading.framing.is_some());
    if amber_box {
        doc.table(&Table {
            columns: columns(&[("", 0.18, Align::Left), ("", 0.82, Align::Left)]),
            rows: lines
                .into_iter()
                .zip(links)
                .map(|((k, v), link)| Row {
                    cells: vec![k, v],
                    fill: Some(DISSENT_FILL),
                    bold: false,
                    link,
                })
                .collect(),
            zebra: false,
        });
    } else {
        doc.key_values_linked(&lines, &links);
    }
    doc.spacer(2.5);
}

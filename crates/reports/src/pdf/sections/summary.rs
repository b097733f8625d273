//! The executive summary: approval state, key messages, headline level, overall scores,
//! charts, area scores, every gap by priority with its action and (version 4) the roadmap.

use crate::figures::figures;
use crate::model::{GapRow, ReportModel, RoadmapSection, StaleRow};
use crate::palette::{FAIL, GAP_FILL, PASS, WARN};
use crate::pdf::layout::{Align, Document, Table, TextStyle};

use super::common::{columns, dash, none, row, score, section};
use crate::model::Reading;

pub(in crate::pdf) fn summary(doc: &mut Document, model: &ReportModel, reading: &Reading) {
    let s = &model.summary;
    section(doc, "summary", true);
    let approval_color = match reading.approval.state {
        "approved" => PASS,
        "draft" | "final" => WARN,
        _ => FAIL,
    };
    doc.paragraph(
        &format!("{}. {}", reading.approval.label, reading.approval.detail),
        TextStyle::strong().with_color(approval_color),
    );
    doc.spacer(2.0);
    let headline = if reading.not_assessed {
        "Not assessed".to_owned()
    } else {
        format!("Level {}: {}", s.headline_level, s.headline_name)
    };
    doc.paragraph(&headline, TextStyle::title().with_size(16.0));
    let scale = match &s.headline_scale {
        Some(scale) => format!("Headline on {scale}."),
        None => "Headline on Google's MLOps scale: 0 manual process, 1 ML pipeline automation, 2 CI/CD pipeline automation.".to_owned(),
    };
    doc.paragraph(&scale, TextStyle::muted());
    for check in &s.headline_checks {
        let text = if check.met {
            format!(
                "Level {} ({}): reached; {} are at level 3 or above.",
                check.level,
                check.name,
                check.requires.join(", ")
            )
        } else if check.blockers.is_empty() {
            format!(
                "Level {} ({}): not reached; every named question is N/A.",
                check.level, check.name
            )
        } else {
            format!(
                "Level {} ({}): not reached; blocked by {}.",
                check.level,
                check.name,
                check.blockers.join(", ")
            )
        };
        doc.paragraph(
            &text,
            TextStyle::body().with_color(if check.met { PASS } else { FAIL }),
        );
    }
    doc.paragraph(&reading.bridge, TextStyle::body());
    doc.heading(2, "Key messages");
    for message in &reading.key_messages {
        doc.paragraph(&format!("- {message}"), TextStyle::body());
    }
    doc.spacer(2.0);
    doc.paragraph(
        &format!(
            "Overall score {} (mean of area scores); weakest area {} at {}. {} of {} questions answered, {} not applicable, {} unanswered; dissent on {}.",
            score(s.overall_mean),
            dash(s.weakest_area.as_deref()),
            score(s.overall_min),
            s.answered,
            s.questions,
            s.not_applicable,
            s.unanswered,
            s.dissent
        ),
        TextStyle::body(),
    );
    let charts = figures(model);
    doc.chart(&charts.radar, 150.0);
    doc.paragraph(
        "Area scores (filled) against targets (dashed).",
        TextStyle::muted(),
    );
    doc.chart(&charts.pillars, 160.0);
    doc.paragraph(
        "Pillar means, with the weakest area (tick) and the target (dashed).",
        TextStyle::muted(),
    );

    doc.heading(2, "Area scores");
    let mut rows = Vec::new();
    for pillar in &model.pillars {
        for area in &pillar.areas {
            let mut r = row(vec![
                pillar.name.clone(),
                area.name.clone(),
                score(area.mean),
                score(area.min),
                dash(area.target),
                area.answered.to_string(),
            ]);
            r.fill = area.below_target.then_some(GAP_FILL);
            rows.push(r);
        }
    }
    doc.table(&Table {
        columns: columns(&[
            ("Pillar", 0.15, Align::Left),
            ("Area", 0.43, Align::Left),
            ("Mean", 0.1, Align::Right),
            ("Min", 0.1, Align::Right),
            ("Target", 0.1, Align::Right),
            ("Answered", 0.12, Align::Right),
        ]),
        rows,
        zebra: true,
    });
    doc.heading(2, "Gaps by priority");
    if model.gaps.is_empty() {
        none(doc, &reading.gap_line);
    } else {
        doc.paragraph(
            &format!(
                "{} Those that hold the headline back come first, then the larger gaps.",
                reading.gap_line
            ),
            TextStyle::body(),
        );
        gap_table(doc, &model.gaps, reading);
    }
    if let Some(roadmap) = &model.roadmap {
        roadmap_table(doc, roadmap);
    }
    if !model.stale_evidence.is_empty() {
        stale_table(doc, &model.stale_evidence);
    }
}

/// Model version 4: evidence no longer current on the report's data date.
fn stale_table(doc: &mut Document, stale: &[StaleRow]) {
    doc.heading(2, "Evidence no longer current");
    doc.paragraph(
        "On the date of this report's data, this evidence was past its re-attestation period or \
         rested on a model version superseded in production; attest it again or replace it.",
        TextStyle::body(),
    );
    let rows = stale
        .iter()
        .map(|s| {
            let mut r = row(vec![
                s.on.clone(),
                s.evidence.clone(),
                s.as_of.map_or_else(|| "-".to_owned(), |d| d.to_string()),
                s.stale_since.to_string(),
                s.reason.clone(),
            ]);
            r.fill = Some(GAP_FILL);
            r
        })
        .collect();
    doc.table(&Table {
        columns: columns(&[
            ("On", 0.18, Align::Left),
            ("Evidence", 0.26, Align::Left),
            ("Dated", 0.12, Align::Left),
            ("Stale since", 0.12, Align::Left),
            ("Why", 0.32, Align::Left),
        ]),
        rows,
        zebra: false,
    });
}

/// Model version 4: the roadmap to the next level.
fn roadmap_table(doc: &mut Document, roadmap: &RoadmapSection) {
    doc.heading(2, "Roadmap to the next level");
    doc.paragraph(
        &format!(
            "{} Then every other gap, the longer climb first, then the smaller effort (the \
             team's estimate, or a guess from the climb).",
            roadmap.next
        ),
        TextStyle::body(),
    );
    if roadmap.steps.is_empty() {
        none(
            doc,
            "Nothing to raise: no gate is open and every answered question is at its target.",
        );
        return;
    }
    let rows = (1..)
        .zip(&roadmap.steps)
        .map(|(n, s): (usize, _)| {
            let mut r = row(vec![
                n.to_string(),
                format!("{} {}", s.question, s.title),
                s.now.clone(),
                s.goal.to_string(),
                format!("+{}", s.climb),
                s.gates.map_or_else(String::new, |l| format!("level {l}")),
                s.effort.clone(),
            ]);
            r.fill = s.blocks_next.then_some(GAP_FILL);
            r
        })
        .collect();
    doc.table(&Table {
        columns: columns(&[
            ("#", 0.05, Align::Right),
            ("Question", 0.41, Align::Left),
            ("Now", 0.1, Align::Right),
            ("Goal", 0.07, Align::Right),
            ("Climb", 0.09, Align::Right),
            ("Gates", 0.1, Align::Left),
            ("Effort", 0.18, Align::Left),
        ]),
        rows,
        zebra: true,
    });
}

fn gap_table(doc: &mut Document, gaps: &[GapRow], reading: &Reading) {
    let rows = gaps
        .iter()
        .map(|g| {
            let actions = reading.actions.get(&g.question).map_or(0, Vec::len);
            let mut r = row(vec![
                format!("{} {}", g.question, g.title),
                g.area.clone(),
                format!("{} / {}", g.level, g.target),
                g.blocks_level
                    .map_or_else(String::new, |l| format!("level {l}")),
                if actions == 0 {
                    "none yet".to_owned()
                } else {
                    actions.to_string()
                },
            ]);
            r.fill = g.blocks_level.map(|_| GAP_FILL);
            r
        })
        .collect();
    doc.table(&Table {
        columns: columns(&[
            ("Question", 0.42, Align::Left),
            ("Area", 0.22, Align::Left),
            ("Level / target", 0.12, Align::Right),
            ("Holds back", 0.12, Align::Left),
            ("Actions", 0.12, Align::Right),
        ]),
        rows,
        zebra: true,
    });
}

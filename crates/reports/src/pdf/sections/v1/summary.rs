//! The executive summary: headline level, overall scores, charts, area scores and top gaps.

use crate::figures::figures;
use crate::model::{GapRow, ReportModel};
use crate::palette::{FAIL, GAP_FILL, PASS};
use crate::pdf::layout::{Align, Document, Table, TextStyle};

use super::super::common::{columns, dash, none, row, score, section};

pub(in crate::pdf) fn summary(doc: &mut Document, model: &ReportModel) {
    let s = &model.summary;
    section(doc, "summary", true);
    doc.paragraph(
        &format!("Level {}: {}", s.headline_level, s.headline_name),
        TextStyle::title().with_size(16.0),
    );
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
    doc.heading(2, "Top gaps");
    if s.top_gaps.is_empty() {
        none(doc, "No answered question is below its target.");
    } else {
        gap_table(doc, &s.top_gaps);
    }
}

fn gap_table(doc: &mut Document, gaps: &[GapRow]) {
    let rows = gaps
        .iter()
        .map(|g| {
            row(vec![
                format!("{} {}", g.question, g.title),
                g.area.clone(),
                g.level.to_string(),
                g.target.to_string(),
                g.size.to_string(),
            ])
        })
        .collect();
    doc.table(&Table {
        columns: columns(&[
            ("Question", 0.42, Align::Left),
            ("Area", 0.28, Align::Left),
            ("Level", 0.1, Align::Right),
            ("Target", 0.1, Align::Right),
            ("Gap", 0.1, Align::Right),
        ]),
        rows,
        zebra: true,
    });
}

//! The framework crosswalk: each clause's questions, evidence links and coverage, with a
//! legend and the statement of what the crosswalk is not.

use crate::model::{CROSSWALK_DISCLAIMER, CoverageStatus, ReportModel};
use crate::palette::{DISSENT_FILL, GAP_FILL};
use crate::pdf::layout::{Align, Document, Row, Table, TextStyle};

use super::common::{columns, section};

/// The fill that marks a status in the table and its legend.
fn fill(status: CoverageStatus) -> Option<crate::palette::Rgb> {
    match status {
        CoverageStatus::Gap => Some(GAP_FILL),
        CoverageStatus::Partial | CoverageStatus::SelfAssessed | CoverageStatus::MetInPart => {
            Some(DISSENT_FILL)
        }
        _ => None,
    }
}

pub(in crate::pdf) fn crosswalk(doc: &mut Document, model: &ReportModel) {
    section(doc, "crosswalk", true);
    doc.paragraph(CROSSWALK_DISCLAIMER, TextStyle::strong());
    doc.paragraph(&model.method.crosswalk_rule, TextStyle::body());
    doc.table(&Table {
        columns: columns(&[
            ("Status", 0.22, Align::Left),
            ("Meaning", 0.78, Align::Left),
        ]),
        rows: CoverageStatus::legend(model)
            .into_iter()
            .map(|(status, meaning)| Row {
                cells: vec![status.label().to_owned(), meaning.to_owned()],
                fill: fill(status),
                bold: false,
                link: None,
            })
            .collect(),
        zebra: false,
    });
    for framework in &model.crosswalk {
        doc.heading(2, &format!("{} ({})", framework.name, framework.reference));
        let mut counts = format!(
            "{} met and evidenced, {} met on self-assessment only, {} partly met, {} not met, {} not assessed; {} clauses of the catalogue are not addressed by this question bank.",
            framework.covered,
            framework.self_assessed.unwrap_or(0),
            framework.partial,
            framework.gap,
            framework.not_assessed.unwrap_or(0),
            framework.unmapped
        );
        if let (Some(part), Some(met)) = (framework.partly_mapped, framework.met_in_part) {
            counts.push_str(&format!(
                " The questions check only part of {part} of the clauses listed; met where checked: {met}."
            ));
        }
        doc.paragraph(&counts, TextStyle::muted());
        let rows = framework
            .clauses
            .iter()
            .map(|clause| {
                let questions = clause
                    .questions
                    .iter()
                    .map(|q| match &q.relationship {
                        Some(relationship) => format!("{} {} ({relationship})", q.id, q.result),
                        None => format!("{} {}", q.id, q.result),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let (label, fill) = (clause.status.label(), fill(clause.status));
                Row {
                    cells: vec![
                        format!("{} {}", clause.id, clause.title),
                        questions,
                        clause.evidence_links.to_string(),
                        label.into(),
                    ],
                    fill,
                    bold: false,
                    link: None,
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
        if let Some(unmapped) = framework
            .unmapped_clauses
            .as_ref()
            .filter(|c| !c.is_empty())
        {
            let list = unmapped
                .iter()
                .map(|c| format!("{} {}", c.id, c.title))
                .collect::<Vec<_>>()
                .join("; ");
            doc.paragraph(
                &format!(
                    "Not addressed by any question of this bank: {list}. The assessment says nothing about these clauses."
                ),
                TextStyle::body(),
            );
        }
    }
}

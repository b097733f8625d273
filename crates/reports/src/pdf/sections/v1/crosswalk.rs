//! The framework crosswalk: each clause's questions, evidence links and coverage.

use crate::model::{CoverageStatus, ReportModel};
use crate::palette::{DISSENT_FILL, GAP_FILL};
use crate::pdf::layout::{Align, Document, Row, Table, TextStyle};

use super::super::common::{columns, section};

pub(in crate::pdf) fn crosswalk(doc: &mut Document, model: &ReportModel) {
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
                    // Version 1 models never hold these.
                    CoverageStatus::SelfAssessed
                    | CoverageStatus::NotAssessed
                    | CoverageStatus::MetInPart => (clause.status.label(), None),
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
    }
}

//! Governance: the scope's register, and the changes since the previous assessment.

use crate::model::ReportModel;
use crate::palette::GAP_FILL;
use crate::pdf::layout::{Align, Document, Row, Table, TextStyle};

use super::common::{columns, dash, none, row, section};

pub(in crate::pdf) fn governance(doc: &mut Document, model: &ReportModel) {
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
                // Version 1 models hold no description or evidence, so this is their layout too.
                let title = r.details();
                let owner = if r.owner.is_empty() {
                    "-".to_owned()
                } else {
                    r.owner.clone()
                };
                Row {
                    cells: vec![title, owner, r.priority.clone(), r.status.clone(), due],
                    fill: r.overdue.then_some(GAP_FILL),
                    bold: false,
                    link: None,
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

//! Sign-off: who approved which data, and whether the data changed since.

use crate::model::ReportModel;
use crate::pdf::layout::{Align, Document, Table};

use super::common::{columns, none, row, section};

pub(in crate::pdf) fn signoff(doc: &mut Document, model: &ReportModel) {
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
            let stale = match (s.earlier_format, s.stale) {
                (Some(version), _) => format!(
                    " (made on report format {version}, which this version cannot compare: sign \
                     again to approve this report)"
                ),
                (None, true) => " (stale: the data changed after signing)".to_owned(),
                (None, false) => String::new(),
            };
            let mut decision = format!("{}{stale}\ndata SHA-256 {}", s.decision, s.data_hash);
            if let Some(trail) = &s.trail {
                decision.push_str(&format!(
                    "\naudit trail then: {} events, the last #{} SHA-256 {}",
                    trail.events, trail.seq, trail.hash
                ));
            }
            // Version 1 models hold no entry time or actor: their rows are as before.
            let mut date = s.date.to_string();
            if let Some(at) = s.entered_at {
                date.push_str(&format!("\nentered {}", at.format("%Y-%m-%d %H:%M:%S UTC")));
            }
            if let Some(by) = &s.entered_by {
                date.push_str(&format!(" by {by}"));
            }
            row(vec![
                s.name.clone(),
                s.role.clone(),
                decision,
                date,
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

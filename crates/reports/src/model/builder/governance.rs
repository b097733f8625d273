//! The governance parts of the model: the scope's register and the sign-offs.

use assay_assessment::governance::GovernanceItem;

use crate::model::hash::data_hash_as;
use crate::model::schema::{RegisterRow, ReportModel, SignoffRow};

/// Adds the scope's governance register to a model; an item is overdue when it is past due on
/// the report's data date (the latest change to the assessment or to any item), so the report
/// stays a function of the data.
pub fn with_register(mut model: ReportModel, items: &[GovernanceItem]) -> ReportModel {
    let latest = items.iter().map(|i| i.updated_at).max();
    if let Some(latest) = latest.filter(|l| *l > model.document.updated_at) {
        model.document.updated_at = latest;
    }
    let as_of = model.document.updated_at.date_naive();
    model.register = items
        .iter()
        .map(|item| RegisterRow {
            id: item.id.clone(),
            title: item.title.clone(),
            owner: item.owner.clone().unwrap_or_default(),
            priority: item.priority.as_str().to_owned(),
            status: item.status.as_str().replace('_', " "),
            due: item.due_on,
            overdue: item.is_overdue(as_of),
            questions: item.links.questions.clone(),
            acceptance: item
                .acceptance
                .as_ref()
                .map(|a| format!("Accepted by {}: {}", a.accepted_by, a.reason)),
            description: Some(item.description.trim())
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
            evidence: item
                .evidence
                .iter()
                .map(|link| {
                    let what = match &link.label {
                        Some(label) => format!("{label} ({}: {})", link.kind.as_str(), link.target),
                        None => format!("{}: {}", link.kind.as_str(), link.target),
                    };
                    match &link.provenance {
                        Some(p) => format!(
                            "{what}, added by {} on {}{}",
                            p.added_by,
                            p.added_at.format("%Y-%m-%d %H:%M UTC"),
                            p.sha256
                                .as_ref()
                                .map_or_else(String::new, |sha| format!(", file SHA-256 {sha}"))
                        ),
                        None => what,
                    }
                })
                .collect(),
        })
        .collect();
    model
}

/// Adds sign-offs (name, role, decision, date, comment, the data hash they approved), each
/// with the model version it was given on; a sign-off is stale when the model's data, as that
/// version saw it, no longer hashes to what was approved. One given on a version whose data
/// cannot be derived again is marked with that version and counts as stale.
pub fn with_signoffs(mut model: ReportModel, signoffs: Vec<(SignoffRow, u32)>) -> ReportModel {
    let rows = signoffs
        .into_iter()
        .map(|(s, version)| {
            let now = data_hash_as(&model, version);
            SignoffRow {
                stale: now.as_deref() != Some(s.data_hash.as_str()),
                earlier_format: now.is_none().then_some(version),
                // Reports of earlier model versions print no trail with a sign-off.
                trail: s.trail.filter(|_| model.model_version >= 3),
                ..s
            }
        })
        .collect();
    model.signoffs = rows;
    model
}

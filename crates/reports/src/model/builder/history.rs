//! The trend and "changes since the previous assessment" parts of the model.

use assay_assessment::Bank;
use assay_assessment::history::{Diff, TrendPoint};

use crate::model::schema::{ChangeRow, ChangesSection, ReportModel, TrendRow};

/// Adds the scope's trend (the assessments up to this one) and, when there is a previous
/// assessment, what changed since it.
pub fn with_history(
    mut model: ReportModel,
    bank: &Bank,
    trend: &[TrendPoint],
    previous: Option<(&TrendPoint, &Diff)>,
) -> ReportModel {
    model.trend = trend
        .iter()
        .map(|point| TrendRow {
            title: point.title.clone(),
            assessed_on: point.assessed_on,
            headline_level: point.headline_level,
            overall_mean: point.overall_mean,
            pillars: bank
                .pillars
                .iter()
                .map(|pillar| {
                    let means: Vec<f64> = point
                        .areas
                        .iter()
                        .filter(|(area, _)| pillar.areas.iter().any(|a| &a.id == area))
                        .filter_map(|(_, mean)| *mean)
                        .collect();
                    (!means.is_empty()).then(|| means.iter().sum::<f64>() / means.len() as f64)
                })
                .collect(),
        })
        .collect();
    model.changes = previous.map(|(point, diff)| ChangesSection {
        previous_title: point.title.clone(),
        previous_assessed_on: point.assessed_on,
        headline_before: diff.headline.0,
        headline_after: diff.headline.1,
        answers: diff
            .answers
            .iter()
            .map(|change| ChangeRow {
                question: change.question.clone(),
                title: bank
                    .question(&change.question)
                    .map_or_else(String::new, |q| q.title.clone()),
                before: change.before.clone(),
                after: change.after.clone(),
            })
            .collect(),
        dissent_resolved: diff.dissent_resolved.clone(),
        dissent_new: diff.dissent_new.clone(),
        items_opened: diff.items_opened.len(),
        items_closed: diff.items_closed.len(),
        items_overdue: diff.items_overdue.len(),
        votes_cast: Some(diff.votes_cast),
        notes_to_review: Some(diff.notes_to_review.len()),
    });
    if let Some((_, diff)) = previous {
        for review in &diff.notes_to_review {
            let finding = model
                .pillars
                .iter_mut()
                .flat_map(|p| p.areas.iter_mut())
                .flat_map(|a| a.findings.iter_mut())
                .find(|f| f.id == review.question);
            if let Some(finding) = finding {
                finding.note_review = Some(review.message.clone());
            }
        }
    }
    model
}

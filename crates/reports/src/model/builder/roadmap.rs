//! The planning parts of the summary (model version 4): the roadmap the domain rule orders and
//! the evidence no longer current.

use assay_assessment::governance::GovernanceItem;
use assay_assessment::roadmap::Roadmap;
use assay_assessment::staleness::StaleEvidence;

use crate::model::{ReportModel, RoadmapRow, RoadmapSection, StaleRow};

/// Adds the stale evidence (judged on the report's data date) to a version 4 model; `items`
/// name the register items it is on.
pub fn with_stale_evidence(
    mut model: ReportModel,
    stale: &[StaleEvidence],
    items: &[GovernanceItem],
) -> ReportModel {
    model.stale_evidence = stale
        .iter()
        .map(|s| StaleRow {
            on: match (&s.question, &s.item) {
                (Some(q), _) => format!("question {q}"),
                (None, Some(id)) => items.iter().find(|i| i.id == *id).map_or_else(
                    || format!("register item {id}"),
                    |i| format!("register item {}", i.title),
                ),
                (None, None) => String::new(),
            },
            evidence: s.label.clone().unwrap_or_else(|| s.target.clone()),
            as_of: s.as_of,
            stale_since: s.stale_since,
            reason: s.reason.clone(),
        })
        .collect();
    model
}

/// Adds the roadmap to a version 4 model.
pub fn with_roadmap(mut model: ReportModel, map: &Roadmap) -> ReportModel {
    let next = match &map.next {
        None => format!(
            "Level {} ({}) is the bank's top level; what remains are gaps against the targets.",
            map.level, map.level_name
        ),
        Some(next) if next.all_not_applicable => format!(
            "Level {} ({}): every question it names is answered N/A, so nothing shows it is \
             reached; revisit those answers.",
            next.level, next.name
        ),
        Some(next) => format!(
            "Level {} ({}): {} question(s) must reach level {} first; they lead the roadmap.",
            next.level, next.name, next.blockers, next.threshold
        ),
    };
    let steps = map
        .steps
        .iter()
        .map(|s| RoadmapRow {
            question: s.question.clone(),
            title: s.title.clone(),
            now: match (s.level, s.not_applicable) {
                (Some(level), _) => level.to_string(),
                (None, true) => "N/A".to_owned(),
                (None, false) => "unanswered".to_owned(),
            },
            goal: s.goal.value(),
            climb: s.climb,
            gates: s.blocks_level,
            blocks_next: s.blocks_next,
            effort: if s.effort_estimated {
                s.effort.as_str().to_owned()
            } else {
                format!("{} (guess)", s.effort.as_str())
            },
        })
        .collect();
    model.roadmap = Some(RoadmapSection { next, steps });
    model
}

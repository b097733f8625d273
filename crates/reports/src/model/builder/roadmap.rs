//! The roadmap section (model version 4) from the roadmap the domain rule orders.

use assay_assessment::roadmap::Roadmap;

use crate::model::{ReportModel, RoadmapRow, RoadmapSection};

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

//! Framework crosswalk: clause -> questions -> level against target -> coverage status.

use assay_assessment::{Assessment, Bank, Rating};

use crate::model::schema::{ClauseQuestion, ClauseRow, CoverageStatus, FrameworkSection};

/// The coverage of every clause that a question of the bank maps to; see `Method::crosswalk_rule`.
pub(super) fn crosswalk(
    bank: &Bank,
    assessment: &Assessment,
    default_level: u8,
) -> Vec<FrameworkSection> {
    bank.frameworks
        .iter()
        .map(|framework| {
            let mut clauses = Vec::new();
            let mut unmapped = 0;
            for clause in &framework.clauses {
                let mapped: Vec<&assay_assessment::Question> = bank
                    .questions
                    .iter()
                    .filter(|q| {
                        q.crosswalk
                            .get(&framework.id)
                            .is_some_and(|ids| ids.contains(&clause.id))
                    })
                    .collect();
                if mapped.is_empty() {
                    unmapped += 1;
                    continue;
                }
                let (mut meets, mut applicable, mut evidence_links) = (0, 0, 0);
                let questions = mapped
                    .iter()
                    .map(|q| {
                        let answer = assessment.answers.get(&q.id);
                        evidence_links += answer.map_or(0, |a| a.evidence.len());
                        let target = assessment
                            .targets
                            .for_question(q)
                            .map_or(default_level, |t| t.value());
                        let result = match answer.and_then(|a| a.rating.as_ref()) {
                            Some(Rating::Level { level }) => {
                                applicable += 1;
                                if level.value() >= target {
                                    meets += 1;
                                }
                                format!("{level} / target {target}")
                            }
                            Some(Rating::NotApplicable { .. }) => "N/A".to_owned(),
                            None => {
                                applicable += 1;
                                "unanswered".to_owned()
                            }
                        };
                        ClauseQuestion {
                            id: q.id.clone(),
                            result,
                        }
                    })
                    .collect();
                let status = match (applicable, meets) {
                    (0, _) => CoverageStatus::NotApplicable,
                    (a, m) if a == m => CoverageStatus::Covered,
                    (_, 0) => CoverageStatus::Gap,
                    _ => CoverageStatus::Partial,
                };
                clauses.push(ClauseRow {
                    id: clause.id.clone(),
                    title: clause.title.clone(),
                    questions,
                    status,
                    evidence_links,
                });
            }
            let count = |s: CoverageStatus| clauses.iter().filter(|c| c.status == s).count();
            FrameworkSection {
                id: framework.id.clone(),
                name: framework.name.clone(),
                reference: framework.reference.clone(),
                covered: count(CoverageStatus::Covered),
                partial: count(CoverageStatus::Partial),
                gap: count(CoverageStatus::Gap),
                unmapped,
                clauses,
            }
        })
        .collect()
}

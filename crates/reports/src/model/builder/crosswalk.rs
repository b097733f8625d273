//! Framework crosswalk: clause -> questions -> level against target -> coverage status.

use assay_assessment::{Assessment, Bank, ClauseMapping, Confidence, Question, Rating};

use crate::model::crosswalk_schema::{
    ClauseQuestion, ClauseRef, ClauseRow, CoverageStatus, FrameworkSection,
};

/// The coverage of every clause that a question of the bank maps to; see `Method::crosswalk_rule`.
pub(super) fn crosswalk(
    bank: &Bank,
    assessment: &Assessment,
    default_level: u8,
) -> Vec<FrameworkSection> {
    let typed = bank.has_typed_crosswalk();
    bank.frameworks
        .iter()
        .map(|framework| {
            let mut clauses = Vec::new();
            let mut unmapped = Vec::new();
            let mut partly_mapped = 0;
            for clause in &framework.clauses {
                let (mapped, mapping) = bank.clause_mapping(&framework.id, &clause.id);
                if mapping == ClauseMapping::None {
                    unmapped.push(ClauseRef {
                        id: clause.id.clone(),
                        title: clause.title.clone(),
                    });
                    continue;
                }
                let mut tally = Tally::default();
                let questions = mapped
                    .iter()
                    .map(|q| {
                        let relation = q.relation(&framework.id, &clause.id);
                        ClauseQuestion {
                            id: q.id.clone(),
                            result: tally.add(q, assessment, default_level),
                            relationship: relation.map(|r| r.relationship.as_str().to_owned()),
                            rationale: relation.and_then(|r| r.rationale.clone()),
                        }
                    })
                    .collect();
                let mut status = tally.status();
                if mapping == ClauseMapping::Partial {
                    partly_mapped += 1;
                    // The questions check only part of the clause: meeting them is not
                    // meeting the clause.
                    if matches!(
                        status,
                        CoverageStatus::Covered | CoverageStatus::SelfAssessed
                    ) {
                        status = CoverageStatus::MetInPart;
                    }
                }
                let evidence_links = tally.evidence_links;
                clauses.push(ClauseRow {
                    id: clause.id.clone(),
                    title: clause.title.clone(),
                    questions,
                    status,
                    evidence_links,
                    mapping: typed.then(|| mapping.as_str().to_owned()),
                });
            }
            let count = |s: CoverageStatus| clauses.iter().filter(|c| c.status == s).count();
            let self_assessed = count(CoverageStatus::SelfAssessed);
            let not_assessed = count(CoverageStatus::NotAssessed);
            FrameworkSection {
                id: framework.id.clone(),
                name: framework.name.clone(),
                reference: framework.reference.clone(),
                covered: count(CoverageStatus::Covered),
                partial: count(CoverageStatus::Partial),
                gap: count(CoverageStatus::Gap),
                self_assessed: Some(self_assessed),
                not_assessed: Some(not_assessed),
                unmapped: unmapped.len(),
                unmapped_clauses: Some(unmapped),
                partly_mapped: typed.then_some(partly_mapped),
                met_in_part: typed.then(|| count(CoverageStatus::MetInPart)),
                clauses,
            }
        })
        .collect()
}

/// What the questions of one clause add up to.
#[derive(Debug, Default)]
struct Tally {
    applicable: usize,
    answered: usize,
    meets: usize,
    /// Of those that meet: with dissent or low confidence.
    qualified: usize,
    /// Of those that meet: with no evidence linked.
    unevidenced: usize,
    evidence_links: usize,
}

impl Tally {
    /// Counts one question and returns its result in words: "2 / target 3", "3 / target 2,
    /// no evidence, dissent", "N/A", "unanswered".
    fn add(&mut self, question: &Question, assessment: &Assessment, default_level: u8) -> String {
        let answer = assessment.answers.get(&question.id);
        let links = answer.map_or(0, |a| a.evidence.len());
        self.evidence_links += links;
        let target = assessment
            .targets
            .for_question(question)
            .map_or(default_level, |t| t.value());
        match answer.and_then(|a| a.rating.as_ref()) {
            Some(Rating::Level { level }) => {
                self.applicable += 1;
                self.answered += 1;
                let mut result = format!("{level} / target {target}");
                if level.value() >= target {
                    self.meets += 1;
                    let dissent = assessment.vote_summary(&question.id).dissent;
                    let low = answer.and_then(|a| a.confidence) == Some(Confidence::Low);
                    if links == 0 {
                        self.unevidenced += 1;
                        result.push_str(", no evidence");
                    }
                    if dissent {
                        result.push_str(", dissent");
                    }
                    if low {
                        result.push_str(", low confidence");
                    }
                    if dissent || low {
                        self.qualified += 1;
                    }
                }
                result
            }
            Some(Rating::NotApplicable { .. }) => "N/A".to_owned(),
            None => {
                self.applicable += 1;
                "unanswered".to_owned()
            }
        }
    }

    /// The clause's status; see `Method::crosswalk_rule` for the rule in words.
    fn status(&self) -> CoverageStatus {
        if self.applicable == 0 {
            CoverageStatus::NotApplicable
        } else if self.answered == 0 {
            CoverageStatus::NotAssessed
        } else if self.meets == 0 {
            CoverageStatus::Gap
        } else if self.meets < self.applicable || self.qualified > 0 {
            CoverageStatus::Partial
        } else if self.unevidenced > 0 {
            CoverageStatus::SelfAssessed
        } else {
            CoverageStatus::Covered
        }
    }
}

//! Building the report model from the data: the assessment and its bank ([`build`]), then
//! the scope's tracker evidence, governance register, sign-offs and history (the `with_*`
//! steps). No clock and no random ids, so the same data always gives the same model.

use std::collections::BTreeMap;

use assay_assessment::scoring::{self, Scorecard};
use assay_assessment::{Assessment, Bank, EvidenceKind, Rating, VoteValue};

use crate::model::schema::{
    AnswerStatus, AreaSection, DocumentFacts, EvidenceLinkRow, EvidenceRow, ExecutiveSummary,
    Finding, GapRow, HeadlineCheckRow, LevelName, MODEL_VERSION, Method, ParticipantRow,
    PillarSection, ReportModel, VoteRow,
};

mod crosswalk;
mod evidence;
mod governance;
mod history;
mod roadmap;
mod tracked;

pub use evidence::{ProjectInput, with_evidence};
pub use governance::{with_register, with_signoffs};
pub use history::with_history;
pub use roadmap::{with_roadmap, with_stale_evidence};

/// What the method cannot show, printed with it.
const METHOD_LIMITS: &str = "Limits: this is a self-assessment. The levels are the participants' \
    own consensus after discussion; nobody outside the team tested them. Where evidence is \
    linked, the report lists it, but Assay does not check what a link shows. Read each level \
    as the team's claim, backed by the evidence listed with it.";

/// The participants whose role names them facilitator ("Facilitator, ML platform lead").
fn facilitators(assessment: &Assessment) -> Option<String> {
    let names: Vec<&str> = assessment
        .participants
        .iter()
        .filter(|p| p.role.to_lowercase().contains("facilitat"))
        .map(|p| p.name.as_str())
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// How many gaps the executive summary lists.
const TOP_GAPS: usize = 5;
/// Level a crosswalked question must reach to count as covering its clause when it has no target.
const DEFAULT_COVERAGE_LEVEL: u8 = 2;

/// Builds the report model of an assessment taken with `bank`.
/// What reports of banks without a `report_title` are.
pub const LEGACY_KIND: &str = "MLOps maturity assessment";

pub fn build(bank: &Bank, assessment: &Assessment, generator: &str) -> ReportModel {
    let card = scoring::score(bank, assessment);
    let blocking = blocking_questions(&card);
    let level_names = &bank.levels;
    let gap_row = |gap: &scoring::Gap| GapRow {
        question: gap.question.clone(),
        title: bank
            .question(&gap.question)
            .map_or_else(String::new, |q| q.title.clone()),
        area: bank
            .area(&gap.area)
            .map_or_else(|| gap.area.clone(), |a| a.name.clone()),
        level: gap.level.value(),
        target: gap.target.value(),
        size: gap.size,
        blocks_level: blocking.get(&gap.question).copied(),
    };
    let mut gaps: Vec<GapRow> = card.gaps.iter().map(gap_row).collect();
    // Gaps that hold the headline back come first (the lowest headline level first), then the
    // rest by size; the sort is stable, so equal gaps keep the bank's order.
    gaps.sort_by_key(|g| (g.blocks_level.is_none(), g.blocks_level));

    ReportModel {
        model_version: MODEL_VERSION,
        document: DocumentFacts {
            title: format!(
                "{}: {}",
                bank.report_title.as_deref().unwrap_or(LEGACY_KIND),
                assessment.scope
            ),
            kind: bank.report_title.clone(),
            scope: assessment.scope.clone(),
            assessment_title: assessment.title.clone(),
            assessment_id: assessment.id.clone(),
            assessed_on: assessment.assessed_on,
            created_at: assessment.created_at,
            updated_at: assessment.updated_at,
            bank_id: bank.id.clone(),
            bank_title: bank.title.clone(),
            bank_version: bank.version.clone(),
            generator: generator.to_owned(),
            trail: None,
            finalisation: None,
            facilitator: facilitators(assessment),
        },
        participants: assessment
            .participants
            .iter()
            .map(|p| ParticipantRow {
                name: p.name.clone(),
                role: p.role.clone(),
                votes: assessment
                    .votes
                    .iter()
                    .filter(|v| v.participant_id == p.id)
                    .count(),
            })
            .collect(),
        summary: summary(bank, &card, &gaps),
        method: Method {
            paragraphs: scoring::method_in_words(bank)
                .into_iter()
                .chain([METHOD_LIMITS.to_owned()])
                .collect(),
            levels: level_names
                .iter()
                .zip(0u8..)
                .map(|(name, level)| LevelName {
                    level,
                    name: name.clone(),
                })
                .collect(),
            crosswalk_rule: crosswalk_rule(bank),
        },
        pillars: pillars(bank, assessment, &card, &blocking),
        gaps,
        lineage: Vec::new(),
        bias: Vec::new(),
        indicators: Vec::new(),
        evidence_sources: Vec::new(),
        tracked: None,
        roadmap: None,
        stale_evidence: Vec::new(),
        register: Vec::new(),
        changes: None,
        trend: Vec::new(),
        crosswalk: crosswalk::crosswalk(bank, assessment, DEFAULT_COVERAGE_LEVEL),
        signoffs: Vec::new(),
        evidence: bank
            .questions
            .iter()
            .filter_map(|q| assessment.answers.get(&q.id).map(|a| (q, a)))
            .flat_map(|(q, a)| {
                a.evidence.iter().map(|link| EvidenceRow {
                    question: q.id.clone(),
                    kind: link.kind.as_str().to_owned(),
                    target: link.target.clone(),
                    label: link.label.clone(),
                    provenance: link.provenance.clone(),
                })
            })
            .collect(),
    }
}

fn summary(bank: &Bank, card: &Scorecard, gaps: &[GapRow]) -> ExecutiveSummary {
    ExecutiveSummary {
        headline_level: card.headline.level,
        headline_name: card.headline.name.clone(),
        headline_scale: bank.headline.scale.as_ref().map(|scale| {
            let levels = std::iter::once(format!("0 {}", bank.headline.base_name)).chain(
                bank.headline
                    .levels
                    .iter()
                    .map(|l| format!("{} {}", l.level, l.name)),
            );
            format!("{scale}: {}", levels.collect::<Vec<_>>().join(", "))
        }),
        headline_checks: card
            .headline
            .checks
            .iter()
            .map(|check| HeadlineCheckRow {
                level: check.level,
                name: check.name.clone(),
                met: check.met,
                requires: bank
                    .headline
                    .levels
                    .iter()
                    .find(|l| l.level == check.level)
                    .map_or_else(Vec::new, |l| l.requires.clone()),
                blockers: check
                    .blockers
                    .iter()
                    .map(|b| {
                        let title = bank
                            .question(&b.question)
                            .map_or_else(String::new, |q| format!(" ({})", q.title));
                        match b.level {
                            Some(level) => format!("{}{title} at {level}", b.question),
                            None if b.not_applicable => format!(
                                "{}{title} marked N/A, which this level does not accept",
                                b.question
                            ),
                            None => format!("{}{title} unanswered", b.question),
                        }
                    })
                    .collect(),
            })
            .collect(),
        overall_mean: card.overall.mean,
        overall_min: card.overall.min,
        weakest_area: area_name(bank, card.weakest_area.as_deref()),
        questions: bank.questions.len(),
        answered: card.answered,
        not_applicable: card.not_applicable,
        unanswered: card.unanswered,
        dissent: card.dissent.len(),
        top_gaps: gaps.iter().take(TOP_GAPS).cloned().collect(),
    }
}

/// The questions that hold a headline level back, each with the lowest such level.
fn blocking_questions(card: &Scorecard) -> BTreeMap<String, u8> {
    let mut blocking = BTreeMap::new();
    for check in card.headline.checks.iter().filter(|c| !c.met) {
        for blocker in &check.blockers {
            blocking
                .entry(blocker.question.clone())
                .or_insert(check.level);
        }
    }
    blocking
}

/// The name of the area with id `id`, as the report prints a weakest area.
fn area_name(bank: &Bank, id: Option<&str>) -> Option<String> {
    id.and_then(|id| bank.area(id)).map(|a| a.name.clone())
}

fn pillars(
    bank: &Bank,
    assessment: &Assessment,
    card: &Scorecard,
    blocking: &BTreeMap<String, u8>,
) -> Vec<PillarSection> {
    bank.pillars
        .iter()
        .zip(&card.pillars)
        .map(|(pillar, pillar_score)| PillarSection {
            id: pillar.id.clone(),
            name: pillar.name.clone(),
            mean: pillar_score.score.mean,
            min: pillar_score.score.min,
            weakest_area: area_name(bank, pillar_score.weakest_area.as_deref()),
            areas: pillar
                .areas
                .iter()
                .filter_map(|area| {
                    let score = card.areas.iter().find(|a| a.area == area.id)?;
                    Some(AreaSection {
                        id: area.id.clone(),
                        code: area.code.clone(),
                        name: area.name.clone(),
                        mean: score.score.mean,
                        min: score.score.min,
                        target: score.target.map(|t| t.value()),
                        below_target: score.below_target(),
                        answered: score.answered,
                        not_applicable: score.not_applicable,
                        unanswered: score.unanswered,
                        findings: bank
                            .questions_in_area(&area.id)
                            .map(|q| finding(bank, assessment, q, blocking.get(&q.id).copied()))
                            .collect(),
                    })
                })
                .collect(),
        })
        .collect()
}

fn finding(
    bank: &Bank,
    assessment: &Assessment,
    question: &assay_assessment::Question,
    blocks_level: Option<u8>,
) -> Finding {
    let answer = assessment.answers.get(&question.id);
    let rating = answer.and_then(|a| a.rating.as_ref());
    let target = assessment.targets.for_question(question).map(|t| t.value());
    let (status, level, justification) = match rating {
        Some(Rating::Level { level }) => (AnswerStatus::Level, Some(level.value()), None),
        Some(Rating::NotApplicable { justification }) => (
            AnswerStatus::NotApplicable,
            None,
            Some(justification.clone()),
        ),
        None => (AnswerStatus::Unanswered, None, None),
    };
    let consensus = match (status, level) {
        (AnswerStatus::Level, Some(l)) => {
            format!(
                "Level {l}: {}",
                bank.levels.get(usize::from(l)).map_or("", String::as_str)
            )
        }
        (AnswerStatus::NotApplicable, _) => "Not applicable".to_owned(),
        _ => "Unanswered".to_owned(),
    };
    let short = match (status, level) {
        (AnswerStatus::Level, Some(l)) => l.to_string(),
        (AnswerStatus::NotApplicable, _) => "N/A".to_owned(),
        _ => "-".to_owned(),
    };
    let carried = answer.and_then(|a| a.carried.as_ref()).map(|c| {
        let how = c
            .change
            .map_or(String::new(), |k| format!(", {}", k.label()));
        format!(
            "Carried from assessment {} ({} {}{how}); not reviewed in this assessment",
            c.assessment,
            c.bank,
            c.questions.join(", ")
        )
    });
    let gap = match (level, target) {
        (Some(l), Some(t)) if l < t => Some(t - l),
        _ => None,
    };
    let anchor_at = |level: u8| question.anchors.get(usize::from(level)).cloned();
    let is_gap = gap.is_some();
    Finding {
        why: is_gap.then(|| question.why.clone()),
        target_anchor: target.filter(|_| is_gap).and_then(anchor_at),
        next_anchor: match (level, gap) {
            (Some(l), Some(g)) if g >= 2 => anchor_at(l + 1),
            _ => None,
        },
        evidence_hints: if is_gap {
            question.evidence.clone()
        } else {
            Vec::new()
        },
        blocks_level: blocks_level.filter(|_| is_gap),
        note_review: None,
        carried,
        short,
        id: question.id.clone(),
        title: question.title.clone(),
        text: question.text.clone(),
        status,
        level,
        consensus,
        anchor: level.and_then(|l| question.anchors.get(usize::from(l)).cloned()),
        justification,
        target,
        gap,
        votes: assessment
            .votes_on(&question.id)
            .map(|vote| VoteRow {
                participant: assessment
                    .participant(&vote.participant_id)
                    .map_or_else(|| vote.participant_id.clone(), |p| p.name.clone()),
                vote: match vote.value {
                    VoteValue::Level(l) => l.to_string(),
                    VoteValue::NotApplicable => "N/A".to_owned(),
                },
            })
            .collect(),
        dissent: assessment.vote_summary(&question.id).dissent,
        note: answer.and_then(|a| a.note.clone()),
        confidence: answer
            .and_then(|a| a.confidence)
            .map(|c| c.as_str().to_owned()),
        evidence: answer
            .map(|a| {
                a.evidence
                    .iter()
                    .map(|link| EvidenceLinkRow {
                        kind: link.kind.as_str().to_owned(),
                        target: link.target.clone(),
                        label: link.label.clone(),
                        href: (link.kind == EvidenceKind::Url
                            && crate::model::schema::is_web_url(&link.target))
                        .then(|| link.target.clone()),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        crosswalk: question.crosswalk.values().flatten().cloned().collect(),
    }
}

/// The crosswalk rule in words; banks with typed links add how a partial mapping counts. Banks
/// without them keep the exact wording their earlier reports were signed with.
fn crosswalk_rule(bank: &Bank) -> String {
    let mut rule = format!(
        "A clause is met when every applicable question mapped to it reaches its target \
                 (level {DEFAULT_COVERAGE_LEVEL} when it has none). It is met and evidenced only \
                 when each of those answers also has evidence linked, was agreed (no dissent) \
                 and was not rated with low confidence; otherwise it is met on the team's own \
                 rating (self-assessed) or, with dissent or low confidence, partly met. It is \
                 not met when no answered question reaches its target, and not assessed while \
                 none is answered. N/A questions are left out."
    );
    if bank.has_typed_crosswalk() {
        rule.push_str(
            " Each link says how the question relates to the clause (NIST OLIR: equal, subset, \
             superset, intersects). A clause whose questions each check only part of it (subset \
             or intersects) is at most partly met, whatever their levels, because the rest of \
             the clause is not assessed.",
        );
    }
    rule
}

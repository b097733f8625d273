//! The report model: everything a report shows, computed once from the data and nothing else
//! (no clock, no random ids), so that the same data always gives the same report.
//!
//! Its canonical JSON (serde field order, no maps with unordered keys) is hashed with SHA-256;
//! the hash is printed on the cover and embedded in the files so that `assay verify` can tell
//! whether a report still matches the data it was made from.

use assay_assessment::scoring::{self, Scorecard};
use assay_assessment::{Assessment, Bank, EvidenceKind, Rating, VoteValue};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod crosswalk;
mod evidence;
mod governance;
mod history;

pub use evidence::{IndicatorRow, ProjectInput, ProvenanceRow, with_evidence};
pub use governance::{data_hash, with_register, with_signoffs};
pub use history::with_history;

/// Version of the model's JSON shape; bump it when a field changes meaning.
pub const MODEL_VERSION: u32 = 1;
/// How many gaps the executive summary lists.
const TOP_GAPS: usize = 5;
/// Level a crosswalked question must reach to count as covering its clause when it has no target.
const DEFAULT_COVERAGE_LEVEL: u8 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportModel {
    pub model_version: u32,
    pub document: DocumentFacts,
    pub participants: Vec<ParticipantRow>,
    pub summary: ExecutiveSummary,
    pub method: Method,
    pub pillars: Vec<PillarSection>,
    pub gaps: Vec<GapRow>,
    pub lineage: Vec<LineageRow>,
    pub bias: Vec<BiasRow>,
    /// Checklist indicators computed from the tracker evidence.
    #[serde(default)]
    pub indicators: Vec<IndicatorRow>,
    /// Where the tracker evidence came from, one row per project.
    #[serde(default)]
    pub evidence_sources: Vec<ProvenanceRow>,
    pub register: Vec<RegisterRow>,
    pub changes: Option<ChangesSection>,
    /// The scope's assessments up to this one, oldest first (just this one when it is the first).
    pub trend: Vec<TrendRow>,
    pub crosswalk: Vec<FrameworkSection>,
    pub signoffs: Vec<SignoffRow>,
    pub evidence: Vec<EvidenceRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentFacts {
    pub title: String,
    pub scope: String,
    pub assessment_title: String,
    pub assessment_id: String,
    pub assessed_on: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// The last change to the data; the report's date.
    pub updated_at: DateTime<Utc>,
    pub bank_id: String,
    pub bank_title: String,
    pub bank_version: String,
    /// "Assay 0.1.0": what produced the report.
    pub generator: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantRow {
    pub name: String,
    pub role: String,
    pub votes: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExecutiveSummary {
    pub headline_level: u8,
    pub headline_name: String,
    pub headline_checks: Vec<HeadlineCheckRow>,
    pub overall_mean: Option<f64>,
    pub overall_min: Option<f64>,
    pub weakest_area: Option<String>,
    pub questions: usize,
    pub answered: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
    pub dissent: usize,
    pub top_gaps: Vec<GapRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlineCheckRow {
    pub level: u8,
    pub name: String,
    pub met: bool,
    pub requires: Vec<String>,
    /// "CICD-2 at 2", "OBS-1 unanswered".
    pub blockers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Method {
    pub paragraphs: Vec<String>,
    pub levels: Vec<LevelName>,
    pub crosswalk_rule: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelName {
    pub level: u8,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PillarSection {
    pub id: String,
    pub name: String,
    pub mean: Option<f64>,
    pub min: Option<f64>,
    pub weakest_area: Option<String>,
    pub areas: Vec<AreaSection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaSection {
    pub id: String,
    pub code: String,
    pub name: String,
    pub mean: Option<f64>,
    pub min: Option<f64>,
    pub target: Option<u8>,
    pub below_target: bool,
    pub answered: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub id: String,
    pub title: String,
    pub text: String,
    pub status: AnswerStatus,
    pub level: Option<u8>,
    /// "Level 2: Repeatable and documented", "Not applicable", "Unanswered".
    pub consensus: String,
    /// "2", "N/A" or "-", for tables.
    pub short: String,
    /// What the consensus level looks like in practice (the bank's anchor).
    pub anchor: Option<String>,
    pub justification: Option<String>,
    pub target: Option<u8>,
    pub gap: Option<u8>,
    pub votes: Vec<VoteRow>,
    pub dissent: bool,
    pub note: Option<String>,
    pub confidence: Option<String>,
    pub evidence: Vec<EvidenceLinkRow>,
    pub crosswalk: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerStatus {
    Level,
    NotApplicable,
    Unanswered,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteRow {
    pub participant: String,
    /// "0".."4" or "N/A".
    pub vote: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceLinkRow {
    pub kind: String,
    pub target: String,
    pub label: Option<String>,
    /// Only http(s) targets become links; anything else (`javascript:`, files) stays text.
    pub href: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapRow {
    pub question: String,
    pub title: String,
    pub area: String,
    pub level: u8,
    pub target: u8,
    pub size: u8,
}

/// Evidence of the tracker import (filled by the tracker work; empty until then).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineageRow {
    pub from: String,
    pub relation: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BiasRow {
    pub metric: String,
    pub feature: String,
    pub value: f64,
    pub threshold: String,
    pub passed: bool,
    #[serde(default)]
    pub run: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub priority: String,
    pub status: String,
    pub due: Option<NaiveDate>,
    /// Past due on the report's data date and still open or in progress.
    pub overdue: bool,
    pub questions: Vec<String>,
    /// "Accepted by NAME: REASON" for accepted risks.
    pub acceptance: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeRow {
    pub question: String,
    pub title: String,
    pub before: String,
    pub after: String,
}

/// What changed since the scope's previous assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangesSection {
    pub previous_title: String,
    pub previous_assessed_on: NaiveDate,
    pub headline_before: u8,
    pub headline_after: u8,
    pub answers: Vec<ChangeRow>,
    pub dissent_resolved: Vec<String>,
    pub dissent_new: Vec<String>,
    pub items_opened: usize,
    pub items_closed: usize,
    pub items_overdue: usize,
}

/// One assessment of the scope, for the trend chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendRow {
    pub title: String,
    pub assessed_on: NaiveDate,
    pub headline_level: u8,
    pub overall_mean: Option<f64>,
    /// Pillar means in bank order.
    pub pillars: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignoffRow {
    pub name: String,
    pub role: String,
    pub decision: String,
    pub date: NaiveDate,
    pub comment: String,
    /// The hash of the data this sign-off approved ([`data_hash`]).
    pub data_hash: String,
    /// The data changed after signing.
    pub stale: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameworkSection {
    pub id: String,
    pub name: String,
    pub reference: String,
    pub clauses: Vec<ClauseRow>,
    /// Clauses of the catalogue that no question of the bank maps to.
    pub unmapped: usize,
    pub covered: usize,
    pub partial: usize,
    pub gap: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseRow {
    pub id: String,
    pub title: String,
    pub questions: Vec<ClauseQuestion>,
    pub status: CoverageStatus,
    pub evidence_links: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseQuestion {
    pub id: String,
    /// "2 / target 3", "N/A", "unanswered".
    pub result: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    Covered,
    Partial,
    Gap,
    NotApplicable,
}

/// One evidence link with where it is used, for the provenance appendix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRow {
    pub question: String,
    pub kind: String,
    pub target: String,
    pub label: Option<String>,
}

/// The model with its SHA-256 content hash (hex).
#[derive(Debug, Clone, PartialEq)]
pub struct HashedModel {
    pub model: ReportModel,
    pub content_hash: String,
}

impl HashedModel {
    pub fn new(model: ReportModel) -> HashedModel {
        let content_hash = content_hash(&model);
        HashedModel {
            model,
            content_hash,
        }
    }

    /// "ASSAY-<first 8 of the assessment id>-<first 8 of the hash>", upper case.
    pub fn document_id(&self) -> String {
        let id: String = self
            .model
            .document
            .assessment_id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect();
        format!("ASSAY-{}-{}", id, &self.content_hash[..8]).to_ascii_uppercase()
    }
}

/// The canonical JSON of a model: compact, fields in declaration order.
pub fn canonical_json(model: &ReportModel) -> Vec<u8> {
    // Serialising plain structs, vectors and strings cannot fail.
    serde_json::to_vec(model).unwrap_or_default()
}

pub fn content_hash(model: &ReportModel) -> String {
    Sha256::digest(canonical_json(model))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Builds the report model of an assessment taken with `bank`.
pub fn build(bank: &Bank, assessment: &Assessment, generator: &str) -> ReportModel {
    let card = scoring::score(bank, assessment);
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
    };
    let gaps: Vec<GapRow> = card.gaps.iter().map(gap_row).collect();

    ReportModel {
        model_version: MODEL_VERSION,
        document: DocumentFacts {
            title: format!("MLOps maturity assessment: {}", assessment.scope),
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
            paragraphs: scoring::method_in_words(bank),
            levels: level_names
                .iter()
                .zip(0u8..)
                .map(|(name, level)| LevelName {
                    level,
                    name: name.clone(),
                })
                .collect(),
            crosswalk_rule: format!(
                "A clause is covered when every applicable question mapped to it reaches its \
                 target (level {DEFAULT_COVERAGE_LEVEL} when it has none), a gap when none does, \
                 and partial otherwise; unanswered questions count as not reaching it and N/A \
                 questions are left out."
            ),
        },
        pillars: pillars(bank, assessment, &card),
        gaps,
        lineage: Vec::new(),
        bias: Vec::new(),
        indicators: Vec::new(),
        evidence_sources: Vec::new(),
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
                })
            })
            .collect(),
    }
}

fn summary(bank: &Bank, card: &Scorecard, gaps: &[GapRow]) -> ExecutiveSummary {
    ExecutiveSummary {
        headline_level: card.headline.level,
        headline_name: card.headline.name.clone(),
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
                    .map(|b| match b.level {
                        Some(level) => format!("{} at {level}", b.question),
                        None => format!("{} unanswered", b.question),
                    })
                    .collect(),
            })
            .collect(),
        overall_mean: card.overall.mean,
        overall_min: card.overall.min,
        weakest_area: card
            .weakest_area
            .as_ref()
            .and_then(|id| bank.area(id))
            .map(|a| a.name.clone()),
        questions: bank.questions.len(),
        answered: card.answered,
        not_applicable: card.not_applicable,
        unanswered: card.unanswered,
        dissent: card.dissent.len(),
        top_gaps: gaps.iter().take(TOP_GAPS).cloned().collect(),
    }
}

fn pillars(bank: &Bank, assessment: &Assessment, card: &Scorecard) -> Vec<PillarSection> {
    bank.pillars
        .iter()
        .zip(&card.pillars)
        .map(|(pillar, pillar_score)| PillarSection {
            id: pillar.id.clone(),
            name: pillar.name.clone(),
            mean: pillar_score.score.mean,
            min: pillar_score.score.min,
            weakest_area: pillar_score.weakest_area.as_ref().and_then(|id| bank.area(id)).map(|a| a.name.clone()),
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
                        findings: bank.questions_in_area(&area.id).map(|q| finding(bank, assessment, q)).collect(),
                    })
                })
                .collect(),
        })
        .collect()
}

fn finding(bank: &Bank, assessment: &Assessment, question: &assay_assessment::Question) -> Finding {
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
    Finding {
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
        gap: match (level, target) {
            (Some(l), Some(t)) if l < t => Some(t - l),
            _ => None,
        },
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
                        href: (link.kind == EvidenceKind::Url && is_web_url(&link.target))
                            .then(|| link.target.clone()),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        crosswalk: question.crosswalk.values().flatten().cloned().collect(),
    }
}

fn is_web_url(target: &str) -> bool {
    let lower = target.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !target.chars().any(char::is_control)
}

//! The report model's schema: everything a report shows, as plain serialisable data. Its JSON
//! is what a report embeds and hashes, so a change of shape or meaning bumps
//! [`MODEL_VERSION`].

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::crosswalk_schema::FrameworkSection;
use super::tracked::TrackedEvidence;

/// Version of the model's JSON shape; bump it when a field changes meaning. Renderers draw a
/// model in the layout of its version, so reports of every earlier version still verify.
///
/// - 1: the first layout.
/// - 2: findings with the target's requirement, why it matters, the action and a
///   recommendation, at-target questions in a table; an executive summary with key messages,
///   every gap counted and the approval state; a crosswalk that separates evidenced from
///   self-assessed coverage and says "not assessed".
/// - 3: the facilitator and the method's limits on the cover, one legend of colours and marks,
///   notes to review (unchanged since the previous assessment while the level changed), the
///   change summary compares dissent only when votes were cast, each sign-off records the end
///   of the audit trail it was given at, and the appendix says what the content hash proves.
/// - 4: the tracker evidence organised around registered model versions (each with its runs,
///   datasets and fairness figures), the other runs summed up (counts, datasets, the worst
///   offenders per metric) unless few enough to print, and every run listed in the data
///   ([`TrackedEvidence`]); the roadmap to the next headline level in the summary
///   ([`RoadmapSection`]) and the evidence no longer current ([`StaleRow`]); with a bank that
///   types its crosswalk links, each question's relationship to a clause, clauses met only
///   where their questions check them ([`super::CoverageStatus::MetInPart`]), and by name the clauses
///   no question addresses.
pub const MODEL_VERSION: u32 = 4;

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
    /// Model version 4: the tracker evidence by model version, when any project is linked;
    /// `lineage` and `bias` above keep every edge and figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracked: Option<TrackedEvidence>,
    /// Model version 4: the roadmap to the next headline level, with the team's efforts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roadmap: Option<RoadmapSection>,
    /// Model version 4: evidence no longer current on the report's data date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale_evidence: Vec<StaleRow>,
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
    /// What the report is, from its bank ("LLM application maturity assessment"); absent for
    /// banks that predate it, whose reports are MLOps maturity assessments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
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
    /// Model version 2: the end of the audit trail about this assessment and its register when
    /// the report was made, so that `verify FILE --db` can tell whether the trail was cut or
    /// rewritten since, and how far the data has moved on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail: Option<TrailHead>,
    /// Model version 2: whether the assessment was finalised (its answers frozen and this model
    /// kept) or reopened since; `None` for a draft that was never finalised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalisation: Option<Finalisation>,
    /// Model version 3: the participants whose role names them facilitator, comma-separated;
    /// `None` when no participant has that role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facilitator: Option<String>,
}

/// An assessment's finalisation as its report states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finalisation {
    /// Final now; `false` once reopened.
    pub is_final: bool,
    pub finalised_at: DateTime<Utc>,
    pub finalised_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopened_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopened_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopen_reason: Option<String>,
}

/// The last audit event about an assessment (its answers and votes) and the items of its
/// register; sign-off events are left out, since signing must not change what was signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailHead {
    /// How many such events there were.
    pub events: usize,
    /// The last one's sequence number and hash in the database's chain.
    pub seq: i64,
    pub hash: String,
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
    /// The scale the headline is on, with its levels, for banks that name theirs; reports of
    /// banks that predate it print the MLOps scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline_scale: Option<String>,
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
    /// Where a carried-over answer came from while nobody has reviewed it, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried: Option<String>,
    /// For a gap (model version 2): why the question matters, from the bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// For a gap: the definition of the target level (its anchor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_anchor: Option<String>,
    /// For a gap of two or more levels: the definition of the next level up, the first step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_anchor: Option<String>,
    /// For a gap: the evidence that shows the target level, from the bank's hints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_hints: Vec<String>,
    /// For a gap on a question the headline names: the headline level it holds back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocks_level: Option<u8>,
    /// Model version 3: the note is the previous assessment's word for word while the level
    /// changed; says so in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_review: Option<String>,
}

impl Finding {
    /// At its target (or with none), agreed and reviewed: version 2 reports list such questions
    /// in one table per area instead of a block each.
    pub fn is_routine(&self) -> bool {
        self.status == AnswerStatus::Level
            && self.gap.is_none()
            && !self.dissent
            && self.carried.is_none()
            && self.note_review.is_none()
    }
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
    /// The headline level this gap holds back (model version 2), for gaps on the questions
    /// the headline rule names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocks_level: Option<u8>,
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

/// What stands between the assessment and the next headline level, then the other gaps, in the
/// order of `assay_assessment::roadmap`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadmapSection {
    /// "Level 2 (CI/CD pipeline automation): 3 questions must reach level 3 first."; what
    /// the top level or an all-N/A gate says instead.
    pub next: String,
    pub steps: Vec<RoadmapRow>,
}

/// A piece of evidence past its re-attestation period or resting on a superseded model version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaleRow {
    /// "question GOV-2" or "register item" and its title.
    pub on: String,
    /// Its label, else its target.
    pub evidence: String,
    pub as_of: Option<NaiveDate>,
    pub stale_since: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoadmapRow {
    pub question: String,
    pub title: String,
    /// "2", "N/A" or "unanswered".
    pub now: String,
    pub goal: u8,
    pub climb: u8,
    /// The headline level it gates, when not reached.
    pub gates: Option<u8>,
    pub blocks_next: bool,
    /// "small", "medium (guess)", ...
    pub effort: String,
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
    /// Model version 2: what the item is about, when the register says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Model version 2: the evidence recorded on the item (that it is done), in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

impl RegisterRow {
    /// The item cell: title, then description, evidence and acceptance, one per line.
    pub fn details(&self) -> String {
        let mut lines = vec![self.title.clone()];
        lines.extend(self.description.clone());
        lines.extend(self.evidence.iter().map(|e| format!("Evidence: {e}")));
        lines.extend(self.acceptance.clone());
        lines.join("\n")
    }
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
    /// Model version 3: whether anyone voted in this assessment (dissent is compared only
    /// then), and how many notes to review; `None` in earlier versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes_cast: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes_to_review: Option<usize>,
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
    /// The hash of the data this sign-off approved ([`crate::model::data_hash`]).
    pub data_hash: String,
    /// The data changed after signing.
    pub stale: bool,
    /// Model version 2: when the sign-off was entered, to the second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_at: Option<DateTime<Utc>>,
    /// Model version 2: who entered it (the app's actor), which may not be the signer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_by: Option<String>,
    /// Model version 2: the earlier report model version the sign-off was made on, whose data
    /// hash cannot be compared with this report's (so it is stale, but not because of a change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub earlier_format: Option<u32>,
    /// Model version 3: the end of the audit trail when the sign-off was given, so that a trail
    /// cut back before it is detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trail: Option<TrailHead>,
}

/// One evidence link with where it is used, for the provenance appendix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRow {
    pub question: String,
    pub kind: String,
    pub target: String,
    pub label: Option<String>,
    /// Who added the link and when, and a file's digest at that time; absent on links recorded
    /// before provenance was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<assay_assessment::LinkProvenance>,
}

/// Whether `target` may become a clickable link: an http(s) address without control
/// characters. Anything else (`javascript:`, files) stays text.
pub(crate) fn is_web_url(target: &str) -> bool {
    let lower = target.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !target.chars().any(char::is_control)
}

impl EvidenceRow {
    /// The address a web link may be followed at.
    pub fn href(&self) -> Option<&str> {
        (self.kind == "url" && is_web_url(&self.target)).then_some(self.target.as_str())
    }

    /// The reference as printed: label, then target.
    pub fn reference(&self) -> String {
        match &self.label {
            Some(label) => format!("{label}: {}", self.target),
            None => self.target.clone(),
        }
    }

    /// "Added by NAME on DATE TIME UTC", with the file's SHA-256 at that time, for the report.
    pub fn added(&self) -> Option<String> {
        self.provenance.as_ref().map(|p| {
            let when = p.added_at.format("%Y-%m-%d %H:%M UTC");
            match &p.sha256 {
                Some(sha) => format!(
                    "Added by {} on {when}; file SHA-256 then: {sha}",
                    p.added_by
                ),
                None => format!("Added by {} on {when}", p.added_by),
            }
        })
    }
}

/// Where one tracker project's evidence came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvenanceRow {
    pub tracker: String,
    pub instance: String,
    pub project: String,
    pub imported_at: DateTime<Utc>,
    pub imports: usize,
    pub runs: usize,
    pub datasets: usize,
    pub model_versions: usize,
    pub bias_metrics: usize,
    /// SHA-256 of the project's normalised evidence at its latest import.
    pub content_hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub title: String,
    pub basis: String,
    pub questions: String,
    pub suggested_level: Option<u8>,
}

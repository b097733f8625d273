//! The framework crosswalk of the report model: per framework, each clause the bank's questions
//! map to with their results, coverage status and, for banks with typed links, how much of the
//! clause they check. Part of the model's schema ([`super::ReportModel`]).

use serde::{Deserialize, Serialize};

use super::ReportModel;

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
    /// Model version 2: clauses met on the team's own rating, with no evidence linked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_assessed: Option<usize>,
    /// Model version 2: clauses none of whose questions is answered yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_assessed: Option<usize>,
    /// Model version 4: the clauses of the catalogue that no question maps to, by id and title,
    /// so the report names the bank's coverage gaps instead of only counting them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unmapped_clauses: Option<Vec<ClauseRef>>,
    /// Model version 4, banks with typed links: how many mapped clauses the bank's questions
    /// cover only in part (every link `subset` or `intersects`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partly_mapped: Option<usize>,
    /// Model version 4, banks with typed links: clauses [`CoverageStatus::MetInPart`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met_in_part: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseRef {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseRow {
    pub id: String,
    pub title: String,
    pub questions: Vec<ClauseQuestion>,
    pub status: CoverageStatus,
    pub evidence_links: usize,
    /// Banks with typed links: "full", "partial" or "untyped" (see
    /// `assay_assessment::ClauseMapping`); a clause covered only in part is never reported met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseQuestion {
    pub id: String,
    /// "2 / target 3", "N/A", "unanswered".
    pub result: String,
    /// Banks with typed links: how the question relates to the clause ("subset", ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<String>,
    /// Why the link has that type, as the bank gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    /// Every applicable question at its target; in version 2 also each with evidence linked,
    /// agreed and not rated with low confidence.
    Covered,
    Partial,
    Gap,
    NotApplicable,
    /// Version 2: every applicable question at its target on the team's rating alone.
    SelfAssessed,
    /// Version 2: no question of the clause answered yet.
    NotAssessed,
    /// Version 4, banks with typed links: every applicable question at its target, but each
    /// checks only part of the clause, so the rest of it is not assessed.
    MetInPart,
}

impl CoverageStatus {
    /// What a version 2 report calls the status.
    pub fn label(self) -> &'static str {
        match self {
            CoverageStatus::Covered => "Met, evidenced",
            CoverageStatus::SelfAssessed => "Met, self-assessed",
            CoverageStatus::Partial => "Partly met",
            CoverageStatus::Gap => "Not met",
            CoverageStatus::NotAssessed => "Not assessed",
            CoverageStatus::NotApplicable => "Not applicable",
            CoverageStatus::MetInPart => "Met where checked",
        }
    }

    /// The legend row of [`CoverageStatus::MetInPart`], shown when a bank types its links.
    pub const MET_IN_PART_MEANING: &'static str = "every applicable question reaches its target, \
         but each checks only part of the clause (subset or intersects): the rest of the clause \
         is not assessed, so it is not reported as met";

    /// The legend of a report: every status with what it means, and the status of clauses the
    /// questions check only in part when the report's bank types its links.
    pub fn legend(model: &ReportModel) -> Vec<(CoverageStatus, &'static str)> {
        let mut rows = CoverageStatus::LEGEND.to_vec();
        if model.crosswalk.iter().any(|f| f.met_in_part.is_some()) {
            rows.insert(
                2,
                (
                    CoverageStatus::MetInPart,
                    CoverageStatus::MET_IN_PART_MEANING,
                ),
            );
        }
        rows
    }

    /// Every status with what it means, for the legend.
    pub const LEGEND: [(CoverageStatus, &'static str); 6] = [
        (
            CoverageStatus::Covered,
            "every applicable question reaches its target, with evidence linked, agreed by the \
             participants and not rated with low confidence",
        ),
        (
            CoverageStatus::SelfAssessed,
            "every applicable question reaches its target on the team's own rating, but not all \
             of them have evidence linked",
        ),
        (
            CoverageStatus::Partial,
            "some questions reach their target, or one that does has dissent, low confidence or \
             an unanswered neighbour",
        ),
        (
            CoverageStatus::Gap,
            "no answered question reaches its target",
        ),
        (
            CoverageStatus::NotAssessed,
            "none of the clause's questions has been answered",
        ),
        (
            CoverageStatus::NotApplicable,
            "every question of the clause was marked not applicable, with a justification",
        ),
    ];
}

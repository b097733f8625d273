//! The Statement of Applicability for ISO/IEC 42001 Annex A: one row per control of the bank's
//! `iso_42001` catalogue, built from the questions that map to it, their answers, the register
//! and the team's decisions. The rule, which the document prints:
//!
//! 1. **Inclusion.** The team's decision where they recorded one. Otherwise a control whose
//!    mapped questions are all answered N/A is proposed as excluded, with their N/A
//!    justifications as the reason; every other control is proposed as included. A proposal is
//!    marked as such until someone decides. An exclusion always carries a justification.
//! 2. **Status** of an included control, from its mapped questions that are not N/A:
//!    *not assessed* when none of them is answered (or no question maps to it);
//!    *implemented* when all are answered at or above the bank's threshold (3, "automated")
//!    and no open register item tracks the control or its questions;
//!    *partially implemented* when the lowest answered level is 1 or more otherwise;
//!    *not implemented* when the lowest answered level is 0.
//! 3. **Owner**: the team's decision, else the owner of the first open register item that
//!    tracks the control.
//! 4. **Evidence**: the evidence linked to the mapped questions' answers and to the register
//!    items done for the control, each with when it was linked and, for files, its SHA-256.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::answer::{EvidenceKind, EvidenceLink, Level, Rating};
use crate::assessment::Assessment;
use crate::bank::{Bank, ClauseMapping, Relationship};
use crate::governance::{GovernanceItem, ItemStatus};

/// The catalogue id of ISO/IEC 42001 Annex A in a bank.
pub const ISO_42001: &str = "iso_42001";

/// Why a control is in the Statement of Applicability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Driver {
    /// Chosen to treat an assessed risk.
    Risk,
    /// Required by law or regulation.
    Legal,
    /// Required by a contract or a customer.
    Contractual,
    /// Adopted as good practice.
    GoodPractice,
}

impl Driver {
    pub fn label(self) -> &'static str {
        match self {
            Driver::Risk => "risk treatment",
            Driver::Legal => "legal or regulatory",
            Driver::Contractual => "contractual",
            Driver::GoodPractice => "good practice",
        }
    }

    pub fn parse(text: &str) -> Option<Driver> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "risk" | "risk_treatment" => Some(Driver::Risk),
            "legal" | "regulatory" => Some(Driver::Legal),
            "contractual" | "contract" => Some(Driver::Contractual),
            "good_practice" | "practice" => Some(Driver::GoodPractice),
            _ => None,
        }
    }
}

/// What the team decided for one control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SoaDecision {
    pub included: bool,
    pub justification: String,
    pub drivers: Vec<Driver>,
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ControlStatus {
    Implemented,
    PartiallyImplemented,
    NotImplemented,
    NotAssessed,
    Excluded,
}

impl ControlStatus {
    pub fn label(self) -> &'static str {
        match self {
            ControlStatus::Implemented => "implemented",
            ControlStatus::PartiallyImplemented => "partially implemented",
            ControlStatus::NotImplemented => "not implemented",
            ControlStatus::NotAssessed => "not assessed",
            ControlStatus::Excluded => "excluded",
        }
    }
}

/// A question mapped to a control, as it stands in the assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SoaQuestion {
    pub id: String,
    pub title: String,
    pub level: Option<Level>,
    pub not_applicable: bool,
    /// How the question relates to the control, where the bank types its links.
    pub relationship: Option<Relationship>,
}

/// A register item that tracks a control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SoaItem {
    pub id: String,
    pub title: String,
    pub status: ItemStatus,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
}

/// One piece of evidence for a control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SoaEvidence {
    /// The question whose answer links it, or the register item done with it.
    pub source: String,
    pub kind: EvidenceKind,
    pub target: String,
    pub label: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub linked_at: Option<DateTime<Utc>>,
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SoaRow {
    pub control: String,
    pub group: String,
    pub title: String,
    pub included: bool,
    pub justification: String,
    /// `false` while the inclusion and its justification are Assay's proposal.
    pub decided: bool,
    pub drivers: Vec<Driver>,
    pub status: ControlStatus,
    /// Why the status is what it is, in words.
    pub status_reason: String,
    pub questions: Vec<SoaQuestion>,
    /// How much of the control the mapped questions check, by the bank's typed links.
    pub checked: ClauseMapping,
    pub items: Vec<SoaItem>,
    pub owner: Option<String>,
    pub evidence: Vec<SoaEvidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SoaCounts {
    pub controls: u32,
    pub included: u32,
    pub excluded: u32,
    pub implemented: u32,
    pub partially_implemented: u32,
    pub not_implemented: u32,
    pub not_assessed: u32,
    /// Controls no question of the bank maps to: a gap in the bank's coverage.
    pub uncovered: u32,
    /// Controls whose inclusion is still Assay's proposal.
    pub undecided: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatementOfApplicability {
    pub framework: String,
    pub reference: String,
    pub threshold: Level,
    pub rows: Vec<SoaRow>,
    pub counts: SoaCounts,
}

/// The Statement of Applicability of `assessment`, or `None` when its bank has no ISO/IEC
/// 42001 catalogue. `items` are the register items of the assessment's scope; `decisions` the
/// team's, by control id.
pub fn statement_of_applicability(
    bank: &Bank,
    assessment: &Assessment,
    items: &[GovernanceItem],
    decisions: &BTreeMap<String, SoaDecision>,
) -> Option<StatementOfApplicability> {
    let framework = bank.frameworks.iter().find(|f| f.id == ISO_42001)?;
    let threshold = bank.headline.threshold;
    let mut counts = SoaCounts {
        controls: 0,
        included: 0,
        excluded: 0,
        implemented: 0,
        partially_implemented: 0,
        not_implemented: 0,
        not_assessed: 0,
        uncovered: 0,
        undecided: 0,
    };
    let mut rows = Vec::new();
    for clause in &framework.clauses {
        let (mapped, checked) = bank.clause_mapping(ISO_42001, &clause.id);
        let rating = |id: &str| assessment.answers.get(id).and_then(|a| a.rating.as_ref());
        let questions: Vec<SoaQuestion> = mapped
            .iter()
            .map(|q| SoaQuestion {
                id: q.id.clone(),
                title: q.title.clone(),
                level: match rating(&q.id) {
                    Some(Rating::Level { level }) => Some(*level),
                    _ => None,
                },
                not_applicable: matches!(rating(&q.id), Some(Rating::NotApplicable { .. })),
                relationship: q.relation(ISO_42001, &clause.id).map(|r| r.relationship),
            })
            .collect();
        let tracking: Vec<&GovernanceItem> = items
            .iter()
            .filter(|i| {
                i.links.clauses.contains(&clause.id)
                    || i.links
                        .questions
                        .iter()
                        .any(|q| mapped.iter().any(|m| m.id == *q))
            })
            .collect();
        let open: Vec<&&GovernanceItem> = tracking
            .iter()
            .filter(|i| matches!(i.status, ItemStatus::Open | ItemStatus::InProgress))
            .collect();

        let decision = decisions.get(&clause.id);
        let all_na = !questions.is_empty() && questions.iter().all(|q| q.not_applicable);
        let (included, justification) = match decision {
            Some(d) => (d.included, d.justification.clone()),
            None if all_na => (false, na_justification(&mapped, assessment)),
            None if questions.is_empty() => (
                true,
                "Proposed: no question of the bank covers this control, so it stays in until \
                 the team decides."
                    .to_owned(),
            ),
            None => (
                true,
                format!(
                    "Proposed: the assessment covers this practice through {}.",
                    ids(questions.iter().map(|q| q.id.as_str()))
                ),
            ),
        };
        let (status, status_reason) = if included {
            let (status, mut reason) = status_of(&questions, &open, threshold);
            if checked == ClauseMapping::Partial
                && matches!(
                    status,
                    ControlStatus::Implemented | ControlStatus::PartiallyImplemented
                )
            {
                reason.push_str(
                    "; the mapped questions check only part of this control, so the rest \
                     needs evidence of its own",
                );
            }
            (status, reason)
        } else {
            (
                ControlStatus::Excluded,
                "excluded from the scope".to_owned(),
            )
        };
        let owner = decision
            .and_then(|d| d.owner.clone())
            .or_else(|| open.iter().find_map(|i| i.owner.clone()));
        let mut evidence = Vec::new();
        for q in &mapped {
            if let Some(answer) = assessment.answers.get(&q.id) {
                evidence.extend(answer.evidence.iter().map(|l| evidence_of(&q.id, l)));
            }
        }
        for item in tracking.iter().filter(|i| i.status == ItemStatus::Done) {
            evidence.extend(item.evidence.iter().map(|l| evidence_of(&item.id, l)));
        }

        counts.controls += 1;
        if included {
            counts.included += 1;
        } else {
            counts.excluded += 1;
        }
        match status {
            ControlStatus::Implemented => counts.implemented += 1,
            ControlStatus::PartiallyImplemented => counts.partially_implemented += 1,
            ControlStatus::NotImplemented => counts.not_implemented += 1,
            ControlStatus::NotAssessed => counts.not_assessed += 1,
            ControlStatus::Excluded => {}
        }
        if mapped.is_empty() {
            counts.uncovered += 1;
        }
        if decision.is_none() {
            counts.undecided += 1;
        }
        rows.push(SoaRow {
            control: clause.id.clone(),
            group: clause.group.clone(),
            title: clause.title.clone(),
            included,
            justification,
            decided: decision.is_some(),
            drivers: decision.map(|d| d.drivers.clone()).unwrap_or_default(),
            status,
            status_reason,
            questions,
            checked,
            items: tracking
                .iter()
                .map(|i| SoaItem {
                    id: i.id.clone(),
                    title: i.title.clone(),
                    status: i.status,
                    owner: i.owner.clone(),
                    due_on: i.due_on,
                })
                .collect(),
            owner,
            evidence,
        });
    }
    Some(StatementOfApplicability {
        framework: framework.name.clone(),
        reference: framework.reference.clone(),
        threshold,
        rows,
        counts,
    })
}

fn ids<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    ids.collect::<Vec<_>>().join(", ")
}

/// The N/A justifications of the mapped questions, as the reason for a proposed exclusion.
fn na_justification(mapped: &[&crate::Question], assessment: &Assessment) -> String {
    let reasons: Vec<String> = mapped
        .iter()
        .filter_map(|q| match assessment.answers.get(&q.id)?.rating.as_ref()? {
            Rating::NotApplicable { justification } => Some(format!("{}: {justification}", q.id)),
            Rating::Level { .. } => None,
        })
        .collect();
    format!(
        "Proposed from the N/A answers of the questions mapped to it ({}).",
        reasons.join("; ")
    )
}

fn status_of(
    questions: &[SoaQuestion],
    open: &[&&GovernanceItem],
    threshold: Level,
) -> (ControlStatus, String) {
    let applicable: Vec<&SoaQuestion> = questions.iter().filter(|q| !q.not_applicable).collect();
    if questions.is_empty() {
        return (
            ControlStatus::NotAssessed,
            "no question of the bank covers it".to_owned(),
        );
    }
    if applicable.is_empty() {
        return (
            ControlStatus::NotAssessed,
            "included, but every question mapped to it is answered N/A".to_owned(),
        );
    }
    let answered: Vec<Level> = applicable.iter().filter_map(|q| q.level).collect();
    let Some(lowest) = answered.iter().min().copied() else {
        return (
            ControlStatus::NotAssessed,
            format!(
                "{} not answered yet",
                ids(applicable.iter().map(|q| q.id.as_str()))
            ),
        );
    };
    let unanswered: Vec<&str> = applicable
        .iter()
        .filter(|q| q.level.is_none())
        .map(|q| q.id.as_str())
        .collect();
    let open_note = match open.len() {
        0 => String::new(),
        1 => "; 1 open register item tracks it".to_owned(),
        n => format!("; {n} open register items track it"),
    };
    if lowest >= threshold && unanswered.is_empty() && open.is_empty() {
        return (
            ControlStatus::Implemented,
            format!("every mapped question at level {threshold} or above (lowest {lowest})"),
        );
    }
    let unanswered_note = if unanswered.is_empty() {
        String::new()
    } else {
        format!("; not answered yet: {}", ids(unanswered.into_iter()))
    };
    let status = if lowest.value() == 0 {
        ControlStatus::NotImplemented
    } else {
        ControlStatus::PartiallyImplemented
    };
    (
        status,
        format!(
            "lowest mapped level {lowest} (implemented needs {threshold}){unanswered_note}{open_note}"
        ),
    )
}

fn evidence_of(source: &str, link: &EvidenceLink) -> SoaEvidence {
    SoaEvidence {
        source: source.to_owned(),
        kind: link.kind,
        target: link.target.clone(),
        label: link.label.clone(),
        linked_at: link.provenance.as_ref().map(|p| p.added_at),
        sha256: link.provenance.as_ref().and_then(|p| p.sha256.clone()),
    }
}

/// The rule above in words, printed with every statement.
pub fn rule_in_words(threshold: Level) -> Vec<String> {
    vec![
        "One row per ISO/IEC 42001 Annex A control of the bank's catalogue; the questions \
         listed are those the bank's crosswalk maps to it."
            .to_owned(),
        "Inclusion is the team's decision where one is recorded. Otherwise a control whose \
         mapped questions are all answered N/A is proposed as excluded, with their N/A \
         justifications as the reason, and every other control is proposed as included; a \
         proposal is marked as such. An exclusion always carries a justification."
            .to_owned(),
        format!(
            "Status of an included control, from its mapped questions that are not N/A: not \
             assessed when none of them is answered or no question maps to it; implemented \
             when all are answered at level {threshold} or above and no open register item \
             tracks the control or its questions; not implemented when the lowest answered \
             level is 0; partially implemented otherwise. Where the bank types its links \
             (equal, subset, superset, intersects) and every question checks only part of a \
             control, the status speaks for that part alone, and the reason says so."
        ),
        "Owner: the team's decision, else the owner of the first open register item that \
         tracks the control. Drivers (risk treatment, legal or regulatory, contractual, good \
         practice) are the team's."
            .to_owned(),
        "Evidence: what is linked to the mapped questions' answers and to the register items \
         done for the control, with the date it was linked and, for files, the SHA-256 of the \
         file when it was linked."
            .to_owned(),
    ]
}

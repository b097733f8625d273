//! What a model version 2 report derives from the model for its reader: key messages, the
//! approval state, the actions recorded against each gap, the coverage legend. Both renderers
//! print these same sentences. They are a function of the model alone and are not part of its
//! hashed data: `verify` re-renders them from the embedded model.

use std::collections::BTreeMap;

use serde::Serialize;

use super::crosswalk_schema::CoverageStatus;
use super::framing::Framing;
use super::schema::{Finding, ReportModel, SignoffRow};
use super::tracked::EvidenceReading;

/// Printed under every version 2 crosswalk.
pub const CROSSWALK_DISCLAIMER: &str = "This crosswalk shows which clauses the team's answers \
    speak to and how far. It is not a legal opinion and not a conformity assessment or \
    certification: the ratings are the team's own, and only linked evidence was available to \
    back them; nobody tested that evidence independently.";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    /// Nothing answered yet: the headline, scores and coverage are not assessed.
    pub not_assessed: bool,
    /// Three to five sentences that open the executive summary.
    pub key_messages: Vec<String>,
    /// How the headline level relates to the 0-4 question scores.
    pub bridge: String,
    /// "12 questions below target; 3 have an action in the register."
    pub gap_line: String,
    pub approval: Approval,
    /// Per gap question: the register items linked to it, in words; an empty list means none.
    pub actions: BTreeMap<String, Vec<String>>,
    /// Per gap question: what to do next.
    pub recommendations: BTreeMap<String, String>,
    pub legend: Vec<LegendRow>,
    pub disclaimer: &'static str,
    /// Model version 3: facilitator, scope and limits for the cover, the key to colours and
    /// marks, what the hash proves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framing: Option<Framing>,
    /// Model version 4: what the tracker evidence sections say, when a project is linked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceReading>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Approval {
    /// `draft` (never finalised), `final` (finalised, not approved), `approved`, `rejected`
    /// or `reopened`.
    pub state: &'static str,
    /// "DRAFT", "FINAL, NOT YET APPROVED", "APPROVED", "REJECTED", "REOPENED".
    pub label: &'static str,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegendRow {
    pub status: CoverageStatus,
    pub label: &'static str,
    pub meaning: &'static str,
}

impl Reading {
    pub fn of(model: &ReportModel) -> Reading {
        let s = &model.summary;
        let not_assessed = s.answered == 0 && s.not_applicable == 0;
        let actions = actions(model);
        let with_action = model
            .gaps
            .iter()
            .filter(|g| actions.get(&g.question).is_some_and(|a| !a.is_empty()))
            .count();
        let gap_line = match model.gaps.len() {
            0 => "No answered question is below its target.".to_owned(),
            n => format!(
                "{n} {} below target; {with_action} of them {} an action in the governance \
                 register.",
                plural(n, "question", "questions"),
                if with_action == 1 { "has" } else { "have" }
            ),
        };
        Reading {
            not_assessed,
            key_messages: key_messages(model, not_assessed, with_action),
            bridge: bridge(model, not_assessed),
            gap_line,
            approval: approval(model),
            actions,
            recommendations: model
                .pillars
                .iter()
                .flat_map(|p| &p.areas)
                .flat_map(|a| &a.findings)
                .filter_map(|f| Some((f.id.clone(), recommendation(f)?)))
                .collect(),
            legend: CoverageStatus::legend(model)
                .into_iter()
                .map(|(status, meaning)| LegendRow {
                    status,
                    label: status.label(),
                    meaning,
                })
                .collect(),
            disclaimer: CROSSWALK_DISCLAIMER,
            framing: Framing::of(model),
            evidence: model
                .tracked
                .as_ref()
                .map(|t| EvidenceReading::of(t, model.lineage.len(), model.bias.len())),
        }
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The register items linked to each gap question, as "ITEM title (owner, due, status)".
fn actions(model: &ReportModel) -> BTreeMap<String, Vec<String>> {
    model
        .gaps
        .iter()
        .map(|gap| {
            let items = model
                .register
                .iter()
                .filter(|item| item.questions.contains(&gap.question))
                .map(|item| {
                    let owner = if item.owner.is_empty() {
                        "no owner".to_owned()
                    } else {
                        format!("owner {}", item.owner)
                    };
                    let due = item
                        .due
                        .map_or_else(|| "no due date".to_owned(), |d| format!("due {d}"));
                    let overdue = if item.overdue { ", OVERDUE" } else { "" };
                    format!(
                        "{}: {} ({owner}, {due}, {}{overdue})",
                        item.id, item.title, item.status
                    )
                })
                .collect();
            (gap.question.clone(), items)
        })
        .collect()
}

fn bridge(model: &ReportModel, not_assessed: bool) -> String {
    let s = &model.summary;
    if not_assessed {
        return "Not assessed: no question has been answered yet, so there is no headline level \
                and no score."
            .to_owned();
    }
    let mean = s
        .overall_mean
        .map_or_else(|| "-".to_owned(), |m| format!("{m:.2}"));
    format!(
        "The headline level (0-{}) comes from a few named questions only; the overall score \
         ({mean} on the 0-4 scale of every question) averages all areas, so the two can \
         differ.",
        s.headline_checks.len()
    )
}

fn key_messages(model: &ReportModel, not_assessed: bool, with_action: usize) -> Vec<String> {
    let s = &model.summary;
    if not_assessed {
        return vec![format!(
            "Not assessed yet: none of the {} questions has an answer.",
            s.questions
        )];
    }
    let mut messages = vec![format!(
        "Headline level {} ({}), with {} of {} questions answered.",
        s.headline_level, s.headline_name, s.answered, s.questions
    )];
    let blocking: Vec<&str> = model
        .gaps
        .iter()
        .filter(|g| g.blocks_level.is_some())
        .map(|g| g.question.as_str())
        .collect();
    if let Some(check) = s.headline_checks.iter().find(|c| !c.met) {
        if blocking.is_empty() {
            messages.push(format!(
                "The next headline level ({}) is held back by {}.",
                check.level,
                if check.blockers.is_empty() {
                    "questions marked N/A".to_owned()
                } else {
                    check.blockers.join(", ")
                }
            ));
        } else {
            messages.push(format!(
                "To reach headline level {}, close the gaps on {} first.",
                check.level,
                blocking.join(", ")
            ));
        }
    }
    if !model.gaps.is_empty() {
        let without = model.gaps.len() - with_action;
        messages.push(format!(
            "{} {} below target; {without} of them {} no action in the register yet.",
            model.gaps.len(),
            plural(model.gaps.len(), "question is", "questions are"),
            if without == 1 { "has" } else { "have" }
        ));
    }
    if let (Some(previous), Some(latest)) = (model.trend.iter().rev().nth(1), model.trend.last()) {
        let mean = |m: Option<f64>| m.map_or_else(|| "-".to_owned(), |m| format!("{m:.2}"));
        messages.push(format!(
            "Since {} ({}): headline {} -> {}, overall score {} -> {}.",
            previous.title,
            previous.assessed_on,
            previous.headline_level,
            latest.headline_level,
            mean(previous.overall_mean),
            mean(latest.overall_mean)
        ));
    }
    if s.dissent > 0 {
        messages.push(format!(
            "Participants disagreed by two levels or more on {} {}; those ratings are the \
             least certain.",
            s.dissent,
            plural(s.dissent, "question", "questions")
        ));
    }
    messages.truncate(5);
    messages
}

/// The approval state of the version the report shows, from its finalisation and sign-offs.
fn approval(model: &ReportModel) -> Approval {
    let signoffs = &model.signoffs;
    let current: Vec<&SignoffRow> = signoffs.iter().filter(|s| !s.stale).collect();
    let names = |rows: &[&SignoffRow]| {
        rows.iter()
            .map(|s| format!("{} ({}) on {}", s.name, s.role, s.date))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let time = |t: &chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    let Some(finalisation) = &model.document.finalisation else {
        let signed = if current.is_empty() {
            String::new()
        } else {
            format!(
                " Sign-offs recorded on this draft: {}; they approve data that can still change.",
                names(&current)
            )
        };
        return Approval {
            state: "draft",
            label: "DRAFT",
            detail: format!(
                "Not finalised: the answers and votes can still change, and this report with \
                 them.{signed}"
            ),
        };
    };
    let finalised = format!(
        "Finalised by {} at {}",
        finalisation.finalised_by,
        time(&finalisation.finalised_at)
    );
    if !finalisation.is_final {
        let by = finalisation.reopened_by.as_deref().unwrap_or("someone");
        let at = finalisation
            .reopened_at
            .as_ref()
            .map(time)
            .unwrap_or_default();
        let reason = finalisation.reopen_reason.as_deref().unwrap_or_default();
        return Approval {
            state: "reopened",
            label: "REOPENED",
            detail: format!(
                "{finalised}, then reopened by {by} at {at}: {reason}. Approvals of the final \
                 version are superseded; this report shows the data as it is now."
            ),
        };
    }
    let rejected: Vec<&SignoffRow> = current
        .iter()
        .copied()
        .filter(|s| s.decision.starts_with("Rejected"))
        .collect();
    if !rejected.is_empty() {
        return Approval {
            state: "rejected",
            label: "REJECTED",
            detail: format!("{finalised}. Rejected by {}.", names(&rejected)),
        };
    }
    if !current.is_empty() {
        return Approval {
            state: "approved",
            label: "APPROVED",
            detail: format!(
                "{finalised}. {} by {}.",
                current[0].decision,
                names(&current)
            ),
        };
    }
    let earlier = if signoffs.is_empty() {
        String::new()
    } else {
        format!(
            " {} earlier sign-off(s) approved a different version.",
            signoffs.len()
        )
    };
    Approval {
        state: "final",
        label: "FINAL, NOT YET APPROVED",
        detail: format!("{finalised}; nobody has signed off this version yet.{earlier}"),
    }
}

/// What to do about a gap: the next level's definition first when the gap is two or more
/// levels, then the evidence that will show the target level.
pub fn recommendation(finding: &Finding) -> Option<String> {
    let (level, target) = (finding.level?, finding.target?);
    finding.gap?;
    let first = match &finding.next_anchor {
        Some(next) => format!(
            "Work towards level {} first: {} Then aim for level {target} as defined above.",
            level + 1,
            next.trim_end()
        ),
        None => format!("Put in place what level {target} requires, as defined above."),
    };
    if finding.evidence_hints.is_empty() {
        return Some(first);
    }
    Some(format!(
        "{first} Keep evidence that shows it, such as: {}.",
        finding
            .evidence_hints
            .iter()
            .map(|h| h.trim_end_matches('.'))
            .collect::<Vec<_>>()
            .join("; ")
    ))
}

//! Governance items: the register of gaps and actions a team tracks across assessments, and the
//! rules of their life cycle.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::answer::EvidenceLink;
use crate::bank::Bank;
use crate::scoring::Gap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Open,
    InProgress,
    Done,
    RiskAccepted,
}

impl ItemStatus {
    pub fn parse(text: &str) -> Result<ItemStatus, GovernanceError> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "open" => Ok(ItemStatus::Open),
            "in_progress" => Ok(ItemStatus::InProgress),
            "done" => Ok(ItemStatus::Done),
            "risk_accepted" => Ok(ItemStatus::RiskAccepted),
            _ => Err(GovernanceError::UnknownStatus(text.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Open => "open",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Done => "done",
            ItemStatus::RiskAccepted => "risk_accepted",
        }
    }

    /// Open and in-progress items still need work; done and accepted ones are closed.
    pub fn is_active(self) -> bool {
        matches!(self, ItemStatus::Open | ItemStatus::InProgress)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Medium,
    High,
    Critical,
}

impl Priority {
    pub fn parse(text: &str) -> Result<Priority, GovernanceError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(Priority::Low),
            "medium" => Ok(Priority::Medium),
            "high" => Ok(Priority::High),
            "critical" => Ok(Priority::Critical),
            _ => Err(GovernanceError::UnknownPriority(text.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }

    /// A gap of three or more levels is critical, two high, one medium.
    pub fn for_gap(size: u8) -> Priority {
        match size {
            0 | 1 => Priority::Medium,
            2 => Priority::High,
            _ => Priority::Critical,
        }
    }
}

/// A sign-off's decision on an assessment's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    /// Approved, with conditions stated in the comment.
    ApproveWithConditions,
    /// Rejected, with the reasons stated in the comment.
    Reject,
}

impl Decision {
    /// Reads a decision as a person types it: any case, spaces or hyphens for underscores.
    pub fn parse(text: &str) -> Result<Decision, GovernanceError> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "approve" => Ok(Decision::Approve),
            "approve_with_conditions" => Ok(Decision::ApproveWithConditions),
            "reject" => Ok(Decision::Reject),
            _ => Err(GovernanceError::UnknownDecision(text.trim().to_owned())),
        }
    }

    /// Its stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::ApproveWithConditions => "approve_with_conditions",
            Decision::Reject => "reject",
        }
    }

    /// How reports print it.
    pub fn label(self) -> &'static str {
        match self {
            Decision::Approve => "Approved",
            Decision::ApproveWithConditions => "Approved with conditions",
            Decision::Reject => "Rejected",
        }
    }

    /// Anything short of a plain approval must say why.
    pub fn needs_comment(self) -> bool {
        self != Decision::Approve
    }
}

/// Who accepted a risk, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RiskAcceptance {
    pub accepted_by: String,
    pub reason: String,
}

/// What an item is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemLinks {
    pub questions: Vec<String>,
    pub areas: Vec<String>,
    /// Crosswalk clause ids, e.g. "Art.10(2)(f)".
    pub clauses: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GovernanceItem {
    pub id: String,
    /// The team or system the item belongs to; it outlives any one assessment.
    pub scope: String,
    /// The assessment it was raised in, if any.
    pub assessment_id: Option<String>,
    pub title: String,
    pub description: String,
    pub links: ItemLinks,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub priority: Priority,
    pub status: ItemStatus,
    pub acceptance: Option<RiskAcceptance>,
    /// Evidence that the item is done.
    pub evidence: Vec<EvidenceLink>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl GovernanceItem {
    /// Past its due date on `today` and still open or in progress.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_active() && self.due_on.is_some_and(|due| due < today)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GovernanceError {
    #[error("`{0}` is not a status: use open, in_progress, done or risk_accepted")]
    UnknownStatus(String),
    #[error("`{0}` is not a priority: use low, medium, high or critical")]
    UnknownPriority(String),
    #[error("`{0}` is not a decision: use approve, approve_with_conditions or reject")]
    UnknownDecision(String),
    #[error("a conditional approval or a rejection needs a comment")]
    DecisionNeedsComment,
    #[error("accepting a risk needs the name of the person accepting it and the reason")]
    AcceptanceIncomplete,
    #[error("evidence can only be attached when the item is done")]
    EvidenceBeforeDone,
}

/// A change of status, checked against the life-cycle rules.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum StatusChange {
    To(ItemStatus),
    AcceptRisk { accepted_by: String, reason: String },
}

/// Applies a status change: "risk accepted" needs a named person and a reason; leaving that
/// status forgets the acceptance; any status may be reopened.
pub fn change_status(
    item: &mut GovernanceItem,
    change: StatusChange,
) -> Result<(), GovernanceError> {
    match change {
        StatusChange::To(ItemStatus::RiskAccepted) => {
            return Err(GovernanceError::AcceptanceIncomplete);
        }
        StatusChange::To(status) => {
            item.status = status;
            item.acceptance = None;
        }
        StatusChange::AcceptRisk {
            accepted_by,
            reason,
        } => {
            let (accepted_by, reason) = (accepted_by.trim().to_owned(), reason.trim().to_owned());
            if accepted_by.is_empty() || reason.is_empty() {
                return Err(GovernanceError::AcceptanceIncomplete);
            }
            item.status = ItemStatus::RiskAccepted;
            item.acceptance = Some(RiskAcceptance {
                accepted_by,
                reason,
            });
        }
    }
    Ok(())
}

/// Title, description, links and priority of an item raised from a gap or a roadmap step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDraft {
    pub title: String,
    pub description: String,
    pub links: ItemLinks,
    pub priority: Priority,
}

/// Drafts an item from a gap: the question, its target, what the target looks like in practice
/// and the clauses the question maps to.
pub fn draft_from_gap(bank: &Bank, gap: &Gap) -> Option<ItemDraft> {
    let question = bank.question(&gap.question)?;
    let area = bank.area(&question.area)?;
    let target_anchor = question.anchors.get(usize::from(gap.target.value()))?;
    Some(ItemDraft {
        title: format!(
            "Raise {} {} from level {} to {}",
            question.id, question.title, gap.level, gap.target
        ),
        description: format!(
            "{} Target (level {}): {} Why it matters: {}",
            question.text, gap.target, target_anchor, question.why
        ),
        links: ItemLinks {
            questions: vec![question.id.clone()],
            areas: vec![area.id.clone()],
            clauses: question.crosswalk.values().flatten().cloned().collect(),
        },
        priority: Priority::for_gap(gap.size),
    })
}

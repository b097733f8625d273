//! The roadmap to the next headline level: what stands between the team and the next of
//! Google's MLOps levels, then every other gap, in an order anyone can recompute by hand.
//!
//! 1. **Steps that block the next level** come first: each question the bank names for the
//!    next headline level that is unanswered, below the bank's threshold, or N/A where the bank
//!    does not accept N/A for that level. Its goal is the threshold, or the question's own
//!    target when that is higher.
//! 2. **Every other step** follows: each answered question below its target (a gap), and each
//!    gate of a later headline level that is not met.
//! 3. Within each group, the longer climb first (levels from the consensus to the goal; an
//!    unanswered or N/A question climbs from 0), then the smaller effort (so quick wins lead
//!    among equals), then bank order.
//! 4. **Effort** is the team's estimate (small, medium, large) where they gave one; otherwise
//!    it is guessed from the climb: one level small, two medium, three or more large.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answer::{Level, Rating};
use crate::assessment::Assessment;
use crate::bank::Bank;
use crate::governance::{ItemDraft, ItemLinks, Priority};
use crate::scoring::Scorecard;

/// How much work a step is, as the team judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Effort {
    Small,
    Medium,
    Large,
}

impl Effort {
    /// The guess used until the team gives an estimate: from the levels to climb.
    pub fn guessed(climb: u8) -> Effort {
        match climb {
            0 | 1 => Effort::Small,
            2 => Effort::Medium,
            _ => Effort::Large,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Effort::Small => "small",
            Effort::Medium => "medium",
            Effort::Large => "large",
        }
    }

    /// Reads an effort as typed: "small", "s", "Medium", ...
    pub fn parse(text: &str) -> Option<Effort> {
        match text.trim().to_ascii_lowercase().as_str() {
            "small" | "s" => Some(Effort::Small),
            "medium" | "m" => Some(Effort::Medium),
            "large" | "l" => Some(Effort::Large),
            _ => None,
        }
    }
}

/// One step of the roadmap: a question to raise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoadmapStep {
    pub question: String,
    pub area: String,
    pub title: String,
    /// The consensus level now; `None` when unanswered or N/A.
    pub level: Option<Level>,
    /// Answered N/A where the level it gates does not accept N/A.
    pub not_applicable: bool,
    pub goal: Level,
    /// Levels from the consensus (0 when unanswered or N/A) to the goal.
    pub climb: u8,
    /// The headline level this question gates and that is not reached yet.
    pub blocks_level: Option<u8>,
    /// Whether it blocks the very next headline level.
    pub blocks_next: bool,
    pub effort: Effort,
    /// `true` when the effort is the team's estimate, `false` when guessed from the climb.
    pub effort_estimated: bool,
}

/// The next headline level and what it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NextLevel {
    pub level: u8,
    pub name: String,
    /// The consensus level each gate must reach.
    pub threshold: Level,
    /// Questions that block it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub blockers: usize,
    /// Every gate of the level is N/A: nothing would show it is reached.
    pub all_not_applicable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Roadmap {
    pub level: u8,
    pub level_name: String,
    /// `None` at the bank's top level.
    pub next: Option<NextLevel>,
    pub steps: Vec<RoadmapStep>,
}

/// The roadmap of `assessment`, scored as `card`, with the team's effort estimates by
/// question id.
pub fn roadmap(
    bank: &Bank,
    assessment: &Assessment,
    card: &Scorecard,
    efforts: &BTreeMap<String, Effort>,
) -> Roadmap {
    let rule = &bank.headline;
    let reached = card.headline.level;
    // Unmet gates by question: the lowest headline level each blocks.
    let mut gates: BTreeMap<&str, (u8, bool)> = BTreeMap::new();
    for check in card.headline.checks.iter().filter(|c| c.level > reached) {
        for blocker in &check.blockers {
            gates
                .entry(blocker.question.as_str())
                .or_insert((check.level, blocker.not_applicable));
        }
    }
    let next = rule
        .levels
        .iter()
        .find(|l| l.level == reached + 1)
        .map(|level| {
            let check = card.headline.checks.iter().find(|c| c.level == level.level);
            let blockers = check.map_or(0, |c| c.blockers.len());
            NextLevel {
                level: level.level,
                name: level.name.clone(),
                threshold: rule.threshold,
                blockers,
                all_not_applicable: blockers == 0 && check.is_some_and(|c| !c.met),
            }
        });
    let next_level = next.as_ref().map(|n| n.level);
    let gaps: BTreeMap<&str, Level> = card
        .gaps
        .iter()
        .map(|g| (g.question.as_str(), g.target))
        .collect();

    let mut steps: Vec<(usize, RoadmapStep)> = Vec::new();
    for (position, question) in bank.questions.iter().enumerate() {
        let gate = gates.get(question.id.as_str()).copied();
        let target = gaps.get(question.id.as_str()).copied();
        if gate.is_none() && target.is_none() {
            continue;
        }
        let level = match assessment
            .answers
            .get(&question.id)
            .and_then(|a| a.rating.as_ref())
        {
            Some(Rating::Level { level }) => Some(*level),
            _ => None,
        };
        let own_target = assessment.targets.for_question(question);
        let goal = match gate {
            Some(_) => own_target.map_or(rule.threshold, |t| t.max(rule.threshold)),
            None => target.unwrap_or(rule.threshold),
        };
        let climb = goal.value() - level.map_or(0, Level::value).min(goal.value());
        let (effort, effort_estimated) = match efforts.get(&question.id) {
            Some(effort) => (*effort, true),
            None => (Effort::guessed(climb), false),
        };
        steps.push((
            position,
            RoadmapStep {
                question: question.id.clone(),
                area: question.area.clone(),
                title: question.title.clone(),
                level,
                not_applicable: gate.is_some_and(|(_, na)| na),
                goal,
                climb,
                blocks_level: gate.map(|(l, _)| l),
                blocks_next: gate.is_some_and(|(l, _)| Some(l) == next_level),
                effort,
                effort_estimated,
            },
        ));
    }
    steps.sort_by_key(|(position, s)| {
        (
            std::cmp::Reverse(s.blocks_next),
            std::cmp::Reverse(s.climb),
            s.effort,
            *position,
        )
    });
    Roadmap {
        level: reached,
        level_name: card.headline.name.clone(),
        next,
        steps: steps.into_iter().map(|(_, s)| s).collect(),
    }
}

/// Drafts a register item from a step: the question, its goal, what the goal looks like in
/// practice, the level it unblocks, and the clauses the question maps to.
pub fn draft_from_step(bank: &Bank, step: &RoadmapStep) -> Option<ItemDraft> {
    let question = bank.question(&step.question)?;
    let goal_anchor = question.anchors.get(usize::from(step.goal.value()))?;
    let from = match (step.level, step.not_applicable) {
        (Some(level), _) => format!("from level {level}"),
        (None, true) => "from N/A (not accepted for this gate)".to_owned(),
        (None, false) => "(unanswered)".to_owned(),
    };
    let unblocks = step
        .blocks_level
        .map(|l| format!(" It gates headline level {l}."))
        .unwrap_or_default();
    Some(ItemDraft {
        title: format!(
            "Raise {} {} {from} to {}",
            question.id, question.title, step.goal
        ),
        description: format!(
            "{} Goal (level {}): {}{unblocks} Why it matters: {} Effort (team estimate or guess): {}.",
            question.text,
            step.goal,
            goal_anchor,
            question.why,
            step.effort.as_str()
        ),
        links: ItemLinks {
            questions: vec![question.id.clone()],
            areas: vec![question.area.clone()],
            clauses: question.crosswalk.values().flatten().cloned().collect(),
        },
        priority: if step.blocks_next {
            Priority::High.max(Priority::for_gap(step.climb))
        } else {
            Priority::for_gap(step.climb)
        },
    })
}

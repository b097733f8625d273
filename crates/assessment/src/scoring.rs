//! The scoring rule. It is deliberately simple so that anyone can recompute it by hand:
//!
//! 1. Only consensus answers count. A question answered N/A is left out (it is neither a zero
//!    nor a penalty); a question without a consensus is "unanswered" and also left out of the
//!    means, but it is counted and shown.
//! 2. **Area**: the mean of its answered questions' levels, and beside it the minimum, so that
//!    one weak practice is never averaged away.
//! 3. **Pillar**: the mean of its areas' means (each area weighs the same whatever its number of
//!    questions), and beside it the lowest area mean: the weakest area of the pillar.
//! 4. **Overall**: the mean of all area means, and the lowest area mean.
//! 5. **Gaps**: for each answered question with a target (the question's own, else its area's,
//!    else the assessment default) the consensus level below the target; largest gap first.
//! 6. **Headline level** (Google's MLOps levels 0, 1, 2): level N is reached when level N-1 is
//!    reached and every question the bank names for level N has a consensus level at or above
//!    the bank's threshold (3, "automated"). Named questions answered N/A are left out; a named
//!    question that is unanswered or below the threshold blocks the level. A level whose named
//!    questions are all N/A is not reached: there is nothing to show that it is.
//!
//! Raising one answer never lowers any score or the headline level; the property tests check it.

use serde::Serialize;

use crate::answer::{Level, Rating};
use crate::assessment::Assessment;
use crate::bank::Bank;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Scorecard {
    pub bank_id: String,
    pub bank_version: String,
    pub overall: Summary,
    /// The area with the lowest mean overall (the first in bank order on a tie).
    pub weakest_area: Option<String>,
    pub pillars: Vec<PillarScore>,
    pub areas: Vec<AreaScore>,
    pub headline: Headline,
    pub gaps: Vec<Gap>,
    pub answered: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
    /// Questions whose votes spread two or more levels.
    pub dissent: Vec<String>,
}

/// A mean beside a minimum; both absent when nothing was answered.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Summary {
    pub mean: Option<f64>,
    pub min: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AreaScore {
    pub area: String,
    pub pillar: String,
    pub name: String,
    pub score: Summary,
    pub target: Option<Level>,
    pub answered: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
}

impl AreaScore {
    /// The area's mean is under its target. An area without a target, or with no answered
    /// question (no mean), is not below it.
    pub fn below_target(&self) -> bool {
        matches!((self.target, self.score.mean), (Some(target), Some(mean)) if mean < f64::from(target.value()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PillarScore {
    pub pillar: String,
    pub name: String,
    pub score: Summary,
    /// The area with the lowest mean (the first in bank order on a tie).
    pub weakest_area: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Headline {
    pub level: u8,
    pub name: String,
    pub checks: Vec<HeadlineCheck>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HeadlineCheck {
    pub level: u8,
    pub name: String,
    pub met: bool,
    pub blockers: Vec<Blocker>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Blocker {
    pub question: String,
    /// The consensus level, or `None` when the question is unanswered or N/A.
    pub level: Option<Level>,
    /// Answered N/A where the bank does not accept N/A for this level.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<bool>"))]
    pub not_applicable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Gap {
    pub question: String,
    pub area: String,
    pub level: Level,
    pub target: Level,
    pub size: u8,
}

/// Scores an assessment against the bank it was taken with.
pub fn score(bank: &Bank, assessment: &Assessment) -> Scorecard {
    let rating_of = |question: &str| {
        assessment
            .answers
            .get(question)
            .and_then(|a| a.rating.as_ref())
    };

    let mut areas = Vec::new();
    for area in bank.areas() {
        let mut levels = Vec::new();
        let (mut not_applicable, mut unanswered) = (0, 0);
        for question in bank.questions_in_area(&area.id) {
            match rating_of(&question.id) {
                Some(Rating::Level { level }) => levels.push(f64::from(level.value())),
                Some(Rating::NotApplicable { .. }) => not_applicable += 1,
                None => unanswered += 1,
            }
        }
        areas.push(AreaScore {
            area: area.id.clone(),
            pillar: area.pillar.clone(),
            name: area.name.clone(),
            score: Summary {
                mean: mean(&levels),
                min: minimum(&levels),
            },
            target: assessment.targets.for_area(&area.id),
            answered: levels.len(),
            not_applicable,
            unanswered,
        });
    }

    let pillars = bank
        .pillars
        .iter()
        .map(|pillar| {
            let members: Vec<&AreaScore> = areas.iter().filter(|a| a.pillar == pillar.id).collect();
            let (score, weakest_area) = summarise_areas(&members);
            PillarScore {
                pillar: pillar.id.clone(),
                name: pillar.name.clone(),
                score,
                weakest_area,
            }
        })
        .collect();
    let (overall, weakest_area) = summarise_areas(&areas.iter().collect::<Vec<_>>());

    let mut gaps: Vec<Gap> = bank
        .questions
        .iter()
        .filter_map(|question| {
            let level = rating_of(&question.id)?.as_level()?;
            let target = assessment.targets.for_question(question)?;
            (level < target).then(|| Gap {
                question: question.id.clone(),
                area: question.area.clone(),
                level,
                target,
                size: target.value() - level.value(),
            })
        })
        .collect();
    // Stable sort keeps bank order among gaps of the same size.
    gaps.sort_by_key(|gap| std::cmp::Reverse(gap.size));

    let answered = areas.iter().map(|a| a.answered).sum();
    let not_applicable = areas.iter().map(|a| a.not_applicable).sum();
    let unanswered = areas.iter().map(|a| a.unanswered).sum();
    let dissent = bank
        .questions
        .iter()
        .filter(|q| assessment.vote_summary(&q.id).dissent)
        .map(|q| q.id.clone())
        .collect();

    Scorecard {
        bank_id: bank.id.clone(),
        bank_version: bank.version.clone(),
        overall,
        weakest_area,
        pillars,
        areas,
        headline: headline(bank, |q| rating_of(q)),
        gaps,
        answered,
        not_applicable,
        unanswered,
        dissent,
    }
}

fn headline<'a>(bank: &Bank, rating_of: impl Fn(&str) -> Option<&'a Rating>) -> Headline {
    let rule = &bank.headline;
    let mut reached = 0;
    let mut name = rule.base_name.clone();
    let mut checks = Vec::new();
    for level in &rule.levels {
        let mut blockers = Vec::new();
        let mut applicable = 0;
        for question in &level.requires {
            match rating_of(question) {
                Some(Rating::NotApplicable { .. }) => {
                    let accepted = level
                        .na_allowed
                        .as_ref()
                        .is_none_or(|allowed| allowed.contains(question));
                    if !accepted {
                        applicable += 1;
                        blockers.push(Blocker {
                            question: question.clone(),
                            level: None,
                            not_applicable: true,
                        });
                    }
                }
                Some(Rating::Level { level }) => {
                    applicable += 1;
                    if *level < rule.threshold {
                        blockers.push(Blocker {
                            question: question.clone(),
                            level: Some(*level),
                            not_applicable: false,
                        });
                    }
                }
                None => {
                    applicable += 1;
                    blockers.push(Blocker {
                        question: question.clone(),
                        level: None,
                        not_applicable: false,
                    });
                }
            }
        }
        let met = blockers.is_empty() && applicable > 0;
        if met && reached + 1 == level.level {
            reached = level.level;
            name = level.name.clone();
        }
        checks.push(HeadlineCheck {
            level: level.level,
            name: level.name.clone(),
            met,
            blockers,
        });
    }
    Headline {
        level: reached,
        name,
        checks,
    }
}

/// Mean of the area means and the lowest area mean (with that area's id).
fn summarise_areas(areas: &[&AreaScore]) -> (Summary, Option<String>) {
    let scored: Vec<(&str, f64)> = areas
        .iter()
        .filter_map(|a| Some((a.area.as_str(), a.score.mean?)))
        .collect();
    let means: Vec<f64> = scored.iter().map(|(_, m)| *m).collect();
    let weakest = scored
        .iter()
        .fold(None::<(&str, f64)>, |low, &(id, m)| match low {
            Some((_, lm)) if lm <= m => low,
            _ => Some((id, m)),
        })
        .map(|(id, _)| id.to_owned());
    (
        Summary {
            mean: mean(&means),
            min: minimum(&means),
        },
        weakest,
    )
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn minimum(values: &[f64]) -> Option<f64> {
    values.iter().copied().reduce(f64::min)
}

/// The rule above in plain words, for the CLI and the methodology section of reports.
pub fn method_in_words(bank: &Bank) -> Vec<String> {
    let rule = &bank.headline;
    let mut lines = vec![
        "Each question is answered by consensus on a level from 0 to 4; votes spreading two or \
         more levels are flagged as dissent. Questions answered N/A (with a justification) and \
         unanswered questions are left out of every mean, not counted as zero."
            .to_owned(),
        "An area's score is the mean of its answered questions, shown beside its lowest answer. \
         A pillar's score is the mean of its area scores (every area weighs the same), shown \
         beside its weakest area. The overall score is the mean of all area scores, shown beside \
         the weakest area."
            .to_owned(),
        "A gap is a question whose consensus level is below its target (the question's own \
         target, else its area's, else the assessment's default); the largest gaps come first."
            .to_owned(),
    ];
    let mut headline = match &rule.scale {
        Some(scale) => format!(
            "The headline follows the bank's {scale}. Level 0 ({}) is the starting point.",
            rule.base_name
        ),
        None => format!(
            "The headline follows Google's MLOps levels. Level 0 ({}) is the starting point.",
            rule.base_name
        ),
    };
    for level in &rule.levels {
        let not_applicable = match &level.na_allowed {
            None => "N/A ones are left out".to_owned(),
            Some(allowed) if allowed.is_empty() => "none of them may be N/A".to_owned(),
            Some(allowed) => format!("only {} may be N/A", allowed.join(", ")),
        };
        headline.push_str(&format!(
            " Level {} ({}) is reached when level {} is reached and {} all reach level {} or \
             above ({not_applicable}; an unanswered one blocks).",
            level.level,
            level.name,
            level.level - 1,
            level.requires.join(", "),
            rule.threshold
        ));
    }
    lines.extend(bank.rating_guide.iter().cloned());
    lines.push(headline);
    lines
}

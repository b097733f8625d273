//! Assessments of one scope over time: the trend per area and the difference between two.

use chrono::NaiveDate;
use serde::Serialize;

use crate::answer::Rating;
use crate::assessment::Assessment;
use crate::bank::Bank;
use crate::governance::GovernanceItem;
use crate::scoring::score;

/// One assessment of a scope, as a point of its trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TrendPoint {
    pub assessment_id: String,
    pub title: String,
    pub assessed_on: NaiveDate,
    pub headline_level: u8,
    pub overall_mean: Option<f64>,
    /// Area id and mean, in bank order.
    pub areas: Vec<(String, Option<f64>)>,
    /// The bank version (`id@version`) the point is scored with, when it is not the one of
    /// the scope's latest assessment.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub bank: Option<String>,
}

/// Trend points of a scope's assessments, oldest first (by date, then creation).
pub fn trend(bank: &Bank, assessments: &[Assessment]) -> Vec<TrendPoint> {
    let mut ordered: Vec<&Assessment> = assessments.iter().collect();
    ordered.sort_by_key(|a| (a.assessed_on, a.created_at));
    ordered
        .into_iter()
        .map(|a| {
            let card = score(bank, a);
            TrendPoint {
                assessment_id: a.id.clone(),
                title: a.title.clone(),
                assessed_on: a.assessed_on,
                headline_level: card.headline.level,
                overall_mean: card.overall.mean,
                areas: card
                    .areas
                    .iter()
                    .map(|s| (s.area.clone(), s.score.mean))
                    .collect(),
                bank: None,
            }
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Diff {
    pub from: String,
    pub to: String,
    pub headline: (u8, u8),
    pub overall_mean: (Option<f64>, Option<f64>),
    pub answers: Vec<AnswerDelta>,
    pub areas: Vec<AreaDelta>,
    /// Questions with dissent before that were voted on again without it.
    pub dissent_resolved: Vec<String>,
    pub dissent_new: Vec<String>,
    /// Items of the scope created after the earlier assessment, up to the later one's date,
    /// leaving out those raised from the earlier assessment itself.
    pub items_opened: Vec<String>,
    /// Items done or risk-accepted since the earlier assessment.
    pub items_closed: Vec<String>,
    /// Items still active and past due on the later assessment's date.
    pub items_overdue: Vec<String>,
    /// Set when the two were taken with different versions of a bank: `(earlier, later)` as
    /// `id@version`. Headline, overall and area scores are then each under its own version.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub banks: Option<(String, String)>,
    /// Questions of the later bank whose answers cannot be compared with the earlier ones.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<NotComparable>>", optional))]
    pub not_comparable: Vec<NotComparable>,
    /// Whether anyone voted in the later assessment; without votes, dissent is not compared.
    pub votes_cast: bool,
    /// Notes kept word for word from the earlier assessment on answers whose level changed.
    pub notes_to_review: Vec<NoteToReview>,
}

/// A note that was written for another level: the answer's level changed since the earlier
/// assessment, but its note is still the earlier one, word for word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NoteToReview {
    pub question: String,
    /// The earlier assessment's id and title.
    pub earlier: String,
    pub earlier_title: String,
    /// The level the note was written for and the level now, as "2", "N/A" or "-".
    pub written_for: String,
    pub now: String,
    /// The same in one sentence, as the workshop and the report show it.
    pub message: String,
}

fn level_in_words(short: &str) -> String {
    match short {
        "N/A" => "not applicable".to_owned(),
        "-" => "unanswered".to_owned(),
        level => format!("level {level}"),
    }
}

/// The notes of `to` that are the notes of `from` word for word on questions whose rating
/// changed in between, in bank order: a note carried into a new assessment describes the old
/// level until someone rewrites it.
pub fn notes_to_review(bank: &Bank, from: &Assessment, to: &Assessment) -> Vec<NoteToReview> {
    bank.questions
        .iter()
        .filter_map(|q| {
            let (before, after) = (from.answers.get(&q.id)?, to.answers.get(&q.id)?);
            let note = after.note.as_deref().filter(|n| !n.trim().is_empty())?;
            (before.note.as_deref() == Some(note) && before.rating != after.rating).then(|| {
                let (written_for, now) =
                    (short(before.rating.as_ref()), short(after.rating.as_ref()));
                NoteToReview {
                    message: format!(
                        "Review this note: it is unchanged from \"{}\", where the answer was {}; \
                         the answer is now {}.",
                        from.title,
                        level_in_words(&written_for),
                        level_in_words(&now)
                    ),
                    question: q.id.clone(),
                    earlier: from.id.clone(),
                    earlier_title: from.title.clone(),
                    written_for,
                    now,
                }
            })
        })
        .collect()
}

/// A question a cross-version diff leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NotComparable {
    pub question: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AnswerDelta {
    pub question: String,
    /// "2", "N/A" or "-" (unanswered).
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AreaDelta {
    pub area: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
}

fn short(rating: Option<&Rating>) -> String {
    match rating {
        Some(Rating::Level { level }) => level.to_string(),
        Some(Rating::NotApplicable { .. }) => "N/A".to_owned(),
        None => "-".to_owned(),
    }
}

/// What changed from `from` to `to` (both taken with `bank`), and what happened to the
/// scope's register items in between.
pub fn diff(bank: &Bank, from: &Assessment, to: &Assessment, items: &[GovernanceItem]) -> Diff {
    let (before, after) = (score(bank, from), score(bank, to));
    let rating = |a: &Assessment, q: &str| a.answers.get(q).and_then(|x| x.rating.clone());
    let answers = bank
        .questions
        .iter()
        .filter_map(|q| {
            let (b, a) = (rating(from, &q.id), rating(to, &q.id));
            (b != a).then(|| AnswerDelta {
                question: q.id.clone(),
                before: short(b.as_ref()),
                after: short(a.as_ref()),
            })
        })
        .collect();
    let areas = before
        .areas
        .iter()
        .zip(&after.areas)
        .filter(|(b, a)| b.score.mean != a.score.mean)
        .map(|(b, a)| AreaDelta {
            area: b.area.clone(),
            before: b.score.mean,
            after: a.score.mean,
        })
        .collect();
    let since = from.created_at;
    let until = to.assessed_on;
    let ids = |filter: &dyn Fn(&GovernanceItem) -> bool| {
        items
            .iter()
            .filter(|i| filter(i))
            .map(|i| i.id.clone())
            .collect::<Vec<_>>()
    };
    Diff {
        from: from.id.clone(),
        to: to.id.clone(),
        headline: (before.headline.level, after.headline.level),
        overall_mean: (before.overall.mean, after.overall.mean),
        answers,
        areas,
        // Resolved means voted on again without dissent, not merely not voted on yet.
        dissent_resolved: before
            .dissent
            .iter()
            .filter(|q| !after.dissent.contains(q) && to.votes_on(q).next().is_some())
            .cloned()
            .collect(),
        dissent_new: after
            .dissent
            .iter()
            .filter(|q| !before.dissent.contains(q))
            .cloned()
            .collect(),
        // Items raised in the earlier assessment's own workshop belong to it, not to the time
        // in between.
        items_opened: ids(&|i| {
            i.created_at > since
                && i.created_at.date_naive() <= until
                && i.assessment_id.as_deref() != Some(from.id.as_str())
        }),
        items_closed: ids(&|i| !i.status.is_active() && i.updated_at > since),
        items_overdue: ids(&|i| i.is_overdue(until)),
        banks: None,
        not_comparable: Vec::new(),
        votes_cast: !to.votes.is_empty(),
        notes_to_review: notes_to_review(bank, from, to),
    }
}

//! When evidence stops being current. The rule:
//!
//! 1. Evidence counts from the day the fact it shows was true (`as_of`), else from the day it
//!    was linked. A link recorded before either was kept has no day and is never called stale
//!    on age.
//! 2. The re-attestation period is the question's own (from the bank) where it sets one, else
//!    the assessment's; with neither, evidence does not go stale with age.
//! 3. Evidence is stale from the day its period ends (`as_of` + period).
//! 4. Tracker evidence that names a registered model version (`model:NAME/VERSION`) is stale
//!    from the import that found a newer version of that model in production while the named
//!    one was not.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::answer::{EvidenceKind, EvidenceLink};
use crate::assessment::Assessment;
use crate::bank::Bank;
use crate::governance::GovernanceItem;

/// The prefix of a tracker evidence reference to a registered model version.
pub const MODEL_REFERENCE: &str = "model:";

/// A newer model version in production, as the last import of the scope's evidence saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Supersession {
    /// `NAME/VERSION` of the version in production now.
    pub by: String,
    /// The day of the import that saw it.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub seen_on: NaiveDate,
}

/// One piece of evidence that is no longer current.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StaleEvidence {
    /// The question whose answer links it, or the register item it proves done.
    pub question: Option<String>,
    pub item: Option<String>,
    pub kind: EvidenceKind,
    pub target: String,
    pub label: Option<String>,
    /// The day it counts from.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub as_of: Option<NaiveDate>,
    /// The day it went stale.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub stale_since: NaiveDate,
    /// Why, in words.
    pub reason: String,
}

/// The registered model version (`NAME/VERSION`) a tracker reference names, if it names one.
pub fn model_reference(link: &EvidenceLink) -> Option<&str> {
    (link.kind == EvidenceKind::Tracker)
        .then(|| link.target.trim().strip_prefix(MODEL_REFERENCE))
        .flatten()
        .map(str::trim)
        .filter(|r| r.contains('/'))
}

/// The day a link counts from.
pub fn counts_from(link: &EvidenceLink) -> Option<NaiveDate> {
    link.as_of
        .or_else(|| link.provenance.as_ref().map(|p| p.added_at.date_naive()))
}

/// Whether `link` is stale on `today`, and since when and why.
fn judge(
    link: &EvidenceLink,
    period: Option<u32>,
    today: NaiveDate,
    superseded: &dyn Fn(&str) -> Option<Supersession>,
) -> Option<(NaiveDate, String)> {
    let from = counts_from(link);
    let expired = from.zip(period).and_then(|(from, days)| {
        let until = from + Duration::days(i64::from(days));
        (today >= until).then(|| {
            (
                until,
                format!("older than the {days}-day re-attestation period (dated {from})"),
            )
        })
    });
    let replaced = model_reference(link).and_then(|model| {
        superseded(model).map(|s| {
            (
                s.seen_on,
                format!(
                    "model version {model} was superseded in production by {}",
                    s.by
                ),
            )
        })
    });
    // The earlier reason is the day it first stopped being current.
    match (expired, replaced) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The stale evidence of an assessment's answers, in bank order, and of the register items
/// given (those of its scope), on `today`. `period` is the assessment's re-attestation period.
pub fn stale_evidence(
    bank: &Bank,
    assessment: &Assessment,
    items: &[GovernanceItem],
    period: Option<u32>,
    today: NaiveDate,
    superseded: &dyn Fn(&str) -> Option<Supersession>,
) -> Vec<StaleEvidence> {
    let mut stale = Vec::new();
    let period_of = |question: &str| {
        bank.question(question)
            .and_then(|q| q.reattest_days)
            .or(period)
    };
    for question in &bank.questions {
        let Some(answer) = assessment.answers.get(&question.id) else {
            continue;
        };
        for link in &answer.evidence {
            if let Some((since, reason)) = judge(link, period_of(&question.id), today, superseded) {
                stale.push(entry(Some(question.id.clone()), None, link, since, reason));
            }
        }
    }
    for item in items {
        // An item's evidence ages with the shortest period of the questions it is about.
        let item_period = item
            .links
            .questions
            .iter()
            .filter_map(|q| bank.question(q).and_then(|q| q.reattest_days))
            .min()
            .or(period);
        for link in &item.evidence {
            if let Some((since, reason)) = judge(link, item_period, today, superseded) {
                stale.push(entry(None, Some(item.id.clone()), link, since, reason));
            }
        }
    }
    stale
}

fn entry(
    question: Option<String>,
    item: Option<String>,
    link: &EvidenceLink,
    stale_since: NaiveDate,
    reason: String,
) -> StaleEvidence {
    StaleEvidence {
        question,
        item,
        kind: link.kind,
        target: link.target.clone(),
        label: link.label.clone(),
        as_of: counts_from(link),
        stale_since,
        reason,
    }
}

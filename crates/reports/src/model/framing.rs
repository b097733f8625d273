//! What a model version 3 report says about itself: who facilitated, what was assessed and the
//! method's limits (on the cover), one key to the colours and marks used throughout, and what
//! the content hash proves and what it does not (in the appendix). Derived from the model
//! alone, like the rest of [`super::Reading`], and printed the same by both renderers.

use serde::Serialize;

use super::schema::ReportModel;
use crate::palette::{self, Rgb};

/// Printed in the appendix of version 3 reports, after the content hash.
pub const HASH_PROVES: [&str; 3] = [
    "What the content hash proves. The hash is computed over the report's data, which is \
     embedded in this file. If the file's data or its printed pages were changed after export, \
     running \u{201c}assay verify FILE\u{201d} no longer finds them consistent and says so. Run against the database \
     the report came from, \u{201c}assay verify FILE --db PATH\u{201d} also checks that the audit trail still \
     holds the event the report records on its cover (so the trail was not cut back or \
     rewritten since) and says whether the data has changed after the report was made.",
    "What it does not prove. The hash is not a signature: anyone with Assay can produce a \
     consistent report from data they typed in, so it does not show who made the report or that \
     the answers are true. It says nothing about the evidence behind a link beyond the file \
     digest recorded when the link was added. Keep the file where it cannot be replaced (a \
     document system with its own history), or compare its hash with one recorded elsewhere, \
     when you need to show it is the report that was approved.",
    "Approvals. A sign-off binds to the hash of the data without the sign-offs themselves and \
     records the end of the audit trail when it was given; a sign-off marked stale was given on \
     data that has changed since.",
];

/// The document's own statements, for version 3 reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Framing {
    /// The facilitator(s), or a sentence saying none is named.
    pub facilitator: String,
    /// What was assessed: the scope, the bank, how many questions and participants.
    pub scope: String,
    /// The method's limits in one sentence.
    pub limits: &'static str,
    /// One key to every colour and mark the report uses.
    pub marks: Vec<MarkRow>,
    pub hash_proves: [&'static str; 3],
}

/// One colour or mark and what it means wherever it appears.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MarkRow {
    #[serde(skip)]
    pub colour: Rgb,
    /// Drawn as a dashed outline (targets) rather than a filled square.
    #[serde(skip)]
    pub dashed: bool,
    /// What is shown: "Red", "Amber".
    pub name: &'static str,
    pub meaning: &'static str,
}

/// The colours and marks, in the order a reader meets them. Red outranks amber: a gap with
/// dissent is drawn as a gap.
const MARKS: [(Rgb, &str, &str); 7] = [
    (
        palette::FAIL,
        "Red",
        "Below target: a gap, a headline condition not met, a clause not met, an overdue \
         register item, a fairness metric that fails. Red outranks amber.",
    ),
    (
        palette::WARN,
        "Amber",
        "Needs attention but is not a gap: dissent (votes two or more levels apart), an \
         unanswered question, a clause partly met, a carried answer or a note to review, \
         characters the PDF cannot show.",
    ),
    (
        palette::PASS,
        "Green",
        "Reached: a headline condition met, a clause met and evidenced, a metric that passes.",
    ),
    (
        palette::ACCENT,
        "Dark blue bar",
        "A question answered at or above its target.",
    ),
    (
        palette::MUTED,
        "Grey",
        "Not applicable (with its justification), captions and provenance.",
    ),
    (
        palette::SCORE,
        "Blue in charts",
        "Scores: the mean of an area or pillar; the thin tick on a bar is its lowest answer.",
    ),
    (palette::TARGET, "Orange, dashed", "Targets, in charts."),
];

const LIMITS: &str = "A self-assessment: the levels are the team's own consensus. Evidence is \
    listed where it was linked, but neither Assay nor anyone outside the team tested it.";

impl Framing {
    /// The key to colours and marks as a figure, the same in both renderers.
    pub fn key_chart(&self) -> crate::chart::Chart {
        let entries: Vec<crate::chart::KeyEntry<'_>> = self
            .marks
            .iter()
            .map(|m| crate::chart::KeyEntry {
                colour: m.colour,
                dashed: m.dashed,
                name: m.name,
                meaning: m.meaning,
            })
            .collect();
        crate::chart::key("Colours and marks used in this report", &entries)
    }

    /// `None` for reports of model versions before 3, whose layout has none of this.
    pub fn of(model: &ReportModel) -> Option<Framing> {
        if model.model_version < 3 {
            return None;
        }
        let facts = &model.document;
        let participants = model.participants.len();
        Some(Framing {
            facilitator: facts.facilitator.clone().unwrap_or_else(|| {
                "Not named: no participant has the facilitator role.".to_owned()
            }),
            scope: format!(
                "{}: {} questions of {} {}, rated by {} {}.",
                facts.scope,
                model.summary.questions,
                facts.bank_title,
                facts.bank_version,
                participants,
                if participants == 1 {
                    "participant"
                } else {
                    "participants"
                }
            ),
            limits: LIMITS,
            marks: MARKS
                .iter()
                .map(|(colour, name, meaning)| MarkRow {
                    colour: *colour,
                    dashed: *colour == palette::TARGET,
                    name,
                    meaning,
                })
                .collect(),
            hash_proves: HASH_PROVES,
        })
    }
}

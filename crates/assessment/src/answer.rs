//! Levels, ratings, votes and the consensus that a workshop derives from them.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A maturity level, 0 (absent or ad hoc) to 4 (continuously improved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "number"))]
#[serde(try_from = "u8", into = "u8")]
pub struct Level(u8);

/// Bank files write levels as plain integers 0 to 4.
impl schemars::JsonSchema for Level {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Level".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "integer", "minimum": 0, "maximum": 4 })
    }
}

impl Level {
    pub const MAX: u8 = 4;

    pub fn new(value: u8) -> Result<Level, RatingError> {
        if value <= Self::MAX {
            Ok(Level(value))
        } else {
            Err(RatingError::LevelOutOfRange(value.into()))
        }
    }

    /// The nearest level: below 0 gives 0, above 4 gives 4.
    pub fn saturating(value: i64) -> Level {
        Level(u8::try_from(value.clamp(0, i64::from(Self::MAX))).unwrap_or(Self::MAX))
    }

    /// Parses user input such as "3"; anything else is a clear error.
    pub fn parse(text: &str) -> Result<Level, RatingError> {
        let value: i64 = text
            .trim()
            .parse()
            .map_err(|_| RatingError::NotALevel(text.trim().to_owned()))?;
        u8::try_from(value)
            .ok()
            .and_then(|v| Level::new(v).ok())
            .ok_or(RatingError::LevelOutOfRange(value))
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Level {
    type Error = RatingError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Level::new(value)
    }
}

impl From<Level> for u8 {
    fn from(level: Level) -> u8 {
        level.0
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error("level {0} is out of range: levels run from 0 to 4")]
    LevelOutOfRange(i64),
    #[error("`{0}` is not a level: use a number from 0 to 4")]
    NotALevel(String),
    #[error("N/A needs a justification: say why the question does not apply")]
    MissingJustification,
    #[error("`{0}` is not a confidence: use low, medium or high")]
    NotAConfidence(String),
}

/// The consensus answer to a question: a level, or not applicable with the reason why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rating {
    Level { level: Level },
    NotApplicable { justification: String },
}

impl Rating {
    pub fn level(level: Level) -> Rating {
        Rating::Level { level }
    }

    /// N/A is only accepted with a justification that is not blank.
    pub fn not_applicable(justification: &str) -> Result<Rating, RatingError> {
        let justification = justification.trim();
        if justification.is_empty() {
            return Err(RatingError::MissingJustification);
        }
        Ok(Rating::NotApplicable {
            justification: justification.to_owned(),
        })
    }

    /// The level, or `None` for N/A.
    pub fn as_level(&self) -> Option<Level> {
        match self {
            Rating::Level { level } => Some(*level),
            Rating::NotApplicable { .. } => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn parse(text: &str) -> Result<Confidence, RatingError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "low" => Ok(Confidence::Low),
            "medium" => Ok(Confidence::Medium),
            "high" => Ok(Confidence::High),
            _ => Err(RatingError::NotAConfidence(text.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    Url,
    File,
    /// Evidence imported from an experiment tracker, referenced by its key.
    Tracker,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Url => "url",
            EvidenceKind::File => "file",
            EvidenceKind::Tracker => "tracker",
        }
    }

    pub fn parse(text: &str) -> Option<EvidenceKind> {
        match text {
            "url" => Some(EvidenceKind::Url),
            "file" => Some(EvidenceKind::File),
            "tracker" => Some(EvidenceKind::Tracker),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvidenceLink {
    pub kind: EvidenceKind,
    pub target: String,
    pub label: Option<String>,
    /// The day the fact it shows was true (a report's date, a test run's day), when it differs
    /// from the day it was linked; what re-attestation counts from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "string"))]
    pub as_of: Option<chrono::NaiveDate>,
    /// Who linked it and when, and a linked file's digest; `None` for links recorded before
    /// provenance was kept (and for a link that is being added, until it is stored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub provenance: Option<LinkProvenance>,
}

/// Where an evidence link came from, recorded when it is added and never changed afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LinkProvenance {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub added_at: DateTime<Utc>,
    pub added_by: String,
    /// SHA-256 (hex) of a linked file's bytes when it was linked, so a later change to the file
    /// shows; only for file links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub sha256: Option<String>,
}

/// Why an evidence link was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error(
        "a web link must be an address starting with http:// or https://; give a file or \
         tracker reference as such"
    )]
    NotAWebAddress,
}

impl EvidenceLink {
    /// A web link must be an http(s) address. Reports make links clickable, and any other
    /// scheme (`javascript:`, `data:`, `file:`) would run or open something on the reader's
    /// machine when followed. Files and tracker evidence have kinds of their own.
    pub fn check_target(&self) -> Result<(), LinkError> {
        if self.kind != EvidenceKind::Url {
            return Ok(());
        }
        let target = self.target.trim();
        let lower = target.get(..8).unwrap_or(target).to_ascii_lowercase();
        let rest = if lower.starts_with("https://") {
            &target[8..]
        } else if lower.starts_with("http://") {
            &target[7..]
        } else {
            return Err(LinkError::NotAWebAddress);
        };
        if rest.trim().is_empty() {
            return Err(LinkError::NotAWebAddress);
        }
        Ok(())
    }
}

/// What the assessment records for one question: the consensus rating (once decided) and the
/// context around it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Answer {
    pub rating: Option<Rating>,
    pub note: Option<String>,
    pub confidence: Option<Confidence>,
    pub evidence: Vec<EvidenceLink>,
    /// Set while the answer is one carried over from an earlier assessment and nobody has
    /// reviewed it yet; any change to the answer, or confirming it, clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub carried: Option<Carried>,
}

/// Where a carried answer came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Carried {
    /// The earlier assessment's id.
    pub assessment: String,
    /// The bank it was taken with, `id@version`.
    pub bank: String,
    /// The question(s) of that bank the answer comes from.
    pub questions: Vec<String>,
    /// How the bank's newer version maps them; `None` when the bank is the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub change: Option<crate::bank::ChangeKind>,
}

/// One participant's vote on one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum VoteValue {
    Level(Level),
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Vote {
    pub question_id: String,
    pub participant_id: String,
    pub value: VoteValue,
}

/// Votes spreading this many levels or more (highest minus lowest) are flagged as dissent.
pub const DISSENT_SPREAD: u8 = 2;

/// The votes on one question, summarised for the facilitator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VoteSummary {
    pub votes: usize,
    pub not_applicable: usize,
    pub lowest: Option<Level>,
    pub highest: Option<Level>,
    /// The median of the level votes; with an even count, the lower of the two middle votes,
    /// so that a split room is not rounded up.
    pub suggested: Option<Level>,
    pub dissent: bool,
}

impl VoteSummary {
    pub fn of(values: impl IntoIterator<Item = VoteValue>) -> VoteSummary {
        let mut levels = Vec::new();
        let mut not_applicable = 0;
        for value in values {
            match value {
                VoteValue::Level(level) => levels.push(level),
                VoteValue::NotApplicable => not_applicable += 1,
            }
        }
        levels.sort();
        let lowest = levels.first().copied();
        let highest = levels.last().copied();
        let suggested = (!levels.is_empty()).then(|| levels[(levels.len() - 1) / 2]);
        let dissent = match (lowest, highest) {
            (Some(low), Some(high)) => high.value() - low.value() >= DISSENT_SPREAD,
            _ => false,
        };
        VoteSummary {
            votes: levels.len() + not_applicable,
            not_applicable,
            lowest,
            highest,
            suggested,
            dissent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn votes(levels: &[u8]) -> VoteSummary {
        VoteSummary::of(
            levels
                .iter()
                .map(|&l| VoteValue::Level(Level::new(l).unwrap())),
        )
    }

    #[test]
    fn level_parse_rejects_out_of_range_and_garbage() {
        assert_eq!(Level::parse("3").unwrap().value(), 3);
        assert_eq!(Level::parse("7"), Err(RatingError::LevelOutOfRange(7)));
        assert_eq!(Level::parse("-1"), Err(RatingError::LevelOutOfRange(-1)));
        assert_eq!(
            Level::parse("three"),
            Err(RatingError::NotALevel("three".into()))
        );
        assert!(serde_json::from_str::<Level>("5").is_err());
    }

    #[test]
    fn not_applicable_requires_justification() {
        assert_eq!(
            Rating::not_applicable("  "),
            Err(RatingError::MissingJustification)
        );
        assert_eq!(
            Rating::not_applicable(" no online features ").unwrap(),
            Rating::NotApplicable {
                justification: "no online features".into()
            }
        );
    }

    #[test]
    fn dissent_is_a_spread_of_two_levels() {
        assert!(!votes(&[1, 2, 2]).dissent);
        assert!(votes(&[1, 2, 3]).dissent);
        assert!(!votes(&[]).dissent);
    }

    #[test]
    fn suggested_consensus_is_the_lower_median() {
        assert_eq!(votes(&[3, 1, 2]).suggested.unwrap().value(), 2);
        assert_eq!(votes(&[1, 3, 2, 4]).suggested.unwrap().value(), 2);
        assert_eq!(votes(&[]).suggested, None);
    }

    #[test]
    fn not_applicable_votes_do_not_count_towards_dissent() {
        let summary = VoteSummary::of([
            VoteValue::NotApplicable,
            VoteValue::Level(Level::new(2).unwrap()),
            VoteValue::Level(Level::new(3).unwrap()),
        ]);
        assert_eq!(summary.votes, 3);
        assert_eq!(summary.not_applicable, 1);
        assert!(!summary.dissent);
        assert_eq!(summary.suggested.unwrap().value(), 2);
    }

    #[test]
    fn web_links_take_http_and_https_only() {
        let link = |kind, target: &str| EvidenceLink {
            kind,
            target: target.to_owned(),
            label: None,
            as_of: None,
            provenance: None,
        };
        for good in ["https://example.org/x", "HTTP://wiki/page", " https://a "] {
            assert_eq!(
                link(EvidenceKind::Url, good).check_target(),
                Ok(()),
                "{good}"
            );
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/hostname",
            "/etc/hostname",
            "example.org",
            "https://",
            "http:// ",
            "é",
        ] {
            assert_eq!(
                link(EvidenceKind::Url, bad).check_target(),
                Err(LinkError::NotAWebAddress),
                "{bad}"
            );
        }
        // Files and tracker evidence are references, not links to follow in a browser.
        assert_eq!(
            link(EvidenceKind::File, "/srv/eval.pdf").check_target(),
            Ok(())
        );
        assert_eq!(
            link(EvidenceKind::Tracker, "run:abc").check_target(),
            Ok(())
        );
    }
}

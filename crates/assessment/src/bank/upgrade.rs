//! How a newer version of a bank maps the questions of an older one, so answers can be carried
//! across versions and `history`/`diff` know what is comparable.
//!
//! The newer bank declares one upgrade file per older version it can take answers from. Each
//! entry names the old question ids, the new ones and the kind of change.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::Problem;

/// What became of one or more questions of the older version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Same id, same topic (the wording or the anchors may have been sharpened).
    Kept,
    /// Same topic under a new id.
    Renamed,
    /// One old question became several new ones; each inherits the old answer.
    Split,
    /// Several old questions became one; the lowest old answer is carried.
    Merged,
    /// Dropped: its answer is not carried.
    Removed,
}

impl ChangeKind {
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Kept => "kept",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Split => "split",
            ChangeKind::Merged => "merged",
            ChangeKind::Removed => "removed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct QuestionChange {
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub kind: ChangeKind,
    /// Why, in a sentence a reviewer can check.
    pub note: String,
}

/// The mapping from one older version of the same bank id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Upgrade {
    pub from_version: String,
    pub changes: Vec<QuestionChange>,
}

/// The upgrade file as written: `from_version` and `[[change]]` tables.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUpgrade {
    pub(super) from_version: String,
    pub(super) change: Vec<QuestionChange>,
}

impl Upgrade {
    /// Checks an upgrade file against the questions of the bank that declares it; the error is
    /// the problem in words (the caller adds the file name).
    pub(super) fn build(
        raw: RawUpgrade,
        own_version: &str,
        new_ids: &BTreeSet<&str>,
    ) -> Result<Upgrade, Problem> {
        if raw.from_version.trim().is_empty() || raw.from_version == own_version {
            return Err(Problem(format!(
                "from_version `{}` must name an earlier version",
                raw.from_version
            )));
        }
        let mut seen_old = BTreeSet::new();
        for change in &raw.change {
            let shape_ok = match change.kind {
                ChangeKind::Kept => change.from.len() == 1 && change.from == change.to,
                ChangeKind::Renamed => {
                    change.from.len() == 1 && change.to.len() == 1 && change.from != change.to
                }
                ChangeKind::Split => change.from.len() == 1 && change.to.len() >= 2,
                ChangeKind::Merged => change.from.len() >= 2 && change.to.len() == 1,
                ChangeKind::Removed => change.from.len() == 1 && change.to.is_empty(),
            };
            let first = change.from.first().map_or("<none>", String::as_str);
            if !shape_ok {
                return Err(Problem(format!(
                    "change of {first}: a `{}` change cannot go from {} to {} question(s)",
                    change.kind.label(),
                    change.from.len(),
                    change.to.len()
                )));
            }
            if change.note.trim().is_empty() {
                return Err(Problem(format!("change of {first}: `note` is empty")));
            }
            for old in &change.from {
                if !seen_old.insert(old.as_str()) {
                    return Err(Problem(format!("old question {old} is mapped twice")));
                }
            }
            if let Some(unknown) = change.to.iter().find(|id| !new_ids.contains(id.as_str())) {
                return Err(Problem(format!(
                    "change of {first}: new question {unknown} is not in this bank"
                )));
            }
        }
        Ok(Upgrade {
            from_version: raw.from_version,
            changes: raw.change,
        })
    }

    /// The change that maps an old question, if the upgrade names it.
    pub fn change_of(&self, old_id: &str) -> Option<&QuestionChange> {
        self.changes
            .iter()
            .find(|c| c.from.iter().any(|f| f == old_id))
    }

    /// For each new question, the old questions its answer is carried from (in mapping order).
    pub fn sources(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut sources: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for change in &self.changes {
            for new in &change.to {
                sources
                    .entry(new.as_str())
                    .or_default()
                    .extend(change.from.iter().map(String::as_str));
            }
        }
        sources
    }

    /// Old ids this upgrade does not mention: an upgrade must account for every old question.
    pub fn unmapped<'a>(&self, old_ids: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
        old_ids
            .into_iter()
            .filter(|id| self.change_of(id).is_none())
            .collect()
    }
}

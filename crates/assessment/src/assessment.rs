//! An assessment: who took part, what they aimed for and what they answered.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::answer::{Answer, Level, Vote, VoteSummary};
use crate::bank::Question;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Participant {
    pub id: String,
    pub name: String,
    pub role: String,
}

/// Target levels. The most specific target wins: question, then area, then the default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Targets {
    pub default: Option<Level>,
    pub areas: BTreeMap<String, Level>,
    pub questions: BTreeMap<String, Level>,
}

impl Targets {
    pub fn for_question(&self, question: &Question) -> Option<Level> {
        self.questions
            .get(&question.id)
            .or_else(|| self.areas.get(&question.area))
            .copied()
            .or(self.default)
    }

    pub fn for_area(&self, area: &str) -> Option<Level> {
        self.areas.get(area).copied().or(self.default)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Assessment {
    pub id: String,
    /// The team or system assessed; repeated assessments of one scope form its history.
    pub scope: String,
    pub title: String,
    pub assessed_on: NaiveDate,
    pub bank_id: String,
    pub bank_version: String,
    pub participants: Vec<Participant>,
    pub targets: Targets,
    /// Question id -> answer.
    pub answers: BTreeMap<String, Answer>,
    pub votes: Vec<Vote>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Assessment {
    pub fn votes_on<'a>(&'a self, question_id: &'a str) -> impl Iterator<Item = &'a Vote> {
        self.votes
            .iter()
            .filter(move |v| v.question_id == question_id)
    }

    pub fn vote_summary(&self, question_id: &str) -> VoteSummary {
        VoteSummary::of(self.votes_on(question_id).map(|v| v.value))
    }

    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }
}

//! Assessment actions: create, list, show, participants, targets, votes, answers, score.

use std::collections::BTreeMap;

use assay_assessment::scoring::{self, Scorecard};
use assay_assessment::{
    Answer, Assessment, Bank, Confidence, EvidenceLink, Level, Participant, Rating, Targets, Vote,
    VoteSummary, VoteValue,
};
use assay_store::{BankOrigin, TargetScope};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::bank::builtin_canonical_version;
use crate::carry::Carry;
use crate::{ApiError, Assay, Result};

/// Longest accepted name, role, scope or title, in characters.
pub(crate) const MAX_SHORT_TEXT: usize = 200;
/// Longest accepted note, justification or evidence reference, in characters.
pub(crate) const MAX_LONG_TEXT: usize = 20_000;
/// Shortest id prefix accepted in place of a full assessment id.
const MIN_ID_PREFIX: usize = 4;

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[serde(default)]
pub struct NewAssessment {
    pub scope: String,
    pub title: String,
    /// Defaults to today's date by the clock.
    pub assessed_on: Option<NaiveDate>,
    pub participants: Vec<NewParticipant>,
    pub targets: Targets,
    /// An earlier assessment to start from: its consensus answers (with notes, confidence and
    /// evidence) and, unless targets are given, its targets, each marked as carried until
    /// reviewed. With a newer version of its bank, through the mapping that version declares.
    /// Votes are not carried over.
    pub start_from: Option<String>,
    /// The bank to take it with, as `id@version` (or `id` for the newest version). Default:
    /// the earlier assessment's bank when starting from one, else the default bank.
    pub bank: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewParticipant {
    pub name: String,
    pub role: String,
}

/// A partial update of one answer: fields left `None` keep their value.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(optional_fields = nullable))]
#[serde(default)]
pub struct AnswerChange {
    pub rating: Option<Rating>,
    /// Withdraw the consensus (the question becomes unanswered).
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub clear_rating: bool,
    /// Take the median of the votes as the consensus.
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub accept_votes: bool,
    /// `Some("")` clears the note.
    pub note: Option<String>,
    pub confidence: Option<Confidence>,
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<EvidenceLink>>", optional))]
    pub add_evidence: Vec<EvidenceLink>,
}

#[derive(Debug, Clone, Copy)]
pub enum TargetChange<'a> {
    Default(Option<Level>),
    Area(&'a str, Option<Level>),
    Question(&'a str, Option<Level>),
}

/// One line of the assessment list, with its headline level.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssessmentSummary {
    pub id: String,
    pub scope: String,
    pub title: String,
    pub assessed_on: NaiveDate,
    pub bank_version: String,
    pub participants: usize,
    pub answered: usize,
    pub questions: usize,
    /// `None` when the assessment's bank is not the one this build ships.
    pub headline_level: Option<u8>,
    /// The mean over all areas (0 to 4): the finer trend beside the headline. `None` when
    /// nothing is answered yet or the bank is another one.
    pub overall_mean: Option<f64>,
}

impl Assay {
    pub fn create_assessment(&mut self, mut new: NewAssessment) -> Result<Assessment> {
        let previous = new
            .start_from
            .as_deref()
            .map(|id| self.assessment(id))
            .transpose()?;
        let bank = match (&new.bank, &previous) {
            (Some(name), _) => self.find_bank(name)?,
            (None, Some(previous)) => self.bank_for(previous)?,
            (None, None) => self.default_bank(),
        };
        let previous_bank = previous.as_ref().map(|p| self.bank_for(p)).transpose()?;
        let carry = previous_bank
            .as_deref()
            .map(|from| Carry::between(from, &bank))
            .transpose()?;
        if let (Some(previous), Some(carry)) = (&previous, &carry) {
            if new.scope.trim().is_empty() {
                new.scope.clone_from(&previous.scope);
            }
            if new.targets == Targets::default() {
                new.targets = carry.targets(previous, &bank.bank);
            }
        }
        let origin = if builtin_canonical_version(&bank.bank.id, &bank.bank.version).is_some() {
            BankOrigin::Builtin
        } else {
            BankOrigin::Imported
        };
        // One instant for both: the bank is stored as the assessment is created.
        let now = self.clock.now();
        self.store_bank(&bank, origin, now)?;
        let created = self.insert_new_assessment(new, &bank.bank, now)?;
        let (Some(previous), Some(previous_bank), Some(carry)) = (previous, previous_bank, carry)
        else {
            return Ok(created);
        };
        for (question, answer) in carry.answers(&previous, &previous_bank, &bank.bank) {
            self.store.put_answer(
                &created.id,
                &question,
                &answer,
                self.clock.now(),
                &self.actor,
            )?;
        }
        self.assessment(&created.id)
    }

    fn insert_new_assessment(
        &mut self,
        new: NewAssessment,
        bank: &Bank,
        now: DateTime<Utc>,
    ) -> Result<Assessment> {
        let scope = short_text(&new.scope, "scope")?;
        let title = if new.title.trim().is_empty() {
            let default = format!("{scope} maturity assessment");
            // A title is short text too: a scope near the limit is its own title.
            if default.chars().count() > MAX_SHORT_TEXT {
                scope.clone()
            } else {
                default
            }
        } else {
            short_text(&new.title, "title")?
        };
        let mut participants: Vec<Participant> = Vec::new();
        for p in new.participants {
            let name = short_text(&p.name, "participant name")?;
            if participants
                .iter()
                .any(|q| q.name.eq_ignore_ascii_case(&name))
            {
                return Err(ApiError::DuplicateParticipant(name));
            }
            participants.push(Participant {
                id: self.ids.next_id(),
                name,
                role: short_text(&p.role, "role")?,
            });
        }
        for area in new.targets.areas.keys() {
            bank.area(area)
                .ok_or_else(|| ApiError::UnknownArea(area.clone()))?;
        }
        for question in new.targets.questions.keys() {
            bank.question(question)
                .ok_or_else(|| ApiError::UnknownQuestion(question.clone()))?;
        }
        let assessment = Assessment {
            id: self.ids.next_id(),
            scope,
            title,
            assessed_on: new.assessed_on.unwrap_or_else(|| now.date_naive()),
            bank_id: bank.id.clone(),
            bank_version: bank.version.clone(),
            participants,
            targets: new.targets,
            answers: BTreeMap::new(),
            votes: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        self.store.insert_assessment(&assessment)?;
        Ok(assessment)
    }

    pub fn list_assessments(&self) -> Result<Vec<AssessmentSummary>> {
        let rows = self.store.list_assessments()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let assessment = self.load(&row.id)?;
            let bank = self.bank_for(&assessment).ok();
            let (headline_level, overall_mean, questions) = match &bank {
                Some(bank) => {
                    let card = scoring::score(&bank.bank, &assessment);
                    let questions = bank.bank.questions.len();
                    (Some(card.headline.level), card.overall.mean, questions)
                }
                None => (None, None, 0),
            };
            out.push(AssessmentSummary {
                id: row.id,
                scope: row.scope,
                title: row.title,
                assessed_on: row.assessed_on,
                bank_version: row.bank_version,
                participants: row.participants,
                answered: row.answered,
                questions,
                headline_level,
                overall_mean,
            });
        }
        Ok(out)
    }

    /// The whole assessment; `id` may be a unique prefix of at least four characters.
    pub fn assessment(&self, id: &str) -> Result<Assessment> {
        let id = self.resolve(id)?;
        self.load(&id)
    }

    pub fn add_participant(
        &mut self,
        assessment: &str,
        new: NewParticipant,
    ) -> Result<Participant> {
        let current = self.assessment(assessment)?;
        self.ensure_open(&current.id)?;
        let name = short_text(&new.name, "participant name")?;
        if current
            .participants
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case(&name))
        {
            return Err(ApiError::DuplicateParticipant(name));
        }
        let participant = Participant {
            id: self.ids.next_id(),
            name,
            role: short_text(&new.role, "role")?,
        };
        self.store
            .add_participant(&current.id, &participant, self.clock.now())?;
        Ok(participant)
    }

    pub fn set_target(&mut self, assessment: &str, change: TargetChange<'_>) -> Result<()> {
        let current = self.assessment(assessment)?;
        self.ensure_open(&current.id)?;
        let bank = self.bank_for(&current)?;
        let (scope, level) = match change {
            TargetChange::Default(level) => (TargetScope::Default, level),
            TargetChange::Area(area, level) => {
                bank.bank
                    .area(area)
                    .ok_or_else(|| ApiError::UnknownArea(area.to_owned()))?;
                (TargetScope::Area(area), level)
            }
            TargetChange::Question(question, level) => {
                Assay::find_question(&bank.bank, question)?;
                (TargetScope::Question(question), level)
            }
        };
        self.store
            .set_target(&current.id, scope, level, self.clock.now())?;
        Ok(())
    }

    /// Records one participant's vote (by participant name or id) and returns the updated
    /// summary of the votes on that question.
    pub fn cast_vote(
        &mut self,
        assessment: &str,
        question: &str,
        participant: &str,
        value: VoteValue,
    ) -> Result<VoteSummary> {
        let (mut current, question, participant) =
            self.vote_target(assessment, question, participant)?;
        let vote = Vote {
            question_id: question.clone(),
            participant_id: participant,
            value,
        };
        self.store
            .upsert_vote(&current.id, &vote, self.clock.now(), &self.actor)?;
        // The summary from the assessment as loaded plus this vote: no second read.
        current.votes.retain(|v| {
            !(v.question_id == vote.question_id && v.participant_id == vote.participant_id)
        });
        current.votes.push(vote);
        Ok(current.vote_summary(&question))
    }

    /// Withdraws a participant's vote on one question ("don't know" after all); returns the
    /// question's vote summary as it is now.
    pub fn withdraw_vote(
        &mut self,
        assessment: &str,
        question: &str,
        participant: &str,
    ) -> Result<VoteSummary> {
        let (mut current, question, participant) =
            self.vote_target(assessment, question, participant)?;
        self.store.withdraw_vote(
            &current.id,
            &question,
            &participant,
            self.clock.now(),
            &self.actor,
        )?;
        current
            .votes
            .retain(|v| !(v.question_id == question && v.participant_id == participant));
        Ok(current.vote_summary(&question))
    }

    /// The assessment (open, not finalised), question and participant ids a vote is about.
    fn vote_target(
        &self,
        assessment: &str,
        question: &str,
        participant: &str,
    ) -> Result<(Assessment, String, String)> {
        let current = self.assessment(assessment)?;
        self.ensure_open(&current.id)?;
        let bank = self.bank_for(&current)?;
        let question = Assay::find_question(&bank.bank, question)?.id.clone();
        let participant = participant_of(&current, participant)?.id.clone();
        Ok((current, question, participant))
    }

    /// The vote summary (spread, dissent, suggested consensus) of every question in the bank,
    /// by question id; what the workshop shows beside the votes.
    pub fn vote_summaries(&self, assessment: &str) -> Result<BTreeMap<String, VoteSummary>> {
        let current = self.assessment(assessment)?;
        let bank = self.bank_for(&current)?;
        Ok(bank
            .bank
            .questions
            .iter()
            .map(|q| (q.id.clone(), current.vote_summary(&q.id)))
            .collect())
    }

    /// Changes the consensus answer to one question and returns it as stored.
    pub fn update_answer(
        &mut self,
        assessment: &str,
        question: &str,
        change: AnswerChange,
    ) -> Result<Answer> {
        let current = self.assessment(assessment)?;
        self.ensure_open(&current.id)?;
        let bank = self.bank_for(&current)?;
        let question = Assay::find_question(&bank.bank, question)?.id.clone();
        let chosen = [
            change.rating.is_some(),
            change.clear_rating,
            change.accept_votes,
        ];
        if chosen.iter().filter(|c| **c).count() > 1 {
            return Err(ApiError::Invalid(
                "give one of a level, N/A, accepting the votes or clearing the answer".into(),
            ));
        }
        let mut answer = current.answers.get(&question).cloned().unwrap_or_default();
        // Any change through here, confirming included, means someone has reviewed the answer.
        answer.carried = None;
        if let Some(rating) = change.rating {
            answer.rating = Some(checked_rating(rating)?);
        }
        if change.clear_rating {
            answer.rating = None;
        }
        if change.accept_votes {
            let suggested = current.vote_summary(&question).suggested.ok_or_else(|| {
                ApiError::Invalid(format!("nobody has voted a level on {question} yet"))
            })?;
            answer.rating = Some(Rating::level(suggested));
        }
        if let Some(note) = change.note {
            answer.note = optional_long_text(&note, "note")?;
        }
        if let Some(confidence) = change.confidence {
            answer.confidence = Some(confidence);
        }
        for link in change.add_evidence {
            answer.evidence.push(self.new_evidence_link(link)?);
        }
        self.store.put_answer(
            &current.id,
            &question,
            &answer,
            self.clock.now(),
            &self.actor,
        )?;
        Ok(answer)
    }

    pub fn score(&self, assessment: &str) -> Result<Scorecard> {
        let current = self.assessment(assessment)?;
        let bank = self.bank_for(&current)?;
        Ok(scoring::score(&bank.bank, &current))
    }

    pub(crate) fn find_question<'b>(
        bank: &'b Bank,
        id: &str,
    ) -> Result<&'b assay_assessment::Question> {
        let id = id.trim();
        bank.questions
            .iter()
            .find(|q| q.id.eq_ignore_ascii_case(id))
            .ok_or_else(|| ApiError::UnknownQuestion(id.to_owned()))
    }

    fn load(&self, id: &str) -> Result<Assessment> {
        self.store
            .load_assessment(id)?
            .ok_or_else(|| ApiError::AssessmentNotFound(id.to_owned()))
    }

    /// A full assessment id, or a unique prefix of one.
    pub(crate) fn resolve(&self, id: &str) -> Result<String> {
        resolve_prefix(
            id,
            |p| self.store.assessment_ids_with_prefix(p),
            ApiError::AssessmentNotFound,
        )
    }
}

fn checked_rating(rating: Rating) -> Result<Rating> {
    match rating {
        Rating::NotApplicable { justification } => {
            check_text(justification.trim(), "justification", MAX_LONG_TEXT)?;
            Ok(Rating::not_applicable(&justification)?)
        }
        level => Ok(level),
    }
}

pub(crate) fn check_text(value: &str, what: &str, max: usize) -> Result<()> {
    if value.chars().count() > max {
        return Err(ApiError::Invalid(format!(
            "{what} is longer than {max} characters"
        )));
    }
    if value.contains('\0') {
        return Err(ApiError::Invalid(format!(
            "{what} contains a NUL character"
        )));
    }
    Ok(())
}

/// Resolves a full id or a unique prefix of at least [`MIN_ID_PREFIX`] characters, given the
/// ids starting with a prefix; `not_found` builds the error for an unknown one.
pub(crate) fn resolve_prefix(
    id: &str,
    ids_with_prefix: impl FnOnce(&str) -> Result<Vec<String>, assay_store::StoreError>,
    not_found: fn(String) -> ApiError,
) -> Result<String> {
    let id = id.trim();
    if id.chars().count() < MIN_ID_PREFIX {
        return Err(not_found(id.to_owned()));
    }
    let mut matches = ids_with_prefix(id)?;
    match matches.len() {
        0 => Err(not_found(id.to_owned())),
        1 => Ok(matches.remove(0)),
        _ if matches.iter().any(|m| m == id) => Ok(id.to_owned()),
        _ => Err(ApiError::AmbiguousId {
            prefix: id.to_owned(),
            candidates: matches.join(", "),
        }),
    }
}

pub(crate) fn short_text(value: &str, what: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ApiError::Invalid(format!("{what} is empty")));
    }
    check_text(value, what, MAX_SHORT_TEXT)?;
    Ok(value.to_owned())
}

pub(crate) fn long_text(value: &str, what: &str) -> Result<String> {
    optional_long_text(value, what)?.ok_or_else(|| ApiError::Invalid(format!("{what} is empty")))
}

pub(crate) fn optional_long_text(value: &str, what: &str) -> Result<Option<String>> {
    let value = value.trim();
    check_text(value, what, MAX_LONG_TEXT)?;
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// A participant of `assessment` by id or (case-insensitive) name.
pub(crate) fn participant_of<'a>(
    assessment: &'a Assessment,
    participant: &str,
) -> Result<&'a assay_assessment::Participant> {
    assessment
        .participants
        .iter()
        .find(|p| p.id == participant || p.name.eq_ignore_ascii_case(participant.trim()))
        .ok_or_else(|| ApiError::UnknownParticipant(participant.to_owned()))
}

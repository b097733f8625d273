//! An assessment's questionnaire as a workbook to fill in away from the app, and the filled
//! workbook read back as consensus answers or as one participant's votes.
//!
//! The file carries the assessment id, the bank and the bank's SHA-256 on a hidden "About"
//! sheet, so a file made for another assessment or bank is refused before any row is read. A
//! questionnaire exported for one participant holds that person's votes and says whose they
//! are, so it can only come back as that person's votes.

use std::path::Path;

use assay_assessment::{Answer, Assessment, CanonicalBank, Participant, Rating, VoteValue};
use chrono::{DateTime, Utc};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Note, ProtectionOptions, Workbook, Worksheet,
    XlsxError,
};
use serde::Serialize;

use super::layout::{self, QUESTIONNAIRE_FORMAT, QUESTIONNAIRE_VERSION, questionnaire as names};
use super::questionnaire_read::{Plan, plan_import};
use super::read::read_file;
use super::{file_label, is_workbook};
use crate::{ApiError, Assay, Result};

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuestionnaireExport {
    pub assessment: String,
    /// `id@version` of the assessment's bank.
    pub bank: String,
    pub questions: usize,
    /// The participant whose votes were filled in; `None` for the consensus answers.
    pub participant: Option<String>,
    /// Questions whose level was filled in: the consensus answer, or the participant's vote.
    pub answered: usize,
}

/// What the Level column of an export is filled with.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FilledWith<'a> {
    Consensus,
    VotesOf(&'a Participant),
}

/// What an import changed. Rows whose inputs are all blank are skipped; a blank cell never
/// clears what is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QuestionnaireImport {
    pub assessment: String,
    /// The participant whose votes the rows became; `None` for consensus answers.
    pub participant: Option<String>,
    pub answers_set: usize,
    pub votes_cast: usize,
    /// Rows that say what is stored already.
    pub unchanged: usize,
    /// Rows with no level, justification or note.
    pub blank: usize,
    /// With a participant: rows whose note or justification differs from the consensus answer;
    /// a vote carries a level only, so that text was not stored.
    pub notes_not_recorded: usize,
}

impl Assay {
    /// Writes the assessment's questionnaire to `path` (an .xlsx file): one row per question
    /// with its anchors and the current consensus answers filled in, or, `for_participant` (a
    /// name or id), that participant's own votes, for them to fill in and send back.
    pub fn export_questionnaire(
        &self,
        assessment: &str,
        path: &Path,
        for_participant: Option<&str>,
    ) -> Result<QuestionnaireExport> {
        if !is_workbook(path) {
            return Err(ApiError::Invalid(format!(
                "{} does not end in .xlsx: a questionnaire is written as an Excel workbook",
                path.display()
            )));
        }
        let current = self.assessment(assessment)?;
        let bank = self.bank_for(&current)?;
        let participant = for_participant
            .map(|name| find_participant(&current, name))
            .transpose()?;
        let filled = participant.map_or(FilledWith::Consensus, FilledWith::VotesOf);
        let levels = filled_levels(&current, &bank, filled);
        let bytes = write_questionnaire(&current, &bank, filled, &levels, self.clock.now())
            .map_err(xlsx_failed)?;
        std::fs::write(path, bytes)
            .map_err(|e| ApiError::Io(format!("{}: {e}", path.display())))?;
        Ok(QuestionnaireExport {
            assessment: current.id.clone(),
            bank: bank.name(),
            questions: bank.bank.questions.len(),
            participant: participant.map(|p| p.name.clone()),
            answered: levels.iter().filter(|level| level.is_some()).count(),
        })
    }

    /// The file name a questionnaire export proposes: the assessment's title and date, and
    /// whose votes it holds.
    pub fn questionnaire_file_name(
        &self,
        assessment: &str,
        for_participant: Option<&str>,
    ) -> Result<String> {
        let current = self.assessment(assessment)?;
        let whose = match for_participant {
            Some(name) => format!(" - {}", find_participant(&current, name)?.name),
            None => String::new(),
        };
        let stem = format!(
            "{} {} questionnaire{whose}",
            current.title, current.assessed_on
        );
        Ok(format!("{}.xlsx", crate::reports::file_stem(&stem)))
    }

    /// Reads a filled questionnaire into the assessment: as consensus answers, or with
    /// `as_participant` (a name or id) as that participant's votes. Every row is checked first;
    /// a file made for another assessment or bank, or any cell that cannot be read, is refused
    /// with nothing written.
    pub fn import_questionnaire(
        &mut self,
        assessment: &str,
        path: &Path,
        as_participant: Option<&str>,
    ) -> Result<QuestionnaireImport> {
        let current = self.assessment(assessment)?;
        self.ensure_open(&current.id)?;
        let bank = self.bank_for(&current)?;
        let participant = as_participant
            .map(|name| find_participant(&current, name).cloned())
            .transpose()?;
        let file = file_label(path);
        let bytes = read_file(path, &file).map_err(ApiError::Questionnaire)?;
        let Plan {
            answers,
            votes,
            participant,
            mut summary,
        } = plan_import(&bytes, &file, &current, &bank, participant.as_ref())
            .map_err(ApiError::Questionnaire)?;
        let now = self.clock.now();
        if !answers.is_empty() {
            let rows: Vec<(&str, &Answer)> = answers.iter().map(|(q, a)| (q.as_str(), a)).collect();
            self.store
                .put_answers(&current.id, &rows, now, &self.actor)?;
        }
        if !votes.is_empty() {
            self.store
                .upsert_votes(&current.id, &votes, now, &self.actor)?;
        }
        summary.assessment = current.id;
        summary.participant = participant.map(|p| p.name);
        Ok(summary)
    }
}

/// The participant `name` (a name, any case, or an id) of the assessment.
fn find_participant<'a>(assessment: &'a Assessment, name: &str) -> Result<&'a Participant> {
    assessment
        .participants
        .iter()
        .find(|p| p.id == name || p.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| ApiError::UnknownParticipant(name.to_owned()))
}

/// What the Level column says for each question of the bank, in bank order.
fn filled_levels(
    assessment: &Assessment,
    bank: &CanonicalBank,
    filled: FilledWith<'_>,
) -> Vec<Option<VoteValue>> {
    bank.bank
        .questions
        .iter()
        .map(|question| match filled {
            FilledWith::Consensus => match assessment
                .answers
                .get(&question.id)
                .and_then(|a| a.rating.as_ref())
            {
                Some(Rating::Level { level }) => Some(VoteValue::Level(*level)),
                Some(Rating::NotApplicable { .. }) => Some(VoteValue::NotApplicable),
                None => None,
            },
            FilledWith::VotesOf(participant) => assessment
                .votes
                .iter()
                .find(|v| v.question_id == question.id && v.participant_id == participant.id)
                .map(|v| v.value),
        })
        .collect()
}

/// A workbook that could not be written: a text over a cell's 32,767 characters is the user's
/// to fix; anything else is a fault here.
pub(crate) fn xlsx_failed(error: XlsxError) -> ApiError {
    match error {
        XlsxError::MaxStringLengthExceeded => ApiError::Invalid(
            "a text is longer than the 32,767 characters a spreadsheet cell holds".into(),
        ),
        other => ApiError::Internal(format!("writing the workbook: {other}")),
    }
}

/// The questionnaire as .xlsx bytes; `levels` are what the Level column is filled with, in bank
/// order ([`filled_levels`]).
pub(crate) fn write_questionnaire(
    assessment: &Assessment,
    bank: &CanonicalBank,
    filled: FilledWith<'_>,
    levels: &[Option<VoteValue>],
    exported_at: DateTime<Utc>,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    write_questions(workbook.add_worksheet(), assessment, bank, filled, levels)?;
    let about = workbook.add_worksheet();
    about.set_name(names::ABOUT)?;
    about.set_column_width(0, 16)?;
    about.set_column_width(1, 70)?;
    let prefilled = levels.iter().filter(|level| level.is_some()).count();
    let mut rows = vec![
        (names::KEY_FORMAT, QUESTIONNAIRE_FORMAT.to_owned()),
        (names::KEY_VERSION, QUESTIONNAIRE_VERSION.to_string()),
        (names::KEY_ASSESSMENT, assessment.id.clone()),
        (names::KEY_TITLE, assessment.title.clone()),
        (names::KEY_BANK, bank.name()),
        (names::KEY_BANK_SHA256, bank.digest.to_string()),
        (names::KEY_EXPORTED_AT, exported_at.to_rfc3339()),
        (names::KEY_PREFILLED, prefilled.to_string()),
    ];
    if let FilledWith::VotesOf(participant) = filled {
        rows.push((names::KEY_PARTICIPANT, participant.id.clone()));
        rows.push((names::KEY_PARTICIPANT_NAME, participant.name.clone()));
    }
    for (row, (key, value)) in (0u32..).zip(rows) {
        about.write_string(row, 0, key)?;
        about.write_string(row, 1, value)?;
    }
    // Hidden, so people fill in one sheet; the import reads it whatever its state.
    about.set_hidden(true);
    workbook.save_to_buffer()
}

fn write_questions(
    sheet: &mut Worksheet,
    assessment: &Assessment,
    bank: &CanonicalBank,
    filled: FilledWith<'_>,
    levels: &[Option<VoteValue>],
) -> Result<(), XlsxError> {
    sheet.set_name(names::QUESTIONS)?;
    let header = layout::header();
    let widths = [10, 22, 28, 48, 60, 8, 30, 40];
    for (column, (title, width)) in (0u16..).zip(names::HEADERS.iter().zip(widths)) {
        sheet.write_string_with_format(0, column, *title, &header)?;
        sheet.set_column_width(column, width)?;
    }
    let level_names: Vec<String> = (0..)
        .zip(&bank.bank.levels)
        .map(|(n, name): (u8, &String)| format!("{n} {name}"))
        .collect();
    let whose = match filled {
        FilledWith::Consensus => String::new(),
        FilledWith::VotesOf(participant) => format!(
            "Your own votes, {}: a vote is the level only, so notes here are not stored. ",
            participant.name
        ),
    };
    let note = Note::new(format!(
        "{whose}A level 0-4, or N/A with a justification in the next column. Levels are \
         cumulative: {}. A blank cell changes nothing.",
        level_names.join(", ")
    ))
    .set_width(320)
    .set_height(140);
    sheet.insert_note(0, u16::try_from(names::LEVEL).unwrap_or(5), &note)?;
    sheet.set_freeze_panes(1, 1)?;

    let wrapped = layout::wrapped();
    let input = layout::input();
    let column = |c: u32| u16::try_from(c).unwrap_or(u16::MAX);
    let mut last = 0;
    for ((row, question), filled_level) in (1u32..).zip(&bank.bank.questions).zip(levels) {
        last = row;
        let area = bank
            .bank
            .area(&question.area)
            .map_or(question.area.as_str(), |a| a.name.as_str());
        let anchors = (0..)
            .zip(&question.anchors)
            .map(|(n, anchor): (u8, &String)| format!("{n}: {anchor}"))
            .collect::<Vec<_>>()
            .join("\n");
        let texts = [
            &question.id,
            area,
            &question.title,
            &question.text,
            &anchors,
        ];
        for (col, text) in (0u16..).zip(texts) {
            sheet.write_string_with_format(row, col, text, &wrapped)?;
        }
        // A participant's copy carries no consensus text: notes and justifications are theirs.
        let answer = match filled {
            FilledWith::Consensus => assessment.answers.get(&question.id),
            FilledWith::VotesOf(_) => None,
        };
        let rating = answer.and_then(|a| a.rating.as_ref());
        match filled_level {
            Some(VoteValue::Level(level)) => sheet.write_number_with_format(
                row,
                column(names::LEVEL),
                f64::from(level.value()),
                &input,
            )?,
            Some(VoteValue::NotApplicable) => {
                sheet.write_string_with_format(row, column(names::LEVEL), "N/A", &input)?
            }
            None => sheet.write_blank(row, column(names::LEVEL), &input)?,
        };
        match rating {
            Some(Rating::NotApplicable { justification }) => sheet.write_string_with_format(
                row,
                column(names::JUSTIFICATION),
                justification,
                &input,
            )?,
            _ => sheet.write_blank(row, column(names::JUSTIFICATION), &input)?,
        };
        match answer.and_then(|a| a.note.as_deref()) {
            Some(note) => sheet.write_string_with_format(row, column(names::NOTE), note, &input)?,
            None => sheet.write_blank(row, column(names::NOTE), &input)?,
        };
    }
    if last > 0 {
        let validation = DataValidation::new()
            .allow_list_strings(&names::LEVEL_CHOICES)?
            .set_error_style(DataValidationErrorStyle::Stop)
            .set_error_title("Level")?
            .set_error_message("Choose a level 0-4, or N/A with a justification.")?;
        let level = column(names::LEVEL);
        sheet.add_data_validation(1, level, last, level, &validation)?;
    }
    // Protected without a password: the question columns are not edited by accident, and
    // columns and rows can still be resized.
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    sheet.protect_with_options(&options);
    Ok(())
}

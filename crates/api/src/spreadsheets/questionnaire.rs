//! An assessment's questionnaire as a workbook to fill in away from the app, and the filled
//! workbook read back as consensus answers or as one participant's votes.
//!
//! The file carries the assessment id, the bank and the bank's SHA-256 on a hidden "About"
//! sheet, so a file made for another assessment or bank is refused before any row is read.

use std::path::Path;

use assay_assessment::{Answer, Assessment, CanonicalBank, Rating};
use chrono::{DateTime, Utc};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Note, ProtectionOptions, Workbook, Worksheet,
    XlsxError,
};
use serde::Serialize;

use super::layout::{self, LAYOUT_VERSION, QUESTIONNAIRE_FORMAT, questionnaire as names};
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
    /// Questions whose current consensus answer was filled in.
    pub answered: usize,
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
    /// with its anchors, the current consensus answers filled in.
    pub fn export_questionnaire(
        &self,
        assessment: &str,
        path: &Path,
    ) -> Result<QuestionnaireExport> {
        if !is_workbook(path) {
            return Err(ApiError::Invalid(format!(
                "{} does not end in .xlsx: a questionnaire is written as an Excel workbook",
                path.display()
            )));
        }
        let current = self.assessment(assessment)?;
        let bank = self.bank_for(&current)?;
        let bytes = write_questionnaire(&current, &bank, self.clock.now()).map_err(xlsx_failed)?;
        std::fs::write(path, bytes)
            .map_err(|e| ApiError::Io(format!("{}: {e}", path.display())))?;
        Ok(QuestionnaireExport {
            assessment: current.id.clone(),
            bank: bank.name(),
            questions: bank.bank.questions.len(),
            answered: bank
                .bank
                .questions
                .iter()
                .filter(|q| {
                    current
                        .answers
                        .get(&q.id)
                        .is_some_and(|a| a.rating.is_some())
                })
                .count(),
        })
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
        let bank = self.bank_for(&current)?;
        let participant = as_participant
            .map(|name| {
                current
                    .participants
                    .iter()
                    .find(|p| p.id == name || p.name.eq_ignore_ascii_case(name.trim()))
                    .cloned()
                    .ok_or_else(|| ApiError::UnknownParticipant(name.to_owned()))
            })
            .transpose()?;
        let file = file_label(path);
        let bytes = read_file(path, &file).map_err(ApiError::Questionnaire)?;
        let Plan {
            answers,
            votes,
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

/// The questionnaire as .xlsx bytes.
pub(crate) fn write_questionnaire(
    assessment: &Assessment,
    bank: &CanonicalBank,
    exported_at: DateTime<Utc>,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    write_questions(workbook.add_worksheet(), assessment, bank)?;
    let about = workbook.add_worksheet();
    about.set_name(names::ABOUT)?;
    about.set_column_width(0, 16)?;
    about.set_column_width(1, 70)?;
    let rows = [
        (names::KEY_FORMAT, QUESTIONNAIRE_FORMAT.to_owned()),
        (names::KEY_VERSION, LAYOUT_VERSION.to_string()),
        (names::KEY_ASSESSMENT, assessment.id.clone()),
        (names::KEY_TITLE, assessment.title.clone()),
        (names::KEY_BANK, bank.name()),
        (names::KEY_BANK_SHA256, bank.digest.to_string()),
        (names::KEY_EXPORTED_AT, exported_at.to_rfc3339()),
    ];
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
) -> Result<(), XlsxError> {
    sheet.set_name(names::QUESTIONS)?;
    let header = layout::header();
    let widths = [10, 22, 28, 48, 60, 8, 30, 40];
    for (column, (title, width)) in (0u16..).zip(names::HEADERS.iter().zip(widths)) {
        sheet.write_string_with_format(0, column, *title, &header)?;
        sheet.set_column_width(column, width)?;
    }
    let levels: Vec<String> = (0..)
        .zip(&bank.bank.levels)
        .map(|(n, name): (u8, &String)| format!("{n} {name}"))
        .collect();
    let note = Note::new(format!(
        "A level 0-4, or N/A with a justification in the next column. Levels are cumulative: {}. \
         A blank cell changes nothing.",
        levels.join(", ")
    ))
    .set_width(320)
    .set_height(140);
    sheet.insert_note(0, u16::try_from(names::LEVEL).unwrap_or(5), &note)?;
    sheet.set_freeze_panes(1, 1)?;

    let wrapped = layout::wrapped();
    let input = layout::input();
    let column = |c: u32| u16::try_from(c).unwrap_or(u16::MAX);
    let mut last = 0;
    for (row, question) in (1u32..).zip(&bank.bank.questions) {
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
        let answer = assessment.answers.get(&question.id);
        let rating = answer.and_then(|a| a.rating.as_ref());
        match rating {
            Some(Rating::Level { level }) => sheet.write_number_with_format(
                row,
                column(names::LEVEL),
                f64::from(level.value()),
                &input,
            )?,
            Some(Rating::NotApplicable { .. }) => {
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

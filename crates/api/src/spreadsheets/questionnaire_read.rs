//! A filled questionnaire turned into the changes it asks for, checked whole before anything is
//! written: the About sheet must name this assessment and its bank, and every row must read.

use std::collections::BTreeMap;

use assay_assessment::{
    Answer, Assessment, CanonicalBank, Level, Participant, Rating, Vote, VoteValue,
};

use super::SheetError;
use super::layout::{QUESTIONNAIRE_FORMAT, QUESTIONNAIRE_VERSION, questionnaire as names};
use super::questionnaire::QuestionnaireImport;
use super::read::{FORMULA_REFUSED, Problems, Sheet, Value, read_workbook};
use crate::actions::{MAX_LONG_TEXT, check_text};

/// What an import will write, and the summary it reports.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) answers: Vec<(String, Answer)>,
    pub(crate) votes: Vec<Vote>,
    /// Whose votes the rows became; `None` for consensus answers.
    pub(crate) participant: Option<Participant>,
    pub(crate) summary: QuestionnaireImport,
}

/// The Level column of one row.
#[derive(Debug, Clone, Copy, PartialEq)]
enum LevelCell {
    Level(Level),
    NotApplicable,
}

/// One row that names a question, as read.
#[derive(Debug)]
struct Row {
    row: u32,
    question: String,
    level: Option<LevelCell>,
    justification: Option<String>,
    note: Option<String>,
}

impl Row {
    fn is_blank(&self) -> bool {
        self.level.is_none() && self.justification.is_none() && self.note.is_none()
    }
}

/// Reads the workbook and works out the answers (or, for a participant, the votes) it sets. A
/// file exported for one participant is that participant's votes; `as_participant` may only
/// confirm it. A consensus file becomes someone's votes only when it was exported blank, since
/// levels filled in from the consensus are not that person's view.
pub(crate) fn plan_import(
    bytes: &[u8],
    file: &str,
    assessment: &Assessment,
    bank: &CanonicalBank,
    as_participant: Option<&Participant>,
) -> Result<Plan, SheetError> {
    let workbook = read_workbook(bytes, file, &[names::ABOUT, names::QUESTIONS])?;
    let layout = |problem: String| SheetError::Layout {
        file: file.to_owned(),
        problem,
    };
    let about = workbook.sheet(names::ABOUT).ok_or_else(|| {
        layout(format!(
            "has no `{}` sheet: it is not a questionnaire exported by Assay",
            names::ABOUT
        ))
    })?;
    let about = check_about(about, file, assessment, bank)?;
    let participant = whose_votes(&about, file, assessment, as_participant)?;
    let sheet = workbook
        .sheet(names::QUESTIONS)
        .ok_or_else(|| layout(format!("has no `{}` sheet", names::QUESTIONS)))?;
    let mut problems = Problems::new(file);
    let rows = read_rows(sheet, bank, &mut problems);
    let mut plan = match &participant {
        None => plan_answers(sheet, rows, assessment, &mut problems),
        Some(participant) => plan_votes(rows, assessment, participant),
    };
    problems.finish()?;
    plan.participant = participant;
    Ok(plan)
}

/// The participant whose votes the file holds, from its About sheet and `as_participant`.
fn whose_votes(
    about: &BTreeMap<String, String>,
    file: &str,
    assessment: &Assessment,
    as_participant: Option<&Participant>,
) -> Result<Option<Participant>, SheetError> {
    let foreign = |problem: String| SheetError::Foreign {
        file: file.to_owned(),
        problem,
    };
    let get = |key: &str| about.get(key).map(String::as_str).filter(|v| !v.is_empty());
    let Some(made_for) = get(names::KEY_PARTICIPANT) else {
        let Some(participant) = as_participant else {
            return Ok(None);
        };
        return match get(names::KEY_PREFILLED) {
            Some("0") => Ok(Some(participant.clone())),
            prefilled => Err(foreign(format!(
                "was exported with {} consensus answers filled in, so its levels are not {}'s \
                 own votes; nothing was imported: export a questionnaire for {} and have it \
                 filled in, or import this one as consensus answers",
                prefilled.unwrap_or("its"),
                participant.name,
                participant.name
            ))),
        };
    };
    let name = get(names::KEY_PARTICIPANT_NAME).unwrap_or(made_for);
    let Some(owner) = assessment.participants.iter().find(|p| p.id == made_for) else {
        return Err(foreign(format!(
            "holds the votes of {name}, who is no longer a participant of {}; nothing was \
             imported",
            assessment.id
        )));
    };
    match as_participant {
        Some(other) if other.id != owner.id => Err(foreign(format!(
            "holds the votes of {}, not of {}; nothing was imported: import it as {}, or export \
             a questionnaire for {}",
            owner.name, other.name, owner.name, other.name
        ))),
        _ => Ok(Some(owner.clone())),
    }
}

/// The About sheet's key/value rows.
fn about_values(sheet: &Sheet) -> BTreeMap<String, String> {
    (0..=sheet.last_row().unwrap_or(0))
        .filter_map(|row| match (sheet.get(row, 0), sheet.get(row, 1)) {
            (Some(Value::Text(key)), Some(Value::Text(value))) => {
                Some((key.trim().to_owned(), value.trim().to_owned()))
            }
            (Some(Value::Text(key)), Some(Value::Number(n))) => {
                Some((key.trim().to_owned(), super::read::number_text(*n)))
            }
            _ => None,
        })
        .collect()
}

/// Checks the About sheet names this format, assessment and bank, and returns its rows.
fn check_about(
    sheet: &Sheet,
    file: &str,
    assessment: &Assessment,
    bank: &CanonicalBank,
) -> Result<BTreeMap<String, String>, SheetError> {
    let about = about_values(sheet);
    let get = |key: &str| about.get(key).map_or("", String::as_str);
    if get(names::KEY_FORMAT) != QUESTIONNAIRE_FORMAT {
        return Err(SheetError::Layout {
            file: file.to_owned(),
            problem: "is not a questionnaire exported by Assay (its About sheet does not say so)"
                .into(),
        });
    }
    let version: f64 = get(names::KEY_VERSION).parse().unwrap_or(0.0);
    if version > f64::from(QUESTIONNAIRE_VERSION) {
        return Err(SheetError::Layout {
            file: file.to_owned(),
            problem: format!(
                "uses questionnaire format {version} and this version of Assay reads up to \
                 {QUESTIONNAIRE_VERSION}; upgrade Assay"
            ),
        });
    }
    let foreign = |problem: String| SheetError::Foreign {
        file: file.to_owned(),
        problem,
    };
    let made_for = get(names::KEY_ASSESSMENT);
    if made_for != assessment.id {
        return Err(foreign(format!(
            "was exported for assessment {made_for} (`{}`), not for {} (`{}`); nothing was \
             imported: import it into the assessment it was made for",
            get(names::KEY_TITLE),
            assessment.id,
            assessment.title
        )));
    }
    let (name, digest) = (get(names::KEY_BANK), get(names::KEY_BANK_SHA256));
    if name != bank.name() || digest != bank.digest.as_str() {
        return Err(foreign(format!(
            "was made with question bank {name} (SHA-256 {}), but this assessment is taken with \
             {} (SHA-256 {}); nothing was imported: export the questionnaire again",
            digest.get(..12).unwrap_or(digest),
            bank.name(),
            bank.digest.short()
        )));
    }
    Ok(about)
}

/// Every row that holds anything, checked cell by cell.
fn read_rows(sheet: &Sheet, bank: &CanonicalBank, problems: &mut Problems) -> Vec<Row> {
    let mut rows = Vec::new();
    if !problems.headers(sheet, 0, &names::HEADERS) {
        return rows;
    }
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    let columns = u32::try_from(names::HEADERS.len()).unwrap_or(u32::MAX);
    for row in 1..=sheet.last_row().unwrap_or(0) {
        if sheet.row_is_blank(row) {
            continue;
        }
        problems.stray(sheet, row, columns);
        let level = read_level(sheet, row, problems);
        let justification = long_text(sheet, row, names::JUSTIFICATION, "justification", problems);
        let note = long_text(sheet, row, names::NOTE, "note", problems);
        let id = problems.text(sheet, row, names::ID).unwrap_or_default();
        let id = id.trim();
        let has_input = level.is_some() || justification.is_some() || note.is_some();
        if id.is_empty() {
            if has_input {
                problems.add(
                    sheet.cell(row, names::ID),
                    "no question id on a row with answers",
                );
            }
            continue;
        }
        let Some(question) = bank
            .bank
            .questions
            .iter()
            .find(|q| q.id.eq_ignore_ascii_case(id))
        else {
            problems.add(
                sheet.cell(row, names::ID),
                format!("no question `{id}` in bank {}", bank.name()),
            );
            continue;
        };
        if let Some(first) = seen.insert(question.id.clone(), row) {
            problems.add(
                sheet.cell(row, names::ID),
                format!("question {} is also on row {}", question.id, first + 1),
            );
            continue;
        }
        rows.push(Row {
            row,
            question: question.id.clone(),
            level,
            justification,
            note,
        });
    }
    rows
}

fn read_level(sheet: &Sheet, row: u32, problems: &mut Problems) -> Option<LevelCell> {
    let value = sheet.get(row, names::LEVEL)?;
    let cell = sheet.cell(row, names::LEVEL);
    let parsed = match value {
        Value::Formula => {
            problems.add(cell, FORMULA_REFUSED);
            return None;
        }
        Value::Number(n) if n.fract() == 0.0 && (0.0..=4.0).contains(n) => {
            Level::new(*n as u8).ok().map(LevelCell::Level)
        }
        Value::Text(text) => {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            if text.eq_ignore_ascii_case("n/a") || text.eq_ignore_ascii_case("na") {
                Some(LevelCell::NotApplicable)
            } else {
                Level::parse(text).ok().map(LevelCell::Level)
            }
        }
        _ => None,
    };
    if parsed.is_none() {
        problems.add(cell, format!("{} is not a level 0-4 or N/A", value.shown()));
    }
    parsed
}

/// A note or justification, trimmed; `None` when blank or unreadable.
fn long_text(
    sheet: &Sheet,
    row: u32,
    column: u32,
    what: &str,
    problems: &mut Problems,
) -> Option<String> {
    let text = problems.text(sheet, row, column)?;
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Err(error) = check_text(text, what, MAX_LONG_TEXT) {
        problems.add(sheet.cell(row, column), error.to_string());
        return None;
    }
    Some(text.to_owned())
}

/// Rows as consensus answers. A blank Level keeps the stored rating, a blank note the stored
/// note: the questionnaire adds and changes, it never withdraws.
fn plan_answers(
    sheet: &Sheet,
    rows: Vec<Row>,
    assessment: &Assessment,
    problems: &mut Problems,
) -> Plan {
    let mut plan = empty_plan();
    for row in rows {
        if row.is_blank() {
            plan.summary.blank += 1;
            continue;
        }
        let current = assessment
            .answers
            .get(&row.question)
            .cloned()
            .unwrap_or_default();
        let justification_cell = sheet.cell(row.row, names::JUSTIFICATION);
        let rating = match (row.level, &row.justification, &current.rating) {
            (Some(LevelCell::NotApplicable), Some(text), _)
            | (None, Some(text), Some(Rating::NotApplicable { .. })) => {
                Some(Rating::NotApplicable {
                    justification: text.clone(),
                })
            }
            (Some(LevelCell::NotApplicable), None, _) => {
                problems.add(justification_cell, "N/A needs a justification");
                continue;
            }
            (_, Some(_), _) => {
                problems.add(
                    justification_cell,
                    "a justification goes with N/A only: clear it or set Level to N/A",
                );
                continue;
            }
            (Some(LevelCell::Level(level)), None, _) => Some(Rating::level(level)),
            (None, None, rating) => rating.clone(),
        };
        let answer = Answer {
            rating,
            note: row.note.or_else(|| current.note.clone()),
            ..current.clone()
        };
        if answer == current {
            plan.summary.unchanged += 1;
        } else {
            plan.summary.answers_set += 1;
            plan.answers.push((row.question, answer));
        }
    }
    plan
}

/// Rows as one participant's votes: the Level column only.
fn plan_votes(rows: Vec<Row>, assessment: &Assessment, participant: &Participant) -> Plan {
    let mut plan = empty_plan();
    for row in rows {
        if row.is_blank() {
            plan.summary.blank += 1;
            continue;
        }
        let consensus = assessment.answers.get(&row.question);
        let consensus_justification = match consensus.and_then(|a| a.rating.as_ref()) {
            Some(Rating::NotApplicable { justification }) => Some(justification.as_str()),
            _ => None,
        };
        let note_is_new = row
            .note
            .as_deref()
            .is_some_and(|n| Some(n) != consensus.and_then(|a| a.note.as_deref()));
        let justification_is_new = row
            .justification
            .as_deref()
            .is_some_and(|j| Some(j) != consensus_justification);
        if note_is_new || justification_is_new {
            plan.summary.notes_not_recorded += 1;
        }
        let Some(level) = row.level else {
            plan.summary.unchanged += 1;
            continue;
        };
        let value = match level {
            LevelCell::Level(level) => VoteValue::Level(level),
            LevelCell::NotApplicable => VoteValue::NotApplicable,
        };
        let stored = assessment
            .votes
            .iter()
            .find(|v| v.question_id == row.question && v.participant_id == participant.id);
        if stored.is_some_and(|v| v.value == value) {
            plan.summary.unchanged += 1;
        } else {
            plan.summary.votes_cast += 1;
            plan.votes.push(Vote {
                question_id: row.question,
                participant_id: participant.id.clone(),
                value,
            });
        }
    }
    plan
}

fn empty_plan() -> Plan {
    Plan {
        answers: Vec::new(),
        votes: Vec::new(),
        participant: None,
        summary: QuestionnaireImport::default(),
    }
}

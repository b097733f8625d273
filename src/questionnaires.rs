//! `assay questionnaire ...`: an assessment's questionnaire as an Excel workbook.

use assay_api::{ApiError, Assay};

use crate::args::QuestionnaireCommand;
use crate::output::Output;

pub fn run(
    assay: &mut Assay,
    command: QuestionnaireCommand,
    out: &mut Output,
) -> Result<(), ApiError> {
    match command {
        QuestionnaireCommand::Export {
            assessment,
            output,
            participant,
        } => {
            let written =
                assay.export_questionnaire(&assessment, &output, participant.as_deref())?;
            let filled = match &written.participant {
                Some(name) => format!("{} voted on by {name}", written.answered),
                None => format!("{} answered", written.answered),
            };
            out.line(&format!(
                "wrote {} ({} questions of {}, {filled})",
                output.display(),
                written.questions,
                written.bank,
            ))
        }
        QuestionnaireCommand::Import {
            assessment,
            file,
            participant,
            json,
        } => {
            let summary = assay.import_questionnaire(&assessment, &file, participant.as_deref())?;
            if json {
                return out.json(&summary);
            }
            let mut line = match &summary.participant {
                Some(name) => format!(
                    "imported {}: {} votes by {name} cast, {} unchanged, {} blank",
                    file.display(),
                    summary.votes_cast,
                    summary.unchanged,
                    summary.blank
                ),
                None => format!(
                    "imported {}: {} answers set, {} unchanged, {} blank",
                    file.display(),
                    summary.answers_set,
                    summary.unchanged,
                    summary.blank
                ),
            };
            if summary.notes_not_recorded > 0 {
                line.push_str(&format!(
                    "; {} notes or justifications not stored (a vote carries a level only)",
                    summary.notes_not_recorded
                ));
            }
            out.line(&line)
        }
    }
}

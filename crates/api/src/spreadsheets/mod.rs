//! Excel workbooks (.xlsx) in and out: question banks, and assessment questionnaires that people
//! fill in away from the app.
//!
//! Writing uses rust_xlsxwriter, reading calamine behind the limits of [`read`]. The conversions
//! are functions over bytes (`bank_sheet`, `bank_read`, `questionnaire`); the `Assay` methods
//! that read and write files and the database are thin. A workbook is checked whole before
//! anything is stored: every cell that cannot be read is reported with its name
//! (`Questions!F12`), and one bad cell means nothing is written.

mod assessment_book;
mod bank_read;
mod bank_sheet;
mod crosswalk_cells;
mod layout;
mod questionnaire;
mod questionnaire_read;
mod read;
mod tables;

use serde::Serialize;

pub use assessment_book::ExportedWorkbook;
pub(crate) use bank_read::{BankSheetError, read_bank_workbook};
pub(crate) use bank_sheet::write_bank_workbook;
pub(crate) use layout::{header as header_format, wrapped as wrapped_format};
pub(crate) use questionnaire::xlsx_failed;
pub use questionnaire::{QuestionnaireExport, QuestionnaireImport};
pub(crate) use read::read_file;
pub use read::{MAX_COLUMNS, MAX_INFLATED_BYTES, MAX_ROWS, MAX_WORKBOOK_BYTES};

/// One cell that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CellProblem {
    /// The cell as a spreadsheet names it, e.g. `Questions!F12` (or a sheet name alone).
    pub cell: String,
    pub problem: String,
}

impl std::fmt::Display for CellProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.cell, self.problem)
    }
}

/// Why a workbook was refused. Nothing was written to the database when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("{file}: cannot read the file: {message}")]
    Io { file: String, message: String },
    #[error("{file} is {size} bytes; a workbook is at most {limit} bytes")]
    TooLarge { file: String, size: u64, limit: u64 },
    /// Not a zip archive, a part too large once inflated, XML that does not parse.
    #[error("{file} is not a workbook Assay can read: {detail}")]
    Unreadable { file: String, detail: String },
    /// A missing sheet, a sheet past the row cap, a workbook of another kind.
    #[error("{file}: {problem}")]
    Layout { file: String, problem: String },
    /// Cells that could not be read; `more` counts those past the first 200.
    #[error("{file}: {}", cells_in_words(.problems, *.more))]
    Cells {
        file: String,
        problems: Vec<CellProblem>,
        more: usize,
    },
    /// A questionnaire made for another assessment or another bank.
    #[error("{file} {problem}")]
    Foreign { file: String, problem: String },
}

/// The problems on one line: the first twenty in full, then how many more.
fn cells_in_words(problems: &[CellProblem], more: usize) -> String {
    const SHOWN: usize = 20;
    let total = problems.len() + more;
    let listed: Vec<String> = problems
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect();
    let mut text = format!(
        "{total} cell{} could not be read, so nothing was imported: {}",
        if total == 1 { "" } else { "s" },
        listed.join("; ")
    );
    if total > SHOWN {
        text.push_str(&format!("; and {} more", total - SHOWN));
    }
    text
}

/// The name a problem gives a file: its file name, not the whole path.
pub(crate) fn file_label(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// Whether a path names an .xlsx workbook.
pub(crate) fn is_workbook(path: &std::path::Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

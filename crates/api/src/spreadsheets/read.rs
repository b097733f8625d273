//! Reading a workbook that someone else wrote, within limits, cell by cell.
//!
//! An .xlsx file is a zip archive of XML parts, so a small file can inflate to gigabytes and a
//! sheet can claim a million rows. Before calamine sees the bytes, the file size, the number of
//! zip entries and the sizes they declare are checked; the zip reader then refuses to inflate an
//! entry beyond its declared size, so a lying header fails instead of filling memory. Sheets are
//! streamed cell by cell and reading stops at the first value beyond the row or column cap,
//! which keeps a hostile sheet to a clear error in well under a second.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use super::{CellProblem, SheetError};

/// Larger workbooks are refused unread (the largest built-in bank exports to about 60 KB).
pub const MAX_WORKBOOK_BYTES: u64 = 16 * 1024 * 1024;
/// What all the parts of a workbook may inflate to, as their zip entries declare it.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;
/// Rows read per sheet (a bank has a few hundred at most).
pub const MAX_ROWS: u32 = 10_000;
/// Columns read per sheet.
pub const MAX_COLUMNS: u32 = 64;
/// Parts in the zip archive; Excel writes a dozen or two.
const MAX_ENTRIES: usize = 1_000;
/// Cell problems kept for the report; past this only their number is counted.
const MAX_PROBLEMS: usize = 200;

/// One cell's content as read, before any rule of what it should hold.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date or duration (a number formatted as one): never what a bank or an answer holds.
    Date,
    /// An error value such as `#N/A`.
    Error(String),
    /// Any formula: its cached result is not trusted, because it depends on the program that
    /// last calculated it and may be stale.
    Formula,
}

impl Value {
    /// How the value is quoted in a problem.
    pub(crate) fn shown(&self) -> String {
        match self {
            Value::Text(text) => format!("`{}`", clip(text)),
            Value::Number(number) => format!("`{}`", number_text(*number)),
            Value::Bool(true) => "`TRUE`".into(),
            Value::Bool(false) => "`FALSE`".into(),
            Value::Date => "a date".into(),
            Value::Error(error) => format!("the error `{error}`"),
            Value::Formula => "a formula".into(),
        }
    }
}

/// A number as a person typed it: integers without a decimal point.
pub(crate) fn number_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{number:.0}")
    } else {
        number.to_string()
    }
}

/// At most 40 characters of a value, on one line.
pub(crate) fn clip(text: &str) -> String {
    let mut shown: String = text
        .chars()
        .take(40)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(40).is_some() {
        shown.push('…');
    }
    shown
}

/// The non-empty cells of one sheet, by zero-based (row, column).
#[derive(Debug, Default)]
pub(crate) struct Sheet {
    pub(crate) name: String,
    cells: BTreeMap<(u32, u32), Value>,
}

impl Sheet {
    pub(crate) fn get(&self, row: u32, column: u32) -> Option<&Value> {
        self.cells.get(&(row, column))
    }

    /// The last row holding a value, if any.
    pub(crate) fn last_row(&self) -> Option<u32> {
        self.cells.keys().next_back().map(|(row, _)| *row)
    }

    /// Whether the row holds no value in any column.
    pub(crate) fn row_is_blank(&self, row: u32) -> bool {
        self.cells
            .range((row, 0)..=(row, u32::MAX))
            .next()
            .is_none()
    }

    /// Cells of `row` at `first` or further right, for reporting stray values.
    pub(crate) fn cells_from(&self, row: u32, first: u32) -> impl Iterator<Item = (u32, &Value)> {
        self.cells
            .range((row, first)..=(row, u32::MAX))
            .map(|((_, column), value)| (*column, value))
    }

    /// A cell's name as a spreadsheet shows it, e.g. `Questions!F12`.
    pub(crate) fn cell(&self, row: u32, column: u32) -> String {
        format!("{}!{}{}", self.name, column_name(column), row + 1)
    }
}

/// Column letters of a zero-based column: 0 is A, 26 is AA.
pub(crate) fn column_name(column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// The problems found so far in one file, kept until every cell has been looked at.
#[derive(Debug)]
pub(crate) struct Problems {
    file: String,
    list: Vec<CellProblem>,
    more: usize,
}

impl Problems {
    pub(crate) fn new(file: &str) -> Problems {
        Problems {
            file: file.to_owned(),
            list: Vec::new(),
            more: 0,
        }
    }

    pub(crate) fn add(&mut self, cell: String, problem: impl Into<String>) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(CellProblem {
                cell,
                problem: problem.into(),
            });
        } else {
            self.more += 1;
        }
    }

    /// `Ok` when no problem was found, else every problem at once.
    pub(crate) fn finish(self) -> Result<(), SheetError> {
        if self.list.is_empty() {
            return Ok(());
        }
        Err(SheetError::Cells {
            file: self.file,
            problems: self.list,
            more: self.more,
        })
    }

    /// The text of a cell, `None` when it is empty. Numbers are taken as the text they show;
    /// anything else is reported.
    pub(crate) fn text(&mut self, sheet: &Sheet, row: u32, column: u32) -> Option<String> {
        let value = sheet.get(row, column)?;
        match value {
            Value::Text(text) => Some(text.clone()),
            Value::Number(number) => Some(number_text(*number)),
            Value::Formula => {
                self.add(sheet.cell(row, column), FORMULA_REFUSED);
                None
            }
            other => {
                self.add(
                    sheet.cell(row, column),
                    format!("{} is not text; type the text", other.shown()),
                );
                None
            }
        }
    }

    /// A whole number from `min` to `max`, typed as a number or as text.
    pub(crate) fn whole<T>(
        &mut self,
        sheet: &Sheet,
        row: u32,
        column: u32,
        min: T,
        max: T,
    ) -> Option<T>
    where
        T: Copy + Into<f64> + TryFrom<i64> + std::fmt::Display,
    {
        let value = sheet.get(row, column)?;
        let parsed = match value {
            Value::Number(number) if number.fract() == 0.0 => Some(*number),
            Value::Text(text) => text.trim().parse::<f64>().ok(),
            Value::Formula => {
                self.add(sheet.cell(row, column), FORMULA_REFUSED);
                return None;
            }
            _ => None,
        };
        match parsed.filter(|n| *n >= min.into() && *n <= max.into() && n.fract() == 0.0) {
            Some(number) => T::try_from(number as i64).ok(),
            None => {
                self.add(
                    sheet.cell(row, column),
                    format!("{} is not a whole number {min}-{max}", value.shown()),
                );
                None
            }
        }
    }

    /// Checks that row `row` holds exactly `headers` from column A; `true` when it does.
    pub(crate) fn headers(&mut self, sheet: &Sheet, row: u32, headers: &[&str]) -> bool {
        let mut ok = true;
        for (column, expected) in (0u32..).zip(headers) {
            let found = match sheet.get(row, column) {
                Some(Value::Text(text)) => text.trim().eq_ignore_ascii_case(expected),
                _ => false,
            };
            if !found {
                ok = false;
                self.add(
                    sheet.cell(row, column),
                    format!("expected the header `{expected}`"),
                );
            }
        }
        ok
    }

    /// Reports every value right of the known columns: it would otherwise be dropped unseen.
    pub(crate) fn stray(&mut self, sheet: &Sheet, row: u32, columns: u32) {
        let last = column_name(columns.saturating_sub(1));
        let cells: Vec<String> = sheet
            .cells_from(row, columns)
            .map(|(column, _)| sheet.cell(row, column))
            .collect();
        for cell in cells {
            self.add(
                cell,
                format!("outside the sheet's columns (A to {last}); move or clear it"),
            );
        }
    }
}

pub(crate) const FORMULA_REFUSED: &str = "formula not accepted, type the value";

/// A workbook's sheets that the caller asked for, and the names of all of them.
#[derive(Debug)]
pub(crate) struct Workbook {
    pub(crate) names: Vec<String>,
    sheets: Vec<Sheet>,
}

impl Workbook {
    pub(crate) fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }
}

/// Reads a workbook file from disk, refusing one over [`MAX_WORKBOOK_BYTES`] before reading it.
pub(crate) fn read_file(path: &Path, file: &str) -> Result<Vec<u8>, SheetError> {
    let io = |e: std::io::Error| SheetError::Io {
        file: file.to_owned(),
        message: e.to_string(),
    };
    let handle = std::fs::File::open(path).map_err(io)?;
    let size = handle.metadata().map_err(io)?.len();
    if size > MAX_WORKBOOK_BYTES {
        return Err(SheetError::TooLarge {
            file: file.to_owned(),
            size,
            limit: MAX_WORKBOOK_BYTES,
        });
    }
    let mut bytes = Vec::new();
    // `take` as well: the file may grow between the size check and the read.
    handle
        .take(MAX_WORKBOOK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
        return Err(SheetError::TooLarge {
            file: file.to_owned(),
            size: bytes.len() as u64,
            limit: MAX_WORKBOOK_BYTES,
        });
    }
    Ok(bytes)
}

/// Opens a workbook held in memory and reads the sheets named in `wanted` that it has.
pub(crate) fn read_workbook(
    bytes: &[u8],
    file: &str,
    wanted: &[&str],
) -> Result<Workbook, SheetError> {
    let unreadable = |detail: String| SheetError::Unreadable {
        file: file.to_owned(),
        detail,
    };
    if bytes.len() as u64 > MAX_WORKBOOK_BYTES {
        return Err(SheetError::TooLarge {
            file: file.to_owned(),
            size: bytes.len() as u64,
            limit: MAX_WORKBOOK_BYTES,
        });
    }
    check_archive(bytes, file)?;
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let names = workbook.sheet_names();
    let mut sheets = Vec::new();
    for name in wanted {
        if names.iter().any(|n| n == name) {
            sheets.push(read_sheet(&mut workbook, name, file)?);
        }
    }
    Ok(Workbook { names, sheets })
}

/// The zip-level guard: entry count and declared sizes, before anything is inflated.
fn check_archive(bytes: &[u8], file: &str) -> Result<(), SheetError> {
    let unreadable = |detail: String| SheetError::Unreadable {
        file: file.to_owned(),
        detail,
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(unreadable(format!(
            "it holds {} parts; a workbook holds at most {MAX_ENTRIES}",
            archive.len()
        )));
    }
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        // The central directory's size, which the zip reader holds each entry to; `raw` reads
        // the header only and inflates nothing.
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| unreadable(e.to_string()))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_INFLATED_BYTES {
        return Err(unreadable(format!(
            "its parts inflate to {total} bytes; a workbook may inflate to at most \
             {MAX_INFLATED_BYTES}"
        )));
    }
    Ok(())
}

fn read_sheet(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    file: &str,
) -> Result<Sheet, SheetError> {
    let unreadable = |e: calamine::XlsxError| SheetError::Unreadable {
        file: file.to_owned(),
        detail: format!("sheet `{name}`: {e}"),
    };
    let mut reader = workbook.worksheet_cells_reader(name).map_err(unreadable)?;
    let mut sheet = Sheet {
        name: name.to_owned(),
        cells: BTreeMap::new(),
    };
    while let Some(cell) = reader
        .next_cell_with_formula_metadata()
        .map_err(unreadable)?
    {
        let value = if cell.formula.is_some() {
            Value::Formula
        } else {
            match value_of(cell.value) {
                Some(value) => value,
                None => continue,
            }
        };
        let (row, column) = cell.pos;
        if row >= MAX_ROWS || column >= MAX_COLUMNS {
            return Err(SheetError::Layout {
                file: file.to_owned(),
                problem: format!(
                    "sheet `{name}` has a value in {}; a sheet is read up to row {MAX_ROWS} and \
                     column {}",
                    sheet.cell(row, column),
                    column_name(MAX_COLUMNS - 1)
                ),
            });
        }
        sheet.cells.insert((row, column), value);
    }
    Ok(sheet)
}

/// The value of a cell without a formula; `None` for an empty one.
fn value_of(data: DataRef<'_>) -> Option<Value> {
    let value = match data {
        DataRef::Empty => return None,
        DataRef::String(text) if text.is_empty() => return None,
        DataRef::SharedString("") => return None,
        DataRef::String(text) => Value::Text(text),
        DataRef::SharedString(text) => Value::Text(text.to_owned()),
        DataRef::Int(number) => Value::Number(number as f64),
        DataRef::Float(number) => Value::Number(number),
        DataRef::Bool(flag) => Value::Bool(flag),
        DataRef::DateTime(_) | DataRef::DateTimeIso(_) | DataRef::DurationIso(_) => Value::Date,
        DataRef::Error(error) => Value::Error(error.to_string()),
    };
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        let names: Vec<String> = [0, 5, 25, 26, 27, 51, 52, 63, 701, 702]
            .into_iter()
            .map(column_name)
            .collect();
        assert_eq!(
            names,
            ["A", "F", "Z", "AA", "AB", "AZ", "BA", "BL", "ZZ", "AAA"]
        );
    }

    #[test]
    fn numbers_read_as_the_text_they_show() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(number_text(1e20), "100000000000000000000");
    }
}

//! Sheets that are plain tables: a bold header row that stays in view, a filter on every
//! column, numbers as numbers and dates as dates, so a reader can sort and filter in Excel or
//! LibreOffice without cleaning anything first.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use super::layout::{header, wrapped};

/// The most a cell holds is 32,767 characters; longer text is cut there with a mark.
const MAX_CELL_CHARS: usize = 32_000;

/// One cell of a table sheet.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Time(DateTime<Utc>),
    Empty,
}

impl Cell {
    pub(crate) fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    pub(crate) fn optional_text(value: Option<impl Into<String>>) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::Text(v.into()))
    }

    pub(crate) fn number(value: impl Into<f64>) -> Cell {
        Cell::Number(value.into())
    }

    pub(crate) fn optional_number(value: Option<impl Into<f64>>) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::Number(v.into()))
    }

    pub(crate) fn yes_no(value: bool) -> Cell {
        Cell::text(if value { "yes" } else { "no" })
    }
}

/// A column: its title and width in characters.
pub(crate) type Column = (&'static str, f64);

/// Adds a sheet `name` with `columns` and `rows`.
pub(crate) fn add_table(
    workbook: &mut Workbook,
    name: &str,
    columns: &[Column],
    rows: &[Vec<Cell>],
) -> Result<(), XlsxError> {
    let head = header();
    let text = wrapped();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    for (column, (title, width)) in (0u16..).zip(columns) {
        sheet.write_string_with_format(0, column, *title, &head)?;
        sheet.set_column_width(column, *width)?;
    }
    for (row, cells) in (1u32..).zip(rows) {
        for (column, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Text(value) => {
                    sheet.write_string_with_format(row, column, cut(value), &text)?;
                }
                // NaN and infinities are not numbers a spreadsheet can hold.
                Cell::Number(value) if value.is_finite() => {
                    sheet.write_number(row, column, *value)?;
                }
                Cell::Number(value) => {
                    sheet.write_string(row, column, value.to_string())?;
                }
                Cell::Date(day) => {
                    sheet.write_datetime_with_format(row, column, excel_date(*day)?, &date)?;
                }
                Cell::Time(at) => {
                    let day = excel_date(at.date_naive())?;
                    let moment = day.and_hms(
                        u16::try_from(at.hour()).unwrap_or(0),
                        u8::try_from(at.minute()).unwrap_or(0),
                        u8::try_from(at.second()).unwrap_or(0),
                    )?;
                    sheet.write_datetime_with_format(row, column, moment, &time)?;
                }
                Cell::Empty => {}
            }
        }
    }
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let last_column = u16::try_from(columns.len().saturating_sub(1)).unwrap_or(0);
    sheet.autofilter(0, 0, last_row, last_column)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn excel_date(day: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(
        u16::try_from(day.year()).unwrap_or(1900),
        u8::try_from(day.month()).unwrap_or(1),
        u8::try_from(day.day()).unwrap_or(1),
    )
}

fn cut(text: &str) -> String {
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => format!("{}… (cut: the full text is in Assay)", &text[..end]),
        None => text.to_owned(),
    }
}

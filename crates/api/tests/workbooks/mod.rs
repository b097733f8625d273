//! A workbook edited as a person would in a spreadsheet program: read every cell of a file,
//! change some, write it out again. Reading uses calamine and writing rust_xlsxwriter, the
//! same crates as the code under test but not its code, so an edit here is an independent
//! file.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{Format, Formula, Workbook};

/// A cell as a person leaves it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Bool(bool),
    /// A formula with the result a spreadsheet program cached for it.
    Formula(String, String),
    /// A date typed into a cell (a number with a date format).
    Date(f64),
}

pub fn text(value: &str) -> Cell {
    Cell::Text(value.to_owned())
}

/// A sheet's cells by zero-based (row, column).
pub type Cells = BTreeMap<(u32, u32), Cell>;

/// Every sheet of a workbook, in order, by name.
#[derive(Debug, Clone, Default)]
pub struct Book {
    pub sheets: Vec<(String, Cells)>,
}

/// `F12` as zero-based (row, column).
pub fn at(cell: &str) -> (u32, u32) {
    let letters: String = cell.chars().take_while(char::is_ascii_alphabetic).collect();
    let column = letters.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
    }) - 1;
    let row: u32 = cell[letters.len()..].parse().unwrap();
    (row - 1, column)
}

impl Book {
    pub fn read(path: &Path) -> Book {
        let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
        let mut book = Book::default();
        for name in workbook.sheet_names() {
            let range = workbook.worksheet_range(&name).unwrap();
            let (top, left) = range.start().unwrap_or((0, 0));
            let mut cells = BTreeMap::new();
            for (row, column, value) in range.used_cells() {
                let position = (top + row as u32, left + column as u32);
                let cell = match value {
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Bool(b) => Cell::Bool(*b),
                    other => panic!("unexpected cell {other:?} in {name}"),
                };
                cells.insert(position, cell);
            }
            book.sheets.push((name, cells));
        }
        book
    }

    fn sheet_mut(&mut self, sheet: &str) -> &mut Cells {
        &mut self
            .sheets
            .iter_mut()
            .find(|(name, _)| name == sheet)
            .unwrap_or_else(|| panic!("no sheet {sheet}"))
            .1
    }

    pub fn get(&self, sheet: &str, cell: &str) -> Option<&Cell> {
        let (_, cells) = self.sheets.iter().find(|(name, _)| name == sheet)?;
        cells.get(&at(cell))
    }

    pub fn set(&mut self, sheet: &str, cell: &str, value: Cell) -> &mut Book {
        self.sheet_mut(sheet).insert(at(cell), value);
        self
    }

    pub fn clear(&mut self, sheet: &str, cell: &str) -> &mut Book {
        self.sheet_mut(sheet).remove(&at(cell));
        self
    }

    /// The one-based row whose column A holds `id`.
    pub fn row_of(&self, sheet: &str, id: &str) -> u32 {
        let (_, cells) = self.sheets.iter().find(|(name, _)| name == sheet).unwrap();
        cells
            .iter()
            .find(|((_, column), value)| *column == 0 && **value == text(id))
            .map(|((row, _), _)| row + 1)
            .unwrap_or_else(|| panic!("no row {id} in {sheet}"))
    }

    /// Removes every cell of a one-based row.
    pub fn clear_row(&mut self, sheet: &str, row: u32) -> &mut Book {
        self.sheet_mut(sheet).retain(|(r, _), _| *r != row - 1);
        self
    }

    pub fn write(&self, path: &Path) {
        let mut workbook = Workbook::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for (name, cells) in &self.sheets {
            let sheet = workbook.add_worksheet();
            sheet.set_name(name).unwrap();
            for (&(row, column), value) in cells {
                let column = u16::try_from(column).unwrap();
                match value {
                    Cell::Text(s) => sheet.write_string(row, column, s).unwrap(),
                    Cell::Number(n) => sheet.write_number(row, column, *n).unwrap(),
                    Cell::Bool(b) => sheet.write_boolean(row, column, *b).unwrap(),
                    Cell::Formula(f, cached) => sheet
                        .write_formula(row, column, Formula::new(f).set_result(cached))
                        .unwrap(),
                    Cell::Date(serial) => sheet
                        .write_number_with_format(row, column, *serial, &date)
                        .unwrap(),
                };
            }
        }
        workbook.save(path).unwrap();
    }
}
